/*
 * test_judge.c - judging checkpoints on a replayed state: counts (tagged
 * or not), coverage of open goals, statements, and the progress and
 * blocker lists built from the verdicts.
 */
/* helpers.h first: its fixtures name their parameter `state` */
#include "helpers.h"

#include "state.h"
#include "text.h"
#include "store.h"
#include "text.h"

static void load(fixture *fx, state *st)
{
	session_row row = {0};

	assert_int_equal(state_load(st, &row, fx->store, fx->session), 0);
	session_row_clear(&row);
}

/* The checkpoint `id` of the state's workflow. */
static const cw_checkpoint *checkpoint(const state *st, const char *id)
{
	size_t phase;
	const cw_checkpoint *cp = cw_workflow_checkpoint(st->wf, id, &phase);

	assert_non_null(cp);
	return cp;
}

static void test_count_needs_its_minimum(void **fxp)
{
	fixture *fx = *fxp;
	cw_action a = {.type = CW_ACT_OBJECTIVE, .text = "an aim"};
	state st;
	verdict v;

	load(fx, &st);
	state_judge(&st, checkpoint(&st, "objectives"), &v);
	assert_false(v.met);
	assert_int_equal(v.have, 0);
	assert_int_equal(v.need, 1);
	assert_string_equal(v.command, "casework objective add \"TEXT\"");
	state_clear(&st);

	assert_int_equal(act(fx, a), 0);
	load(fx, &st);
	state_judge(&st, checkpoint(&st, "objectives"), &v);
	assert_true(v.met);
	assert_int_equal(v.have, 1);
	state_clear(&st);
}

static void test_statement_needs_enough_characters(void **fxp)
{
	fixture *fx = *fxp;
	state st;
	verdict v;

	assert_int_equal(text_chars("  héllo \n"), 5);
	assert_int_equal(text_chars(NULL), 0);
	load(fx, &st);
	state_judge(&st, checkpoint(&st, "case-file-reviewed"), &v);
	assert_false(v.met);
	assert_true(v.need > 0);
	assert_string_equal(v.command,
			    "casework check case-file-reviewed \"WHAT YOU "
			    "DID\"");
	state_clear(&st);

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	load(fx, &st);
	state_judge(&st, checkpoint(&st, "case-file-reviewed"), &v);
	assert_true(v.met);
	assert_string_equal(v.message, "confirmed");
	assert_int_equal(v.have, text_chars(LONG_ENOUGH));
	state_clear(&st);
}

static void test_progress_and_blockers(void **fxp)
{
	fixture *fx = *fxp;
	state st;
	cJSON *blockers;
	int met, total;

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	load(fx, &st);
	state_progress(&st, &met, &total);
	assert_int_equal(met, 1);
	assert_int_equal(total, 18);
	blockers = state_checkpoints_json(&st, 0, 1);
	assert_int_equal(cJSON_GetArraySize(blockers), 2);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(blockers, 0), "id")
		->valuestring,
	    "objectives");
	assert_non_null(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(blockers, 0), "command"));
	cJSON_Delete(blockers);
	blockers = state_checkpoints_json(&st, 0, 0);
	assert_int_equal(cJSON_GetArraySize(blockers), 3);
	assert_true(cJSON_IsTrue(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(blockers, 0), "met")));
	assert_null(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(blockers, 0), "command"));
	cJSON_Delete(blockers);
	state_clear(&st);
}

static void test_coverage_counts_open_goals(void **fxp)
{
	fixture *fx = *fxp;
	state st;
	verdict v;
	cw_checkpoint cp = {.id = "x",
			    .kind = CW_CHECKPOINT_COVERAGE,
			    .record = CW_RECORD_INTERVENTION};
	record goals[2] = {
	    {.kind = CW_RECORD_GOAL, .number = 1},
	    {.kind = CW_RECORD_GOAL, .number = 2},
	};

	load(fx, &st);
	state_judge(&st, &cp, &v);
	assert_false(v.met);
	assert_int_equal(v.need, 0);
	/* judge a state made by hand: two open goals, no interventions */
	st.records = goals;
	st.record_count = 2;
	state_judge(&st, &cp, &v);
	assert_false(v.met);
	assert_int_equal(v.need, 2);
	assert_int_equal(v.have, 0);
	assert_non_null(strstr(v.message, "G1, G2 have none"));
	goals[1].dropped = 1;
	state_judge(&st, &cp, &v);
	assert_int_equal(v.need, 1);
	assert_non_null(strstr(v.message, "G1 has none"));
	st.records = NULL;
	st.record_count = 0;
	state_clear(&st);
}

/* An evaluation covers a goal only when made after the goal's latest
 * intervention: one with no intervention, or one that a later
 * intervention (after a revisit) superseded, does not. */
static void test_evaluation_coverage_follows_the_latest_intervention(
    void **fxp)
{
	fixture *fx = *fxp;
	state st;
	verdict v;
	cw_checkpoint cp = {.id = "goals-evaluated",
			    .kind = CW_CHECKPOINT_COVERAGE,
			    .record = CW_RECORD_EVALUATION};
	record records[] = {
	    {.kind = CW_RECORD_GOAL, .number = 1, .seq = 2},
	    {.kind = CW_RECORD_EVALUATION, .number = 1, .goal = 1, .seq = 3},
	    {.kind = CW_RECORD_INTERVENTION, .number = 1, .goal = 1, .seq = 4},
	    {.kind = CW_RECORD_EVALUATION, .number = 2, .goal = 1, .seq = 5},
	    {.kind = CW_RECORD_INTERVENTION, .number = 2, .goal = 1, .seq = 6},
	    {.kind = CW_RECORD_EVALUATION, .number = 3, .goal = 1, .seq = 7},
	};

	load(fx, &st);
	st.records = records;
	/* an evaluation of a goal with no intervention covers nothing */
	st.record_count = 2;
	state_judge(&st, &cp, &v);
	assert_false(v.met);
	assert_int_equal(v.have, 0);
	assert_non_null(strstr(v.message, "after its latest intervention"));
	assert_non_null(strstr(v.message, "G1 has none"));
	/* an intervention, then an evaluation: covered */
	st.record_count = 4;
	state_judge(&st, &cp, &v);
	assert_true(v.met);
	/* a new intervention: the old evaluation no longer covers it */
	st.record_count = 5;
	state_judge(&st, &cp, &v);
	assert_false(v.met);
	assert_int_equal(v.need, 1);
	assert_int_equal(v.have, 0);
	/* and the message says it is out of date, not missing */
	assert_non_null(strstr(v.message, "G1 has an evaluation from before "
					  "its latest intervention"));
	assert_null(strstr(v.message, "none"));
	/* until the goal is evaluated again */
	st.record_count = 6;
	state_judge(&st, &cp, &v);
	assert_true(v.met);
	st.records = NULL;
	st.record_count = 0;
	state_clear(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	    T(test_count_needs_its_minimum),
	    T(test_statement_needs_enough_characters),
	    T(test_progress_and_blockers),
	    T(test_coverage_counts_open_goals),
	    T(test_evaluation_coverage_follows_the_latest_intervention),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
