/*
 * cmd_log.c - reading what happened in a session: `log`, the timeline
 * with the instructor's feedback beside the entries, and `feedback list`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* One line of the timeline for an event. */
static void describe(const cJSON *ev, char *out, size_t size)
{
	const char *type = jstr(ev, "type");
	const cJSON *p = cJSON_GetObjectItem(ev, "payload");

	if (strcmp(type, "session.started") == 0)
		snprintf(out, size, "started %s for %s (workflow %s v%d)",
			 jstr(p, "case"), jstr(p, "student"),
			 jstr(p, "workflow"), (int)jnum(p, "version"));
	else if (strcmp(type, "note.added") == 0) {
		const cJSON *t;

		snprintf(out, size, "note %s%s%s", jstr(p, "id"),
			 *jstr(p, "tag") ? " #" : "", jstr(p, "tag"));
		cJSON_ArrayForEach(t, cJSON_GetObjectItem(p, "tags"))
		{
			size_t len = strlen(out);

			snprintf(out + len, size - len, " #%s", t->valuestring);
		}
		snprintf(out + strlen(out), size - strlen(out), ": %s",
			 jstr(p, "text"));
	} else if (strcmp(type, "record.corrected") == 0)
		snprintf(out, size, "corrected %s%s (%s): %s",
			 jstr(p, "record"), jstr(p, "checkpoint"),
			 jstr(p, "reason"), jstr(p, "text"));
	else if (strcmp(type, "record.struck") == 0)
		snprintf(out, size, "struck %s: %s", jstr(p, "record"),
			 jstr(p, "reason"));
	else if (strcmp(type, "reflection.added") == 0)
		snprintf(out, size, "reflection, %s: %s", jstr(p, "stage"),
			 jstr(p, "text"));
	else if (strcmp(type, "approval.requested") == 0)
		snprintf(out, size, "asked for sign-off of %s: %s",
			 jstr(p, "checkpoint"), jstr(p, "text"));
	else if (strcmp(type, "approval.granted") == 0)
		snprintf(out, size, "signed off %s: %s", jstr(p, "checkpoint"),
			 jstr(p, "text"));
	else if (strcmp(type, "approval.returned") == 0)
		snprintf(out, size, "returned %s for changes: %s",
			 jstr(p, "checkpoint"), jstr(p, "text"));
	else if (strcmp(type, "checkpoint.confirmed") == 0)
		snprintf(out, size, "confirmed %s: %s", jstr(p, "checkpoint"),
			 jstr(p, "text"));
	else if (strcmp(type, "checkpoint.chosen") == 0)
		snprintf(out, size, "chose %s = %s: %s", jstr(p, "checkpoint"),
			 jstr(p, "value"), jstr(p, "text"));
	else if (strcmp(type, "objective.added") == 0 ||
		 strcmp(type, "referral.added") == 0)
		snprintf(out, size, "%s %s: %s",
			 type[0] == 'o' ? "objective" : "referral",
			 jstr(p, "id"), jstr(p, "text"));
	else if (strcmp(type, "goal.added") == 0)
		snprintf(out, size, "goal %s (%s term): %s; measure: %s",
			 jstr(p, "id"), jstr(p, "term"), jstr(p, "text"),
			 jstr(p, "measure"));
	else if (strcmp(type, "goal.revised") == 0)
		snprintf(out, size, "revised %s: %s%s%s%s", jstr(p, "goal"),
			 jstr(p, "text"),
			 *jstr(p, "text") && *jstr(p, "measure") ? "; " : "",
			 *jstr(p, "measure") ? "measure: " : "",
			 jstr(p, "measure"));
	else if (strcmp(type, "goal.dropped") == 0)
		snprintf(out, size, "dropped %s: %s", jstr(p, "goal"),
			 jstr(p, "reason"));
	else if (strcmp(type, "intervention.added") == 0)
		snprintf(out, size, "intervention %s for %s (%s): %s",
			 jstr(p, "id"), jstr(p, "goal"), jstr(p, "type"),
			 jstr(p, "text"));
	else if (strcmp(type, "evaluation.added") == 0)
		snprintf(out, size, "evaluation %s of %s (%s): %s",
			 jstr(p, "id"), jstr(p, "goal"), jstr(p, "outcome"),
			 jstr(p, "text"));
	else if (strcmp(type, "advance.refused") == 0) {
		const cJSON *b;
		size_t len;

		snprintf(out, size, "advance refused:");
		cJSON_ArrayForEach(b, cJSON_GetObjectItem(p, "blockers"))
		{
			len = strlen(out);
			snprintf(out + len, size - len, " %s (%s)%s",
				 jstr(b, "id"), jstr(b, "message"),
				 b->next ? ";" : "");
		}
	} else if (strcmp(type, "phase.advanced") == 0)
		snprintf(out, size, "advanced to %s", jstr(p, "to"));
	else if (strcmp(type, "phase.revisited") == 0)
		snprintf(out, size, "revisited %s: %s", jstr(p, "to"),
			 jstr(p, "reason"));
	else if (strcmp(type, "session.terminated") == 0)
		snprintf(out, size, "terminated early: %s", jstr(p, "reason"));
	else if (strcmp(type, "session.closed") == 0)
		snprintf(out, size, "closed the session");
	else if (strcmp(type, "feedback.added") == 0)
		snprintf(out, size, "feedback: %s", jstr(p, "text"));
	else if (strcmp(type, "client.event") == 0) {
		const cJSON *r;
		size_t len;

		snprintf(out, size, "client event %s: %s", jstr(p, "id"),
			 jstr(p, "text"));
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(p, "reopen"))
		{
			len = strlen(out);
			snprintf(out + len, size - len, " [reopens %s]",
				 cJSON_IsString(r) ? r->valuestring : "?");
		}
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(p, "add"))
		{
			len = strlen(out);
			snprintf(out + len, size - len, " [adds %s to %s]",
				 jstr(cJSON_GetObjectItem(r, "checkpoint"), "id"),
				 jstr(r, "phase"));
		}
	} else
		snprintf(out, size, "%s", type);
}

