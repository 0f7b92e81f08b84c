/*
 * test_check.c - the pieces input-file validators are built from: JSON
 * paths of problems, typed members, UTF-8 and id rules, parsing.
 */
#include "helpers.h"

#include "check.h"

/* The diagnostic `i` of `d`: its path and code. */
static void assert_diag(const cw_diags *d, size_t i, const char *path,
			const char *code)
{
	assert_true(i < d->count);
	assert_string_equal(d->items[i].path, path);
	assert_string_equal(d->items[i].code, code);
	assert_non_null(d->items[i].message);
}

static void path_of_a_key_and_an_index(void **state)
{
	cw_diags d = CW_DIAGS_INIT;
	checker c;
	size_t m1, m2, m3;

	(void)state;
	check_init(&c, &d);
	assert_string_equal(c.path, "$");
	m1 = check_key(&c, "phases");
	assert_int_equal(m1, 1);
	assert_string_equal(c.path, "$.phases");
	m2 = check_index(&c, 2);
	assert_string_equal(c.path, "$.phases[2]");
	m3 = check_key(&c, "checkpoints");
	check_index(&c, 10);
	assert_string_equal(c.path, "$.phases[2].checkpoints[10]");
	check_fail(&c, "unknown-kind", "unknown kind '%s'", "vibe");
	assert_int_equal(d.count, 1);
	assert_diag(&d, 0, "$.phases[2].checkpoints[10]", "unknown-kind");
	assert_string_equal(d.items[0].message, "unknown kind 'vibe'");
	/* stepping back restores each level */
	check_back(&c, m3);
	assert_string_equal(c.path, "$.phases[2]");
	check_back(&c, m2);
	assert_string_equal(c.path, "$.phases");
	check_back(&c, m1);
	assert_string_equal(c.path, "$");
	assert_int_equal(c.len, 1);
	cw_diags_free(&d);
}

/* A key that cannot follow a dot is quoted in brackets. */
static void unusual_keys_are_bracketed(void **state)
{
	cw_diags d = CW_DIAGS_INIT;
	checker c;
	size_t m;

	(void)state;
	check_init(&c, &d);
	m = check_key(&c, "two words");
	assert_string_equal(c.path, "$[\"two words\"]");
	check_back(&c, m);
	m = check_key(&c, "9lives");
	assert_string_equal(c.path, "$[\"9lives\"]");
	check_back(&c, m);
	m = check_key(&c, "min-chars");
	assert_string_equal(c.path, "$[\"min-chars\"]");
	check_back(&c, m);
	m = check_key(&c, "_min_chars2");
	assert_string_equal(c.path, "$._min_chars2");
	check_back(&c, m);
	cw_diags_free(&d);
}

/* A path longer than the buffer is cut, never overrun. */
static void very_deep_path_stays_in_bounds(void **state)
{
	cw_diags d = CW_DIAGS_INIT;
	checker c;

	(void)state;
	check_init(&c, &d);
	for (size_t i = 0; i < 200; i++)
		check_key(&c, "a_long_member_name");
	assert_true(c.len < sizeof(c.path));
	assert_int_equal(strlen(c.path), c.len);
	check_fail(&c, "deep", "deep");
	assert_int_equal(d.count, 1);
	assert_true(strlen(d.items[0].path) < sizeof(c.path));
	check_back(&c, 1);
	assert_string_equal(c.path, "$");
	cw_diags_free(&d);
}

static void utf8_accepts_well_formed_text(void **state)
{
	const char emoji[] = "\xf0\x9f\x98\x80";      /* U+1F600 */
	const char max[] = "\xf4\x8f\xbf\xbf";        /* U+10FFFF */
	const char mixed[] = "caf\xc3\xa9 \xe2\x82\xac"; /* café € */

	(void)state;
	assert_true(check_is_utf8("", 0));
	assert_true(check_is_utf8("plain ascii", 11));
	assert_true(check_is_utf8(emoji, 4));
	assert_true(check_is_utf8(max, 4));
	assert_true(check_is_utf8(mixed, strlen(mixed)));
	assert_true(check_is_utf8("\xc2\x80", 2));     /* U+0080 */
	assert_true(check_is_utf8("\xe0\xa0\x80", 3)); /* U+0800 */
	assert_true(check_is_utf8("\xed\x9f\xbf", 3)); /* U+D7FF */
	assert_true(check_is_utf8("\xee\x80\x80", 3)); /* U+E000 */
}

static void utf8_refuses_overlong_forms(void **state)
{
	(void)state;
	assert_false(check_is_utf8("\xc0\xaf", 2));         /* '/' in 2 */
	assert_false(check_is_utf8("\xc1\xbf", 2));
	assert_false(check_is_utf8("\xe0\x80\xaf", 3));     /* '/' in 3 */
	assert_false(check_is_utf8("\xe0\x9f\xbf", 3));     /* U+07FF in 3 */
	assert_false(check_is_utf8("\xf0\x80\x80\xaf", 4)); /* '/' in 4 */
	assert_false(check_is_utf8("\xf0\x8f\xbf\xbf", 4)); /* U+FFFF in 4 */
}

