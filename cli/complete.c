/*
 * complete.c - what may come next on a command line: the one source of
 * completion for Tab in a walk (libedit) and for the bash and zsh scripts,
 * which ask `casework __complete -- WORDS... CURRENT` and print nothing of
 * their own.
 *
 * Commands and options come from the command table; what an option or
 * argument takes comes from its metavariable there ("short|long" lists
 * the values; CASE, SESSION, CHECKPOINT, GOAL, PHASE, ... name what the
 * database holds).  Completion never writes and never prints an error.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_WORDS 64

typedef struct offer_ctx {
	cli *c;
	const char *prefix;
	size_t len;
	cli_candidate_fn add;
	void *payload;
	char **seen; /* offered already */
	size_t seen_count;
} offer_ctx;

/* Offer `word` when it starts with the prefix and was not offered yet. */
static void offer(offer_ctx *o, const char *word)
{
	char **grown;

	if (word == NULL || *word == '\0' ||
	    strncmp(word, o->prefix, o->len) != 0)
		return;
	for (size_t i = 0; i < o->seen_count; i++)
		if (strcmp(o->seen[i], word) == 0)
			return;
	grown = realloc(o->seen, (o->seen_count + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	o->seen = grown;
	o->seen[o->seen_count] = strdup(word);
	if (o->seen[o->seen_count] == NULL)
		return;
	o->seen_count++;
	o->add(word, o->payload);
}

/* The database if there is one; completion never creates it. */
static cw_store *store_of(cli *c)
{
	if (c->store == NULL && c->db_path != NULL &&
	    cw_store_open_existing(&c->store, c->db_path) < 0)
		c->store = NULL;
	return c->store;
}

/* The session the line is about: -s, $CASEWORK_SESSION, the current. */
static int session_of(cli *c, char id[CW_ID_LEN + 1])
{
	const char *named =
	    c->session ? c->session : getenv("CASEWORK_SESSION");

	if (named != NULL && named[0] == '\0')
		named = NULL;
	if (store_of(c) == NULL)
		return -1;
	return cw_session_resolve(id, c->store, named) < 0 ? -1 : 0;
}

/* The session's workflow and the index of its phase, or -1. */
static int session_workflow(cli *c, cw_workflow **wf)
{
	char id[CW_ID_LEN + 1];
	cJSON *status = NULL;
	const cJSON *w;
	int phase = -1;

	*wf = NULL;
	if (session_of(c, id) < 0 ||
	    cw_session_status(&status, c->store, id) < 0)
		return -1;
	w = cJSON_GetObjectItem(status, "workflow");
	if (cw_workflow_load(wf, c->store, jstr(w, "id"),
			     (int)jnum(w, "version")) == 0)
		phase = cw_workflow_phase_index(
		    *wf, jstr(cJSON_GetObjectItem(status, "phase"), "id"));
	cJSON_Delete(status);
	return phase;
}

static const cw_phase *current_phase(const cw_workflow *wf, int phase)
{
	return wf != NULL && phase >= 0 && (size_t)phase < wf->phase_count
		   ? &wf->phases[phase]
		   : NULL;
}

/* The first word of every command; in a walk, the walk's own words. */
static void offer_commands(offer_ctx *o)
{
	for (size_t i = 0; i < command_count; i++) {
		char word[32];
		const char *name = commands[i].name;

		snprintf(word, sizeof(word), "%.*s", (int)strcspn(name, " "),
			 name);
		if (o->c->walking &&
		    (strcmp(word, "walk") == 0 || strcmp(word, "start") == 0 ||
		     strcmp(word, "use") == 0))
			continue;
		offer(o, word);
	}
	offer(o, "help");
	if (o->c->walking)
		offer(o, "quit");
}

/* The second words after a group word: "add" "drop" after "goal". */
static int offer_subcommands(offer_ctx *o, const char *group)
{
	size_t n = strlen(group);
	int any = 0;

	for (size_t i = 0; i < command_count; i++)
		if (strncmp(commands[i].name, group, n) == 0 &&
		    commands[i].name[n] == ' ') {
			offer(o, commands[i].name + n + 1);
			any = 1;
		}
	return any;
}

static void offer_option_names(offer_ctx *o, const option_spec *options)
{
	for (const option_spec *s = options; s->name != NULL; s++) {
		size_t n = strlen(s->name);

		/* --color=always: the values of an option written NAME=VALUE */
		if (s->value != NULL && s->value[0] == '[' &&
		    strncmp(o->prefix, s->name, n) == 0 &&
		    o->prefix[n] == '=') {
			const char *v = s->value + 2; /* after "[=" */

			while (*v != '\0' && *v != ']') {
				char word[96];
				size_t len = strcspn(v, "|]");

				snprintf(word, sizeof(word), "%s=%.*s", s->name,
					 (int)len, v);
				offer(o, word);
				v += len + (v[len] == '|');
			}
			continue;
		}
		offer(o, s->name);
	}
}

static void offer_choices(offer_ctx *o, const char *choices, size_t len)
{
	const char *v = choices, *end = choices + len;

	while (v < end) {
		char word[64];
		size_t n = strcspn(v, "|");

		if (v + n > end)
			n = (size_t)(end - v);
		snprintf(word, sizeof(word), "%.*s", (int)n, v);
		offer(o, word);
		v += n + 1;
	}
}

/* Sessions: the first 8 characters of each id, or the whole id when
 * another session starts the same or the prefix is longer already. */
static void offer_sessions(offer_ctx *o)
{
	cJSON *ids = NULL;
	const cJSON *a, *b;

	if (store_of(o->c) == NULL || cw_session_ids(&ids, o->c->store) < 0)
		return;
	cJSON_ArrayForEach(a, ids)
	{
		int shared = o->len >= 8;
		char word[9];

		if (!cJSON_IsString(a))
			continue;
		cJSON_ArrayForEach(b, ids) shared |=
		    b != a && cJSON_IsString(b) &&
		    strncmp(a->valuestring, b->valuestring, 8) == 0;
		snprintf(word, sizeof(word), "%s", a->valuestring);
		offer(o, shared ? a->valuestring : word);
	}
	cJSON_Delete(ids);
}

static void offer_ids(offer_ctx *o, cJSON *list, const char *key)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, list) offer(o, jstr(item, key));
	cJSON_Delete(list);
}

