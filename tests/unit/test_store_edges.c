/*
 * test_store_edges.c - opening a database where things are not as they
 * should be: no path, no file, a file that is not a database, another
 * program's database, a database from a newer casework, a folder that
 * cannot be made.  Each must fail with its code and a message that names
 * the file, and must not change the file.
 */
#include "helpers.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "casework/error.h"

/* A scratch folder per test. */
static int dir_setup(void **state)
{
	char *dir = malloc(256);

	if (dir == NULL)
		return -1;
	snprintf(dir, 256, "%s/cw-edges-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

static int dir_teardown(void **state)
{
	char cmd[300];
	int rc;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (char *)*state);
	rc = system(cmd);
	free(*state);
	return rc == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Run SQL on a database with SQLite directly, not through the store. */
static void sql(const char *path, const char *text)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, text, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_empty_path_is_invalid(void **state)
{
	cw_store *s = NULL;

	(void)state;
	assert_int_equal(cw_store_open(&s, ""), CW_EINVALID);
	assert_null(s);
	assert_non_null(strstr(cw_error_last(), "path is empty"));
	assert_int_equal(cw_store_open(&s, NULL), CW_EINVALID);
}

static void test_missing_file_is_not_found_and_not_made(void **state)
{
	char path[300];
	cw_store *s = NULL;

	snprintf(path, sizeof(path), "%s/none/cw.db", (char *)*state);
	assert_int_equal(cw_store_open_existing(&s, path), CW_ENOTFOUND);
	assert_null(s);
	assert_non_null(strstr(cw_error_last(), "casework init"));
	assert_int_equal(access(path, F_OK), -1);
	/* the control: open (not _existing) makes the folder and file */
	assert_int_equal(cw_store_open(&s, path), 0);
	assert_int_equal(cw_store_schema_version(s), cw_store_schema_latest());
	cw_store_free(s);
}

static void test_parent_that_is_a_file(void **state)
{
	char file[300], path[320];
	cw_store *s = NULL;

	snprintf(file, sizeof(file), "%s/plain", (char *)*state);
	write_file(file, "not a folder\n");
	snprintf(path, sizeof(path), "%s/sub/cw.db", file);
	/* the path cannot even be looked at: its parent is not a folder */
	assert_int_equal(cw_store_open(&s, path), CW_ERROR);
	assert_null(s);
	assert_non_null(strstr(cw_error_last(), path));
	assert_non_null(strstr(cw_error_last(), "Not a directory"));
}

static void test_deep_folders_are_made_owner_only(void **state)
{
	char path[340];
	struct stat st;
	cw_store *s = NULL;

	snprintf(path, sizeof(path), "%s/a/b/c/cw.db", (char *)*state);
	assert_int_equal(cw_store_open(&s, path), 0);
	cw_store_free(s);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/a/b", (char *)*state);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
}

static void test_text_file_is_not_a_database(void **state)
{
	char path[300];
	size_t len = 0;
	char *after;
	cw_store *s = NULL;
	static const char text[] = "this is a shopping list, not SQLite\n"
				   "milk, bread, more milk\n";

	snprintf(path, sizeof(path), "%s/list.txt", (char *)*state);
	write_file(path, text);
	assert_int_equal(cw_store_open(&s, path), CW_ERROR);
	assert_null(s);
	assert_non_null(strstr(cw_error_last(), path));
	assert_non_null(strstr(cw_error_last(), "not a database"));
	after = read_all(path, &len);
	assert_non_null(after);
	assert_string_equal(after, text);
	free(after);
}

static void test_another_programs_database_is_refused(void **state)
{
	char path[300];
	cw_store *s = NULL;

	snprintf(path, sizeof(path), "%s/other.db", (char *)*state);
	sql(path, "CREATE TABLE recipes (name TEXT)");
	assert_int_equal(cw_store_open(&s, path), CW_ERROR);
	assert_null(s);
	assert_non_null(strstr(cw_error_last(), "other tables"));

	/* an application id that is not ours, even on an empty file */
	snprintf(path, sizeof(path), "%s/foreign.db", (char *)*state);
	sql(path, "PRAGMA application_id = 12345");
	assert_int_equal(cw_store_open(&s, path), CW_ERROR);
	assert_non_null(strstr(cw_error_last(), "not a casework database"));
}

static void test_newer_schema_is_refused(void **state)
{
	char path[300], pragma[64];
	cw_store *s = NULL;

	snprintf(path, sizeof(path), "%s/cw.db", (char *)*state);
	assert_int_equal(cw_store_open(&s, path), 0);
	cw_store_free(s);
	s = NULL;
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		 cw_store_schema_latest() + 1);
	sql(path, pragma);
	assert_int_equal(cw_store_open_existing(&s, path), CW_ERROR);
	assert_null(s);
	assert_non_null(strstr(cw_error_last(), "newer than this casework"));
}

static void test_reopen_runs_no_migration_twice(void **state)
{
	char path[300];
	cw_store *s = NULL;

	snprintf(path, sizeof(path), "%s/cw.db", (char *)*state);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cw_store_open(&s, path), 0);
		assert_int_equal(cw_store_schema_version(s),
				 cw_store_schema_latest());
		cw_store_free(s);
		s = NULL;
	}
	cw_store_free(NULL); /* a no-op */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_path_is_invalid),
		cmocka_unit_test_setup_teardown(
			test_missing_file_is_not_found_and_not_made, dir_setup,
			dir_teardown),
		cmocka_unit_test_setup_teardown(test_parent_that_is_a_file,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_deep_folders_are_made_owner_only,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_text_file_is_not_a_database,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(
			test_another_programs_database_is_refused, dir_setup,
			dir_teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_is_refused,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(
			test_reopen_runs_no_migration_twice, dir_setup,
			dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
