/*
 * stress.c - the helpers shared by the stress drivers: options, TAP,
 * child processes, and direct reads of the database.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

static int tap_count, tap_failed;
static unsigned short rnd_state[3];

static long parse_number(const char *opt, const char *value)
{
	char *end = NULL;
	long n;

	errno = 0;
	n = value ? strtol(value, &end, 10) : -1;
	if (value == NULL || errno != 0 || end == value || *end != '\0' ||
	    n < 0) {
		fprintf(stderr, "stress: %s needs a number, got '%s'\n", opt,
			value ? value : "");
		exit(2);
	}
	return n;
}

void stress_parse(struct stress_opts *o, int argc, char **argv,
		  const char *usage)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--expect-failure") == 0) {
			o->expect_failure = 1;
			continue;
		}
		if (strcmp(a, "--keep") == 0) {
			o->keep = 1;
			continue;
		}
		if (v == NULL)
			goto bad;
		i++;
		if (strcmp(a, "--casework") == 0)
			o->casework = v;
		else if (strcmp(a, "--top") == 0)
			o->top = v;
		else if (strcmp(a, "--dir") == 0)
			o->dir = v;
		else if (strcmp(a, "--seed") == 0)
			o->seed = parse_number(a, v);
		else if (strcmp(a, "--cycles") == 0)
			o->cycles = (int)parse_number(a, v);
		else if (strcmp(a, "--verify-every") == 0)
			o->verify_every = (int)parse_number(a, v);
		else if (strcmp(a, "--workers") == 0)
			o->workers = (int)parse_number(a, v);
		else if (strcmp(a, "--commands") == 0)
			o->commands = (int)parse_number(a, v);
		else
			goto bad;
	}
	if (o->casework == NULL || o->top == NULL)
		goto bad;
	/* a missing program would fail every check, and so pass a negative
	 * control for the wrong reason */
	if (access(o->casework, X_OK) < 0) {
		fprintf(stderr, "stress: %s: %s\n", o->casework,
			strerror(errno));
		exit(2);
	}
	return;
bad:
	fprintf(stderr, "usage: %s %s\n", argv[0], usage);
	exit(2);
}

char *stress_scratch(const struct stress_opts *o, const char *name)
{
	const char *parent = o->dir ? o->dir : getenv("TMPDIR");
	char *path = NULL;

	if (parent == NULL || parent[0] == '\0')
		parent = "/tmp";
	mkdir(parent, 0700);
	if (asprintf(&path, "%s/%s-XXXXXX", parent, name) < 0)
		return NULL;
	if (mkdtemp(path) == NULL) {
		fprintf(stderr, "stress: cannot create %s: %s\n", path,
			strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

void stress_cleanup(const struct stress_opts *o, const char *dir)
{
	if (dir == NULL)
		return;
	if (o->keep) {
		tap_diag("kept %s", dir);
		return;
	}
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return pass;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed == 0 && tap_count > 0 ? 0 : 1;
}

int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void rnd_seed(long seed)
{
	rnd_state[0] = 0x330e;
	rnd_state[1] = (unsigned short)seed;
	rnd_state[2] = (unsigned short)(seed >> 16);
}

long rnd(long n)
{
	return n <= 1 ? 0 : (long)(erand48(rnd_state) * (double)n);
}

/* dup2 a file opened with `flags` onto `fd` in the child. */
static void redirect(int fd, const char *path, int flags)
{
	int f = open(path ? path : "/dev/null", flags | O_CLOEXEC, 0600);

	if (f < 0 || dup2(f, fd) < 0)
		_exit(127);
	close(f);
}

pid_t spawn(char *const argv[], const char *in, const char *out,
	    const char *err)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	redirect(0, in, O_RDONLY);
	redirect(1, out, O_WRONLY | O_CREAT | O_TRUNC);
	redirect(2, err, O_WRONLY | O_CREAT | O_APPEND);
	execv(argv[0], argv);
	_exit(127);
}

int run_wait(char *const argv[], const char *in, const char *out,
	     const char *err)
{
	int status;
	pid_t pid = spawn(argv, in, out, err);

	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			char *more = realloc(text, cap + 65536);

			if (more == NULL) {
				free(text);
				fclose(f);
				return NULL;
			}
			text = more;
			cap += 65536;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	text[len] = '\0';
	return text;
}

int spit(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text), done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return close(fd);
}

sqlite3 *db_open(const char *path)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);

	if (rc != SQLITE_OK) {
		tap_diag("cannot open %s: %s", path,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	/* the drivers only read, but a casework may still be finishing */
	sqlite3_busy_timeout(db, 10000);
	return db;
}

long long db_int(sqlite3 *db, const char *sql, const char *p1,
		 const char *p2)
{
	sqlite3_stmt *st = NULL;
	long long value = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		tap_diag("query failed: %s: %s", sql, sqlite3_errmsg(db));
		return -1;
	}
	if (p1 != NULL)
		sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
	if (p2 != NULL)
		sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		value = sqlite3_column_int64(st, 0);
	else
		tap_diag("query gave no row: %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return value;
}

int db_sound(sqlite3 *db, char *why, size_t len)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	snprintf(why, len, "cannot run integrity_check: %s",
		 sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);

		ok = r != NULL && strcmp(r, "ok") == 0;
		if (!ok)
			snprintf(why, len, "integrity_check: %s", r ? r : "?");
	}
	sqlite3_finalize(st);
	if (!ok)
		return 0;
	st = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) != SQLITE_DONE) {
		snprintf(why, len, "foreign_key_check: a row of %s refers to "
				   "nothing",
			 (const char *)sqlite3_column_text(st, 0));
		ok = 0;
	}
	sqlite3_finalize(st);
	if (ok)
		why[0] = '\0';
	return ok;
}

long long db_bad_projections(sqlite3 *db)
{
	return db_int(
		db,
		"SELECT count(*) FROM sessions AS s WHERE"
		" s.last_seq != (SELECT count(*) FROM events AS e"
		"                WHERE e.session_id = s.id)"
		" OR s.last_seq != coalesce((SELECT max(seq) FROM events AS e"
		"                WHERE e.session_id = s.id), 0)"
		" OR s.head != coalesce((SELECT hash FROM events AS e"
		"                WHERE e.session_id = s.id"
		"                ORDER BY seq DESC LIMIT 1), '')",
		NULL, NULL);
}
