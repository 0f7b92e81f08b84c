/*
 * full_disk.c - linked into a test-only copy of the casework program,
 * build/tests/casework-full-disk, never into the real one.
 *
 * Every database connection that copy opens may not grow past the size the
 * file has when it is opened, as if the disk were full: SQLite then fails
 * the first write that needs a new page with SQLITE_FULL, the error it
 * gives for a full disk (ENOSPC).  tests/cli/environment.bats checks that
 * casework says so, naming the database, exits 1 and keeps every event it
 * had committed.  An auto-extension is SQLite's own way to run code on
 * every new connection, so the program needs no test switch of its own.
 */
#include <stddef.h>

#include <sqlite3.h>

/* The size a database may grow to is never below its size (SQLite raises
 * the limit to it), so 1 pins the file at the pages it has. */
static int no_more_pages(sqlite3 *db, const char **err, const void *api)
{
	(void)err;
	(void)api;
	sqlite3_exec(db, "PRAGMA max_page_count = 1", NULL, NULL, NULL);
	return SQLITE_OK;
}

__attribute__((constructor)) static void full_disk(void)
{
	sqlite3_auto_extension((void (*)(void))no_more_pages);
}
