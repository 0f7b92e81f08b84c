/*
 * state.c - replaying a session's events: the one place that interprets
 * them.  Besides the records and answers that checkpoints are judged on,
 * replay gathers what the views show (every event's time and actor, the
 * visits to phases, statements, goal versions, feedback, refusals), so
 * that no reader has to look at an event again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "event.h"
#include "state.h"

int state_init(state *st, cw_workflow *wf)
{
	memset(st, 0, sizeof(*st));
	st->wf = wf;
	for (int k = 0; k < CW_RECORD_KIND_COUNT; k++)
		st->next[k] = 1;
	st->payloads = cJSON_CreateArray();
	strcpy(st->head, "");
	return st->payloads ? 0 : cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
}

void state_clear(state *st)
{
	if (!st->wf_borrowed)
		cw_workflow_free(st->wf);
	free(st->records);
	free(st->answers);
	for (size_t i = 0; i < st->event_count; i++) {
		free(st->events[i].at);
		free(st->events[i].actor);
		free(st->events[i].hash);
	}
	free(st->events);
	free(st->statements);
	free(st->versions);
	free(st->visits);
	free(st->feedback);
	free(st->corrections);
	free(st->reflections);
	free(st->approvals);
	free(st->left_out);
	for (size_t i = 0; i < st->refusal_count; i++)
		free(st->refusals[i].blockers);
	free(st->refusals);
	for (size_t i = 0; i < st->touched_count; i++)
		free((void *)st->touched[i].own.options);
	free(st->touched);
	free(st->fired);
	cJSON_Delete(st->payloads);
	memset(st, 0, sizeof(*st));
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

const record *state_named(const state *st, const char *name)
{
	static const char letters[] = "NOGIER";
	const char *at;
	char upper_letter = name ? (char)(name[0] & ~0x20) : 0;

	if (upper_letter == 0 || (at = strchr(letters, upper_letter)) == NULL)
		return NULL;
	for (int k = 0; k < CW_RECORD_KIND_COUNT; k++) {
		char upper[16];

		if (record_letter((cw_record_kind)k) != *at)
			continue;
		snprintf(upper, sizeof(upper), "%c%s", *at, name + 1);
		return state_record(st, (cw_record_kind)k,
				    record_number(upper, *at));
	}
	return NULL;
}

int record_has_tag(const record *r, const char *tag)
{
	for (int i = 0; i < r->tag_count; i++)
		if (strcmp(r->tags[i], tag) == 0)
			return 1;
	return 0;
}

/* A note's tags: "tags" (several) or "tag" (one, as older logs hold). */
static int note_tags(record *r, const cJSON *p)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(p, "tags");
	const cJSON *t;

	r->tag = state_str(p, "tag");
	if (list == NULL) {
		if (r->tag != NULL)
			r->tags[r->tag_count++] = r->tag;
		return 0;
	}
	if (r->tag != NULL || !cJSON_IsArray(list))
		return CW_ERROR;
	cJSON_ArrayForEach(t, list) {
		if (!cJSON_IsString(t) || r->tag_count == STATE_MAX_TAGS)
			return CW_ERROR;
		r->tags[r->tag_count++] = t->valuestring;
	}
	r->tag = r->tag_count ? r->tags[0] : NULL;
	return 0;
}

static record *add_record(state *st, cw_record_kind kind, const cJSON *p,
			  long seq)
{
	record *r;
	int number =
	    kind == CW_RECORD_NOTE
		? st->next[kind]
		: record_number(state_str(p, "id"), record_letter(kind));

	/* numbers are given in order; a gap or repeat means a damaged log */
	if (number != st->next[kind])
		return NULL;
	PUSH(st, r, st->records, st->record_count, st->record_cap);
	if (r == NULL)
		return NULL;
	r->kind = kind;
	r->number = number;
	r->seq = seq;
	r->text_seq = seq;
	r->text = state_str(p, "text");
	st->next[kind]++;
	return r;
}

static int set_answer(state *st, const cJSON *p, long seq)
{
	const char *cp = state_str(p, "checkpoint");
	answer *a = NULL;

	if (cp == NULL || state_str(p, "text") == NULL)
		return CW_ERROR;
	for (size_t i = 0; i < st->answer_count; i++)
		if (strcmp(st->answers[i].checkpoint, cp) == 0)
			a = &st->answers[i];
	if (a == NULL) {
		PUSH(st, a, st->answers, st->answer_count, st->answer_cap);
		if (a == NULL)
			return CW_ERROR;
	}
	a->checkpoint = cp;
	a->value = state_str(p, "value");
	a->text = state_str(p, "text");
	a->seq = seq;
	a->text_seq = seq;
	return state_keep_statement(st, a);
}

/* The goal named in `p` under `key`, if it exists and is open. */
static record *open_goal(state *st, const cJSON *p, const char *key)
{
	int n = record_number(state_str(p, key), 'G');
	record *g = (record *)state_record(st, CW_RECORD_GOAL, n);

	return g != NULL && !g->dropped && !g->struck ? g : NULL;
}

