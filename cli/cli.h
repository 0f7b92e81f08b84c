/*
 * cli.h - what the command files of the casework program share.
 *
 * The program is thin: it parses arguments, calls the engine through its
 * public headers, and renders the engine's JSON documents for people or
 * prints them with --json.  Every decision lives in the engine.
 */
#ifndef CW_CLI_H
#define CW_CLI_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "casework/case.h"
#include "casework/error.h"
#include "casework/session.h"
#include "casework/store.h"
#include "casework/text.h"
#include "casework/workflow.h"

/* The exit codes of DESIGN.md. */
enum {
	EXIT_DONE = 0,
	EXIT_RUNTIME = 1,
	EXIT_USAGE = 2,
	EXIT_REFUSED = 3,
	EXIT_NOTFOUND = 4,
	EXIT_BADFILE = 5
};

/* The version of the --json documents; bumped only on breaking change. */
#define CLI_SCHEMA_VERSION 1

/* The settings a config file may hold (config.c), in this order. */
enum { SET_DB, SET_ACTOR, SET_STUDENT, SET_COLOR, SET_PAGER, SET_COUNT };

/* One setting: its key in the config file and where else it comes from.
 * `config`, --help, the man page and completion all read this table. */
typedef struct setting_spec {
	const char *key;      /* "db" */
	const char *flag;     /* the option that beats everything, or NULL */
	const char *env;      /* the environment variable, or NULL */
	const char *fallback; /* the default, in words */
	const char *help;
} setting_spec;

extern const setting_spec settings[SET_COUNT];

/* A setting's value and where it came from ("flag --db", "CASEWORK_DB",
 * "config file", "default"). */
typedef struct setting {
	const char *value;
	const char *source;
} setting;

typedef struct cli {
	const char *db_path;  /* --db, $CASEWORK_DB, config db, XDG default */
	const char *actor;    /* --as, $CASEWORK_ACTOR, config actor, login */
	const char *student;  /* $CASEWORK_STUDENT, config student, actor */
	const char *pager;    /* $PAGER, config pager, "less -FRX" */
	const char *session;  /* -s as given; cli_session() falls back */
	int json;             /* --json */
	int color;            /* colour on: see cli_resolve_settings */
	setting set[SET_COUNT]; /* every setting with its source */
	const char *file_set[SET_COUNT]; /* what the config file says */
	char *config_text;    /* file_set points into it */
	char *owned;          /* the default database path, when used */
	int walking;          /* inside `casework walk`: commands lack a prefix */
	cw_store *store;      /* opened on first use */
	int open_rc;          /* the exit code when opening it failed */
	const struct command *command;
} cli;

/* One option a command takes: `--name VALUE` or a flag. */
/*
 * One option a command takes: `--name VALUE` or a flag.  A value written
 * as "short|long" lists every value the option accepts: help and the man
 * page show it as is, and completion offers each.  Other upper-case
 * values (CASE, PHASE, GOAL, FILE, ...) say what completion offers.
 */
typedef struct option_spec {
	const char *name;  /* "--tag" */
	const char *value; /* "TAG", "short|long", or NULL for a flag */
	const char *help;
} option_spec;

/* The options that every command takes (main.c), ending with a NULL
 * name; --help, the man page and completion list them from here. */
extern const option_spec global_options[];

typedef struct command {
	const char *name;    /* "goal add" */
	int (*run)(cli *c, int argc, char **argv);
	const char *group;   /* for --help */
	const char *summary; /* one line */
	const char *usage;   /* the arguments after the name */
	int min_args, max_args; /* positional arguments; -1: no upper bound */
	const option_spec *options;
	const char *example;
} command;

/* The value of option `name` after cli_parse, or NULL. */
typedef struct parsed {
	const char *values[16]; /* the last value of each option */
	int flags[16];
	const char *every[16]; /* every value given, in order */
	int every_option[16];  /* the option each belongs to */
	int every_count;
	char **args;
	int nargs;
	int after_dashes; /* "--" came: what follows is text, as typed */
} parsed;

/*
 * Split argv (after the command name) into the command's options and its
 * positional arguments; prints usage and returns EXIT_USAGE on a mistake,
 * or -1 after printing help for --help.
 */
int cli_parse(cli *c, int argc, char **argv, parsed *out);

/* What a command line that does not parse most likely meant (mistake.c):
 * print why `p` has too few or too many arguments for `cmd` (the text in
 * curly quotes, a text given to an option that takes a word, ...). */
void cli_explain_arg_count(const command *cmd, const parsed *p);

