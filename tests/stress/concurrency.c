/*
 * concurrency.c - several processes write to one database at once.
 *
 * First the workers race to create the database (each imports the same
 * case into a file that does not exist yet).  Then each worker runs its
 * commands one after another, each to the session all workers share or to
 * its own: notes, objectives, feedback, advances (refused, and logged),
 * with a status or log read now and then.  Every write has its own actor
 * (--as), so that afterwards the driver can check that no command failed
 * (in particular none with "the database is busy"), that every command
 * that reported success left exactly one event and nothing else was
 * written, that sequence numbers run 1..n without a gap in every session,
 * and that `casework verify --all` and integrity_check pass.
 *
 * With --expect-failure the same load is the negative control: run
 * against a build whose write transactions begin with a deferred BEGIN,
 * it must fail, and the single TAP line says whether it did.
 *
 * usage: concurrency --casework PATH --top REPO [--workers N]
 *        [--commands N] [--seed N] [--dir DIR] [--expect-failure] [--keep]
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

#define CASE_ID "school-attendance-year8"
#define MAX_WORKERS 64

enum kind { K_NOTE, K_OBJECTIVE, K_FEEDBACK, K_ADVANCE, K_READ };

static struct stress_opts opt = {
	.workers = 8,
	.commands = 100,
	.seed = -1,
};
static char *scratch, db_path[600], case_path[600];
static char sessions[MAX_WORKERS + 1][40]; /* [0] shared, [1 + w] own */
static int results, failures; /* checks made, checks failed */

/* A check: a TAP line, or in the negative control only a diagnostic
 * (there the run as a whole is meant to fail). */
