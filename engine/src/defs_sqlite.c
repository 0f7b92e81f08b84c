/*
 * defs_sqlite.c - the definitions a SQLite store holds for the SQLite
 * backend (store_sqlite.c): workflow versions with their compiled images,
 * and cases with their texts kept by hash.
 */
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

int sqlite_workflow_get(cw_store *s, const char *id, int version,
			       char **text, int *version_out)
{
	sqlite3_stmt *st = sqlite_stmt(s, version ? ST_WORKFLOW_GET
					   : ST_WORKFLOW_NEWEST);
	int rc, oom = 0;

	*text = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, id);
	if (version)
		sqlite3_bind_int(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*text = sqlite_column_dup(st, 0, &oom);
		if (version_out != NULL)
			*version_out = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return *text && !oom ? 0 : cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (rc == SQLITE_DONE)
		return version ? cw_error_set(CW_ENOTFOUND,
					      "no workflow %s version %d", id,
					      version)
			       : cw_error_set(CW_ENOTFOUND, "no workflow '%s'",
					      id);
	return sqlite_fail(s, rc, "reading a workflow");
}

int sqlite_workflow_put(cw_store *s, const workflow_row *w)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WORKFLOW_INSERT);

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, w->id);
	sqlite3_bind_int(st, 2, w->version);
	sqlite_bind_text(st, 3, w->title);
	sqlite_bind_text(st, 4, w->definition);
	sqlite_bind_text(st, 5, w->sha256);
	sqlite_bind_text(st, 6, w->imported_at);
	return sqlite_done(s, st, "storing a workflow");
}

static int workflow_of_row(sqlite3_stmt *st, void *payload)
{
	struct each *e = payload;
	workflow_row w = {
		.id = (const char *)sqlite3_column_text(st, 0),
		.version = sqlite3_column_int(st, 1),
		.title = (const char *)sqlite3_column_text(st, 2),
		.sha256 = (const char *)sqlite3_column_text(st, 3),
		.imported_at = (const char *)sqlite3_column_text(st, 4),
		.sessions = sqlite3_column_int64(st, 5),
	};

	return ((store_workflow_fn)e->fn)(&w, e->payload);
}

int sqlite_workflows_each(cw_store *s, const char *id,
				 store_workflow_fn fn, void *payload)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WORKFLOW_LIST);
	struct each e = { (void *)fn, payload };

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, id);
	return sqlite_each_row(s, st, "listing workflows", workflow_of_row, &e);
}

int sqlite_phase_known(cw_store *s, const char *phase, int *known)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WORKFLOW_PHASES);
	int rc;

	*known = 0;
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, phase);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	*known = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? 0
		       : sqlite_fail(s, rc, "reading the workflows' phases");
}

int sqlite_workflow_image_get(cw_store *s, const char *id,
				     int version, unsigned format,
				     void **image, size_t *len)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_IMAGE_GET);
	const void *blob;
	int rc, bytes;

	*image = NULL;
	*len = 0;
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_int64(st, 3, format);
	rc = sqlite3_step(st);
	/* the blob before its size, as sqlite3_column_bytes asks */
	blob = rc == SQLITE_ROW ? sqlite3_column_blob(st, 0) : NULL;
	if (rc == SQLITE_ROW && (bytes = sqlite3_column_bytes(st, 0)) > 0) {
		if (blob == NULL || (*image = malloc((size_t)bytes)) == NULL) {
			sqlite3_reset(st);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
		memcpy(*image, blob, (size_t)bytes);
		*len = (size_t)bytes;
	}
	sqlite3_reset(st);
	if (*image != NULL)
		return 0;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return cw_error_set(CW_ENOTFOUND, "no image of workflow %s %d",
				    id, version);
	return sqlite_fail(s, rc, "reading a workflow");
}

int sqlite_workflow_image_put(cw_store *s, const char *id,
				     int version, unsigned format,
				     const void *image, size_t len)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_IMAGE_PUT);

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_int64(st, 3, format);
	sqlite3_bind_blob64(st, 4, image, len, SQLITE_STATIC);
	return sqlite_done(s, st, "storing a workflow");
}

int sqlite_case_text(cw_store *s, const char *sha256, char **text)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_CASE_TEXT);
	int found;

	*text = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, sha256);
	if ((found = sqlite_one_row(s, st, 1, text, "reading a case")) < 0)
		return found;
	return found ? 0
		     : cw_error_set(CW_ENOTFOUND, "no case text %s", sha256);
}

int sqlite_case_notes(cw_store *s, const char *session, char **notes)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_CASE_NOTES);
	int found;

	*notes = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, session);
	found = sqlite_one_row(s, st, 1, notes, "reading a case's notes");
	if (found < 0)
		return found;
	return found ? 0
		     : cw_error_set(CW_ENOTFOUND, "no session %s", session);
}

int sqlite_case_get(cw_store *s, const char *id, char **text,
			   char **sha256)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_CASE_GET);
	char *row[2] = { NULL, NULL };
	int found;

	*text = NULL;
	if (sha256 != NULL)
		*sha256 = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, id);
	if ((found = sqlite_one_row(s, st, 2, row, "reading a case")) < 0)
		return found;
	if (!found)
		return cw_error_set(CW_ENOTFOUND,
				    "no case '%s' (see 'casework case list')",
				    id);
	*text = row[0];
	if (sha256 != NULL)
		*sha256 = row[1];
	else
		free(row[1]);
	return 0;
}

/* Store a case's text by its hash, then its row: an upsert (import) or an
 * insert that leaves an existing case alone (bundle). */
int sqlite_case_put(cw_store *s, const case_row *c, int replace)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_CASE_TEXT_INSERT);
	int error;

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, c->sha256);
	sqlite_bind_text(st, 2, c->definition);
	if ((error = sqlite_done(s, st, "storing a case")) < 0)
		return error;
	if ((st = sqlite_stmt(s, replace ? ST_CASE_UPSERT : ST_CASE_ADOPT)) == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, c->id);
	sqlite_bind_text(st, 2, c->title);
	sqlite_bind_text(st, 3, c->setting);
	sqlite_bind_text(st, 4, c->sha256);
	sqlite_bind_text(st, 5, c->imported_at);
	return sqlite_done(s, st, "storing a case");
}

static int case_of_row(sqlite3_stmt *st, void *payload)
{
	struct each *e = payload;
	case_row c = {
		.id = (const char *)sqlite3_column_text(st, 0),
		.title = (const char *)sqlite3_column_text(st, 1),
		.setting = (const char *)sqlite3_column_text(st, 2),
		.sha256 = (const char *)sqlite3_column_text(st, 3),
		.imported_at = (const char *)sqlite3_column_text(st, 4),
		.sessions = sqlite3_column_int64(st, 5),
	};

	return ((store_case_fn)e->fn)(&c, e->payload);
}

int sqlite_cases_each(cw_store *s, store_case_fn fn, void *payload)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_CASE_LIST);
	struct each e = { (void *)fn, payload };

	return st ? sqlite_each_row(s, st, "listing cases", case_of_row, &e)
		  : CW_ERROR;
}

