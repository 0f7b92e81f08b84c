/*
 * cmd_walk.c - the guided walk: a prompt at which a student types the same
 * commands as on the command line, without "casework" and without -s.
 * Each line goes through cli_dispatch, the parser the command line uses,
 * and each command is its own transaction, so quitting, Ctrl-C or a
 * killed terminal loses nothing; `walk -s SESSION` resumes.
 *
 * On a terminal, libedit gives line editing, history (kept in
 * $XDG_STATE_HOME/casework/history) and Tab completion; piped input is
 * read plainly, with no prompt, so that a walk can be scripted.
 *
 * libedit is opened here, at run time, and only by a walk on a terminal:
 * linked into the program, it and the libraries it needs (libtinfo,
 * libbsd, libmd) cost every command about 0.5 M instructions to load,
 * for a library no other command uses.  Without it a walk still works,
 * reading plain lines.  `make LINK_EDITLINE=1` links it the ordinary way.
 */
#include <dlfcn.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cli.h"

#ifndef CW_EDITLINE_SONAME
#define CW_EDITLINE_SONAME "libedit.so.2"
#endif

#define MAX_WORDS 64
/* The history keeps this many lines, and a history file larger than this
 * is not read back: every file casework reads has a size cap. */
#define HISTORY_LINES 1000
#define HISTORY_MAX_BYTES (1024 * 1024)

/* The walk under way, for the completion callbacks of libedit. */
static struct walk {
	cli *c;
	char session[CW_ID_LEN + 1];
	char **words; /* completion candidates */
	size_t count;
} walk;

/* What the walk uses of libedit's readline interface, found by name in
 * the loaded library (or, with CW_LINK_EDITLINE, linked). */
static struct editline {
	char *(*readline)(const char *);
	int (*add_history)(const char *);
	void (*stifle_history)(int);
	int (*read_history)(const char *);
	int (*write_history)(const char *);
	char **(*completion_matches)(const char *, rl_compentry_func_t *);
	char **line_buffer;
	rl_completion_func_t **attempted_completion_function;
	int *attempted_completion_over;
	FILE **outstream; /* rl_outstream; NULL when the library lacks it */
} ed;

#ifndef CW_LINK_EDITLINE
/* Find `name` in `lib` and store it at `out`, a pointer to a function or
 * data pointer: POSIX guarantees that a function pointer has the size and
 * representation of the void * dlsym returns, and memcpy says so without
 * breaking C's aliasing rules.  Returns -1 when it is missing. */
static int symbol(void *lib, const char *name, void *out)
{
	void *found = dlsym(lib, name);

	if (found == NULL)
		return -1;
	memcpy(out, &found, sizeof(found));
	return 0;
}
#endif

/*
 * Make ed usable; returns 0, or -1 after saying why a walk on this
 * terminal has no line editing.  The library stays loaded until exit:
 * nothing is gained by unloading it at the end of the walk.
 */
static int load_editline(void)
{
#ifdef CW_LINK_EDITLINE
	ed.readline = readline;
	ed.add_history = add_history;
	ed.stifle_history = stifle_history;
	ed.read_history = read_history;
	ed.write_history = write_history;
	ed.completion_matches = rl_completion_matches;
	ed.line_buffer = &rl_line_buffer;
	ed.attempted_completion_function = &rl_attempted_completion_function;
	ed.attempted_completion_over = &rl_attempted_completion_over;
	ed.outstream = &rl_outstream;
	*ed.outstream = cli_out_raw();
	return 0;
#else
	void *lib = dlopen(CW_EDITLINE_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL ||
	    symbol(lib, "readline", &ed.readline) < 0 ||
	    symbol(lib, "add_history", &ed.add_history) < 0 ||
	    symbol(lib, "stifle_history", &ed.stifle_history) < 0 ||
	    symbol(lib, "read_history", &ed.read_history) < 0 ||
	    symbol(lib, "write_history", &ed.write_history) < 0 ||
	    symbol(lib, "rl_completion_matches", &ed.completion_matches) < 0 ||
	    symbol(lib, "rl_line_buffer", &ed.line_buffer) < 0 ||
	    symbol(lib, "rl_attempted_completion_function",
		   &ed.attempted_completion_function) < 0 ||
	    symbol(lib, "rl_attempted_completion_over",
		   &ed.attempted_completion_over) < 0) {
		const char *why = dlerror();

		cli_error("no line editing, history or Tab completion in this "
			  "walk: %s (install libedit2 for them)",
			  why != NULL ? why : CW_EDITLINE_SONAME);
		if (lib != NULL)
			dlclose(lib);
		memset(&ed, 0, sizeof(ed));
		return -1;
	}
	/* the line editor draws the prompt and the line being typed itself:
	 * it needs a stream with a file descriptor, not the filter that the
	 * program's own output goes through (out.c), and it takes the stream
	 * when it starts, at the first call of any of its functions */
	if (symbol(lib, "rl_outstream", &ed.outstream) == 0)
		*ed.outstream = cli_out_raw();
	return 0;
#endif
}

