/*
 * cmd_report.c - the cohort report as a table, JSON or CSV (RFC 4180,
 * written by the engine's export module), one session at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "casework/export.h"
#include "casework/json.h"
#include "casework/report.h"
#include "cli.h"

static void minutes(char *out, size_t size, const cJSON *n)
{
	if (n == NULL)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%.0f", n->valuedouble / 60);
}

/* What the table's passes over the rows share: the phases, and the
 * widths of the student and case columns (from a first pass; case ids
 * and phases are never cut, long names are, at 20 columns). */
typedef struct table {
	const cli *c;
	const cJSON *phases;
	int student, kase;
} table;

#define STUDENT_MAX 20

static int measure_row(const cJSON *row, void *payload)
{
	table *t = payload;
	int w = cli_text_fit(jstr(row, "student"), STUDENT_MAX, NULL);

	if (w > t->student)
		t->student = w;
	if ((w = cli_text_fit(jstr(row, "case"), -1, NULL)) > t->kase)
		t->kase = w;
	return 0;
}

static int print_row(const cJSON *row, void *payload)
{
	const cJSON *o = cJSON_GetObjectItem(row, "outcomes");
	char met[16], eval[24];

	const table *t = payload;

	snprintf(met, sizeof(met), "%d/%d", (int)jnum(row, "met"),
		 (int)jnum(row, "total"));
	snprintf(eval, sizeof(eval), "%d/%d/%d", (int)jnum(o, "achieved"),
		 (int)jnum(o, "partial"), (int)jnum(o, "not-achieved"));
	printf("%-8.8s ", jstr(row, "session"));
	cli_column(stdout, jstr(row, "student"), t->student);
	putchar(' ');
	cli_column(stdout, jstr(row, "case"), t->kase);
	printf(" %-12s %-6s %-5s %-2d %-2d %-5s %-3d %-3d %d%s\n",
	       jstr(row, "reached"), jstr(row, "status"), met,
	       (int)jnum(row, "goals"), (int)jnum(row, "interventions"), eval,
	       (int)jnum(row, "refused"), (int)jnum(row, "revisits"),
	       (int)jnum(row, "hints"),
	       cJSON_IsTrue(cJSON_GetObjectItem(row, "terminated"))
		   ? "  ended early"
		   : "");
	return 0;
}

static int print_minutes(const cJSON *row, void *payload)
{
	const table *t = payload;
	const cJSON *p;

	cli_column(stdout, jstr(row, "student"), t->student);
	cJSON_ArrayForEach(p, t->phases) {
		char m[16];

		minutes(m, sizeof(m),
			cJSON_GetObjectItem(cJSON_GetObjectItem(row, "seconds"),
					    p->valuestring));
		printf(" %6s", m);
	}
	printf("\n");
	return 0;
}

static int print_scores(const cJSON *row, void *payload)
{
	const cJSON *s;

	(void)payload;
	if (cJSON_GetArraySize(cJSON_GetObjectItem(row, "scores")) == 0)
		return 0;
	printf("  ");
	cli_column(stdout, jstr(row, "student"), 14);
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(row, "scores"))
		printf(" %s %.1f", s->string, s->valuedouble);
	printf("\n");
	return 0;
}

static int print_goals(const cJSON *row, void *payload)
{
	const cJSON *g;

	(void)payload;
	printf("  %s (%.8s):\n", jstr(row, "student"), jstr(row, "session"));
	if (cJSON_GetArraySize(cJSON_GetObjectItem(row, "goal_list")) == 0)
		printf("    no goals\n");
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(row, "goal_list"))
		printf("    %s [%s, %s] %s -> %s\n", jstr(g, "id"),
		       jstr(g, "term"), jstr(g, "status"), jstr(g, "text"),
		       *jstr(g, "outcome") ? jstr(g, "outcome")
					   : "not evaluated");
	return 0;
}

/* The class mean on each criterion scored, with its label. */
static void print_class_means(const cJSON *doc, const cJSON *summary)
{
	const cJSON *labels = cJSON_GetObjectItem(doc, "criterion_labels");
	const cJSON *m;

	printf("  class mean\n");
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(summary, "mean_scores"))
	{
		const char *label = jstr(labels, m->string);

		printf("    %s %.1f%s%s%s\n", m->string, m->valuedouble,
		       *label ? " (" : "", label, *label ? ")" : "");
	}
}

