/*
 * cmd_class.c - `class add-student`, `class add-instructor`, `class list`
 * and `class remove`: the roster, and on a class server its logins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/session.h"
#include "cli.h"

static int add(cli *c, int argc, char **argv, const char *role)
{
	PARSE_AND_OPEN();
	cJSON *out = NULL;
	int error;

	if (opt(c, &p, "--name") == NULL) {
		free(p.args);
		cli_error("class add-%s needs --name NAME", role);
		return EXIT_USAGE;
	}
	error = cw_class_add(&out, c->store, p.args[0], opt(c, &p, "--name"),
			     opt(c, &p, "--email"), role);
	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(out);
	printf("Added %s (%s) as %s.\n", jstr(out, "login"), jstr(out, "name"),
	       role);
	if (cJSON_GetObjectItem(out, "password") != NULL) {
		printf("login:    %s\npassword: %s\nuri:      %s\n",
		       jstr(out, "login"), jstr(out, "password"),
		       jstr(out, "uri"));
		printf("The password is shown only this once. Hand it to %s "
		       "with the URI; they keep it in ~/.pgpass (mode 600).\n",
		       jstr(out, "login"));
	}
	cJSON_Delete(out);
	return EXIT_DONE;
}

int cmd_class_add_student(cli *c, int argc, char **argv)
{
	return add(c, argc, argv, "student");
}

int cmd_class_add_instructor(cli *c, int argc, char **argv)
{
	return add(c, argc, argv, "instructor");
}

int cmd_class_remove(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cJSON *out = NULL;
	int error = cw_class_remove(&out, c->store, p.args[0]);

	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(out);
	printf("Removed %s from the class; their sessions are kept.\n",
	       jstr(out, "login"));
	cJSON_Delete(out);
	return EXIT_DONE;
}

int cmd_class_list(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cJSON *list = NULL;
	const cJSON *person, *sess;
	int error = cw_class_list(&list, c->store);

	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(cli_wrap("people", list));
	if (cJSON_GetArraySize(list) == 0)
		printf("No one on the class yet. Add students with 'casework "
		       "class add-student LOGIN --name NAME'.\n");
	else
		printf("%-16s %-10s %-24s %-8s %s\n", "LOGIN", "ROLE", "NAME",
		       "SESSIONS", "LAST ACTIVITY");
	cJSON_ArrayForEach(person, list) {
		const cJSON *last = cJSON_GetObjectItem(person, "last_activity");
		const cJSON *sessions = cJSON_GetObjectItem(person, "sessions");

		printf("%-16s %-10s %-24s %-8d %s%s\n", jstr(person, "login"),
		       jstr(person, "role"), jstr(person, "name"),
		       cJSON_GetArraySize(sessions),
		       cJSON_IsString(last) ? last->valuestring : "-",
		       cJSON_GetObjectItem(person, "removed_at") ? "  (removed)"
								 : "");
		cJSON_ArrayForEach(sess, sessions)
			printf("    %.8s  %-34s %-14s %s%s\n",
			       jstr(sess, "session"), jstr(sess, "case"),
			       jstr(sess, "phase"), jstr(sess, "status"),
			       cJSON_IsString(cJSON_GetObjectItem(
				   sess, "ended_early"))
				   ? " (ended early)"
				   : "");
	}
	cJSON_Delete(list);
	return EXIT_DONE;
}
