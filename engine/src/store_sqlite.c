/*
 * store_sqlite.c - the SQLite backend of the storage interface (store.h):
 * opening and hardening a file, transactions, and every statement the
 * engine runs on SQLite.  Statements are prepared once per store, with
 * SQLITE_PREPARE_PERSISTENT, and always take bound parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

/*
 * Statement `id`, prepared once per store, reset and unbound; NULL (the
 * failure set) when it cannot be prepared, or when the transaction it
 * would run in is gone.  SQLite rolls a transaction back by itself after
 * some failures (out of memory, a full disk, an I/O error); a caller that
 * took such a failure for "not there" and went on would otherwise run
 * its next statements in autocommit, each saved on its own, and break
 * "one transaction per command".
 */
sqlite3_stmt *sqlite_stmt(cw_store *s, enum stmt_id id)
{
	sqlite_store *ss = (sqlite_store *)s;

	if (ss->in_tx && sqlite3_get_autocommit(ss->db)) {
		cw_error_set(CW_ERROR, "the database rolled the command's "
			     "transaction back after an earlier failure; "
			     "nothing was written");
		return NULL;
	}
	if (ss->stmts[id] == NULL) {
		int rc = sqlite3_prepare_v3(ss->db, sqlite_sql[id], -1,
					    SQLITE_PREPARE_PERSISTENT,
					    &ss->stmts[id], NULL);

		if (rc != SQLITE_OK) {
			sqlite_fail(s, rc, "preparing a statement");
			return NULL;
		}
	}
	sqlite3_reset(ss->stmts[id]);
	sqlite3_clear_bindings(ss->stmts[id]);
	return ss->stmts[id];
}

/* Step `st` once, expecting no row: 0, or the failure as `what`. */
int sqlite_done(cw_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sqlite_fail(s, rc, what);
}

static int exec_stmt(cw_store *s, enum stmt_id id, const char *what)
{
	sqlite3_stmt *st = sqlite_stmt(s, id);

	return st ? sqlite_done(s, st, what) : CW_ERROR;
}

static int sqlite_begin(cw_store *s, int write)
{
	int error = exec_stmt(s, write ? ST_BEGIN : ST_BEGIN_READ,
			      write ? "starting a transaction"
				    : "starting a read");

	((sqlite_store *)s)->in_tx = error == 0;
	return error;
}

static void sqlite_rollback(cw_store *s)
{
	((sqlite_store *)s)->in_tx = 0;
	if (sqlite3_get_autocommit(sqlite_db(s)) == 0) {
		sqlite3_stmt *st = sqlite_stmt(s, ST_ROLLBACK);

		if (st != NULL) {
			sqlite3_step(st);
			sqlite3_reset(st);
		}
	}
}

static int sqlite_commit(cw_store *s)
{
	int error = exec_stmt(s, ST_COMMIT, "committing");

	if (error < 0)
		sqlite_rollback(s);
	((sqlite_store *)s)->in_tx = 0;
	return error;
}

