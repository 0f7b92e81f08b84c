/*
 * report.c - the cohort report: per-session figures computed from each
 * session's log and goals, and a summary of the group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/report.h"

static void add_unique(cJSON *list, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, list)
		if (strcmp(item->valuestring, s) == 0)
			return;
	cJSON_AddItemToArray(list, cJSON_CreateString(s));
}

static void bump(cJSON *obj, const char *key, double by)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (item == NULL)
		cJSON_AddNumberToObject(obj, key, by);
	else
		cJSON_SetNumberValue(item, item->valuedouble + by);
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One session's row, from its log and its goals. */
static int session_row_json(cJSON **out, cw_store *s, const cJSON *listed,
			    cJSON *phase_order, cJSON *criteria,
			    cJSON *refusals)
{
	const char *id = cJSON_GetObjectItem(listed, "session")->valuestring;
	cJSON *log = NULL, *goals = NULL, *row, *outcomes, *seconds, *scores;
	cJSON *sums, *counts, *goal_list;
	const cJSON *ev, *v, *g, *f;
	int error, reached = 0, refused = 0, revisits = 0, terminated = 0;
	int interventions = 0, evaluations = 0, open_goals = 0;
	const char *reached_id = NULL;

	*out = NULL;
	if ((error = cw_session_log(&log, s, id)) < 0 ||
	    (error = cw_session_goals(&goals, s, id)) < 0) {
		cJSON_Delete(log);
		return error;
	}
	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "session", id);
	cJSON_AddStringToObject(row, "student",
				cJSON_GetObjectItem(listed, "student")->valuestring);
	cJSON_AddStringToObject(row, "case",
				cJSON_GetObjectItem(listed, "case")->valuestring);
	cJSON_AddStringToObject(row, "workflow",
				cJSON_GetObjectItem(listed, "workflow")->valuestring);
	cJSON_AddNumberToObject(row, "version",
				cJSON_GetObjectItem(listed, "version")->valuedouble);
	cJSON_AddStringToObject(row, "status",
				cJSON_GetObjectItem(listed, "status")->valuestring);
	cJSON_AddStringToObject(row, "phase",
				cJSON_GetObjectItem(listed, "phase")->valuestring);

	/* phases in workflow order; the furthest one visited */
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(log, "phases"))
		add_unique(phase_order, cJSON_GetObjectItem(v, "id")->valuestring);
	{
		int i = 0;

		cJSON_ArrayForEach(v, cJSON_GetObjectItem(log, "phases")) {
			if (cJSON_GetObjectItem(v, "visits")->valueint > 0) {
				reached = i;
				reached_id = cJSON_GetObjectItem(v, "id")->valuestring;
			}
			i++;
		}
	}
	cJSON_AddStringToObject(row, "reached", reached_id ? reached_id : "");
	cJSON_AddNumberToObject(row, "reached_index", reached);
	cJSON_AddNumberToObject(row, "met",
				cJSON_GetObjectItem(listed, "met")->valuedouble);
	cJSON_AddNumberToObject(row, "total",
				cJSON_GetObjectItem(listed, "total")->valuedouble);

	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(log, "events")) {
		const char *type = cJSON_GetObjectItem(ev, "type")->valuestring;

		if (strcmp(type, "advance.refused") == 0) {
			refused++;
			cJSON_ArrayForEach(
				f, cJSON_GetObjectItem(
					   cJSON_GetObjectItem(ev, "payload"),
					   "blockers"))
				bump(refusals,
				     cJSON_GetObjectItem(f, "id")->valuestring, 1);
		} else if (strcmp(type, "phase.revisited") == 0) {
			revisits++;
		} else if (strcmp(type, "session.terminated") == 0) {
			terminated = 1;
		}
	}

	outcomes = cJSON_CreateObject();
	cJSON_AddNumberToObject(outcomes, "achieved", 0);
	cJSON_AddNumberToObject(outcomes, "partial", 0);
	cJSON_AddNumberToObject(outcomes, "not-achieved", 0);
	goal_list = cJSON_CreateArray();
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(goals, "goals")) {
		cJSON *item = cJSON_CreateObject();
		const cJSON *evals = cJSON_GetObjectItem(g, "evaluations");
		const cJSON *e;
		int n = cJSON_GetArraySize(cJSON_GetObjectItem(g, "interventions"));

		open_goals += strcmp(cJSON_GetObjectItem(g, "status")->valuestring,
				     "open") == 0;
		interventions += n;
		evaluations += cJSON_GetArraySize(evals);
		cJSON_ArrayForEach(e, evals)
			bump(outcomes,
			     cJSON_GetObjectItem(e, "outcome")->valuestring, 1);
		cJSON_AddStringToObject(item, "id",
					cJSON_GetObjectItem(g, "id")->valuestring);
		cJSON_AddStringToObject(item, "text",
					cJSON_GetObjectItem(g, "text")->valuestring);
		cJSON_AddStringToObject(item, "term",
					cJSON_GetObjectItem(g, "term")->valuestring);
		cJSON_AddStringToObject(
			item, "status",
			cJSON_GetObjectItem(g, "status")->valuestring);
		e = cJSON_GetArrayItem(evals, cJSON_GetArraySize(evals) - 1);
		if (e != NULL)
			cJSON_AddStringToObject(
				item, "outcome",
				cJSON_GetObjectItem(e, "outcome")->valuestring);
		else
			cJSON_AddNullToObject(item, "outcome");
		cJSON_AddNumberToObject(item, "interventions", n);
		cJSON_AddItemToArray(goal_list, item);
	}
	cJSON_AddNumberToObject(row, "goals", open_goals);
	cJSON_AddNumberToObject(row, "interventions", interventions);
	cJSON_AddNumberToObject(row, "evaluations", evaluations);
	cJSON_AddItemToObject(row, "outcomes", outcomes);
	cJSON_AddNumberToObject(row, "refused", refused);
	cJSON_AddNumberToObject(row, "revisits", revisits);
	cJSON_AddBoolToObject(row, "terminated", terminated);

	seconds = cJSON_AddObjectToObject(row, "seconds");
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(log, "phases"))
		if (cJSON_GetObjectItem(v, "visits")->valueint > 0)
			cJSON_AddNumberToObject(
				seconds, cJSON_GetObjectItem(v, "id")->valuestring,
				cJSON_GetObjectItem(v, "seconds")->valuedouble);

	/* mean score per criterion ("phase.criterion"; the phase alone when
	 * a score has no criterion) */
	sums = cJSON_CreateObject();
	counts = cJSON_CreateObject();
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(log, "feedback")) {
		char key[160];

		if (!cJSON_IsNumber(cJSON_GetObjectItem(f, "score")))
			continue;
		if (cJSON_IsString(cJSON_GetObjectItem(f, "criterion")))
			snprintf(key, sizeof(key), "%s.%s",
				 cJSON_GetObjectItem(f, "phase")->valuestring,
				 cJSON_GetObjectItem(f, "criterion")->valuestring);
		else
			snprintf(key, sizeof(key), "%s",
				 cJSON_GetObjectItem(f, "phase")->valuestring);
		bump(sums, key, cJSON_GetObjectItem(f, "score")->valuedouble);
		bump(counts, key, 1);
		add_unique(criteria, key);
	}
	scores = cJSON_AddObjectToObject(row, "scores");
	cJSON_ArrayForEach(v, sums)
		cJSON_AddNumberToObject(
			scores, v->string,
			v->valuedouble /
				cJSON_GetObjectItem(counts, v->string)->valuedouble);
	cJSON_Delete(sums);
	cJSON_Delete(counts);
	cJSON_AddNumberToObject(
		row, "feedback",
		cJSON_GetArraySize(cJSON_GetObjectItem(log, "feedback")));
	cJSON_AddItemToObject(row, "goal_list", goal_list);

	cJSON_Delete(log);
	cJSON_Delete(goals);
	*out = row;
	return 0;
}

