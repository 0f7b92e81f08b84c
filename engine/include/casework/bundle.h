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
 * the case text and the events as they were.  The whole bundle is checked
 * before anything is written: its texts against the command line's rules,
 * its header against its first event (CW_ESCHEMA), its workflow against
 * the version this database holds (CW_EREFUSED when it holds none or
 * another text).  A bundle of a session already here appends the events
 * it adds; one with nothing new is a no-op; one whose events differ from
 * those stored is refused (CW_EREFUSED, naming the first that differs).
 * `*out` is {"session", "case", "student", "events", "head", "result":
 * "imported"|"updated"|"unchanged", "new_events"}.
 */
CW_EXTERN int cw_bundle_import(cJSON **out, cw_store *store, cw_diags *diags,
			       const char *text, size_t len);

/*
 * Instructor keys.  Instructor acts (feedback and scores) made on a SQLite
 * file are signed with the instructor's Ed25519 key; a bundle's acts count
 * in the importing database only when signed by a key it trusts.  A key is
 * handed out as one line: CW_KEY_LINE_PREFIX, 64 hex digits, a name.
 */
#define CW_KEY_LINE_PREFIX "casework-ed25519"

/* A new key pair (64 hex digits each) from the kernel's random bytes. */
CW_EXTERN int cw_key_generate(char secret[65], char public_key[65]);

/* The public key of `secret`; CW_EINVALID when it is not a key. */
CW_EXTERN int cw_key_public(char public_key[65], const char *secret);

/* Trust the key of a key line; `*out` is {"key", "name", "result":
 * "trusted"|"known"}.  CW_EINVALID for a line that is not a key line. */
CW_EXTERN int cw_key_trust(cJSON **out, cw_store *store, const char *line);

/* The keys the database trusts: {"keys": [{"key", "name"}]}. */
CW_EXTERN int cw_key_list(cJSON **out, cw_store *store);

#endif
