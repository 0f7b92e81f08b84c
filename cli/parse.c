/*
 * parse.c - reading the command line: the global options, a command's own
 * options and arguments, finding the command by its words, running it
 * (cli_dispatch), and the help and usage text made from the command table.
 * What a line that does not parse most likely meant is in mistake.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "--tag TAG", "--json", "--color[=auto|always|never]" */
static void option_text(char *out, size_t size, const option_spec *o)
{
	snprintf(out, size, "%s%s%s", o->name,
		 o->value != NULL && o->value[0] != '[' ? " " : "",
		 o->value ? o->value : "");
}

int cli_option_required(const command *cmd, const option_spec *o)
{
	size_t n = strlen(cmd->name);

	for (const char *const *r = required_options; *r != NULL; r++)
		if (strncmp(*r, cmd->name, n) == 0 && (*r)[n] == ' ' &&
		    strcmp(*r + n + 1, o->name) == 0)
			return 1;
	return 0;
}

/* "usage: casework goal add TEXT --term short|long --measure TEXT": the
 * options a command requires as they must be typed, the others in
 * brackets. */
static void print_usage(FILE *f, const command *cmd)
{
	char text[96];

	fprintf(f, "usage: casework %s%s%s", cmd->name, *cmd->usage ? " " : "",
		cmd->usage);
	for (const option_spec *o = cmd->options; o->name != NULL; o++) {
		option_text(text, sizeof(text), o);
		fprintf(f, cli_option_required(cmd, o) ? " %s" : " [%s]", text);
	}
	fputc('\n', f);
}

/* Options as a two-column list: "  --tag TAG    a tag such as ..." */
static void print_options(const option_spec *options)
{
	for (const option_spec *o = options; o->name != NULL; o++) {
		char left[96];

		option_text(left, sizeof(left), o);
		if (strlen(left) > 22)
			printf("  %s\n  %-22s %s\n", left, "", o->help);
		else
			printf("  %-22s %s\n", left, o->help);
	}
}

/* Set while a walk dispatches a line: its commands take no global
 * options (the walk fixes the database and the session), so its help
 * does not offer them. */
static int help_in_walk;

static void print_command_help(const command *cmd)
{
	printf("%s\n\n", cmd->summary);
	print_usage(stdout, cmd);
	if (cmd->options[0].name != NULL) {
		printf("\noptions:\n");
		print_options(cmd->options);
	}
	if (help_in_walk) {
		printf("\nexample:\n  %s\n",
		       strncmp(cmd->example, "casework ", 9) == 0
			   ? cmd->example + 9
			   : cmd->example);
		return;
	}
	printf("\nglobal options:");
	for (const option_spec *o = global_options; o->name != NULL; o++) {
		char text[96];

		option_text(text, sizeof(text), o);
		printf("%s %s", o == global_options ? "" : ",", text);
	}
	printf("\n\nexample:\n  %s\n", cmd->example);
}

