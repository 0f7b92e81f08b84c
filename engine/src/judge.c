/*
 * judge.c - judging checkpoints on a replayed state: whether each holds,
 * what it has and needs, and the command that would meet it.  It reads
 * the records and statements state.c gathered, never events.
 */
#include <stdio.h>
#include <string.h>

#include "state.h"
#include "text.h"

static const char letters[CW_RECORD_KIND_COUNT] = {
    [CW_RECORD_NOTE] = 'N',	  [CW_RECORD_OBJECTIVE] = 'O',
    [CW_RECORD_GOAL] = 'G',	  [CW_RECORD_INTERVENTION] = 'I',
    [CW_RECORD_EVALUATION] = 'E', [CW_RECORD_REFERRAL] = 'R',
};

char record_letter(cw_record_kind kind)
{
	return letters[kind];
}

static const answer *find_answer(const state *st, const char *checkpoint)
{
	for (size_t i = 0; i < st->answer_count; i++)
		if (strcmp(st->answers[i].checkpoint, checkpoint) == 0)
			return &st->answers[i];
	return NULL;
}

static const char *plural(cw_record_kind kind)
{
	switch (kind) {
	case CW_RECORD_NOTE:
		return "notes";
	case CW_RECORD_OBJECTIVE:
		return "objectives";
	case CW_RECORD_GOAL:
		return "goals";
	case CW_RECORD_INTERVENTION:
		return "interventions";
	case CW_RECORD_EVALUATION:
		return "evaluations";
	default:
		return "referrals";
	}
}

/* The command that adds a record of `kind` (for goal `goal` if > 0). */
static void add_command(char *out, size_t size, cw_record_kind kind,
			const char *tag, int goal)
{
	switch (kind) {
	case CW_RECORD_NOTE:
		if (tag != NULL)
			snprintf(out, size, "casework note --tag %s \"TEXT\"",
				 tag);
		else
			snprintf(out, size, "casework note \"TEXT\"");
		break;
	case CW_RECORD_OBJECTIVE:
		snprintf(out, size, "casework objective add \"TEXT\"");
		break;
	case CW_RECORD_GOAL:
		snprintf(out, size,
			 "casework goal add --term short|long --measure "
			 "\"CRITERION\" \"TEXT\"");
		break;
	case CW_RECORD_INTERVENTION:
		snprintf(out, size,
			 "casework intervention add G%d --type TYPE \"TEXT\"",
			 goal > 0 ? goal : 1);
		break;
	case CW_RECORD_EVALUATION:
		snprintf(out, size,
			 "casework evaluation add G%d --outcome "
			 "achieved|partial|not-achieved \"TEXT\"",
			 goal > 0 ? goal : 1);
		break;
	default:
		snprintf(out, size, "casework referral add \"TEXT\"");
		break;
	}
}

/* The client event that reopened `cp` last: only what was done after it
 * counts; 0 when no event reopened it. */
static long since(const state *st, const cw_checkpoint *cp)
{
	const event_checkpoint *e = state_reopened(st, cp->id);

	return e ? e->seq : 0;
}

static void judge_count(const state *st, const cw_checkpoint *cp, verdict *v)
{
	long after = since(st, cp);

	v->need = cp->min;
	for (size_t i = 0; i < st->record_count; i++) {
		const record *r = &st->records[i];

		if (r->kind != cp->record || r->dropped || r->struck ||
		    r->seq <= after)
			continue;
		if (cp->tag != NULL && !record_has_tag(r, cp->tag))
			continue;
		v->have++;
	}
	v->met = v->have >= v->need;
	if (cp->tag != NULL)
		snprintf(v->message, sizeof(v->message),
			 "needs %d note%s tagged '%s', has %d", cp->min,
			 cp->min == 1 ? "" : "s", cp->tag, v->have);
	else
		snprintf(v->message, sizeof(v->message),
			 "needs %d %s%s, has %d", cp->min,
			 cp->min == 1 ? cw_record_kind_name(cp->record)
				      : plural(cp->record),
			 cp->record == CW_RECORD_GOAL ? " (open)" : "",
			 v->have);
	add_command(v->command, sizeof(v->command), cp->record, cp->tag, 0);
}

/*
 * Whether goal `goal` is covered by a record of `kind` made after event
 * `after` (a client event that reopened the checkpoint; 0: none): any
 * intervention on it; or an evaluation made after its latest
 * intervention, since a new intervention (after a revisit) has not been
 * evaluated yet.
 */
