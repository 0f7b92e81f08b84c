/*
 * test_store_conformance.c - what every storage backend must do, tested
 * through the storage interface (store.h) alone, so that the same tests
 * run against each backend.  The backend is chosen by what the database
 * is named: a file path in a fresh temporary folder (SQLite) unless
 * $CASEWORK_TEST_STORE names another database (a server's URI).  Each test
 * needs an empty database: with $CASEWORK_TEST_STORE, the command in
 * $CASEWORK_TEST_STORE_RESET (tests/pg/server reset DIR) makes it empty
 * again before each test.
 */
#include "helpers.h"

#include "hash.h"
#include "store.h"

#define WF_TEXT "{\"id\":\"wf\",\"phases\":[{\"id\":\"intake\"}]}"
#define SESSION_A "aaaaaaaa-0000-4000-8000-000000000001"
#define SESSION_B "bbbbbbbb-0000-4000-8000-000000000002"
#define SESSION_C "aaaabbbb-0000-4000-8000-000000000003"

typedef struct conformance {
	char dir[256];
	char where[300];
	cw_store *s;
	char case_sha[65];
	char wf_sha[65];
} conformance;

static int setup(void **state)
{
	conformance *c = calloc(1, sizeof(*c));
	const char *where = getenv("CASEWORK_TEST_STORE");

	if (c == NULL)
		return -1;
	if (where != NULL && where[0] != '\0') {
		const char *reset = getenv("CASEWORK_TEST_STORE_RESET");

		if (reset != NULL && reset[0] != '\0' && system(reset) != 0) {
			print_message("setup: '%s' failed\n", reset);
			free(c);
			return -1;
		}
		snprintf(c->where, sizeof(c->where), "%s", where);
	} else {
		snprintf(c->dir, sizeof(c->dir), "%s/cw-conf-XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(c->dir) == NULL)
			return -1;
		snprintf(c->where, sizeof(c->where), "%s/cw.db", c->dir);
	}
	if (store_open(&c->s, c->where, 1) != 0 || store_migrate(c->s) < 0) {
		print_message("setup: %s\n", cw_error_last());
		store_close(c->s);
		free(c);
		return -1;
	}
	hash_sha256(c->case_sha, "{}", 2);
	hash_sha256(c->wf_sha, WF_TEXT, strlen(WF_TEXT));
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	conformance *c = *state;
	char cmd[300];

	store_close(c->s);
	if (c->dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->dir);
		if (system(cmd) != 0)
			return -1;
	}
	free(c);
	return 0;
}

