/*
 * test_store.c - the database file: created owner-only, its schema brought
 * up to date idempotently, foreign and newer files refused untouched, WAL,
 * write transactions that commit or roll back as a whole, the hardening of
 * every connection, and the doctor's reading of file system types.
 */
#include <sys/stat.h>

#include <sqlite3.h>

#include "helpers.h"

/* the private headers: the connection inside a store, the doctor's table */
#include "doctor_sqlite.h"
#include "store_sqlite.h"

/* A temporary folder to put databases in; no store opened yet. */
static int folder_setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/cw-unit-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/cw.db", fx->dir);
	*state = fx;
	return 0;
}

/* Run one statement on the file with SQLite directly; 1 row, 1 column. */
static int sql_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int value;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	value = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return value;
}

static void sql_text(const char *path, const char *sql, char *out,
		     size_t size)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *err = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		print_message("%s: %s\n", sql, err ? err : "?");
	assert_null(err);
	sqlite3_close(db);
}

static int has_case(cw_store *store, const char *id)
{
	cJSON *doc = NULL;
	int error = cw_case_get(&doc, store, id);

	cJSON_Delete(doc);
	assert_true(error == 0 || error == CW_ENOTFOUND);
	return error == 0;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* Open `path` expecting a refusal whose message holds `words`. */
static void expect_refused(const char *path, const char *words)
{
	cw_store *store = (cw_store *)&store; /* must be reset to NULL */

	assert_int_equal(cw_store_open(&store, path), CW_ERROR);
	assert_null(store);
	if (strstr(cw_error_last(), words) == NULL)
		print_message("message \"%s\" lacks \"%s\"\n", cw_error_last(),
			      words);
	assert_non_null(strstr(cw_error_last(), words));
	/* the message names the file */
	assert_non_null(strstr(cw_error_last(), path));
}

static void test_creates_folder_and_file_owner_only(void **state)
{
	fixture *fx = *state;
	char a[sizeof(fx->dir) + 16], b[sizeof(a) + 16], path[sizeof(b) + 16];
	char wal[sizeof(path) + 8];
	cw_store *store = NULL;
	mode_t old;
	int error;

	snprintf(a, sizeof(a), "%s/data", fx->dir);
	snprintf(b, sizeof(b), "%s/data/casework", fx->dir);
	snprintf(path, sizeof(path), "%s/casework.db", b);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	assert_int_not_equal(access(a, F_OK), 0);

	old = umask(0); /* the modes may not depend on the umask */
	error = cw_store_open(&store, path);
	umask(old);
	assert_int_equal(error, 0);
	assert_non_null(store);
	assert_int_equal(mode_of(a), 0700);
	assert_int_equal(mode_of(b), 0700);
	assert_int_equal(mode_of(path), 0600);
	{
		struct stat st;

		assert_int_equal(stat(b, &st), 0);
		assert_true(S_ISDIR(st.st_mode));
		assert_int_equal(stat(path, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		assert_true(st.st_size > 0); /* the schema is in it */
	}
	/* a write leaves a -wal beside it, also owner-only */
	import_case(store, "school-attendance-year8");
	assert_int_equal(mode_of(wal), 0600);
	cw_store_free(store);
	cw_store_free(NULL); /* a no-op */
}

static void test_schema_is_latest(void **state)
{
	fixture *fx = *state;
	cw_store *store = NULL;

	assert_true(cw_store_schema_latest() >= 1);
	assert_int_equal(cw_store_open(&store, fx->path), 0);
	assert_int_equal(cw_store_schema_version(store), cw_store_schema_latest());
	cw_store_free(store);
	/* as the file says, read by SQLite itself */
	assert_int_equal(sql_int(fx->path, "PRAGMA user_version"),
			 cw_store_schema_latest());
	/* and the file is marked as casework's */
	assert_int_not_equal(sql_int(fx->path, "PRAGMA application_id"), 0);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM sqlite_schema"
				 " WHERE type = 'table' AND name IN ('cases',"
				 " 'case_texts', 'workflows', 'sessions',"
				 " 'events', 'settings')"),
			 6);
}

static void test_open_twice_is_idempotent(void **state)
{
	fixture *fx = *state;
	cw_store *store = NULL, *second = NULL;
	int tables;

	assert_int_equal(cw_store_open(&store, fx->path), 0);
	import_case(store, "school-attendance-year8");
	cw_store_free(store);
	tables = sql_int(fx->path, "SELECT count(*) FROM sqlite_schema");

	/* re-running init: same version, same schema, data kept */
	assert_int_equal(cw_store_open(&store, fx->path), 0);
	assert_int_equal(cw_store_schema_version(store), cw_store_schema_latest());
	assert_true(has_case(store, "school-attendance-year8"));
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM sqlite_schema"),
			 tables);

	/* and a second handle while the first is open sees the same data */
	assert_int_equal(cw_store_open(&second, fx->path), 0);
	assert_int_equal(cw_store_schema_version(second),
			 cw_store_schema_latest());
	import_case(second, "family-welfare-eviction");
	assert_true(has_case(store, "family-welfare-eviction"));
	cw_store_free(second);
	cw_store_free(store);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM cases"), 2);
}

