/*
 * render_md.c - an export document as a Markdown summary: the session, the
 * case, each phase with its checkpoints and records, goals, referrals,
 * feedback and the timeline.  Every text a person typed goes through
 * md_text, so that it shows literally.
 */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "render_doc.h"

/*
 * Text a student typed, as Markdown that shows it literally: characters
 * that would start emphasis, code, raw HTML or a table cell are escaped.
 * `inline_text` (list items, table cells) turns line breaks into <br>;
 * otherwise lines are kept and a line that would start a heading, quote
 * or list is escaped.
 */
static void md_text(FILE *out, const char *s, int inline_text)
{
	int line_start = 1, escape = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n') {
			fputs(inline_text ? "<br>" : "\n", out);
			line_start = !inline_text;
			continue;
		}
		if (line_start && !inline_text) {
			const char *d = s;

			while (*d >= '0' && *d <= '9')
				d++;
			if (d > s && (*d == '.' || *d == ')')) {
				fwrite(s, 1, (size_t)(d - s), out);
				s = d;
				escape = 1;
			} else {
				escape = strchr("#>-+=~", *s) != NULL;
			}
		}
		line_start = 0;
		/* [ and ] too: no link or image is made of what was typed */
		if (escape || strchr("\\`*_<>|[]!", *s) != NULL)
			fputc('\\', out);
		fputc(*s, out);
		escape = 0;
	}
}

/* What the log holds beside record or statement `r`: its correction
 * (the reason, and the text as first written) and its strike. */
static void md_marks(FILE *out, const cJSON *r)
{
	const cJSON *c = get(r, "corrected"), *s = get(r, "struck");

	if (c != NULL) {
		fputs(" *(corrected: ", out);
		md_text(out, str(c, "reason"), 1);
		fputs("; was: ", out);
		md_text(out, str(c, "original"), 1);
		fputs(")*", out);
	}
	if (s != NULL) {
		fputs(" **(struck: ", out);
		md_text(out, str(s, "reason"), 1);
		fputs(")**", out);
	}
}

/* The text of record `r`, struck through when it was withdrawn, then
 * its marks. */
static void md_record_text(FILE *out, const cJSON *r)
{
	int struck = has(r, "struck");

	fputs(struck ? "~~" : "", out);
	md_text(out, str(r, "text"), 1);
	fputs(struck ? "~~" : "", out);
	md_marks(out, r);
}

static void md_client(FILE *out, const cJSON *kase)
{
	const cJSON *client = get(kase, "client");
	const cJSON *referral = get(kase, "referral");
	const cJSON *flag;

	fputs("- **Client:** ", out);
	md_text(out, has(client, "alias") ? str(client, "alias") : REDACTED, 1);
	if (cJSON_IsNumber(get(client, "age")))
		fprintf(out, ", age %d", get(client, "age")->valueint);
	if (has(client, "pronouns")) {
		fputs(", ", out);
		md_text(out, str(client, "pronouns"), 1);
	}
	if (has(client, "language")) {
		fputs("; language: ", out);
		md_text(out, str(client, "language"), 1);
	}
	fputc('\n', out);
	if (has(client, "household")) {
		fputs("- **Household:** ", out);
		md_text(out, str(client, "household"), 1);
		fputc('\n', out);
	}
	if (referral != NULL) {
		fputs("- **Referral:** ", out);
		md_text(out, str(referral, "source"), 1);
		fprintf(out, " (%s): ", str(referral, "urgency"));
		md_text(out, str(referral, "reason"), 1);
		fputc('\n', out);
	}
	if (cJSON_GetArraySize(get(kase, "risk_flags")) > 0) {
		fputs("- **Risk flags:** ", out);
		cJSON_ArrayForEach(flag, get(kase, "risk_flags"))
		{
			md_text(out,
				cJSON_GetStringValue(flag) ? flag->valuestring
							   : "",
				1);
			if (flag->next != NULL)
				fputs("; ", out);
		}
		fputc('\n', out);
	}
}

