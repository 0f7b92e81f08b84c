/*
 * connect_sqlite.c - opening a SQLite database file for the SQLite backend
 * (store_sqlite.c): a file created owner-only, never through a link, read-only
 * and immutable when this process may not write it, hardened on every
 * connection, waiting its turn for the write lock; and SQLite's failures in
 * the engine's words.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_sqlite.h"

int sqlite_fail(cw_store *s, int rc, const char *what)
{
	const char *detail = s && sqlite_db(s) ? sqlite3_errmsg(sqlite_db(s))
					 : sqlite3_errstr(rc);
	const char *path = s && s->where ? s->where : "";
	int primary = rc & 0xff;
	int sys = s && sqlite_db(s) ? sqlite3_system_errno(sqlite_db(s)) : 0;

	if (primary == SQLITE_NOMEM)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
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
				    s && s->where ? s->where : what);
	/* the operating system's reason says more than "disk I/O error" */
	if ((primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) && sys != 0)
		return cw_error_set(CW_ERROR, "%s: %s: %s (%s)", what, path,
				    detail, strerror(sys));
	return cw_error_set(CW_ERROR, "%s: %s", what, detail);
}

/* mkdir -p for the folder of `path`, each new folder owner-only. */
static int make_parent(const char *path)
{
	char *dir = strdup(path);
	char *slash;
	int error = 0;

	if (dir == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
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
	sqlite_store *s = payload;

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

	sqlite3_db_config(sqlite_db(s), SQLITE_DBCONFIG_DEFENSIVE, 1, &ignored);
	sqlite3_db_config(sqlite_db(s), SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
			  &ignored);
	sqlite3_db_config(sqlite_db(s), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &ignored);
	sqlite3_busy_handler(sqlite_db(s), busy_wait, s);
	rc = sqlite3_exec(sqlite_db(s), pragmas, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(s, rc, "opening the database");
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
int sqlite_use_wal(cw_store *s)
{
	long long since = monotonic_ms();
	int rc;

	for (;;) {
		rc = sqlite3_exec(sqlite_db(s), "PRAGMA journal_mode = WAL", NULL, NULL,
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

int sqlite_connect(cw_store **out, const char *path, int create)
{
	sqlite_store *ss = NULL;
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

	ss = calloc(1, sizeof(*ss));
	if (ss == NULL || (ss->base.where = strdup(path)) == NULL) {
		free(ss);
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	s = &ss->base;
	s->ops = &store_sqlite_backend;
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
	rc = sqlite3_open_v2(uri ? uri : path, &ss->db, flags, NULL);
	sqlite3_free(uri);
	if (rc != SQLITE_OK) {
		error = sqlite_fail(s, rc, "opening the database");
		goto fail;
	}
	if ((error = configure(s)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	sqlite_close(s);
	return error;
}


int store_sqlite_open(cw_store **out, const char *path, int create)
{
	return sqlite_connect(out, path, create);
}