static void test_newer_schema_is_refused(void **state)
{
	fixture *fx = *state;
	cw_store *store = NULL;
	char sql[64];
	int newer = cw_store_schema_latest() + 1;

	assert_int_equal(cw_store_open(&store, fx->path), 0);
	import_case(store, "school-attendance-year8");
	cw_store_free(store);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", newer);
	sql_exec(fx->path, sql);

	expect_refused(fx->path, "newer");
	/* left as it was */
	assert_int_equal(sql_int(fx->path, "PRAGMA user_version"), newer);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM cases"), 1);
}

static void test_other_applications_database_is_refused(void **state)
{
	fixture *fx = *state;
	char mode[16];

	sql_exec(fx->path, "CREATE TABLE recipes (name TEXT, steps TEXT);"
			   "INSERT INTO recipes VALUES ('bread', 'knead');");
	expect_refused(fx->path, "not a casework database");
	/* not touched: no schema added, still its own journal mode */
	assert_int_equal(sql_int(fx->path, "PRAGMA user_version"), 0);
	assert_int_equal(sql_int(fx->path, "PRAGMA application_id"), 0);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM sqlite_schema"),
			 1);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM recipes"), 1);
	sql_text(fx->path, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "delete");
}

static void test_other_application_id_is_refused(void **state)
{
	fixture *fx = *state;

	/* no tables at all, but marked as some other program's file */
	sql_exec(fx->path, "PRAGMA application_id = 1234");
	expect_refused(fx->path, "not a casework database");
	assert_int_equal(sql_int(fx->path, "PRAGMA application_id"), 1234);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM sqlite_schema"),
			 0);
}

static void test_text_file_is_refused(void **state)
{
	fixture *fx = *state;
	static const char text[] = "These are my notes, not a database.\n"
				   "Please do not overwrite them.\n";
	FILE *f = fopen(fx->path, "w");
	size_t len = 0;
	char *after;

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
	assert_int_equal(fclose(f), 0);

	expect_refused(fx->path, "not a database");
	/* the file is exactly as it was */
	after = read_all(fx->path, &len);
	assert_non_null(after);
	assert_int_equal(len, sizeof(text) - 1);
	assert_memory_equal(after, text, len);
	free(after);
}

