/*
 * store.h - the storage interface: what the engine asks of a database, in
 * the domain's words, and nothing about SQL.  Private to the engine.
 *
 * A backend is a table of typed operations (struct store_backend), in the
 * manner of libgit2's refdb backends or Dovecot's SQL drivers: one file per
 * database (store_sqlite.c; a PostgreSQL backend is one more file), chosen
 * by store_open from what the user named.  Only the backends include a
 * database library; everything above this layer calls the store_*
 * functions below, which dispatch to the backend.  Every backend passes
 * the same conformance suite (tests/unit/test_store_conformance.c).
 *
 * Strings a backend hands to a callback are borrowed for the call; strings
 * it returns through `char **` are the caller's to free().
 */
#ifndef CW_STORE_PRIVATE_H
#define CW_STORE_PRIVATE_H

#include "casework/store.h"

/* One event as stored; strings borrowed from the backend or the caller. */
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
	/* the reason it was terminated before its last phase ("" for
	 * none given), NULL when it was not */
	char *ended_early;
} session_row;

/* Free the strings of `row` and zero it; a zeroed row is a no-op. */
void session_row_clear(session_row *row);

/* Which sessions to go through; NULL members match everything. */
typedef struct store_session_filter {
	const char *case_id;
	const char *student;
	const char *phase;
	const char *status; /* "open" or "closed" */
	const char *since;  /* updated at or after this UTC time (ISO 8601) */
	const char *workflow_id;
	/* `student` as a person types it: the whole name or one word of it,
	 * whatever the case ("ana" finds "Ana Lima"); 0: exactly the name */
	int student_words;
} store_session_filter;

/* A stored workflow definition, or one to store. */
typedef struct workflow_row {
	const char *id;
	int version;
	const char *title;
	const char *definition; /* the JSON text */
	const char *sha256;     /* of the definition */
	const char *imported_at;
	long sessions; /* when listed: how many sessions use this version */
} workflow_row;

/* A case's row and text, or one to store. */
typedef struct case_row {
	const char *id;
	const char *title;
	const char *setting;
	const char *definition; /* the JSON text; not filled when listed */
	const char *sha256;
	const char *imported_at;
	long sessions; /* when listed: how many sessions are on this case */
} case_row;

/* Callbacks of the iterating operations: return 0 to go on, anything else
 * to stop (the iteration then returns it).  A callback may read from the
 * store, but not write to it. */
typedef int (*store_event_fn)(const event_row *event, void *payload);
typedef int (*store_session_fn)(const session_row *row, void *payload);
typedef int (*store_workflow_fn)(const workflow_row *row, void *payload);
typedef int (*store_case_fn)(const case_row *row, void *payload);

/* A person on the class roster (`class add-student|add-instructor`). */
typedef struct roster_row {
	const char *login;
	const char *name;
	const char *email; /* or NULL */
	const char *role;  /* "student" or "instructor" */
	const char *added_at;
	const char *removed_at; /* NULL while on the class */
} roster_row;

typedef int (*store_roster_fn)(const roster_row *row, void *payload);

/* Who the connected login is to the database (store_identity). */
enum store_role {
	STORE_ROLE_OWNER = 0,  /* a file: its user may do everything */
	STORE_ROLE_STUDENT = 1, /* a class server's student (or no role) */
	STORE_ROLE_INSTRUCTOR = 2
};

/* The version of struct store_backend this engine speaks.  A later
 * version only appends members, so an older backend keeps working with
 * the members it has (NULL: not provided). */
#define STORE_BACKEND_VERSION 3

