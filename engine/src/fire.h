/*
 * fire.h - a case's client events: whether they fit the workflow a
 * session starts on, and which is due to fire next.  Private to the
 * engine; session.c appends what these decide.
 */
#ifndef CW_FIRE_H
#define CW_FIRE_H

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "check.h"
#include "state.h"

/*
 * Check the `events` of case document `kase` against workflow `wf`: each
 * `when.phase` and `add[].phase` a phase of it, each `reopen` a
 * checkpoint of it (or one an earlier event adds), each added checkpoint
 * a new id with a tag the workflow knows.  Problems go to `c` at their
 * JSON path.
 */
void fire_check(checker *c, const cw_workflow *wf, const cJSON *kase);

/*
 * The payload of the first event of `kase` that is due in `st` and has
 * not fired: the session is open, in the event's `when.phase`, and has
 * made `when.records` records since it last entered it.  NULL when none
 * is due, or when out of memory (`*oom` is then set).  Caller frees.
 */
cJSON *fire_due(const state *st, const cJSON *kase, int *oom);

#endif
