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
	ST_SETTING_GET,
	ST_SETTING_SET,
	ST_COUNT
};

/* Their SQL (schema_sqlite.c), indexed by stmt_id; bound parameters only. */
extern const char *const sqlite_sql[ST_COUNT];

typedef struct sqlite_store {
	cw_store base; /* first: a cw_store * is a sqlite_store * */
	sqlite3 *db;
	long long busy_since; /* ms, monotonic: when the current wait began */
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
