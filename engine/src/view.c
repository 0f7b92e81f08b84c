/*
 * view.c - what a session looks like to the people reading it: its
 * status, the guide to a phase, its goals and its log.  Each view is
 * built from one replay of the session (its state); none of them reads an
 * event itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/case.h"
#include "casework/session.h"
#include "case.h"
#include "state.h"
#include "store.h"
#include "workflow_tags.h"

/* The case's title as the session started with it. */
static void add_case(cJSON *obj, cw_store *s, const session_row *row)
{
	char *text = NULL;
	cJSON *c = cJSON_CreateObject(), *doc = NULL;

	cJSON_AddStringToObject(c, "id", row->case_id);
	if (store_case_text(s, row->case_sha256, &text) == 0)
		doc = cJSON_Parse(text);
	if (cJSON_IsString(cJSON_GetObjectItem(doc, "title")))
		cJSON_AddStringToObject(
		    c, "title", cJSON_GetObjectItem(doc, "title")->valuestring);
	cJSON_AddItemToObject(obj, "case", c);
	cJSON_Delete(doc);
	free(text);
}

/* The fields every read of one session starts with. */
static cJSON *session_head(cw_store *s, const session_row *row, const state *st)
{
	cJSON *doc = cJSON_CreateObject(), *wf = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "session", row->id);
	add_case(doc, s, row);
	cJSON_AddStringToObject(doc, "student", row->student);
	cJSON_AddStringToObject(wf, "id", st->wf->id);
	cJSON_AddNumberToObject(wf, "version", st->wf->version);
	cJSON_AddStringToObject(wf, "title", st->wf->title);
	cJSON_AddItemToObject(doc, "workflow", wf);
	cJSON_AddStringToObject(doc, "status", st->closed ? "closed" : "open");
	/* an early end (terminate from a phase before the last) is not a
	 * session worked through: say so, with its reason */
	if (state_ended_early(st) != NULL)
		cJSON_AddStringToObject(doc, "ended_early",
					state_ended_early(st));
	cJSON_AddStringToObject(doc, "created_at", row->created_at);
	cJSON_AddStringToObject(doc, "updated_at", st->last_at);
	return doc;
}

