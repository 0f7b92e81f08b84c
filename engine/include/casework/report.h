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
 * The caller frees `*out` with cJSON_Delete.
 */
CW_EXTERN int cw_report(cJSON **out, cw_store *store,
			const cw_session_filter *filter);

#endif
