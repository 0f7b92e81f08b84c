/*
 * test_bundle.c - hand-in bundles: a session rebuilt in another database
 * is the same session; importing twice is a no-op; a changed, dropped or
 * reordered event -- each of them in turn -- is refused.
 */
#include "casework/bundle.h"
#include "helpers.h"
#include "store.h"

/* A closed session's bundle, as text (caller frees). */
static char *bundle_of(fixture *fx)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	cw_action a = { .type = CW_ACT_TERMINATE, .reason = "moved away" };

	assert_int_equal(note(fx, "exploration", "Says \"it's fine\"\nthen cries"), 0);
	assert_int_equal(act(fx, a), 0);
	assert_int_equal(check(fx, "progress-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(cw_bundle_write(f, fx->store, fx->session), 0);
	fclose(f);
	return text;
}

/* A second, empty database. */
static cw_store *other_store(fixture *fx, char *path, size_t size)
{
	cw_store *s = NULL;

	snprintf(path, size, "%s/other.db", fx->dir);
	unlink(path);
	assert_int_equal(cw_store_open(&s, path), 0);
	return s;
}

static int import(cw_store *s, const char *text, cJSON **out)
{
	cw_diags diags = CW_DIAGS_INIT;
	int error = cw_bundle_import(out, s, &diags, text, strlen(text));

	cw_diags_free(&diags);
	return error;
}

static char *status_text(cw_store *s, const char *id)
{
	cJSON *doc = NULL;
	char *text;

	assert_int_equal(cw_session_status(&doc, s, id), 0);
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	return text;
}

static void test_round_trip(void **state)
{
	fixture *fx = *state;
	char path[400], *text = bundle_of(fx), *a, *b;
	cw_store *other = other_store(fx, path, sizeof(path));
	cJSON *out = NULL, *v = NULL, *log1 = NULL, *log2 = NULL;
	char *l1, *l2;

	assert_int_equal(import(other, text, &out), 0);
	assert_string_equal(cJSON_GetObjectItem(out, "result")->valuestring,
			    "imported");
	cJSON_Delete(out);
	a = status_text(fx->store, fx->session);
	b = status_text(other, fx->session);
	assert_string_equal(a, b);
	assert_int_equal(cw_session_log(&log1, fx->store, fx->session), 0);
	assert_int_equal(cw_session_log(&log2, other, fx->session), 0);
	l1 = cJSON_PrintUnformatted(log1);
	l2 = cJSON_PrintUnformatted(log2);
	assert_string_equal(l1, l2);
	assert_int_equal(cw_session_verify(&v, other, fx->session), 0);
	cJSON_Delete(v);
	/* the same bundle again is a clear no-op */
	assert_int_equal(import(other, text, &out), 0);
	assert_string_equal(cJSON_GetObjectItem(out, "result")->valuestring,
			    "unchanged");
	cJSON_Delete(out);
	free(a);
	free(b);
	free(l1);
	free(l2);
	cJSON_Delete(log1);
	cJSON_Delete(log2);
	cw_store_free(other);
	free(text);
}

/* The bundle of the fixture's session as it is now (caller frees). */
static char *bundle_now(fixture *fx)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	assert_int_equal(cw_bundle_write(f, fx->store, fx->session), 0);
	fclose(f);
	return text;
}

/* The bundle of session `id` in store `s` (caller frees). */
static char *bundle_from(cw_store *s, const char *id)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	assert_int_equal(cw_bundle_write(f, s, id), 0);
	fclose(f);
	return text;
}

/* Import `text` into `s`: result `result`, `added` new events after
 * `after` events of that side, `events` in all; the session verifies. */
static void imported(cw_store *s, const char *id, const char *text,
		     const char *result, int added, int after, long events)
{
	cJSON *out = NULL, *v = NULL;
	int error = import(s, text, &out);

	if (error != 0)
		print_message("refused: %s\n", cw_error_last());
	assert_int_equal(error, 0);
	assert_string_equal(cJSON_GetObjectItem(out, "result")->valuestring,
			    result);
	assert_int_equal(cJSON_GetObjectItem(out, "new_events")->valueint,
			 added);
	assert_int_equal(cJSON_GetObjectItem(out, "merged_after")->valueint,
			 after);
	assert_int_equal(cJSON_GetObjectItem(out, "events")->valueint, events);
	cJSON_Delete(out);
	if ((error = cw_session_verify(&v, s, id)) != 0)
		print_message("does not verify: %s\n", cw_error_last());
	assert_int_equal(error, 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(v, "ok")));
	cJSON_Delete(v);
}

