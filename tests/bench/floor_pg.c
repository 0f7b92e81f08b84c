/*
 * floor_pg.c - the floor program of the class server's benchmarks: the
 * cheapest program that does what one casework command does to a
 * PostgreSQL database, over the same connection (the URI casework gets).
 * Bare libpq: no engine, no JSON, no hashing.
 *
 *   floor_pg init URI ROWS   a table like the event log, with ROWS rows
 *   floor_pg write URI       connect, append the next row of one session in
 *                            a transaction that locks it, commit, exit
 *   floor_pg read URI        connect, one indexed SELECT, print it, exit
 *   floor_pg version         libpq's version
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* Rows per session in `init`, as in the generated cohorts. */
#define PER_SESSION 60

static const char payload[] =
	"{\"id\":\"N12\",\"text\":\"The client described the week in some "
	"detail and we wrote it down.\",\"tag\":\"exploration\"}";

static int fail(PGconn *conn, PGresult *res, const char *what)
{
	fprintf(stderr, "floor_pg: %s: %s", what, PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
	return 1;
}

/* Run a statement with text parameters; 0 or 1 after saying why. */
static int exec(PGconn *conn, const char *sql, int n,
		const char *const *values, const char *what, int print)
{
	PGresult *res = PQexecParams(conn, sql, n, NULL, values, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return fail(conn, res, what);
	if (print && PQntuples(res) > 0)
		printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int init(PGconn *conn, const char *rows)
{
	const char *const values[] = { rows, payload, NULL };

	return exec(conn,
		    "CREATE TABLE IF NOT EXISTS floor_sessions ("
		    " id text COLLATE \"C\" PRIMARY KEY)",
		    0, NULL, "init", 0) ||
	       exec(conn,
		    "CREATE TABLE IF NOT EXISTS floor ("
		    " session text COLLATE \"C\" NOT NULL, seq bigint NOT NULL,"
		    " payload text NOT NULL, PRIMARY KEY (session, seq))",
		    0, NULL, "init", 0) ||
	       exec(conn,
		    "INSERT INTO floor_sessions VALUES ('writes')"
		    " ON CONFLICT DO NOTHING",
		    0, NULL, "init", 0) ||
	       exec(conn,
		    "INSERT INTO floor (session, seq, payload)"
		    " SELECT format('session-%s', lpad((i / 60)::text, 8, '0')),"
		    " i % 60 + 1, $2 FROM generate_series(0, $1::bigint - 1) i",
		    2, values, "init", 0);
}

/* One durable write: the next row of one session, under its row lock. */
static int write_one(PGconn *conn)
{
	const char *const values[] = { payload, NULL };

	return exec(conn, "BEGIN", 0, NULL, "write", 0) ||
	       exec(conn,
		    "SELECT 1 FROM floor_sessions WHERE id = 'writes'"
		    " FOR UPDATE",
		    0, NULL, "write", 0) ||
	       exec(conn,
		    "INSERT INTO floor (session, seq, payload)"
		    " SELECT 'writes', 1 + coalesce(max(seq), 0), $1"
		    " FROM floor WHERE session = 'writes'",
		    1, values, "write", 0) ||
	       exec(conn, "COMMIT", 0, NULL, "write", 0);
}

/* One indexed read: a row by its key. */
static int read_one(PGconn *conn)
{
	const char *const values[] = { "session-00000000", "1", NULL };

	return exec(conn,
		    "SELECT payload FROM floor WHERE session = $1 AND seq = $2",
		    2, values, "read", 1);
}

int main(int argc, char **argv)
{
	PGconn *conn;
	int rc;

	if (argc == 2 && strcmp(argv[1], "version") == 0) {
		printf("%d\n", PQlibVersion());
		return 0;
	}
	if (argc < 3 || (strcmp(argv[1], "init") == 0) != (argc == 4)) {
		fprintf(stderr, "usage: floor_pg init URI ROWS | write URI | "
				"read URI | version\n");
		return 2;
	}
	conn = PQconnectdb(argv[2]);
	if (PQstatus(conn) != CONNECTION_OK)
		return fail(conn, NULL, "connecting");
	if (strcmp(argv[1], "init") == 0)
		rc = init(conn, argv[3]);
	else if (strcmp(argv[1], "write") == 0)
		rc = write_one(conn);
	else if (strcmp(argv[1], "read") == 0)
		rc = read_one(conn);
	else
		rc = 2;
	if (rc == 0)
		PQfinish(conn);
	return rc;
}
