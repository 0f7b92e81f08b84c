/*
 * test_case.c - sample cases: every shipped case validates, every rule of
 * the case schema names its JSON path, and import keeps what sessions
 * began on.
 */
#include <dirent.h>

#include "case.h"
#include "helpers.h"

#define CASE_ID "school-attendance-year8"

/* A fresh, empty database (no case, no session). */
static int store_setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/cw-unit-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/cw.db", fx->dir);
	if (cw_store_open(&fx->store, fx->path) != 0)
		return -1;
	*state = fx;
	return 0;
}

static char *case_text(const char *name, size_t *len)
{
	char path[512];
	char *text;

	snprintf(path, sizeof(path), "%s/examples/cases/%s.json", top(), name);
	text = read_all(path, len);
	assert_non_null(text);
	return text;
}

/* The sample case as a document to break. */
static cJSON *case_doc(const char *name)
{
	size_t len = 0;
	char *text = case_text(name, &len);
	cJSON *doc = cJSON_ParseWithLength(text, len);

	assert_non_null(doc);
	free(text);
	return doc;
}

static const char *string_of(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	assert_true(cJSON_IsString(item));
	return item->valuestring;
}

/* `text` breaks exactly one rule: at `path`, `code`, `words` in it. */
static void expect_text(const char *text, size_t len, const char *path,
			const char *code, const char *words)
{
	cw_diags diags = CW_DIAGS_INIT;

	assert_int_equal(cw_case_validate(&diags, NULL, text, len), CW_ESCHEMA);
	for (size_t i = 0; diags.count != 1 && i < diags.count; i++)
		print_message("diag %zu: %s %s %s\n", i, diags.items[i].path,
			      diags.items[i].code, diags.items[i].message);
	assert_int_equal(diags.count, 1);
	if (strstr(diags.items[0].message, words) == NULL)
		print_message("message \"%s\" lacks \"%s\"\n",
			      diags.items[0].message, words);
	assert_string_equal(diags.items[0].path, path);
	assert_string_equal(diags.items[0].code, code);
	assert_non_null(strstr(diags.items[0].message, words));
	assert_int_equal(strncmp(cw_error_last(), path, strlen(path)), 0);
	cw_diags_free(&diags);
}

/* The same for a document; frees it. */
static void expect(cJSON *doc, const char *path, const char *code,
		   const char *words)
{
	char *text = cJSON_PrintUnformatted(doc);

	assert_non_null(text);
	expect_text(text, strlen(text), path, code, words);
	free(text);
	cJSON_Delete(doc);
}

static void replace_item(cJSON *obj, const char *key, cJSON *value)
{
	assert_true(cJSON_ReplaceItemInObjectCaseSensitive(obj, key, value));
}

static void replace_item_at(cJSON *array, int index, cJSON *value)
{
	assert_true(cJSON_IsArray(array));
	assert_true(cJSON_ReplaceItemInArray(array, index, value));
}

/* ---- validation ----------------------------------------------------- */

static void test_every_example_case_validates(void **state)
{
	fixture *fx = *state;
	char dir[512], path[1024];
	DIR *d;
	struct dirent *e;
	int files = 0, saw_sample = 0;
	cJSON *list = NULL;

	snprintf(dir, sizeof(dir), "%s/examples/cases", top());
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), len = 0;
		cw_diags diags = CW_DIAGS_INIT;
		cJSON *out = NULL;
		char *text;
		int rc;

		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_all(path, &len);
		assert_non_null(text);
		rc = cw_case_validate(&diags, NULL, text, len);
		for (size_t i = 0; i < diags.count; i++)
			print_message("%s: %s %s %s\n", path,
				      diags.items[i].path, diags.items[i].code,
				      diags.items[i].message);
		assert_int_equal(rc, 0);
		assert_int_equal(diags.count, 0);
		/* against a store too, and it imports */
		assert_int_equal(cw_case_validate(&diags, fx->store, text, len), 0);
		assert_int_equal(cw_case_import(&out, fx->store, &diags, text,
						len, 0),
				 0);
		assert_string_equal(string_of(out, "result"), "imported");
		if (strcmp(string_of(out, "id"), CASE_ID) == 0)
			saw_sample = 1;
		cJSON_Delete(out);
		free(text);
		files++;
	}
	closedir(d);
	assert_true(files >= 1);
	assert_true(saw_sample);
	assert_int_equal(cw_case_list(&list, fx->store), 0);
	assert_int_equal(cJSON_GetArraySize(list), files);
	cJSON_Delete(list);
}