/* 1, after saying so, when the one argument of `cmd` is a near miss of
 * one of its subcommands ("casework note lsit" for "note list"): what
 * would be recorded is most likely not what was meant. */
int cli_subcommand_typo(const command *cmd, const parsed *p);

/* Print that `word` is no command, with the nearest command words (up to
 * three, nearest first); returns EXIT_USAGE. */
int cli_unknown_command(const char *word);

/*
 * The opening of a command that needs the database: declares `parsed p`
 * and `int rc`, parses argv, opens the store, and returns on failure.
 */
#define PARSE_AND_OPEN()                               \
	parsed p;                                      \
	int rc = cli_parse(c, argc, argv, &p);         \
	if (rc != 0) {                                 \
		free(p.args);                          \
		return rc;                             \
	}                                              \
	if (cli_store(c) == NULL) {                    \
		free(p.args);                          \
		return EXIT_RUNTIME;                   \
	}

/* The parsed value of option `name` of the current command. */
const char *opt(const cli *c, const parsed *p, const char *name);
int flag(const cli *c, const parsed *p, const char *name);
/* Every value option `name` was given (a repeatable option such as
 * --tag), at most `max` into `out`; the number of them. */
int opts(const cli *c, const parsed *p, const char *name, const char **out,
	 int max);

/* Open the database on first use; prints the error and returns NULL. */
cw_store *cli_store(cli *c);

/* The database if there is one, else NULL without a word: for commands
 * such as `case validate` that can do without it. */
cw_store *cli_store_if_any(cli *c);

/* Resolve -s / $CASEWORK_SESSION / the current session to a full id. */
int cli_session(cli *c, char id[CW_ID_LEN + 1]);

/* Print the last engine error and map `error` to an exit code. */
int cli_fail(int error);

/* Map an engine error to an exit code without printing. */
int cli_exit_code(int error);

/* Print `fmt` to stderr with the "casework: " prefix. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print a JSON document with its schema_version (takes `doc` over). */
int cli_print_json(cJSON *doc);

/* Wrap a list under `key` in a document, for --json. */
cJSON *cli_wrap(const char *key, cJSON *list);

/* Read a whole file of at most `max` bytes; caller frees. */
/* $XDG_CONFIG_HOME/casework/instructor.key (malloc'd; NULL without a
 * home). */
char *cli_key_path(void);
int cli_read_file(const char *path, char **text, size_t *len, long max);

/* Print each problem of an input file as "casework: FILE: PATH: message
 * [code]" on stderr; or as JSON {"file", "ok", "problems"}. */
void cli_print_diags(const char *file, const cw_diags *d);
/* Report the engine's refusal (`error` < 0) of input file `file`: its
 * problems when it has diagnostics, else the engine's message. */
void cli_report_file_error(const char *file, int error, const cw_diags *d);
cJSON *cli_diags_json(const char *file, const cw_diags *d);

/* Print `text` indented by `indent`, wrapped at `width` columns. */
void cli_wrap_text(FILE *f, const char *text, int indent, int width);

/* The same, when the cursor already stands at column `col` (> indent
 * means the first word follows on that line). */
void cli_wrap_from(FILE *f, const char *text, int col, int indent,
		   int width);

/* Columns to wrap text at: the terminal's (at most 100), or 80. */
int cli_width(void);

/*
 * The display width of `text` cut to at most `max` columns (max < 0: no
 * limit): the one place the CLI measures text for a terminal.  A wide
 * character (CJK, most emoji) counts 2, a combining mark 0, a malformed
 * byte 1.  The cut never falls inside a character; `*bytes` (may be NULL)
 * receives how many bytes of `text` fit.  NULL counts as "".
 */
int cli_text_fit(const char *text, int max, size_t *bytes);

/* Print `text` in a table column of `width` display columns: cut to fit
 * (at a character boundary) and padded with spaces to the width. */
void cli_column(FILE *f, const char *text, int width);

/* A suggested command as the user types it: "casework note ..." on the
 * command line, "note ..." inside a walk. */
const char *cli_suggest(const cli *c, const char *text);

/* Send the rest of stdout through the pager setting when
 * stdout is a terminal and not in a walk; cli_pager_end waits for it. */
void cli_pager_start(const cli *c);
void cli_pager_end(void);

/* Parse a whole decimal number in [min, max]; 0 on success. */
int cli_number(const char *text, long min, long max, long *out);

/* Terminal colour, or "" when colour is off. */
const char *cli_color(const cli *c, const char *code);
#define C_BOLD "\033[1m"
#define C_GREEN "\033[32m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"
#define C_RESET "\033[0m"

