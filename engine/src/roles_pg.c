/*
 * roles_pg.c - the class server's roles and word: the schema step that
 * makes the group roles, their privileges and row-level security, and
 * the backend's operations that rest on them (who the login is, the
 * server's clock, the roster and its logins).
 *
 * The database is what enforces all of it, whatever SQL a login sends;
 * the engine asks first (store_require_instructor) only to say clearly
 * what a role may not do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "store_pg.h"

/* Step 4 of the migrations (schema_pg.c): the roster, and the class
 * server's roles and word.  The group
 * roles are the cluster's, made once and then granted; the login that
 * runs `init` administers and is an instructor.  Row-level security
 * (forced: the tables' owner too) keys on session_user, which SET ROLE
 * does not change.  Every function pins its search_path (below), so
 * that a temporary table cannot stand in for one of ours. */
const char pg_step_roles[] =
	"CREATE TABLE roster ("
	"  login name PRIMARY KEY, name text NOT NULL, email text,"
	"  role text NOT NULL CHECK (role IN ('student', 'instructor')),"
	"  added_at text NOT NULL, removed_at text);"
	"DO $$ BEGIN"
	"  IF NOT EXISTS (SELECT FROM pg_roles"
	"                 WHERE rolname = 'casework_student') THEN"
	"    CREATE ROLE casework_student NOLOGIN; END IF;"
	"  IF NOT EXISTS (SELECT FROM pg_roles"
	"                 WHERE rolname = 'casework_instructor') THEN"
	"    CREATE ROLE casework_instructor NOLOGIN; END IF;"
	"  IF NOT pg_has_role(session_user, 'casework_instructor', 'MEMBER')"
	"  THEN EXECUTE format('GRANT casework_instructor TO %I',"
	"                      session_user); END IF;"
	"END $$;"
	"CREATE FUNCTION casework_is_instructor() RETURNS boolean"
	"  LANGUAGE sql STABLE AS $$ SELECT pg_catalog.pg_has_role("
	"  session_user, 'casework_instructor', 'MEMBER') $$;"
	/* the server's time of the transaction, as a file's events write it */
	"CREATE FUNCTION casework_now() RETURNS text LANGUAGE sql STABLE"
	"  AS $$ SELECT pg_catalog.to_char(pg_catalog.now() AT TIME ZONE"
	"  'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') $$;"
	/* hash.c's hash_fields: each field's UTF-8 bytes after their length
	 * as a 64-bit big-endian number */
	"CREATE FUNCTION casework_field(f text) RETURNS bytea"
	"  LANGUAGE sql IMMUTABLE AS $$ SELECT pg_catalog.int8send("
	"  pg_catalog.length(b)::bigint) || b FROM (SELECT"
	"  pg_catalog.convert_to(f, 'UTF8') AS b) AS x $$;"
	/* (session, seq, at, actor, phase, type, payload, prev) */
	"CREATE FUNCTION casework_event_hash(text, bigint, text, text, text,"
	"  text, text, text) RETURNS text LANGUAGE sql IMMUTABLE AS $$"
	"  SELECT pg_catalog.encode(pg_catalog.sha256("
	"  casework_field($1) || casework_field($2::text) ||"
	"  casework_field($3) || casework_field($4) || casework_field($5) ||"
	"  casework_field($6) || casework_field($7) || casework_field($8)),"
	"  'hex') $$;"
	/* the event types only an instructor may append (filled from the
	 * engine's vocabulary by the migration: see sync_acts) */
	"CREATE TABLE casework_instructor_acts (type text PRIMARY KEY);"
	/* the one way into the log: after the session's row lock, an event
	 * must be the next one, chain on the last, be hashed as hash.c does,
	 * and carry the connected login and the server's clock -- except
	 * an instructor's import of a bundle, whose events keep theirs */
	"CREATE OR REPLACE FUNCTION casework_event_in_order() RETURNS trigger"
	"  LANGUAGE plpgsql AS $$"
	"  DECLARE last_seq bigint; last_hash text; imported boolean;"
	"  BEGIN"
	"  PERFORM 1 FROM sessions WHERE id = NEW.session_id FOR UPDATE;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'no session %', NEW.session_id"
	"    USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  SELECT e.seq, e.hash INTO last_seq, last_hash FROM events AS e"
	"    WHERE e.session_id = NEW.session_id ORDER BY e.seq DESC LIMIT 1;"
	"  IF NEW.seq IS DISTINCT FROM coalesce(last_seq, 0) + 1 THEN"
	"    RAISE EXCEPTION 'event out of sequence: session %, seq %, "
	"expected %', NEW.session_id, NEW.seq, coalesce(last_seq, 0) + 1"
	"    USING ERRCODE = 'integrity_constraint_violation'; END IF;"
	"  IF NEW.prev IS DISTINCT FROM coalesce(last_hash, repeat('0', 64))"
	"  THEN RAISE EXCEPTION 'event % of session % does not chain on the "
	"one before it', NEW.seq, NEW.session_id"
	"    USING ERRCODE = 'integrity_constraint_violation'; END IF;"
	"  imported := coalesce(current_setting('casework.import', true), '')"
	"    = 'on';"
	"  IF imported AND NOT casework_is_instructor() THEN"
	"    RAISE EXCEPTION 'only an instructor may import events'"
	"    USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  IF NOT imported THEN"
	"    IF NEW.actor IS DISTINCT FROM session_user::text THEN"
	"      RAISE EXCEPTION 'the actor of an event is the connected login "
	"(%), not %', session_user, NEW.actor"
	"      USING ERRCODE = 'insufficient_privilege'; END IF;"
	"    IF NEW.at IS DISTINCT FROM casework_now() THEN"
	"      RAISE EXCEPTION 'the time of an event is the server''s clock "
	"(%), not %', casework_now(), NEW.at"
	"      USING ERRCODE = 'insufficient_privilege'; END IF;"
	"    IF clock_timestamp() - now() > interval '5 minutes' THEN"
	"      RAISE EXCEPTION 'a transaction open over 5 minutes may not "
	"append to the log' USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  END IF;"
	"  IF NEW.hash IS DISTINCT FROM casework_event_hash(NEW.session_id,"
	"    NEW.seq, NEW.at, NEW.actor, NEW.phase, NEW.type, NEW.payload,"
	"    NEW.prev) THEN"
	"    RAISE EXCEPTION 'event % of session % does not carry its hash',"
	"    NEW.seq, NEW.session_id"
	"    USING ERRCODE = 'integrity_constraint_violation'; END IF;"
	"  IF NOT casework_is_instructor() AND EXISTS (SELECT FROM"
	"    casework_instructor_acts AS a WHERE a.type = NEW.type) THEN"
	"    RAISE EXCEPTION 'only an instructor may append % events',"
	"    NEW.type USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  RETURN NEW; END $$;"
	/* a class member adds logins without CREATEROLE of their own: these
	 * run as the administrator, for instructors only, and touch only
	 * casework's own logins */
	"CREATE FUNCTION casework_login_create(login text, password text,"
	"  grp text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$"
	"  DECLARE r pg_roles%ROWTYPE; BEGIN"
	"  IF NOT casework_is_instructor() THEN RAISE EXCEPTION"
	"    'only an instructor may add logins'"
	"    USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  IF grp NOT IN ('casework_student', 'casework_instructor')"
	"    OR login !~ '^[a-z0-9_]{1,63}$' OR login LIKE 'pg\\_%'"
	"    OR login LIKE 'casework\\_%' THEN"
	"    RAISE EXCEPTION 'not a login casework may make: %', login"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  SELECT * INTO r FROM pg_roles WHERE rolname = login;"
	"  IF NOT FOUND THEN"
	"    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I',"
	"                   login, password, grp);"
	"  ELSIF r.rolsuper OR r.rolcreaterole OR r.rolcreatedb"
	"    OR NOT (pg_has_role(login, 'casework_student', 'MEMBER')"
	"            OR pg_has_role(login, 'casework_instructor', 'MEMBER'))"
	"    OR login = session_user THEN"
	"    RAISE EXCEPTION 'a role named % exists and is not a casework "
	"login', login USING ERRCODE = 'insufficient_privilege';"
	"  ELSE"
	"    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', login,"
	"                   password);"
	"    EXECUTE format('GRANT %I TO %I', grp, login);"
	"  END IF; END $$;"
	"CREATE FUNCTION casework_login_end(login text) RETURNS void"
	"  LANGUAGE plpgsql SECURITY DEFINER AS $$"
	"  DECLARE r pg_roles%ROWTYPE; BEGIN"
	"  IF NOT casework_is_instructor() THEN RAISE EXCEPTION"
	"    'only an instructor may end logins'"
	"    USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  SELECT * INTO r FROM pg_roles WHERE rolname = login;"
	"  IF NOT FOUND THEN RETURN; END IF;"
	"  IF r.rolsuper OR r.rolcreaterole OR login = session_user"
	"    OR NOT (pg_has_role(login, 'casework_student', 'MEMBER')"
	"            OR pg_has_role(login, 'casework_instructor', 'MEMBER'))"
	"  THEN RAISE EXCEPTION 'a role named % is not a casework login "
	"casework may end', login"
	"    USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  EXECUTE format('ALTER ROLE %I NOLOGIN', login);"
	"  EXECUTE format('REVOKE casework_instructor FROM %I', login);"
	"  END $$;"
	"REVOKE ALL ON FUNCTION casework_login_create(text, text, text),"
	"  casework_login_end(text) FROM PUBLIC;"
	"GRANT EXECUTE ON FUNCTION casework_login_create(text, text, text),"
	"  casework_login_end(text) TO casework_instructor;"
	/* pin every function's search_path to this schema, pg_temp last */
	"DO $$ DECLARE f regprocedure; BEGIN"
	"  FOR f IN SELECT p.oid::regprocedure FROM pg_proc AS p"
	"    WHERE p.pronamespace = (SELECT n.oid FROM pg_namespace AS n"
	"                            WHERE n.nspname = current_schema())"
	"    AND p.proname LIKE 'casework\\_%'"
	/* (this one names nothing by the path, and stays inlinable for
	 * the policies that call it on every row) */
	"    AND p.proname <> 'casework_is_instructor' LOOP"
	"    EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog,"
	" %I, pg_temp', f, current_schema());"
	"  END LOOP; END $$;"
	/* the students' view of a case: its text without instructor_notes */
	"ALTER TABLE case_texts ADD COLUMN student_definition text"
	"  GENERATED ALWAYS AS (CASE WHEN jsonb_typeof(definition::jsonb)"
	"  = 'object' THEN (definition::jsonb - 'instructor_notes')::text"
	"  ELSE definition END) STORED;"
	"ALTER TABLE sessions ALTER COLUMN owner SET DEFAULT session_user;"
	"ALTER TABLE settings ALTER COLUMN login SET DEFAULT session_user;"
	"ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE sessions FORCE ROW LEVEL SECURITY;"
	"CREATE POLICY sessions_own ON sessions"
	"  USING (owner = session_user OR casework_is_instructor())"
	"  WITH CHECK (casework_is_instructor() OR (owner = session_user"
	"  AND student = session_user::text));"
	"ALTER TABLE events ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE events FORCE ROW LEVEL SECURITY;"
	/* an instructor reads every event without a look at its session */
	"CREATE POLICY events_read ON events FOR SELECT"
	"  USING (casework_is_instructor() OR EXISTS (SELECT FROM sessions"
	"         AS s WHERE s.id = session_id));"
	"CREATE POLICY events_append ON events FOR INSERT"
	"  WITH CHECK (EXISTS (SELECT FROM sessions AS s"
	"                      WHERE s.id = session_id));"
	"ALTER TABLE settings ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE settings FORCE ROW LEVEL SECURITY;"
	"CREATE POLICY settings_own ON settings USING (login = session_user)"
	"  WITH CHECK (login = session_user);"
	"ALTER TABLE roster ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE roster FORCE ROW LEVEL SECURITY;"
	"CREATE POLICY roster_instructors ON roster"
	"  USING (casework_is_instructor())"
	"  WITH CHECK (casework_is_instructor());"
	"REVOKE ALL ON casework_schema, workflows, workflow_images,"
	"  case_texts, cases, sessions, events, settings, roster,"
	"  casework_instructor_acts FROM PUBLIC;"
	"GRANT SELECT ON casework_schema, workflows, workflow_images, cases,"
	"  casework_instructor_acts TO casework_student, casework_instructor;"
	"GRANT SELECT (sha256, student_definition) ON case_texts"
	"  TO casework_student;"
	"GRANT SELECT, INSERT ON case_texts, workflows TO casework_instructor;"
	"GRANT INSERT, UPDATE ON cases, workflow_images TO casework_instructor;"
	"GRANT SELECT, INSERT ON sessions, events"
	"  TO casework_student, casework_instructor;"
	"GRANT UPDATE (phase, status, last_seq, head, met, total, updated_at)"
	"  ON sessions TO casework_student, casework_instructor;"
	"GRANT SELECT, INSERT, UPDATE ON settings"
	"  TO casework_student, casework_instructor;"
	"GRANT SELECT, INSERT, UPDATE ON roster TO casework_instructor;";

