/*
 * cmd_bundle.c - bundle import: rebuild a handed-in session.
 */
#include <stdlib.h>

#include "casework/bundle.h"
#include "cli.h"

int cmd_bundle_import(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	char *text = NULL;
	size_t len;
	int error;

	rc = cli_read_file(p.args[0], &text, &len, CW_MAX_BUNDLE_SIZE);
	if (rc == EXIT_DONE) {
		error = cw_bundle_import(&out, c->store, &diags, text, len);
		cli_report_file_error(p.args[0], error, &diags);
		rc = cli_exit_code(error);
	}
	if (rc == EXIT_DONE && c->json) {
		rc = cli_print_json(out);
		out = NULL;
	} else if (rc == EXIT_DONE) {
		printf("%s session %s (%s on %s, %d events, head %.12s)\n",
		       jstr(out, "result"), jstr(out, "session"),
		       jstr(out, "student"), jstr(out, "case"),
		       (int)jnum(out, "events"), jstr(out, "head"));
	}
	cJSON_Delete(out);
	cw_diags_free(&diags);
	free(text);
	free(p.args);
	return rc;
}
