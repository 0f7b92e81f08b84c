/*
 * test_listing_stream.c - sessions one at a time: oldest first, the same as the
 * JSON list, a callback that stops early, a filter that matches none, and
 * a callback that reads the store while the sessions are listed.
 */
#include "helpers.h"

static void start(fixture *fx, const char *student)
{
	cJSON *out = NULL;

	assert_int_equal(cw_session_start(&out, fx->store,
					  "school-attendance-year8", student,
					  NULL, "tester", 1),
			 0);
	cJSON_Delete(out);
}

static int collect(const cw_session_info *info, void *payload)
{
	cJSON_AddItemToArray(payload, cw_session_info_json(info));
	return 0;
}

static void test_each_gives_what_the_list_gives(void **state)
{
	fixture *fx = *state;
	cJSON *list = NULL, *each = cJSON_CreateArray();

	start(fx, "Ben");
	start(fx, "Cleo");
	assert_int_equal(cw_session_list(&list, fx->store, NULL), 0);
	assert_int_equal(cw_session_each(fx->store, NULL, collect, each), 0);
	assert_int_equal(cJSON_GetArraySize(each), 3);
	assert_true(cJSON_Compare(list, each, 1));
	/* oldest first, and by id among sessions started in the same
	 * millisecond (the three may be: the order is then the ids') */
	for (int i = 1; i < 3; i++) {
		const cJSON *a = cJSON_GetArrayItem(each, i - 1);
		const cJSON *b = cJSON_GetArrayItem(each, i);
		int by_time = strcmp(
		    cJSON_GetObjectItem(a, "created_at")->valuestring,
		    cJSON_GetObjectItem(b, "created_at")->valuestring);

		assert_true(by_time < 0 ||
			    (by_time == 0 &&
			     strcmp(cJSON_GetObjectItem(a, "session")->valuestring,
				    cJSON_GetObjectItem(b, "session")
					->valuestring) < 0));
	}
	cJSON_Delete(list);
	cJSON_Delete(each);
}

static int stop_at_first(const cw_session_info *info, void *payload)
{
	(void)info;
	++*(int *)payload;
	return 7;
}

static void test_a_callback_stops_early(void **state)
{
	fixture *fx = *state;
	int seen = 0;

	start(fx, "Ben");
	assert_int_equal(cw_session_each(fx->store, NULL, stop_at_first, &seen),
			 7);
	assert_int_equal(seen, 1);
	/* and the store is usable afterwards: the snapshot was ended */
	assert_int_equal(note(fx, "need", "a note after the listing"), 0);
}

static void test_a_filter_that_matches_none(void **state)
{
	fixture *fx = *state;
	cw_session_filter f = {.case_id = "no-such-case"};
	int seen = 0;

	assert_int_equal(cw_session_each(fx->store, &f, stop_at_first, &seen),
			 0);
	assert_int_equal(seen, 0);
}

static int verify_each(const cw_session_info *info, void *payload)
{
	cJSON *r = NULL;
	int error = cw_session_verify(&r, payload, info->session);

	if (error == 0)
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
	cJSON_Delete(r);
	return error;
}

static void test_the_callback_may_read_the_store(void **state)
{
	fixture *fx = *state;

	start(fx, "Ben");
	assert_int_equal(
	    cw_session_each(fx->store, NULL, verify_each, fx->store), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_each_gives_what_the_list_gives),
	    T(test_a_callback_stops_early),
	    T(test_a_filter_that_matches_none),
	    T(test_the_callback_may_read_the_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
