/*
 * embed.S - the built-in workflows (standard and child-protection),
 * compiled into the library so that casework works with no file around.
 * The Makefile passes their paths.
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
	.global cw_child_protection_workflow_start
	.hidden cw_child_protection_workflow_start
	.global cw_child_protection_workflow_end
	.hidden cw_child_protection_workflow_end
cw_child_protection_workflow_start:
	.incbin CHILD_PROTECTION_WORKFLOW
cw_child_protection_workflow_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
