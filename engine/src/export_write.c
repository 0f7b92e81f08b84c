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
 * when it is not NULL, in the columns of `casework report --format csv`.  The rows wait in the
 * report's spool until the columns are known.
 */
static int write_session_rows(FILE *out, cw_store *s,
			      const cw_session_filter *filter, const char *only)
{
	cw_report_spool *spool = NULL;
	csv_job job = {out, NULL, NULL, only, NULL};
	const cJSON *labels;
	int error = cw_report_spool_open(&spool, s, filter);

	if (error < 0)
		return error;
	job.phases = get(cw_report_spool_summary(spool), "phases");
	job.criteria = get(cw_report_spool_summary(spool), "criteria");
	labels = get(cw_report_spool_summary(spool), "criterion_labels");
	/* every criterion of the workflow, scored or not: the columns are
	 * the same before and after scoring, for one session as for all */
	render_csv_report_header(out, job.phases, job.criteria, labels);
	error = cw_report_spool_each(spool, csv_row, &job);
	if (error == 0 && only != NULL && job.found != NULL)
		render_csv_report_row(out, job.found, job.phases,
				      job.criteria);
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
		     int n, int many, int case_shown)
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
		render_html_session(out, doc, n, case_shown);
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
	if (o->format != CW_EXPORT_JSON &&
	    (error = doc_escape_controls(doc)) < 0) {
		cJSON_Delete(doc);
		return error;
	}
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
		error = write_one(out, doc, o, 0, 0, 0);
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
	cJSON *cases_shown; /* HTML: the case ids whose text is on the page */
} all_job;

static int export_one(const cw_session_info *info, void *payload)
{
	all_job *job = payload;
	cJSON *doc = NULL;
	int error = cw_export_session(&doc, job->store, info->session,
				      session_flags(job->options));

	if (error == 0 && job->options->format != CW_EXPORT_JSON)
		error = doc_escape_controls(doc);
	if (error == 0) {
		const char *kase = str(get(doc, "case"), "id");
		int shown = 0;
		const cJSON *c;

		cJSON_ArrayForEach(c, job->cases_shown) shown |=
		    strcmp(c->valuestring, kase) == 0;
		if (!shown)
			cJSON_AddItemToArray(job->cases_shown,
					     cJSON_CreateString(kase));
		error = write_one(job->out, doc, job->options, job->n++, 1,
				  shown);
	}
	cJSON_Delete(doc);
	if (error == 0 && ferror(job->out))
		error = written(job->out);
	return error;
}

/* The page's summary table: one row per session, from the report (one
 * replay of each session, the rows kept until the criteria are known). */
static int write_index(FILE *out, cw_store *s, const cw_session_filter *f)
{
	cJSON *report = NULL;
	int error = cw_report(&report, s, f);

	if (error < 0)
		return error;
	render_html_summary(out, report);
	cJSON_Delete(report);
	return 0;
}

int cw_export_write_all(FILE *out, cw_store *s, const cw_session_filter *filter,
			const cw_export_options *o)
{
	all_job job = {out, s, o, 0, NULL};
	int error = check_options(o);

	if (error < 0)
		return error;
	if (o->format == CW_EXPORT_CSV && !o->goals) {
		error = write_session_rows(out, s, filter, NULL);
		return error < 0 ? error : written(out);
	}
	if ((job.cases_shown = cJSON_CreateArray()) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
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
	cJSON_Delete(job.cases_shown);
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