void sqlite_close(cw_store *s)
{
	sqlite_store *ss = (sqlite_store *)s;

	if (s == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(ss->stmts[i]);
	sqlite3_close(ss->db);
	free(s->where);
	free(ss);
}

/* The schema, then WAL: only once the file is known to be ours (WAL
 * persists in the file; asking again takes no lock). */
static int sqlite_migrate(cw_store *s)
{
	int ran = schema_migrate(s), rc;

	if (ran < 0 || s->readonly_why != NULL)
		return ran;
	rc = sqlite_use_wal(s);
	return rc == SQLITE_OK ? ran : sqlite_fail(s, rc, "turning on WAL");
}

static int sqlite_schema_version(cw_store *s)
{
	int version = -1;

	return schema_int(s, "PRAGMA user_version", &version) == 0 ? version
								     : -1;
}

/* A copy of a text column, or NULL for SQL NULL; `*oom` is set when the
 * column holds a value that could not be copied (SQLite or strdup out of
 * memory), so that a caller never takes a failed copy for a missing one. */
char *sqlite_column_dup(sqlite3_stmt *st, int col, int *oom)
{
	int is_null = sqlite3_column_type(st, col) == SQLITE_NULL;
	const unsigned char *t = sqlite3_column_text(st, col);
	char *copy = t ? strdup((const char *)t) : NULL;

	if (copy == NULL && !is_null)
		*oom = 1;
	return copy;
}

static int sqlite_events_each(cw_store *s, const char *session,
			      store_event_fn fn, void *payload)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_EVENTS);
	int rc, error = 0;

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, session);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		event_row ev = {
			.session = (const char *)sqlite3_column_text(st, 0),
			.seq = sqlite3_column_int64(st, 1),
			.at = (const char *)sqlite3_column_text(st, 2),
			.actor = (const char *)sqlite3_column_text(st, 3),
			.phase = (const char *)sqlite3_column_text(st, 4),
			.type = (const char *)sqlite3_column_text(st, 5),
			.payload = (const char *)sqlite3_column_text(st, 6),
			.prev = (const char *)sqlite3_column_text(st, 7),
			.hash = (const char *)sqlite3_column_text(st, 8),
		};

		if ((error = fn(&ev, payload)) != 0)
			break;
	}
	if (error == 0 && rc != SQLITE_DONE)
		error = sqlite_fail(s, rc, "reading the log");
	sqlite3_reset(st);
	return error;
}

static int sqlite_event_append(cw_store *s, const event_row *ev)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_EVENT_INSERT);

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, ev->session);
	sqlite3_bind_int64(st, 2, ev->seq);
	sqlite_bind_text(st, 3, ev->at);
	sqlite_bind_text(st, 4, ev->actor);
	sqlite_bind_text(st, 5, ev->phase);
	sqlite_bind_text(st, 6, ev->type);
	sqlite_bind_text(st, 7, ev->payload);
	sqlite_bind_text(st, 8, ev->prev);
	sqlite_bind_text(st, 9, ev->hash);
	return sqlite_done(s, st, "appending to the log");
}

/* A session's row from the columns of ST_SESSION_GET (and _LIST). */
static int read_session(sqlite3_stmt *st, session_row *r)
{
	int oom = 0;

	r->id = sqlite_column_dup(st, 0, &oom);
	r->case_id = sqlite_column_dup(st, 1, &oom);
	r->case_sha256 = sqlite_column_dup(st, 2, &oom);
	r->workflow_id = sqlite_column_dup(st, 3, &oom);
	r->workflow_version = sqlite3_column_int(st, 4);
	r->student = sqlite_column_dup(st, 5, &oom);
	r->created_at = sqlite_column_dup(st, 6, &oom);
	r->phase = sqlite_column_dup(st, 7, &oom);
	r->status = sqlite_column_dup(st, 8, &oom);
	r->last_seq = sqlite3_column_int64(st, 9);
	r->head = sqlite_column_dup(st, 10, &oom);
	r->met = sqlite3_column_int(st, 11);
	r->total = sqlite3_column_int(st, 12);
	r->updated_at = sqlite_column_dup(st, 13, &oom);
	r->ended_early = sqlite_column_dup(st, 14, &oom);
	if (!oom)
		return 0;
	session_row_clear(r);
	return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
}

static int sqlite_session_get(cw_store *s, const char *id, session_row *r)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SESSION_GET);
	int rc, error;

	memset(r, 0, sizeof(*r));
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		error = read_session(st, r);
		sqlite3_reset(st);
		return error;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return cw_error_set(CW_ENOTFOUND, "no session %s", id);
	return sqlite_fail(s, rc, "reading a session");
}

