/*
 * report.c - the cohort report: per-session figures read from one replay
 * of each session (its state), and a summary of the group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/report.h"
#include "state.h"
#include "store.h"

static void add_unique(cJSON *list, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item,
			   list) if (strcmp(item->valuestring, s) == 0) return;
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

/* A record's name ("G1") into `out`. */
static void record_name(char out[16], const record *r)
{
	snprintf(out, 16, "%c%d", record_letter(r->kind), r->number);
}

/* The goal list of a row, and the counts over the session's goals. */
static cJSON *goal_list(const state *st, cJSON *row)
{
	cJSON *list = cJSON_CreateArray(), *outcomes = cJSON_CreateObject();
	int interventions = 0, evaluations = 0, open_goals = 0;

	cJSON_AddNumberToObject(outcomes, "achieved", 0);
	cJSON_AddNumberToObject(outcomes, "partial", 0);
	cJSON_AddNumberToObject(outcomes, "not-achieved", 0);
	for (size_t i = 0; i < st->record_count; i++) {
		const record *g = &st->records[i], *last = NULL;
		cJSON *item;
		char name[16];
		int n = 0;

		if (g->kind != CW_RECORD_GOAL)
			continue;
		for (size_t k = 0; k < st->record_count; k++) {
			const record *r = &st->records[k];

			if (r->goal != g->number)
				continue;
			if (r->kind == CW_RECORD_INTERVENTION) {
				n++;
			} else if (r->kind == CW_RECORD_EVALUATION) {
				evaluations++;
				bump(outcomes, r->outcome, 1);
				last = r;
			}
		}
		open_goals += !g->dropped;
		interventions += n;
		item = cJSON_CreateObject();
		record_name(name, g);
		cJSON_AddStringToObject(item, "id", name);
		cJSON_AddStringToObject(item, "text", g->text);
		cJSON_AddStringToObject(item, "term", g->term);
		cJSON_AddStringToObject(item, "status",
					g->dropped ? "dropped" : "open");
		if (last != NULL)
			cJSON_AddStringToObject(item, "outcome", last->outcome);
		else
			cJSON_AddNullToObject(item, "outcome");
		cJSON_AddNumberToObject(item, "interventions", n);
		cJSON_AddItemToArray(list, item);
	}
	cJSON_AddNumberToObject(row, "goals", open_goals);
	cJSON_AddNumberToObject(row, "interventions", interventions);
	cJSON_AddNumberToObject(row, "evaluations", evaluations);
	cJSON_AddItemToObject(row, "outcomes", outcomes);
	return list;
}

/* The mean score per criterion ("phase.criterion"; the phase alone when
 * a score has no criterion), each key also listed in `criteria`. */
static void add_scores(cJSON *row, const state *st, cJSON *criteria)
{
	cJSON *sums = cJSON_CreateObject(), *counts = cJSON_CreateObject();
	cJSON *scores;
	const cJSON *v;

	for (size_t i = 0; i < st->feedback_count; i++) {
		const feedback_entry *f = &st->feedback[i];
		char key[160];

		if (!f->scored)
			continue;
		if (f->criterion != NULL)
			snprintf(key, sizeof(key), "%s.%s",
				 f->phase ? f->phase : "", f->criterion);
		else
			snprintf(key, sizeof(key), "%s",
				 f->phase ? f->phase : "");
		bump(sums, key, f->score);
		bump(counts, key, 1);
		add_unique(criteria, key);
	}
	scores = cJSON_AddObjectToObject(row, "scores");
	cJSON_ArrayForEach(v, sums) cJSON_AddNumberToObject(
	    scores, v->string,
	    v->valuedouble /
		cJSON_GetObjectItem(counts, v->string)->valuedouble);
	cJSON_Delete(sums);
	cJSON_Delete(counts);
}

