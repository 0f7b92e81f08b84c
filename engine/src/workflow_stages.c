/*
 * workflow_stages.c - the stages of a reflection checkpoint: their ids
 * and the guidance for each, read while a workflow is parsed.
 */
#include <stdlib.h>
#include <string.h>

#include "workflow_stages.h"

/* Borrow the strings of a validated array of strings. */
static const char **string_list(const cJSON *array, size_t *count)
{
	size_t n = (size_t)cJSON_GetArraySize(array);
	const char **list = calloc(n ? n : 1, sizeof(*list));
	const cJSON *item;
	size_t i = 0;

	if (list == NULL)
		return NULL;
	cJSON_ArrayForEach(item, array)
		list[i++] = item->valuestring;
	*count = n;
	return list;
}

/*
 * A reflection's "stages" (ids, at least one, each once) and its optional
 * "stage_help", the guidance for each stage keyed by stage id; neither
 * belongs to another kind.
 */
void workflow_parse_stages(checker *c, const cJSON *j, cw_checkpoint *cp)
{
	const cJSON *stages, *help, *item;
	size_t mark, before = c->diags->count, i = 0;

	if (cp->kind != CW_CHECKPOINT_REFLECTION) {
		for (int k = 0; k < 2; k++) {
			const char *key = k ? "stage_help" : "stages";

			if (!cJSON_HasObjectItem(j, key))
				continue;
			mark = check_key(c, key);
			check_fail(c, "field-not-allowed",
				   "'%s' belongs to reflection checkpoints "
				   "only",
				   key);
			check_back(c, mark);
		}
		return;
	}
	stages = check_array(c, j, "stages", 1);
	if (stages == NULL)
		return;
	mark = check_key(c, "stages");
	if (cJSON_GetArraySize(stages) < 1)
		check_fail(c, "empty", "a reflection needs at least one stage");
	cJSON_ArrayForEach(item, stages) {
		size_t m = check_index(c, i++);

		if (!cJSON_IsString(item) || !check_is_id(item->valuestring))
			check_fail(c, "bad-id",
				   "a stage is an id such as 'feelings'");
		for (const cJSON *p = stages->child; p != item; p = p->next)
			if (cJSON_IsString(item) && cJSON_IsString(p) &&
			    strcmp(p->valuestring, item->valuestring) == 0)
				check_fail(c, "duplicate-stage",
					   "stage '%s' is listed twice",
					   item->valuestring);
		check_back(c, m);
	}
	check_back(c, mark);
	help = cJSON_GetObjectItemCaseSensitive(j, "stage_help");
	if (help != NULL) {
		const cJSON *entries = cJSON_IsObject(help) ? help : NULL;

		mark = check_key(c, "stage_help");
		if (entries == NULL)
			check_fail(c, "wrong-type",
				   "stage_help is an object: a guidance text "
				   "for each stage id");
		cJSON_ArrayForEach(item, entries) {
			size_t m = check_key(c, item->string);
			int known = 0;
			const cJSON *st;

			cJSON_ArrayForEach(st, stages) known |=
			    cJSON_IsString(st) &&
			    strcmp(st->valuestring, item->string) == 0;
			if (!cJSON_IsString(item))
				check_fail(c, "wrong-type",
					   "the guidance for a stage is a text");
			else if (!known)
				check_fail(c, "unknown-stage",
					   "'%s' is not one of the stages",
					   item->string);
			check_back(c, m);
		}
		check_back(c, mark);
	}
	if (c->diags->count != before)
		return;
	cp->stages = string_list(stages, &cp->stage_count);
	cp->stage_help = calloc(cp->stage_count ? cp->stage_count : 1,
				sizeof(*cp->stage_help));
	if (cp->stages == NULL || cp->stage_help == NULL) {
		c->oom = 1;
		return;
	}
	for (size_t k = 0; k < cp->stage_count; k++) {
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(
		    help, cp->stages[k]);

		cp->stage_help[k] = cJSON_IsString(h) ? h->valuestring : NULL;
	}
}

