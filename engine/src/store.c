/*
 * store.c - SQLite: opening, hardening, transactions and every statement
 * the engine runs.  Statements are prepared once per store, with
 * SQLITE_PREPARE_PERSISTENT, and always take bound parameters.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>
#include <nettle/version.h>

#include "store.h"

static const char *const sql[ST_COUNT] = {
#ifndef CW_TEST_DEFERRED_BEGIN
	[ST_BEGIN] = "BEGIN IMMEDIATE",
#else
	/* only in build/deferred, the negative control of
	 * tests/stress/concurrency.c: a write transaction that starts as a
	 * read and upgrades, which concurrent writers must make fail */
	[ST_BEGIN] = "BEGIN",
#endif
	[ST_COMMIT] = "COMMIT",
	[ST_BEGIN_READ] = "BEGIN",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_EVENTS] = "SELECT session_id, seq, at, actor, phase, type, payload,"
		      " prev, hash FROM events WHERE session_id = ?1"
		      " ORDER BY seq",
	[ST_EVENT_INSERT] = "INSERT INTO events (session_id, seq, at, actor,"
			    " phase, type, payload, prev, hash)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_SESSION_GET] = "SELECT id, case_id, case_sha256, workflow_id,"
			   " workflow_version, student, created_at, phase,"
			   " status, last_seq, head, met, total, updated_at"
			   " FROM sessions WHERE id = ?1",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (id, case_id, case_sha256,"
			      " workflow_id, workflow_version, student,"
			      " created_at, phase, status, last_seq, head, met,"
			      " total, updated_at) VALUES (?1, ?2, ?3, ?4, ?5,"
			      " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[ST_SESSION_PROJECT] = "UPDATE sessions SET phase = ?2, status = ?3,"
			       " last_seq = ?4, head = ?5, met = ?6,"
			       " total = ?7, updated_at = ?8 WHERE id = ?1",
	[ST_SESSION_PREFIX] = "SELECT id FROM sessions WHERE id >= ?1"
			      " AND id < ?1 || 'g' ORDER BY id LIMIT ?2",
	[ST_WORKFLOW_GET] = "SELECT definition, version FROM workflows"
			    " WHERE id = ?1 AND version = ?2",
	[ST_WORKFLOW_NEWEST] = "SELECT definition, version FROM workflows"
			       " WHERE id = ?1 ORDER BY version DESC LIMIT 1",
	[ST_WORKFLOW_INSERT] = "INSERT INTO workflows (id, version, title,"
			       " definition, sha256, imported_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_WORKFLOW_PHASES] = "SELECT DISTINCT p.value ->> 'id'"
			       " FROM workflows, json_each(definition, '$.phases') AS p",
	[ST_CASE_GET] = "SELECT t.definition, c.sha256 FROM cases AS c"
			" JOIN case_texts AS t USING (sha256) WHERE c.id = ?1",
	[ST_CASE_TEXT] = "SELECT definition FROM case_texts WHERE sha256 = ?1",
	[ST_CASE_TEXT_INSERT] = "INSERT OR IGNORE INTO case_texts (sha256,"
				" definition) VALUES (?1, ?2)",
	[ST_CASE_UPSERT] = "INSERT INTO cases (id, title, setting, sha256,"
			   " imported_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			   " ON CONFLICT (id) DO UPDATE SET title = ?2,"
			   " setting = ?3, sha256 = ?4, imported_at = ?5",
	/* list statements name their columns as the JSON keys they become
	 * (store_rows_json) */
	[ST_CASE_LIST] = "SELECT c.id, c.title, c.setting, c.imported_at,"
			 " (SELECT count(*) FROM sessions AS s"
			 "  WHERE s.case_id = c.id) AS sessions"
			 " FROM cases AS c ORDER BY c.id",
	[ST_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[ST_SETTING_SET] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
			   " ON CONFLICT (key) DO UPDATE SET value = ?2",
	[ST_SESSION_LIST] = "SELECT id AS session, case_id AS \"case\","
			    " workflow_id AS workflow, workflow_version AS"
			    " version, student, created_at, phase, status,"
			    " last_seq AS events, met, total, updated_at"
			    " FROM sessions"
			    " WHERE (?1 IS NULL OR case_id = ?1)"
			    " AND (?2 IS NULL OR student = ?2)"
			    " AND (?3 IS NULL OR phase = ?3)"
			    " AND (?4 IS NULL OR status = ?4)"
			    " AND (?5 IS NULL OR updated_at >= ?5)"
			    " ORDER BY created_at, id",
	[ST_WORKFLOW_LIST] = "SELECT w.id, w.version, w.title, w.imported_at,"
			     " (SELECT count(*) FROM sessions AS s"
			     "  WHERE s.workflow_id = w.id"
			     "  AND s.workflow_version = w.version) AS sessions"
			     " FROM workflows AS w"
			     " WHERE ?1 IS NULL OR w.id = ?1"
			     " ORDER BY w.id, w.version",
	[ST_CASE_ADOPT] = "INSERT OR IGNORE INTO cases (id, title, setting,"
			  " sha256, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	/* the ids alone, in ST_SESSION_LIST's order: verify --all holds one
	 * short string per session, not a whole row */
	[ST_SESSION_IDS] = "SELECT id FROM sessions ORDER BY created_at, id",
	[ST_WORKFLOW_SESSIONS] = "SELECT id AS session, workflow_version AS"
				 " version, student, phase, status"
				 " FROM sessions WHERE workflow_id = ?1"
				 " ORDER BY workflow_version, created_at",
};

int store_fail(cw_store *s, int rc, const char *what)
{
	const char *detail = s && s->db ? sqlite3_errmsg(s->db)
					 : sqlite3_errstr(rc);
	const char *path = s && s->path ? s->path : "";
	int primary = rc & 0xff;
	int sys = s && s->db ? sqlite3_system_errno(s->db) : 0;

	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return cw_error_set(CW_EBUSY,
				    "%s: the database is busy (another casework "
				    "is writing); try again",
				    what);
	if (primary == SQLITE_READONLY)
		return cw_error_set(CW_ERROR,
				    "%s: the database %s is read-only (%s); "
				    "nothing was written",
				    what, path,
				    s && s->readonly_why ? s->readonly_why
							 : "opened read-only");
	if (primary == SQLITE_FULL ||
	    (primary == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT)))
		return cw_error_set(CW_ERROR,
				    "%s: the disk holding %s is full (database "
				    "or disk is full); nothing was written",
				    what, path);
	if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
		return cw_error_set(CW_ERROR,
				    "%s is not a database or is corrupt "
				    "('casework doctor' checks it)",
				    s && s->path ? s->path : what);
	/* the operating system's reason says more than "disk I/O error" */
	if ((primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) && sys != 0)
		return cw_error_set(CW_ERROR, "%s: %s: %s (%s)", what, path,
				    detail, strerror(sys));
	return cw_error_set(CW_ERROR, "%s: %s", what, detail);
}

