/*
 * schema_pg.c - the PostgreSQL schema as numbered migrations, and the
 * statements that the PostgreSQL backend runs on it.
 *
 * The schema mirrors SQLite's (schema_sqlite.c) table for table, so that
 * the same steps have the same numbers and a session moves between the
 * two unchanged; identifiers and times are compared byte by byte
 * (COLLATE "C"), as SQLite compares them.  Besides, each session row has
 * an `owner` (the login that made it) and each setting a `login`, so
 * that row-level security keyed on the connected role can be added as a
 * later step without reshaping the tables.
 *
 * casework_schema records the steps that ran.  Steps run one transaction
 * each under a transaction-level advisory lock, so that two processes
 * running `init` at once take turns instead of failing.  Append steps;
 * never edit one that has shipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg.h"

/* 'CWK1', as SQLite's application_id: the advisory lock of migrations */
#define PG_MIGRATION_LOCK "1129728817"

static const char *const migrations[] = {
	/* 1: cases, workflows, sessions and the append-only event log */
	"CREATE FUNCTION casework_refuse() RETURNS trigger LANGUAGE plpgsql"
	"  AS $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]"
	"  USING ERRCODE = 'integrity_constraint_violation'; END $$;"
	"CREATE TABLE workflows ("
	"  id text COLLATE \"C\" NOT NULL, version integer NOT NULL,"
	"  title text NOT NULL, definition text NOT NULL,"
	"  sha256 text NOT NULL, imported_at text NOT NULL,"
	"  PRIMARY KEY (id, version));"
	"CREATE TRIGGER workflows_immutable BEFORE UPDATE ON workflows"
	"  FOR EACH ROW EXECUTE FUNCTION"
	"  casework_refuse('workflow definitions are immutable');"
	"CREATE TABLE case_texts ("
	"  sha256 text COLLATE \"C\" PRIMARY KEY, definition text NOT NULL);"
	"CREATE TABLE cases ("
	"  id text COLLATE \"C\" PRIMARY KEY, title text NOT NULL,"
	"  setting text NOT NULL,"
	"  sha256 text NOT NULL REFERENCES case_texts(sha256),"
	"  imported_at text NOT NULL);"
	"CREATE TABLE sessions ("
	"  id text COLLATE \"C\" PRIMARY KEY,"
	"  case_id text COLLATE \"C\" NOT NULL,"
	"  case_sha256 text NOT NULL REFERENCES case_texts(sha256),"
	"  workflow_id text COLLATE \"C\" NOT NULL,"
	"  workflow_version integer NOT NULL,"
	"  student text NOT NULL, created_at text COLLATE \"C\" NOT NULL,"
	/* the login that made it: what row-level security will key on */
	"  owner name NOT NULL DEFAULT current_user,"
	/* the projection: rebuilt from the events by verify */
	"  phase text NOT NULL,"
	"  status text NOT NULL CHECK (status IN ('open', 'closed')),"
	"  last_seq bigint NOT NULL, head text NOT NULL,"
	"  met integer NOT NULL, total integer NOT NULL,"
	"  updated_at text COLLATE \"C\" NOT NULL,"
	"  FOREIGN KEY (workflow_id, workflow_version)"
	"    REFERENCES workflows(id, version));"
	"CREATE INDEX sessions_by_case ON sessions(case_id);"
	"CREATE INDEX sessions_by_student ON sessions(student);"
	"CREATE INDEX sessions_by_owner ON sessions(owner);"
	"CREATE INDEX sessions_by_workflow ON sessions(workflow_id,"
	"  workflow_version);"
	"CREATE INDEX sessions_by_created ON sessions(created_at, id);"
	"CREATE TABLE events ("
	"  session_id text COLLATE \"C\" NOT NULL REFERENCES sessions(id),"
	"  seq bigint NOT NULL CHECK (seq >= 1),"
	"  at text NOT NULL, actor text NOT NULL, phase text NOT NULL,"
	"  type text NOT NULL, payload text NOT NULL,"
	"  prev text NOT NULL, hash text NOT NULL,"
	"  PRIMARY KEY (session_id, seq));"
	/* the log is append-only, whatever SQL a client sends */
	"CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events"
	"  FOR EACH ROW EXECUTE FUNCTION"
	"  casework_refuse('the event log is append-only');"
	"CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events"
	"  FOR EACH STATEMENT EXECUTE FUNCTION"
	"  casework_refuse('the event log is append-only');"
	/* and gap-free: an event waits for its session's row lock, then must
	 * be the one after the last (each statement of a plpgsql function
	 * sees what committed before it, so the max is read after the wait) */
	"CREATE FUNCTION casework_event_in_order() RETURNS trigger"
	"  LANGUAGE plpgsql AS $$ DECLARE last bigint; BEGIN"
	"  PERFORM 1 FROM sessions WHERE id = NEW.session_id FOR UPDATE;"
	"  SELECT max(seq) INTO last FROM events"
	"    WHERE session_id = NEW.session_id;"
	"  IF NEW.seq <> coalesce(last, 0) + 1 THEN"
	"    RAISE EXCEPTION 'event out of sequence: session %, seq %, "
	"expected %', NEW.session_id, NEW.seq, coalesce(last, 0) + 1"
	"    USING ERRCODE = 'integrity_constraint_violation';"
	"  END IF; RETURN NEW; END $$;"
	"CREATE TRIGGER events_in_order BEFORE INSERT ON events"
	"  FOR EACH ROW EXECUTE FUNCTION casework_event_in_order();"
	/* the current session belongs to the user: each login has its own */
	"CREATE TABLE settings ("
	"  login name NOT NULL DEFAULT current_user,"
	"  key text COLLATE \"C\" NOT NULL, value text NOT NULL,"
	"  PRIMARY KEY (login, key));",
	/* 2: each workflow version's compiled image (workflow_image.h) */
	"CREATE TABLE workflow_images ("
	"  id text COLLATE \"C\" NOT NULL, version integer NOT NULL,"
	"  format bigint NOT NULL, image bytea NOT NULL,"
	"  PRIMARY KEY (id, version),"
	"  FOREIGN KEY (id, version) REFERENCES workflows(id, version));",
	/* 3: as SQLite's step 3, the images of format 1 go (format 2 carries
	 * the note tags) and the upgrade compiles them anew; the index in
	 * listing order came with step 1 here */
	"DELETE FROM workflow_images;",
	/* 4: the roster, and the class server's roles and word (roles_pg.c) */
	pg_step_roles,
	/* 5: as SQLite's step 5, whether a session ended early, filled for
	 * the sessions there are in the step's transaction
	 * (REPROJECT_STEP).  A student writes it as the rest of the
	 * projection of their own sessions, and no more than that */
	"ALTER TABLE sessions ADD COLUMN ended_early text;"
	"GRANT UPDATE (ended_early) ON sessions"
	"  TO casework_student, casework_instructor;",
	/* 6: a closed session's instructor notes, decided by the server
	 * (roles_pg.c) */
	pg_step_notes,
};

