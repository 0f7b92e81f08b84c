/*
 * error.c - the per-thread last error message and input-file diagnostics.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/error.h"

static _Thread_local char last_message[1024];
/* whether the last failure was an allocation that failed */
static _Thread_local int last_nomem;

int cw_error_set(int code, const char *fmt, ...)
{
	char message[sizeof(last_message)];
	va_list ap;

	/* format apart first: the arguments may include cw_error_last() */
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	memcpy(last_message, message, sizeof(message));
	last_nomem = strcmp(fmt, CW_NOMEM_MESSAGE) == 0;
	return code;
}

const char *cw_error_last(void)
{
	return last_message[0] ? last_message : "unknown error";
}

int cw_error_nomem(void)
{
	return last_nomem;
}

void cw_error_clear(void)
{
	last_message[0] = '\0';
	last_nomem = 0;
}

void cw_diags_free(cw_diags *diags)
{
	if (diags == NULL)
		return;
	for (size_t i = 0; i < diags->count; i++) {
		free(diags->items[i].path);
		free(diags->items[i].code);
		free(diags->items[i].message);
	}
	free(diags->items);
	diags->items = NULL;
	diags->count = diags->capacity = 0;
}
