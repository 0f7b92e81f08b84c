/*
 * bundle_merge.c - a bundle is checked whole before anything is written,
 * and a bundle of a session already present appends what it adds.
 *
 * Hand-in and hand-back: the student exports, the instructor imports; the
 * instructor's database then holds the same chain of events, and anything
 * either side adds later extends it.  A bundle that holds every event
 * stored here, unchanged, and more, appends the rest; one that holds no
 * more is a no-op; one that differs from what is stored in any event is
 * refused, naming the first event that differs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_merge.h"
#include "event.h"
#include "hash.h"
#include "key.h"
#include "text.h"

static const char *get(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* One text at `key` of `obj` against the command line's rules; a problem
 * to `c` at that key. */
static void check_text(checker *c, const cJSON *obj, const char *key,
		       const char *what, int lines)
{
	const char *text = get(obj, key);
	size_t mark;

	if (text == NULL || text_check_any(text, what, lines) == 0)
		return;
	mark = check_key(c, key);
	check_fail(c, "bad-text", "%s", cw_error_last());
	check_back(c, mark);
}

/* Every string inside `item` (a parsed payload), at its path. */
static void check_strings_in(checker *c, const cJSON *item)
{
	const cJSON *child;
	size_t i = 0;

	if (cJSON_IsString(item)) {
		if (text_check_any(item->valuestring, "text", 1) < 0)
			check_fail(c, "bad-text", "%s", cw_error_last());
		return;
	}
	cJSON_ArrayForEach(child, item) {
		size_t mark = cJSON_IsArray(item) ? check_index(c, i)
						  : check_key(c, child->string);

		check_strings_in(c, child);
		check_back(c, mark);
		i++;
	}
}

void bundle_check_texts(checker *c, const cJSON *root)
{
	const cJSON *sess = cJSON_GetObjectItem(root, "session");
	const cJSON *ev;
	size_t mark = check_key(c, "session"), i = 0;

	if (text_check(get(sess, "student"), "student name", 0) < 0) {
		size_t m = check_key(c, "student");

		check_fail(c, "bad-text", "%s", cw_error_last());
		check_back(c, m);
	}
	check_back(c, mark);
	mark = check_key(c, "events");
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(root, "events")) {
		size_t m = check_index(c, i++);
		cJSON *payload;

		if (text_check_actor(get(ev, "actor")) < 0) {
			size_t k = check_key(c, "actor");

			check_fail(c, "bad-text", "%s", cw_error_last());
			check_back(c, k);
		}
		check_text(c, ev, "at", "time", 0);
		check_text(c, ev, "phase", "phase", 0);
		check_text(c, ev, "type", "event type", 0);
		payload = cJSON_Parse(get(ev, "payload"));
		if (payload != NULL) {
			size_t k = check_key(c, "payload");

			check_strings_in(c, payload);
			check_back(c, k);
		}
		cJSON_Delete(payload);
		check_back(c, m);
	}
	check_back(c, mark);
}

void bundle_check_header(checker *c, const cJSON *root)
{
	const cJSON *sess = cJSON_GetObjectItem(root, "session");
	const cJSON *first =
	    cJSON_GetArrayItem(cJSON_GetObjectItem(root, "events"), 0);
	const cJSON *kase = cJSON_GetObjectItem(root, "case");
	session_row row = {
		.case_id = (char *)get(sess, "case"),
		.case_sha256 = (char *)get(kase, "sha256"),
		.student = (char *)get(sess, "student"),
		.workflow_id = (char *)get(sess, "workflow"),
		.workflow_version =
		    cJSON_GetObjectItem(sess, "version")->valueint,
	};
	event_row ev = {
		.type = get(first, "type"),
		.payload = get(first, "payload"),
	};
	size_t mark = check_key(c, "session");

	if (!state_started_matches(&ev, &row))
		check_fail(c, "header-mismatch",
			   "the case, student or workflow differs from what "
			   "the session's first event records (the header "
			   "was edited)");
	else if (fabs(state_seconds(get(first, "at"),
				    get(sess, "created_at"))) > 1.0) {
		/* the row's time is taken a moment before the event's */
		size_t m = check_key(c, "created_at");

		check_fail(c, "header-mismatch",
			   "'%s' is not the time of the session's first "
			   "event (%s)",
			   get(sess, "created_at"), get(first, "at"));
		check_back(c, m);
	}
	check_back(c, mark);
}

/* An event's identity on both sides of an exchange: who, when, what and
 * its payload (which carries an act's signature), not its place in the
 * chain (seq, prev, hash, phase), which a merge gives it anew. */
static void identity_of(char out[65], const char *actor, const char *at,
			const char *type, const char *payload)
{
	const char *fields[4] = { actor, at, type, payload };

	hash_fields(out, fields, 4);
}

/* The events stored here: their hashes, identities and how to name them. */
struct stored {
	char (*hash)[65], (*ident)[65];
	char **what;
	unsigned char *used;
	long count;
};

