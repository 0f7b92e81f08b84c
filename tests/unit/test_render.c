/*
 * test_render.c - the renderers of an export document (render_md.c,
 * render_html.c, render_csv.c) and the lookups they share (render_doc.c),
 * each fed a small document written by hand, so that a failure points at
 * the renderer and not at the building of the document.
 */
#include "casework/export.h"
#include "helpers.h"
#include "render.h"
#include "render_doc.h"

/*
 * A session document with text a student could type in every place a
 * renderer shows one: markup of each format, quotes, commas, line breaks.
 */
static const char doc_text[] =
    "{\"schema_version\": 1, \"session\": \"s-1\","
    " \"student\": \"Lee <b>&</b>\", \"status\": \"open\","
    " \"phase\": \"assessment\", \"created_at\": \"2024-01-01T09:00:00Z\","
    " \"updated_at\": \"2024-01-01T10:00:00Z\", \"closed_at\": null,"
    " \"redacted\": false,"
    " \"workflow\": {\"id\": \"standard\", \"version\": 1,"
    "  \"title\": \"Interview\"},"
    " \"case\": {\"id\": \"c-1\", \"title\": \"*Case* \\\"one\\\"\","
    "  \"setting\": \"school\","
    "  \"summary\": \"# not a heading\\n1. not a list\\n> not a quote\","
    "  \"client\": {\"alias\": \"Maya\", \"age\": 12,"
    "   \"household\": \"mum & brother\"}},"
    " \"case_sha256\": \"abc\", \"progress\": {\"met\": 1, \"total\": 2},"
    " \"phases\": ["
    "  {\"id\": \"preparation\", \"title\": \"Preparation\", \"number\": 1,"
    "   \"visits\": 1, \"seconds\": 200, \"checkpoints\": [],"
    "   \"records\": [\"N1\", \"G1\", \"I1\"]},"
    "  {\"id\": \"assessment\", \"title\": \"Assessment\", \"number\": 2,"
    "   \"visits\": 0, \"seconds\": 0, \"checkpoints\": [], \"records\": []}],"
    " \"notes\": [{\"id\": \"N1\", \"seq\": 2, \"phase\": \"preparation\","
    "  \"tag\": \"strength\","
    "  \"text\": \"<script>x</script> 'a' \\\"b\\\" *c* _d_ `e` | f\\nnext\"}],"
    " \"objectives\": [], \"referrals\": [],"
    " \"goals\": [{\"id\": \"G1\", \"text\": \"Back, \\\"on time\\\"\","
    "  \"term\": \"short\", \"measure\": \"4 of 6\\r\\nMondays\","
    "  \"status\": \"open\","
    "  \"interventions\": [{\"id\": \"I1\", \"type\": \"counseling\","
    "   \"text\": \"Weekly\"}],"
    "  \"evaluations\": [{\"id\": \"E1\", \"outcome\": \"partial\","
    "   \"text\": \"8 of 10\"}]}],"
    " \"revisits\": [], \"termination\": null, \"refusals\": [],"
    " \"feedback\": [], \"scores\": {}, \"visits\": [], \"events\": 3,"
    " \"head\": \"h\"}";

/* The parsed document; the caller frees it with cJSON_Delete. */
static cJSON *document(void)
{
	cJSON *doc = cJSON_Parse(doc_text);

	assert_non_null(doc);
	return doc;
}

/* A stream whose text the caller reads with done(). */
typedef struct capture {
	FILE *f;
	char *text;
	size_t size;
} capture;

static void start(capture *c)
{
	c->text = NULL;
	c->size = 0;
	c->f = open_memstream(&c->text, &c->size);
	assert_non_null(c->f);
}

/* What was written; the caller frees it. */
static char *done(capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	assert_non_null(c->text);
	return c->text;
}

