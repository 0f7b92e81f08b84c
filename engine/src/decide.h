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

/*
 * What the acts share (decide.c).  Each returns 0 or a negative
 * cw_error_code with the error set.
 */
/* `text` is a text the command line accepts as `what` ("note"). */
int decide_text(const char *text, const char *what);
/* `value` is one of the NULL-ended `options` whatever the ASCII case,
 * the option's own spelling to `*out`; `what` names it (a near miss is
 * offered as "did you mean"). */
int decide_one_of(const char **out, const char *value,
		  const char *const *options, const char *what);
/* 1 when `a` and `b` differ at most in the case of ASCII letters (ids
 * and the values of a fixed list are ASCII). */
int decide_same_but_case(const char *a, const char *b);
/* `*out` = the open goal `name` names ("G2" or "g2"). */
int decide_goal(const record **out, const state *st, const char *name);
/* Checkpoint `id` of the session's workflow, in any phase (its index to
 * `*phase`): CW_EINVALID for no id, CW_ENOTFOUND with did-you-mean and
 * the valid ids for an unknown one. */
int decide_find_checkpoint(const cw_checkpoint **out, size_t *phase,
			   const state *st, const char *id);
/* `*out` = checkpoint `id` of the current phase, of kind `kind`. */
int decide_checkpoint(const cw_checkpoint **out, const state *st,
		      const char *id, cw_checkpoint_kind kind);
/* Add `item` (owned) to `object` under `key`; a failed allocation sets
 * d->oom, so that an event is never written with a part missing. */
void decide_put(struct decision *d, cJSON *object, const char *key,
		cJSON *item);
/* A string of the payload; a NULL value adds nothing. */
void decide_put_str(struct decision *d, cJSON *object, const char *key,
		    const char *value);
void decide_put_num(struct decision *d, cJSON *object, const char *key,
		    double value);
/* The name of the next record of `kind` ("G3"), as the payload's "id". */
void decide_next_name(struct decision *d, const state *st, cw_record_kind kind,
		      cJSON *payload);

/* The acts, one function each, as the table in decide.c finds them:
 * records (decide_record.c), moves and feedback (decide_move.c). */
typedef int decide_act(struct decision *d, const state *st, const cw_action *a);
decide_act decide_note, decide_statement, decide_text_record, decide_goal_add,
    decide_goal_revise, decide_on_goal;
decide_act decide_advance, decide_revisit, decide_terminate, decide_feedback;
/* decide_teach.c: corrections, strikes, reflections and sign-off. */
decide_act decide_correct, decide_strike, decide_reflect,
    decide_approval_request, decide_approval_decide;

#endif
