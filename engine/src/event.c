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

int event_is_move(event_type type)
{
	return type == EV_PHASE_ADVANCED || type == EV_PHASE_REVISITED ||
	       type == EV_SESSION_TERMINATED || type == EV_SESSION_CLOSED;
}

int event_is_act(event_type type)
{
	return type == EV_FEEDBACK_ADDED;
}