static void test_markdown_escapes(void **state)
{
	cJSON *doc = document();
	capture c;
	char *text;

	(void)state;
	start(&c);
	render_markdown(c.f, doc);
	text = done(&c);
	/* the title line: emphasis and raw HTML from the student's text */
	assert_non_null(
	    strstr(text, "# \\*Case\\* \"one\": Lee \\<b\\>&\\</b\\>\n"));
	/* a free text keeps its lines, none of which may start a block */
	assert_non_null(strstr(text, "\\# not a heading\n1\\. not a list\n"
				     "\\> not a quote\n"));
	/* in a list item, code, emphasis and table bars are escaped and a
	 * line break is a <br>, so the item stays one item */
	assert_non_null(strstr(text,
			       "- N1 (strength): \\<script\\>x\\</script\\>"
			       " 'a' \"b\" \\*c\\* \\_d\\_ \\`e\\` \\| f"
			       "<br>next\n"));
	assert_non_null(strstr(text, "- I1 (intervention for G1, counseling): "
				     "Weekly\n"));
	assert_non_null(strstr(text, "- **Client:** Maya, age 12\n"));
	assert_null(strstr(text, "<script>"));
	free(text);
	cJSON_Delete(doc);
}

static void test_markdown_redacted(void **state)
{
	cJSON *doc = document();
	capture c;
	char *text;

	(void)state;
	cw_export_redact(doc);
	start(&c);
	render_markdown(c.f, doc);
	text = done(&c);
	assert_non_null(strstr(text, "- **Session:** `s-1` (redacted)\n"));
	/* Markdown shows typed [ and ] escaped: never a link */
	assert_non_null(strstr(text, "- **Client:** \\[client\\]\n"));
	assert_null(strstr(text, "Maya"));
	assert_null(strstr(text, "Household"));
	free(text);
	cJSON_Delete(doc);
}

static void test_html_escapes(void **state)
{
	cJSON *doc = document();
	cJSON *list = cJSON_Parse("[{\"session\": \"s-1\", \"student\": "
				  "\"<i>O'Neil</i>\", \"case\": \"c&d\","
				  " \"status\": \"open\"}]");
	capture c;
	char *text;

	(void)state;
	start(&c);
	render_html_start(c.f, "a <title> & \"more\"");
	render_html_index(c.f, list);
	render_html_session(c.f, doc, 0, 0);
	render_html_end(c.f);
	text = done(&c);
	assert_non_null(strstr(text, "<title>a &lt;title&gt; &amp; "
				     "&quot;more&quot;</title>"));
	assert_non_null(strstr(text, "&lt;i&gt;O&#39;Neil&lt;/i&gt;, c&amp;d, "
				     "open</a>"));
	assert_non_null(strstr(text, "<h1>*Case* &quot;one&quot;: "
				     "Lee &lt;b&gt;&amp;&lt;/b&gt;</h1>"));
	assert_non_null(strstr(text, "&lt;script&gt;x&lt;/script&gt; "
				     "&#39;a&#39; &quot;b&quot;"));
	assert_non_null(strstr(text, "<dt>Household</dt><dd>mum &amp; "
				     "brother</dd>"));
	/* a summary keeps its lines as breaks, escaped */
	assert_non_null(strstr(text, "<p># not a heading<br>1. not a list<br>"
				     "&gt; not a quote</p>"));
	assert_null(strstr(text, "<script>"));
	assert_null(strstr(text, "<b>"));
	assert_non_null(strstr(text, "</main>\n</body>\n</html>\n"));
	free(text);
	cJSON_Delete(list);
	cJSON_Delete(doc);
}

static void test_html_ids_are_unique(void **state)
{
	cJSON *doc = document();
	capture c;
	char *text;

	(void)state;
	start(&c);
	render_html_session(c.f, doc, 0, 0);
	render_html_session(c.f, doc, 1, 0);
	text = done(&c);
	/* two timelines on one page must not share the id of their title */
	assert_non_null(strstr(text, "id=\"timeline-title-0\""));
	assert_non_null(strstr(text, "id=\"timeline-title-1\""));
	free(text);
	cJSON_Delete(doc);
}

static void test_csv_goal_rows(void **state)
{
	cJSON *doc = document();
	capture c;
	char *text;

	(void)state;
	start(&c);
	render_csv_goal_header(c.f);
	render_csv_goal_rows(c.f, doc);
	text = done(&c);
	/* RFC 4180: a field with a comma, a quote or a line break is quoted
	 * and its quotes doubled; every record ends in CRLF */
	assert_string_equal(text,
			    "session,student,case,goal,term,status,text,"
			    "measure,interventions,last_outcome\r\n"
			    "s-1,Lee <b>&</b>,c-1,G1,short,open,"
			    "\"Back, \"\"on time\"\"\",\"4 of 6\r\nMondays\","
			    "1,partial\r\n");
	free(text);
	cJSON_Delete(doc);
}

