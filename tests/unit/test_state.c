/*
 * test_state.c - replay gathers what the views read: every event's place,
 * time and actor, the visits to phases and how each began, statements,
 * goal versions, feedback and refused advances.
 */
/* helpers.h first: its fixtures name their parameter `state` */
#include "helpers.h"

#include "state.h"
#include "store.h"

/* Replay the fixture's session into `st` (free with state_clear). */
static void load(fixture *fx, state *st)
{
	session_row row = {0};

	assert_int_equal(state_load(st, &row, fx->store, fx->session), 0);
	session_row_clear(&row);
}

static void walk_preparation(fixture *fx)
{
	cw_action a = {.type = CW_ACT_OBJECTIVE, .text = "an aim"};

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, a), 0);
	assert_int_equal(check(fx, "environment-arranged", LONG_ENOUGH), 0);
}

static void test_events_are_kept_with_their_phase(void **fxp)
{
	fixture *fx = *fxp;
	state st;

	walk_preparation(fx);
	assert_int_equal(advance(fx), 0);
	assert_int_equal(note(fx, NULL, "said hello"), 0);
	load(fx, &st);
	assert_int_equal(st.seq, 6);
	assert_int_equal(st.event_count, 6);
	assert_int_equal(st.events[0].type, EV_SESSION_STARTED);
	assert_int_equal(st.events[4].type, EV_PHASE_ADVANCED);
	assert_int_equal(st.events[4].phase, 0); /* the move is in its source */
	assert_int_equal(st.events[5].type, EV_NOTE_ADDED);
	assert_int_equal(st.events[5].phase, 1);
	assert_string_equal(st.events[5].actor, "tester");
	assert_string_equal(st.events[5].hash, st.head);
	assert_string_equal(st.events[5].at, st.last_at);
	assert_string_equal(
	    cJSON_GetObjectItem(st.events[5].payload, "text")->valuestring,
	    "said hello");
	state_clear(&st);
}

static void test_visits_follow_the_moves(void **fxp)
{
	fixture *fx = *fxp;
	cw_action terminate = {.type = CW_ACT_TERMINATE,
			       .reason = "client moved away"};
	state st;

	walk_preparation(fx);
	assert_int_equal(advance(fx), 0);	 /* seq 5 */
	assert_int_equal(act(fx, terminate), 0); /* seq 6 */
	load(fx, &st);
	assert_int_equal(st.visit_count, 3);
	assert_int_equal(st.visits[0].how, ENTERED_START);
	assert_int_equal(st.visits[0].phase, 0);
	assert_int_equal(st.visits[0].from, 1);
	assert_int_equal(st.visits[0].to, 5);
	assert_int_equal(st.visits[1].how, ENTERED_ADVANCE);
	assert_int_equal(st.visits[1].phase, 1);
	assert_int_equal(st.visits[1].from, 6);
	assert_int_equal(st.visits[1].to, 6);
	assert_int_equal(st.visits[1].move_seq, 5);
	assert_int_equal(st.visits[2].how, ENTERED_TERMINATE);
	assert_int_equal(st.visits[2].phase, st.wf->phase_count - 1);
	assert_int_equal(st.visits[2].move_seq, 6);
	assert_string_equal(st.visits[2].reason, "client moved away");
	/* a visit with no event of its own yet ends where it began */
	assert_int_equal(st.visits[2].from, 7);
	assert_int_equal(st.visits[2].to, 6);
	assert_ptr_equal(st.visits[2].start, st.visits[2].end);
	state_clear(&st);
}

