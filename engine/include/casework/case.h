/*
 * casework/case.h - sample cases: validation, import, listing.
 */
#ifndef CASEWORK_CASE_H
#define CASEWORK_CASE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "casework/common.h"
#include "casework/error.h"
#include "casework/store.h"

/* Upper bound on the size of any file a user hands in. */
#define CW_MAX_FILE_SIZE (4 * 1024 * 1024)

/*
 * Check the `len` bytes of a case file against every rule of
 * schemas/case.schema.json, and that its phase keys name phases of a
 * workflow the store knows (`store` may be NULL: the standard workflow's
 * phases).  Appends each problem to `diags`; returns 0 or CW_ESCHEMA.
 */
CW_EXTERN int cw_case_validate(cw_diags *diags, cw_store *store,
			       const char *text, size_t len);

/*
 * Validate and store a case, in the caller's transaction if one is open.
 * A case whose id exists with other content is refused (CW_EREFUSED)
 * unless `replace` is set; sessions keep the text they started with.
 * `*out` is {"id", "title", "result": "imported"|"unchanged"|"replaced"}.
 */
CW_EXTERN int cw_case_import(cJSON **out, cw_store *store, cw_diags *diags,
			     const char *text, size_t len, int replace);

/* Every case: id, title, setting, imported_at, sessions. */
CW_EXTERN int cw_case_list(cJSON **out, cw_store *store);

/* The full document of case `id` as imported. */
CW_EXTERN int cw_case_get(cJSON **out, cw_store *store, const char *id);

/*
 * Case `id` as a student may see it: the summary, client, referral and
 * background, and the material of the phases that session `session` has
 * reached (NULL, or a session on another case: preparation only); the
 * instructor notes only with `full`, which the caller asks
 * cw_case_full_allowed about first.  The caller frees `*out` with
 * cJSON_Delete.  CW_ENOTFOUND for an unknown case or session.
 */
CW_EXTERN int cw_case_show(cJSON **out, cw_store *store, const char *id,
			   const char *session, int full);

/*
 * Whether `actor` may see a case in full, instructor notes included
 * (`case show --full`, `export --full`): 0 when allowed, else
 * CW_EREFUSED with the reason.  The one place that decides it.
 */
CW_EXTERN int cw_case_full_allowed(cw_store *store, const char *actor);

#endif
