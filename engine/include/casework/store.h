/*
 * casework/store.h - the database that holds cases, workflows, sessions and
 * their append-only event logs.
 */
#ifndef CASEWORK_STORE_H
#define CASEWORK_STORE_H

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

/* The schema version this library writes. */
CW_EXTERN int cw_store_schema_latest(void);

/* The version of the SQLite library the store runs with (not the one it
 * was built against), e.g. "3.40.1".  Borrowed. */
CW_EXTERN const char *cw_store_sqlite_version(void);

#endif
