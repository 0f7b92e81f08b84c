/*
 * test_verify.c - verifying a session: a sound log passes; a first event
 * that does not name what the row records, and a row that disagrees with
 * the replay, do not.
 */
#include <sqlite3.h>

#include "helpers.h"

#include "store.h"

static int verify(fixture *fx, cJSON **doc)
{
	return cw_session_verify(doc, fx->store, fx->session);
}

/* Run `sql` on the fixture's database behind the store's back. */
static void tamper(fixture *fx, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_a_sound_session_passes(void **fxp)
{
	fixture *fx = *fxp;
	cJSON *doc = NULL;

	assert_int_equal(note(fx, NULL, "a note"), 0);
	assert_int_equal(verify(fx, &doc), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "ok")));
	assert_int_equal(cJSON_GetObjectItem(doc, "events")->valueint, 2);
	cJSON_Delete(doc);
}

static void test_a_row_that_differs_from_the_first_event(void **fxp)
{
	fixture *fx = *fxp;
	cJSON *doc = NULL;

	tamper(fx, "UPDATE sessions SET student = 'Mallory'");
	assert_int_equal(verify(fx, &doc), CW_EREFUSED);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(doc, "ok")));
	assert_non_null(strstr(cJSON_GetObjectItem(doc, "problem")->valuestring,
			       "case, student or workflow differ"));
	cJSON_Delete(doc);
}

static void test_a_row_that_differs_from_the_replay(void **fxp)
{
	fixture *fx = *fxp;
	cJSON *doc = NULL;

	assert_int_equal(note(fx, NULL, "a note"), 0);
	tamper(fx, "UPDATE sessions SET met = met + 1");
	assert_int_equal(verify(fx, &doc), CW_EREFUSED);
	assert_non_null(strstr(cJSON_GetObjectItem(doc, "problem")->valuestring,
			       "checkpoints met"));
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	    T(test_a_sound_session_passes),
	    T(test_a_row_that_differs_from_the_first_event),
	    T(test_a_row_that_differs_from_the_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
