/*
 * events.c - printing a case's client events: right after the command
 * that fired them, and in status and guide from then on.
 */
#include <string.h>

#include "cli.h"

/* The id of a reopen or add entry: a string (as the case gives it), an
 * object with "id" (as status gives it) or with "checkpoint". */
static const char *entry_id(const cJSON *item)
{
	if (cJSON_IsString(item))
		return item->valuestring;
	if (cJSON_HasObjectItem(item, "checkpoint"))
		return jstr(cJSON_GetObjectItem(item, "checkpoint"), "id");
	return jstr(item, "id");
}

/* "risk-level (assessment, met again)" and the like, one line. */
static void print_entries(const cli *c, const char *what, const cJSON *list,
			  FILE *f)
{
	const cJSON *item;

	if (cJSON_GetArraySize(list) == 0)
		return;
	fprintf(f, "  %s:", what);
	cJSON_ArrayForEach(item, list) {
		fprintf(f, "%s %s%s%s", item == list->child ? "" : ",",
			cli_color(c, C_BOLD), entry_id(item),
			cli_color(c, C_RESET));
		if (*jstr(item, "phase") && cJSON_HasObjectItem(item, "met"))
			fprintf(f, " (%s, %s)", jstr(item, "phase"),
				cJSON_IsTrue(cJSON_GetObjectItem(item, "met"))
				    ? "met"
				    : "not met yet");
		else if (*jstr(item, "phase"))
			fprintf(f, " (to %s)", jstr(item, "phase"));
	}
	fputc('\n', f);
}

void cli_print_client_events(const cli *c, const cJSON *events, int fresh,
			     FILE *f)
{
	const cJSON *ev;

	if (cJSON_GetArraySize(events) == 0)
		return;
	fprintf(f, "\n");
	cJSON_ArrayForEach(ev, events) {
		fprintf(f, "%sClient event%s %s%s", cli_color(c, C_YELLOW),
			fresh ? "!" : ":", jstr(ev, "id"),
			cli_color(c, C_RESET));
		if (!fresh && *jstr(ev, "phase"))
			fprintf(f, " (in %s, event %d)", jstr(ev, "phase"),
				(int)jnum(ev, "seq"));
		fputc('\n', f);
		cli_wrap_text(f, jstr(ev, "text"), 2, cli_width());
		print_entries(c, "Reopened (to be met again)",
			      cJSON_GetObjectItem(ev, "reopen"), f);
		print_entries(c, "Added", cJSON_GetObjectItem(ev, "add"), f);
	}
	if (fresh)
		fprintf(f, "See what it changes with '%s'.\n",
			cli_suggest(c, "casework status"));
}
