/*
 * test_catalog.c - the workflows a store holds: the standard one in every
 * new store; imports as immutable versions, each with its compiled image;
 * catalog_get parsing once per store, and falling back to the JSON when
 * an image is damaged or belongs to another version.
 */
#include <sqlite3.h>

#include "helpers.h"

#include "catalog.h"
#include "store.h"
#include "workflow_image.h"

/* A small valid workflow; "%s" is its title, "%d" its version. */
#define MINI_FMT                                                              \
	"{\"id\":\"mini\",\"version\":%d,\"title\":\"%s\",\"phases\":["      \
	"{\"id\":\"first\",\"title\":\"First\",\"purpose\":\"P\","            \
	"\"tasks\":[\"t\"],\"questions\":[\"q\"],\"checkpoints\":["           \
	"{\"id\":\"c1\",\"label\":\"L\",\"kind\":\"confirm\","                \
	"\"min_chars\":5}]},"                                                  \
	"{\"id\":\"second\",\"title\":\"Second\",\"purpose\":\"P\","          \
	"\"tasks\":[\"t\"],\"questions\":[\"q\"],\"revisit\":[\"first\"],"    \
	"\"checkpoints\":[]}]}"

static char *mini(int version, const char *title)
{
	char *text = malloc(2048);

	assert_non_null(text);
	snprintf(text, 2048, MINI_FMT, version, title);
	return text;
}

/* Import `text`; returns the engine's code, with result and version. */
static int import(fixture *fx, const char *text, char result[16],
		  int *version)
{
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	int error = cw_workflow_import(&out, fx->store, &diags, text,
				       strlen(text));

	if (error == 0) {
		snprintf(result, 16, "%s",
			 cJSON_GetObjectItem(out, "result")->valuestring);
		*version = cJSON_GetObjectItem(out, "version")->valueint;
	}
	cJSON_Delete(out);
	cw_diags_free(&diags);
	return error;
}

static void import_mini(fixture *fx, int version, const char *title,
			const char *want_result, int want_version)
{
	char *text = mini(version, title), result[16] = "";
	int got = 0;

	assert_int_equal(import(fx, text, result, &got), 0);
	assert_string_equal(result, want_result);
	assert_int_equal(got, want_version);
	free(text);
}

/* Close and open the store again: a fresh cache. */
static void reopen(fixture *fx)
{
	cw_store_free(fx->store);
	fx->store = NULL;
	assert_int_equal(cw_store_open_existing(&fx->store, fx->path), 0);
}

static int has_image(fixture *fx, const char *id, int version)
{
	void *image = NULL;
	size_t len = 0;
	int error = store_workflow_image_get(fx->store, id, version,
					     WORKFLOW_IMAGE_VERSION, &image,
					     &len);

	free(image);
	return error == 0 && len > 0;
}

static void new_store_has_the_standard_workflow(void **state)
{
	fixture *fx = *state;
	const cw_workflow *wf = NULL;

	assert_true(has_image(fx, "standard", 2));
	assert_int_equal(catalog_get(&wf, fx->store, "standard", 2), 0);
	assert_non_null(wf);
	assert_string_equal(wf->id, "standard");
	assert_int_equal(wf->version, 2);
	assert_int_equal(wf->phase_count, 8);
	assert_string_equal(wf->phases[0].id, "preparation");
	assert_string_equal(wf->phases[7].id, "termination");
	/* ensuring it again adds no version */
	assert_int_equal(catalog_ensure_standard(fx->store), 0);
	{
		cw_workflow *loaded = NULL;
		int v = 0;

		assert_int_equal(catalog_load(&loaded, fx->store, "standard", 0,
					      &v),
				 0);
		assert_int_equal(v, 2);
		cw_workflow_free(loaded);
	}
}

static void import_stores_the_workflow_with_its_image(void **state)
{
	fixture *fx = *state;
	const cw_workflow *wf = NULL, *again = NULL;
	cw_workflow *image_wf = NULL;
	void *image = NULL;
	size_t len = 0;

	import_mini(fx, 1, "Mini", "imported", 1);
	assert_int_equal(store_workflow_image_get(fx->store, "mini", 1,
						  WORKFLOW_IMAGE_VERSION,
						  &image, &len),
			 0);
	assert_int_equal(workflow_image_read(&image_wf, image, len), 0);
	assert_string_equal(image_wf->id, "mini");
	assert_int_equal(image_wf->version, 1);
	cw_workflow_free(image_wf);
	free(image);

	assert_int_equal(catalog_get(&wf, fx->store, "mini", 1), 0);
	assert_string_equal(wf->id, "mini");
	assert_string_equal(wf->title, "Mini");
	assert_int_equal(wf->version, 1);
	assert_int_equal(wf->phase_count, 2);
	assert_string_equal(wf->phases[1].id, "second");
	assert_int_equal(wf->phases[1].revisit_count, 1);
	assert_int_equal(wf->phases[1].revisit[0], 0);
	assert_string_equal(wf->phases[0].checkpoints[0].id, "c1");
	assert_int_equal(wf->phases[0].checkpoints[0].min_chars, 5);
	/* cached: the same workflow, not parsed again */
	assert_int_equal(catalog_get(&again, fx->store, "mini", 1), 0);
	assert_ptr_equal(again, wf);
}