/* The step after whose SQL every session's projection is written anew
 * (store_reproject), before the step commits. */
#define REPROJECT_STEP 5

#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

#define SESSION_COLUMNS                                                     \
	"id, case_id, case_sha256, workflow_id, workflow_version, student," \
	" created_at, phase, status, last_seq, head, met, total, updated_at," \
	" ended_early"

const char *const pg_sql[PG_STMT_COUNT] = {
	/* a page of the log after seq $2: a callback may read the store
	 * between pages, which a result being streamed would forbid */
	[PG_EVENTS] = "SELECT session_id, seq, at, actor, phase, type, payload,"
		      " prev, hash FROM events WHERE session_id = $1"
		      " AND seq > $2 ORDER BY seq LIMIT $3",
	[PG_EVENT_INSERT] = "INSERT INTO events (session_id, seq, at, actor,"
			    " phase, type, payload, prev, hash)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
	[PG_SESSION_GET] = "SELECT " SESSION_COLUMNS
			   " FROM sessions WHERE id = $1",
	[PG_SESSION_LOCK] = "SELECT " SESSION_COLUMNS
			    " FROM sessions WHERE id = $1 FOR UPDATE",
	[PG_SESSION_INSERT] = "INSERT INTO sessions (" SESSION_COLUMNS ")"
			      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
			      " $10, $11, $12, $13, $14, $15)",
	[PG_SESSION_PROJECT] = "UPDATE sessions SET phase = $2, status = $3,"
			       " last_seq = $4, head = $5, met = $6,"
			       " total = $7, updated_at = $8,"
			       " ended_early = $9 WHERE id = $1",
	/* the range finds them by the index; left() makes it exact */
	[PG_SESSION_PREFIX] = "SELECT id FROM sessions WHERE id >= $1"
			      " AND id < $1 || 'g' AND left(id, length($1)) = $1"
			      " ORDER BY id LIMIT $2",
	/* a page after ($7, $8) in (created_at, id) order */
	[PG_SESSION_LIST] = "SELECT " SESSION_COLUMNS " FROM sessions"
			    " WHERE ($1::text IS NULL OR case_id = $1)"
			    " AND ($2::text IS NULL OR student = $2)"
			    " AND ($3::text IS NULL OR phase = $3)"
			    " AND ($4::text IS NULL OR status = $4)"
			    " AND ($5::text IS NULL OR updated_at >= $5)"
			    " AND ($6::text IS NULL OR workflow_id = $6)"
			    " AND (created_at, id) > ($7, $8)"
			    " ORDER BY created_at, id LIMIT $9",
	[PG_WORKFLOW_GET] = "SELECT definition, version FROM workflows"
			    " WHERE id = $1 AND version = $2",
	[PG_WORKFLOW_NEWEST] = "SELECT definition, version FROM workflows"
			       " WHERE id = $1 ORDER BY version DESC LIMIT 1",
	/* storing the same version with the same text again is no change
	 * (two `init`s at once both store the built-in workflow); another
	 * text under a stored version is refused by the caller */
	[PG_WORKFLOW_INSERT] = "INSERT INTO workflows (id, version, title,"
			       " definition, sha256, imported_at)"
			       " VALUES ($1, $2, $3, $4, $5, $6)"
			       " ON CONFLICT (id, version) DO NOTHING"
			       " RETURNING 1",
	[PG_WORKFLOW_LIST] = "SELECT w.id, w.version, w.title, w.sha256,"
			     " w.imported_at,"
			     " (SELECT count(*) FROM sessions AS s"
			     "  WHERE s.workflow_id = w.id"
			     "  AND s.workflow_version = w.version)"
			     " FROM workflows AS w"
			     " WHERE $1::text IS NULL OR w.id = $1"
			     " ORDER BY w.id, w.version",
	[PG_WORKFLOW_PHASES] = "SELECT 1 FROM workflows AS w,"
			       " jsonb_array_elements(CASE WHEN jsonb_typeof("
			       "  w.definition::jsonb -> 'phases') = 'array'"
			       "  THEN w.definition::jsonb -> 'phases'"
			       "  ELSE '[]'::jsonb END) AS p"
			       " WHERE p ->> 'id' = $1 LIMIT 1",
	[PG_IMAGE_GET] = "SELECT image FROM workflow_images"
			 " WHERE id = $1 AND version = $2 AND format = $3",
	[PG_IMAGE_PUT] = "INSERT INTO workflow_images (id, version, format,"
			 " image) VALUES ($1, $2, $3, $4)"
			 " ON CONFLICT (id, version) DO UPDATE"
			 " SET format = EXCLUDED.format, image = EXCLUDED.image",
	[PG_CASE_GET] = "SELECT t.definition, c.sha256 FROM cases AS c"
			" JOIN case_texts AS t USING (sha256) WHERE c.id = $1",
	[PG_CASE_TEXT] = "SELECT definition FROM case_texts WHERE sha256 = $1",
	[PG_CASE_TEXT_INSERT] = "INSERT INTO case_texts (sha256, definition)"
				" VALUES ($1, $2) ON CONFLICT DO NOTHING",
	[PG_CASE_UPSERT] = "INSERT INTO cases (id, title, setting, sha256,"
			   " imported_at) VALUES ($1, $2, $3, $4, $5)"
			   " ON CONFLICT (id) DO UPDATE SET"
			   " title = EXCLUDED.title, setting = EXCLUDED.setting,"
			   " sha256 = EXCLUDED.sha256,"
			   " imported_at = EXCLUDED.imported_at",
	[PG_CASE_ADOPT] = "INSERT INTO cases (id, title, setting, sha256,"
			  " imported_at) VALUES ($1, $2, $3, $4, $5)"
			  " ON CONFLICT DO NOTHING",
	[PG_CASE_LIST] = "SELECT c.id, c.title, c.setting, c.sha256,"
			 " c.imported_at,"
			 " (SELECT count(*) FROM sessions AS s"
			 "  WHERE s.case_id = c.id)"
			 " FROM cases AS c ORDER BY c.id",
	[PG_SETTING_GET] = "SELECT value FROM settings"
			   " WHERE login = session_user AND key = $1",
	[PG_SETTING_SET] = "INSERT INTO settings (key, value) VALUES ($1, $2)"
			   " ON CONFLICT (login, key)"
			   " DO UPDATE SET value = EXCLUDED.value",
	/* who the login is: an instructor also where there are no roles yet
	 * (a database before step 4, or its administrator) */
	[PG_IDENTITY] = "SELECT session_user, CASE"
			" WHEN NOT EXISTS (SELECT FROM pg_roles"
			"  WHERE rolname = 'casework_instructor') THEN 2"
			" WHEN pg_has_role(session_user, 'casework_instructor',"
			"  'MEMBER') THEN 2 ELSE 1 END",
	[PG_CLOCK] = "SELECT casework_now()",
	/* a student may read only the case text without instructor_notes */
	[PG_CASE_GET_STUDENT] = "SELECT t.student_definition, c.sha256"
				" FROM cases AS c JOIN case_texts AS t"
				" USING (sha256) WHERE c.id = $1",
	[PG_CASE_TEXT_STUDENT] = "SELECT student_definition FROM case_texts"
				 " WHERE sha256 = $1",
	[PG_IMPORT_BEGIN] = "SELECT set_config('casework.import', 'on', true)",
	[PG_IMPORT_END] = "SELECT set_config('casework.import', 'off', true)",
	[PG_ROSTER_PUT] = "INSERT INTO roster (login, name, email, role,"
			  " added_at) VALUES ($1, $2, $3, $4, $5)"
			  " ON CONFLICT (login) DO UPDATE SET"
			  " name = EXCLUDED.name, email = EXCLUDED.email,"
			  " role = EXCLUDED.role, removed_at = NULL",
	[PG_ROSTER_REMOVE] = "UPDATE roster SET removed_at = $2"
			     " WHERE login = $1 AND removed_at IS NULL"
			     " RETURNING 1",
	[PG_ROSTER_LIST] = "SELECT login, name, email, role, added_at,"
			   " removed_at FROM roster ORDER BY login COLLATE \"C\"",
	[PG_LOGIN_CREATE] = "SELECT casework_login_create($1, $2, $3)",
	[PG_LOGIN_END] = "SELECT casework_login_end($1)",
	[PG_INSTRUCTOR_ACT] = "INSERT INTO casework_instructor_acts (type)"
			      " VALUES ($1) ON CONFLICT DO NOTHING",
	[PG_INSTRUCTOR_ACT_HAS] = "SELECT count(*) FROM"
				  " casework_instructor_acts WHERE type = $1",
	/* the function decides who may read them; this asks only for a
	 * closed session's, as a file gives them */
	[PG_CASE_NOTES] = "SELECT CASE WHEN s.status = 'closed'"
			  " THEN casework_case_notes(s.id) END"
			  " FROM sessions AS s WHERE s.id = $1",
};

