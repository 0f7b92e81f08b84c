/*
 * config.c - settings: the config file, the environment and their
 * defaults; the `config` command is in cmd_config.c.
 *
 * A setting comes from, first to last: a flag, the environment, the config
 * file ($XDG_CONFIG_HOME/casework/config, lines of `key = value`), the
 * default.  The table below is the one description of each; `config`,
 * the man page and completion read it.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const setting_spec settings[SET_COUNT] = {
    [SET_DB] = {"db", "--db", "CASEWORK_DB",
		"$XDG_DATA_HOME/casework/casework.db, or "
		"~/.local/share/casework/casework.db",
		"the database: a file, or a postgresql:// URI"},
    [SET_ACTOR] = {"actor", "--as", "CASEWORK_ACTOR",
		   "your login name ($LOGNAME, $USER, else the password file)",
		   "the name recorded on every event you write"},
    [SET_STUDENT] = {"student", "--student", "CASEWORK_STUDENT", "the actor",
		     "the student of a new session (start, walk)"},
    [SET_COLOR] = {"color", "--color, --no-color", "NO_COLOR", "auto",
		   "auto (on a terminal only), always or never; "
		   "NO_COLOR set to anything means never"},
    [SET_PAGER] = {"pager", NULL, "PAGER", "less -FRX",
		   "what log, report and case show page through on a "
		   "terminal; cat for none"},
};

#define CONFIG_MAX (64 * 1024)

int cli_setting_index(const char *key)
{
	for (int k = 0; k < SET_COUNT; k++)
		if (strcmp(settings[k].key, key) == 0)
			return k;
	return -1;
}

/* "db, actor, student, color and pager", from the table. */
const char *cli_setting_keys(void)
{
	static char list[96];

	if (list[0] == '\0')
		for (int k = 0; k < SET_COUNT; k++) {
			size_t used = strlen(list);

			snprintf(list + used, sizeof(list) - used, "%s%s",
				 k == 0		      ? ""
				 : k + 1 == SET_COUNT ? " and "
						      : ", ",
				 settings[k].key);
		}
	return list;
}

int cli_color_mode_ok(const char *value)
{
	return strcmp(value, "auto") == 0 || strcmp(value, "always") == 0 ||
	       strcmp(value, "never") == 0;
}

/*
 * A file under an XDG base directory: $<xdg_var><tail>, or, when that is
 * unset or relative (XDG says to ignore a relative one), $HOME<home_tail>.
 * NULL when neither gives a base, or on no memory.
 */
static char *xdg_path(const char *xdg_var, const char *home_tail,
		      const char *tail)
{
	const char *base = getenv(xdg_var);
	char *path;
	size_t len;

	if (base == NULL || base[0] != '/') {
		base = getenv("HOME");
		tail = home_tail;
	}
	if (base == NULL || base[0] == '\0')
		return NULL;
	len = strlen(base) + strlen(tail) + 1;
	path = malloc(len);
	if (path != NULL)
		snprintf(path, len, "%s%s", base, tail);
	return path;
}

char *cli_config_path(void)
{
	return xdg_path("XDG_CONFIG_HOME", "/.config/casework/config",
			"/casework/config");
}

