/*
 * export_write.c - the export writers: one session, or a cohort written
 * one session at a time (each built, written and let go), in JSON,
 * Markdown, HTML or CSV, to the caller's FILE *.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/export.h"
#include "casework/report.h"
#include "render.h"
#include "render_doc.h"

/* What the report's CSV writer was asked for: every row, or only session
 * `only`'s. */
typedef struct csv_job {
	FILE *out;
	const cJSON *phases, *criteria;
	const char *only;
	cJSON *found; /* `only`'s row, kept */
} csv_job;

static int csv_row(const cJSON *row, void *payload)
{
	csv_job *job = payload;

	if (job->only == NULL) {
		render_csv_report_row(job->out, row, job->phases,
				      job->criteria);
		return ferror(job->out) ? cw_error_set(CW_ERROR, "cannot write "
								 "the CSV")
					: 0;
	}
	if (job->found == NULL && strcmp(str(row, "session"), job->only) == 0 &&
	    (job->found = cJSON_Duplicate(row, 1)) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	return 0;
}

/*
 * The session rows of the report on `filter`, keeping only session `only`
 * when it is not NULL (and then only the score columns it has), in the
 * columns of `casework report --format csv`.  The rows wait in the
 * report's spool until the columns are known.
 */
static int write_session_rows(FILE *out, cw_store *s,
			      const cw_session_filter *filter, const char *only)
{
	cw_report_spool *spool = NULL;
	csv_job job = {out, NULL, NULL, only, NULL};
	cJSON *criteria = NULL;
	const cJSON *c;
	int error = cw_report_spool_open(&spool, s, filter);

	if (error < 0)
		return error;
	job.phases = get(cw_report_spool_summary(spool), "phases");
	job.criteria = get(cw_report_spool_summary(spool), "criteria");
	if (only == NULL) {
		render_csv_report_header(out, job.phases, job.criteria);
		error = cw_report_spool_each(spool, csv_row, &job);
		goto cleanup;
	}
	if ((error = cw_report_spool_each(spool, csv_row, &job)) < 0)
		goto cleanup;
	/* one session: only the criteria it was scored on */
	if ((criteria = cJSON_CreateArray()) == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	cJSON_ArrayForEach(c, job.criteria)
	{
		if (job.found != NULL &&
		    has(get(job.found, "scores"), c->valuestring))
			cJSON_AddItemToArray(
			    criteria, cJSON_CreateString(c->valuestring));
	}
	render_csv_report_header(out, job.phases, criteria);
	if (job.found != NULL)
		render_csv_report_row(out, job.found, job.phases, criteria);
cleanup:
	cJSON_Delete(criteria);
	cJSON_Delete(job.found);
	cw_report_spool_free(spool);
	if (error == 0 && ferror(out))
		error = cw_error_set(CW_ERROR, "cannot write the CSV");
	return error;
}

int cw_export_format_parse(cw_export_format *out, const char *name)
{
	static const struct {
		const char *name;
		cw_export_format format;
	} names[] = {{"json", CW_EXPORT_JSON},
		     {"md", CW_EXPORT_MARKDOWN},
		     {"html", CW_EXPORT_HTML},
		     {"csv", CW_EXPORT_CSV}};

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
static int write_one(FILE *out, const cJSON *doc, const cw_export_options *o,
		     int n, int many)
{
	char *text;

	switch (o->format) {
	case CW_EXPORT_JSON:
		text = cJSON_Print(doc);
		if (text == NULL)
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
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

/* The cw_export_session flags that `o` asks for. */
static int session_flags(const cw_export_options *o)
{
	return (o->redact ? CW_EXPORT_REDACT : 0) |
	       (o->full ? CW_EXPORT_FULL : 0);
}

int cw_export_write(FILE *out, cw_store *s, const char *id,
		    const cw_export_options *o)
{
	cJSON *doc = NULL;
	int error = check_options(o);

	if (error < 0)
		return error;
	if ((error = cw_export_session(&doc, s, id, session_flags(o))) < 0)
		return error;
	if (o->format == CW_EXPORT_HTML) {
		char title[400];

		snprintf(title, sizeof(title), "%s: %s",
			 str(get(doc, "case"), "title"), str(doc, "student"));
		render_html_start(out, title);
	}
	if (o->format == CW_EXPORT_CSV && !o->goals) {
		cw_session_filter f = {0};

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

/* A cohort being written: the options and how many sessions so far. */
typedef struct all_job {
	FILE *out;
	cw_store *store;
	const cw_export_options *options;
	int n;
} all_job;

static int count_one(const cw_session_info *info, void *payload)
{
	(void)info;
	++*(long *)payload;
	return 0;
}

static int index_one(const cw_session_info *info, void *payload)
{
	render_html_index_item(payload, info->session, info->student,
			       info->case_id, info->status);
	return 0;
}

static int export_one(const cw_session_info *info, void *payload)
{
	all_job *job = payload;
	cJSON *doc = NULL;
	int error = cw_export_session(&doc, job->store, info->session,
				      session_flags(job->options));

	if (error == 0)
		error = write_one(job->out, doc, job->options, job->n++, 1);
	cJSON_Delete(doc);
	if (error == 0 && ferror(job->out))
		error = written(job->out);
	return error;
}

/* The page's table of contents: a count, then one link per session, each
 * a pass over the sessions' rows (no replay). */
static int write_index(FILE *out, cw_store *s, const cw_session_filter *f)
{
	long sessions = 0;
	int error = cw_session_each(s, f, count_one, &sessions);

	if (error < 0)
		return error;
	render_html_index_start(out, sessions);
	if ((error = cw_session_each(s, f, index_one, out)) < 0)
		return error;
	render_html_index_end(out);
	return 0;
}

int cw_export_write_all(FILE *out, cw_store *s, const cw_session_filter *filter,
			const cw_export_options *o)
{
	all_job job = {out, s, o, 0};
	int error = check_options(o);

	if (error < 0)
		return error;
	if (o->format == CW_EXPORT_CSV && !o->goals) {
		error = write_session_rows(out, s, filter, NULL);
		return error < 0 ? error : written(out);
	}
	switch (o->format) {
	case CW_EXPORT_HTML:
		render_html_start(out, "casework sessions");
		error = write_index(out, s, filter);
		break;
	case CW_EXPORT_CSV:
		render_csv_goal_header(out);
		break;
	default:
		break;
	}
	if (error == 0)
		error = cw_session_each(s, filter, export_one, &job);
	if (error < 0)
		return error;
	if (o->format == CW_EXPORT_MARKDOWN && job.n == 0)
		fputs("No sessions match.\n", out);
	if (o->format == CW_EXPORT_JSON)
		fputs(job.n ? "\n]\n" : "[]\n", out);
	if (o->format == CW_EXPORT_HTML) {
		if (job.n == 0)
			fputs("<p>No sessions match.</p>\n", out);
		render_html_end(out);
	}
	return written(out);
}
