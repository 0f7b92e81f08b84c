/*
 * json.c - JSON written one list item at a time, as cJSON_Print writes the
 * whole document (see casework/json.h).
 */
#include <stdlib.h>
#include <string.h>

#include "casework/json.h"

static int written(FILE *out)
{
	return ferror(out) ? cw_error_set(CW_ERROR, "cannot write the JSON")
			   : 0;
}

/* `text` as it stands `depth` levels deep: each newline gains `depth`
 * tabs. */
static void put_indented(FILE *out, const char *text, int depth)
{
	for (const char *p = text; *p != '\0'; p++) {
		fputc(*p, out);
		if (*p == '\n')
			for (int i = 0; i < depth; i++)
				fputc('\t', out);
	}
}

int cw_json_list_begin(cw_json_list *list, FILE *out, const char *key)
{
	char *name;
	cJSON *k = cJSON_CreateString(key);

	list->out = out;
	list->count = 0;
	/* the key as cJSON escapes it */
	name = k ? cJSON_PrintUnformatted(k) : NULL;
	cJSON_Delete(k);
	if (name == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	fprintf(out, "{\n\t%s:\t[", name);
	free(name);
	return written(out);
}

int cw_json_list_item(cw_json_list *list, const cJSON *item)
{
	char *text = cJSON_Print(item);

	if (text == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (list->count++ > 0)
		fputs(", ", list->out);
	/* the list is a member of the top object and cJSON counts a level
	 * for each: its items stand two levels deep */
	put_indented(list->out, text, 2);
	free(text);
	return written(list->out);
}

int cw_json_list_end(cw_json_list *list, const cJSON *rest)
{
	char *text = NULL;

	fputc(']', list->out);
	if (rest != NULL && rest->child != NULL) {
		/* rest's members at the same depth as the list: its text
		 * without the opening "{\n" */
		if ((text = cJSON_Print(rest)) == NULL)
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		fprintf(list->out, ",\n%s\n", text + 2);
		free(text);
	} else {
		fputs("\n}\n", list->out);
	}
	return written(list->out);
}