/* String member of a cJSON object, or "" when absent. */
const char *jstr(const cJSON *obj, const char *key);
double jnum(const cJSON *obj, const char *key);

/*
 * Put the control-character filter (out.c) on stdout and stderr: every
 * byte printed after this passes through it, so that a control character
 * in stored text is shown escaped (\x1b) and never reaches the terminal.
 * `color` lets the program's own colour codes through; called
 * again, it only changes that.
 */
void cli_out_filter(int color);

/* stdout as it was before the filter: only for the walk's line editor,
 * which draws the prompt and the typed line itself and needs a stream
 * with a file descriptor. */
FILE *cli_out_raw(void);

/* Print a phase's guidance document (cw_session_guide) for people. */
void cli_print_guide(const cli *c, const cJSON *doc);

/* Print the client events `events` (events.c): as they fire (`fresh`,
 * from an act's "client_events") or as status and guide list them. */
void cli_print_client_events(const cli *c, const cJSON *events, int fresh,
			     FILE *f);

/*
 * Take the global options (--db, --as, -s, --json, --version, --help) out
 * of argv, which excludes the program name, into `c`; the other words go to
 * `rest` (room for argc entries) in order.  Returns EXIT_DONE, EXIT_USAGE
 * (an option lacks its value; printed), or -1 after printing the version
 * or the help.  Opens nothing.
 */
int cli_global_options(cli *c, int argc, char **argv, char **rest,
		       int *nrest);

/*
 * The command named by the first words of argv, with `*words` the number of
 * words its name took; or NULL with `*rc` the exit code after `help`, the
 * man page, or a message about an unknown command was printed.
 */
const command *cli_lookup(int argc, char **argv, int *words, int *rc);

/*
 * Split `line` in place into at most `max` words, as a shell would for
 * simple cases: blanks separate words; '...' and "..." quote; a backslash
 * escapes the next character (except inside '...').  Returns the number of
 * words, -1 for an unterminated quote, or -2 for more than `max` words.
 * Used by the walk for each line typed.
 */
int cli_split_line(char *line, char **argv, int max);

/* Run the command named by the first words of argv (after the global
 * options); also serves each line typed in a walk.  Returns the exit code. */
int cli_dispatch(cli *c, int argc, char **argv);

/* Print the man page, generated from the command table (manpage.c). */
int cli_print_manpage(void);

/* The command named by the first one or two words of argv, with the
 * number of words its name took; NULL when none is. */
const command *cli_find_command(int argc, char **argv, int *words);

/*
 * Read the config file ($XDG_CONFIG_HOME/casework/config) into c->set;
 * returns 0, or EXIT_USAGE after printing every bad line (file:line).
 * `quiet` prints nothing, for completion.
 */
int cli_load_config(cli *c, int quiet);

/* The config file's path, or NULL without HOME; caller frees. */
char *cli_config_path(void);

/* The config file's pieces that `casework config` (cmd_config.c) shares
 * with reading it (config.c). */
/* The index in settings[] of `key`, or -1. */
int cli_setting_index(const char *key);
/* "db, actor, student, color and pager", for messages; borrowed. */
const char *cli_setting_keys(void);
/* Whether `value` is a colour mode: auto, always or never. */
int cli_color_mode_ok(const char *value);
/* The whole config file at `path` (at most 64 KiB), or NULL with errno
 * (ENOENT: there is none); caller frees. */
char *cli_read_config(const char *path);
/* Split one line in place into key and value, trimmed; a NULL key for a
 * blank line or a comment.  Returns -1 for a line without '='. */
int cli_split_setting(char *line, char **key, char **value);

/* Give setting `k` the value of a flag, when `value` is not NULL. */
void cli_set_flag(cli *c, int k, const char *value, const char *flag);

/*
 * Fill in what no flag gave: the environment, then the config file, then
 * the default; then db_path, actor, student, pager and color.  Returns
 * EXIT_USAGE for a bad colour mode, after saying which and where.
 */
int cli_resolve_settings(cli *c);

/* Call `add` for every word that may complete `prefix` after the words
 * argv[0..argc-1] of a command line (without "casework"); the walk and
 * `casework __complete` share it.  Returns 1 when the word is a file
 * name, which the shell completes itself. */
typedef void (*cli_candidate_fn)(const char *word, void *payload);
int cli_complete(cli *c, int argc, char **argv, const char *prefix,
		 cli_candidate_fn add, void *payload);

/* `casework __complete WORDS... CURRENT`, for the shell scripts. */
int cli_complete_command(cli *c, int argc, char **argv);

/* `casework --version`: the program's and the libraries' versions. */
int cli_print_version(const cli *c);

