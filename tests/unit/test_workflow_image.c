/*
 * test_workflow_image.c - the compiled image of a workflow: every shipped
 * workflow and fixture comes back from its image equal field by field, and
 * an image cut short, damaged or foreign fails with CW_ERROR and a message
 * (run under ASan too: each image is read from a buffer of its exact size,
 * so a read past its end is caught).
 */
#include <dirent.h>

#include "helpers.h"
#include "workflow_image.h"

/* Offsets of the documented format (workflow_image.h), for crafted images. */
#define HEADER_SIZE 72
#define PHASE_SIZE  32

/* A workflow with every optional part: no description, helps and none,
 * a tag, choice options, coverage, revisits and a rubric. */
static const char full[] =
    "{\"id\":\"full\",\"version\":7,\"title\":\"Full \xc3\xa9t\xc3\xa9\","
    "\"phases\":["
    "{\"id\":\"a\",\"title\":\"A\",\"purpose\":\"P\",\"tasks\":[\"t1\","
    "\"t2\"],\"questions\":[\"q\"],\"checkpoints\":["
    "{\"id\":\"c1\",\"label\":\"L\",\"kind\":\"confirm\",\"min_chars\":5},"
    "{\"id\":\"c2\",\"label\":\"L\",\"help\":\"H\",\"kind\":\"count\","
    "\"record\":\"note\",\"tag\":\"exploration\",\"min\":2}],"
    "\"rubric\":[{\"id\":\"r\",\"label\":\"R\",\"levels\":[\"1\",\"2\","
    "\"3\",\"4\"]}]},"
    "{\"id\":\"b\",\"title\":\"B\",\"purpose\":\"P\",\"tasks\":[\"t\"],"
    "\"questions\":[\"q1\",\"q2\"],\"revisit\":[\"a\"],\"checkpoints\":["
    "{\"id\":\"c3\",\"label\":\"L\",\"kind\":\"choice\",\"min_chars\":9,"
    "\"options\":[\"low\",\"medium\",\"high\"]},"
    "{\"id\":\"c4\",\"label\":\"L\",\"kind\":\"coverage\","
    "\"record\":\"evaluation\"}]},"
    "{\"id\":\"c\",\"title\":\"C\",\"purpose\":\"P\",\"tasks\":[\"t\"],"
    "\"questions\":[\"q\"],\"revisit\":[\"b\",\"a\"],\"checkpoints\":[]}"
    "]}";

static void same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void same_strings(const char **a, const char **b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		same_string(a[i], b[i]);
}

/* `b` equals `a` field by field. */
static void same_workflow(const cw_workflow *a, const cw_workflow *b)
{
	same_string(a->id, b->id);
	assert_int_equal(a->version, b->version);
	same_string(a->title, b->title);
	same_string(a->description, b->description);
	assert_int_equal(a->tag_count, b->tag_count);
	for (size_t i = 0; i < a->tag_count; i++) {
		same_string(a->tags[i].id, b->tags[i].id);
		same_string(a->tags[i].label, b->tags[i].label);
	}
	assert_int_equal(a->phase_count, b->phase_count);
	for (size_t i = 0; i < a->phase_count; i++) {
		const cw_phase *p = &a->phases[i], *q = &b->phases[i];

		same_string(p->id, q->id);
		same_string(p->title, q->title);
		same_string(p->purpose, q->purpose);
		assert_int_equal(p->task_count, q->task_count);
		same_strings(p->tasks, q->tasks, p->task_count);
		assert_int_equal(p->question_count, q->question_count);
		same_strings(p->questions, q->questions, p->question_count);
		assert_int_equal(p->revisit_count, q->revisit_count);
		for (size_t k = 0; k < p->revisit_count; k++)
			assert_int_equal(p->revisit[k], q->revisit[k]);
		assert_int_equal(p->checkpoint_count, q->checkpoint_count);
		for (size_t k = 0; k < p->checkpoint_count; k++) {
			const cw_checkpoint *c = &p->checkpoints[k];
			const cw_checkpoint *d = &q->checkpoints[k];

			same_string(c->id, d->id);
			same_string(c->label, d->label);
			same_string(c->help, d->help);
			assert_int_equal(c->kind, d->kind);
			assert_int_equal(c->record, d->record);
			same_string(c->tag, d->tag);
			assert_int_equal(c->min, d->min);
			assert_int_equal(c->min_chars, d->min_chars);
			assert_int_equal(c->option_count, d->option_count);
			same_strings(c->options, d->options, c->option_count);
		}
		assert_int_equal(p->rubric_count, q->rubric_count);
		for (size_t k = 0; k < p->rubric_count; k++) {
			same_string(p->rubric[k].id, q->rubric[k].id);
			same_string(p->rubric[k].label, q->rubric[k].label);
			same_strings(p->rubric[k].levels, q->rubric[k].levels,
				     4);
		}
	}
}