static void md_phase(FILE *out, const cJSON *doc, const cJSON *ph)
{
	const cJSON *cp, *item, *id;
	char took[32];

	doc_duration(took, sizeof(took), num(ph, "seconds"));
	fprintf(out, "\n### %d. ", (int)num(ph, "number"));
	md_text(out, str(ph, "title"), 1);
	fputs("\n\n", out);
	if (num(ph, "visits") == 0)
		fputs("Not reached.\n", out);
	else
		fprintf(out, "%s, %d visit%s.\n\n", took,
			(int)num(ph, "visits"),
			num(ph, "visits") == 1 ? "" : "s");
	/* only in a document built with --full */
	if (*doc_instructor_note(doc, ph) != '\0') {
		fputs("**What the case's author looked for:** ", out);
		md_text(out, doc_instructor_note(doc, ph), 1);
		fputs("\n\n", out);
	}
	cJSON_ArrayForEach(cp, get(ph, "checkpoints"))
	{
		int reflection = strcmp(str(cp, "kind"), "reflection") == 0;
		const cJSON *said =
		    reflection
			? NULL
			: cJSON_GetArrayItem(
			      get(cp, "statements"),
			      cJSON_GetArraySize(get(cp, "statements")) - 1);

		fputs(cJSON_IsTrue(get(cp, "met")) ? "- [x] " : "- [ ] ", out);
		md_text(out, str(cp, "label"), 1);
		fprintf(out, " (`%s`)", str(cp, "id"));
		if (said != NULL) {
			fputs(": ", out);
			if (has(said, "value"))
				fprintf(out, "**%s**, ", str(said, "value"));
			md_text(out, str(said, "text"), 1);
			md_marks(out, said);
		} else {
			fputs(": ", out);
			md_text(out, str(cp, "message"), 1);
		}
		fputc('\n', out);
		for (item = reflection ? get(cp, "statements")->child : NULL;
		     item != NULL; item = item->next) {
			char stage[64];

			doc_stage_title(stage, sizeof(stage),
					str(item, "stage"));
			fputs("  - *", out);
			md_text(out, stage, 1);
			fputs(":* ", out);
			md_text(out, str(item, "text"), 1);
			fputc('\n', out);
		}
	}
	cJSON_ArrayForEach(id, get(ph, "records"))
	{
		const cJSON *r = doc_find_record(doc, id->valuestring);
		char kinds[160];

		doc_record_kinds(kinds, sizeof(kinds), id->valuestring, r);
		fprintf(out, "- %s (", id->valuestring);
		md_text(out, kinds, 1);
		if (id->valuestring[0] == 'G')
			fprintf(out, ", %s term", str(r, "term"));
		if (id->valuestring[0] == 'I' || id->valuestring[0] == 'E')
			fprintf(out, " for %s, %s",
				doc_goal_of(doc, id->valuestring),
				has(r, "type") ? str(r, "type")
					       : str(r, "outcome"));
		fputs("): ", out);
		md_record_text(out, r);
		fputc('\n', out);
	}
	cJSON_ArrayForEach(item, get(doc, "refusals"))
	{
		const cJSON *b;

		if (strcmp(str(item, "phase"), str(ph, "id")) != 0)
			continue;
		fprintf(out, "- Advance refused (event %d): ",
			(int)num(item, "seq"));
		cJSON_ArrayForEach(b, get(item, "blockers"))
		{
			md_text(out, str(b, "message"), 1);
			fputs(b->next != NULL ? "; " : "", out);
		}
		fputc('\n', out);
	}
	cJSON_ArrayForEach(item, get(doc, "client_events"))
	{
		const cJSON *c;

		if (strcmp(str(item, "phase"), str(ph, "id")) != 0)
			continue;
		fputs("- Client event ", out);
		md_text(out, str(item, "id"), 1);
		fprintf(out, " (event %d): ", (int)num(item, "seq"));
		md_text(out, str(item, "text"), 1);
		cJSON_ArrayForEach(c, get(item, "reopen"))
		{
			fputs(" Reopened ", out);
			md_text(out, str(c, "id"), 1);
			fputc('.', out);
		}
		cJSON_ArrayForEach(c, get(item, "add"))
		{
			fputs(" Added ", out);
			md_text(out, str(c, "id"), 1);
			fputs(" to ", out);
			md_text(out, str(c, "phase"), 1);
			fputc('.', out);
		}
		fputc('\n', out);
	}
	cJSON_ArrayForEach(item, get(doc, "revisits"))
	{
		if (strcmp(str(item, "from"), str(ph, "id")) != 0)
			continue;
		fputs("- Revisited ", out);
		md_text(out, doc_phase_title(doc, str(item, "to")), 1);
		fprintf(out, " (event %d): ", (int)num(item, "seq"));
		md_text(out, str(item, "reason"), 1);
		fputc('\n', out);
	}
	item = get(doc, "termination");
	if (cJSON_IsObject(item) &&
	    strcmp(str(item, "from"), str(ph, "id")) == 0) {
		fprintf(out, "- Terminated early (event %d): ",
			(int)num(item, "seq"));
		md_text(out, str(item, "reason"), 1);
		fputc('\n', out);
	}
}

