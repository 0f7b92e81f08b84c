/*
 * cmd_act.c - the commands that change a session: records, checkpoints
 * and transitions.  A table says what each fills of a cw_action from its
 * arguments and options; one function runs any of them and one prints
 * every outcome.
 */
#include <stddef.h>
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

/* The checkpoints of phases behind that the act undid, each with what
 * would meet it again. */
static void print_unmet(const cli *c, const cJSON *unmet)
{
	const cJSON *u;

	cJSON_ArrayForEach(u, unmet) {
		char line[600];

		snprintf(line, sizeof(line), "%s (%s): %s", jstr(u, "id"),
			 jstr(u, "phase"), jstr(u, "message"));
		printf("  %snow unmet%s", cli_color(c, C_BOLD),
		       cli_color(c, C_RESET));
		cli_wrap_from(stdout, line, 11, 6, cli_width());
		if (*jstr(u, "command"))
			printf("      %s\n", cli_suggest(c, jstr(u, "command")));
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
		       *record ? record : a->record);
		break;
	case CW_ACT_STRIKE:
		printf("Struck %s; no checkpoint counts it now.\n", record);
		break;
	case CW_ACT_REFLECT:
		printf("Reflection: %s written.\n", a->stage);
		break;
	case CW_ACT_CHECK:
		printf("Checkpoint %s confirmed.\n", a->checkpoint);
		break;
	case CW_ACT_CHOOSE:
		printf("Checkpoint %s: chose %s.\n", a->checkpoint,
		       jstr(r, "value"));
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
	print_unmet(c, cJSON_GetObjectItem(result, "unmet"));
	cli_print_hints(c, cJSON_GetObjectItem(result, "hints"), stdout);
	cli_print_client_events(c, cJSON_GetObjectItem(result, "client_events"),
				1, stdout);
	cJSON_Delete(result);
	return EXIT_DONE;
}

/*
 * What an act needs beyond the words of its command line, alive until the
 * engine has answered: note's tags, feedback's scores and the copy of
 * --score they point into, the instructor's key, and the command line for
 * a check that parses it again.
 */
typedef struct act_room {
	const char *tags[16];
	cw_score scores[32];
	char *scores_text;
	char secret[65];
	int argc;
	char **argv;
} act_room;

/* Whether an act is signed with the instructor's key. */
enum act_key {
	KEY_NONE,
	KEY_IF_ANY,  /* when there is one: it then counts where trusted */
	KEY_REQUIRED /* on a database file it counts only signed */
};

/* A `const char *` field of cw_action, by its offset. */
#define FIELD(member) offsetof(cw_action, member)
/* No field: `type` is at offset 0, and no argument ever fills it. */
#define NO_FIELD 0
_Static_assert(offsetof(cw_action, type) == NO_FIELD,
	       "NO_FIELD must be the offset of no text field");

#define ACT_ARGS 3
#define ACT_OPTIONS 2

/* An option of an act and the field its value fills; FIELD(tags) takes
 * every value given (note's repeated --tag). */
typedef struct act_option {
	const char *name;
	size_t field;
} act_option;

typedef struct act_spec {
	const char *command; /* its name in the command table (main.c) */
	cw_action_type type;
	size_t args[ACT_ARGS]; /* the field of each positional argument */
	act_option options[ACT_OPTIONS];
	enum act_key key;
	const char *signs; /* KEY_REQUIRED: the act, for the message */
	/* what the table cannot say: 0, or an exit code after a message */
	int (*check)(cli *c, parsed *p, cw_action *a, act_room *room);
} act_spec;

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

/* feedback's --event and --score: a log entry's number, and one score or
 * CRITERION=N pairs. */
