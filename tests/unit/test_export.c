/*
 * test_export.c - the export document of a session, redaction, and the
 * writers: each format is written whole, bad options and unknown sessions
 * write nothing.
 */
#include "casework/export.h"
#include "helpers.h"

/* What `fn` writes, as text (caller frees), and its return in *error. */
static char *written(fixture *fx, const char *id, cw_export_format format,
		     int redact, int goals, int *error)
{
	cw_export_options o = CW_EXPORT_OPTIONS_INIT;
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	o.format = format;
	o.redact = redact;
	o.goals = goals;
	assert_non_null(f);
	*error = cw_export_write(f, fx->store, id, &o);
	fclose(f);
	return text;
}

static void test_format_names(void **state)
{
	cw_export_format f = CW_EXPORT_JSON;

	(void)state;
	assert_int_equal(cw_export_format_parse(&f, "md"), 0);
	assert_int_equal(f, CW_EXPORT_MARKDOWN);
	assert_int_equal(cw_export_format_parse(&f, "html"), 0);
	assert_int_equal(f, CW_EXPORT_HTML);
	assert_int_equal(cw_export_format_parse(&f, "csv"), 0);
	assert_int_equal(f, CW_EXPORT_CSV);
	assert_int_equal(cw_export_format_parse(&f, "json"), 0);
	assert_int_equal(f, CW_EXPORT_JSON);
	assert_int_equal(cw_export_format_parse(&f, "pdf"), CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "'pdf'"));
	assert_int_equal(cw_export_format_parse(&f, NULL), CW_EINVALID);
}

static void test_document(void **state)
{
	fixture *fx = *state;
	cw_action goal = { .type = CW_ACT_GOAL_ADD, .text = "Back to school",
			   .term = "short", .measure = "9 of 10 days" };
	cw_action revise = { .type = CW_ACT_GOAL_REVISE, .goal = "G1",
			     .text = "Back to school on Mondays" };
	cJSON *doc = NULL, *verified = NULL;
	const cJSON *g, *phases, *cp, *said, *client;

	assert_int_equal(note(fx, "exploration", "Mondays are different"), 0);
	assert_int_equal(act(fx, goal), 0);
	assert_int_equal(act(fx, revise), 0);
	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(cw_export_session(&doc, fx->store, fx->session, 0), 0);
	assert_int_equal(
		cw_session_verify(&verified, fx->store, fx->session), 0);

	assert_int_equal(cJSON_GetObjectItem(doc, "schema_version")->valueint,
			 CW_EXPORT_VERSION);
	assert_string_equal(cJSON_GetObjectItem(doc, "head")->valuestring,
			    cJSON_GetObjectItem(verified, "head")->valuestring);
	assert_int_equal(cJSON_GetObjectItem(doc, "events")->valueint,
			 cJSON_GetObjectItem(verified, "events")->valueint);
	g = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "goals"), 0);
	assert_string_equal(cJSON_GetObjectItem(g, "text")->valuestring,
			    "Back to school on Mondays");
	assert_string_equal(cJSON_GetObjectItem(g, "measure")->valuestring,
			    "9 of 10 days");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(g, "versions")),
			 2);
	phases = cJSON_GetObjectItem(doc, "phases");
	assert_int_equal(cJSON_GetArraySize(phases), 8);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 cJSON_GetArrayItem(phases, 0), "records")),
			 2);
	/* the statement is kept beside its checkpoint */
	cp = cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetArrayItem(phases, 0), "checkpoints"),
		0);
	said = cJSON_GetArrayItem(cJSON_GetObjectItem(cp, "statements"), 0);
	assert_string_equal(cJSON_GetObjectItem(said, "text")->valuestring,
			    LONG_ENOUGH);
	client = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "case"), "client");
	assert_string_equal(cJSON_GetObjectItem(client, "alias")->valuestring,
			    "Maya");
	cJSON_Delete(doc);
	cJSON_Delete(verified);
}

/* The moves of a session in its document: a refused advance with its
 * blockers, an advance, an early termination with its reason, the close;
 * every phase visit with how it began.  An unknown session is not found. */
