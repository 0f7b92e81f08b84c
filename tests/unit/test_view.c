/*
 * test_view.c - the views built from a session's state: status, guide,
 * goals and the log with its visits, feedback and time per phase.
 */
#include "helpers.h"

static cJSON *view_log(fixture *fx)
{
	cJSON *doc = NULL;

	assert_int_equal(cw_session_log(&doc, fx->store, fx->session), 0);
	return doc;
}

static void test_log_shows_visits_and_feedback(void **fxp)
{
	fixture *fx = *fxp;
	cw_action a = {.type = CW_ACT_OBJECTIVE, .text = "an aim"};
	cw_action f = {
	    .type = CW_ACT_FEEDBACK, .text = "good", .event = 2, .score = 3};
	cJSON *doc, *events, *visits, *phases, *ev;

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, a), 0);
	assert_int_equal(check(fx, "environment-arranged", LONG_ENOUGH), 0);
	assert_int_equal(advance(fx), 0);	      /* 5 */
	assert_int_equal(act(fx, f), 0);	      /* 6 */
	assert_int_equal(note(fx, NULL, "hello"), 0); /* 7 */
	doc = view_log(fx);
	events = cJSON_GetObjectItem(doc, "events");
	assert_int_equal(cJSON_GetArraySize(events), 7);
	ev = cJSON_GetArrayItem(events, 1);
	assert_string_equal(cJSON_GetObjectItem(ev, "type")->valuestring,
			    "checkpoint.confirmed");
	assert_int_equal(cJSON_GetObjectItem(ev, "visit")->valueint, 0);
	assert_int_equal(
	    cJSON_GetArraySize(cJSON_GetObjectItem(ev, "feedback")), 1);
	/* the move is the last step of the visit it ends */
	ev = cJSON_GetArrayItem(events, 4);
	assert_int_equal(cJSON_GetObjectItem(ev, "visit")->valueint, 0);
	/* feedback is no step of a visit */
	ev = cJSON_GetArrayItem(events, 5);
	assert_null(cJSON_GetObjectItem(ev, "visit"));
	ev = cJSON_GetArrayItem(events, 6);
	assert_int_equal(cJSON_GetObjectItem(ev, "visit")->valueint, 1);
	assert_string_equal(cJSON_GetObjectItem(ev, "phase")->valuestring,
			    "introduction");
	visits = cJSON_GetObjectItem(doc, "visits");
	assert_int_equal(cJSON_GetArraySize(visits), 2);
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(visits, 0), "to")->valueint,
	    5);
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(visits, 1), "from")
		->valueint,
	    6);
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(visits, 1), "to")->valueint,
	    7);
	assert_int_equal(
	    cJSON_GetArraySize(cJSON_GetObjectItem(doc, "feedback")), 1);
	assert_string_equal(
	    cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "feedback"), 0),
		"actor")
		->valuestring,
	    "tester");
	phases = cJSON_GetObjectItem(doc, "phases");
	assert_int_equal(cJSON_GetArraySize(phases), 8);
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(phases, 1), "visits")
		->valueint,
	    1);
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(phases, 2), "visits")
		->valueint,
	    0);
	cJSON_Delete(doc);
}

static void test_status_and_goals(void **fxp)
{
	fixture *fx = *fxp;
	cJSON *doc = NULL;

	assert_int_equal(note(fx, NULL, "a note"), 0);
	assert_int_equal(cw_session_status(&doc, fx->store, fx->session), 0);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "phase"), "id")
		->valuestring,
	    "preparation");
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "records"), "notes")
		->valueint,
	    1);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(doc, "can_advance")));
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "case"), "title")
			->valuestring[0] != '\0'
		? "titled"
		: "",
	    "titled");
	cJSON_Delete(doc);
	assert_int_equal(cw_session_goals(&doc, fx->store, fx->session), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "goals")),
			 0);
	cJSON_Delete(doc);
	assert_int_equal(
	    cw_session_guide(&doc, fx->store, fx->session, "assessment"), 0);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(doc, "current")));
	cJSON_Delete(doc);
	assert_int_equal(cw_session_guide(&doc, fx->store, fx->session, "nope"),
			 CW_ENOTFOUND);
	assert_null(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	    T(test_log_shows_visits_and_feedback),
	    T(test_status_and_goals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