/*
 * Move to the phase named by the payload's "to", if the workflow allows
 * that move from here: replay holds a log to the same rules as the
 * commands that wrote it, so a forged move does not replay.
 */
static int move_to(state *st, event_type type, const cJSON *p)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	const char *to = state_str(p, "to"), *from = state_str(p, "from");
	int i = to ? cw_workflow_phase_index(st->wf, to) : -1;
	size_t last = st->wf->phase_count - 1;
	int allowed = 0;

	if (i < 0 || from == NULL || strcmp(from, ph->id) != 0)
		return CW_ERROR;
	if (type == EV_PHASE_ADVANCED) {
		allowed = (size_t)i == st->phase + 1 && state_phase_clear(st);
	} else if (type == EV_SESSION_TERMINATED) {
		allowed = (size_t)i == last && st->phase != last;
	} else {
		allowed = state_may_revisit(st, (size_t)i);
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
	const char *id = state_str(p, "checkpoint");
	const cw_checkpoint *cp =
	    id ? state_checkpoint(st, id, &phase) : NULL;

	if (cp == NULL || phase != st->phase ||
	    cp->kind != (choice ? CW_CHECKPOINT_CHOICE : CW_CHECKPOINT_CONFIRM))
		return CW_ERROR;
	return set_answer(st, p, seq);
}

/* Change the state by one event whose payload is `p`. */
static int apply(state *st, const event_row *ev, event_type t, const cJSON *p)
{
	record *r;

	switch (t) {
	case EV_SESSION_STARTED:
		return ev->seq == 1 ? 0 : CW_ERROR;
	case EV_NOTE_ADDED:
		r = add_record(st, CW_RECORD_NOTE, p, ev->seq);
		if (r == NULL)
			return CW_ERROR;
		return note_tags(r, p);
	case EV_OBJECTIVE_ADDED:
		return add_record(st, CW_RECORD_OBJECTIVE, p, ev->seq)
			   ? 0
			   : CW_ERROR;
	case EV_REFERRAL_ADDED:
		return add_record(st, CW_RECORD_REFERRAL, p, ev->seq)
			   ? 0
			   : CW_ERROR;
	case EV_GOAL_ADDED:
		r = add_record(st, CW_RECORD_GOAL, p, ev->seq);
		if (r == NULL)
			return CW_ERROR;
		r->term = state_str(p, "term");
		r->measure = state_str(p, "measure");
		return state_keep_version(st, r, ev->seq);
	case EV_GOAL_REVISED:
		r = open_goal(st, p, "goal");
		if (r == NULL)
			return CW_ERROR;
		r->text = state_str(p, "text") ? state_str(p, "text") : r->text;
		r->measure = state_str(p, "measure") ? state_str(p, "measure")
						     : r->measure;
		r->text_seq = ev->seq;
		return state_keep_version(st, r, ev->seq);
	case EV_GOAL_DROPPED:
		r = open_goal(st, p, "goal");
		if (r == NULL)
			return CW_ERROR;
		r->dropped = 1;
		r->drop_reason = state_str(p, "reason");
		r->drop_seq = ev->seq;
		return 0;
	case EV_INTERVENTION_ADDED:
	case EV_EVALUATION_ADDED: {
		record *g = open_goal(st, p, "goal");

		if (g == NULL)
			return CW_ERROR;
		r = add_record(st,
			       t == EV_INTERVENTION_ADDED
				   ? CW_RECORD_INTERVENTION
				   : CW_RECORD_EVALUATION,
			       p, ev->seq);
		if (r == NULL)
			return CW_ERROR;
		r->goal = g->number;
		r->type = state_str(p, "type");
		r->outcome = state_str(p, "outcome");
		return 0;
	}
	case EV_CHECKPOINT_CONFIRMED:
	case EV_CHECKPOINT_CHOSEN:
		return answer_here(st, p, ev->seq, t == EV_CHECKPOINT_CHOSEN);
	case EV_PHASE_ADVANCED:
	case EV_PHASE_REVISITED:
	case EV_SESSION_TERMINATED:
		if (move_to(st, t, p) < 0)
			return CW_ERROR;
		return state_enter(st,
				   t == EV_PHASE_ADVANCED ? ENTERED_ADVANCE
				   : t == EV_PHASE_REVISITED
				       ? ENTERED_REVISIT
				       : ENTERED_TERMINATE,
				   ev->seq, p);
	case EV_SESSION_CLOSED:
		if (st->phase + 1 != st->wf->phase_count ||
		    !state_phase_clear(st))
			return CW_ERROR;
		st->closed = 1;
		st->closed_seq = ev->seq;
		st->visiting = 0;
		return 0;
	case EV_FEEDBACK_ADDED:
		if (state_left_out(st, ev->seq))
			return 0;
		return state_add_feedback(st, p, ev->seq);
	case EV_ADVANCE_REFUSED:
		return state_keep_refusal(st, p, ev->seq);
	case EV_RECORD_CORRECTED:
	case EV_RECORD_STRUCK:
		return state_keep_correction(st, p, ev->seq,
					     t == EV_RECORD_STRUCK);
	case EV_REFLECTION_ADDED:
		return state_keep_reflection(st, p, ev->seq);
	case EV_APPROVAL_REQUESTED:
		return state_keep_approval(st, p, ev->seq, 0);
	case EV_APPROVAL_GRANTED:
	case EV_APPROVAL_RETURNED:
		/* a decision no trusted key signed counts nowhere */
		if (state_left_out(st, ev->seq))
			return 0;
		return state_keep_approval(st, p, ev->seq,
					   t == EV_APPROVAL_GRANTED ? 1 : 2);
	case EV_CLIENT_EVENT:
		return state_keep_client_event(st, p, ev->seq);
	case EV_UNKNOWN:
	case EV_TYPE_COUNT:
		break;
	}
	return CW_ERROR;
}