sqlite3_stmt *store_stmt(cw_store *s, enum stmt_id id)
{
	if (s->stmts[id] == NULL) {
		int rc = sqlite3_prepare_v3(s->db, sql[id], -1,
					    SQLITE_PREPARE_PERSISTENT,
					    &s->stmts[id], NULL);

		if (rc != SQLITE_OK) {
			store_fail(s, rc, "preparing a statement");
			return NULL;
		}
	}
	sqlite3_reset(s->stmts[id]);
	sqlite3_clear_bindings(s->stmts[id]);
	return s->stmts[id];
}

static int exec_stmt(cw_store *s, enum stmt_id id, const char *what)
{
	sqlite3_stmt *st = store_stmt(s, id);
	int rc;

	if (st == NULL)
		return CW_ERROR;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, what);
}

int store_begin(cw_store *s)
{
	int error = exec_stmt(s, ST_BEGIN, "starting a transaction");

	if (error == 0)
		s->in_transaction = 1;
	return error;
}

int store_commit(cw_store *s)
{
	int error = exec_stmt(s, ST_COMMIT, "committing");

	if (error < 0)
		store_rollback(s);
	s->in_transaction = 0;
	return error;
}

void store_rollback(cw_store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0) {
		sqlite3_stmt *st = store_stmt(s, ST_ROLLBACK);

		if (st != NULL) {
			sqlite3_step(st);
			sqlite3_reset(st);
		}
	}
	s->in_transaction = 0;
}