/* The curly quotes a word processor puts around pasted text, in UTF-8:
 * “ ” and ‘ ’.  The walk takes them as quotes; ’ also stands for an
 * apostrophe ("Maya’s"), so it closes a ‘ quote only at the end of a
 * word. */
#define LDQUO "\xe2\x80\x9c"
#define RDQUO "\xe2\x80\x9d"
#define LSQUO "\xe2\x80\x98"
#define RSQUO "\xe2\x80\x99"

static int at_end_of_word(const char *s)
{
	return *s == '\0' || *s == ' ' || *s == '\t' || *s == '\n' ||
	       *s == '\r';
}

int cli_split_line(char *line, char **argv, int max)
{
	char *in = line, *out = line;
	int argc = 0;

	for (;;) {
		char quote = 0; /* ', ", or L / S for “ and ‘ */

		while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
			in++;
		if (*in == '\0')
			return argc;
		if (argc == max)
			return -2;
		argv[argc++] = out;
		while (*in != '\0') {
			if (quote == 0 && (*in == ' ' || *in == '\t' ||
					   *in == '\n' || *in == '\r'))
				break;
			if (quote == 0 && (strncmp(in, LDQUO, 3) == 0 ||
					   strncmp(in, LSQUO, 3) == 0)) {
				quote = in[2] == '\x9c' ? 'L' : 'S';
				in += 3;
			} else if ((quote == 'L' &&
				    strncmp(in, RDQUO, 3) == 0) ||
				   (quote == 'S' &&
				    strncmp(in, RSQUO, 3) == 0 &&
				    at_end_of_word(in + 3))) {
				quote = 0;
				in += 3;
			} else if (quote == 0 && (*in == '\'' || *in == '"')) {
				quote = *in++;
			} else if (quote != 0 && *in == quote) {
				quote = 0;
				in++;
			} else if (*in == '\\' && quote != '\'' && in[1] != '\0') {
				*out++ = in[1];
				in += 2;
			} else {
				*out++ = *in++;
			}
		}
		if (quote != 0)
			return -1;
		if (*in != '\0')
			in++;
		*out++ = '\0';
	}
}

/* The session's status document, or NULL (the error is printed). */
static cJSON *status_of(cli *c)
{
	cJSON *doc = NULL;
	int error = cw_session_status(&doc, c->store, walk.session);

	if (error < 0)
		cli_fail(error);
	return doc;
}

static void show_phase(cli *c)
{
	cJSON *doc = NULL;
	int error = cw_session_guide(&doc, c->store, walk.session, NULL);

	if (error < 0) {
		cli_fail(error);
		return;
	}
	printf("\n");
	cli_print_guide(c, doc);
	printf("\nType 'help' for the commands; 'quit' or Ctrl-D to stop "
	       "(Ctrl-C clears the line).\n");
	cJSON_Delete(doc);
}

/* Where a resumed walk stands, in a few lines: the phase, what is still
 * to do in it, and where the full guidance is (it was shown when the
 * phase began). */