static void md_goals(FILE *out, const cJSON *doc)
{
	const cJSON *g, *r;

	fputs("\n## Goals, interventions and evaluations\n\n", out);
	if (cJSON_GetArraySize(get(doc, "goals")) == 0) {
		fputs("No goals were set.\n", out);
		return;
	}
	fputs("| Goal | Term | Measure | Status | Interventions | "
	      "Evaluations |\n"
	      "|---|---|---|---|---|---|\n",
	      out);
	cJSON_ArrayForEach(g, get(doc, "goals"))
	{
		fprintf(out, "| %s ", str(g, "id"));
		md_record_text(out, g);
		fprintf(out, " | %s | ", str(g, "term"));
		md_text(out, str(g, "measure"), 1);
		fprintf(out, " | %s", str(g, "status"));
		if (has(g, "dropped")) {
			fputs(": ", out);
			md_text(out, str(get(g, "dropped"), "reason"), 1);
		}
		fputs(" | ", out);
		cJSON_ArrayForEach(r, get(g, "interventions"))
		{
			fprintf(out, "%s (%s) ", str(r, "id"), str(r, "type"));
			md_record_text(out, r);
			fputs(r->next != NULL ? "<br>" : "", out);
		}
		fputs(" | ", out);
		cJSON_ArrayForEach(r, get(g, "evaluations"))
		{
			fprintf(out, "%s **%s** ", str(r, "id"),
				str(r, "outcome"));
			md_record_text(out, r);
			fputs(r->next != NULL ? "<br>" : "", out);
		}
		fputs(" |\n", out);
	}
}

static void md_feedback(FILE *out, const cJSON *doc)
{
	const cJSON *f;

	fputs("\n## Feedback\n\n", out);
	if (cJSON_GetArraySize(get(doc, "feedback")) == 0) {
		fputs("No feedback yet.\n", out);
		return;
	}
	cJSON_ArrayForEach(f, get(doc, "feedback"))
	{
		fputs("- ", out);
		md_text(out, str(f, "actor"), 1);
		fputs(" on ", out);
		md_text(out, doc_phase_title(doc, str(f, "phase")), 1);
		if (has(f, "event"))
			fprintf(out, ", event %d", (int)num(f, "event"));
		if (has(f, "score"))
			fprintf(out, ", score %d%s%s", (int)num(f, "score"),
				has(f, "criterion") ? " on " : "",
				str(f, "criterion"));
		fputs(": ", out);
		md_text(out, str(f, "text"), 1);
		fputc('\n', out);
	}
	if (cJSON_GetArraySize(get(doc, "scores")) > 0) {
		fputs("\n| Criterion | Mean score |\n|---|---|\n", out);
		cJSON_ArrayForEach(f, get(doc, "scores"))
		{
			fprintf(out, "| %s | %.1f |\n", f->string,
				f->valuedouble);
		}
	}
}

