/*
 * workflow.c - loading and validating workflow definitions.
 *
 * The cJSON tree is kept for the workflow's lifetime and every string in the
 * public structures points into it, so loading copies no text.  A workflow
 * read from its compiled image (workflow_image.c) is one block instead, and
 * cw_workflow_free tells the two apart by the internal's `one_block`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "check.h"
#include "workflow_checkpoint.h"
#include "workflow_image.h"
#include "workflow_stages.h"
#include "workflow_tags.h"

static const char *const record_names[] = {
	"note", "objective", "goal", "intervention", "evaluation", "referral",
	NULL
};

static const char *const kind_names[] = { "confirm", "count", "coverage",
					  "choice", "reflection", "approval",
					  NULL };

const char *cw_record_kind_name(cw_record_kind kind)
{
	return kind < CW_RECORD_KIND_COUNT ? record_names[kind] : "?";
}

const char *cw_checkpoint_kind_name(cw_checkpoint_kind kind)
{
	return kind <= CW_CHECKPOINT_APPROVAL ? kind_names[kind] : "?";
}

static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

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

void workflow_parse_checkpoint(checker *c, const cJSON *j, cw_checkpoint *cp)
{
	static const char *const known[] = { "id", "label", "help", "kind",
		"record", "tag", "min", "min_chars", "options", "stages",
		"stage_help", NULL };
	const char *kind, *record = NULL;
	const cJSON *options;
	long n = 0;
	size_t mark;

	if (!cJSON_IsObject(j)) {
		check_fail(c, "wrong-type", "a checkpoint must be an object");
		return;
	}
	check_known_keys(c, j, known);
	cp->id = check_id(c, j, "id", 1);
	cp->label = check_string(c, j, "label", 1);
	cp->help = check_string(c, j, "help", 0);
	kind = check_string(c, j, "kind", 1);
	if (kind == NULL)
		return;
	if (name_index(kind_names, kind) < 0) {
		mark = check_key(c, "kind");
		check_fail(c, "unknown-kind",
			   "unknown checkpoint kind '%s' (expected confirm, "
			   "count, coverage, choice, reflection or "
			   "approval)",
			   kind);
		check_back(c, mark);
		return;
	}
	cp->kind = (cw_checkpoint_kind)name_index(kind_names, kind);

	if (cp->kind == CW_CHECKPOINT_COUNT ||
	    cp->kind == CW_CHECKPOINT_COVERAGE) {
		record = check_string(c, j, "record", 1);
		if (record != NULL && name_index(record_names, record) < 0) {
			mark = check_key(c, "record");
			check_fail(c, "unknown-record",
				   "unknown record kind '%s' (expected note, "
				   "objective, goal, intervention, evaluation "
				   "or referral)",
				   record);
			check_back(c, mark);
			record = NULL;
		}
		if (record != NULL)
			cp->record =
				(cw_record_kind)name_index(record_names, record);
	}
	if (cp->kind == CW_CHECKPOINT_COVERAGE && record != NULL &&
	    cp->record != CW_RECORD_INTERVENTION &&
	    cp->record != CW_RECORD_EVALUATION) {
		mark = check_key(c, "record");
		check_fail(c, "bad-coverage",
			   "coverage is of interventions or evaluations, "
			   "not of '%s'",
			   record);
		check_back(c, mark);
	}
	if (cp->kind == CW_CHECKPOINT_COUNT) {
		if (check_int(c, j, "min", 1, 1, 1000, &n))
			cp->min = (int)n;
		cp->tag = check_id(c, j, "tag", 0);
		if (cp->tag != NULL && cp->record != CW_RECORD_NOTE) {
			mark = check_key(c, "tag");
			check_fail(c, "tag-not-note",
				   "only a count of notes may have a tag");
			check_back(c, mark);
		}
	} else if (cJSON_HasObjectItem(j, "min")) {
		mark = check_key(c, "min");
		check_fail(c, "field-not-allowed",
			   "'min' belongs to count checkpoints only");
		check_back(c, mark);
	}
	if (cp->kind == CW_CHECKPOINT_CONFIRM ||
	    cp->kind == CW_CHECKPOINT_CHOICE ||
	    cp->kind == CW_CHECKPOINT_REFLECTION) {
		if (check_int(c, j, "min_chars", 1, 1, 10000, &n))
			cp->min_chars = (int)n;
	}
	workflow_parse_stages(c, j, cp);
	if (cp->kind == CW_CHECKPOINT_CHOICE) {
		options = check_array(c, j, "options", 1);
		if (options != NULL) {
			size_t before = c->diags->count;
			const cJSON *o;
			size_t i = 0;

			mark = check_key(c, "options");
			if (cJSON_GetArraySize(options) < 2)
				check_fail(c, "too-few-options",
					   "a choice needs at least two options");
			cJSON_ArrayForEach(o, options) {
				size_t m = check_index(c, i++);

				if (!cJSON_IsString(o) ||
				    !check_is_id(o->valuestring))
					check_fail(c, "bad-id",
						   "an option is an id such as "
						   "'medium'");
				for (const cJSON *p = options->child; p != o;
				     p = p->next)
					if (cJSON_IsString(o) &&
					    cJSON_IsString(p) &&
					    strcmp(p->valuestring,
						   o->valuestring) == 0)
						check_fail(c, "duplicate-option",
							   "option '%s' is "
							   "listed twice",
							   o->valuestring);
				check_back(c, m);
			}
			check_back(c, mark);
			if (c->diags->count == before &&
			    (cp->options = string_list(options,
						       &cp->option_count)) == NULL)
				c->oom = 1;
		}
	} else if (cJSON_HasObjectItem(j, "options")) {
		mark = check_key(c, "options");
		check_fail(c, "field-not-allowed",
			   "'options' belongs to choice checkpoints only");
		check_back(c, mark);
	}
}

static void parse_phase(checker *c, cw_workflow *wf, size_t index,
			const cJSON *j)
{
	static const char *const known[] = { "id", "title", "purpose", "tasks",
		"questions", "revisit", "checkpoints", "rubric", NULL };
	cw_phase *ph = &wf->phases[index];
	const cJSON *phases = cJSON_GetObjectItemCaseSensitive(wf->internal->root,
							       "phases");
	const cJSON *a, *item;
	size_t mark, i;

	if (!cJSON_IsObject(j)) {
		check_fail(c, "wrong-type", "a phase must be an object");
		return;
	}
	check_known_keys(c, j, known);
	ph->id = check_id(c, j, "id", 1);
	ph->title = check_string(c, j, "title", 1);
	ph->purpose = check_string(c, j, "purpose", 1);
	for (i = 0; ph->id != NULL && i < index; i++) {
		if (wf->phases[i].id && strcmp(wf->phases[i].id, ph->id) == 0) {
			mark = check_key(c, "id");
			check_fail(c, "duplicate-id",
				   "phase id '%s' is used twice", ph->id);
			check_back(c, mark);
		}
	}
	/* a list lost to a failed allocation would leave a phase without
	 * its tasks or revisits, silently: c->oom fails the whole parse */
	a = check_strings(c, j, "tasks", 1);
	if (a != NULL && (ph->tasks = string_list(a, &ph->task_count)) == NULL)
		c->oom = 1;
	a = check_strings(c, j, "questions", 1);
	if (a != NULL &&
	    (ph->questions = string_list(a, &ph->question_count)) == NULL)
		c->oom = 1;

	a = check_array(c, j, "revisit", 0);
	if (a != NULL) {
		ph->revisit = calloc((size_t)cJSON_GetArraySize(a) + 1,
				     sizeof(*ph->revisit));
		if (ph->revisit == NULL)
			c->oom = 1;
		mark = check_key(c, "revisit");
		i = 0;
		cJSON_ArrayForEach(item, a) {
			size_t m = check_index(c, i++);
			const cJSON *p;
			size_t k;
			int target = -1;

			if (!cJSON_IsString(item)) {
				check_fail(c, "wrong-type",
					   "expected a phase id");
				check_back(c, m);
				continue;
			}
			/* walk the array: indexing it anew for each phase
			 * would make a long workflow take cubic time */
			k = 0;
			cJSON_ArrayForEach(p, phases) {
				const cJSON *pid =
					cJSON_GetObjectItemCaseSensitive(p, "id");

				if (target < 0 && cJSON_IsString(pid) &&
				    strcmp(pid->valuestring,
					   item->valuestring) == 0)
					target = (int)k;
				k++;
			}
			if (target < 0)
				check_fail(c, "unknown-phase",
					   "revisit names unknown phase '%s'",
					   item->valuestring);
			else if ((size_t)target >= index)
				check_fail(c, "revisit-not-earlier",
					   "phase '%s' may only revisit an "
					   "earlier phase, and '%s' is not one",
					   ph->id ? ph->id : "?",
					   item->valuestring);
			else if (ph->revisit != NULL)
				ph->revisit[ph->revisit_count++] =
					(size_t)target;
			check_back(c, m);
		}
		check_back(c, mark);
	}

	workflow_parse_rubric(c, ph, check_array(c, j, "rubric", 0));
	a = check_array(c, j, "checkpoints", 1);
	if (a == NULL)
		return;
	ph->checkpoints = calloc((size_t)cJSON_GetArraySize(a) + 1,
				 sizeof(*ph->checkpoints));
	if (ph->checkpoints == NULL) {
		c->oom = 1;
		return;
	}
	mark = check_key(c, "checkpoints");
	i = 0;
	cJSON_ArrayForEach(item, a) {
		size_t m = check_index(c, i);
		cw_checkpoint *cp = &ph->checkpoints[i];

		workflow_parse_checkpoint(c, item, cp);
		/* checkpoint ids are unique in the whole workflow, since
		 * `casework check ID` names one without its phase */
		for (size_t p = 0; cp->id != NULL && p <= index; p++) {
			size_t upto = p == index ? i : wf->phases[p].checkpoint_count;

			for (size_t k = 0; k < upto; k++) {
				const char *other = wf->phases[p].checkpoints[k].id;

				if (other != NULL && strcmp(other, cp->id) == 0) {
					size_t m2 = check_key(c, "id");

					check_fail(c, "duplicate-id",
						   "checkpoint id '%s' is used "
						   "twice",
						   cp->id);
					check_back(c, m2);
				}
			}
		}
		ph->checkpoint_count = ++i;
		check_back(c, m);
	}
	check_back(c, mark);
}

