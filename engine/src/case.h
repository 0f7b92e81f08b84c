/*
 * case.h - what other engine files need of a case document: staging it
 * for a student.  Private to the engine.
 */
#ifndef CW_CASE_PRIVATE_H
#define CW_CASE_PRIVATE_H

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "store.h"

/* 1 when phase `phase` has been reached, else 0. */
typedef int (*case_reached_fn)(const char *phase, void *payload);

/*
 * Stage case document `kase` in place for what a student may see: the
 * material of a phase stays only when `reached` says the phase was
 * reached (`reached` NULL: only "preparation", the first phase of every
 * built-in workflow), and the instructor notes go.  With `full` (an
 * author's or instructor's view) it is left whole.  The summary, client,
 * referral and background are always kept.  Whatever order the store
 * gave the text's keys in, the case's, its client's and its referral's
 * come in the schema's order, and the phases (and with `full` the
 * instructor notes) in the order of workflow `wf` (NULL: as they are).
 */
void case_stage(cJSON *kase, case_reached_fn reached, void *payload,
		int full, const cw_workflow *wf);

/* The workflow case `kase` is meant for (its "workflow", else standard),
 * newest version, read from store `s` without writing: the caller frees
 * `*out` with cw_workflow_free.  CW_ENOTFOUND when the store lacks it. */
int case_workflow_meant(cw_workflow **out, cw_store *s, const cJSON *kase);

#endif