/* Trim blanks at both ends of `s` in place. */
static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Split one line into key and value; NULL key for a blank or comment. */
int cli_split_setting(char *line, char **key, char **value)
{
	char *eq;

	*key = *value = NULL;
	line = trim(line);
	if (*line == '\0' || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (eq == NULL)
		return -1;
	*eq = '\0';
	*key = trim(line);
	*value = trim(eq + 1);
	return 0;
}

/* The whole file, or NULL with errno (ENOENT: there is none). */
char *cli_read_config(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	size_t n;

	if (f == NULL)
		return NULL;
	text = malloc(CONFIG_MAX + 1);
	if (text == NULL) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	n = fread(text, 1, CONFIG_MAX, f);
	if (ferror(f) || !feof(f)) {
		int saved = ferror(f) ? errno : EFBIG;

		fclose(f);
		free(text);
		errno = saved;
		return NULL;
	}
	fclose(f);
	text[n] = '\0';
	return text;
}

int cli_load_config(cli *c, int quiet)
{
	char *path = cli_config_path(), *line, *next;
	int bad = 0, number = 0;

	if (path == NULL)
		return EXIT_DONE;
	c->config_text = cli_read_config(path);
	if (c->config_text == NULL) {
		int error = errno;

		if (error != ENOENT && !quiet)
			cli_error("%s: %s", path,
				  error == EFBIG ? "larger than 64 KiB"
						 : strerror(error));
		free(path);
		/* no file: the defaults; a file too large is a bad file; one
		 * that cannot be read (no memory, I/O) a runtime failure */
		if (error == ENOENT)
			return EXIT_DONE;
		return error == EFBIG ? EXIT_USAGE : EXIT_RUNTIME;
	}
	for (line = c->config_text; line != NULL; line = next) {
		char *key, *value;
		int k;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		number++;
		if (cli_split_setting(line, &key, &value) < 0) {
			if (!quiet)
				cli_error("%s:%d: expected 'key = value'", path,
					  number);
			bad = 1;
			continue;
		}
		if (key == NULL)
			continue;
		k = cli_setting_index(key);
		if (k < 0) {
			if (!quiet)
				cli_error("%s:%d: unknown key '%s' (the keys "
					  "are %s)",
					  path, number, key,
					  cli_setting_keys());
			bad = 1;
		} else if (*value == '\0') {
			if (!quiet)
				cli_error("%s:%d: '%s' has no value", path,
					  number, key);
			bad = 1;
		} else if (k == SET_COLOR && !cli_color_mode_ok(value)) {
			if (!quiet)
				cli_error("%s:%d: color is auto, always or "
					  "never, not '%s'",
					  path, number, value);
			bad = 1;
		} else {
			c->file_set[k] = value; /* the last one counts */
		}
	}
	if (bad && !quiet)
		cli_error("fix %s, or change it with 'casework config set' "
			  "or 'casework config unset'",
			  path);
	free(path);
	return bad ? EXIT_USAGE : EXIT_DONE;
}

void cli_set_flag(cli *c, int k, const char *value, const char *flag)
{
	if (value == NULL)
		return;
	c->set[k].value = value;
	c->set[k].source = flag;
}

static char *default_db_path(void)
{
	return xdg_path("XDG_DATA_HOME", "/.local/share/casework/casework.db",
			"/casework/casework.db");
}

/*
 * Who is at the keyboard: LOGNAME or USER as the login set them, else the
 * password database (the order of Python's getpass.getuser).  The
 * environment comes first also because glibc's getpwuid aborts or crashes
 * inside its NSS set-up when an allocation fails there (tests/faults).
 */
static const char *login_name(void)
{
	static const char *const vars[] = { "LOGNAME", "USER" };
	struct passwd *pw;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *name = getenv(vars[i]);

		if (name != NULL && name[0] != '\0')
			return name;
	}
	pw = getpwuid(geteuid());
	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
		return pw->pw_name;
	return "unknown";
}

int cli_resolve_settings(cli *c)
{
	for (int k = 0; k < SET_COUNT; k++) {
		const char *env =
		    settings[k].env ? getenv(settings[k].env) : NULL;

		if (c->set[k].value != NULL)
			continue;
		if (env != NULL && env[0] != '\0') {
			/* NO_COLOR says no, whatever its value */
			c->set[k].value = k == SET_COLOR ? "never" : env;
			c->set[k].source = settings[k].env;
		} else if (c->file_set[k] != NULL) {
			c->set[k].value = c->file_set[k];
			c->set[k].source = "config file";
		} else {
			c->set[k].source = "default";
		}
	}
	if (c->set[SET_DB].value == NULL)
		c->set[SET_DB].value = c->owned = default_db_path();
	if (c->set[SET_ACTOR].value == NULL)
		c->set[SET_ACTOR].value = login_name();
	if (c->set[SET_STUDENT].value == NULL)
		c->set[SET_STUDENT].value = c->set[SET_ACTOR].value;
	if (c->set[SET_COLOR].value == NULL)
		c->set[SET_COLOR].value = "auto";
	if (c->set[SET_PAGER].value == NULL)
		c->set[SET_PAGER].value = "less -FRX";

	if (!cli_color_mode_ok(c->set[SET_COLOR].value)) {
		cli_error("--color takes auto, always or never, not '%s'",
			  c->set[SET_COLOR].value);
		return EXIT_USAGE;
	}
	c->db_path = c->set[SET_DB].value;
	c->actor = c->set[SET_ACTOR].value;
	c->student = c->set[SET_STUDENT].value;
	c->pager = c->set[SET_PAGER].value;
	c->color = strcmp(c->set[SET_COLOR].value, "always") == 0 ||
		   (strcmp(c->set[SET_COLOR].value, "auto") == 0 &&
		    isatty(STDOUT_FILENO));
	if (c->db_path == NULL) {
		cli_error("no database: set --db, CASEWORK_DB, 'db' in the "
			  "config file, or HOME");
		return EXIT_USAGE;
	}
	/* on a class server the actor is the login, the server's word */
	if (c->set[SET_ACTOR].source != NULL &&
	    strcmp(c->set[SET_ACTOR].source, "flag --as") == 0 &&
	    (strncmp(c->db_path, "postgresql://", 13) == 0 ||
	     strncmp(c->db_path, "postgres://", 11) == 0)) {
		cli_error("--as cannot be used with a class server: the actor "
			  "of every event there is the login you connect as");
		return EXIT_USAGE;
	}
	return EXIT_DONE;
}

char *cli_key_path(void)
{
	return xdg_path("XDG_CONFIG_HOME", "/.config/casework/instructor.key",
			"/casework/instructor.key");
}
