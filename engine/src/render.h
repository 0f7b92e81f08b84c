/*
 * render.h - the renderers of an export document, one small one per
 * format, as cmark has html.c and commonmark.c beside one document.  Each
 * writes a document that cw_export_session built to a FILE * the caller
 * owns; none changes or frees the document, and none allocates anything
 * the caller must free.  A failed write is left in the stream's error
 * flag for the caller to check once (export.c does, in written()).
 * Private to the engine.
 */
#ifndef CW_RENDER_H
#define CW_RENDER_H

#include <stdio.h>

#include <cjson/cJSON.h>

/* Session document `doc` as a Markdown summary a person reads. */
void render_markdown(FILE *out, const cJSON *doc);

/*
 * HTML has four entry points, not one, because a cohort is one page that
 * is streamed: the page is opened once, each session is written and let
 * go, then the page is closed.
 */

/* The start of a self-contained HTML page (its style included) titled
 * `title`, which is escaped; close it with render_html_end. */
void render_html_start(FILE *out, const char *title);

/* `s` as HTML text: & < > " and ' escaped. */
void render_html_text(FILE *out, const char *s);

/*
 * The summary table that opens a class page (render_html_class.c): one
 * row per session of `report` (a cw_report document) with its student
 * (a link to the session's article), case, phase, status, checkpoints
 * met and scores by criterion label.
 */
void render_html_summary(FILE *out, const cJSON *report);

/* A list of links to the sessions of `list`, the array cw_session_list
 * gives (session, student, case, status). */
void render_html_index(FILE *out, const cJSON *list);

/* Session document `doc` as one <article>; `n` counts the sessions
 * already on the page, so that ids stay unique on it.  With `case_shown`,
 * the case's text is already on the page (id "case-ID"): a link to it
 * stands in its place. */
void render_html_session(FILE *out, const cJSON *doc, int n, int case_shown);

/* The phases as rows and each visit of session document `doc` (the
 * `n`th on the page) as a bar as long as its time, in inline SVG
 * (render_html_svg.c). */
void render_html_svg(FILE *out, const cJSON *doc, int n);

/* The end of the page render_html_start began. */
void render_html_end(FILE *out);

/* The stylesheet of every HTML page (render_html_style.c); static data,
 * never freed. */
extern const char render_html_style[];

/* The header row of the report's CSV (one row per session): the fixed
 * columns, then seconds_PHASE for each of `phases` and "score_CRITERION
 * (label)" for each of `criteria` (arrays of strings, as in cw_report),
 * the label from `labels` ({criterion: label}; may be NULL). */
void render_csv_report_header(FILE *out, const cJSON *phases,
			      const cJSON *criteria, const cJSON *labels);

/* One report row (an item of cw_report's "sessions") in the columns of
 * render_csv_report_header. */
void render_csv_report_row(FILE *out, const cJSON *row, const cJSON *phases,
			   const cJSON *criteria);

/* The header row of the one-row-per-goal CSV (RFC 4180, CRLF). */
void render_csv_goal_header(FILE *out);

/* One CSV row per goal of session document `doc`, in the columns of
 * render_csv_goal_header. */
void render_csv_goal_rows(FILE *out, const cJSON *doc);

/* The header of `report --format grades`: Student, Login, Email, then
 * "CASE (100)" for each of `cases` (an array of case ids). */
void render_csv_grades_header(FILE *out, const cJSON *cases);

/* One student's row of those columns: `row` is {"login", "email",
 * "cases": {case: {"grade"}}}; an empty cell where nothing is scored. */
void render_csv_grades_row(FILE *out, const char *student, const cJSON *row,
			   const cJSON *cases);

#endif
