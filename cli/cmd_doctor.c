/*
 * cmd_doctor.c - `casework doctor`: the engine's look at the database and
 * where it lives (cw_store_doctor), for people or with --json.  Exit codes
 * a script can act on: 0 healthy, 3 a problem found, 4 no database.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_doctor(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p);
	cJSON *doc = NULL;
	const cJSON *check;
	int error, healthy, problems, width = cli_width();

	free(p.args);
	if (rc != 0)
		return rc;
	/* the doctor opens the file itself: it must not upgrade it */
	error = cw_store_doctor(&doc, c->db_path);
	if (error < 0)
		return cli_fail(error);
	healthy = cJSON_IsTrue(cJSON_GetObjectItem(doc, "healthy"));
	problems = (int)jnum(doc, "problems");
	if (c->json) {
		rc = cli_print_json(doc);
		if (rc != EXIT_DONE)
			return rc;
		return healthy ? EXIT_DONE : EXIT_REFUSED;
	}
	printf("%sDatabase %s%s", cli_color(c, C_BOLD), jstr(doc, "database"),
	       cli_color(c, C_RESET));
	if (cJSON_GetObjectItem(doc, "size_bytes") != NULL)
		printf(" (%.0f bytes", jnum(doc, "size_bytes"));
	else
		printf(" (");
	if (cJSON_GetObjectItem(doc, "postgresql") != NULL)
		printf("PostgreSQL %s)\n", jstr(doc, "postgresql"));
	else
		printf("%sSQLite %s)\n",
		       cJSON_GetObjectItem(doc, "size_bytes") != NULL ? ", "
								       : "",
		       jstr(doc, "sqlite"));
	cJSON_ArrayForEach(check, cJSON_GetObjectItem(doc, "checks"))
	{
		const char *status = jstr(check, "status");
		const char *color = strcmp(status, "ok") == 0 ? C_GREEN
				    : strcmp(status, "warn") == 0 ? C_YELLOW
								  : C_RED;

		printf("  %s%-4s%s  %-10s ", cli_color(c, color),
		       strcmp(status, "fail") == 0 ? "FAIL" : status,
		       cli_color(c, C_RESET), jstr(check, "check"));
		cli_wrap_from(stdout, jstr(check, "message"), 19, 20, width);
	}
	if (healthy)
		printf("Healthy.\n");
	else
		printf("%d problem%s found.\n", problems,
		       problems == 1 ? "" : "s");
	cJSON_Delete(doc);
	return healthy ? EXIT_DONE : EXIT_REFUSED;
}
