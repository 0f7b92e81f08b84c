/*
 * listing.c - the lists the library gives its users as JSON: sessions,
 * session ids, cases, workflow versions and the sessions on a workflow.
 * Each is one pass over the store's typed rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "casework/case.h"
#include "casework/session.h"
#include "casework/workflow.h"
#include "store.h"
#include "text.h"

/* Add `item` to `list`, or free it: 0, or CW_ERROR when out of memory. */
static int append(cJSON *list, cJSON *item)
{
	if (item != NULL && cJSON_AddItemToArray(list, item))
		return 0;
	cJSON_Delete(item);
	return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
}

/* An object built whole, or NULL: the listings are read back key by key
 * without looking, so a row with a member missing must not pass. */
static cJSON *object(int whole, cJSON *obj)
{
	if (whole)
		return obj;
	cJSON_Delete(obj);
	return NULL;
}

static int add_str(cJSON *obj, const char *key, const char *value)
{
	return value ? cJSON_AddStringToObject(obj, key, value) != NULL
		     : cJSON_AddNullToObject(obj, key) != NULL;
}

static int add_num(cJSON *obj, const char *key, double value)
{
	return cJSON_AddNumberToObject(obj, key, value) != NULL;
}

/* The end of a listing: `list` in *out when `error` is 0, else freed. */
static int collect(cJSON **out, int error, cJSON *list)
{
	if (error == 0 && list == NULL)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (error < 0) {
		cJSON_Delete(list);
		return error;
	}
	*out = list;
	return 0;
}

/* What cw_session_each was asked for. */
typedef struct each_job {
	cw_session_fn fn;
	void *payload;
} each_job;

static int each_row(const session_row *r, void *payload)
{
	const each_job *job = payload;
	cw_session_info info = { .session = r->id,
				 .case_id = r->case_id,
				 .workflow = r->workflow_id,
				 .version = r->workflow_version,
				 .student = r->student,
				 .created_at = r->created_at,
				 .phase = r->phase,
				 .status = r->status,
				 .events = r->last_seq,
				 .met = r->met,
				 .total = r->total,
				 .updated_at = r->updated_at,
				 .ended_early = r->ended_early };

	return job->fn(&info, job->payload);
}

int cw_session_each(cw_store *s, const cw_session_filter *f,
		    cw_session_fn fn, void *payload)
{
	store_session_filter filter = { 0 };
	each_job job = { fn, payload };
	int error, end, owned = 0;

	if (f != NULL)
		filter = (store_session_filter){ .case_id = f->case_id,
						 .student = f->student,
						 .student_words = 1,
						 .phase = f->phase,
						 .status = f->status,
						 .since = f->since };
	/* one snapshot for the list and what the callback reads */
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	error = store_sessions_each(s, &filter, each_row, &job);
	/* a callback that stops (a positive value) is no failure to roll
	 * back, but its value is what the caller gets */
	end = store_end(s, owned, error < 0 ? error : 0);
	return error != 0 ? error : end;
}

/* The phase ids of the workflows a filter's phase is checked against:
 * the phase named is found, or the nearest to it kept (copied, as each
 * workflow is freed once looked at). */
typedef struct phase_search {
	const char *word;
	int found;
	text_near n;
	char best[64];
	char ids[32][64]; /* the stored workflows' ids, each looked at once */
	size_t id_count;
} phase_search;

static void phase_consider(phase_search *ps, const cw_workflow *wf)
{
	const char *before;

	for (size_t i = 0; i < wf->phase_count; i++) {
		if (strcmp(wf->phases[i].id, ps->word) == 0)
			ps->found = 1;
		before = ps->n.best;
		text_near_consider(&ps->n, wf->phases[i].id);
		if (ps->n.best != before) {
			snprintf(ps->best, sizeof(ps->best), "%s",
				 wf->phases[i].id);
			ps->n.best = ps->best;
		}
	}
}

static int phase_workflow_id(const workflow_row *row, void *payload)
{
	phase_search *ps = payload;

	for (size_t i = 0; i < ps->id_count; i++)
		if (strcmp(ps->ids[i], row->id) == 0)
			return 0;
	if (ps->id_count < sizeof(ps->ids) / sizeof(ps->ids[0]))
		snprintf(ps->ids[ps->id_count++], sizeof(ps->ids[0]), "%s",
			 row->id);
	return 0;
}

/* CW_ENOTFOUND when `phase` is a phase of no workflow the store has (nor
 * of a built-in one), with the nearest phase id when one is near. */
static int check_phase(cw_store *s, const char *phase)
{
	phase_search ps = { .word = phase, .n = { phase, NULL, 99 } };
	cw_workflow *wf = NULL;
	cw_diags diags = CW_DIAGS_INIT;
	const char *text, *near;
	size_t len;
	int error;

	if ((error = store_phase_known(s, phase, &ps.found)) < 0)
		return error;
	for (size_t i = 0; !ps.found && (text = cw_workflow_builtin_text(
						 i, &len)) != NULL;
	     i++) {
		if (cw_workflow_parse(&wf, &diags, text, len) == 0)
			phase_consider(&ps, wf);
		cw_workflow_free(wf);
		wf = NULL;
		cw_diags_free(&diags);
	}
	if (ps.found)
		return 0;
	/* the suggestion is a courtesy: a failure to read gives none */
	(void)store_workflows_each(s, NULL, phase_workflow_id, &ps);
	for (size_t i = 0; i < ps.id_count; i++) {
		if (cw_workflow_load(&wf, s, ps.ids[i], 0) == 0)
			phase_consider(&ps, wf);
		cw_workflow_free(wf);
		wf = NULL;
	}
	cw_error_clear();
	near = text_near_result(&ps.n);
	return near ? cw_error_set(CW_ENOTFOUND,
				   "no phase '%s' in any workflow; did you "
				   "mean '%s'? (see 'casework workflow show')",
				   phase, near)
		    : cw_error_set(CW_ENOTFOUND,
				   "no phase '%s' in any workflow (see "
				   "'casework workflow show')",
				   phase);
}