/* A later bundle of a session here appends what it adds; when each side
 * worked on after the last event both held, each gets the other's part,
 * and the next exchange appends only what is new since (side A holds
 * P + A1 + B1', side B P + B1 + A1'; A adds A2; B gets only A2). */
static void test_later_bundle_extends_diverged_merges(void **state)
{
	fixture *fx = *state;
	char path[400], *text = bundle_of(fx), *later, *apart, *back, *again;
	cw_store *other = other_store(fx, path, sizeof(path)), *mine;
	cJSON *out = NULL;
	long seq;

	assert_int_equal(import(other, text, &out), 0);
	cJSON_Delete(out);
	assert_int_equal(note(fx, NULL, "one more note"), 0);
	later = bundle_now(fx);
	assert_int_equal(import(other, later, &out), 0);
	assert_string_equal(cJSON_GetObjectItem(out, "result")->valuestring,
			    "updated");
	assert_int_equal(cJSON_GetObjectItem(out, "new_events")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(out, "merged_after")->valueint, 0);
	seq = (long)cJSON_GetObjectItem(out, "events")->valueint;
	cJSON_Delete(out);
	/* each side adds its own next event (B1 over there, A1 here) */
	mine = fx->store;
	fx->store = other;
	assert_int_equal(note(fx, NULL, "written over there"), 0);
	fx->store = mine;
	assert_int_equal(note(fx, NULL, "written here"), 0);
	apart = bundle_now(fx);
	imported(other, fx->session, apart, "updated", 1, 1, seq + 2);
	back = bundle_from(other, fx->session);
	imported(mine, fx->session, back, "updated", 1, 1, seq + 2);
	/* A2 here: over there only it is new */
	assert_int_equal(note(fx, NULL, "after the exchange"), 0);
	again = bundle_now(fx);
	imported(other, fx->session, again, "updated", 1, 2, seq + 3);
	/* and nothing more, either way, however often */
	imported(other, fx->session, again, "unchanged", 0, 3, seq + 3);
	imported(other, fx->session, apart, "unchanged", 0, 3, seq + 3);
	free(back);
	back = bundle_from(other, fx->session);
	imported(mine, fx->session, back, "unchanged", 0, 3, seq + 3);
	free(again);
	free(back);
	free(apart);
	free(later);
	cw_store_free(other);
	free(text);
}

/* `text` (a bundle) with its last event written twice: a second event of
 * the same actor, time, type and payload, chained after it. */
static char *last_event_twice(const char *text)
{
	cJSON *doc = cJSON_Parse(text);
	cJSON *events = cJSON_GetObjectItem(doc, "events");
	cJSON *last = cJSON_GetArrayItem(events, cJSON_GetArraySize(events) - 1);
	cJSON *copy = cJSON_Duplicate(last, 1);
	event_row row;
	char hash[65], *out;

	row = (event_row){
	    .session = cJSON_GetObjectItem(
			   cJSON_GetObjectItem(doc, "session"), "id")
			   ->valuestring,
	    .seq = (long)cJSON_GetObjectItem(last, "seq")->valuedouble + 1,
	    .at = cJSON_GetObjectItem(last, "at")->valuestring,
	    .actor = cJSON_GetObjectItem(last, "actor")->valuestring,
	    .phase = cJSON_GetObjectItem(last, "phase")->valuestring,
	    .type = cJSON_GetObjectItem(last, "type")->valuestring,
	    .payload = cJSON_GetObjectItem(last, "payload")->valuestring,
	    .prev = cJSON_GetObjectItem(last, "hash")->valuestring,
	};
	store_event_hash(hash, &row);
	cJSON_ReplaceItemInObject(copy, "seq",
				  cJSON_CreateNumber((double)row.seq));
	cJSON_ReplaceItemInObject(copy, "prev", cJSON_CreateString(row.prev));
	cJSON_ReplaceItemInObject(copy, "hash", cJSON_CreateString(hash));
	cJSON_AddItemToArray(events, copy);
	cJSON_ReplaceItemInObject(doc, "head", cJSON_CreateString(hash));
	out = cJSON_Print(doc);
	cJSON_Delete(doc);
	return out;
}

/* Two equal notes (same actor, time and words) are two events: a side
 * that holds one of them gets the other, not nothing. */
