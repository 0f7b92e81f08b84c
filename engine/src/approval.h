/*
 * approval.h - what a hand-in's acts rest on, once the instructor acts no
 * trusted key signed are left out (approval.c).  Private to the engine.
 */
#ifndef CW_APPROVAL_H
#define CW_APPROVAL_H

#include "store.h"

/*
 * Replay session `id` as this database counts it (its left-out acts
 * skipped) and store where it stands: 0, or CW_EREFUSED when an event no
 * longer replays (an advance past a sign-off whose grant was left out),
 * naming it; the caller then writes nothing.
 */
int approval_recheck(cw_store *s, const char *id);

#endif
