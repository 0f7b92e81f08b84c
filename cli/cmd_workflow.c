/*
 * cmd_workflow.c - workflow list, show, validate, import and dot.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_workflow_list(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cJSON *list = NULL;
	const cJSON *w;
	int error = cw_workflow_list(&list, c->store, NULL);

	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(cli_wrap("workflows", list));
	printf("%-20s %-8s %-9s %s\n", "WORKFLOW", "VERSION", "SESSIONS",
	       "TITLE");
	cJSON_ArrayForEach(w, list)
		printf("%-20s %-8d %-9d %s\n", jstr(w, "id"),
		       (int)jnum(w, "version"), (int)jnum(w, "sessions"),
		       jstr(w, "title"));
	cJSON_Delete(list);
	return EXIT_DONE;
}

/* A phase's rubric: [{"id", "label", "levels": [four texts]}]. */
static cJSON *rubric_json(const cw_phase *ph)
{
	cJSON *list = cJSON_CreateArray();

	for (size_t k = 0; k < ph->rubric_count; k++) {
		cJSON *cr = cJSON_CreateObject(), *levels;

		cJSON_AddStringToObject(cr, "id", ph->rubric[k].id);
		cJSON_AddStringToObject(cr, "label", ph->rubric[k].label);
		levels = cJSON_AddArrayToObject(cr, "levels");
		for (int l = 0; l < 4; l++)
			cJSON_AddItemToArray(
			    levels, cJSON_CreateString(ph->rubric[k].levels[l]));
		cJSON_AddItemToArray(list, cr);
	}
	return list;
}

/* The definition as JSON, with its versions and the sessions on each. */
static cJSON *workflow_json(const cw_workflow *wf, cJSON *versions,
			    cJSON *sessions)
{
	cJSON *doc = cJSON_CreateObject(), *phases;

	cJSON_AddStringToObject(doc, "id", wf->id);
	cJSON_AddNumberToObject(doc, "version", wf->version);
	cJSON_AddStringToObject(doc, "title", wf->title);
	phases = cJSON_AddArrayToObject(doc, "phases");
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];
		cJSON *item = cJSON_CreateObject(), *cps, *rev;

		cJSON_AddStringToObject(item, "id", ph->id);
		cJSON_AddStringToObject(item, "title", ph->title);
		rev = cJSON_AddArrayToObject(item, "revisit");
		for (size_t k = 0; k < ph->revisit_count; k++)
			cJSON_AddItemToArray(
				rev,
				cJSON_CreateString(wf->phases[ph->revisit[k]].id));
		cps = cJSON_AddArrayToObject(item, "checkpoints");
		for (size_t k = 0; k < ph->checkpoint_count; k++) {
			const cw_checkpoint *cp = &ph->checkpoints[k];
			cJSON *j = cJSON_CreateObject();

			cJSON_AddStringToObject(j, "id", cp->id);
			cJSON_AddStringToObject(j, "label", cp->label);
			cJSON_AddStringToObject(j, "kind",
						cw_checkpoint_kind_name(cp->kind));
			cJSON_AddItemToArray(cps, j);
		}
		cJSON_AddItemToObject(item, "rubric", rubric_json(ph));
		cJSON_AddItemToArray(phases, item);
	}
	cJSON_AddItemToObject(doc, "versions", versions);
	cJSON_AddItemToObject(doc, "sessions", sessions);
	return doc;
}