static void test_feedback_is_not_a_step_of_a_visit(void **fxp)
{
	fixture *fx = *fxp;
	cw_action f = {.type = CW_ACT_FEEDBACK,
		       .text = "good start",
		       .event = 2,
		       .score = 3};
	cw_action g = {.type = CW_ACT_FEEDBACK, .text = "and more"};
	state st;
	int visits;
	double seconds;

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, f), 0);
	assert_int_equal(act(fx, g), 0);
	load(fx, &st);
	assert_int_equal(st.feedback_count, 2);
	assert_int_equal(st.feedback[0].seq, 3);
	assert_int_equal(st.feedback[0].event, 2);
	assert_true(st.feedback[0].scored);
	assert_true(st.feedback[0].score == 3);
	assert_string_equal(st.feedback[0].phase, "preparation");
	assert_null(st.feedback[0].criterion);
	assert_string_equal(st.feedback[0].text, "good start");
	assert_false(st.feedback[1].scored);
	assert_int_equal(st.feedback[1].event, 0);
	assert_int_equal(st.visit_count, 1);
	assert_int_equal(st.visits[0].to, 2);
	state_phase_time(&st, 0, &visits, &seconds);
	assert_int_equal(visits, 1);
	assert_true(seconds >= 0);
	state_phase_time(&st, 1, &visits, &seconds);
	assert_int_equal(visits, 0);
	state_clear(&st);
}

static void test_refusals_keep_their_blockers(void **fxp)
{
	fixture *fx = *fxp;
	state st;

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(advance(fx), CW_EREFUSED);
	load(fx, &st);
	assert_int_equal(st.refusal_count, 1);
	assert_int_equal(st.refusals[0].seq, 3);
	assert_string_equal(st.refusals[0].phase, "preparation");
	assert_int_equal(st.refusals[0].blocker_count, 2);
	assert_string_equal(st.refusals[0].blockers[0].id, "objectives");
	assert_string_equal(st.refusals[0].blockers[1].id,
			    "environment-arranged");
	assert_non_null(st.refusals[0].blockers[1].message);
	state_clear(&st);
}

static void test_statements_and_goal_versions(void **fxp)
{
	fixture *fx = *fxp;
	cw_action add = {.type = CW_ACT_GOAL_ADD,
			 .text = "attend",
			 .term = "short",
			 .measure = "9 of 10"};
	cw_action revise = {
	    .type = CW_ACT_GOAL_REVISE, .goal = "G1", .text = "attend more"};
	cw_action drop = {
	    .type = CW_ACT_GOAL_DROP, .goal = "G1", .reason = "moved"};
	state st;

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(
	    check(fx, "case-file-reviewed", LONG_ENOUGH " and again"), 0);
	assert_int_equal(act(fx, add), 0);
	assert_int_equal(act(fx, revise), 0);
	assert_int_equal(act(fx, drop), 0);
	load(fx, &st);
	assert_int_equal(st.statement_count, 2);
	assert_int_equal(st.answer_count, 1);
	assert_int_equal(st.statements[0].seq, 2);
	assert_string_equal(st.statements[1].text, LONG_ENOUGH " and again");
	assert_int_equal(st.version_count, 2);
	assert_string_equal(st.versions[0].text, "attend");
	assert_string_equal(st.versions[1].text, "attend more");
	assert_string_equal(st.versions[1].measure, "9 of 10");
	assert_int_equal(st.versions[1].seq, 5);
	assert_int_equal(state_record(&st, CW_RECORD_GOAL, 1)->drop_seq, 6);
	state_clear(&st);
}

static void test_seconds_between_event_times(void **fxp)
{
	(void)fxp;
	assert_true(state_seconds("2026-01-01T00:00:00.000Z",
				  "2026-01-01T00:01:30.500Z") == 90.5);
	assert_true(state_seconds("2026-01-01T23:59:59.000Z",
				  "2026-01-02T00:00:01.000Z") == 2);
	assert_true(state_seconds("garbage", "2026-01-01T00:00:00.000Z") > 0);
}

static void test_started_matches_its_row(void **fxp)
{
	fixture *fx = *fxp;
	session_row row = {0};
	event_row ev = {.seq = 1, .type = "session.started"};
	char payload[512];

	assert_int_equal(store_session_get(fx->store, fx->session, &row), 0);
	snprintf(payload, sizeof(payload),
		 "{\"case\":\"%s\",\"case_sha256\":\"%s\",\"student\":\"%s\","
		 "\"workflow\":\"%s\",\"version\":%d}",
		 row.case_id, row.case_sha256, row.student, row.workflow_id,
		 row.workflow_version);
	ev.payload = payload;
	assert_true(state_started_matches(&ev, &row));
	ev.type = "note.added";
	assert_false(state_started_matches(&ev, &row));
	ev.type = "session.started";
	payload[strlen(payload) - 2] += 1; /* another version */
	assert_false(state_started_matches(&ev, &row));
	ev.payload = "not json";
	assert_false(state_started_matches(&ev, &row));
	session_row_clear(&row);
}

