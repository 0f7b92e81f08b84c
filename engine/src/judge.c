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
		char none[240] = "", old[260] = "";

		if (nmissing > 0)
			snprintf(none, sizeof(none), "; %s %s none", missing,
				 nmissing == 1 ? "has" : "have");
		if (nstale > 0)
			snprintf(old, sizeof(old),
				 "; %s %s an evaluation from before %s latest "
				 "intervention",
				 stale, nstale == 1 ? "has" : "have",
				 nstale == 1 ? "its" : "their");
		snprintf(v->message, sizeof(v->message),
			 "needs an %s for every open goal%s%s%s", what,
			 cp->record == CW_RECORD_EVALUATION
			     ? ", after its latest intervention"
			     : "",
			 none, old);
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

size_t state_earlier_met(const state *st, size_t upto, unsigned char *met,
			 size_t max)
{
	size_t n = 0;

	for (size_t p = 0; p < upto && p < st->wf->phase_count; p++)
		for (size_t k = 0; k < state_checkpoint_count(st, p); k++) {
			verdict v;

			state_judge(st, state_checkpoint_at(st, p, k), &v);
			if (n < max)
				met[n] = (unsigned char)v.met;
			n++;
		}
	return n;
}

cJSON *state_newly_unmet_json(const state *st, size_t upto,
			      const unsigned char *before, size_t count)
{
	cJSON *list = cJSON_CreateArray();
	size_t n = 0;
	int ok = list != NULL;

	for (size_t p = 0; ok && p < upto && p < st->wf->phase_count; p++)
		for (size_t k = 0; ok && k < state_checkpoint_count(st, p);
		     k++, n++) {
			const cw_checkpoint *cp = state_checkpoint_at(st, p, k);
			cJSON *item;
			verdict v;

			if (n >= count || !before[n])
				continue;
			state_judge(st, cp, &v);
			if (v.met)
				continue;
			item = cJSON_CreateObject();
			ok = cJSON_AddItemToArray(list, item) &&
			     cJSON_AddStringToObject(item, "id", cp->id) &&
			     cJSON_AddStringToObject(item, "label",
						     cp->label) &&
			     cJSON_AddStringToObject(item, "phase",
						     st->wf->phases[p].id) &&
			     cJSON_AddStringToObject(item, "message",
						     v.message);
		}
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}

int state_stages_json(const state *st, const cw_checkpoint *cp, cJSON *item)
{
	cJSON *stages = cJSON_AddArrayToObject(item, "stages");
	int ok = stages != NULL;

	for (size_t i = 0; ok && i < cp->stage_count; i++) {
		const reflection_stage *r =
		    st ? state_reflection(st, cp->id, cp->stages[i]) : NULL;
		cJSON *stage = cJSON_CreateObject();

		ok = cJSON_AddItemToArray(stages, stage) &&
		     cJSON_AddStringToObject(stage, "id", cp->stages[i]);
		if (ok && cp->stage_help && cp->stage_help[i])
			ok = cJSON_AddStringToObject(stage, "help",
						     cp->stage_help[i]) != NULL;
		if (ok && st != NULL)
			ok = cJSON_AddBoolToObject(
				 stage, "met",
				 r && text_chars(r->text) >= cp->min_chars) !=
			     NULL;
	}
	return ok;
}

static const char *const approval_states[] = {
    [APPROVAL_NONE] = "not-requested",
    [APPROVAL_REQUESTED] = "requested",
    [APPROVAL_GRANTED] = "granted",
    [APPROVAL_RETURNED] = "returned",
};

int state_approval_json(const state *st, const cw_checkpoint *cp, cJSON *item)
{
	const approval *a = st ? state_approval(st, cp->id) : NULL;
	cJSON *o = cJSON_AddObjectToObject(item, "approval");
	approval_status status = a ? a->status : APPROVAL_NONE;
	int ok = o != NULL;

	/* a grant from before a client event reopened it asks again */
	if (status == APPROVAL_GRANTED && !state_approval_holds(st, cp))
		status = APPROVAL_NONE;
	ok = ok && cJSON_AddStringToObject(o, "state",
					   approval_states[status]) != NULL;
	if (ok && a != NULL) {
		const event_meta *m = &st->events[a->request_seq - 1];

		ok = cJSON_AddNumberToObject(o, "requested_seq",
					     (double)a->request_seq) &&
		     cJSON_AddStringToObject(o, "requested_at", m->at) &&
		     cJSON_AddStringToObject(o, "requested_by", m->actor) &&
		     cJSON_AddStringToObject(o, "request", a->request);
	}
	if (ok && a != NULL && a->decision_seq > 0) {
		const event_meta *m = &st->events[a->decision_seq - 1];

		ok = cJSON_AddNumberToObject(o, "decided_seq",
					     (double)a->decision_seq) &&
		     cJSON_AddStringToObject(o, "decided_at", m->at) &&
		     cJSON_AddStringToObject(o, "decided_by", m->actor) &&
		     cJSON_AddStringToObject(o, "decision", a->decision);
	}
	return ok;
}

