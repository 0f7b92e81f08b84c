/*
 * crash.c - kill casework with SIGKILL at random moments and check that
 * nothing a command reported done is lost and nothing a killed command
 * did is left half done.
 *
 * Each cycle runs one write command (a note, a goal, an advance, a walk
 * of several lines, a case, workflow or bundle import, ...) and, unless it
 * is a timing run, sends SIGKILL after a random delay drawn from 0 to 1.2
 * times the command's measured duration (half of them from its last 40%),
 * so that kills land in every part of it: exec, opening and recovering
 * the database, replaying the log, the writes, the commit and the exit.  Every command has its own actor
 * (--as), so the driver can count exactly what it left in the log.
 *
 * After every cycle: the database opens, integrity_check and
 * foreign_key_check are clean, each session's projection matches its log,
 * and the cycle's command left all of its events or none (a walk: a prefix
 * of its lines, each line being its own transaction).  Every few cycles and
 * at the end `casework verify --all` passes; at the end every command that
 * exited 0 still has all its work in the database.
 *
 * usage: crash --casework PATH --top REPO [--cycles N] [--seed N]
 *        [--verify-every N] [--dir DIR] [--keep]
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "stress.h"

#define CASE_ID "school-attendance-year8"
#define MAX_ARGS 24
#define WALK_MAX 6

enum kind {
	K_NOTE,
	K_OBJECTIVE,
	K_GOAL,
	K_CHECK,
	K_CHOOSE,
	K_ADVANCE,
	K_INTERVENTION,
	K_REVISIT,
	K_FEEDBACK,
	K_START,
	K_WALK,
	K_CASE_IMPORT,
	K_WORKFLOW_IMPORT,
	K_BUNDLE_IMPORT,
	K_COUNT
};

static const struct {
	const char *name;
	int weight;
} kinds[K_COUNT] = {
	[K_NOTE] = { "note", 14 },
	[K_OBJECTIVE] = { "objective add", 6 },
	[K_GOAL] = { "goal add", 6 },
	[K_CHECK] = { "check", 10 },
	[K_CHOOSE] = { "choose", 4 },
	[K_ADVANCE] = { "advance", 8 },
	[K_INTERVENTION] = { "intervention add", 4 },
	[K_REVISIT] = { "revisit", 3 },
	[K_FEEDBACK] = { "feedback", 6 },
	[K_START] = { "start", 4 },
	[K_WALK] = { "walk", 8 },
	[K_CASE_IMPORT] = { "case import", 6 },
	[K_WORKFLOW_IMPORT] = { "workflow import", 6 },
	[K_BUNDLE_IMPORT] = { "bundle import", 6 },
};

/* Confirm checkpoints of every phase but termination: a session can get
 * as far as termination but never close, so that a refused command always
 * means "wrong phase", never "closed". */
static const char *const confirms[] = {
	"case-file-reviewed", "environment-arranged", "introduced-self",
	"purpose-explained",  "confidentiality-explained", "goals-agreed",
};

/* One command the driver ran, and what became of it. */
struct command {
	enum kind kind;
	char actor[16];
	char key[64];  /* bundle: its session; case import: the id stem */
	int lines;     /* walk: how many lines it was given */
	int expect;    /* rows it leaves when whole */
	int status;    /* wait status */
	int killed;    /* we sent SIGKILL and it died of it */
	int found;     /* rows found after the cycle */
	int64_t delay; /* microseconds from spawn to kill; -1: not killed */
};

struct bundle {
	char session[40];
	char path[512];
	int events;
};

static struct stress_opts opt = {
	.cycles = 500,
	.verify_every = 50,
	.seed = -1,
};
static char *scratch, db_path[600];
static char *sessions[4096];
static int session_count;
static struct bundle *bundles;
static int bundle_count, bundle_next;
static char *case_template, *workflow_template;

/* argv under construction; strings are owned and freed by args_free */
static char *args[MAX_ARGS + 1];
static int nargs;

static void arg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void arg(const char *fmt, ...)
{
	va_list ap;

	if (nargs >= MAX_ARGS)
		abort();
	va_start(ap, fmt);
	if (vasprintf(&args[nargs], fmt, ap) < 0)
		abort();
	va_end(ap);
	args[++nargs] = NULL;
}

static void args_start(const char *actor)
{
	nargs = 0;
	arg("%s", opt.casework);
	arg("--db");
	arg("%s", db_path);
	arg("--as");
	arg("%s", actor);
}

