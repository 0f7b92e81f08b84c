/*
 * main.c - the casework program: the command table, --version, and
 * main(), which owns the process (cJSON's allocation hooks, the umask,
 * the exit code and the final check that stdout was written).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const option_spec no_options[] = { { NULL, NULL, NULL } };
static const option_spec note_options[] = {
	{ "--tag", "TAG", "a tag such as exploration, strength or need; "
			  "again for another tag" },
	{ NULL, NULL, NULL }
};
static const option_spec note_list_options[] = {
	{ "--tag", "TAG", "only the notes with this tag" },
	{ NULL, NULL, NULL }
};
static const option_spec goal_options[] = {
	{ "--term", "short|long", "a short- or a long-term goal" },
	{ "--measure", "TEXT", "how progress will be measured" },
	{ NULL, NULL, NULL }
};
static const option_spec revise_options[] = {
	{ "--measure", "TEXT", "a new measurable criterion" },
	{ NULL, NULL, NULL }
};
static const option_spec reason_options[] = {
	{ "--reason", "TEXT", "why (kept in the log)" },
	{ NULL, NULL, NULL }
};
static const option_spec intervention_options[] = {
	{ "--type", "counseling|referral|skills|advocacy|coordination|other",
	  "the kind of intervention" },
	{ NULL, NULL, NULL }
};
static const option_spec evaluation_options[] = {
	{ "--outcome", "achieved|partial|not-achieved",
	  "how far the goal was reached" },
	{ NULL, NULL, NULL }
};
static const option_spec start_options[] = {
	{ "--student", "NAME", "the student's name (default: the student "
				"setting, see casework config)" },
	{ "--workflow", "ID", "the workflow (default: the one the case is "
			      "written for, else standard)" },
	{ "--new", NULL, "start another attempt although the student has an "
			 "open session on the case" },
	{ NULL, NULL, NULL }
};
static const option_spec import_options[] = {
	{ "--replace", NULL, "replace a case imported with other content" },
	{ NULL, NULL, NULL }
};
static const option_spec sessions_options[] = {
	{ "--case", "CASE", "only sessions on this case" },
	{ "--student", "NAME", "only this student's sessions: the whole "
	  "name or one word of it, any case ('ana' finds 'Ana Lima')" },
	{ "--phase", "PHASE", "only sessions in this phase" },
	{ "--status", "open|closed", "only open or only closed sessions" },
	{ "--since", "DATE", "only sessions active since DATE (YYYY-MM-DD)" },
	{ NULL, NULL, NULL }
};
static const option_spec guide_options[] = {
	{ "--phase", "PHASE", "another phase than the current one" },
	{ NULL, NULL, NULL }
};
static const option_spec walk_options[] = {
	{ "--student", "NAME", "the student's name, for a new session "
			       "(default: the student setting)" },
	{ "--workflow", "ID", "the workflow, for a new session (default: "
			      "the case's)" },
	{ "--new", NULL, "start another attempt although the student has an "
			 "open session on the case" },
	{ NULL, NULL, NULL }
};
static const option_spec feedback_options[] = {
	{ "--phase", "PHASE", "the phase it is about (default: the event's, "
			      "or the current one)" },
	{ "--event", "SEQ", "the log entry it is about (see 'casework log')" },
	{ "--score", "1-4", "1-4, on --criterion or on the phase; or "
			      "CRITERION=N,... to score several criteria of "
			      "the phase at once" },
	{ "--criterion", "CRITERION", "a criterion of the phase's rubric" },
	{ NULL, NULL, NULL }
};
static const option_spec class_student_options[] = {
	{ "--name", "NAME", "the student's full name (required)" },
	{ "--email", "EMAIL", "the student's email address" },
	{ NULL, NULL, NULL }
};
static const option_spec class_instructor_options[] = {
	{ "--name", "NAME", "the instructor's full name (required)" },
	{ NULL, NULL, NULL }
};
static const option_spec report_options[] = {
	{ "--case", "CASE", "only this case; adds goals side by side" },
	{ "--student", "NAME", "only this student (the whole name or one "
	  "word of it, any case)" },
	{ "--format", "table|json|csv|grades",
	  "the output format (default: table, or json with --json); grades: "
	  "a gradebook CSV, one row per student, a 0-100 column per case" },
	{ NULL, NULL, NULL }
};
static const option_spec export_options[] = {
	{ "--all", NULL, "every session (a JSON array, one page, one table)" },
	{ "--case", "CASE", "the sessions on this case" },
	{ "--student", "NAME", "this student's sessions (the whole name or "
	  "one word of it, any case)" },
	{ "--format", "json|md|html|csv|bundle",
	  "the output format (needed unless --json)" },
	{ "-o", "FILE", "write to FILE (owner-only; - or none: stdout)" },
	{ "--force", NULL, "replace FILE when it exists" },
	{ "--redact", NULL, "remove the client's alias, age and household" },
	{ "--goals", NULL, "CSV: one row per goal instead of per session" },
	{ "--full", NULL, "with the case's instructor notes (for authors and "
			  "instructors)" },
	{ NULL, NULL, NULL }
};
static const option_spec case_show_options[] = {
	{ "--full", NULL, "every phase's material and the instructor notes "
			  "(for authors and instructors)" },
	{ NULL, NULL, NULL }
};
static const option_spec approval_list_options[] = {
	{ "--pending", NULL, "only requests awaiting a decision" },
	{ NULL, NULL, NULL }
};
static const option_spec verify_options[] = {
	{ "--all", NULL, "verify every session" },
	{ NULL, NULL, NULL }
};

/* Every command takes these; cli_global_options (parse.c) reads them. */
const option_spec global_options[] = {
	{ "--db", "PATH",
	  "the database: a file, or a postgresql:// URI (the db setting)" },
	{ "--json", NULL,
	  "print JSON with a schema_version instead of text" },
	{ "--as", "NAME", "the actor recorded on each event (the actor "
			  "setting)" },
	{ "-s", "SESSION", "the session: its id or a unique prefix of 4 or "
			   "more characters; also --session" },
	{ "--color", "[=auto|always|never]",
	  "colour the output; --color alone is always (the color setting)" },
	{ "--no-color", NULL, "the same as --color=never" },
	{ "--help", NULL, "help for casework or one command; also -h" },
	{ "--version", NULL,
	  "the versions of casework and of the libraries it runs with" },
	{ NULL, NULL, NULL }
};

