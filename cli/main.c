/*
 * main.c - the casework program: global options, the command table, help,
 * and the mapping from engine errors to exit codes.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const option_spec no_options[] = { { NULL, NULL, NULL } };
static const option_spec note_options[] = {
	{ "--tag", "TAG", "a tag such as exploration, strength or need" },
	{ NULL, NULL, NULL }
};
static const option_spec goal_options[] = {
	{ "--term", "TERM", "short or long" },
	{ "--measure", "TEXT", "how progress will be measured" },
	{ NULL, NULL, NULL }
};
static const option_spec revise_options[] = {
	{ "--measure", "TEXT", "a new measurable criterion" },
	{ NULL, NULL, NULL }
};
static const option_spec reason_options[] = {
	{ "--reason", "TEXT", "why (required; kept in the log)" },
	{ NULL, NULL, NULL }
};
static const option_spec intervention_options[] = {
	{ "--type", "TYPE",
	  "counseling, referral, skills, advocacy, coordination or other" },
	{ NULL, NULL, NULL }
};
static const option_spec evaluation_options[] = {
	{ "--outcome", "OUTCOME", "achieved, partial or not-achieved" },
	{ NULL, NULL, NULL }
};
static const option_spec start_options[] = {
	{ "--student", "NAME", "the student's name (default: your login)" },
	{ "--workflow", "ID", "the workflow (default: standard)" },
	{ NULL, NULL, NULL }
};
static const option_spec import_options[] = {
	{ "--replace", NULL, "replace a case imported with other content" },
	{ NULL, NULL, NULL }
};
static const option_spec sessions_options[] = {
	{ "--case", "CASE", "only sessions on this case" },
	{ "--student", "NAME", "only this student's sessions" },
	{ "--phase", "PHASE", "only sessions in this phase" },
	{ "--status", "STATUS", "open or closed" },
	{ "--since", "DATE", "only sessions active since DATE (YYYY-MM-DD)" },
	{ NULL, NULL, NULL }
};
static const option_spec guide_options[] = {
	{ "--phase", "PHASE", "another phase than the current one" },
	{ NULL, NULL, NULL }
};
static const option_spec walk_options[] = {
	{ "--student", "NAME", "the student's name, for a new session" },
	{ "--workflow", "ID", "the workflow, for a new session" },
	{ NULL, NULL, NULL }
};
static const option_spec feedback_options[] = {
	{ "--phase", "PHASE", "the phase it is about (default: the event's, "
			      "or the current one)" },
	{ "--event", "SEQ", "the log entry it is about (see 'casework log')" },
	{ "--score", "1-4", "a score, on --criterion or on the phase" },
	{ "--criterion", "NAME", "a criterion of the phase's rubric" },
	{ NULL, NULL, NULL }
};
static const option_spec report_options[] = {
	{ "--case", "CASE", "only this case; adds goals side by side" },
	{ "--student", "NAME", "only this student" },
	{ "--format", "FORMAT", "table (default), json or csv" },
	{ NULL, NULL, NULL }
};
static const option_spec export_options[] = {
	{ "--all", NULL, "every session (a JSON array, one page, one table)" },
	{ "--case", "CASE", "the sessions on this case" },
	{ "--student", "NAME", "this student's sessions" },
	{ "--format", "FORMAT", "json, md, html, csv or bundle" },
	{ "-o", "FILE", "write to FILE (owner-only; - or none: stdout)" },
	{ "--force", NULL, "replace FILE when it exists" },
	{ "--redact", NULL, "remove the client's alias, age and household" },
	{ "--goals", NULL, "CSV: one row per goal instead of per session" },
	{ NULL, NULL, NULL }
};
static const option_spec verify_options[] = {
	{ "--all", NULL, "verify every session" },
	{ NULL, NULL, NULL }
};

#define SETUP "Setting up"
#define CASES "Cases"
#define STUDENT "Working a session"
#define RECORDS "Records"
#define REVIEW "Reviewing"
#define WORKFLOWS "Workflows"
#define FILES "Files"

/* Sorted by name; `casework --help` lists them by group in this order. */
const command commands[] = {
	{ "advance", cmd_advance, STUDENT,
	  "Move to the next phase, or close the session from the last",
	  "", 0, 0, no_options, "casework advance" },
	{ "bundle import", cmd_bundle_import, FILES,
	  "Rebuild a handed-in session from its bundle file, checking its "
	  "chain",
	  "FILE", 1, 1, no_options, "casework bundle import ana-session.json" },
	{ "case import", cmd_case_import, CASES,
	  "Validate and import sample case files", "FILE...", 1, -1,
	  import_options, "casework case import examples/cases/*.json" },
	{ "case list", cmd_case_list, CASES, "List the imported cases", "", 0,
	  0, no_options, "casework case list" },
	{ "case show", cmd_case_show, CASES,
	  "Show a case: client, referral, background and phase material",
	  "CASE", 1, 1, no_options,
	  "casework case show school-attendance-year8" },
	{ "case validate", cmd_case_validate, CASES,
	  "Check case files without importing them", "FILE...", 1, -1,
	  no_options, "casework case validate my-case.json" },
	{ "check", cmd_check, STUDENT,
	  "Meet a confirm checkpoint by stating what was done",
	  "CHECKPOINT TEXT", 2, 2, no_options,
	  "casework check purpose-explained \"Explained that we meet to "
	  "plan support for school\"" },
	{ "choose", cmd_choose, STUDENT,
	  "Meet a choice checkpoint: a value and its rationale",
	  "CHECKPOINT VALUE TEXT", 3, 3, no_options,
	  "casework choose risk-level medium \"Missed school, no "
	  "disclosure of harm, supportive grandmother\"" },
	{ "evaluation add", cmd_evaluation_add, RECORDS,
	  "Evaluate a goal's outcome", "GOAL TEXT", 2, 2, evaluation_options,
	  "casework evaluation add G1 --outcome partial \"8 of 10 days\"" },
	{ "export", cmd_export, FILES,
	  "Export sessions: JSON or CSV for tools, Markdown or HTML to read, "
	  "a bundle to hand in",
	  "", 0, 0, export_options,
	  "casework export --case school-attendance-year8 --format html "
	  "--redact -o cohort.html" },
	{ "feedback", cmd_feedback, REVIEW,
	  "Leave feedback on a session, a phase or a log entry, with a score",
	  "TEXT", 1, 1, feedback_options,
	  "casework --as Dr.Lee feedback --phase assessment --score 3 "
	  "--criterion analysis \"Good use of the file\"" },
	{ "feedback list", cmd_feedback_list, REVIEW,
	  "The feedback on a session", "", 0, 0, no_options,
	  "casework feedback list" },
	{ "goal add", cmd_goal_add, RECORDS,
	  "Add a goal with its term and measurable criterion", "TEXT", 1, 1,
	  goal_options,
	  "casework goal add --term short --measure \"attends 9 of 10 "
	  "days\" \"Back to regular attendance\"" },
	{ "goal drop", cmd_goal_drop, RECORDS, "Drop a goal, with a reason",
	  "GOAL", 1, 1, reason_options,
	  "casework goal drop G2 --reason \"client chose another focus\"" },
	{ "goal list", cmd_goal_list, RECORDS,
	  "List goals with their interventions and evaluations", "", 0, 0,
	  no_options, "casework goal list" },
	{ "goal revise", cmd_goal_revise, RECORDS,
	  "Reword a goal or its measure", "GOAL TEXT", 2, 2, revise_options,
	  "casework goal revise G1 \"Attend every school day\"" },
	{ "guide", cmd_guide, STUDENT,
	  "A phase's guidance, the case material and open checkpoints",
	  "", 0, 0, guide_options, "casework guide --phase assessment" },
	{ "init", cmd_init, SETUP,
	  "Create or upgrade the database (safe to run again)", "", 0, 0,
	  no_options, "casework init" },
	{ "intervention add", cmd_intervention_add, RECORDS,
	  "Plan an intervention for a goal", "GOAL TEXT", 2, 2,
	  intervention_options,
	  "casework intervention add G1 --type counseling \"Weekly "
	  "check-in\"" },
	{ "log", cmd_log, REVIEW, "The session's timeline, phase by phase",
	  "", 0, 0, no_options, "casework log -s 3f2a" },
	{ "note", cmd_note, RECORDS, "Record a note, optionally tagged",
	  "TEXT", 1, 1, note_options,
	  "casework note --tag strength \"Close to her grandmother\"" },
	{ "objective add", cmd_objective_add, RECORDS,
	  "Add an interview objective", "TEXT", 1, 1, no_options,
	  "casework objective add \"Find out what changed at home\"" },
	{ "referral add", cmd_referral_add, RECORDS,
	  "Record a referral to another service", "TEXT", 1, 1, no_options,
	  "casework referral add \"Young carers' group\"" },
	{ "report", cmd_report, REVIEW,
	  "The cohort: one row per session, times, scores, a group summary",
	  "", 0, 0, report_options,
	  "casework report --case school-attendance-year8 --format csv" },
	{ "revisit", cmd_revisit, STUDENT,
	  "Go back to an earlier phase the workflow allows", "PHASE", 1, 1,
	  reason_options,
	  "casework revisit intervention --reason \"Mondays still missed\"" },
	{ "sessions", cmd_sessions, REVIEW, "List sessions", "", 0, 0,
	  sessions_options, "casework sessions --status open" },
	{ "start", cmd_start, STUDENT,
	  "Start a session on a case and make it current", "CASE", 1, 1,
	  start_options,
	  "casework start school-attendance-year8 --student Ana" },
	{ "status", cmd_status, STUDENT,
	  "The phase, each checkpoint met or not, what blocks advance", "", 0,
	  0, no_options, "casework status" },
	{ "terminate", cmd_terminate, STUDENT,
	  "Go straight to termination (client withdrew, referred on)", "", 0,
	  0, reason_options,
	  "casework terminate --reason \"family moved away\"" },
	{ "use", cmd_use, STUDENT, "Make a session the current one", "SESSION",
	  1, 1, no_options, "casework use 3f2a" },
	{ "verify", cmd_verify, REVIEW,
	  "Replay sessions and check their hash chains", "", 0, 0,
	  verify_options, "casework verify --all" },
	{ "walk", cmd_walk, STUDENT,
	  "A guided walk: start (CASE) or resume (-s) a session interactively",
	  "[CASE]", 0, 1, walk_options,
	  "casework walk school-attendance-year8 --student Ana" },
	{ "workflow dot", cmd_workflow_dot, WORKFLOWS,
	  "Graphviz DOT of a workflow, or of the path a session took (-s)",
	  "[ID]", 0, 1, no_options,
	  "casework workflow dot -s 3f2a | dot -Tsvg > path.svg" },
	{ "workflow import", cmd_workflow_import, WORKFLOWS,
	  "Validate and store a workflow (a changed one becomes a new "
	  "version)",
	  "FILE", 1, 1, no_options,
	  "casework workflow import examples/workflows/child-protection.json" },
	{ "workflow list", cmd_workflow_list, WORKFLOWS,
	  "List workflows and their versions", "", 0, 0, no_options,
	  "casework workflow list" },
	{ "workflow show", cmd_workflow_show, WORKFLOWS,
	  "Show a workflow's phases, checkpoints, revisits and sessions",
	  "[ID]", 0, 1, no_options, "casework workflow show child-protection" },
	{ "workflow validate", cmd_workflow_validate, WORKFLOWS,
	  "Check a workflow file without storing it", "FILE", 1, 1,
	  no_options, "casework workflow validate my-workflow.json" },
};
const size_t command_count = sizeof(commands) / sizeof(commands[0]);

