/*
 * bundle.c - hand-in files.  A bundle carries the session's case text and
 * workflow definition as the exact bytes the database holds, and every
 * event with the payload text that was hashed, so that importing it
 * rebuilds the same session and any edit breaks the hash chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uuid/uuid.h>

#include "casework/bundle.h"
#include "casework/case.h"
#include "bundle_merge.h"
#include "catalog.h"
#include "check.h"
#include "state.h"
#include "store.h"

static int add_event(const event_row *ev, void *payload)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddNumberToObject(item, "seq", (double)ev->seq);
	cJSON_AddStringToObject(item, "at", ev->at);
	cJSON_AddStringToObject(item, "actor", ev->actor);
	cJSON_AddStringToObject(item, "phase", ev->phase);
	cJSON_AddStringToObject(item, "type", ev->type);
	cJSON_AddStringToObject(item, "payload", ev->payload);
	cJSON_AddStringToObject(item, "prev", ev->prev);
	cJSON_AddStringToObject(item, "hash", ev->hash);
	cJSON_AddItemToArray(payload, item);
	return 0;
}

int cw_bundle_write(FILE *out, cw_store *s, const char *id)
{
	session_row row;
	char *case_text = NULL, *wf_text = NULL, *json = NULL, sha[65];
	cJSON *doc = NULL, *part;
	int error;

	/* a student on a class server reads the case without its instructor
	 * notes, so a bundle of theirs could not carry the text its hash
	 * names: the instructor exports hand-ins from the server */
	if ((error = store_require_instructor(s, "export a bundle")) < 0 ||
	    (error = store_session_get(s, id, &row)) < 0)
		return error;
	if ((error = store_case_text(s, row.case_sha256, &case_text)) < 0 ||
	    (error = store_workflow_get(s, row.workflow_id, row.workflow_version,
					&wf_text, NULL)) < 0)
		goto cleanup;
	doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "bundle_version", CW_BUNDLE_VERSION);
	part = cJSON_AddObjectToObject(doc, "session");
	cJSON_AddStringToObject(part, "id", row.id);
	cJSON_AddStringToObject(part, "case", row.case_id);
	cJSON_AddStringToObject(part, "student", row.student);
	cJSON_AddStringToObject(part, "workflow", row.workflow_id);
	cJSON_AddNumberToObject(part, "version", row.workflow_version);
	cJSON_AddStringToObject(part, "created_at", row.created_at);
	part = cJSON_AddObjectToObject(doc, "case");
	cJSON_AddStringToObject(part, "sha256", row.case_sha256);
	cJSON_AddStringToObject(part, "text", case_text);
	part = cJSON_AddObjectToObject(doc, "workflow");
	store_sha256(sha, wf_text, strlen(wf_text));
	cJSON_AddStringToObject(part, "sha256", sha);
	cJSON_AddStringToObject(part, "text", wf_text);
	error = store_events_each(s, id, add_event,
				  cJSON_AddArrayToObject(doc, "events"));
	if (error < 0)
		goto cleanup;
	cJSON_AddStringToObject(doc, "head", row.head);
	json = cJSON_Print(doc);
	if (json == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	if (fputs(json, out) < 0 || fputc('\n', out) < 0 || ferror(out))
		error = cw_error_set(CW_ERROR, "cannot write the bundle");
cleanup:
	free(json);
	cJSON_Delete(doc);
	free(case_text);
	free(wf_text);
	session_row_clear(&row);
	return error;
}

/* session.id: a session id as casework makes them, a lower-case UUID, since
 * it becomes the id of a session here */
static void check_session_id(checker *c, const cJSON *sess)
{
	const char *id = check_string(c, sess, "id", 1);
	char canonical[CW_ID_LEN + 1];
	uuid_t uuid;
	size_t mark;

	if (id == NULL)
		return;
	if (strlen(id) == CW_ID_LEN && uuid_parse(id, uuid) == 0) {
		uuid_unparse_lower(uuid, canonical);
		if (strcmp(canonical, id) == 0)
			return;
	}
	mark = check_key(c, "id");
	check_fail(c, "bad-id",
		   "'%s' is not a session id (a lower-case UUID such as "
		   "'3f2a9c1e-0b7d-4e15-9a62-5c8d1e4f7a90')",
		   id);
	check_back(c, mark);
}