/* One session's row, from one replay of its log. */
static int session_row_json(cJSON **out, cw_store *s, const cJSON *listed,
			    cJSON *phase_order, cJSON *criteria,
			    cJSON *refusals)
{
	const char *id = cJSON_GetObjectItem(listed, "session")->valuestring;
	session_row srow = {0};
	state st;
	cJSON *row, *seconds, *goals;
	int error, owned = 0, reached = 0, revisits = 0, terminated = 0;
	const char *reached_id = NULL;

	*out = NULL;
	memset(&st, 0, sizeof(st));
	/* the row and the events from one snapshot */
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	error = state_load(&st, &srow, s, id);
	store_end(s, owned, 0);
	if (error < 0)
		goto cleanup;
	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "session", id);
	cJSON_AddStringToObject(
	    row, "student",
	    cJSON_GetObjectItem(listed, "student")->valuestring);
	cJSON_AddStringToObject(
	    row, "case", cJSON_GetObjectItem(listed, "case")->valuestring);
	cJSON_AddStringToObject(
	    row, "workflow",
	    cJSON_GetObjectItem(listed, "workflow")->valuestring);
	cJSON_AddNumberToObject(
	    row, "version",
	    cJSON_GetObjectItem(listed, "version")->valuedouble);
	cJSON_AddStringToObject(
	    row, "status", cJSON_GetObjectItem(listed, "status")->valuestring);
	cJSON_AddStringToObject(
	    row, "phase", cJSON_GetObjectItem(listed, "phase")->valuestring);

	/* phases in workflow order; the furthest one visited */
	for (size_t i = 0; i < st.wf->phase_count; i++) {
		int visits;
		double secs;

		add_unique(phase_order, st.wf->phases[i].id);
		state_phase_time(&st, i, &visits, &secs);
		if (visits > 0) {
			reached = (int)i;
			reached_id = st.wf->phases[i].id;
		}
	}
	cJSON_AddStringToObject(row, "reached", reached_id ? reached_id : "");
	cJSON_AddNumberToObject(row, "reached_index", reached);
	cJSON_AddNumberToObject(
	    row, "met", cJSON_GetObjectItem(listed, "met")->valuedouble);
	cJSON_AddNumberToObject(
	    row, "total", cJSON_GetObjectItem(listed, "total")->valuedouble);

	for (size_t i = 0; i < st.refusal_count; i++)
		for (size_t k = 0; k < st.refusals[i].blocker_count; k++)
			bump(refusals, st.refusals[i].blockers[k].id, 1);
	for (size_t i = 0; i < st.visit_count; i++) {
		revisits += st.visits[i].how == ENTERED_REVISIT;
		terminated |= st.visits[i].how == ENTERED_TERMINATE;
	}

	goals = goal_list(&st, row);
	cJSON_AddNumberToObject(row, "refused", (double)st.refusal_count);
	cJSON_AddNumberToObject(row, "revisits", revisits);
	cJSON_AddBoolToObject(row, "terminated", terminated);

	seconds = cJSON_AddObjectToObject(row, "seconds");
	for (size_t i = 0; i < st.wf->phase_count; i++) {
		int visits;
		double secs;

		state_phase_time(&st, i, &visits, &secs);
		if (visits > 0)
			cJSON_AddNumberToObject(seconds, st.wf->phases[i].id,
						secs);
	}
	add_scores(row, &st, criteria);
	cJSON_AddNumberToObject(row, "feedback", (double)st.feedback_count);
	cJSON_AddItemToObject(row, "goal_list", goals);
	*out = row;
cleanup:
	state_clear(&st);
	session_row_clear(&srow);
	return error;
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
	cJSON_ArrayForEach(item, listed)
	{
		cJSON *r = NULL;

		error =
		    session_row_json(&r, s, item, phases, criteria, refusals);
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
	cJSON_ArrayForEach(p, phases)
	{
		int n = 0, k = 0;
		double *times = calloc((size_t)cJSON_GetArraySize(rows) + 1,
				       sizeof(double));

		cJSON_ArrayForEach(row, rows)
		{
			/* a phase is reached when it was visited: terminate
			 * skips the phases between */
			const cJSON *secs = cJSON_GetObjectItem(
			    cJSON_GetObjectItem(row, "seconds"),
			    p->valuestring);

			n += secs != NULL;
			if (secs != NULL && times != NULL)
				times[k++] = secs->valuedouble;
		}
		cJSON_AddNumberToObject(reached, p->valuestring, n);
		if (k > 0 && times != NULL) {
			qsort(times, (size_t)k, sizeof(double),
			      compare_doubles);
			cJSON_AddNumberToObject(
			    medians, p->valuestring,
			    k % 2 ? times[k / 2]
				  : (times[k / 2 - 1] + times[k / 2]) / 2);
		}
		free(times);
	}
	cJSON_ArrayForEach(item,
			   refusals) if (worst == NULL ||
					 item->valuedouble > worst->valuedouble)
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
