/*
 * casework/json.h - JSON written as it is made: a document whose first
 * member is a list of one item per session, written one item at a time,
 * byte for byte as cJSON_Print would write the whole document.
 *
 * cJSON_Print indents with one tab per level and never writes a newline
 * inside a string (it escapes it), so an item printed alone and indented
 * after each newline is the item as it stands in the whole document.
 */
#ifndef CASEWORK_JSON_H
#define CASEWORK_JSON_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "casework/common.h"
#include "casework/error.h"

/* A list being written: initialise with CW_JSON_LIST_INIT. */
typedef struct cw_json_list {
	FILE *out;
	long count; /* the items written so far */
} cw_json_list;

#define CW_JSON_LIST_INIT                                                      \
	{                                                                      \
		NULL, 0                                                        \
	}

/*
 * Begin the document `{"key": [` on `out`.  Returns 0, or CW_ERROR when
 * writing fails.
 */
CW_EXTERN int cw_json_list_begin(cw_json_list *list, FILE *out,
				 const char *key);

/*
 * Write one item of the list (borrowed; the caller still owns it).
 * Returns 0, or CW_ERROR when out of memory or writing fails.
 */
CW_EXTERN int cw_json_list_item(cw_json_list *list, const cJSON *item);

/*
 * End the list and the document: the members of object `rest` (borrowed;
 * NULL or empty: none) follow the list, then "}" and a newline, as
 * puts(cJSON_Print(document)) ends.  Returns 0, or CW_ERROR.
 */
CW_EXTERN int cw_json_list_end(cw_json_list *list, const cJSON *rest);

#endif