/* Step 6 of the migrations: a case's instructor notes are not in the
 * text a student may read (student_definition); this function gives
 * those of the text a session began on to an instructor, and to a
 * student only for a closed session of their own.  It runs as its owner
 * (who may read the whole text); row-level security still keys on
 * session_user, and it asks again besides.  Closed is what the log says,
 * not only the projection (a student may write the status column of
 * their own session, and put it back): the session's closing event
 * (event.c's name for EV_SESSION_CLOSED), which stays in the log for
 * `verify` to judge once appended. */
const char pg_step_notes[] =
	"CREATE OR REPLACE FUNCTION casework_case_notes(session_id text)"
	"  RETURNS text LANGUAGE sql STABLE SECURITY DEFINER AS $$"
	"  SELECT CASE WHEN jsonb_typeof(t.definition::jsonb) = 'object'"
	"  THEN (t.definition::jsonb -> 'instructor_notes')::text END"
	"  FROM sessions AS s JOIN case_texts AS t"
	"  ON t.sha256 = s.case_sha256 WHERE s.id = session_id"
	"  AND (casework_is_instructor() OR (s.owner = session_user"
	"  AND s.status = 'closed' AND EXISTS (SELECT FROM events AS e"
	"  WHERE e.session_id = s.id AND e.type = 'session.closed'))) $$;"
	"DO $$ BEGIN EXECUTE format('ALTER FUNCTION casework_case_notes(text)"
	" SET search_path = pg_catalog, %I, pg_temp', current_schema());"
	"  END $$;"
	"REVOKE ALL ON FUNCTION casework_case_notes(text) FROM PUBLIC;"
	"GRANT EXECUTE ON FUNCTION casework_case_notes(text)"
	"  TO casework_student, casework_instructor;";