/* The one integer that `sql` (no parameters) gives, -1 for NULL. */
static int query_int(cw_store *s, const char *sql, long *out)
{
	PGresult *res = PQexec(pg_conn(s), sql);
	int error = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		error = pg_fail(s, res, "reading the schema");
	else
		*out = PQgetisnull(res, 0, 0) ? -1
					      : strtol(PQgetvalue(res, 0, 0),
						       NULL, 10);
	PQclear(res);
	return error;
}

/* The version casework_schema records, 0 when there is no such table
 * (a query naming a missing table fails even where it is not read, so
 * its existence is asked first).  It is asked of pg_tables, which a
 * statement reads as committed: to_regclass() would answer from this
 * connection's cache of the catalog, which can still say "no such table"
 * after another process's `init` made it while this one waited. */
static int version_now(cw_store *s, long *out)
{
	long exists = 0;
	int error = query_int(s,
			      "SELECT count(*) FROM pg_tables"
			      " WHERE schemaname = current_schema()"
			      " AND tablename = 'casework_schema'",
			      &exists);

	*out = 0;
	if (error < 0 || !exists)
		return error;
	return query_int(s,
			 "SELECT coalesce(max(version), 0) FROM casework_schema",
			 out);
}

int pg_schema_latest(void)
{
	return MIGRATION_COUNT;
}