static void test_document_moves(void **state)
{
	fixture *fx = *state;
	cw_action objective = { .type = CW_ACT_OBJECTIVE, .text = "an aim" };
	cw_action terminate = { .type = CW_ACT_TERMINATE,
				.reason = "family moved away" };
	cJSON *doc = NULL;
	const cJSON *refusal, *blockers, *term, *visits, *v;
	static const char *const visited[][2] = {
		{ "preparation", "start" },
		{ "introduction", "advance" },
		{ "termination", "terminate" },
	};

	assert_int_equal(advance(fx), CW_EREFUSED);
	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, objective), 0);
	assert_int_equal(check(fx, "environment-arranged", LONG_ENOUGH), 0);
	assert_int_equal(advance(fx), 0);
	assert_int_equal(act(fx, terminate), 0);
	assert_int_equal(check(fx, "progress-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(check(fx, "next-steps", LONG_ENOUGH), 0);
	assert_int_equal(check(fx, "closing-summary", LONG_ENOUGH), 0);
	assert_int_equal(reflect_all(fx), 0);
	assert_int_equal(advance(fx), 0);
	assert_int_equal(cw_export_session(&doc, fx->store, fx->session, 0), 0);

	assert_string_equal(cJSON_GetObjectItem(doc, "status")->valuestring,
			    "closed");
	assert_true(cJSON_IsString(cJSON_GetObjectItem(doc, "closed_at")));
	refusal = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "refusals"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc,
								"refusals")),
			 1);
	assert_string_equal(cJSON_GetObjectItem(refusal, "phase")->valuestring,
			    "preparation");
	assert_int_equal(cJSON_GetObjectItem(refusal, "seq")->valueint, 2);
	blockers = cJSON_GetObjectItem(refusal, "blockers");
	assert_int_equal(cJSON_GetArraySize(blockers), 3);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(blockers, 0),
						"id")->valuestring,
			    "case-file-reviewed");
	term = cJSON_GetObjectItem(doc, "termination");
	assert_true(cJSON_IsObject(term));
	assert_string_equal(cJSON_GetObjectItem(term, "from")->valuestring,
			    "introduction");
	assert_string_equal(cJSON_GetObjectItem(term, "to")->valuestring,
			    "termination");
	assert_string_equal(cJSON_GetObjectItem(term, "reason")->valuestring,
			    "family moved away");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc,
								"revisits")),
			 0);
	visits = cJSON_GetObjectItem(doc, "visits");
	assert_int_equal(cJSON_GetArraySize(visits), 3);
	for (int i = 0; i < 3; i++) {
		v = cJSON_GetArrayItem(visits, i);
		assert_string_equal(cJSON_GetObjectItem(v, "phase")->valuestring,
				    visited[i][0]);
		assert_string_equal(
			cJSON_GetObjectItem(v, "entered_by")->valuestring,
			visited[i][1]);
		assert_true(cJSON_GetObjectItem(v, "seconds")->valuedouble >= 0);
	}
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(visits, 2),
						"reason")->valuestring,
			    "family moved away");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(doc,
								 "progress"),
					     "met")->valueint,
			 7);
	cJSON_Delete(doc);

	doc = (cJSON *)fx;
	assert_int_equal(cw_export_session(&doc, fx->store,
					   "00000000-0000-0000-0000-000000000000",
					   0),
			 CW_ENOTFOUND);
	assert_null(doc);
	assert_int_equal(cw_export_session(&doc, fx->store, NULL, 0),
			 CW_EINVALID);
	assert_null(doc);
}

static void test_redact(void **state)
{
	fixture *fx = *state;
	cJSON *doc = NULL, *client;
	char *before, *after;
	const char *text;

	assert_int_equal(note(fx, "exploration",
			      "Maya and Maya's friend; MAYA; maya"),
			 0);
	assert_int_equal(cw_export_session(&doc, fx->store, fx->session, 1), 0);
	client = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "case"),
				     "client");
	assert_null(cJSON_GetObjectItem(client, "alias"));
	assert_null(cJSON_GetObjectItem(client, "age"));
	assert_null(cJSON_GetObjectItem(client, "household"));
	assert_non_null(cJSON_GetObjectItem(client, "pronouns"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "redacted")));
	text = cJSON_GetObjectItem(
		       cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "notes"), 0),
		       "text")
		       ->valuestring;
	/* whatever the case, as a whole word */
	assert_string_equal(text, "[client] and [client]'s friend; "
				  "[client]; [client]");
	assert_string_equal(cJSON_GetObjectItem(doc, "session")->valuestring,
			    fx->session);
	before = cJSON_PrintUnformatted(doc);
	assert_null(strstr(before, "Maya"));
	/* redacting again changes nothing */
	cw_export_redact(doc);
	after = cJSON_PrintUnformatted(doc);
	assert_string_equal(before, after);
	free(before);
	free(after);
	cJSON_Delete(doc);
	cw_export_redact(NULL);
}