static void test_csv_report_numbers(void **state)
{
	cJSON *report =
	    cJSON_Parse("{\"phases\": [\"a\", \"b\"], \"criteria\": [\"a.x\"],"
			" \"sessions\": [{\"session\": \"s\", \"version\": 2,"
			" \"terminated\": true, \"seconds\": {\"a\": 2.345},"
			" \"scores\": {\"a.x\": 3}, \"feedback\": 1}]}");
	capture c;
	char *text;

	(void)state;
	start(&c);
	assert_int_equal(cw_export_report_csv(c.f, report), 0);
	text = done(&c);
	/* whole numbers without a point, others to two places; a phase the
	 * session never reached is an empty field, not 0 */
	assert_non_null(strstr(text, ",seconds_a,seconds_b,score_a.x,"
				     "feedback\r\n"));
	assert_non_null(strstr(text, "\r\ns,,,,2,,,,0,0,0,0,0,0,0,0,0,0,yes,0,"
				     "2.35,,3,1\r\n"));
	free(text);
	cJSON_Delete(report);
}

/*
 * The document with what the log holds beside the texts: N1 struck, G1
 * corrected, a second tag on N1, a reflection with two stages and an
 * instructor note on preparation (as --full leaves it), each text with
 * markup a renderer must escape.
 */
static cJSON *document_marked(void)
{
	cJSON *doc = document();
	cJSON *n1 = (cJSON *)doc_find_record(doc, "N1");
	cJSON *g1 = (cJSON *)doc_find_record(doc, "G1");
	cJSON *prep = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "phases"), 0);
	cJSON *extra = cJSON_Parse(
	    "{\"struck\": {\"seq\": 5, \"at\": \"t\","
	    "  \"reason\": \"<i>wrong</i> *x*\"},"
	    " \"corrected\": {\"seq\": 6, \"at\": \"t\","
	    "  \"reason\": \"typo & more\", \"original\": \"Back "
	    "<u>late</u>\"},"
	    " \"tags\": [\"strength\", \"observation\"],"
	    " \"reflection\": {\"id\": \"reflection\","
	    "  \"label\": \"Reflection\", \"kind\": \"reflection\","
	    "  \"met\": false, \"have\": 2, \"need\": 6,"
	    "  \"message\": \"2 of 6 stages\", \"statements\": ["
	    "   {\"seq\": 7, \"at\": \"t\", \"stage\": \"description\","
	    "    \"text\": \"I met <b>her</b>\"},"
	    "   {\"seq\": 8, \"at\": \"t\", \"stage\": \"action-plan\","
	    "    \"text\": \"Ask *first*\"}]},"
	    " \"notes\": {\"preparation\":"
	    "  \"Look for <em>the gaps</em> & Maya\"}}");

	assert_non_null(extra);
	assert_non_null(n1);
	cJSON_AddItemToObject(n1, "struck",
			      cJSON_DetachItemFromObject(extra, "struck"));
	cJSON_AddItemToObject(n1, "tags",
			      cJSON_DetachItemFromObject(extra, "tags"));
	cJSON_AddItemToObject(g1, "corrected",
			      cJSON_DetachItemFromObject(extra, "corrected"));
	cJSON_AddItemToArray(cJSON_GetObjectItem(prep, "checkpoints"),
			     cJSON_DetachItemFromObject(extra, "reflection"));
	cJSON_AddItemToObject(cJSON_GetObjectItem(doc, "case"),
			      "instructor_notes",
			      cJSON_DetachItemFromObject(extra, "notes"));
	cJSON_Delete(extra);
	return doc;
}

static void test_markdown_marks(void **state)
{
	cJSON *doc = document_marked();
	capture c;
	char *text;

	(void)state;
	start(&c);
	render_markdown(c.f, doc);
	text = done(&c);
	assert_non_null(strstr(text, "- N1 (strength, observation): ~~"));
	assert_non_null(strstr(text, "<br>next~~ **(struck: \\<i\\>wrong"
				     "\\</i\\> \\*x\\*)**\n"));
	assert_non_null(strstr(text, "| G1 Back, \"on time\" *(corrected: "
				     "typo & more; was: Back \\<u\\>late"
				     "\\</u\\>)* |"));
	assert_non_null(strstr(text, "- [ ] Reflection (`reflection`): 2 of 6 "
				     "stages\n  - *Description:* I met "
				     "\\<b\\>her\\</b\\>\n  - *Action plan:* "
				     "Ask \\*first\\*\n"));
	assert_non_null(strstr(text, "**What the case's author looked for:** "
				     "Look for \\<em\\>the gaps\\</em\\> & "
				     "Maya\n"));
	assert_null(strstr(text, "<i>"));
	free(text);
	/* a document built without --full has no note to show */
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(doc, "case"),
				   "instructor_notes");
	start(&c);
	render_markdown(c.f, doc);
	text = done(&c);
	assert_null(strstr(text, "looked for"));
	free(text);
	cJSON_Delete(doc);
}

