/*
 * cmd_key.c - the instructor's key: `key init` makes an Ed25519 key pair
 * whose private half stays in a file only its owner can read, outside any
 * database ($XDG_CONFIG_HOME/casework/instructor.key); `key show` prints
 * the public half as the one line an instructor hands out; `key trust`
 * adds such a line to the database; `key list` lists what it trusts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casework/bundle.h"
#include "cli.h"

/* Whether the database is a class server, where the server's roles say
 * who may act and acts are not signed. */
static int on_server(const cli *c)
{
	return c->db_path != NULL &&
	       (strncmp(c->db_path, "postgresql://", 13) == 0 ||
		strncmp(c->db_path, "postgres://", 11) == 0);
}

/* Read the private key at `path` into `secret`: 0, 1 when there is no
 * file, else an exit code after a message. */
static int read_key(const char *path, char secret[65])
{
	char buf[80];
	struct stat sb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0) {
		cli_error("cannot read the key %s: %s", path, strerror(errno));
		return EXIT_RUNTIME;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		close(fd);
		cli_error("the key %s must be a regular file only its owner "
			  "may read (chmod 600 %s)",
			  path, path);
		return EXIT_REFUSED;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 64) {
		cli_error("the key %s is not a casework key", path);
		return EXIT_BADFILE;
	}
	memcpy(secret, buf, 64);
	secret[64] = '\0';
	return 0;
}

int cli_signing_key(cli *c, char secret[65])
{
	char *path;
	int rc;

	if (on_server(c))
		return 1;
	if ((path = cli_key_path()) == NULL)
		return 1;
	rc = read_key(path, secret);
	free(path);
	return rc;
}

int cli_require_signing_key(cli *c, char secret[65], const char *act)
{
	int rc = cli_signing_key(c, secret);

	/* on a class server the role decides, not a key */
	if (rc == 1 && !on_server(c)) {
		cli_error("to %s on a database file you need an instructor "
			  "key, which signs it: make one with 'casework key "
			  "init'",
			  act);
		return EXIT_REFUSED;
	}
	return rc;
}

/* The key line of `secret`: "casework-ed25519 HEX NAME". */
static int key_line(const cli *c, const char *secret, char *out, size_t size)
{
	char pub[65];

	if (cw_key_public(pub, secret) < 0) {
		cli_error("the private key is damaged: %s", cw_error_last());
		return EXIT_BADFILE;
	}
	snprintf(out, size, "%s %s %s", CW_KEY_LINE_PREFIX, pub,
		 c->actor && *c->actor ? c->actor : "instructor");
	return 0;
}

/* Trust `line` in the database; prints what happened unless `quiet`. */
static int trust(cli *c, const char *line, int quiet)
{
	cJSON *out = NULL;
	int error = cw_key_trust(&out, c->store, line);

	if (error < 0) {
		cli_error("%s", cw_error_last());
		return cli_exit_code(error);
	}
	if (c->json && !quiet)
		return cli_print_json(out);
	if (!quiet)
		printf("%s key %.16s… (%s)\n",
		       strcmp(jstr(out, "result"), "known") == 0
			   ? "already trusted:"
			   : "trusted",
		       jstr(out, "key"), jstr(out, "name"));
	if (!quiet && jnum(out, "counted") > 0)
		printf("%d instructor act%s it signed, left out when imported, "
		       "now count%s.\n",
		       (int)jnum(out, "counted"),
		       jnum(out, "counted") == 1 ? "" : "s",
		       jnum(out, "counted") == 1 ? "s" : "");
	cJSON_Delete(out);
	return EXIT_DONE;
}

int cmd_key_init(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char secret[65], pub[65], line[400], *path = cli_key_path(), *slash;
	int fd;

	free(p.args);
	if (path == NULL) {
		cli_error("no place for the key: set HOME or XDG_CONFIG_HOME");
		return EXIT_RUNTIME;
	}
	if (access(path, F_OK) == 0) {
		cli_error("a key exists already at %s; 'casework key show' "
			  "prints its public line",
			  path);
		free(path);
		return EXIT_REFUSED;
	}
	/* the folders, owner-only where this makes them */
	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			cli_error("cannot make %s: %s", path, strerror(errno));
			free(path);
			return EXIT_RUNTIME;
		}
		*slash = '/';
	}
	if (cw_key_generate(secret, pub) < 0) {
		cli_error("%s", cw_error_last());
		free(path);
		return EXIT_RUNTIME;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0 || write(fd, secret, 64) != 64 || write(fd, "\n", 1) != 1 ||
	    fsync(fd) < 0) {
		cli_error("cannot write the key %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(path);
		return EXIT_RUNTIME;
	}
	close(fd);
	memset(secret, 0, sizeof(secret));
	snprintf(line, sizeof(line), "%s %s %s", CW_KEY_LINE_PREFIX, pub,
		 c->actor && *c->actor ? c->actor : "instructor");
	/* the database trusts its own key */
	if ((rc = trust(c, line, 1)) != EXIT_DONE) {
		free(path);
		return rc;
	}
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "path", path);
		cJSON_AddStringToObject(doc, "key", pub);
		cJSON_AddStringToObject(doc, "line", line);
		free(path);
		return cli_print_json(doc);
	}
	printf("Made a key; its private half is %s (keep it to yourself).\n"
	       "Hand out this line, the public half, with the course "
	       "material:\n%s\n",
	       path, line);
	free(path);
	return EXIT_DONE;
}

int cmd_key_show(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p);
	char secret[65], line[400], *path;

	free(p.args);
	if (rc != 0)
		return rc;
	path = cli_key_path();
	rc = path ? read_key(path, secret) : 1;
	if (rc == 1)
		cli_error("no key at %s; make one with 'casework key init'",
			  path ? path : "$XDG_CONFIG_HOME/casework");
	free(path);
	if (rc != 0)
		return rc == 1 ? EXIT_NOTFOUND : rc;
	rc = key_line(c, secret, line, sizeof(line));
	memset(secret, 0, sizeof(secret));
	if (rc != EXIT_DONE)
		return rc;
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "line", line);
		return cli_print_json(doc);
	}
	printf("%s\n", line);
	return EXIT_DONE;
}

int cmd_key_trust(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	const char *arg = p.args[0];
	char *text = NULL, *nl;
	size_t len;

	if (strncmp(arg, CW_KEY_LINE_PREFIX " ",
		    strlen(CW_KEY_LINE_PREFIX) + 1) != 0) {
		/* a file that holds the line */
		if ((rc = cli_read_file(arg, &text, &len, 4096)) != EXIT_DONE) {
			free(p.args);
			return rc;
		}
		if ((nl = strchr(text, '\n')) != NULL)
			*nl = '\0';
		arg = text;
	}
	rc = trust(c, arg, 0);
	free(text);
	free(p.args);
	return rc;
}

int cmd_key_list(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cJSON *out = NULL, *k;
	int error = cw_key_list(&out, c->store);

	free(p.args);
	if (error < 0) {
		cli_error("%s", cw_error_last());
		return cli_exit_code(error);
	}
	if (c->json)
		return cli_print_json(out);
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(out, "keys"))
		printf("%s %s %s\n", CW_KEY_LINE_PREFIX, jstr(k, "key"),
		       jstr(k, "name"));
	if (cJSON_GetArraySize(cJSON_GetObjectItem(out, "keys")) == 0)
		printf("No trusted keys: 'casework key init' makes yours, "
		       "'casework key trust LINE' adds an instructor's.\n");
	cJSON_Delete(out);
	return EXIT_DONE;
}