/* A correction and a strike: the state keeps the new text and what was
 * struck, the original stays in its event, and the hints follow. */
static void test_corrections_and_strikes(void **fxp)
{
	fixture *fx = *fxp;
	cw_action fix = {.type = CW_ACT_CORRECT, .record = "n1",
			 .text = "Maya came in late and sat by the door",
			 .reason = "a placeholder"};
	cw_action strike = {.type = CW_ACT_STRIKE, .record = "N2",
			    .reason = "said twice"};
	cw_action restate = {.type = CW_ACT_CORRECT,
			     .record = "case-file-reviewed",
			     .text = "the file shows a drop after March",
			     .reason = "the month"};
	const record *r;
	cJSON *hints;
	state st;

	assert_int_equal(note(fx, NULL, "a1"), 0);
	assert_int_equal(note(fx, NULL, "a1"), 0);
	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	load(fx, &st);
	hints = state_hints_json(&st, 0);
	/* N1 and N2 too short, N2 a repeat of N1 */
	assert_int_equal(cJSON_GetArraySize(hints), 3);
	cJSON_Delete(hints);
	state_clear(&st);

	assert_int_equal(act(fx, fix), 0);
	assert_int_equal(act(fx, strike), 0);
	assert_int_equal(act(fx, restate), 0);
	/* struck records cannot be struck or corrected again */
	assert_int_equal(act(fx, strike), CW_EREFUSED);
	load(fx, &st);
	r = state_named(&st, "N1");
	assert_non_null(r);
	assert_string_equal(r->text, "Maya came in late and sat by the door");
	assert_string_equal(state_str(st.events[r->seq - 1].payload, "text"),
			    "a1");
	assert_true(state_named(&st, "N2")->struck);
	assert_int_equal(st.correction_count, 3);
	/* N2 was event 3, after the start and N1 */
	assert_int_equal(st.corrections[1].of, 3);
	assert_null(st.corrections[1].text);
	assert_string_equal(st.answers[0].text,
			    "the file shows a drop after March");
	hints = state_hints_json(&st, 0);
	assert_int_equal(cJSON_GetArraySize(hints), 0);
	cJSON_Delete(hints);
	assert_null(state_named(&st, "X1"));
	assert_null(state_named(&st, " 1"));
	assert_null(state_named(&st, "N3"));
	state_clear(&st);
}

/* Apply one handmade event of `type` with `payload` to `st`. */
static int apply_event(state *st, const char *type, const char *payload)
{
	event_row ev = {0};

	ev.session = "s";
	ev.seq = st->seq + 1;
	ev.at = "2026-11-23T10:00:00.000Z";
	ev.actor = "tester";
	ev.phase = st->wf->phases[st->phase].id;
	ev.type = type;
	ev.payload = payload;
	ev.hash = "h";
	return state_apply(st, &ev);
}

/* The last activity is the latest time, not the last event's: a merged
 * hand-in appends events older than this side's newest. */
static void test_last_activity_is_the_latest_time(void **fxp)
{
	fixture *fx = *fxp;
	state st;
	event_row ev = {0};

	load(fx, &st);
	ev.session = "s";
	ev.actor = "tester";
	ev.phase = st.wf->phases[st.phase].id;
	ev.type = "note.added";
	ev.hash = "h";
	ev.seq = st.seq + 1;
	ev.at = "2099-01-02T09:00:00.000Z";
	ev.payload = "{\"id\": \"N1\", \"text\": \"later\"}";
	assert_int_equal(state_apply(&st, &ev), 0);
	ev.seq++;
	ev.at = "2099-01-01T09:00:00.000Z";
	ev.payload = "{\"id\": \"N2\", \"text\": \"earlier\"}";
	assert_int_equal(state_apply(&st, &ev), 0);
	assert_string_equal(st.last_at, "2099-01-02T09:00:00.000Z");
	state_clear(&st);
}

