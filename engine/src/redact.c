/*
 * redact.c - redaction of an export document: the client's alias, age,
 * household and identifiers out of the case, and the alias, each word of
 * it and each identifier out of every free text (whole words, whatever
 * their case), before any renderer sees the document.
 */
#include <stdlib.h>
#include <string.h>

#include "casework/export.h"
#include "render_doc.h"
#include "text.h"

/* Members whose strings are identifiers, names of things, times or
 * hashes, never free text: redaction leaves them as they are. */
static int is_identifier_key(const char *key)
{
	static const char *const keys[] = {
	    "session",	  "student",	"actor",       "status", "phase",
	    "created_at", "updated_at", "closed_at",   "at",	 "start",
	    "end",	  "id",		"case_sha256", "head",	 "hash",
	    "kind",	  "record",	"tag",	       "term",	 "type",
	    "outcome",	  "value",	"from",	       "to",	 "criterion",
	    "entered_by", "setting",	"urgency",     "goal",	 "options",
	    "records",	  "tags",	"stage",       NULL};

	for (const char *const *k = keys; key != NULL && *k != NULL; k++)
		if (strcmp(key, *k) == 0)
			return 1;
	return 0;
}

/* Where `name` next stands in `text` from `p` on as a whole word (or
 * words), whatever its case, or NULL; the bytes it takes to `*taken`
 * (folded, "MAYA" may differ in length from "Maya"). */
static const char *find_word(const char *text, const char *end,
			     const char *p, const char *name, size_t len,
			     size_t *taken)
{
	unsigned char first = (unsigned char)name[0];
	size_t n;

	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c & 0xc0) == 0x80)
			continue; /* inside a character */
		/* the quick answer for two ASCII letters that differ */
		if (c < 0x80 && first < 0x80 &&
		    (c | 0x20) != (first | 0x20))
			continue;
		*taken = text_starts_with(p, (size_t)(end - p), name, len);
		if (*taken == 0)
			continue;
		if (text_word_char(name, &n) && text_word_before(text, p))
			continue;
		if (text_word_before(name, name + len) &&
		    text_word_char(p + *taken, &n))
			continue;
		return p;
	}
	return NULL;
}

/* `text` with every whole-word `name` replaced by REDACTED, or NULL when
 * it has none (or memory ran out).  The caller frees the result. */
static char *replace_name(const char *text, const char *name)
{
	size_t len = strlen(name), rlen = strlen(REDACTED), n = 0, taken;
	const char *end = text + strlen(text), *p, *hit;
	char *result, *w;

	if (len == 0)
		return NULL;
	for (p = text; (hit = find_word(text, end, p, name, len, &taken)) !=
		       NULL;
	     p = hit + taken)
		n++;
	if (n == 0)
		return NULL;
	/* each hit gives at least one byte for the mark */
	result = malloc(strlen(text) + n * rlen + 1);
	if (result == NULL)
		return NULL;
	w = result;
	for (p = text; (hit = find_word(text, end, p, name, len, &taken)) !=
		       NULL;
	     p = hit + taken) {
		memcpy(w, p, (size_t)(hit - p));
		w += hit - p;
		memcpy(w, REDACTED, rlen);
		w += rlen;
	}
	strcpy(w, p);
	return result;
}

/* The names to take out, longest first, so that "Walter Ames" goes whole
 * before "Walter" and "Ames" do. */
typedef struct names {
	char **items;
	size_t count;
} names;

static void names_add(names *n, const char *text, size_t len)
{
	char **grown, *copy;

	if (len == 0 || (copy = strndup(text, len)) == NULL)
		return;
	grown = realloc(n->items, (n->count + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(copy);
		return;
	}
	n->items = grown;
	n->items[n->count++] = copy;
}

static int longer_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* The alias, each word of it, and each identifier. */
static void collect_names(names *n, const char *alias,
			  const cJSON *identifiers)
{
	const cJSON *item;
	const char *p = alias, *word;

	names_add(n, alias, strlen(alias));
	while (*p != '\0') {
		size_t len;

		while (*p != '\0' && !text_word_char(p, &len))
			p += len;
		word = p;
		while (*p != '\0' && text_word_char(p, &len))
			p += len;
		if (p > word && (size_t)(p - word) < strlen(alias))
			names_add(n, word, (size_t)(p - word));
	}
	cJSON_ArrayForEach(item, identifiers)
	{
		if (cJSON_IsString(item))
			names_add(n, item->valuestring,
				  strlen(item->valuestring));
	}
	if (n->count > 1)
		qsort(n->items, n->count, sizeof(*n->items), longer_first);
}

static void redact_node(cJSON *node, const char *key, const names *n)
{
	cJSON *child;

	if (cJSON_IsString(node) && !is_identifier_key(key)) {
		for (size_t i = 0; i < n->count; i++) {
			char *text = replace_name(node->valuestring,
						  n->items[i]);

			if (text != NULL)
				cJSON_SetValuestring(node, text);
			free(text);
		}
		return;
	}
	cJSON_ArrayForEach(child, node)
	{
		redact_node(child, cJSON_IsObject(node) ? child->string : key,
			    n);
	}
}

void cw_export_redact(cJSON *doc)
{
	cJSON *client, *alias, *identifiers, *yes;
	names n = {NULL, 0};

	if (doc == NULL)
		return;
	client = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "case"), "client");
	alias = cJSON_DetachItemFromObjectCaseSensitive(client, "alias");
	identifiers =
	    cJSON_DetachItemFromObjectCaseSensitive(client, "identifiers");
	cJSON_DeleteItemFromObjectCaseSensitive(client, "age");
	cJSON_DeleteItemFromObjectCaseSensitive(client, "household");
	collect_names(&n, cJSON_IsString(alias) ? alias->valuestring : "",
		      identifiers);
	if (n.count > 0)
		redact_node(doc, NULL, &n);
	for (size_t i = 0; i < n.count; i++)
		free(n.items[i]);
	free(n.items);
	cJSON_Delete(alias);
	cJSON_Delete(identifiers);
	/* in its place when the document has the member, else added */
	yes = cJSON_CreateTrue();
	if (!cJSON_ReplaceItemInObjectCaseSensitive(doc, "redacted", yes) &&
	    !cJSON_AddItemToObject(doc, "redacted", yes))
		cJSON_Delete(yes);
}