/* mkdir -p for the folder of `path`, each new folder owner-only. */
static int make_parent(const char *path)
{
	char *dir = strdup(path);
	char *slash;
	int error = 0;

	if (dir == NULL)
		return cw_error_set(CW_ERROR, "out of memory");
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		goto cleanup;
	*slash = '\0';
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			error = cw_error_set(CW_ERROR, "cannot create %s: %s",
					     dir, strerror(errno));
			goto cleanup;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		error = cw_error_set(CW_ERROR, "cannot create %s: %s", dir,
				     strerror(errno));
cleanup:
	free(dir);
	return error;
}

/* How long a command waits for another one's write lock. */
#define BUSY_TIMEOUT_MS 10000

static long long monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The busy handler: try again every millisecond until BUSY_TIMEOUT_MS of
 * wall-clock time have passed.  SQLite's own (sqlite3_busy_timeout) backs
 * off to 100 ms between tries, so a command that has waited long loses
 * the lock to newcomers that try every few milliseconds; with eight
 * processes writing at once some waited past the timeout and failed with
 * "busy" (tests/stress/concurrency).  Trying at one even pace keeps the
 * longest wait near the length of the queue.
 */
static int busy_wait(void *payload, int tries)
{
	cw_store *s = payload;

	if (tries == 0)
		s->busy_since = monotonic_ms();
	else if (monotonic_ms() - s->busy_since >= BUSY_TIMEOUT_MS)
		return 0;
	sqlite3_sleep(1);
	return 1;
}

static int configure(cw_store *s)
{
	static const char pragmas[] =
		"PRAGMA foreign_keys = ON;"
		"PRAGMA trusted_schema = OFF;"
		"PRAGMA secure_delete = ON;"
		"PRAGMA temp_store = MEMORY;"
		"PRAGMA synchronous = FULL;";
	int rc, ignored;

	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &ignored);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
			  &ignored);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &ignored);
	sqlite3_busy_handler(s->db, busy_wait, s);
	rc = sqlite3_exec(s->db, pragmas, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "opening the database");
	return 0;
}

/*
 * Switch a database to WAL.  On a file still in rollback mode this needs
 * an exclusive lock, and SQLite answers SQLITE_BUSY at once rather than
 * call the busy handler (waiting there while holding a shared lock could
 * deadlock), so several processes creating one database together would
 * fail with "busy" (tests/stress/concurrency.c races them).  Retry for
 * as long as the busy timeout allows; a file already in WAL answers at
 * once.
 */
static int use_wal(cw_store *s)
{
	long long since = monotonic_ms();
	int rc;

	for (;;) {
		rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL,
				  NULL);
		if ((rc & 0xff) != SQLITE_BUSY ||
		    monotonic_ms() - since >= BUSY_TIMEOUT_MS)
			return rc;
		sqlite3_sleep(1);
	}
}


/* Why this process may not write the database at `path`, or NULL when
 * it may: the file itself, or its folder, where SQLite must be able to
 * create the -wal and -shm files beside it. */
static const char *readonly_reason(const char *path)
{
	static const char folder_readonly[] =
		"its folder is not writable, and SQLite keeps its -wal and "
		"-shm files there";
	const char *slash = strrchr(path, '/');
	char *dir;
	int writable;

	if (access(path, W_OK) < 0)
		return "you may not write the file";
	if (slash == NULL)
		return access(".", W_OK) < 0 ? folder_readonly : NULL;
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (dir == NULL)
		return NULL; /* out of memory: let SQLite find out */
	writable = access(dir, W_OK) == 0;
	free(dir);
	return writable ? NULL : folder_readonly;
}