/* Parse `text`, which must be valid; the caller frees the workflow. */
static cw_workflow *parse(const char *text, size_t len)
{
	cw_diags diags = CW_DIAGS_INIT;
	cw_workflow *wf = NULL;

	assert_int_equal(cw_workflow_parse(&wf, &diags, text, len), 0);
	cw_diags_free(&diags);
	return wf;
}

/* The image of `wf`; the caller frees it. */
static unsigned char *image_of(const cw_workflow *wf, size_t *len)
{
	void *image = NULL;

	assert_int_equal(workflow_image_write(&image, len, wf), 0);
	assert_non_null(image);
	return image;
}

/*
 * Read `len` bytes of `image` from a copy of exactly that size (so ASan
 * sees any read past it); returns the engine's code, and on success checks
 * that the workflow is usable and frees it.
 */
static int read_copy(const unsigned char *image, size_t len)
{
	unsigned char *copy = malloc(len ? len : 1);
	cw_workflow *wf = (cw_workflow *)copy; /* must be reset */
	int error;

	assert_non_null(copy);
	memcpy(copy, image, len);
	error = workflow_image_read(&wf, copy, len);
	if (error < 0) {
		assert_int_equal(error, CW_ERROR);
		assert_null(wf);
		assert_true(strncmp(cw_error_last(), "workflow image: ", 16) ==
			    0);
	} else {
		/* whatever a damaged image yields, the engine's look-ups
		 * find their way round it */
		assert_non_null(wf);
		for (size_t i = 0; i < wf->phase_count; i++) {
			const cw_phase *ph = &wf->phases[i];

			assert_int_equal(cw_workflow_phase_index(wf, ph->id),
					 (int)i);
			for (size_t k = 0; k < ph->revisit_count; k++)
				assert_true(ph->revisit[k] < i);
			for (size_t k = 0; k < ph->checkpoint_count; k++)
				assert_non_null(cw_workflow_checkpoint(
				    wf, ph->checkpoints[k].id, NULL));
		}
		cw_workflow_free(wf);
	}
	free(copy);
	return error;
}

/* Parse `text`, write its image, read it back, compare; and the image of
 * what was read is the same bytes again. */
static void round_trip(const char *text, size_t len)
{
	cw_workflow *wf = parse(text, len), *back = NULL;
	unsigned char *image, *again;
	size_t image_len, again_len;

	image = image_of(wf, &image_len);
	assert_int_equal(workflow_image_read(&back, image, image_len), 0);
	same_workflow(wf, back);
	assert_int_equal(cw_workflow_phase_index(back, wf->phases[0].id), 0);
	again = image_of(back, &again_len);
	assert_int_equal(again_len, image_len);
	assert_memory_equal(again, image, image_len);
	free(again);
	free(image);
	cw_workflow_free(back);
	cw_workflow_free(wf);
}

