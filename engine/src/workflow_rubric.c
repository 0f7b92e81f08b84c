/*
 * workflow_rubric.c - a phase's rubric: its criteria, their weights and
 * level descriptors, as a workflow file gives them, and finding one by id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "check.h"
#include "workflow_checkpoint.h"
#include "workflow_image.h"

/* A criterion's "weight": a positive number up to MAX_WEIGHT, 1 when it
 * is absent.  Kept to a thousandth, as the compiled image holds it. */
static double criterion_weight(checker *c, const cJSON *item)
{
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(item, "weight");
	size_t m;

	if (w == NULL)
		return 1;
	if (cJSON_IsNumber(w) && w->valuedouble >= 0.001 &&
	    w->valuedouble <= MAX_WEIGHT)
		return (double)(long)(w->valuedouble * 1000 + 0.5) / 1000;
	m = check_key(c, "weight");
	check_fail(c, "weight-range",
		   "a criterion's weight is a positive number (at most %d), "
		   "not %s",
		   MAX_WEIGHT, cJSON_IsNumber(w) ? "this one" : check_type_name(w));
	check_back(c, m);
	return 1;
}

void workflow_parse_rubric(checker *c, cw_phase *ph, const cJSON *a)
{
	static const char *const known[] = { "id", "label", "levels", "weight",
					     NULL };
	const cJSON *item;
	size_t mark, i = 0;

	if (a == NULL)
		return;
	mark = check_key(c, "rubric");
	if (cJSON_GetArraySize(a) == 0)
		check_fail(c, "empty", "a rubric needs at least one criterion");
	ph->rubric = calloc((size_t)cJSON_GetArraySize(a) + 1,
			    sizeof(*ph->rubric));
	if (ph->rubric == NULL)
		c->oom = 1;
	cJSON_ArrayForEach(item, a) {
		size_t m = check_index(c, i);
		cw_criterion *cr = ph->rubric ? &ph->rubric[i] : NULL;
		const cJSON *levels;

		i++;
		if (!cJSON_IsObject(item) || cr == NULL) {
			check_fail(c, "wrong-type", "a criterion must be an object");
			check_back(c, m);
			continue;
		}
		check_known_keys(c, item, known);
		cr->id = check_id(c, item, "id", 1);
		cr->label = check_string(c, item, "label", 1);
		cr->weight = criterion_weight(c, item);
		levels = check_strings(c, item, "levels", 1);
		if (levels != NULL && cJSON_GetArraySize(levels) != 4) {
			size_t m2 = check_key(c, "levels");

			check_fail(c, "levels-not-four",
				   "a criterion has exactly four levels (1 to "
				   "4), not %d",
				   cJSON_GetArraySize(levels));
			check_back(c, m2);
		} else if (levels != NULL) {
			for (int k = 0; k < 4; k++)
				cr->levels[k] =
					cJSON_GetArrayItem(levels, k)->valuestring;
		}
		for (size_t k = 0; cr->id != NULL && k + 1 < i; k++) {
			if (ph->rubric[k].id != NULL &&
			    strcmp(ph->rubric[k].id, cr->id) == 0) {
				size_t m2 = check_key(c, "id");

				check_fail(c, "duplicate-id",
					   "criterion id '%s' is used twice in "
					   "this phase",
					   cr->id);
				check_back(c, m2);
			}
		}
		ph->rubric_count = i;
		check_back(c, m);
	}
	check_back(c, mark);
}

const cw_criterion *cw_phase_criterion(const cw_phase *ph, const char *id)
{
	for (size_t i = 0; i < ph->rubric_count; i++)
		if (ph->rubric[i].id != NULL && strcmp(ph->rubric[i].id, id) == 0)
			return &ph->rubric[i];
	return NULL;
}

/* 0 when phase `ph` has criterion `id`, else CW_ENOTFOUND naming its
 * criteria. */
int workflow_criterion_check(const cw_phase *ph, const char *id)
{
	char list[300] = "";

	if (cw_phase_criterion(ph, id) != NULL)
		return 0;
	for (size_t i = 0; i < ph->rubric_count; i++) {
		size_t len = strlen(list);

		snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
			 ph->rubric[i].id);
	}
	return ph->rubric_count
		   ? cw_error_set(CW_ENOTFOUND,
				  "no criterion '%s' in the rubric of phase "
				  "'%s' (its criteria: %s)",
				  id, ph->id, list)
		   : cw_error_set(CW_ENOTFOUND,
				  "phase '%s' has no rubric, so no criterion "
				  "'%s'",
				  ph->id, id);
}
