/*
 * decide_teach.c - the acts that let a student mend and reflect on their
 * work: correcting a record or a statement, striking a record, and
 * writing a stage of a reflection; and asking for sign-off, which an
 * instructor grants or returns.  Nothing is erased: each is a new
 * event, and the log keeps what it changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "text.h"

/* The record `name` names, not struck; or an error naming what exists. */
static int live_record(const record **out, const state *st, const char *name)
{
	const record *r = state_named(st, name);

	if (r == NULL)
		return cw_error_set(CW_ENOTFOUND,
				    "no record '%s' in this session (records "
				    "are named N1, O1, G1, I1, E1, R1; see "
				    "'casework note list', 'goal list')",
				    name ? name : "");
	if (r->struck)
		return cw_error_set(CW_EREFUSED,
				    "%c%d was struck (%s); it cannot be "
				    "changed",
				    record_letter(r->kind), r->number,
				    r->strike_reason ? r->strike_reason : "");
	*out = r;
	return 0;
}

/* Whether `name` has the shape of a record's name: a letter, then a
 * number (N1, g12); anything else is meant as a checkpoint. */
static int record_shaped(const char *name)
{
	return name[0] != '\0' && strchr("NOGIERnogier", name[0]) != NULL &&
	       name[1] != '\0' &&
	       strspn(name + 1, "0123456789") == strlen(name + 1);
}

/* The record's canonical name ("n2" -> "N2"). */
static void put_name(struct decision *d, const record *r)
{
	char name[16];

	snprintf(name, sizeof(name), "%c%d", record_letter(r->kind),
		 r->number);
	decide_put_str(d, d->payload, "record", name);
}

/* The statement of a confirm or choice checkpoint, corrected. */
static int correct_statement(struct decision *d, const state *st,
			     const cw_action *a, const cw_checkpoint *cp)
{
	int found = 0;

	if (cp->kind != CW_CHECKPOINT_CONFIRM &&
	    cp->kind != CW_CHECKPOINT_CHOICE)
		return cw_error_set(CW_EINVALID,
				    "checkpoint '%s' is a %s checkpoint: it "
				    "holds no statement to correct",
				    cp->id, cw_checkpoint_kind_name(cp->kind));
	for (size_t i = 0; i < st->answer_count; i++)
		found |= strcmp(st->answers[i].checkpoint, cp->id) == 0;
	if (!found)
		return cw_error_set(CW_ENOTFOUND,
				    "checkpoint '%s' has no statement yet to "
				    "correct",
				    cp->id);
	if (text_chars(a->text) < cp->min_chars)
		return cw_error_set(CW_EINVALID,
				    "checkpoint '%s' needs at least %d "
				    "characters; the correction has %d",
				    cp->id, cp->min_chars,
				    text_chars(a->text));
	decide_put_str(d, d->payload, "checkpoint", cp->id);
	return 0;
}

/* A new text for a record or a statement, with the reason. */
int decide_correct(struct decision *d, const state *st, const cw_action *a)
{
	const cw_checkpoint *cp =
	    a->record ? cw_workflow_checkpoint(st->wf, a->record, NULL) : NULL;
	const record *r = NULL;
	int error;

	if ((error = decide_text(a->text, "corrected text")) < 0 ||
	    (error = decide_text(a->reason, "reason (--reason)")) < 0)
		return error;
	if (cp != NULL) {
		if ((error = correct_statement(d, st, a, cp)) < 0)
			return error;
	} else if (a->record != NULL && !record_shaped(a->record)) {
		size_t phase;

		/* a mistyped checkpoint: its did-you-mean, not the list
		 * of record names */
		return decide_find_checkpoint(&cp, &phase, st, a->record);
	} else {
		if ((error = live_record(&r, st, a->record)) < 0)
			return error;
		if (r->kind == CW_RECORD_GOAL && r->dropped)
			return cw_error_set(CW_EREFUSED,
					    "goal G%d was dropped; it cannot "
					    "be corrected",
					    r->number);
		put_name(d, r);
	}
	d->type = event_name(EV_RECORD_CORRECTED);
	decide_put_str(d, d->payload, "text", a->text);
	decide_put_str(d, d->payload, "reason", a->reason);
	return 0;
}

/* A record withdrawn, with the reason: no checkpoint counts it. */
int decide_strike(struct decision *d, const state *st, const cw_action *a)
{
	const record *r = NULL;
	int error;

	if (a->record != NULL &&
	    cw_workflow_checkpoint(st->wf, a->record, NULL) != NULL)
		return cw_error_set(CW_EINVALID,
				    "'%s' is a checkpoint: a statement is "
				    "corrected ('casework correct %s \"TEXT\" "
				    "--reason \"WHY\"'), not struck",
				    a->record, a->record);
	if ((error = live_record(&r, st, a->record)) < 0 ||
	    (error = decide_text(a->reason, "reason (--reason)")) < 0)
		return error;
	d->type = event_name(EV_RECORD_STRUCK);
	put_name(d, r);
	decide_put_str(d, d->payload, "reason", a->reason);
	return 0;
}

/* The reflection checkpoint of phase `phase` with stage `stage`. */
static const cw_checkpoint *stage_in(const cw_phase *ph, const char *stage)
{
	for (size_t k = 0; k < ph->checkpoint_count; k++) {
		const cw_checkpoint *cp = &ph->checkpoints[k];

		for (size_t i = 0; cp->kind == CW_CHECKPOINT_REFLECTION &&
				   stage != NULL && i < cp->stage_count;
		     i++)
			if (strcmp(cp->stages[i], stage) == 0)
				return cp;
	}
	return NULL;
}

