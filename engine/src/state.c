/*
 * state.c - replaying a session's events and judging its checkpoints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "event.h"
#include "state.h"

static const char letters[CW_RECORD_KIND_COUNT] = {
	[CW_RECORD_NOTE] = 'N',	      [CW_RECORD_OBJECTIVE] = 'O',
	[CW_RECORD_GOAL] = 'G',	      [CW_RECORD_INTERVENTION] = 'I',
	[CW_RECORD_EVALUATION] = 'E', [CW_RECORD_REFERRAL] = 'R',
};

char record_letter(cw_record_kind kind)
{
	return letters[kind];
}

int state_init(state *st, cw_workflow *wf)
{
	memset(st, 0, sizeof(*st));
	st->wf = wf;
	for (int k = 0; k < CW_RECORD_KIND_COUNT; k++)
		st->next[k] = 1;
	st->payloads = cJSON_CreateArray();
	strcpy(st->head, "");
	return st->payloads ? 0 : cw_error_set(CW_ERROR, "out of memory");
}

void state_clear(state *st)
{
	if (!st->wf_borrowed)
		cw_workflow_free(st->wf);
	free(st->records);
	free(st->answers);
	free(st->event_phase);
	cJSON_Delete(st->payloads);
	memset(st, 0, sizeof(*st));
}

int text_chars(const char *s)
{
	const char *end;
	int n = 0;

	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (; s < end; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* "G12" -> 12 when the letter is `letter`; 0 otherwise. */
static int record_number(const char *name, char letter)
{
	char *end;
	long n;

	if (name == NULL || name[0] != letter || name[1] < '1' || name[1] > '9')
		return 0;
	n = strtol(name + 1, &end, 10);
	return *end == '\0' && n > 0 && n < 1000000 ? (int)n : 0;
}

const record *state_record(const state *st, cw_record_kind kind, int number)
{
	for (size_t i = 0; i < st->record_count; i++)
		if (st->records[i].kind == kind &&
		    st->records[i].number == number)
			return &st->records[i];
	return NULL;
}

static record *add_record(state *st, cw_record_kind kind, const cJSON *p,
			  long seq)
{
	record *r;
	int number = kind == CW_RECORD_NOTE
			     ? st->next[kind]
			     : record_number(str(p, "id"), letters[kind]);

	/* numbers are given in order; a gap or repeat means a damaged log */
	if (number != st->next[kind])
		return NULL;
	if (st->record_count == st->record_cap) {
		size_t cap = st->record_cap ? st->record_cap * 2 : 32;
		record *grown = realloc(st->records, cap * sizeof(*grown));

		if (grown == NULL)
			return NULL;
		st->records = grown;
		st->record_cap = cap;
	}
	r = &st->records[st->record_count++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->number = number;
	r->seq = seq;
	r->text = str(p, "text");
	st->next[kind]++;
	return r;
}

static int set_answer(state *st, const cJSON *p, long seq)
{
	const char *cp = str(p, "checkpoint");
	answer *a = NULL;

	if (cp == NULL || str(p, "text") == NULL)
		return CW_ERROR;
	for (size_t i = 0; i < st->answer_count; i++)
		if (strcmp(st->answers[i].checkpoint, cp) == 0)
			a = &st->answers[i];
	if (a == NULL) {
		if (st->answer_count == st->answer_cap) {
			size_t cap = st->answer_cap ? st->answer_cap * 2 : 16;
			answer *grown = realloc(st->answers, cap * sizeof(*grown));

			if (grown == NULL)
				return CW_ERROR;
			st->answers = grown;
			st->answer_cap = cap;
		}
		a = &st->answers[st->answer_count++];
	}
	a->checkpoint = cp;
	a->value = str(p, "value");
	a->text = str(p, "text");
	a->seq = seq;
	return 0;
}

static const answer *find_answer(const state *st, const char *checkpoint)
{
	for (size_t i = 0; i < st->answer_count; i++)
		if (strcmp(st->answers[i].checkpoint, checkpoint) == 0)
			return &st->answers[i];
	return NULL;
}

/* The goal named in `p` under `key`, if it exists and is open. */
static record *open_goal(state *st, const cJSON *p, const char *key)
{
	int n = record_number(str(p, key), 'G');
	record *g = (record *)state_record(st, CW_RECORD_GOAL, n);

	return g != NULL && !g->dropped ? g : NULL;
}

/* 1 when every checkpoint of the current phase holds. */
static int phase_clear(const state *st)
{
	const cw_phase *ph = &st->wf->phases[st->phase];

	for (size_t k = 0; k < ph->checkpoint_count; k++) {
		verdict v;

		state_judge(st, &ph->checkpoints[k], &v);
		if (!v.met)
			return 0;
	}
	return 1;
}

/*
 * Move to the phase named by the payload's "to", if the workflow allows
 * that move from here: replay holds a log to the same rules as the
 * commands that wrote it, so a forged move does not replay.
 */
static int move_to(state *st, event_type type, const cJSON *p)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	const char *to = str(p, "to"), *from = str(p, "from");
	int i = to ? cw_workflow_phase_index(st->wf, to) : -1;
	size_t last = st->wf->phase_count - 1;
	int allowed = 0;

	if (i < 0 || from == NULL || strcmp(from, ph->id) != 0)
		return CW_ERROR;
	if (type == EV_PHASE_ADVANCED) {
		allowed = (size_t)i == st->phase + 1 && phase_clear(st);
	} else if (type == EV_SESSION_TERMINATED) {
		allowed = (size_t)i == last && st->phase != last;
	} else {
		for (size_t k = 0; k < ph->revisit_count; k++)
			allowed |= ph->revisit[k] == (size_t)i;
	}
	if (!allowed)
		return CW_ERROR;
	st->phase = (size_t)i;
	return 0;
}

