/*
 * doctor_pg.c - `casework doctor` on a class server: what it can tell
 * without changing anything (no upgrade): who is connected and as what,
 * the schema version, the group roles, that row-level security is forced
 * on each table that holds a person's rows, and that the log's triggers
 * are on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg.h"

static void add_check(cJSON *checks, const char *name, const char *status,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_check(cJSON *checks, const char *name, const char *status,
		      const char *fmt, ...)
{
	cJSON *c = cJSON_CreateObject();
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(c, "check", name);
	cJSON_AddStringToObject(c, "status", status);
	cJSON_AddStringToObject(c, "message", message);
	cJSON_AddItemToArray(checks, c);
}

/* The rows of `sql` (no parameters), or NULL with a failed check. */
static PGresult *ask(cw_store *s, cJSON *checks, const char *name,
		     const char *sql)
{
	PGresult *res = PQexec(pg_conn(s), sql);

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	pg_fail(s, res, name);
	add_check(checks, name, "fail", "%s", cw_error_last());
	PQclear(res);
	return NULL;
}

/* The tables that hold one person's rows, and the log's triggers. */
static const char *const guarded[] = { "sessions", "events", "settings",
				       "roster", NULL };
static const char *const triggers[] = { "events_no_change",
					"events_no_truncate",
					"events_in_order", NULL };

static void check_guards(cw_store *s, cJSON *checks)
{
	PGresult *res = ask(s, checks, "security",
			    "SELECT c.relname, c.relrowsecurity,"
			    " c.relforcerowsecurity FROM pg_class AS c"
			    " WHERE c.relnamespace = (SELECT oid FROM"
			    " pg_namespace WHERE nspname = current_schema())");

	for (int t = 0; res != NULL && guarded[t] != NULL; t++) {
		int i, found = 0;

		for (i = 0; i < PQntuples(res) && !found; i++)
			found = strcmp(PQgetvalue(res, i, 0), guarded[t]) == 0 &&
				strcmp(PQgetvalue(res, i, 1), "t") == 0 &&
				strcmp(PQgetvalue(res, i, 2), "t") == 0;
		if (found)
			add_check(checks, "security", "ok",
				  "row-level security is forced on %s",
				  guarded[t]);
		else
			add_check(checks, "security", "fail",
				  "row-level security is not forced on %s: "
				  "run 'casework init' as the administrator",
				  guarded[t]);
	}
	PQclear(res);
	res = ask(s, checks, "log",
		  "SELECT t.tgname, t.tgenabled <> 'D' FROM pg_trigger AS t"
		  " WHERE t.tgrelid = (SELECT c.oid FROM pg_class AS c"
		  " WHERE c.relname = 'events' AND c.relnamespace = (SELECT"
		  " oid FROM pg_namespace WHERE nspname = current_schema()))");
	for (int t = 0; res != NULL && triggers[t] != NULL; t++) {
		int found = 0;

		for (int i = 0; i < PQntuples(res) && !found; i++)
			found = strcmp(PQgetvalue(res, i, 0), triggers[t]) == 0 &&
				strcmp(PQgetvalue(res, i, 1), "t") == 0;
		add_check(checks, "log", found ? "ok" : "fail",
			  found ? "the log's trigger %s is on"
				: "the log's trigger %s is missing or "
				  "disabled",
			  triggers[t]);
	}
	PQclear(res);
}

static void check_roles(cw_store *s, cJSON *doc, cJSON *checks)
{
	static const char *const groups[] = { "casework_student",
					      "casework_instructor", NULL };
	const char *login = NULL;
	int role = pg_identity(s, &login);
	PGresult *res;

	if (role < 0) {
		add_check(checks, "login", "fail", "%s", cw_error_last());
		return;
	}
	cJSON_AddStringToObject(doc, "login", login);
	cJSON_AddStringToObject(doc, "role", role == STORE_ROLE_INSTRUCTOR
						     ? "instructor"
						     : "student");
	add_check(checks, "login", "ok", "connected as %s, %s", login,
		  role == STORE_ROLE_INSTRUCTOR ? "an instructor"
						: "a student");
	res = ask(s, checks, "roles",
		  "SELECT rolname FROM pg_roles WHERE rolname IN"
		  " ('casework_student', 'casework_instructor')");
	for (int g = 0; res != NULL && groups[g] != NULL; g++) {
		int found = 0;

		for (int i = 0; i < PQntuples(res) && !found; i++)
			found = strcmp(PQgetvalue(res, i, 0), groups[g]) == 0;
		add_check(checks, "roles", found ? "ok" : "fail",
			  found ? "the group role %s exists"
				: "the group role %s is missing: run "
				  "'casework init' as the administrator",
			  groups[g]);
	}
	PQclear(res);
}

int store_pg_doctor(cJSON **out, const char *uri)
{
	cw_store *s = NULL;
	cJSON *doc, *checks, *check, *schema;
	PGresult *res;
	int version, problems = 0, error;

	*out = NULL;
	if ((error = store_pg_open(&s, uri, 0)) < 0)
		return error;
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "database", s->where);
	checks = cJSON_AddArrayToObject(doc, "checks");
	if ((res = ask(s, checks, "server", "SHOW server_version")) != NULL) {
		cJSON_AddStringToObject(doc, "postgresql",
					PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	version = pg_schema_version(s);
	schema = cJSON_AddObjectToObject(doc, "schema");
	cJSON_AddNumberToObject(schema, "version", version);
	cJSON_AddNumberToObject(schema, "latest", pg_schema_latest());
	cJSON_AddBoolToObject(schema, "casework", version > 0);
	if (version <= 0)
		add_check(checks, "schema", "fail",
			  "no casework schema: run 'casework init'");
	else if (version < pg_schema_latest())
		add_check(checks, "schema", "warn",
			  "schema version %d; 'casework init' upgrades it to "
			  "%d",
			  version, pg_schema_latest());
	else
		add_check(checks, "schema", "ok", "schema version %d", version);
	if (version >= 4) {
		check_roles(s, doc, checks);
		check_guards(s, checks);
	}
	cJSON_ArrayForEach(check, checks)
		problems += strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(
					   check, "status")),
				   "ok") != 0;
	cJSON_AddBoolToObject(doc, "healthy", problems == 0);
	cJSON_AddNumberToObject(doc, "problems", problems);
	store_close(s);
	cw_error_clear();
	*out = doc;
	return 0;
}
