/*
 * render_html.c - an export document as HTML: one self-contained page
 * (its style inline, no scripts, nothing fetched) that prints well, with
 * one <article> per session and an SVG timeline of the phase visits.
 * Every text from the document goes through html_text.
 */
#include <stdio.h>
#include <string.h>

#include "casework/common.h"
#include "render.h"
#include "render_doc.h"

static void html_text(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

void render_html_text(FILE *out, const char *s)
{
	html_text(out, s);
}

/* Escaped text with its line breaks kept: paragraphs split on blank
 * lines, single breaks as <br>. */
static void html_paragraphs(FILE *out, const char *s)
{
	fputs("<p>", out);
	for (; *s != '\0'; s++) {
		char one[2] = {*s, '\0'};

		if (s[0] == '\n' && s[1] == '\n') {
			fputs("</p>\n<p>", out);
			while (s[1] == '\n')
				s++;
		} else if (*s == '\n') {
			fputs("<br>", out);
		} else {
			html_text(out, one);
		}
	}
	fputs("</p>\n", out);
}

void render_html_start(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"casework " CW_VERSION "\">\n"
	      "<title>",
	      out);
	html_text(out, title);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
		render_html_style);
}

void render_html_end(FILE *out)
{
	fputs("</main>\n</body>\n</html>\n", out);
}

static void html_dd(FILE *out, const char *term, const char *text)
{
	fprintf(out, "<dt>%s</dt><dd>", term);
	html_text(out, text);
	fputs("</dd>\n", out);
}

static void html_case(FILE *out, const cJSON *kase)
{
	const cJSON *client = get(kase, "client");
	const cJSON *referral = get(kase, "referral");
	const cJSON *flag;

	fputs("<section class=\"case\" id=\"case-", out);
	html_text(out, str(kase, "id"));
	fputs("\">\n<h2>The case</h2>\n", out);
	html_paragraphs(out, str(kase, "summary"));
	fputs("<dl class=\"meta\">\n", out);
	html_dd(out, "Client",
		has(client, "alias") ? str(client, "alias") : REDACTED);
	if (cJSON_IsNumber(get(client, "age")))
		fprintf(out, "<dt>Age</dt><dd>%d</dd>\n",
			get(client, "age")->valueint);
	if (has(client, "pronouns"))
		html_dd(out, "Pronouns", str(client, "pronouns"));
	if (has(client, "language"))
		html_dd(out, "Language", str(client, "language"));
	if (has(client, "household"))
		html_dd(out, "Household", str(client, "household"));
	if (referral != NULL) {
		fputs("<dt>Referral</dt><dd>", out);
		html_text(out, str(referral, "source"));
		fputs(" (", out);
		html_text(out, str(referral, "urgency"));
		fputs("): ", out);
		html_text(out, str(referral, "reason"));
		fputs("</dd>\n", out);
	}
	if (cJSON_GetArraySize(get(kase, "risk_flags")) > 0) {
		fputs("<dt>Risk flags</dt><dd>", out);
		cJSON_ArrayForEach(flag, get(kase, "risk_flags"))
		{
			fputs("<span class=\"tag\">", out);
			html_text(out, cJSON_IsString(flag) ? flag->valuestring
							    : "");
			fputs("</span> ", out);
		}
		fputs("</dd>\n", out);
	}
	fputs("</dl>\n", out);
	if (has(kase, "background")) {
		fputs("<h3>Background</h3>\n", out);
		html_paragraphs(out, str(kase, "background"));
	}
	fputs("</section>\n", out);
}

/* What the log holds beside record or statement `r`: its correction
 * (the reason, and the text as first written) and its strike. */
static void html_marks(FILE *out, const cJSON *r)
{
	const cJSON *c = get(r, "corrected"), *s = get(r, "struck");

	if (c != NULL) {
		fputs(" <span class=\"mark\">(corrected: ", out);
		html_text(out, str(c, "reason"));
		fputs("; was: ", out);
		html_text(out, str(c, "original"));
		fputs(")</span>", out);
	}
	if (s != NULL) {
		fputs(" <span class=\"mark\">(struck: ", out);
		html_text(out, str(s, "reason"));
		fputs(")</span>", out);
	}
}

