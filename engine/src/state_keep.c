/*
 * state_keep.c - what replay keeps for the views besides records and
 * answers: statements in order, goal versions, visits to phases,
 * feedback and refused advances, and the times between events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "state.h"

/* `base` (`count` of `*cap` elements of `size` bytes) with room for one
 * more, perhaps moved; NULL when out of memory (`base` is then kept). */
void *state_room(void *base, size_t *cap, size_t count, size_t size)
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

const char *state_str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Keep statement `a` in the order the log made them. */
int state_keep_statement(state *st, const answer *a)
{
	checkpoint_statement *s;

	PUSH(st, s, st->statements, st->statement_count, st->statement_cap);
	if (s == NULL)
		return CW_ERROR;
	*s = (checkpoint_statement){a->checkpoint, a->value, a->text, a->seq};
	return 0;
}

/* Keep goal `g`'s wording as event `seq` left it. */
int state_keep_version(state *st, const record *g, long seq)
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
int state_stay(state *st, long seq)
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
int state_enter(state *st, visit_entry how, long seq, const cJSON *p)
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
			   .reason = state_str(p, "reason")};
	return 0;
}

int state_keep_refusal(state *st, const cJSON *p, long seq)
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
	r->phase = state_str(p, "from");
	if (cJSON_GetArraySize(list) == 0)
		return 0;
	r->blockers =
	    calloc((size_t)cJSON_GetArraySize(list), sizeof(*r->blockers));
	if (r->blockers == NULL) {
		st->oom = 1;
		return CW_ERROR;
	}
	cJSON_ArrayForEach(b, list) r->blockers[n++] = (refusal_blocker){
	    state_str(b, "id"), state_str(b, "label"), state_str(b, "message")};
	r->blocker_count = n;
	return 0;
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

/* The latest statement for checkpoint `id`, or NULL. */
static answer *answer_for(state *st, const char *id)
{
	for (size_t i = 0; i < st->answer_count; i++)
		if (strcmp(st->answers[i].checkpoint, id) == 0)
			return &st->answers[i];
	return NULL;
}

/*
 * A correction gives a record that is not struck, or the statement of a
 * confirm or choice checkpoint, a new text; a strike withdraws a record.
 * Either needs a reason.  The original stays in the log; the state keeps
 * the new text and, for the log, what changed and why.
 */
int state_keep_correction(state *st, const cJSON *p, long seq, int struck)
{
	const char *name = state_str(p, "record");
	const char *checkpoint = state_str(p, "checkpoint");
	const char *text = state_str(p, "text");
	const char *reason = state_str(p, "reason");
	correction *c;
	long of;

	if (reason == NULL || (name == NULL) == (checkpoint == NULL) ||
	    (struck ? text != NULL : text == NULL))
		return CW_ERROR;
	if (name != NULL) {
		record *r = (record *)state_named(st, name);

		if (r == NULL || r->struck)
			return CW_ERROR;
		of = r->seq;
		if (struck) {
			r->struck = 1;
			r->strike_reason = reason;
			r->strike_seq = seq;
		} else {
			r->text = text;
			r->text_seq = seq;
			if (r->kind == CW_RECORD_GOAL &&
			    state_keep_version(st, r, seq) < 0)
				return CW_ERROR;
		}
	} else {
		answer *a = struck ? NULL : answer_for(st, checkpoint);

		if (a == NULL)
			return CW_ERROR;
		of = a->seq;
		a->text = text;
		a->text_seq = seq;
	}
	PUSH(st, c, st->corrections, st->correction_count,
	     st->correction_cap);
	if (c == NULL)
		return CW_ERROR;
	*c = (correction){seq, of, name ? name : checkpoint, text, reason};
	return 0;
}

const reflection_stage *state_reflection(const state *st, const char *cp,
					 const char *stage)
{
	for (size_t i = 0; i < st->reflection_count; i++)
		if (strcmp(st->reflections[i].checkpoint, cp) == 0 &&
		    strcmp(st->reflections[i].stage, stage) == 0)
			return &st->reflections[i];
	return NULL;
}

/* One stage of a reflection checkpoint of the current phase; a stage
 * written again replaces what it said. */
