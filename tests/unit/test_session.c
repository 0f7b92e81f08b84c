/*
 * test_session.c - the state machine: checkpoints of every kind, every
 * transition allowed and refused, blockers, closed sessions, replay.
 */
#include <sqlite3.h>

#include "store.h"

#include "helpers.h"

/* Meet every checkpoint of the current phase of the standard workflow. */
static void satisfy(fixture *fx)
{
	const char *ph = phase(fx);
	cw_action a = { 0 };

	if (strcmp(ph, "preparation") == 0) {
		assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
		a = (cw_action){ .type = CW_ACT_OBJECTIVE, .text = "an aim" };
		assert_int_equal(act(fx, a), 0);
		assert_int_equal(check(fx, "environment-arranged", LONG_ENOUGH), 0);
	} else if (strcmp(ph, "introduction") == 0) {
		assert_int_equal(check(fx, "introduced-self", LONG_ENOUGH), 0);
		assert_int_equal(check(fx, "purpose-explained", LONG_ENOUGH), 0);
		assert_int_equal(check(fx, "confidentiality-explained", LONG_ENOUGH), 0);
	} else if (strcmp(ph, "exploration") == 0) {
		for (int i = 0; i < 3; i++)
			assert_int_equal(note(fx, "exploration", "said"), 0);
		assert_int_equal(note(fx, "strength", "art"), 0);
	} else if (strcmp(ph, "assessment") == 0) {
		assert_int_equal(note(fx, "need", "a carer"), 0);
		a = (cw_action){ .type = CW_ACT_CHOOSE, .checkpoint = "risk-level",
				 .value = "medium", .text = LONG_ENOUGH };
		assert_int_equal(act(fx, a), 0);
	} else if (strcmp(ph, "goal-setting") == 0) {
		a = (cw_action){ .type = CW_ACT_GOAL_ADD, .text = "attend",
				 .term = "short", .measure = "9 of 10 days" };
		assert_int_equal(act(fx, a), 0);
		assert_int_equal(check(fx, "goals-agreed", LONG_ENOUGH), 0);
	} else if (strcmp(ph, "intervention") == 0) {
		a = (cw_action){ .type = CW_ACT_INTERVENTION, .goal = "G1",
				 .intervention_type = "counseling",
				 .text = "weekly" };
		assert_int_equal(act(fx, a), 0);
	} else if (strcmp(ph, "evaluation") == 0) {
		a = (cw_action){ .type = CW_ACT_EVALUATION, .goal = "G1",
				 .outcome = "partial", .text = "8 of 10" };
		assert_int_equal(act(fx, a), 0);
	} else if (strcmp(ph, "termination") == 0) {
		assert_int_equal(check(fx, "progress-reviewed", LONG_ENOUGH), 0);
		assert_int_equal(check(fx, "next-steps", LONG_ENOUGH), 0);
		assert_int_equal(check(fx, "closing-summary", LONG_ENOUGH), 0);
		assert_int_equal(reflect_all(fx), 0);
	}
}

/* Walk forward until the session is in phase `target`. */
static void walk_to(fixture *fx, const char *target)
{
	while (strcmp(phase(fx), target) != 0) {
		satisfy(fx);
		assert_int_equal(advance(fx), 0);
	}
}

/* The blockers of a refused advance, as the engine returns them. */
static cJSON *refused_advance(fixture *fx)
{
	cw_action a = { .type = CW_ACT_ADVANCE };
	cJSON *out = NULL;

	assert_int_equal(cw_session_act(&out, fx->store, fx->session, "t", &a),
			 CW_EREFUSED);
	assert_non_null(out);
	return out;
}

static const cJSON *blocker(const cJSON *out, const char *id)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, cJSON_GetObjectItem(out, "blockers"))
		if (strcmp(cJSON_GetObjectItem(b, "id")->valuestring, id) == 0)
			return b;
	return NULL;
}

static const char *message(const cJSON *b)
{
	return cJSON_GetObjectItem(b, "message")->valuestring;
}

