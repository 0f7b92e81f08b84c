/*
 * libpq_pg.c - loading libpq when a class server is first named (see
 * libpq_pg.h for why).
 */
#include <dlfcn.h>
#include <string.h>

#include "casework/error.h"
#include "libpq_pg.h"

#ifndef CW_LIBPQ_SONAME
#define CW_LIBPQ_SONAME "libpq.so.5"
#endif

struct pq_api pq;

#ifndef CW_LINK_LIBPQ
/* Find `name` in `lib` and store it at `out`, a pointer to a function
 * pointer: POSIX guarantees that a function pointer has the size and
 * representation of the void * dlsym returns, and memcpy says so without
 * breaking C's aliasing rules.  -1 when it is missing. */
static int symbol(void *lib, const char *name, void *out)
{
	void *found = dlsym(lib, name);

	if (found == NULL)
		return -1;
	memcpy(out, &found, sizeof(found));
	return 0;
}
#endif

int pq_load(void)
{
	static int loaded;
#ifndef CW_LINK_LIBPQ
	void *lib;
	const char *why;
#endif

	if (loaded)
		return 0;
#ifdef CW_LINK_LIBPQ
	pq.PQclear = PQclear;
	pq.PQntuples = PQntuples;
	pq.PQresultStatus = PQresultStatus;
	pq.PQgetvalue = PQgetvalue;
	pq.PQexec = PQexec;
	pq.PQtransactionStatus = PQtransactionStatus;
	pq.PQstatus = PQstatus;
	pq.PQresultErrorField = PQresultErrorField;
	pq.PQgetisnull = PQgetisnull;
	pq.PQresultErrorMessage = PQresultErrorMessage;
	pq.PQprepare = PQprepare;
	pq.PQgetlength = PQgetlength;
	pq.PQfinish = PQfinish;
	pq.PQexecPrepared = PQexecPrepared;
	pq.PQexecParams = PQexecParams;
	pq.PQerrorMessage = PQerrorMessage;
	pq.PQconnectdbParams = PQconnectdbParams;
	pq.PQcmdStatus = PQcmdStatus;
	pq.PQsetNoticeProcessor = PQsetNoticeProcessor;
#else
	/* the library stays loaded until exit: the connection needs it */
	lib = dlopen(CW_LIBPQ_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL ||
	    symbol(lib, "PQclear", &pq.PQclear) < 0 ||
	    symbol(lib, "PQntuples", &pq.PQntuples) < 0 ||
	    symbol(lib, "PQresultStatus", &pq.PQresultStatus) < 0 ||
	    symbol(lib, "PQgetvalue", &pq.PQgetvalue) < 0 ||
	    symbol(lib, "PQexec", &pq.PQexec) < 0 ||
	    symbol(lib, "PQtransactionStatus", &pq.PQtransactionStatus) < 0 ||
	    symbol(lib, "PQstatus", &pq.PQstatus) < 0 ||
	    symbol(lib, "PQresultErrorField", &pq.PQresultErrorField) < 0 ||
	    symbol(lib, "PQgetisnull", &pq.PQgetisnull) < 0 ||
	    symbol(lib, "PQresultErrorMessage", &pq.PQresultErrorMessage) < 0 ||
	    symbol(lib, "PQprepare", &pq.PQprepare) < 0 ||
	    symbol(lib, "PQgetlength", &pq.PQgetlength) < 0 ||
	    symbol(lib, "PQfinish", &pq.PQfinish) < 0 ||
	    symbol(lib, "PQexecPrepared", &pq.PQexecPrepared) < 0 ||
	    symbol(lib, "PQexecParams", &pq.PQexecParams) < 0 ||
	    symbol(lib, "PQerrorMessage", &pq.PQerrorMessage) < 0 ||
	    symbol(lib, "PQconnectdbParams", &pq.PQconnectdbParams) < 0 ||
	    symbol(lib, "PQcmdStatus", &pq.PQcmdStatus) < 0 ||
	    symbol(lib, "PQsetNoticeProcessor", &pq.PQsetNoticeProcessor) < 0) {
		why = dlerror();
		if (lib != NULL)
			dlclose(lib);
		memset(&pq, 0, sizeof(pq));
		return cw_error_set(CW_ERROR,
				    "cannot load libpq, which a class server "
				    "needs: %s (install libpq5)",
				    why != NULL ? why : CW_LIBPQ_SONAME);
	}
#endif
	loaded = 1;
	return 0;
}