int cw_session_filter_check(cw_store *s, const cw_session_filter *f)
{
	char *text = NULL, *sha = NULL;
	int error = 0;

	if (f == NULL)
		return 0;
	if (f->case_id != NULL) {
		error = store_case_get(s, f->case_id, &text, &sha);
		free(text);
		free(sha);
	}
	if (error == 0 && f->phase != NULL)
		error = check_phase(s, f->phase);
	return error;
}

cJSON *cw_session_info_json(const cw_session_info *r)
{
	cJSON *obj = cJSON_CreateObject();

	return object(obj && add_str(obj, "session", r->session) &&
			      add_str(obj, "case", r->case_id) &&
			      add_str(obj, "workflow", r->workflow) &&
			      add_num(obj, "version", r->version) &&
			      add_str(obj, "student", r->student) &&
			      add_str(obj, "created_at", r->created_at) &&
			      add_str(obj, "phase", r->phase) &&
			      add_str(obj, "status", r->status) &&
			      add_num(obj, "events", (double)r->events) &&
			      add_num(obj, "met", r->met) &&
			      add_num(obj, "total", r->total) &&
			      add_str(obj, "updated_at", r->updated_at) &&
			      (r->ended_early == NULL ||
			       add_str(obj, "ended_early", r->ended_early)),
		      obj);
}

static int session_item(const cw_session_info *info, void *payload)
{
	return append(payload, cw_session_info_json(info));
}

int cw_session_list(cJSON **out, cw_store *s, const cw_session_filter *f)
{
	cJSON *list = cJSON_CreateArray();

	*out = NULL;
	return collect(out,
		       list ? cw_session_each(s, f, session_item, list) : 0,
		       list);
}

static int id_item(const session_row *r, void *payload)
{
	return append(payload, cJSON_CreateString(r->id));
}

int cw_session_ids(cJSON **out, cw_store *s)
{
	cJSON *ids = cJSON_CreateArray();

	*out = NULL;
	return collect(out, ids ? store_sessions_each(s, NULL, id_item, ids) : 0,
		       ids);
}

static int case_item(const case_row *c, void *payload)
{
	cJSON *obj = cJSON_CreateObject();

	return append(payload,
		      object(obj && add_str(obj, "id", c->id) &&
				     add_str(obj, "title", c->title) &&
				     add_str(obj, "setting", c->setting) &&
				     add_str(obj, "imported_at",
					     c->imported_at) &&
				     add_num(obj, "sessions",
					     (double)c->sessions),
			     obj));
}

int cw_case_list(cJSON **out, cw_store *s)
{
	cJSON *list = cJSON_CreateArray();

	*out = NULL;
	return collect(out, list ? store_cases_each(s, case_item, list) : 0,
		       list);
}

static int workflow_item(const workflow_row *w, void *payload)
{
	cJSON *obj = cJSON_CreateObject();

	return append(payload,
		      object(obj && add_str(obj, "id", w->id) &&
				     add_num(obj, "version", w->version) &&
				     add_str(obj, "title", w->title) &&
				     add_str(obj, "imported_at",
					     w->imported_at) &&
				     add_num(obj, "sessions",
					     (double)w->sessions),
			     obj));
}

int cw_workflow_list(cJSON **out, cw_store *s, const char *id)
{
	cJSON *list = cJSON_CreateArray();
	int error;

	*out = NULL;
	error = collect(out,
			list ? store_workflows_each(s, id, workflow_item, list)
			     : 0,
			list);
	if (error < 0)
		return error;
	if (id != NULL && cJSON_GetArraySize(*out) == 0) {
		cJSON_Delete(*out);
		*out = NULL;
		return store_no_workflow(s, id);
	}
	return 0;
}

static int workflow_session_item(const session_row *r, void *payload)
{
	cJSON *obj = cJSON_CreateObject();

	return append(payload,
		      object(obj && add_str(obj, "session", r->id) &&
				     add_num(obj, "version",
					     r->workflow_version) &&
				     add_str(obj, "student", r->student) &&
				     add_str(obj, "phase", r->phase) &&
				     add_str(obj, "status", r->status),
			     obj));
}

/* Sort by version, keeping the store's order (oldest first) within one. */
static void sort_by_version(cJSON *list)
{
	cJSON *sorted = NULL, *item;

	while ((item = list->child) != NULL) {
		double v = cJSON_GetObjectItem(item, "version")->valuedouble;
		cJSON **at = &sorted;

		cJSON_DetachItemViaPointer(list, item);
		while (*at != NULL &&
		       cJSON_GetObjectItem(*at, "version")->valuedouble <= v)
			at = &(*at)->next;
		item->next = *at;
		item->prev = NULL;
		*at = item;
	}
	/* relink as cJSON keeps an array: prev of the first is the last */
	list->child = sorted;
	for (item = sorted; item != NULL; item = item->next)
		if (item->next != NULL)
			item->next->prev = item;
		else if (sorted != NULL)
			sorted->prev = item;
}

int cw_workflow_sessions(cJSON **out, cw_store *s, const char *id)
{
	store_session_filter filter = { .workflow_id = id };
	cJSON *list = cJSON_CreateArray();
	int error;

	*out = NULL;
	error = collect(out,
			list ? store_sessions_each(s, &filter,
						   workflow_session_item, list)
			     : 0,
			list);
	if (error == 0)
		sort_by_version(*out);
	return error;
}
