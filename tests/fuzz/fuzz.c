/*
 * fuzz.c - helpers of the libFuzzer harnesses (see fuzz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char folder[4096];
static char db_path[4200];
static cw_store *scratch;

char *fuzz_copy(const uint8_t *data, size_t len)
{
	/* malloc(0) may return NULL; one byte more is never read */
	char *copy = malloc(len ? len : 1);

	if (copy == NULL)
		fuzz_fail(__FILE__, __LINE__, "out of memory");
	if (len > 0)
		memcpy(copy, data, len);
	return copy;
}

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: contract broken: %s (last error: %s)\n", file,
		line, what, cw_error_last());
	abort();
}

void fuzz_check_diags(const cw_diags *diags)
{
	for (size_t i = 0; i < diags->count; i++)
		FUZZ_ASSERT(diags->items[i].path[0] == '$' &&
			    diags->items[i].code[0] != '\0' &&
			    diags->items[i].message[0] != '\0');
}

static void remove_scratch(void)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char path[4300];

	cw_store_free(scratch);
	scratch = NULL;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", db_path, suffixes[i]);
		unlink(path);
	}
	rmdir(folder);
}

cw_store *fuzz_store(void)
{
	const char *tmp = getenv("TMPDIR");

	if (scratch != NULL)
		return scratch;
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	umask(077);
	snprintf(folder, sizeof(folder), "%s/casework-fuzz-XXXXXX", tmp);
	if (mkdtemp(folder) == NULL)
		fuzz_fail(__FILE__, __LINE__, "mkdtemp");
	snprintf(db_path, sizeof(db_path), "%s/fuzz.db", folder);
	if (cw_store_open(&scratch, db_path) < 0)
		fuzz_fail(__FILE__, __LINE__, "cw_store_open");
	atexit(remove_scratch);
	return scratch;
}