int cw_report(cJSON **out, cw_store *s, const cw_session_filter *filter)
{
	cJSON *listed = NULL, *doc, *rows, *phases, *criteria, *refusals;
	cJSON *summary, *reached, *medians, *worst = NULL;
	const cJSON *item, *row, *p;
	int error = cw_session_list(&listed, s, filter);

	*out = NULL;
	if (error < 0)
		return error;
	doc = cJSON_CreateObject();
	rows = cJSON_AddArrayToObject(doc, "sessions");
	phases = cJSON_AddArrayToObject(doc, "phases");
	criteria = cJSON_AddArrayToObject(doc, "criteria");
	refusals = cJSON_CreateObject();
	cJSON_ArrayForEach(item, listed) {
		cJSON *r = NULL;

		error = session_row_json(&r, s, item, phases, criteria, refusals);
		if (error < 0) {
			cJSON_Delete(doc);
			cJSON_Delete(listed);
			cJSON_Delete(refusals);
			return error;
		}
		cJSON_AddItemToArray(rows, r);
	}
	cJSON_Delete(listed);

	summary = cJSON_AddObjectToObject(doc, "summary");
	cJSON_AddNumberToObject(summary, "sessions", cJSON_GetArraySize(rows));
	reached = cJSON_AddObjectToObject(summary, "reached");
	medians = cJSON_AddObjectToObject(summary, "median_seconds");
	cJSON_ArrayForEach(p, phases) {
		int n = 0, k = 0;
		double *times = calloc((size_t)cJSON_GetArraySize(rows) + 1,
				       sizeof(double));

		cJSON_ArrayForEach(row, rows) {
			/* a phase is reached when it was visited: terminate
			 * skips the phases between */
			const cJSON *secs = cJSON_GetObjectItem(
				cJSON_GetObjectItem(row, "seconds"), p->valuestring);

			n += secs != NULL;
			if (secs != NULL && times != NULL)
				times[k++] = secs->valuedouble;
		}
		cJSON_AddNumberToObject(reached, p->valuestring, n);
		if (k > 0 && times != NULL) {
			qsort(times, (size_t)k, sizeof(double), compare_doubles);
			cJSON_AddNumberToObject(medians, p->valuestring,
						k % 2 ? times[k / 2]
						      : (times[k / 2 - 1] +
							 times[k / 2]) / 2);
		}
		free(times);
	}
	cJSON_ArrayForEach(item, refusals)
		if (worst == NULL || item->valuedouble > worst->valuedouble)
			worst = (cJSON *)item;
	if (worst != NULL) {
		cJSON *w = cJSON_AddObjectToObject(summary, "most_refused");

		cJSON_AddStringToObject(w, "checkpoint", worst->string);
		cJSON_AddNumberToObject(w, "count", worst->valuedouble);
	} else {
		cJSON_AddNullToObject(summary, "most_refused");
	}
	cJSON_AddItemToObject(summary, "refusals", refusals);
	*out = doc;
	return 0;
}
