/*
 * test_workflow.c - workflow definitions: the standard workflow matches the
 * table in DESIGN.md, the look-ups work, and every validation rule names
 * the JSON path and the rule of what is wrong.
 */
#include <dirent.h>

#include "helpers.h"

/* A phase with everything it needs but its checkpoints (and extras). */
#define PH(ID, REST)                                                        \
	"{\"id\":\"" ID "\",\"title\":\"T\",\"purpose\":\"P\","           \
	"\"tasks\":[\"t\"],\"questions\":[\"q\"]," REST "}"
/* Checkpoints of each kind, valid. */
#define CONFIRM(ID)                                                         \
	"{\"id\":\"" ID "\",\"label\":\"L\",\"kind\":\"confirm\","          \
	"\"min_chars\":20}"
#define CPS(...) "\"checkpoints\":[" __VA_ARGS__ "]"
/* A workflow around the given phases. */
#define WF(...)                                                             \
	"{\"id\":\"mini\",\"version\":1,\"title\":\"Mini\",\"phases\":["   \
	__VA_ARGS__ "]}"

/* The diags of parsing `text`, which must fail with CW_ESCHEMA. */
static cw_diags parse_bad(const char *text)
{
	cw_diags diags = CW_DIAGS_INIT;
	cw_workflow *wf = (cw_workflow *)&diags; /* must be reset to NULL */

	assert_int_equal(cw_workflow_parse(&wf, &diags, text, strlen(text)),
			 CW_ESCHEMA);
	assert_null(wf);
	assert_true(diags.count > 0);
	return diags;
}

/* The diag at `path` with rule `code`, or NULL. */
static const cw_diag *find_diag(const cw_diags *diags, const char *path,
				const char *code)
{
	for (size_t i = 0; i < diags->count; i++)
		if (strcmp(diags->items[i].path, path) == 0 &&
		    strcmp(diags->items[i].code, code) == 0)
			return &diags->items[i];
	return NULL;
}

/*
 * `text` fails with exactly one problem: at `path`, rule `code`, with
 * `words` in its message; and the last error names the path.
 */
static void expect_one(const char *text, const char *path, const char *code,
		       const char *words)
{
	cw_diags diags = parse_bad(text);

	if (diags.count != 1)
		for (size_t i = 0; i < diags.count; i++)
			print_message("diag %zu: %s %s %s\n", i,
				      diags.items[i].path, diags.items[i].code,
				      diags.items[i].message);
	assert_int_equal(diags.count, 1);
	if (strstr(diags.items[0].message, words) == NULL)
		print_message("message \"%s\" lacks \"%s\"\n",
			      diags.items[0].message, words);
	assert_string_equal(diags.items[0].path, path);
	assert_string_equal(diags.items[0].code, code);
	assert_non_null(strstr(diags.items[0].message, words));
	assert_int_equal(strncmp(cw_error_last(), path, strlen(path)), 0);
	assert_non_null(strstr(cw_error_last(), words));
	cw_diags_free(&diags);
}

static cw_workflow *parse_ok(const char *text, size_t len)
{
	cw_diags diags = CW_DIAGS_INIT;
	cw_workflow *wf = NULL;

	assert_int_equal(cw_workflow_parse(&wf, &diags, text, len), 0);
	assert_int_equal(diags.count, 0);
	assert_non_null(wf);
	return wf;
}

static cw_workflow *standard(void)
{
	size_t len = 0;
	const char *text = cw_workflow_standard_text(&len);

	assert_non_null(text);
	assert_true(len > 0);
	return parse_ok(text, len);
}

/* ---- the standard workflow ---------------------------------------- */

static void test_standard_is_the_shipped_file(void **state)
{
	char path[512];
	size_t len = 0, file_len = 0;
	const char *text = cw_workflow_standard_text(&len);
	char *file;

	(void)state;
	snprintf(path, sizeof(path), "%s/examples/workflows/standard.json",
		 top());
	file = read_all(path, &file_len);
	assert_non_null(file);
	assert_int_equal(len, file_len);
	assert_memory_equal(text, file, len);
	free(file);
}

static void test_standard_header_and_phases(void **state)
{
	static const char *const ids[] = { "preparation", "introduction",
		"exploration", "assessment", "goal-setting", "intervention",
		"evaluation", "termination" };
	cw_workflow *wf = standard();

	(void)state;
	assert_string_equal(wf->id, "standard");
	/* 2: termination asks for a reflection; sessions on 1 keep 1 */
	assert_int_equal(wf->version, 2);
	assert_non_null(wf->title);
	assert_int_equal(wf->phase_count, 8);
	for (size_t i = 0; i < 8; i++) {
		const cw_phase *ph = &wf->phases[i];

		assert_string_equal(ph->id, ids[i]);
		assert_non_null(ph->title);
		assert_true(strlen(ph->purpose) > 0);
		/* every phase has guidance: tasks and suggested questions */
		assert_true(ph->task_count > 0);
		assert_true(ph->question_count > 0);
		for (size_t k = 0; k < ph->task_count; k++)
			assert_true(strlen(ph->tasks[k]) > 0);
		for (size_t k = 0; k < ph->question_count; k++)
			assert_true(strlen(ph->questions[k]) > 0);
		assert_int_equal(cw_workflow_phase_index(wf, ids[i]), (int)i);
	}
	cw_workflow_free(wf);
}

