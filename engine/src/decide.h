/*
 * decide.h - deciding an act on a session: the event it makes, or why it
 * may not happen.  Private to the engine.
 */
#ifndef CW_DECIDE_H
#define CW_DECIDE_H

#include <cjson/cJSON.h>

#include "casework/session.h"
#include "state.h"

/* What deciding an act yields. */
struct decision {
	const char *type; /* the event's name (static) */
	cJSON *payload;	  /* owned: the caller appends or deletes it */
	int refused;	  /* an advance refused: the payload has "blockers" */
	int oom;	  /* a part of the payload could not be allocated */
};

/*
 * Decide act `a` on state `st` into `d` (zeroed by the caller): 0 with
 * d->type and d->payload set, or a negative cw_error_code with nothing to
 * free (d->payload NULL).  Nothing is written to the store.
 */
int decide(struct decision *d, const state *st, const cw_action *a);

#endif
