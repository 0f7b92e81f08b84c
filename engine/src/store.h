/*
 * store.h - the engine's private access to SQLite.  Only store.c and its
 * helpers schema.c and doctor.c touch sqlite3; everything else goes through these functions,
 * which use prepared statements with bound parameters only.
 */
#ifndef CW_STORE_PRIVATE_H
#define CW_STORE_PRIVATE_H

#include <sqlite3.h>

#include <cjson/cJSON.h>

#include "casework/store.h"
#include "casework/workflow.h"

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_EVENTS,
	ST_EVENT_INSERT,
	ST_SESSION_GET,
	ST_SESSION_INSERT,
	ST_SESSION_PROJECT,
	ST_SESSION_PREFIX,
	ST_WORKFLOW_GET,
	ST_WORKFLOW_NEWEST,
	ST_WORKFLOW_INSERT,
	ST_WORKFLOW_PHASES,
	ST_CASE_GET,
	ST_CASE_TEXT,
	ST_CASE_TEXT_INSERT,
	ST_CASE_UPSERT,
	ST_CASE_LIST,
	ST_SETTING_GET,
	ST_SETTING_SET,
	ST_SESSION_LIST,
	ST_WORKFLOW_LIST,
	ST_WORKFLOW_SESSIONS,
	ST_CASE_ADOPT,
	ST_BEGIN_READ,
	ST_SESSION_IDS,
	ST_COUNT
};

struct cw_store {
	sqlite3 *db;
	char *path;
	/* why writes are impossible (a static string), or NULL */
	const char *readonly_why;
	int in_transaction;
	long long busy_since; /* ms, monotonic: when the current wait began */
	sqlite3_stmt *stmts[ST_COUNT];
	struct catalog_cache *catalog; /* parsed workflows (catalog.c) */
};

/* One event as stored; strings borrowed from the statement or the caller. */
typedef struct event_row {
	const char *session;
	long seq;
	const char *at;
	const char *actor;
	const char *phase;
	const char *type;
	const char *payload;
	const char *prev;
	const char *hash;
} event_row;

/* A session's row: who, on what, and the projection of its state. */
typedef struct session_row {
	char *id;
	char *case_id;
	char *case_sha256;
	char *workflow_id;
	int workflow_version;
	char *student;
	char *created_at;
	char *phase;
	char *status;
	long last_seq;
	char *head;
	int met;
	int total;
	char *updated_at;
} session_row;

void session_row_clear(session_row *row);

/* Open the file at `path` as it is, hardened, without touching its schema
 * (open_store and the doctor build on it): refuses a link or a file that
 * is not regular, creates a missing file owner-only when `create`, and
 * opens a file it may not write read-only and immutable. */
int store_connect(cw_store **out, const char *path, int create);

/* Transactions: one BEGIN IMMEDIATE ... COMMIT per command that writes. */
int store_begin(cw_store *s);
int store_commit(cw_store *s);
void store_rollback(cw_store *s);

/* Prepared once per store, reset before use. */
sqlite3_stmt *store_stmt(cw_store *s, enum stmt_id id);

/* Map an SQLite failure to an engine error with `what` as context. */
int store_fail(cw_store *s, int rc, const char *what);

/* Call `fn` for each event of `session` in order; stops on non-zero. */
int store_events_each(cw_store *s, const char *session,
		      int (*fn)(const event_row *ev, void *payload),
		      void *payload);
int store_event_insert(cw_store *s, const event_row *ev);

int store_session_get(cw_store *s, const char *id, session_row *out);
int store_session_insert(cw_store *s, const session_row *row);
int store_session_project(cw_store *s, const session_row *row);

/* Full ids of the sessions whose id starts with `prefix`, at most `max`. */
int store_session_prefix(cw_store *s, const char *prefix, char ids[][CW_ID_LEN + 1],
			 int max, int *count);

/* A workflow's text; `version` 0 means the newest.  Caller frees *text. */
int store_workflow_get(cw_store *s, const char *id, int version, char **text,
		       int *version_out);
int store_workflow_insert(cw_store *s, const char *id, int version,
			  const char *title, const char *text,
			  const char *sha256, const char *at);

/* The case's current text and its hash; caller frees both. */
int store_case_get(cw_store *s, const char *id, char **text, char **sha256);
int store_case_text(cw_store *s, const char *sha256, char **text);
int store_case_put(cw_store *s, const char *id, const char *title,
		   const char *setting, const char *text, const char *sha256,
		   const char *at);

/* Store a case text by its hash, and make it the case's current text only
 * when the store has no case of that id (a bundle brings its own). */
int store_case_adopt(cw_store *s, const char *id, const char *title,
		     const char *setting, const char *text, const char *sha256,
		     const char *at);

/* A setting's value (caller frees), or NULL in *value when unset. */
int store_setting_get(cw_store *s, const char *key, char **value);
int store_setting_set(cw_store *s, const char *key, const char *value);

/* The "previous hash" of a session's first event. */
extern const char store_genesis[65];

/* The chain hash of an event: SHA-256 over its fields, each prefixed by
 * its length, ending with the previous event's hash.  Allocates nothing
 * and cannot fail (nettle hashes in a context on the stack). */
void store_event_hash(char out[65], const event_row *ev);

/* Begin a write transaction unless one is open; `*owned` says whether this
 * call began it (and so must end it with store_end). */
int store_enter(cw_store *s, int *owned);
/* Begin a read transaction (deferred BEGIN) unless one is open, so that
 * several reads see one snapshot; end it with store_end. */
int store_enter_read(cw_store *s, int *owned);
/* End what store_enter began: commit when error is 0, else roll back. */
int store_end(cw_store *s, int owned, int error);

/* Step `st` (bound by the caller) to its end: an array with an object per
 * row, keyed by the column names (integers as numbers).  Caller frees. */
int store_rows_json(cJSON **out, cw_store *s, sqlite3_stmt *st,
		    const char *what);

/* SHA-256 of `len` bytes as 64 hex digits and a NUL; cannot fail. */
void store_sha256(char out[65], const void *data, size_t len);

/* The workflow catalogue (catalog.c): the compiled-in standard workflow
 * stored on first need, and parsed definitions by id and version (0: the
 * newest). */
int catalog_ensure_standard(cw_store *s);
int catalog_load(cw_workflow **out, cw_store *s, const char *id,
		 int version, int *version_out);
/* Workflow `id` version `version` (not 0) parsed once per store: borrowed,
 * valid until cw_store_free.  The stored text is read every time and a
 * parse is reused only for the very same text, so a cached parse can never
 * stand for another definition. */
int catalog_get(const cw_workflow **out, cw_store *s, const char *id,
		int version);
void catalog_cache_free(cw_store *s);

/* 'CWK1': marks a file as a casework database (PRAGMA application_id). */
#define SCHEMA_APPLICATION_ID 0x43574b31

/* Migrations (schema.c): bring the database to the latest version;
 * returns how many steps ran, or an error. */
int schema_migrate(cw_store *s);
int schema_latest(void);
/* The one integer a PRAGMA or count(*) query `sql` gives, into *out;
 * 0, or a failure set as "reading the schema". */
int schema_int(cw_store *s, const char *sql, int *out);

#endif