/* The last key of a JSON path: "engage" of "$.phases.engage" or
 * "goal-setting" of "$.phases[\"goal-setting\"]"; written to `out`. */
static void last_key(char *out, size_t size, const char *path)
{
	size_t len = strlen(path);
	const char *start;

	if (len >= 2 && strcmp(path + len - 2, "\"]") == 0) {
		start = path + len - 2;
		while (start > path && !(start[-1] == '"' && start - 1 > path &&
					 start[-2] == '['))
			start--;
		len = (size_t)(path + len - 2 - start);
	} else {
		start = strrchr(path, '.');
		start = start ? start + 1 : path;
		len = strlen(start);
	}
	snprintf(out, size, "%.*s", (int)len, start);
}

/* The first problem of a bundle's case text, leaving out phase keys that
 * this database does not know but the bundle's own workflow has. */
static const cw_diag *case_problem(const cw_diags *d, const cw_workflow *wf)
{
	char key[128];

	for (size_t i = 0; i < d->count; i++) {
		if (strcmp(d->items[i].code, "unknown-phase") == 0) {
			last_key(key, sizeof(key), d->items[i].path);
			if (cw_workflow_phase_index(wf, key) >= 0)
				continue;
		}
		return &d->items[i];
	}
	return NULL;
}

/* The shape of a bundle, every problem to `c`. */
static void check_bundle(checker *c, const cJSON *root)
{
	static const char *const top[] = { "bundle_version", "session", "case",
					   "workflow", "events", "head", NULL };
	static const char *const sess[] = { "id", "case", "student", "workflow",
					    "version", "created_at", NULL };
	static const char *const text[] = { "sha256", "text", NULL };
	static const char *const event[] = { "seq", "at", "actor", "phase",
		"type", "payload", "prev", "hash", NULL };
	const cJSON *obj, *ev;
	long n;
	size_t mark, i = 0;

	if (!cJSON_IsObject(root)) {
		check_fail(c, "wrong-type", "a bundle must be a JSON object");
		return;
	}
	if (!cJSON_HasObjectItem(root, "bundle_version") &&
	    !cJSON_HasObjectItem(root, "session") &&
	    !cJSON_HasObjectItem(root, "events")) {
		/* one line, not one per field, for a case or workflow file
		 * handed in by mistake */
		check_fail(c, "not-a-bundle",
			   "not a session bundle (it has no bundle_version, "
			   "session or events; make one with 'casework export "
			   "--format bundle')");
		return;
	}
	check_known_keys(c, root, top);
	if (check_int(c, root, "bundle_version", 1, 1, 1000, &n) &&
	    n != CW_BUNDLE_VERSION) {
		mark = check_key(c, "bundle_version");
		check_fail(c, "unsupported-version",
			   "bundle version %ld is not one this casework reads "
			   "(%d)",
			   n, CW_BUNDLE_VERSION);
		check_back(c, mark);
	}
	if ((obj = check_object(c, root, "session", 1)) != NULL) {
		mark = check_key(c, "session");
		check_known_keys(c, obj, sess);
		check_session_id(c, obj);
		check_id(c, obj, "case", 1);
		check_string(c, obj, "student", 1);
		check_id(c, obj, "workflow", 1);
		check_int(c, obj, "version", 1, 1, 1000000, &n);
		check_string(c, obj, "created_at", 1);
		check_back(c, mark);
	}
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "workflow" : "case";

		if ((obj = check_object(c, root, key, 1)) == NULL)
			continue;
		mark = check_key(c, key);
		check_known_keys(c, obj, text);
		check_string(c, obj, "sha256", 1);
		check_string(c, obj, "text", 1);
		check_back(c, mark);
	}
	check_string(c, root, "head", 1);
	if ((obj = check_array(c, root, "events", 1)) == NULL)
		return;
	mark = check_key(c, "events");
	if (cJSON_GetArraySize(obj) == 0)
		check_fail(c, "empty", "a bundle holds at least one event");
	cJSON_ArrayForEach(ev, obj) {
		size_t m = check_index(c, i++);

		if (!cJSON_IsObject(ev)) {
			check_fail(c, "wrong-type", "an event must be an object");
		} else {
			check_known_keys(c, ev, event);
			check_int(c, ev, "seq", 1, 1, 1000000000L, &n);
			for (int k = 2; event[k] != NULL; k++)
				check_string(c, ev, event[k], 1);
			check_string(c, ev, "at", 1);
		}
		check_back(c, m);
	}
	check_back(c, mark);
}