/* How often each checkpoint blocked an advance, most often first. */
static void print_refusals(const cJSON *summary)
{
	const cJSON *refusals = cJSON_GetObjectItem(summary, "refusals");
	int most = 0, n;
	const cJSON *r;

	if (cJSON_GetArraySize(refusals) == 0)
		return;
	printf("Refused advances by checkpoint:\n");
	cJSON_ArrayForEach(r, refusals) if (r->valueint > most) most =
	    r->valueint;
	for (n = most; n > 0; n--)
		cJSON_ArrayForEach(r, refusals) if (r->valueint == n)
		    printf("  %-26s %d\n", r->string, n);
}

/* The table: each section is one pass over the spooled rows (the goals,
 * with --case, one more pass over the sessions), so no more than one row
 * is in memory at a time. */
static int print_table(cli *c, cw_report_spool *spool,
		       const cw_session_filter *f)
{
	const cJSON *doc = cw_report_spool_summary(spool);
	const cJSON *summary = cJSON_GetObjectItem(doc, "summary");
	table t = { c, cJSON_GetObjectItem(doc, "phases"), 0, 0 };
	const cJSON *p;
	cJSON *rest = NULL;
	int error;

	if (jnum(summary, "sessions") == 0) {
		printf("No sessions match.\n");
		return 0;
	}
	t.student = (int)strlen("STUDENT");
	t.kase = (int)strlen("CASE");
	if ((error = cw_report_spool_each(spool, measure_row, &t)) < 0)
		return error;
	printf("%-8s %-*s %-*s %-12s %-6s %-5s %-2s %-2s %-5s %-3s %-3s "
	       "%s\n",
	       "SESSION", t.student, "STUDENT", t.kase, "CASE", "REACHED",
	       "STATUS", "MET", "G", "I", "A/P/N", "REF", "REV", "HNT");
	if ((error = cw_report_spool_each(spool, print_row, &t)) < 0)
		return error;
	printf("(G: open goals, I: interventions, A/P/N: evaluations achieved/"
	       "partial/not\nachieved, REF: refused advances, REV: revisits, "
	       "HNT: hints on the\nwork; ended early: terminated before the "
	       "last phase)\n");
	printf("\n%sMinutes in each phase%s\n%-*s", cli_color(c, C_BOLD),
	       cli_color(c, C_RESET), t.student, "STUDENT");
	cJSON_ArrayForEach(p, t.phases)
		printf(" %6.6s", p->valuestring);
	printf("\n");
	if ((error = cw_report_spool_each(spool, print_minutes, &t)) < 0)
		return error;
	printf("%-*s", t.student, "median");
	cJSON_ArrayForEach(p, t.phases) {
		char m[16];

		minutes(m, sizeof(m),
			cJSON_GetObjectItem(cJSON_GetObjectItem(summary,
								"median_seconds"),
					    p->valuestring));
		printf(" %6s", m);
	}
	printf("\n");
	/* the heading only when someone was scored */
	if (cJSON_GetArraySize(cJSON_GetObjectItem(summary, "mean_scores")) >
	    0) {
		printf("\n%sMean scores%s\n", cli_color(c, C_BOLD),
		       cli_color(c, C_RESET));
		if ((error = cw_report_spool_each(spool, print_scores, &t)) < 0)
			return error;
		print_class_means(doc, summary);
	}
	printf("\n%sThe group%s: %d session%s. Sessions that reached each "
	       "phase:\n",
	       cli_color(c, C_BOLD), cli_color(c, C_RESET),
	       (int)jnum(summary, "sessions"),
	       jnum(summary, "sessions") == 1 ? "" : "s");
	{
		char line[1024] = "";

		cJSON_ArrayForEach(p, cJSON_GetObjectItem(summary, "reached"))
		{
			size_t len = strlen(line);

			snprintf(line + len, sizeof(line) - len, "%s%s %d",
				 len ? ", " : "", p->string, p->valueint);
		}
		cli_wrap_from(stdout, line, 0, 2, cli_width());
	}
	if (cJSON_IsObject(cJSON_GetObjectItem(summary, "most_refused")))
		printf("Most often refused: %s (%d time%s).\n",
		       jstr(cJSON_GetObjectItem(summary, "most_refused"),
			    "checkpoint"),
		       (int)jnum(cJSON_GetObjectItem(summary, "most_refused"),
				 "count"),
		       jnum(cJSON_GetObjectItem(summary, "most_refused"),
			    "count") == 1
			       ? ""
			       : "s");
	print_refusals(summary);
	if (f->case_id == NULL)
		return 0;
	printf("\n%sGoals and outcomes, side by side%s\n", cli_color(c, C_BOLD),
	       cli_color(c, C_RESET));
	/* the goals' words are not in the spool (case text stays out of
	 * temporary files): one more pass over the sessions, on one case */
	if ((error = cw_report_each(&rest, c->store, f, print_goals, &t)) == 0)
		cJSON_Delete(rest);
	return error;
}