static long events(fixture *fx)
{
	cJSON *doc = NULL;
	long n;

	assert_int_equal(cw_session_log(&doc, fx->store, fx->session), 0);
	n = cJSON_GetArraySize(cJSON_GetObjectItem(doc, "events"));
	cJSON_Delete(doc);
	return n;
}

static void test_starts_in_preparation(void **state)
{
	fixture *fx = *state;

	assert_string_equal(phase(fx), "preparation");
	assert_int_equal(events(fx), 1);
}

static void test_refused_advance_names_every_blocker(void **state)
{
	fixture *fx = *state;
	cJSON *out = refused_advance(fx);

	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "blockers")), 3);
	assert_string_equal(message(blocker(out, "objectives")),
			    "needs 1 objective, has 0");
	assert_string_equal(cJSON_GetObjectItem(blocker(out, "objectives"),
						"command")->valuestring,
			    "casework objective add \"TEXT\"");
	assert_non_null(strstr(message(blocker(out, "case-file-reviewed")),
			       "at least 20 characters"));
	cJSON_Delete(out);
	/* the refusal is logged; nothing else changed */
	assert_int_equal(events(fx), 2);
	assert_string_equal(phase(fx), "preparation");
}

static void test_confirm_needs_min_chars(void **state)
{
	fixture *fx = *state;

	assert_int_equal(check(fx, "case-file-reviewed", "too short"), CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "at least 20 characters"));
	assert_int_equal(check(fx, "case-file-reviewed", "   "), CW_EINVALID);
	assert_int_equal(events(fx), 1);
	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	cJSON *out = refused_advance(fx);
	assert_null(blocker(out, "case-file-reviewed"));
	cJSON_Delete(out);
}

static void test_checkpoint_of_another_phase_or_kind(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_CHOOSE, .checkpoint = "risk-level",
			.value = "low", .text = LONG_ENOUGH };

	assert_int_equal(check(fx, "introduced-self", LONG_ENOUGH), CW_EREFUSED);
	assert_non_null(strstr(cw_error_last(), "belongs to phase 'introduction'"));
	assert_int_equal(check(fx, "no-such-checkpoint", LONG_ENOUGH), CW_ENOTFOUND);
	assert_int_equal(check(fx, "objectives", LONG_ENOUGH), CW_EINVALID);
	assert_int_equal(act(fx, a), CW_EREFUSED);
	assert_int_equal(events(fx), 1);
}

static void test_count_of_tagged_notes(void **state)
{
	fixture *fx = *state;
	cJSON *out;

	walk_to(fx, "exploration");
	assert_int_equal(note(fx, "exploration", "one"), 0);
	assert_int_equal(note(fx, NULL, "untagged does not count"), 0);
	assert_int_equal(note(fx, "strength", "a strength"), 0);
	out = refused_advance(fx);
	assert_string_equal(message(blocker(out, "exploration-notes")),
			    "needs 3 notes tagged 'exploration', has 1");
	assert_null(blocker(out, "strengths"));
	cJSON_Delete(out);
	assert_int_equal(note(fx, "exploration", "two"), 0);
	assert_int_equal(note(fx, "exploration", "three"), 0);
	assert_int_equal(advance(fx), 0);
	assert_string_equal(phase(fx), "assessment");
}

static void test_bad_tag_and_empty_note(void **state)
{
	fixture *fx = *state;

	assert_int_equal(note(fx, "Not A Tag", "text"), CW_EINVALID);
	assert_int_equal(note(fx, NULL, ""), CW_EINVALID);
	assert_int_equal(note(fx, NULL, "\xff\xfe bad utf-8"), CW_EINVALID);
	assert_int_equal(events(fx), 1);
}