/* One row of DESIGN.md's table. */
typedef struct expected_checkpoint {
	const char *phase;
	const char *id;
	cw_checkpoint_kind kind;
	cw_record_kind record; /* count, coverage */
	const char *tag;       /* count */
	int min;               /* count */
	int min_chars;         /* confirm, choice */
} expected_checkpoint;

static const expected_checkpoint table[] = {
	{ "preparation", "case-file-reviewed", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "preparation", "objectives", CW_CHECKPOINT_COUNT, CW_RECORD_OBJECTIVE, NULL, 1, 0 },
	{ "preparation", "environment-arranged", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "introduction", "introduced-self", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "introduction", "purpose-explained", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "introduction", "confidentiality-explained", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "exploration", "exploration-notes", CW_CHECKPOINT_COUNT, CW_RECORD_NOTE, "exploration", 3, 0 },
	{ "exploration", "strengths", CW_CHECKPOINT_COUNT, CW_RECORD_NOTE, "strength", 1, 0 },
	{ "assessment", "needs", CW_CHECKPOINT_COUNT, CW_RECORD_NOTE, "need", 1, 0 },
	{ "assessment", "risk-level", CW_CHECKPOINT_CHOICE, 0, NULL, 0, 20 },
	{ "goal-setting", "goals", CW_CHECKPOINT_COUNT, CW_RECORD_GOAL, NULL, 1, 0 },
	{ "goal-setting", "goals-agreed", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "intervention", "goals-covered", CW_CHECKPOINT_COVERAGE, CW_RECORD_INTERVENTION, NULL, 0, 0 },
	{ "evaluation", "goals-evaluated", CW_CHECKPOINT_COVERAGE, CW_RECORD_EVALUATION, NULL, 0, 0 },
	{ "termination", "progress-reviewed", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "termination", "next-steps", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "termination", "closing-summary", CW_CHECKPOINT_CONFIRM, 0, NULL, 0, 20 },
	{ "termination", "reflection", CW_CHECKPOINT_REFLECTION, 0, NULL, 0, 40 },
};

#define TABLE_ROWS (sizeof(table) / sizeof(table[0]))

static void test_standard_checkpoints_match_the_design(void **state)
{
	cw_workflow *wf = standard();
	size_t row = 0, total = 0;

	(void)state;
	/* in the table's order, phase by phase, and nothing more */
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];

		for (size_t k = 0; k < ph->checkpoint_count; k++, row++) {
			const cw_checkpoint *cp = &ph->checkpoints[k];
			const expected_checkpoint *e;

			assert_true(row < TABLE_ROWS);
			e = &table[row];
			assert_string_equal(ph->id, e->phase);
			assert_string_equal(cp->id, e->id);
			assert_int_equal(cp->kind, e->kind);
			assert_true(strlen(cp->label) > 0);
			switch (e->kind) {
			case CW_CHECKPOINT_COUNT:
				assert_int_equal(cp->record, e->record);
				assert_int_equal(cp->min, e->min);
				if (e->tag == NULL)
					assert_null(cp->tag);
				else
					assert_string_equal(cp->tag, e->tag);
				break;
			case CW_CHECKPOINT_COVERAGE:
				assert_int_equal(cp->record, e->record);
				assert_null(cp->tag);
				break;
			case CW_CHECKPOINT_CONFIRM:
			case CW_CHECKPOINT_CHOICE:
				assert_int_equal(cp->min_chars, e->min_chars);
				break;
			case CW_CHECKPOINT_REFLECTION:
				assert_int_equal(cp->min_chars, e->min_chars);
				/* Gibbs' six stages, each with guidance */
				assert_int_equal(cp->stage_count, 6);
				assert_string_equal(cp->stages[0], "description");
				assert_string_equal(cp->stages[5], "action-plan");
				for (size_t g = 0; g < cp->stage_count; g++)
					assert_true(cp->stage_help[g] != NULL &&
						    strlen(cp->stage_help[g]) > 40);
				break;
			case CW_CHECKPOINT_APPROVAL:
				/* no fields beyond id, label and help */
				assert_int_equal(cp->min_chars, 0);
				assert_int_equal(cp->stage_count, 0);
				break;
			}
			if (e->kind != CW_CHECKPOINT_CHOICE) {
				assert_null(cp->options);
				assert_int_equal(cp->option_count, 0);
			}
		}
		total += ph->checkpoint_count;
	}
	assert_int_equal(total, TABLE_ROWS);
	cw_workflow_free(wf);
}

