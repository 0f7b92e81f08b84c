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

#endif