static void identical_content_is_unchanged(void **state)
{
	fixture *fx = *state;
	char *text = mini(1, "Mini"), *spaced, result[16] = "";
	int version = 0;

	import_mini(fx, 1, "Mini", "imported", 1);
	import_mini(fx, 1, "Mini", "unchanged", 1);
	/* only the version number differs: still the same content */
	import_mini(fx, 4, "Mini", "unchanged", 1);
	/* the same JSON laid out differently */
	spaced = malloc(strlen(text) * 2 + 1);
	assert_non_null(spaced);
	{
		char *o = spaced;

		for (const char *p = text; *p; p++) {
			*o++ = *p;
			if (*p == ',')
				*o++ = '\n';
		}
		*o = '\0';
	}
	assert_int_equal(import(fx, spaced, result, &version), 0);
	assert_string_equal(result, "unchanged");
	assert_int_equal(version, 1);
	free(spaced);
	free(text);
	{
		cJSON *list = NULL;

		assert_int_equal(cw_workflow_list(&list, fx->store, "mini"), 0);
		assert_int_equal(cJSON_GetArraySize(list), 1);
		cJSON_Delete(list);
	}
}

static void changed_content_is_the_next_version(void **state)
{
	fixture *fx = *state;
	const cw_workflow *v1 = NULL, *v2 = NULL, *v9 = NULL;
	cw_workflow *newest = NULL;
	int v = 0;

	import_mini(fx, 1, "Mini", "imported", 1);
	import_mini(fx, 1, "Mini revised", "imported", 2);
	assert_true(has_image(fx, "mini", 2));
	assert_int_equal(catalog_get(&v1, fx->store, "mini", 1), 0);
	assert_int_equal(catalog_get(&v2, fx->store, "mini", 2), 0);
	assert_ptr_not_equal(v1, v2);
	assert_string_equal(v1->title, "Mini");
	assert_int_equal(v1->version, 1);
	assert_string_equal(v2->title, "Mini revised");
	assert_int_equal(v2->version, 2);
	/* a file whose version is past the newest keeps its number */
	import_mini(fx, 9, "Mini nine", "imported", 9);
	assert_int_equal(catalog_get(&v9, fx->store, "mini", 9), 0);
	assert_int_equal(v9->version, 9);
	assert_string_equal(v9->title, "Mini nine");
	/* back to the first content: not the newest, so a new version */
	import_mini(fx, 1, "Mini", "imported", 10);
	assert_int_equal(catalog_load(&newest, fx->store, "mini", 0, &v), 0);
	assert_int_equal(v, 10);
	assert_string_equal(newest->title, "Mini");
	cw_workflow_free(newest);
}

static void missing_version_is_not_found(void **state)
{
	fixture *fx = *state;
	const cw_workflow *wf = (const cw_workflow *)fx;
	cw_workflow *loaded = (cw_workflow *)fx;

	import_mini(fx, 1, "Mini", "imported", 1);
	assert_int_equal(catalog_get(&wf, fx->store, "mini", 2), CW_ENOTFOUND);
	assert_null(wf);
	wf = (const cw_workflow *)fx;
	assert_int_equal(catalog_get(&wf, fx->store, "nothing", 1),
			 CW_ENOTFOUND);
	assert_null(wf);
	assert_int_equal(catalog_get(&wf, fx->store, "standard", 3),
			 CW_ENOTFOUND);
	assert_int_equal(catalog_load(&loaded, fx->store, "mini", 3, NULL),
			 CW_ENOTFOUND);
	assert_null(loaded);
	/* a miss is not cached as a hit */
	assert_int_equal(catalog_get(&wf, fx->store, "mini", 1), 0);
	assert_int_equal(wf->version, 1);
}

/* Garbage where the image was: the JSON gives the right workflow. */
static void garbage_image_falls_back_to_the_json(void **state)
{
	fixture *fx = *state;
	static const unsigned char garbage[] = "not an image at all, just bytes";
	const cw_workflow *wf = NULL;

	import_mini(fx, 1, "Mini", "imported", 1);
	reopen(fx);
	assert_int_equal(store_workflow_image_put(fx->store, "mini", 1,
						  WORKFLOW_IMAGE_VERSION,
						  garbage, sizeof(garbage)),
			 0);
	assert_int_equal(catalog_get(&wf, fx->store, "mini", 1), 0);
	assert_non_null(wf);
	assert_string_equal(wf->id, "mini");
	assert_string_equal(wf->title, "Mini");
	assert_int_equal(wf->version, 1);
	assert_int_equal(wf->phase_count, 2);
	assert_string_equal(wf->phases[0].checkpoints[0].id, "c1");
}