static const char *const groups[] = { SETUP, CASES, WORKFLOWS, STUDENT,
				      RECORDS, REVIEW, FILES, NULL };

static void print_usage(FILE *f, const command *cmd)
{
	fprintf(f, "usage: casework %s%s%s", cmd->name, *cmd->usage ? " " : "",
		cmd->usage);
	for (const option_spec *o = cmd->options; o->name != NULL; o++)
		fprintf(f, " [%s%s%s]", o->name, o->value ? " " : "",
			o->value ? o->value : "");
	fputc('\n', f);
}

static void print_command_help(const command *cmd)
{
	printf("%s\n\n", cmd->summary);
	print_usage(stdout, cmd);
	if (cmd->options[0].name != NULL) {
		printf("\noptions:\n");
		for (const option_spec *o = cmd->options; o->name != NULL; o++) {
			char left[40];

			snprintf(left, sizeof(left), "%s%s%s", o->name,
				 o->value ? " " : "", o->value ? o->value : "");
			printf("  %-20s %s\n", left, o->help);
		}
	}
	printf("\nglobal options: --db PATH, --json, --as NAME, -s SESSION\n");
	printf("\nexample:\n  %s\n", cmd->example);
}

static void print_help(void)
{
	printf("casework - practise the social case-work interview, phase by "
	       "phase\n\n"
	       "usage: casework [--db PATH] [--json] [--as NAME] "
	       "[-s SESSION] COMMAND [ARGS]\n");
	for (const char *const *g = groups; *g != NULL; g++) {
		printf("\n%s:\n", *g);
		for (size_t i = 0; i < command_count; i++)
			if (strcmp(commands[i].group, *g) == 0)
				printf("  %-18s %s\n", commands[i].name,
				       commands[i].summary);
	}
	printf("\n'casework COMMAND --help' shows a command's options and an "
	       "example.\n"
	       "Exit codes: 0 done, 1 runtime failure, 2 usage, 3 refused, "
	       "4 not found,\n5 invalid input file.  See man casework.\n");
}