static int check(int pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int check(int pass, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	results++;
	if (!pass)
		failures++;
	if (opt.expect_failure)
		tap_diag("%s: %s", pass ? "passed" : "FAILED", line);
	else
		tap_ok(pass, "%s", line);
	return pass;
}

/* Wait on a pipe until the parent closes it, so that all start at once. */
static void barrier_wait(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	close(fd);
}

/* The first race: every worker imports the case into a database that does
 * not exist yet.  Returns how many failed. */
static int cold_start(void)
{
	int fds[2], failed = 0;
	pid_t pids[MAX_WORKERS];
	char err[700];

	snprintf(err, sizeof(err), "%s/cold-start.err", scratch);
	if (pipe(fds) < 0)
		return opt.workers;
	for (int w = 0; w < opt.workers; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			char *argv[] = { (char *)opt.casework, "--db", db_path,
					 "case", "import", case_path, NULL };
			int status;

			close(fds[1]);
			barrier_wait(fds[0]);
			status = run_wait(argv, NULL, NULL, err);
			_exit(status >= 0 && WIFEXITED(status)
				      ? WEXITSTATUS(status)
				      : 126);
		}
	}
	close(fds[0]);
	close(fds[1]);
	for (int w = 0; w < opt.workers; w++) {
		int status;

		if (pids[w] < 0 || waitpid(pids[w], &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	if (failed) {
		char *text = slurp(err), *line, *save = NULL;

		for (line = text ? strtok_r(text, "\n", &save) : NULL;
		     line != NULL; line = strtok_r(NULL, "\n", &save))
			tap_diag("cold start: %s", line);
		free(text);
	}
	return failed;
}

static int start_session(char out[40], const char *student)
{
	char path[700];
	char *argv[] = { (char *)opt.casework, "--db", db_path, "start",
			 CASE_ID, "--student", (char *)student, NULL };
	int status;
	char *text;

	snprintf(path, sizeof(path), "%s/start.out", scratch);
	status = run_wait(argv, NULL, path, NULL);
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    (text = slurp(path)) == NULL)
		return -1;
	text[strcspn(text, "\n")] = '\0';
	snprintf(out, 40, "%s", text);
	free(text);
	return 0;
}

/* One worker: its commands, one line each in its results file:
 * "ACTOR SESSION-INDEX KIND EXIT MICROSECONDS". */
static void worker(int w, int barrier)
{
	char results_path[700], err_path[700], actor[32], text[96];
	FILE *out;
	long err_at = 0;

	snprintf(results_path, sizeof(results_path), "%s/worker-%d.txt", scratch,
		 w);
	snprintf(err_path, sizeof(err_path), "%s/worker-%d.err", scratch, w);
	out = fopen(results_path, "w");
	if (out == NULL)
		_exit(1);
	rnd_seed(opt.seed + 7919 * (w + 1));
	barrier_wait(barrier);
	for (int j = 0; j < opt.commands; j++) {
		int target = rnd(2) ? 0 : 1 + w, r = (int)rnd(100), n = 0;
		enum kind kind = r < 60   ? K_NOTE
				 : r < 70 ? K_OBJECTIVE
				 : r < 80 ? K_FEEDBACK
				 : r < 88 ? K_ADVANCE
					  : K_READ;
		char *argv[16];
		int64_t start;
		int status, code;
		struct stat st;

		snprintf(actor, sizeof(actor), "w%02dc%05d", w, j);
		argv[n++] = (char *)opt.casework;
		argv[n++] = "--db";
		argv[n++] = db_path;
		argv[n++] = "--as";
		argv[n++] = actor;
		switch (kind) {
		case K_NOTE:
			argv[n++] = "note";
			snprintf(text, sizeof(text), "note of %s", actor);
			break;
		case K_OBJECTIVE:
			argv[n++] = "objective";
			argv[n++] = "add";
			snprintf(text, sizeof(text), "objective of %s", actor);
			break;
		case K_FEEDBACK:
			argv[n++] = "feedback";
			snprintf(text, sizeof(text), "feedback of %s", actor);
			break;
		case K_ADVANCE:
			argv[n++] = "advance";
			text[0] = '\0';
			break;
		case K_READ:
			argv[n++] = rnd(2) ? "status" : "log";
			argv[n++] = "--json";
			text[0] = '\0';
			break;
		}
		argv[n++] = "-s";
		argv[n++] = sessions[target];
		if (text[0] != '\0')
			argv[n++] = text;
		argv[n] = NULL;
		start = now_us();
		status = run_wait(argv, NULL, NULL, err_path);
		code = status < 0 ? 255
		       : WIFEXITED(status) ? WEXITSTATUS(status)
					   : 128 + WTERMSIG(status);
		fprintf(out, "%s %d %d %d %lld\n", actor, target, (int)kind, code,
			(long long)(now_us() - start));
		/* an advance is refused (3) and logged; all else must be 0:
		 * keep what a failing command said */
		if (code != (kind == K_ADVANCE ? 3 : 0) &&
		    stat(err_path, &st) == 0 && st.st_size > err_at) {
			FILE *e = fopen(err_path, "r");
			char said[256] = "";

			if (e != NULL && fseek(e, err_at, SEEK_SET) == 0 &&
			    fgets(said, sizeof(said), e) != NULL)
				fprintf(out, "! %s: %s", actor, said);
			if (e != NULL)
				fclose(e);
		}
		if (stat(err_path, &st) == 0)
			err_at = st.st_size;
	}
	_exit(fclose(out) == 0 ? 0 : 1);
}

/* actor -> events it left, from one GROUP BY */
struct tally {
	char actor[32];
	int events;
};

static int by_actor(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->actor,
		      ((const struct tally *)b)->actor);
}

static struct tally *load_tally(sqlite3 *db, int *count)
{
	sqlite3_stmt *st = NULL;
	struct tally *t = NULL;
	int n = 0, cap = 0;

	*count = 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT actor, count(*) FROM events GROUP BY actor"
			       " ORDER BY actor",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			struct tally *more;

			cap = cap ? 2 * cap : 1024;
			more = realloc(t, (size_t)cap * sizeof(*t));
			if (more == NULL)
				break;
			t = more;
		}
		snprintf(t[n].actor, sizeof(t[n].actor), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		t[n].events = sqlite3_column_int(st, 1);
		n++;
	}
	sqlite3_finalize(st);
	/* SQLite's order and strcmp's agree for these ASCII names, but
	 * bsearch must not depend on it */
	if (t != NULL)
		qsort(t, (size_t)n, sizeof(*t), by_actor);
	*count = n;
	return t;
}

/* The workflows compiled into casework (examples/workflows/): a new
 * database holds each once. */
#define BUILT_IN_WORKFLOWS 2

