/*
 * workflow_tags.h - the note tags of a workflow: reading its optional
 * `tags` list (workflow.c calls these while parsing); and the hints that
 * name the nearest phase or checkpoint to a mistyped one.  Private to the
 * engine; cw_workflow_knows_tag and cw_workflow_nearest_tag are public.
 */
#ifndef CW_WORKFLOW_TAGS_H
#define CW_WORKFLOW_TAGS_H

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "check.h"

/* Read the optional `tags` of workflow document `root` into wf->tags
 * (freed by cw_workflow_free), reporting each problem to `c`. */
void workflow_parse_tags(checker *c, cw_workflow *wf, const cJSON *root);

/* When the workflow lists tags, report each checkpoint whose tag is not
 * one of them. */
void workflow_check_tag_use(checker *c, const cw_workflow *wf);

/* What to add to "no phase 'ID' in workflow 'W'": "; did you mean 'X'?"
 * when one is near (case, blanks and underscores aside: "goal setting"),
 * then " (its phases: ...)".  Written into `out`. */
void workflow_phase_hint(char *out, size_t size, const cw_workflow *wf,
			 const char *id);

/* The same for a checkpoint: the nearest checkpoint of the workflow, then
 * the checkpoints of phase `phase`. */
void workflow_checkpoint_hint(char *out, size_t size, const cw_workflow *wf,
			      const char *id, size_t phase);

/* CW_ENOTFOUND "no phase 'ID' in workflow 'W'", with that hint. */
int workflow_no_phase(const cw_workflow *wf, const char *id);

/* CW_ENOTFOUND "workflow 'W' knows no tag 'T'", with the nearest tag and
 * the workflow's tags. */
int workflow_no_tag(const cw_workflow *wf, const char *tag);

#endif
