/*
 * render_csv.c - CSV (RFC 4180, CRLF line ends): the report's one row per
 * session, and an export document's one row per goal.
 */
#include <stdio.h>
#include <string.h>

#include "casework/export.h"
#include "render.h"
#include "render_doc.h"

/*
 * One field (RFC 4180): quoted when it holds a comma, quote, CR or LF.
 * A text that begins with =, +, -, @, a tab or a carriage return gets a
 * ' before it, so that a spreadsheet shows it rather than runs it as a
 * formula; control characters are shown escaped (doc_control).
 */
static void csv_field(FILE *out, const char *s, int last)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	char shown[8];
	int n;

	if (quote)
		fputc('"', out);
	if (*s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		fputc('\'', out);
	while (*s != '\0') {
		if (*s == '"')
			fputc('"', out);
		if (*s != '\r' && (n = doc_control(s, shown)) > 0) {
			fputs(shown, out);
			s += n;
		} else {
			fputc(*s++, out);
		}
	}
	if (quote)
		fputc('"', out);
	fputs(last ? "\r\n" : ",", out);
}

static void csv_number(FILE *out, double n, int last)
{
	char buf[32];

	if (n == (double)(long)n)
		snprintf(buf, sizeof(buf), "%ld", (long)n);
	else
		snprintf(buf, sizeof(buf), "%.2f", n);
	/* a number is written as it is: a minus sign is no formula */
	fputs(buf, out);
	fputs(last ? "\r\n" : ",", out);
}

void render_csv_report_header(FILE *out, const cJSON *phases,
			      const cJSON *criteria, const cJSON *labels)
{
	static const char *const fixed[] = {
	    "session",	   "student",  "case",	     "workflow",
	    "version",	   "status",   "phase",	     "reached",
	    "met",	   "total",    "goals",	     "interventions",
	    "evaluations", "achieved", "partial",    "not_achieved",
	    "refused",	   "revisits", "terminated", "client_events", NULL};
	const cJSON *p;
	char name[200];

	for (const char *const *f = fixed; *f != NULL; f++)
		csv_field(out, *f, 0);
	cJSON_ArrayForEach(p, phases)
	{
		snprintf(name, sizeof(name), "seconds_%s", p->valuestring);
		csv_field(out, name, 0);
	}
	cJSON_ArrayForEach(p, criteria)
	{
		const char *label = str(labels, p->valuestring);

		snprintf(name, sizeof(name), *label ? "score_%s (%s)" : "score_%s",
			 p->valuestring, label);
		csv_field(out, name, 0);
	}
	csv_field(out, "feedback", 1);
}

void render_csv_report_row(FILE *out, const cJSON *row, const cJSON *phases,
			   const cJSON *criteria)
{
	const cJSON *o = get(row, "outcomes"), *p;

	csv_field(out, str(row, "session"), 0);
	csv_field(out, str(row, "student"), 0);
	csv_field(out, str(row, "case"), 0);
	csv_field(out, str(row, "workflow"), 0);
	csv_number(out, num(row, "version"), 0);
	csv_field(out, str(row, "status"), 0);
	csv_field(out, str(row, "phase"), 0);
	csv_field(out, str(row, "reached"), 0);
	csv_number(out, num(row, "met"), 0);
	csv_number(out, num(row, "total"), 0);
	csv_number(out, num(row, "goals"), 0);
	csv_number(out, num(row, "interventions"), 0);
	csv_number(out, num(row, "evaluations"), 0);
	csv_number(out, num(o, "achieved"), 0);
	csv_number(out, num(o, "partial"), 0);
	csv_number(out, num(o, "not-achieved"), 0);
	csv_number(out, num(row, "refused"), 0);
	csv_number(out, num(row, "revisits"), 0);
	csv_field(out, cJSON_IsTrue(get(row, "terminated")) ? "yes" : "no", 0);
	csv_number(out, num(row, "client_events"), 0);
	cJSON_ArrayForEach(p, phases)
	{
		const cJSON *s = get(get(row, "seconds"), p->valuestring);

		if (s != NULL)
			csv_number(out, s->valuedouble, 0);
		else
			csv_field(out, "", 0);
	}
	cJSON_ArrayForEach(p, criteria)
	{
		const cJSON *s = get(get(row, "scores"), p->valuestring);

		if (s != NULL)
			csv_number(out, s->valuedouble, 0);
		else
			csv_field(out, "", 0);
	}
	csv_number(out, num(row, "feedback"), 1);
}

int cw_export_report_csv(FILE *out, const cJSON *doc)
{
	const cJSON *row;

	render_csv_report_header(out, get(doc, "phases"), get(doc, "criteria"),
				 get(doc, "criterion_labels"));
	cJSON_ArrayForEach(row, get(doc, "sessions"))
	{
		render_csv_report_row(out, row, get(doc, "phases"),
				      get(doc, "criteria"));
	}
	return ferror(out) ? cw_error_set(CW_ERROR, "cannot write the CSV") : 0;
}

static const char *const goal_columns[] = {
    "session", "student", "case",	   "goal",	   "term", "status",
    "text",    "measure", "interventions", "last_outcome", NULL};

void render_csv_goal_rows(FILE *out, const cJSON *doc)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, get(doc, "goals"))
	{
		const cJSON *evals = get(g, "evaluations");
		const cJSON *last =
		    cJSON_GetArrayItem(evals, cJSON_GetArraySize(evals) - 1);

		csv_field(out, str(doc, "session"), 0);
		csv_field(out, str(doc, "student"), 0);
		csv_field(out, str(get(doc, "case"), "id"), 0);
		csv_field(out, str(g, "id"), 0);
		csv_field(out, str(g, "term"), 0);
		csv_field(out, str(g, "status"), 0);
		csv_field(out, str(g, "text"), 0);
		csv_field(out, str(g, "measure"), 0);
		csv_number(out, cJSON_GetArraySize(get(g, "interventions")), 0);
		csv_field(out, str(last, "outcome"), 1);
	}
}

void render_csv_goal_header(FILE *out)
{
	for (const char *const *c = goal_columns; *c; c++)
		csv_field(out, *c, c[1] == NULL);
}

void render_csv_grades_header(FILE *out, const cJSON *cases)
{
	const cJSON *c;
	char name[200];

	csv_field(out, "Student", 0);
	csv_field(out, "Login", 0);
	csv_field(out, "Email", cases->child == NULL);
	cJSON_ArrayForEach(c, cases)
	{
		snprintf(name, sizeof(name), "%s (100)", c->valuestring);
		csv_field(out, name, c->next == NULL);
	}
}

void render_csv_grades_row(FILE *out, const char *student, const cJSON *row,
			   const cJSON *cases)
{
	const cJSON *c;

	csv_field(out, student, 0);
	csv_field(out, str(row, "login"), 0);
	csv_field(out, str(row, "email"), cases->child == NULL);
	cJSON_ArrayForEach(c, cases)
	{
		const cJSON *grade =
		    get(get(get(row, "cases"), c->valuestring), "grade");
		char cell[32] = "";

		/* a grade to one decimal, as gradebooks import it */
		if (cJSON_IsNumber(grade))
			snprintf(cell, sizeof(cell), "%.1f", grade->valuedouble);
		csv_field(out, cell, c->next == NULL);
	}
}
