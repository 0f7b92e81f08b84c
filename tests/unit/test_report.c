/*
 * test_report.c - the cohort report on a small cohort: Ana's session
 * advanced once, Ben's refused twice in preparation.  Rows, the phases
 * reached, refusals per checkpoint and the most refused one.
 */
#include "helpers.h"

#include "casework/report.h"

typedef struct cohort {
	char ana[CW_ID_LEN + 1], ben[CW_ID_LEN + 1];
} cohort;

static void make_cohort(fixture *fx, cohort *c)
{
	cw_action objective = { .type = CW_ACT_OBJECTIVE, .text = "an aim" };
	cJSON *out = NULL;

	snprintf(c->ana, sizeof(c->ana), "%s", fx->session);
	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, objective), 0);
	assert_int_equal(check(fx, "environment-arranged", LONG_ENOUGH), 0);
	assert_int_equal(advance(fx), 0);

	assert_int_equal(cw_session_start(&out, fx->store,
					  "school-attendance-year8", "Ben",
					  NULL, "tester", 1),
			 0);
	snprintf(c->ben, sizeof(c->ben), "%s",
		 cJSON_GetObjectItem(out, "session")->valuestring);
	cJSON_Delete(out);
	snprintf(fx->session, sizeof(fx->session), "%s", c->ben);
	/* refused with all three unmet, then with only one */
	assert_int_equal(advance(fx), CW_EREFUSED);
	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, objective), 0);
	assert_int_equal(advance(fx), CW_EREFUSED);
	assert_string_equal(phase(fx), "preparation");
	snprintf(fx->session, sizeof(fx->session), "%s", c->ana);
}

static const cJSON *row_of(const cJSON *report, const char *id)
{
	const cJSON *row;

	cJSON_ArrayForEach(row, cJSON_GetObjectItem(report, "sessions"))
		if (strcmp(cJSON_GetObjectItem(row, "session")->valuestring,
			   id) == 0)
			return row;
	fail_msg("no row for %s", id);
	return NULL;
}

static double num(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	assert_true(cJSON_IsNumber(item));
	return item->valuedouble;
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	assert_true(cJSON_IsString(item));
	return item->valuestring;
}

static void rows(void **state)
{
	fixture *fx = *state;
	cohort c;
	cJSON *report = NULL;
	const cJSON *ana, *ben, *secs;

	make_cohort(fx, &c);
	assert_int_equal(cw_report(&report, fx->store, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(report,
								"sessions")),
			 2);
	ana = row_of(report, c.ana);
	ben = row_of(report, c.ben);
	assert_string_equal(str(ana, "student"), "Ana");
	assert_string_equal(str(ben, "student"), "Ben");
	assert_string_equal(str(ana, "case"), "school-attendance-year8");
	assert_string_equal(str(ana, "workflow"), "standard");
	assert_int_equal(num(ana, "version"), 2);
	assert_string_equal(str(ana, "status"), "open");
	assert_string_equal(str(ana, "phase"), "introduction");
	assert_string_equal(str(ben, "phase"), "preparation");
	/* the furthest phase visited */
	assert_string_equal(str(ana, "reached"), "introduction");
	assert_int_equal(num(ana, "reached_index"), 1);
	assert_string_equal(str(ben, "reached"), "preparation");
	assert_int_equal(num(ben, "reached_index"), 0);
	/* advances refused */
	assert_int_equal(num(ana, "refused"), 0);
	assert_int_equal(num(ben, "refused"), 2);
	assert_int_equal(num(ana, "revisits"), 0);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(ana, "terminated")));
	/* checkpoints met of the workflow's 18: Ben 2, Ana preparation's 3 */
	assert_int_equal(num(ben, "met"), 2);
	assert_int_equal(num(ben, "total"), 18);
	assert_int_equal(num(ana, "met"), 3);
	assert_int_equal(num(ana, "total"), 18);
	assert_int_equal(num(ben, "goals"), 0);
	assert_int_equal(num(ben, "feedback"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ben,
								"goal_list")),
			 0);
	/* time only in the phases visited */
	secs = cJSON_GetObjectItem(ana, "seconds");
	assert_non_null(cJSON_GetObjectItem(secs, "preparation"));
	assert_non_null(cJSON_GetObjectItem(secs, "introduction"));
	assert_null(cJSON_GetObjectItem(secs, "exploration"));
	secs = cJSON_GetObjectItem(ben, "seconds");
	assert_non_null(cJSON_GetObjectItem(secs, "preparation"));
	assert_null(cJSON_GetObjectItem(secs, "introduction"));
	cJSON_Delete(report);
}

