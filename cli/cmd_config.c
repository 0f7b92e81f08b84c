/*
 * cmd_config.c - `casework config get|set|unset|list`: show where each
 * setting comes from, and change the config file in place.  Reading the
 * settings themselves is config.c's concern.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static int known_key(const char *key)
{
	int k = cli_setting_index(key);

	if (k < 0)
		cli_error("unknown setting '%s'; the settings are %s", key,
			  cli_setting_keys());
	return k;
}

static cJSON *setting_json(const cli *c, int k)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddStringToObject(item, "key", settings[k].key);
	cJSON_AddStringToObject(item, "value",
				c->set[k].value ? c->set[k].value : "");
	cJSON_AddStringToObject(item, "source", c->set[k].source);
	return item;
}

int cmd_config_get(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p), k;

	if (rc != 0) {
		free(p.args);
		return rc;
	}
	k = known_key(p.args[0]);
	free(p.args);
	if (k < 0)
		return EXIT_USAGE;
	if (c->json)
		return cli_print_json(setting_json(c, k));
	printf("%s\n", c->set[k].value ? c->set[k].value : "");
	return EXIT_DONE;
}

int cmd_config_list(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p);
	char *path;

	free(p.args);
	if (rc != 0)
		return rc;
	path = cli_config_path();
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();
		cJSON *list = cJSON_AddArrayToObject(doc, "settings");

		cJSON_AddStringToObject(doc, "file", path ? path : "");
		for (int k = 0; k < SET_COUNT; k++)
			cJSON_AddItemToArray(list, setting_json(c, k));
		free(path);
		return cli_print_json(doc);
	}
	for (int k = 0; k < SET_COUNT; k++)
		printf("%-8s %s  (%s)\n", settings[k].key,
		       c->set[k].value ? c->set[k].value : "",
		       c->set[k].source);
	printf("config file: %s\n", path ? path : "none (HOME is not set)");
	free(path);
	return EXIT_DONE;
}

/* mkdir -p of the folder that holds `path`, owner-only. */
static int make_parent(const char *path)
{
	char *dir = strdup(path), *slash;

	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		cli_error("%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	return 0;
}

/*
 * Rewrite the config file with `key` set to `value` (NULL: removed),
 * keeping every other line and comment as it was; the new file replaces
 * the old one in one rename.  *found says whether the key was there.
 */
static int rewrite_config(const char *path, const char *key, const char *value,
			  int *found)
{
	char *text = cli_read_config(path), *line, *next, *tmp = NULL;
	FILE *f = NULL;
	int fd, rc = EXIT_RUNTIME;

	*found = 0;
	if (text == NULL && errno != ENOENT) {
		cli_error("%s: %s", path, strerror(errno));
		return EXIT_RUNTIME;
	}
	if (make_parent(path) < 0)
		goto cleanup;
	tmp = malloc(strlen(path) + sizeof(".XXXXXX"));
	if (tmp == NULL)
		goto cleanup;
	sprintf(tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		cli_error("%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(tmp);
		tmp = NULL;
		goto cleanup;
	}
	for (line = text; line != NULL; line = next) {
		char *copy, *k, *v;
		int mine;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		else if (*line == '\0')
			break; /* the end of a file that ends with a newline */
		copy = strdup(line);
		if (copy == NULL)
			goto cleanup;
		mine = cli_split_setting(copy, &k, &v) == 0 && k != NULL &&
		       strcmp(k, key) == 0;
		free(copy);
		if (!mine) {
			fprintf(f, "%s\n", line);
			continue;
		}
		/* the first line of the key takes the new value, the others go
		 */
		if (!*found && value != NULL)
			fprintf(f, "%s = %s\n", key, value);
		*found = 1;
	}
	if (!*found && value != NULL)
		fprintf(f, "%s = %s\n", key, value);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		cli_error("%s: %s", tmp, strerror(errno));
		goto cleanup;
	}
	if (fclose(f) != 0) {
		f = NULL;
		cli_error("%s: %s", tmp, strerror(errno));
		goto cleanup;
	}
	f = NULL;
	if (rename(tmp, path) < 0) {
		cli_error("%s: %s", path, strerror(errno));
		goto cleanup;
	}
	free(tmp);
	tmp = NULL;
	rc = EXIT_DONE;

cleanup:
	if (f != NULL)
		fclose(f);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(text);
	return rc;
}

int cmd_config_set(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p), k, found;
	const char *value;
	char *path = NULL;

	if (rc != 0)
		goto cleanup;
	rc = EXIT_USAGE;
	k = known_key(p.args[0]);
	if (k < 0)
		goto cleanup;
	value = p.args[1];
	while (*value == ' ' || *value == '\t')
		value++;
	if (*value == '\0' || strchr(value, '\n') != NULL ||
	    value[strlen(value) - 1] == ' ') {
		cli_error("a value for '%s' is one line, not empty, without "
			  "blanks at its ends",
			  settings[k].key);
		goto cleanup;
	}
	if (k == SET_COLOR && !cli_color_mode_ok(value)) {
		cli_error("color is auto, always or never, not '%s'", value);
		goto cleanup;
	}
	path = cli_config_path();
	if (path == NULL) {
		cli_error("no config file: HOME is not set");
		goto cleanup;
	}
	rc = rewrite_config(path, settings[k].key, value, &found);
	if (rc != EXIT_DONE)
		goto cleanup;
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "key", settings[k].key);
		cJSON_AddStringToObject(doc, "value", value);
		cJSON_AddStringToObject(doc, "file", path);
		rc = cli_print_json(doc);
		goto cleanup;
	}
	printf("Set %s = %s in %s.\n", settings[k].key, value, path);
	/* say so when something stronger hides the new value */
	if (settings[k].env != NULL && getenv(settings[k].env) != NULL &&
	    getenv(settings[k].env)[0] != '\0')
		printf("%s is set in the environment and takes precedence.\n",
		       settings[k].env);

cleanup:
	free(path);
	free(p.args);
	return rc;
}

int cmd_config_unset(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p), k, found = 0;
	char *path = NULL;

	if (rc != 0)
		goto cleanup;
	rc = EXIT_USAGE;
	k = known_key(p.args[0]);
	if (k < 0)
		goto cleanup;
	path = cli_config_path();
	if (path == NULL) {
		cli_error("no config file: HOME is not set");
		goto cleanup;
	}
	if (access(path, F_OK) == 0)
		rc = rewrite_config(path, settings[k].key, NULL, &found);
	else
		rc = EXIT_DONE;
	if (rc != EXIT_DONE)
		goto cleanup;
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "key", settings[k].key);
		cJSON_AddBoolToObject(doc, "removed", found);
		cJSON_AddStringToObject(doc, "file", path);
		rc = cli_print_json(doc);
		goto cleanup;
	}
	if (found)
		printf("Removed %s from %s.\n", settings[k].key, path);
	else
		printf("%s was not set in %s.\n", settings[k].key, path);

cleanup:
	free(path);
	free(p.args);
	return rc;
}