static void test_choice(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_CHOOSE, .checkpoint = "risk-level",
			.value = "extreme", .text = LONG_ENOUGH };
	cJSON *out;

	walk_to(fx, "assessment");
	/* not an option: not found, as an unknown checkpoint is */
	assert_int_equal(act(fx, a), CW_ENOTFOUND);
	assert_non_null(strstr(cw_error_last(), "low, medium, high"));
	assert_null(strstr(cw_error_last(), "did you mean"));
	a.value = "hihg";
	assert_int_equal(act(fx, a), CW_ENOTFOUND);
	assert_non_null(strstr(cw_error_last(), "did you mean 'high'?"));
	a.value = "high";
	a.text = "short";
	assert_int_equal(act(fx, a), CW_EINVALID);
	out = refused_advance(fx);
	assert_non_null(blocker(out, "risk-level"));
	cJSON_Delete(out);
	a.text = LONG_ENOUGH;
	assert_int_equal(act(fx, a), 0);
	out = refused_advance(fx);
	assert_null(blocker(out, "risk-level"));
	assert_non_null(blocker(out, "needs"));
	cJSON_Delete(out);
}

static void test_goal_rules(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_GOAL_ADD, .text = "attend",
			.term = "medium", .measure = "9 of 10" };

	assert_int_equal(act(fx, a), CW_EINVALID); /* bad term */
	a.term = "long";
	a.measure = NULL;
	assert_int_equal(act(fx, a), CW_EINVALID); /* no measure */
	a.measure = "9 of 10";
	assert_int_equal(act(fx, a), 0);
	a = (cw_action){ .type = CW_ACT_INTERVENTION, .goal = "G2",
			 .intervention_type = "skills", .text = "x" };
	assert_int_equal(act(fx, a), CW_ENOTFOUND);
	a.goal = "G1";
	a.intervention_type = "magic";
	assert_int_equal(act(fx, a), CW_EINVALID);
	a = (cw_action){ .type = CW_ACT_GOAL_DROP, .goal = "G1" };
	assert_int_equal(act(fx, a), CW_EINVALID); /* no reason */
	a.reason = "client chose another focus";
	assert_int_equal(act(fx, a), 0);
	a = (cw_action){ .type = CW_ACT_EVALUATION, .goal = "g1",
			 .outcome = "achieved", .text = "x" };
	assert_int_equal(act(fx, a), CW_ENOTFOUND); /* dropped */
	assert_non_null(strstr(cw_error_last(), "dropped"));
}

static void test_coverage(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_GOAL_ADD, .text = "second goal",
			.term = "long", .measure = "a measure" };
	cJSON *out;

	walk_to(fx, "intervention");
	assert_int_equal(act(fx, a), 0); /* G2, no intervention yet */
	a = (cw_action){ .type = CW_ACT_INTERVENTION, .goal = "G1",
			 .intervention_type = "advocacy", .text = "x" };
	assert_int_equal(act(fx, a), 0);
	out = refused_advance(fx);
	assert_string_equal(message(blocker(out, "goals-covered")),
			    "needs an intervention for every open goal; G2 has none");
	assert_string_equal(cJSON_GetObjectItem(blocker(out, "goals-covered"),
						"command")->valuestring,
			    "casework intervention add G2 --type TYPE \"TEXT\"");
	cJSON_Delete(out);
	/* dropping the uncovered goal also meets it */
	a = (cw_action){ .type = CW_ACT_GOAL_DROP, .goal = "G2",
			 .reason = "merged into G1" };
	assert_int_equal(act(fx, a), 0);
	assert_int_equal(advance(fx), 0);
	assert_string_equal(phase(fx), "evaluation");
}

static void test_coverage_with_no_open_goals(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_GOAL_DROP, .goal = "G1",
			.reason = "no longer wanted" };
	cJSON *out;

	walk_to(fx, "intervention");
	assert_int_equal(act(fx, a), 0);
	out = refused_advance(fx);
	assert_non_null(strstr(message(blocker(out, "goals-covered")),
			       "no open goals"));
	cJSON_Delete(out);
}

