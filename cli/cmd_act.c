/*
 * cmd_act.c - the commands that change a session: records, checkpoints
 * and transitions.  Each builds a cw_action and hands it to the engine;
 * one function prints every outcome.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_blockers(const cli *c, const cJSON *blockers, FILE *f)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, blockers) {
		fprintf(f, "  %s- %s%s: %s\n", cli_color(c, C_RED), jstr(b, "id"),
			cli_color(c, C_RESET), jstr(b, "message"));
		if (*jstr(b, "command"))
			fprintf(f, "      %s\n", cli_suggest(c, jstr(b, "command")));
	}
}

/* The hints on what was just written: never a refusal, a nudge. */
void cli_print_hints(const cli *c, const cJSON *hints, FILE *f)
{
	const cJSON *h;

	cJSON_ArrayForEach(h, hints) {
		fprintf(f, "  %shint%s %s (%s):", cli_color(c, C_BOLD),
			cli_color(c, C_RESET), jstr(h, "record"),
			jstr(h, "code"));
		cli_wrap_from(f, jstr(h, "message"),
			      12 + (int)strlen(jstr(h, "record")) +
				  (int)strlen(jstr(h, "code")),
			      6, cli_width());
	}
}

static void print_done(const cli *c, const cw_action *a, const cJSON *r)
{
	const char *record = jstr(r, "record");
	const char *phase = jstr(r, "phase");

	switch (a->type) {
	case CW_ACT_NOTE:
		printf("Noted %s", record);
		for (size_t i = 0; i < a->tag_count; i++)
			printf("%s%s", i ? ", " : " under ", a->tags[i]);
		printf(".\n");
		break;
	case CW_ACT_CORRECT:
		printf("Corrected %s; the original and the reason stay in "
		       "the log.\n",
		       a->record);
		break;
	case CW_ACT_STRIKE:
		printf("Struck %s; no checkpoint counts it now.\n", a->record);
		break;
	case CW_ACT_REFLECT:
		printf("Reflection: %s written.\n", a->stage);
		break;
	case CW_ACT_CHECK:
		printf("Checkpoint %s confirmed.\n", a->checkpoint);
		break;
	case CW_ACT_CHOOSE:
		printf("Checkpoint %s: chose %s.\n", a->checkpoint, a->value);
		break;
	case CW_ACT_FEEDBACK:
		printf("Feedback recorded (event %d).\n", (int)jnum(r, "seq"));
		break;
	case CW_ACT_APPROVAL_REQUEST:
		printf("Sign-off of %s requested (event %d). Hand the session "
		       "in ('%s') for an instructor to decide.\n",
		       a->checkpoint, (int)jnum(r, "seq"),
		       cli_suggest(c, "casework export --format bundle -o "
				      "FILE"));
		break;
	case CW_ACT_APPROVAL_GRANT:
		printf("Signed off %s (event %d).\n", a->checkpoint,
		       (int)jnum(r, "seq"));
		break;
	case CW_ACT_APPROVAL_RETURN:
		printf("Returned %s for changes (event %d); the student asks "
		       "again.\n",
		       a->checkpoint, (int)jnum(r, "seq"));
		break;
	case CW_ACT_GOAL_REVISE:
		printf("Revised goal %s.\n", a->goal);
		break;
	case CW_ACT_GOAL_DROP:
		printf("Dropped goal %s.\n", a->goal);
		break;
	case CW_ACT_ADVANCE:
		if (strcmp(jstr(r, "status"), "closed") == 0)
			printf("Session closed. Review it with '%s', and "
			       "compare it with what good work looks like "
			       "with '%s'.\n",
			       cli_suggest(c, "casework log"),
			       cli_suggest(c, "casework debrief"));
		else
			printf("Advanced to %s%s%s. See what it asks with "
			       "'%s'.\n",
			       cli_color(c, C_BOLD), phase,
			       cli_color(c, C_RESET),
			       cli_suggest(c, "casework guide"));
		break;
	case CW_ACT_REVISIT:
		printf("Back to %s%s%s; the reason is in the log.\n",
		       cli_color(c, C_BOLD), phase, cli_color(c, C_RESET));
		break;
	case CW_ACT_TERMINATE:
		printf("Moved to %s%s%s. Meet its checkpoints, then '%s' "
		       "closes the session.\n",
		       cli_color(c, C_BOLD), phase, cli_color(c, C_RESET),
		       cli_suggest(c, "casework advance"));
		break;
	default:
		printf("Added %s.\n", record);
		break;
	}
}

/* Apply `a` to the session named by -s, $CASEWORK_SESSION or current. */
static int act(cli *c, const cw_action *a)
{
	char id[CW_ID_LEN + 1];
	cJSON *result = NULL;
	int error, rc;

	if (cli_store(c) == NULL)
		return EXIT_RUNTIME;
	if ((rc = cli_session(c, id)) != 0)
		return rc;
	error = cw_session_act(&result, c->store, id, c->actor, a);
	if (error == CW_EREFUSED && result != NULL) {
		cli_error("%s", cw_error_last());
		print_blockers(c, cJSON_GetObjectItem(result, "blockers"),
			       stderr);
		if (c->json)
			cli_print_json(result);
		else
			cJSON_Delete(result);
		return EXIT_REFUSED;
	}
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(result);
	print_done(c, a, result);
	cli_print_hints(c, cJSON_GetObjectItem(result, "hints"), stdout);
	cli_print_client_events(c, cJSON_GetObjectItem(result, "client_events"),
				1, stdout);
	cJSON_Delete(result);
	return EXIT_DONE;
}

