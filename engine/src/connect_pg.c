/*
 * connect_pg.c - the PostgreSQL backend's connection: opening it, its
 * transactions, running its prepared statements, and how a server's
 * failures become the engine's errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg.h"

/* The server's message without libpq's trailing newline; borrowed until
 * the next call. */
static const char *server_says(const char *msg)
{
	static char line[512];
	size_t n = 0;

	/* libpq's messages run over several lines ("...failed: reason\n\tIs
	 * the server running...?"): one line, the control characters gone */
	for (const char *p = msg ? msg : ""; *p && n + 2 < sizeof(line); p++) {
		if ((unsigned char)*p >= 0x20)
			line[n++] = *p;
		else if (*p == '\n' && p[1] != '\0' && n > 0)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "; ");
	}
	line[n < sizeof(line) ? n : sizeof(line) - 1] = '\0';
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == ';'))
		line[--n] = '\0';
	return line[0] ? line : "no reason given";
}

int pg_fail(cw_store *s, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
			      : NULL;
	PGconn *conn = s ? pg_conn(s) : NULL;

	if (msg == NULL)
		msg = res ? PQresultErrorMessage(res) : NULL;
	if (msg == NULL || msg[0] == '\0')
		msg = conn ? PQerrorMessage(conn) : NULL;
	/* the server went away, or is shutting down, or never answered */
	if (conn == NULL || PQstatus(conn) == CONNECTION_BAD ||
	    (state != NULL && (strncmp(state, "08", 2) == 0 ||
			       strncmp(state, "57P0", 4) == 0)))
		return cw_error_set(CW_ERROR,
				    "cannot reach the class server %s (%s): %s",
				    s && s->where ? s->where : "", what,
				    server_says(msg));
	if (state != NULL &&
	    (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	     strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0))
		return cw_error_set(CW_EBUSY,
				    "%s: the class server is busy (another "
				    "casework is writing to this session); "
				    "try again (%s)",
				    what, server_says(msg));
	if (state != NULL && strcmp(state, "42501") == 0)
		return cw_error_set(CW_EREFUSED,
				    "%s: the class server refuses it to this "
				    "login (%s)",
				    what, server_says(msg));
	return cw_error_set(CW_ERROR, "%s: %s", what, server_says(msg));
}

int pg_exec(cw_store *s, const char *sql, const char *what)
{
	PGresult *res = PQexec(pg_conn(s), sql);
	int error = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		error = pg_fail(s, res, what);
	PQclear(res);
	return error;
}

/* Prepare statement `id` as `name` on the connection: 0, or the failure
 * (as `what`) in `*error` and returned. */
static int prepare(cw_store *s, enum pg_stmt_id id, const char *name,
		   const char *what, int *error)
{
	PGresult *res = PQprepare(pg_conn(s), name, pg_sql[id], 0, NULL);

	*error = PQresultStatus(res) == PGRES_COMMAND_OK ? 0
							  : pg_fail(s, res, what);
	PQclear(res);
	if (*error == 0)
		((pg_store *)s)->prepared[id] = 1;
	return *error;
}

PGresult *pg_run(cw_store *s, enum pg_stmt_id id, int n,
		  const char *const *values, const int *lengths,
		  const int *formats, int binary, const char *what,
		  int *error)
{
	pg_store *ps = (pg_store *)s;
	char name[16];
	PGresult *res;
	ExecStatusType st;

	/* A statement's first use in a connection goes unnamed, parsed and
	 * run in one round trip; one used again is prepared then, so a
	 * command that runs it per session (report, verify --all) parses it
	 * once.  Most commands run each statement once: preparing every one
	 * first cost them a second round trip each (tests/bench/pg). */
	if (ps->uses[id] < 2)
		ps->uses[id]++;
	snprintf(name, sizeof(name), "cw%d", (int)id);
	if (ps->uses[id] == 1)
		res = PQexecParams(ps->conn, pg_sql[id], n, NULL, values,
				   lengths, formats, binary);
	else if (!ps->prepared[id] && prepare(s, id, name, what, error) < 0)
		return NULL;
	else
		res = PQexecPrepared(ps->conn, name, n, values, lengths,
				     formats, binary);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		*error = 0;
		return res;
	}
	*error = pg_fail(s, res, what);
	PQclear(res);
	return NULL;
}