typedef struct store_backend {
	unsigned version; /* STORE_BACKEND_VERSION */
	const char *name; /* "sqlite" */

	/* Bring the schema up to date: how many steps ran, or an error.
	 * Required. */
	int (*migrate)(cw_store *s);

	/*
	 * Transactions.  `begin` with `write` takes the right to append
	 * before reading (so that no two writers decide on the same state);
	 * without it, a snapshot for several consistent reads.  Required.
	 */
	int (*begin)(cw_store *s, int write);
	int (*commit)(cw_store *s);
	void (*rollback)(cw_store *s);

	/* The log.  `event_append` adds one event whose seq follows the last
	 * (the database refuses a gap, an update and a delete);
	 * `events_each` gives a session's events in order.  Required. */
	int (*event_append)(cw_store *s, const event_row *event);
	int (*events_each)(cw_store *s, const char *session,
			   store_event_fn fn, void *payload);

	/* Sessions.  `session_get` fills `out` (free it with
	 * session_row_clear), CW_ENOTFOUND when there is none;
	 * `session_project` writes the projection (phase .. ended_early) of
	 * an existing session; `session_prefix` the full ids (at most `max`)
	 * of the sessions whose id starts with `prefix`; `sessions_each`
	 * goes through the sessions that match, oldest first (created_at,
	 * then id), one row at a time.  Required. */
	int (*session_get)(cw_store *s, const char *id, session_row *out);
	int (*session_insert)(cw_store *s, const session_row *row);
	int (*session_project)(cw_store *s, const session_row *row);
	int (*session_prefix)(cw_store *s, const char *prefix,
			      char ids[][CW_ID_LEN + 1], int max, int *count);
	int (*sessions_each)(cw_store *s, const store_session_filter *filter,
			     store_session_fn fn, void *payload);

	/* Workflows: immutable versions.  `workflow_get` gives the text of
	 * version `version` (0: the newest) and its version number;
	 * `workflows_each` lists every version (of `id` only, when not
	 * NULL) by id then version, with its count of sessions, definition
	 * not filled; `phase_known` says whether any stored workflow has a
	 * phase of that id.  Required. */
	int (*workflow_get)(cw_store *s, const char *id, int version,
			    char **text, int *version_out);
	int (*workflow_put)(cw_store *s, const workflow_row *row);
	int (*workflows_each)(cw_store *s, const char *id,
			      store_workflow_fn fn, void *payload);
	int (*phase_known)(cw_store *s, const char *phase, int *known);

	/* A workflow version's compiled image in format `format`: the
	 * caller frees *image with free(); CW_ENOTFOUND when there is none
	 * in that format.  `workflow_image_put` keeps one per version,
	 * replacing one of another format.  Required. */
	int (*workflow_image_get)(cw_store *s, const char *id, int version,
				  unsigned format, void **image, size_t *len);
	int (*workflow_image_put)(cw_store *s, const char *id, int version,
				  unsigned format, const void *image,
				  size_t len);

	/* Cases: texts kept by their hash, so that a session keeps the text
	 * it began on.  `case_put` stores the text and makes it the case's
	 * current one, or with `replace` 0 only when there is no case of
	 * that id yet (a bundle brings its own).  `cases_each` lists them by
	 * id, definition not filled.  Required. */
	int (*case_get)(cw_store *s, const char *id, char **text,
			char **sha256);
	int (*case_text)(cw_store *s, const char *sha256, char **text);
	int (*case_put)(cw_store *s, const case_row *row, int replace);
	int (*cases_each)(cw_store *s, store_case_fn fn, void *payload);

	/* Settings: small values by key; a missing key is *value NULL.
	 * Required. */
	int (*setting_get)(cw_store *s, const char *key, char **value);
	int (*setting_set)(cw_store *s, const char *key, const char *value);

	/* The schema version of the open database, or -1.  Required. */
	int (*schema_version)(cw_store *s);

	/* Close the connection and free the backend's part of `s`. */
	void (*close)(cw_store *s);

	/* ---- version 2 ---- */

	/* The roster: `roster_put` adds a person or updates one (and clears
	 * removed_at), `roster_remove` marks one removed at `at`
	 * (CW_ENOTFOUND when not on it), `roster_each` lists by login.
	 * Required from version 2. */
	int (*roster_put)(cw_store *s, const roster_row *row);
	int (*roster_remove)(cw_store *s, const char *login, const char *at);
	int (*roster_each)(cw_store *s, store_roster_fn fn, void *payload);

	/* A class server's word; NULL on a file.  `identity` gives the
	 * connected login (borrowed, kept by the backend) and returns its
	 * store_role; `clock` the server's time of the open transaction
	 * (UTC ISO 8601 with milliseconds, as a file's events have);
	 * `event_import` appends an event that keeps its own time and
	 * actor (a bundle's, instructors only); `login_create` makes (or
	 * lets in again) a login in the group of `role` with `password`;
	 * `login_end` stops a login from connecting. */
	int (*identity)(cw_store *s, const char **login);
	int (*clock)(cw_store *s, char at[32]);
	int (*event_import)(cw_store *s, const event_row *event);
	int (*login_create)(cw_store *s, const char *login, const char *role,
			    const char *password);
	int (*login_end)(cw_store *s, const char *login);

	/* ---- version 3 ---- */

	/* The instructor notes (the JSON text of the case's
	 * "instructor_notes") of the case text session `session` began on,
	 * for its debrief: *notes NULL while the session is open, or when
	 * the case has none; CW_ENOTFOUND when there is no such session.  On
	 * a class server the server decides: a student gets them only for a
	 * closed session of their own (casework_case_notes in roles_pg.c).
	 * Required from version 3. */
	int (*case_notes)(cw_store *s, const char *session, char **notes);
} store_backend;

