/*
 * render_html_class.c - what opens a class page (export --all|--case
 * --format html): a summary table of the sessions, each row linking to
 * the session's article below (student, case, phase, status, checkpoints
 * met, scores, hints), so that an instructor sees the class at a glance
 * before reading anyone's work.
 */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "render_doc.h"

/* A session's scores as "Label 3.0; Label 2.5", in the workflow's order
 * of criteria. */
static void scores_cell(FILE *out, const cJSON *row, const cJSON *criteria,
			const cJSON *labels)
{
	const cJSON *c;
	int n = 0;

	cJSON_ArrayForEach(c, criteria)
	{
		const cJSON *s = get(get(row, "scores"), c->valuestring);
		const char *label = str(labels, c->valuestring);

		if (!cJSON_IsNumber(s))
			continue;
		fputs(n++ ? "; " : "", out);
		render_html_text(out, *label ? label : c->valuestring);
		fprintf(out, " %.1f", s->valuedouble);
	}
	if (n == 0)
		fputs("&ndash;", out);
}

void render_html_summary(FILE *out, const cJSON *report)
{
	const cJSON *rows = get(report, "sessions"), *row;
	int n = cJSON_GetArraySize(rows);

	fprintf(out,
		"<nav class=\"summary\">\n<h1>%d session%s</h1>\n<table>\n"
		"<thead><tr><th>Student</th><th>Case</th><th>Phase</th>"
		"<th>Status</th><th>Checkpoints</th><th>Scores</th>"
		"<th>Hints</th></tr>"
		"</thead>\n<tbody>\n",
		n, n == 1 ? "" : "s");
	cJSON_ArrayForEach(row, rows)
	{
		fputs("<tr><td><a href=\"#session-", out);
		render_html_text(out, str(row, "session"));
		fputs("\">", out);
		render_html_text(out, str(row, "student"));
		fputs("</a></td><td>", out);
		render_html_text(out, str(row, "case"));
		fputs("</td><td>", out);
		render_html_text(out, str(row, "phase"));
		fputs("</td><td>", out);
		render_html_text(out, str(row, "status"));
		if (cJSON_IsTrue(get(row, "terminated")))
			fputs(", ended early", out);
		fprintf(out, "</td><td>%d of %d</td><td>",
			(int)num(row, "met"), (int)num(row, "total"));
		scores_cell(out, row, get(report, "criteria"),
			    get(report, "criterion_labels"));
		/* what the work draws, for the instructor's eye (report's) */
		fprintf(out, "</td><td>%d</td></tr>\n", (int)num(row, "hints"));
	}
	fputs("</tbody>\n</table>\n</nav>\n", out);
}

void render_html_index(FILE *out, const cJSON *list)
{
	const cJSON *item;
	int n = cJSON_GetArraySize(list);

	fprintf(out, "<nav>\n<h1>%d session%s</h1>\n<ol>\n", n,
		n == 1 ? "" : "s");
	cJSON_ArrayForEach(item, list)
	{
		fputs("<li><a href=\"#session-", out);
		render_html_text(out, str(item, "session"));
		fputs("\">", out);
		render_html_text(out, str(item, "student"));
		fputs(", ", out);
		render_html_text(out, str(item, "case"));
		fputs(", ", out);
		render_html_text(out, str(item, "status"));
		fputs("</a></li>\n", out);
	}
	fputs("</ol>\n</nav>\n", out);
}