static void utf8_refuses_surrogates_and_past_the_range(void **state)
{
	(void)state;
	assert_false(check_is_utf8("\xed\xa0\x80", 3)); /* U+D800 */
	assert_false(check_is_utf8("\xed\xbf\xbf", 3)); /* U+DFFF */
	/* a surrogate pair written as two 3-byte forms (CESU-8) */
	assert_false(check_is_utf8("\xed\xa0\xbd\xed\xb8\x80", 6));
	assert_false(check_is_utf8("\xf4\x90\x80\x80", 4)); /* U+110000 */
	assert_false(check_is_utf8("\xf5\x80\x80\x80", 4));
	assert_false(check_is_utf8("\xff", 1));
	assert_false(check_is_utf8("\xfe", 1));
}

static void utf8_refuses_truncated_and_stray_bytes(void **state)
{
	const char emoji[] = "\xf0\x9f\x98\x80";

	(void)state;
	/* every proper prefix of a 4-byte sequence */
	for (size_t n = 1; n < 4; n++)
		assert_false(check_is_utf8(emoji, n));
	assert_false(check_is_utf8("ok\xc3", 3));
	assert_false(check_is_utf8("\xe2\x82", 2));
	/* a lead byte followed by a non-continuation byte */
	assert_false(check_is_utf8("\xc3(", 2));
	assert_false(check_is_utf8("\xe2\x28\xa1", 3));
	/* a continuation byte alone */
	assert_false(check_is_utf8("\x80", 1));
	assert_false(check_is_utf8("a\xbf" "b", 3));
	/* a NUL within the length */
	assert_false(check_is_utf8("a\0b", 3));
}

static void ids(void **state)
{
	char long_id[80];

	(void)state;
	assert_true(check_is_id("a"));
	assert_true(check_is_id("goal-setting"));
	assert_true(check_is_id("phase-2-review"));
	assert_true(check_is_id("0"));
	assert_true(check_is_id("a1-b2-c3"));
	assert_false(check_is_id(NULL));
	assert_false(check_is_id(""));
	assert_false(check_is_id("-lead"));
	assert_false(check_is_id("trail-"));
	assert_false(check_is_id("double--hyphen"));
	assert_false(check_is_id("-"));
	assert_false(check_is_id("Upper"));
	assert_false(check_is_id("under_score"));
	assert_false(check_is_id("two words"));
	assert_false(check_is_id("caf\xc3\xa9"));
	/* 64 characters at most */
	memset(long_id, 'a', 64);
	long_id[64] = '\0';
	assert_true(check_is_id(long_id));
	long_id[64] = 'a';
	long_id[65] = '\0';
	assert_false(check_is_id(long_id));
}

static void typed_members_report_at_their_path(void **state)
{
	cw_diags d = CW_DIAGS_INIT;
	checker c;
	long n = 0;
	cJSON *doc = cJSON_Parse(
		"{\"id\":\"Bad Id\",\"title\":\"  \",\"n\":1.5,\"m\":7,"
		"\"k\":\"maybe\",\"list\":[\"x\",\"\",3],\"obj\":[],"
		"\"good\":\"goal-setting\",\"num\":3}");
	static const char *const options[] = { "yes", "no", "later", NULL };

	(void)state;
	assert_non_null(doc);
	check_init(&c, &d);
	assert_null(check_id(&c, doc, "id", 1));
	assert_null(check_string(&c, doc, "title", 1));
	assert_null(check_string(&c, doc, "missing", 1));
	assert_null(check_string(&c, doc, "optional", 0));
	assert_int_equal(check_int(&c, doc, "n", 1, 0, 10, &n), 0);
	assert_int_equal(check_int(&c, doc, "m", 1, 0, 5, &n), 0);
	assert_null(check_enum(&c, doc, "k", 1, options));
	assert_null(check_strings(&c, doc, "list", 1));
	assert_null(check_object(&c, doc, "obj", 1));
	/* good values pass and add nothing */
	assert_string_equal(check_id(&c, doc, "good", 1), "goal-setting");
	assert_int_equal(check_int(&c, doc, "num", 1, 0, 5, &n), 1);
	assert_int_equal(n, 3);
	assert_string_equal(c.path, "$");

	assert_int_equal(d.count, 9);
	assert_diag(&d, 0, "$.id", "bad-id");
	assert_diag(&d, 1, "$.title", "empty");
	assert_diag(&d, 2, "$.missing", "missing-field");
	assert_diag(&d, 3, "$.n", "wrong-type");
	assert_diag(&d, 4, "$.m", "out-of-range");
	assert_diag(&d, 5, "$.k", "unknown-value");
	assert_string_equal(d.items[5].message,
			    "unknown k 'maybe' (expected yes, no or later)");
	assert_diag(&d, 6, "$.list[1]", "empty");
	assert_diag(&d, 7, "$.list[2]", "wrong-type");
	assert_diag(&d, 8, "$.obj", "wrong-type");
	assert_string_equal(d.items[8].message,
			    "expected an object, found an array");
	cJSON_Delete(doc);
	cw_diags_free(&d);
}