int store_connect(cw_store **out, const char *path, int create)
{
	cw_store *s = NULL;
	char *uri = NULL;
	const char *why;
	struct stat st;
	int error, rc, fd;
	int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return cw_error_set(CW_EINVALID, "the database path is empty");
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return cw_error_set(CW_ERROR, "cannot open %s: %s", path,
					    strerror(errno));
		if (!create)
			return cw_error_set(CW_ENOTFOUND,
					    "no database at %s: run 'casework "
					    "init' (or import a case)",
					    path);
		if ((error = make_parent(path)) < 0)
			return error;
		/* create the file ourselves so that it is owner-only whatever
		 * the umask; SQLite gives its -wal and -shm files the same
		 * mode.  O_EXCL also refuses a link planted meanwhile. */
		fd = open(path,
			  O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  0600);
		if (fd < 0 && errno != EEXIST)
			return cw_error_set(CW_ERROR, "cannot create %s: %s",
					    path, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (lstat(path, &st) < 0)
			return cw_error_set(CW_ERROR, "cannot open %s: %s", path,
					    strerror(errno));
	}
	/* a link could send the database, and what is written to it, to a
	 * file the student never meant (a link planted in a shared folder);
	 * links to its folders are followed */
	if (S_ISLNK(st.st_mode)) {
		char target[1024];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		target[n > 0 ? n : 0] = '\0';
		return cw_error_set(CW_ERROR,
				    "%s is a symbolic link (to %s); casework "
				    "opens only the database file itself: give "
				    "its real path",
				    path, target);
	}
	if (!S_ISREG(st.st_mode))
		return cw_error_set(CW_ERROR, "%s is not a regular file", path);
	if (access(path, R_OK) < 0)
		return cw_error_set(CW_ERROR, "cannot read the database %s: %s",
				    path, strerror(errno));

	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		return cw_error_set(CW_ERROR, "out of memory");
	}
	why = readonly_reason(path);
	s->readonly_why = why;
	if (why != NULL) {
		/* nothing to write: open immutable so that SQLite creates no
		 * -wal or -shm file that would outlive this process */
		sqlite3_str *str = sqlite3_str_new(NULL);

		sqlite3_str_appendall(str, "file:");
		for (const char *p = path; *p != '\0'; p++) {
			if (*p == '%' || *p == '?' || *p == '#')
				sqlite3_str_appendf(str, "%%%02X",
						    (unsigned char)*p);
			else
				sqlite3_str_appendchar(str, 1, *p);
		}
		sqlite3_str_appendall(str, "?mode=ro&immutable=1");
		uri = sqlite3_str_finish(str);
		flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
	} else {
		flags |= SQLITE_OPEN_READWRITE;
	}
	rc = sqlite3_open_v2(uri ? uri : path, &s->db, flags, NULL);
	sqlite3_free(uri);
	if (rc != SQLITE_OK) {
		error = store_fail(s, rc, "opening the database");
		goto fail;
	}
	if ((error = configure(s)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	cw_store_free(s);
	return error;
}

static int open_store(cw_store **out, const char *path, int create)
{
	cw_store *s = NULL;
	int error, rc;

	*out = NULL;
	if ((error = store_connect(&s, path, create)) < 0)
		return error;
	if ((error = schema_migrate(s)) < 0)
		goto fail;
	/* a new or upgraded database gets the built-in workflow, so that
	 * commands that only read find it */
	if (error > 0 && (error = catalog_ensure_standard(s)) < 0)
		goto fail;
	/* only once the file is known to be ours: WAL persists in the file
	 * (asking again takes no lock) */
	if (s->readonly_why == NULL) {
		rc = use_wal(s);
		if (rc != SQLITE_OK) {
			error = store_fail(s, rc, "turning on WAL");
			goto fail;
		}
	}
	*out = s;
	return 0;
fail:
	cw_store_free(s);
	return error;
}

int cw_store_open(cw_store **out, const char *path)
{
	return open_store(out, path, 1);
}

int cw_store_open_existing(cw_store **out, const char *path)
{
	return open_store(out, path, 0);
}

int cw_store_writable(cw_store *s)
{
	if (s->readonly_why == NULL)
		return 0;
	return cw_error_set(CW_ERROR, "the database %s is read-only (%s)",
			    s->path, s->readonly_why);
}

void cw_store_free(cw_store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	catalog_cache_free(s);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int cw_store_schema_version(cw_store *s)
{
	sqlite3_stmt *st = NULL;
	int version = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return version;
}

int cw_store_schema_latest(void)
{
	return schema_latest();
}

const char *cw_store_sqlite_version(void)
{
	return sqlite3_libversion();
}

const char *cw_store_nettle_version(void)
{
	static char version[24];

	snprintf(version, sizeof(version), "%d.%d", nettle_version_major(),
		 nettle_version_minor());
	return version;
}

/* A copy of a text column, or NULL for SQL NULL; `*oom` is set when the
 * column holds a value that could not be copied (SQLite or strdup out of
 * memory), so that a caller never takes a failed copy for a missing one. */
static char *column_dup(sqlite3_stmt *st, int col, int *oom)
{
	int is_null = sqlite3_column_type(st, col) == SQLITE_NULL;
	const unsigned char *t = sqlite3_column_text(st, col);
	char *copy = t ? strdup((const char *)t) : NULL;

	if (copy == NULL && !is_null)
		*oom = 1;
	return copy;
}

int store_events_each(cw_store *s, const char *session,
		      int (*fn)(const event_row *ev, void *payload),
		      void *payload)
{
	sqlite3_stmt *st = store_stmt(s, ST_EVENTS);
	int rc, error = 0;

	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, session, -1, SQLITE_STATIC);
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
		error = store_fail(s, rc, "reading the log");
	sqlite3_reset(st);
	return error;
}

int store_event_insert(cw_store *s, const event_row *ev)
{
	sqlite3_stmt *st = store_stmt(s, ST_EVENT_INSERT);
	int rc;

	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, ev->session, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ev->seq);
	sqlite3_bind_text(st, 3, ev->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ev->phase, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ev->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, ev->payload, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, ev->prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, ev->hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "appending to the log");
}

