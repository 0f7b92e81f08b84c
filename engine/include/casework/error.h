/*
 * casework/error.h - error codes and the last error message.
 *
 * Every engine function that can fail returns an int: 0 on success or a
 * negative cw_error_code.  The message that explains the failure is kept per
 * thread and read with cw_error_last() until the next failure replaces it.
 */
#ifndef CASEWORK_ERROR_H
#define CASEWORK_ERROR_H

#include <stddef.h>

#include "casework/common.h"

typedef enum cw_error_code {
	CW_OK = 0,
	CW_ERROR = -1,     /* runtime failure: database, I/O, memory */
	CW_EINVALID = -2,  /* a bad argument: empty text, bad term, ... */
	CW_EREFUSED = -3,  /* an unmet checkpoint, a disallowed transition */
	CW_ENOTFOUND = -4, /* case, session, goal, checkpoint or phase */
	CW_ESCHEMA = -5,   /* an input file breaks its schema */
	CW_EBUSY = -6,     /* the database stayed locked past the timeout */
	CW_EAMBIGUOUS = -7 /* a session prefix matches more than one session */
} cw_error_code;

/*
 * Record the message for the failure being returned and return `code`, so
 * that a caller can write `return cw_error_set(CW_EINVALID, "...", ...)`.
 * The message is formatted like printf.
 */
CW_EXTERN int cw_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message of the last failure in this thread; borrowed, never NULL. */
CW_EXTERN const char *cw_error_last(void);

/* The message of a failed allocation, everywhere in the engine: set with
 * cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE), which cw_error_nomem tells
 * from the other runtime failures. */
#define CW_NOMEM_MESSAGE "out of memory"

/* Whether the last failure was an allocation that failed: a failure of
 * this process, which says nothing of the data (verify must not call a
 * session bad for it). */
CW_EXTERN int cw_error_nomem(void);

/* Forget the last failure. */
CW_EXTERN void cw_error_clear(void);

/*
 * One problem found in an input file: the JSON path where it is
 * (`$.phases[2].checkpoints[0].kind`), a short stable code naming the rule
 * (`unknown-kind`) and a sentence for a person.
 */
typedef struct cw_diag {
	char *path;
	char *code;
	char *message;
} cw_diag;

/* Every problem found in one input file, in document order. */
typedef struct cw_diags {
	cw_diag *items;
	size_t count;
	size_t capacity;
} cw_diags;

#define CW_DIAGS_INIT { NULL, 0, 0 }

/* Free the problems held by `diags` and empty it; NULL is a no-op. */
CW_EXTERN void cw_diags_free(cw_diags *diags);

#endif
