/*
 * catalog.c - the workflows a store holds: the compiled-in standard one,
 * imported variants as immutable versions, and their DOT drawings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "casework/session.h"
#include "casework/workflow.h"
#include "store.h"

static void now_utc(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int catalog_load(cw_workflow **out, cw_store *s, const char *id, int version,
		 int *version_out)
{
	cw_diags diags = CW_DIAGS_INIT;
	char *text = NULL;
	int error = store_workflow_get(s, id, version, &text, version_out);

	*out = NULL;
	if (error == 0)
		error = cw_workflow_parse(out, &diags, text, strlen(text));
	if (error == CW_ESCHEMA)
		error = cw_error_set(CW_ERROR,
				     "stored workflow %s is damaged: %s", id,
				     cw_error_last());
	cw_diags_free(&diags);
	free(text);
	return error;
}

int cw_workflow_load(cw_workflow **out, cw_store *s, const char *id,
		     int version)
{
	return catalog_load(out, s, id, version, NULL);
}

int catalog_ensure_standard(cw_store *s)
{
	cw_workflow *wf = NULL;
	cw_diags diags = CW_DIAGS_INIT;
	size_t len;
	const char *text = cw_workflow_standard_text(&len);
	char *stored = NULL, *copy = NULL, sha[65], at[32];
	int owned = 0;
	int error = cw_workflow_parse(&wf, &diags, text, len);

	cw_diags_free(&diags);
	if (error < 0)
		return cw_error_set(CW_ERROR,
				    "the built-in workflow is invalid: %s",
				    cw_error_last());
	/* look inside the write transaction, so that two processes cannot
	 * both find it missing */
	if ((error = store_enter(s, &owned)) < 0)
		goto cleanup;
	error = store_workflow_get(s, wf->id, wf->version, &stored, NULL);
	if (error != CW_ENOTFOUND) {
		error = store_end(s, owned, error);
		goto cleanup;
	}
	copy = strndup(text, len);
	error = store_sha256(sha, text, len);
	now_utc(at);
	if (error == 0 && copy == NULL)
		error = cw_error_set(CW_ERROR, "out of memory");
	if (error == 0)
		error = store_workflow_insert(s, wf->id, wf->version,
					      wf->title, copy, sha, at);
	error = store_end(s, owned, error);
cleanup:
	free(copy);
	free(stored);
	cw_workflow_free(wf);
	return error;
}

/* A definition's content apart from its version number, for comparing. */
static char *content_key(const char *text, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(text, len);
	char *key;

	cJSON_DeleteItemFromObjectCaseSensitive(doc, "version");
	key = doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	return key;
}

int cw_workflow_import(cJSON **out, cw_store *s, cw_diags *diags,
		       const char *text, size_t len)
{
	cw_workflow *wf = NULL;
	cJSON *doc = NULL;
	char *stored = NULL, *new_key = NULL, *old_key = NULL, *canon = NULL;
	char sha[65], at[32];
	const char *result = "imported";
	int newest = 0, version, owned = 0, error;

	*out = NULL;
	if (len > CW_MAX_WORKFLOW_SIZE) {
		return cw_error_set(CW_ESCHEMA,
				    "$: the file is %zu bytes; a workflow may "
				    "be at most %d",
				    len, CW_MAX_WORKFLOW_SIZE);
	}
	if ((error = cw_workflow_parse(&wf, diags, text, len)) < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		goto cleanup;
	if ((error = catalog_ensure_standard(s)) < 0)
		goto done;
	version = wf->version;
	error = store_workflow_get(s, wf->id, 0, &stored, &newest);
	if (error < 0 && error != CW_ENOTFOUND)
		goto done;
	doc = cJSON_ParseWithLength(text, len);
	new_key = content_key(text, len);
	if (error == 0) {
		old_key = content_key(stored, strlen(stored));
		if (old_key != NULL && new_key != NULL &&
		    strcmp(old_key, new_key) == 0) {
			result = "unchanged";
			version = newest;
			error = 0;
			goto done;
		}
		if (version <= newest)
			version = newest + 1;
	}
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "version",
					       cJSON_CreateNumber(version));
	canon = cJSON_Print(doc);
	if (canon == NULL) {
		error = cw_error_set(CW_ERROR, "out of memory");
		goto done;
	}
	if ((error = store_sha256(sha, canon, strlen(canon))) < 0)
		goto done;
	now_utc(at);
	error = store_workflow_insert(s, wf->id, version, wf->title, canon, sha,
				      at);
done:
	if (error == 0) {
		*out = cJSON_CreateObject();
		cJSON_AddStringToObject(*out, "id", wf->id);
		cJSON_AddNumberToObject(*out, "version", version);
		cJSON_AddStringToObject(*out, "title", wf->title);
		cJSON_AddStringToObject(*out, "result", result);
	}
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
cleanup:
	cJSON_Delete(doc);
	free(stored);
	free(new_key);
	free(old_key);
	free(canon);
	cw_workflow_free(wf);
	return error;
}

int cw_workflow_list(cJSON **out, cw_store *s, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, ST_WORKFLOW_LIST);
	int error;

	*out = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((error = store_rows_json(out, s, st, "listing workflows")) < 0)
		return error;
	if (id != NULL && cJSON_GetArraySize(*out) == 0) {
		cJSON_Delete(*out);
		*out = NULL;
		return cw_error_set(CW_ENOTFOUND,
				    "no workflow '%s' (see 'casework workflow "
				    "list')",
				    id);
	}
	return 0;
}

int cw_workflow_sessions(cJSON **out, cw_store *s, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, ST_WORKFLOW_SESSIONS);

	*out = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return store_rows_json(out, s, st, "listing sessions");
}