int state_keep_reflection(state *st, const cJSON *p, long seq)
{
	const char *id = state_str(p, "checkpoint");
	const char *stage = state_str(p, "stage");
	const char *text = state_str(p, "text");
	size_t phase = 0;
	const cw_checkpoint *cp =
	    id ? cw_workflow_checkpoint(st->wf, id, &phase) : NULL;
	reflection_stage *r;
	int known = 0;

	if (cp == NULL || phase != st->phase || stage == NULL ||
	    text == NULL || cp->kind != CW_CHECKPOINT_REFLECTION)
		return CW_ERROR;
	for (size_t i = 0; i < cp->stage_count; i++)
		known |= strcmp(cp->stages[i], stage) == 0;
	if (!known)
		return CW_ERROR;
	r = (reflection_stage *)state_reflection(st, cp->id, stage);
	if (r == NULL) {
		PUSH(st, r, st->reflections, st->reflection_count,
		     st->reflection_cap);
		if (r == NULL)
			return CW_ERROR;
	}
	*r = (reflection_stage){cp->id, stage, text, seq};
	return 0;
}

int state_read_left_out(state *st, cw_store *s, const char *id)
{
	char key[96];

	snprintf(key, sizeof(key), "left_out:%s", id);
	return store_setting_get(s, key, &st->left_out);
}

int state_left_out(const state *st, long seq)
{
	char item[32];

	if (st->left_out == NULL)
		return 0;
	snprintf(item, sizeof(item), " %ld ", seq);
	return strstr(st->left_out, item) != NULL;
}

int state_reached(const char *phase, void *payload)
{
	const state *st = payload;
	int index = cw_workflow_phase_index(st->wf, phase);

	for (size_t i = 0; index >= 0 && i < st->visit_count; i++)
		if (st->visits[i].phase == (size_t)index)
			return 1;
	/* a session with no visit recorded yet stands in its first phase */
	return index >= 0 && (size_t)index == st->phase;
}

const char *state_ended_early(const state *st)
{
	const char *reason = NULL;

	/* a terminate is the move from a phase before the last to the last
	 * one: a session that took it did not work through the others */
	for (size_t i = 0; i < st->visit_count; i++)
		if (st->visits[i].how == ENTERED_TERMINATE)
			reason = st->visits[i].reason ? st->visits[i].reason
						      : "";
	return reason;
}

void state_projection(const state *st, session_row *row)
{
	row->phase = (char *)st->wf->phases[st->phase].id;
	row->status = st->closed ? "closed" : "open";
	row->last_seq = st->seq;
	row->head = (char *)st->head;
	row->updated_at = (char *)st->last_at;
	row->ended_early = (char *)state_ended_early(st);
	state_progress(st, &row->met, &row->total);
}

int state_project(cw_store *s, const state *st, const char *id)
{
	session_row row = {0};

	row.id = (char *)id;
	state_projection(st, &row);
	return store_session_project(s, &row);
}

const approval *state_approval(const state *st, const char *cp)
{
	for (size_t i = 0; i < st->approval_count; i++)
		if (strcmp(st->approvals[i].checkpoint, cp) == 0)
			return &st->approvals[i];
	return NULL;
}

int state_approval_holds(const state *st, const cw_checkpoint *cp)
{
	const approval *a = state_approval(st, cp->id);
	const event_checkpoint *e = state_reopened(st, cp->id);

	/* a grant from before a client event reopened it no longer holds */
	return a != NULL && a->status == APPROVAL_GRANTED &&
	       a->decision_seq > (e ? e->seq : 0);
}

/*
 * A request for sign-off, or a decision on it.  Replay is lenient where
 * the commands are strict: databases that trust different keys leave out
 * different decisions, so a request may follow one this database never
 * counted, and a decision may follow one it left out.  What must hold
 * everywhere: a request is of an approval checkpoint of the current
 * phase, and a decision follows a request.
 */
int state_keep_approval(state *st, const cJSON *p, long seq, int decision)
{
	const char *id = state_str(p, "checkpoint");
	const char *text = state_str(p, "text");
	size_t phase = 0;
	const cw_checkpoint *cp = id ? state_checkpoint(st, id, &phase) : NULL;
	approval *a;

	if (cp == NULL || text == NULL || cp->kind != CW_CHECKPOINT_APPROVAL)
		return CW_ERROR;
	a = (approval *)state_approval(st, cp->id);
	if (decision) {
		if (a == NULL)
			return CW_ERROR;
		a->status = decision == 1 ? APPROVAL_GRANTED
					  : APPROVAL_RETURNED;
		a->decision_seq = seq;
		a->decision = text;
		return 0;
	}
	if (phase != st->phase)
		return CW_ERROR;
	if (a == NULL) {
		PUSH(st, a, st->approvals, st->approval_count,
		     st->approval_cap);
		if (a == NULL)
			return CW_ERROR;
	}
	*a = (approval){cp->id, APPROVAL_REQUESTED, seq, text, 0, NULL};
	return 0;
}