static void test_journal_mode_is_wal(void **state)
{
	fixture *fx = *state;
	cw_store *store = NULL;
	char mode[16];

	assert_int_equal(cw_store_open(&store, fx->path), 0);
	sql_text(fx->path, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	cw_store_free(store);
	/* it persists in the file */
	sql_text(fx->path, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
}

/* What a transaction's callback does, and what it saw. */
typedef struct work {
	const char *case_name;
	int result;      /* what the callback returns */
	int imported;    /* what the import inside it returned */
	int seen_inside; /* the case was visible inside the transaction */
} work;

static int import_then(cw_store *store, void *payload)
{
	work *w = payload;
	char path[512];
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	size_t len = 0;
	char *text;

	snprintf(path, sizeof(path), "%s/examples/cases/%s.json", top(),
		 w->case_name);
	text = read_all(path, &len);
	assert_non_null(text);
	w->imported = cw_case_import(&out, store, &diags, text, len, 0);
	w->seen_inside = has_case(store, w->case_name);
	cJSON_Delete(out);
	cw_diags_free(&diags);
	free(text);
	return w->result;
}

static void test_transaction_commits_on_success(void **state)
{
	fixture *fx = *state;
	cw_store *store = NULL;
	work w = { "school-attendance-year8", 0, -99, 0 };

	assert_int_equal(cw_store_open(&store, fx->path), 0);
	assert_int_equal(cw_store_transaction(store, import_then, &w), 0);
	assert_int_equal(w.imported, 0);
	assert_true(w.seen_inside);
	assert_true(has_case(store, "school-attendance-year8"));
	/* committed: another connection sees it */
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM cases"
				 " WHERE id = 'school-attendance-year8'"),
			 1);
	cw_store_free(store);
}

static void test_transaction_rolls_back_on_error(void **state)
{
	fixture *fx = *state;
	cw_store *store = NULL;
	work w = { "school-attendance-year8", CW_ERROR, -99, 0 };
	cJSON *list = NULL;

	assert_int_equal(cw_store_open(&store, fx->path), 0);
	assert_int_equal(cw_store_transaction(store, import_then, &w), CW_ERROR);
	/* the import inside succeeded, and was undone with the rest */
	assert_int_equal(w.imported, 0);
	assert_true(w.seen_inside);
	assert_false(has_case(store, "school-attendance-year8"));
	assert_int_equal(cw_case_list(&list, store), 0);
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM case_texts"), 0);

	/* the callback's own code comes back */
	w.result = CW_EREFUSED;
	assert_int_equal(cw_store_transaction(store, import_then, &w),
			 CW_EREFUSED);
	assert_false(has_case(store, "school-attendance-year8"));

	/* and the store is usable afterwards */
	w.result = 0;
	assert_int_equal(cw_store_transaction(store, import_then, &w), 0);
	assert_true(has_case(store, "school-attendance-year8"));
	cw_store_free(store);
}

static void test_transaction_rolls_back_on_any_nonzero(void **state)
{
	fixture *fx = *state;
	cw_store *store = NULL;
	work w = { "school-attendance-year8", 1, -99, 0 };

	/* "commit when it returns 0, roll back and return its error
	 * otherwise": a positive code is not 0 either */
	assert_int_equal(cw_store_open(&store, fx->path), 0);
	assert_int_equal(cw_store_transaction(store, import_then, &w), 1);
	assert_int_equal(w.imported, 0);
	assert_false(has_case(store, "school-attendance-year8"));
	cw_store_free(store);
}

/* One integer from a statement on an open connection. */
static int db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int value;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	value = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return value;
}

/* The error `sql` fails with on `db`; it must fail. */
static void expect_sql_error(sqlite3 *db, const char *sql, const char *words)
{
	char *err = NULL;

	assert_int_not_equal(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK);
	assert_non_null(err);
	if (strstr(err, words) == NULL)
		print_message("%s: \"%s\" lacks \"%s\"\n", sql, err, words);
	assert_non_null(strstr(err, words));
	sqlite3_free(err);
}

