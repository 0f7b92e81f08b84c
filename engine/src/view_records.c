/*
 * view_records.c - what a student reads back of their own work: the
 * records of one kind with their corrections and strikes, and, once the
 * session is closed, the debrief (the work phase by phase beside the
 * case's instructor notes and the rubric).  Built from one replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/session.h"
#include "state.h"
#include "store.h"
#include "workflow_tags.h"

/* The kind whose name is `name` ("note"), or -1. */
static int kind_of(const char *name)
{
	for (int k = 0; name != NULL && k < CW_RECORD_KIND_COUNT; k++)
		if (strcmp(cw_record_kind_name((cw_record_kind)k), name) == 0)
			return k;
	return -1;
}

/* Record `r` as a student reads it back: name, text, tags, a goal's
 * term and measure, an intervention's goal and type, an evaluation's goal
 * and outcome, the text it was first given when corrected since, struck
 * and why.  NULL when out of memory. */
static cJSON *record_json(const state *st, const record *r)
{
	cJSON *item = cJSON_CreateObject(), *tags;
	const char *original =
	    state_str(st->events[r->seq - 1].payload, "text");
	char name[16];
	int ok;

	snprintf(name, sizeof(name), "%c%d", record_letter(r->kind),
		 r->number);
	ok = item != NULL && cJSON_AddStringToObject(item, "id", name) &&
	     cJSON_AddStringToObject(item, "text", r->text ? r->text : "") &&
	     cJSON_AddStringToObject(
		 item, "phase", st->wf->phases[st->events[r->seq - 1].phase].id) &&
	     cJSON_AddStringToObject(item, "status",
				     r->struck    ? "struck"
				     : r->dropped ? "dropped"
						  : "kept");
	if (ok && r->kind == CW_RECORD_NOTE) {
		tags = cJSON_AddArrayToObject(item, "tags");
		ok = tags != NULL;
		for (int i = 0; ok && i < r->tag_count; i++)
			ok = cJSON_AddItemToArray(tags,
						  cJSON_CreateString(r->tags[i]));
	}
	if (ok && r->term != NULL)
		ok = cJSON_AddStringToObject(item, "term", r->term) != NULL;
	if (ok && r->measure != NULL)
		ok = cJSON_AddStringToObject(item, "measure", r->measure) != NULL;
	if (ok && (r->kind == CW_RECORD_INTERVENTION ||
		   r->kind == CW_RECORD_EVALUATION)) {
		snprintf(name, sizeof(name), "%c%d",
			 record_letter(CW_RECORD_GOAL), r->goal);
		ok = cJSON_AddStringToObject(item, "goal", name) != NULL;
	}
	if (ok && r->type != NULL)
		ok = cJSON_AddStringToObject(item, "type", r->type) != NULL;
	if (ok && r->outcome != NULL)
		ok = cJSON_AddStringToObject(item, "outcome", r->outcome) != NULL;
	if (ok && original != NULL && r->text != NULL &&
	    strcmp(original, r->text) != 0)
		ok = cJSON_AddStringToObject(item, "original", original) != NULL;
	if (ok && r->struck)
		ok = cJSON_AddStringToObject(item, "strike_reason",
					     r->strike_reason
						 ? r->strike_reason
						 : "") != NULL;
	if (!ok) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

/* Add each record of `kind` (-1: every kind) made in phase `phase` (-1:
 * any) and carrying `tag` (NULL: any) to `list`; 1, or 0 when out of
 * memory. */
static int add_records(cJSON *list, const state *st, int kind, long phase,
		       const char *tag)
{
	for (size_t i = 0; i < st->record_count; i++) {
		const record *r = &st->records[i];
		cJSON *item;

		if ((kind >= 0 && (int)r->kind != kind) ||
		    (phase >= 0 && st->events[r->seq - 1].phase != (size_t)phase) ||
		    (tag != NULL && !record_has_tag(r, tag)))
			continue;
		item = record_json(st, r);
		if (item == NULL || !cJSON_AddItemToArray(list, item)) {
			cJSON_Delete(item);
			return 0;
		}
	}
	return 1;
}

int cw_session_records(cJSON **out, cw_store *s, const char *id,
		       const char *kind, const char *tag)
{
	session_row row;
	state st;
	cJSON *doc = NULL, *list;
	int owned = 0, k = kind_of(kind), error;

	*out = NULL;
	if (k < 0)
		return cw_error_set(CW_EINVALID, "no record kind '%s'",
				    kind ? kind : "");
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	if (tag != NULL && !cw_workflow_knows_tag(st.wf, tag)) {
		error = workflow_no_tag(st.wf, tag);
		goto cleanup;
	}
	doc = cJSON_CreateObject();
	list = doc ? cJSON_AddArrayToObject(doc, "records") : NULL;
	if (list == NULL || !cJSON_AddStringToObject(doc, "session", row.id) ||
	    !cJSON_AddStringToObject(doc, "kind", kind) ||
	    !add_records(list, &st, k, -1, tag)) {
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

/* The statements and reflection stages given in phase `p`, as they stand
 * now; 1, or 0 when out of memory. */
static int add_statements(cJSON *list, const state *st, size_t p)
{
	int ok = 1;

	for (size_t i = 0; ok && i < st->answer_count; i++) {
		const answer *a = &st->answers[i];
		cJSON *item;

		if (st->events[a->seq - 1].phase != p)
			continue;
		item = cJSON_CreateObject();
		ok = cJSON_AddItemToArray(list, item) &&
		     cJSON_AddStringToObject(item, "checkpoint", a->checkpoint) &&
		     (a->value == NULL ||
		      cJSON_AddStringToObject(item, "value", a->value)) &&
		     cJSON_AddStringToObject(item, "text", a->text);
	}
	for (size_t i = 0; ok && i < st->reflection_count; i++) {
		const reflection_stage *r = &st->reflections[i];
		cJSON *item;

		if (st->events[r->seq - 1].phase != p)
			continue;
		item = cJSON_CreateObject();
		ok = cJSON_AddItemToArray(list, item) &&
		     cJSON_AddStringToObject(item, "checkpoint", r->checkpoint) &&
		     cJSON_AddStringToObject(item, "stage", r->stage) &&
		     cJSON_AddStringToObject(item, "text", r->text);
	}
	return ok;
}

/* One phase of the debrief; 1, or 0 when out of memory. */
static int debrief_phase(cJSON *phases, const state *st, size_t p,
			 const cJSON *notes)
{
	const cw_phase *ph = &st->wf->phases[p];
	const cJSON *note = cJSON_GetObjectItemCaseSensitive(notes, ph->id);
	cJSON *item = cJSON_CreateObject(), *records, *statements, *rubric;
	int visits;
	double seconds;

	state_phase_time(st, p, &visits, &seconds);
	if (item == NULL || !cJSON_AddItemToArray(phases, item))
		return cJSON_Delete(item), 0;
	records = cJSON_AddArrayToObject(item, "records");
	statements = cJSON_AddArrayToObject(item, "statements");
	rubric = state_rubric_json(ph);
	return cJSON_AddStringToObject(item, "id", ph->id) &&
	       cJSON_AddStringToObject(item, "title", ph->title) &&
	       cJSON_AddNumberToObject(item, "visits", visits) &&
	       records != NULL && statements != NULL &&
	       add_records(records, st, -1, (long)p, NULL) &&
	       add_statements(statements, st, p) &&
	       cJSON_AddStringToObject(item, "instructor_notes",
				       cJSON_IsString(note) ? note->valuestring
							    : "") &&
	       rubric != NULL && cJSON_AddItemToObject(item, "rubric", rubric);
}

int cw_session_debrief(cJSON **out, cw_store *s, const char *id)
{
	session_row row;
	state st;
	char *text = NULL;
	cJSON *doc = NULL, *notes = NULL, *phases;
	int owned = 0, ok, error = store_enter_read(s, &owned);

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	if (!st.closed) {
		error = cw_error_set(CW_EREFUSED,
				     "the debrief opens once the session is "
				     "closed; it is in phase '%s' (see "
				     "'casework status')",
				     st.wf->phases[st.phase].id);
		goto cleanup;
	}
	/* the notes come from the store, which on a class server decides
	 * whether this login may read them (a student's own closed session) */
	if ((error = store_case_notes(s, row.id, &text)) < 0)
		goto cleanup;
	notes = text != NULL ? cJSON_Parse(text) : NULL;
	doc = cJSON_CreateObject();
	phases = doc ? cJSON_AddArrayToObject(doc, "phases") : NULL;
	ok = phases != NULL && cJSON_AddStringToObject(doc, "session", row.id) &&
	     cJSON_AddStringToObject(doc, "case", row.case_id) &&
	     cJSON_AddStringToObject(doc, "student", row.student);
	for (size_t p = 0; ok && p < st.wf->phase_count; p++)
		ok = debrief_phase(phases, &st, p, notes);
	if (!ok) {
		cJSON_Delete(doc);
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	*out = doc;
cleanup:
	store_end(s, owned, 0);
	cJSON_Delete(notes);
	free(text);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}