static void test_writers(void **state)
{
	fixture *fx = *state;
	cJSON *doc = NULL, *back;
	char *text, *expected;
	int error;

	assert_int_equal(note(fx, "exploration", "<b>&</b> \"q\" 'a' | *x*"),
			 0);
	text = written(fx, fx->session, CW_EXPORT_JSON, 0, 0, &error);
	assert_int_equal(error, 0);
	back = cJSON_Parse(text);
	assert_int_equal(cw_export_session(&doc, fx->store, fx->session, 0), 0);
	expected = cJSON_Print(doc);
	free(text);
	text = cJSON_Print(back);
	assert_string_equal(text, expected);
	free(text);
	free(expected);
	cJSON_Delete(back);
	cJSON_Delete(doc);

	text = written(fx, fx->session, CW_EXPORT_HTML, 0, 0, &error);
	assert_int_equal(error, 0);
	assert_non_null(strstr(text, "&lt;b&gt;&amp;&lt;/b&gt; &quot;q&quot; "
				     "&#39;a&#39; | *x*"));
	assert_non_null(strstr(text, "</html>\n"));
	free(text);

	text = written(fx, fx->session, CW_EXPORT_MARKDOWN, 0, 0, &error);
	assert_int_equal(error, 0);
	assert_non_null(strstr(text, "\\<b\\>&\\</b\\> \"q\" 'a' \\| \\*x\\*"));
	free(text);

	text = written(fx, fx->session, CW_EXPORT_CSV, 0, 1, &error);
	assert_int_equal(error, 0);
	assert_string_equal(text, "session,student,case,goal,term,status,text,"
				  "measure,interventions,last_outcome\r\n");
	free(text);
}

static void test_refusals_write_nothing(void **state)
{
	fixture *fx = *state;
	char *text;
	int error;

	text = written(fx, "00000000-0000-0000-0000-000000000000",
		       CW_EXPORT_HTML, 0, 0, &error);
	assert_int_equal(error, CW_ENOTFOUND);
	assert_string_equal(text, "");
	free(text);
	text = written(fx, fx->session, CW_EXPORT_JSON, 0, 1, &error);
	assert_int_equal(error, CW_EINVALID);
	assert_string_equal(text, "");
	free(text);
}

static void test_report_csv(void **state)
{
	cJSON *report = cJSON_Parse(
		"{\"phases\": [\"preparation\"], \"criteria\": [],"
		" \"sessions\": [{\"session\": \"s\", \"student\": \"Lee, \\\"J\\\"\","
		" \"case\": \"c\", \"workflow\": \"w\", \"version\": 1,"
		" \"status\": \"open\", \"phase\": \"preparation\","
		" \"reached\": \"preparation\", \"met\": 0, \"total\": 3,"
		" \"goals\": 0, \"interventions\": 0, \"evaluations\": 0,"
		" \"outcomes\": {}, \"refused\": 0, \"revisits\": 0,"
		" \"terminated\": false, \"seconds\": {\"preparation\": 1.5},"
		" \"scores\": {}, \"feedback\": 0}]}");
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	(void)state;
	assert_int_equal(cw_export_report_csv(f, report), 0);
	fclose(f);
	assert_non_null(strstr(text, ",seconds_preparation,feedback\r\n"));
	assert_non_null(strstr(text, "\r\ns,\"Lee, \"\"J\"\"\",c,w,1,open,"
				     "preparation,preparation,0,3,0,0,0,0,0,0,"
				     "0,0,no,0,1.50,0\r\n"));
	free(text);
	cJSON_Delete(report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
		T(test_format_names),
		T(test_document),
		T(test_document_moves),
		T(test_redact),
		T(test_writers),
		T(test_refusals_write_nothing),
		T(test_report_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
