/*
 * cmd_session.c - init, starting and choosing sessions, and reading one:
 * status, goal list, guide.  The log is in cmd_log.c, the whole-cohort
 * `sessions` and `verify` in cmd_cohort.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_init(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	free(p.args);
	/* a database that cannot take a note is not ready */
	if ((rc = cw_store_writable(c->store)) < 0)
		return cli_fail(rc);
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "database", c->db_path);
		cJSON_AddNumberToObject(doc, "schema",
					cw_store_schema_version(c->store));
		return cli_print_json(doc);
	}
	printf("Database ready: %s (schema version %d)\n", c->db_path,
	       cw_store_schema_version(c->store));
	return EXIT_DONE;
}

/* What `start` (or a walk) was asked for, and what it started. */
typedef struct starting {
	cli *c;
	const char *case_id, *student, *workflow;
	int new_attempt;
	cJSON *doc;
} starting;

static int start_as_named(cw_store *store, void *payload)
{
	starting *s = payload;
	int error = cw_session_start(&s->doc, store, s->case_id, s->student,
				     s->workflow, s->c->actor, s->new_attempt);

	/* a class server starts a student's session for their own login,
	 * whatever name was given: a name that is not theirs is refused,
	 * not quietly replaced */
	if (error == 0 && strcmp(jstr(s->doc, "student"), s->student) != 0) {
		error = cw_error_set(CW_EREFUSED,
				     "on the class server a student starts "
				     "sessions for themselves; leave out "
				     "--student (your login is '%s')",
				     jstr(s->doc, "student"));
		cJSON_Delete(s->doc);
		s->doc = NULL;
	}
	return error;
}

int cli_start_session(cli *c, cJSON **doc, const char *case_id,
		      const char *student, const char *workflow,
		      int new_attempt)
{
	starting s = { c, case_id, student, workflow, new_attempt, NULL };
	int error;

	*doc = NULL;
	if (student == NULL)
		return cw_session_start(doc, c->store, case_id, c->student,
					workflow, c->actor, new_attempt);
	error = cw_store_transaction(c->store, start_as_named, &s);
	if (error < 0) {
		cJSON_Delete(s.doc);
		return error;
	}
	*doc = s.doc;
	return 0;
}

int cmd_start(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cJSON *doc = NULL;
	int error = cli_start_session(c, &doc, p.args[0],
				      opt(c, &p, "--student"),
				      opt(c, &p, "--workflow"),
				      flag(c, &p, "--new"));

	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(doc);
	printf("%s\n", jstr(doc, "session"));
	printf("Started a session on %s for %s (workflow %s v%d); it is now "
	       "the current session.\n"
	       "Phase 1: %s. See what it asks with 'casework status'.\n",
	       jstr(doc, "case"), jstr(doc, "student"), jstr(doc, "workflow"),
	       (int)jnum(doc, "version"), jstr(doc, "phase"));
	cli_print_client_events(c, cJSON_GetObjectItem(doc, "client_events"), 1,
				stdout);
	cJSON_Delete(doc);
	return EXIT_DONE;
}

int cmd_use(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1], over[CW_ID_LEN + 1];
	const char *env;
	int error = cw_session_resolve(id, c->store, p.args[0]);

	free(p.args);
	if (error == 0)
		error = cw_session_use(c->store, id);
	if (error < 0)
		return cli_fail(error);
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "session", id);
		return cli_print_json(doc);
	}
	printf("Current session: %s\n", id);
	env = getenv("CASEWORK_SESSION");
	if (env != NULL && *env != '\0' &&
	    (cw_session_resolve(over, c->store, env) < 0 ||
	     strcmp(over, id) != 0))
		cli_error("warning: $CASEWORK_SESSION is set (%s) and overrides "
			  "the current session in this shell; 'unset "
			  "CASEWORK_SESSION' to work on %.8s",
			  env, id);
	return EXIT_DONE;
}