void session_row_clear(session_row *r)
{
	free(r->id);
	free(r->case_id);
	free(r->case_sha256);
	free(r->workflow_id);
	free(r->student);
	free(r->created_at);
	free(r->phase);
	free(r->status);
	free(r->head);
	free(r->updated_at);
	memset(r, 0, sizeof(*r));
}

int store_session_get(cw_store *s, const char *id, session_row *r)
{
	sqlite3_stmt *st = store_stmt(s, ST_SESSION_GET);
	int rc;

	memset(r, 0, sizeof(*r));
	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int oom = 0;

		r->id = column_dup(st, 0, &oom);
		r->case_id = column_dup(st, 1, &oom);
		r->case_sha256 = column_dup(st, 2, &oom);
		r->workflow_id = column_dup(st, 3, &oom);
		r->workflow_version = sqlite3_column_int(st, 4);
		r->student = column_dup(st, 5, &oom);
		r->created_at = column_dup(st, 6, &oom);
		r->phase = column_dup(st, 7, &oom);
		r->status = column_dup(st, 8, &oom);
		r->last_seq = sqlite3_column_int64(st, 9);
		r->head = column_dup(st, 10, &oom);
		r->met = sqlite3_column_int(st, 11);
		r->total = sqlite3_column_int(st, 12);
		r->updated_at = column_dup(st, 13, &oom);
		sqlite3_reset(st);
		if (oom) {
			session_row_clear(r);
			return cw_error_set(CW_ERROR, "out of memory");
		}
		return 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return cw_error_set(CW_ENOTFOUND, "no session %s", id);
	return store_fail(s, rc, "reading a session");
}

static void bind_projection(sqlite3_stmt *st, const session_row *r, int at)
{
	sqlite3_bind_text(st, at, r->phase, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, at + 1, r->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, at + 2, r->last_seq);
	sqlite3_bind_text(st, at + 3, r->head, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, at + 4, r->met);
	sqlite3_bind_int(st, at + 5, r->total);
	sqlite3_bind_text(st, at + 6, r->updated_at, -1, SQLITE_STATIC);
}

int store_session_insert(cw_store *s, const session_row *r)
{
	sqlite3_stmt *st = store_stmt(s, ST_SESSION_INSERT);
	int rc;

	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->case_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->workflow_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, r->workflow_version);
	sqlite3_bind_text(st, 6, r->student, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->created_at, -1, SQLITE_STATIC);
	bind_projection(st, r, 8);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "creating a session");
}

int store_session_project(cw_store *s, const session_row *r)
{
	sqlite3_stmt *st = store_stmt(s, ST_SESSION_PROJECT);
	int rc;

	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	bind_projection(st, r, 2);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "updating a session");
}