static void test_age_of_wrong_type(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	replace_item(cJSON_GetObjectItem(doc, "client"), "age",
		     cJSON_CreateString("thirteen"));
	expect(doc, "$.client.age", "wrong-type",
	       "expected an integer, found a string");
	doc = case_doc(CASE_ID);
	replace_item(cJSON_GetObjectItem(doc, "client"), "age",
		     cJSON_CreateNumber(12.5));
	expect(doc, "$.client.age", "wrong-type", "an integer");
	doc = case_doc(CASE_ID);
	replace_item(cJSON_GetObjectItem(doc, "client"), "age",
		     cJSON_CreateNumber(-1));
	expect(doc, "$.client.age", "out-of-range", "out of range");
}

static void test_unknown_setting(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	replace_item(doc, "setting", cJSON_CreateString("prison"));
	expect(doc, "$.setting", "unknown-value", "'prison'");
	/* the message lists what is allowed */
	doc = case_doc(CASE_ID);
	replace_item(doc, "setting", cJSON_CreateString("School"));
	expect(doc, "$.setting", "unknown-value", "family-welfare");
	doc = case_doc(CASE_ID);
	replace_item(doc, "setting", cJSON_CreateNumber(1));
	expect(doc, "$.setting", "wrong-type", "a string");
}

static void test_unknown_urgency(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	replace_item(cJSON_GetObjectItem(doc, "referral"), "urgency",
		     cJSON_CreateString("whenever"));
	expect(doc, "$.referral.urgency", "unknown-value", "'whenever'");
	doc = case_doc(CASE_ID);
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(doc, "referral"),
				   "urgency");
	expect(doc, "$.referral.urgency", "missing-field", "'urgency'");
}

static void test_unknown_phase_key(void **state)
{
	cJSON *doc = case_doc(CASE_ID);
	cJSON *material = cJSON_CreateObject();

	(void)state;
	cJSON_AddStringToObject(material, "material", "text");
	cJSON_AddItemToObject(cJSON_GetObjectItem(doc, "phases"), "negotiation",
			      material);
	expect(doc, "$.phases.negotiation", "unknown-phase", "'negotiation'");

	/* a key that is not even an id is quoted in the path */
	doc = case_doc(CASE_ID);
	material = cJSON_CreateObject();
	cJSON_AddStringToObject(material, "material", "text");
	cJSON_AddItemToObject(cJSON_GetObjectItem(doc, "phases"),
			      "Goal Setting", material);
	expect(doc, "$.phases[\"Goal Setting\"]", "unknown-phase",
	       "'Goal Setting'");
}

static void test_missing_alias(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(doc, "client"), "alias");
	expect(doc, "$.client.alias", "missing-field", "'alias'");
	doc = case_doc(CASE_ID);
	cJSON_DeleteItemFromObject(doc, "client");
	expect(doc, "$.client", "missing-field", "'client'");
}

static void test_empty_summary(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	replace_item(doc, "summary", cJSON_CreateString(""));
	expect(doc, "$.summary", "empty", "must not be empty");
	doc = case_doc(CASE_ID);
	replace_item(doc, "summary", cJSON_CreateString(" \t\n "));
	expect(doc, "$.summary", "empty", "must not be empty");
}

static void test_unknown_field(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	cJSON_AddStringToObject(doc, "difficulty", "hard");
	expect(doc, "$.difficulty", "unknown-field", "'difficulty'");
	doc = case_doc(CASE_ID);
	cJSON_AddStringToObject(cJSON_GetObjectItem(doc, "client"), "email",
				"x@example.org");
	expect(doc, "$.client.email", "unknown-field", "'email'");
	doc = case_doc(CASE_ID);
	cJSON_AddStringToObject(
		cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "phases"),
				    "preparation"),
		"hint", "h");
	expect(doc, "$.phases.preparation.hint", "unknown-field", "'hint'");
}

