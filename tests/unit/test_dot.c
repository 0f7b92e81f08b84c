/*
 * test_dot.c - a workflow drawn for Graphviz: every phase a node, the
 * "advance" edges and the dashed revisit edges; with a session, its
 * current phase filled and its path drawn as edges numbered 1..n.
 */
#include "helpers.h"

static const char *const phases[] = { "preparation", "introduction",
				      "exploration", "assessment",
				      "goal-setting", "intervention",
				      "evaluation",  "termination" };

/* How many times `needle` occurs in `hay`. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* The line of `dot` that starts with `start` (after two spaces), as a new
 * string, or NULL. */
static char *line_of(const char *dot, const char *start)
{
	char want[256];
	const char *p;

	snprintf(want, sizeof(want), "\n  %s", start);
	p = strstr(dot, want);
	if (p == NULL)
		return NULL;
	p += 3;
	return strndup(p, strcspn(p, "\n"));
}

/* Whether the node line of `id` is filled. */
static int filled(const char *dot, const char *id)
{
	char start[128];
	char *line;
	int yes;

	snprintf(start, sizeof(start), "\"%s\" [", id);
	line = line_of(dot, start);
	assert_non_null(line);
	yes = strstr(line, "filled") != NULL;
	free(line);
	return yes;
}

static void meet_preparation(fixture *fx)
{
	cw_action objective = { .type = CW_ACT_OBJECTIVE, .text = "an aim" };

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, objective), 0);
	assert_int_equal(check(fx, "environment-arranged", LONG_ENOUGH), 0);
}

static void standard_workflow_names_every_phase(void **state)
{
	fixture *fx = *state;
	char *dot = NULL;

	assert_int_equal(cw_workflow_dot(&dot, fx->store, NULL, NULL), 0);
	assert_non_null(dot);
	assert_int_equal(strncmp(dot, "digraph \"standard\" {\n", 21), 0);
	assert_string_equal(dot + strlen(dot) - 2, "}\n");
	for (size_t i = 0; i < 8; i++) {
		char start[64], *line;

		snprintf(start, sizeof(start), "\"%s\" [label=\"%zu. ",
			 phases[i], i + 1);
		line = line_of(dot, start);
		assert_non_null(line);
		assert_null(strstr(line, "filled"));
		free(line);
	}
	/* each phase's checkpoints with their kinds */
	assert_non_null(strstr(dot, "\\n- risk-level (choice)"));
	assert_non_null(strstr(dot, "\\n- goals-covered (coverage)"));
	assert_non_null(strstr(dot, "\\n- objectives (count)"));
	assert_non_null(strstr(dot, "\n  \"closed\" [shape=doublecircle, "
				    "label=\"closed\"];\n"));
	/* the same with the id named */
	{
		char *named = NULL;

		assert_int_equal(cw_workflow_dot(&named, fx->store, "standard",
						 NULL),
				 0);
		assert_string_equal(named, dot);
		free(named);
	}
	free(dot);
}

static void advance_and_revisit_edges(void **state)
{
	fixture *fx = *state;
	char *dot = NULL;
	static const char *const revisits[][2] = {
		{ "assessment", "exploration" },
		{ "goal-setting", "assessment" },
		{ "intervention", "goal-setting" },
		{ "evaluation", "intervention" },
		{ "evaluation", "goal-setting" },
	};

	assert_int_equal(cw_workflow_dot(&dot, fx->store, NULL, NULL), 0);
	/* one advance edge from each phase to the next, the last to closed */
	assert_int_equal(count(dot, "[label=\"advance\"]"), 8);
	for (size_t i = 0; i < 8; i++) {
		char edge[128];

		snprintf(edge, sizeof(edge),
			 "\n  \"%s\" -> \"%s\" [label=\"advance\"];\n",
			 phases[i], i + 1 < 8 ? phases[i + 1] : "closed");
		assert_non_null(strstr(dot, edge));
	}
	/* dashed, exactly those the workflow allows */
	assert_int_equal(count(dot, "style=dashed"), 5);
	assert_int_equal(count(dot, "label=\"revisit\""), 5);
	for (size_t i = 0; i < 5; i++) {
		char edge[160];

		snprintf(edge, sizeof(edge),
			 "\n  \"%s\" -> \"%s\" [style=dashed, label=\"revisit\"",
			 revisits[i][0], revisits[i][1]);
		assert_non_null(strstr(dot, edge));
	}
	/* no session: no path */
	assert_null(strstr(dot, "penwidth"));
	free(dot);
}

/* One advance: introduction filled, one path edge numbered 1. */
static void session_current_phase_and_first_step(void **state)
{
	fixture *fx = *state;
	char *dot = NULL;

	meet_preparation(fx);
	assert_int_equal(advance(fx), 0);
	assert_int_equal(cw_workflow_dot(&dot, fx->store, NULL, fx->session), 0);
	assert_true(filled(dot, "introduction"));
	assert_int_equal(count(dot, "filled"), 1);
	assert_false(filled(dot, "preparation"));
	assert_false(filled(dot, "closed"));
	assert_int_equal(count(dot, "penwidth=2"), 1);
	assert_non_null(strstr(dot, "\n  \"preparation\" -> \"introduction\" "
				    "[color=\"#1f6feb\", fontcolor=\"#1f6feb\", "
				    "penwidth=2, label=\"1\""));
	free(dot);
}

