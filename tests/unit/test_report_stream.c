/*
 * test_report_stream.c - the cohort report one session at a time: the streamed
 * rows and summary are cw_report's document, a callback can stop the
 * pass, a filter can match nothing, the spool gives the rows back as often
 * as asked, and the median stays bounded (and within its sample) beyond
 * the exact limit.
 */
#include "helpers.h"

#include "casework/report.h"
#include "median.h"

/* Two more sessions (three in all), on other students. */
static void more_sessions(fixture *fx)
{
	const char *students[] = {"Ben", "Cleo"};

	for (int i = 0; i < 2; i++) {
		cJSON *out = NULL;

		assert_int_equal(cw_session_start(&out, fx->store,
						  "school-attendance-year8",
						  students[i], NULL, "tester", 1),
				 0);
		cJSON_Delete(out);
	}
	assert_int_equal(note(fx, "need", "a need the student noted"), 0);
}

static int keep_rows(const cJSON *row, void *payload)
{
	cJSON_AddItemToArray(payload, cJSON_Duplicate(row, 1));
	return 0;
}

/* The rows and the rest, streamed, make cw_report's document exactly. */
static void test_streamed_rows_make_the_whole_report(void **state)
{
	fixture *fx = *state;
	cJSON *whole = NULL, *rest = NULL, *doc = cJSON_CreateObject();
	cJSON *rows = cJSON_AddArrayToObject(doc, "sessions"), *m;
	char *a, *b;

	more_sessions(fx);
	assert_int_equal(cw_report(&whole, fx->store, NULL), 0);
	assert_int_equal(
	    cw_report_each(&rest, fx->store, NULL, keep_rows, rows), 0);
	assert_int_equal(cJSON_GetArraySize(rows), 3);
	while ((m = rest->child) != NULL)
		cJSON_AddItemToObject(doc, m->string,
				      cJSON_DetachItemViaPointer(rest, m));
	a = cJSON_Print(whole);
	b = cJSON_Print(doc);
	assert_string_equal(a, b);
	free(a);
	free(b);
	cJSON_Delete(whole);
	cJSON_Delete(rest);
	cJSON_Delete(doc);
}

static int stop_at_second(const cJSON *row, void *payload)
{
	(void)row;
	return ++*(int *)payload == 2 ? 42 : 0;
}

static void test_a_callback_stops_the_pass(void **state)
{
	fixture *fx = *state;
	cJSON *rest = NULL;
	int seen = 0;

	more_sessions(fx);
	assert_int_equal(
	    cw_report_each(&rest, fx->store, NULL, stop_at_second, &seen), 42);
	assert_int_equal(seen, 2);
	assert_null(rest);
}

static int count_rows(const cJSON *row, void *payload)
{
	(void)row;
	++*(int *)payload;
	return 0;
}

static void test_a_filter_that_matches_none(void **state)
{
	fixture *fx = *state;
	cw_session_filter f = {.student = "nobody"};
	cJSON *rest = NULL;
	const cJSON *summary;
	int seen = 0;

	assert_int_equal(
	    cw_report_each(&rest, fx->store, &f, count_rows, &seen), 0);
	assert_int_equal(seen, 0);
	summary = cJSON_GetObjectItem(rest, "summary");
	assert_int_equal(cJSON_GetObjectItem(summary, "sessions")->valueint, 0);
	assert_int_equal(
	    cJSON_GetArraySize(cJSON_GetObjectItem(rest, "phases")), 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(summary, "most_refused")));
	cJSON_Delete(rest);
}

static void test_the_spool_gives_the_rows_back(void **state)
{
	fixture *fx = *state;
	cw_report_spool *spool = NULL;
	cJSON *whole = NULL, *rows = cJSON_CreateArray(), *row;
	int seen = 0;

	more_sessions(fx);
	assert_int_equal(cw_report(&whole, fx->store, NULL), 0);
	assert_int_equal(cw_report_spool_open(&spool, fx->store, NULL), 0);
	assert_true(cJSON_Compare(
	    cJSON_GetObjectItem(cw_report_spool_summary(spool), "summary"),
	    cJSON_GetObjectItem(whole, "summary"), 1));
	assert_int_equal(cw_report_spool_each(spool, keep_rows, rows), 0);
	/* the same rows but for the goals' words: case text stays out of
	 * the temporary file */
	cJSON_ArrayForEach(row, cJSON_GetObjectItem(whole, "sessions"))
	{
		assert_non_null(cJSON_GetObjectItem(row, "goal_list"));
		cJSON_DeleteItemFromObjectCaseSensitive(row, "goal_list");
	}
	assert_true(
	    cJSON_Compare(rows, cJSON_GetObjectItem(whole, "sessions"), 1));
	/* as often as asked, and a callback may stop it */
	assert_int_equal(cw_report_spool_each(spool, stop_at_second, &seen),
			 42);
	assert_int_equal(cw_report_spool_each(spool, count_rows, &seen), 0);
	assert_int_equal(seen, 2 + 3);
	cw_report_spool_free(spool);
	cw_report_spool_free(NULL);
	cJSON_Delete(rows);
	cJSON_Delete(whole);
}

/* Exact up to the limit: odd and even counts. */
static void test_the_median_is_exact_up_to_the_limit(void **state)
{
	median m = MEDIAN_INIT;

	(void)state;
	assert_true(median_value(&m) == 0);
	for (int i = 1; i <= 5; i++)
		assert_int_equal(median_add(&m, 6 - i), 0);
	assert_true(median_value(&m) == 3);
	assert_int_equal(median_add(&m, 10), 0);
	assert_true(median_value(&m) == 3.5);
	median_clear(&m);
	for (int i = 0; i < MEDIAN_EXACT; i++)
		assert_int_equal(median_add(&m, i), 0);
	assert_true(median_value(&m) == (MEDIAN_EXACT - 1) / 2.0);
	median_clear(&m);
}

/* Beyond the limit: as many values kept as the limit, the median within
 * the values' bounds and near the true one, the same figure every time. */
static void test_the_median_beyond_the_limit_stays_bounded(void **state)
{
	const long n = 25L * MEDIAN_EXACT + 7;
	median a = MEDIAN_INIT, b = MEDIAN_INIT;
	double lo = 1e9, hi = -1, got;

	(void)state;
	for (long i = 0; i < n; i++) {
		/* a permutation of 1000..1000+n-1, not sorted */
		double v = 1000 + (double)((i * 7919) % n);

		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		assert_int_equal(median_add(&a, v), 0);
		assert_int_equal(median_add(&b, v), 0);
	}
	assert_int_equal(a.n, n);
	assert_int_equal(a.count, MEDIAN_EXACT);
	got = median_value(&a);
	assert_true(got >= lo && got <= hi);
	for (size_t i = 0; i < a.count; i++)
		assert_true(a.kept[i] >= lo && a.kept[i] <= hi);
	/* the true median is 1000 + (n - 1) / 2; a sample of 4096 lands
	 * within 5% of the ranks */
	assert_true(got > 1000 + 0.45 * n && got < 1000 + 0.55 * n);
	assert_true(median_value(&b) == got);
	median_clear(&a);
	median_clear(&b);
	assert_null(a.kept);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_streamed_rows_make_the_whole_report),
	    T(test_a_callback_stops_the_pass),
	    T(test_a_filter_that_matches_none),
	    T(test_the_spool_gives_the_rows_back),
	    cmocka_unit_test(test_the_median_is_exact_up_to_the_limit),
	    cmocka_unit_test(test_the_median_beyond_the_limit_stays_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