static void test_instructor_note_not_a_string(void **state)
{
	cJSON *doc = case_doc(CASE_ID);
	cJSON *notes = cJSON_GetObjectItem(doc, "instructor_notes");

	(void)state;
	cJSON_DeleteItemFromObject(notes, "assessment");
	cJSON_AddNumberToObject(notes, "assessment", 5);
	expect(doc, "$.instructor_notes.assessment", "wrong-type",
	       "expected a string, found a number");
	doc = case_doc(CASE_ID);
	notes = cJSON_GetObjectItem(doc, "instructor_notes");
	cJSON_DeleteItemFromObject(notes, "assessment");
	cJSON_AddStringToObject(notes, "assessment", "  ");
	expect(doc, "$.instructor_notes.assessment", "empty", "not be empty");
	/* keyed by phase, like the case material */
	doc = case_doc(CASE_ID);
	cJSON_AddStringToObject(cJSON_GetObjectItem(doc, "instructor_notes"),
				"closed", "a note");
	expect(doc, "$.instructor_notes.closed", "unknown-phase", "'closed'");
	/* a lone surrogate */
	doc = case_doc(CASE_ID);
	notes = cJSON_GetObjectItem(doc, "instructor_notes");
	cJSON_DeleteItemFromObject(notes, "exploration");
	cJSON_AddStringToObject(notes, "exploration", "x \xed\xa0\x80 y");
	expect(doc, "$.instructor_notes.exploration", "bad-utf8", "UTF-8");
}

static void test_phase_material_not_an_object(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	replace_item(cJSON_GetObjectItem(doc, "phases"), "preparation",
		     cJSON_CreateString("read the file"));
	/* the same wording as every other wrong type */
	expect(doc, "$.phases.preparation", "wrong-type",
	       "expected an object, found a string");
}

static void test_prompt_that_is_a_number(void **state)
{
	cJSON *doc = case_doc(CASE_ID);
	cJSON *prep = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "phases"),
					  "preparation");
	cJSON *prompts = cJSON_CreateArray();

	(void)state;
	cJSON_AddItemToArray(prompts, cJSON_CreateString("What do you know?"));
	cJSON_AddItemToArray(prompts, cJSON_CreateNumber(3));
	cJSON_DeleteItemFromObject(prep, "prompts");
	cJSON_AddItemToObject(prep, "prompts", prompts);
	expect(doc, "$.phases.preparation.prompts[1]", "wrong-type",
	       "expected a string, found a number");
}

static void test_risk_flag_not_a_string(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "risk_flags"),
			     cJSON_CreateFalse());
	expect(doc, "$.risk_flags[3]", "wrong-type", "found a boolean");
}

static void test_invalid_utf8(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	replace_item(doc, "title", cJSON_CreateString("Falling \xff attendance"));
	expect(doc, "$.title", "bad-utf8", "UTF-8");
	/* an overlong '/' in the background */
	doc = case_doc(CASE_ID);
	replace_item(doc, "background", cJSON_CreateString("a \xc0\xaf b"));
	expect(doc, "$.background", "bad-utf8", "UTF-8");
	/* a lone surrogate, in a prompt */
	doc = case_doc(CASE_ID);
	{
		cJSON *prompts = cJSON_GetObjectItem(
			cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "phases"),
					    "exploration"),
			"prompts");

		replace_item_at(prompts, 0, cJSON_CreateString("x \xed\xa0\x80 y"));
	}
	expect(doc, "$.phases.exploration.prompts[0]", "bad-utf8", "UTF-8");
}

static void test_too_large(void **state)
{
	size_t len = 0, big = (size_t)CW_MAX_FILE_SIZE + 1;
	char *text = case_text(CASE_ID, &len);
	char *padded = malloc(big);
	cw_diags diags = CW_DIAGS_INIT;

	(void)state;
	assert_non_null(padded);
	/* the valid case padded with trailing spaces */
	memcpy(padded, text, len);
	memset(padded + len, ' ', big - len);
	expect_text(padded, big, "$", "too-large", "at most");
	/* exactly the limit is still accepted */
	assert_int_equal(cw_case_validate(&diags, NULL, padded, big - 1), 0);
	assert_int_equal(diags.count, 0);
	free(padded);
	free(text);
}

static void test_bad_case_id(void **state)
{
	cJSON *doc = case_doc(CASE_ID);

	(void)state;
	replace_item(doc, "id", cJSON_CreateString("School_Attendance"));
	expect(doc, "$.id", "bad-id", "'School_Attendance'");
	doc = case_doc(CASE_ID);
	cJSON_DeleteItemFromObject(doc, "title");
	expect(doc, "$.title", "missing-field", "'title'");
}