static const char *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItem(obj, key)->valuestring;
}

event_row bundle_event_of(const cJSON *ev, const char *id)
{
	event_row row = {
		.session = id,
		.seq = (long)cJSON_GetObjectItem(ev, "seq")->valuedouble,
		.at = get(ev, "at"),
		.actor = get(ev, "actor"),
		.phase = get(ev, "phase"),
		.type = get(ev, "type"),
		.payload = get(ev, "payload"),
		.prev = get(ev, "prev"),
		.hash = get(ev, "hash"),
	};

	return row;
}

/* Recompute the chain and replay the events into `st`; 0 or CW_EREFUSED. */
static int check_chain(state *st, const char *id, const cJSON *events,
		       const char *head)
{
	const char *prev = store_genesis;
	const cJSON *ev;
	long expected = 1;

	cJSON_ArrayForEach(ev, events) {
		event_row row = bundle_event_of(ev, id);
		char hash[65];

		if (row.seq != expected)
			return cw_error_set(CW_EREFUSED,
					    "the bundle's event %ld stands where "
					    "event %ld should: events were "
					    "dropped or reordered",
					    row.seq, expected);
		if (strcmp(row.prev, prev) != 0)
			return cw_error_set(CW_EREFUSED,
					    "event %ld does not follow event %ld "
					    "(its previous hash differs)",
					    row.seq, row.seq - 1);
		row.hash = NULL;
		store_event_hash(hash, &row);
		if (strcmp(hash, get(ev, "hash")) != 0)
			return cw_error_set(CW_EREFUSED,
					    "event %ld was changed after it was "
					    "written (its hash does not match "
					    "its content)",
					    row.seq);
		row.hash = get(ev, "hash");
		if (state_apply(st, &row) < 0)
			return cw_error_set(CW_EREFUSED, "%s", cw_error_last());
		prev = row.hash;
		expected++;
	}
	if (strcmp(prev, head) != 0)
		return cw_error_set(CW_EREFUSED,
				    "the bundle's head is not its last event's "
				    "hash: events were dropped from the end");
	return 0;
}

static int insert_events(cw_store *s, const char *id, const cJSON *events)
{
	const cJSON *ev;
	int error = 0;

	cJSON_ArrayForEach(ev, events) {
		event_row row = bundle_event_of(ev, id);

		if ((error = store_event_import(s, &row)) < 0)
			break;
	}
	return error;
}

/* 1 when `root` has the shape of `export --format json` (one session, or
 * a list of them), which is read, not imported. */
static int session_export(const cJSON *root)
{
	if (cJSON_IsArray(root) && cJSON_IsObject(root->child))
		return session_export(root->child);
	return cJSON_IsObject(root) &&
	       !cJSON_HasObjectItem(root, "bundle_version") &&
	       cJSON_HasObjectItem(root, "schema_version") &&
	       (cJSON_HasObjectItem(root, "events") ||
		cJSON_HasObjectItem(root, "sessions"));
}