static void test_revisit_rules(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_REVISIT, .phase = "exploration",
			.reason = "new information" };

	assert_int_equal(act(fx, a), CW_EREFUSED); /* preparation: none */
	walk_to(fx, "assessment");
	a.phase = "preparation";
	assert_int_equal(act(fx, a), CW_EREFUSED);
	assert_non_null(strstr(cw_error_last(), "may revisit only exploration"));
	a.phase = "nowhere";
	assert_int_equal(act(fx, a), CW_ENOTFOUND);
	a.phase = "exploration";
	a.reason = NULL;
	assert_int_equal(act(fx, a), CW_EINVALID);
	a.reason = "a disclosure changes the picture";
	assert_int_equal(act(fx, a), 0);
	assert_string_equal(phase(fx), "exploration");
	/* its checkpoints are judged again on the records: still met */
	assert_int_equal(advance(fx), 0);
	assert_string_equal(phase(fx), "assessment");
}

static void test_revisit_from_evaluation(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_REVISIT, .phase = "intervention",
			.reason = "Mondays still missed" };

	walk_to(fx, "evaluation");
	assert_int_equal(act(fx, a), 0);
	assert_string_equal(phase(fx), "intervention");
	assert_int_equal(advance(fx), 0);
	a.phase = "goal-setting";
	assert_int_equal(act(fx, a), 0);
	assert_string_equal(phase(fx), "goal-setting");
	a.phase = "assessment";
	assert_int_equal(act(fx, a), 0);
	a.phase = "preparation";
	assert_int_equal(act(fx, a), CW_EREFUSED);
}

static void test_terminate_from_every_phase(void **state)
{
	static const char *const phases[] = { "preparation", "introduction",
		"exploration", "assessment", "goal-setting", "intervention",
		"evaluation" };
	fixture *fx = *state;

	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		cw_action a = { .type = CW_ACT_TERMINATE };
		cJSON *out = NULL;

		assert_int_equal(cw_session_start(&out, fx->store,
						  "school-attendance-year8",
						  "Ana", NULL, "t", 1),
				 0);
		snprintf(fx->session, sizeof(fx->session), "%s",
			 cJSON_GetObjectItem(out, "session")->valuestring);
		cJSON_Delete(out);
		walk_to(fx, phases[i]);
		assert_int_equal(act(fx, a), CW_EINVALID); /* reason needed */
		a.reason = "client withdrew";
		assert_int_equal(act(fx, a), 0);
		assert_string_equal(phase(fx), "termination");
		assert_int_equal(act(fx, a), CW_EREFUSED); /* already there */
	}
}

static void test_closed_session_refuses_changes(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_TERMINATE, .reason = "moved away" };
	long before;

	assert_int_equal(act(fx, a), 0);
	satisfy(fx);
	assert_int_equal(advance(fx), 0);
	before = events(fx);
	assert_int_equal(note(fx, NULL, "after closing"), CW_EREFUSED);
	assert_non_null(strstr(cw_error_last(), "closed"));
	assert_int_equal(advance(fx), CW_EREFUSED);
	assert_int_equal(act(fx, a), CW_EREFUSED);
	assert_int_equal(events(fx), before);
}

static void test_full_walk_and_replay(void **state)
{
	fixture *fx = *state;
	cJSON *status = NULL, *again = NULL, *v = NULL;
	char *a, *b;

	walk_to(fx, "termination");
	satisfy(fx);
	assert_int_equal(cw_session_status(&status, fx->store, fx->session), 0);
	assert_int_equal(advance(fx), 0);

	/* verify replays the log and compares with the stored projection */
	assert_int_equal(cw_session_verify(&v, fx->store, fx->session), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(v, "ok")));
	cJSON_Delete(v);

	/* a fresh open of the file rebuilds the same state from the log */
	cw_store_free(fx->store);
	assert_int_equal(cw_store_open(&fx->store, fx->path), 0);
	cJSON_Delete(status);
	assert_int_equal(cw_session_status(&status, fx->store, fx->session), 0);
	assert_int_equal(cw_session_status(&again, fx->store, fx->session), 0);
	a = cJSON_PrintUnformatted(status);
	b = cJSON_PrintUnformatted(again);
	assert_string_equal(a, b);
	assert_string_equal(cJSON_GetObjectItem(status, "status")->valuestring,
			    "closed");
	free(a);
	free(b);
	cJSON_Delete(status);
	cJSON_Delete(again);
}