int main(int argc, char **argv)
{
	int fds[2], n_tally = 0, lost = 0, extra = 0, bad_exit = 0;
	int busy_msgs = 0, worker_failed = 0, writes = 0, reads = 0, said = 0;
	long long expected[MAX_WORKERS + 1] = { 0 }, max_latency = 0;
	pid_t pids[MAX_WORKERS];
	struct tally *tally = NULL;
	int64_t started, elapsed;
	sqlite3 *db = NULL;
	char why[256] = "", path[700];
	int cold_failed, ran = 0;

	stress_parse(&opt, argc, argv,
		     "--casework PATH --top REPO [--workers N] [--commands N] "
		     "[--seed N] [--dir DIR] [--expect-failure] [--keep]");
	if (opt.workers < 2 || opt.workers > MAX_WORKERS) {
		fprintf(stderr, "concurrency: --workers takes 2 to %d\n",
			MAX_WORKERS);
		return 2;
	}
	if (opt.seed < 0)
		opt.seed = (long)(time(NULL) ^ getpid());
	setenv("NO_COLOR", "1", 1);
	unsetenv("CASEWORK_SESSION");
	unsetenv("CASEWORK_DB");
	tap_diag("concurrency: %d workers x %d commands, seed %ld%s",
		 opt.workers, opt.commands, opt.seed,
		 opt.expect_failure ? " (negative control: must fail)" : "");
	scratch = stress_scratch(&opt, "casework-concurrency");
	if (scratch == NULL)
		return 1;
	setenv("XDG_STATE_HOME", scratch, 1);
	snprintf(db_path, sizeof(db_path), "%s/casework.db", scratch);
	snprintf(case_path, sizeof(case_path), "%s/examples/cases/%s.json",
		 opt.top, CASE_ID);

	/* 1: creating the database, all at once */
	cold_failed = cold_start();
	db = db_open(db_path);
	check(cold_failed == 0 && db != NULL && db_sound(db, why, sizeof(why)) &&
		      db_int(db, "SELECT count(*) FROM cases", NULL, NULL) == 1 &&
		      db_int(db, "SELECT count(*) FROM workflows", NULL, NULL) ==
			      BUILT_IN_WORKFLOWS,
	      "%d processes create the database at once: all exit 0, one "
	      "case, each built-in workflow once (%d failed)",
	      opt.workers, cold_failed);
	sqlite3_close(db);
	db = NULL;

	/* 2: the load */
	for (int i = 0; i <= opt.workers; i++) {
		char student[32];

		snprintf(student, sizeof(student), "student %d", i);
		if (start_session(sessions[i], student) < 0) {
			check(0, "starting session %d", i);
			goto done;
		}
		expected[i] = 1;
	}
	if (pipe(fds) < 0)
		return 1;
	for (int w = 0; w < opt.workers; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			close(fds[1]);
			worker(w, fds[0]);
		}
	}
	close(fds[0]);
	started = now_us();
	close(fds[1]);
	for (int w = 0; w < opt.workers; w++) {
		int status;

		if (pids[w] < 0 || waitpid(pids[w], &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			worker_failed++;
	}
	elapsed = now_us() - started;

	/* 3: what the workers saw, against what the database holds */
	db = db_open(db_path);
	if (db != NULL)
		tally = load_tally(db, &n_tally);
	for (int w = 0; w < opt.workers; w++) {
		char line[256], actor[32], *text;
		FILE *f;

		snprintf(path, sizeof(path), "%s/worker-%d.txt", scratch, w);
		if ((f = fopen(path, "r")) == NULL) {
			worker_failed++;
			continue;
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			int target, kind, code, want;
			long long us;
			struct tally key, *hit;

			line[strcspn(line, "\n")] = '\0';
			if (line[0] == '!') {
				if (said++ < 5)
					tap_diag("%s", line + 2);
				continue;
			}
			if (sscanf(line, "%31s %d %d %d %lld", actor, &target,
				   &kind, &code, &us) != 5 ||
			    target < 0 || target > opt.workers) {
				worker_failed++;
				continue;
			}
			if (us > max_latency)
				max_latency = us;
			if (kind == K_READ) {
				reads++;
				if (code != 0)
					bad_exit++;
				continue;
			}
			writes++;
			want = code == (kind == K_ADVANCE ? 3 : 0);
			if (!want)
				bad_exit++;
			snprintf(key.actor, sizeof(key.actor), "%s", actor);
			hit = tally ? bsearch(&key, tally, (size_t)n_tally,
					      sizeof(*tally), by_actor)
				    : NULL;
			if (want) {
				expected[target]++;
				if (hit == NULL || hit->events != 1) {
					if (lost++ < 5)
						tap_diag("%s: reported done, "
							 "%d events in the log",
							 actor,
							 hit ? hit->events : 0);
				}
			} else if (hit != NULL) {
				/* it failed, yet left something */
				if (extra++ < 5)
					tap_diag("%s: failed but left %d "
						 "events",
						 actor, hit->events);
			}
		}
		fclose(f);
		snprintf(path, sizeof(path), "%s/worker-%d.err", scratch, w);
		if ((text = slurp(path)) != NULL) {
			for (char *p = text; (p = strstr(p, "busy")) != NULL;
			     p++)
				busy_msgs++;
			for (char *p = text; (p = strstr(p, "locked")) != NULL;
			     p++)
				busy_msgs++;
			free(text);
		}
	}
	tap_diag("%d writes and %d reads in %.1f s (%.0f commands/s), slowest "
		 "%.0f ms",
		 writes, reads, (double)elapsed / 1e6,
		 (double)(writes + reads) * 1e6 / (double)(elapsed ? elapsed : 1),
		 (double)max_latency / 1e3);
	ran = worker_failed == 0 &&
	      writes + reads == opt.workers * opt.commands;
	check(ran, "all %d workers ran their %d commands", opt.workers,
	      opt.commands);
	check(bad_exit == 0 && busy_msgs == 0,
	      "no command failed (%d did; %d messages said busy or locked)",
	      bad_exit, busy_msgs);
	check(db != NULL && lost == 0 && extra == 0,
	      "every command that reported success left exactly one event, "
	      "no failed one left any (%d lost, %d extra)",
	      lost, extra);
	{
		long long wrong = 0;

		for (int i = 0; db != NULL && i <= opt.workers; i++)
			if (db_int(db,
				   "SELECT count(*) FROM events WHERE session_id"
				   " = ?1",
				   sessions[i], NULL) != expected[i]) {
				wrong++;
				tap_diag("session %d: %lld events, expected %lld",
					 i,
					 db_int(db,
						"SELECT count(*) FROM events"
						" WHERE session_id = ?1",
						sessions[i], NULL),
					 expected[i]);
			}
		check(db != NULL && wrong == 0,
		      "each session holds its start and exactly the events "
		      "reported done (%lld sessions differ)",
		      wrong);
	}
	check(db != NULL &&
		      db_int(db,
			     "SELECT count(*) FROM (SELECT count(*) AS n,"
			     " min(seq) AS lo, max(seq) AS hi FROM events"
			     " GROUP BY session_id)"
			     " WHERE lo != 1 OR hi != n",
			     NULL, NULL) == 0 &&
		      db_bad_projections(db) == 0,
	      "sequence numbers run 1..n without a gap in every session, and "
	      "last_seq and head agree");
	{
		char *verify[] = { (char *)opt.casework, "--db", db_path,
				   "verify", "--all", NULL };
		int status = run_wait(verify, NULL, NULL, NULL);

		check(db != NULL && db_sound(db, why, sizeof(why)) &&
			      status >= 0 && WIFEXITED(status) &&
			      WEXITSTATUS(status) == 0,
		      "integrity_check and casework verify --all pass%s%s",
		      why[0] ? ": " : "", why);
	}
done:
	sqlite3_close(db);
	free(tally);
	/* the control passes only if the load ran and then commands failed
	 * or went missing, not because something else broke */
	if (opt.expect_failure)
		tap_ok(ran && (cold_failed > 0 || bad_exit > 0 || lost > 0 ||
			       extra > 0),
		       "the negative control fails as it should (%d of %d "
		       "checks failed: %d commands failed, %d lost)",
		       failures, results, bad_exit + cold_failed, lost);
	stress_cleanup(&opt, scratch);
	free(scratch);
	return tap_done();
}