static void test_standard_risk_level_options(void **state)
{
	cw_workflow *wf = standard();
	const cw_checkpoint *cp = cw_workflow_checkpoint(wf, "risk-level", NULL);

	(void)state;
	assert_non_null(cp);
	assert_int_equal(cp->kind, CW_CHECKPOINT_CHOICE);
	assert_int_equal(cp->option_count, 3);
	assert_string_equal(cp->options[0], "low");
	assert_string_equal(cp->options[1], "medium");
	assert_string_equal(cp->options[2], "high");
	cw_workflow_free(wf);
}

/* The phases that phase `id` may revisit, as "a,b" in the file's order. */
static void revisits(const cw_workflow *wf, const char *id, char *out,
		     size_t size)
{
	int i = cw_workflow_phase_index(wf, id);
	const cw_phase *ph;

	assert_true(i >= 0);
	ph = &wf->phases[i];
	out[0] = '\0';
	for (size_t k = 0; k < ph->revisit_count; k++) {
		assert_true(ph->revisit[k] < (size_t)i); /* only earlier */
		if (k > 0)
			strncat(out, ",", size - strlen(out) - 1);
		strncat(out, wf->phases[ph->revisit[k]].id,
			size - strlen(out) - 1);
	}
}

static void test_standard_revisit_rules(void **state)
{
	cw_workflow *wf = standard();
	char buf[128];

	(void)state;
	revisits(wf, "preparation", buf, sizeof(buf));
	assert_string_equal(buf, "");
	revisits(wf, "introduction", buf, sizeof(buf));
	assert_string_equal(buf, "");
	revisits(wf, "exploration", buf, sizeof(buf));
	assert_string_equal(buf, "");
	revisits(wf, "assessment", buf, sizeof(buf));
	assert_string_equal(buf, "exploration");
	revisits(wf, "goal-setting", buf, sizeof(buf));
	assert_string_equal(buf, "assessment");
	revisits(wf, "intervention", buf, sizeof(buf));
	assert_string_equal(buf, "goal-setting");
	/* DESIGN.md: intervention and goal-setting from evaluation */
	revisits(wf, "evaluation", buf, sizeof(buf));
	assert_true(strcmp(buf, "intervention,goal-setting") == 0 ||
		    strcmp(buf, "goal-setting,intervention") == 0);
	revisits(wf, "termination", buf, sizeof(buf));
	assert_string_equal(buf, "");
	cw_workflow_free(wf);
}

static void test_lookups(void **state)
{
	cw_workflow *wf = standard();
	const cw_checkpoint *cp;
	size_t ph = 99;

	(void)state;
	for (size_t row = 0; row < TABLE_ROWS; row++) {
		ph = 99;
		cp = cw_workflow_checkpoint(wf, table[row].id, &ph);
		assert_non_null(cp);
		assert_string_equal(cp->id, table[row].id);
		assert_int_equal(ph, cw_workflow_phase_index(wf, table[row].phase));
	}
	ph = 99;
	cp = cw_workflow_checkpoint(wf, "goals-covered", &ph);
	assert_int_equal(ph, 5);
	assert_int_equal(cp->kind, CW_CHECKPOINT_COVERAGE);
	/* unknown ids: NULL, and the out-parameter is left alone */
	ph = 42;
	assert_null(cw_workflow_checkpoint(wf, "no-such-checkpoint", &ph));
	assert_int_equal(ph, 42);
	assert_null(cw_workflow_checkpoint(wf, "Risk-Level", NULL));
	assert_null(cw_workflow_checkpoint(wf, "", NULL));

	assert_int_equal(cw_workflow_phase_index(wf, "preparation"), 0);
	assert_int_equal(cw_workflow_phase_index(wf, "goal-setting"), 4);
	assert_int_equal(cw_workflow_phase_index(wf, "termination"), 7);
	assert_int_equal(cw_workflow_phase_index(wf, "closed"), -1);
	assert_int_equal(cw_workflow_phase_index(wf, "Preparation"), -1);
	assert_int_equal(cw_workflow_phase_index(wf, "goal"), -1);
	assert_int_equal(cw_workflow_phase_index(wf, ""), -1);
	cw_workflow_free(wf);
	cw_workflow_free(NULL); /* a no-op */
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(cw_record_kind_name(CW_RECORD_NOTE), "note");
	assert_string_equal(cw_record_kind_name(CW_RECORD_OBJECTIVE), "objective");
	assert_string_equal(cw_record_kind_name(CW_RECORD_GOAL), "goal");
	assert_string_equal(cw_record_kind_name(CW_RECORD_INTERVENTION),
			    "intervention");
	assert_string_equal(cw_record_kind_name(CW_RECORD_EVALUATION),
			    "evaluation");
	assert_string_equal(cw_record_kind_name(CW_RECORD_REFERRAL), "referral");
	assert_string_equal(cw_record_kind_name(CW_RECORD_KIND_COUNT), "?");
	assert_string_equal(cw_checkpoint_kind_name(CW_CHECKPOINT_CONFIRM),
			    "confirm");
	assert_string_equal(cw_checkpoint_kind_name(CW_CHECKPOINT_COUNT), "count");
	assert_string_equal(cw_checkpoint_kind_name(CW_CHECKPOINT_COVERAGE),
			    "coverage");
	assert_string_equal(cw_checkpoint_kind_name(CW_CHECKPOINT_CHOICE), "choice");
}

