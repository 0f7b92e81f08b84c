/*
 * test_listing.c - the lists the library gives as JSON: sessions (with
 * every filter), session ids, cases with their counts of sessions,
 * workflow versions, and the sessions on a workflow by version.
 */
#include <sqlite3.h>

#include "helpers.h"

#define CASE_A "school-attendance-year8"
#define CASE_B "family-welfare-eviction"

/* A workflow of two phases, version `v`, titled `title`. */
#define MINI_FMT                                                              \
	"{\"id\":\"mini\",\"version\":%d,\"title\":\"%s\",\"phases\":["      \
	"{\"id\":\"first\",\"title\":\"First\",\"purpose\":\"P\","            \
	"\"tasks\":[\"t\"],\"questions\":[\"q\"],\"checkpoints\":[]},"        \
	"{\"id\":\"second\",\"title\":\"Second\",\"purpose\":\"P\","          \
	"\"tasks\":[\"t\"],\"questions\":[\"q\"],\"checkpoints\":[]}]}"

static void import_mini(fixture *fx, int version, const char *title)
{
	char text[1024];
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;

	snprintf(text, sizeof(text), MINI_FMT, version, title);
	assert_int_equal(cw_workflow_import(&out, fx->store, &diags, text,
					    strlen(text)),
			 0);
	cJSON_Delete(out);
	cw_diags_free(&diags);
}

/* Start a session; its id into `id`. */
static void start(fixture *fx, const char *case_id, const char *student,
		  const char *workflow, char id[CW_ID_LEN + 1])
{
	cJSON *out = NULL;

	assert_int_equal(cw_session_start(&out, fx->store, case_id, student,
					  workflow, "tester", 1),
			 0);
	snprintf(id, CW_ID_LEN + 1, "%s",
		 cJSON_GetObjectItem(out, "session")->valuestring);
	cJSON_Delete(out);
}

/* Set a session's created_at on the file, behind the engine's back. */
static void set_created(fixture *fx, const char *id, const char *at)
{
	sqlite3 *db = NULL;
	char *sql;

	cw_store_free(fx->store);
	fx->store = NULL;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	sql = sqlite3_mprintf("UPDATE sessions SET created_at = %Q WHERE id = %Q",
			      at, id);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_free(sql);
	sqlite3_close(db);
	assert_int_equal(cw_store_open_existing(&fx->store, fx->path), 0);
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	assert_true(cJSON_IsString(item));
	return item->valuestring;
}

static double num(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	assert_true(cJSON_IsNumber(item));
	return item->valuedouble;
}

/* The fixture's session (Ana, case A) and three more:
 *   ana_b: Ana on case B, advanced to introduction;
 *   ben_a: Ben on case A, terminated and closed;
 *   cat_a: Cat on case A, untouched. */
typedef struct cohort {
	char ana_a[CW_ID_LEN + 1], ana_b[CW_ID_LEN + 1];
	char ben_a[CW_ID_LEN + 1], cat_a[CW_ID_LEN + 1];
} cohort;

