/*
 * casework/export.h - session summaries for people (Markdown, HTML) and for
 * other tools (JSON, CSV).
 *
 * Every export is built from a session's log; the JSON document of one
 * session (schemas/session-export.schema.json) is what the other formats
 * render, so they never disagree.  Writers stream to a FILE * the caller
 * owns, session by session: exporting a cohort never holds more than one
 * session's document in memory.  Nothing here writes to the database.
 */
#ifndef CASEWORK_EXPORT_H
#define CASEWORK_EXPORT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "casework/common.h"
#include "casework/error.h"
#include "casework/session.h"
#include "casework/store.h"

/* The version of the export document (its "schema_version"). */
#define CW_EXPORT_VERSION 1

typedef enum cw_export_format {
	CW_EXPORT_JSON,     /* schemas/session-export.schema.json */
	CW_EXPORT_MARKDOWN, /* a summary a person reads */
	CW_EXPORT_HTML,     /* one self-contained, printable page */
	CW_EXPORT_CSV       /* RFC 4180: one row per session, or per goal */
} cw_export_format;

typedef struct cw_export_options {
	cw_export_format format;
	/* Remove the client's alias, age and household, and write
	 * "[client]" for every occurrence of the alias in free text. */
	int redact;
	/* CSV only: one row per goal instead of one per session. */
	int goals;
	/* Keep the instructor notes of the case (for authors and
	 * instructors: ask cw_case_full_allowed first). */
	int full;
} cw_export_options;

#define CW_EXPORT_OPTIONS_INIT { CW_EXPORT_JSON, 0, 0, 0 }

/* Flags of cw_export_session. */
#define CW_EXPORT_REDACT 1 /* as cw_export_redact leaves it */
#define CW_EXPORT_FULL 2   /* with the case's instructor notes */

/*
 * The format named `name` ("json", "md", "html", "csv") in `*out`;
 * CW_EINVALID (with the list of names in the message) for any other.
 */
CW_EXTERN int cw_export_format_parse(cw_export_format *out, const char *name);

/*
 * The export document of session `id`: the case as the session started
 * with it (the material of the phases the session reached; the
 * instructor notes only with CW_EXPORT_FULL in `flags`), the workflow, every phase with its checkpoints, statements and
 * records, goals with their interventions and evaluations, notes,
 * objectives, referrals, revisits, refusals, feedback, scores, the time
 * spent on each phase visit and the head of the hash chain.  Read in one
 * transaction, so the parts agree.  With CW_EXPORT_REDACT in `flags`,
 * as cw_export_redact leaves it.  The caller frees `*out` with
 * cJSON_Delete.
 */
CW_EXTERN int cw_export_session(cJSON **out, cw_store *store, const char *id,
				int flags);

/*
 * Redact an export document in place: drop client.alias, client.age,
 * client.household and client.identifiers from its case, replace the
 * alias, each word of it and each identifier with "[client]" in every free
 * text (whatever the case, as whole words: "Maya" and "MAYA'S" go,
 * "Mayan" stays), and set "redacted".  Identifiers, times
 * and hashes are left alone.  A document already redacted is unchanged.
 */
CW_EXTERN void cw_export_redact(cJSON *doc);

/*
 * Write session `id` to `out` as `options` say: JSON as one object, the
 * others as one summary.  CW_ENOTFOUND for an unknown session, CW_ERROR
 * when writing fails.
 */
CW_EXTERN int cw_export_write(FILE *out, cw_store *store, const char *id,
			      const cw_export_options *options);

/*
 * Write every session that `filter` matches (NULL: all), oldest first, as
 * one document: a JSON array, Markdown summaries one after another, one
 * HTML page, or one CSV table under one header.  No session is an empty
 * array, page or table (header only).
 */
CW_EXTERN int cw_export_write_all(FILE *out, cw_store *store,
				  const cw_session_filter *filter,
				  const cw_export_options *options);

/*
 * Write a cw_report() document as CSV (RFC 4180, CRLF line ends): the
 * columns of `casework report --format csv`, one row per session.
 */
CW_EXTERN int cw_export_report_csv(FILE *out, const cJSON *report);

/*
 * Write `report --format grades` (DESIGN.md "Grades") to `out`: a CSV
 * (RFC 4180, CRLF) with one row per student (the roster's, and any other
 * student with a session that `filter` matches; NULL: all), sorted by
 * name, and the columns Student, Login, Email, then "CASE (100)" for
 * every case (only --case's with a case filter): the weighted mean of the
 * latest rubric scores of the student's latest closed session on the
 * case, as a share of the top score 4, to one decimal; empty where
 * nothing is scored.
 */
CW_EXTERN int cw_export_grades_csv(FILE *out, cw_store *store,
				   const cw_session_filter *filter);

#endif