/* A statement for a checkpoint of the current phase, of the right kind. */
static int answer_here(state *st, const cJSON *p, long seq, int choice)
{
	size_t phase;
	const char *id = str(p, "checkpoint");
	const cw_checkpoint *cp = id ? cw_workflow_checkpoint(st->wf, id, &phase)
				     : NULL;

	if (cp == NULL || phase != st->phase ||
	    cp->kind != (choice ? CW_CHECKPOINT_CHOICE : CW_CHECKPOINT_CONFIRM))
		return CW_ERROR;
	return set_answer(st, p, seq);
}

/* Change the state by one event whose payload is `p`. */
static int apply(state *st, const event_row *ev, const cJSON *p)
{
	event_type t = event_type_of(ev->type);
	record *r;

	switch (t) {
	case EV_SESSION_STARTED:
		return ev->seq == 1 ? 0 : CW_ERROR;
	case EV_NOTE_ADDED:
		r = add_record(st, CW_RECORD_NOTE, p, ev->seq);
		if (r == NULL)
			return CW_ERROR;
		r->tag = str(p, "tag");
		return 0;
	case EV_OBJECTIVE_ADDED:
		return add_record(st, CW_RECORD_OBJECTIVE, p, ev->seq) ? 0
								     : CW_ERROR;
	case EV_REFERRAL_ADDED:
		return add_record(st, CW_RECORD_REFERRAL, p, ev->seq) ? 0
								    : CW_ERROR;
	case EV_GOAL_ADDED:
		r = add_record(st, CW_RECORD_GOAL, p, ev->seq);
		if (r == NULL)
			return CW_ERROR;
		r->term = str(p, "term");
		r->measure = str(p, "measure");
		return 0;
	case EV_GOAL_REVISED:
		r = open_goal(st, p, "goal");
		if (r == NULL)
			return CW_ERROR;
		r->text = str(p, "text") ? str(p, "text") : r->text;
		r->measure = str(p, "measure") ? str(p, "measure") : r->measure;
		return 0;
	case EV_GOAL_DROPPED:
		r = open_goal(st, p, "goal");
		if (r == NULL)
			return CW_ERROR;
		r->dropped = 1;
		r->drop_reason = str(p, "reason");
		return 0;
	case EV_INTERVENTION_ADDED:
	case EV_EVALUATION_ADDED: {
		record *g = open_goal(st, p, "goal");

		if (g == NULL)
			return CW_ERROR;
		r = add_record(st, t == EV_INTERVENTION_ADDED
					   ? CW_RECORD_INTERVENTION
					   : CW_RECORD_EVALUATION,
			       p, ev->seq);
		if (r == NULL)
			return CW_ERROR;
		r->goal = g->number;
		r->type = str(p, "type");
		r->outcome = str(p, "outcome");
		return 0;
	}
	case EV_CHECKPOINT_CONFIRMED:
	case EV_CHECKPOINT_CHOSEN:
		return answer_here(st, p, ev->seq, t == EV_CHECKPOINT_CHOSEN);
	case EV_PHASE_ADVANCED:
	case EV_PHASE_REVISITED:
	case EV_SESSION_TERMINATED:
		return move_to(st, t, p);
	case EV_SESSION_CLOSED:
		if (st->phase + 1 != st->wf->phase_count || !phase_clear(st))
			return CW_ERROR;
		st->closed = 1;
		return 0;
	case EV_FEEDBACK_ADDED:
		return str(p, "text") != NULL ? 0 : CW_ERROR;
	case EV_ADVANCE_REFUSED:
		return 0;
	case EV_UNKNOWN:
	case EV_TYPE_COUNT:
		break;
	}
	return CW_ERROR;
}