static void print_help(void)
{
	int width = 0;

	printf("casework - practise the social case-work interview, phase by "
	       "phase\n\n"
	       "usage: casework [OPTIONS] COMMAND [ARGS]\n");
	/* the names in one column, as wide as the longest */
	for (size_t i = 0; i < command_count; i++)
		if ((int)strlen(commands[i].name) > width)
			width = (int)strlen(commands[i].name);
	for (const char *const *g = command_groups; *g != NULL; g++) {
		printf("\n%s:\n", *g);
		for (size_t i = 0; i < command_count; i++)
			if (strcmp(commands[i].group, *g) == 0) {
				printf("  %-*s", width, commands[i].name);
				cli_wrap_from(stdout, commands[i].summary,
					      width + 3, width + 3,
					      cli_width());
			}
	}
	printf("\nOptions (before or after the command):\n");
	print_options(global_options);
	printf("\n'casework COMMAND --help' shows a command's options and an "
	       "example.\n"
	       "Settings: 'casework config list'.  Tab completion: see man "
	       "casework.\n"
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
			out->after_dashes = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_command_help(cmd);
			return -1;
		}
		eq = strchr(a, '=');
		k = option_index(cmd, a, eq ? (size_t)(eq - a) : strlen(a));
		if (k < 0 && (strchr(a, ' ') != NULL ||
			      (a[1] >= '0' && a[1] <= '9'))) {
			/* "-3 days missed": a text, not an option */
			cli_error("'%s' begins with '-', so it is read as an "
				  "option; put a text that begins with '-' "
				  "after '--': casework %s -- \"%s\"",
				  a, cmd->name, a);
			print_usage(stderr, cmd);
			return EXIT_USAGE;
		}
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
		} else if (eq != NULL || i + 1 < argc) {
			out->values[k] = eq != NULL ? eq + 1 : argv[++i];
			if (out->every_count == 16) {
				cli_error("too many options for '%s'",
					  cmd->name);
				return EXIT_USAGE;
			}
			out->every_option[out->every_count] = k;
			out->every[out->every_count++] = out->values[k];
		} else {
			cli_error("option %s needs a value (%s)",
				  cmd->options[k].name, cmd->options[k].value);
			print_usage(stderr, cmd);
			return EXIT_USAGE;
		}
	}
	if (out->nargs < cmd->min_args ||
	    (cmd->max_args >= 0 && out->nargs > cmd->max_args)) {
		cli_explain_arg_count(cmd, out);
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

int opts(const cli *c, const parsed *p, const char *name, const char **out,
	 int max)
{
	int k = option_index(c->command, name, strlen(name)), n = 0;

	for (int i = 0; k >= 0 && i < p->every_count && n < max; i++)
		if (p->every_option[i] == k)
			out[n++] = p->every[i];
	return n;
}

const command *cli_find_command(int argc, char **argv, int *words)
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
/* List the commands of group `word` ("goal add", "goal drop", ...) on
 * `f` (NULL: only count them); returns how many there are. */
static int group_list(FILE *f, const char *word)
{
	size_t n = strlen(word);
	int found = 0;

	for (size_t i = 0; i < command_count; i++)
		if (strncmp(commands[i].name, word, n) == 0 &&
		    commands[i].name[n] == ' ') {
			if (f != NULL)
				fprintf(f, "  casework %-18s %s\n",
					commands[i].name, commands[i].summary);
			found++;
		}
	return found;
}

static int group_usage(const char *word, const char *sub)
{
	size_t n = strlen(word);
	int found = 0;

	for (size_t i = 0; !found && i < command_count; i++)
		found = strncmp(commands[i].name, word, n) == 0 &&
			commands[i].name[n] == ' ';
	if (!found)
		return cli_unknown_command(word);
	if (sub != NULL)
		cli_error("unknown subcommand '%s' for '%s'; it takes:", sub,
			  word);
	else
		cli_error("'%s' needs a subcommand:", word);
	group_list(stderr, word);
	return EXIT_USAGE;
}

const command *cli_lookup(int argc, char **argv, int *words, int *rc)
{
	const command *cmd;

	*words = 0;
	*rc = EXIT_DONE;
	if (argc == 0) {
		print_help();
		*rc = EXIT_USAGE;
		return NULL;
	}
	if (strcmp(argv[0], "__man") == 0) {
		*rc = cli_print_manpage();
		return NULL;
	}
	if (strcmp(argv[0], "help") == 0) {
		if (argc == 1) {
			print_help();
			return NULL;
		}
		cmd = cli_find_command(argc - 1, argv + 1, words);
		if (cmd != NULL) {
			print_command_help(cmd);
			return NULL;
		}
		/* `help goal`: the goal commands, as a list to choose from */
		if (argc == 2 && group_list(stdout, argv[1]))
			return NULL;
		*rc = group_usage(argv[1], argc > 2 ? argv[2] : NULL);
		return NULL;
	}
	cmd = cli_find_command(argc, argv, words);
	/* `goal --help`: the help asked for is the list of goal commands */
	if (cmd == NULL && argc == 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		if (!group_list(NULL, argv[0])) {
			*rc = cli_unknown_command(argv[0]);
			return NULL;
		}
		printf("'%s' takes a subcommand (see 'casework help %s "
		       "SUBCOMMAND'):\n",
		       argv[0], argv[0]);
		group_list(stdout, argv[0]);
		return NULL;
	}
	if (cmd == NULL)
		*rc = group_usage(
		    argv[0], argc > 1 && argv[1][0] != '-' ? argv[1] : NULL);
	return cmd;
}

int cli_dispatch(cli *c, int argc, char **argv)
{
	const command *cmd;
	int words = 0, rc;

	/* completion reads the database; it is not a command of the table */
	if (argc > 0 && strcmp(argv[0], "__complete") == 0)
		return cli_complete_command(c, argc - 1, argv + 1);
	help_in_walk = c->walking;
	cmd = cli_lookup(argc, argv, &words, &rc);
	if (cmd == NULL)
		return rc;
	c->command = cmd;
	c->open_rc = 0;
	rc = cmd->run(c, argc - words, argv + words);
	/* commands answer a failed open with EXIT_RUNTIME; the open knows */
	if (c->open_rc != 0)
		rc = c->open_rc;
	return rc < 0 ? EXIT_DONE : rc; /* < 0: help was printed */
}

int cli_global_options(cli *c, int argc, char **argv, char **rest, int *nrest)
{
	int after_dashes = 0, version = 0;

	*nrest = 0;
	/* global options may stand before or after the command */
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int k = -1;

		if (after_dashes) {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			after_dashes = 1;
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			c->json = 1;
			continue;
		}
		if (strcmp(a, "--version") == 0 && *nrest == 0) {
			version = 1;
			continue;
		}
		if ((strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) &&
		    *nrest == 0) {
			print_help();
			return -1;
		}
		if (strcmp(a, "--color") == 0) {
			cli_set_flag(c, SET_COLOR, "always", "flag --color");
			continue;
		}
		if (strncmp(a, "--color=", 8) == 0) {
			cli_set_flag(c, SET_COLOR, a + 8, "flag --color");
			continue;
		}
		if (strcmp(a, "--no-color") == 0) {
			cli_set_flag(c, SET_COLOR, "never", "flag --no-color");
			continue;
		}
		if (strcmp(a, "--db") == 0)
			k = SET_DB;
		else if (strcmp(a, "--as") == 0)
			k = SET_ACTOR;
		else if (strcmp(a, "-s") == 0 || strcmp(a, "--session") == 0)
			k = SET_COUNT; /* not a setting: no config, no default
					*/
		if (k < 0) {
			if (strncmp(a, "--db=", 5) == 0)
				cli_set_flag(c, SET_DB, a + 5, "flag --db");
			else if (strncmp(a, "--as=", 5) == 0)
				cli_set_flag(c, SET_ACTOR, a + 5, "flag --as");
			else if (strncmp(a, "--session=", 10) == 0)
				c->session = a + 10;
			else
				rest[(*nrest)++] = argv[i];
			continue;
		}
		if (i + 1 >= argc) {
			cli_error("option %s needs a value", a);
			return EXIT_USAGE;
		}
		if (k == SET_COUNT)
			c->session = argv[++i];
		else
			cli_set_flag(c, k, argv[++i],
				     k == SET_DB ? "flag --db" : "flag --as");
	}
	if (version) { /* after the loop, so that a later --json counts */
		int rc = cli_print_version(c);

		return rc == EXIT_DONE ? -1 : rc;
	}
	return EXIT_DONE;
}
