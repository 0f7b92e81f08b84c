/*
 * decide_record.c - the acts that make a session's records: notes,
 * statements on checkpoints, objectives, referrals, goals and the
 * interventions and evaluations made for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decide.h"
#include "text.h"
#include "workflow_tags.h"

static const char *const terms[] = {"short", "long", NULL};
static const char *const intervention_types[] = {
    "counseling",   "referral", "skills", "advocacy",
    "coordination", "other",	NULL};
static const char *const outcomes[] = {"achieved", "partial", "not-achieved",
				       NULL};

/* Tag `tag` is one the workflow knows, or an error naming the nearest. */
static int known_tag(const state *st, const char *tag)
{
	if (!check_is_id(tag) && strchr(tag, ' ') != NULL)
		return cw_error_set(CW_EINVALID,
				    "tag '%s' looks like the note's text, "
				    "not a tag: a tag is one word, given "
				    "after --tag, and the text goes on its "
				    "own (casework note \"TEXT\" --tag TAG)",
				    tag);
	if (!check_is_id(tag))
		return cw_error_set(CW_EINVALID,
				    "tag '%s' is not valid: use "
				    "lower-case letters, digits and "
				    "hyphens (e.g. 'strength')",
				    tag);
	return cw_workflow_knows_tag(st->wf, tag) ? 0
						  : workflow_no_tag(st->wf, tag);
}

/* A note, perhaps with one tag or several ("tag", or "tags" when more
 * than one, each once). */
int decide_note(struct decision *d, const state *st, const cw_action *a)
{
	cJSON *p = d->payload, *list = NULL;
	const char *const *tags = a->tags;
	size_t count = a->tag_count, kept = 0;
	const char *keep[STATE_MAX_TAGS];
	int error = 0;

	if (tags == NULL && a->tag != NULL) {
		tags = &a->tag;
		count = 1;
	}
	if ((error = decide_text(a->text, "note")) < 0)
		return error;
	for (size_t i = 0; i < count; i++) {
		int seen = 0;

		if ((error = known_tag(st, tags[i])) < 0)
			return error;
		for (size_t k = 0; k < kept; k++)
			seen |= strcmp(keep[k], tags[i]) == 0;
		if (seen)
			continue;
		if (kept == STATE_MAX_TAGS)
			return cw_error_set(CW_EINVALID,
					    "a note takes at most %d tags",
					    STATE_MAX_TAGS);
		keep[kept++] = tags[i];
	}
	d->type = event_name(EV_NOTE_ADDED);
	decide_next_name(d, st, CW_RECORD_NOTE, p);
	decide_put_str(d, p, "text", a->text);
	if (kept == 1)
		decide_put_str(d, p, "tag", keep[0]);
	if (kept > 1) {
		list = cJSON_CreateArray();
		decide_put(d, p, "tags", list);
		for (size_t k = 0; list != NULL && k < kept; k++)
			if (!cJSON_AddItemToArray(list,
						  cJSON_CreateString(keep[k])))
				d->oom = 1;
	}
	return error;
}