static void known_keys_finds_unknown_and_duplicate(void **state)
{
	cw_diags d = CW_DIAGS_INIT;
	checker c;
	cJSON *doc = cJSON_Parse("{\"id\":\"a\",\"tittle\":\"b\",\"id\":\"c\"}");
	static const char *const known[] = { "id", "title", NULL };

	(void)state;
	assert_non_null(doc);
	check_init(&c, &d);
	check_known_keys(&c, doc, known);
	assert_int_equal(d.count, 2);
	assert_diag(&d, 0, "$.tittle", "unknown-field");
	assert_diag(&d, 1, "$.id", "duplicate-field");
	cJSON_Delete(doc);
	cw_diags_free(&d);
}

static void utf8_rule_applies_to_string_members(void **state)
{
	cw_diags d = CW_DIAGS_INIT;
	checker c;
	cJSON *doc = cJSON_CreateObject();

	(void)state;
	cJSON_AddStringToObject(doc, "text", "bad \xed\xa0\x80 surrogate");
	cJSON_AddStringToObject(doc, "emoji", "ok \xf0\x9f\x98\x80");
	check_init(&c, &d);
	assert_null(check_string(&c, doc, "text", 1));
	assert_non_null(check_string(&c, doc, "emoji", 1));
	assert_int_equal(d.count, 1);
	assert_diag(&d, 0, "$.text", "bad-utf8");
	cJSON_Delete(doc);
	cw_diags_free(&d);
}

static void parse_reports_where_the_text_breaks(void **state)
{
	cw_diags d = CW_DIAGS_INIT;
	checker c;
	cJSON *root;
	const char good[] = "{\"a\": [1, 2]}\n";
	const char cut[] = "{\"a\": [1,";
	const char bad[] = "{\n  \"a\": x\n}";
	const char two[] = "{} {}";
	const char nul[] = "{\"a\": \"b\0\"}";

	(void)state;
	check_init(&c, &d);
	root = check_parse(&c, good, strlen(good));
	assert_non_null(root);
	cJSON_Delete(root);
	assert_int_equal(d.count, 0);

	assert_null(check_parse(&c, cut, strlen(cut)));
	assert_null(check_parse(&c, bad, strlen(bad)));
	assert_null(check_parse(&c, two, strlen(two)));
	assert_null(check_parse(&c, "  \n", 3));
	assert_null(check_parse(&c, nul, sizeof(nul) - 1));
	assert_int_equal(d.count, 5);
	assert_diag(&d, 0, "$", "syntax");
	assert_non_null(strstr(d.items[0].message, "ends too early"));
	assert_diag(&d, 1, "$", "syntax");
	assert_non_null(strstr(d.items[1].message, "line 2"));
	assert_diag(&d, 2, "$", "syntax");
	assert_diag(&d, 3, "$", "syntax");
	assert_string_equal(d.items[3].message, "the file is empty");
	assert_diag(&d, 4, "$", "nul-character");
	cw_diags_free(&d);
}

static void type_names(void **state)
{
	cJSON *doc = cJSON_Parse("[\"s\", 1, true, null, [], {}]");

	(void)state;
	assert_string_equal(check_type_name(cJSON_GetArrayItem(doc, 0)),
			    "a string");
	assert_string_equal(check_type_name(cJSON_GetArrayItem(doc, 1)),
			    "a number");
	assert_string_equal(check_type_name(cJSON_GetArrayItem(doc, 2)),
			    "a boolean");
	assert_string_equal(check_type_name(cJSON_GetArrayItem(doc, 3)), "null");
	assert_string_equal(check_type_name(cJSON_GetArrayItem(doc, 4)),
			    "an array");
	assert_string_equal(check_type_name(cJSON_GetArrayItem(doc, 5)),
			    "an object");
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_of_a_key_and_an_index),
		cmocka_unit_test(unusual_keys_are_bracketed),
		cmocka_unit_test(very_deep_path_stays_in_bounds),
		cmocka_unit_test(utf8_accepts_well_formed_text),
		cmocka_unit_test(utf8_refuses_overlong_forms),
		cmocka_unit_test(utf8_refuses_surrogates_and_past_the_range),
		cmocka_unit_test(utf8_refuses_truncated_and_stray_bytes),
		cmocka_unit_test(ids),
		cmocka_unit_test(typed_members_report_at_their_path),
		cmocka_unit_test(known_keys_finds_unknown_and_duplicate),
		cmocka_unit_test(utf8_rule_applies_to_string_members),
		cmocka_unit_test(parse_reports_where_the_text_breaks),
		cmocka_unit_test(type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