/* The JSON document, written one row at a time; begun at the first row
 * (or the end), so that a failure before any row writes nothing. */
typedef struct json_job {
	cw_json_list list;
	int begun;
} json_job;

static int json_row(const cJSON *row, void *payload)
{
	json_job *job = payload;
	int error = 0;

	if (!job->begun++)
		error = cw_json_list_begin(&job->list, stdout, "sessions");
	return error < 0 ? error : cw_json_list_item(&job->list, row);
}

static int print_json(cli *c, const cw_session_filter *f)
{
	json_job job = { CW_JSON_LIST_INIT, 0 };
	cJSON *rest = NULL;
	int error = cw_report_each(&rest, c->store, f, json_row, &job);

	if (error == 0 && !job.begun++)
		error = cw_json_list_begin(&job.list, stdout, "sessions");
	if (error == 0 &&
	    cJSON_AddNumberToObject(rest, "schema_version",
				    CLI_SCHEMA_VERSION) == NULL)
		error = cw_error_set(CW_ERROR, "out of memory");
	if (error == 0)
		error = cw_json_list_end(&job.list, rest);
	cJSON_Delete(rest);
	return error < 0 ? cli_fail(error) : EXIT_DONE;
}

int cmd_report(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p), error;
	cw_session_filter f = { 0 };
	cw_export_options csv = CW_EXPORT_OPTIONS_INIT;
	cw_report_spool *spool = NULL;
	const char *format;

	if (rc != 0 || cli_store(c) == NULL) {
		free(p.args);
		return rc ? rc : EXIT_RUNTIME;
	}
	f.case_id = opt(c, &p, "--case");
	f.student = opt(c, &p, "--student");
	format = opt(c, &p, "--format");
	free(p.args);
	if (format == NULL)
		format = c->json ? "json" : "table";
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0 && strcmp(format, "grades") != 0) {
		cli_error("unknown format '%s' (expected table, json, csv or "
			  "grades)",
			  format);
		return EXIT_USAGE;
	}
	if (c->json && strcmp(format, "json") != 0) {
		cli_error("--json prints JSON, --format %s does not: drop one",
			  format);
		return EXIT_USAGE;
	}
	/* a mistyped case is not a case with no sessions */
	if ((error = cw_session_filter_check(c->store, &f)) < 0)
		return cli_fail(error);
	if (strcmp(format, "json") == 0)
		return print_json(c, &f);
	if (strcmp(format, "grades") == 0) {
		if ((error = cw_export_grades_csv(stdout, c->store, &f)) < 0)
			return cli_fail(error);
		return EXIT_DONE;
	}
	if (strcmp(format, "csv") == 0) {
		/* the same writer as `export --format csv` */
		csv.format = CW_EXPORT_CSV;
		if ((error = cw_export_write_all(stdout, c->store, &f, &csv)) < 0)
			return cli_fail(error);
		return EXIT_DONE;
	}
	if ((error = cw_report_spool_open(&spool, c->store, &f)) < 0)
		return cli_fail(error);
	cli_pager_start(c);
	error = print_table(c, spool, &f);
	cw_report_spool_free(spool);
	return error < 0 ? cli_fail(error) : EXIT_DONE;
}