/* The client event that added checkpoint `cp` to this session. */
static const char *added_by(const state *st, const cw_checkpoint *cp)
{
	for (size_t i = 0; i < st->touched_count; i++)
		if (st->touched[i].added && &st->touched[i].own == cp)
			return st->touched[i].event;
	return "?";
}

cJSON *state_checkpoints_json(const state *st, size_t phase, int unmet_only)
{
	size_t n = state_checkpoint_count(st, phase);
	cJSON *list = cJSON_CreateArray();
	int ok = list != NULL;

	/* every part is checked: a refused advance logs this list, and a
	 * blocker with a part missing must never be written */
	for (size_t k = 0; ok && k < n; k++) {
		const cw_checkpoint *cp = state_checkpoint_at(st, phase, k);
		const event_checkpoint *e = state_reopened(st, cp->id);
		cJSON *item;
		verdict v;

		state_judge(st, cp, &v);
		if (unmet_only && v.met)
			continue;
		item = cJSON_CreateObject();
		ok = cJSON_AddItemToArray(list, item) &&
		     cJSON_AddStringToObject(item, "id", cp->id) &&
		     cJSON_AddStringToObject(item, "label", cp->label) &&
		     cJSON_AddStringToObject(item, "kind",
					     cw_checkpoint_kind_name(cp->kind));
		if (ok && (cp->kind == CW_CHECKPOINT_COUNT ||
			   cp->kind == CW_CHECKPOINT_COVERAGE))
			ok = cJSON_AddStringToObject(
				 item, "record",
				 cw_record_kind_name(cp->record)) != NULL;
		if (ok && cp->tag != NULL)
			ok = cJSON_AddStringToObject(item, "tag", cp->tag) !=
			     NULL;
		if (ok && cp->kind == CW_CHECKPOINT_CHOICE) {
			cJSON *options =
			    cJSON_AddArrayToObject(item, "options");

			ok = options != NULL;
			for (size_t i = 0; ok && i < cp->option_count; i++)
				ok = cJSON_AddItemToArray(
				    options,
				    cJSON_CreateString(cp->options[i]));
		}
		if (ok && cp->kind == CW_CHECKPOINT_REFLECTION)
			ok = state_stages_json(st, cp, item);
		if (ok && cp->kind == CW_CHECKPOINT_APPROVAL)
			ok = state_approval_json(st, cp, item);
		ok = ok && cJSON_AddBoolToObject(item, "met", v.met) &&
		     cJSON_AddNumberToObject(item, "have", v.have) &&
		     cJSON_AddNumberToObject(item, "need", v.need) &&
		     cJSON_AddStringToObject(item, "message", v.message);
		if (ok && !v.met)
			ok = cJSON_AddStringToObject(item, "command",
						     v.command) != NULL;
		if (ok && cp->help != NULL)
			ok = cJSON_AddStringToObject(item, "help", cp->help) !=
			     NULL;
		if (ok && k >= st->wf->phases[phase].checkpoint_count)
			ok = cJSON_AddStringToObject(
				 item, "added_by",
				 added_by(st, cp)) != NULL;
		if (ok && e != NULL)
			ok = cJSON_AddStringToObject(item, "reopened_by",
						     e->event) != NULL;
	}
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}

cJSON *state_rubric_json(const cw_phase *ph)
{
	cJSON *list = cJSON_CreateArray();
	int ok = list != NULL;

	for (size_t k = 0; ok && k < ph->rubric_count; k++) {
		const cw_criterion *cr = &ph->rubric[k];
		cJSON *item = cJSON_CreateObject(), *levels;

		ok = cJSON_AddItemToArray(list, item) &&
		     cJSON_AddStringToObject(item, "id", cr->id) &&
		     cJSON_AddStringToObject(item, "label", cr->label);
		levels = ok ? cJSON_AddArrayToObject(item, "levels") : NULL;
		ok = levels != NULL;
		for (int l = 0; ok && l < 4; l++)
			ok = cJSON_AddItemToArray(
			    levels, cJSON_CreateString(cr->levels[l]));
	}
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}