/* Round-trip every workflow file in `folder` that validates; the count. */
static int round_trip_folder(const char *folder)
{
	char dir[512], path[1024];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", top(), folder);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		cw_diags diags = CW_DIAGS_INIT;
		cw_workflow *wf = NULL;
		size_t len = 0;
		char *text;

		if (strlen(e->d_name) < 6 ||
		    strcmp(e->d_name + strlen(e->d_name) - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_all(path, &len);
		assert_non_null(text);
		if (cw_workflow_parse(&wf, &diags, text, len) == 0) {
			round_trip(text, len);
			n++;
		}
		cw_workflow_free(wf);
		cw_diags_free(&diags);
		free(text);
	}
	closedir(d);
	return n;
}

static void test_round_trip_shipped(void **state)
{
	(void)state;
	assert_int_equal(round_trip_folder("examples/workflows"), 2);
}

static void test_round_trip_fixtures(void **state)
{
	(void)state;
	assert_true(round_trip_folder("tests/fixtures/workflows") >= 1);
}

static void test_round_trip_every_part(void **state)
{
	cw_workflow *wf;
	size_t len;
	char *text;

	(void)state;
	round_trip(full, strlen(full));
	wf = parse(full, strlen(full));
	assert_null(wf->description);
	assert_null(wf->phases[0].checkpoints[0].help);
	cw_workflow_free(wf);
	text = (char *)cw_workflow_standard_text(&len);
	round_trip(text, len);
	/* the standard workflow's note tags survive the image */
	wf = parse(text, len);
	assert_int_equal(wf->tag_count, 5);
	assert_string_equal(wf->tags[3].id, "risk");
	cw_workflow_free(wf);
}

/* The standard workflow's image, and where its string table starts. */
static unsigned char *standard_image(size_t *len, size_t *strings)
{
	size_t text_len;
	const char *text = cw_workflow_standard_text(&text_len);
	cw_workflow *wf = parse(text, text_len);
	unsigned char *image = image_of(wf, len);

	cw_workflow_free(wf);
	*strings = *len - ((size_t)image[44] | (size_t)image[45] << 8 |
			   (size_t)image[46] << 16 | (size_t)image[47] << 24);
	return image;
}

static void test_every_truncation_fails(void **state)
{
	size_t len, strings;
	unsigned char *image = standard_image(&len, &strings);

	(void)state;
	for (size_t n = 0; n < len; n++)
		assert_int_equal(read_copy(image, n), CW_ERROR);
	assert_int_equal(read_copy(image, len), 0);
	free(image);
}

static void test_flipped_bytes_fail(void **state)
{
	static const unsigned char masks[] = {0x01, 0xff};
	size_t len, strings;
	unsigned char *image = standard_image(&len, &strings);

	(void)state;
	/* any one damaged byte: the checksum sees it */
	for (size_t i = 0; i < len; i++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			image[i] ^= masks[m];
			assert_int_equal(read_copy(image, len), CW_ERROR);
			image[i] ^= masks[m];
		}
	}
	free(image);
}

static void test_flipped_bytes_behind_the_checksum(void **state)
{
	static const unsigned char masks[] = {0x01, 0x02, 0x10, 0x80, 0xff};
	size_t len, strings;
	unsigned char *image = standard_image(&len, &strings);
	unsigned char *copy = malloc(len);
	unsigned seed = 20240601;

	(void)state;
	assert_non_null(copy);
	/* every byte of the header and records, resealed, so that the
	 * checks behind the checksum are what stands between it and harm;
	 * the string table every 5th byte */
	for (size_t i = 0; i < len; i += i < strings ? 1 : 5) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			memcpy(copy, image, len);
			copy[i] ^= masks[m];
			workflow_image_seal(copy, len);
			read_copy(copy, len);
		}
	}
	/* and a few bytes at a time, anywhere */
	for (int round = 0; round < 3000; round++) {
		int flips = 1 + (int)((seed = seed * 1103515245 + 12345) % 4);

		memcpy(copy, image, len);
		for (int f = 0; f < flips; f++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % len] ^= (unsigned char)(seed >> 3);
		}
		workflow_image_seal(copy, len);
		read_copy(copy, len);
	}
	free(copy);
	free(image);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Set the word at `at` of a copy of `image`, reseal, read: the message. */
