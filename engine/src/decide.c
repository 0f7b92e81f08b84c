/*
 * decide.c - deciding an act: whether what a student or instructor asks
 * for may happen in the session's state, and the event it makes.  One
 * function per act, found in a table; nothing is written here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decide.h"
#include "text.h"
#include "workflow_image.h"

static int check_text(const char *text, const char *what)
{
	return text_check(text, what, 1);
}

static int one_of(const char *value, const char *const *options,
		  const char *what)
{
	char list[160] = "";

	for (size_t i = 0; options[i] != NULL; i++) {
		size_t len = strlen(list);

		if (value != NULL && strcmp(value, options[i]) == 0)
			return 0;
		snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
			 options[i]);
	}
	if (value == NULL)
		return cw_error_set(
		    CW_EINVALID, "the %s is required: one of %s", what, list);
	return cw_error_set(CW_EINVALID, "unknown %s '%s' (expected one of %s)",
			    what, value, list);
}

/* The open goal `name` names ("G2" or "g2"), or an error. */
static int find_goal(const record **out, const state *st, const char *name)
{
	char *end = NULL;
	long n = 0;
	const record *g;

	/* "G" or "g", then a number written plainly: G1, g12 */
	if (name != NULL && (name[0] == 'G' || name[0] == 'g') &&
	    name[1] >= '1' && name[1] <= '9' &&
	    strspn(name + 1, "0123456789") == strlen(name + 1))
		n = strtol(name + 1, &end, 10);
	if (name == NULL || end == NULL || *end != '\0' || n <= 0 ||
	    n > 1000000)
		return cw_error_set(
		    CW_ENOTFOUND,
		    "no goal '%s' (goals are named G1, G2, ...; "
		    "see 'casework goal list')",
		    name ? name : "");
	g = state_record(st, CW_RECORD_GOAL, (int)n);
	if (g == NULL)
		return cw_error_set(CW_ENOTFOUND,
				    "no goal G%ld in this session (see "
				    "'casework goal list')",
				    n);
	if (g->dropped)
		return cw_error_set(CW_ENOTFOUND, "goal G%ld was dropped: %s",
				    n, g->drop_reason ? g->drop_reason : "");
	*out = g;
	return 0;
}

static const char *const terms[] = {"short", "long", NULL};
static const char *const intervention_types[] = {
    "counseling",   "referral", "skills", "advocacy",
    "coordination", "other",	NULL};
static const char *const outcomes[] = {"achieved", "partial", "not-achieved",
				       NULL};

/* A checkpoint of the current phase that `action` may answer. */
static int find_checkpoint(const cw_checkpoint **out, const state *st,
			   const char *id, cw_checkpoint_kind kind)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	const cw_checkpoint *cp;
	size_t phase;

	if (id == NULL || *id == '\0')
		return cw_error_set(CW_EINVALID, "name a checkpoint");
	cp = cw_workflow_checkpoint(st->wf, id, &phase);
	if (cp == NULL)
		return cw_error_set(CW_ENOTFOUND,
				    "no checkpoint '%s' in workflow '%s' (see "
				    "'casework status')",
				    id, st->wf->id);
	if (phase != st->phase)
		return cw_error_set(
		    CW_EREFUSED,
		    "checkpoint '%s' belongs to phase '%s'; the "
		    "session is in '%s'",
		    id, st->wf->phases[phase].id, ph->id);
	if (cp->kind != kind) {
		verdict v;

		if (cp->kind == CW_CHECKPOINT_CHOICE ||
		    cp->kind == CW_CHECKPOINT_CONFIRM)
			return cw_error_set(
			    CW_EINVALID,
			    "checkpoint '%s' is a %s checkpoint; "
			    "use 'casework %s'",
			    id, cw_checkpoint_kind_name(cp->kind),
			    cp->kind == CW_CHECKPOINT_CHOICE ? "choose"
							     : "check");
		/* a count or coverage is met by records, not by a statement */
		state_judge(st, cp, &v);
		return cw_error_set(
		    CW_EINVALID,
		    "checkpoint '%s' is met by records, not by a "
		    "statement (%s): %s",
		    id, v.message, v.command);
	}
	*out = cp;
	return 0;
}

/* Add `item` to an event's payload under `key`; a failed allocation is
 * remembered, so that an event is never written with a part missing. */
static void put(struct decision *d, cJSON *object, const char *key, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToObject(object, key, item)) {
		cJSON_Delete(item);
		d->oom = 1;
	}
}

/* A string of the payload; a NULL value adds nothing. */
static void put_str(struct decision *d, cJSON *object, const char *key,
		    const char *value)
{
	if (value != NULL)
		put(d, object, key, cJSON_CreateString(value));
}

static void put_num(struct decision *d, cJSON *object, const char *key,
		    double value)
{
	put(d, object, key, cJSON_CreateNumber(value));
}

