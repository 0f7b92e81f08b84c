/*
 * casework/bundle.h - hand-in files: one session with everything needed to
 * rebuild it in another database (the case text, the exact workflow
 * definition, every event with its chain hash).
 */
#ifndef CASEWORK_BUNDLE_H
#define CASEWORK_BUNDLE_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "casework/common.h"
#include "casework/error.h"
#include "casework/store.h"

/* The version of the bundle format this library writes and reads. */
#define CW_BUNDLE_VERSION 1

/* Upper bound on the size of a bundle file. */
#define CW_MAX_BUNDLE_SIZE (64 * 1024 * 1024)

/*
 * Write session `id` as a bundle (JSON) to `out`.  Returns 0, or an error
 * (CW_ENOTFOUND for an unknown session, CW_ERROR when writing fails).
 */
CW_EXTERN int cw_bundle_write(FILE *out, cw_store *store, const char *id);

/*
 * Rebuild the session a bundle holds, in one transaction: check its format
 * (problems go to `diags`, CW_ESCHEMA), recompute its hash chain and replay
 * it (CW_EREFUSED naming the first event that does not match), then store
 * the case text, the workflow version and the events as they were.  The
 * same bundle again is a no-op; a session with the same id and other
 * content is refused (CW_EREFUSED).  `*out` is {"session", "case",
 * "student", "events", "head", "result": "imported"|"unchanged"}.
 */
CW_EXTERN int cw_bundle_import(cJSON **out, cw_store *store, cw_diags *diags,
			       const char *text, size_t len);

#endif
