/*
 * cmd_case.c - case import, validate, list and show.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct import_job {
	cli *c;
	char **files;
	int count;
	int replace;
	cJSON *results;
	int rc;
};

/* All files in one transaction: one bad file and nothing is written. */
static int import_all(cw_store *store, void *payload)
{
	struct import_job *job = payload;

	for (int i = 0; i < job->count; i++) {
		cw_diags diags = CW_DIAGS_INIT;
		cJSON *result = NULL;
		char *text = NULL;
		size_t len;
		int error;

		job->rc = cli_read_file(job->files[i], &text, &len, CW_MAX_FILE_SIZE);
		if (job->rc != EXIT_DONE)
			return CW_ERROR;
		error = cw_case_import(&result, store, &diags, text, len,
				       job->replace);
		free(text);
		cli_report_file_error(job->files[i], error, &diags);
		cw_diags_free(&diags);
		if (error < 0) {
			job->rc = cli_exit_code(error);
			return error;
		}
		cJSON_AddStringToObject(result, "file", job->files[i]);
		cJSON_AddItemToArray(job->results, result);
	}
	return 0;
}

int cmd_case_import(cli *c, int argc, char **argv)
{
	struct import_job job = { 0 };
	const cJSON *r;
	parsed p;
	int rc = cli_parse(c, argc, argv, &p), error;

	if (rc != 0)
		goto cleanup;
	if (cli_store(c) == NULL) {
		rc = EXIT_RUNTIME;
		goto cleanup;
	}
	job = (struct import_job){ c, p.args, p.nargs,
				   flag(c, &p, "--replace"),
				   cJSON_CreateArray(), EXIT_DONE };
	error = cw_store_transaction(c->store, import_all, &job);
	if (error < 0) {
		rc = job.rc != EXIT_DONE ? job.rc : cli_fail(error);
		if (p.nargs > 1)
			cli_error("nothing was imported");
		cJSON_Delete(job.results);
		goto cleanup;
	}
	if (c->json) {
		rc = cli_print_json(cli_wrap("cases", job.results));
		goto cleanup;
	}
	cJSON_ArrayForEach(r, job.results)
		printf("%-9s %s  %s\n", jstr(r, "result"), jstr(r, "id"),
		       jstr(r, "title"));
	cJSON_Delete(job.results);
cleanup:
	free(p.args);
	return rc;
}

int cmd_case_validate(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p);
	cJSON *results = cJSON_CreateArray();

	if (rc != 0)
		goto cleanup;
	/* without a database, phases are checked against the built-in
	 * workflow only */
	cli_store_if_any(c);
	if (c->open_rc != 0) {
		rc = c->open_rc;
		goto cleanup;
	}
	for (int i = 0; i < p.nargs; i++) {
		cw_diags diags = CW_DIAGS_INIT;
		char *text = NULL;
		size_t len;
		int file_rc = cli_read_file(p.args[i], &text, &len, CW_MAX_FILE_SIZE);

		if (file_rc != EXIT_DONE) {
			rc = rc ? rc : file_rc;
			continue;
		}
		if (cw_case_validate(&diags, c->store, text, len) < 0) {
			rc = EXIT_BADFILE;
			if (!c->json)
				cli_print_diags(p.args[i], &diags);
		} else if (!c->json) {
			printf("%s: ok\n", p.args[i]);
		}
		cJSON_AddItemToArray(results, cli_diags_json(p.args[i], &diags));
		cw_diags_free(&diags);
		free(text);
	}
	if (c->json) {
		cli_print_json(cli_wrap("files", results));
		results = NULL;
	}
cleanup:
	cJSON_Delete(results);
	free(p.args);
	return rc;
}