#define PARSE()                                              \
	parsed p;                                            \
	int rc = cli_parse(c, argc, argv, &p);               \
	if (rc != 0) {                                       \
		free(p.args);                                \
		return rc;                                   \
	}

static int finish(cli *c, parsed *p, cw_action *a)
{
	int rc = act(c, a);

	free(p->args);
	return rc;
}

int cmd_note(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_NOTE);
	const char *tags[16];

	a.text = p.args[0];
	a.tag_count = (size_t)opts(c, &p, "--tag", tags, 16);
	a.tags = a.tag_count ? tags : NULL;
	return finish(c, &p, &a);
}

int cmd_check(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_CHECK);
	a.checkpoint = p.args[0];
	a.text = p.args[1];
	return finish(c, &p, &a);
}

int cmd_choose(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_CHOOSE);
	a.checkpoint = p.args[0];
	a.value = p.args[1];
	a.text = p.args[2];
	return finish(c, &p, &a);
}

int cmd_objective_add(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_OBJECTIVE);
	a.text = p.args[0];
	return finish(c, &p, &a);
}

int cmd_referral_add(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_REFERRAL);
	a.text = p.args[0];
	return finish(c, &p, &a);
}

int cmd_goal_add(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_GOAL_ADD);
	a.text = p.args[0];
	a.term = opt(c, &p, "--term");
	a.measure = opt(c, &p, "--measure");
	return finish(c, &p, &a);
}

int cmd_goal_revise(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_GOAL_REVISE);
	a.goal = p.args[0];
	a.text = p.nargs > 1 ? p.args[1] : NULL;
	a.measure = opt(c, &p, "--measure");
	return finish(c, &p, &a);
}

int cmd_goal_drop(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_GOAL_DROP);
	a.goal = p.args[0];
	a.reason = opt(c, &p, "--reason");
	return finish(c, &p, &a);
}

int cmd_intervention_add(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_INTERVENTION);
	a.goal = p.args[0];
	a.text = p.args[1];
	a.intervention_type = opt(c, &p, "--type");
	return finish(c, &p, &a);
}

int cmd_evaluation_add(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_EVALUATION);
	a.goal = p.args[0];
	a.text = p.args[1];
	a.outcome = opt(c, &p, "--outcome");
	return finish(c, &p, &a);
}

int cmd_advance(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_ADVANCE);
	return finish(c, &p, &a);
}

int cmd_revisit(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_REVISIT);
	a.phase = p.args[0];
	a.reason = opt(c, &p, "--reason");
	return finish(c, &p, &a);
}

int cmd_terminate(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_TERMINATE);
	a.reason = opt(c, &p, "--reason");
	return finish(c, &p, &a);
}

/*
 * --score CRITERION=N[,CRITERION=N]...: the scores of several criteria of
 * a phase in one command, split in place of the copy `*text`; returns how
 * many, or -1 after printing what is wrong.
 */
static int parse_scores(char *text, cw_score *out, int max)
{
	int n = 0;

	for (char *item = strtok(text, ","); item != NULL;
	     item = strtok(NULL, ",")) {
		char *eq = strchr(item, '=');
		long value;

		if (eq == NULL || eq == item ||
		    cli_number(eq + 1, 1, 4, &value) != 0) {
			cli_error("--score takes 1-4, or CRITERION=N pairs "
				  "with N 1-4 (analysis=3,planning=2), not "
				  "'%s'",
				  item);
			return -1;
		}
		if (n == max) {
			cli_error("--score: at most %d criteria at once", max);
			return -1;
		}
		*eq = '\0';
		out[n++] = (cw_score){item, (int)value};
	}
	return n;
}