/* ---- a workflow written only as JSON -------------------------------- */

static const char five_phases[] =
	"{\n"
	"  \"id\": \"brief-contact\", \"version\": 3,\n"
	"  \"title\": \"Brief contact\", \"description\": \"Five short phases\",\n"
	"  \"phases\": [\n"
	"    " PH("engage", "\"revisit\": [], " CPS(CONFIRM("met-client"))) ",\n"
	"    " PH("listen", "\"revisit\": [\"engage\"], " CPS(
		"{\"id\":\"heard\",\"label\":\"L\",\"help\":\"H\",\"kind\":\"count\","
		"\"record\":\"note\",\"tag\":\"heard\",\"min\":2},"
		"{\"id\":\"aims\",\"label\":\"L\",\"kind\":\"count\","
		"\"record\":\"objective\",\"min\":1}")) ",\n"
	"    " PH("decide", "\"revisit\": [\"listen\", \"engage\"], " CPS(
		"{\"id\":\"urgency\",\"label\":\"L\",\"kind\":\"choice\","
		"\"options\":[\"now\",\"soon\",\"later\",\"never\"],\"min_chars\":5},"
		"{\"id\":\"plan\",\"label\":\"L\",\"kind\":\"count\","
		"\"record\":\"goal\",\"min\":2}")) ",\n"
	"    " PH("act", CPS(
		"{\"id\":\"covered\",\"label\":\"L\",\"kind\":\"coverage\","
		"\"record\":\"intervention\"},"
		"{\"id\":\"referred\",\"label\":\"L\",\"kind\":\"count\","
		"\"record\":\"referral\",\"min\":1}")) ",\n"
	"    " PH("close", CPS(
		"{\"id\":\"reviewed\",\"label\":\"L\",\"kind\":\"coverage\","
		"\"record\":\"evaluation\"},"
		"{\"id\":\"said-goodbye\",\"label\":\"L\",\"kind\":\"confirm\","
		"\"min_chars\":1}")) "\n"
	"  ]\n"
	"}\n";

/* The note tags a workflow knows: those it lists, else its checkpoints'. */
static void test_note_tags(void **state)
{
	cw_workflow *wf = standard();
	char known[200];
	const char *listed =
	    "{\"id\":\"w\",\"version\":1,\"title\":\"W\","
	    "\"tags\":[{\"id\":\"heard\",\"label\":\"H\"},"
	    "{\"id\":\"%s\",\"label\":\"L\"}],\"phases\":["
	    PH("listen", CPS("{\"id\":\"heard\",\"label\":\"L\","
			     "\"kind\":\"count\",\"record\":\"note\","
			     "\"tag\":\"%s\",\"min\":2}")) "]}";
	char text[1200];

	(void)state;
	/* DESIGN: the standard note tags */
	cw_workflow_tags_text(known, sizeof(known), wf);
	assert_string_equal(known,
			    "exploration, strength, need, risk, observation");
	assert_true(cw_workflow_knows_tag(wf, "risk"));
	assert_false(cw_workflow_knows_tag(wf, "strenght"));
	assert_string_equal(cw_workflow_nearest_tag(wf, "strenght"),
			    "strength");
	assert_string_equal(cw_workflow_nearest_tag(wf, "needs"), "need");
	assert_null(cw_workflow_nearest_tag(wf, "zzz"));
	cw_workflow_free(wf);
	/* no tags listed: the tags its checkpoints name, each once */
	wf = parse_ok(five_phases, strlen(five_phases));
	assert_int_equal(wf->tag_count, 0);
	assert_true(cw_workflow_knows_tag(wf, "heard"));
	assert_false(cw_workflow_knows_tag(wf, "risk"));
	cw_workflow_tags_text(known, sizeof(known), wf);
	assert_string_equal(known, "heard");
	cw_workflow_free(wf);
	/* listed: a tag listed twice, a checkpoint's tag not listed */
	snprintf(text, sizeof(text), listed, "heard", "heard");
	expect_one(text, "$.tags[1].id", "duplicate-id", "listed twice");
	snprintf(text, sizeof(text), listed, "seen", "said");
	expect_one(text, "$.phases[0].checkpoints[0].tag", "unknown-tag",
		   "'said' is not in the workflow's tags");
	snprintf(text, sizeof(text), listed, "seen", "heard");
	wf = parse_ok(text, strlen(text));
	assert_true(cw_workflow_knows_tag(wf, "seen"));
	cw_workflow_free(wf);
}