/* Run a statement that returns no rows we need: 0 or the error. */
int pg_begin(cw_store *s, int write)
{
	pg_store *ps = (pg_store *)s;
	int error = pg_exec(s,
			    write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
				  : "BEGIN ISOLATION LEVEL REPEATABLE READ",
			    write ? "starting a transaction"
				  : "starting a read");

	ps->write = error == 0 && write;
	ps->at[0] = '\0'; /* the server's clock is asked anew (roles_pg.c) */
	return error;
}

void pg_rollback(cw_store *s)
{
	pg_store *ps = (pg_store *)s;

	ps->write = 0;
	if (ps->conn != NULL && PQtransactionStatus(ps->conn) != PQTRANS_IDLE)
		PQclear(PQexec(ps->conn, "ROLLBACK"));
}

int pg_commit(cw_store *s)
{
	pg_store *ps = (pg_store *)s;
	PGresult *res;
	int error = 0;

	/* COMMIT of a failed transaction "succeeds" as a ROLLBACK */
	if (PQtransactionStatus(ps->conn) == PQTRANS_INERROR) {
		pg_rollback(s);
		return cw_error_set(CW_ERROR, "committing: the transaction "
					      "had failed; nothing was written");
	}
	res = PQexec(ps->conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		error = pg_fail(s, res, "committing");
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		error = cw_error_set(CW_ERROR, "committing: the server rolled "
					       "back; nothing was written");
	PQclear(res);
	ps->write = 0;
	if (error < 0)
		pg_rollback(s);
	return error;
}

void pg_close(cw_store *s)
{
	pg_store *ps = (pg_store *)s;

	if (s == NULL)
		return;
	if (ps->conn != NULL)
		PQfinish(ps->conn);
	free(s->where);
	free(ps);
}

static void no_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* `uri` without a password, for messages: "user:secret@" loses
 * ":secret", and a password=... parameter its value. */
static char *redact(const char *uri)
{
	char *copy = strdup(uri), *auth, *end, *at, *colon, *pw;

	if (copy == NULL)
		return NULL;
	auth = strstr(copy, "://");
	auth = auth ? auth + 3 : copy;
	end = auth + strcspn(auth, "/?");
	at = memchr(auth, '@', (size_t)(end - auth));
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon != NULL)
		memmove(colon, at, strlen(at) + 1);
	if ((pw = strstr(copy, "password=")) != NULL) {
		char *rest = pw + 9 + strcspn(pw + 9, "&");

		memmove(pw + 9, rest, strlen(rest) + 1);
	}
	return copy;
}

int store_pg_open(cw_store **out, const char *uri, int create)
{
	/* later keywords override the URI's, earlier ones give way to it:
	 * a timeout and a name unless the URI says otherwise, and UTF-8
	 * whatever it says */
	const char *const keys[] = { "connect_timeout", "dbname",
				     "fallback_application_name",
				     "client_encoding", NULL };
	const char *const values[] = { "10", uri, "casework", "UTF8", NULL };
	pg_store *ps = calloc(1, sizeof(*ps));
	int error;

	*out = NULL;
	if ((error = pq_load()) < 0) {
		free(ps);
		return error;
	}
	if (ps == NULL || (ps->base.where = redact(uri)) == NULL) {
		free(ps);
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	ps->base.ops = &store_pg_backend;
	ps->create = create;
	ps->role = -1;
	ps->conn = PQconnectdbParams(keys, values, 1);
	if (ps->conn == NULL || PQstatus(ps->conn) != CONNECTION_OK) {
		error = pg_fail(&ps->base, NULL, "connecting");
		store_pg_backend.close(&ps->base);
		return error;
	}
	/* what goes wrong reaches the user through pg_fail; libpq would
	 * otherwise print a server message that comes between queries (the
	 * FATAL of a server shutting down) raw on stderr */
	PQsetNoticeProcessor(ps->conn, no_notice, NULL);
	/* a writer waits this long for another's lock on a session, then
	 * gives up as "busy", as SQLite's busy timeout does; the server's
	 * notices ("already exists, skipping") are not the user's business */
	if ((error = pg_exec(&ps->base,
			     "SET lock_timeout = '10s';"
			     " SET client_min_messages = warning;"
			     " SET idle_in_transaction_session_timeout = '60s'",
			     "connecting")) < 0) {
		store_pg_backend.close(&ps->base);
		return error;
	}
	*out = &ps->base;
	return 0;
}
