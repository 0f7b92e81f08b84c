/*
 * workflow_tags.c - the note tags a workflow knows: the `tags` it lists,
 * or, when it lists none, the tags its checkpoints name; and the nearest
 * known tag, phase or checkpoint to a mistyped one.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "workflow_tags.h"

void workflow_parse_tags(checker *c, cw_workflow *wf, const cJSON *root)
{
	static const char *const known[] = { "id", "label", NULL };
	const cJSON *a = check_array(c, root, "tags", 0), *item;
	size_t mark, i = 0;

	if (a == NULL)
		return;
	mark = check_key(c, "tags");
	wf->tags = calloc((size_t)cJSON_GetArraySize(a) + 1,
			  sizeof(*wf->tags));
	if (wf->tags == NULL)
		c->oom = 1;
	cJSON_ArrayForEach(item, a) {
		size_t m = check_index(c, i);
		cw_tag *t = wf->tags ? &wf->tags[i] : NULL;

		i++;
		if (!cJSON_IsObject(item) || t == NULL) {
			check_fail(c, "wrong-type", "a tag must be an object");
			check_back(c, m);
			continue;
		}
		check_known_keys(c, item, known);
		t->id = check_id(c, item, "id", 1);
		t->label = check_string(c, item, "label", 1);
		for (size_t k = 0; t->id != NULL && k + 1 < i; k++) {
			if (wf->tags[k].id != NULL &&
			    strcmp(wf->tags[k].id, t->id) == 0) {
				size_t m2 = check_key(c, "id");

				check_fail(c, "duplicate-id",
					   "tag '%s' is listed twice", t->id);
				check_back(c, m2);
			}
		}
		wf->tag_count = i;
		check_back(c, m);
	}
	check_back(c, mark);
}

static int listed(const cw_workflow *wf, const char *tag)
{
	for (size_t i = 0; i < wf->tag_count; i++)
		if (wf->tags[i].id != NULL && strcmp(wf->tags[i].id, tag) == 0)
			return 1;
	return 0;
}

void workflow_check_tag_use(checker *c, const cw_workflow *wf)
{
	if (wf->tag_count == 0)
		return;
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];

		for (size_t k = 0; k < ph->checkpoint_count; k++) {
			const char *tag = ph->checkpoints[k].tag;
			size_t mark;

			if (tag == NULL || listed(wf, tag))
				continue;
			mark = check_key(c, "phases");
			check_index(c, i);
			check_key(c, "checkpoints");
			check_index(c, k);
			check_key(c, "tag");
			check_fail(c, "unknown-tag",
				   "tag '%s' is not in the workflow's tags",
				   tag);
			check_back(c, mark);
		}
	}
}

/* Call `fn` on each tag the workflow knows until it returns non-zero. */
static int each_known(const cw_workflow *wf,
		      int (*fn)(const char *tag, void *payload), void *payload)
{
	int r = 0;

	for (size_t i = 0; i < wf->tag_count && r == 0; i++)
		r = fn(wf->tags[i].id, payload);
	for (size_t i = 0; wf->tag_count == 0 && i < wf->phase_count && r == 0;
	     i++)
		for (size_t k = 0; k < wf->phases[i].checkpoint_count && r == 0;
		     k++)
			if (wf->phases[i].checkpoints[k].tag != NULL)
				r = fn(wf->phases[i].checkpoints[k].tag,
				       payload);
	return r;
}

static int same(const char *tag, void *payload)
{
	return strcmp(tag, (const char *)payload) == 0;
}

int cw_workflow_knows_tag(const cw_workflow *wf, const char *tag)
{
	return wf != NULL && tag != NULL && each_known(wf, same, (void *)tag);
}

struct text {
	char *out;
	size_t size, len;
};

static int append(const char *tag, void *payload)
{
	struct text *t = payload;

	size_t n = strlen(tag);

	/* a tag two checkpoints name is listed once */
	for (const char *p = t->out; (p = strstr(p, tag)) != NULL; p++)
		if ((p == t->out || p[-1] == ' ') &&
		    (p[n] == ',' || p[n] == '\0'))
			return 0;
	if (t->len < t->size)
		t->len += (size_t)snprintf(t->out + t->len, t->size - t->len,
					   "%s%s", t->len ? ", " : "", tag);
	return 0;
}