static int option_index(const command *cmd, const char *name, size_t len)
{
	for (int i = 0; cmd->options[i].name != NULL; i++)
		if (strlen(cmd->options[i].name) == len &&
		    strncmp(cmd->options[i].name, name, len) == 0)
			return i;
	return -1;
}

int cli_parse(cli *c, int argc, char **argv, parsed *out)
{
	const command *cmd = c->command;
	int only_args = 0;

	memset(out, 0, sizeof(*out));
	out->args = calloc((size_t)argc + 1, sizeof(char *));
	if (out->args == NULL) {
		cli_error("out of memory");
		return EXIT_RUNTIME;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *eq;
		int k;

		if (only_args || a[0] != '-' || a[1] == '\0') {
			out->args[out->nargs++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_command_help(cmd);
			return -1;
		}
		eq = strchr(a, '=');
		k = option_index(cmd, a, eq ? (size_t)(eq - a) : strlen(a));
		if (k < 0) {
			cli_error("unknown option '%s' for '%s'", a, cmd->name);
			print_usage(stderr, cmd);
			return EXIT_USAGE;
		}
		if (cmd->options[k].value == NULL) {
			if (eq != NULL) {
				cli_error("option %s takes no value",
					  cmd->options[k].name);
				return EXIT_USAGE;
			}
			out->flags[k] = 1;
		} else if (eq != NULL) {
			out->values[k] = eq + 1;
		} else if (i + 1 < argc) {
			out->values[k] = argv[++i];
		} else {
			cli_error("option %s needs a value (%s)",
				  cmd->options[k].name, cmd->options[k].value);
			print_usage(stderr, cmd);
			return EXIT_USAGE;
		}
	}
	if (out->nargs < cmd->min_args ||
	    (cmd->max_args >= 0 && out->nargs > cmd->max_args)) {
		if (out->nargs < cmd->min_args)
			cli_error("'%s' needs %s", cmd->name, cmd->usage);
		else
			cli_error("'%s' takes %s; got %d argument%s%s",
				  cmd->name,
				  *cmd->usage ? cmd->usage : "no arguments",
				  out->nargs, out->nargs == 1 ? "" : "s",
				  strstr(cmd->usage, "TEXT")
					  ? " (quote a text that has spaces)"
					  : "");
		print_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	return EXIT_DONE;
}

const char *opt(const cli *c, const parsed *p, const char *name)
{
	int k = option_index(c->command, name, strlen(name));

	return k >= 0 ? p->values[k] : NULL;
}

int flag(const cli *c, const parsed *p, const char *name)
{
	int k = option_index(c->command, name, strlen(name));

	return k >= 0 ? p->flags[k] : 0;
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static int unknown_command(const char *word)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < command_count; i++) {
		char first[32];
		size_t d;

		snprintf(first, sizeof(first), "%s", commands[i].name);
		first[strcspn(first, " ")] = '\0';
		d = distance(word, first);
		if (d < best_d) {
			best_d = d;
			best = commands[i].name;
		}
	}
	if (best != NULL)
		cli_error("unknown command '%s'; did you mean '%.*s'?", word,
			  (int)strcspn(best, " "), best);
	else
		cli_error("unknown command '%s'; see 'casework --help' ('help' "
			  "in a walk)",
			  word);
	return EXIT_USAGE;
}

/* The command named by the first one or two words of argv. */
static const command *find_command(int argc, char **argv, int *words)
{
	for (size_t i = 0; argc >= 2 && i < command_count; i++) {
		size_t n = strlen(argv[0]);

		if (strncmp(commands[i].name, argv[0], n) == 0 &&
		    commands[i].name[n] == ' ' &&
		    strcmp(commands[i].name + n + 1, argv[1]) == 0) {
			*words = 2;
			return &commands[i];
		}
	}
	for (size_t i = 0; argc >= 1 && i < command_count; i++) {
		if (strcmp(commands[i].name, argv[0]) == 0) {
			*words = 1;
			return &commands[i];
		}
	}
	return NULL;
}

/* `casework goal` alone or with an unknown word: list what follows. */
static int group_usage(const char *word, const char *sub)
{
	size_t n = strlen(word);
	int found = 0;

	for (size_t i = 0; i < command_count; i++) {
		if (strncmp(commands[i].name, word, n) == 0 &&
		    commands[i].name[n] == ' ') {
			if (!found && sub != NULL)
				cli_error("unknown subcommand '%s' for '%s'; it "
					  "takes:",
					  sub, word);
			else if (!found)
				cli_error("'%s' needs a subcommand:", word);
			fprintf(stderr, "  casework %-18s %s\n",
				commands[i].name, commands[i].summary);
			found = 1;
		}
	}
	return found ? EXIT_USAGE : unknown_command(word);
}

int cli_dispatch(cli *c, int argc, char **argv)
{
	const command *cmd;
	int words = 0, rc;

	if (argc == 0) {
		print_help();
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "__man") == 0)
		return cli_print_manpage();
	if (strcmp(argv[0], "help") == 0) {
		if (argc == 1) {
			print_help();
			return EXIT_DONE;
		}
		cmd = find_command(argc - 1, argv + 1, &words);
		if (cmd == NULL)
			return unknown_command(argv[1]);
		print_command_help(cmd);
		return EXIT_DONE;
	}
	cmd = find_command(argc, argv, &words);
	if (cmd == NULL)
		return group_usage(argv[0], argc > 1 && argv[1][0] != '-'
						    ? argv[1]
						    : NULL);
	c->command = cmd;
	c->open_rc = 0;
	rc = cmd->run(c, argc - words, argv + words);
	/* commands answer a failed open with EXIT_RUNTIME; the open knows */
	if (c->open_rc != 0)
		rc = c->open_rc;
	return rc < 0 ? EXIT_DONE : rc; /* < 0: help was printed */
}