/* The text of record `r`, struck through when it was withdrawn, then
 * its marks. */
static void html_record_text(FILE *out, const cJSON *r)
{
	int struck = has(r, "struck");

	fputs(struck ? "<del>" : "", out);
	html_text(out, str(r, "text"));
	fputs(struck ? "</del>" : "", out);
	html_marks(out, r);
}

/* The feedback about log entry `seq`, or with `seq` 0 about phase
 * `phase` as a whole, beside what it is about. */
static void html_feedback_on(FILE *out, const cJSON *doc, const char *phase,
			     double seq)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, get(doc, "feedback"))
	{
		if (seq ? num(f, "event") != seq
			: has(f, "event") || strcmp(str(f, "phase"), phase))
			continue;
		fputs("<div class=\"feedback\"><strong>", out);
		html_text(out, str(f, "actor"));
		fputs("</strong>", out);
		if (has(f, "score"))
			fprintf(out, " (score %d)", (int)num(f, "score"));
		fputs(": ", out);
		html_text(out, str(f, "text"));
		fputs("</div>\n", out);
	}
}

static void html_phase(FILE *out, const cJSON *doc, const cJSON *ph)
{
	const cJSON *cp, *item, *id;
	char took[32];
	int any = 0;

	doc_duration(took, sizeof(took), num(ph, "seconds"));
	fprintf(out, "<section class=\"phase\" id=\"phase-%s-%s\">\n<h3>%d. ",
		str(doc, "session"), str(ph, "id"), (int)num(ph, "number"));
	html_text(out, str(ph, "title"));
	if (num(ph, "visits") == 0)
		fputs(" <span class=\"muted\">not reached</span></h3>\n", out);
	else
		fprintf(out,
			" <span class=\"muted\">%s, %d visit%s</span></h3>\n",
			took, (int)num(ph, "visits"),
			num(ph, "visits") == 1 ? "" : "s");
	/* only in a document built with --full */
	if (*doc_instructor_note(doc, ph) != '\0') {
		fputs("<div class=\"instructor-note\"><strong>What the "
		      "case&#39;s author looked for:</strong> ",
		      out);
		html_text(out, doc_instructor_note(doc, ph));
		fputs("</div>\n", out);
	}
	html_feedback_on(out, doc, str(ph, "id"), 0);
	fputs("<ul class=\"checkpoints\">\n", out);
	cJSON_ArrayForEach(cp, get(ph, "checkpoints"))
	{
		int reflection = strcmp(str(cp, "kind"), "reflection") == 0;
		const cJSON *said =
		    reflection ? NULL
			       : cJSON_GetArrayItem(
				     get(cp, "statements"),
				     cJSON_GetArraySize(get(cp, "statements")) -
					 1);

		fprintf(out, "<li class=\"%s\"><strong>",
			cJSON_IsTrue(get(cp, "met")) ? "met" : "unmet");
		html_text(out, str(cp, "label"));
		fputs("</strong>: ", out);
		if (said != NULL && has(said, "value")) {
			fputs("<span class=\"tag\">", out);
			html_text(out, str(said, "value"));
			fputs("</span> ", out);
		}
		html_text(out, said != NULL ? str(said, "text")
					    : str(cp, "message"));
		if (said != NULL)
			html_marks(out, said);
		if (said != NULL && num(said, "seq") > 0)
			html_feedback_on(out, doc, "", num(said, "seq"));
		if (reflection && cJSON_GetArraySize(get(cp, "statements")))
			fputs("\n<dl class=\"stages\">\n", out);
		for (item = reflection ? get(cp, "statements")->child : NULL;
		     item != NULL; item = item->next) {
			char stage[64];

			doc_stage_title(stage, sizeof(stage),
					str(item, "stage"));
			fputs("<dt>", out);
			html_text(out, stage);
			fputs("</dt><dd>", out);
			html_text(out, str(item, "text"));
			html_feedback_on(out, doc, "", num(item, "seq"));
			fputs("</dd>\n", out);
			if (item->next == NULL)
				fputs("</dl>\n", out);
		}
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
	cJSON_ArrayForEach(id, get(ph, "records"))
	{
		const cJSON *r = doc_find_record(doc, id->valuestring);
		char kinds[160];

		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fprintf(out, "<li><strong>%s</strong> <span class=\"tag\">",
			id->valuestring);
		doc_record_kinds(kinds, sizeof(kinds), id->valuestring, r);
		html_text(out, kinds);
		if (id->valuestring[0] == 'G') {
			fputs(", ", out);
			html_text(out, str(r, "term"));
			fputs(" term", out);
		}
		if (id->valuestring[0] == 'I' || id->valuestring[0] == 'E') {
			fprintf(out, " for %s, ",
				doc_goal_of(doc, id->valuestring));
			html_text(out, has(r, "type") ? str(r, "type")
						      : str(r, "outcome"));
		}
		fputs("</span> ", out);
		html_record_text(out, r);
		if (num(r, "seq") > 0)
			html_feedback_on(out, doc, "", num(r, "seq"));
		fputs("</li>\n", out);
	}
	cJSON_ArrayForEach(item, get(doc, "refusals"))
	{
		const cJSON *b;

		if (strcmp(str(item, "phase"), str(ph, "id")) != 0)
			continue;
		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fprintf(out, "<li class=\"muted\">Advance refused (event %d): ",
			(int)num(item, "seq"));
		cJSON_ArrayForEach(b, get(item, "blockers"))
		{
			html_text(out, str(b, "message"));
			fputs(b->next != NULL ? "; " : "", out);
		}
		fputs("</li>\n", out);
	}
	cJSON_ArrayForEach(item, get(doc, "client_events"))
	{
		const cJSON *c;

		if (strcmp(str(item, "phase"), str(ph, "id")) != 0)
			continue;
		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fputs("<li>Client event <strong>", out);
		html_text(out, str(item, "id"));
		fputs("</strong>: ", out);
		html_text(out, str(item, "text"));
		for (int k = 0; k < 2; k++)
			cJSON_ArrayForEach(c, get(item, k ? "add" : "reopen")) {
				fputs(k ? " Added " : " Reopened ", out);
				html_text(out, str(c, "id"));
			}
		fputs("</li>\n", out);
	}
	cJSON_ArrayForEach(item, get(doc, "revisits"))
	{
		if (strcmp(str(item, "from"), str(ph, "id")) != 0)
			continue;
		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fputs("<li>Revisited <strong>", out);
		html_text(out, doc_phase_title(doc, str(item, "to")));
		fputs("</strong>: ", out);
		html_text(out, str(item, "reason"));
		fputs("</li>\n", out);
	}
	item = get(doc, "termination");
	if (cJSON_IsObject(item) &&
	    strcmp(str(item, "from"), str(ph, "id")) == 0) {
		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fputs("<li>Terminated early: ", out);
		html_text(out, str(item, "reason"));
		fputs("</li>\n", out);
	}
	if (any)
		fputs("</ul>\n", out);
	fputs("</section>\n", out);
}

static void html_goals(FILE *out, const cJSON *doc)
{
	const cJSON *g, *r;

	fputs("<section class=\"goals\">\n<h2>Goals, interventions and "
	      "evaluations</h2>\n",
	      out);
	if (cJSON_GetArraySize(get(doc, "goals")) == 0) {
		fputs("<p>No goals were set.</p>\n</section>\n", out);
		return;
	}
	fputs("<table>\n<thead><tr><th>Goal</th><th>Term</th><th>Measure</th>"
	      "<th>Status</th><th>Interventions</th><th>Evaluations</th>"
	      "</tr></thead>\n<tbody>\n",
	      out);
	cJSON_ArrayForEach(g, get(doc, "goals"))
	{
		fprintf(out, "<tr><td><strong>%s</strong> ", str(g, "id"));
		html_record_text(out, g);
		fputs("</td><td>", out);
		html_text(out, str(g, "term"));
		fputs("</td><td>", out);
		html_text(out, str(g, "measure"));
		fputs("</td><td>", out);
		html_text(out, str(g, "status"));
		if (has(g, "dropped")) {
			fputs(": ", out);
			html_text(out, str(get(g, "dropped"), "reason"));
		}
		fputs("</td><td>", out);
		cJSON_ArrayForEach(r, get(g, "interventions"))
		{
			fprintf(out, "<div><strong>%s</strong> (",
				str(r, "id"));
			html_text(out, str(r, "type"));
			fputs(") ", out);
			html_record_text(out, r);
			fputs("</div>", out);
		}
		fputs("</td><td>", out);
		cJSON_ArrayForEach(r, get(g, "evaluations"))
		{
			fprintf(out,
				"<div><strong>%s</strong> <span "
				"class=\"tag\">",
				str(r, "id"));
			html_text(out, str(r, "outcome"));
			fputs("</span> ", out);
			html_record_text(out, r);
			fputs("</div>", out);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

static void html_feedback(FILE *out, const cJSON *doc)
{
	const cJSON *f;

	fputs("<section class=\"feedback\">\n<h2>Feedback</h2>\n", out);
	if (cJSON_GetArraySize(get(doc, "feedback")) == 0) {
		fputs("<p>No feedback yet.</p>\n</section>\n", out);
		return;
	}
	fputs("<ul>\n", out);
	cJSON_ArrayForEach(f, get(doc, "feedback"))
	{
		fputs("<li><strong>", out);
		html_text(out, str(f, "actor"));
		fputs("</strong> on ", out);
		html_text(out, doc_phase_title(doc, str(f, "phase")));
		if (has(f, "event"))
			fprintf(out, ", event %d", (int)num(f, "event"));
		if (has(f, "score")) {
			fprintf(out, ", score %d", (int)num(f, "score"));
			if (has(f, "criterion")) {
				fputs(" on ", out);
				html_text(out, str(f, "criterion"));
			}
		}
		fputs(": ", out);
		html_text(out, str(f, "text"));
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
	if (cJSON_GetArraySize(get(doc, "scores")) > 0) {
		fputs(
		    "<table>\n<thead><tr><th>Criterion</th><th>Mean score</th>"
		    "</tr></thead>\n<tbody>\n",
		    out);
		cJSON_ArrayForEach(f, get(doc, "scores"))
		{
			fputs("<tr><td>", out);
			html_text(out, f->string);
			fprintf(out, "</td><td>%.1f</td></tr>\n",
				f->valuedouble);
		}
		fputs("</tbody>\n</table>\n", out);
	}
	fputs("</section>\n", out);
}

static void html_timeline(FILE *out, const cJSON *doc, int n)
{
	const cJSON *v;

	fputs("<section class=\"timeline\">\n<h2>Timeline</h2>\n", out);
	render_html_svg(out, doc, n);
	fputs("<ol>\n", out);
	cJSON_ArrayForEach(v, get(doc, "visits"))
	{
		char took[32];
		const char *how = str(v, "entered_by");

		doc_duration(took, sizeof(took), num(v, "seconds"));
		fputs("<li><span class=\"when\">", out);
		html_text(out, str(v, "start"));
		fputs("</span> ", out);
		html_text(out, doc_phase_title(doc, str(v, "phase")));
		if (num(v, "to") < num(v, "from")) /* just entered */
			fprintf(out, ", no events yet");
		else
			fprintf(out, ", events %d to %d, %s",
				(int)num(v, "from"), (int)num(v, "to"), took);
		if (has(v, "reason")) {
			fputs(strcmp(how, "revisit") == 0
				  ? " (revisited: "
				  : " (terminated early: ",
			      out);
			html_text(out, str(v, "reason"));
			fputc(')', out);
		}
		fputs("</li>\n", out);
	}
	if (cJSON_IsString(get(doc, "closed_at"))) {
		fputs("<li><span class=\"when\">", out);
		html_text(out, str(doc, "closed_at"));
		fputs("</span> session closed</li>\n", out);
	}
	fputs("</ol>\n</section>\n", out);
}

void render_html_session(FILE *out, const cJSON *doc, int n, int case_shown)
{
	const cJSON *kase = get(doc, "case");
	const cJSON *wf = get(doc, "workflow");
	const cJSON *ph;
	char line[160];

	fprintf(out,
		"<article class=\"session\" id=\"session-%s\">\n<header>\n"
		"<h1>",
		str(doc, "session"));
	html_text(out, str(kase, "title"));
	fputs(": ", out);
	html_text(out, str(doc, "student"));
	fputs("</h1>\n<dl class=\"meta\">\n", out);
	html_dd(out, "Student", str(doc, "student"));
	fputs("<dt>Case</dt><dd>", out);
	html_text(out, str(kase, "title"));
	fputs(" (<code>", out);
	html_text(out, str(kase, "id"));
	fputs("</code>, ", out);
	html_text(out, str(kase, "setting"));
	fputs(")</dd>\n<dt>Workflow</dt><dd>", out);
	html_text(out, str(wf, "title"));
	fputs(" (<code>", out);
	html_text(out, str(wf, "id"));
	fprintf(out, "</code>, version %d)</dd>\n", (int)num(wf, "version"));
	snprintf(line, sizeof(line), "%s, in %s; %d of %d checkpoints met",
		 str(doc, "status"), doc_phase_title(doc, str(doc, "phase")),
		 (int)num(get(doc, "progress"), "met"),
		 (int)num(get(doc, "progress"), "total"));
	html_dd(out, "Status", line);
	html_dd(out, "Started", str(doc, "created_at"));
	html_dd(out, "Last change", str(doc, "updated_at"));
	fprintf(out, "<dt>Session</dt><dd><code>%s</code>%s</dd>\n",
		str(doc, "session"),
		cJSON_IsTrue(get(doc, "redacted")) ? " (redacted)" : "");
	fprintf(out,
		"<dt>Chain head</dt><dd><code class=\"hash\">%s</code> "
		"(%d events)</dd>\n</dl>\n</header>\n",
		str(doc, "head"), (int)num(doc, "events"));
	if (case_shown) { /* a class page gives each case's text once */
		fputs("<p class=\"case-ref\">The case: see <a href=\"#case-",
		      out);
		html_text(out, str(kase, "id"));
		fputs("\">above</a>.</p>\n", out);
	}
	else
		html_case(out, kase);
	html_timeline(out, doc, n);
	fputs("<section class=\"phases\">\n<h2>Phases</h2>\n", out);
	cJSON_ArrayForEach(ph, get(doc, "phases"))
	{
		html_phase(out, doc, ph);
	}
	fputs("</section>\n", out);
	html_goals(out, doc);
	if (cJSON_GetArraySize(get(doc, "referrals")) > 0) {
		const cJSON *r;

		fputs(
		    "<section class=\"referrals\">\n<h2>Referrals</h2>\n<ul>\n",
		    out);
		cJSON_ArrayForEach(r, get(doc, "referrals"))
		{
			fprintf(out, "<li><strong>%s</strong> ", str(r, "id"));
			html_record_text(out, r);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n</section>\n", out);
	}
	html_feedback(out, doc);
	fprintf(out,
		"<footer><p>Chain head: <code class=\"hash\">%s</code>. "
		"'casework verify' recomputes it from the log.</p></footer>\n"
		"</article>\n",
		str(doc, "head"));
}