/* Forward, back, forward, terminated early and closed: seven steps,
 * numbered in order; the closed node filled. */
static void session_path_numbered_in_order(void **state)
{
	fixture *fx = *state;
	cw_action revisit = { .type = CW_ACT_REVISIT, .phase = "exploration",
			      .reason = "missed the family history" };
	cw_action terminate = { .type = CW_ACT_TERMINATE,
				.reason = "client moved away" };
	static const char *const path[][2] = {
		{ "preparation", "introduction" },
		{ "introduction", "exploration" },
		{ "exploration", "assessment" },
		{ "assessment", "exploration" },
		{ "exploration", "assessment" },
		{ "assessment", "termination" },
		{ "termination", "closed" },
	};
	char *dot = NULL, *before = NULL;
	const char *at = NULL;

	meet_preparation(fx);
	assert_int_equal(advance(fx), 0);
	assert_int_equal(check(fx, "introduced-self", LONG_ENOUGH), 0);
	assert_int_equal(check(fx, "purpose-explained", LONG_ENOUGH), 0);
	assert_int_equal(check(fx, "confidentiality-explained", LONG_ENOUGH), 0);
	assert_int_equal(advance(fx), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(note(fx, "exploration", "said"), 0);
	assert_int_equal(note(fx, "strength", "art"), 0);
	assert_int_equal(advance(fx), 0);
	assert_int_equal(act(fx, revisit), 0);
	assert_string_equal(phase(fx), "exploration");
	/* mid-way: exploration is current, four steps so far */
	assert_int_equal(cw_workflow_dot(&before, fx->store, NULL, fx->session),
			 0);
	assert_true(filled(before, "exploration"));
	assert_int_equal(count(before, "penwidth=2"), 4);
	free(before);

	assert_int_equal(advance(fx), 0);
	assert_int_equal(act(fx, terminate), 0);
	assert_int_equal(check(fx, "progress-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(check(fx, "next-steps", LONG_ENOUGH), 0);
	assert_int_equal(check(fx, "closing-summary", LONG_ENOUGH), 0);
	assert_int_equal(reflect_all(fx), 0);
	assert_int_equal(advance(fx), 0);

	assert_int_equal(cw_workflow_dot(&dot, fx->store, NULL, fx->session), 0);
	assert_true(filled(dot, "closed"));
	assert_int_equal(count(dot, "filled"), 1);
	assert_int_equal(count(dot, "penwidth=2"), 7);
	at = dot;
	for (size_t i = 0; i < 7; i++) {
		char edge[200];
		const char *found;

		snprintf(edge, sizeof(edge),
			 "\n  \"%s\" -> \"%s\" [color=\"#1f6feb\", "
			 "fontcolor=\"#1f6feb\", penwidth=2, label=\"%zu\"",
			 path[i][0], path[i][1], i + 1);
		found = strstr(at, edge);
		assert_non_null(found);
		at = found + 1; /* numbered edges come in order */
	}
	assert_null(strstr(dot, "label=\"8\""));
	free(dot);
}

/* Titles with quotes and backslashes stay one DOT string. */
static void strings_are_escaped(void **state)
{
	fixture *fx = *state;
	const char text[] =
		"{\"id\":\"quoted\",\"version\":1,"
		"\"title\":\"Say \\\"hi\\\" \\\\ bye\",\"phases\":["
		"{\"id\":\"only\",\"title\":\"The \\\"one\\\"\","
		"\"purpose\":\"P\",\"tasks\":[\"t\"],\"questions\":[\"q\"],"
		"\"checkpoints\":[]}]}";
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	char *dot = NULL;

	assert_int_equal(cw_workflow_import(&out, fx->store, &diags, text,
					    strlen(text)),
			 0);
	cJSON_Delete(out);
	cw_diags_free(&diags);
	assert_int_equal(cw_workflow_dot(&dot, fx->store, "quoted", NULL), 0);
	assert_non_null(strstr(dot, "label=\"Say \\\"hi\\\" \\\\ bye "
				    "(quoted v1)\";"));
	assert_non_null(strstr(dot, "\"only\" [label=\"1. The \\\"one\\\"\"]"));
	assert_non_null(strstr(dot, "\"only\" -> \"closed\" [label=\"advance\"]"));
	free(dot);
}

static void unknown_workflow_or_session(void **state)
{
	fixture *fx = *state;
	char *dot = (char *)fx;

	assert_int_equal(cw_workflow_dot(&dot, fx->store, "no-such", NULL),
			 CW_ENOTFOUND);
	assert_null(dot);
	dot = (char *)fx;
	assert_true(cw_workflow_dot(&dot, fx->store, NULL,
				    "00000000-0000-0000-0000-000000000000") <
		    0);
	assert_null(dot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			standard_workflow_names_every_phase, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(advance_and_revisit_edges,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			session_current_phase_and_first_step, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(session_path_numbered_in_order,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(strings_are_escaped,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(unknown_workflow_or_session,
						fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
