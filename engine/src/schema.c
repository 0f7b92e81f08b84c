/*
 * schema.c - the database schema as numbered migrations.
 *
 * PRAGMA user_version records how many steps have run; each step runs in its
 * own transaction, so an interrupted upgrade leaves the previous version
 * intact.  Append steps; never edit one that has shipped.
 */
#include <stdio.h>

#include <sqlite3.h>

#include "store.h"

static const char *const migrations[] = {
	/* 1: cases, workflows, sessions and the append-only event log */
	"CREATE TABLE workflows ("
	"  id TEXT NOT NULL, version INTEGER NOT NULL, title TEXT NOT NULL,"
	"  definition TEXT NOT NULL, sha256 TEXT NOT NULL,"
	"  imported_at TEXT NOT NULL, PRIMARY KEY (id, version)"
	") WITHOUT ROWID;"
	"CREATE TRIGGER workflows_immutable BEFORE UPDATE ON workflows BEGIN"
	"  SELECT RAISE(ABORT, 'workflow definitions are immutable'); END;"
	/* case texts by content hash: a session keeps the text it began on */
	"CREATE TABLE case_texts ("
	"  sha256 TEXT PRIMARY KEY, definition TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE cases ("
	"  id TEXT PRIMARY KEY, title TEXT NOT NULL, setting TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL REFERENCES case_texts(sha256),"
	"  imported_at TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE sessions ("
	"  id TEXT PRIMARY KEY, case_id TEXT NOT NULL,"
	"  case_sha256 TEXT NOT NULL REFERENCES case_texts(sha256),"
	"  workflow_id TEXT NOT NULL, workflow_version INTEGER NOT NULL,"
	"  student TEXT NOT NULL, created_at TEXT NOT NULL,"
	/* the projection: rebuilt from the events by verify */
	"  phase TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
	"  last_seq INTEGER NOT NULL, head TEXT NOT NULL,"
	"  met INTEGER NOT NULL, total INTEGER NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  FOREIGN KEY (workflow_id, workflow_version)"
	"    REFERENCES workflows(id, version)"
	") WITHOUT ROWID;"
	"CREATE INDEX sessions_by_case ON sessions(case_id);"
	"CREATE INDEX sessions_by_student ON sessions(student);"
	"CREATE INDEX sessions_by_workflow ON sessions(workflow_id,"
	"  workflow_version);"
	"CREATE TABLE events ("
	"  session_id TEXT NOT NULL REFERENCES sessions(id),"
	"  seq INTEGER NOT NULL CHECK (seq >= 1),"
	"  at TEXT NOT NULL, actor TEXT NOT NULL, phase TEXT NOT NULL,"
	"  type TEXT NOT NULL, payload TEXT NOT NULL,"
	"  prev TEXT NOT NULL, hash TEXT NOT NULL,"
	"  PRIMARY KEY (session_id, seq)"
	") WITHOUT ROWID;"
	/* the log is append-only and gap-free, whatever the program does */
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN"
	"  SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN"
	"  SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER events_in_order BEFORE INSERT ON events"
	"  WHEN NEW.seq != 1 + coalesce((SELECT max(seq) FROM events"
	"                    WHERE session_id = NEW.session_id), 0)"
	"  BEGIN SELECT RAISE(ABORT, 'event out of sequence'); END;"
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY, value TEXT NOT NULL"
	") WITHOUT ROWID;",
};

#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

int schema_latest(void)
{
	return MIGRATION_COUNT;
}

int schema_int(cw_store *s, const char *sql, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : store_fail(s, rc, "reading the schema");
}

int schema_migrate(cw_store *s)
{
	int version = 0, app = 0, tables = 0, error, ran = 0, owned = 0;
	char *errmsg = NULL;

	/* one snapshot: another process creating the file may commit the
	 * first step between two reads, and tables without an application
	 * id would look like someone else's database */
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	if ((error = schema_int(s, "PRAGMA user_version", &version)) < 0 ||
	    (error = schema_int(s, "PRAGMA application_id", &app)) < 0 ||
	    (error = schema_int(s, "SELECT count(*) FROM sqlite_schema",
				&tables)) < 0) {
		store_end(s, owned, error);
		return error;
	}
	if ((error = store_end(s, owned, 0)) < 0)
		return error;
	if (app != 0 && app != SCHEMA_APPLICATION_ID)
		return cw_error_set(CW_ERROR, "%s is not a casework database",
				    s->path);
	if (app == 0 && tables > 0)
		return cw_error_set(CW_ERROR,
				    "%s is not a casework database (it holds "
				    "other tables)",
				    s->path);
	if (version > MIGRATION_COUNT)
		return cw_error_set(CW_ERROR,
				    "%s has schema version %d, newer than this "
				    "casework (%d); use a newer casework",
				    s->path, version, MIGRATION_COUNT);

	for (int step = version; step < MIGRATION_COUNT; step++) {
		char pragma[96];
		int rc, now = 0;

		if ((error = store_begin(s)) < 0)
			return error;
		/* another process may have run this step while we waited for
		 * the write lock */
		if ((error = schema_int(s, "PRAGMA user_version", &now)) < 0) {
			store_rollback(s);
			return error;
		}
		if (now > step) {
			store_rollback(s);
			step = now - 1;
			continue;
		}
		snprintf(pragma, sizeof(pragma),
			 "PRAGMA user_version = %d; PRAGMA application_id = %d;",
			 step + 1, SCHEMA_APPLICATION_ID);
		rc = sqlite3_exec(s->db, migrations[step], NULL, NULL, &errmsg);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(s->db, pragma, NULL, NULL, &errmsg);
		if (rc != SQLITE_OK) {
			error = cw_error_set(CW_ERROR,
					     "%s: schema step %d failed: %s",
					     s->path, step + 1,
					     errmsg ? errmsg : "?");
			sqlite3_free(errmsg);
			store_rollback(s);
			return error;
		}
		if ((error = store_commit(s)) < 0)
			return error;
		ran++;
	}
	return ran;
}
