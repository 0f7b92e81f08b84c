/*
 * store_pg.h - what the PostgreSQL backend's files (store_pg.c,
 * connect_pg.c, schema_pg.c) share.  Nothing else includes it, and only they include
 * libpq.
 */
#ifndef CW_STORE_PG_H
#define CW_STORE_PG_H

#include "libpq_pg.h"

#include "store.h"

/* The statements of the backend, prepared once per connection. */
enum pg_stmt_id {
	PG_EVENTS,
	PG_EVENT_INSERT,
	PG_SESSION_GET,
	PG_SESSION_LOCK,
	PG_SESSION_INSERT,
	PG_SESSION_PROJECT,
	PG_SESSION_PREFIX,
	PG_SESSION_LIST,
	PG_WORKFLOW_GET,
	PG_WORKFLOW_NEWEST,
	PG_WORKFLOW_INSERT,
	PG_WORKFLOW_LIST,
	PG_WORKFLOW_PHASES,
	PG_IMAGE_GET,
	PG_IMAGE_PUT,
	PG_CASE_GET,
	PG_CASE_TEXT,
	PG_CASE_TEXT_INSERT,
	PG_CASE_UPSERT,
	PG_CASE_ADOPT,
	PG_CASE_LIST,
	PG_SETTING_GET,
	PG_SETTING_SET,
	PG_IDENTITY,
	PG_CLOCK,
	PG_CASE_GET_STUDENT,
	PG_CASE_TEXT_STUDENT,
	PG_IMPORT_BEGIN,
	PG_IMPORT_END,
	PG_ROSTER_PUT,
	PG_ROSTER_REMOVE,
	PG_ROSTER_LIST,
	PG_LOGIN_CREATE,
	PG_LOGIN_END,
	PG_INSTRUCTOR_ACT,
	PG_INSTRUCTOR_ACT_HAS,
	PG_CASE_NOTES,
	PG_STMT_COUNT
};

/* Their SQL (schema_pg.c), indexed by pg_stmt_id; bound parameters
 * ($1, $2, ...) only, never a value in the text. */
extern const char *const pg_sql[PG_STMT_COUNT];

typedef struct pg_store {
	cw_store base; /* first: a cw_store * is a pg_store * */
	PGconn *conn;
	int create;   /* store_open's: may migrate an empty database */
	int write;    /* the open transaction is a write transaction */
	char prepared[PG_STMT_COUNT]; /* which statements are prepared */
	char uses[PG_STMT_COUNT];     /* runs of each so far, up to 2 */
	int role;       /* a store_role once asked (roles_pg.c), else -1 */
	char login[64]; /* the connected login (session_user) */
	char at[32];    /* the server's time of the open transaction, or "" */
} pg_store;

static inline PGconn *pg_conn(cw_store *s)
{
	return ((pg_store *)s)->conn;
}

/* The backend's operations (store_pg.c). */
extern const store_backend store_pg_backend;

/* Transactions and closing (connect_pg.c), the backend's operations of
 * those names: see "Locking" in store_pg.c. */
int pg_begin(cw_store *s, int write);
int pg_commit(cw_store *s);
void pg_rollback(cw_store *s);
void pg_close(cw_store *s);

/* Run prepared statement `id` (prepared on first use) with `n` text
 * parameters (NULL is SQL NULL; `lengths` and `formats` only for binary
 * ones; `binary` for binary results) and return its result, or NULL with
 * *error set as `what`.  The caller PQclear()s the result. */
PGresult *pg_run(cw_store *s, enum pg_stmt_id id, int n,
		 const char *const *values, const int *lengths,
		 const int *formats, int binary, const char *what, int *error);

/*
 * Map a failed result (or, with `res` NULL, a failed connection) to an
 * engine error with `what` as context, and set its message: the server
 * gone is "cannot reach the class server ...", a lock or serialization
 * failure CW_EBUSY, anything else CW_ERROR with the server's message.
 * Does not free `res`.
 */
int pg_fail(cw_store *s, const PGresult *res, const char *what);

/* Run a statement without parameters that returns no rows (transaction
 * control): 0, or pg_fail's error. */
int pg_exec(cw_store *s, const char *sql, const char *what);

/* The roster and the server's word (roles_pg.c): the backend's
 * operations of those names.  pg_role is pg_identity without the login. */
int pg_identity(cw_store *s, const char **login);
int pg_role(cw_store *s);
int pg_clock(cw_store *s, char at[32]);
int pg_event_import(cw_store *s, const event_row *ev);
int pg_roster_put(cw_store *s, const roster_row *row);
int pg_roster_remove(cw_store *s, const char *login, const char *at);
int pg_roster_each(cw_store *s, store_roster_fn fn, void *payload);
int pg_login_create(cw_store *s, const char *login, const char *role,
		    const char *password);
int pg_login_end(cw_store *s, const char *login);
/* Step 4 of the migrations, and filling its table of the event types only
 * an instructor may append (from event.h's vocabulary). */
extern const char pg_step_roles[];
/* Step 6: casework_case_notes, the one way a student reads a case's
 * instructor notes (their own closed session's), and the backend's
 * operation that asks it. */
extern const char pg_step_notes[];
int pg_case_notes(cw_store *s, const char *session, char **notes);
int pg_sync_acts(cw_store *s);

/* Migrations and statements (schema_pg.c): bring the database to the latest version under
 * an advisory lock; how many steps ran, or an error. */
int pg_migrate(cw_store *s);
/* The number of steps, the version pg_migrate brings a database to. */
int pg_schema_latest(void);
/* The version recorded in casework_schema, 0 when there is none, or -1. */
int pg_schema_version(cw_store *s);

#endif