static void args_free(void)
{
	for (int i = 0; i < nargs; i++)
		free(args[i]);
	nargs = 0;
	args[0] = NULL;
}

/* Run the command in args to its end, stdout to `out`; the exit code, or
 * -1 if it did not exit normally. */
static int run_args(const char *in, const char *out)
{
	int status = run_wait(args, in, out, NULL);

	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The first line of a file, trimmed; malloc'd. */
static char *first_line(const char *path)
{
	char *text = slurp(path);

	if (text != NULL)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

/* A copy of a JSON template with its "id" or "title" replaced. */
static int write_variant(const char *path, const char *template,
			 const char *field, const char *value)
{
	cJSON *doc = cJSON_Parse(template);
	char *text;
	int rc;

	if (doc == NULL)
		return -1;
	cJSON_ReplaceItemInObjectCaseSensitive(doc, field,
					       cJSON_CreateString(value));
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (text == NULL)
		return -1;
	rc = spit(path, text);
	free(text);
	return rc;
}

/* Handed-in bundles of sessions made in another database, one per
 * bundle import the run may need. */
static int make_bundles(int count)
{
	char source[700], out[700];

	snprintf(source, sizeof(source), "%s/source.db", scratch);
	snprintf(out, sizeof(out), "%s/out", scratch);
	bundles = calloc((size_t)count, sizeof(*bundles));
	if (bundles == NULL)
		return -1;
	for (int i = 0; i < count; i++) {
		struct bundle *b = &bundles[i];
		char *id;

		nargs = 0;
		arg("%s", opt.casework);
		arg("--db");
		arg("%s", source);
		arg("case");
		arg("import");
		arg("%s/examples/cases/%s.json", opt.top, CASE_ID);
		if (i == 0 && run_args(NULL, NULL) != 0)
			return -1;
		args_free();
		arg("%s", opt.casework);
		arg("--db");
		arg("%s", source);
		arg("start");
		arg(CASE_ID);
		arg("--student");
		arg("bundle student %d", i);
		if (run_args(NULL, out) != 0 || (id = first_line(out)) == NULL)
			return -1;
		args_free();
		snprintf(b->session, sizeof(b->session), "%s", id);
		free(id);
		for (int n = 0; n < 2; n++) {
			arg("%s", opt.casework);
			arg("--db");
			arg("%s", source);
			arg("note");
			arg("-s");
			arg("%s", b->session);
			arg("bundled note %d of session %d", n, i);
			if (run_args(NULL, NULL) != 0)
				return -1;
			args_free();
		}
		snprintf(b->path, sizeof(b->path), "%s/bundle-%d.json", scratch,
			 i);
		arg("%s", opt.casework);
		arg("--db");
		arg("%s", source);
		arg("export");
		arg("-s");
		arg("%s", b->session);
		arg("--format");
		arg("bundle");
		arg("-o");
		arg("%s", b->path);
		if (run_args(NULL, NULL) != 0)
			return -1;
		args_free();
		b->events = 3;
	}
	bundle_count = count;
	return 0;
}

static int add_session(const char *id)
{
	if (session_count >= (int)(sizeof(sessions) / sizeof(sessions[0])))
		return 0;
	if ((sessions[session_count] = strdup(id)) == NULL)
		return -1;
	session_count++;
	return 0;
}

static int setup(void)
{
	char out[700], path[700];
	char *id;

	snprintf(db_path, sizeof(db_path), "%s/casework.db", scratch);
	snprintf(out, sizeof(out), "%s/out", scratch);
	snprintf(path, sizeof(path), "%s/examples/cases/%s.json", opt.top,
		 CASE_ID);
	if ((case_template = slurp(path)) == NULL)
		return -1;
	snprintf(path, sizeof(path),
		 "%s/tests/fixtures/workflows/five-phase.json", opt.top);
	if ((workflow_template = slurp(path)) == NULL)
		return -1;
	args_start("setup");
	arg("case");
	arg("import");
	arg("%s/examples/cases/%s.json", opt.top, CASE_ID);
	if (run_args(NULL, NULL) != 0)
		return -1;
	args_free();
	for (int i = 0; i < 2; i++) {
		args_start("setup");
		arg("start");
		arg(CASE_ID);
		arg("--student");
		arg("student %d", i);
		if (run_args(NULL, out) != 0 || (id = first_line(out)) == NULL)
			return -1;
		args_free();
		if (add_session(id) < 0)
			return -1;
		free(id);
	}
	/* roughly one bundle per bundle import a run makes */
	return make_bundles(opt.cycles / 16 < 4 ? 4
			    : opt.cycles / 16 > 400 ? 400
						    : opt.cycles / 16);
}

static enum kind pick_kind(void)
{
	int total = 0, r;

	for (int k = 0; k < K_COUNT; k++)
		total += kinds[k].weight;
	r = (int)rnd(total);
	for (int k = 0; k < K_COUNT; k++) {
		if (r < kinds[k].weight)
			return (enum kind)k;
		r -= kinds[k].weight;
	}
	return K_NOTE;
}

/* The command of one cycle, into args (and input files); returns the
 * stdin file for a walk, else NULL. */
static const char *prepare(struct command *c, int cycle, char *in,
			   size_t in_len)
{
	const char *session =
		sessions[session_count - 1 - rnd(session_count < 4 ? session_count
								   : 4)];
	static const char *const tags[] = { "exploration", "strength", "need" };
	char path[700], path2[700], id[80];

	snprintf(c->actor, sizeof(c->actor), "k%06d", cycle);
	c->expect = 1;
	args_start(c->actor);
	switch (c->kind) {
	case K_NOTE:
		arg("note");
		arg("-s");
		arg("%s", session);
		arg("--tag");
		arg("%s", tags[rnd(3)]);
		arg("note written by %s", c->actor);
		break;
	case K_OBJECTIVE:
		arg("objective");
		arg("add");
		arg("-s");
		arg("%s", session);
		arg("objective of %s", c->actor);
		break;
	case K_GOAL:
		arg("goal");
		arg("add");
		arg("-s");
		arg("%s", session);
		arg("--term");
		arg(rnd(2) ? "short" : "long");
		arg("--measure");
		arg("measured by %s", c->actor);
		arg("goal of %s", c->actor);
		break;
	case K_CHECK:
		arg("check");
		arg("-s");
		arg("%s", session);
		arg("%s",
		    confirms[rnd(sizeof(confirms) / sizeof(confirms[0]))]);
		arg("what %s did, in more than twenty characters", c->actor);
		break;
	case K_CHOOSE:
		arg("choose");
		arg("-s");
		arg("%s", session);
		arg("risk-level");
		arg("medium");
		arg("the rationale of %s, long enough to count", c->actor);
		break;
	case K_ADVANCE:
		arg("advance");
		arg("-s");
		arg("%s", session);
		break;
	case K_INTERVENTION:
		arg("intervention");
		arg("add");
		arg("-s");
		arg("%s", session);
		arg("G1");
		arg("--type");
		arg("counseling");
		arg("intervention of %s", c->actor);
		break;
	case K_REVISIT:
		arg("revisit");
		arg("-s");
		arg("%s", session);
		arg("exploration");
		arg("--reason");
		arg("the reason of %s", c->actor);
		break;
	case K_FEEDBACK:
		arg("feedback");
		arg("-s");
		arg("%s", session);
		arg("feedback from %s", c->actor);
		break;
	case K_START:
		arg("start");
		arg(CASE_ID);
		arg("--student");
		arg("%s", c->actor);
		break;
	case K_WALK: {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		c->lines = 2 + (int)rnd(WALK_MAX - 1);
		for (int i = 0; f != NULL && i < c->lines; i++)
			fprintf(f, "note \"walk line %d of %s\"\n", i,
				c->actor);
		if (f == NULL || fclose(f) != 0)
			abort();
		snprintf(in, in_len, "%s/walk.in", scratch);
		if (spit(in, text) < 0)
			abort();
		free(text);
		c->expect = c->lines;
		arg("walk");
		arg("-s");
		arg("%s", session);
		return in;
	}
	case K_CASE_IMPORT:
		/* two new cases in one command: both or neither */
		snprintf(c->key, sizeof(c->key), "crash-%s", c->actor);
		snprintf(id, sizeof(id), "%s-a", c->key);
		snprintf(path, sizeof(path), "%s/case-a.json", scratch);
		if (write_variant(path, case_template, "id", id) < 0)
			abort();
		snprintf(id, sizeof(id), "%s-b", c->key);
		snprintf(path2, sizeof(path2), "%s/case-b.json", scratch);
		if (write_variant(path2, case_template, "id", id) < 0)
			abort();
		c->expect = 2;
		arg("case");
		arg("import");
		arg("%s", path);
		arg("%s", path2);
		break;
	case K_WORKFLOW_IMPORT:
		/* a changed definition of a known id: the next version */
		snprintf(c->key, sizeof(c->key), "Brief contact %s", c->actor);
		snprintf(path, sizeof(path), "%s/workflow.json", scratch);
		if (write_variant(path, workflow_template, "title", c->key) < 0)
			abort();
		arg("workflow");
		arg("import");
		arg("%s", path);
		break;
	case K_BUNDLE_IMPORT: {
		const struct bundle *b = &bundles[bundle_next % bundle_count];

		snprintf(c->key, sizeof(c->key), "%s", b->session);
		c->expect = b->events;
		arg("bundle");
		arg("import");
		arg("%s", b->path);
		break;
	}
	case K_COUNT:
		abort();
	}
	return NULL;
}

/* Rows of its work the command left: events by its actor, cases, a
 * workflow version or a bundled session's events.  -1 on error. */
static long long rows_left(sqlite3 *db, const struct command *c)
{
	char a[80], b[80];

	switch (c->kind) {
	case K_CASE_IMPORT:
		snprintf(a, sizeof(a), "%s-a", c->key);
		snprintf(b, sizeof(b), "%s-b", c->key);
		return db_int(db, "SELECT count(*) FROM cases WHERE id IN (?1, ?2)",
			      a, b);
	case K_WORKFLOW_IMPORT:
		return db_int(db,
			      "SELECT count(*) FROM workflows WHERE title = ?1",
			      c->key, NULL);
	case K_BUNDLE_IMPORT:
		return db_int(db,
			      "SELECT count(*) FROM events WHERE session_id = ?1",
			      c->key, NULL);
	default:
		return db_int(db, "SELECT count(*) FROM events WHERE actor = ?1",
			      c->actor, NULL);
	}
}

/* A killed walk left its first `found` lines, in order, and nothing else. */
static int walk_prefix(sqlite3 *db, const struct command *c)
{
	sqlite3_stmt *st = NULL;
	int i = 0, ok = 1;

	if (sqlite3_prepare_v2(db,
			       "SELECT payload ->> '$.text' FROM events"
			       " WHERE actor = ?1 ORDER BY session_id, seq",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, c->actor, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char want[96];
		const char *got = (const char *)sqlite3_column_text(st, 0);

		snprintf(want, sizeof(want), "walk line %d of %s", i, c->actor);
		if (got == NULL || strcmp(got, want) != 0)
			ok = 0;
		i++;
	}
	sqlite3_finalize(st);
	return ok;
}

/* Exit codes a command may end with, apart from 0: refused (3) for a
 * checkpoint or transition of another phase, not found (4) for G1. */
static int events_for_exit(const struct command *c, int code)
{
	if (code == 0)
		return c->expect;
	if (code == 3 && c->kind == K_ADVANCE)
		return 1; /* a refused advance is logged */
	if ((code == 3 || code == 4) &&
	    (c->kind == K_CHECK || c->kind == K_CHOOSE ||
	     c->kind == K_ADVANCE || c->kind == K_INTERVENTION ||
	     c->kind == K_REVISIT))
		return 0;
	return -1; /* not an exit this command should ever have */
}

static int verify_all(void)
{
	args_start("verify");
	arg("verify");
	arg("--all");
	int code = run_args(NULL, NULL);

	args_free();
	return code;
}

/* Versions of the workflow that imports add to that are not 1..n. */
static long long workflow_gaps(sqlite3 *db)
{
	return db_int(db,
		      "SELECT count(*) != coalesce(max(version), 0) FROM workflows"
		      " WHERE id = ?1",
		      "brief-contact", NULL);
}

/* The session a `start` left (found by its student), into the pool. */
static void adopt_started(sqlite3 *db, const struct command *c)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT id FROM sessions WHERE student = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, c->actor, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		add_session((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
	struct command *cmds;
	int64_t duration[K_COUNT] = { 0 };
	int killed[K_COUNT] = { 0 }, timed[K_COUNT] = { 0 };
	int unsound = 0, half = 0, unexpected = 0, lost = 0, verify_failed = 0;
	int bad_projection = 0, verifies = 0, kill_none = 0, kill_whole = 0;
	int kill_part = 0, completed = 0;
	int first_unsound = -1, first_half = -1, first_unexpected = -1;
	char why[256] = "", in[700];

	stress_parse(&opt, argc, argv,
		     "--casework PATH --top REPO [--cycles N] [--seed N] "
		     "[--verify-every N] [--dir DIR] [--keep]");
	if (opt.seed < 0)
		opt.seed = (long)(time(NULL) ^ getpid());
	rnd_seed(opt.seed);
	/* sleep as close to the drawn delay as the kernel allows */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	setenv("NO_COLOR", "1", 1);
	unsetenv("CASEWORK_SESSION");
	unsetenv("CASEWORK_DB");
	tap_diag("crash: %d kill cycles, seed %ld (rerun with --seed %ld)",
		 opt.cycles, opt.seed, opt.seed);

	scratch = stress_scratch(&opt, "casework-crash");
	cmds = calloc((size_t)opt.cycles + 1, sizeof(*cmds));
	if (scratch == NULL || cmds == NULL)
		return 1;
	setenv("XDG_STATE_HOME", scratch, 1);
	if (!tap_ok(setup() == 0 && bundle_count > 0,
		    "setup: a database with two sessions, and bundles to hand "
		    "in")) {
		stress_cleanup(&opt, scratch);
		free(scratch);
		free(cmds);
		return tap_done();
	}

	for (int i = 0; i < opt.cycles; i++) {
		struct command *c = &cmds[i];
		const char *stdin_path;
		int64_t start, end;
		pid_t pid;
		int status, want;
		sqlite3 *db;

		/* every kind four times first (one timing run, three kills),
		 * so that a short run covers them all; then at random */
		c->kind = i < 4 * K_COUNT ? (enum kind)(i % K_COUNT)
					  : pick_kind();
		stdin_path = prepare(c, i, in, sizeof(in));
		/* the first run of each kind, and one in eight after, runs to
		 * its end: it measures how long the kind takes now.  Half the
		 * others are killed anywhere in 0..1.2 times that, half in its
		 * last 40%, where the writes and the commit are. */
		if (timed[c->kind] == 0 || rnd(8) == 0)
			c->delay = -1;
		else if (rnd(2))
			c->delay = rnd(duration[c->kind] * 6 / 5 + 1);
		else
			c->delay = duration[c->kind] * 3 / 5 +
				   rnd(duration[c->kind] * 2 / 5 + 1);
		start = now_us();
		pid = spawn(args, stdin_path, NULL, NULL);
		if (pid < 0)
			abort();
		if (c->delay >= 0) {
			struct timespec at;
			int64_t when = start + c->delay;

			at.tv_sec = (time_t)(when / 1000000);
			at.tv_nsec = (long)(when % 1000000) * 1000;
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
					       &at, NULL) == EINTR)
				;
			if (waitpid(pid, &status, WNOHANG) == 0) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
			}
		} else {
			waitpid(pid, &status, 0);
			end = now_us();
			duration[c->kind] =
				timed[c->kind] == 0
					? end - start
					: (duration[c->kind] * 3 + end - start) /
						  4;
			timed[c->kind]++;
		}
		args_free();
		c->status = status;
		c->killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
			    c->delay >= 0;

		if ((db = db_open(db_path)) == NULL || !db_sound(db, why, sizeof(why))) {
			if (unsound++ == 0) {
				first_unsound = i;
				tap_diag("cycle %d (%s): %s", i,
					 kinds[c->kind].name,
					 db ? why : "the database does not open");
			}
			sqlite3_close(db);
			continue;
		}
		if (db_bad_projections(db) != 0 || workflow_gaps(db) != 0)
			bad_projection++;
		c->found = (int)rows_left(db, c);
		/* a bundle that is in is done with; one that is not, again */
		if (c->kind == K_BUNDLE_IMPORT && c->found == c->expect)
			bundle_next++;
		if (c->killed) {
			killed[c->kind]++;
			if (c->found == 0)
				kill_none++;
			else if (c->found == c->expect)
				kill_whole++;
			else
				kill_part++;
			/* all or nothing; a walk commits line by line */
			if (c->kind == K_WALK
				    ? c->found < 0 || c->found > c->expect ||
					      !walk_prefix(db, c)
				    : c->found != 0 && c->found != c->expect) {
				if (half++ == 0)
					first_half = i;
				tap_diag("cycle %d: killed %s left %d of %d rows",
					 i, kinds[c->kind].name, c->found,
					 c->expect);
			}
		} else {
			want = WIFEXITED(status)
				       ? events_for_exit(c, WEXITSTATUS(status))
				       : -1;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				completed++;
			if (want < 0 || c->found != want) {
				if (unexpected++ == 0)
					first_unexpected = i;
				tap_diag("cycle %d: %s %s %d and left %d rows",
					 i, kinds[c->kind].name,
					 WIFEXITED(status) ? "exited"
							   : "died of signal",
					 WIFEXITED(status) ? WEXITSTATUS(status)
							   : WTERMSIG(status),
					 c->found);
			}
		}
		if (c->kind == K_START && c->found == 1)
			adopt_started(db, c);
		sqlite3_close(db);
		if (opt.verify_every > 0 && (i + 1) % opt.verify_every == 0) {
			verifies++;
			if (verify_all() != 0 && verify_failed++ == 0)
				tap_diag("cycle %d: verify --all failed", i);
		}
	}

	/* afterwards: everything that reported success is still there */
	{
		sqlite3 *db = db_open(db_path);
		int sound = db != NULL && db_sound(db, why, sizeof(why));

		tap_ok(unsound == 0 && sound,
		       "after each of %d kills the database opens and "
		       "integrity_check and foreign_key_check are clean%s%s",
		       opt.cycles, sound ? "" : ": ", sound ? "" : why);
		if (first_unsound >= 0)
			tap_diag("first unsound after cycle %d", first_unsound);
		for (int i = 0; db != NULL && i < opt.cycles; i++) {
			const struct command *c = &cmds[i];

			if (c->killed || !WIFEXITED(c->status) ||
			    WEXITSTATUS(c->status) != 0)
				continue;
			if (rows_left(db, c) != c->expect) {
				if (lost++ < 5)
					tap_diag("lost: cycle %d %s by %s", i,
						 kinds[c->kind].name, c->actor);
			}
		}
		tap_ok(db != NULL && lost == 0,
		       "every command that exited 0 (%d) is in the log", completed);
		tap_ok(half == 0,
		       "no killed command left half its work (%d killed: %d "
		       "left nothing, %d all, %d walks part of their lines)",
		       kill_none + kill_whole + kill_part, kill_none, kill_whole,
		       kill_part);
		if (first_half >= 0)
			tap_diag("first half-done command at cycle %d", first_half);
		tap_ok(unexpected == 0,
		       "every command that was not killed exited as it should "
		       "and left what its exit code says");
		if (first_unexpected >= 0)
			tap_diag("first unexpected exit at cycle %d",
				 first_unexpected);
		tap_ok(db != NULL && bad_projection == 0 &&
			       db_bad_projections(db) == 0 &&
			       workflow_gaps(db) == 0,
		       "each session's last_seq and head match its log, and "
		       "workflow versions run 1..n, after every cycle");
		verifies++;
		if (verify_all() != 0)
			verify_failed++;
		tap_ok(verify_failed == 0,
		       "casework verify --all passes (%d times, %d failed)",
		       verifies, verify_failed);
		sqlite3_close(db);
	}
	/* the test is only worth something if kills landed on both sides of
	 * the commit, and on every kind of command */
	tap_ok(kill_none > 0 && kill_whole > 0 && completed > 0,
	       "kills landed before the commit (%d) and after it (%d)",
	       kill_none, kill_whole);
	{
		char missing[512] = "";

		for (int k = 0; k < K_COUNT; k++) {
			tap_diag("%-16s %4d killed, %3d timed, ~%lld us",
				 kinds[k].name, killed[k], timed[k],
				 (long long)duration[k]);
			if (killed[k] == 0)
				snprintf(missing + strlen(missing),
					 sizeof(missing) - strlen(missing),
					 " %s;", kinds[k].name);
		}
		tap_ok(missing[0] == '\0', "every kind of command was killed%s%s",
		       missing[0] ? " but:" : "", missing);
	}
	stress_cleanup(&opt, scratch);
	free(scratch);
	free(cmds);
	for (int i = 0; i < session_count; i++)
		free(sessions[i]);
	free(bundles);
	free(case_template);
	free(workflow_template);
	return tap_done();
}