static void bind_projection(sqlite3_stmt *st, const session_row *r, int at)
{
	sqlite_bind_text(st, at, r->phase);
	sqlite_bind_text(st, at + 1, r->status);
	sqlite3_bind_int64(st, at + 2, r->last_seq);
	sqlite_bind_text(st, at + 3, r->head);
	sqlite3_bind_int(st, at + 4, r->met);
	sqlite3_bind_int(st, at + 5, r->total);
	sqlite_bind_text(st, at + 6, r->updated_at);
	sqlite_bind_text(st, at + 7, r->ended_early);
}

static int sqlite_session_insert(cw_store *s, const session_row *r)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SESSION_INSERT);

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, r->id);
	sqlite_bind_text(st, 2, r->case_id);
	sqlite_bind_text(st, 3, r->case_sha256);
	sqlite_bind_text(st, 4, r->workflow_id);
	sqlite3_bind_int(st, 5, r->workflow_version);
	sqlite_bind_text(st, 6, r->student);
	sqlite_bind_text(st, 7, r->created_at);
	bind_projection(st, r, 8);
	return sqlite_done(s, st, "creating a session");
}

static int sqlite_session_project(cw_store *s, const session_row *r)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SESSION_PROJECT);

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, r->id);
	bind_projection(st, r, 2);
	return sqlite_done(s, st, "updating a session");
}

static int sqlite_session_prefix(cw_store *s, const char *prefix,
				 char ids[][CW_ID_LEN + 1], int max,
				 int *count)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SESSION_PREFIX);
	int rc;

	*count = 0;
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, prefix);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);

		snprintf(ids[*count], CW_ID_LEN + 1, "%s", id ? id : "");
		(*count)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sqlite_fail(s, rc, "finding a session");
}

/*
 * Step `st` to its end, calling `row` for each row (it reads the columns
 * and calls the caller's callback).  A statement stays in use while the
 * callbacks run, so a callback that reads the store uses other
 * statements; one that came back here would reset this one.
 */
int sqlite_each_row(cw_store *s, sqlite3_stmt *st, const char *what,
		    int (*row)(sqlite3_stmt *st, void *payload), void *payload)
{
	int rc, error = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((error = row(st, payload)) != 0)
			break;
	sqlite3_reset(st);
	if (error != 0)
		return error;
	return rc == SQLITE_DONE ? 0 : sqlite_fail(s, rc, what);
}

static int session_of_row(sqlite3_stmt *st, void *payload)
{
	struct each *e = payload;
	session_row r = { 0 };
	int error = read_session(st, &r);

	if (error == 0)
		error = ((store_session_fn)e->fn)(&r, e->payload);
	session_row_clear(&r);
	return error;
}

static int sqlite_sessions_each(cw_store *s, const store_session_filter *f,
				store_session_fn fn, void *payload)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SESSION_LIST);
	struct each e = { (void *)fn, payload };

	if (st == NULL)
		return CW_ERROR;
	if (f != NULL) {
		sqlite_bind_text(st, 1, f->case_id);
		sqlite_bind_text(st, 2, f->student);
		sqlite_bind_text(st, 3, f->phase);
		sqlite_bind_text(st, 4, f->status);
		sqlite_bind_text(st, 5, f->since);
		sqlite_bind_text(st, 6, f->workflow_id);
	}
	return sqlite_each_row(s, st, "listing sessions", session_of_row, &e);
}

static int sqlite_setting_get(cw_store *s, const char *key, char **value)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SETTING_GET);
	int found;

	*value = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, key);
	found = sqlite_one_row(s, st, 1, value, "reading a setting");
	return found < 0 ? found : 0;
}

static int sqlite_setting_set(cw_store *s, const char *key, const char *value)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SETTING_SET);

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, key);
	sqlite_bind_text(st, 2, value);
	return sqlite_done(s, st, "saving a setting");
}