int cw_bundle_import(cJSON **out, cw_store *s, cw_diags *diags,
		     const char *text, size_t len)
{
	checker c;
	cJSON *root = NULL, *case_doc = NULL;
	const cJSON *sess, *kase, *wf_part;
	cw_workflow *wf = NULL;
	state st;
	session_row existing = { 0 }, row = { 0 };
	char sha[65], *stored = NULL, stored_sha[65], at[32];
	const char *id, *result = "imported";
	long added = 0;
	bundle_merged merged = { 0 };
	cJSON *left_out = NULL;
	int owned = 0, error;
	size_t before = diags->count;
	time_t now = time(NULL);
	struct tm tm;

	*out = NULL;
	/* on a class server, an instructor's act */
	if ((error = store_require_instructor(s, "import bundles")) < 0)
		return error;
	memset(&st, 0, sizeof(st));
	check_init(&c, diags);
	if (len > CW_MAX_BUNDLE_SIZE) {
		check_fail(&c, "too-large", "the file is %zu bytes; a bundle may "
			   "be at most %d", len, CW_MAX_BUNDLE_SIZE);
		return cw_error_set(CW_ESCHEMA, "$: the file is too large");
	}
	root = check_parse(&c, text, len);
	if (root != NULL && session_export(root))
		check_fail(&c, "session-export",
			   "this is a session export (export --format json), "
			   "not a bundle; a bundle to hand in is made with "
			   "'casework export --format bundle'");
	else if (root != NULL)
		check_bundle(&c, root);
	if (root != NULL && diags->count == before) {
		/* the whole file, before anything is written: its texts obey
		 * the command line's rules, its header is its first event's */
		bundle_check_texts(&c, root);
	}
	if (diags->count > before) {
		error = cw_error_set(CW_ESCHEMA, "%s: %s",
				     diags->items[before].path,
				     diags->items[before].message);
		goto cleanup;
	}
	sess = cJSON_GetObjectItem(root, "session");
	kase = cJSON_GetObjectItem(root, "case");
	wf_part = cJSON_GetObjectItem(root, "workflow");
	id = get(sess, "id");

	/* the case and workflow are the bytes their hashes name */
	store_sha256(sha, get(kase, "text"), strlen(get(kase, "text")));
	if (strcmp(sha, get(kase, "sha256")) != 0) {
		error = cw_error_set(CW_EREFUSED,
				     "the bundle's case text was changed (its "
				     "hash does not match)");
		goto cleanup;
	}
	store_sha256(sha, get(wf_part, "text"), strlen(get(wf_part, "text")));
	if (strcmp(sha, get(wf_part, "sha256")) != 0) {
		error = cw_error_set(CW_EREFUSED,
				     "the bundle's workflow was changed (its "
				     "hash does not match)");
		goto cleanup;
	}
	{
		cw_diags ignored = CW_DIAGS_INIT;

		error = cw_workflow_parse(&wf, &ignored,
					  get(wf_part, "text"),
					  strlen(get(wf_part, "text")));
		cw_diags_free(&ignored);
	}
	if (error < 0 || strcmp(wf->id, get(sess, "workflow")) != 0 ||
	    wf->version != cJSON_GetObjectItem(sess, "version")->valueint) {
		size_t mark = check_key(&c, "workflow");

		check_key(&c, "text");
		if (error < 0)
			check_fail(&c, "bad-workflow",
				   "not a valid workflow: %s", cw_error_last());
		else
			check_fail(&c, "workflow-mismatch",
				   "holds workflow %s v%d, not %s v%d as "
				   "$.session says",
				   wf->id, wf->version, get(sess, "workflow"),
				   cJSON_GetObjectItem(sess, "version")->valueint);
		check_back(&c, mark);
		error = cw_error_set(CW_ESCHEMA, "%s: %s",
				     diags->items[before].path,
				     diags->items[before].message);
		goto cleanup;
	}
	/* the case text must be a case this casework accepts, and the one
	 * the session names */
	{
		cw_diags inner = CW_DIAGS_INIT;
		size_t mark = check_key(&c, "case");

		check_key(&c, "text");
		const cw_diag *problem = NULL;

		if (cw_case_validate(&inner, s, get(kase, "text"),
				     strlen(get(kase, "text"))) < 0)
			problem = case_problem(&inner, wf);
		if (problem != NULL)
			check_fail(&c, "bad-case", "not a valid case: %s: %s",
				   problem->path, problem->message);
		cw_diags_free(&inner);
		if (diags->count == before) {
			case_doc = cJSON_Parse(get(kase, "text"));
			if (case_doc == NULL ||
			    strcmp(get(case_doc, "id"), get(sess, "case")) != 0)
				check_fail(&c, "case-mismatch",
					   "holds case '%s', not '%s' as "
					   "$.session.case says",
					   case_doc ? get(case_doc, "id") : "?",
					   get(sess, "case"));
		}
		check_back(&c, mark);
	}
	if (diags->count > before) {
		error = cw_error_set(CW_ESCHEMA, "%s: %s",
				     diags->items[before].path,
				     diags->items[before].message);
		goto cleanup;
	}
	if ((error = state_init(&st, wf)) < 0)
		goto cleanup;
	wf = NULL; /* the state owns it */
	if ((error = check_chain(&st, id, cJSON_GetObjectItem(root, "events"),
				 get(root, "head"))) < 0)
		goto cleanup;
	/* the header against the first event, which the chain vouches for */
	bundle_check_header(&c, root);
	if (diags->count > before) {
		error = cw_error_set(CW_ESCHEMA, "%s: %s",
				     diags->items[before].path,
				     diags->items[before].message);
		goto cleanup;
	}

	if ((error = store_enter(s, &owned)) < 0)
		goto cleanup;
	/* the workflow must be one this database holds, with the same text:
	 * a bundle does not bring a workflow in by the back door */
	error = store_workflow_get(s, st.wf->id, st.wf->version, &stored, NULL);
	if (error == 0) {
		store_sha256(stored_sha, stored, strlen(stored));
		if (strcmp(stored_sha, get(wf_part, "sha256")) != 0) {
			error = cw_error_set(CW_EREFUSED,
					     "workflow %s v%d here differs from "
					     "the bundle's; nothing was imported",
					     st.wf->id, st.wf->version);
			goto done;
		}
	} else if (error == CW_ENOTFOUND) {
		error = cw_error_set(CW_EREFUSED,
				     "the bundle's workflow %s v%d is not one "
				     "this database holds; nothing was "
				     "imported (if you trust that workflow, "
				     "import it on purpose first with "
				     "'casework workflow import')",
				     st.wf->id, st.wf->version);
		goto done;
	}
	if (error < 0)
		goto done;
	left_out = cJSON_CreateArray();
	error = store_session_get(s, id, &existing);
	if (error == 0) {
		if ((error = bundle_merge(s, &existing,
					  cJSON_GetObjectItem(root, "events"),
					  sess, &merged, left_out)) < 0)
			goto done;
		added = merged.added;
		result = added > 0 ? "updated" : "unchanged";
		/* what the session here holds now */
		session_row_clear(&existing);
		error = store_session_get(s, id, &existing);
		goto done;
	}
	if (error != CW_ENOTFOUND)
		goto done;
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((error = store_case_adopt(s, get(sess, "case"),
				      get(case_doc, "title"),
				      get(case_doc, "setting"), get(kase, "text"),
				      get(kase, "sha256"), at)) < 0)
		goto done;
	row.id = (char *)id;
	row.case_id = (char *)get(sess, "case");
	row.case_sha256 = (char *)get(kase, "sha256");
	row.workflow_id = (char *)st.wf->id;
	row.workflow_version = st.wf->version;
	row.student = (char *)get(sess, "student");
	row.created_at = (char *)get(sess, "created_at");
	state_projection(&st, &row);
	if ((error = store_session_insert(s, &row)) < 0)
		goto done;
	if ((error = insert_events(s, id, cJSON_GetObjectItem(root, "events"))) <
	    0)
		goto done;
	error = bundle_leave_out(s, id, cJSON_GetObjectItem(root, "events"),
				 left_out);
done:
	/* the bundle's steps must hold without the acts left out, and the
	 * session's row is what a replay without them finds */
	if (error == 0 && cJSON_GetArraySize(left_out) > 0)
		error = bundle_settle(s, id);
	if (error == 0) {
		*out = cJSON_CreateObject();
		cJSON_AddStringToObject(*out, "session", id);
		cJSON_AddStringToObject(*out, "case", get(sess, "case"));
		cJSON_AddStringToObject(*out, "student", get(sess, "student"));
		cJSON_AddNumberToObject(*out, "events",
					existing.id ? (double)existing.last_seq
						    : (double)st.seq);
		cJSON_AddStringToObject(*out, "head",
					existing.id ? existing.head : st.head);
		cJSON_AddStringToObject(*out, "result", result);
		cJSON_AddNumberToObject(*out, "new_events",
					strcmp(result, "imported") == 0
					    ? (double)st.seq
					    : (double)added);
		/* the events of this side after the last one both held: the
		 * bundle's were merged after them (0: it simply extended) */
		cJSON_AddNumberToObject(*out, "merged_after",
					(double)merged.ours);
		cJSON_AddItemToObject(*out, "left_out", left_out);
		left_out = NULL;
	}
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
cleanup:
	cJSON_Delete(left_out);
	session_row_clear(&existing);
	free(stored);
	state_clear(&st);
	cw_workflow_free(wf);
	cJSON_Delete(case_doc);
	cJSON_Delete(root);
	return error;
}