static int covers(const state *st, cw_record_kind kind, int goal, long after)
{
	long latest = after;
	int intervened = 0;

	if (kind == CW_RECORD_EVALUATION) {
		for (size_t k = 0; k < st->record_count; k++) {
			if (st->records[k].kind != CW_RECORD_INTERVENTION ||
			    st->records[k].struck ||
			    st->records[k].goal != goal)
				continue;
			intervened = 1;
			if (st->records[k].seq > latest)
				latest = st->records[k].seq;
		}
		if (!intervened)
			return 0;
	}
	for (size_t k = 0; k < st->record_count; k++)
		if (st->records[k].kind == kind && !st->records[k].struck &&
		    st->records[k].goal == goal && st->records[k].seq > latest)
			return 1;
	return 0;
}

/* Whether goal `goal` has any record of `kind`, not struck. */
static int has_any(const state *st, cw_record_kind kind, int goal)
{
	for (size_t k = 0; k < st->record_count; k++)
		if (st->records[k].kind == kind && !st->records[k].struck &&
		    st->records[k].goal == goal)
			return 1;
	return 0;
}

/* Add "G3" to the list `list` (`size` bytes). */
static void list_goal(char *list, size_t size, int goal)
{
	size_t len = strlen(list);

	snprintf(list + len, size - len, "%sG%d", len ? ", " : "", goal);
}

static void judge_coverage(const state *st, const cw_checkpoint *cp, verdict *v)
{
	const char *what = cw_record_kind_name(cp->record);
	char missing[200] = "", stale[200] = "";
	int first_missing = 0, nstale = 0;

	for (size_t i = 0; i < st->record_count; i++) {
		const record *g = &st->records[i];
		int covered = 0;

		if (g->kind != CW_RECORD_GOAL || g->dropped || g->struck)
			continue;
		v->need++;
		covered = covers(st, cp->record, g->number, since(st, cp));
		if (covered) {
			v->have++;
			continue;
		}
		if (first_missing == 0)
			first_missing = g->number;
		/* an evaluation from before the goal's latest intervention
		 * is out of date, not missing */
		if (cp->record == CW_RECORD_EVALUATION &&
		    has_any(st, CW_RECORD_EVALUATION, g->number) &&
		    has_any(st, CW_RECORD_INTERVENTION, g->number)) {
			list_goal(stale, sizeof(stale), g->number);
			nstale++;
		} else {
			list_goal(missing, sizeof(missing), g->number);
		}
	}
	if (v->need == 0) {
		snprintf(v->message, sizeof(v->message),
			 "needs an %s for every open goal, and there are no "
			 "open goals",
			 what);
		snprintf(v->command, sizeof(v->command),
			 "casework goal add --term short|long --measure "
			 "\"CRITERION\" \"TEXT\"");
		return;
	}
	v->met = v->have == v->need;
	if (v->met)
		snprintf(v->message, sizeof(v->message),
			 "every open goal (%d) has an %s", v->need, what);
	else {
		int nmissing = v->need - v->have - nstale;
		size_t len, size = sizeof(v->message);

		snprintf(v->message, size, "needs an %s for every open goal%s",
			 what,
			 cp->record == CW_RECORD_EVALUATION
			     ? ", after its latest intervention"
			     : "");
		len = strlen(v->message);
		if (nmissing > 0)
			snprintf(v->message + len, size - len, "; %s %s none",
				 missing, nmissing == 1 ? "has" : "have");
		len = strlen(v->message);
		if (nstale > 0)
			snprintf(v->message + len, size - len,
				 "; %s %s an evaluation from before %s latest "
				 "intervention",
				 stale, nstale == 1 ? "has" : "have",
				 nstale == 1 ? "its" : "their");
	}
	add_command(v->command, sizeof(v->command), cp->record, NULL,
		    first_missing);
}

static void judge_statement(const state *st, const cw_checkpoint *cp,
			    verdict *v)
{
	const answer *a = find_answer(st, cp->id);
	int chosen = cp->kind == CW_CHECKPOINT_CHOICE;
	char options[120] = "";

	for (size_t i = 0; i < cp->option_count; i++) {
		size_t len = strlen(options);

		snprintf(options + len, sizeof(options) - len, "%s%s",
			 i ? "|" : "", cp->options[i]);
	}
	v->need = cp->min_chars;
	if (a != NULL && a->seq <= since(st, cp))
		a = NULL; /* stated before a client event reopened it */
	v->have = a ? text_chars(a->text) : 0;
	v->met = a != NULL && v->have >= v->need;
	if (chosen) {
		snprintf(v->command, sizeof(v->command),
			 "casework choose %s %s \"RATIONALE\"", cp->id,
			 options);
		if (v->met)
			snprintf(v->message, sizeof(v->message), "chose '%s'",
				 a->value ? a->value : "?");
		else
			snprintf(v->message, sizeof(v->message),
				 "needs a choice of %s with a rationale of at "
				 "least %d characters",
				 options, cp->min_chars);
	} else {
		snprintf(v->command, sizeof(v->command),
			 "casework check %s \"WHAT YOU DID\"", cp->id);
		if (v->met)
			snprintf(v->message, sizeof(v->message), "confirmed");
		else
			snprintf(v->message, sizeof(v->message),
				 "needs a statement of what was done, at least "
				 "%d characters",
				 cp->min_chars);
	}
}

