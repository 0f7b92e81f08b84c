/*
 * test_json.c - a list written one item at a time is, byte for byte, what
 * cJSON_Print gives for the whole document: nested objects and arrays,
 * strings holding newlines and tabs, an empty list, members after it.
 */
#include "helpers.h"

#include "casework/json.h"

/* What the writer puts in a file, as a string (the caller frees it). */
static char *written(cJSON *items, const cJSON *rest)
{
	char path[] = "/tmp/cw-json-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w+");
	cw_json_list list = CW_JSON_LIST_INIT;
	const cJSON *item;
	size_t len = 0;
	char *text;

	assert_non_null(f);
	assert_int_equal(cw_json_list_begin(&list, f, "sessions"), 0);
	cJSON_ArrayForEach(item, items)
	    assert_int_equal(cw_json_list_item(&list, item), 0);
	assert_int_equal(cw_json_list_end(&list, rest), 0);
	fclose(f);
	text = read_all(path, &len);
	unlink(path);
	return text;
}

/* puts(cJSON_Print(doc)), as the program prints a document. */
static char *printed(const cJSON *doc)
{
	char *text = cJSON_Print(doc), *line = malloc(strlen(text) + 2);

	sprintf(line, "%s\n", text);
	free(text);
	return line;
}

static void check_same(const char *items_json, const char *rest_json)
{
	cJSON *items = cJSON_Parse(items_json);
	cJSON *rest = rest_json ? cJSON_Parse(rest_json) : NULL;
	cJSON *doc = cJSON_CreateObject(), *m;
	char *a, *b;

	assert_non_null(items);
	b = written(items, rest);
	cJSON_AddItemToObject(doc, "sessions", items);
	while (rest != NULL && (m = rest->child) != NULL)
		cJSON_AddItemToObject(doc, m->string,
				      cJSON_DetachItemViaPointer(rest, m));
	a = printed(doc);
	assert_string_equal(a, b);
	free(a);
	free(b);
	cJSON_Delete(doc);
	cJSON_Delete(rest);
}

static void test_objects_with_nested_parts(void **state)
{
	(void)state;
	check_same("[{\"session\":\"a\",\"seconds\":{\"intake\":1.5,"
		   "\"goal\":{}},\"goal_list\":[{\"id\":\"G1\",\"x\":[1,2]}],"
		   "\"text\":\"two\\nlines\\tand a tab\"},"
		   "{\"session\":\"b\",\"empty\":[],\"n\":null}]",
		   "{\"phases\":[\"intake\"],\"summary\":{\"sessions\":2},"
		   "\"schema_version\":1}");
}

static void test_an_empty_list(void **state)
{
	(void)state;
	check_same("[]", "{\"schema_version\":1}");
	check_same("[]", NULL);
	check_same("[]", "{}");
}

static void test_strings_and_numbers_as_items(void **state)
{
	(void)state;
	check_same("[\"a\",\"b\\\"c\",3,4.25,true]", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_objects_with_nested_parts),
	    cmocka_unit_test(test_an_empty_list),
	    cmocka_unit_test(test_strings_and_numbers_as_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