static void test_connection_is_hardened(void **state)
{
	fixture *fx = *state;
	cw_store *store = NULL;
	sqlite3 *plain = NULL;
	int on = -1;

	assert_int_equal(cw_store_open(&store, fx->path), 0);
	/* what casework's own connection says of itself */
	assert_int_equal(db_int(sqlite_db(store), "PRAGMA trusted_schema"), 0);
	assert_int_equal(db_int(sqlite_db(store), "PRAGMA secure_delete"), 1);
	assert_int_equal(db_int(sqlite_db(store), "PRAGMA temp_store"), 2); /* memory */
	assert_int_equal(db_int(sqlite_db(store), "PRAGMA foreign_keys"), 1);
	assert_int_equal(sqlite3_db_config(sqlite_db(store), SQLITE_DBCONFIG_DEFENSIVE,
					   -1, &on),
			 SQLITE_OK);
	assert_int_equal(on, 1);
	on = -1;
	sqlite3_db_config(sqlite_db(store), SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, -1,
			  &on);
	assert_int_equal(on, 0);
	/* and what it does: defensive mode keeps the schema read-only even
	 * when asked, and no extension can be loaded from SQL */
	expect_sql_error(sqlite_db(store),
			 "PRAGMA writable_schema = ON;"
			 " UPDATE sqlite_schema SET sql = sql"
			 " WHERE name = 'events'",
			 "may not be modified");
	expect_sql_error(sqlite_db(store), "SELECT load_extension('/no/such/lib.so')",
			 "not authorized");

	/* negative control: a connection SQLite opens with its defaults
	 * differs, so the checks above can fail (secure_delete is left out:
	 * Debian builds SQLite with it on, which others do not) */
	assert_int_equal(sqlite3_open(fx->path, &plain), SQLITE_OK);
	on = -1;
	sqlite3_db_config(plain, SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
	assert_int_equal(on, 0);
	assert_int_not_equal(db_int(plain, "PRAGMA temp_store"), 2);
	assert_int_equal(sqlite3_exec(plain,
				      "PRAGMA writable_schema = ON;"
				      " UPDATE sqlite_schema SET sql = sql"
				      " WHERE name = 'events';"
				      " PRAGMA writable_schema = OFF",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(plain);
	cw_store_free(store);
}

static void test_network_file_systems_are_known(void **state)
{
	const char *name = "unset";

	(void)state;
	assert_int_equal(doctor_fs_kind(0x6969, &name), DOCTOR_FS_NETWORK);
	assert_string_equal(name, "nfs");
	assert_int_equal(doctor_fs_kind(0xFF534D42, &name), DOCTOR_FS_NETWORK);
	assert_string_equal(name, "cifs");
	/* f_type is a signed long: CIFS's magic may come sign-extended */
	assert_int_equal(doctor_fs_kind((unsigned long)(long)(int)0xFF534D42,
					&name),
			 DOCTOR_FS_NETWORK);
	assert_string_equal(name, "cifs");
	assert_int_equal(doctor_fs_kind(0xFE534D42, &name), DOCTOR_FS_NETWORK);
	assert_int_equal(doctor_fs_kind(0x517B, &name), DOCTOR_FS_NETWORK);
	assert_int_equal(doctor_fs_kind(0x00C36400, &name), DOCTOR_FS_NETWORK);
	assert_string_equal(name, "ceph");
	assert_int_equal(doctor_fs_kind(0x65735546, &name), DOCTOR_FS_MAYBE);
	/* local ones, and one nobody knows */
	assert_int_equal(doctor_fs_kind(0xEF53, &name), DOCTOR_FS_LOCAL);
	assert_string_equal(name, "ext4");
	assert_int_equal(doctor_fs_kind(0x01021994, &name), DOCTOR_FS_LOCAL);
	assert_string_equal(name, "tmpfs");
	assert_int_equal(doctor_fs_kind(0x12345678, &name), DOCTOR_FS_LOCAL);
	assert_null(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define F(f) cmocka_unit_test_setup_teardown(f, folder_setup, fixture_teardown)
		F(test_creates_folder_and_file_owner_only),
		F(test_schema_is_latest),
		F(test_open_twice_is_idempotent),
		F(test_newer_schema_is_refused),
		F(test_other_applications_database_is_refused),
		F(test_other_application_id_is_refused),
		F(test_text_file_is_refused),
		F(test_journal_mode_is_wal),
		F(test_transaction_commits_on_success),
		F(test_transaction_rolls_back_on_error),
		F(test_transaction_rolls_back_on_any_nonzero),
		F(test_connection_is_hardened),
		F(test_network_file_systems_are_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
