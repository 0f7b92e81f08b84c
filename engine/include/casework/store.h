/*
 * casework/store.h - the database that holds cases, workflows, sessions and
 * their append-only event logs.
 */
#ifndef CASEWORK_STORE_H
#define CASEWORK_STORE_H

#include <cjson/cJSON.h>

#include "casework/common.h"
#include "casework/error.h"

typedef struct cw_store cw_store;

/*
 * Open the database at `path`, creating it (and its folder) readable by the
 * owner only when it does not exist, and bring its schema up to date.  A
 * file this process may not write is opened read-only (and immutable, so
 * that no -wal or -shm file is left behind); writes then fail clearly.
 * Refuses a file that is not a casework database or whose schema is newer
 * than this library.  The caller frees `*out` with cw_store_free().
 */
CW_EXTERN int cw_store_open(cw_store **out, const char *path);

/*
 * Open the database at `path` only if it exists (CW_ENOTFOUND otherwise),
 * for commands that have nothing to write to a new database.  Like
 * cw_store_open, a file the process may not write is opened read-only.
 */
CW_EXTERN int cw_store_open_existing(cw_store **out, const char *path);

/*
 * 0 when this process may write the open database; CW_ERROR when it was
 * opened read-only (the file or its folder is not writable), with a message
 * that names the file and the reason.
 */
CW_EXTERN int cw_store_writable(cw_store *store);

/* Close the database; NULL is a no-op. */
CW_EXTERN void cw_store_free(cw_store *store);

/* The schema version of the open database (PRAGMA user_version). */
CW_EXTERN int cw_store_schema_version(cw_store *store);

/*
 * Run `fn` inside one write transaction (BEGIN IMMEDIATE): commit when it
 * returns 0, roll back and return its error otherwise.  Engine functions
 * called from `fn` join that transaction instead of opening their own.
 */
CW_EXTERN int cw_store_transaction(cw_store *store,
				   int (*fn)(cw_store *store, void *payload),
				   void *payload);

/*
 * Examine the database at `path` and change nothing (no upgrade, no
 * -wal or -shm left behind): the file and its -wal and -shm (a regular
 * file, owner-only), whether this process may write it, its schema
 * version, SQLite's integrity and foreign-key checks, the file system it
 * is on (a network one is flagged: SQLite's WAL needs shared memory that a
 * network file system does not give) and the free space there.
 *
 * On success `*out` is a document {"database": the full path, "healthy",
 * "problems": how many checks are not ok, "checks": [{"check", "status":
 * "ok" | "warn" | "fail", "message"}], "schema": {"version", "latest",
 * "casework"}, "filesystem": {"type", "network"}, "free_bytes",
 * "size_bytes", "sqlite"}; the caller frees it with cJSON_Delete.  What is
 * wrong with the database is in the document, not an error.  Returns
 * CW_ENOTFOUND when there is no file at `path`.
 */
CW_EXTERN int cw_store_doctor(cJSON **out, const char *path);

/* The schema version this library writes. */
CW_EXTERN int cw_store_schema_latest(void);

/* The version of the SQLite library the store runs with (not the one it
 * was built against), e.g. "3.40.1".  Borrowed. */
CW_EXTERN const char *cw_store_sqlite_version(void);

/* The version of nettle, which hashes the log, that the store runs with,
 * e.g. "3.8".  Borrowed. */
CW_EXTERN const char *cw_store_nettle_version(void);

#endif
