/*
 * libpq_pg.h - libpq, reached through a table that libpq_pg.c fills at run
 * time, so that only a command given a postgresql:// URI loads libpq and
 * the dozen libraries it brings (TLS, Kerberos, LDAP): linked in, they
 * tripled the instructions of every command on a SQLite file.  The
 * backend's files call PQ...() as usual; the macros below send each call
 * through the table.  Built with CW_LINK_LIBPQ (make LINK_LIBPQ=1), the
 * table holds the linked functions instead.
 */
#ifndef CW_LIBPQ_PG_H
#define CW_LIBPQ_PG_H

#include <libpq-fe.h>

/* The functions of libpq the backend calls, by their own names. */
struct pq_api {
	void (*PQclear)(PGresult *res);
	int (*PQntuples)(const PGresult *res);
	ExecStatusType (*PQresultStatus)(const PGresult *res);
	char *(*PQgetvalue)(const PGresult *res, int tup_num, int field_num);
	PGresult *(*PQexec)(PGconn *conn, const char *query);
	PGTransactionStatusType (*PQtransactionStatus)(const PGconn *conn);
	ConnStatusType (*PQstatus)(const PGconn *conn);
	char *(*PQresultErrorField)(const PGresult *res, int fieldcode);
	int (*PQgetisnull)(const PGresult *res, int tup_num, int field_num);
	char *(*PQresultErrorMessage)(const PGresult *res);
	PGresult *(*PQprepare)(PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes);
	int (*PQgetlength)(const PGresult *res, int tup_num, int field_num);
	void (*PQfinish)(PGconn *conn);
	PGresult *(*PQexecPrepared)(PGconn *conn, const char *stmtName, int nParams, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat);
	PGresult *(*PQexecParams)(PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat);
	char *(*PQerrorMessage)(const PGconn *conn);
	PGconn *(*PQconnectdbParams)(const char *const *keywords, const char *const *values, int expand_dbname);
	char *(*PQcmdStatus)(PGresult *res);
	PQnoticeProcessor (*PQsetNoticeProcessor)(PGconn *conn, PQnoticeProcessor proc, void *arg);
};

extern struct pq_api pq;

/* Fill `pq` once per process: 0, or CW_ERROR with a message saying that
 * libpq could not be loaded and what to install. */
int pq_load(void);

#define PQclear(...) pq.PQclear(__VA_ARGS__)
#define PQntuples(...) pq.PQntuples(__VA_ARGS__)
#define PQresultStatus(...) pq.PQresultStatus(__VA_ARGS__)
#define PQgetvalue(...) pq.PQgetvalue(__VA_ARGS__)
#define PQexec(...) pq.PQexec(__VA_ARGS__)
#define PQtransactionStatus(...) pq.PQtransactionStatus(__VA_ARGS__)
#define PQstatus(...) pq.PQstatus(__VA_ARGS__)
#define PQresultErrorField(...) pq.PQresultErrorField(__VA_ARGS__)
#define PQgetisnull(...) pq.PQgetisnull(__VA_ARGS__)
#define PQresultErrorMessage(...) pq.PQresultErrorMessage(__VA_ARGS__)
#define PQprepare(...) pq.PQprepare(__VA_ARGS__)
#define PQgetlength(...) pq.PQgetlength(__VA_ARGS__)
#define PQfinish(...) pq.PQfinish(__VA_ARGS__)
#define PQexecPrepared(...) pq.PQexecPrepared(__VA_ARGS__)
#define PQexecParams(...) pq.PQexecParams(__VA_ARGS__)
#define PQerrorMessage(...) pq.PQerrorMessage(__VA_ARGS__)
#define PQconnectdbParams(...) pq.PQconnectdbParams(__VA_ARGS__)
#define PQcmdStatus(...) pq.PQcmdStatus(__VA_ARGS__)
#define PQsetNoticeProcessor(...) pq.PQsetNoticeProcessor(__VA_ARGS__)

#endif