static void md_timeline(FILE *out, const cJSON *doc)
{
	const cJSON *v;
	int n = 0;

	fputs("\n## Timeline\n\n", out);
	cJSON_ArrayForEach(v, get(doc, "visits"))
	{
		char took[32];
		const char *how = str(v, "entered_by");

		doc_duration(took, sizeof(took), num(v, "seconds"));
		fprintf(out, "%d. %s: ", ++n, str(v, "start"));
		md_text(out, doc_phase_title(doc, str(v, "phase")), 1);
		if (num(v, "to") < num(v, "from")) /* just entered */
			fputs(", no events yet", out);
		else
			fprintf(out, ", events %d to %d, %s",
				(int)num(v, "from"), (int)num(v, "to"), took);
		if (has_reason(how)) {
			fputs(strcmp(how, "revisit") == 0
				  ? " (revisited: "
				  : " (terminated early: ",
			      out);
			md_text(out, str(v, "reason"), 1);
			fputc(')', out);
		}
		fputc('\n', out);
	}
	if (cJSON_IsString(get(doc, "closed_at")))
		fprintf(out, "%d. %s: session closed\n", ++n,
			str(doc, "closed_at"));
}

void render_markdown(FILE *out, const cJSON *doc)
{
	const cJSON *kase = get(doc, "case");
	const cJSON *wf = get(doc, "workflow");
	const cJSON *ph, *r;

	fputs("# ", out);
	md_text(out, str(kase, "title"), 1);
	fputs(": ", out);
	md_text(out, str(doc, "student"), 1);
	fputs("\n\n", out);
	fprintf(out, "- **Session:** `%s`%s\n", str(doc, "session"),
		cJSON_IsTrue(get(doc, "redacted")) ? " (redacted)" : "");
	fputs("- **Student:** ", out);
	md_text(out, str(doc, "student"), 1);
	fputs("\n- **Case:** ", out);
	md_text(out, str(kase, "title"), 1);
	fprintf(out, " (`%s`, %s)\n", str(kase, "id"), str(kase, "setting"));
	fputs("- **Workflow:** ", out);
	md_text(out, str(wf, "title"), 1);
	fprintf(out, " (`%s`, version %d)\n", str(wf, "id"),
		(int)num(wf, "version"));
	fprintf(out, "- **Status:** %s, in ", str(doc, "status"));
	md_text(out, doc_phase_title(doc, str(doc, "phase")), 1);
	fprintf(out,
		"; %d of %d checkpoints met\n"
		"- **Started:** %s; **last change:** %s\n"
		"- **Chain head:** `%s` (%d events)\n",
		(int)num(get(doc, "progress"), "met"),
		(int)num(get(doc, "progress"), "total"), str(doc, "created_at"),
		str(doc, "updated_at"), str(doc, "head"),
		(int)num(doc, "events"));

	fputs("\n## The case\n\n", out);
	md_text(out, str(kase, "summary"), 0);
	fputs("\n\n", out);
	md_client(out, kase);

	fputs("\n## Phases\n", out);
	cJSON_ArrayForEach(ph, get(doc, "phases"))
	{
		md_phase(out, doc, ph);
	}
	md_goals(out, doc);
	if (cJSON_GetArraySize(get(doc, "referrals")) > 0) {
		fputs("\n## Referrals\n\n", out);
		cJSON_ArrayForEach(r, get(doc, "referrals"))
		{
			fprintf(out, "- %s: ", str(r, "id"));
			md_record_text(out, r);
			fputc('\n', out);
		}
	}
	md_feedback(out, doc);
	md_timeline(out, doc);
	fprintf(out, "\nChain head: `%s`\n", str(doc, "head"));
}