static void test_five_phase_workflow(void **state)
{
	cw_workflow *wf = parse_ok(five_phases, sizeof(five_phases) - 1);
	const cw_checkpoint *cp;
	size_t ph = 0;

	(void)state;
	assert_string_equal(wf->id, "brief-contact");
	assert_int_equal(wf->version, 3);
	assert_string_equal(wf->title, "Brief contact");
	assert_string_equal(wf->description, "Five short phases");
	assert_int_equal(wf->phase_count, 5);
	assert_string_equal(wf->phases[4].id, "close");
	assert_int_equal(wf->phases[0].revisit_count, 0);
	assert_int_equal(wf->phases[1].revisit_count, 1);
	assert_int_equal(wf->phases[1].revisit[0], 0);
	assert_int_equal(wf->phases[2].revisit_count, 2);
	assert_int_equal(wf->phases[2].revisit[0], 1);
	assert_int_equal(wf->phases[2].revisit[1], 0);
	assert_int_equal(wf->phases[3].revisit_count, 0);
	assert_int_equal(wf->phases[0].task_count, 1);
	assert_string_equal(wf->phases[0].tasks[0], "t");
	assert_string_equal(wf->phases[0].questions[0], "q");

	cp = cw_workflow_checkpoint(wf, "heard", &ph);
	assert_int_equal(ph, 1);
	assert_int_equal(cp->kind, CW_CHECKPOINT_COUNT);
	assert_int_equal(cp->record, CW_RECORD_NOTE);
	assert_string_equal(cp->tag, "heard");
	assert_int_equal(cp->min, 2);
	assert_string_equal(cp->help, "H");
	cp = cw_workflow_checkpoint(wf, "aims", NULL);
	assert_null(cp->help);
	assert_null(cp->tag);
	cp = cw_workflow_checkpoint(wf, "urgency", &ph);
	assert_int_equal(ph, 2);
	assert_int_equal(cp->option_count, 4);
	assert_string_equal(cp->options[3], "never");
	assert_int_equal(cp->min_chars, 5);
	cp = cw_workflow_checkpoint(wf, "referred", &ph);
	assert_int_equal(ph, 3);
	assert_int_equal(cp->record, CW_RECORD_REFERRAL);
	cp = cw_workflow_checkpoint(wf, "reviewed", &ph);
	assert_int_equal(ph, 4);
	assert_int_equal(cp->kind, CW_CHECKPOINT_COVERAGE);
	assert_int_equal(cp->record, CW_RECORD_EVALUATION);
	assert_int_equal(cw_workflow_phase_index(wf, "decide"), 2);
	assert_int_equal(cw_workflow_phase_index(wf, "preparation"), -1);
	cw_workflow_free(wf);
}

static void test_every_example_workflow_parses(void **state)
{
	char dir[512], path[1024];
	DIR *d;
	struct dirent *e;
	int files = 0, saw_standard = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/examples/workflows", top());
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), len = 0;
		cw_diags diags = CW_DIAGS_INIT;
		cw_workflow *wf = NULL;
		char *text;
		int rc;

		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_all(path, &len);
		assert_non_null(text);
		rc = cw_workflow_parse(&wf, &diags, text, len);
		if (rc != 0)
			print_message("%s: %s\n", path, cw_error_last());
		assert_int_equal(rc, 0);
		assert_int_equal(diags.count, 0);
		assert_true(wf->phase_count > 0);
		if (strcmp(wf->id, "standard") == 0)
			saw_standard = 1;
		cw_workflow_free(wf);
		free(text);
		files++;
	}
	closedir(d);
	assert_true(files >= 1);
	assert_true(saw_standard);
}

/* ---- one test per rule ------------------------------------------------ */

static void test_not_json(void **state)
{
	(void)state;
	expect_one("hello", "$", "syntax", "line 1, column 1");
	/* a stray character on line 3: where it is */
	expect_one("{\n  \"id\": \"x\",\n  \"version\": @\n}", "$", "syntax",
		   "line 3, column 14");
	/* a second value after the first is not one document */
	expect_one("{} x", "$", "syntax", "line 1, column 4");
	/* nothing at all */
	expect_one("", "$", "syntax", "empty");
	expect_one(" \n\t\n", "$", "syntax", "empty");
}

static void test_stray_character_in_a_cut_file(void **state)
{
	(void)state;
	/* a file with a stray character that is also cut short: the first
	 * problem is the stray character, and that is where to look */
	expect_one("{\n  \"id\": \"x\",\n  \"version\": @,\n  \"title\": \"X\"\n",
		   "$", "syntax", "line 3, column 14");
}

static void test_truncated(void **state)
{
	(void)state;
	/* a file cut off in its third line says so, and where it ends */
	expect_one("{\n  \"id\": \"x\",\n  \"title\": \"Sh", "$", "syntax",
		   "ends too early");
	expect_one("{\n  \"id\": \"x\",\n  \"title\": \"Sh", "$", "syntax",
		   "line 3, column");
	/* cut right after a line break: the end is line 3, column 1 */
	expect_one("{\n  \"id\": \"x\",\n", "$", "syntax", "ends too early");
	expect_one("{\n  \"id\": \"x\",\n", "$", "syntax",
		   "line 3, column 1");
}