/* "12 min", "1 h 05 min", "40 s" */
static void duration(char *out, size_t size, double seconds)
{
	long s = (long)(seconds + 0.5);

	if (s < 60)
		snprintf(out, size, "%ld s", s);
	else if (s < 3600)
		snprintf(out, size, "%ld min", s / 60);
	else
		snprintf(out, size, "%ld h %02ld min", s / 3600, s % 3600 / 60);
}

static void print_feedback(const cli *c, const cJSON *f, int indent)
{
	char line[4096], score[512] = "";
	const cJSON *sc;
	size_t n = 0;

	if (cJSON_IsNumber(cJSON_GetObjectItem(f, "score")))
		snprintf(score, sizeof(score), ", score %d%s%s",
			 (int)jnum(f, "score"),
			 *jstr(f, "criterion") ? " on " : "",
			 jstr(f, "criterion"));
	/* several criteria in one: ", score 3 on analysis, 2 on risk" */
	cJSON_ArrayForEach(sc, cJSON_GetObjectItem(f, "scores"))
	{
		if (!cJSON_IsNumber(sc) || n >= sizeof(score))
			continue;
		n += (size_t)snprintf(score + n, sizeof(score) - n,
				      "%s%d on %s", n ? ", " : ", score ",
				      (int)sc->valuedouble, sc->string);
	}
	snprintf(line, sizeof(line), "feedback from %s%s: %s", jstr(f, "actor"),
		 score, jstr(f, "text"));
	printf("%*s%s>>%s", indent, "", cli_color(c, C_YELLOW),
	       cli_color(c, C_RESET));
	cli_wrap_from(stdout, line, indent + 2, indent + 3, 100);
}