static void print_checkpoint(const cli *c, const cJSON *cp)
{
	int met = cJSON_IsTrue(cJSON_GetObjectItem(cp, "met"));

	printf("  %s[%s]%s %-26s %s\n", cli_color(c, met ? C_GREEN : C_RED),
	       met ? "x" : " ", cli_color(c, C_RESET), jstr(cp, "id"),
	       jstr(cp, "label"));
	/* a sign-off says who granted it */
	if (met && cJSON_HasObjectItem(cp, "approval"))
		printf("      %s\n", jstr(cp, "message"));
	if (!met) {
		printf("      %s%s%s\n", cli_color(c, C_YELLOW),
		       jstr(cp, "message"), cli_color(c, C_RESET));
		if (*jstr(cp, "help"))
			cli_wrap_text(stdout, jstr(cp, "help"), 6, 80);
		cli_print_stages(c, cJSON_GetObjectItem(cp, "stages"));
		printf("      %s\n", cli_suggest(c, jstr(cp, "command")));
	}
}

int cmd_status(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1];
	cJSON *doc = NULL;
	const cJSON *phase, *cp, *ph;
	int error;

	free(p.args);
	if ((rc = cli_session(c, id)) != 0)
		return rc;
	if ((error = cw_session_status(&doc, c->store, id)) < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(doc);
	phase = cJSON_GetObjectItem(doc, "phase");
	printf("Session %.8s: %s on %s", id, jstr(doc, "student"),
	       jstr(cJSON_GetObjectItem(doc, "case"), "id"));
	printf(" (workflow %s v%d)\n",
	       jstr(cJSON_GetObjectItem(doc, "workflow"), "id"),
	       (int)jnum(cJSON_GetObjectItem(doc, "workflow"), "version"));
	if (cJSON_IsString(cJSON_GetObjectItem(doc, "ended_early")))
		printf("Ended early: terminated before the last phase (%s).\n",
		       jstr(doc, "ended_early"));
	if (strcmp(jstr(doc, "status"), "closed") == 0) {
		printf("Closed in phase %s. Read it with '%s', and set it "
		       "beside what good work looks like with '%s'.\n",
		       jstr(phase, "id"), cli_suggest(c, "casework log"),
		       cli_suggest(c, "casework debrief"));
		cJSON_Delete(doc);
		return EXIT_DONE;
	}
	printf("Phase %d of %d: %s%s%s (%s)   %d of %d checkpoints met "
	       "overall\n\n",
	       (int)jnum(phase, "number"), (int)jnum(phase, "of"),
	       cli_color(c, C_BOLD), jstr(phase, "title"),
	       cli_color(c, C_RESET), jstr(phase, "id"),
	       (int)jnum(cJSON_GetObjectItem(doc, "progress"), "met"),
	       (int)jnum(cJSON_GetObjectItem(doc, "progress"), "total"));
	cJSON_ArrayForEach(cp, cJSON_GetObjectItem(doc, "checkpoints"))
		print_checkpoint(c, cp);
	printf("\n");
	if (cJSON_IsTrue(cJSON_GetObjectItem(doc, "can_advance"))) {
		if (*jstr(doc, "next_phase"))
			printf("Ready: '%s' moves to %s.\n",
			       cli_suggest(c, "casework advance"),
			       jstr(doc, "next_phase"));
		else
			printf("Ready: '%s' closes the session.\n",
			       cli_suggest(c, "casework advance"));
	} else if (cJSON_GetArraySize(
		       cJSON_GetObjectItem(doc, "event_blockers")) > 0) {
		printf("Not ready to advance: a client event left a checkpoint "
		       "of an earlier phase open:\n");
		cJSON_ArrayForEach(cp, cJSON_GetObjectItem(doc, "event_blockers"))
			print_checkpoint(c, cp);
	} else {
		printf("Not ready to advance: meet the open checkpoints "
		       "above.\n");
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItem(doc, "revisit")) > 0) {
		printf("May revisit:");
		cJSON_ArrayForEach(ph, cJSON_GetObjectItem(doc, "revisit"))
			printf(" %s", ph->valuestring);
		printf(" (%s)\n",
		       cli_suggest(c, "casework revisit PHASE --reason TEXT"));
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItem(doc, "hints")) > 0) {
		printf("\nHints on your work (they never block):\n");
		cli_print_hints(c, cJSON_GetObjectItem(doc, "hints"), stdout);
	}
	cli_print_client_events(c, cJSON_GetObjectItem(doc, "client_events"), 0,
				stdout);
	cJSON_Delete(doc);
	return EXIT_DONE;
}