int store_session_prefix(cw_store *s, const char *prefix,
			 char ids[][CW_ID_LEN + 1], int max, int *count)
{
	sqlite3_stmt *st = store_stmt(s, ST_SESSION_PREFIX);
	int rc;

	*count = 0;
	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);

		snprintf(ids[*count], CW_ID_LEN + 1, "%s", id ? id : "");
		(*count)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "finding a session");
}

int store_workflow_get(cw_store *s, const char *id, int version, char **text,
		       int *version_out)
{
	sqlite3_stmt *st = store_stmt(s, version ? ST_WORKFLOW_GET
						 : ST_WORKFLOW_NEWEST);
	int rc, oom = 0;

	*text = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (version)
		sqlite3_bind_int(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*text = column_dup(st, 0, &oom);
		if (version_out != NULL)
			*version_out = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return *text && !oom ? 0 : cw_error_set(CW_ERROR, "out of memory");
	if (rc == SQLITE_DONE)
		return version ? cw_error_set(CW_ENOTFOUND,
					      "no workflow %s version %d", id,
					      version)
			       : cw_error_set(CW_ENOTFOUND, "no workflow '%s'",
					      id);
	return store_fail(s, rc, "reading a workflow");
}

int store_workflow_insert(cw_store *s, const char *id, int version,
			  const char *title, const char *text,
			  const char *sha256, const char *at)
{
	sqlite3_stmt *st = store_stmt(s, ST_WORKFLOW_INSERT);
	int rc;

	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "storing a workflow");
}

int store_case_get(cw_store *s, const char *id, char **text, char **sha256)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_GET);
	int rc, oom = 0;

	*text = NULL;
	if (sha256 != NULL)
		*sha256 = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*text = column_dup(st, 0, &oom);
		if (sha256 != NULL)
			*sha256 = column_dup(st, 1, &oom);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW && oom) {
		free(*text);
		*text = NULL;
		if (sha256 != NULL) {
			free(*sha256);
			*sha256 = NULL;
		}
		return cw_error_set(CW_ERROR, "out of memory");
	}
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return cw_error_set(CW_ENOTFOUND,
				    "no case '%s' (see 'casework case list')",
				    id);
	return store_fail(s, rc, "reading a case");
}

int store_case_text(cw_store *s, const char *sha256, char **text)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_TEXT);
	int rc, oom = 0;

	*text = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*text = column_dup(st, 0, &oom);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return oom ? cw_error_set(CW_ERROR, "out of memory") : 0;
	if (rc == SQLITE_DONE)
		return cw_error_set(CW_ENOTFOUND, "no case text %s", sha256);
	return store_fail(s, rc, "reading a case");
}

/* Store a case's text by its hash, then its row with `stmt`: an upsert
 * (import) or an insert that leaves an existing case alone (bundle). */
static int put_case(cw_store *s, enum stmt_id stmt, const char *id,
		    const char *title, const char *setting, const char *text,
		    const char *sha256, const char *at)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_TEXT_INSERT);
	int rc;

	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "storing a case");
	if ((st = store_stmt(s, stmt)) == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, setting, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "storing a case");
}

int store_case_put(cw_store *s, const char *id, const char *title,
		   const char *setting, const char *text, const char *sha256,
		   const char *at)
{
	return put_case(s, ST_CASE_UPSERT, id, title, setting, text, sha256, at);
}

int store_case_adopt(cw_store *s, const char *id, const char *title,
		     const char *setting, const char *text, const char *sha256,
		     const char *at)
{
	return put_case(s, ST_CASE_ADOPT, id, title, setting, text, sha256, at);
}

int store_setting_get(cw_store *s, const char *key, char **value)
{
	sqlite3_stmt *st = store_stmt(s, ST_SETTING_GET);
	int rc, oom = 0;

	*value = NULL;
	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = column_dup(st, 0, &oom);
	sqlite3_reset(st);
	if (oom)
		return cw_error_set(CW_ERROR, "out of memory");
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? 0
		       : store_fail(s, rc, "reading a setting");
}

