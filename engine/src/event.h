/*
 * event.h - the event vocabulary: every kind of event a session's log
 * holds, with the one name it is stored under.  Private to the engine.
 *
 * Adding an event type means adding it here, to the name table in event.c
 * and to state.c, which is its one interpreter; everything else reads the
 * state.
 */
#ifndef CW_EVENT_H
#define CW_EVENT_H

typedef enum event_type {
	EV_UNKNOWN = -1, /* a name this library does not know */
	EV_SESSION_STARTED = 0,
	EV_NOTE_ADDED,
	EV_OBJECTIVE_ADDED,
	EV_REFERRAL_ADDED,
	EV_GOAL_ADDED,
	EV_GOAL_REVISED,
	EV_GOAL_DROPPED,
	EV_INTERVENTION_ADDED,
	EV_EVALUATION_ADDED,
	EV_CHECKPOINT_CONFIRMED,
	EV_CHECKPOINT_CHOSEN,
	EV_PHASE_ADVANCED,
	EV_PHASE_REVISITED,
	EV_SESSION_TERMINATED,
	EV_SESSION_CLOSED,
	EV_ADVANCE_REFUSED,
	EV_FEEDBACK_ADDED,
	EV_RECORD_CORRECTED,
	EV_RECORD_STRUCK,
	EV_REFLECTION_ADDED,
	EV_APPROVAL_REQUESTED, /* a student asks for sign-off */
	EV_APPROVAL_GRANTED,   /* an instructor signs it off */
	EV_APPROVAL_RETURNED,  /* an instructor asks for changes */
	EV_CLIENT_EVENT, /* a case's client event fired */
	EV_TYPE_COUNT
} event_type;

/* The stored name of `type` ("note.added"); borrowed, static.  NULL for
 * EV_UNKNOWN or a value out of range. */
const char *event_name(event_type type);

/* The type stored as `name`, or EV_UNKNOWN (also for NULL). */
event_type event_type_of(const char *name);

/* What an event of `type` does when only an instructor may record it
 * ("give feedback or scores"), or NULL when anyone may. */
const char *event_instructor_act(event_type type);

/* Whether an event of `type` moves the session to another phase or closes
 * it (advance, revisit, terminate, close). */
int event_is_move(event_type type);

/* Whether an event of `type` is a record made in a phase (a note,
 * objective, goal, intervention, evaluation, referral, statement or
 * choice): what a client event's `when.records` counts. */
int event_makes_record(event_type type);

/* Whether an event of `type` is an instructor act (feedback, scores and
 * approval decisions),
 * which counts in another database only when signed by a key it trusts.
 */
int event_is_act(event_type type);

#endif
