/*
 * redact.c - redaction of an export document: the client's alias, age and
 * household out of the case, and the alias out of every free text, before
 * any renderer sees the document.
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

/* `text` with every `alias` replaced by REDACTED, or NULL when it has
 * none (or memory ran out).  The caller frees the result. */
static char *replace_alias(const char *text, const char *alias)
{
	size_t alen = strlen(alias), rlen = strlen(REDACTED), n = 0;
	const char *p, *hit;
	char *result, *w;

	for (p = text; (hit = strstr(p, alias)) != NULL; p = hit + alen)
		n++;
	if (n == 0)
		return NULL;
	result = malloc(strlen(text) + n * (rlen + 1) + 1);
	if (result == NULL)
		return NULL;
	w = result;
	for (p = text; (hit = strstr(p, alias)) != NULL; p = hit + alen) {
		memcpy(w, p, (size_t)(hit - p));
		w += hit - p;
		memcpy(w, REDACTED, rlen);
		w += rlen;
	}
	strcpy(w, p);
	return result;
}

static void redact_node(cJSON *node, const char *key, const char *alias)
{
	cJSON *child;

	if (cJSON_IsString(node) && !is_identifier_key(key)) {
		char *text = replace_alias(node->valuestring, alias);

		if (text != NULL)
			cJSON_SetValuestring(node, text);
		free(text);
		return;
	}
	cJSON_ArrayForEach(child, node)
	{
		redact_node(child, cJSON_IsObject(node) ? child->string : key,
			    alias);
	}
}

void cw_export_redact(cJSON *doc)
{
	cJSON *client, *alias;

	if (doc == NULL)
		return;
	client = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "case"), "client");
	alias = cJSON_DetachItemFromObjectCaseSensitive(client, "alias");
	cJSON_DeleteItemFromObjectCaseSensitive(client, "age");
	cJSON_DeleteItemFromObjectCaseSensitive(client, "household");
	if (cJSON_IsString(alias) && alias->valuestring[0] != '\0')
		redact_node(doc, NULL, alias->valuestring);
	cJSON_Delete(alias);
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "redacted",
					       cJSON_CreateTrue());
}