#define SETUP "Setting up"
#define CASES "Cases"
#define STUDENT "Working a session"
#define RECORDS "Records"
#define REVIEW "Reviewing"
#define WORKFLOWS "Workflows"
#define FILES "Files"
#define CLASS "The class"

/* Sorted by name; `casework --help` lists them by group in this order. */
const command commands[] = {
	{ "advance", cmd_act, STUDENT,
	  "Move to the next phase, or close the session from the last",
	  "", 0, 0, no_options, "casework advance" },
	{ "approval grant", cmd_act, REVIEW,
	  "Sign off an approval checkpoint a student asked for (signed "
	  "with your key on a database file)",
	  "CHECKPOINT TEXT", 2, 2, no_options,
	  "casework --as \"Dr Lee\" approval grant safety-plan-signed-off "
	  "\"Plan is specific and names who does what\" -s 3f2a" },
	{ "approval list", cmd_approval_list, REVIEW,
	  "The sign-off queue: each request, when it was made, its state",
	  "", 0, 0, approval_list_options, "casework approval list --pending" },
	{ "approval request", cmd_act, STUDENT,
	  "Ask an instructor to sign off an approval checkpoint",
	  "CHECKPOINT TEXT", 2, 2, no_options,
	  "casework approval request safety-plan-signed-off \"Plan agreed with "
	  "Mrs Okafor; please review\"" },
	{ "approval return", cmd_act, REVIEW,
	  "Send a sign-off request back for changes; the student asks again",
	  "CHECKPOINT TEXT", 2, 2, no_options,
	  "casework --as \"Dr Lee\" approval return safety-plan-signed-off "
	  "\"Say who the child can call at night\" -s 3f2a" },
	{ "bundle import", cmd_bundle_import, FILES,
	  "Rebuild handed-in sessions from bundle files, or merge in what a "
	  "hand-in or hand-back adds, one transaction each",
	  "FILE...", 1, -1, no_options,
	  "casework bundle import hand-ins/*.json" },
	{ "case import", cmd_case_import, CASES,
	  "Validate and import sample case files", "FILE...", 1, -1,
	  import_options, "casework case import examples/cases/*.json" },
	{ "case list", cmd_case_list, CASES, "List the imported cases", "", 0,
	  0, no_options, "casework case list" },
	{ "case show", cmd_case_show, CASES,
	  "Show a case: client, referral, background and the material of "
	  "the phases reached",
	  "CASE", 1, 1, case_show_options,
	  "casework case show school-attendance-year8" },
	{ "case validate", cmd_case_validate, CASES,
	  "Check case files without importing them", "FILE...", 1, -1,
	  no_options, "casework case validate my-case.json" },
	{ "check", cmd_act, STUDENT,
	  "Meet a confirm checkpoint by stating what was done",
	  "CHECKPOINT TEXT", 2, 2, no_options,
	  "casework check purpose-explained \"Explained that we meet to "
	  "plan support for school\"" },
	{ "choose", cmd_act, STUDENT,
	  "Meet a choice checkpoint: a value and its rationale",
	  "CHECKPOINT VALUE TEXT", 3, 3, no_options,
	  "casework choose risk-level medium \"Missed school, no "
	  "disclosure of harm, supportive grandmother\"" },
	{ "class add-instructor", cmd_class_add_instructor, CLASS,
	  "Put an instructor on the class (on a server: a login)", "LOGIN",
	  1, 1, class_instructor_options,
	  "casework class add-instructor lee2 --name \"Dr Lee's TA\"" },
	{ "class add-student", cmd_class_add_student, CLASS,
	  "Put a student on the class (on a server: a login)", "LOGIN", 1, 1,
	  class_student_options,
	  "casework class add-student ana --name \"Ana Lima\"" },
	{ "class list", cmd_class_list, CLASS,
	  "The class: each person with their sessions and last activity", "",
	  0, 0, no_options, "casework class list" },
	{ "class remove", cmd_class_remove, CLASS,
	  "End a person's place (and login) on the class; keeps sessions",
	  "LOGIN", 1, 1, no_options, "casework class remove bob" },
	{ "correct", cmd_act, RECORDS,
	  "Give a record or a checkpoint's statement a new text, with a "
	  "reason",
	  "RECORD TEXT", 2, 2, reason_options,
	  "casework correct N2 \"Maya said her brother, not her father, "
	  "drives her\" --reason \"misheard in the interview\"" },
	{ "debrief", cmd_debrief, REVIEW,
	  "After closing: your work phase by phase beside the instructor "
	  "notes and rubric",
	  "", 0, 0, no_options, "casework debrief" },
	{ "doctor", cmd_doctor, SETUP,
	  "Check the database: modes, schema, integrity, file system, space",
	  "", 0, 0, no_options, "casework doctor --json" },
	{ "config get", cmd_config_get, SETUP,
	  "Print a setting's value as it applies now", "KEY", 1, 1,
	  no_options, "casework config get db" },
	{ "config list", cmd_config_list, SETUP,
	  "Every setting, its value and where it comes from", "", 0, 0,
	  no_options, "casework config list" },
	{ "config set", cmd_config_set, SETUP,
	  "Write a setting to the config file", "KEY VALUE", 2, 2,
	  no_options, "casework config set student \"Ana Lima\"" },
	{ "config unset", cmd_config_unset, SETUP,
	  "Remove a setting from the config file", "KEY", 1, 1, no_options,
	  "casework config unset pager" },
	{ "evaluation add", cmd_act, RECORDS,
	  "Evaluate a goal's outcome", "GOAL TEXT", 2, 2, evaluation_options,
	  "casework evaluation add G1 --outcome partial \"8 of 10 days\"" },
	{ "export", cmd_export, FILES,
	  "Export sessions: JSON or CSV for tools, Markdown or HTML to read, "
	  "a bundle to hand in",
	  "", 0, 0, export_options,
	  "casework export --case school-attendance-year8 --format html "
	  "--redact -o cohort.html" },
	{ "feedback", cmd_act, REVIEW,
	  "Leave feedback on a session, a phase or a log entry, with a score",
	  "TEXT", 1, 1, feedback_options,
	  "casework --as Dr.Lee feedback --phase assessment --score 3 "
	  "--criterion analysis \"Good use of the file\"" },
	{ "feedback list", cmd_feedback_list, REVIEW,
	  "The feedback on a session", "", 0, 0, no_options,
	  "casework feedback list" },
	{ "key init", cmd_key_init, REVIEW,
	  "Make your instructor key; its private half stays in your config "
	  "folder",
	  "", 0, 0, no_options, "casework --as \"Dr Lee\" key init" },
	{ "key list", cmd_key_list, REVIEW,
	  "The instructor keys this database trusts", "", 0, 0, no_options,
	  "casework key list" },
	{ "key show", cmd_key_show, REVIEW,
	  "Print your public key as the one line to hand out", "", 0, 0,
	  no_options, "casework --as \"Dr Lee\" key show > lee.key" },
	{ "key trust", cmd_key_trust, REVIEW,
	  "Trust an instructor's key: its line, or a file holding it",
	  "LINE|FILE", 1, 1, no_options, "casework key trust lee.key" },
	{ "goal add", cmd_act, RECORDS,
	  "Add a goal with its term and measurable criterion", "TEXT", 1, 1,
	  goal_options,
	  "casework goal add --term short --measure \"attends 9 of 10 "
	  "days\" \"Back to regular attendance\"" },
	{ "goal drop", cmd_act, RECORDS, "Drop a goal, with a reason",
	  "GOAL", 1, 1, reason_options,
	  "casework goal drop G2 --reason \"client chose another focus\"" },
	{ "goal list", cmd_goal_list, RECORDS,
	  "List goals with their interventions and evaluations", "", 0, 0,
	  no_options, "casework goal list" },
	{ "goal revise", cmd_act, RECORDS,
	  "Reword a goal or its measure", "GOAL [TEXT]", 1, 2,
	  revise_options,
	  "casework goal revise G1 --measure \"attends 9 of 10 days by "
	  "half-term\"" },
	{ "guide", cmd_guide, STUDENT,
	  "A phase's guidance, the case material and open checkpoints",
	  "", 0, 0, guide_options, "casework guide --phase assessment" },
	{ "init", cmd_init, SETUP,
	  "Create or upgrade the database (safe to run again)", "", 0, 0,
	  no_options, "casework init" },
	{ "intervention add", cmd_act, RECORDS,
	  "Plan an intervention for a goal", "GOAL TEXT", 2, 2,
	  intervention_options,
	  "casework intervention add G1 --type counseling \"Weekly "
	  "check-in\"" },
	{ "log", cmd_log, REVIEW, "The session's timeline, phase by phase",
	  "", 0, 0, no_options, "casework log -s 3f2a" },
	{ "note", cmd_act, RECORDS, "Record a note, optionally tagged",
	  "TEXT", 1, 1, note_options,
	  "casework note --tag strength \"Close to her grandmother\"" },
	{ "note list", cmd_note_list, RECORDS,
	  "List the notes (N1, N2, ...) with their tags", "", 0, 0,
	  note_list_options, "casework note list --tag strength" },
	{ "objective add", cmd_act, RECORDS,
	  "Add an interview objective", "TEXT", 1, 1, no_options,
	  "casework objective add \"Find out what changed at home\"" },
	{ "objective list", cmd_objective_list, RECORDS,
	  "List the interview objectives (O1, O2, ...)", "", 0, 0, no_options,
	  "casework objective list" },
	{ "referral add", cmd_act, RECORDS,
	  "Record a referral to another service", "TEXT", 1, 1, no_options,
	  "casework referral add \"Young carers' group\"" },
	{ "referral list", cmd_referral_list, RECORDS,
	  "List the referrals (R1, R2, ...)", "", 0, 0, no_options,
	  "casework referral list" },
	{ "reflect", cmd_act, STUDENT,
	  "Write one stage of a reflection checkpoint", "STAGE TEXT", 2, 3,
	  no_options,
	  "casework reflect feelings \"I felt unsure when Maya went quiet "
	  "about home\"" },
	{ "report", cmd_report, REVIEW,
	  "The cohort: one row per session, times, scores, a group summary",
	  "", 0, 0, report_options,
	  "casework report --case school-attendance-year8 --format csv" },
	{ "revisit", cmd_act, STUDENT,
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
	{ "strike", cmd_act, RECORDS,
	  "Withdraw a record so that no checkpoint counts it, with a reason",
	  "RECORD", 1, 1, reason_options,
	  "casework strike N4 --reason \"written in the wrong session\"" },
	{ "terminate", cmd_act, STUDENT,
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

/* The options a command cannot do without, "COMMAND OPTION": usage lines
 * and the man page show them outside brackets.  (The command itself says
 * which is missing, with the values it takes.) */
const char *const required_options[] = {
	"evaluation add --outcome", "goal add --term", "goal add --measure",
	"goal drop --reason",	    "intervention add --type",
	"revisit --reason",	    "terminate --reason",
	"correct --reason",	    "strike --reason",
	NULL
};

const char *const command_groups[] = { SETUP, CASES, WORKFLOWS, CLASS,
				       STUDENT, RECORDS, REVIEW, FILES,
				       NULL };

/*
 * SQLite, cJSON and nettle say at run time which version is loaded.
 * libuuid has no such call, so its version is the one pkg-config
 * reported when this program was built (the Makefile passes it in).
 */
#ifndef CW_UUID_BUILT
#define CW_UUID_BUILT "unknown"
#endif

int cli_print_version(const cli *c)
{
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "casework", CW_VERSION);
		cJSON_AddStringToObject(doc, "sqlite",
					cw_store_sqlite_version());
		cJSON_AddStringToObject(doc, "cjson", cJSON_Version());
		cJSON_AddStringToObject(doc, "nettle",
					cw_store_nettle_version());
		cJSON_AddStringToObject(doc, "libuuid", CW_UUID_BUILT);
		cJSON_AddStringToObject(doc, "libuuid_from", "build");
		return cli_print_json(doc);
	}
	printf("casework %s\n"
	       "SQLite %s\n"
	       "cJSON %s\n"
	       "nettle %s\n"
	       "libuuid %s (as built: libuuid cannot tell its version at run "
	       "time)\n",
	       CW_VERSION, cw_store_sqlite_version(), cJSON_Version(),
	       cw_store_nettle_version(), CW_UUID_BUILT);
	return EXIT_DONE;
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

static int survives_bad_config(const char *word)
{
	return strcmp(word, "config") == 0 || strcmp(word, "help") == 0 ||
	       strcmp(word, "__complete") == 0 || strcmp(word, "__man") == 0;
}


int main(int argc, char **argv)
{
	cli c = { 0 };
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	int nrest = 0, rc = EXIT_DONE;
	cJSON_Hooks hooks = { json_malloc, free };

	cJSON_InitHooks(&hooks);
	cli_out_filter(0);
	/* databases, WAL files and exports are owner-only */
	umask(077);
	if (rest == NULL) {
		cli_error("out of memory");
		return EXIT_RUNTIME;
	}

	rc = cli_global_options(&c, argc - 1, argv + 1, rest, &nrest);
	if (rc != EXIT_DONE) {
		if (rc < 0) /* --version or --help was answered */
			rc = EXIT_DONE;
		goto done;
	}
	/* a bad config file stops commands; completion goes on silently,
	 * and config and help warn and go on, so that it can be repaired */
	rc = cli_load_config(&c, nrest > 0 && strcmp(rest[0], "__complete") == 0);
	if (rc != EXIT_DONE && !survives_bad_config(nrest > 0 ? rest[0] : ""))
		goto done;
	rc = cli_resolve_settings(&c);
	if (rc != EXIT_DONE)
		goto done;
	cli_out_filter(c.color);
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
			  "consequence of it (a change, if any, was saved: "
			  "see 'casework log')");
		rc = EXIT_RUNTIME;
	}
	cw_store_free(c.store);
	free(c.owned);
	free(c.config_text);
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
