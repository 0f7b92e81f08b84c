/*
 * store_sqlite.h - what the SQLite backend's files (store_sqlite.c,
 * schema_sqlite.c, doctor_sqlite.c) share.  Nothing else includes it.
 */
#ifndef CW_STORE_SQLITE_H
#define CW_STORE_SQLITE_H

#include <sqlite3.h>

#include "store.h"

/* The statements of the backend, prepared once per store. */
enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_BEGIN_READ,
	ST_EVENTS,
	ST_EVENT_INSERT,
	ST_SESSION_GET,
	ST_SESSION_INSERT,
	ST_SESSION_PROJECT,
	ST_SESSION_PREFIX,
	ST_SESSION_LIST,
	ST_WORKFLOW_GET,
	ST_WORKFLOW_NEWEST,
	ST_WORKFLOW_INSERT,
	ST_WORKFLOW_LIST,
	ST_WORKFLOW_PHASES,
	ST_IMAGE_GET,
	ST_IMAGE_PUT,
	ST_CASE_GET,
	ST_CASE_TEXT,
	ST_CASE_TEXT_INSERT,
	ST_CASE_UPSERT,
	ST_CASE_ADOPT,
	ST_CASE_LIST,
	ST_CASE_NOTES,
	ST_SETTING_GET,
	ST_SETTING_SET,
	ST_ROSTER_PUT,
	ST_ROSTER_REMOVE,
	ST_ROSTER_LIST,
	ST_COUNT
};

/* Their SQL (schema_sqlite.c), indexed by stmt_id; bound parameters only. */
extern const char *const sqlite_sql[ST_COUNT];

typedef struct sqlite_store {
	cw_store base; /* first: a cw_store * is a sqlite_store * */
	sqlite3 *db;
	long long busy_since; /* ms, monotonic: when the current wait began */
	int in_tx; /* 1 between begin and commit or rollback */
	sqlite3_stmt *stmts[ST_COUNT];
} sqlite_store;

static inline sqlite3 *sqlite_db(cw_store *s)
{
	return ((sqlite_store *)s)->db;
}

/* Open the file at `path` as it is, hardened, without touching its schema
 * (store_sqlite_open and the doctor build on it): refuses a link or a
 * file that is not regular, creates a missing file owner-only when
 * `create`, and opens a file it may not write read-only and immutable. */
int sqlite_connect(cw_store **out, const char *path, int create);

/* The backend's operations (store_sqlite.c), and its close. */
extern const store_backend store_sqlite_backend;
void sqlite_close(cw_store *s);

/* What the backend's files share (store_sqlite.c): statement `id`
 * prepared once per store, reset and unbound (NULL, the failure set, when
 * it cannot be prepared); a step that expects no row; a copy of a text
 * column (NULL for SQL NULL; *oom set when a value could not be copied);
 * one row's first `n` text columns (1: a row, 0: none, or the failure);
 * and every row handed to `row` (its non-zero answer stops the walk). */
sqlite3_stmt *sqlite_stmt(cw_store *s, enum stmt_id id);
int sqlite_done(cw_store *s, sqlite3_stmt *st, const char *what);
char *sqlite_column_dup(sqlite3_stmt *st, int col, int *oom);
int sqlite_one_row(cw_store *s, sqlite3_stmt *st, int n, char **out,
		   const char *what);
int sqlite_each_row(cw_store *s, sqlite3_stmt *st, const char *what,
		    int (*row)(sqlite3_stmt *st, void *payload),
		    void *payload);

static inline void sqlite_bind_text(sqlite3_stmt *st, int at, const char *text)
{
	sqlite3_bind_text(st, at, text, -1, SQLITE_STATIC);
}

/* A caller's callback and payload, as sqlite_each_row's payload. */
struct each {
	void *fn;
	void *payload;
};

/* The definitions' operations (defs_sqlite.c). */
int sqlite_workflow_get(cw_store *s, const char *id, int version,
			char **text, int *version_out);
int sqlite_workflow_put(cw_store *s, const workflow_row *w);
int sqlite_workflows_each(cw_store *s, const char *id, store_workflow_fn fn,
			  void *payload);
int sqlite_phase_known(cw_store *s, const char *phase, int *known);
int sqlite_workflow_image_get(cw_store *s, const char *id, int version,
			      unsigned format, void **image, size_t *len);
int sqlite_workflow_image_put(cw_store *s, const char *id, int version,
			      unsigned format, const void *image, size_t len);
int sqlite_case_get(cw_store *s, const char *id, char **text, char **sha256);
int sqlite_case_text(cw_store *s, const char *sha256, char **text);
int sqlite_case_notes(cw_store *s, const char *session, char **notes);
int sqlite_case_put(cw_store *s, const case_row *c, int replace);
int sqlite_cases_each(cw_store *s, store_case_fn fn, void *payload);

/* Switch the open database to WAL, waiting while another process holds
 * the lock that takes: SQLITE_OK or SQLite's code. */
int sqlite_use_wal(cw_store *s);

/* Map an SQLite failure to an engine error with `what` as context. */
int sqlite_fail(cw_store *s, int rc, const char *what);

/* 'CWK1': marks a file as a casework database (PRAGMA application_id). */
#define SCHEMA_APPLICATION_ID 0x43574b31

/* Migrations (schema_sqlite.c): bring the database to the latest version;
 * returns how many steps ran, or an error. */
int schema_migrate(cw_store *s);
int schema_latest(void);
/* The one integer a PRAGMA or count(*) query `sql` gives, into *out;
 * 0, or a failure set as "reading the schema". */
int schema_int(cw_store *s, const char *sql, int *out);

#endif