int pg_case_notes(cw_store *s, const char *session, char **notes)
{
	const char *values[1] = { session };
	int error, oom = 0;
	PGresult *res = pg_run(s, PG_CASE_NOTES, 1, values, NULL, NULL, 0,
			       "reading a case's notes", &error);

	*notes = NULL;
	if (res == NULL)
		return error;
	if (PQntuples(res) == 0)
		error = cw_error_set(CW_ENOTFOUND, "no session %s", session);
	else if (!PQgetisnull(res, 0, 0) &&
		 (*notes = strdup(PQgetvalue(res, 0, 0))) == NULL)
		oom = 1;
	PQclear(res);
	return oom ? cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE) : error;
}

int pg_sync_acts(cw_store *s)
{
	for (int t = 0; t < EV_TYPE_COUNT; t++) {
		const char *values[1] = { event_name((event_type)t) };
		int error;
		PGresult *res;

		if (event_instructor_act((event_type)t) == NULL)
			continue;
		/* only a missing act is written: an instructor's init on a
		 * current database needs no right to change the table */
		res = pg_run(s, PG_INSTRUCTOR_ACT_HAS, 1, values, NULL, NULL,
			     0, "upgrading the schema", &error);
		if (res == NULL)
			return error;
		if (atoi(PQgetvalue(res, 0, 0)) > 0) {
			PQclear(res);
			continue;
		}
		PQclear(res);
		res = pg_run(s, PG_INSTRUCTOR_ACT, 1, values, NULL, NULL, 0,
			     "upgrading the schema", &error);
		PQclear(res);
		if (error < 0)
			return error;
	}
	return 0;
}

