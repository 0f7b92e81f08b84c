/*
 * schema_sqlite.c - the SQLite database schema as numbered migrations, and
 * the statements that the SQLite backend runs on it.
 *
 * PRAGMA user_version records how many steps have run; each step runs in its
 * own transaction, so an interrupted upgrade leaves the previous version
 * intact.  Append steps; never edit one that has shipped.
 */
#include <stdio.h>

#include <sqlite3.h>

#include "store_sqlite.h"

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
	/* 2: each workflow version's compiled image (workflow_image.h), so
	 * that a command loads it instead of parsing and validating the JSON
	 * again; a cache of the definition, replaced when its format changes */
	"CREATE TABLE workflow_images ("
	"  id TEXT NOT NULL, version INTEGER NOT NULL,"
	"  format INTEGER NOT NULL, image BLOB NOT NULL,"
	"  PRIMARY KEY (id, version),"
	"  FOREIGN KEY (id, version) REFERENCES workflows(id, version)"
	") WITHOUT ROWID;",
	/* 3: the cohort commands list sessions oldest first one at a time;
	 * without an index in that order SQLite sorted every row in memory
	 * first (7 MB at 18k sessions).  And the images of format 1, which
	 * format 2 (with the note tags) replaces: the upgrade compiles them
	 * anew. */
	("CREATE INDEX sessions_by_created ON sessions(created_at, id);"
	 "DELETE FROM workflow_images;"),
	/* 4: the class roster (`class add-student|add-instructor`); on a
	 * file it names people, on a class server it also has logins */
	"CREATE TABLE roster ("
	"  login TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT,"
	"  role TEXT NOT NULL CHECK (role IN ('student', 'instructor')),"
	"  added_at TEXT NOT NULL, removed_at TEXT"
	") WITHOUT ROWID;",
	/* 5: whether a session ended early (terminated before its last
	 * phase), with the reason, so that the listing tells it from a
	 * session worked through.  The sessions that ended early before
	 * this step get it in the same transaction: the step replays each
	 * session once and writes its projection (REPROJECT_STEP) */
	"ALTER TABLE sessions ADD COLUMN ended_early TEXT;",
	/* 6: nothing on a file, whose user reads the whole case text (a
	 * closed session's instructor notes come from it: ST_CASE_NOTES);
	 * on a class server the step makes the function through which a
	 * student reads them.  The numbers of the steps stay one sequence
	 * on both backends. */
	"",
};

/* The step after whose SQL every session's projection is written anew
 * (store_reproject), before the step commits. */
#define REPROJECT_STEP 5

/* The statements of the backend (store_sqlite.c), beside the schema they
 * read and write. */