static void test_not_a_case_at_all(void **state)
{
	(void)state;
	expect_text("{\"id\": ", 7, "$", "syntax", "line 1");
	expect_text("[]", 2, "$", "wrong-type", "JSON object");
}

/* ---- import ----------------------------------------------------------- */

/* Import `text`; its result ("imported", ...) goes to `result`. */
static int import(fixture *fx, const char *text, size_t len, int replace,
		  char result[16])
{
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = (cJSON *)&diags; /* must be reset */
	int error = cw_case_import(&out, fx->store, &diags, text, len, replace);

	result[0] = '\0';
	if (error == 0) {
		assert_non_null(out);
		assert_string_equal(string_of(out, "id"), CASE_ID);
		snprintf(result, 16, "%s", string_of(out, "result"));
	} else {
		assert_null(out);
	}
	cJSON_Delete(out);
	cw_diags_free(&diags);
	return error;
}

static char *retitled(const char *title)
{
	cJSON *doc = case_doc(CASE_ID);
	char *text;

	replace_item(doc, "title", cJSON_CreateString(title));
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	assert_non_null(text);
	return text;
}

static char *stored_title(fixture *fx)
{
	cJSON *doc = NULL;
	char *title;

	assert_int_equal(cw_case_get(&doc, fx->store, CASE_ID), 0);
	title = strdup(string_of(doc, "title"));
	cJSON_Delete(doc);
	return title;
}

static char *session_case_title(fixture *fx, const char *session)
{
	cJSON *doc = NULL;
	char *title;

	assert_int_equal(cw_session_status(&doc, fx->store, session), 0);
	title = strdup(string_of(cJSON_GetObjectItem(doc, "case"), "title"));
	assert_string_equal(string_of(cJSON_GetObjectItem(doc, "case"), "id"),
			    CASE_ID);
	cJSON_Delete(doc);
	return title;
}

static void start(fixture *fx, char id[CW_ID_LEN + 1])
{
	cJSON *out = NULL;

	assert_int_equal(cw_session_start(&out, fx->store, CASE_ID, "Ana", NULL,
					  "tester", 1),
			 0);
	snprintf(id, CW_ID_LEN + 1, "%s", string_of(out, "session"));
	cJSON_Delete(out);
}

static const cJSON *listed(const cJSON *list, const char *id)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, list)
		if (strcmp(string_of(item, "id"), id) == 0)
			return item;
	return NULL;
}

static void test_import_unchanged_refused_replaced(void **state)
{
	fixture *fx = *state;
	size_t len = 0;
	char *text = case_text(CASE_ID, &len);
	char *changed = retitled("Mondays missed in Year 8");
	char result[16], before[CW_ID_LEN + 1], after[CW_ID_LEN + 1];
	char *title;

	assert_int_equal(import(fx, text, len, 0, result), 0);
	assert_string_equal(result, "imported");
	title = stored_title(fx);
	assert_string_equal(title, "Falling attendance in Year 8");
	free(title);

	/* the same bytes again: nothing to do */
	assert_int_equal(import(fx, text, len, 0, result), 0);
	assert_string_equal(result, "unchanged");
	assert_int_equal(import(fx, text, len, 1, result), 0);
	assert_string_equal(result, "unchanged");

	start(fx, before);

	/* other content under the same id is refused, and changes nothing */
	assert_int_equal(import(fx, changed, strlen(changed), 0, result),
			 CW_EREFUSED);
	assert_non_null(strstr(cw_error_last(), CASE_ID));
	assert_non_null(strstr(cw_error_last(), "replace"));
	title = stored_title(fx);
	assert_string_equal(title, "Falling attendance in Year 8");
	free(title);

	/* unless asked to replace it */
	assert_int_equal(import(fx, changed, strlen(changed), 1, result), 0);
	assert_string_equal(result, "replaced");
	title = stored_title(fx);
	assert_string_equal(title, "Mondays missed in Year 8");
	free(title);
	assert_int_equal(import(fx, changed, strlen(changed), 0, result), 0);
	assert_string_equal(result, "unchanged");

	/* a session keeps the case text it began on; a new one gets the new */
	title = session_case_title(fx, before);
	assert_string_equal(title, "Falling attendance in Year 8");
	free(title);
	start(fx, after);
	title = session_case_title(fx, after);
	assert_string_equal(title, "Mondays missed in Year 8");
	free(title);

	/* and going back to the first text is a replace too */
	assert_int_equal(import(fx, text, len, 0, result), CW_EREFUSED);
	assert_int_equal(import(fx, text, len, 1, result), 0);
	assert_string_equal(result, "replaced");
	title = session_case_title(fx, after);
	assert_string_equal(title, "Mondays missed in Year 8");
	free(title);
	free(changed);
	free(text);
}