int pg_schema_version(cw_store *s)
{
	long version = -1;

	return version_now(s, &version) == 0 ? (int)version : -1;
}

/* Run step `step` (0-based) unless another process ran it while we
 * waited for the lock: 1 when it ran, 0 when it had, or an error. */
static int migrate_step(cw_store *s, int step)
{
	char number[16];
	const char *values[1] = { number };
	long now = 0, tables = 0;
	PGresult *res;
	int error;

	if ((error = pg_exec(s, "BEGIN", "upgrading the schema")) < 0)
		return error;
	if ((error = pg_exec(s,
			     "SELECT pg_advisory_xact_lock(" PG_MIGRATION_LOCK
			     ")",
			     "upgrading the schema")) < 0 ||
	    (error = version_now(s, &now)) < 0 ||
	    (error = query_int(s,
			       "SELECT count(*) FROM pg_tables"
			       " WHERE schemaname = current_schema()",
			       &tables)) < 0)
		goto cleanup;
	if (now == 0 && tables > 0) {
		error = cw_error_set(CW_ERROR,
				     "%s is not a casework database (it holds "
				     "other tables)",
				     s->where);
		goto cleanup;
	}
	if (now > step) {
		pg_exec(s, "ROLLBACK", "upgrading the schema");
		return 0;
	}
	if ((error = pg_exec(s,
			     "CREATE TABLE IF NOT EXISTS casework_schema ("
			     " version integer PRIMARY KEY,"
			     " applied_at timestamptz NOT NULL DEFAULT now())",
			     "upgrading the schema")) < 0)
		goto cleanup;
	res = PQexec(pg_conn(s), migrations[step]);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		char what[48];

		snprintf(what, sizeof(what), "schema step %d", step + 1);
		error = pg_fail(s, res, what);
	}
	PQclear(res);
	if (error == 0 && step + 1 == REPROJECT_STEP)
		error = store_reproject(s);
	if (error < 0)
		goto cleanup;
	snprintf(number, sizeof(number), "%d", step + 1);
	res = PQexecParams(pg_conn(s),
			   "INSERT INTO casework_schema (version) VALUES ($1)",
			   1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		error = pg_fail(s, res, "upgrading the schema");
	PQclear(res);
	if (error == 0 &&
	    (error = pg_exec(s, "COMMIT", "upgrading the schema")) == 0)
		return 1;
cleanup:
	if (PQtransactionStatus(pg_conn(s)) != PQTRANS_IDLE)
		pg_exec(s, "ROLLBACK", "upgrading the schema");
	return error;
}

int pg_migrate(cw_store *s)
{
	long now = 0;
	int version, ran = 0, error;

	if ((error = version_now(s, &now)) < 0)
		return error;
	version = (int)now;
	if (version > MIGRATION_COUNT)
		return cw_error_set(CW_ERROR,
				    "%s has schema version %d, newer than this "
				    "casework (%d); use a newer casework",
				    s->where, version, MIGRATION_COUNT);
	if (version == 0 && !((pg_store *)s)->create)
		return cw_error_set(CW_ENOTFOUND,
				    "the class server database %s has no "
				    "casework schema yet ('casework init' "
				    "creates it)",
				    s->where);
	for (int step = version; step < MIGRATION_COUNT; step++) {
		if ((error = migrate_step(s, step)) < 0)
			return error;
		ran += error;
	}
	/* the engine's instructor acts, into step 4's table: after an
	 * upgrade, and on every init, so that an act this casework added
	 * reaches a database whose schema was already current */
	if ((ran > 0 || ((pg_store *)s)->create) &&
	    (error = pg_sync_acts(s)) < 0)
		return error;
	return ran;
}
