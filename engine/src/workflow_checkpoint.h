/*
 * workflow_checkpoint.h - reading one checkpoint definition, as a
 * workflow's phases hold them and as a case's client events add them
 * (workflow.c), and a phase's rubric (workflow_rubric.c).  Private to the engine.
 */
#ifndef CW_WORKFLOW_CHECKPOINT_H
#define CW_WORKFLOW_CHECKPOINT_H

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "check.h"

/* Read checkpoint `j` into `cp` (strings borrowed from `j`), reporting
 * each problem to `c` at its path.  A choice's `options` list is
 * allocated: free it with free((void *)cp->options). */
void workflow_parse_checkpoint(checker *c, const cJSON *j, cw_checkpoint *cp);

/* Read phase `ph`'s "rubric" array `a` into ph->rubric, reporting each
 * problem to `c` at its path (workflow_rubric.c). */
void workflow_parse_rubric(checker *c, cw_phase *ph, const cJSON *a);

#endif