int pg_identity(cw_store *s, const char **login)
{
	pg_store *ps = (pg_store *)s;
	int error;
	PGresult *res;

	if (ps->role < 0) {
		res = pg_run(s, PG_IDENTITY, 0, NULL, NULL, NULL, 0,
			     "asking who this login is", &error);
		if (res == NULL)
			return error;
		snprintf(ps->login, sizeof(ps->login), "%s",
			 PQgetvalue(res, 0, 0));
		ps->role = atoi(PQgetvalue(res, 0, 1)) == 2
				   ? STORE_ROLE_INSTRUCTOR
				   : STORE_ROLE_STUDENT;
		PQclear(res);
	}
	if (login != NULL)
		*login = ps->login;
	return ps->role;
}

int pg_role(cw_store *s)
{
	return pg_identity(s, NULL);
}

/* now() is the transaction's start, the same for each of its statements:
 * asked once per transaction (pg_begin forgets it). */
int pg_clock(cw_store *s, char at[32])
{
	pg_store *ps = (pg_store *)s;
	int error;
	PGresult *res;

	if (ps->at[0] == '\0') {
		res = pg_run(s, PG_CLOCK, 0, NULL, NULL, NULL, 0,
			     "reading the server's clock", &error);
		if (res == NULL)
			return error;
		snprintf(ps->at, sizeof(ps->at), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	memcpy(at, ps->at, sizeof(ps->at));
	return 0;
}

static int run_void(cw_store *s, enum pg_stmt_id id, int n,
		    const char *const *values, const char *what)
{
	int error;
	PGresult *res = pg_run(s, id, n, values, NULL, NULL, 0, what, &error);

	PQclear(res);
	return error;
}

/* For this one insert the trigger takes the event's own time and actor,
 * and checks that the login is an instructor. */
int pg_event_import(cw_store *s, const event_row *ev)
{
	int error = run_void(s, PG_IMPORT_BEGIN, 0, NULL, "importing events");

	if (error == 0)
		error = store_pg_backend.event_append(s, ev);
	if (error == 0)
		error = run_void(s, PG_IMPORT_END, 0, NULL, "importing events");
	return error;
}

int pg_roster_put(cw_store *s, const roster_row *r)
{
	const char *values[5] = { r->login, r->name, r->email, r->role,
				  r->added_at };

	return run_void(s, PG_ROSTER_PUT, 5, values, "adding to the roster");
}

int pg_roster_remove(cw_store *s, const char *login, const char *at)
{
	const char *values[2] = { login, at };
	int error, found;
	PGresult *res = pg_run(s, PG_ROSTER_REMOVE, 2, values, NULL, NULL, 0,
			       "removing from the roster", &error);

	if (res == NULL)
		return error;
	found = PQntuples(res) > 0;
	PQclear(res);
	return found ? 0
		     : cw_error_set(CW_ENOTFOUND,
				    "no one with login '%s' on the class "
				    "(see 'casework class list')",
				    login);
}

int pg_roster_each(cw_store *s, store_roster_fn fn, void *payload)
{
	int error;
	PGresult *res = pg_run(s, PG_ROSTER_LIST, 0, NULL, NULL, NULL, 0,
			       "listing the roster", &error);

	if (res == NULL)
		return error;
	for (int i = 0; i < PQntuples(res) && error == 0; i++) {
		roster_row r = {
			.login = PQgetvalue(res, i, 0),
			.name = PQgetvalue(res, i, 1),
			.email = PQgetisnull(res, i, 2) ? NULL
							 : PQgetvalue(res, i, 2),
			.role = PQgetvalue(res, i, 3),
			.added_at = PQgetvalue(res, i, 4),
			.removed_at = PQgetisnull(res, i, 5)
					      ? NULL
					      : PQgetvalue(res, i, 5),
		};

		error = fn(&r, payload);
	}
	PQclear(res);
	return error;
}

/* The login, password and group travel as bound parameters; the server's
 * function quotes them into CREATE ROLE (format's %I and %L). */
int pg_login_create(cw_store *s, const char *login, const char *role,
		    const char *password)
{
	const char *values[3] = { login, password,
				  strcmp(role, "instructor") == 0
					  ? "casework_instructor"
					  : "casework_student" };

	return run_void(s, PG_LOGIN_CREATE, 3, values, "making a login");
}

int pg_login_end(cw_store *s, const char *login)
{
	const char *values[1] = { login };

	return run_void(s, PG_LOGIN_END, 1, values, "ending a login");
}