/* Write `s` as a DOT double-quoted string. */
static void dot_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The phases session `id` passed through, in order (-1: closed). */
static int session_path(int **out, size_t *count, cw_store *s,
			const cw_workflow *wf, const char *id)
{
	cJSON *log = NULL;
	const cJSON *ev;
	int error = cw_session_log(&log, s, id);
	size_t n = 0;

	*out = NULL;
	*count = 0;
	if (error < 0)
		return error;
	*out = calloc((size_t)cJSON_GetArraySize(
			      cJSON_GetObjectItem(log, "events")) + 1,
		      sizeof(int));
	if (*out == NULL) {
		cJSON_Delete(log);
		return cw_error_set(CW_ERROR, "out of memory");
	}
	(*out)[n++] = 0;
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(log, "events")) {
		const char *type = cJSON_GetObjectItem(ev, "type")->valuestring;
		const cJSON *to = cJSON_GetObjectItem(
			cJSON_GetObjectItem(ev, "payload"), "to");

		if (strcmp(type, "session.closed") == 0)
			(*out)[n++] = -1;
		else if (cJSON_IsString(to))
			(*out)[n++] = cw_workflow_phase_index(wf,
							      to->valuestring);
	}
	*count = n;
	cJSON_Delete(log);
	return 0;
}

static const char *node(const cw_workflow *wf, int phase)
{
	return phase < 0 ? "closed" : wf->phases[phase].id;
}

int cw_workflow_dot(char **out, cw_store *s, const char *id,
		    const char *session)
{
	cw_workflow *wf = NULL;
	cJSON *status = NULL;
	int *path = NULL;
	size_t path_len = 0, size = 0;
	const char *current = NULL;
	FILE *f = NULL;
	int error;

	*out = NULL;
	if (session != NULL) {
		if ((error = cw_session_status(&status, s, session)) < 0)
			goto cleanup;
		id = cJSON_GetObjectItem(cJSON_GetObjectItem(status, "workflow"),
					 "id")->valuestring;
		error = catalog_load(&wf, s, id,
				     cJSON_GetObjectItem(cJSON_GetObjectItem(
								 status, "workflow"),
							 "version")->valueint,
				     NULL);
		if (error == 0)
			error = session_path(&path, &path_len, s, wf, session);
		if (error < 0)
			goto cleanup;
		current = strcmp(cJSON_GetObjectItem(status, "status")->valuestring,
				 "closed") == 0
				  ? "closed"
				  : cJSON_GetObjectItem(cJSON_GetObjectItem(status,
									    "phase"),
							"id")->valuestring;
	} else if ((error = cw_workflow_load(&wf, s, id ? id : "standard", 0)) <
		   0) {
		goto cleanup;
	}

	f = open_memstream(out, &size);
	if (f == NULL) {
		error = cw_error_set(CW_ERROR, "out of memory");
		goto cleanup;
	}
	fputs("digraph ", f);
	dot_string(f, wf->id);
	fputs(" {\n  rankdir=LR;\n  labelloc=t;\n  label=", f);
	{
		char title[300];

		snprintf(title, sizeof(title), "%s (%s v%d)", wf->title, wf->id,
			 wf->version);
		dot_string(f, title);
	}
	fputs(";\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
	      "  edge [fontname=\"Helvetica\", fontsize=10];\n",
	      f);
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];
		char label[2048];
		size_t len;

		snprintf(label, sizeof(label), "%zu. %s", i + 1, ph->title);
		for (size_t k = 0; k < ph->checkpoint_count; k++) {
			len = strlen(label);
			snprintf(label + len, sizeof(label) - len, "\n- %s (%s)",
				 ph->checkpoints[k].id,
				 cw_checkpoint_kind_name(ph->checkpoints[k].kind));
		}
		fputs("  ", f);
		dot_string(f, ph->id);
		fputs(" [label=", f);
		dot_string(f, label);
		if (current != NULL && strcmp(current, ph->id) == 0)
			fputs(", style=\"rounded,filled,bold\", "
			      "fillcolor=\"#ffe08a\"",
			      f);
		fputs("];\n", f);
	}
	fprintf(f, "  \"closed\" [shape=doublecircle, label=\"closed\"%s];\n",
		current && strcmp(current, "closed") == 0
			? ", style=filled, fillcolor=\"#ffe08a\""
			: "");
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];

		fputs("  ", f);
		dot_string(f, ph->id);
		fputs(" -> ", f);
		dot_string(f, node(wf, i + 1 < wf->phase_count ? (int)i + 1 : -1));
		fputs(" [label=\"advance\"];\n", f);
		for (size_t k = 0; k < ph->revisit_count; k++) {
			fputs("  ", f);
			dot_string(f, ph->id);
			fputs(" -> ", f);
			dot_string(f, wf->phases[ph->revisit[k]].id);
			fputs(" [style=dashed, label=\"revisit\", "
			      "constraint=false];\n",
			      f);
		}
	}
	/* the path the session took, numbered, over the workflow's edges */
	for (size_t i = 1; i < path_len; i++) {
		fputs("  ", f);
		dot_string(f, node(wf, path[i - 1]));
		fputs(" -> ", f);
		dot_string(f, node(wf, path[i]));
		fprintf(f,
			" [color=\"#1f6feb\", fontcolor=\"#1f6feb\", "
			"penwidth=2, label=\"%zu\", constraint=false];\n",
			i);
	}
	fputs("}\n", f);
	if (fclose(f) != 0) {
		f = NULL;
		error = cw_error_set(CW_ERROR, "out of memory");
		goto cleanup;
	}
	f = NULL;
	error = 0;
cleanup:
	if (f != NULL)
		fclose(f);
	if (error < 0) {
		free(*out);
		*out = NULL;
	}
	free(path);
	cJSON_Delete(status);
	cw_workflow_free(wf);
	return error;
}
