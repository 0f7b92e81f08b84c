/*
 * mistake.c - what a command line that does not parse most likely meant:
 * a wrong number of arguments (a text in curly quotes that the shell
 * split, a text given to an option that takes one word) and an unknown
 * command (the nearest command words: "did you mean").
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Whether an argument starts with an opening curly quote or ends with a
 * closing one: text pasted from a word processor, which the shell split
 * at every blank because it does not know those quotes. */
static int split_by_curly_quotes(const parsed *p)
{
	for (int i = 0; i < p->nargs; i++) {
		const char *a = p->args[i];
		size_t n = strlen(a);

		if (strncmp(a, "\u201c", 3) == 0 ||
		    strncmp(a, "\u2018", 3) == 0 ||
		    (n >= 3 && (strcmp(a + n - 3, "\u201d") == 0 ||
				strcmp(a + n - 3, "\u2019") == 0)))
			return 1;
	}
	return 0;
}

/* Which of the values given took the text (`note --tag "Mum works..."`):
 * the index in `every` of a value with a space given to an option that
 * takes one word (a tag, a phase, a case), or -1. */
static int swallowed_text(const command *cmd, const parsed *p)
{
	static const char *const wordy[] = { "TEXT", "NAME", "FILE", "EMAIL",
					     "LINE", "PATH", NULL };

	for (int i = 0; i < p->every_count; i++) {
		const char *value = cmd->options[p->every_option[i]].value;
		int word = 1;

		if (value == NULL || strchr(p->every[i], ' ') == NULL)
			continue;
		for (size_t w = 0; word && wordy[w] != NULL; w++)
			word = strstr(value, wordy[w]) == NULL;
		if (word)
			return i;
	}
	return -1;
}

void cli_explain_arg_count(const command *cmd, const parsed *p)
{
	int k;

	if (p->nargs > cmd->min_args && split_by_curly_quotes(p))
		cli_error("'%s' takes %s; got %d arguments: the text "
			  "seems to be in curly quotes (\u201c \u201d "
			  "or \u2018 \u2019, as a word processor writes "
			  "them), which the shell does not take as "
			  "quotes; type straight quotes \"...\" "
			  "around it instead",
			  cmd->name, cmd->usage, p->nargs);
	else if (p->nargs < cmd->min_args &&
		 (k = swallowed_text(cmd, p)) >= 0)
		cli_error("'%s' needs %s; the value of %s, '%s', looks "
			  "like the text: give the %s first, then the "
			  "text (casework %s %s %s \"TEXT\")",
			  cmd->name, cmd->usage,
			  cmd->options[p->every_option[k]].name,
			  p->every[k],
			  cmd->options[p->every_option[k]].value,
			  cmd->name,
			  cmd->options[p->every_option[k]].name,
			  cmd->options[p->every_option[k]].value);
	else if (p->nargs < cmd->min_args)
		cli_error("'%s' needs %s", cmd->name, cmd->usage);
	else
		cli_error("'%s' takes %s; got %d argument%s%s",
			  cmd->name,
			  *cmd->usage ? cmd->usage : "no arguments",
			  p->nargs, p->nargs == 1 ? "" : "s",
			  strstr(cmd->usage, "TEXT")
			      ? " (quote a text that has spaces)"
			      : "");
}

/*
 * How far `word` is from command word `name`: the edit distance, or 1
 * when the word is the start of the name ("stat" for "status").
 */
static size_t nearness(const char *word, const char *name, size_t len)
{
	char first[32];
	size_t n = strlen(word);

	snprintf(first, sizeof(first), "%.*s", (int)len, name);
	if (n >= 2 && strncmp(first, word, n) == 0)
		return 1;
	return cw_text_distance(word, first);
}

int cli_unknown_command(const char *word)
{
	const char *near[3];
	int len[3];
	size_t shown = 0;

	/* by nearness 1, then 2: a close word, not one that shares little */
	for (size_t want = 1; want <= 2 && want < strlen(word); want++) {
		for (size_t i = 0; i < command_count && shown < 3; i++) {
			const char *name = commands[i].name;
			size_t n = strcspn(name, " ");

			/* "goal add", "goal drop": the word once */
			if (i > 0 &&
			    strncmp(commands[i - 1].name, name, n) == 0 &&
			    strcspn(commands[i - 1].name, " ") == n)
				continue;
			if (nearness(word, name, n) != want)
				continue;
			near[shown] = name;
			len[shown++] = (int)n;
		}
	}
	if (shown == 0)
		cli_error("unknown command '%s'; see 'casework --help' ('help' "
			  "in a walk)",
			  word);
	else if (shown == 1)
		cli_error("unknown command '%s'; did you mean '%.*s'?", word,
			  len[0], near[0]);
	else if (shown == 2)
		cli_error("unknown command '%s'; did you mean '%.*s' or "
			  "'%.*s'?",
			  word, len[0], near[0], len[1], near[1]);
	else
		cli_error("unknown command '%s'; did you mean '%.*s', '%.*s' "
			  "or '%.*s'?",
			  word, len[0], near[0], len[1], near[1], len[2],
			  near[2]);
	return EXIT_USAGE;
}

int cli_subcommand_typo(const command *cmd, const parsed *p)
{
	size_t n = strlen(cmd->name);
	const char *word;

	/* one word, of the shape of a command word ("lsit", not "ok?") */
	if (p->nargs != 1 || p->after_dashes || strlen(word = p->args[0]) < 3 ||
	    strspn(word, "abcdefghijklmnopqrstuvwxyz-") != strlen(word))
		return 0;
	for (size_t i = 0; i < command_count; i++) {
		const char *sub = commands[i].name + n + 1;

		if (strncmp(commands[i].name, cmd->name, n) != 0 ||
		    commands[i].name[n] != ' ' || strchr(sub, ' ') != NULL ||
		    cw_text_distance(word, sub) > 1)
			continue;
		cli_error("did you mean 'casework %s'? To record the word "
			  "'%s' itself: casework %s -- %s",
			  commands[i].name, word, cmd->name, word);
		return 1;
	}
	return 0;
}
