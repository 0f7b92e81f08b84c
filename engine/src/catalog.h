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

/* What a new or upgraded database needs: the built-in workflow, and the
 * compiled images of the workflows it holds. */
int catalog_upgraded(cw_store *s);

/* Workflow `id` version `version` (0: the newest) parsed anew, with the
 * version found in *version_out (may be NULL); the caller frees *out with
 * cw_workflow_free. */
int catalog_load(cw_workflow **out, cw_store *s, const char *id,
		 int version, int *version_out);

/* Workflow `id` version `version` (not 0) loaded once per store, from its
 * compiled image where the store has one, else parsed from its JSON:
 * borrowed, valid until the store is closed. */
int catalog_get(const cw_workflow **out, cw_store *s, const char *id,
		int version);

/* Store workflow `wf`, whose JSON is `text` (hashed as `sha256`), as
 * version `version`, with its compiled image. */
int catalog_put(cw_store *s, const cw_workflow *wf, int version,
		const char *text, const char *sha256, const char *at);

#endif