/* The projection in the sessions table matches what replay gives. */
static void test_projection_matches_replay(void **state)
{
	fixture *fx = *state;
	cJSON *list = NULL, *status = NULL;
	const cJSON *row;
	cw_session_filter f = { 0 };

	walk_to(fx, "goal-setting");
	assert_int_equal(note(fx, "need", "late extra need"), 0);
	assert_int_equal(cw_session_list(&list, fx->store, &f), 0);
	assert_int_equal(cw_session_status(&status, fx->store, fx->session), 0);
	row = cJSON_GetArrayItem(list, 0);
	assert_string_equal(cJSON_GetObjectItem(row, "phase")->valuestring,
			    "goal-setting");
	assert_int_equal(cJSON_GetObjectItem(row, "met")->valueint,
			 cJSON_GetObjectItem(cJSON_GetObjectItem(status, "progress"),
					     "met")->valueint);
	assert_int_equal(cJSON_GetObjectItem(row, "total")->valueint, 18);
	cJSON_Delete(list);
	cJSON_Delete(status);
}

static void test_log_is_append_only(void **state)
{
	fixture *fx = *state;
	sqlite3 *db;
	char *err = NULL;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE events SET payload = '{}'",
					  NULL, NULL, &err),
			     SQLITE_OK);
	assert_non_null(strstr(err, "append-only"));
	sqlite3_free(err);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM events", NULL, NULL,
					  &err),
			     SQLITE_OK);
	sqlite3_free(err);
	/* a gap in the sequence is refused too */
	assert_int_not_equal(
		sqlite3_exec(db,
			     "INSERT INTO events SELECT session_id, seq + 5, at,"
			     " actor, phase, type, payload, prev, hash FROM events",
			     NULL, NULL, &err),
		SQLITE_OK);
	sqlite3_free(err);
	sqlite3_close(db);
	assert_int_equal(events(fx), 1);
}

static void test_verify_detects_a_changed_event(void **state)
{
	fixture *fx = *state;
	sqlite3 *db;
	cJSON *v = NULL;

	assert_int_equal(note(fx, NULL, "the original text"), 0);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	/* a tamperer who drops the trigger to edit the log */
	assert_int_equal(sqlite3_exec(db,
				      "DROP TRIGGER events_no_update;"
				      "UPDATE events SET payload = replace(payload,"
				      " 'original', 'forged') WHERE seq = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cw_session_verify(&v, fx->store, fx->session),
			 CW_EREFUSED);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(v, "ok")));
	assert_non_null(strstr(cJSON_GetObjectItem(v, "problem")->valuestring,
			       "event 2"));
	cJSON_Delete(v);
}

static void test_session_prefixes(void **state)
{
	fixture *fx = *state;
	char id[CW_ID_LEN + 1], prefix[9];

	snprintf(prefix, sizeof(prefix), "%.8s", fx->session);
	assert_int_equal(cw_session_resolve(id, fx->store, prefix), 0);
	assert_string_equal(id, fx->session);
	assert_int_equal(cw_session_resolve(id, fx->store, NULL), 0);
	assert_string_equal(id, fx->session); /* start made it current */
	assert_int_equal(cw_session_resolve(id, fx->store, "abc"), CW_EINVALID);
	assert_int_equal(cw_session_resolve(id, fx->store, "zzzz"),
			 CW_ENOTFOUND);
	/* sessions with hand-made ids that share prefixes */
	{
		sqlite3 *db;
		static const char *const ids[] = {
			"abcd0000-0000-4000-8000-000000000001",
			"abce0000-0000-4000-8000-000000000002",
		};
		char sql[512];

		assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
		for (int i = 0; i < 2; i++) {
			snprintf(sql, sizeof(sql),
				 "INSERT INTO sessions SELECT '%s', case_id,"
				 " case_sha256, workflow_id, workflow_version,"
				 " student, created_at, phase, status, last_seq,"
				 " head, met, total, updated_at, ended_early"
				 " FROM sessions"
				 " WHERE id = '%s'",
				 ids[i], fx->session);
			assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL),
					 SQLITE_OK);
		}
		assert_int_equal(cw_session_resolve(id, fx->store, "abcd"), 0);
		assert_int_equal(cw_session_resolve(id, fx->store, "ABCD"), 0);
		assert_string_equal(id, ids[0]);
		assert_int_equal(cw_session_resolve(id, fx->store, "abc"),
				 CW_EINVALID);
		assert_int_equal(cw_session_resolve(id, fx->store, "abc-"),
				 CW_ENOTFOUND);
		/* a third id that also starts "abcd" makes "abcd" ambiguous */
		snprintf(sql, sizeof(sql),
			 "INSERT INTO sessions SELECT 'abcd9000-0000-4000-8000-"
			 "000000000003', case_id, case_sha256, workflow_id,"
			 " workflow_version, student, created_at, phase, status,"
			 " last_seq, head, met, total, updated_at, ended_early"
			 " FROM sessions"
			 " WHERE id = '%s'",
			 fx->session);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	assert_int_equal(cw_session_resolve(id, fx->store, "abcd"), CW_EAMBIGUOUS);
	assert_non_null(strstr(cw_error_last(), "ambiguous"));
	assert_non_null(strstr(cw_error_last(), "abcd9"));
}