int cw_workflow_parse(cw_workflow **out, cw_diags *diags, const char *text,
		      size_t len)
{
	static const char *const known[] = { "id", "version", "title",
		"description", "tags", "phases", NULL };
	cw_workflow *wf = NULL;
	checker c;
	size_t before = diags->count;
	const cJSON *phases, *item;
	long version = 0;
	size_t i = 0;
	int error = CW_ESCHEMA;

	*out = NULL;
	check_init(&c, diags);
	wf = calloc(1, sizeof(*wf));
	if (wf == NULL || (wf->internal = calloc(1, sizeof(*wf->internal))) == NULL) {
		free(wf);
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	wf->internal->root = check_parse(&c, text, len);
	if (wf->internal->root == NULL)
		goto cleanup;
	if (!cJSON_IsObject(wf->internal->root)) {
		check_fail(&c, "wrong-type",
			   "a workflow must be a JSON object");
		goto cleanup;
	}
	check_known_keys(&c, wf->internal->root, known);
	wf->id = check_id(&c, wf->internal->root, "id", 1);
	if (check_int(&c, wf->internal->root, "version", 1, 1, 1000000,
		      &version))
		wf->version = (int)version;
	wf->title = check_string(&c, wf->internal->root, "title", 1);
	wf->description = check_string(&c, wf->internal->root, "description", 0);
	workflow_parse_tags(&c, wf, wf->internal->root);
	phases = check_array(&c, wf->internal->root, "phases", 1);
	if (phases == NULL)
		goto cleanup;
	if (cJSON_GetArraySize(phases) == 0) {
		size_t mark = check_key(&c, "phases");

		check_fail(&c, "empty", "a workflow needs at least one phase");
		check_back(&c, mark);
		goto cleanup;
	}
	wf->phase_count = (size_t)cJSON_GetArraySize(phases);
	wf->phases = calloc(wf->phase_count, sizeof(*wf->phases));
	if (wf->phases == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	{
		size_t mark = check_key(&c, "phases");

		cJSON_ArrayForEach(item, phases) {
			size_t m = check_index(&c, i);

			parse_phase(&c, wf, i++, item);
			check_back(&c, m);
		}
		check_back(&c, mark);
	}
	workflow_check_tag_use(&c, wf);
	if (c.oom) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	if (diags->count == before) {
		*out = wf;
		return 0;
	}

cleanup:
	cw_workflow_free(wf);
	if (error == CW_ESCHEMA)
		cw_error_set(CW_ESCHEMA, "%s: %s",
			     diags->count > before ? diags->items[before].path : "$",
			     diags->count > before ? diags->items[before].message
						   : "invalid workflow");
	return error;
}

void cw_workflow_free(cw_workflow *wf)
{
	if (wf == NULL)
		return;
	/* read from an image: everything it points to is in its block */
	if (wf->internal != NULL && wf->internal->one_block) {
		free(wf);
		return;
	}
	for (size_t i = 0; wf->phases != NULL && i < wf->phase_count; i++) {
		cw_phase *ph = &wf->phases[i];

		free(ph->tasks);
		free(ph->questions);
		free(ph->revisit);
		for (size_t k = 0; k < ph->checkpoint_count; k++)
		{
			free(ph->checkpoints[k].options);
			free(ph->checkpoints[k].stages);
			free(ph->checkpoints[k].stage_help);
		}
		free(ph->checkpoints);
		free(ph->rubric);
	}
	free(wf->phases);
	free(wf->tags);
	if (wf->internal != NULL)
		cJSON_Delete(wf->internal->root);
	free(wf->internal);
	free(wf);
}

int cw_workflow_phase_index(const cw_workflow *wf, const char *id)
{
	for (size_t i = 0; i < wf->phase_count; i++)
		if (strcmp(wf->phases[i].id, id) == 0)
			return (int)i;
	return -1;
}

const cw_checkpoint *cw_workflow_checkpoint(const cw_workflow *wf,
					    const char *id, size_t *phase_out)
{
	for (size_t i = 0; i < wf->phase_count; i++) {
		for (size_t k = 0; k < wf->phases[i].checkpoint_count; k++) {
			if (strcmp(wf->phases[i].checkpoints[k].id, id) == 0) {
				if (phase_out != NULL)
					*phase_out = i;
				return &wf->phases[i].checkpoints[k];
			}
		}
	}
	return NULL;
}

/* The bytes of examples/workflows/standard.json and child-protection.json,
 * linked in by embed.S. */
extern const char cw_standard_workflow_start[];
extern const char cw_standard_workflow_end[];
extern const char cw_child_protection_workflow_start[];
extern const char cw_child_protection_workflow_end[];

const char *cw_workflow_builtin_text(size_t index, size_t *len)
{
	switch (index) {
	case 0:
		return cw_workflow_standard_text(len);
	case 1:
		*len = (size_t)(cw_child_protection_workflow_end -
				cw_child_protection_workflow_start);
		return cw_child_protection_workflow_start;
	default:
		*len = 0;
		return NULL;
	}
}

const char *cw_workflow_standard_text(size_t *len)
{
	*len = (size_t)(cw_standard_workflow_end - cw_standard_workflow_start);
	return cw_standard_workflow_start;
}