static void test_not_an_object(void **state)
{
	(void)state;
	expect_one("[1, 2]", "$", "wrong-type", "must be a JSON object");
	expect_one("\"standard\"", "$", "wrong-type", "must be a JSON object");
}

static void test_empty_phases(void **state)
{
	(void)state;
	expect_one("{\"id\":\"x\",\"version\":1,\"title\":\"X\",\"phases\":[]}",
		   "$.phases", "empty", "at least one phase");
}

static void test_missing_phases(void **state)
{
	(void)state;
	expect_one("{\"id\":\"x\",\"version\":1,\"title\":\"X\"}", "$.phases",
		   "missing-field", "'phases'");
	expect_one("{\"id\":\"x\",\"version\":1,\"title\":\"X\",\"phases\":{}}",
		   "$.phases", "wrong-type", "expected an array");
}

static void test_phase_without_id(void **state)
{
	(void)state;
	expect_one(WF("{\"title\":\"T\",\"purpose\":\"P\",\"tasks\":[\"t\"],"
		      "\"questions\":[\"q\"]," CPS(CONFIRM("c")) "}"),
		   "$.phases[0].id", "missing-field", "'id'");
}

static void test_malformed_phase_id(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS(CONFIRM("c"))) ","
		      PH("Goal_Setting", CPS(CONFIRM("d")))),
		   "$.phases[1].id", "bad-id", "'Goal_Setting'");
	expect_one(WF(PH("goal--setting", CPS(CONFIRM("c")))),
		   "$.phases[0].id", "bad-id", "not a valid id");
	expect_one(WF(PH("-goal", CPS(CONFIRM("c")))), "$.phases[0].id",
		   "bad-id", "not a valid id");
}

static void test_duplicate_phase_id(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS(CONFIRM("c"))) "," PH("b", CPS(CONFIRM("d")))
		      "," PH("a", CPS(CONFIRM("e")))),
		   "$.phases[2].id", "duplicate-id", "'a'");
}

static void test_duplicate_checkpoint_id(void **state)
{
	(void)state;
	/* across phases: `casework check ID` names one without its phase */
	expect_one(WF(PH("a", CPS(CONFIRM("c"))) ","
		      PH("b", CPS(CONFIRM("d") "," CONFIRM("c")))),
		   "$.phases[1].checkpoints[1].id", "duplicate-id", "'c'");
	/* and within one phase */
	expect_one(WF(PH("a", CPS(CONFIRM("c") "," CONFIRM("c")))),
		   "$.phases[0].checkpoints[1].id", "duplicate-id", "'c'");
}

static void test_revisit_not_earlier(void **state)
{
	(void)state;
	expect_one(WF(PH("a", "\"revisit\":[\"b\"]," CPS(CONFIRM("c"))) ","
		      PH("b", CPS(CONFIRM("d")))),
		   "$.phases[0].revisit[0]", "revisit-not-earlier", "'b'");
	/* a phase is not earlier than itself */
	expect_one(WF(PH("a", CPS(CONFIRM("c"))) ","
		      PH("b", "\"revisit\":[\"a\",\"b\"]," CPS(CONFIRM("d")))),
		   "$.phases[1].revisit[1]", "revisit-not-earlier",
		   "earlier phase");
}

static void test_revisit_unknown_phase(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS(CONFIRM("c"))) ","
		      PH("b", "\"revisit\":[\"a\",\"nowhere\"]," CPS(CONFIRM("d")))),
		   "$.phases[1].revisit[1]", "unknown-phase", "'nowhere'");
	expect_one(WF(PH("a", CPS(CONFIRM("c"))) ","
		      PH("b", "\"revisit\":[1]," CPS(CONFIRM("d")))),
		   "$.phases[1].revisit[0]", "wrong-type", "phase id");
}

static void test_unknown_kind(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"signature\"}"))),
		   "$.phases[0].checkpoints[0].kind", "unknown-kind",
		   "'signature'");
}

static void test_unknown_record(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"count\",\"record\":\"hug\","
				  "\"min\":1}"))),
		   "$.phases[0].checkpoints[0].record", "unknown-record",
		   "'hug'");
}

static void test_count_without_min(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS(CONFIRM("b") ",{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"count\",\"record\":\"goal\"}"))),
		   "$.phases[0].checkpoints[1].min", "missing-field", "'min'");
}

static void test_count_with_min_zero(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"count\",\"record\":\"goal\","
				  "\"min\":0}"))),
		   "$.phases[0].checkpoints[0].min", "out-of-range",
		   "out of range");
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"count\",\"record\":\"goal\","
				  "\"min\":1.5}"))),
		   "$.phases[0].checkpoints[0].min", "wrong-type",
		   "an integer");
}

