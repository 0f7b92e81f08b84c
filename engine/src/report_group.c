/*
 * report_group.c - the report's group figures, gathered one session at a
 * time (see report_group.h).
 */
#include <stdlib.h>
#include <string.h>

#include "casework/error.h"
#include "report_group.h"

int group_init(report_group *g)
{
	*g = (report_group)REPORT_GROUP_INIT;
	g->criteria = cJSON_CreateArray();
	g->refusals = cJSON_CreateObject();
	g->labels = cJSON_CreateObject();
	g->score_sums = cJSON_CreateObject();
	if (g->criteria == NULL || g->refusals == NULL || g->labels == NULL ||
	    g->score_sums == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	return 0;
}

static phase_figures *find(report_group *g, const char *id)
{
	for (size_t i = 0; i < g->phase_count; i++)
		if (strcmp(g->phases[i].id, id) == 0)
			return &g->phases[i];
	return NULL;
}

int group_phase(report_group *g, const char *id)
{
	phase_figures *p;

	if (find(g, id) != NULL)
		return 0;
	if (g->phase_count == g->phase_cap) {
		size_t cap = g->phase_cap ? g->phase_cap * 2 : 8;

		if ((p = realloc(g->phases, cap * sizeof(*p))) == NULL)
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		g->phases = p;
		g->phase_cap = cap;
	}
	p = &g->phases[g->phase_count];
	*p = (phase_figures){strdup(id), MEDIAN_INIT};
	if (p->id == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	g->phase_count++;
	return 0;
}

int group_time(report_group *g, const char *id, double seconds)
{
	phase_figures *p = find(g, id);

	return p != NULL ? median_add(&p->seconds, seconds) : 0;
}

/* The first checkpoint with the most refusals, as {checkpoint, count}, or
 * null. */
static cJSON *most_refused(const cJSON *refusals)
{
	const cJSON *item, *worst = NULL;
	cJSON *w;

	cJSON_ArrayForEach(item, refusals)
	{
		if (worst == NULL || item->valuedouble > worst->valuedouble)
			worst = item;
	}
	if (worst == NULL)
		return cJSON_CreateNull();
	w = cJSON_CreateObject();
	cJSON_AddStringToObject(w, "checkpoint", worst->string);
	cJSON_AddNumberToObject(w, "count", worst->valuedouble);
	return w;
}

int group_score(report_group *g, const char *key, double score)
{
	cJSON *pair = cJSON_GetObjectItemCaseSensitive(g->score_sums, key);

	if (pair == NULL) {
		double start[2] = {0, 0};

		pair = cJSON_CreateDoubleArray(start, 2);
		if (pair == NULL ||
		    !cJSON_AddItemToObject(g->score_sums, key, pair)) {
			cJSON_Delete(pair);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
	}
	cJSON_SetNumberValue(pair->child, pair->child->valuedouble + score);
	cJSON_SetNumberValue(pair->child->next,
			     pair->child->next->valuedouble + 1);
	return 0;
}

int group_summary(cJSON **out, report_group *g)
{
	cJSON *doc = cJSON_CreateObject(), *phases, *summary, *reached;
	cJSON *medians, *means, *pair;

	*out = NULL;
	phases = cJSON_AddArrayToObject(doc, "phases");
	cJSON_AddItemToObject(doc, "criteria", g->criteria);
	g->criteria = NULL;
	cJSON_AddItemToObject(doc, "criterion_labels", g->labels);
	g->labels = NULL;
	summary = cJSON_AddObjectToObject(doc, "summary");
	cJSON_AddNumberToObject(summary, "sessions", (double)g->sessions);
	reached = cJSON_AddObjectToObject(summary, "reached");
	medians = cJSON_AddObjectToObject(summary, "median_seconds");
	for (size_t i = 0; i < g->phase_count; i++) {
		phase_figures *p = &g->phases[i];

		cJSON_AddItemToArray(phases, cJSON_CreateString(p->id));
		cJSON_AddNumberToObject(reached, p->id, (double)p->seconds.n);
		if (p->seconds.n > 0)
			cJSON_AddNumberToObject(medians, p->id,
						median_value(&p->seconds));
	}
	cJSON_AddItemToObject(summary, "most_refused",
			      most_refused(g->refusals));
	cJSON_AddItemToObject(summary, "refusals", g->refusals);
	g->refusals = NULL;
	means = cJSON_AddObjectToObject(summary, "mean_scores");
	cJSON_ArrayForEach(pair, g->score_sums)
	{
		cJSON_AddNumberToObject(means, pair->string,
					pair->child->valuedouble /
					    pair->child->next->valuedouble);
	}
	/* cJSON gives NULL for any part it could not make */
	if (doc == NULL || phases == NULL || summary == NULL ||
	    medians == NULL || reached == NULL ||
	    cJSON_GetObjectItem(summary, "refusals") == NULL ||
	    cJSON_GetArraySize(phases) != (int)g->phase_count) {
		cJSON_Delete(doc);
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	*out = doc;
	return 0;
}

void group_clear(report_group *g)
{
	for (size_t i = 0; i < g->phase_count; i++) {
		free(g->phases[i].id);
		median_clear(&g->phases[i].seconds);
	}
	free(g->phases);
	cJSON_Delete(g->criteria);
	cJSON_Delete(g->labels);
	cJSON_Delete(g->score_sums);
	cJSON_Delete(g->refusals);
	*g = (report_group)REPORT_GROUP_INIT;
}