const char *const sqlite_sql[ST_COUNT] = {
#ifndef CW_TEST_DEFERRED_BEGIN
	[ST_BEGIN] = "BEGIN IMMEDIATE",
#else
	/* only in build/deferred, the negative control of
	 * tests/stress/concurrency.c: a write transaction that starts as a
	 * read and upgrades, which concurrent writers must make fail */
	[ST_BEGIN] = "BEGIN",
#endif
	[ST_COMMIT] = "COMMIT",
	[ST_BEGIN_READ] = "BEGIN",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_EVENTS] = "SELECT session_id, seq, at, actor, phase, type, payload,"
		      " prev, hash FROM events WHERE session_id = ?1"
		      " ORDER BY seq",
	[ST_EVENT_INSERT] = "INSERT INTO events (session_id, seq, at, actor,"
			    " phase, type, payload, prev, hash)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_SESSION_GET] = "SELECT id, case_id, case_sha256, workflow_id,"
			   " workflow_version, student, created_at, phase,"
			   " status, last_seq, head, met, total, updated_at,"
			   " ended_early FROM sessions WHERE id = ?1",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (id, case_id, case_sha256,"
			      " workflow_id, workflow_version, student,"
			      " created_at, phase, status, last_seq, head, met,"
			      " total, updated_at, ended_early) VALUES (?1,"
			      " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			      " ?13, ?14, ?15)",
	[ST_SESSION_PROJECT] = "UPDATE sessions SET phase = ?2, status = ?3,"
			       " last_seq = ?4, head = ?5, met = ?6,"
			       " total = ?7, updated_at = ?8, ended_early = ?9"
			       " WHERE id = ?1",
	[ST_SESSION_PREFIX] = "SELECT id FROM sessions WHERE id >= ?1"
			      " AND id < ?1 || 'g' ORDER BY id LIMIT ?2",
	/* the same columns as ST_SESSION_GET, so that one reader serves */
	[ST_SESSION_LIST] = "SELECT id, case_id, case_sha256, workflow_id,"
			    " workflow_version, student, created_at, phase,"
			    " status, last_seq, head, met, total, updated_at,"
			    " ended_early FROM sessions"
			    " WHERE (?1 IS NULL OR case_id = ?1)"
			    " AND (?2 IS NULL OR student = ?2)"
			    " AND (?3 IS NULL OR phase = ?3)"
			    " AND (?4 IS NULL OR status = ?4)"
			    " AND (?5 IS NULL OR updated_at >= ?5)"
			    " AND (?6 IS NULL OR workflow_id = ?6)"
			    " ORDER BY created_at, id",
	[ST_WORKFLOW_GET] = "SELECT definition, version FROM workflows"
			    " WHERE id = ?1 AND version = ?2",
	[ST_WORKFLOW_NEWEST] = "SELECT definition, version FROM workflows"
			       " WHERE id = ?1 ORDER BY version DESC LIMIT 1",
	[ST_WORKFLOW_INSERT] = "INSERT INTO workflows (id, version, title,"
			       " definition, sha256, imported_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_WORKFLOW_LIST] = "SELECT w.id, w.version, w.title, w.sha256,"
			     " w.imported_at,"
			     " (SELECT count(*) FROM sessions AS s"
			     "  WHERE s.workflow_id = w.id"
			     "  AND s.workflow_version = w.version)"
			     " FROM workflows AS w"
			     " WHERE ?1 IS NULL OR w.id = ?1"
			     " ORDER BY w.id, w.version",
	[ST_WORKFLOW_PHASES] = "SELECT 1 FROM workflows,"
			       " json_each(definition, '$.phases') AS p"
			       " WHERE p.value ->> 'id' = ?1 LIMIT 1",
	[ST_CASE_GET] = "SELECT t.definition, c.sha256 FROM cases AS c"
			" JOIN case_texts AS t USING (sha256) WHERE c.id = ?1",
	[ST_CASE_TEXT] = "SELECT definition FROM case_texts WHERE sha256 = ?1",
	/* the notes of the text a session began on, once it is closed (the
	 * -> operator gives them as JSON text, as the server's jsonb does) */
	[ST_CASE_NOTES] = "SELECT CASE WHEN s.status = 'closed'"
			  " AND json_valid(t.definition)"
			  " THEN t.definition -> '$.instructor_notes' END"
			  " FROM sessions AS s JOIN case_texts AS t"
			  " ON t.sha256 = s.case_sha256 WHERE s.id = ?1",
	[ST_CASE_TEXT_INSERT] = "INSERT OR IGNORE INTO case_texts (sha256,"
				" definition) VALUES (?1, ?2)",
	[ST_CASE_UPSERT] = "INSERT INTO cases (id, title, setting, sha256,"
			   " imported_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			   " ON CONFLICT (id) DO UPDATE SET title = ?2,"
			   " setting = ?3, sha256 = ?4, imported_at = ?5",
	[ST_CASE_ADOPT] = "INSERT OR IGNORE INTO cases (id, title, setting,"
			  " sha256, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_CASE_LIST] = "SELECT c.id, c.title, c.setting, c.sha256,"
			 " c.imported_at,"
			 " (SELECT count(*) FROM sessions AS s"
			 "  WHERE s.case_id = c.id)"
			 " FROM cases AS c ORDER BY c.id",
	[ST_IMAGE_GET] = "SELECT image FROM workflow_images"
			 " WHERE id = ?1 AND version = ?2 AND format = ?3",
	[ST_IMAGE_PUT] = "INSERT OR REPLACE INTO workflow_images (id, version,"
			 " format, image) VALUES (?1, ?2, ?3, ?4)",
	[ST_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[ST_SETTING_SET] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
			   " ON CONFLICT (key) DO UPDATE SET value = ?2",
	[ST_ROSTER_PUT] = "INSERT INTO roster (login, name, email, role,"
			  " added_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			  " ON CONFLICT (login) DO UPDATE SET name = ?2,"
			  " email = ?3, role = ?4, removed_at = NULL",
	[ST_ROSTER_REMOVE] = "UPDATE roster SET removed_at = ?2"
			     " WHERE login = ?1 AND removed_at IS NULL",
	[ST_ROSTER_LIST] = "SELECT login, name, email, role, added_at,"
			   " removed_at FROM roster ORDER BY login",
};

#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

int schema_latest(void)
{
	return MIGRATION_COUNT;
}

int cw_store_schema_latest(void)
{
	return MIGRATION_COUNT;
}

const char *cw_store_sqlite_version(void)
{
	return sqlite3_libversion();
}

int schema_int(cw_store *s, const char *sql, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(sqlite_db(s), sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : sqlite_fail(s, rc, "reading the schema");
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
				    s->where);
	if (app == 0 && tables > 0)
		return cw_error_set(CW_ERROR,
				    "%s is not a casework database (it holds "
				    "other tables)",
				    s->where);
	if (version > MIGRATION_COUNT)
		return cw_error_set(CW_ERROR,
				    "%s has schema version %d, newer than this "
				    "casework (%d); use a newer casework",
				    s->where, version, MIGRATION_COUNT);

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
		rc = sqlite3_exec(sqlite_db(s), migrations[step], NULL, NULL, &errmsg);
		if (rc == SQLITE_OK && step + 1 == REPROJECT_STEP &&
		    (error = store_reproject(s)) < 0) {
			store_rollback(s);
			return error;
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(sqlite_db(s), pragma, NULL, NULL, &errmsg);
		if (rc != SQLITE_OK) {
			error = cw_error_set(CW_ERROR,
					     "%s: schema step %d failed: %s",
					     s->where, step + 1,
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
