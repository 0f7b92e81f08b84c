/*
 * embed.S - the standard workflow, compiled into the library so that
 * casework works with no file around.  The Makefile passes its path.
 */
	.section .rodata
	.global cw_standard_workflow_start
	.hidden cw_standard_workflow_start
	.global cw_standard_workflow_end
	.hidden cw_standard_workflow_end
cw_standard_workflow_start:
	.incbin STANDARD_WORKFLOW
cw_standard_workflow_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