/* A forger with sqlite3 and the hash function appends a move the
 * workflow does not allow, with a valid chain: replay refuses it. */
static void test_verify_refuses_a_forged_move(void **state)
{
	fixture *fx = *state;
	char hash[65], head[65], sql[1024];
	cJSON *log = NULL, *v = NULL;
	sqlite3 *db;
	event_row ev = { 0 };

	assert_int_equal(cw_session_log(&log, fx->store, fx->session), 0);
	snprintf(head, sizeof(head), "%s",
		 cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(log, "events"), 0),
				     "hash")->valuestring);
	cJSON_Delete(log);
	ev.session = fx->session;
	ev.seq = 2;
	ev.at = "2026-11-23T10:00:00.000Z";
	ev.actor = "mallory";
	ev.phase = "preparation";
	ev.type = "phase.advanced";
	ev.payload = "{\"from\":\"preparation\",\"to\":\"introduction\"}";
	ev.prev = head;
	store_event_hash(hash, &ev);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO events VALUES ('%s', 2, '%s', '%s', '%s', '%s',"
		 " '%s', '%s', '%s');"
		 "UPDATE sessions SET phase = 'introduction', last_seq = 2,"
		 " head = '%s' WHERE id = '%s'",
		 fx->session, ev.at, ev.actor, ev.phase, ev.type, ev.payload,
		 ev.prev, hash, hash, fx->session);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cw_session_verify(&v, fx->store, fx->session),
			 CW_EREFUSED);
	assert_non_null(strstr(cJSON_GetObjectItem(v, "problem")->valuestring,
			       "does not replay"));
	cJSON_Delete(v);
}

static int feedback(fixture *fx, const char *phase_id, long event, int score,
		    const char *criterion)
{
	cw_action a = { .type = CW_ACT_FEEDBACK, .text = "well done",
			.phase = phase_id, .event = event, .score = score,
			.criterion = criterion };

	return act(fx, a);
}

