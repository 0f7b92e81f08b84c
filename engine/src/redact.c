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
	    "records",	  NULL};

	for (const char *const *k = keys; key != NULL && *k != NULL; k++)
		if (strcmp(key, *k) == 0)
			return 1;
	return 0;
}

/* Whether byte `c` is part of a word: a letter or digit, or any byte of
 * a character beyond ASCII (so that "Zoë" is one word). */
static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

static int same_letters(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

/* Where `name` next stands in `text` from `p` on as a whole word (or
 * words), whatever its case, or NULL. */
static const char *find_word(const char *text, const char *p,
			     const char *name, size_t len)
{
	for (; *p != '\0'; p++) {
		if (!same_letters(p, name, len) || strnlen(p, len) < len)
			continue;
		if (p > text && word_byte((unsigned char)p[-1]) &&
		    word_byte((unsigned char)name[0]))
			continue;
		if (word_byte((unsigned char)p[len]) &&
		    word_byte((unsigned char)name[len - 1]))
			continue;
		return p;
	}
	return NULL;
}

/* `text` with every whole-word `name` replaced by REDACTED, or NULL when
 * it has none (or memory ran out).  The caller frees the result. */
static char *replace_name(const char *text, const char *name)
{
	size_t len = strlen(name), rlen = strlen(REDACTED), n = 0;
	const char *p, *hit;
	char *result, *w;

	if (len == 0)
		return NULL;
	for (p = text; (hit = find_word(text, p, name, len)) != NULL;
	     p = hit + len)
		n++;
	if (n == 0)
		return NULL;
	result = malloc(strlen(text) + n * rlen + 1);
	if (result == NULL)
		return NULL;
	w = result;
	for (p = text; (hit = find_word(text, p, name, len)) != NULL;
	     p = hit + len) {
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
		while (*p != '\0' && !word_byte((unsigned char)*p))
			p++;
		word = p;
		while (word_byte((unsigned char)*p))
			p++;
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
	cJSON *client, *alias, *identifiers;
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
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "redacted",
					       cJSON_CreateTrue());
}