static void test_case_list_counts_sessions(void **state)
{
	fixture *fx = *state;
	cJSON *list = NULL;
	const cJSON *row;
	char id[CW_ID_LEN + 1];
	size_t len = 0;
	char *text = case_text(CASE_ID, &len);
	char result[16];

	assert_int_equal(cw_case_list(&list, fx->store), 0);
	assert_true(cJSON_IsArray(list));
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);

	assert_int_equal(import(fx, text, len, 0, result), 0);
	import_case(fx->store, "family-welfare-eviction");
	start(fx, id);
	start(fx, id);

	assert_int_equal(cw_case_list(&list, fx->store), 0);
	assert_int_equal(cJSON_GetArraySize(list), 2);
	row = listed(list, CASE_ID);
	assert_non_null(row);
	assert_string_equal(string_of(row, "title"), "Falling attendance in Year 8");
	assert_string_equal(string_of(row, "setting"), "school");
	assert_true(strlen(string_of(row, "imported_at")) >= 20);
	assert_int_equal(cJSON_GetObjectItem(row, "sessions")->valueint, 2);
	row = listed(list, "family-welfare-eviction");
	assert_non_null(row);
	assert_string_equal(string_of(row, "setting"), "family-welfare");
	assert_int_equal(cJSON_GetObjectItem(row, "sessions")->valueint, 0);
	cJSON_Delete(list);

	/* a replaced case keeps its sessions in the count */
	{
		char *changed = retitled("Another title");

		assert_int_equal(import(fx, changed, strlen(changed), 1, result), 0);
		free(changed);
	}
	assert_int_equal(cw_case_list(&list, fx->store), 0);
	row = listed(list, CASE_ID);
	assert_string_equal(string_of(row, "title"), "Another title");
	assert_int_equal(cJSON_GetObjectItem(row, "sessions")->valueint, 2);
	cJSON_Delete(list);
	free(text);
}

static void test_get(void **state)
{
	fixture *fx = *state;
	cJSON *doc = (cJSON *)fx; /* must be reset */
	size_t len = 0;
	char *text = case_text(CASE_ID, &len);
	cJSON *expected = cJSON_ParseWithLength(text, len);

	assert_int_equal(cw_case_get(&doc, fx->store, CASE_ID), CW_ENOTFOUND);
	assert_null(doc);
	import_case(fx->store, CASE_ID);
	assert_int_equal(cw_case_get(&doc, fx->store, CASE_ID), 0);
	/* the full document as imported */
	assert_true(cJSON_Compare(doc, expected, 1));
	cJSON_Delete(doc);
	doc = (cJSON *)fx;
	assert_int_equal(cw_case_get(&doc, fx->store, "no-such-case"),
			 CW_ENOTFOUND);
	assert_null(doc);
	assert_non_null(strstr(cw_error_last(), "no-such-case"));
	cJSON_Delete(expected);
	free(text);
}

static void test_invalid_import_writes_nothing(void **state)
{
	fixture *fx = *state;
	cJSON *doc = case_doc(CASE_ID), *list = NULL, *out = NULL;
	cw_diags diags = CW_DIAGS_INIT;
	char *text;

	replace_item(doc, "setting", cJSON_CreateString("prison"));
	text = cJSON_PrintUnformatted(doc);
	assert_int_equal(cw_case_import(&out, fx->store, &diags, text,
					strlen(text), 1),
			 CW_ESCHEMA);
	assert_null(out);
	assert_int_equal(diags.count, 1);
	assert_string_equal(diags.items[0].path, "$.setting");
	assert_int_equal(cw_case_list(&list, fx->store), 0);
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);
	cw_diags_free(&diags);
	free(text);
	cJSON_Delete(doc);
}

/* The keys of object `obj`, comma-separated, into `buf`. */
static const char *keys(char *buf, size_t size, const cJSON *obj)
{
	const cJSON *item;

	buf[0] = '\0';
	cJSON_ArrayForEach(item, obj)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
			 buf[0] ? "," : "", item->string);
	return buf;
}

static int reached_all(const char *phase, void *payload)
{
	(void)phase;
	(void)payload;
	return 1;
}