/* A workflow, a case and session `id` on them, in one transaction. */
static void make_session(conformance *c, const char *id, const char *student,
			 const char *created)
{
	session_row r = { .id = (char *)id,
			  .case_id = "case-a",
			  .case_sha256 = c->case_sha,
			  .workflow_id = "wf",
			  .workflow_version = 1,
			  .student = (char *)student,
			  .created_at = (char *)created,
			  .phase = "intake",
			  .status = "open",
			  .last_seq = 0,
			  .head = "",
			  .met = 0,
			  .total = 1,
			  .updated_at = (char *)created };
	char *text = NULL;
	int owned = 0;

	assert_int_equal(store_enter(c->s, &owned), 0);
	if (store_workflow_get(c->s, "wf", 1, &text, NULL) == CW_ENOTFOUND)
		assert_int_equal(store_workflow_insert(c->s, "wf", 1, "A flow",
						       WF_TEXT, c->wf_sha,
						       "2026-01-01T00:00:00Z"),
				 0);
	free(text);
	assert_int_equal(store_case_put(c->s, "case-a", "Case A", "school", "{}",
					c->case_sha, "2026-01-01T00:00:00Z"),
			 0);
	assert_int_equal(store_session_insert(c->s, &r), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
}

/* Append event `seq` of session `id`, chained to `prev`; its hash in
 * `hash`.  Returns the store's answer. */
static int append(conformance *c, const char *id, long seq, const char *prev,
		  char hash[65])
{
	event_row ev = { .session = id,
			 .seq = seq,
			 .at = "2026-01-01T00:00:01.000Z",
			 .actor = "tester",
			 .phase = "intake",
			 .type = seq == 1 ? "session.started" : "note.added",
			 .payload = "{\"text\":\"x\"}",
			 .prev = prev };

	store_event_hash(hash, &ev);
	ev.hash = hash;
	/* fixed times and actor: the path that keeps an event's own (a
	 * bundle's), which a class server opens to instructors only */
	return store_event_import(c->s, &ev);
}

/* Append event `seq` as the engine does, with what store_event_stamp
 * gives (on a file: `at` and `actor` as given). */
static int append_as(conformance *c, const char *id, long seq,
		     const char *prev, const char *at, const char *actor,
		     char hash[65])
{
	char stamped[32];
	const char *login = NULL;
	event_row ev = { .session = id,
			 .seq = seq,
			 .at = at,
			 .actor = actor,
			 .phase = "intake",
			 .type = "note.added",
			 .payload = "{\"text\":\"y\"}",
			 .prev = prev };
	int stamp = store_event_stamp(c->s, stamped, &login);

	if (stamp < 0)
		return stamp;
	if (stamp == 1 && at == NULL)
		ev.at = stamped;
	if (stamp == 1 && actor == NULL)
		ev.actor = login;
	if (ev.at == NULL)
		ev.at = "2026-01-01T00:00:02.000Z";
	if (ev.actor == NULL)
		ev.actor = "tester";
	store_event_hash(hash, &ev);
	ev.hash = hash;
	return store_event_insert(c->s, &ev);
}

/* The engine's path into the log: on a class server the time and actor
 * must be the server's (the database refuses others, whatever the
 * client), and a hash that does not chain is refused on every backend. */
static void test_server_word(void **state)
{
	conformance *c = *state;
	char h1[65], h2[65], bad[65];
	int owned = 0, server;
	const char *login = NULL;
	char at[32];

	make_session(c, SESSION_A, "Ana", "2026-01-01T00:00:00.000Z");
	assert_int_equal(store_enter(c->s, &owned), 0);
	server = store_event_stamp(c->s, at, &login);
	assert_true(server == 0 || server == 1);
	assert_int_equal(append(c, SESSION_A, 1, store_genesis, h1), 0);
	assert_int_equal(append_as(c, SESSION_A, 2, h1, NULL, NULL, h2), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	if (server) {
		/* a time or an actor of the client's own is refused */
		assert_int_equal(store_enter(c->s, &owned), 0);
		assert_int_not_equal(append_as(c, SESSION_A, 3, h2,
					       "2020-01-01T00:00:00.000Z",
					       NULL, bad),
				     0);
		assert_int_equal(store_end(c->s, owned, CW_ERROR), CW_ERROR);
		assert_int_equal(store_enter(c->s, &owned), 0);
		assert_int_not_equal(append_as(c, SESSION_A, 3, h2, NULL,
					       "Dr Lee", bad),
				     0);
		assert_int_equal(store_end(c->s, owned, CW_ERROR), CW_ERROR);
		/* a prev that is not the last hash */
		assert_int_equal(store_enter(c->s, &owned), 0);
		assert_int_not_equal(append_as(c, SESSION_A, 3, h1, NULL, NULL,
					       bad),
				     0);
		assert_int_equal(store_end(c->s, owned, CW_ERROR), CW_ERROR);
	}
}

static int count_event(const event_row *ev, void *payload)
{
	long *seen = payload;

	/* in order, each with its fields back */
	assert_int_equal(ev->seq, *seen + 1);
	assert_string_equal(ev->actor, "tester");
	assert_string_equal(ev->phase, "intake");
	assert_int_equal(strlen(ev->hash), 64);
	(*seen)++;
	return 0;
}

static void test_schema_is_current(void **state)
{
	conformance *c = *state;

	assert_int_equal(cw_store_schema_version(c->s), cw_store_schema_latest());
	/* migrating again runs nothing */
	assert_int_equal(store_migrate(c->s), 0);
}

static void test_log_in_order(void **state)
{
	conformance *c = *state;
	char h1[65], h2[65], h3[65], bad[65];
	long seen = 0;
	int owned = 0;

	make_session(c, SESSION_A, "Ana", "2026-01-01T00:00:00.000Z");
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(append(c, SESSION_A, 1, store_genesis, h1), 0);
	assert_int_equal(append(c, SESSION_A, 2, h1, h2), 0);
	assert_int_equal(append(c, SESSION_A, 3, h2, h3), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	assert_int_equal(store_events_each(c->s, SESSION_A, count_event, &seen),
			 0);
	assert_int_equal(seen, 3);

	/* a gap, a repeat and a seq before the start are refused */
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_not_equal(append(c, SESSION_A, 5, h3, bad), 0);
	assert_int_equal(store_end(c->s, owned, CW_ERROR), CW_ERROR);
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_not_equal(append(c, SESSION_A, 3, h2, bad), 0);
	assert_int_equal(store_end(c->s, owned, CW_ERROR), CW_ERROR);
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_not_equal(append(c, SESSION_A, 0, h2, bad), 0);
	assert_int_equal(store_end(c->s, owned, CW_ERROR), CW_ERROR);
	seen = 0;
	assert_int_equal(store_events_each(c->s, SESSION_A, count_event, &seen),
			 0);
	assert_int_equal(seen, 3);
	/* a session with no events has an empty log */
	seen = 0;
	assert_int_equal(store_events_each(c->s, SESSION_B, count_event, &seen),
			 0);
	assert_int_equal(seen, 0);
}

static int stop_at_two(const event_row *ev, void *payload)
{
	(void)payload;
	return ev->seq == 2 ? 42 : 0;
}

static void test_iteration_stops(void **state)
{
	conformance *c = *state;
	char h1[65], h2[65], h3[65];
	int owned = 0;

	make_session(c, SESSION_A, "Ana", "2026-01-01T00:00:00.000Z");
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(append(c, SESSION_A, 1, store_genesis, h1), 0);
	assert_int_equal(append(c, SESSION_A, 2, h1, h2), 0);
	assert_int_equal(append(c, SESSION_A, 3, h2, h3), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	assert_int_equal(store_events_each(c->s, SESSION_A, stop_at_two, NULL),
			 42);
	/* and the store is usable after a stopped iteration */
	assert_int_equal(store_events_each(c->s, SESSION_A, stop_at_two, NULL),
			 42);
}

static void test_rollback_leaves_nothing(void **state)
{
	conformance *c = *state;
	char h1[65], *value = NULL;
	session_row r = { 0 };
	int owned = 0;

	make_session(c, SESSION_A, "Ana", "2026-01-01T00:00:00.000Z");
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(owned, 1);
	assert_int_equal(append(c, SESSION_A, 1, store_genesis, h1), 0);
	assert_int_equal(store_setting_set(c->s, "current", SESSION_A), 0);
	assert_int_equal(store_end(c->s, owned, CW_EREFUSED), CW_EREFUSED);
	assert_int_equal(store_events_each(c->s, SESSION_A, stop_at_two, NULL),
			 0);
	assert_int_equal(store_setting_get(c->s, "current", &value), 0);
	assert_null(value);
	/* an inner enter joins the outer transaction and does not commit */
	assert_int_equal(store_enter(c->s, &owned), 0);
	{
		int inner = 1;

		assert_int_equal(store_enter(c->s, &inner), 0);
		assert_int_equal(inner, 0);
		assert_int_equal(store_setting_set(c->s, "k", "v"), 0);
		assert_int_equal(store_end(c->s, inner, 0), 0);
	}
	store_rollback(c->s);
	assert_int_equal(store_setting_get(c->s, "k", &value), 0);
	assert_null(value);
	assert_int_equal(store_session_get(c->s, SESSION_A, &r), 0);
	session_row_clear(&r);
}

static void test_sessions(void **state)
{
	conformance *c = *state;
	session_row r = { 0 };
	char ids[4][CW_ID_LEN + 1];
	int count = 0, owned = 0;

	make_session(c, SESSION_A, "Ana", "2026-01-01T00:00:00.000Z");
	make_session(c, SESSION_B, "Ben", "2026-01-02T00:00:00.000Z");
	make_session(c, SESSION_C, "Ana", "2026-01-03T00:00:00.000Z");
	assert_int_equal(store_session_get(c->s, SESSION_B, &r), 0);
	assert_string_equal(r.id, SESSION_B);
	assert_string_equal(r.case_id, "case-a");
	assert_string_equal(r.case_sha256, c->case_sha);
	assert_string_equal(r.workflow_id, "wf");
	assert_int_equal(r.workflow_version, 1);
	assert_string_equal(r.student, "Ben");
	assert_string_equal(r.status, "open");
	assert_int_equal(r.total, 1);
	assert_null(r.ended_early);

	/* the projection changes, the rest stays */
	free(r.phase);
	free(r.status);
	free(r.head);
	free(r.updated_at);
	r.phase = strdup("intake");
	r.status = strdup("closed");
	r.head = strdup("ab");
	r.updated_at = strdup("2026-02-01T00:00:00.000Z");
	r.ended_early = strdup("moved away");
	r.last_seq = 7;
	r.met = 1;
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(store_session_project(c->s, &r), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	session_row_clear(&r);
	assert_int_equal(store_session_get(c->s, SESSION_B, &r), 0);
	assert_string_equal(r.status, "closed");
	assert_string_equal(r.head, "ab");
	assert_int_equal(r.last_seq, 7);
	assert_int_equal(r.met, 1);
	assert_string_equal(r.ended_early, "moved away");
	assert_string_equal(r.student, "Ben");
	assert_string_equal(r.created_at, "2026-01-02T00:00:00.000Z");
	/* an early end without a reason is "", not NULL (no early end) */
	free(r.ended_early);
	r.ended_early = strdup("");
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(store_session_project(c->s, &r), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	session_row_clear(&r);
	assert_int_equal(store_session_get(c->s, SESSION_B, &r), 0);
	assert_non_null(r.ended_early);
	assert_string_equal(r.ended_early, "");
	session_row_clear(&r);
	/* the other sessions did not end early */
	assert_int_equal(store_session_get(c->s, SESSION_A, &r), 0);
	assert_null(r.ended_early);
	session_row_clear(&r);

	assert_int_equal(store_session_get(c->s, "cccccccc-0000-4000-8000-0000",
					   &r),
			 CW_ENOTFOUND);
	/* prefixes: one, two, none */
	assert_int_equal(store_session_prefix(c->s, "bbbb", ids, 4, &count), 0);
	assert_int_equal(count, 1);
	assert_string_equal(ids[0], SESSION_B);
	assert_int_equal(store_session_prefix(c->s, "aaaa", ids, 4, &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(store_session_prefix(c->s, "aaaa", ids, 1, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(store_session_prefix(c->s, "dddd", ids, 4, &count), 0);
	assert_int_equal(count, 0);
	/* a prefix is not a pattern */
	assert_int_equal(store_session_prefix(c->s, "aa%a", ids, 4, &count), 0);
	assert_int_equal(count, 0);
}

struct seen {
	int n;
	char ids[8][CW_ID_LEN + 1];
};

static int collect_session(const session_row *r, void *payload)
{
	struct seen *seen = payload;

	assert_true(seen->n < 8);
	snprintf(seen->ids[seen->n++], CW_ID_LEN + 1, "%s", r->id);
	/* the listing gives the projection as the row does */
	if (strcmp(r->id, SESSION_B) == 0)
		assert_string_equal(r->ended_early, "client withdrew");
	else
		assert_null(r->ended_early);
	return 0;
}

static void test_sessions_each(void **state)
{
	conformance *c = *state;
	struct seen seen = { 0 };
	store_session_filter ana = { .student = "Ana" };
	store_session_filter since = { .since = "2026-01-02T00:00:00.000Z" };
	store_session_filter none = { .status = "closed" };
	store_session_filter other = { .workflow_id = "other" };

	/* made out of id order: the listing is by creation */
	make_session(c, SESSION_B, "Ben", "2026-01-02T00:00:00.000Z");
	make_session(c, SESSION_C, "Ana", "2026-01-03T00:00:00.000Z");
	make_session(c, SESSION_A, "Ana", "2026-01-01T00:00:00.000Z");
	{
		session_row r = { 0 };
		int owned = 0;

		assert_int_equal(store_session_get(c->s, SESSION_B, &r), 0);
		r.ended_early = strdup("client withdrew");
		assert_int_equal(store_enter(c->s, &owned), 0);
		assert_int_equal(store_session_project(c->s, &r), 0);
		assert_int_equal(store_end(c->s, owned, 0), 0);
		session_row_clear(&r);
	}
	assert_int_equal(store_sessions_each(c->s, NULL, collect_session, &seen),
			 0);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.ids[0], SESSION_A);
	assert_string_equal(seen.ids[1], SESSION_B);
	assert_string_equal(seen.ids[2], SESSION_C);
	seen.n = 0;
	assert_int_equal(store_sessions_each(c->s, &ana, collect_session, &seen),
			 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.ids[0], SESSION_A);
	assert_string_equal(seen.ids[1], SESSION_C);
	seen.n = 0;
	assert_int_equal(
		store_sessions_each(c->s, &since, collect_session, &seen), 0);
	assert_int_equal(seen.n, 2);
	seen.n = 0;
	assert_int_equal(store_sessions_each(c->s, &none, collect_session, &seen),
			 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(
		store_sessions_each(c->s, &other, collect_session, &seen), 0);
	assert_int_equal(seen.n, 0);
}

static int count_workflow(const workflow_row *w, void *payload)
{
	int *n = payload;

	assert_string_equal(w->id, "wf");
	assert_int_equal(w->version, *n + 1);
	assert_int_equal(w->sessions, w->version == 1 ? 1 : 0);
	(*n)++;
	return 0;
}

static void test_workflows(void **state)
{
	conformance *c = *state;
	char *text = NULL;
	int version = 0, n = 0, known = -1, owned = 0;

	make_session(c, SESSION_A, "Ana", "2026-01-01T00:00:00.000Z");
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(store_workflow_insert(c->s, "wf", 2, "A flow, again",
					       WF_TEXT, c->wf_sha,
					       "2026-01-02T00:00:00Z"),
			 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	assert_int_equal(store_workflow_get(c->s, "wf", 0, &text, &version), 0);
	assert_int_equal(version, 2);
	assert_string_equal(text, WF_TEXT);
	free(text);
	assert_int_equal(store_workflow_get(c->s, "wf", 1, &text, &version), 0);
	assert_int_equal(version, 1);
	free(text);
	assert_int_equal(store_workflow_get(c->s, "wf", 3, &text, NULL),
			 CW_ENOTFOUND);
	assert_null(text);
	assert_int_equal(store_workflow_get(c->s, "none", 0, &text, NULL),
			 CW_ENOTFOUND);
	/* a version is immutable: storing it again fails */
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_not_equal(store_workflow_insert(c->s, "wf", 2, "Other",
						   "{}", c->wf_sha,
						   "2026-01-03T00:00:00Z"),
			     0);
	assert_int_equal(store_end(c->s, owned, CW_ERROR), CW_ERROR);
	assert_int_equal(store_workflows_each(c->s, "wf", count_workflow, &n),
			 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(store_workflows_each(c->s, "none", count_workflow, &n),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_phase_known(c->s, "intake", &known), 0);
	assert_int_equal(known, 1);
	assert_int_equal(store_phase_known(c->s, "outtake", &known), 0);
	assert_int_equal(known, 0);
}

static int count_case(const case_row *row, void *payload)
{
	int *n = payload;

	assert_string_equal(row->id, *n == 0 ? "case-a" : "case-b");
	(*n)++;
	return 0;
}

static void test_cases(void **state)
{
	conformance *c = *state;
	char *text = NULL, *sha = NULL, other[65];
	int n = 0, owned = 0;

	hash_sha256(other, "{\"v\":2}", 7);
	assert_int_equal(store_case_get(c->s, "case-a", &text, &sha),
			 CW_ENOTFOUND);
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(store_case_put(c->s, "case-b", "B", "school", "{}",
					c->case_sha, "2026-01-01T00:00:00Z"),
			 0);
	assert_int_equal(store_case_put(c->s, "case-a", "A", "school", "{}",
					c->case_sha, "2026-01-01T00:00:00Z"),
			 0);
	/* a new text replaces the current one; the old stays by its hash */
	assert_int_equal(store_case_put(c->s, "case-a", "A2", "school",
					"{\"v\":2}", other,
					"2026-01-02T00:00:00Z"),
			 0);
	/* adopting leaves an existing case alone but keeps the text */
	assert_int_equal(store_case_adopt(c->s, "case-b", "B?", "school",
					  "{\"v\":2}", other,
					  "2026-01-03T00:00:00Z"),
			 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	assert_int_equal(store_case_get(c->s, "case-a", &text, &sha), 0);
	assert_string_equal(text, "{\"v\":2}");
	assert_string_equal(sha, other);
	free(text);
	free(sha);
	assert_int_equal(store_case_get(c->s, "case-b", &text, NULL), 0);
	assert_string_equal(text, "{}");
	free(text);
	assert_int_equal(store_case_text(c->s, c->case_sha, &text), 0);
	assert_string_equal(text, "{}");
	free(text);
	assert_int_equal(store_case_text(c->s, store_genesis, &text),
			 CW_ENOTFOUND);
	assert_int_equal(store_cases_each(c->s, count_case, &n), 0);
	assert_int_equal(n, 2);
}

/* A closed session's instructor notes: those of the text it began on,
 * as JSON; none while it is open, none for a case without them, and no
 * session is CW_ENOTFOUND. */
static void test_case_notes(void **state)
{
	conformance *c = *state;
	const char *with = "{\"id\":\"case-n\",\"instructor_notes\":"
			   "{\"intake\":\"Look for the strengths.\"}}";
	char sha[65], *notes = NULL;
	session_row r = { 0 };
	cJSON *parsed;
	int owned = 0;

	hash_sha256(sha, with, strlen(with));
	make_session(c, SESSION_A, "Ana", "2026-01-01T00:00:00.000Z");
	make_session(c, SESSION_B, "Ben", "2026-01-02T00:00:00.000Z");
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(store_case_put(c->s, "case-n", "N", "school", with,
					sha, "2026-01-01T00:00:00Z"),
			 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	/* session C on the text with notes (a row names the text it began
	 * on); A and B are on a text without */
	{
		session_row n = { .id = SESSION_C,
				  .case_id = "case-n",
				  .case_sha256 = sha,
				  .workflow_id = "wf",
				  .workflow_version = 1,
				  .student = "Cy",
				  .created_at = "2026-01-03T00:00:00.000Z",
				  .phase = "intake",
				  .status = "open",
				  .head = "",
				  .total = 1,
				  .updated_at = "2026-01-03T00:00:00.000Z" };

		assert_int_equal(store_enter(c->s, &owned), 0);
		assert_int_equal(store_session_insert(c->s, &n), 0);
		assert_int_equal(store_end(c->s, owned, 0), 0);
	}
	/* open: none */
	notes = (char *)"x";
	assert_int_equal(store_case_notes(c->s, SESSION_C, &notes), 0);
	assert_null(notes);
	/* closed: the notes, as JSON */
	assert_int_equal(store_session_get(c->s, SESSION_C, &r), 0);
	free(r.status);
	r.status = strdup("closed");
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(store_session_project(c->s, &r), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	session_row_clear(&r);
	assert_int_equal(store_case_notes(c->s, SESSION_C, &notes), 0);
	assert_non_null(notes);
	parsed = cJSON_Parse(notes);
	assert_non_null(parsed);
	assert_string_equal(
		cJSON_GetObjectItemCaseSensitive(parsed, "intake")->valuestring,
		"Look for the strengths.");
	cJSON_Delete(parsed);
	free(notes);
	/* a closed session on a case without notes: none */
	assert_int_equal(store_session_get(c->s, SESSION_B, &r), 0);
	free(r.status);
	r.status = strdup("closed");
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(store_session_project(c->s, &r), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	session_row_clear(&r);
	assert_int_equal(store_case_notes(c->s, SESSION_B, &notes), 0);
	assert_null(notes);
	assert_int_equal(store_case_notes(c->s, SESSION_A, &notes), 0);
	assert_null(notes);
	assert_int_equal(store_case_notes(c->s, "cccccccc-0000-4000-8000-"
						"000000000004",
					  &notes),
			 CW_ENOTFOUND);
	assert_null(notes);
}

static void test_settings(void **state)
{
	conformance *c = *state;
	char *value = NULL;
	int owned = 0;

	assert_int_equal(store_setting_get(c->s, "current", &value), 0);
	assert_null(value);
	assert_int_equal(store_enter(c->s, &owned), 0);
	assert_int_equal(store_setting_set(c->s, "current", "one"), 0);
	assert_int_equal(store_setting_set(c->s, "current", "two"), 0);
	assert_int_equal(store_end(c->s, owned, 0), 0);
	assert_int_equal(store_setting_get(c->s, "current", &value), 0);
	assert_string_equal(value, "two");
	free(value);
}

/* The chain hash is the backend's neither: a fixed event hashes alike
 * everywhere, so that a bundle from one backend verifies on another. */
static void test_chain_hash_is_fixed(void **state)
{
	event_row ev = { .session = SESSION_A,
			 .seq = 1,
			 .at = "2026-01-01T00:00:01.000Z",
			 .actor = "tester",
			 .phase = "intake",
			 .type = "session.started",
			 .payload = "{}",
			 .prev = store_genesis };
	char hash[65], again[65];

	(void)state;
	store_event_hash(hash, &ev);
	store_event_hash(again, &ev);
	assert_string_equal(hash, again);
	/* moving a character from one field to the next changes it */
	ev.actor = "teste";
	ev.phase = "rintake";
	store_event_hash(again, &ev);
	assert_string_not_equal(hash, again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_is_current, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_log_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_iteration_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions_each, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_workflows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_notes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_word, setup,
						teardown),
		cmocka_unit_test(test_chain_hash_is_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