static void test_feedback_rules(void **state)
{
	fixture *fx = *state;
	cw_action a = { .type = CW_ACT_TERMINATE, .reason = "moved away" };
	cJSON *log = NULL;
	const cJSON *ev;
	long before;

	assert_int_equal(advance(fx), CW_EREFUSED); /* event 2 */
	assert_int_equal(feedback(fx, NULL, 2, 0, NULL), 0);
	assert_int_equal(feedback(fx, "assessment", 0, 3, "analysis"), 0);
	before = events(fx);
	assert_int_equal(feedback(fx, "nowhere", 0, 0, NULL), CW_ENOTFOUND);
	assert_int_equal(feedback(fx, NULL, 99, 0, NULL), CW_ENOTFOUND);
	assert_int_equal(feedback(fx, NULL, 0, 5, NULL), CW_EINVALID);
	assert_int_equal(feedback(fx, NULL, 0, 0, "rapport"), CW_EINVALID);
	assert_int_equal(feedback(fx, "assessment", 0, 2, "rapport"),
			 CW_ENOTFOUND);
	assert_non_null(strstr(cw_error_last(), "analysis"));
	assert_int_equal(feedback(fx, "introduction", 2, 0, NULL), CW_EINVALID);
	assert_int_equal(events(fx), before);

	/* feedback is the one change a closed session accepts */
	assert_int_equal(act(fx, a), 0);
	satisfy(fx);
	assert_int_equal(advance(fx), 0);
	assert_int_equal(feedback(fx, NULL, 0, 4, NULL), 0);
	assert_int_equal(note(fx, NULL, "late note"), CW_EREFUSED);

	/* the log attaches feedback to the event it is about */
	assert_int_equal(cw_session_log(&log, fx->store, fx->session), 0);
	ev = cJSON_GetArrayItem(cJSON_GetObjectItem(log, "events"), 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ev, "feedback")), 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(log, "feedback")), 3);
	cJSON_Delete(log);
	{
		cJSON *v = NULL;

		assert_int_equal(cw_session_verify(&v, fx->store, fx->session), 0);
		cJSON_Delete(v);
	}
}

/* Sessions on two workflows in one store: each is judged on its own
 * workflow however the reads interleave (parsed workflows are cached per
 * store, keyed by their stored text). */
static void test_two_workflows_in_one_store(void **state)
{
	fixture *fx = *state;
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	char path[512], cp[CW_ID_LEN + 1];
	size_t len = 0;
	char *text;

	snprintf(path, sizeof(path),
		 "%s/examples/workflows/child-protection.json", top());
	text = read_all(path, &len);
	assert_non_null(text);
	assert_int_equal(cw_workflow_import(&out, fx->store, &diags, text, len),
			 0);
	cJSON_Delete(out);
	cw_diags_free(&diags);
	free(text);
	import_case(fx->store, "cp-anonymous-referral");
	assert_int_equal(cw_session_start(&out, fx->store,
					  "cp-anonymous-referral", "Bo",
					  "child-protection", "tester", 0),
			 0);
	snprintf(cp, sizeof(cp), "%s",
		 cJSON_GetObjectItem(out, "session")->valuestring);
	cJSON_Delete(out);

	for (int round = 0; round < 2; round++) {
		const char *ids[] = { fx->session, cp };
		const char *want[] = { "standard", "child-protection" };
		int checkpoints[2];

		for (int i = 0; i < 2; i++) {
			cJSON *st = NULL, *v = NULL;

			assert_int_equal(cw_session_status(&st, fx->store, ids[i]),
					 0);
			assert_string_equal(
				cJSON_GetObjectItem(cJSON_GetObjectItem(st,
									"workflow"),
						    "id")->valuestring,
				want[i]);
			checkpoints[i] = cJSON_GetArraySize(
				cJSON_GetObjectItem(st, "checkpoints"));
			cJSON_Delete(st);
			assert_int_equal(cw_session_verify(&v, fx->store, ids[i]),
					 0);
			cJSON_Delete(v);
		}
		/* preparation: 3 checkpoints in standard, 5 in the variant */
		assert_int_equal(checkpoints[0], 3);
		assert_int_equal(checkpoints[1], 5);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
		T(test_starts_in_preparation),
		T(test_refused_advance_names_every_blocker),
		T(test_confirm_needs_min_chars),
		T(test_checkpoint_of_another_phase_or_kind),
		T(test_count_of_tagged_notes),
		T(test_bad_tag_and_empty_note),
		T(test_choice),
		T(test_goal_rules),
		T(test_coverage),
		T(test_coverage_with_no_open_goals),
		T(test_revisit_rules),
		T(test_revisit_from_evaluation),
		T(test_terminate_from_every_phase),
		T(test_closed_session_refuses_changes),
		T(test_full_walk_and_replay),
		T(test_projection_matches_replay),
		T(test_log_is_append_only),
		T(test_verify_detects_a_changed_event),
		T(test_session_prefixes),
		T(test_feedback_rules),
		T(test_verify_refuses_a_forged_move),
		T(test_two_workflows_in_one_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