/* Checkpoints of the session's phase; `kind` < 0 for every kind. */
static void offer_checkpoints(offer_ctx *o, int kind)
{
	cw_workflow *wf = NULL;
	int at = session_workflow(o->c, &wf);
	const cw_phase *ph = current_phase(wf, at);

	for (size_t i = 0; ph != NULL && i < ph->checkpoint_count; i++)
		if (kind < 0 || (int)ph->checkpoints[i].kind == kind)
			offer(o, ph->checkpoints[i].id);
	cw_workflow_free(wf);
}

/* The stages of the current phase's reflection checkpoints:
 * "description" "feelings" ... */
static void offer_stages(offer_ctx *o)
{
	cw_workflow *wf = NULL;
	int at = session_workflow(o->c, &wf);
	const cw_phase *ph = current_phase(wf, at);

	for (size_t i = 0; ph != NULL && i < ph->checkpoint_count; i++)
		for (size_t k = 0; k < ph->checkpoints[i].stage_count; k++)
			offer(o, ph->checkpoints[i].stages[k]);
	cw_workflow_free(wf);
}

/* The values a choice checkpoint takes: "low" "medium" "high". */
static void offer_checkpoint_values(offer_ctx *o, const char *checkpoint)
{
	cw_workflow *wf = NULL;
	int at = session_workflow(o->c, &wf);
	const cw_phase *ph = current_phase(wf, at);

	for (size_t i = 0; ph != NULL && i < ph->checkpoint_count; i++)
		if (strcmp(ph->checkpoints[i].id, checkpoint) == 0)
			for (size_t k = 0; k < ph->checkpoints[i].option_count;
			     k++)
				offer(o, ph->checkpoints[i].options[k]);
	cw_workflow_free(wf);
}

/* Phases of the session's workflow (or the standard one); for revisit,
 * only those the current phase may go back to. */
static void offer_phases(offer_ctx *o, int revisit)
{
	cw_workflow *wf = NULL;
	int at = session_workflow(o->c, &wf);
	const cw_phase *ph = current_phase(wf, at);

	if (wf == NULL) {
		cw_diags diags = CW_DIAGS_INIT;
		size_t len;
		const char *text = cw_workflow_standard_text(&len);

		if (cw_workflow_parse(&wf, &diags, text, len) < 0)
			wf = NULL;
		cw_diags_free(&diags);
	}
	if (revisit && ph != NULL)
		for (size_t i = 0; i < ph->revisit_count; i++)
			offer(o, wf->phases[ph->revisit[i]].id);
	else
		for (size_t i = 0; wf != NULL && i < wf->phase_count; i++)
			offer(o, wf->phases[i].id);
	cw_workflow_free(wf);
}