static void test_tag_on_non_note_count(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"count\",\"record\":\"objective\","
				  "\"tag\":\"need\",\"min\":1}"))),
		   "$.phases[0].checkpoints[0].tag", "tag-not-note",
		   "count of notes");
}

static void test_coverage_of_goals(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"coverage\",\"record\":\"goal\"}"))),
		   "$.phases[0].checkpoints[0].record", "bad-coverage", "'goal'");
}

static void test_choice_without_options(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"choice\",\"min_chars\":20}"))),
		   "$.phases[0].checkpoints[0].options", "missing-field",
		   "'options'");
}

static void test_choice_with_one_option(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"choice\",\"options\":[\"low\"],"
				  "\"min_chars\":20}"))),
		   "$.phases[0].checkpoints[0].options", "too-few-options",
		   "at least two");
}

static void test_duplicate_option(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"choice\","
				  "\"options\":[\"low\",\"high\",\"low\"],"
				  "\"min_chars\":20}"))),
		   "$.phases[0].checkpoints[0].options[2]", "duplicate-option",
		   "'low'");
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"choice\","
				  "\"options\":[\"low\",\"Very High\"],"
				  "\"min_chars\":20}"))),
		   "$.phases[0].checkpoints[0].options[1]", "bad-id", "option");
}

static void test_field_not_allowed(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"confirm\",\"min_chars\":20,"
				  "\"options\":[\"a\",\"b\"]}"))),
		   "$.phases[0].checkpoints[0].options", "field-not-allowed",
		   "'options'");
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"confirm\",\"min_chars\":20,"
				  "\"min\":2}"))),
		   "$.phases[0].checkpoints[0].min", "field-not-allowed",
		   "'min'");
}

static void test_confirm_without_min_chars(void **state)
{
	(void)state;
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"confirm\"}"))),
		   "$.phases[0].checkpoints[0].min_chars", "missing-field",
		   "'min_chars'");
}

static void test_unknown_field(void **state)
{
	(void)state;
	expect_one(WF(PH("a", "\"colour\":\"red\"," CPS(CONFIRM("c")))),
		   "$.phases[0].colour", "unknown-field", "'colour'");
	expect_one("{\"id\":\"x\",\"version\":1,\"title\":\"X\",\"Author Name\":\"A\","
		   "\"phases\":[" PH("a", CPS(CONFIRM("c"))) "]}",
		   "$[\"Author Name\"]", "unknown-field", "'Author Name'");
	expect_one(WF(PH("a", CPS("{\"id\":\"c\",\"label\":\"L\","
				  "\"kind\":\"confirm\",\"min_chars\":20,"
				  "\"weight\":2}"))),
		   "$.phases[0].checkpoints[0].weight", "unknown-field",
		   "'weight'");
}

static void test_wrong_type(void **state)
{
	(void)state;
	expect_one("{\"id\":\"x\",\"version\":1,\"title\":5,\"phases\":["
		   PH("a", CPS(CONFIRM("c"))) "]}",
		   "$.title", "wrong-type", "expected a string, found a number");
	expect_one("{\"id\":\"x\",\"version\":\"1\",\"title\":\"X\",\"phases\":["
		   PH("a", CPS(CONFIRM("c"))) "]}",
		   "$.version", "wrong-type", "found a string");
	expect_one(WF(PH("a", "\"checkpoints\":{}")),
		   "$.phases[0].checkpoints", "wrong-type", "an array");
	expect_one(WF(PH("a", CPS("\"confirm\""))),
		   "$.phases[0].checkpoints[0]", "wrong-type", "an object");
}

static void test_several_errors_all_reported(void **state)
{
	cw_diags diags = parse_bad(
		"{\"id\":\"Standard\",\"version\":0,\"title\":\"X\",\"phases\":["
		PH("a", "\"revisit\":[\"b\"]," CPS(CONFIRM("c"))) ","
		PH("b", "\"extra\":1," CPS(
			"{\"id\":\"d\",\"label\":\"L\",\"kind\":\"nope\"},"
			"{\"id\":\"c\",\"label\":\"L\",\"kind\":\"count\","
			"\"record\":\"goal\",\"min\":0}")) "]}");

	(void)state;
	for (size_t i = 0; i < diags.count; i++)
		print_message("diag %zu: %s %s\n", i, diags.items[i].path,
			      diags.items[i].code);
	assert_int_equal(diags.count, 7);
	assert_non_null(find_diag(&diags, "$.id", "bad-id"));
	assert_non_null(find_diag(&diags, "$.version", "out-of-range"));
	assert_non_null(find_diag(&diags, "$.phases[0].revisit[0]",
				  "revisit-not-earlier"));
	assert_non_null(find_diag(&diags, "$.phases[1].extra", "unknown-field"));
	assert_non_null(find_diag(&diags, "$.phases[1].checkpoints[0].kind",
				  "unknown-kind"));
	assert_non_null(find_diag(&diags, "$.phases[1].checkpoints[1].min",
				  "out-of-range"));
	assert_non_null(find_diag(&diags, "$.phases[1].checkpoints[1].id",
				  "duplicate-id"));
	/* diags add up: a second file's problems follow the first's */
	{
		const char *again = "[]";
		cw_workflow *wf = NULL;

		assert_int_equal(cw_workflow_parse(&wf, &diags, again,
						   strlen(again)),
				 CW_ESCHEMA);
		assert_int_equal(diags.count, 8);
		assert_string_equal(diags.items[7].code, "wrong-type");
		/* the last error is this file's first problem */
		assert_non_null(strstr(cw_error_last(), "JSON object"));
	}
	cw_diags_free(&diags);
	assert_int_equal(diags.count, 0);
	cw_diags_free(&diags); /* twice is fine */
	cw_diags_free(NULL);
}

