/*
 * event.c - the names of the event types, in one table.
 */
#include <string.h>

#include "event.h"

static const char *const names[EV_TYPE_COUNT] = {
	[EV_SESSION_STARTED] = "session.started",
	[EV_NOTE_ADDED] = "note.added",
	[EV_OBJECTIVE_ADDED] = "objective.added",
	[EV_REFERRAL_ADDED] = "referral.added",
	[EV_GOAL_ADDED] = "goal.added",
	[EV_GOAL_REVISED] = "goal.revised",
	[EV_GOAL_DROPPED] = "goal.dropped",
	[EV_INTERVENTION_ADDED] = "intervention.added",
	[EV_EVALUATION_ADDED] = "evaluation.added",
	[EV_CHECKPOINT_CONFIRMED] = "checkpoint.confirmed",
	[EV_CHECKPOINT_CHOSEN] = "checkpoint.chosen",
	[EV_PHASE_ADVANCED] = "phase.advanced",
	[EV_PHASE_REVISITED] = "phase.revisited",
	[EV_SESSION_TERMINATED] = "session.terminated",
	[EV_SESSION_CLOSED] = "session.closed",
	[EV_ADVANCE_REFUSED] = "advance.refused",
	[EV_FEEDBACK_ADDED] = "feedback.added",
	[EV_RECORD_CORRECTED] = "record.corrected",
	[EV_RECORD_STRUCK] = "record.struck",
	[EV_REFLECTION_ADDED] = "reflection.added",
	[EV_APPROVAL_REQUESTED] = "approval.requested",
	[EV_APPROVAL_GRANTED] = "approval.granted",
	[EV_APPROVAL_RETURNED] = "approval.returned",
	[EV_CLIENT_EVENT] = "client.event",
};

const char *event_name(event_type type)
{
	return type >= 0 && type < EV_TYPE_COUNT ? names[type] : NULL;
}

event_type event_type_of(const char *name)
{
	if (name == NULL)
		return EV_UNKNOWN;
	for (int t = 0; t < EV_TYPE_COUNT; t++)
		if (strcmp(names[t], name) == 0)
			return (event_type)t;
	return EV_UNKNOWN;
}

/* The instructor acts: what each is, for the refusal a student gets on a
 * class server (which refuses their events to any other role too). */
static const char *const instructor_acts[EV_TYPE_COUNT] = {
	[EV_FEEDBACK_ADDED] = "give feedback or scores",
	[EV_APPROVAL_GRANTED] = "grant a sign-off",
	[EV_APPROVAL_RETURNED] = "return a sign-off request",
};

const char *event_instructor_act(event_type type)
{
	return type >= 0 && type < EV_TYPE_COUNT ? instructor_acts[type]
						 : NULL;
}

int event_is_move(event_type type)
{
	return type == EV_PHASE_ADVANCED || type == EV_PHASE_REVISITED ||
	       type == EV_SESSION_TERMINATED || type == EV_SESSION_CLOSED;
}

int event_makes_record(event_type type)
{
	return type == EV_NOTE_ADDED || type == EV_OBJECTIVE_ADDED ||
	       type == EV_REFERRAL_ADDED || type == EV_GOAL_ADDED ||
	       type == EV_INTERVENTION_ADDED || type == EV_EVALUATION_ADDED ||
	       type == EV_CHECKPOINT_CONFIRMED || type == EV_CHECKPOINT_CHOSEN ||
	       type == EV_REFLECTION_ADDED;
}

int event_is_act(event_type type)
{
	return event_instructor_act(type) != NULL;
}
