/*
 * test_event.c - the event vocabulary: every type has one name, and every
 * name reads back as its type.
 */
#include "helpers.h"

#include "event.h"

static void every_type_has_a_distinct_name(void **state)
{
	(void)state;
	for (int t = 0; t < EV_TYPE_COUNT; t++) {
		const char *name = event_name((event_type)t);

		assert_non_null(name);
		assert_int_equal(event_type_of(name), t);
		for (int u = 0; u < t; u++)
			assert_string_not_equal(name, event_name((event_type)u));
	}
}

static void unknown_names_and_values(void **state)
{
	(void)state;
	assert_int_equal(event_type_of(NULL), EV_UNKNOWN);
	assert_int_equal(event_type_of("note.deleted"), EV_UNKNOWN);
	assert_int_equal(event_type_of("NOTE.ADDED"), EV_UNKNOWN);
	assert_int_equal(event_type_of(""), EV_UNKNOWN);
	assert_null(event_name(EV_UNKNOWN));
	assert_null(event_name(EV_TYPE_COUNT));
}

static void moves(void **state)
{
	(void)state;
	assert_true(event_is_move(EV_PHASE_ADVANCED));
	assert_true(event_is_move(EV_PHASE_REVISITED));
	assert_true(event_is_move(EV_SESSION_TERMINATED));
	assert_true(event_is_move(EV_SESSION_CLOSED));
	assert_false(event_is_move(EV_ADVANCE_REFUSED));
	assert_false(event_is_move(EV_NOTE_ADDED));
	assert_false(event_is_move(EV_UNKNOWN));
}

/* Feedback is an instructor's act (a class server refuses it to
 * students); a student's own records are not. */
static void instructor_acts(void **state)
{
	(void)state;
	assert_non_null(event_instructor_act(EV_FEEDBACK_ADDED));
	assert_null(event_instructor_act(EV_NOTE_ADDED));
	assert_null(event_instructor_act(EV_SESSION_STARTED));
	assert_null(event_instructor_act(EV_PHASE_ADVANCED));
	assert_null(event_instructor_act(EV_UNKNOWN));
	assert_null(event_instructor_act(EV_TYPE_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type_has_a_distinct_name),
		cmocka_unit_test(unknown_names_and_values),
		cmocka_unit_test(moves),
		cmocka_unit_test(instructor_acts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