/* The name of the next record of `kind` ("G3"), as the payload's id. */
static void next_name(struct decision *d, const state *st, cw_record_kind kind,
		      cJSON *payload)
{
	char name[16];

	snprintf(name, sizeof(name), "%c%d", record_letter(kind),
		 st->next[kind]);
	put_str(d, payload, "id", name);
}

/* Feedback on the session, one of its phases or one of its events. */
static int act_feedback(struct decision *d, const state *st, const cw_action *a)
{
	const cw_phase *ph;
	int phase = -1;
	int error = check_text(a->text, "feedback");

	if (error < 0)
		return error;
	if (a->phase != NULL &&
	    (phase = cw_workflow_phase_index(st->wf, a->phase)) < 0)
		return cw_error_set(CW_ENOTFOUND,
				    "no phase '%s' in workflow '%s'", a->phase,
				    st->wf->id);
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
		cw_score sc = a->score_count ? a->scores[i]
					     : (cw_score){a->criterion, a->score};

		if ((sc.score != 0 || a->score_count) &&
		    (sc.score < 1 || sc.score > 4))
			return cw_error_set(CW_EINVALID,
					    "a score is 1 to 4, not %d",
					    sc.score);
		if ((sc.criterion || a->score_count) &&
		    (error = workflow_criterion_check(ph, sc.criterion ? sc.criterion : ""))
			< 0)
			return error;
		for (size_t k = 0; a->score_count && k < i; k++)
			if (strcmp(a->scores[k].criterion, sc.criterion) == 0)
				return cw_error_set(CW_EINVALID, "'%s' is scored "
						    "twice", sc.criterion);
	}
	d->type = event_name(EV_FEEDBACK_ADDED);
	put_str(d, d->payload, "text", a->text);
	put_str(d, d->payload, "phase", ph->id);
	if (a->event != 0)
		put_num(d, d->payload, "event", (double)a->event);
	if (a->score != 0)
		put_num(d, d->payload, "score", a->score);
	if (a->criterion != NULL)
		put_str(d, d->payload, "criterion", a->criterion);
	if (a->score_count > 0) {
		cJSON *scores = cJSON_CreateObject();

		for (size_t i = 0; scores && i < a->score_count; i++)
			put_num(d, scores, a->scores[i].criterion,
				a->scores[i].score);
		put(d, d->payload, "scores", scores);
	}
	return 0;
}

/* A note, perhaps tagged. */
static int act_note(struct decision *d, const state *st, const cw_action *a)
{
	cJSON *p = d->payload;
	int error = 0;

	if ((error = check_text(a->text, "note")) < 0)
		return error;
	if (a->tag != NULL && !check_is_id(a->tag)) {
		error = cw_error_set(CW_EINVALID,
				     "tag '%s' is not valid: use "
				     "lower-case letters, digits and "
				     "hyphens (e.g. 'strength')",
				     a->tag);
		return error;
	}
	if (a->tag != NULL && !cw_workflow_knows_tag(st->wf, a->tag)) {
		const char *near = cw_workflow_nearest_tag(st->wf, a->tag);
		char known[300];

		cw_workflow_tags_text(known, sizeof(known), st->wf);
		return cw_error_set(CW_ENOTFOUND,
				    "workflow '%s' knows no tag '%s'%s%s%s "
				    "(its tags: %s)",
				    st->wf->id, a->tag,
				    near ? "; did you mean '" : "",
				    near ? near : "", near ? "'?" : "",
				    *known ? known : "none");
	}
	d->type = event_name(EV_NOTE_ADDED);
	next_name(d, st, CW_RECORD_NOTE, p);
	put_str(d, p, "text", a->text);
	if (a->tag != NULL)
		put_str(d, p, "tag", a->tag);
	return error;
}

/* A statement meeting a confirm (check) or choice (choose) checkpoint. */
static int act_statement(struct decision *d, const state *st,
			 const cw_action *a)
{
	const cw_checkpoint *cp = NULL;
	cJSON *p = d->payload;
	int choice = a->type == CW_ACT_CHOOSE;
	int error = 0;

	error = find_checkpoint(&cp, st, a->checkpoint,
				choice ? CW_CHECKPOINT_CHOICE
				       : CW_CHECKPOINT_CONFIRM);
	if (error < 0)
		return error;
	if (choice) {
		int found = 0;
		char list[160] = "";

		for (size_t i = 0; i < cp->option_count; i++) {
			size_t len = strlen(list);

			found |=
			    a->value && strcmp(a->value, cp->options[i]) == 0;
			snprintf(list + len, sizeof(list) - len, "%s%s",
				 i ? ", " : "", cp->options[i]);
		}
		if (!found) {
			error = cw_error_set(CW_EINVALID,
					     "'%s' is not an option of '%s' "
					     "(expected one of %s)",
					     a->value ? a->value : "", cp->id,
					     list);
			return error;
		}
	}
	if ((error = check_text(a->text, choice ? "rationale" : "statement")) <
	    0)
		return error;
	if (text_chars(a->text) < cp->min_chars) {
		error =
		    cw_error_set(CW_EINVALID,
				 "checkpoint '%s' needs at least %d "
				 "characters saying what was done; "
				 "this has %d",
				 cp->id, cp->min_chars, text_chars(a->text));
		return error;
	}
	d->type = choice ? event_name(EV_CHECKPOINT_CHOSEN)
			 : event_name(EV_CHECKPOINT_CONFIRMED);
	put_str(d, p, "checkpoint", cp->id);
	if (choice)
		put_str(d, p, "value", a->value);
	put_str(d, p, "text", a->text);
	return error;
}

