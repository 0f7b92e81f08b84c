/*
 * catalog.h - the workflows a store holds, parsed once per store.
 * Private to the engine.
 */
#ifndef CW_CATALOG_H
#define CW_CATALOG_H

#include "casework/workflow.h"
#include "store.h"

/* Store the compiled-in standard workflow unless the store has it. */
int catalog_ensure_standard(cw_store *s);

/* Workflow `id` version `version` (0: the newest) parsed anew, with the
 * version found in *version_out (may be NULL); the caller frees *out with
 * cw_workflow_free. */
int catalog_load(cw_workflow **out, cw_store *s, const char *id,
		 int version, int *version_out);

/* Workflow `id` version `version` (not 0) parsed once per store: borrowed,
 * valid until the store is closed.  The stored text is read every time and
 * a parse is reused only for the very same text, so a cached parse can
 * never stand for another definition. */
int catalog_get(const cw_workflow **out, cw_store *s, const char *id,
		int version);

#endif
