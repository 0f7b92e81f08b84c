/*
 * cmd_report.c - the cohort report as a table, JSON or CSV (RFC 4180,
 * written by the engine's export module).
 */
#include <stdlib.h>
#include <string.h>

#include "casework/export.h"
#include "casework/report.h"
#include "cli.h"

static void minutes(char *out, size_t size, const cJSON *n)
{
	if (n == NULL)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%.0f", n->valuedouble / 60);
}

static void print_table(const cli *c, const cJSON *doc, int by_case)
{
	const cJSON *rows = cJSON_GetObjectItem(doc, "sessions");
	const cJSON *summary = cJSON_GetObjectItem(doc, "summary");
	const cJSON *row, *p, *g;

	if (cJSON_GetArraySize(rows) == 0) {
		printf("No sessions match.\n");
		return;
	}
	printf("%-8s %-10s %-14s %-11s %-6s %-5s %-2s %-2s %-5s %-3s %s\n",
	       "SESSION", "STUDENT", "CASE", "REACHED", "STATUS", "MET", "G",
	       "I", "A/P/N", "REF", "REV");
	cJSON_ArrayForEach(row, rows) {
		const cJSON *o = cJSON_GetObjectItem(row, "outcomes");
		char met[16], eval[24];

		snprintf(met, sizeof(met), "%d/%d", (int)jnum(row, "met"),
			 (int)jnum(row, "total"));
		snprintf(eval, sizeof(eval), "%d/%d/%d", (int)jnum(o, "achieved"),
			 (int)jnum(o, "partial"), (int)jnum(o, "not-achieved"));
		printf("%-8.8s %-10.10s %-14.14s %-11.11s %-6s %-5s %-2d %-2d "
		       "%-5s %-3d %d\n",
		       jstr(row, "session"), jstr(row, "student"),
		       jstr(row, "case"), jstr(row, "reached"),
		       jstr(row, "status"), met, (int)jnum(row, "goals"),
		       (int)jnum(row, "interventions"), eval,
		       (int)jnum(row, "refused"), (int)jnum(row, "revisits"));
	}
	printf("(G: open goals, I: interventions, A/P/N: evaluations achieved/"
	       "partial/not\nachieved, REF: refused advances, REV: revisits)\n");
	printf("\n%sMinutes in each phase%s\n%-14s", cli_color(c, C_BOLD),
	       cli_color(c, C_RESET), "STUDENT");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "phases"))
		printf(" %6.6s", p->valuestring);
	printf("\n");
	cJSON_ArrayForEach(row, rows) {
		printf("%-14.14s", jstr(row, "student"));
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "phases")) {
			char m[16];

			minutes(m, sizeof(m),
				cJSON_GetObjectItem(cJSON_GetObjectItem(row, "seconds"),
						    p->valuestring));
			printf(" %6s", m);
		}
		printf("\n");
	}
	printf("%-14s", "median");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "phases")) {
		char m[16];

		minutes(m, sizeof(m),
			cJSON_GetObjectItem(cJSON_GetObjectItem(summary,
								"median_seconds"),
					    p->valuestring));
		printf(" %6s", m);
	}
	printf("\n");
	if (cJSON_GetArraySize(cJSON_GetObjectItem(doc, "criteria")) > 0) {
		printf("\n%sMean scores%s\n", cli_color(c, C_BOLD),
		       cli_color(c, C_RESET));
		cJSON_ArrayForEach(row, rows) {
			const cJSON *s;

			if (cJSON_GetArraySize(cJSON_GetObjectItem(row, "scores")) == 0)
				continue;
			printf("  %-14.14s", jstr(row, "student"));
			cJSON_ArrayForEach(s, cJSON_GetObjectItem(row, "scores"))
				printf(" %s %.1f", s->string, s->valuedouble);
			printf("\n");
		}
	}
	printf("\n%sThe group%s: %d session%s. Sessions that reached each "
	       "phase:\n ",
	       cli_color(c, C_BOLD), cli_color(c, C_RESET),
	       (int)jnum(summary, "sessions"),
	       jnum(summary, "sessions") == 1 ? "" : "s");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(summary, "reached"))
		printf(" %.6s %d", p->string, p->valueint);
	printf("\n");
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
	if (!by_case)
		return;
	printf("\n%sGoals and outcomes, side by side%s\n", cli_color(c, C_BOLD),
	       cli_color(c, C_RESET));
	cJSON_ArrayForEach(row, rows) {
		printf("  %s (%.8s):\n", jstr(row, "student"), jstr(row, "session"));
		if (cJSON_GetArraySize(cJSON_GetObjectItem(row, "goal_list")) == 0)
			printf("    no goals\n");
		cJSON_ArrayForEach(g, cJSON_GetObjectItem(row, "goal_list"))
			printf("    %s [%s, %s] %s -> %s\n", jstr(g, "id"),
			       jstr(g, "term"), jstr(g, "status"), jstr(g, "text"),
			       *jstr(g, "outcome") ? jstr(g, "outcome")
						   : "not evaluated");
	}
}

int cmd_report(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p), error;
	cw_session_filter f = { 0 };
	const char *format;
	cJSON *doc = NULL;

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
	    strcmp(format, "csv") != 0) {
		cli_error("unknown format '%s' (expected table, json or csv)",
			  format);
		return EXIT_USAGE;
	}
	if (c->json && strcmp(format, "json") != 0) {
		cli_error("--json prints JSON, --format %s does not: drop one",
			  format);
		return EXIT_USAGE;
	}
	if ((error = cw_report(&doc, c->store, &f)) < 0)
		return cli_fail(error);
	if (strcmp(format, "json") == 0)
		return cli_print_json(doc);
	if (strcmp(format, "csv") == 0) {
		/* the same writer as `export --format csv` */
		if ((error = cw_export_report_csv(stdout, doc)) < 0) {
			cJSON_Delete(doc);
			return cli_fail(error);
		}
	} else {
		cli_pager_start(c);
		print_table(c, doc, f.case_id != NULL);
	}
	cJSON_Delete(doc);
	return EXIT_DONE;
}