int state_apply(state *st, const event_row *ev)
{
	cJSON *p = cJSON_Parse(ev->payload);
	int error;

	if (p == NULL)
		return cw_error_set(CW_ERROR,
				    "event %ld of session %s has a payload that "
				    "is not JSON",
				    ev->seq, ev->session);
	cJSON_AddItemToArray(st->payloads, p);
	if (ev->seq != st->seq + 1)
		return cw_error_set(CW_ERROR,
				    "event %ld of session %s is out of "
				    "sequence (expected %ld)",
				    ev->seq, ev->session, st->seq + 1);
	if (st->closed && event_type_of(ev->type) != EV_FEEDBACK_ADDED)
		return cw_error_set(CW_ERROR,
				    "event %ld of session %s changes a closed "
				    "session",
				    ev->seq, ev->session);
	if (ev->phase == NULL ||
	    strcmp(ev->phase, st->wf->phases[st->phase].id) != 0)
		return cw_error_set(CW_ERROR,
				    "event %ld of session %s says it happened in "
				    "phase %s, but the session was in %s",
				    ev->seq, ev->session,
				    ev->phase ? ev->phase : "?",
				    st->wf->phases[st->phase].id);
	if ((size_t)ev->seq > st->event_cap) {
		size_t cap = st->event_cap ? st->event_cap * 2 : 64;
		size_t *grown = realloc(st->event_phase, cap * sizeof(*grown));

		if (grown == NULL)
			return cw_error_set(CW_ERROR, "out of memory");
		st->event_phase = grown;
		st->event_cap = cap;
	}
	st->event_phase[ev->seq - 1] = st->phase;
	error = apply(st, ev, p);
	if (error < 0)
		return cw_error_set(CW_ERROR,
				    "event %ld (%s) of session %s does not "
				    "replay",
				    ev->seq, ev->type, ev->session);
	st->seq = ev->seq;
	snprintf(st->head, sizeof(st->head), "%s", ev->hash ? ev->hash : "");
	snprintf(st->last_at, sizeof(st->last_at), "%s", ev->at ? ev->at : "");
	return 0;
}

static int replay_one(const event_row *ev, void *payload)
{
	return state_apply(payload, ev);
}

