/*
 * cmd_bundle.c - bundle import: rebuild handed-in sessions, one bundle
 * file after another.
 *
 * Each bundle is its own transaction (cw_bundle_import), so an instructor
 * who imports a whole class's hand-ins keeps every good one when one file
 * is broken: a failed bundle changes nothing, the next is still tried, and
 * the exit code is that of the first failure, the one whose message comes
 * first on stderr.
 */
#include <stdlib.h>
#include <string.h>

#include "casework/bundle.h"
#include "cli.h"

/*
 * Import the bundle in file `path`.  Returns the exit code of the file;
 * on success `*out` is the engine's document, else NULL and the problem
 * was printed on stderr, and `*entry` (for --json with several files)
 * says which file failed and why.  The caller frees both.
 */
static int import_one(cli *c, const char *path, cJSON **out, cJSON **entry)
{
	cw_diags diags = CW_DIAGS_INIT;
	char *text = NULL;
	size_t len;
	int error = 0, rc;

	*out = *entry = NULL;
	rc = cli_read_file(path, &text, &len, CW_MAX_BUNDLE_SIZE);
	if (rc == EXIT_DONE) {
		error = cw_bundle_import(out, c->store, &diags, text, len);
		cli_report_file_error(path, error, &diags);
		rc = cli_exit_code(error);
	}
	if (rc != EXIT_DONE) {
		cJSON_Delete(*out);
		*out = NULL;
		*entry = cli_diags_json(path, &diags);
		cJSON_ReplaceItemInObject(*entry, "ok", cJSON_CreateFalse());
		cJSON_AddNumberToObject(*entry, "exit", rc);
		/* a file that could not be read was named on stderr already;
		 * the engine's refusal is also kept for the document */
		if (error < 0)
			cJSON_AddStringToObject(*entry, "error",
						cw_error_last());
	}
	cw_diags_free(&diags);
	free(text);
	return rc;
}

/* "imported session ID (Ana on CASE, 36 events, head 66eca9eec63a)", or
 * "updated session ID: 3 new events (...)", or "... 3 new events merged
 * after 2 events of this side (...)" */
static void print_result(const char *path, const cJSON *out)
{
	const cJSON *ev;

	if (path != NULL)
		printf("%s: ", path);
	printf("%s session %s", jstr(out, "result"), jstr(out, "session"));
	if (strcmp(jstr(out, "result"), "updated") == 0)
		printf(": %d new events", (int)jnum(out, "new_events"));
	/* both sides had worked on after the last event they shared */
	if (strcmp(jstr(out, "result"), "updated") == 0 &&
	    jnum(out, "merged_after") > 0)
		printf(" merged after %d events of this side",
		       (int)jnum(out, "merged_after"));
	printf(" (%s on %s, %d events, head %.12s)\n", jstr(out, "student"),
	       jstr(out, "case"), (int)jnum(out, "events"), jstr(out, "head"));
	/* instructor acts no trusted key signed: in the log, counting
	 * nowhere */
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(out, "left_out"))
		printf("  left out event %d (%s by %s at %s): not signed by "
		       "a key this database trusts\n",
		       (int)jnum(ev, "seq"), jstr(ev, "type"),
		       jstr(ev, "actor"), jstr(ev, "at"));
}

int cmd_bundle_import(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	/* with one file, the output is what it always was (the --json
	 * document is the engine's, as the output schema describes); with
	 * several, each line starts with its file and --json wraps one entry
	 * per file in "bundles" */
	int several = p.nargs > 1, failed = 0;
	cJSON *list = several && c->json ? cJSON_CreateArray() : NULL;

	for (int i = 0; i < p.nargs; i++) {
		const char *path = p.args[i];
		cJSON *out = NULL, *entry = NULL;
		int file_rc = import_one(c, path, &out, &entry);

		if (file_rc != EXIT_DONE) {
			failed++;
			if (rc == EXIT_DONE)
				rc = file_rc;
			if (list != NULL)
				cJSON_AddItemToArray(list, entry);
			else
				cJSON_Delete(entry);
			continue;
		}
		if (list != NULL) {
			cJSON_AddItemToObject(out, "file",
					      cJSON_CreateString(path));
			cJSON_AddItemToObject(out, "ok", cJSON_CreateTrue());
			cJSON_AddItemToArray(list, out);
		} else if (c->json) {
			rc = cli_print_json(out);
		} else {
			print_result(several ? path : NULL, out);
			/* in file order with the failures on stderr, when
			 * both go to one place */
			fflush(stdout);
			cJSON_Delete(out);
		}
	}
	if (list != NULL) {
		int print_rc = cli_print_json(cli_wrap("bundles", list));

		if (rc == EXIT_DONE)
			rc = print_rc;
	}
	if (several && failed > 0)
		cli_error("%d of %d bundles imported; %s changed nothing",
			  p.nargs - failed, p.nargs,
			  failed == 1 ? "the failed one" : "each failed one");
	free(p.args);
	return rc;
}