int cw_session_status(cJSON **out, cw_store *s, const char *id)
{
	session_row row;
	state st;
	cJSON *doc, *phase, *records, *revisit, *cps;
	int met, total, owned = 0, error = store_enter_read(s, &owned);
	static const char *const names[CW_RECORD_KIND_COUNT] = {
	    "notes",	     "objectives",  "goals",
	    "interventions", "evaluations", "referrals"};
	int counts[CW_RECORD_KIND_COUNT] = {0};
	const cw_phase *ph;

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	ph = &st.wf->phases[st.phase];
	doc = session_head(s, &row, &st);
	phase = cJSON_AddObjectToObject(doc, "phase");
	cJSON_AddStringToObject(phase, "id", ph->id);
	cJSON_AddStringToObject(phase, "title", ph->title);
	cJSON_AddNumberToObject(phase, "number", (double)st.phase + 1);
	cJSON_AddNumberToObject(phase, "of", (double)st.wf->phase_count);
	cps = state_checkpoints_json(&st, st.phase, 0);
	cJSON_AddItemToObject(doc, "checkpoints", cps);
	{
		int blocked = 0;
		const cJSON *cp;

		cJSON_ArrayForEach(cp, cps) blocked +=
		    !cJSON_IsTrue(cJSON_GetObjectItem(cp, "met"));
		/* and what client events left unmet in earlier phases */
		cJSON_AddItemToObject(doc, "event_blockers",
				      state_event_blockers_json(&st));
		cJSON_AddBoolToObject(doc, "can_advance",
				      !st.closed && blocked == 0 &&
					  state_event_blocker(&st, -1) == NULL);
	}
	if (!st.closed && st.phase + 1 < st.wf->phase_count)
		cJSON_AddStringToObject(doc, "next_phase",
					st.wf->phases[st.phase + 1].id);
	revisit = cJSON_AddArrayToObject(doc, "revisit");
	for (size_t i = 0; !st.closed && i < st.phase; i++)
		if (state_may_revisit(&st, i))
			cJSON_AddItemToArray(
			    revisit, cJSON_CreateString(st.wf->phases[i].id));
	for (size_t i = 0; i < st.record_count; i++)
		counts[st.records[i].kind] +=
		    !st.records[i].dropped && !st.records[i].struck;
	records = cJSON_AddObjectToObject(doc, "records");
	for (int k = 0; k < CW_RECORD_KIND_COUNT; k++)
		cJSON_AddNumberToObject(records, names[k], counts[k]);
	cJSON_AddItemToObject(doc, "hints", state_hints_json(&st, 0));
	state_progress(&st, &met, &total);
	phase = cJSON_AddObjectToObject(doc, "progress");
	cJSON_AddNumberToObject(phase, "met", met);
	cJSON_AddNumberToObject(phase, "total", total);
	cJSON_AddItemToObject(doc, "client_events", state_client_events_json(&st));
	*out = doc;
cleanup:
	store_end(s, owned, 0);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

static cJSON *strings(const char *const *list, size_t count)
{
	cJSON *array = cJSON_CreateArray();

	for (size_t i = 0; i < count; i++)
		cJSON_AddItemToArray(array, cJSON_CreateString(list[i]));
	return array;
}

int cw_session_guide(cJSON **out, cw_store *s, const char *id,
		     const char *phase_id)
{
	session_row row;
	state st;
	char *text = NULL;
	cJSON *doc = NULL, *kase = NULL, *ph, *material;
	const cw_phase *phase;
	int index, owned = 0, error = store_enter_read(s, &owned);

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	index =
	    phase_id ? cw_workflow_phase_index(st.wf, phase_id) : (int)st.phase;
	if (index < 0) {
		error = workflow_no_phase(st.wf, phase_id);
		goto cleanup;
	}
	phase = &st.wf->phases[index];
	if ((error = store_case_text(s, row.case_sha256, &text)) < 0)
		goto cleanup;
	kase = cJSON_Parse(text);
	/* a phase not reached yet shows its guidance, not its material */
	material = state_reached(phase->id, &st)
			   ? cJSON_GetObjectItem(cJSON_GetObjectItem(kase, "phases"),
						 phase->id)
			   : NULL;

	doc = session_head(s, &row, &st);
	ph = cJSON_AddObjectToObject(doc, "phase");
	cJSON_AddStringToObject(ph, "id", phase->id);
	cJSON_AddStringToObject(ph, "title", phase->title);
	cJSON_AddNumberToObject(ph, "number", index + 1);
	cJSON_AddNumberToObject(ph, "of", (double)st.wf->phase_count);
	cJSON_AddStringToObject(ph, "purpose", phase->purpose);
	cJSON_AddItemToObject(ph, "tasks",
			      strings(phase->tasks, phase->task_count));
	cJSON_AddItemToObject(ph, "questions",
			      strings(phase->questions, phase->question_count));
	cJSON_AddItemToObject(ph, "rubric", state_rubric_json(phase));
	cJSON_AddBoolToObject(doc, "current", (size_t)index == st.phase);
	cJSON_AddBoolToObject(doc, "reached", state_reached(phase->id, &st));
	cJSON_AddStringToObject(
	    doc, "material",
	    cJSON_IsString(cJSON_GetObjectItem(material, "material"))
		? cJSON_GetObjectItem(material, "material")->valuestring
		: "");
	cJSON_AddItemToObject(
	    doc, "prompts",
	    cJSON_IsArray(cJSON_GetObjectItem(material, "prompts"))
		? cJSON_Duplicate(cJSON_GetObjectItem(material, "prompts"), 1)
		: cJSON_CreateArray());
	cJSON_AddItemToObject(doc, "checkpoints",
			      state_checkpoints_json(&st, (size_t)index, 0));
	cJSON_AddItemToObject(doc, "client_events", state_client_events_json(&st));
	*out = doc;
cleanup:
	store_end(s, owned, 0);
	cJSON_Delete(kase);
	free(text);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

/* Add a string unless it is NULL (then the key is left out, as cJSON
 * does); 1, or 0 when out of memory. */
static int add_str(cJSON *obj, const char *key, const char *value)
{
	return value == NULL ||
	       cJSON_AddStringToObject(obj, key, value) != NULL;
}

/* Add a record's name ("G1"); 1, or 0 when out of memory. */
static int add_record_name(cJSON *obj, const char *key, const record *r)
{
	char name[16];

	snprintf(name, sizeof(name), "%c%d", record_letter(r->kind), r->number);
	return cJSON_AddStringToObject(obj, key, name) != NULL;
}

int cw_session_goals(cJSON **out, cw_store *s, const char *id)
{
	session_row row;
	state st;
	cJSON *doc, *goals;
	int owned = 0, ok, error = store_enter_read(s, &owned);

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	doc = session_head(s, &row, &st);
	goals = cJSON_AddArrayToObject(doc, "goals");
	/* report reads each goal's fields back without looking: the list is
	 * whole, or the call fails */
	ok = goals != NULL;
	for (size_t i = 0; ok && i < st.record_count; i++) {
		const record *g = &st.records[i];
		cJSON *item, *ivs, *evs;

		if (g->kind != CW_RECORD_GOAL)
			continue;
		item = cJSON_CreateObject();
		ok = item != NULL && add_record_name(item, "id", g) &&
		     add_str(item, "text", g->text) &&
		     add_str(item, "term", g->term) &&
		     add_str(item, "measure", g->measure) &&
		     add_str(item, "status", g->dropped ? "dropped" : "open") &&
		     (!g->dropped ||
		      add_str(item, "drop_reason", g->drop_reason));
		ivs = ok ? cJSON_AddArrayToObject(item, "interventions") : NULL;
		evs = ok ? cJSON_AddArrayToObject(item, "evaluations") : NULL;
		ok = ivs != NULL && evs != NULL;
		for (size_t k = 0; ok && k < st.record_count; k++) {
			const record *r = &st.records[k];
			cJSON *sub;
			int iv = r->kind == CW_RECORD_INTERVENTION;

			if (r->goal != g->number ||
			    (!iv && r->kind != CW_RECORD_EVALUATION))
				continue;
			sub = cJSON_CreateObject();
			ok = sub != NULL && add_record_name(sub, "id", r) &&
			     (iv ? add_str(sub, "type", r->type)
				 : add_str(sub, "outcome", r->outcome)) &&
			     add_str(sub, "text", r->text) &&
			     cJSON_AddItemToArray(iv ? ivs : evs, sub);
			if (!ok)
				cJSON_Delete(sub);
		}
		if (!ok || !cJSON_AddItemToArray(goals, item)) {
			cJSON_Delete(item);
			ok = 0;
		}
	}
	if (!ok) {
		cJSON_Delete(doc);
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	*out = doc;
cleanup:
	store_end(s, owned, 0);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

/* Event `m` as the log shows it: payload, seq, at, actor, phase, type,
 * hash; NULL when out of memory.  The caller frees it. */
static cJSON *log_event(const state *st, const event_meta *m)
{
	cJSON *item = cJSON_CreateObject();
	/* an instructor act no trusted key signed: its place in the chain,
	 * not what it says */
	cJSON *payload = state_left_out(st, m->seq)
			     ? cJSON_CreateObject()
			     : cJSON_Duplicate(m->payload, 1);

	if (payload != NULL && state_left_out(st, m->seq) &&
	    !cJSON_AddStringToObject(payload, "left_out",
				     "not signed by a key this database "
				     "trusts")) {
		cJSON_Delete(payload);
		payload = NULL;
	}
	if (item == NULL || payload == NULL ||
	    !cJSON_AddItemToObject(item, "payload", payload)) {
		cJSON_Delete(payload);
		cJSON_Delete(item);
		return NULL;
	}
	if (!cJSON_AddNumberToObject(item, "seq", (double)m->seq) ||
	    !cJSON_AddStringToObject(item, "at", m->at) ||
	    !cJSON_AddStringToObject(item, "actor", m->actor) ||
	    !cJSON_AddStringToObject(item, "phase",
				     st->wf->phases[m->phase].id) ||
	    !cJSON_AddStringToObject(item, "type", event_name(m->type)) ||
	    !cJSON_AddStringToObject(item, "hash", m->hash)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

/* Feedback `f` as the log lists it: its payload, then seq, at and actor;
 * NULL when out of memory.  The caller frees it. */
static cJSON *log_feedback(const state *st, const feedback_entry *f)
{
	cJSON *item = cJSON_Duplicate(st->events[f->seq - 1].payload, 1);

	if (item == NULL ||
	    !cJSON_AddNumberToObject(item, "seq", (double)f->seq) ||
	    !cJSON_AddStringToObject(item, "at", f->at) ||
	    !cJSON_AddStringToObject(item, "actor", f->actor)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

/*
 * The log's events, each step of a visit with the index of its visit
 * ("visit"; feedback is no step), and the feedback: all of it in
 * "feedback", and each on the event it is about.  0, or CW_ERROR when out
 * of memory (doc is then incomplete).
 */
static int log_events(cJSON *doc, const state *st)
{
	cJSON *events = cJSON_AddArrayToObject(doc, "events");
	cJSON *all = NULL;
	size_t f = 0, moves = 1;

	if (events == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	for (long seq = 1; seq <= st->seq; seq++) {
		cJSON *item = log_event(st, &st->events[seq - 1]);
		int feedback =
		    f < st->feedback_count && st->feedback[f].seq == seq;

		if (item == NULL || !cJSON_AddItemToArray(events, item)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
		/* one event scoring several criteria is an entry for each */
		while (f < st->feedback_count && st->feedback[f].seq == seq)
			f++;
		if (feedback || state_left_out(st, seq))
			continue; /* no step of a visit */
		/* visit k > 0 began with move k; events after it are in it */
		while (moves < st->visit_count &&
		       st->visits[moves].move_seq < seq)
			moves++;
		if (!cJSON_AddNumberToObject(item, "visit", (double)moves - 1))
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	all = cJSON_AddArrayToObject(doc, "feedback");
	if (all == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	for (f = 0; f < st->feedback_count; f++) {
		const feedback_entry *fb = &st->feedback[f];
		cJSON *item, *target, *list, *copy;

		/* the event once, with all its scores, not once per entry */
		if (f > 0 && st->feedback[f - 1].seq == fb->seq)
			continue;
		item = log_feedback(st, fb);
		if (item == NULL || !cJSON_AddItemToArray(all, item)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
		if (fb->event < 1 || fb->event > st->seq)
			continue;
		target = cJSON_GetArrayItem(events, (int)fb->event - 1);
		list = cJSON_GetObjectItem(target, "feedback");
		if (list == NULL)
			list = cJSON_AddArrayToObject(target, "feedback");
		copy = cJSON_Duplicate(item, 1);
		if (list == NULL || copy == NULL ||
		    !cJSON_AddItemToArray(list, copy)) {
			cJSON_Delete(copy);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
	}
	return 0;
}

/*
 * Each correction and strike, on the event that made what it changed
 * ("corrections": [{"seq", "record", "text" (a correction), "reason"}]),
 * so that the log shows the original followed by its correction.  0, or
 * CW_ERROR when out of memory.
 */
static int log_corrections(cJSON *doc, const state *st)
{
	cJSON *events = cJSON_GetObjectItem(doc, "events");

	for (size_t i = 0; i < st->correction_count; i++) {
		const correction *c = &st->corrections[i];
		cJSON *target = cJSON_GetArrayItem(events, (int)c->of - 1);
		cJSON *list = cJSON_GetObjectItem(target, "corrections");
		cJSON *item = cJSON_CreateObject();

		if (list == NULL)
			list = cJSON_AddArrayToObject(target, "corrections");
		if (item == NULL || list == NULL ||
		    !cJSON_AddItemToArray(list, item) ||
		    !cJSON_AddNumberToObject(item, "seq", (double)c->seq) ||
		    !cJSON_AddStringToObject(item, "record", c->target) ||
		    (c->text != NULL &&
		     !cJSON_AddStringToObject(item, "text", c->text)) ||
		    !cJSON_AddBoolToObject(item, "struck", c->text == NULL) ||
		    !cJSON_AddStringToObject(item, "reason", c->reason)) {
			if (list == NULL)
				cJSON_Delete(item);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
	}
	if (!cJSON_AddItemToObject(doc, "hints", state_hints_json(st, 0)))
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	return 0;
}

/*
 * Add to a log what an instructor reads it for besides its events: the
 * visits to each phase with their times ("visits") and the time spent in
 * each phase ("phases").  0, or CW_ERROR when out of memory.
 */
static int log_visits(cJSON *doc, const state *st)
{
	cJSON *visits = cJSON_AddArrayToObject(doc, "visits");
	cJSON *phases = cJSON_AddArrayToObject(doc, "phases");

	if (visits == NULL || phases == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	for (size_t i = 0; i < st->visit_count; i++) {
		const phase_visit *v = &st->visits[i];
		cJSON *item = cJSON_CreateObject();

		if (item == NULL ||
		    !cJSON_AddStringToObject(item, "phase",
					     st->wf->phases[v->phase].id) ||
		    !cJSON_AddNumberToObject(item, "from", (double)v->from) ||
		    !cJSON_AddNumberToObject(item, "to", (double)v->to) ||
		    !cJSON_AddStringToObject(item, "start", v->start) ||
		    !cJSON_AddStringToObject(item, "end", v->end) ||
		    !cJSON_AddNumberToObject(item, "seconds",
					     state_seconds(v->start, v->end)) ||
		    !cJSON_AddItemToArray(visits, item)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
	}
	for (size_t i = 0; i < st->wf->phase_count; i++) {
		cJSON *item = cJSON_CreateObject();
		double seconds;
		int count;

		state_phase_time(st, i, &count, &seconds);
		if (item == NULL ||
		    !cJSON_AddStringToObject(item, "id",
					     st->wf->phases[i].id) ||
		    !cJSON_AddStringToObject(item, "title",
					     st->wf->phases[i].title) ||
		    !cJSON_AddNumberToObject(item, "visits", count) ||
		    !cJSON_AddNumberToObject(item, "seconds", seconds) ||
		    !cJSON_AddItemToArray(phases, item)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
	}
	return 0;
}

int cw_session_log(cJSON **out, cw_store *s, const char *id)
{
	session_row row;
	state st;
	cJSON *doc;
	int owned = 0, error = store_enter_read(s, &owned);

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	doc = session_head(s, &row, &st);
	if (doc == NULL ||
	    !cJSON_AddStringToObject(doc, "phase", st.wf->phases[st.phase].id))
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	else
		error = log_events(doc, &st);
	if (error == 0)
		error = log_visits(doc, &st);
	if (error == 0)
		error = log_corrections(doc, &st);
	if (error < 0)
		cJSON_Delete(doc);
	else
		*out = doc;
cleanup:
	store_end(s, owned, 0);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

int cw_case_show(cJSON **out, cw_store *s, const char *id,
		 const char *session, int full)
{
	session_row row;
	state st;
	cJSON *kase = NULL;
	cw_workflow *meant = NULL;
	int error, owned = 0, loaded = 0;

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	if ((full && (error = cw_case_full_allowed(s, NULL)) < 0) ||
	    (error = cw_case_get(&kase, s, id)) < 0)
		goto cleanup;
	if (session != NULL) {
		if ((error = state_load(&st, &row, s, session)) < 0)
			goto cleanup;
		/* another case's session says nothing about this one */
		loaded = row.case_id != NULL && strcmp(row.case_id, id) == 0;
	}
	/* without a session, the phases in the order of the workflow the
	 * case is meant for (a store without it: as they are) */
	if (!loaded && case_workflow_meant(&meant, s, kase) < 0)
		meant = NULL;
	case_stage(kase, loaded ? state_reached : NULL, &st, full,
		   loaded ? st.wf : meant);
	*out = kase;
	kase = NULL;
cleanup:
	store_end(s, owned, 0);
	cJSON_Delete(kase);
	cw_workflow_free(meant);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}
