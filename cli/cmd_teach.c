/*
 * cmd_teach.c - reading one's own work back: the lists of notes,
 * objectives and referrals, the debrief after closing, and how a rubric
 * and a reflection's stages are shown.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_print_stages(const cli *c, const cJSON *stages)
{
	const cJSON *st;

	cJSON_ArrayForEach(st, stages) {
		int met = cJSON_IsTrue(cJSON_GetObjectItem(st, "met"));

		printf("      %s[%s]%s %s\n",
		       cli_color(c, met ? C_GREEN : C_RED), met ? "x" : " ",
		       cli_color(c, C_RESET), jstr(st, "id"));
		if (!met && *jstr(st, "help"))
			cli_wrap_text(stdout, jstr(st, "help"), 10,
				      cli_width());
	}
}

void cli_print_rubric(const cli *c, const cJSON *rubric, int indent)
{
	const cJSON *cr, *level;

	if (cJSON_GetArraySize(rubric) == 0)
		return;
	printf("\n%*s%sWhat good work looks like (the rubric, scores 1 to "
	       "4):%s\n",
	       indent, "", cli_color(c, C_BOLD), cli_color(c, C_RESET));
	cJSON_ArrayForEach(cr, rubric) {
		int score = 1;

		printf("%*s  %s (%s)\n", indent, "", jstr(cr, "label"),
		       jstr(cr, "id"));
		cJSON_ArrayForEach(level, cJSON_GetObjectItem(cr, "levels")) {
			printf("%*s    %d:", indent, "", score++);
			cli_wrap_from(stdout, level->valuestring, indent + 6,
				      indent + 7, cli_width());
		}
	}
}

/* One record as the lists show it. */
static void print_record(const cli *c, const cJSON *r)
{
	const cJSON *tag;
	int struck = strcmp(jstr(r, "status"), "struck") == 0;
	int width = cli_width();

	printf("%s%s%s", cli_color(c, C_BOLD), jstr(r, "id"),
	       cli_color(c, C_RESET));
	cJSON_ArrayForEach(tag, cJSON_GetObjectItem(r, "tags"))
		printf(" [%s]", tag->valuestring);
	if (struck)
		printf(" (struck: %s)", jstr(r, "strike_reason"));
	printf("\n");
	cli_wrap_text(stdout, jstr(r, "text"), 4, width);
	if (*jstr(r, "original")) {
		printf("    first written:");
		cli_wrap_from(stdout, jstr(r, "original"), 18, 6, width);
	}
}

/* `casework note|objective|referral list`. */
static int list_records(cli *c, int argc, char **argv, const char *kind,
			const char *add)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1];
	cJSON *doc = NULL;
	const cJSON *r;
	const char *tag = strcmp(kind, "note") == 0 ? opt(c, &p, "--tag")
						    : NULL;
	int error;

	if ((rc = cli_session(c, id)) != 0) {
		free(p.args);
		return rc;
	}
	error = cw_session_records(&doc, c->store, id, kind, tag);
	free(p.args);
	if (error < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(doc);
	if (cJSON_GetArraySize(cJSON_GetObjectItem(doc, "records")) == 0)
		printf("No %ss%s%s yet. Add one with '%s'.\n", kind,
		       tag ? " tagged " : "", tag ? tag : "",
		       cli_suggest(c, add));
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "records"))
		print_record(c, r);
	cJSON_Delete(doc);
	return EXIT_DONE;
}

int cmd_note_list(cli *c, int argc, char **argv)
{
	return list_records(c, argc, argv, "note", "casework note \"TEXT\"");
}

int cmd_objective_list(cli *c, int argc, char **argv)
{
	return list_records(c, argc, argv, "objective",
			    "casework objective add \"TEXT\"");
}

int cmd_referral_list(cli *c, int argc, char **argv)
{
	return list_records(c, argc, argv, "referral",
			    "casework referral add \"TEXT\"");
}

/* One record of the debrief, as `log` tells it: a note's tags, a goal's
 * term and measure, an intervention's goal and type, an evaluation's goal
 * and outcome; then whether it was struck or dropped, and the text first
 * written when it was corrected since. */