static void test_html_marks(void **state)
{
	cJSON *doc = document_marked();
	capture c;
	char *text;

	(void)state;
	start(&c);
	render_html_session(c.f, doc, 0, 0);
	text = done(&c);
	assert_non_null(strstr(text, "<span class=\"tag\">strength, "
				     "observation</span> <del>"));
	assert_non_null(strstr(text, "next</del> <span class=\"mark\">"
				     "(struck: &lt;i&gt;wrong&lt;/i&gt; *x*)"
				     "</span>"));
	assert_non_null(strstr(text, "<span class=\"mark\">(corrected: typo "
				     "&amp; more; was: Back &lt;u&gt;late"
				     "&lt;/u&gt;)</span>"));
	assert_non_null(strstr(text, "<dt>Description</dt><dd>I met &lt;b&gt;"
				     "her&lt;/b&gt;</dd>\n<dt>Action plan</dt>"
				     "<dd>Ask *first*</dd>\n</dl>\n</li>"));
	assert_non_null(strstr(text, "<div class=\"instructor-note\"><strong>"
				     "What the case&#39;s author looked for:"
				     "</strong> Look for &lt;em&gt;the gaps"
				     "&lt;/em&gt; &amp; Maya</div>"));
	assert_null(strstr(text, "<i>"));
	free(text);
	/* redacted, the note and the marks lose the alias too */
	cw_export_redact(doc);
	start(&c);
	render_html_session(c.f, doc, 0, 0);
	text = done(&c);
	assert_null(strstr(text, "Maya"));
	assert_non_null(strstr(text, "&amp; [client]</div>"));
	free(text);
	cJSON_Delete(doc);
}

static void test_doc_lookups(void **state)
{
	cJSON *doc = document();
	char buf[32];

	(void)state;
	assert_string_equal(doc_phase_title(doc, "assessment"), "Assessment");
	/* an id the document lacks is shown as itself */
	assert_string_equal(doc_phase_title(doc, "unknown"), "unknown");
	assert_string_equal(str(doc_find_record(doc, "E1"), "text"), "8 of 10");
	assert_string_equal(str(doc_find_record(doc, "N1"), "tag"), "strength");
	assert_null(doc_find_record(doc, "N9"));
	assert_string_equal(doc_record_kind("N1", doc_find_record(doc, "N1")),
			    "strength");
	assert_string_equal(doc_record_kind("G1", NULL), "goal");
	assert_string_equal(doc_record_kind("X1", NULL), "record");
	doc_record_kinds(buf, sizeof(buf), "G1", doc_find_record(doc, "G1"));
	assert_string_equal(buf, "goal");
	doc_stage_title(buf, sizeof(buf), "action-plan");
	assert_string_equal(buf, "Action plan");
	assert_string_equal(doc_goal_of(doc, "I1"), "G1");
	assert_string_equal(doc_goal_of(doc, "I9"), "");
	doc_duration(buf, sizeof(buf), -3);
	assert_string_equal(buf, "0 s");
	doc_duration(buf, sizeof(buf), 59.4);
	assert_string_equal(buf, "59 s");
	doc_duration(buf, sizeof(buf), 200);
	assert_string_equal(buf, "3 min");
	doc_duration(buf, sizeof(buf), 3600 + 5 * 60 + 40);
	assert_string_equal(buf, "1 h 06 min");
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_markdown_escapes),
	    cmocka_unit_test(test_markdown_redacted),
	    cmocka_unit_test(test_html_escapes),
	    cmocka_unit_test(test_html_ids_are_unique),
	    cmocka_unit_test(test_markdown_marks),
	    cmocka_unit_test(test_html_marks),
	    cmocka_unit_test(test_csv_goal_rows),
	    cmocka_unit_test(test_csv_report_numbers),
	    cmocka_unit_test(test_doc_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