static void test_equal_events_are_a_multiset(void **state)
{
	fixture *fx = *state;
	char path[400], *text = bundle_now(fx), *once, *twice;
	cw_store *other = other_store(fx, path, sizeof(path)), *mine;
	cJSON *out = NULL;
	long seq;

	assert_int_equal(import(other, text, &out), 0);
	seq = (long)cJSON_GetObjectItem(out, "events")->valueint;
	cJSON_Delete(out);
	mine = fx->store;
	fx->store = other;
	assert_int_equal(note(fx, NULL, "written over there"), 0);
	fx->store = mine;
	assert_int_equal(note(fx, NULL, "the same words"), 0);
	once = bundle_now(fx);
	imported(other, fx->session, once, "updated", 1, 1, seq + 2);
	twice = last_event_twice(once);
	imported(other, fx->session, twice, "updated", 1, 2, seq + 3);
	imported(other, fx->session, twice, "unchanged", 0, 3, seq + 3);
	free(twice);
	free(once);
	cw_store_free(other);
	free(text);
}

/* Import `doc` (a changed bundle) into a fresh store: must be refused. */
static void refused(fixture *fx, cJSON *doc, const char *what)
{
	char path[400], *text = cJSON_Print(doc);
	cw_store *other = other_store(fx, path, sizeof(path));
	cJSON *out = NULL, *list = NULL;
	int error = import(other, text, &out);

	if (error != CW_EREFUSED)
		print_message("not refused: %s (%d)\n", what, error);
	assert_int_equal(error, CW_EREFUSED);
	assert_null(out);
	/* and nothing was written */
	assert_int_equal(cw_session_list(&list, other, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);
	cw_store_free(other);
	free(text);
}

static void test_every_tampering_is_detected(void **state)
{
	fixture *fx = *state;
	char *text = bundle_of(fx);
	cJSON *original = cJSON_Parse(text);
	int n = cJSON_GetArraySize(cJSON_GetObjectItem(original, "events"));
	static const char *const fields[] = { "at", "actor", "phase", "type",
					      "payload" };

	assert_true(n >= 4);
	for (int i = 0; i < n; i++) {
		char what[64];

		/* change each field of each event */
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			cJSON *doc = cJSON_Duplicate(original, 1);
			cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "events"), i);
			const char *old = cJSON_GetObjectItem(ev, fields[f])->valuestring;
			char *changed = malloc(strlen(old) + 16);

			sprintf(changed, "%s ", old);
			if (strcmp(fields[f], "payload") == 0)
				sprintf(changed, "%.*s,\"x\":1}", (int)strlen(old) - 1, old);
			cJSON_ReplaceItemInObject(ev, fields[f],
						  cJSON_CreateString(changed));
			free(changed);
			snprintf(what, sizeof(what), "event %d field %s", i + 1,
				 fields[f]);
			refused(fx, doc, what);
			cJSON_Delete(doc);
		}
		/* drop it */
		{
			cJSON *doc = cJSON_Duplicate(original, 1);

			cJSON_DeleteItemFromArray(cJSON_GetObjectItem(doc, "events"), i);
			snprintf(what, sizeof(what), "drop event %d", i + 1);
			refused(fx, doc, what);
			cJSON_Delete(doc);
		}
		/* swap it with the next */
		if (i + 1 < n) {
			cJSON *doc = cJSON_Duplicate(original, 1);
			cJSON *events = cJSON_GetObjectItem(doc, "events");
			cJSON *moved = cJSON_DetachItemFromArray(events, i);

			/* cJSON 1.7.15 will not insert at the end */
			if (!cJSON_InsertItemInArray(events, i + 1, moved))
				cJSON_AddItemToArray(events, moved);
			snprintf(what, sizeof(what), "swap events %d and %d", i + 1,
				 i + 2);
			refused(fx, doc, what);
			cJSON_Delete(doc);
		}
	}
	/* the case text and the workflow are covered by their hashes */
	{
		cJSON *doc = cJSON_Duplicate(original, 1);
		cJSON *kase = cJSON_GetObjectItem(doc, "case");
		char *t = strdup(cJSON_GetObjectItem(kase, "text")->valuestring);

		t[strlen(t) - 2] = ' ';
		cJSON_ReplaceItemInObject(kase, "text", cJSON_CreateString(t));
		free(t);
		refused(fx, doc, "case text");
		cJSON_Delete(doc);
	}
	cJSON_Delete(original);
	free(text);
}

static void test_malformed_bundles(void **state)
{
	fixture *fx = *state;
	char path[400];
	cw_store *other = other_store(fx, path, sizeof(path));
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	static const char *const bad[] = {
		"", "[1]", "{\"bundle_version\":1", "{\"bundle_version\":2}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cw_bundle_import(&out, other, &diags, bad[i],
						  strlen(bad[i])),
				 CW_ESCHEMA);
		assert_true(diags.count > 0);
		cw_diags_free(&diags);
	}
	cw_store_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
		T(test_round_trip),
		T(test_later_bundle_extends_diverged_merges),
		T(test_equal_events_are_a_multiset),
		T(test_every_tampering_is_detected),
		T(test_malformed_bundles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