int state_load(state *st, session_row *row, cw_store *s, const char *id)
{
	const cw_workflow *wf = NULL;
	int error = store_session_get(s, id, row);

	memset(st, 0, sizeof(*st));
	if (error < 0)
		return error;
	error = catalog_get(&wf, s, row->workflow_id, row->workflow_version);
	if (error < 0)
		return error;
	error = state_init(st, (cw_workflow *)wf);
	st->wf_borrowed = 1;
	if (error < 0)
		return error;
	return store_events_each(s, id, replay_one, st);
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

static void judge_count(const state *st, const cw_checkpoint *cp, verdict *v)
{
	v->need = cp->min;
	for (size_t i = 0; i < st->record_count; i++) {
		const record *r = &st->records[i];

		if (r->kind != cp->record || r->dropped)
			continue;
		if (cp->tag != NULL &&
		    (r->tag == NULL || strcmp(r->tag, cp->tag) != 0))
			continue;
		v->have++;
	}
	v->met = v->have >= v->need;
	if (cp->tag != NULL)
		snprintf(v->message, sizeof(v->message),
			 "needs %d note%s tagged '%s', has %d", cp->min,
			 cp->min == 1 ? "" : "s", cp->tag, v->have);
	else
		snprintf(v->message, sizeof(v->message), "needs %d %s%s, has %d",
			 cp->min,
			 cp->min == 1 ? cw_record_kind_name(cp->record)
				      : plural(cp->record),
			 cp->record == CW_RECORD_GOAL ? " (open)" : "", v->have);
	add_command(v->command, sizeof(v->command), cp->record, cp->tag, 0);
}

static void judge_coverage(const state *st, const cw_checkpoint *cp,
			   verdict *v)
{
	const char *what = cw_record_kind_name(cp->record);
	char missing[200] = "";
	int first_missing = 0;

	for (size_t i = 0; i < st->record_count; i++) {
		const record *g = &st->records[i];
		int covered = 0;

		if (g->kind != CW_RECORD_GOAL || g->dropped)
			continue;
		v->need++;
		for (size_t k = 0; k < st->record_count && !covered; k++)
			covered = st->records[k].kind == cp->record &&
				  st->records[k].goal == g->number;
		if (covered) {
			v->have++;
		} else {
			size_t len = strlen(missing);

			if (first_missing == 0)
				first_missing = g->number;
			snprintf(missing + len, sizeof(missing) - len, "%sG%d",
				 len ? ", " : "", g->number);
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
	else
		snprintf(v->message, sizeof(v->message),
			 "needs an %s for every open goal; %s %s none", what,
			 missing, v->need - v->have == 1 ? "has" : "have");
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
	v->have = a ? text_chars(a->text) : 0;
	v->met = a != NULL && v->have >= v->need;
	if (chosen) {
		snprintf(v->command, sizeof(v->command),
			 "casework choose %s %s \"RATIONALE\"", cp->id,
			 options);
		if (v->met)
			snprintf(v->message, sizeof(v->message),
				 "chose '%s'", a->value ? a->value : "?");
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
	default:
		judge_statement(st, cp, v);
		break;
	}
}

void state_progress(const state *st, int *met, int *total)
{
	*met = *total = 0;
	for (size_t p = 0; p < st->wf->phase_count; p++) {
		for (size_t k = 0; k < st->wf->phases[p].checkpoint_count; k++) {
			verdict v;

			state_judge(st, &st->wf->phases[p].checkpoints[k], &v);
			*met += v.met;
			(*total)++;
		}
	}
}

cJSON *state_checkpoints_json(const state *st, size_t phase, int unmet_only)
{
	const cw_phase *ph = &st->wf->phases[phase];
	cJSON *list = cJSON_CreateArray();
	int ok = list != NULL;

	/* every part is checked: a refused advance logs this list, and a
	 * blocker with a part missing must never be written */
	for (size_t k = 0; ok && k < ph->checkpoint_count; k++) {
		const cw_checkpoint *cp = &ph->checkpoints[k];
		cJSON *item;
		verdict v;

		state_judge(st, cp, &v);
		if (unmet_only && v.met)
			continue;
		item = cJSON_CreateObject();
		ok = cJSON_AddItemToArray(list, item) &&
		     cJSON_AddStringToObject(item, "id", cp->id) &&
		     cJSON_AddStringToObject(item, "label", cp->label) &&
		     cJSON_AddStringToObject(
			     item, "kind", cw_checkpoint_kind_name(cp->kind));
		if (ok && (cp->kind == CW_CHECKPOINT_COUNT ||
			   cp->kind == CW_CHECKPOINT_COVERAGE))
			ok = cJSON_AddStringToObject(
				     item, "record",
				     cw_record_kind_name(cp->record)) != NULL;
		if (ok && cp->tag != NULL)
			ok = cJSON_AddStringToObject(item, "tag", cp->tag) !=
			     NULL;
		if (ok && cp->kind == CW_CHECKPOINT_CHOICE) {
			cJSON *options = cJSON_AddArrayToObject(item, "options");

			ok = options != NULL;
			for (size_t i = 0; ok && i < cp->option_count; i++)
				ok = cJSON_AddItemToArray(
					options,
					cJSON_CreateString(cp->options[i]));
		}
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
	}
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}
