/*
 * export.c - writing session summaries: one session or a selection of
 * them, in each format, to the caller's FILE *, session by session.  The
 * document comes from export_doc.c, its renderings from render_*.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/export.h"
#include "casework/report.h"
#include "render.h"
#include "render_doc.h"

/* ---- the writers ------------------------------------------------------ */

/*
 * The session rows of the report on `filter`, keeping only session `only`
 * when it is not NULL (and then only the score columns it has), in the
 * columns of `casework report --format csv`.
 */
static int write_session_rows(FILE *out, cw_store *s,
			      const cw_session_filter *filter,
			      const char *only)
{
	cJSON *report = NULL, *rows, *row, *next, *criteria, *c;
	int error = cw_report(&report, s, filter);

	if (error < 0)
		return error;
	if (only != NULL) {
		rows = cJSON_GetObjectItem(report, "sessions");
		for (row = rows->child; row != NULL; row = next) {
			next = row->next;
			if (strcmp(str(row, "session"), only) != 0)
				cJSON_Delete(cJSON_DetachItemViaPointer(rows, row));
		}
		criteria = cJSON_GetObjectItem(report, "criteria");
		for (c = criteria->child; c != NULL; c = next) {
			next = c->next;
			if (!has(get(rows->child, "scores"), c->valuestring))
				cJSON_Delete(
					cJSON_DetachItemViaPointer(criteria, c));
		}
	}
	error = cw_export_report_csv(out, report);
	cJSON_Delete(report);
	return error;
}

int cw_export_format_parse(cw_export_format *out, const char *name)
{
	static const struct {
		const char *name;
		cw_export_format format;
	} names[] = { { "json", CW_EXPORT_JSON },
		      { "md", CW_EXPORT_MARKDOWN },
		      { "html", CW_EXPORT_HTML },
		      { "csv", CW_EXPORT_CSV } };

	for (size_t i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]);
	     i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].format;
			return 0;
		}
	}
	return cw_error_set(CW_EINVALID,
			    "unknown export format '%s' (expected json, md, "
			    "html or csv)",
			    name ? name : "");
}

/* Write one session's document in a format; `n` counts the sessions
 * written so far (separators, unique ids in one HTML page). */
static int write_one(FILE *out, const cJSON *doc,
		     const cw_export_options *o, int n, int many)
{
	char *text;

	switch (o->format) {
	case CW_EXPORT_JSON:
		text = cJSON_Print(doc);
		if (text == NULL)
			return cw_error_set(CW_ERROR, "out of memory");
		if (many)
			fputs(n ? ",\n" : "[\n", out);
		fputs(text, out);
		if (!many)
			fputc('\n', out);
		free(text);
		break;
	case CW_EXPORT_MARKDOWN:
		if (n > 0)
			fputs("\n---\n\n", out);
		render_markdown(out, doc);
		break;
	case CW_EXPORT_HTML:
		render_html_session(out, doc, n);
		break;
	case CW_EXPORT_CSV:
		render_csv_goal_rows(out, doc);
		break;
	}
	return 0;
}

static int check_options(const cw_export_options *o)
{
	if (o == NULL || (unsigned)o->format > CW_EXPORT_CSV)
		return cw_error_set(CW_EINVALID, "no or unknown export format");
	if (o->goals && o->format != CW_EXPORT_CSV)
		return cw_error_set(CW_EINVALID,
				    "one row per goal is a CSV export");
	return 0;
}

static int written(FILE *out)
{
	if (fflush(out) != 0 || ferror(out))
		return cw_error_set(CW_ERROR, "cannot write the export");
	return 0;
}

int cw_export_write(FILE *out, cw_store *s, const char *id,
		    const cw_export_options *o)
{
	cJSON *doc = NULL;
	int error = check_options(o);

	if (error < 0)
		return error;
	if ((error = cw_export_session(&doc, s, id, o->redact)) < 0)
		return error;
	if (o->format == CW_EXPORT_HTML) {
		char title[400];

		snprintf(title, sizeof(title), "%s: %s",
			 str(get(doc, "case"), "title"), str(doc, "student"));
		render_html_start(out, title);
	}
	if (o->format == CW_EXPORT_CSV && !o->goals) {
		cw_session_filter f = { 0 };

		f.case_id = str(get(doc, "case"), "id");
		f.student = str(doc, "student");
		error = write_session_rows(out, s, &f, id);
	} else {
		if (o->format == CW_EXPORT_CSV)
			render_csv_goal_header(out);
		error = write_one(out, doc, o, 0, 0);
	}
	if (o->format == CW_EXPORT_HTML)
		render_html_end(out);
	cJSON_Delete(doc);
	return error < 0 ? error : written(out);
}

int cw_export_write_all(FILE *out, cw_store *s,
			const cw_session_filter *filter,
			const cw_export_options *o)
{
	cJSON *list = NULL;
	const cJSON *item;
	int error = check_options(o), n = 0;

	if (error < 0)
		return error;
	if (o->format == CW_EXPORT_CSV && !o->goals) {
		error = write_session_rows(out, s, filter, NULL);
		return error < 0 ? error : written(out);
	}
	if ((error = cw_session_list(&list, s, filter)) < 0)
		return error;
	switch (o->format) {
	case CW_EXPORT_HTML:
		render_html_start(out, "casework sessions");
		render_html_index(out, list);
		break;
	case CW_EXPORT_CSV:
		render_csv_goal_header(out);
		break;
	case CW_EXPORT_MARKDOWN:
		if (cJSON_GetArraySize(list) == 0)
			fputs("No sessions match.\n", out);
		break;
	default:
		break;
	}
	cJSON_ArrayForEach(item, list) {
		cJSON *doc = NULL;

		error = cw_export_session(&doc, s, str(item, "session"),
					  o->redact);
		if (error == 0)
			error = write_one(out, doc, o, n++, 1);
		cJSON_Delete(doc);
		if (error == 0 && ferror(out))
			error = written(out);
		if (error < 0)
			break;
	}
	cJSON_Delete(list);
	if (error < 0)
		return error;
	if (o->format == CW_EXPORT_JSON)
		fputs(n ? "\n]\n" : "[]\n", out);
	if (o->format == CW_EXPORT_HTML) {
		if (n == 0)
			fputs("<p>No sessions match.</p>\n", out);
		render_html_end(out);
	}
	return written(out);
}