static char *default_db_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	const char *base = xdg, *tail = "/casework/casework.db";
	char *path;
	size_t len;

	/* XDG says a relative XDG_DATA_HOME is to be ignored */
	if (base == NULL || base[0] != '/') {
		base = home;
		tail = "/.local/share/casework/casework.db";
	}
	if (base == NULL || base[0] == '\0')
		return NULL;
	len = strlen(base) + strlen(tail) + 1;
	path = malloc(len);
	if (path != NULL)
		snprintf(path, len, "%s%s", base, tail);
	return path;
}

/*
 * Every cJSON allocation of the process goes through json_malloc: the
 * engine builds its answers with cJSON and, like most cJSON code, does
 * not check each item it adds, so a failed allocation can leave an
 * answer with parts missing.  The program owns the process, so it sets
 * the hooks (the library must not) and turns a "done" whose answer may be
 * incomplete into a failure (tests/faults found such runs).
 */
static int json_alloc_failed;

static void *json_malloc(size_t size)
{
	void *p = malloc(size);

	if (p == NULL)
		json_alloc_failed = 1;
	return p;
}

static const char *login_name(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *user = getenv("USER");

	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
		return pw->pw_name;
	return user != NULL && user[0] != '\0' ? user : "unknown";
}

int main(int argc, char **argv)
{
	cli c = { 0 };
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	char *db_default = NULL;
	const char *no_color = getenv("NO_COLOR");
	int nrest = 0, rc = EXIT_DONE;
	int after_dashes = 0;
	cJSON_Hooks hooks = { json_malloc, free };

	cJSON_InitHooks(&hooks);
	/* databases, WAL files and exports are owner-only */
	umask(077);
	if (rest == NULL) {
		cli_error("out of memory");
		return EXIT_RUNTIME;
	}

	/* global options may stand before or after the command */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **target = NULL;

		if (after_dashes) {
			rest[nrest++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			after_dashes = 1;
			rest[nrest++] = argv[i];
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			c.json = 1;
			continue;
		}
		if (strcmp(a, "--version") == 0 && nrest == 0) {
			printf("casework %s\n", CW_VERSION);
			goto done;
		}
		if ((strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) &&
		    nrest == 0) {
			print_help();
			goto done;
		}
		if (strcmp(a, "--db") == 0)
			target = &c.db_path;
		else if (strcmp(a, "--as") == 0)
			target = &c.actor;
		else if (strcmp(a, "-s") == 0 || strcmp(a, "--session") == 0)
			target = &c.session;
		if (target == NULL) {
			if (strncmp(a, "--db=", 5) == 0)
				c.db_path = a + 5;
			else if (strncmp(a, "--as=", 5) == 0)
				c.actor = a + 5;
			else if (strncmp(a, "--session=", 10) == 0)
				c.session = a + 10;
			else
				rest[nrest++] = argv[i];
			continue;
		}
		if (i + 1 >= argc) {
			cli_error("option %s needs a value", a);
			rc = EXIT_USAGE;
			goto done;
		}
		*target = argv[++i];
	}
	if (c.db_path == NULL && getenv("CASEWORK_DB") != NULL &&
	    getenv("CASEWORK_DB")[0] != '\0')
		c.db_path = getenv("CASEWORK_DB");
	if (c.db_path == NULL)
		c.db_path = db_default = default_db_path();
	if (c.db_path == NULL) {
		cli_error("no database: set --db, CASEWORK_DB or HOME");
		rc = EXIT_USAGE;
		goto done;
	}
	if (c.actor == NULL)
		c.actor = login_name();
	c.color = isatty(STDOUT_FILENO) &&
		  (no_color == NULL || no_color[0] == '\0');
	rc = cli_dispatch(&c, nrest, rest);

done:
	if (json_alloc_failed && rc == EXIT_DONE) {
		cli_error("out of memory: the output may be incomplete (a "
			  "change, if any, was saved: see 'casework log')");
		rc = EXIT_RUNTIME;
	} else if (json_alloc_failed && rc != EXIT_RUNTIME) {
		/* a refusal or "not found" may only be what a half-read
		 * document looked like (verify: a payload that would not
		 * parse); the honest answer is the runtime failure */
		cli_error("out of memory: the failure above may be a "
			  "consequence of it");
		rc = EXIT_RUNTIME;
	}
	cw_store_free(c.store);
	free(db_default);
	free(rest);
	/* a full disk or closed pipe on stdout is a failure, not a success */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		cli_error("cannot write the output");
		if (rc == EXIT_DONE)
			rc = EXIT_RUNTIME;
	}
	cli_pager_end();
	return rc;
}