/* A statement meeting a confirm (check) or choice (choose) checkpoint. */
int decide_statement(struct decision *d, const state *st, const cw_action *a)
{
	const cw_checkpoint *cp = NULL;
	cJSON *p = d->payload;
	int choice = a->type == CW_ACT_CHOOSE;
	const char *value = NULL;
	int error = 0;

	error = decide_checkpoint(&cp, st, a->checkpoint,
				  choice ? CW_CHECKPOINT_CHOICE
					 : CW_CHECKPOINT_CONFIRM);
	if (error < 0)
		return error;
	if (choice) {
		char list[160] = "";
		text_near n = { a->value ? a->value : "", NULL, 99 };

		for (size_t i = 0; i < cp->option_count; i++) {
			size_t len = strlen(list);

			/* "Medium" is "medium": the workflow's spelling is
			 * the one kept */
			if (value == NULL && a->value &&
			    decide_same_but_case(a->value, cp->options[i]))
				value = cp->options[i];
			text_near_consider(&n, cp->options[i]);
			snprintf(list + len, sizeof(list) - len, "%s%s",
				 i ? ", " : "", cp->options[i]);
		}
		if (value == NULL) {
			const char *near = text_near_result(&n);

			/* an unknown value is not found, as an unknown
			 * checkpoint or tag is */
			error = cw_error_set(CW_ENOTFOUND,
					     "'%s' is not an option of '%s'"
					     "%s%s%s (expected one of %s)",
					     a->value ? a->value : "", cp->id,
					     near ? "; did you mean '" : "",
					     near ? near : "",
					     near ? "'?" : "", list);
			return error;
		}
	}
	if ((error = decide_text(a->text, choice ? "rationale" : "statement")) <
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
	decide_put_str(d, p, "checkpoint", cp->id);
	if (choice)
		decide_put_str(d, p, "value", value);
	decide_put_str(d, p, "text", a->text);
	return error;
}

/* An objective or a referral: a numbered text. */
int decide_text_record(struct decision *d, const state *st, const cw_action *a)
{
	cJSON *p = d->payload;
	int obj = a->type == CW_ACT_OBJECTIVE;
	int error = 0;

	if ((error = decide_text(a->text, obj ? "objective" : "referral")) < 0)
		return error;
	d->type = obj ? event_name(EV_OBJECTIVE_ADDED)
		      : event_name(EV_REFERRAL_ADDED);
	decide_next_name(d, st, obj ? CW_RECORD_OBJECTIVE : CW_RECORD_REFERRAL,
			 p);
	decide_put_str(d, p, "text", a->text);
	return error;
}

/* A new goal with its term and measure. */
int decide_goal_add(struct decision *d, const state *st, const cw_action *a)
{
	cJSON *p = d->payload;
	int error = 0;

	const char *term = NULL;

	if ((error = decide_text(a->text, "goal")) < 0 ||
	    (error = decide_one_of(&term, a->term, terms, "term (--term)")) <
		0 ||
	    (error = decide_text(a->measure,
				 "measurable criterion (--measure)")) < 0)
		return error;
	d->type = event_name(EV_GOAL_ADDED);
	decide_next_name(d, st, CW_RECORD_GOAL, p);
	decide_put_str(d, p, "text", a->text);
	decide_put_str(d, p, "term", term);
	decide_put_str(d, p, "measure", a->measure);
	return error;
}

/* New wording for an open goal. */
int decide_goal_revise(struct decision *d, const state *st, const cw_action *a)
{
	const record *g = NULL;
	cJSON *p = d->payload;
	int error = 0;

	if ((error = decide_goal(&g, st, a->goal)) < 0)
		return error;
	if (a->text == NULL && a->measure == NULL)
		return cw_error_set(CW_EINVALID,
				    "give goal %s a new text, a new measure "
				    "(--measure), or both",
				    a->goal);
	if ((a->text != NULL && (error = decide_text(a->text, "goal")) < 0) ||
	    (a->measure != NULL &&
	     (error = decide_text(a->measure, "measurable criterion")) < 0))
		return error;
	d->type = event_name(EV_GOAL_REVISED);
	{
		char name[16];

		snprintf(name, sizeof(name), "G%d", g->number);
		decide_put_str(d, p, "goal", name);
	}
	decide_put_str(d, p, "text", a->text);
	decide_put_str(d, p, "measure", a->measure);
	return error;
}

/* Whether goal `goal` has an intervention; an evaluation needs one. */
static int has_intervention(const state *st, int goal)
{
	for (size_t i = 0; i < st->record_count; i++)
		if (st->records[i].kind == CW_RECORD_INTERVENTION &&
		    !st->records[i].struck && st->records[i].goal == goal)
			return 1;
	return 0;
}

/* Dropping an open goal, or an intervention or evaluation for it. */
int decide_on_goal(struct decision *d, const state *st, const cw_action *a)
{
	const record *g = NULL;
	cJSON *p = d->payload;
	char name[16];
	int error = 0;

	if ((error = decide_goal(&g, st, a->goal)) < 0)
		return error;
	snprintf(name, sizeof(name), "G%d", g->number);
	if (a->type == CW_ACT_GOAL_DROP) {
		if ((error = decide_text(a->reason, "reason (--reason)")) < 0)
			return error;
		d->type = event_name(EV_GOAL_DROPPED);
		decide_put_str(d, p, "goal", name);
		decide_put_str(d, p, "reason", a->reason);
		return error;
	}
	if (a->type == CW_ACT_INTERVENTION) {
		/* the UK spelling, as the UK cases write it */
		const char *type = NULL;

		if ((error = decide_one_of(
			 &type,
			 a->intervention_type != NULL &&
				 decide_same_but_case(a->intervention_type,
						      "counselling")
			     ? "counseling"
			     : a->intervention_type,
			 intervention_types, "intervention type (--type)")) <
			0 ||
		    (error = decide_text(a->text, "intervention")) < 0)
			return error;
		d->type = event_name(EV_INTERVENTION_ADDED);
		decide_next_name(d, st, CW_RECORD_INTERVENTION, p);
		decide_put_str(d, p, "goal", name);
		decide_put_str(d, p, "type", type);
	} else {
		const char *outcome = NULL;

		if ((error = decide_one_of(&outcome, a->outcome, outcomes,
					   "outcome (--outcome)")) < 0 ||
		    (error = decide_text(a->text, "evaluation")) < 0)
			return error;
		if (!has_intervention(st, g->number))
			return cw_error_set(
			    CW_EREFUSED,
			    "goal %s has no intervention to evaluate yet: "
			    "plan one first ('casework intervention add %s "
			    "--type TYPE \"TEXT\"')",
			    name, name);
		d->type = event_name(EV_EVALUATION_ADDED);
		decide_next_name(d, st, CW_RECORD_EVALUATION, p);
		decide_put_str(d, p, "goal", name);
		decide_put_str(d, p, "outcome", outcome);
	}
	decide_put_str(d, p, "text", a->text);
	return error;
}
