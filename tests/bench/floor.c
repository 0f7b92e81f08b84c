/*
 * floor.c - the cheapest program that does what one casework command does
 * to its database, the yardstick of the benchmarks.  Plain SQLite, linked
 * with libsqlite3 alone: no engine, no JSON, no hashing.
 *
 *   floor init DB ROWS   a table like the event log, with ROWS rows
 *   floor write DB       open (WAL, synchronous=FULL), insert one row in a
 *                        transaction, exit
 *   floor read DB        open, one indexed SELECT, print it, exit
 *   floor version        the SQLite library's version
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

/* Rows per session in `init`, as in the generated cohorts. */
#define PER_SESSION 60

static const char payload[] =
	"{\"id\":\"N12\",\"text\":\"The client described the week in some "
	"detail and we wrote it down.\",\"tag\":\"exploration\"}";

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, sqlite3_errmsg(db));
	sqlite3_close(db);
	return 1;
}

static int open_db(sqlite3 **db, const char *path)
{
	if (sqlite3_open_v2(path, db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(*db,
			 "PRAGMA busy_timeout = 10000;"
			 "PRAGMA journal_mode = WAL;"
			 "PRAGMA synchronous = FULL;",
			 NULL, NULL, NULL) != SQLITE_OK)
		return fail(*db, path);
	return 0;
}

static int init(sqlite3 *db, long rows)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_exec(db,
			 "CREATE TABLE IF NOT EXISTS floor ("
			 " session TEXT NOT NULL, seq INTEGER NOT NULL,"
			 " payload TEXT NOT NULL, PRIMARY KEY (session, seq)"
			 ") WITHOUT ROWID; BEGIN;",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO floor (session, seq, payload)"
			       " VALUES (printf('session-%08d', ?1), ?2, ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(db, "init");
	for (long i = 0; i < rows; i++) {
		sqlite3_bind_int64(st, 1, i / PER_SESSION);
		sqlite3_bind_int64(st, 2, i % PER_SESSION + 1);
		sqlite3_bind_text(st, 3, payload, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return fail(db, "init");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "init");
	return 0;
}

/* One durable write: the next row of one session, in one transaction. */
static int write_one(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO floor (session, seq, payload)"
			       " SELECT 'writes', 1 + coalesce(max(seq), 0), ?1"
			       " FROM floor WHERE session = 'writes'",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(db, "write");
	sqlite3_bind_text(st, 1, payload, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail(db, "write");
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "write");
	return 0;
}

/* One indexed read: a row by its key. */
static int read_one(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT payload FROM floor"
			       " WHERE session = 'session-00000000' AND seq = 1",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(db, "read");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		printf("%s\n", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(db, "read");
}

int main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	int rc;

	if (argc == 2 && strcmp(argv[1], "version") == 0) {
		printf("%s\n", sqlite3_libversion());
		return 0;
	}
	if (argc < 3 || (strcmp(argv[1], "init") == 0) != (argc == 4)) {
		fprintf(stderr, "usage: floor init DB ROWS | write DB | read DB "
				"| version\n");
		return 2;
	}
	if (open_db(&db, argv[2]) != 0)
		return 1;
	if (strcmp(argv[1], "init") == 0)
		rc = init(db, atol(argv[3]));
	else if (strcmp(argv[1], "write") == 0)
		rc = write_one(db);
	else if (strcmp(argv[1], "read") == 0)
		rc = read_one(db);
	else
		rc = 2;
	if (rc == 0)
		sqlite3_close(db);
	return rc;
}