int cmd_feedback(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_FEEDBACK);
	char secret[65];
	const char *event = opt(c, &p, "--event");
	const char *score = opt(c, &p, "--score");
	cw_score scores[32];
	char *copy = NULL;
	long n = 0;

	a.text = p.args[0];
	a.phase = opt(c, &p, "--phase");
	a.criterion = opt(c, &p, "--criterion");
	if (event != NULL && cli_number(event, 1, 1000000000L, &n) != 0) {
		cli_error("--event takes the number of a log entry, not '%s'",
			  event);
		free(p.args);
		return EXIT_USAGE;
	}
	a.event = n;
	if (score != NULL && strchr(score, '=') != NULL) {
		int count;

		if (a.criterion != NULL) {
			cli_error("--criterion names the criterion of one "
				  "score; with CRITERION=N pairs, leave it "
				  "out");
			free(p.args);
			return EXIT_USAGE;
		}
		if ((copy = strdup(score)) == NULL ||
		    (count = parse_scores(copy, scores, 32)) < 0) {
			free(copy);
			free(p.args);
			return copy ? EXIT_USAGE : EXIT_RUNTIME;
		}
		a.scores = scores;
		a.score_count = (size_t)count;
	} else if (score != NULL && cli_number(score, 1, 4, &n) != 0) {
		cli_error("--score is 1, 2, 3 or 4 (or CRITERION=N pairs), "
			  "not '%s'",
			  score);
		free(p.args);
		return EXIT_USAGE;
	} else {
		a.score = score ? (int)n : 0;
	}
	/* signed when the instructor has a key: then it counts wherever
	 * that key is trusted, and nowhere else */
	rc = cli_signing_key(c, secret);
	if (rc > 1) {
		free(copy);
		free(p.args);
		return rc;
	}
	a.signing_key = rc == 0 ? secret : NULL;
	rc = finish(c, &p, &a);
	memset(secret, 0, sizeof(secret));
	free(copy);
	return rc;
}

int cmd_correct(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_CORRECT);
	a.record = p.args[0];
	a.text = p.args[1];
	a.reason = opt(c, &p, "--reason");
	return finish(c, &p, &a);
}

int cmd_strike(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_STRIKE);
	a.record = p.args[0];
	a.reason = opt(c, &p, "--reason");
	return finish(c, &p, &a);
}

/* 1 when `stage` is a stage of a reflection checkpoint of the current
 * session's workflow (0 when there is none, or it cannot be read). */
static int session_has_stage(cli *c, const char *stage)
{
	char id[CW_ID_LEN + 1];
	cJSON *status = NULL;
	cw_workflow *wf = NULL;
	const cJSON *w;
	int found = 0;

	if (cli_store(c) == NULL || cli_session(c, id) != 0 ||
	    cw_session_status(&status, c->store, id) < 0)
		return 0;
	w = cJSON_GetObjectItem(status, "workflow");
	if (cw_workflow_load(&wf, c->store, jstr(w, "id"),
			     (int)jnum(w, "version")) == 0)
		for (size_t i = 0; i < wf->phase_count; i++)
			for (size_t k = 0; k < wf->phases[i].checkpoint_count;
			     k++)
				for (size_t s = 0;
				     s < wf->phases[i].checkpoints[k].stage_count;
				     s++)
					found |= strcmp(wf->phases[i]
							    .checkpoints[k]
							    .stages[s],
							stage) == 0;
	cw_workflow_free(wf);
	cJSON_Delete(status);
	return found;
}

/* `reflect action plan "TEXT"`: a stage of two words, perhaps; else
 * the parser's own answer to a third argument (curly quotes, ...). */
static int reflect_three_words(cli *c, parsed *p, int argc, char **argv)
{
	const command *whole = c->command;
	command two = *whole;
	char joined[128];
	int rc = EXIT_USAGE;

	snprintf(joined, sizeof(joined), "%s-%s", p->args[0], p->args[1]);
	free(p->args);
	if (session_has_stage(c, joined)) {
		cli_error("'reflect' takes STAGE TEXT; got 3 arguments: did "
			  "you mean '%s'? (casework reflect %s \"TEXT\")",
			  joined, joined);
		return EXIT_USAGE;
	}
	two.max_args = 2;
	c->command = &two;
	rc = cli_parse(c, argc, argv, p);
	c->command = whole;
	free(p->args);
	return rc != 0 ? rc : EXIT_USAGE;
}

int cmd_reflect(cli *c, int argc, char **argv)
{
	PARSE();
	if (p.nargs == 3)
		return reflect_three_words(c, &p, argc, argv);
	cw_action a = CW_ACTION_INIT(CW_ACT_REFLECT);
	a.stage = p.args[0];
	a.text = p.args[1];
	return finish(c, &p, &a);
}

int cmd_approval_request(cli *c, int argc, char **argv)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(CW_ACT_APPROVAL_REQUEST);
	a.checkpoint = p.args[0];
	a.text = p.args[1];
	return finish(c, &p, &a);
}

/* A grant or a return: signed on a database file, where only an
 * instructor's key makes it count. */
static int decide_approval(cli *c, int argc, char **argv,
			   cw_action_type type)
{
	PARSE();
	cw_action a = CW_ACTION_INIT(type);
	char secret[65];

	a.checkpoint = p.args[0];
	a.text = p.args[1];
	rc = cli_require_signing_key(c, secret,
				     type == CW_ACT_APPROVAL_GRANT
					 ? "grant a sign-off"
					 : "return a sign-off request");
	if (rc > 1) {
		free(p.args);
		return rc;
	}
	a.signing_key = rc == 0 ? secret : NULL;
	rc = finish(c, &p, &a);
	memset(secret, 0, sizeof(secret));
	return rc;
}

int cmd_approval_grant(cli *c, int argc, char **argv)
{
	return decide_approval(c, argc, argv, CW_ACT_APPROVAL_GRANT);
}

int cmd_approval_return(cli *c, int argc, char **argv)
{
	return decide_approval(c, argc, argv, CW_ACT_APPROVAL_RETURN);
}