/* The command table (main.c) and the commands (cmd_*.c). */
extern const command commands[];
extern const size_t command_count;

/* "COMMAND OPTION" for each option its command requires (main.c),
 * ending with NULL. */
extern const char *const required_options[];

/* 1 when `cmd` cannot run without option `o`, else 0. */
int cli_option_required(const command *cmd, const option_spec *o);
/* The groups of --help and the man page, in their order; NULL ends it. */
extern const char *const command_groups[];

int cmd_init(cli *c, int argc, char **argv);
int cmd_class_add_student(cli *c, int argc, char **argv);
int cmd_class_add_instructor(cli *c, int argc, char **argv);
int cmd_class_list(cli *c, int argc, char **argv);
int cmd_class_remove(cli *c, int argc, char **argv);
int cmd_doctor(cli *c, int argc, char **argv);
int cmd_guide(cli *c, int argc, char **argv);
int cmd_walk(cli *c, int argc, char **argv);

/* Every command that changes a session (note, check, advance, feedback,
 * ...): the table in cmd_act.c, found by the command's name, says what
 * its arguments and options fill. */
int cmd_act(cli *c, int argc, char **argv);

/* Start a session on `case_id` for `student` (NULL: the student setting)
 * as `start` and a walk do (cmd_session.c); a --student that the class
 * server would replace by the student's own login is refused. */
int cli_start_session(cli *c, cJSON **doc, const char *case_id,
		      const char *student, const char *workflow,
		      int new_attempt);

/* The walk's `help` (walk_help.c). */
void cli_walk_help(void);
/* A line of a walk the walk itself refuses (a command that leaves the
 * session, --json): says why and returns EXIT_USAGE, else 0. */
int cli_walk_refuses(int argc, char **argv);
int cmd_feedback_list(cli *c, int argc, char **argv);
int cmd_report(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_bundle_import(cli *c, int argc, char **argv);
int cmd_key_init(cli *c, int argc, char **argv);
int cmd_key_show(cli *c, int argc, char **argv);
int cmd_key_trust(cli *c, int argc, char **argv);
int cmd_key_list(cli *c, int argc, char **argv);

/* cmd_key.c: the instructor's private key from its file into `secret`:
 * 0, 1 when there is none (or on a class server, where acts are not
 * signed), or an exit code after a message. */
int cli_signing_key(cli *c, char secret[65]);
/* The same for an act that counts only when signed (an approval
 * decision): on a database file, no key is a refusal (EXIT_REFUSED
 * after a message naming `act`). */
int cli_require_signing_key(cli *c, char secret[65], const char *act);
int cmd_workflow_dot(cli *c, int argc, char **argv);
int cmd_workflow_import(cli *c, int argc, char **argv);
int cmd_workflow_list(cli *c, int argc, char **argv);
int cmd_workflow_show(cli *c, int argc, char **argv);
int cmd_workflow_validate(cli *c, int argc, char **argv);
int cmd_case_import(cli *c, int argc, char **argv);
int cmd_case_validate(cli *c, int argc, char **argv);
int cmd_case_list(cli *c, int argc, char **argv);
int cmd_case_show(cli *c, int argc, char **argv);
int cmd_start(cli *c, int argc, char **argv);
int cmd_use(cli *c, int argc, char **argv);
int cmd_sessions(cli *c, int argc, char **argv);
int cmd_status(cli *c, int argc, char **argv);
int cmd_log(cli *c, int argc, char **argv);
int cmd_verify(cli *c, int argc, char **argv);
int cmd_config_get(cli *c, int argc, char **argv);
int cmd_config_list(cli *c, int argc, char **argv);
int cmd_config_set(cli *c, int argc, char **argv);
int cmd_config_unset(cli *c, int argc, char **argv);
int cmd_goal_list(cli *c, int argc, char **argv);
int cmd_approval_list(cli *c, int argc, char **argv);
int cmd_note_list(cli *c, int argc, char **argv);
int cmd_objective_list(cli *c, int argc, char **argv);
int cmd_referral_list(cli *c, int argc, char **argv);
int cmd_debrief(cli *c, int argc, char **argv);

/* A reflection checkpoint's stages, each met or not, with its guidance
 * (cmd_teach.c). */
void cli_print_stages(const cli *c, const cJSON *stages);
/* A rubric [{"id", "label", "levels"}]: what each score 1-4 looks like,
 * indented by `indent` (cmd_teach.c). */
void cli_print_rubric(const cli *c, const cJSON *rubric, int indent);

/* Print the hints of a command's result or of status (cmd_act.c). */
void cli_print_hints(const cli *c, const cJSON *hints, FILE *f);

#endif