int cmd_log(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1], line[4096], took[32];
	cJSON *doc = NULL;
	const cJSON *ev, *visits, *f;
	int error, visit = -1;

	free(p.args);
	if ((rc = cli_session(c, id)) != 0)
		return rc;
	if ((error = cw_session_log(&doc, c->store, id)) < 0)
		return cli_fail(error);
	if (c->json)
		return cli_print_json(doc);
	cli_pager_start(c);
	visits = cJSON_GetObjectItem(doc, "visits");
	printf("Session %s: %s on %s, workflow %s v%d, %s in %s\n", id,
	       jstr(doc, "student"),
	       jstr(cJSON_GetObjectItem(doc, "case"), "id"),
	       jstr(cJSON_GetObjectItem(doc, "workflow"), "id"),
	       (int)jnum(cJSON_GetObjectItem(doc, "workflow"), "version"),
	       jstr(doc, "status"), jstr(doc, "phase"));
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(doc, "events"))
	{
		char when[20];

		if (!cJSON_HasObjectItem(ev, "visit"))
			continue; /* feedback: shown beside what it is about */
		if ((int)jnum(ev, "visit") != visit) {
			const cJSON *v;
			int first = 1;

			visit = (int)jnum(ev, "visit");
			v = cJSON_GetArrayItem(visits, visit);
			duration(took, sizeof(took), jnum(v, "seconds"));
			printf("\n%s== %s (%s) ==%s\n", cli_color(c, C_BOLD),
			       jstr(ev, "phase"), took, cli_color(c, C_RESET));
			/* feedback on the phase, under its first visit */
			for (int k = 0; k < visit; k++)
				if (strcmp(jstr(cJSON_GetArrayItem(visits, k),
						"phase"),
					   jstr(ev, "phase")) == 0)
					first = 0;
			cJSON_ArrayForEach(
			    f,
			    cJSON_GetObjectItem(
				doc,
				"feedback")) if (first &&
						 !cJSON_HasObjectItem(
						     f, "event") &&
						 strcmp(jstr(f, "phase"),
							jstr(ev, "phase")) == 0)
			    print_feedback(c, f, 2);
		}
		snprintf(when, sizeof(when), "%.19s", jstr(ev, "at"));
		if (strlen(when) > 10)
			when[10] = ' ';
		describe(ev, line, sizeof(line));
		printf("%4d  %s  %-10.10s ", (int)jnum(ev, "seq"), when,
		       jstr(ev, "actor"));
		cli_wrap_from(stdout, line, 38, 38, 100);
		/* the original, then what corrected or struck it, and why */
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(ev, "corrections"))
		{
			if (cJSON_IsTrue(cJSON_GetObjectItem(f, "struck")))
				snprintf(line, sizeof(line),
					 "struck at %d: %s", (int)jnum(f, "seq"),
					 jstr(f, "reason"));
			else
				snprintf(line, sizeof(line),
					 "corrected at %d (%s): %s",
					 (int)jnum(f, "seq"), jstr(f, "reason"),
					 jstr(f, "text"));
			printf("%36s->", "");
			cli_wrap_from(stdout, line, 38, 39, 100);
		}
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(ev, "feedback"))
		    print_feedback(c, f, 36);
	}
	/* feedback on a phase the timeline has no heading for (skipped by
	 * terminate, or not reached yet) */
	{
		int heading = 0;

		cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "feedback"))
		{
			int shown = 0;

			if (cJSON_HasObjectItem(f, "event"))
				continue;
			cJSON_ArrayForEach(
			    ev,
			    cJSON_GetObjectItem(
				doc,
				"events")) if (cJSON_HasObjectItem(ev,
								   "visit") &&
					       strcmp(jstr(ev, "phase"),
						      jstr(f, "phase")) == 0)
			    shown = 1;
			if (shown)
				continue;
			if (!heading++)
				printf("\n%s== feedback on phases without "
				       "entries ==%s\n",
				       cli_color(c, C_BOLD),
				       cli_color(c, C_RESET));
			printf("  %s:\n", jstr(f, "phase"));
			print_feedback(c, f, 2);
		}
	}
	line[0] = '\0';
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "phases"))
	{
		size_t len = strlen(line);

		if (jnum(f, "visits") == 0)
			continue;
		duration(took, sizeof(took), jnum(f, "seconds"));
		snprintf(line + len, sizeof(line) - len, "%s%s %s",
			 len ? ", " : "", jstr(f, "id"), took);
	}
	/* the hints before the closing line of times */
	if (cJSON_GetArraySize(cJSON_GetObjectItem(doc, "hints")) > 0) {
		printf("\nHints on the work as it stands:\n");
		cli_print_hints(c, cJSON_GetObjectItem(doc, "hints"), stdout);
	}
	printf("\nTime in each phase:");
	cli_wrap_from(stdout, line, 19, 2, 80);
	cJSON_Delete(doc);
	return EXIT_DONE;
}

int cmd_feedback_list(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1];
	cJSON *doc = NULL, *list;
	const cJSON *f;
	int error;

	free(p.args);
	if ((rc = cli_session(c, id)) != 0)
		return rc;
	if ((error = cw_session_log(&doc, c->store, id)) < 0)
		return cli_fail(error);
	list = cJSON_DetachItemFromObject(doc, "feedback");
	cJSON_Delete(doc);
	if (c->json)
		return cli_print_json(cli_wrap("feedback", list));
	if (cJSON_GetArraySize(list) == 0)
		printf("No feedback on this session yet.\n");
	cJSON_ArrayForEach(f, list)
	{
		char about[64];

		if (cJSON_IsNumber(cJSON_GetObjectItem(f, "event")))
			snprintf(about, sizeof(about), "%s, entry %d",
				 jstr(f, "phase"), (int)jnum(f, "event"));
		else
			snprintf(about, sizeof(about), "%s", jstr(f, "phase"));
		printf("%.16s  on %s\n", jstr(f, "at"), about);
		print_feedback(c, f, 2);
	}
	cJSON_Delete(list);
	return EXIT_DONE;
}