/* A row damaged behind the engine's back, with sqlite3 on the file: the
 * image cut to half its length, then one byte in the middle flipped. */
static void damaged_image_row_falls_back_to_the_json(void **state)
{
	fixture *fx = *state;
	const char *edits[] = {
		"UPDATE workflow_images SET image = substr(image, 1, "
		"length(image) / 2) WHERE id = 'mini'",
		"UPDATE workflow_images SET image = substr(image, 1, 40) || "
		"x'ff' || substr(image, 42) WHERE id = 'mini'",
	};

	import_mini(fx, 1, "Mini", "imported", 1);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		const cw_workflow *wf = NULL;
		sqlite3 *db = NULL;

		if (i == 1) { /* a whole image again, then the flip */
			cw_workflow *parsed = NULL;
			cw_diags diags = CW_DIAGS_INIT;
			char *text = mini(1, "Mini");
			void *image = NULL;
			size_t len = 0;

			assert_int_equal(cw_workflow_parse(&parsed, &diags, text,
							   strlen(text)),
					 0);
			assert_int_equal(workflow_image_write(&image, &len,
							      parsed),
					 0);
			assert_int_equal(store_workflow_image_put(
						 fx->store, "mini", 1,
						 WORKFLOW_IMAGE_VERSION, image,
						 len),
					 0);
			free(image);
			free(text);
			cw_workflow_free(parsed);
			cw_diags_free(&diags);
		}
		cw_store_free(fx->store);
		fx->store = NULL;
		assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, edits[i], NULL, NULL, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_changes(db), 1);
		sqlite3_close(db);
		assert_int_equal(cw_store_open_existing(&fx->store, fx->path),
				 0);
		{ /* the damage is real: the image no longer reads */
			cw_workflow *read = NULL;
			void *image = NULL;
			size_t len = 0;

			assert_int_equal(store_workflow_image_get(
						 fx->store, "mini", 1,
						 WORKFLOW_IMAGE_VERSION, &image,
						 &len),
					 0);
			assert_int_equal(workflow_image_read(&read, image, len),
					 CW_ERROR);
			assert_null(read);
			free(image);
			cw_error_clear();
		}
		assert_int_equal(catalog_get(&wf, fx->store, "mini", 1), 0);
		assert_string_equal(wf->id, "mini");
		assert_string_equal(wf->title, "Mini");
		assert_int_equal(wf->version, 1);
		assert_int_equal(wf->phase_count, 2);
		assert_string_equal(wf->phases[1].title, "Second");
	}
}

/* A sound image, but of another version: not taken for this one. */
static void image_of_another_version_is_not_used(void **state)
{
	fixture *fx = *state;
	const cw_workflow *wf = NULL;
	void *image = NULL;
	size_t len = 0;

	import_mini(fx, 1, "Mini", "imported", 1);
	import_mini(fx, 1, "Mini revised", "imported", 2);
	reopen(fx);
	assert_int_equal(store_workflow_image_get(fx->store, "mini", 1,
						  WORKFLOW_IMAGE_VERSION,
						  &image, &len),
			 0);
	assert_int_equal(store_workflow_image_put(fx->store, "mini", 2,
						  WORKFLOW_IMAGE_VERSION, image,
						  len),
			 0);
	free(image);
	assert_int_equal(catalog_get(&wf, fx->store, "mini", 2), 0);
	assert_int_equal(wf->version, 2);
	assert_string_equal(wf->title, "Mini revised");
}

/* Where a sound image of the version is stored, catalog_get reads it
 * rather than the JSON (seen through a title only the image has). */
static void image_is_preferred_to_the_json(void **state)
{
	fixture *fx = *state;
	const cw_workflow *wf = NULL;
	cw_workflow *parsed = NULL;
	cw_diags diags = CW_DIAGS_INIT;
	char *text = mini(1, "Told by the image");
	void *image = NULL;
	size_t len = 0;

	import_mini(fx, 1, "Mini", "imported", 1);
	reopen(fx);
	assert_int_equal(cw_workflow_parse(&parsed, &diags, text, strlen(text)),
			 0);
	assert_int_equal(workflow_image_write(&image, &len, parsed), 0);
	assert_int_equal(store_workflow_image_put(fx->store, "mini", 1,
						  WORKFLOW_IMAGE_VERSION, image,
						  len),
			 0);
	assert_int_equal(catalog_get(&wf, fx->store, "mini", 1), 0);
	assert_string_equal(wf->title, "Told by the image");
	free(image);
	free(text);
	cw_workflow_free(parsed);
	cw_diags_free(&diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(new_store_has_the_standard_workflow,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			import_stores_the_workflow_with_its_image, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(identical_content_is_unchanged,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(changed_content_is_the_next_version,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(missing_version_is_not_found,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			garbage_image_falls_back_to_the_json, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(
			damaged_image_row_falls_back_to_the_json, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(
			image_of_another_version_is_not_used, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(image_is_preferred_to_the_json,
						fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