static void show_resumed(cli *c, const cJSON *status)
{
	const cJSON *ph = cJSON_GetObjectItem(status, "phase"), *cp;
	int left = 0;

	printf("\nPhase %d of %d: %s%s%s.", (int)jnum(ph, "number"),
	       (int)jnum(ph, "of"), cli_color(c, C_BOLD), jstr(ph, "title"),
	       cli_color(c, C_RESET));
	cJSON_ArrayForEach(cp, cJSON_GetObjectItem(status, "checkpoints"))
		left += !cJSON_IsTrue(cJSON_GetObjectItem(cp, "met"));
	if (left == 0)
		printf(" Every checkpoint of it is met: 'advance' moves on.\n");
	else
		printf(" Still to do:\n");
	cJSON_ArrayForEach(cp, cJSON_GetObjectItem(status, "checkpoints"))
	{
		if (cJSON_IsTrue(cJSON_GetObjectItem(cp, "met")))
			continue;
		printf("  [ ] %-26s %s\n", jstr(cp, "id"), jstr(cp, "message"));
		if (*jstr(cp, "command"))
			printf("      %s\n", cli_suggest(c, jstr(cp, "command")));
	}
	printf("\n");
	cli_wrap_text(stdout,
		      "'guide' shows this phase's guidance and rubric, 'status' "
		      "the whole session, 'help' the commands; 'quit' or "
		      "Ctrl-D stops (Ctrl-C clears the line).",
		      0, cli_width());
}

static void show_summary(cli *c, const cJSON *status)
{
	const cJSON *records = cJSON_GetObjectItem(status, "records");

	printf("\n%sThe session is closed.%s %d of %d checkpoints met; %d "
	       "goal%s, %d intervention%s, %d evaluation%s, %d referral%s.\n",
	       cli_color(c, C_BOLD), cli_color(c, C_RESET),
	       (int)jnum(cJSON_GetObjectItem(status, "progress"), "met"),
	       (int)jnum(cJSON_GetObjectItem(status, "progress"), "total"),
	       (int)jnum(records, "goals"),
	       jnum(records, "goals") == 1 ? "" : "s",
	       (int)jnum(records, "interventions"),
	       jnum(records, "interventions") == 1 ? "" : "s",
	       (int)jnum(records, "evaluations"),
	       jnum(records, "evaluations") == 1 ? "" : "s",
	       (int)jnum(records, "referrals"),
	       jnum(records, "referrals") == 1 ? "" : "s");
	printf("Read it back with:  casework log -s %.8s\n"
	       "Export it with:     casework export -s %.8s --format html -o "
	       "session.html\n"
	       "Hand it in with:    casework export -s %.8s --format bundle -o "
	       "hand-in.json\n",
	       walk.session, walk.session, walk.session);
}

/* ---- completion (terminal only) ---- */