/* An objective or a referral: a numbered text. */
static int act_text_record(struct decision *d, const state *st,
			   const cw_action *a)
{
	cJSON *p = d->payload;
	int obj = a->type == CW_ACT_OBJECTIVE;
	int error = 0;

	if ((error = check_text(a->text, obj ? "objective" : "referral")) < 0)
		return error;
	d->type = obj ? event_name(EV_OBJECTIVE_ADDED)
		      : event_name(EV_REFERRAL_ADDED);
	next_name(d, st, obj ? CW_RECORD_OBJECTIVE : CW_RECORD_REFERRAL, p);
	put_str(d, p, "text", a->text);
	return error;
}

/* A new goal with its term and measure. */
static int act_goal_add(struct decision *d, const state *st, const cw_action *a)
{
	cJSON *p = d->payload;
	int error = 0;

	if ((error = check_text(a->text, "goal")) < 0 ||
	    (error = one_of(a->term, terms, "term (--term)")) < 0 ||
	    (error = check_text(a->measure,
				"measurable criterion (--measure)")) < 0)
		return error;
	d->type = event_name(EV_GOAL_ADDED);
	next_name(d, st, CW_RECORD_GOAL, p);
	put_str(d, p, "text", a->text);
	put_str(d, p, "term", a->term);
	put_str(d, p, "measure", a->measure);
	return error;
}

/* New wording for an open goal. */
static int act_goal_revise(struct decision *d, const state *st,
			   const cw_action *a)
{
	const record *g = NULL;
	cJSON *p = d->payload;
	int error = 0;

	if ((error = find_goal(&g, st, a->goal)) < 0 ||
	    (error = check_text(a->text, "goal")) < 0 ||
	    (a->measure != NULL &&
	     (error = check_text(a->measure, "measurable criterion")) < 0))
		return error;
	d->type = event_name(EV_GOAL_REVISED);
	{
		char name[16];

		snprintf(name, sizeof(name), "G%d", g->number);
		put_str(d, p, "goal", name);
	}
	put_str(d, p, "text", a->text);
	if (a->measure != NULL)
		put_str(d, p, "measure", a->measure);
	return error;
}

/* Whether goal `goal` has an intervention; an evaluation needs one. */
static int has_intervention(const state *st, int goal)
{
	for (size_t i = 0; i < st->record_count; i++)
		if (st->records[i].kind == CW_RECORD_INTERVENTION &&
		    st->records[i].goal == goal)
			return 1;
	return 0;
}

/* Dropping an open goal, or an intervention or evaluation for it. */
static int act_on_goal(struct decision *d, const state *st, const cw_action *a)
{
	const record *g = NULL;
	cJSON *p = d->payload;
	char name[16];
	int error = 0;

	if ((error = find_goal(&g, st, a->goal)) < 0)
		return error;
	snprintf(name, sizeof(name), "G%d", g->number);
	if (a->type == CW_ACT_GOAL_DROP) {
		if ((error = check_text(a->reason, "reason (--reason)")) < 0)
			return error;
		d->type = event_name(EV_GOAL_DROPPED);
		put_str(d, p, "goal", name);
		put_str(d, p, "reason", a->reason);
		return error;
	}
	if (a->type == CW_ACT_INTERVENTION) {
		/* the UK spelling, as the UK cases write it */
		const char *type = a->intervention_type != NULL &&
					   strcmp(a->intervention_type,
						  "counselling") == 0
				       ? "counseling"
				       : a->intervention_type;

		if ((error = one_of(type, intervention_types,
				    "intervention type (--type)")) < 0 ||
		    (error = check_text(a->text, "intervention")) < 0)
			return error;
		d->type = event_name(EV_INTERVENTION_ADDED);
		next_name(d, st, CW_RECORD_INTERVENTION, p);
		put_str(d, p, "goal", name);
		put_str(d, p, "type", type);
	} else {
		if ((error = one_of(a->outcome, outcomes,
				    "outcome (--outcome)")) < 0 ||
		    (error = check_text(a->text, "evaluation")) < 0)
			return error;
		if (!has_intervention(st, g->number))
			return cw_error_set(
			    CW_EREFUSED,
			    "goal %s has no intervention to evaluate yet: "
			    "plan one first ('casework intervention add %s "
			    "--type TYPE \"TEXT\"')",
			    name, name);
		d->type = event_name(EV_EVALUATION_ADDED);
		next_name(d, st, CW_RECORD_EVALUATION, p);
		put_str(d, p, "goal", name);
		put_str(d, p, "outcome", a->outcome);
	}
	put_str(d, p, "text", a->text);
	return error;
}

