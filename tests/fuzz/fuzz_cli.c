/*
 * fuzz_cli.c - libFuzzer harness for the command line: the global options
 * (cli_global_options), the command lookup with its "did you mean"
 * (cli_lookup) and each command's options (cli_parse); and the splitting
 * of a line typed in a walk (cli_split_line).  No command runs and no
 * database is opened.  The input is the argument words separated by NUL
 * bytes, each copied to a buffer of its own so that ASan sees a read past
 * the end of any word; its text up to the first NUL is also split as a
 * walk line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* more words than any command takes; longer inputs are cut there */
#define MAX_WORDS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* help and usage text would drown the fuzzer's own report */
	if (freopen("/dev/null", "w", stdout) == NULL)
		fuzz_fail(__FILE__, __LINE__, "cannot silence stdout");
	return 0;
}

static void parse_command(const command *cmd, int argc, char **argv)
{
	cli c = { 0 };
	parsed p;
	int rc;

	c.command = cmd;
	rc = cli_parse(&c, argc, argv, &p);
	FUZZ_ASSERT(rc == EXIT_DONE || rc == EXIT_USAGE || rc == -1);
	if (rc == EXIT_DONE) {
		FUZZ_ASSERT(p.nargs >= cmd->min_args);
		FUZZ_ASSERT(cmd->max_args < 0 || p.nargs <= cmd->max_args);
		for (int i = 0; i < p.nargs; i++)
			FUZZ_ASSERT(p.args[i] != NULL);
		FUZZ_ASSERT(p.args[p.nargs] == NULL);
		for (const option_spec *o = cmd->options; o->name; o++) {
			const char *value = opt(&c, &p, o->name);

			/* a flag never has a value, an option never a flag */
			FUZZ_ASSERT(o->value != NULL || value == NULL);
			FUZZ_ASSERT(o->value == NULL || !flag(&c, &p, o->name));
			if (value != NULL)
				(void)strlen(value);
		}
	}
	free(p.args);
}

/* The words of a walk line lie in order within the line, each ended by
 * a NUL inside it. */
static void split_walk_line(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t len = nul ? (size_t)(nul - data) : size;
	char *line = malloc(len + 1), *words[MAX_WORDS];
	const char *after = NULL;
	int n;

	if (line == NULL)
		fuzz_fail(__FILE__, __LINE__, "out of memory");
	memcpy(line, data, len);
	line[len] = '\0';
	n = cli_split_line(line, words, MAX_WORDS);
	FUZZ_ASSERT(n >= -2 && n <= MAX_WORDS);
	for (int i = 0; i < n; i++) {
		FUZZ_ASSERT(words[i] >= line && words[i] <= line + len);
		FUZZ_ASSERT(after == NULL || words[i] > after);
		after = words[i] + strlen(words[i]);
		FUZZ_ASSERT(after <= line + len);
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *words[MAX_WORDS + 1] = { NULL };
	char *rest[MAX_WORDS + 1] = { NULL };
	int argc = 0, nrest = 0, n, rc;
	size_t at = 0;
	cli c = { 0 };
	const command *cmd;

	split_walk_line(data, size);
	while (at < size && argc < MAX_WORDS) {
		const uint8_t *end = memchr(data + at, '\0', size - at);
		size_t len = end ? (size_t)(end - (data + at)) : size - at;

		words[argc] = malloc(len + 1);
		if (words[argc] == NULL)
			fuzz_fail(__FILE__, __LINE__, "out of memory");
		memcpy(words[argc], data + at, len);
		words[argc][len] = '\0';
		argc++;
		at += len + 1;
	}
	rc = cli_global_options(&c, argc, words, rest, &nrest);
	FUZZ_ASSERT(rc == EXIT_DONE || rc == EXIT_USAGE || rc == -1);
	FUZZ_ASSERT(nrest >= 0 && nrest <= argc);
	if (rc == EXIT_DONE) {
		cmd = cli_lookup(nrest, rest, &n, &rc);
		if (cmd != NULL) {
			FUZZ_ASSERT(n == 1 || n == 2);
			FUZZ_ASSERT(n <= nrest);
			parse_command(cmd, nrest - n, rest + n);
		} else {
			FUZZ_ASSERT(rc >= EXIT_DONE && rc <= EXIT_BADFILE);
		}
	}
	for (int i = 0; i < argc; i++)
		free(words[i]);
	return 0;
}
