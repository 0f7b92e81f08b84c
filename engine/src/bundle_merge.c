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

/* The events stored here: their hashes, types, actors and times. */
struct stored {
	char **hash, **what;
	long count;
};

static int keep(const event_row *ev, void *payload)
{
	struct stored *st = payload;
	char **hash = realloc(st->hash, (size_t)(st->count + 1) * sizeof(*hash));
	char **what;

	if (hash == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	st->hash = hash;
	what = realloc(st->what, (size_t)(st->count + 1) * sizeof(*what));
	if (what == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	st->what = what;
	hash[st->count] = strdup(ev->hash);
	what[st->count] = malloc(strlen(ev->type) + strlen(ev->actor) +
				 strlen(ev->at) + 16);
	if (hash[st->count] == NULL || what[st->count] == NULL) {
		free(hash[st->count]);
		free(what[st->count]);
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	sprintf(what[st->count], "%s by %s at %s", ev->type, ev->actor,
		ev->at);
	st->count++;
	return 0;
}

static void stored_free(struct stored *st)
{
	for (long i = 0; i < st->count; i++) {
		free(st->hash[i]);
		free(st->what[i]);
	}
	free(st->hash);
	free(st->what);
}

int bundle_extend(cw_store *s, const session_row *existing, const state *st,
		  const cJSON *events, const cJSON *sess, long *added)
{
	struct stored here = { 0 };
	const cJSON *ev;
	long i = 0;
	int error;

	*added = 0;
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
	cJSON_ArrayForEach(ev, events) {
		if (i >= here.count)
			break;
		if (strcmp(get(ev, "hash"), here.hash[i]) != 0) {
			error = cw_error_set(
			    CW_EREFUSED,
			    "event %ld differs: here it is %s, in the bundle "
			    "%s by %s at %s; the two logs went apart and "
			    "nothing was imported",
			    i + 1, here.what[i], get(ev, "type"),
			    get(ev, "actor"), get(ev, "at"));
			goto done;
		}
		i++;
	}
	if (st->seq <= here.count)
		goto done; /* nothing new: the bundle is older or the same */
	for (; ev != NULL; ev = ev->next) {
		event_row row = bundle_event_of(ev, existing->id);

		if ((error = store_event_import(s, &row)) < 0)
			goto done;
		(*added)++;
	}
	{
		session_row row = { 0 };

		row.id = existing->id;
		row.phase = (char *)st->wf->phases[st->phase].id;
		row.status = st->closed ? "closed" : "open";
		row.last_seq = st->seq;
		row.head = (char *)st->head;
		row.updated_at = (char *)st->last_at;
		state_progress(st, &row.met, &row.total);
		error = store_session_project(s, &row);
	}
done:
	stored_free(&here);
	return error;
}

int bundle_leave_out(cw_store *s, const char *id, const cJSON *events,
		     long from, cJSON *listed)
{
	char key[96], *have = NULL, *grown;
	const cJSON *ev;
	int error, trusted;

	snprintf(key, sizeof(key), KEY_LEFT_OUT_PREFIX "%s", id);
	if ((error = store_setting_get(s, key, &have)) < 0)
		return error;
	cJSON_ArrayForEach(ev, events) {
		event_row row = {
			.session = id,
			.seq = (long)cJSON_GetObjectItem(ev, "seq")->valuedouble,
			.at = get(ev, "at"),
			.actor = get(ev, "actor"),
			.type = get(ev, "type"),
			.payload = get(ev, "payload"),
		};
		size_t len;
		cJSON *item;

		if (row.seq < from || !event_is_act(event_type_of(row.type)))
			continue;
		if ((trusted = key_act_trusted(s, &row)) < 0) {
			error = trusted;
			break;
		}
		if (trusted)
			continue;
		len = (have ? strlen(have) : 0) + 32;
		if ((grown = malloc(len)) == NULL) {
			error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
			break;
		}
		snprintf(grown, len, "%s %ld ", have ? have : "", row.seq);
		free(have);
		have = grown;
		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "seq", (double)row.seq);
		cJSON_AddStringToObject(item, "type", row.type);
		cJSON_AddStringToObject(item, "actor", row.actor);
		cJSON_AddStringToObject(item, "at", row.at);
		cJSON_AddItemToArray(listed, item);
	}
	if (error == 0 && cJSON_GetArraySize(listed) > 0)
		error = store_setting_set(s, key, have);
	free(have);
	return error;
}
