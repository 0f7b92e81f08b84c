/*
 * decide_move.c - the acts that move a session between phases (advance,
 * revisit, terminate) and the instructor's feedback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decide.h"
#include "text.h"
#include "workflow_image.h"
#include "workflow_tags.h"

/* Feedback on the session, one of its phases or one of its events. */
int decide_feedback(struct decision *d, const state *st, const cw_action *a)
{
	const cw_phase *ph;
	int phase = -1;
	int error = decide_text(a->text, "feedback");

	if (error < 0)
		return error;
	if (a->phase != NULL &&
	    (phase = cw_workflow_phase_index(st->wf, a->phase)) < 0)
		return workflow_no_phase(st->wf, a->phase);
	if (a->event != 0 && (a->event < 1 || a->event > st->seq))
		return cw_error_set(CW_ENOTFOUND,
				    "no event %ld in this session (it has "
				    "events 1 to %ld; see 'casework log')",
				    a->event, st->seq);
	if (a->event != 0 && a->phase != NULL &&
	    st->events[a->event - 1].phase != (size_t)phase)
		return cw_error_set(
		    CW_EINVALID, "event %ld happened in phase '%s', not '%s'",
		    a->event, st->wf->phases[st->events[a->event - 1].phase].id,
		    a->phase);
	if (a->phase == NULL)
		phase = a->event ? (int)st->events[a->event - 1].phase
				 : (int)st->phase;
	ph = &st->wf->phases[phase];
	if (a->criterion != NULL && a->score == 0)
		return cw_error_set(CW_EINVALID,
				    "--criterion goes with --score: give the "
				    "score on that criterion");
	/* one score (perhaps on a criterion), or several in `scores` */
	for (size_t i = 0; i < (a->score_count ? a->score_count : 1); i++) {
		cw_score sc = a->score_count
				  ? a->scores[i]
				  : (cw_score){a->criterion, a->score};

		if ((sc.score != 0 || a->score_count) &&
		    (sc.score < 1 || sc.score > 4))
			return cw_error_set(
			    CW_EINVALID, "a score is 1 to 4, not %d", sc.score);
		if ((sc.criterion || a->score_count) &&
		    (error = workflow_criterion_check(
			 ph, sc.criterion ? sc.criterion : "")) < 0)
			return error;
		for (size_t k = 0; a->score_count && k < i; k++)
			if (strcmp(a->scores[k].criterion, sc.criterion) == 0)
				return cw_error_set(CW_EINVALID,
						    "'%s' is scored "
						    "twice",
						    sc.criterion);
	}
	d->type = event_name(EV_FEEDBACK_ADDED);
	decide_put_str(d, d->payload, "text", a->text);
	decide_put_str(d, d->payload, "phase", ph->id);
	if (a->event != 0)
		decide_put_num(d, d->payload, "event", (double)a->event);
	if (a->score != 0)
		decide_put_num(d, d->payload, "score", a->score);
	if (a->criterion != NULL)
		decide_put_str(d, d->payload, "criterion", a->criterion);
	if (a->score_count > 0) {
		cJSON *scores = cJSON_CreateObject();

		for (size_t i = 0; scores && i < a->score_count; i++)
			decide_put_num(d, scores, a->scores[i].criterion,
				       a->scores[i].score);
		decide_put(d, d->payload, "scores", scores);
	}
	return 0;
}

/* Moving on (or closing from the last phase), or a refusal naming
 * every blocker. */
int decide_advance(struct decision *d, const state *st, const cw_action *a)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	cJSON *p = d->payload;
	cJSON *blockers = state_checkpoints_json(st, st->phase, 1);
	cJSON *earlier = state_event_blockers_json(st);

	(void)a; /* an advance takes no arguments */

	decide_put_str(d, p, "from", ph->id);
	/* a checkpoint of an earlier phase that a client event reopened (or
	 * added) blocks too, naming the event and the phase to revisit */
	while (blockers != NULL && earlier != NULL &&
	       cJSON_GetArraySize(earlier) > 0)
		cJSON_AddItemToArray(blockers,
				     cJSON_DetachItemFromArray(earlier, 0));
	if (earlier == NULL) {
		cJSON_Delete(blockers);
		blockers = NULL;
	}
	cJSON_Delete(earlier);
	if (blockers == NULL) {
		d->oom = 1; /* never an advance for want of memory */
	} else if (cJSON_GetArraySize(blockers) > 0) {
		d->type = event_name(EV_ADVANCE_REFUSED);
		d->refused = 1;
		decide_put(d, p, "blockers", blockers);
	} else if (st->phase + 1 == st->wf->phase_count) {
		cJSON_Delete(blockers);
		d->type = event_name(EV_SESSION_CLOSED);
	} else {
		cJSON_Delete(blockers);
		d->type = event_name(EV_PHASE_ADVANCED);
		decide_put_str(d, p, "to", st->wf->phases[st->phase + 1].id);
	}
	return 0;
}

/* Going back to a phase the current one may revisit. */
int decide_revisit(struct decision *d, const state *st, const cw_action *a)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	cJSON *p = d->payload;
	int error = 0;

	int target;
	int allowed = 0;
	char list[200] = "";

	if (a->phase == NULL || *a->phase == '\0') {
		error = cw_error_set(CW_EINVALID, "name the phase to revisit");
		return error;
	}
	target = cw_workflow_phase_index(st->wf, a->phase);
	if (target < 0)
		return workflow_no_phase(st->wf, a->phase);
	for (size_t i = 0; i < ph->revisit_count; i++) {
		size_t len = strlen(list);

		snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
			 st->wf->phases[ph->revisit[i]].id);
	}
	/* also allowed: a phase where a client event left a checkpoint unmet */
	allowed = state_may_revisit(st, (size_t)target);
	if (!allowed) {
		error = ph->revisit_count
			    ? cw_error_set(CW_EREFUSED,
					   "phase '%s' may revisit "
					   "only %s, not '%s'",
					   ph->id, list, a->phase)
			    : cw_error_set(CW_EREFUSED,
					   "phase '%s' allows no "
					   "revisit",
					   ph->id);
		return error;
	}
	if ((error = decide_text(a->reason, "reason (--reason)")) < 0)
		return error;
	d->type = event_name(EV_PHASE_REVISITED);
	decide_put_str(d, p, "from", ph->id);
	decide_put_str(d, p, "to", a->phase);
	decide_put_str(d, p, "reason", a->reason);
	return error;
}

/* Going straight to the last phase. */
int decide_terminate(struct decision *d, const state *st, const cw_action *a)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	cJSON *p = d->payload;
	int error = 0;

	const cw_phase *last = &st->wf->phases[st->wf->phase_count - 1];

	if (st->phase + 1 == st->wf->phase_count) {
		error = cw_error_set(CW_EREFUSED,
				     "the session is already in '%s'; "
				     "meet its checkpoints and advance "
				     "to close it",
				     last->id);
		return error;
	}
	if ((error = decide_text(a->reason, "reason (--reason)")) < 0)
		return error;
	d->type = event_name(EV_SESSION_TERMINATED);
	decide_put_str(d, p, "from", ph->id);
	decide_put_str(d, p, "to", last->id);
	decide_put_str(d, p, "reason", a->reason);
	return error;
}