void cw_workflow_tags_text(char *out, size_t size, const cw_workflow *wf)
{
	struct text t = { out, size, 0 };

	if (size == 0)
		return;
	*out = '\0';
	if (wf != NULL)
		each_known(wf, append, &t);
}

static int closer(const char *tag, void *payload)
{
	text_near_consider(payload, tag);
	return 0;
}

const char *cw_workflow_nearest_tag(const cw_workflow *wf, const char *tag)
{
	text_near n = { tag, NULL, 99 };

	if (wf == NULL || tag == NULL)
		return NULL;
	each_known(wf, closer, &n);
	return text_near_result(&n);
}

/* `id` as an id would be written: lower case, blanks and underscores as
 * hyphens ("Goal setting" -> "goal-setting"); cut to fit `out`. */
static void as_id(char *out, size_t size, const char *id)
{
	size_t i = 0;

	for (; id[i] != '\0' && i + 1 < size; i++)
		out[i] = id[i] == ' ' || id[i] == '_'
			     ? '-'
			     : (char)tolower((unsigned char)id[i]);
	out[i] = '\0';
}

/* "; did you mean 'x'?" when `best` is set, then " (its LIST: ...)". */
static void hint_text(char *out, size_t size, const char *best,
		      const char *what, const char *list)
{
	snprintf(out, size, "%s%s%s (%s: %s)", best ? "; did you mean '" : "",
		 best ? best : "", best ? "'?" : "", what, list);
}

void workflow_phase_hint(char *out, size_t size, const cw_workflow *wf,
			 const char *id)
{
	char word[40], list[400] = "";
	text_near n = { word, NULL, 99 };
	size_t len = 0;

	as_id(word, sizeof(word), id ? id : "");
	for (size_t i = 0; i < wf->phase_count; i++) {
		text_near_consider(&n, wf->phases[i].id);
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i ? ", " : "", wf->phases[i].id);
		if (len >= sizeof(list))
			len = sizeof(list) - 1;
	}
	hint_text(out, size, text_near_result(&n), "its phases", list);
}

void workflow_checkpoint_hint(char *out, size_t size, const cw_workflow *wf,
			      const char *id, size_t phase)
{
	char word[40], list[400] = "";
	text_near n = { word, NULL, 99 };
	const cw_phase *ph = &wf->phases[phase];
	size_t len = 0;

	as_id(word, sizeof(word), id ? id : "");
	for (size_t i = 0; i < wf->phase_count; i++)
		for (size_t k = 0; k < wf->phases[i].checkpoint_count; k++)
			text_near_consider(&n, wf->phases[i].checkpoints[k].id);
	for (size_t k = 0; k < ph->checkpoint_count; k++) {
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					k ? ", " : "", ph->checkpoints[k].id);
		if (len >= sizeof(list))
			len = sizeof(list) - 1;
	}
	hint_text(out, size, text_near_result(&n),
		  "the checkpoints of this phase", list);
}

int workflow_no_phase(const cw_workflow *wf, const char *id)
{
	char hint[500];

	workflow_phase_hint(hint, sizeof(hint), wf, id);
	return cw_error_set(CW_ENOTFOUND, "no phase '%s' in workflow '%s'%s",
			    id, wf->id, hint);
}

int workflow_no_tag(const cw_workflow *wf, const char *tag)
{
	const char *near = cw_workflow_nearest_tag(wf, tag);
	char known[300];

	cw_workflow_tags_text(known, sizeof(known), wf);
	return cw_error_set(CW_ENOTFOUND,
			    "workflow '%s' knows no tag '%s'%s%s%s (its tags: "
			    "%s)",
			    wf->id, tag, near ? "; did you mean '" : "",
			    near ? near : "", near ? "'?" : "",
			    *known ? known : "none");
}