static int keep(const event_row *ev, void *payload)
{
	struct stored *st = payload;
	size_t n = (size_t)st->count + 1;
	void *grown;
	char *what;

	if ((grown = realloc(st->hash, n * sizeof(*st->hash))) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	st->hash = grown;
	if ((grown = realloc(st->ident, n * sizeof(*st->ident))) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	st->ident = grown;
	if ((grown = realloc(st->what, n * sizeof(*st->what))) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	st->what = grown;
	if ((grown = realloc(st->used, n)) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	st->used = grown;
	what = malloc(strlen(ev->type) + strlen(ev->actor) + strlen(ev->at) +
		      16);
	if (what == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	sprintf(what, "%s by %s at %s", ev->type, ev->actor, ev->at);
	snprintf(st->hash[st->count], 65, "%s", ev->hash);
	identity_of(st->ident[st->count], ev->actor, ev->at, ev->type,
		    ev->payload);
	st->what[st->count] = what;
	st->used[st->count] = 0;
	st->count++;
	return 0;
}

static void stored_free(struct stored *st)
{
	for (long i = 0; i < st->count; i++)
		free(st->what[i]);
	free(st->hash);
	free(st->ident);
	free(st->what);
	free(st->used);
}

/* Event `row`, an instructor act no trusted key signed, added to the
 * left-out list `*have` (" 3 7 ") and to `listed`: 1; 0 for any other
 * event; or an error. */
static int leave_out(cw_store *s, const event_row *row, char **have,
		     cJSON *listed)
{
	size_t len;
	char *grown;
	cJSON *item;
	int trusted;

	if (!event_is_act(event_type_of(row->type)))
		return 0;
	if ((trusted = key_act_trusted(s, row)) != 0)
		return trusted < 0 ? trusted : 0;
	len = (*have ? strlen(*have) : 0) + 32;
	if ((grown = malloc(len)) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	snprintf(grown, len, "%s %ld ", *have ? *have : "", row->seq);
	free(*have);
	*have = grown;
	item = cJSON_CreateObject();
	cJSON_AddNumberToObject(item, "seq", (double)row->seq);
	cJSON_AddStringToObject(item, "type", row->type);
	cJSON_AddStringToObject(item, "actor", row->actor);
	cJSON_AddStringToObject(item, "at", row->at);
	cJSON_AddItemToArray(listed, item);
	return 1;
}

/* The events of the bundle to append here: those after the common prefix
 * of `common` events that no event stored after it already is (matched as
 * a multiset, so two equal notes in one second stay two).  Each chosen
 * event's index in `events` goes to `pick`; their number is returned. */
static long choose(struct stored *here, long common, const cJSON *events,
		   long *pick)
{
	const cJSON *ev;
	long i = 0, n = 0;

	cJSON_ArrayForEach(ev, events) {
		char ident[65];
		long k;

		if (i++ < common)
			continue;
		identity_of(ident, get(ev, "actor"), get(ev, "at"),
			    get(ev, "type"), get(ev, "payload"));
		for (k = common; k < here->count; k++)
			if (!here->used[k] && strcmp(here->ident[k], ident) == 0)
				break;
		if (k < here->count)
			here->used[k] = 1;
		else
			pick[n++] = i - 1;
	}
	return n;
}

int bundle_settle(cw_store *s, const char *id)
{
	session_row row = { 0 };
	state st;
	int error = state_load(&st, &row, s, id);

	if (error == CW_ERROR && !st.oom)
		error = cw_error_set(CW_EREFUSED,
				     "without the instructor acts no key this "
				     "database trusts signed, the bundle's log "
				     "does not replay (%s): a step rests on "
				     "them; nothing was imported",
				     cw_error_last());
	if (error == 0)
		error = state_project(s, &st, id);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

/* Append the chosen events of the bundle to the session `id` stored here,
 * each re-chained after the stored head (its seq, prev, phase and hash
 * made here, as an append makes them), replaying the whole log through
 * the interpreter as it goes; the session's row projected at the end.
 * `keep_chain`: the bundle simply extends what is stored, and its events
 * keep their own chain. */
static int append_chosen(cw_store *s, const char *id, const cJSON *events,
			 const long *pick, long n, int keep_chain,
			 cJSON *listed)
{
	char key[96], *have = NULL, hash[65], prev[65];
	long next, i;
	state st;
	session_row row = { 0 };
	int error;

	memset(&st, 0, sizeof(st));
	snprintf(key, sizeof(key), KEY_LEFT_OUT_PREFIX "%s", id);
	/* the left-out list first, under the seqs the events get here: the
	 * replay below reads it, as every later replay and verify will */
	if ((error = store_session_get(s, id, &row)) < 0 ||
	    (error = store_setting_get(s, key, &have)) < 0)
		goto done;
	next = row.last_seq + 1;
	for (i = 0; i < n; i++) {
		event_row ev = bundle_event_of(
		    cJSON_GetArrayItem(events, (int)pick[i]), id);

		ev.seq = next + i;
		if ((error = leave_out(s, &ev, &have, listed)) < 0)
			goto done;
	}
	if (cJSON_GetArraySize(listed) > 0 &&
	    (error = store_setting_set(s, key, have)) < 0)
		goto done;
	session_row_clear(&row);
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		const cJSON *item = cJSON_GetArrayItem(events, (int)pick[i]);
		event_row ev = bundle_event_of(item, id);
		const char *phase = st.wf->phases[st.phase].id;
		long was = ev.seq;

		if (!keep_chain) {
			/* a student's step keeps the phase it was taken in;
			 * an instructor's act is about the session, and
			 * stands in the phase the session is in here */
			if (!event_is_act(event_type_of(ev.type)) &&
			    strcmp(ev.phase, phase) != 0) {
				error = cw_error_set(
				    CW_EREFUSED,
				    "the bundle's event %ld (%s by %s at %s) "
				    "was made in phase %s, but after the "
				    "events here the session is in %s; "
				    "nothing was imported",
				    ev.seq, ev.type, ev.actor, ev.at,
				    ev.phase, phase);
				goto done;
			}
			ev.seq = st.seq + 1;
			/* a copy: the replay moves the state's head */
			snprintf(prev, sizeof(prev), "%s",
				 st.seq ? st.head : store_genesis);
			ev.prev = prev;
			ev.phase = phase;
			ev.hash = NULL;
			store_event_hash(hash, &ev);
			ev.hash = hash;
		}
		if (state_apply(&st, &ev) < 0) {
			error = cw_error_set(
			    CW_EREFUSED,
			    "the bundle's event %ld (%s by %s at %s) does not "
			    "follow the events here (%s); nothing was "
			    "imported",
			    was, ev.type, ev.actor, ev.at, cw_error_last());
			goto done;
		}
		if ((error = store_event_import(s, &ev)) < 0)
			goto done;
	}
	error = state_project(s, &st, id);
done:
	state_clear(&st);
	session_row_clear(&row);
	free(have);
	return error;
}

int bundle_merge(cw_store *s, const session_row *existing, const cJSON *events,
		 const cJSON *sess, bundle_merged *out, cJSON *listed)
{
	struct stored here = { 0 };
	const cJSON *ev;
	long common = 0, theirs, *pick = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if (strcmp(existing->student, get(sess, "student")) != 0 ||
	    strcmp(existing->case_id, get(sess, "case")) != 0 ||
	    strcmp(existing->workflow_id, get(sess, "workflow")) != 0 ||
	    existing->workflow_version !=
		cJSON_GetObjectItem(sess, "version")->valueint)
		return cw_error_set(CW_EREFUSED,
				    "session %s here is %s's on %s (%s v%d); "
				    "the bundle's is not; nothing was imported",
				    existing->id, existing->student,
				    existing->case_id, existing->workflow_id,
				    existing->workflow_version);
	if ((error = store_events_each(s, existing->id, keep, &here)) < 0)
		goto done;
	/* the common prefix: the events both sides hold in the same place
	 * of the same chain (its first event, the session's start, always) */
	cJSON_ArrayForEach(ev, events) {
		if (common >= here.count ||
		    strcmp(get(ev, "hash"), here.hash[common]) != 0)
			break;
		common++;
	}
	if (common == 0) {
		error = cw_error_set(CW_EREFUSED,
				     "event 1 differs: here it is %s, in the "
				     "bundle %s by %s at %s; nothing was "
				     "imported",
				     here.count ? here.what[0] : "missing",
				     get(events->child, "type"),
				     get(events->child, "actor"),
				     get(events->child, "at"));
		goto done;
	}
	theirs = cJSON_GetArraySize(events) - common;
	if (theirs > 0 &&
	    (pick = malloc((size_t)theirs * sizeof(*pick))) == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto done;
	}
	out->common = common;
	out->ours = here.count - common;
	out->added = theirs > 0 ? choose(&here, common, events, pick) : 0;
	if (out->added > 0)
		error = append_chosen(s, existing->id, events, pick, out->added,
				      out->ours == 0, listed);
done:
	free(pick);
	stored_free(&here);
	return error;
}

int bundle_leave_out(cw_store *s, const char *id, const cJSON *events,
		     cJSON *listed)
{
	char key[96], *have = NULL;
	const cJSON *ev;
	int error = 0;

	snprintf(key, sizeof(key), KEY_LEFT_OUT_PREFIX "%s", id);
	cJSON_ArrayForEach(ev, events) {
		event_row row = bundle_event_of(ev, id);

		if ((error = leave_out(s, &row, &have, listed)) < 0)
			break;
		error = 0;
	}
	if (error == 0 && cJSON_GetArraySize(listed) > 0)
		error = store_setting_set(s, key, have);
	free(have);
	return error;
}
