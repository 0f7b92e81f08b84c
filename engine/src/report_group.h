/*
 * report_group.h - the report's figures for the whole group, gathered one
 * session at a time in memory that does not grow with the cohort: a count
 * and a bounded median per phase, the criteria scored and the refusals
 * per checkpoint (as many as the workflows have).  Private to the engine.
 */
#ifndef CW_REPORT_GROUP_H
#define CW_REPORT_GROUP_H

#include <cjson/cJSON.h>

#include "median.h"

/* One phase: how many sessions spent time in it, and how long. */
typedef struct phase_figures {
	char *id;
	median seconds;
} phase_figures;

typedef struct report_group {
	phase_figures *phases; /* in the order first met */
	size_t phase_count, phase_cap;
	/* ["phase.criterion"]: every criterion of the workflows met, each in
	 * workflow order, then scores on a phase alone in the order given */
	cJSON *criteria;
	cJSON *labels;	 /* {"phase.criterion": the criterion's label} */
	cJSON *score_sums; /* {"phase.criterion": [sum of the sessions' means,
			    * sessions scored]} */
	cJSON *refusals; /* {checkpoint: times it blocked an advance} */
	long sessions;
} report_group;

#define REPORT_GROUP_INIT                                                      \
	{                                                                      \
		NULL, 0, 0, NULL, NULL, NULL, NULL, 0                          \
	}

/* Start `g` (MEMBERS from REPORT_GROUP_INIT): 0 or CW_ERROR. */
int group_init(report_group *g);

/* Note phase `id` (the report's "phases"), once: 0 or CW_ERROR. */
int group_phase(report_group *g, const char *id);

/* A session spent `seconds` in phase `id` (noted before): 0 or
 * CW_ERROR. */
int group_time(report_group *g, const char *id, double seconds);

/* A session's mean score on criterion `key`, for the class mean: 0 or
 * CW_ERROR. */
int group_score(report_group *g, const char *key, double score);

/* {"phases", "criteria", "criterion_labels", "summary"} into `*out`
 * (cJSON_Delete); the criteria, labels and refusals move into it, and
 * the summary has "mean_scores" ({criterion: the class mean}). */
int group_summary(cJSON **out, report_group *g);

/* Free what `g` holds; a cleared group is REPORT_GROUP_INIT. */
void group_clear(report_group *g);

#endif