/*
 * What every backend's store begins with.  A backend allocates its own
 * struct with this as the first member.
 */
struct cw_store {
	const store_backend *ops;
	/* what the user named: a file's path or a server's URI, for
	 * messages; owned */
	char *where;
	/* why writes are impossible (a static string), or NULL */
	const char *readonly_why;
	int in_transaction;
	/* a cache that the layer above keeps with the store (the parsed
	 * workflows of catalog.c), freed by `cache_free` with the store */
	void *cache;
	void (*cache_free)(void *cache);
	/* set by the layer above before store_migrate: replay every session
	 * and write its projection, inside the transaction of a schema step
	 * that adds to the projection (see store_reproject) */
	int (*reproject)(cw_store *s);
};

/* For a backend's schema step that adds a column to the projection: have
 * the layer above fill it for the sessions there are, in the step's
 * transaction, so that an interrupted upgrade leaves the previous version
 * whole.  A store opened without the layer above (s->reproject NULL)
 * must hold no sessions yet, or the step fails. */
int store_reproject(cw_store *s);

/*
 * Open what `where` names with the backend that understands it (a
 * postgresql:// or postgres:// URI: the PostgreSQL backend; anything else:
 * a SQLite file), without migrating: the migration is the caller's
 * (cw_store_open).  `create` 0 refuses a database that does not exist.
 */
int store_open(cw_store **out, const char *where, int create);

/* The SQLite backend's open (store_sqlite.c). */
int store_sqlite_open(cw_store **out, const char *path, int create);

/* The PostgreSQL backend's open (schema_pg.c): connect to the server `uri`
 * names, without touching its schema.  The password comes from libpq's
 * own places (~/.pgpass, PGPASSWORD), never from casework.  With `create`
 * 0 the migration refuses a database without the casework schema
 * (CW_ENOTFOUND), as a missing file is refused. */
int store_pg_open(cw_store **out, const char *uri, int create);

/* `casework doctor` on a class server (doctor_pg.c): as cw_store_doctor,
 * with "postgresql" (the server's version), "login" and "role" instead of
 * the file's keys, and checks of the roles, row-level security and the
 * log's triggers.  Changes nothing. */
int store_pg_doctor(cJSON **out, const char *uri);

/* Bring the database's schema up to date (the backend's migrations): how
 * many steps ran, or an error. */
int store_migrate(cw_store *s);

/* Close the store and free it, with the cache kept beside it; NULL is a
 * no-op.  (cw_store_free is the same, for the library's users.) */
void store_close(cw_store *s);