/* A reflection: every stage written, each at least min_chars long. */
static void judge_reflection(const state *st, const cw_checkpoint *cp,
			     verdict *v)
{
	const char *first = NULL;

	v->need = (int)cp->stage_count;
	for (size_t i = 0; i < cp->stage_count; i++) {
		const reflection_stage *r =
		    state_reflection(st, cp->id, cp->stages[i]);

		if (r != NULL && text_chars(r->text) >= cp->min_chars)
			v->have++;
		else if (first == NULL)
			first = cp->stages[i];
	}
	v->met = v->have == v->need;
	if (v->met) {
		snprintf(v->message, sizeof(v->message),
			 "every stage (%d) written", v->need);
		return;
	}
	snprintf(v->message, sizeof(v->message),
		 "needs each of %d stages in at least %d characters, has "
		 "%d; next: '%s'",
		 v->need, cp->min_chars, v->have, first);
	snprintf(v->command, sizeof(v->command),
		 "casework reflect %s \"TEXT\"", first);
}

/* An approval: the latest decision on the latest request is a grant
 * this database trusts. */
static void judge_approval(const state *st, const cw_checkpoint *cp,
			   verdict *v)
{
	const approval *a = state_approval(st, cp->id);
	const event_meta *req = a ? &st->events[a->request_seq - 1] : NULL;
	const event_meta *dec =
	    a && a->decision_seq ? &st->events[a->decision_seq - 1] : NULL;

	v->need = 1;
	v->met = v->have = state_approval_holds(st, cp);
	snprintf(v->command, sizeof(v->command),
		 "casework approval request %s \"TEXT\"", cp->id);
	if (a == NULL)
		snprintf(v->message, sizeof(v->message),
			 "not requested: ask an instructor to sign it off");
	else if (v->met)
		snprintf(v->message, sizeof(v->message), "granted by %s: %s",
			 dec->actor, a->decision);
	else if (a->status == APPROVAL_GRANTED)
		snprintf(v->message, sizeof(v->message),
			 "granted by %s before the case changed; ask again",
			 dec->actor);
	else if (a->status == APPROVAL_RETURNED)
		snprintf(v->message, sizeof(v->message),
			 "returned by %s: %s; make the changes and ask again",
			 dec->actor, a->decision);
	else {
		snprintf(v->message, sizeof(v->message),
			 "requested by %s at %s; waiting for an instructor",
			 req->actor, req->at);
		snprintf(v->command, sizeof(v->command),
			 "casework export --format bundle -o FILE (hand it "
			 "in for sign-off)");
	}
}

/* An unmet checkpoint a client event reopened says so. */
static void reopened_message(const state *st, const cw_checkpoint *cp,
			     verdict *v)
{
	const event_checkpoint *e = state_reopened(st, cp->id);
	char why[sizeof(v->message)];
	size_t m;
	int n;

	if (e == NULL || v->met)
		return;
	n = snprintf(why, sizeof(why), "reopened by client event '%s'; ",
		     e->event);

	if (n < 0 || (size_t)n >= sizeof(why))
		return;
	/* the event's name first, then as much of the reason as fits */
	m = strlen(v->message);
	if (m > sizeof(why) - 1 - (size_t)n)
		m = sizeof(why) - 1 - (size_t)n;
	memcpy(why + n, v->message, m);
	why[(size_t)n + m] = '\0';
	memcpy(v->message, why, sizeof(why));
}

void state_judge(const state *st, const cw_checkpoint *cp, verdict *v)
{
	memset(v, 0, sizeof(*v));
	switch (cp->kind) {
	case CW_CHECKPOINT_COUNT:
		judge_count(st, cp, v);
		break;
	case CW_CHECKPOINT_COVERAGE:
		judge_coverage(st, cp, v);
		break;
	case CW_CHECKPOINT_REFLECTION:
		judge_reflection(st, cp, v);
		break;
	case CW_CHECKPOINT_APPROVAL:
		judge_approval(st, cp, v);
		break;
	default:
		judge_statement(st, cp, v);
		break;
	}
	reopened_message(st, cp, v);
}

void state_progress(const state *st, int *met, int *total)
{
	*met = *total = 0;
	for (size_t p = 0; p < st->wf->phase_count; p++) {
		size_t n = state_checkpoint_count(st, p);

		for (size_t k = 0; k < n; k++) {
			verdict v;

			state_judge(st, state_checkpoint_at(st, p, k), &v);
			*met += v.met;
			(*total)++;
		}
	}
}