static void add_word(const char *word)
{
	char **grown;

	for (size_t i = 0; i < walk.count; i++)
		if (strcmp(walk.words[i], word) == 0)
			return;
	grown = realloc(walk.words, (walk.count + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	walk.words = grown;
	walk.words[walk.count] = strdup(word);
	if (walk.words[walk.count] != NULL)
		walk.count++;
}

static void free_words(void)
{
	for (size_t i = 0; i < walk.count; i++)
		free(walk.words[i]);
	free(walk.words);
	walk.words = NULL;
	walk.count = 0;
}

static void add_candidate(const char *word, void *payload)
{
	(void)payload;
	add_word(word);
}

/* What may follow the words before `start` on the line: the same source
 * as `casework __complete` (complete.c), for the walk's session. */
static void gather_words(const char *text, int start)
{
	char *line = strndup(*ed.line_buffer, (size_t)start);
	char *words[MAX_WORDS];
	int n;

	free_words();
	if (line == NULL)
		return;
	n = cli_split_line(line, words, MAX_WORDS);
	if (n >= 0)
		cli_complete(walk.c, n, words, text, add_candidate, NULL);
	free(line);
}

static char *complete_word(const char *text, int state)
{
	static size_t next;

	(void)text; /* the candidates start with it already */
	if (state == 0)
		next = 0;
	return next < walk.count ? strdup(walk.words[next++]) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	gather_words(text, start);
	/* no file names as a fallback: a walk takes none */
	*ed.attempted_completion_over = 1;
	return ed.completion_matches(text, complete_word);
}

/* $XDG_STATE_HOME/casework/history, its folder created owner-only. */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char dir[1024], *path;

	if (state != NULL && state[0] == '/')
		snprintf(dir, sizeof(dir), "%s/casework", state);
	else if (home != NULL && home[0] != '\0')
		snprintf(dir, sizeof(dir), "%s/.local/state/casework", home);
	else
		return NULL;
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return NULL;
	path = malloc(strlen(dir) + sizeof("/history"));
	if (path != NULL)
		sprintf(path, "%s/history", dir);
	return path;
}

/* Set by Ctrl-C at the prompt: the line is cleared, the walk goes on.
 * libedit empties its line before our handler runs, so a Ctrl-C cannot
 * tell whether there was text: the one right after a cleared line (the
 * line is empty then) is the one that leaves. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int signo)
{
	(void)signo;
	interrupted = 1;
}

/* One line from the student: libedit when it is loaded; else a plain
 * line, after a prompt on a terminal and without one from a pipe. */
static char *read_line(int tty, const char *phase)
{
	char *line = NULL, prompt[80];
	size_t size = 0;

	snprintf(prompt, sizeof(prompt), "%s> ", phase);
	if (ed.readline != NULL)
		return ed.readline(prompt);
	if (tty) {
		fputs(prompt, stdout);
		fflush(stdout);
	}
	if (getline(&line, &size, stdin) < 0) {
		free(line);
		return NULL;
	}
	return line;
}

int cmd_walk(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p);
	int tty = isatty(STDIN_FILENO);
	char *history = NULL, *line = NULL, phase[64] = "";
	cJSON *status = NULL;
	int cleared = 0, failed = 0, resumed = 0, status_rc;

	if (rc == 0 && c->json) {
		cli_error("a walk is a conversation, not a document: --json is "
			  "for the other commands");
		rc = EXIT_USAGE;
	}
	if (rc != 0 || cli_store(c) == NULL) {
		free(p.args);
		return rc ? rc : EXIT_RUNTIME;
	}
	memset(&walk, 0, sizeof(walk));
	walk.c = c;
	if (p.nargs == 1 && c->session != NULL) {
		free(p.args);
		cli_error("give a CASE to start a walk or -s SESSION to resume "
			  "one, not both");
		return EXIT_USAGE;
	}
	if (p.nargs == 1) {
		cJSON *doc = NULL;
		int error = cli_start_session(c, &doc, p.args[0],
					      opt(c, &p, "--student"),
					      opt(c, &p, "--workflow"),
					      flag(c, &p, "--new"));

		if (error < 0) {
			free(p.args);
			return cli_fail(error);
		}
		snprintf(walk.session, sizeof(walk.session), "%s",
			 jstr(doc, "session"));
		printf("Started session %s on %s for %s.\n", walk.session,
		       jstr(doc, "case"), jstr(doc, "student"));
		cli_print_client_events(
		    c, cJSON_GetObjectItem(doc, "client_events"), 1, stdout);
		cJSON_Delete(doc);
	} else if ((rc = cli_session(c, walk.session)) != 0) {
		free(p.args);
		return rc;
	} else {
		printf("Resuming session %s.\n", walk.session);
		resumed = 1;
	}
	free(p.args);
	/* every command of the walk applies to this session */
	c->session = walk.session;
	c->walking = 1;

	/* libedit reads characters through the C library's multibyte
	 * functions: in the "C" locale every byte above 127 is dropped, and
	 * "Mãe" would be stored as "Me".  The character type is all the walk
	 * takes from the environment; numbers and messages stay as they are. */
	if (tty)
		setlocale(LC_CTYPE, "");
	if (tty && load_editline() == 0) {
		struct stat st;

		history = history_path();
		ed.stifle_history(HISTORY_LINES);
		if (history != NULL && stat(history, &st) == 0 &&
		    st.st_size > HISTORY_MAX_BYTES)
			cli_error("%s is larger than %d bytes: not read (the "
				  "walk keeps its last %d lines)",
				  history, HISTORY_MAX_BYTES, HISTORY_LINES);
		else if (history != NULL)
			ed.read_history(history);
		*ed.attempted_completion_function = complete;
	}
	if (tty) {
		struct sigaction sa;

		/* no SA_RESTART: the read at the prompt must return */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_interrupt;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
	}
	for (;;) {
		char *words[MAX_WORDS];
		int n;

		cJSON_Delete(status);
		if ((status = status_of(c)) == NULL) {
			rc = EXIT_RUNTIME;
			break;
		}
		if (strcmp(jstr(status, "status"), "closed") == 0) {
			show_summary(c, status);
			rc = EXIT_DONE;
			break;
		}
		if (strcmp(phase, jstr(cJSON_GetObjectItem(status, "phase"),
				       "id")) != 0) {
			/* a resumed walk says where it stands; the guide
			 * comes with each phase entered */
			if (*phase == '\0' && resumed)
				show_resumed(c, status);
			else
				show_phase(c);
			snprintf(phase, sizeof(phase), "%s",
				 jstr(cJSON_GetObjectItem(status, "phase"),
				      "id"));
		}
		fflush(stdout);
		free(line);
		interrupted = 0;
		line = read_line(tty, phase);
		if (line == NULL && interrupted) {
			/* the first Ctrl-C clears the line; the next one, with
			 * no line entered since, leaves */
			if (cleared) {
				printf("\nEverything is saved. Resume with: "
				       "casework walk -s %.8s\n",
				       walk.session);
				rc = EXIT_DONE;
				break;
			}
			cleared = 1;
			printf("\n(Ctrl-C cleared the line. Ctrl-C again, Ctrl-D "
			       "or 'quit' leaves the walk.)\n");
			clearerr(stdin);
			continue;
		}
		cleared = 0;
		if (line == NULL) {
			printf("\nEverything is saved. Resume with: casework "
			       "walk -s %.8s\n",
			       walk.session);
			rc = EXIT_DONE;
			break;
		}
		if (ed.add_history != NULL &&
		    line[strspn(line, " \t")] != '\0') {
			ed.add_history(line);
			if (history != NULL)
				ed.write_history(history);
		}
		n = cli_split_line(line, words, MAX_WORDS);
		if (n < 0) {
			cli_error(n == -1 ? "a quote is not closed"
					  : "too many words on one line");
			failed = EXIT_USAGE;
			continue;
		}
		/* "casework status", as the guidance and the README write
		 * it, is the walk's "status" */
		if (n > 0 && strcmp(words[0], "casework") == 0)
			memmove(words, words + 1, (size_t)--n * sizeof(*words));
		if (n == 0)
			continue;
		if (strcmp(words[0], "quit") == 0 || strcmp(words[0], "exit") == 0) {
			printf("Everything is saved. Resume with: casework walk "
			       "-s %.8s\n",
			       walk.session);
			rc = EXIT_DONE;
			break;
		}
		if (strcmp(words[0], "help") == 0 && n == 1) {
			cli_walk_help();
			continue;
		}
		/* an error is shown and the walk goes on; a scripted walk
		 * ends with the exit code of the last command that failed */
		if ((status_rc = cli_walk_refuses(n, words)) == 0)
			status_rc = cli_dispatch(c, n, words);
		if (status_rc != EXIT_DONE)
			failed = status_rc;
		fflush(stdout);
	}
	cJSON_Delete(status);
	free(line);
	free(history);
	free_words();
	/* at a terminal the person saw each error; a script is told */
	return rc == EXIT_DONE && !tty && failed ? failed : rc;
}
