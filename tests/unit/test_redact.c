/*
 * test_redact.c - redaction of an export document (redact.c) on a small
 * document written by hand: what goes from the client, where the alias is
 * replaced and which members are never touched.
 */
#include "casework/export.h"
#include "helpers.h"

static const char doc_text[] =
    "{\"session\": \"Maya\", \"student\": \"Maya\", \"redacted\": false,"
    " \"case\": {\"id\": \"Maya\", \"title\": \"Maya at school\","
    "  \"risk_flags\": [\"Maya is a young carer\"],"
    "  \"client\": {\"alias\": \"Maya\", \"age\": 12, \"pronouns\": "
    "\"she/her\", \"household\": \"Maya, mum and brother\"}},"
    " \"phases\": [{\"id\": \"p\", \"title\": \"Preparation\","
    "  \"checkpoints\": [{\"id\": \"c\", \"options\": [\"Maya\"],"
    "   \"statements\": [{\"at\": \"t\", \"value\": \"Maya\","
    "    \"text\": \"Asked Maya; Maya's answer.\"}]}]}],"
    " \"notes\": [{\"id\": \"N1\", \"tag\": \"Maya\","
    "  \"text\": \"Maya said so\"}]}";

/* The text at the end of `path` in `doc`: object keys, or array indexes
 * written as "#0".  Borrowed from `doc`. */
static const char *at(const cJSON *doc, const char *const *path)
{
	const cJSON *item = doc;

	for (; *path != NULL; path++)
		item = (*path)[0] == '#'
			   ? cJSON_GetArrayItem(item, atoi(*path + 1))
			   : cJSON_GetObjectItemCaseSensitive(item, *path);
	assert_true(cJSON_IsString(item));
	return item->valuestring;
}

#define AT(doc, ...) at(doc, (const char *const[]){__VA_ARGS__, NULL})

static void test_client_goes(void **state)
{
	cJSON *doc = cJSON_Parse(doc_text);
	const cJSON *client;

	(void)state;
	assert_non_null(doc);
	cw_export_redact(doc);
	client =
	    cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "case"), "client");
	assert_null(cJSON_GetObjectItem(client, "alias"));
	assert_null(cJSON_GetObjectItem(client, "age"));
	assert_null(cJSON_GetObjectItem(client, "household"));
	assert_string_equal(AT(client, "pronouns"), "she/her");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "redacted")));
	cJSON_Delete(doc);
}

static void test_alias_replaced_in_free_text(void **state)
{
	cJSON *doc = cJSON_Parse(doc_text);

	(void)state;
	assert_non_null(doc);
	cw_export_redact(doc);
	assert_string_equal(AT(doc, "case", "title"), "[client] at school");
	/* strings in an array take the member name of the array */
	assert_string_equal(AT(doc, "case", "risk_flags", "#0"),
			    "[client] is a young carer");
	assert_string_equal(AT(doc, "notes", "#0", "text"), "[client] said so");
	/* every occurrence, and before a possessive */
	assert_string_equal(AT(doc, "phases", "#0", "checkpoints", "#0",
			       "statements", "#0", "text"),
			    "Asked [client]; [client]'s answer.");
	cJSON_Delete(doc);
}

static void test_identifiers_kept(void **state)
{
	cJSON *doc = cJSON_Parse(doc_text);

	(void)state;
	assert_non_null(doc);
	cw_export_redact(doc);
	/* ids, names of things and chosen values are not free text: a
	 * student or a tag that happens to match the alias stays */
	assert_string_equal(AT(doc, "session"), "Maya");
	assert_string_equal(AT(doc, "student"), "Maya");
	assert_string_equal(AT(doc, "case", "id"), "Maya");
	assert_string_equal(AT(doc, "notes", "#0", "tag"), "Maya");
	assert_string_equal(
	    AT(doc, "phases", "#0", "checkpoints", "#0", "options", "#0"),
	    "Maya");
	assert_string_equal(AT(doc, "phases", "#0", "checkpoints", "#0",
			       "statements", "#0", "value"),
			    "Maya");
	cJSON_Delete(doc);
}

/* The alias whatever its case, in any script, before a dash or a
 * quotation mark; only whole words. */
static void test_alias_in_any_case(void **state)
{
	cJSON *doc = cJSON_Parse(
	    "{\"case\": {\"client\": {\"alias\": \"Zoë\"}},"
	    " \"notes\": [{\"text\": \"ZOË—and zoe\\u0308 «Zoë»; "
	    "Zoëy, Zo, ÉZOË, Ｚｏë\"}]}");

	(void)state;
	assert_non_null(doc);
	cw_export_redact(doc);
	assert_string_equal(AT(doc, "notes", "#0", "text"),
			    "[client]—and [client] «[client]»; Zoëy, Zo, "
			    "ÉZOË, [client]");
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_client_goes),
	    cmocka_unit_test(test_alias_replaced_in_free_text),
	    cmocka_unit_test(test_identifiers_kept),
	    cmocka_unit_test(test_alias_in_any_case),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
