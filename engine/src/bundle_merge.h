/*
 * bundle_merge.h - the parts of a bundle import that look at the whole
 * bundle before anything is written (its texts, its header against its
 * first event) and that extend a session already present with what a
 * bundle adds.  Private to the engine (bundle.c).
 */
#ifndef CW_BUNDLE_MERGE_H
#define CW_BUNDLE_MERGE_H

#include <cjson/cJSON.h>

#include "check.h"
#include "state.h"
#include "store.h"

/*
 * Every text of the bundle `root` (whose shape check_bundle accepted)
 * against the rules for texts typed at the command line: the student's
 * name, each event's actor, phase, type and time, and every string in each
 * payload (length, UTF-8, control characters).  Problems go to `c` with
 * their JSON path.
 */
void bundle_check_texts(checker *c, const cJSON *root);

/*
 * The bundle's header ($.session) against its first event, which the
 * chain hashes: the case, its text's hash, the student, the workflow and
 * its version, and the time the session began.  Problems go to `c`.
 */
void bundle_check_header(checker *c, const cJSON *root);

/*
 * Extend `existing` (a session stored here) with the events of `events`
 * that follow its last, after checking that the bundle holds every event
 * stored here unchanged: CW_EREFUSED naming the first event that differs,
 * or a header that names another student, case or workflow.  `st` holds
 * the bundle's events replayed; the session's row is projected from it.
 * `*added` is how many events were appended (0: nothing new).
 */
int bundle_extend(cw_store *s, const session_row *existing, const state *st,
		  const cJSON *events, const cJSON *sess, long *added);

/*
 * The instructor acts among the bundle's events from seq `from` on that no
 * key this database trusts has signed: kept in the log (the chain needs
 * them), listed in the session's left-out setting so that they count
 * nowhere, and each added to `listed` ({"seq", "type", "actor", "at"}).
 */
int bundle_leave_out(cw_store *s, const char *id, const cJSON *events,
		     long from, cJSON *listed);

/* Event `ev` of a bundle as a row of session `id`, its strings borrowed
 * from `ev` (bundle.c). */
event_row bundle_event_of(const cJSON *ev, const char *id);

#endif