int cmd_workflow_show(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	const char *id = p.nargs ? p.args[0] : "standard";
	cw_workflow *wf = NULL;
	cJSON *versions = NULL, *sessions = NULL;
	const cJSON *v, *s;
	int error;

	if ((error = cw_workflow_list(&versions, c->store, id)) < 0 ||
	    (error = cw_workflow_load(&wf, c->store, id, 0)) < 0 ||
	    (error = cw_workflow_sessions(&sessions, c->store, id)) < 0) {
		free(p.args);
		cJSON_Delete(versions);
		cw_workflow_free(wf);
		return cli_fail(error);
	}
	free(p.args);
	if (c->json) {
		rc = cli_print_json(workflow_json(wf, versions, sessions));
		cw_workflow_free(wf);
		return rc;
	}
	printf("%s%s%s (%s, newest version %d)\n", cli_color(c, C_BOLD),
	       wf->title, cli_color(c, C_RESET), wf->id, wf->version);
	if (wf->description != NULL)
		cli_wrap_text(stdout, wf->description, 0, cli_width());
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];

		printf("\n%zu. %s (%s)", i + 1, ph->title, ph->id);
		for (size_t k = 0; k < ph->revisit_count; k++)
			printf("%s%s", k ? ", " : "  may revisit: ",
			       wf->phases[ph->revisit[k]].id);
		printf("\n");
		for (size_t k = 0; k < ph->checkpoint_count; k++)
			printf("   - %-26s %-9s %s\n", ph->checkpoints[k].id,
			       cw_checkpoint_kind_name(ph->checkpoints[k].kind),
			       ph->checkpoints[k].label);
		{
			cJSON *rubric = rubric_json(ph);

			cli_print_rubric(c, rubric, 3);
			cJSON_Delete(rubric);
		}
	}
	printf("\nVersions:\n");
	cJSON_ArrayForEach(v, versions) {
		int version = (int)jnum(v, "version"), n = 0;

		printf("  v%d  imported %s, %d session%s", version,
		       jstr(v, "imported_at"), (int)jnum(v, "sessions"),
		       jnum(v, "sessions") == 1 ? "" : "s");
		cJSON_ArrayForEach(s, sessions) {
			if ((int)jnum(s, "version") != version)
				continue;
			printf("%s%.8s", n++ ? ", " : ": ", jstr(s, "session"));
		}
		printf("\n");
	}
	cJSON_Delete(versions);
	cJSON_Delete(sessions);
	cw_workflow_free(wf);
	return EXIT_DONE;
}

int cmd_workflow_validate(cli *c, int argc, char **argv)
{
	parsed p;
	int rc = cli_parse(c, argc, argv, &p);

	if (rc != 0) {
		free(p.args);
		return rc;
	}
	cw_diags diags = CW_DIAGS_INIT;
	cw_workflow *wf = NULL;
	char *text = NULL;
	size_t len;

	/* a workflow file stands alone: no database needed */
	rc = cli_read_file(p.args[0], &text, &len, CW_MAX_WORKFLOW_SIZE);
	if (rc == EXIT_DONE &&
	    cw_workflow_parse(&wf, &diags, text, len) < 0)
		rc = EXIT_BADFILE;
	if (c->json && text != NULL)
		cli_print_json(cli_diags_json(p.args[0], &diags));
	else if (rc == EXIT_BADFILE)
		cli_print_diags(p.args[0], &diags);
	else if (rc == EXIT_DONE)
		printf("%s: ok (%s v%d, %zu phases)\n", p.args[0], wf->id,
		       wf->version, wf->phase_count);
	cw_workflow_free(wf);
	cw_diags_free(&diags);
	free(text);
	free(p.args);
	return rc;
}

int cmd_workflow_import(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	char *text = NULL;
	size_t len;
	int error;

	rc = cli_read_file(p.args[0], &text, &len, CW_MAX_WORKFLOW_SIZE);
	if (rc == EXIT_DONE) {
		error = cw_workflow_import(&out, c->store, &diags, text, len);
		cli_report_file_error(p.args[0], error, &diags);
		rc = cli_exit_code(error);
	}
	if (rc == EXIT_DONE && c->json) {
		rc = cli_print_json(out);
		out = NULL;
	} else if (rc == EXIT_DONE) {
		printf("%s %s v%d  %s\n", jstr(out, "result"), jstr(out, "id"),
		       (int)jnum(out, "version"), jstr(out, "title"));
	}
	cJSON_Delete(out);
	cw_diags_free(&diags);
	free(text);
	free(p.args);
	return rc;
}

int cmd_workflow_dot(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1], *dot = NULL;
	int error;

	if (c->session != NULL && p.nargs > 0) {
		free(p.args);
		cli_error("give a workflow id or -s SESSION, not both");
		return EXIT_USAGE;
	}
	if (c->session != NULL && (rc = cli_session(c, id)) != 0) {
		free(p.args);
		return rc;
	}
	error = cw_workflow_dot(&dot, c->store, p.nargs ? p.args[0] : NULL,
				c->session ? id : NULL);
	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "dot", dot);
		free(dot);
		return cli_print_json(doc);
	}
	fputs(dot, stdout);
	free(dot);
	return EXIT_DONE;
}