/* Keep event `ev`'s place, time, actor and hash for the views. */
static int keep_event(state *st, const event_row *ev, event_type t,
		      const cJSON *p)
{
	event_meta *m;

	if ((size_t)ev->seq > st->event_cap) {
		size_t cap = st->event_cap ? st->event_cap * 2 : 64;
		event_meta *grown = realloc(st->events, cap * sizeof(*grown));

		if (grown == NULL) {
			st->oom = 1;
			return CW_ERROR;
		}
		st->events = grown;
		st->event_cap = cap;
	}
	m = &st->events[ev->seq - 1];
	st->event_count = (size_t)ev->seq;
	*m = (event_meta){
	    .seq = ev->seq, .type = t, .phase = st->phase, .payload = p};
	m->at = strdup(ev->at ? ev->at : "");
	m->actor = strdup(ev->actor ? ev->actor : "");
	m->hash = strdup(ev->hash ? ev->hash : "");
	if (m->at && m->actor && m->hash)
		return 0;
	st->oom = 1;
	return CW_ERROR;
}

int state_apply(state *st, const event_row *ev)
{
	cJSON *p = cJSON_Parse(ev->payload);
	event_type t = event_type_of(ev->type);
	int error;

	if (p == NULL)
		return cw_error_set(
		    CW_ERROR,
		    "event %ld of session %s has a payload that "
		    "is not JSON",
		    ev->seq, ev->session);
	cJSON_AddItemToArray(st->payloads, p);
	if (ev->seq != st->seq + 1)
		return cw_error_set(CW_ERROR,
				    "event %ld of session %s is out of "
				    "sequence (expected %ld)",
				    ev->seq, ev->session, st->seq + 1);
	if (st->closed && t != EV_FEEDBACK_ADDED)
		return cw_error_set(CW_ERROR,
				    "event %ld of session %s changes a closed "
				    "session",
				    ev->seq, ev->session);
	if (ev->phase == NULL ||
	    strcmp(ev->phase, st->wf->phases[st->phase].id) != 0)
		return cw_error_set(
		    CW_ERROR,
		    "event %ld of session %s says it happened in "
		    "phase %s, but the session was in %s",
		    ev->seq, ev->session, ev->phase ? ev->phase : "?",
		    st->wf->phases[st->phase].id);
	if (keep_event(st, ev, t, p) < 0)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	/* feedback is about the session; it is not a step of any phase_visit */
	if (t != EV_FEEDBACK_ADDED && state_stay(st, ev->seq) < 0)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	error = apply(st, ev, t, p);
	if (error < 0 && st->oom)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (error < 0)
		return cw_error_set(CW_ERROR,
				    "event %ld (%s) of session %s does not "
				    "replay",
				    ev->seq, ev->type, ev->session);
	if (event_is_move(t))
		st->visit_records = 0;
	else if (event_makes_record(t))
		st->visit_records++;
	st->seq = ev->seq;
	snprintf(st->head, sizeof(st->head), "%s", ev->hash ? ev->hash : "");
	/* the latest time, not the last event's: a merged hand-in appends
	 * the other side's events, which may be older than this side's */
	if (ev->at != NULL && strcmp(ev->at, st->last_at) > 0)
		snprintf(st->last_at, sizeof(st->last_at), "%s", ev->at);
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
	if ((error = state_read_left_out(st, s, id)) < 0)
		return error;
	return store_events_each(s, id, replay_one, st);
}

int state_started_matches(const event_row *ev, const session_row *row)
{
	cJSON *p;
	const cJSON *v;
	int ok;
	static const char *const keys[] = {"case", "case_sha256", "student",
					   "workflow"};
	const char *want[] = {row->case_id, row->case_sha256, row->student,
			      row->workflow_id};

	if (event_type_of(ev->type) != EV_SESSION_STARTED)
		return 0;
	p = cJSON_Parse(ev->payload);
	v = cJSON_GetObjectItem(p, "version");
	ok = p != NULL && cJSON_IsNumber(v) &&
	     v->valueint == row->workflow_version;
	for (int i = 0; ok && i < 4; i++) {
		const cJSON *item = cJSON_GetObjectItem(p, keys[i]);

		ok = cJSON_IsString(item) && want[i] != NULL &&
		     strcmp(item->valuestring, want[i]) == 0;
	}
	cJSON_Delete(p);
	return ok;
}
