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

/* What a merge did: the events both sides held in the same place of the
 * chain, the events stored here after them, and how many of the bundle's
 * were appended. */
typedef struct bundle_merged {
	long common, ours, added;
} bundle_merged;

/*
 * Bring into `existing` (a session stored here) what the bundle's
 * `events` add.  The common prefix is the longest run of events both hold
 * in the same place (by hash); what follows it here is "ours", in the
 * bundle "theirs".  Every event of theirs that ours does not hold already
 * (the same actor, time, type and payload; matched as a multiset) is
 * appended in the bundle's order, re-chained after the stored head (seq,
 * prev, phase and hash made here, as an append makes them; when ours is
 * empty the bundle simply extends the log and its events keep their
 * chain).  Unsigned or untrusted instructor acts among them are left out
 * under their new seqs and added to `listed`.  The merged log is replayed
 * through the interpreter as it is written: an event that does not
 * follow, a student's step that would land in another phase, a header
 * that names another student, case or workflow, or a first event that
 * differs is CW_EREFUSED naming the event.  The session's row is
 * projected from the replay.
 */
int bundle_merge(cw_store *s, const session_row *existing, const cJSON *events,
		 const cJSON *sess, bundle_merged *out, cJSON *listed);

/*
 * The instructor acts among the bundle's events (a session new here) that
 * no key this database trusts has signed: kept in the log (the chain needs
 * them), listed in the session's left-out setting so that they count
 * nowhere, and each added to `listed` ({"seq", "type", "actor", "at"}).
 */
int bundle_leave_out(cw_store *s, const char *id, const cJSON *events,
		     cJSON *listed);

/*
 * Replay session `id` as stored here, its left-out acts counting nowhere,
 * and project its row from that: after a new session's import left acts
 * out, the row is what every later replay and verify will find.  A log
 * that does not replay without them (a step that needed a left-out act)
 * is CW_EREFUSED.
 */
int bundle_settle(cw_store *s, const char *id);

/* Event `ev` of a bundle as a row of session `id`, its strings borrowed
 * from `ev` (bundle.c). */
event_row bundle_event_of(const cJSON *ev, const char *id);

#endif