/* A rubric criterion with `levels` (a JSON array's inside). */
#define CRITERION(ID, LEVELS)                                               \
	"{\"id\":\"" ID "\",\"label\":\"L\",\"levels\":[" LEVELS "]}"
#define FOUR "\"1\",\"2\",\"3\",\"4\""

static void test_rubric(void **state)
{
	static const char good[] = WF(PH("a", CPS(CONFIRM("c")) ",\"rubric\":["
					  CRITERION("rapport", FOUR) ","
					  CRITERION("clarity", FOUR) "]"));
	cw_workflow *wf;

	(void)state;
	wf = parse_ok(good, strlen(good));
	assert_int_equal(wf->phases[0].rubric_count, 2);
	assert_string_equal(wf->phases[0].rubric[1].id, "clarity");
	assert_string_equal(wf->phases[0].rubric[0].levels[3], "4");
	assert_non_null(cw_phase_criterion(&wf->phases[0], "rapport"));
	assert_null(cw_phase_criterion(&wf->phases[0], "nope"));
	cw_workflow_free(wf);

	expect_one(WF(PH("a", CPS(CONFIRM("c")) ",\"rubric\":["
			 CRITERION("rapport", "\"1\",\"2\",\"3\"") "]")),
		   "$.phases[0].rubric[0].levels", "levels-not-four",
		   "exactly four levels");
	expect_one(WF(PH("a", CPS(CONFIRM("c")) ",\"rubric\":["
			 CRITERION("rapport", FOUR) ","
			 CRITERION("rapport", FOUR) "]")),
		   "$.phases[0].rubric[1].id", "duplicate-id", "used twice");
	expect_one(WF(PH("a", CPS(CONFIRM("c")) ",\"rubric\":[]")),
		   "$.phases[0].rubric", "empty", "at least one criterion");
}

static void test_standard_has_a_rubric_for_every_phase(void **state)
{
	cw_workflow *wf = standard();

	(void)state;
	for (size_t i = 0; i < wf->phase_count; i++) {
		assert_true(wf->phases[i].rubric_count >= 2);
		for (size_t k = 0; k < wf->phases[i].rubric_count; k++)
			for (int l = 0; l < 4; l++)
				assert_true(strlen(wf->phases[i].rubric[k].levels[l]) > 10);
	}
	cw_workflow_free(wf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_is_the_shipped_file),
		cmocka_unit_test(test_standard_header_and_phases),
		cmocka_unit_test(test_standard_checkpoints_match_the_design),
		cmocka_unit_test(test_standard_risk_level_options),
		cmocka_unit_test(test_standard_revisit_rules),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_five_phase_workflow),
		cmocka_unit_test(test_note_tags),
		cmocka_unit_test(test_every_example_workflow_parses),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_stray_character_in_a_cut_file),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_empty_phases),
		cmocka_unit_test(test_missing_phases),
		cmocka_unit_test(test_phase_without_id),
		cmocka_unit_test(test_malformed_phase_id),
		cmocka_unit_test(test_duplicate_phase_id),
		cmocka_unit_test(test_duplicate_checkpoint_id),
		cmocka_unit_test(test_revisit_not_earlier),
		cmocka_unit_test(test_revisit_unknown_phase),
		cmocka_unit_test(test_unknown_kind),
		cmocka_unit_test(test_unknown_record),
		cmocka_unit_test(test_count_without_min),
		cmocka_unit_test(test_count_with_min_zero),
		cmocka_unit_test(test_tag_on_non_note_count),
		cmocka_unit_test(test_coverage_of_goals),
		cmocka_unit_test(test_choice_without_options),
		cmocka_unit_test(test_choice_with_one_option),
		cmocka_unit_test(test_duplicate_option),
		cmocka_unit_test(test_field_not_allowed),
		cmocka_unit_test(test_confirm_without_min_chars),
		cmocka_unit_test(test_unknown_field),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_several_errors_all_reported),
		cmocka_unit_test(test_rubric),
		cmocka_unit_test(test_standard_has_a_rubric_for_every_phase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
