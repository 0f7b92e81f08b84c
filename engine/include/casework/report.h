/*
 * casework/report.h - the cohort report an instructor reads: one row per
 * session and a summary of the group.
 */
#ifndef CASEWORK_REPORT_H
#define CASEWORK_REPORT_H

#include <cjson/cJSON.h>

#include "casework/common.h"
#include "casework/error.h"
#include "casework/session.h"
#include "casework/store.h"

/*
 * Report on the sessions that match `filter` (NULL: all).  `*out` is
 * {"sessions": [row...], "summary": {...}, "phases": [ids in order],
 * "criteria": ["phase.criterion" scored anywhere]}.  A row holds session,
 * student, case, workflow, version, status, phase, reached (the furthest
 * phase), met, total, goals, interventions, evaluations, outcomes
 * {achieved, partial, not-achieved}, refused (advances), revisits,
 * terminated, seconds {phase: s}, scores {"phase.criterion": mean},
 * feedback (count) and goal_list [{id, text, term, status, outcome,
 * interventions}].  The summary holds sessions, reached {phase: n},
 * most_refused {checkpoint, count} and median_seconds {phase: s}.
 * The caller frees `*out` with cJSON_Delete.  This holds every row in
 * memory: a whole cohort is better read with cw_report_each or a
 * cw_report_spool.
 */
CW_EXTERN int cw_report(cJSON **out, cw_store *store,
			const cw_session_filter *filter);

/*
 * How many values of one phase's time the median is exact for.  Beyond
 * that many sessions in a phase, "median_seconds" is the median of a
 * uniform sample of this many of them (reservoir sampling with a fixed
 * seed: the same cohort always gives the same figure), so that the
 * report's memory does not grow with the cohort.  The sample's median
 * lies between the smallest and the largest time seen, and is close to
 * the true one (within about 1.5% of the sessions' ranks either side, 19
 * times in 20).
 */
#define CW_REPORT_MEDIAN_EXACT 4096

/* Called with each session's row of the report, which is borrowed for
 * the call: return 0 to go on, anything else to stop. */
typedef int (*cw_report_fn)(const cJSON *row, void *payload);

/*
 * The report on the sessions that `filter` matches (NULL: all), one
 * session at a time: each is replayed once, its row (as in cw_report's
 * "sessions") handed to `fn` and let go.  At the end `*out` is the rest
 * of cw_report's document: {"phases", "criteria", "summary"}; the caller
 * frees it with cJSON_Delete.  Memory stays bounded whatever the number
 * of sessions (see CW_REPORT_MEDIAN_EXACT).  Returns 0, an error (then
 * `*out` is NULL), or what `fn` returned to stop (`*out` NULL too).
 */
CW_EXTERN int cw_report_each(cJSON **out, cw_store *store,
			     const cw_session_filter *filter, cw_report_fn fn,
			     void *payload);

/*
 * A report whose rows wait in an unlinked, owner-only temporary file (in
 * $TMPDIR, else /tmp): for writers that need the group's columns (phases,
 * criteria) before the first row, as CSV and the table do.  Each session
 * is replayed once; the rows can then be read back any number of times.
 * The rows are cw_report's without "goal_list": the goals' words are case
 * text, and case text is never written outside the database (those who
 * need them go through cw_report_each).
 */
typedef struct cw_report_spool cw_report_spool;

/* Make the report on `filter` (NULL: all) into `*out`; the caller frees
 * it with cw_report_spool_free. */
CW_EXTERN int cw_report_spool_open(cw_report_spool **out, cw_store *store,
				   const cw_session_filter *filter);

/* {"phases", "criteria", "summary"}, as cw_report_each gives; borrowed
 * from `spool`. */
CW_EXTERN const cJSON *cw_report_spool_summary(const cw_report_spool *spool);

/* Call `fn` with each row (without "goal_list"), in order, one at a time
 * (each borrowed for the call).  Returns 0, CW_ERROR when the file cannot be read back, or what
 * `fn` returned to stop. */
CW_EXTERN int cw_report_spool_each(cw_report_spool *spool, cw_report_fn fn,
				   void *payload);

/* Free `spool` and its file; NULL is a no-op. */
CW_EXTERN void cw_report_spool_free(cw_report_spool *spool);

#endif