/* Moving on (or closing from the last phase), or a refusal naming
 * every blocker. */
static int act_advance(struct decision *d, const state *st, const cw_action *a)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	cJSON *p = d->payload;
	cJSON *blockers = state_checkpoints_json(st, st->phase, 1);

	(void)a; /* an advance takes no arguments */

	put_str(d, p, "from", ph->id);
	if (blockers == NULL) {
		d->oom = 1; /* never an advance for want of memory */
	} else if (cJSON_GetArraySize(blockers) > 0) {
		d->type = event_name(EV_ADVANCE_REFUSED);
		d->refused = 1;
		put(d, p, "blockers", blockers);
	} else if (st->phase + 1 == st->wf->phase_count) {
		cJSON_Delete(blockers);
		d->type = event_name(EV_SESSION_CLOSED);
	} else {
		cJSON_Delete(blockers);
		d->type = event_name(EV_PHASE_ADVANCED);
		put_str(d, p, "to", st->wf->phases[st->phase + 1].id);
	}
	return 0;
}

/* Going back to a phase the current one may revisit. */
static int act_revisit(struct decision *d, const state *st, const cw_action *a)
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
	if (target < 0) {
		error =
		    cw_error_set(CW_ENOTFOUND, "no phase '%s' in workflow '%s'",
				 a->phase, st->wf->id);
		return error;
	}
	for (size_t i = 0; i < ph->revisit_count; i++) {
		size_t len = strlen(list);

		allowed |= ph->revisit[i] == (size_t)target;
		snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
			 st->wf->phases[ph->revisit[i]].id);
	}
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
	if ((error = check_text(a->reason, "reason (--reason)")) < 0)
		return error;
	d->type = event_name(EV_PHASE_REVISITED);
	put_str(d, p, "from", ph->id);
	put_str(d, p, "to", a->phase);
	put_str(d, p, "reason", a->reason);
	return error;
}

/* Going straight to the last phase. */
static int act_terminate(struct decision *d, const state *st,
			 const cw_action *a)
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
	if ((error = check_text(a->reason, "reason (--reason)")) < 0)
		return error;
	d->type = event_name(EV_SESSION_TERMINATED);
	put_str(d, p, "from", ph->id);
	put_str(d, p, "to", last->id);
	put_str(d, p, "reason", a->reason);
	return error;
}

/* The function that decides each act. */
static int (*const acts[])(struct decision *, const state *,
			   const cw_action *) = {
    [CW_ACT_NOTE] = act_note,
    [CW_ACT_CHECK] = act_statement,
    [CW_ACT_CHOOSE] = act_statement,
    [CW_ACT_OBJECTIVE] = act_text_record,
    [CW_ACT_REFERRAL] = act_text_record,
    [CW_ACT_GOAL_ADD] = act_goal_add,
    [CW_ACT_GOAL_REVISE] = act_goal_revise,
    [CW_ACT_GOAL_DROP] = act_on_goal,
    [CW_ACT_INTERVENTION] = act_on_goal,
    [CW_ACT_EVALUATION] = act_on_goal,
    [CW_ACT_ADVANCE] = act_advance,
    [CW_ACT_REVISIT] = act_revisit,
    [CW_ACT_TERMINATE] = act_terminate,
    [CW_ACT_FEEDBACK] = act_feedback,
};

/* Turn `a` into the event it makes, or an error that writes nothing. */
int decide(struct decision *d, const state *st, const cw_action *a)
{
	int error;

	if (st->closed && a->type != CW_ACT_FEEDBACK)
		return cw_error_set(CW_EREFUSED,
				    "the session is closed; it accepts "
				    "feedback, export and verify only");
	if ((unsigned)a->type >= sizeof(acts) / sizeof(acts[0]) ||
	    acts[a->type] == NULL)
		return cw_error_set(CW_EINVALID, "unknown action");
	d->payload = cJSON_CreateObject();
	if (d->payload == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	error = acts[a->type](d, st, a);
	if (error == 0 && d->oom)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (error < 0) {
		cJSON_Delete(d->payload);
		d->payload = NULL;
	}
	return error;
}