/* Criteria of the rubric of `phase` (NULL: the session's phase). */
static void offer_criteria(offer_ctx *o, const char *phase)
{
	cw_workflow *wf = NULL;
	int at = session_workflow(o->c, &wf);
	const cw_phase *ph;

	if (wf != NULL && phase != NULL)
		at = cw_workflow_phase_index(wf, phase);
	ph = current_phase(wf, at);
	for (size_t i = 0; ph != NULL && i < ph->rubric_count; i++)
		offer(o, ph->rubric[i].id);
	cw_workflow_free(wf);
}

static void offer_goals(offer_ctx *o)
{
	char id[CW_ID_LEN + 1];
	cJSON *goals = NULL;
	const cJSON *g;

	if (session_of(o->c, id) < 0 ||
	    cw_session_goals(&goals, o->c->store, id) < 0)
		return;
	cJSON_ArrayForEach(
	    g, cJSON_GetObjectItem(
		   goals, "goals")) if (strcmp(jstr(g, "status"), "open") == 0)
	    offer(o, jstr(g, "id"));
	cJSON_Delete(goals);
}

/* The records of the session still standing, of every kind, for
 * correct and strike: "N1" "O1" "G2" ... */
static void offer_records(offer_ctx *o)
{
	char id[CW_ID_LEN + 1];

	if (session_of(o->c, id) < 0)
		return;
	for (int k = 0; k < CW_RECORD_KIND_COUNT; k++) {
		cJSON *list = NULL;
		const cJSON *r;

		if (cw_session_records(&list, o->c->store, id,
				       cw_record_kind_name((cw_record_kind)k),
				       NULL) < 0)
			continue;
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(list, "records"))
			if (strcmp(jstr(r, "status"), "kept") == 0)
				offer(o, jstr(r, "id"));
		cJSON_Delete(list);
	}
}

/* A range such as "1-4": each number in it. */
static int offer_range(offer_ctx *o, const char *word, size_t len)
{
	char text[16], *dash;
	long from, to;

	if (len >= sizeof(text))
		return 0;
	snprintf(text, sizeof(text), "%.*s", (int)len, word);
	dash = strchr(text, '-');
	if (dash == NULL || dash == text)
		return 0;
	*dash = '\0';
	if (cli_number(text, 0, 99, &from) < 0 ||
	    cli_number(dash + 1, 0, 99, &to) < 0)
		return 0;
	for (long n = from; n <= to; n++) {
		char number[8];

		snprintf(number, sizeof(number), "%ld", n);
		offer(o, number);
	}
	return 1;
}

/*
 * Offer what metavariable `word` (len bytes, maybe in [ ] or with ...)
 * stands for.  `cmd` and `args` (the command's positional arguments so
 * far) give the context.  Returns 1 for a file name.
 */
static int offer_value(offer_ctx *o, const command *cmd, const char *word,
		       size_t len, char **args, const char *phase_option)
{
	char name[32];

	if (*word == '[') {
		word++;
		len -= len > 1 ? 2 : 1;
	}
	if (len >= 3 && strncmp(word + len - 3, "...", 3) == 0)
		len -= 3;
	if (memchr(word, '|', len) != NULL) {
		offer_choices(o, word, len);
		return 0;
	}
	if (offer_range(o, word, len))
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)len, word);
	if (strcmp(name, "FILE") == 0 || strcmp(name, "PATH") == 0)
		return 1;
	if (strcmp(name, "CASE") == 0) {
		cJSON *list = NULL;

		if (store_of(o->c) != NULL &&
		    cw_case_list(&list, o->c->store) == 0)
			offer_ids(o, list, "id");
	} else if (strcmp(name, "ID") == 0) {
		cJSON *list = NULL;

		if (store_of(o->c) != NULL &&
		    cw_workflow_list(&list, o->c->store, NULL) == 0)
			offer_ids(o, list, "id");
		else
			offer(o, "standard");
	} else if (strcmp(name, "SESSION") == 0) {
		offer_sessions(o);
	} else if (strcmp(name, "CHECKPOINT") == 0) {
		int kind = -1;

		if (cmd != NULL && strcmp(cmd->name, "check") == 0)
			kind = CW_CHECKPOINT_CONFIRM;
		else if (cmd != NULL && strcmp(cmd->name, "choose") == 0)
			kind = CW_CHECKPOINT_CHOICE;
		offer_checkpoints(o, kind);
	} else if (strcmp(name, "VALUE") == 0 && cmd != NULL &&
		   strcmp(cmd->name, "choose") == 0) {
		offer_checkpoint_values(o, args[0]);
	} else if (strcmp(name, "GOAL") == 0) {
		offer_goals(o);
	} else if (strcmp(name, "RECORD") == 0) {
		offer_records(o);
	} else if (strcmp(name, "STAGE") == 0) {
		offer_stages(o);
	} else if (strcmp(name, "PHASE") == 0) {
		offer_phases(o,
			     cmd != NULL && strcmp(cmd->name, "revisit") == 0);
	} else if (strcmp(name, "CRITERION") == 0) {
		offer_criteria(o, phase_option);
	} else if (strcmp(name, "KEY") == 0) {
		for (int k = 0; k < SET_COUNT; k++)
			offer(o, settings[k].key);
	}
	return 0;
}

