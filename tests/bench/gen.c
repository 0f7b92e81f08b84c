/*
 * gen.c - build a realistic cohort for the benchmarks, through the engine's
 * public API only (the same code path as the casework program).
 *
 *   gen DB EVENTS [CASES_DIR]
 *
 * Imports the sample cases the walk fits (the standard workflow's, without
 * client events), then starts sessions (students student-000001,
 * ... on the cases in turn) and walks each through all eight phases of the
 * standard workflow with about 60 events: statements, objectives, notes,
 * a refused advance, goals, interventions, a referral, evaluations, a
 * revisit, termination and an instructor's feedback with scores.  It stops
 * once the log holds at least EVENTS events, then leaves one more session
 * (the "bench session") open in termination with its checkpoints unmet, so
 * that `note` and `advance` have somewhere to write; its id is the one line
 * on stdout.
 *
 * Each event is one cw_session_act call, exactly as a command makes it
 * (replay, guard, hash, append, projection).  The only difference from
 * running casework once per event is that many sessions share one
 * transaction (cw_store_transaction), so the fsync per commit does not
 * decide how long a million events take.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casework/case.h"
#include "casework/session.h"
#include "casework/store.h"

/* Sessions walked per transaction. */
#define PER_COMMIT 25

struct cohort {
	char **cases;
	size_t case_count;
	long sessions;
	long events;
	long target;
	char bench[CW_ID_LEN + 1];
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1))) {
		*len = fread(buf, 1, (size_t)size, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the fixed walk below fits a case: it names no workflow or the
 * standard one, and has no client events (which add or reopen what a
 * phase asks, as the walk does not foresee). */
static int fits_the_walk(const char *text)
{
	cJSON *doc = cJSON_Parse(text);
	const cJSON *wf = cJSON_GetObjectItem(doc, "workflow");
	int yes = (!cJSON_IsString(wf) ||
		   strcmp(wf->valuestring, "standard") == 0) &&
		  cJSON_GetArraySize(cJSON_GetObjectItem(doc, "events")) == 0;

	cJSON_Delete(doc);
	return yes;
}


/* Import every *.json of `dir`; remember the case ids. */
static int import_cases(cw_store *store, struct cohort *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[64];
	size_t n = 0;

	if (d == NULL) {
		fprintf(stderr, "gen: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL && n < 64) {
		size_t len = strlen(e->d_name);

		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	c->cases = calloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		char path[1024];
		cw_diags diags = CW_DIAGS_INIT;
		cJSON *out = NULL;
		size_t len = 0;
		char *text;
		int error;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		if ((text = read_file(path, &len)) == NULL)
			return -1;
		/* the cohort holds the cases the walk fits */
		if (!fits_the_walk(text)) {
			free(text);
			continue;
		}
		error = cw_case_import(&out, store, &diags, text, len, 0);
		free(text);
		cw_diags_free(&diags);
		if (error < 0) {
			fprintf(stderr, "gen: %s: %s\n", path, cw_error_last());
			return -1;
		}
		c->cases[c->case_count++] =
			strdup(cJSON_GetObjectItem(out, "id")->valuestring);
		cJSON_Delete(out);
	}
	return c->case_count ? 0 : -1;
}

static const char said[] =
	"The client described the week in some detail and we wrote it down.";

/* One step of a walk: an action, by whom, and the code it must give. */
struct step {
	cw_action action;
	int instructor;
	int expect; /* 0, or CW_EREFUSED for the logged refusal */
};

#define ACT(t, ...) { .action = { .type = (t), __VA_ARGS__ } }
#define NOTE(t) ACT(CW_ACT_NOTE, .tag = (t), .text = said)
#define CHECK(c) ACT(CW_ACT_CHECK, .checkpoint = (c), .text = said)
#define REFLECT(s) ACT(CW_ACT_REFLECT, .stage = (s), .text = said)
#define ADVANCE ACT(CW_ACT_ADVANCE)

/* A full walk: 60 events with session.started. */
static const struct step walk[] = {
	/* preparation */
	CHECK("case-file-reviewed"),
	ACT(CW_ACT_OBJECTIVE, .text = "Find out what changed at home"),
	ACT(CW_ACT_OBJECTIVE, .text = "Hear what school is like for her"),
	{ .action = { .type = CW_ACT_ADVANCE }, .expect = CW_EREFUSED },
	CHECK("environment-arranged"),
	ADVANCE,
	/* introduction */
	CHECK("introduced-self"),
	CHECK("purpose-explained"),
	CHECK("confidentiality-explained"),
	NOTE(NULL),
	ADVANCE,
	/* exploration */
	NOTE("exploration"), NOTE("exploration"), NOTE("exploration"),
	NOTE("exploration"), NOTE("exploration"), NOTE("exploration"),
	NOTE("exploration"), NOTE("exploration"),
	NOTE("strength"), NOTE("strength"), NOTE(NULL), NOTE(NULL),
	ADVANCE,
	/* assessment */
	NOTE("need"), NOTE("need"), NOTE("need"),
	ACT(CW_ACT_CHOOSE, .checkpoint = "risk-level", .value = "medium",
	    .text = said),
	ADVANCE,
	/* goal setting */
	ACT(CW_ACT_GOAL_ADD, .text = "Back to regular attendance",
	    .term = "short", .measure = "attends 9 of 10 days"),
	ACT(CW_ACT_GOAL_ADD, .text = "A carer's assessment for the family",
	    .term = "long", .measure = "assessment completed"),
	ACT(CW_ACT_GOAL_ADD, .text = "One trusted adult at school",
	    .term = "short", .measure = "names the adult"),
	CHECK("goals-agreed"),
	ADVANCE,
	/* intervention */
	ACT(CW_ACT_INTERVENTION, .goal = "G1", .intervention_type = "counseling",
	    .text = "Weekly check-in on Mondays"),
	ACT(CW_ACT_INTERVENTION, .goal = "G2", .intervention_type = "referral",
	    .text = "Referral to the young carers service"),
	ACT(CW_ACT_INTERVENTION, .goal = "G3", .intervention_type = "skills",
	    .text = "Practise asking for help"),
	ACT(CW_ACT_REFERRAL, .text = "Young carers service"),
	ADVANCE,
	/* evaluation, a revisit, and back */
	ACT(CW_ACT_EVALUATION, .goal = "G1", .outcome = "partial",
	    .text = "8 of 10 days"),
	ACT(CW_ACT_EVALUATION, .goal = "G2", .outcome = "achieved",
	    .text = "assessment done"),
	ACT(CW_ACT_EVALUATION, .goal = "G3", .outcome = "not-achieved",
	    .text = "no adult named yet"),
	ACT(CW_ACT_REVISIT, .phase = "intervention",
	    .reason = "attendance still dips on Mondays"),
	ACT(CW_ACT_INTERVENTION, .goal = "G1", .intervention_type = "advocacy",
	    .text = "Meet the head of year about Mondays"),
	ADVANCE,
	ACT(CW_ACT_EVALUATION, .goal = "G1", .outcome = "achieved",
	    .text = "9 of 10 days"),
	NOTE(NULL),
	ADVANCE,
	/* termination */
	CHECK("progress-reviewed"),
	CHECK("next-steps"),
	CHECK("closing-summary"),
	REFLECT("description"),
	REFLECT("feelings"),
	REFLECT("evaluation"),
	REFLECT("analysis"),
	REFLECT("conclusion"),
	REFLECT("action-plan"),
	ADVANCE,
	/* the instructor reads it */
	{ .action = { .type = CW_ACT_FEEDBACK, .text = "Good use of strengths.",
		      .phase = "exploration" },
	  .instructor = 1 },
	{ .action = { .type = CW_ACT_FEEDBACK, .text = "Clear rationale.",
		      .phase = "assessment", .score = 3 },
	  .instructor = 1 },
	{ .action = { .type = CW_ACT_FEEDBACK, .text = "See this entry.",
		      .event = 12 },
	  .instructor = 1 },
};

#define WALK_LEN (sizeof(walk) / sizeof(walk[0]))
/* Where the bench session stops: the last advance before termination. */
#define BENCH_STOP (WALK_LEN - 7)

static int start(char out[CW_ID_LEN + 1], cw_store *store, struct cohort *c)
{
	char student[32];
	cJSON *doc = NULL;
	int error;

	snprintf(student, sizeof(student), "student-%06ld", c->sessions + 1);
	error = cw_session_start(&doc, store,
				 c->cases[c->sessions % (long)c->case_count],
				 student, NULL, student, 0);
	if (error < 0)
		return error;
	snprintf(out, CW_ID_LEN + 1, "%s",
		 cJSON_GetObjectItem(doc, "session")->valuestring);
	cJSON_Delete(doc);
	c->sessions++;
	c->events++;
	return 0;
}

static int walk_session(cw_store *store, struct cohort *c, size_t steps)
{
	char id[CW_ID_LEN + 1];
	int error = start(id, store, c);

	for (size_t i = 0; error == 0 && i < steps; i++) {
		cJSON *out = NULL;
		char student[32];

		snprintf(student, sizeof(student), "student-%06ld", c->sessions);
		error = cw_session_act(&out, store, id,
				       walk[i].instructor ? "Dr Lee" : student,
				       &walk[i].action);
		cJSON_Delete(out);
		if (error == walk[i].expect) {
			error = 0;
			c->events++;
		} else {
			fprintf(stderr, "gen: step %zu: %s\n", i,
				error ? cw_error_last() : "should be refused");
			error = -1;
		}
	}
	if (error == 0)
		snprintf(c->bench, sizeof(c->bench), "%s", id);
	return error;
}

static int batch(cw_store *store, void *payload)
{
	struct cohort *c = payload;
	int error = 0;

	for (int i = 0; i < PER_COMMIT && error == 0 && c->events < c->target;
	     i++)
		error = walk_session(store, c, WALK_LEN);
	return error;
}

static int bench_session(cw_store *store, void *payload)
{
	return walk_session(store, payload, BENCH_STOP);
}

int main(int argc, char **argv)
{
	struct cohort c = { 0 };
	cw_store *store = NULL;
	struct timespec t0, t1;
	int error;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: gen DB EVENTS [CASES_DIR]\n");
		return 2;
	}
	c.target = atol(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cw_store_open(&store, argv[1]) < 0) {
		fprintf(stderr, "gen: %s\n", cw_error_last());
		return 1;
	}
	error = import_cases(store, &c, argc > 3 ? argv[3] : "examples/cases");
	while (error == 0 && c.events < c.target)
		error = cw_store_transaction(store, batch, &c);
	if (error == 0)
		error = cw_store_transaction(store, bench_session, &c);
	if (error == 0 && (error = cw_session_use(store, c.bench)) < 0)
		fprintf(stderr, "gen: %s\n", cw_error_last());
	cw_store_free(store);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (error < 0)
		return 1;
	printf("%s\n", c.bench);
	fprintf(stderr, "gen: %ld sessions, %ld events in %.1f s\n", c.sessions,
		c.events,
		(double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (size_t i = 0; i < c.case_count; i++)
		free(c.cases[i]);
	free(c.cases);
	return 0;
}