/* Transactions: one write transaction per command that writes. */
int store_begin(cw_store *s);
int store_commit(cw_store *s);
void store_rollback(cw_store *s);

/* Begin a write transaction unless one is open; `*owned` says whether this
 * call began it (and so must end it with store_end). */
int store_enter(cw_store *s, int *owned);
/* Begin a read transaction unless one is open, so that several reads see
 * one snapshot; end it with store_end. */
int store_enter_read(cw_store *s, int *owned);
/* End what store_enter began: commit when error is 0, else roll back. */
int store_end(cw_store *s, int owned, int error);

/* The operations, dispatched to the backend (see struct store_backend). */
int store_events_each(cw_store *s, const char *session, store_event_fn fn,
		      void *payload);
int store_event_insert(cw_store *s, const event_row *ev);
int store_session_get(cw_store *s, const char *id, session_row *out);
int store_session_insert(cw_store *s, const session_row *row);
int store_session_project(cw_store *s, const session_row *row);
int store_session_prefix(cw_store *s, const char *prefix,
			 char ids[][CW_ID_LEN + 1], int max, int *count);
int store_sessions_each(cw_store *s, const store_session_filter *filter,
			store_session_fn fn, void *payload);
/* CW_ENOTFOUND for workflow `id`, with the nearest id when one is near
 * ("did you mean"). */
int store_no_workflow(cw_store *s, const char *id);
int store_workflow_get(cw_store *s, const char *id, int version, char **text,
		       int *version_out);
int store_workflow_insert(cw_store *s, const char *id, int version,
			  const char *title, const char *text,
			  const char *sha256, const char *at);
int store_workflows_each(cw_store *s, const char *id, store_workflow_fn fn,
			 void *payload);
int store_phase_known(cw_store *s, const char *phase, int *known);
int store_workflow_image_get(cw_store *s, const char *id, int version,
			     unsigned format, void **image, size_t *len);
int store_workflow_image_put(cw_store *s, const char *id, int version,
			     unsigned format, const void *image, size_t len);
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
int store_cases_each(cw_store *s, store_case_fn fn, void *payload);
/* The instructor notes of a closed session's case (see case_notes). */
int store_case_notes(cw_store *s, const char *session, char **notes);
int store_setting_get(cw_store *s, const char *key, char **value);
int store_setting_set(cw_store *s, const char *key, const char *value);

/* Who the connected login is: a store_role (>= 0) or an error; `*login`
 * (may be NULL) the server's login, borrowed, or NULL on a file. */
int store_identity(cw_store *s, const char **login);
/* Refuse (CW_EREFUSED, naming `act`, e.g. "import cases") unless the
 * connected login may do an instructor's act: 0, or the error. */
int store_require_instructor(cw_store *s, const char *act);
/* The time and actor of a new event: on a class server the server's clock
 * and the connected login (1), on a file left to the caller (0); or an
 * error.  *actor is borrowed. */
int store_event_stamp(cw_store *s, char at[32], const char **actor);
/* Append an event that keeps its time and actor (a bundle's). */
int store_event_import(cw_store *s, const event_row *ev);
int store_roster_put(cw_store *s, const roster_row *row);
int store_roster_remove(cw_store *s, const char *login, const char *at);
int store_roster_each(cw_store *s, store_roster_fn fn, void *payload);
/* Whether the store has logins of its own (a class server). */
int store_has_logins(cw_store *s);
int store_login_create(cw_store *s, const char *login, const char *role,
		       const char *password);
int store_login_end(cw_store *s, const char *login);

/* The "previous hash" of a session's first event. */
extern const char store_genesis[65];

/* The chain hash of an event: SHA-256 over its fields, each prefixed by
 * its length, ending with the previous event's hash.  Cannot fail. */
void store_event_hash(char out[65], const event_row *ev);

/* SHA-256 of `len` bytes as 64 hex digits and a NUL; cannot fail. */
void store_sha256(char out[65], const void *data, size_t len);

#endif
