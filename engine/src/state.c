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
	for (size_t i = 0; i < st->refusal_count; i++)
		free(st->refusals[i].blockers);
	free(st->refusals);
	cJSON_Delete(st->payloads);
	memset(st, 0, sizeof(*st));
}

/* `base` (`count` of `*cap` elements of `size` bytes) with room for one
 * more, perhaps moved; NULL when out of memory (`base` is then kept). */
static void *room(void *base, size_t *cap, size_t count, size_t size)
{
	size_t more = *cap ? *cap * 2 : 16;
	void *grown;

	if (count < *cap)
		return base;
	grown = realloc(base, more * size);
	if (grown != NULL)
		*cap = more;
	return grown;
}

/* `out` = a new zeroed element at the end of `list`, counted in `n`; NULL
 * when out of memory, which `st` then remembers (st->oom). */
#define PUSH(st, out, list, n, cap)                                            \
	do {                                                                   \
		void *base_ = room((list), &(cap), (n), sizeof(*(list)));      \
		(out) = NULL;                                                  \
		if (base_ == NULL) {                                           \
			(st)->oom = 1;                                         \
		} else {                                                       \
			(list) = base_;                                        \
			(out) = memset(&(list)[(n)++], 0, sizeof(*(list)));    \
		}                                                              \
	} while (0)

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
			 : record_number(str(p, "id"), record_letter(kind));

	/* numbers are given in order; a gap or repeat means a damaged log */
	if (number != st->next[kind])
		return NULL;
	PUSH(st, r, st->records, st->record_count, st->record_cap);
	if (r == NULL)
		return NULL;
	r->kind = kind;
	r->number = number;
	r->seq = seq;
	r->text = str(p, "text");
	st->next[kind]++;
	return r;
}

/* Keep statement `a` in the order the log made them. */
static int add_statement(state *st, const answer *a)
{
	checkpoint_statement *s;

	PUSH(st, s, st->statements, st->statement_count, st->statement_cap);
	if (s == NULL)
		return CW_ERROR;
	*s = (checkpoint_statement){a->checkpoint, a->value, a->text, a->seq};
	return 0;
}

/* Keep goal `g`'s wording as event `seq` left it. */
static int add_version(state *st, const record *g, long seq)
{
	goal_version *v;

	PUSH(st, v, st->versions, st->version_count, st->version_cap);
	if (v == NULL)
		return CW_ERROR;
	*v = (goal_version){g->number, seq, g->text, g->measure};
	return 0;
}

/* Event `seq` was not feedback: the open visit lasts at least to it (the
 * first event opens the first visit). */
static int stay(state *st, long seq)
{
	phase_visit *v;

	if (st->visit_count == 0 && !st->closed) {
		PUSH(st, v, st->visits, st->visit_count, st->visit_cap);
		if (v == NULL)
			return CW_ERROR;
		st->visiting = 1;
		*v = (phase_visit){.phase = st->phase,
				   .from = 1,
				   .start = st->events[0].at,
				   .how = ENTERED_START};
	}
	if (!st->visiting)
		return 0;
	v = &st->visits[st->visit_count - 1];
	v->to = seq;
	v->end = st->events[seq - 1].at;
	return 0;
}

/* Move `seq` took the session into a new visit of the current phase. */
static int enter(state *st, visit_entry how, long seq, const cJSON *p)
{
	phase_visit *v;

	PUSH(st, v, st->visits, st->visit_count, st->visit_cap);
	if (v == NULL)
		return CW_ERROR;
	st->visiting = 1;
	*v = (phase_visit){.phase = st->phase,
			   .from = seq + 1,
			   .to = seq,
			   .start = st->events[seq - 1].at,
			   .end = st->events[seq - 1].at,
			   .how = how,
			   .move_seq = seq,
			   .reason = str(p, "reason")};
	return 0;
}

static int add_refusal(state *st, const cJSON *p, long seq)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(p, "blockers");
	const cJSON *b;
	advance_refusal *r;
	size_t n = 0;

	PUSH(st, r, st->refusals, st->refusal_count, st->refusal_cap);
	if (r == NULL)
		return CW_ERROR;
	r->seq = seq;
	r->at = st->events[seq - 1].at;
	r->phase = str(p, "from");
	if (cJSON_GetArraySize(list) == 0)
		return 0;
	r->blockers =
	    calloc((size_t)cJSON_GetArraySize(list), sizeof(*r->blockers));
	if (r->blockers == NULL) {
		st->oom = 1;
		return CW_ERROR;
	}
	cJSON_ArrayForEach(b, list) r->blockers[n++] =
	    (refusal_blocker){str(b, "id"), str(b, "label"), str(b, "message")};
	r->blocker_count = n;
	return 0;
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
		PUSH(st, a, st->answers, st->answer_count, st->answer_cap);
		if (a == NULL)
			return CW_ERROR;
	}
	a->checkpoint = cp;
	a->value = str(p, "value");
	a->text = str(p, "text");
	a->seq = seq;
	return add_statement(st, a);
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
	const cw_checkpoint *cp =
	    id ? cw_workflow_checkpoint(st->wf, id, &phase) : NULL;

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
		r->tag = str(p, "tag");
		return 0;
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
		r->term = str(p, "term");
		r->measure = str(p, "measure");
		return add_version(st, r, ev->seq);
	case EV_GOAL_REVISED:
		r = open_goal(st, p, "goal");
		if (r == NULL)
			return CW_ERROR;
		r->text = str(p, "text") ? str(p, "text") : r->text;
		r->measure = str(p, "measure") ? str(p, "measure") : r->measure;
		return add_version(st, r, ev->seq);
	case EV_GOAL_DROPPED:
		r = open_goal(st, p, "goal");
		if (r == NULL)
			return CW_ERROR;
		r->dropped = 1;
		r->drop_reason = str(p, "reason");
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
		if (move_to(st, t, p) < 0)
			return CW_ERROR;
		return enter(st,
			     t == EV_PHASE_ADVANCED    ? ENTERED_ADVANCE
			     : t == EV_PHASE_REVISITED ? ENTERED_REVISIT
						       : ENTERED_TERMINATE,
			     ev->seq, p);
	case EV_SESSION_CLOSED:
		if (st->phase + 1 != st->wf->phase_count || !phase_clear(st))
			return CW_ERROR;
		st->closed = 1;
		st->closed_seq = ev->seq;
		st->visiting = 0;
		return 0;
	case EV_FEEDBACK_ADDED:
		return state_add_feedback(st, p, ev->seq);
	case EV_ADVANCE_REFUSED:
		return add_refusal(st, p, ev->seq);
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
	if (t != EV_FEEDBACK_ADDED && stay(st, ev->seq) < 0)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	error = apply(st, ev, t, p);
	if (error < 0 && st->oom)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
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

/* Seconds since the epoch of an event time "2026-11-23T03:14:13.123Z". */
static double iso_seconds(const char *at)
{
	struct tm tm;
	int ms = 0;

	memset(&tm, 0, sizeof(tm));
	if (at == NULL ||
	    sscanf(at, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (double)timegm(&tm) + ms / 1000.0;
}

double state_seconds(const char *start, const char *end)
{
	return iso_seconds(end) - iso_seconds(start);
}

void state_phase_time(const state *st, size_t phase, int *visits,
		      double *seconds)
{
	*visits = 0;
	*seconds = 0;
	for (size_t i = 0; i < st->visit_count; i++) {
		if (st->visits[i].phase != phase)
			continue;
		*seconds +=
		    state_seconds(st->visits[i].start, st->visits[i].end);
		(*visits)++;
	}
}