static void reached_counts_and_phases(void **state)
{
	fixture *fx = *state;
	cohort c;
	cJSON *report = NULL;
	const cJSON *summary, *reached, *phases;
	static const char *const order[] = { "preparation", "introduction",
					     "exploration", "assessment",
					     "goal-setting", "intervention",
					     "evaluation",  "termination" };

	make_cohort(fx, &c);
	assert_int_equal(cw_report(&report, fx->store, NULL), 0);
	phases = cJSON_GetObjectItem(report, "phases");
	assert_int_equal(cJSON_GetArraySize(phases), 8);
	for (int i = 0; i < 8; i++)
		assert_string_equal(cJSON_GetArrayItem(phases, i)->valuestring,
				    order[i]);
	summary = cJSON_GetObjectItem(report, "summary");
	assert_int_equal(num(summary, "sessions"), 2);
	reached = cJSON_GetObjectItem(summary, "reached");
	assert_int_equal(num(reached, "preparation"), 2);
	assert_int_equal(num(reached, "introduction"), 1);
	for (int i = 2; i < 8; i++)
		assert_int_equal(num(reached, order[i]), 0);
	/* medians only for phases someone spent time in */
	assert_non_null(cJSON_GetObjectItem(
		cJSON_GetObjectItem(summary, "median_seconds"), "preparation"));
	assert_null(cJSON_GetObjectItem(
		cJSON_GetObjectItem(summary, "median_seconds"), "exploration"));
	cJSON_Delete(report);
}

static void refusals_per_checkpoint(void **state)
{
	fixture *fx = *state;
	cohort c;
	cJSON *report = NULL;
	const cJSON *summary, *refusals, *worst;

	make_cohort(fx, &c);
	assert_int_equal(cw_report(&report, fx->store, NULL), 0);
	summary = cJSON_GetObjectItem(report, "summary");
	refusals = cJSON_GetObjectItem(summary, "refusals");
	assert_int_equal(cJSON_GetArraySize(refusals), 3);
	assert_int_equal(num(refusals, "case-file-reviewed"), 1);
	assert_int_equal(num(refusals, "objectives"), 1);
	assert_int_equal(num(refusals, "environment-arranged"), 2);
	worst = cJSON_GetObjectItem(summary, "most_refused");
	assert_true(cJSON_IsObject(worst));
	assert_string_equal(str(worst, "checkpoint"), "environment-arranged");
	assert_int_equal(num(worst, "count"), 2);
	cJSON_Delete(report);
}

/* A filter narrows the cohort, summary included; nobody: no refusals. */
static void filtered_and_empty_cohorts(void **state)
{
	fixture *fx = *state;
	cohort c;
	cJSON *report = NULL;
	cw_session_filter ana = { .student = "Ana" };
	cw_session_filter nobody = { .student = "Nobody" };
	const cJSON *summary;

	make_cohort(fx, &c);
	assert_int_equal(cw_report(&report, fx->store, &ana), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(report,
								"sessions")),
			 1);
	summary = cJSON_GetObjectItem(report, "summary");
	assert_int_equal(num(summary, "sessions"), 1);
	assert_int_equal(num(cJSON_GetObjectItem(summary, "reached"),
			     "introduction"),
			 1);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(summary, "most_refused")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(summary,
								"refusals")),
			 0);
	cJSON_Delete(report);

	assert_int_equal(cw_report(&report, fx->store, &nobody), 0);
	summary = cJSON_GetObjectItem(report, "summary");
	assert_int_equal(num(summary, "sessions"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(report,
								"sessions")),
			 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(summary, "most_refused")));
	cJSON_Delete(report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(reached_counts_and_phases,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(refusals_per_checkpoint,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(filtered_and_empty_cohorts,
						fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
