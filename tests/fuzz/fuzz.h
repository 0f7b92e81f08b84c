/*
 * fuzz.h - what the libFuzzer harnesses share: a copy of the input that
 * ends exactly where the input ends (so that ASan sees any read past
 * `len`), and a scratch database that lives as long as the process.
 */
#ifndef CW_FUZZ_H
#define CW_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "casework/store.h"

/* A copy of the `len` bytes at `data` with no NUL after them; free(). */
char *fuzz_copy(const uint8_t *data, size_t len);

/* Open the process's scratch database in a fresh folder under $TMPDIR
 * (removed at exit); aborts when it cannot, since no run means anything
 * without it. */
cw_store *fuzz_store(void);

/* Every diagnostic in `diags` names a JSON path ($...), a code and a
 * message; stops the run (FUZZ_ASSERT) where one does not. */
void fuzz_check_diags(const cw_diags *diags);

/* What a harness's cw_store_transaction callback returns to have its
 * changes rolled back: a value no engine function returns. */
#define FUZZ_ROLL_BACK 1

/* Stop the run: a harness found an engine answer that breaks its
 * contract (an error with no message, a lookup that misses).  Where the
 * run closes stderr (fuzz_cli), the stack trace of the abort names the
 * line. */
#define FUZZ_ASSERT(cond)                                                   \
	do {                                                                \
		if (!(cond))                                                \
			fuzz_fail(__FILE__, __LINE__, #cond);               \
	} while (0)

void fuzz_fail(const char *file, int line, const char *what)
	__attribute__((noreturn));

#endif