/* The option `word` names (up to '='), among the command's and, outside
 * a walk, the global ones; -h and --session are spelt two ways. */
static const option_spec *find_option(const cli *c, const command *cmd,
				      const char *word)
{
	static const option_spec session = {"-s", "SESSION", NULL};
	size_t n = strcspn(word, "=");

	if (n == 9 && strncmp(word, "--session", 9) == 0)
		return c->walking ? NULL : &session;
	for (const option_spec *s = cmd ? cmd->options : NULL; s && s->name;
	     s++)
		if (strlen(s->name) == n && strncmp(s->name, word, n) == 0)
			return s;
	for (const option_spec *s = global_options; !c->walking && s->name; s++)
		if (strlen(s->name) == n && strncmp(s->name, word, n) == 0)
			return s;
	return NULL;
}

/* An option's value on the line: where completion should look. */
static void take_value(cli *c, const option_spec *s, const char *value,
		       const char **phase_option)
{
	if (strcmp(s->name, "-s") == 0)
		c->session = value;
	else if (strcmp(s->name, "--db") == 0)
		c->db_path = value;
	else if (strcmp(s->name, "--phase") == 0)
		*phase_option = value;
}

int cli_complete(cli *c, int argc, char **argv, const char *prefix,
		 cli_candidate_fn add, void *payload)
{
	offer_ctx o = {c, prefix, strlen(prefix), add, payload, NULL, 0};
	const command *cmd = NULL;
	const option_spec *pending = NULL;
	const char *phase_option = NULL;
	char *pos[MAX_WORDS];
	int npos = 0, name_words = 0, only_args = 0, files = 0;

	for (int i = 0; i < argc && npos < MAX_WORDS; i++) {
		const char *w = argv[i];
		const option_spec *s;

		if (pending != NULL) {
			take_value(c, pending, w, &phase_option);
			pending = NULL;
			continue;
		}
		if (!only_args && strcmp(w, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (!only_args && w[0] == '-' && w[1] != '\0') {
			s = find_option(c, cmd, w);
			if (s == NULL || s->value == NULL || s->value[0] == '[')
				continue;
			if (strchr(w, '=') != NULL)
				take_value(c, s, strchr(w, '=') + 1,
					   &phase_option);
			else
				pending = s;
			continue;
		}
		pos[npos++] = argv[i];
		if (cmd == NULL && strcmp(pos[0], "help") != 0)
			cmd = cli_find_command(npos, pos, &name_words);
	}

	if (pending != NULL) {
		files =
		    offer_value(&o, cmd, pending->value, strlen(pending->value),
				pos + name_words, phase_option);
	} else if (!only_args && prefix[0] == '-') {
		if (cmd != NULL) {
			offer_option_names(&o, cmd->options);
			offer(&o, "--help");
		}
		if (!c->walking)
			offer_option_names(&o, global_options);
	} else if (cmd == NULL) {
		int help = npos > 0 && strcmp(pos[0], "help") == 0;
		int at = npos - help;

		if (at == 0)
			offer_commands(&o);
		else if (at == 1)
			offer_subcommands(&o, pos[help]);
	} else {
		/* the usage word for the next positional argument; a word
		 * ending in "..." stands for all that follow */
		const char *u = cmd->usage;
		int want = npos - name_words;

		while (*u != '\0') {
			size_t len = strcspn(u, " ");
			int many =
			    len >= 3 && strncmp(u + len - 3, "...", 3) == 0;

			if (want == 0 || many) {
				files =
				    offer_value(&o, cmd, u, len,
						pos + name_words, phase_option);
				break;
			}
			want--;
			u += len;
			while (*u == ' ')
				u++;
		}
	}
	for (size_t i = 0; i < o.seen_count; i++)
		free(o.seen[i]);
	free(o.seen);
	return files;
}

static void print_word(const char *word, void *payload)
{
	(void)payload;
	puts(word);
}

int cli_complete_command(cli *c, int argc, char **argv)
{
	/* the shell scripts put "--" first so that main() parses nothing */
	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	if (argc == 0)
		return EXIT_DONE;
	/* a file name: the shell knows best; ":files" tells it so */
	if (cli_complete(c, argc - 1, argv, argv[argc - 1], print_word, NULL))
		puts(":files");
	return EXIT_DONE;
}
