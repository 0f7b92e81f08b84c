/*
 * walk_help.c - what a walk answers before a command runs: its help (the
 * commands typed most in a walk, then every command by group, as
 * `casework --help` lists them) and the words it refuses.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Commands that make no sense inside a walk of one session. */
static int not_in_walk(const char *word)
{
	return strcmp(word, "walk") == 0 || strcmp(word, "start") == 0 ||
	       strcmp(word, "use") == 0;
}

void cli_walk_help(void)
{
	printf("Type the same commands as on the command line, without "
	       "'casework' and without -s:\n"
	       "  guide                       this phase's guidance, case "
	       "material and checkpoints\n"
	       "  status                      which checkpoints are met\n"
	       "  check CHECKPOINT \"TEXT\"     state what you did\n"
	       "  choose CHECKPOINT VALUE \"TEXT\"\n"
	       "  note [--tag TAG] \"TEXT\"     e.g. --tag exploration, "
	       "strength, need\n"
	       "  objective add \"TEXT\"        referral add \"TEXT\"\n"
	       "  goal add --term short|long --measure \"TEXT\" \"TEXT\"\n"
	       "  intervention add G1 --type TYPE \"TEXT\"\n"
	       "  evaluation add G1 --outcome achieved|partial|not-achieved "
	       "\"TEXT\"\n"
	       "  goal list | goal revise | goal drop\n"
	       "  advance                     to the next phase, when every "
	       "checkpoint holds\n"
	       "  revisit PHASE --reason \"TEXT\"   terminate --reason "
	       "\"TEXT\"\n"
	       "  log                         the timeline so far\n"
	       "  help [COMMAND]              this list, or one command's "
	       "options\n"
	       "  quit                        stop; everything is saved\n"
	       "Quote texts that have spaces (\"...\", '...', or the curly "
	       "quotes of a word\nprocessor). Tab completes commands, "
	       "checkpoints, goals and phases.\n"
	       "Ctrl-C clears the line; Ctrl-C again on an empty line, "
	       "Ctrl-D or 'quit' leaves.\n");
	printf("\nEvery command, by group ('help COMMAND' for its "
	       "options):\n");
	for (const char *const *g = command_groups; *g != NULL; g++) {
		printf("%s:\n ", *g);
		for (size_t i = 0, col = 1; i < command_count; i++) {
			const char *name = commands[i].name;

			if (strcmp(commands[i].group, *g) != 0 ||
			    not_in_walk(name))
				continue;
			if (col + strlen(name) + 2 > 78) {
				printf("\n ");
				col = 1;
			}
			col += (size_t)printf("  %s", name);
		}
		printf("\n");
	}
}

int cli_walk_refuses(int argc, char **argv)
{
	if (not_in_walk(argv[0])) {
		cli_error("'%s' is not available inside a walk; quit first",
			  argv[0]);
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			break;
		else if (strcmp(argv[i], "--json") == 0) {
			cli_error("the walk prints text only: leave out --json "
				  "(outside the walk, 'casework %s --json' "
				  "prints JSON)",
				  argv[0]);
			return EXIT_USAGE;
		}
	return 0;
}