int cmd_case_list(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p), error;
	cJSON *list = NULL;
	const cJSON *item;

	free(p.args);
	if (rc != 0)
		return rc;
	if (cli_store(c) == NULL)
		return EXIT_RUNTIME;
	if ((error = cw_case_list(&list, c->store)) < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(cli_wrap("cases", list));
	if (cJSON_GetArraySize(list) == 0)
		printf("No cases yet. Import some with 'casework case import "
		       "examples/cases/*.json'.\n");
	else
		printf("%-34s %-16s %-8s %s\n", "CASE", "SETTING", "SESSIONS",
		       "TITLE");
	cJSON_ArrayForEach(item, list) {
		printf("%-34s ", jstr(item, "id"));
		cli_column(stdout, jstr(item, "setting"), 16);
		printf(" %-8d %s\n", (int)jnum(item, "sessions"),
		       jstr(item, "title"));
	}
	cJSON_Delete(list);
	return EXIT_DONE;
}

static void show_field(const char *label, const char *value)
{
	if (value != NULL && *value) {
		printf("%-10s", label);
		cli_wrap_from(stdout, value, 11, 11, cli_width());
	}
}

int cmd_case_show(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p), error;
	cJSON *doc = NULL;
	const cJSON *client, *ref, *phases, *ph, *flag_item;
	char age[16] = "", session[CW_ID_LEN + 1];
	const char *named;
	int full;

	if (rc != 0 || cli_store(c) == NULL) {
		free(p.args);
		return rc ? rc : EXIT_RUNTIME;
	}
	full = flag(c, &p, "--full");
	if (full && (error = cw_case_full_allowed(c->store, c->actor)) < 0) {
		free(p.args);
		return cli_fail(error);
	}
	/* the session at hand (-s, $CASEWORK_SESSION, the current one), if
	 * any, says how far into the case the student has come */
	named = c->session ? c->session : getenv("CASEWORK_SESSION");
	if (cw_session_resolve(session, c->store,
			       named && *named ? named : NULL) < 0)
		session[0] = '\0';
	error = cw_case_show(&doc, c->store, p.args[0],
			     session[0] ? session : NULL, full);
	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(doc);
	cli_pager_start(c);
	client = cJSON_GetObjectItem(doc, "client");
	ref = cJSON_GetObjectItem(doc, "referral");
	printf("%s%s%s  (%s, %s)\n\n", cli_color(c, C_BOLD), jstr(doc, "title"),
	       cli_color(c, C_RESET), jstr(doc, "id"), jstr(doc, "setting"));
	cli_wrap_text(stdout, jstr(doc, "summary"), 0, 78);
	printf("\n");
	if (cJSON_IsNumber(cJSON_GetObjectItem(client, "age")))
		snprintf(age, sizeof(age), "%d", (int)jnum(client, "age"));
	show_field("Client", jstr(client, "alias"));
	show_field("Age", age);
	show_field("Pronouns", jstr(client, "pronouns"));
	show_field("Household", jstr(client, "household"));
	show_field("Language", jstr(client, "language"));
	show_field("Referral", jstr(ref, "source"));
	show_field("Urgency", jstr(ref, "urgency"));
	printf("\nReason for referral:\n");
	cli_wrap_text(stdout, jstr(ref, "reason"), 2, 78);
	printf("\nBackground:\n");
	cli_wrap_text(stdout, jstr(doc, "background"), 2, 78);
	if (cJSON_GetArraySize(cJSON_GetObjectItem(doc, "risk_flags")) > 0) {
		printf("\nRisk flags:\n");
		cJSON_ArrayForEach(flag_item, cJSON_GetObjectItem(doc, "risk_flags"))
			printf("  - %s\n", flag_item->valuestring);
	}
	phases = cJSON_GetObjectItem(doc, "phases");
	cJSON_ArrayForEach(ph, phases) {
		printf("\n%s%s%s\n", cli_color(c, C_BOLD), ph->string,
		       cli_color(c, C_RESET));
		cli_wrap_text(stdout, jstr(ph, "material"), 2, 78);
	}
	cJSON_ArrayForEach(ph, cJSON_GetObjectItem(doc, "instructor_notes")) {
		printf("\n%sInstructor notes: %s%s\n", cli_color(c, C_BOLD),
		       ph->string, cli_color(c, C_RESET));
		cli_wrap_text(stdout, ph->valuestring, 2, 78);
	}
	if (!full)
		printf("\nThe material of each later phase appears here once "
		       "your session reaches it.\n");
	cJSON_Delete(doc);
	return EXIT_DONE;
}