static void test_client_events_reopen_and_add_once(void **fxp)
{
	fixture *fx = *fxp;
	const cw_checkpoint *cp;
	size_t phase = 99;
	verdict v;
	state st;

	walk_preparation(fx);
	load(fx, &st);
	assert_true(state_phase_clear(&st));
	assert_int_equal(
	    apply_event(&st, "client.event",
			"{\"id\":\"news\",\"text\":\"t\","
			"\"reopen\":[\"case-file-reviewed\"],"
			"\"add\":[{\"phase\":\"assessment\",\"checkpoint\":"
			"{\"id\":\"safety\",\"label\":\"l\",\"kind\":"
			"\"confirm\",\"min_chars\":5}}]}"),
	    0);
	assert_int_equal(st.fired_count, 1);
	assert_string_equal(st.fired[0].id, "news");
	/* the statement made before the event no longer counts */
	state_judge(&st, cw_workflow_checkpoint(st.wf, "case-file-reviewed", NULL), &v);
	assert_false(v.met);
	assert_non_null(strstr(v.message, "reopened by client event 'news'"));
	assert_false(state_phase_clear(&st));
	/* the added checkpoint belongs to assessment, for this session */
	cp = state_checkpoint(&st, "safety", &phase);
	assert_non_null(cp);
	assert_int_equal(phase, 3);
	assert_int_equal(state_checkpoint_count(&st, 3), 3);
	assert_ptr_equal(state_checkpoint_at(&st, 3, 2), cp);
	/* a statement after the event meets it again */
	assert_int_equal(apply_event(&st, "checkpoint.confirmed",
				     "{\"checkpoint\":\"case-file-reviewed\","
				     "\"text\":\"Read it again after the news.\"}"),
			 0);
	assert_true(state_phase_clear(&st));
	/* an event fires once; a reopen or add that makes no sense does not
	 * replay */
	assert_true(apply_event(&st, "client.event",
				"{\"id\":\"news\",\"text\":\"t\"}") < 0);
	state_clear(&st);
	load(fx, &st);
	assert_true(apply_event(&st, "client.event",
				"{\"id\":\"a\",\"text\":\"t\",\"reopen\":[\"nope\"]}") < 0);
	state_clear(&st);
	load(fx, &st);
	assert_true(apply_event(&st, "client.event",
				"{\"id\":\"a\",\"text\":\"t\",\"add\":[{\"phase\":"
				"\"assessment\",\"checkpoint\":{\"id\":\"needs\","
				"\"label\":\"l\",\"kind\":\"confirm\",\"min_chars\":5}}]}") < 0);
	state_clear(&st);
	load(fx, &st);
	assert_true(apply_event(&st, "client.event",
				"{\"id\":\"a\",\"text\":\"t\",\"add\":[{\"phase\":"
				"\"nowhere\",\"checkpoint\":{\"id\":\"x\","
				"\"label\":\"l\",\"kind\":\"confirm\",\"min_chars\":5}}]}") < 0);
	state_clear(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_events_are_kept_with_their_phase, fixture_setup,
		fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_visits_follow_the_moves,
					    fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(
		test_feedback_is_not_a_step_of_a_visit, fixture_setup,
		fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_refusals_keep_their_blockers,
					    fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_statements_and_goal_versions,
					    fixture_setup, fixture_teardown),
	    cmocka_unit_test(test_seconds_between_event_times),
	    cmocka_unit_test_setup_teardown(
		test_last_activity_is_the_latest_time, fixture_setup,
		fixture_teardown),
	    cmocka_unit_test_setup_teardown(
		test_client_events_reopen_and_add_once, fixture_setup,
		fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_started_matches_its_row,
					    fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_corrections_and_strikes,
					    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
