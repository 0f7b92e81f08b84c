/*
 * workflow_stages.h - reading a reflection checkpoint's `stages` and
 * `stage_help` (workflow.c calls it while parsing).  Private to the
 * engine.
 */
#ifndef CW_WORKFLOW_STAGES_H
#define CW_WORKFLOW_STAGES_H

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "check.h"

/* Read the stages and their guidance of checkpoint `j` into `cp` when it
 * is a reflection (freed by cw_workflow_free); report each problem, and
 * either field on another kind, to `c`. */
void workflow_parse_stages(checker *c, const cJSON *j, cw_checkpoint *cp);

#endif