/* One stage of a reflection checkpoint of the current phase. */
int decide_reflect(struct decision *d, const state *st, const cw_action *a)
{
	const cw_phase *here = &st->wf->phases[st->phase];
	const cw_checkpoint *cp = stage_in(here, a->stage);
	char stages[300] = "";
	text_near n = { a->stage ? a->stage : "", NULL, 99 };
	const char *near;
	int error;

	if (cp == NULL) {
		for (size_t p = 0; p < st->wf->phase_count; p++) {
			const cw_phase *ph = &st->wf->phases[p];

			if (stage_in(ph, a->stage) != NULL)
				return cw_error_set(
				    CW_EREFUSED,
				    "stage '%s' belongs to phase '%s'; the "
				    "session is in '%s'",
				    a->stage, ph->id, here->id);
			for (size_t k = 0; k < ph->checkpoint_count; k++) {
				const cw_checkpoint *c = &ph->checkpoints[k];

				for (size_t i = 0;
				     c->kind == CW_CHECKPOINT_REFLECTION &&
				     i < c->stage_count;
				     i++) {
					size_t len = strlen(stages);

					text_near_consider(&n, c->stages[i]);
					snprintf(stages + len,
						 sizeof(stages) - len, "%s%s",
						 len ? ", " : "", c->stages[i]);
				}
			}
		}
		near = text_near_result(&n);
		return cw_error_set(CW_ENOTFOUND,
				    "no reflection stage '%s' in workflow "
				    "'%s'%s%s%s (its stages: %s)",
				    a->stage ? a->stage : "", st->wf->id,
				    near ? "; did you mean '" : "",
				    near ? near : "", near ? "'?" : "",
				    *stages ? stages : "none");
	}
	if ((error = decide_text(a->text, "reflection")) < 0)
		return error;
	if (text_chars(a->text) < cp->min_chars)
		return cw_error_set(CW_EINVALID,
				    "stage '%s' of '%s' needs at least %d "
				    "characters; this has %d",
				    a->stage, cp->id, cp->min_chars,
				    text_chars(a->text));
	d->type = event_name(EV_REFLECTION_ADDED);
	decide_put_str(d, d->payload, "checkpoint", cp->id);
	decide_put_str(d, d->payload, "stage", a->stage);
	decide_put_str(d, d->payload, "text", a->text);
	return 0;
}

/* Approval checkpoint `id` of this session; `*phase` receives its phase.
 * Unknown: not found, with the nearest id; another kind: refused. */
static int approval_checkpoint(const cw_checkpoint **out, size_t *phase,
			       const state *st, const char *id)
{
	const cw_checkpoint *cp;
	int error;

	if ((error = decide_find_checkpoint(&cp, phase, st, id)) < 0)
		return error;
	if (cp->kind != CW_CHECKPOINT_APPROVAL)
		return cw_error_set(CW_EREFUSED,
				    "checkpoint '%s' is a %s checkpoint, not "
				    "an approval: it needs no sign-off",
				    id, cw_checkpoint_kind_name(cp->kind));
	*out = cp;
	return 0;
}

/* A student asks for sign-off of an approval checkpoint of the current
 * phase: once, until an instructor decides; again after a return. */
int decide_approval_request(struct decision *d, const state *st,
			    const cw_action *a)
{
	const cw_checkpoint *cp = NULL;
	const approval *ap;
	size_t phase = 0;
	int error;

	if ((error = approval_checkpoint(&cp, &phase, st, a->checkpoint)) < 0)
		return error;
	if (phase != st->phase)
		return cw_error_set(CW_EREFUSED,
				    "checkpoint '%s' belongs to phase '%s'; "
				    "the session is in '%s'",
				    cp->id, st->wf->phases[phase].id,
				    st->wf->phases[st->phase].id);
	ap = state_approval(st, cp->id);
	if (ap != NULL && ap->status == APPROVAL_REQUESTED)
		return cw_error_set(CW_EREFUSED,
				    "sign-off of '%s' was already requested "
				    "(event %ld); an instructor has yet to "
				    "grant or return it",
				    cp->id, ap->request_seq);
	if (state_approval_holds(st, cp))
		return cw_error_set(CW_EREFUSED,
				    "'%s' is already signed off (event %ld)",
				    cp->id, ap->decision_seq);
	if ((error = decide_text(a->text, "request")) < 0)
		return error;
	d->type = event_name(EV_APPROVAL_REQUESTED);
	decide_put_str(d, d->payload, "checkpoint", cp->id);
	decide_put_str(d, d->payload, "text", a->text);
	return 0;
}

/* An instructor grants the pending request, or returns it: needs
 * changes, and the student asks again. */
int decide_approval_decide(struct decision *d, const state *st,
			   const cw_action *a)
{
	const cw_checkpoint *cp = NULL;
	const approval *ap;
	size_t phase = 0;
	int error;

	if ((error = approval_checkpoint(&cp, &phase, st, a->checkpoint)) < 0)
		return error;
	ap = state_approval(st, cp->id);
	if (ap == NULL || ap->status != APPROVAL_REQUESTED)
		return cw_error_set(CW_EREFUSED,
				    "no sign-off of '%s' is pending: the "
				    "student asks first ('casework approval "
				    "request %s \"TEXT\"')",
				    cp->id, cp->id);
	if ((error = decide_text(a->text, a->type == CW_ACT_APPROVAL_GRANT
						? "grant"
						: "reason for the return")) <
	    0)
		return error;
	d->type = event_name(a->type == CW_ACT_APPROVAL_GRANT
				 ? EV_APPROVAL_GRANTED
				 : EV_APPROVAL_RETURNED);
	decide_put_str(d, d->payload, "checkpoint", cp->id);
	decide_put_str(d, d->payload, "text", a->text);
	return 0;
}