static void make_cohort(fixture *fx, cohort *c)
{
	cw_action objective = { .type = CW_ACT_OBJECTIVE, .text = "an aim" };
	cw_action terminate = { .type = CW_ACT_TERMINATE,
				.reason = "moved away" };

	import_case(fx->store, CASE_B);
	snprintf(c->ana_a, sizeof(c->ana_a), "%s", fx->session);
	start(fx, CASE_B, "Ana", NULL, c->ana_b);
	start(fx, CASE_A, "Ben", NULL, c->ben_a);
	start(fx, CASE_A, "Cat", NULL, c->cat_a);

	snprintf(fx->session, sizeof(fx->session), "%s", c->ana_b);
	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, objective), 0);
	assert_int_equal(check(fx, "environment-arranged", LONG_ENOUGH), 0);
	assert_int_equal(advance(fx), 0);
	assert_string_equal(phase(fx), "introduction");

	snprintf(fx->session, sizeof(fx->session), "%s", c->ben_a);
	assert_int_equal(act(fx, terminate), 0);
	assert_int_equal(check(fx, "progress-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(check(fx, "next-steps", LONG_ENOUGH), 0);
	assert_int_equal(check(fx, "closing-summary", LONG_ENOUGH), 0);
	assert_int_equal(reflect_all(fx), 0);
	assert_int_equal(advance(fx), 0);
	snprintf(fx->session, sizeof(fx->session), "%s", c->ana_a);
}

/* The sessions `f` lists, as a count, with each id checked against the
 * NULL-ended `want` in order. */
static void listed(fixture *fx, const cw_session_filter *f,
		   const char *const *want)
{
	cJSON *list = NULL;
	const cJSON *item;
	size_t i = 0;

	assert_int_equal(cw_session_list(&list, fx->store, f), 0);
	assert_true(cJSON_IsArray(list));
	cJSON_ArrayForEach(item, list) {
		assert_non_null(want[i]);
		assert_string_equal(str(item, "session"), want[i]);
		i++;
	}
	assert_null(want[i]);
	cJSON_Delete(list);
}

static void list_rows_hold_every_member(void **state)
{
	fixture *fx = *state;
	cohort c;
	cJSON *list = NULL;
	const cJSON *row;

	make_cohort(fx, &c);
	assert_int_equal(cw_session_list(&list, fx->store, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(list), 4);
	cJSON_ArrayForEach(row, list) {
		const char *id = str(row, "session");

		assert_int_equal(strlen(id), CW_ID_LEN);
		str(row, "created_at");
		str(row, "updated_at");
		assert_string_equal(str(row, "workflow"), "standard");
		assert_int_equal(num(row, "version"), 2);
		assert_true(num(row, "events") >= 1);
		assert_true(num(row, "total") >= num(row, "met"));
		if (strcmp(id, c.ana_b) == 0) {
			assert_string_equal(str(row, "student"), "Ana");
			assert_string_equal(str(row, "case"), CASE_B);
			assert_string_equal(str(row, "phase"), "introduction");
			assert_string_equal(str(row, "status"), "open");
		} else if (strcmp(id, c.ben_a) == 0) {
			assert_string_equal(str(row, "student"), "Ben");
			assert_string_equal(str(row, "status"), "closed");
		}
	}
	cJSON_Delete(list);
}

static void list_filters(void **state)
{
	fixture *fx = *state;
	cohort c;

	make_cohort(fx, &c);
	/* fix the order: created a day apart */
	set_created(fx, c.ana_a, "2024-01-01T00:00:00Z");
	set_created(fx, c.ana_b, "2024-01-02T00:00:00Z");
	set_created(fx, c.ben_a, "2024-01-03T00:00:00Z");
	set_created(fx, c.cat_a, "2024-01-04T00:00:00Z");
	{
		const char *const all[] = { c.ana_a, c.ana_b, c.ben_a, c.cat_a,
					    NULL };
		const char *const ana[] = { c.ana_a, c.ana_b, NULL };
		const char *const case_a[] = { c.ana_a, c.ben_a, c.cat_a, NULL };
		const char *const case_b[] = { c.ana_b, NULL };
		const char *const closed[] = { c.ben_a, NULL };
		const char *const open[] = { c.ana_a, c.ana_b, c.cat_a, NULL };
		const char *const intro[] = { c.ana_b, NULL };
		const char *const prep[] = { c.ana_a, c.cat_a, NULL };
		const char *const ana_case_a[] = { c.ana_a, NULL };
		const char *const none[] = { NULL };
		cw_session_filter f;

		f = (cw_session_filter){ 0 };
		listed(fx, &f, all);
		listed(fx, NULL, all);
		f = (cw_session_filter){ .student = "Ana" };
		listed(fx, &f, ana);
		f = (cw_session_filter){ .case_id = CASE_A };
		listed(fx, &f, case_a);
		f = (cw_session_filter){ .case_id = CASE_B };
		listed(fx, &f, case_b);
		f = (cw_session_filter){ .status = "closed" };
		listed(fx, &f, closed);
		f = (cw_session_filter){ .status = "open" };
		listed(fx, &f, open);
		f = (cw_session_filter){ .phase = "introduction" };
		listed(fx, &f, intro);
		f = (cw_session_filter){ .phase = "preparation" };
		listed(fx, &f, prep);
		f = (cw_session_filter){ .student = "Ana", .case_id = CASE_A };
		listed(fx, &f, ana_case_a);
		f = (cw_session_filter){ .student = "Ana", .status = "closed" };
		listed(fx, &f, none);
		f = (cw_session_filter){ .student = "Nobody" };
		listed(fx, &f, none);
	}
}

/* Oldest first by creation time, in the list and the ids alike. */
static void ids_oldest_first(void **state)
{
	fixture *fx = *state;
	cohort c;
	cJSON *ids = NULL;
	const char *want[4];

	make_cohort(fx, &c);
	set_created(fx, c.cat_a, "2020-01-01T00:00:00Z");
	set_created(fx, c.ana_a, "2020-02-01T00:00:00Z");
	set_created(fx, c.ben_a, "2020-03-01T00:00:00Z");
	set_created(fx, c.ana_b, "2020-04-01T00:00:00Z");
	want[0] = c.cat_a;
	want[1] = c.ana_a;
	want[2] = c.ben_a;
	want[3] = c.ana_b;
	assert_int_equal(cw_session_ids(&ids, fx->store), 0);
	assert_int_equal(cJSON_GetArraySize(ids), 4);
	for (int i = 0; i < 4; i++) {
		const cJSON *item = cJSON_GetArrayItem(ids, i);

		assert_true(cJSON_IsString(item));
		assert_string_equal(item->valuestring, want[i]);
	}
	cJSON_Delete(ids);
	{
		const char *const all[] = { want[0], want[1], want[2], want[3],
					    NULL };

		listed(fx, NULL, all);
	}
}

static void case_list_counts_sessions(void **state)
{
	fixture *fx = *state;
	cohort c;
	cJSON *list = NULL;
	const cJSON *row;
	int seen = 0;

	make_cohort(fx, &c);
	import_case(fx->store, "geron-widower-isolation");
	assert_int_equal(cw_case_list(&list, fx->store), 0);
	assert_int_equal(cJSON_GetArraySize(list), 3);
	/* by id */
	assert_string_equal(str(cJSON_GetArrayItem(list, 0), "id"), CASE_B);
	assert_string_equal(str(cJSON_GetArrayItem(list, 1), "id"),
			    "geron-widower-isolation");
	assert_string_equal(str(cJSON_GetArrayItem(list, 2), "id"), CASE_A);
	cJSON_ArrayForEach(row, list) {
		const char *id = str(row, "id");

		str(row, "title");
		str(row, "setting");
		str(row, "imported_at");
		if (strcmp(id, CASE_A) == 0)
			assert_int_equal(num(row, "sessions"), 3);
		else if (strcmp(id, CASE_B) == 0)
			assert_int_equal(num(row, "sessions"), 1);
		else
			assert_int_equal(num(row, "sessions"), 0);
		seen++;
	}
	assert_int_equal(seen, 3);
	cJSON_Delete(list);
}

static void workflow_list_and_unknown_id(void **state)
{
	fixture *fx = *state;
	cJSON *list = (cJSON *)fx;
	const cJSON *row;

	assert_int_equal(cw_workflow_list(&list, fx->store, "no-such-workflow"),
			 CW_ENOTFOUND);
	assert_null(list);
	assert_non_null(strstr(cw_error_last(), "no-such-workflow"));

	import_mini(fx, 1, "Mini");
	import_mini(fx, 1, "Mini revised");
	assert_int_equal(cw_workflow_list(&list, fx->store, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(list), 4);
	/* by id, then version; both built-in workflows are there */
	row = cJSON_GetArrayItem(list, 0);
	assert_string_equal(str(row, "id"), "child-protection");
	assert_int_equal(num(row, "sessions"), 0);
	row = cJSON_GetArrayItem(list, 1);
	assert_string_equal(str(row, "id"), "mini");
	assert_int_equal(num(row, "version"), 1);
	assert_int_equal(num(row, "sessions"), 0);
	row = cJSON_GetArrayItem(list, 2);
	assert_string_equal(str(row, "id"), "mini");
	assert_int_equal(num(row, "version"), 2);
	assert_string_equal(str(row, "title"), "Mini revised");
	row = cJSON_GetArrayItem(list, 3);
	assert_string_equal(str(row, "id"), "standard");
	assert_int_equal(num(row, "sessions"), 1);
	str(row, "imported_at");
	cJSON_Delete(list);

	assert_int_equal(cw_workflow_list(&list, fx->store, "mini"), 0);
	assert_int_equal(cJSON_GetArraySize(list), 2);
	cJSON_Delete(list);
}

/* The sessions on a workflow, by version, the store's order (oldest
 * first) kept within a version. */
static void workflow_sessions_by_version(void **state)
{
	fixture *fx = *state;
	char v1[CW_ID_LEN + 1], v2a[CW_ID_LEN + 1], v2b[CW_ID_LEN + 1];
	cJSON *list = NULL, *extra;
	const char *want[3];

	import_mini(fx, 1, "Mini");
	start(fx, CASE_A, "Ana", "mini", v1);
	import_mini(fx, 1, "Mini revised");
	start(fx, CASE_A, "Ben", "mini", v2a);
	start(fx, CASE_A, "Cat", "mini", v2b);
	/* the store's order: v2b (v2), v1 (v1), v2a (v2) */
	set_created(fx, v2b, "2020-01-01T00:00:00Z");
	set_created(fx, v1, "2020-02-01T00:00:00Z");
	set_created(fx, v2a, "2020-03-01T00:00:00Z");
	want[0] = v1;
	want[1] = v2b;
	want[2] = v2a;

	assert_int_equal(cw_workflow_sessions(&list, fx->store, "mini"), 0);
	assert_int_equal(cJSON_GetArraySize(list), 3);
	for (int i = 0; i < 3; i++) {
		const cJSON *row = cJSON_GetArrayItem(list, i);

		assert_string_equal(str(row, "session"), want[i]);
		assert_int_equal(num(row, "version"), i == 0 ? 1 : 2);
		assert_string_equal(str(row, "phase"), "first");
		assert_string_equal(str(row, "status"), "open");
		str(row, "student");
	}
	/* a well-formed cJSON array still: appending goes to the end */
	extra = cJSON_CreateString("end");
	assert_true(cJSON_AddItemToArray(list, extra));
	assert_int_equal(cJSON_GetArraySize(list), 4);
	assert_ptr_equal(cJSON_GetArrayItem(list, 3), extra);
	assert_ptr_equal(list->child->prev, extra);
	cJSON_Delete(list);

	/* the standard workflow's sessions do not include these */
	assert_int_equal(cw_workflow_sessions(&list, fx->store, "standard"), 0);
	assert_int_equal(cJSON_GetArraySize(list), 1);
	assert_string_equal(str(cJSON_GetArrayItem(list, 0), "session"),
			    fx->session);
	cJSON_Delete(list);
	/* none on an unknown workflow: an empty list */
	assert_int_equal(cw_workflow_sessions(&list, fx->store, "nothing"), 0);
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_rows_hold_every_member,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(list_filters, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(ids_oldest_first, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(case_list_counts_sessions,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(workflow_list_and_unknown_id,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(workflow_sessions_by_version,
						fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