static void expect_refused(const unsigned char *image, size_t len, size_t at,
			   uint32_t value, const char *words)
{
	unsigned char *copy = malloc(len);

	assert_non_null(copy);
	memcpy(copy, image, len);
	put32(copy + at, value);
	workflow_image_seal(copy, len);
	assert_int_equal(read_copy(copy, len), CW_ERROR);
	if (strstr(cw_error_last(), words) == NULL)
		fail_msg("'%s' does not say '%s'", cw_error_last(), words);
	free(copy);
}

static void test_crafted_images_refused(void **state)
{
	cw_workflow *wf = parse(full, strlen(full));
	size_t len;
	unsigned char *image = image_of(wf, &len);
	size_t cps = HEADER_SIZE + 3 * PHASE_SIZE; /* first checkpoint */

	(void)state;
	cw_workflow_free(wf);
	/* the formats before note tags and before criterion weights:
	 * recompiled from JSON, never read */
	expect_refused(image, len, 8, 1, "format version 1");
	/* the format before reflection stages */
	expect_refused(image, len, 8, 2, "format version 2");
	expect_refused(image, len, 8, 4, "format version 4");
	expect_refused(image, len, 64, 0x7fffffff, "tags do not fit");
	expect_refused(image, len, 12, (uint32_t)len + 1, "truncated");
	expect_refused(image, len, 24, 0xffffffff, "counts make");
	expect_refused(image, len, 28, 0x7fffffff, "counts make");
	expect_refused(image, len, 52, 0, "version 0");
	expect_refused(image, len, HEADER_SIZE, 0x7fffffff, "string table");
	expect_refused(image, len, HEADER_SIZE, 0xffffffff, "id is missing");
	/* phase a takes more tasks, so the others' lists run out */
	expect_refused(image, len, HEADER_SIZE + 12, 5, "run past");
	/* phase b takes two revisits, the second (phase c's) is itself */
	expect_refused(image, len, HEADER_SIZE + PHASE_SIZE + 20, 2,
		       "not an earlier one");
	expect_refused(image, len, cps + 12, 9, "out of range");
	expect_refused(image, len, cps + 16, CW_RECORD_KIND_COUNT,
		       "out of range");
	/* a confirm checkpoint with options */
	expect_refused(image, len, cps + 32, 2, "options");
	/* the count checkpoint c2 of 0 */
	expect_refused(image, len, cps + 36 + 24, 0, "out of range");
	/* c2's id made c1's: twice */
	{
		unsigned char *copy = malloc(len);

		assert_non_null(copy);
		memcpy(copy, image, len);
		memcpy(copy + cps + 36, copy + cps, 4);
		workflow_image_seal(copy, len);
		assert_int_equal(read_copy(copy, len), CW_ERROR);
		assert_non_null(strstr(cw_error_last(), "used twice"));
		free(copy);
	}
	free(image);
}

static void test_foreign_input_refused(void **state)
{
	size_t len;
	const char *text = cw_workflow_standard_text(&len);
	cw_workflow *wf = NULL;

	(void)state;
	assert_int_equal(workflow_image_read(&wf, text, len), CW_ERROR);
	assert_null(wf);
	assert_non_null(strstr(cw_error_last(), "not a workflow image"));
	assert_int_equal(workflow_image_read(&wf, NULL, 0), CW_ERROR);
	assert_int_equal(read_copy((const unsigned char *)"", 0), CW_ERROR);
}

static void test_free_null(void **state)
{
	(void)state;
	cw_workflow_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip_shipped),
	    cmocka_unit_test(test_round_trip_fixtures),
	    cmocka_unit_test(test_round_trip_every_part),
	    cmocka_unit_test(test_every_truncation_fails),
	    cmocka_unit_test(test_flipped_bytes_fail),
	    cmocka_unit_test(test_flipped_bytes_behind_the_checksum),
	    cmocka_unit_test(test_crafted_images_refused),
	    cmocka_unit_test(test_foreign_input_refused),
	    cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