/* A store may give a case's keys back in its own order (jsonb sorts them
 * by length, then bytes): staging puts the phases in the workflow's. */
static void test_stage_orders_phases_by_workflow(void **state)
{
	static const char sorted[] =
	    "{\"phases\": {\"zeta\": {}, "
	    "\"assessment\": {\"prompts\": [], \"material\": \"m\"}, "
	    "\"evaluation\": {}, \"exploration\": {}, \"preparation\": {}, "
	    "\"termination\": {}, \"goal-setting\": {}, "
	    "\"introduction\": {}, \"intervention\": {}}, "
	    "\"instructor_notes\": {\"termination\": \"t\", "
	    "\"preparation\": \"p\"}, \"id\": \"x\", \"extra\": 1, "
	    "\"client\": {\"age\": 13, \"alias\": \"M\", \"language\": \"en\"}, "
	    "\"title\": \"T\"}";
	static const char order[] =
	    "preparation,introduction,exploration,assessment,goal-setting,"
	    "intervention,evaluation,termination,zeta";
	cw_diags diags = CW_DIAGS_INIT;
	cw_workflow *wf = NULL;
	size_t len;
	const char *text = cw_workflow_standard_text(&len);
	cJSON *kase;
	char buf[400];

	(void)state;
	assert_int_equal(cw_workflow_parse(&wf, &diags, text, len), 0);
	/* the full view: phases and notes in order, the unknown key last */
	kase = cJSON_Parse(sorted);
	case_stage(kase, NULL, NULL, 1, wf);
	assert_string_equal(keys(buf, sizeof(buf),
				 cJSON_GetObjectItem(kase, "phases")),
			    order);
	assert_string_equal(
	    keys(buf, sizeof(buf), cJSON_GetObjectItem(kase, "instructor_notes")),
	    "preparation,termination");
	/* the case's own keys and its client's in the schema's order */
	assert_string_equal(keys(buf, sizeof(buf), kase),
			    "id,title,client,phases,instructor_notes,extra");
	assert_string_equal(keys(buf, sizeof(buf),
				 cJSON_GetObjectItem(kase, "client")),
			    "alias,age,language");
	assert_string_equal(
	    keys(buf, sizeof(buf),
		 cJSON_GetObjectItem(cJSON_GetObjectItem(kase, "phases"),
				     "assessment")),
	    "material,prompts");
	cJSON_Delete(kase);
	/* a student's view of every phase reached: the same order */
	kase = cJSON_Parse(sorted);
	case_stage(kase, reached_all, NULL, 0, wf);
	assert_string_equal(keys(buf, sizeof(buf),
				 cJSON_GetObjectItem(kase, "phases")),
			    order);
	assert_null(cJSON_GetObjectItem(kase, "instructor_notes"));
	cJSON_Delete(kase);
	/* no workflow: as the store gave them */
	kase = cJSON_Parse(sorted);
	case_stage(kase, NULL, NULL, 1, NULL);
	assert_string_equal(keys(buf, sizeof(buf),
				 cJSON_GetObjectItem(kase, "phases")),
			    "zeta,assessment,evaluation,exploration,"
			    "preparation,termination,goal-setting,"
			    "introduction,intervention");
	cJSON_Delete(kase);
	cw_workflow_free(wf);
	cw_diags_free(&diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(f) cmocka_unit_test_setup_teardown(f, store_setup, fixture_teardown)
		S(test_every_example_case_validates),
		cmocka_unit_test(test_age_of_wrong_type),
		cmocka_unit_test(test_unknown_setting),
		cmocka_unit_test(test_unknown_urgency),
		cmocka_unit_test(test_unknown_phase_key),
		cmocka_unit_test(test_missing_alias),
		cmocka_unit_test(test_empty_summary),
		cmocka_unit_test(test_unknown_field),
		cmocka_unit_test(test_instructor_note_not_a_string),
		cmocka_unit_test(test_phase_material_not_an_object),
		cmocka_unit_test(test_prompt_that_is_a_number),
		cmocka_unit_test(test_risk_flag_not_a_string),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_bad_case_id),
		cmocka_unit_test(test_not_a_case_at_all),
		cmocka_unit_test(test_stage_orders_phases_by_workflow),
		S(test_import_unchanged_refused_replaced),
		S(test_case_list_counts_sessions),
		S(test_get),
		S(test_invalid_import_writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