int store_setting_set(cw_store *s, const char *key, const char *value)
{
	sqlite3_stmt *st = store_stmt(s, ST_SETTING_SET);
	int rc;

	if (st == NULL)
		return CW_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc, "saving a setting");
}

int store_rows_json(cJSON **out, cw_store *s, sqlite3_stmt *st,
		    const char *what)
{
	cJSON *list = cJSON_CreateArray();
	int rc = SQLITE_DONE, whole = list != NULL;

	*out = NULL;
	/* callers read every column of every row back without looking, so
	 * a row is added whole or the listing fails */
	while (whole && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *item = cJSON_CreateObject();

		whole = item != NULL;
		for (int i = 0; whole && i < sqlite3_column_count(st); i++) {
			const char *key = sqlite3_column_name(st, i);
			int type = sqlite3_column_type(st, i);

			if (type == SQLITE_INTEGER)
				whole = cJSON_AddNumberToObject(
						item, key,
						(double)sqlite3_column_int64(
							st, i)) != NULL;
			else if (type == SQLITE_NULL)
				whole = cJSON_AddNullToObject(item, key) != NULL;
			else
				whole = cJSON_AddStringToObject(
						item, key,
						(const char *)sqlite3_column_text(
							st, i)) != NULL;
		}
		if (!whole || !cJSON_AddItemToArray(list, item)) {
			cJSON_Delete(item);
			whole = 0;
		}
	}
	sqlite3_reset(st);
	if (!whole) {
		cJSON_Delete(list);
		return cw_error_set(CW_ERROR, "out of memory");
	}
	if (rc != SQLITE_DONE) {
		cJSON_Delete(list);
		return store_fail(s, rc, what);
	}
	*out = list;
	return 0;
}

/* 32 bytes as 64 lower-case hex digits and a NUL (snprintf per byte was a
 * tenth of the cost of appending an event). */
static void hex_digest(char out[65], const unsigned char digest[32])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[digest[i] >> 4];
		out[2 * i + 1] = digits[digest[i] & 0xf];
	}
	out[64] = '\0';
}

void store_sha256(char out[65], const void *data, size_t len)
{
	struct sha256_ctx ctx;
	unsigned char digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	hex_digest(out, digest);
}

const char store_genesis[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

void store_event_hash(char out[65], const event_row *ev)
{
	const char *fields[8];
	char seq[24];
	unsigned char digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	snprintf(seq, sizeof(seq), "%ld", ev->seq);
	fields[0] = ev->session;
	fields[1] = seq;
	fields[2] = ev->at;
	fields[3] = ev->actor;
	fields[4] = ev->phase;
	fields[5] = ev->type;
	fields[6] = ev->payload;
	fields[7] = ev->prev;
	sha256_init(&ctx);
	for (int i = 0; i < 8; i++) {
		size_t len = fields[i] ? strlen(fields[i]) : 0;
		unsigned char prefix[8];

		for (int b = 0; b < 8; b++)
			prefix[b] = (unsigned char)(len >> (56 - 8 * b));
		sha256_update(&ctx, sizeof(prefix), prefix);
		sha256_update(&ctx, len, (const uint8_t *)(fields[i] ? fields[i] : ""));
	}
	sha256_digest(&ctx, sizeof(digest), digest);
	hex_digest(out, digest);
}

int store_enter(cw_store *s, int *owned)
{
	*owned = !s->in_transaction;
	return *owned ? store_begin(s) : 0;
}

int store_enter_read(cw_store *s, int *owned)
{
	int error;

	*owned = !s->in_transaction;
	if (!*owned)
		return 0;
	error = exec_stmt(s, ST_BEGIN_READ, "starting a read");
	if (error == 0)
		s->in_transaction = 1;
	return error;
}

int store_end(cw_store *s, int owned, int error)
{
	if (!owned)
		return error;
	if (error < 0) {
		store_rollback(s);
		return error;
	}
	return store_commit(s);
}

int cw_store_transaction(cw_store *s, int (*fn)(cw_store *s, void *payload),
			 void *payload)
{
	int error = store_begin(s);

	if (error < 0)
		return error;
	error = fn(s, payload);
	if (error != 0) {
		store_rollback(s);
		return error;
	}
	return store_end(s, 1, 0);
}