static int sqlite_roster_put(cw_store *s, const roster_row *r)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_ROSTER_PUT);

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, r->login);
	sqlite_bind_text(st, 2, r->name);
	sqlite_bind_text(st, 3, r->email);
	sqlite_bind_text(st, 4, r->role);
	sqlite_bind_text(st, 5, r->added_at);
	return sqlite_done(s, st, "adding to the roster");
}

static int sqlite_roster_remove(cw_store *s, const char *login,
				const char *at)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_ROSTER_REMOVE);
	int error;

	if (st == NULL)
		return CW_ERROR;
	sqlite_bind_text(st, 1, login);
	sqlite_bind_text(st, 2, at);
	if ((error = sqlite_done(s, st, "removing from the roster")) < 0)
		return error;
	if (sqlite3_changes(sqlite_db(s)) == 0)
		return cw_error_set(CW_ENOTFOUND,
				    "no one with login '%s' on the class "
				    "(see 'casework class list')",
				    login);
	return 0;
}

static int roster_of_row(sqlite3_stmt *st, void *payload)
{
	struct each *e = payload;
	roster_row r = {
		.login = (const char *)sqlite3_column_text(st, 0),
		.name = (const char *)sqlite3_column_text(st, 1),
		.email = (const char *)sqlite3_column_text(st, 2),
		.role = (const char *)sqlite3_column_text(st, 3),
		.added_at = (const char *)sqlite3_column_text(st, 4),
		.removed_at = (const char *)sqlite3_column_text(st, 5),
	};

	return ((store_roster_fn)e->fn)(&r, e->payload);
}

static int sqlite_roster_each(cw_store *s, store_roster_fn fn, void *payload)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_ROSTER_LIST);
	struct each e = { (void *)fn, payload };

	return st ? sqlite_each_row(s, st, "listing the roster", roster_of_row,
				    &e)
		  : CW_ERROR;
}

/*
 * Step `st` (bound) once and copy its first `n` columns into `out` (each
 * NULL for SQL NULL): 1 when there was a row, 0 when none (each out NULL),
 * or the failure as `what`.  Never a row with a copy missing.
 */
int sqlite_one_row(cw_store *s, sqlite3_stmt *st, int n, char **out,
		   const char *what)
{
	int rc = sqlite3_step(st), oom = 0;

	for (int i = 0; i < n; i++)
		out[i] = rc == SQLITE_ROW ? sqlite_column_dup(st, i, &oom) : NULL;
	sqlite3_reset(st);
	if (oom) {
		for (int i = 0; i < n; i++) {
			free(out[i]);
			out[i] = NULL;
		}
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_ROW;
	return sqlite_fail(s, rc, what);
}

const store_backend store_sqlite_backend = {
	.version = STORE_BACKEND_VERSION,
	.name = "sqlite",
	.migrate = sqlite_migrate,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.event_append = sqlite_event_append,
	.events_each = sqlite_events_each,
	.session_get = sqlite_session_get,
	.session_insert = sqlite_session_insert,
	.session_project = sqlite_session_project,
	.session_prefix = sqlite_session_prefix,
	.sessions_each = sqlite_sessions_each,
	.workflow_get = sqlite_workflow_get,
	.workflow_put = sqlite_workflow_put,
	.workflows_each = sqlite_workflows_each,
	.phase_known = sqlite_phase_known,
	.workflow_image_get = sqlite_workflow_image_get,
	.workflow_image_put = sqlite_workflow_image_put,
	.case_get = sqlite_case_get,
	.case_text = sqlite_case_text,
	.case_put = sqlite_case_put,
	.cases_each = sqlite_cases_each,
	.setting_get = sqlite_setting_get,
	.setting_set = sqlite_setting_set,
	.schema_version = sqlite_schema_version,
	.close = sqlite_close,
	.roster_put = sqlite_roster_put,
	.roster_remove = sqlite_roster_remove,
	.roster_each = sqlite_roster_each,
	.case_notes = sqlite_case_notes,
};
