/*
 * test_decide.c - deciding an act on a replayed state, without writing:
 * the event each act makes, its payload, and the acts refused.
 */
#include "helpers.h"

#include "decide.h"
#include "state.h"
#include "store.h"

static void load(fixture *fx, state *st)
{
	session_row row = {0};

	assert_int_equal(state_load(st, &row, fx->store, fx->session), 0);
	session_row_clear(&row);
}

static const char *member(const cJSON *p, const char *key)
{
	const cJSON *item = cJSON_GetObjectItem(p, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static void test_each_act_makes_its_event(void **fxp)
{
	fixture *fx = *fxp;
	cw_action note = {.type = CW_ACT_NOTE, .text = "hi", .tag = "need"};
	cw_action goal = {.type = CW_ACT_GOAL_ADD,
			  .text = "attend",
			  .term = "long",
			  .measure = "9 of 10"};
	cw_action obj = {.type = CW_ACT_REFERRAL, .text = "a service"};
	struct decision d = {0};
	state st;

	load(fx, &st);
	assert_int_equal(decide(&d, &st, &note), 0);
	assert_string_equal(d.type, "note.added");
	assert_string_equal(member(d.payload, "id"), "N1");
	assert_string_equal(member(d.payload, "tag"), "need");
	cJSON_Delete(d.payload);
	d = (struct decision){0};
	assert_int_equal(decide(&d, &st, &goal), 0);
	assert_string_equal(d.type, "goal.added");
	assert_string_equal(member(d.payload, "id"), "G1");
	assert_string_equal(member(d.payload, "term"), "long");
	cJSON_Delete(d.payload);
	d = (struct decision){0};
	assert_int_equal(decide(&d, &st, &obj), 0);
	assert_string_equal(d.type, "referral.added");
	assert_string_equal(member(d.payload, "id"), "R1");
	cJSON_Delete(d.payload);
	/* deciding writes nothing */
	state_clear(&st);
	load(fx, &st);
	assert_int_equal(st.seq, 1);
	state_clear(&st);
}

static void test_an_advance_with_blockers_is_a_refusal(void **fxp)
{
	fixture *fx = *fxp;
	cw_action advance = {.type = CW_ACT_ADVANCE};
	struct decision d = {0};
	state st;

	load(fx, &st);
	assert_int_equal(decide(&d, &st, &advance), 0);
	assert_true(d.refused);
	assert_string_equal(d.type, "advance.refused");
	assert_string_equal(member(d.payload, "from"), "preparation");
	assert_int_equal(
	    cJSON_GetArraySize(cJSON_GetObjectItem(d.payload, "blockers")), 3);
	cJSON_Delete(d.payload);
	state_clear(&st);
}

static void test_refused_acts_leave_nothing(void **fxp)
{
	fixture *fx = *fxp;
	cw_action bad[] = {
	    {.type = CW_ACT_NOTE, .text = ""},
	    {.type = CW_ACT_NOTE, .text = "x", .tag = "Bad Tag"},
	    {.type = CW_ACT_GOAL_REVISE, .goal = "G1", .text = "x"},
	    {.type = CW_ACT_INTERVENTION,
	     .goal = "G9",
	     .text = "x",
	     .intervention_type = "skills"},
	    {.type = CW_ACT_CHECK,
	     .checkpoint = "introduced-self",
	     .text = LONG_ENOUGH},
	    {.type = CW_ACT_REVISIT, .phase = "assessment", .reason = "x"},
	    {.type = CW_ACT_FEEDBACK, .text = "x", .score = 5},
	    {.type = (cw_action_type)99},
	};
	int codes[] = {CW_EINVALID, CW_EINVALID, CW_ENOTFOUND, CW_ENOTFOUND,
		       CW_EREFUSED, CW_EREFUSED, CW_EINVALID,  CW_EINVALID};
	state st;

	load(fx, &st);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct decision d = {0};

		assert_int_equal(decide(&d, &st, &bad[i]), codes[i]);
		assert_null(d.payload);
	}
	state_clear(&st);
}

static void test_a_closed_session_takes_only_feedback(void **fxp)
{
	fixture *fx = *fxp;
	cw_action note = {.type = CW_ACT_NOTE, .text = "late"};
	cw_action fb = {.type = CW_ACT_FEEDBACK, .text = "well done"};
	struct decision d = {0};
	state st;

	load(fx, &st);
	st.closed = 1; /* as a session.closed event leaves it */
	assert_int_equal(decide(&d, &st, &note), CW_EREFUSED);
	assert_null(d.payload);
	assert_int_equal(decide(&d, &st, &fb), 0);
	assert_string_equal(d.type, "feedback.added");
	assert_string_equal(member(d.payload, "phase"), "preparation");
	cJSON_Delete(d.payload);
	state_clear(&st);
}

/* DESIGN: an evaluation needs an intervention on its goal first. */
static void test_an_evaluation_needs_an_intervention(void **fxp)
{
	fixture *fx = *fxp;
	cw_action eval = {.type = CW_ACT_EVALUATION,
			  .goal = "G1",
			  .outcome = "partial",
			  .text = "8 of 10 days"};
	record records[] = {
	    {.kind = CW_RECORD_GOAL, .number = 1, .seq = 2},
	    {.kind = CW_RECORD_GOAL, .number = 2, .seq = 3},
	    {.kind = CW_RECORD_INTERVENTION, .number = 1, .goal = 2, .seq = 4},
	    {.kind = CW_RECORD_INTERVENTION, .number = 2, .goal = 1, .seq = 5},
	};
	struct decision d = {0};
	state st;

	load(fx, &st);
	st.records = records;
	st.record_count = 3; /* G2 has an intervention, G1 none */
	assert_int_equal(decide(&d, &st, &eval), CW_EREFUSED);
	assert_null(d.payload);
	assert_non_null(strstr(cw_error_last(), "G1 has no intervention"));
	assert_non_null(strstr(cw_error_last(), "intervention add G1"));
	st.record_count = 4;
	assert_int_equal(decide(&d, &st, &eval), 0);
	assert_string_equal(d.type, "evaluation.added");
	assert_string_equal(member(d.payload, "goal"), "G1");
	cJSON_Delete(d.payload);
	st.records = NULL;
	st.record_count = 0;
	state_clear(&st);
}

/* A note's tag is one the workflow knows; a typo gets the nearest. */
static void test_a_note_tag_must_be_known(void **fxp)
{
	fixture *fx = *fxp;
	cw_action typo = {.type = CW_ACT_NOTE, .text = "hi", .tag = "strenght"};
	cw_action risk = {.type = CW_ACT_NOTE, .text = "hi", .tag = "risk"};
	struct decision d = {0};
	state st;

	load(fx, &st);
	assert_int_equal(decide(&d, &st, &typo), CW_ENOTFOUND);
	assert_null(d.payload);
	assert_non_null(strstr(cw_error_last(), "did you mean 'strength'?"));
	assert_int_equal(decide(&d, &st, &risk), 0);
	assert_string_equal(member(d.payload, "tag"), "risk");
	cJSON_Delete(d.payload);
	state_clear(&st);
}

/* --type counselling (UK) is the intervention type counseling. */
static void test_counselling_is_counseling(void **fxp)
{
	fixture *fx = *fxp;
	cw_action uk = {.type = CW_ACT_INTERVENTION,
			.goal = "G1",
			.intervention_type = "counselling",
			.text = "Weekly check-in"};
	record goal = {.kind = CW_RECORD_GOAL, .number = 1, .seq = 2};
	struct decision d = {0};
	state st;

	load(fx, &st);
	st.records = &goal;
	st.record_count = 1;
	assert_int_equal(decide(&d, &st, &uk), 0);
	assert_string_equal(member(d.payload, "type"), "counseling");
	cJSON_Delete(d.payload);
	st.records = NULL;
	st.record_count = 0;
	state_clear(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	    T(test_each_act_makes_its_event),
	    T(test_an_advance_with_blockers_is_a_refusal),
	    T(test_refused_acts_leave_nothing),
	    T(test_a_closed_session_takes_only_feedback),
	    T(test_an_evaluation_needs_an_intervention),
	    T(test_a_note_tag_must_be_known),
	    T(test_counselling_is_counseling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