static void print_debrief_record(const cJSON *r, int width)
{
	char what[160];
	const cJSON *tag;
	const char *status = jstr(r, "status");
	size_t len;

	snprintf(what, sizeof(what), "%s", jstr(r, "id"));
	cJSON_ArrayForEach(tag, cJSON_GetObjectItem(r, "tags")) {
		len = strlen(what);
		snprintf(what + len, sizeof(what) - len, " #%s",
			 cJSON_IsString(tag) ? tag->valuestring : "");
	}
	len = strlen(what);
	if (*jstr(r, "term"))
		snprintf(what + len, sizeof(what) - len, " (%s term)",
			 jstr(r, "term"));
	else if (*jstr(r, "type"))
		snprintf(what + len, sizeof(what) - len, " for %s (%s)",
			 jstr(r, "goal"), jstr(r, "type"));
	else if (*jstr(r, "outcome"))
		snprintf(what + len, sizeof(what) - len, " of %s (%s)",
			 jstr(r, "goal"), jstr(r, "outcome"));
	len = strlen(what);
	if (strcmp(status, "kept") != 0)
		snprintf(what + len, sizeof(what) - len, " (%s)", status);
	printf("    %s:", what);
	cli_wrap_from(stdout, jstr(r, "text"), 5 + (int)strlen(what), 8,
		      width);
	if (*jstr(r, "measure")) {
		printf("      measure:");
		cli_wrap_from(stdout, jstr(r, "measure"), 14, 8, width);
	}
	if (*jstr(r, "strike_reason")) {
		printf("      struck because:");
		cli_wrap_from(stdout, jstr(r, "strike_reason"), 21, 8, width);
	}
	if (*jstr(r, "original")) {
		printf("      first written:");
		cli_wrap_from(stdout, jstr(r, "original"), 20, 8, width);
	}
}

int cmd_debrief(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1];
	cJSON *doc = NULL;
	const cJSON *ph, *r;
	int error, width = cli_width();

	free(p.args);
	if ((rc = cli_session(c, id)) != 0)
		return rc;
	if ((error = cw_session_debrief(&doc, c->store, id)) < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(doc);
	printf("Debrief of session %.8s: %s on %s\n", id, jstr(doc, "student"),
	       jstr(doc, "case"));
	cJSON_ArrayForEach(ph, cJSON_GetObjectItem(doc, "phases")) {
		printf("\n%s%s%s (%s)\n", cli_color(c, C_BOLD),
		       jstr(ph, "title"), cli_color(c, C_RESET),
		       jstr(ph, "id"));
		if (jnum(ph, "visits") == 0) {
			printf("  not reached\n");
			continue;
		}
		printf("  Your work:\n");
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(ph, "records"))
			print_debrief_record(r, width);
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(ph, "statements")) {
			char what[160];

			snprintf(what, sizeof(what), "%s%s%s",
				 jstr(r, "checkpoint"),
				 *jstr(r, "stage")   ? "/"
				 : *jstr(r, "value") ? " = "
						     : "",
				 *jstr(r, "stage") ? jstr(r, "stage")
						   : jstr(r, "value"));
			printf("    %s:", what);
			cli_wrap_from(stdout, jstr(r, "text"),
				      5 + (int)strlen(what), 8, width);
		}
		if (*jstr(ph, "instructor_notes")) {
			printf("  What the case's author looked for:\n");
			cli_wrap_text(stdout, jstr(ph, "instructor_notes"), 4,
				      width);
		}
		cli_print_rubric(c, cJSON_GetObjectItem(ph, "rubric"), 2);
	}
	cJSON_Delete(doc);
	return EXIT_DONE;
}

/* The sign-off queue: one line per request, the decision under it. */
int cmd_approval_list(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cJSON *list = NULL, *item;
	int pending = flag(c, &p, "--pending");
	int error;

	free(p.args);
	if ((error = cw_approval_list(&list, c->store, NULL, pending)) < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(cli_wrap("approvals", list));
	if (cJSON_GetArraySize(list) == 0)
		printf("%s\n", pending ? "No sign-off is waiting for a decision."
				       : "No sign-off was requested yet.");
	else
		printf("%-8s %-14s %-24s %-22s %-16s %s\n", "SESSION",
		       "STUDENT", "CASE", "CHECKPOINT", "REQUESTED", "STATE");
	cJSON_ArrayForEach(item, list) {
		char when[20];

		snprintf(when, sizeof(when), "%.16s",
			 jstr(item, "requested_at"));
		if (strlen(when) > 10)
			when[10] = ' ';
		printf("%-8.8s ", jstr(item, "session"));
		cli_column(stdout, jstr(item, "student"), 14);
		putchar(' ');
		cli_column(stdout, jstr(item, "case"), 24);
		putchar(' ');
		cli_column(stdout, jstr(item, "checkpoint"), 22);
		printf(" %-16s %s\n", when, jstr(item, "state"));
		if (*jstr(item, "decided_by"))
			printf("         %s by %s: %s\n", jstr(item, "state"),
			       jstr(item, "decided_by"), jstr(item, "decision"));
	}
	cJSON_Delete(list);
	return EXIT_DONE;
}