/* A line under a goal, its text wrapped under itself. */
static void goal_line(const char *label, const char *text)
{
	int col = 5 + (int)strlen(label);

	printf("    %s", label);
	cli_wrap_from(stdout, text, col, col, cli_width());
}

/* An intervention ("I1 counseling: ...") or an evaluation under a goal. */
static void goal_part(const cJSON *r, const char *kind)
{
	char label[96];

	snprintf(label, sizeof(label), "%s %s:", jstr(r, "id"), jstr(r, kind));
	goal_line(label, jstr(r, "text"));
}

int cmd_goal_list(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1];
	cJSON *doc = NULL;
	const cJSON *g, *r;
	int error;

	free(p.args);
	if ((rc = cli_session(c, id)) != 0)
		return rc;
	if ((error = cw_session_goals(&doc, c->store, id)) < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(doc);
	if (cJSON_GetArraySize(cJSON_GetObjectItem(doc, "goals")) == 0)
		printf("No goals yet. Add one with '%s'.\n",
		       cli_suggest(c, "casework goal add"));
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(doc, "goals")) {
		int dropped = strcmp(jstr(g, "status"), "dropped") == 0;

		printf("%s%s%s [%s term]%s %s\n", cli_color(c, C_BOLD),
		       jstr(g, "id"), cli_color(c, C_RESET), jstr(g, "term"),
		       dropped ? " (dropped)" : "", jstr(g, "text"));
		goal_line("measure:", jstr(g, "measure"));
		if (dropped)
			goal_line("dropped:", jstr(g, "drop_reason"));
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(g, "interventions"))
			goal_part(r, "type");
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(g, "evaluations"))
			goal_part(r, "outcome");
	}
	cJSON_Delete(doc);
	return EXIT_DONE;
}

static void print_list(const char *title, const cJSON *items, int width)
{
	const cJSON *item;

	if (cJSON_GetArraySize(items) == 0)
		return;
	printf("\n%s\n", title);
	cJSON_ArrayForEach(item, items) {
		fputs("  -", stdout);
		cli_wrap_from(stdout, item->valuestring, 3, 4, width);
	}
}

void cli_print_guide(const cli *c, const cJSON *doc)
{
	const cJSON *phase = cJSON_GetObjectItem(doc, "phase"), *cp;
	int width = cli_width();

	printf("%sPhase %d of %d: %s%s%s\n\n", cli_color(c, C_BOLD),
	       (int)jnum(phase, "number"), (int)jnum(phase, "of"),
	       jstr(phase, "title"),
	       cJSON_IsTrue(cJSON_GetObjectItem(doc, "current"))
		       ? ""
		       : " (not the current phase)",
	       cli_color(c, C_RESET));
	cli_wrap_text(stdout, jstr(phase, "purpose"), 0, width);
	print_list("Tasks:", cJSON_GetObjectItem(phase, "tasks"), width);
	print_list("Questions you might ask:",
		   cJSON_GetObjectItem(phase, "questions"), width);
	if (*jstr(doc, "material")) {
		printf("\n%sThe case: %s%s\n", cli_color(c, C_BOLD),
		       jstr(cJSON_GetObjectItem(doc, "case"), "title"),
		       cli_color(c, C_RESET));
		cli_wrap_text(stdout, jstr(doc, "material"), 2, width);
	}
	print_list("To think about:", cJSON_GetObjectItem(doc, "prompts"),
		   width);
	printf("\nCheckpoints:\n");
	cJSON_ArrayForEach(cp, cJSON_GetObjectItem(doc, "checkpoints"))
		print_checkpoint(c, cp);
	cli_print_rubric(c, cJSON_GetObjectItem(phase, "rubric"), 0);
	cli_print_client_events(c, cJSON_GetObjectItem(doc, "client_events"), 0,
				stdout);
}

int cmd_guide(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1];
	cJSON *doc = NULL;
	int error;

	if ((rc = cli_session(c, id)) != 0) {
		free(p.args);
		return rc;
	}
	error = cw_session_guide(&doc, c->store, id, opt(c, &p, "--phase"));
	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(doc);
	cli_print_guide(c, doc);
	cJSON_Delete(doc);
	return EXIT_DONE;
}