static int feedback_numbers(cli *c, parsed *p, cw_action *a, act_room *room)
{
	const char *event = opt(c, p, "--event");
	const char *score = opt(c, p, "--score");
	long n = 0;
	int count;

	if (event != NULL && cli_number(event, 1, 1000000000L, &n) != 0) {
		cli_error("--event takes the number of a log entry, not '%s'",
			  event);
		return EXIT_USAGE;
	}
	a->event = n;
	if (score != NULL && strchr(score, '=') != NULL) {
		if (opt(c, p, "--criterion") != NULL) {
			cli_error("--criterion names the criterion of one "
				  "score; with CRITERION=N pairs, leave it "
				  "out");
			return EXIT_USAGE;
		}
		if ((room->scores_text = strdup(score)) == NULL)
			return EXIT_RUNTIME;
		if ((count = parse_scores(room->scores_text, room->scores,
					  32)) < 0)
			return EXIT_USAGE;
		a->scores = room->scores;
		a->score_count = (size_t)count;
	} else if (score != NULL && cli_number(score, 1, 4, &n) != 0) {
		cli_error("--score is 1, 2, 3 or 4 (or CRITERION=N pairs), "
			  "not '%s'",
			  score);
		return EXIT_USAGE;
	} else {
		a->score = score ? (int)n : 0;
	}
	return 0;
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
static int reflect_three_words(cli *c, parsed *p, cw_action *a,
			       act_room *room)
{
	const command *whole = c->command;
	command two = *whole;
	char joined[128];
	int rc;

	(void)a;
	if (p->nargs < 3)
		return 0;
	snprintf(joined, sizeof(joined), "%s-%s", p->args[0], p->args[1]);
	if (session_has_stage(c, joined)) {
		cli_error("'reflect' takes STAGE TEXT; got 3 arguments: did "
			  "you mean '%s'? (casework reflect %s \"TEXT\")",
			  joined, joined);
		return EXIT_USAGE;
	}
	free(p->args);
	two.max_args = 2;
	c->command = &two;
	rc = cli_parse(c, room->argc, room->argv, p);
	c->command = whole;
	return rc != 0 ? rc : EXIT_USAGE;
}

/* Sorted by command; each fills the fields it names, and nothing else. */
static const act_spec acts[] = {
	{ .command = "advance", .type = CW_ACT_ADVANCE },
	{ .command = "approval grant",
	  .type = CW_ACT_APPROVAL_GRANT,
	  .args = { FIELD(checkpoint), FIELD(text) },
	  .key = KEY_REQUIRED,
	  .signs = "grant a sign-off" },
	{ .command = "approval request",
	  .type = CW_ACT_APPROVAL_REQUEST,
	  .args = { FIELD(checkpoint), FIELD(text) } },
	{ .command = "approval return",
	  .type = CW_ACT_APPROVAL_RETURN,
	  .args = { FIELD(checkpoint), FIELD(text) },
	  .key = KEY_REQUIRED,
	  .signs = "return a sign-off request" },
	{ .command = "check",
	  .type = CW_ACT_CHECK,
	  .args = { FIELD(checkpoint), FIELD(text) } },
	{ .command = "choose",
	  .type = CW_ACT_CHOOSE,
	  .args = { FIELD(checkpoint), FIELD(value), FIELD(text) } },
	{ .command = "correct",
	  .type = CW_ACT_CORRECT,
	  .args = { FIELD(record), FIELD(text) },
	  .options = { { "--reason", FIELD(reason) } } },
	{ .command = "evaluation add",
	  .type = CW_ACT_EVALUATION,
	  .args = { FIELD(goal), FIELD(text) },
	  .options = { { "--outcome", FIELD(outcome) } } },
	{ .command = "feedback",
	  .type = CW_ACT_FEEDBACK,
	  .args = { FIELD(text) },
	  .options = { { "--phase", FIELD(phase) },
		       { "--criterion", FIELD(criterion) } },
	  .key = KEY_IF_ANY,
	  .check = feedback_numbers },
	{ .command = "goal add",
	  .type = CW_ACT_GOAL_ADD,
	  .args = { FIELD(text) },
	  .options = { { "--term", FIELD(term) },
		       { "--measure", FIELD(measure) } } },
	{ .command = "goal drop",
	  .type = CW_ACT_GOAL_DROP,
	  .args = { FIELD(goal) },
	  .options = { { "--reason", FIELD(reason) } } },
	{ .command = "goal revise",
	  .type = CW_ACT_GOAL_REVISE,
	  .args = { FIELD(goal), FIELD(text) },
	  .options = { { "--measure", FIELD(measure) } } },
	{ .command = "intervention add",
	  .type = CW_ACT_INTERVENTION,
	  .args = { FIELD(goal), FIELD(text) },
	  .options = { { "--type", FIELD(intervention_type) } } },
	{ .command = "note",
	  .type = CW_ACT_NOTE,
	  .args = { FIELD(text) },
	  .options = { { "--tag", FIELD(tags) } } },
	{ .command = "objective add",
	  .type = CW_ACT_OBJECTIVE,
	  .args = { FIELD(text) } },
	{ .command = "referral add",
	  .type = CW_ACT_REFERRAL,
	  .args = { FIELD(text) } },
	{ .command = "reflect",
	  .type = CW_ACT_REFLECT,
	  .args = { FIELD(stage), FIELD(text) },
	  .check = reflect_three_words },
	{ .command = "revisit",
	  .type = CW_ACT_REVISIT,
	  .args = { FIELD(phase) },
	  .options = { { "--reason", FIELD(reason) } } },
	{ .command = "strike",
	  .type = CW_ACT_STRIKE,
	  .args = { FIELD(record) },
	  .options = { { "--reason", FIELD(reason) } } },
	{ .command = "terminate",
	  .type = CW_ACT_TERMINATE,
	  .options = { { "--reason", FIELD(reason) } } },
};

static void set_field(cw_action *a, size_t field, const char *value)
{
	*(const char **)((char *)a + field) = value;
}

/* The fields the table gives the arguments and options of `p`; an
 * optional argument left out ("goal revise G1") stays NULL. */
static void fill(cli *c, const act_spec *spec, const parsed *p,
		 cw_action *a, act_room *room)
{
	for (int i = 0; i < ACT_ARGS && spec->args[i] != NO_FIELD; i++)
		if (i < p->nargs)
			set_field(a, spec->args[i], p->args[i]);
	for (int i = 0; i < ACT_OPTIONS && spec->options[i].name; i++) {
		const act_option *o = &spec->options[i];

		if (o->field == FIELD(tags)) {
			a->tag_count = (size_t)opts(c, p, o->name, room->tags,
						   16);
			a->tags = a->tag_count ? room->tags : NULL;
		} else {
			set_field(a, o->field, opt(c, p, o->name));
		}
	}
}

/* Sign with the instructor's key as the act asks: 0, or an exit code
 * after a message. */
static int sign(cli *c, const act_spec *spec, cw_action *a, act_room *room)
{
	int rc = spec->key == KEY_REQUIRED
			 ? cli_require_signing_key(c, room->secret, spec->signs)
			 : cli_signing_key(c, room->secret);

	if (rc > 1)
		return rc;
	a->signing_key = rc == 0 ? room->secret : NULL;
	return 0;
}

int cmd_act(cli *c, int argc, char **argv)
{
	const act_spec *spec = NULL;
	act_room room = { .argc = argc, .argv = argv };
	cw_action a = CW_ACTION_INIT(CW_ACT_NOTE);
	parsed p;
	int rc;

	for (size_t i = 0; spec == NULL && i < sizeof(acts) / sizeof(*acts);
	     i++)
		if (strcmp(acts[i].command, c->command->name) == 0)
			spec = &acts[i];
	if (spec == NULL) {
		cli_error("'%s' is not a command that changes a session",
			  c->command->name);
		return EXIT_RUNTIME;
	}
	a.type = spec->type;
	rc = cli_parse(c, argc, argv, &p);
	if (rc == 0 && cli_subcommand_typo(c->command, &p))
		rc = EXIT_USAGE;
	if (rc == 0 && spec->check != NULL)
		rc = spec->check(c, &p, &a, &room);
	if (rc == 0)
		fill(c, spec, &p, &a, &room);
	if (rc == 0 && spec->key != KEY_NONE)
		rc = sign(c, spec, &a, &room);
	if (rc == 0)
		rc = act(c, &a);
	memset(room.secret, 0, sizeof(room.secret));
	free(room.scores_text);
	free(p.args);
	return rc;
}
