/*
 * store_pg.c - the PostgreSQL backend of the storage interface (store.h):
 * every operation, through libpq (connect_pg.c opens the connection and
 * runs the transactions).  Statements are
 * prepared once per connection and always take bound parameters; integers
 * travel as text, a workflow image as binary.
 *
 * Locking.  Writers to different sessions must never wait for each other,
 * and each session's log must stay gap-free.  So `begin` with write takes
 * nothing (a READ COMMITTED transaction); the right to append to a session
 * is its row's lock:
 *   - reading a session inside a write transaction (session_get, which the
 *     engine does before it replays and decides) is SELECT ... FOR UPDATE,
 *     so a second writer to that session waits there, and then reads the
 *     log as the first one committed it;
 *   - the database's own insert trigger on events takes the same lock and
 *     checks that the seq is the last one + 1, so that an append that did
 *     not read the session first (or any SQL a client sends) can neither
 *     leave a gap nor take a seq twice.
 * A wait longer than lock_timeout (schema_pg.c) is CW_EBUSY.  A read
 * transaction is REPEATABLE READ: one snapshot for several reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg.h"

/* How many rows a page of the log or of the sessions holds. */
#define PAGE 500

static int run_done(cw_store *s, enum pg_stmt_id id, int n,
		    const char *const *values, const char *what)
{
	int error;
	PGresult *res = pg_run(s, id, n, values, NULL, NULL, 0, what, &error);

	PQclear(res);
	return error;
}

static const char *field(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static long field_long(const PGresult *res, int row, int col)
{
	return strtol(PQgetvalue(res, row, col), NULL, 10);
}

/* A copy of a field, or NULL for SQL NULL; *oom set when a copy failed. */
static char *field_dup(const PGresult *res, int row, int col, int *oom)
{
	const char *v = field(res, row, col);
	char *copy = v ? strdup(v) : NULL;

	if (v != NULL && copy == NULL)
		*oom = 1;
	return copy;
}

static int pg_schema_version_op(cw_store *s)
{
	return pg_schema_version(s);
}

static int pg_events_each(cw_store *s, const char *session,
			  store_event_fn fn, void *payload)
{
	char after[24] = "0", limit[16];
	const char *values[3] = { session, after, limit };
	int error = 0, rows;

	snprintf(limit, sizeof(limit), "%d", PAGE);
	do {
		PGresult *res = pg_run(s, PG_EVENTS, 3, values, NULL, NULL, 0,
				    "reading the log", &error);

		if (res == NULL)
			return error;
		rows = PQntuples(res);
		for (int i = 0; i < rows && error == 0; i++) {
			event_row ev = {
				.session = field(res, i, 0),
				.seq = field_long(res, i, 1),
				.at = field(res, i, 2),
				.actor = field(res, i, 3),
				.phase = field(res, i, 4),
				.type = field(res, i, 5),
				.payload = field(res, i, 6),
				.prev = field(res, i, 7),
				.hash = field(res, i, 8),
			};

			snprintf(after, sizeof(after), "%ld", ev.seq);
			error = fn(&ev, payload);
		}
		PQclear(res);
	} while (error == 0 && rows == PAGE);
	return error;
}

static int pg_event_append(cw_store *s, const event_row *ev)
{
	char seq[24];
	const char *values[9] = { ev->session, seq,	    ev->at,
				  ev->actor,   ev->phase,   ev->type,
				  ev->payload, ev->prev,    ev->hash };

	snprintf(seq, sizeof(seq), "%ld", ev->seq);
	return run_done(s, PG_EVENT_INSERT, 9, values, "appending to the log");
}

/* A session's row from the columns of SESSION_COLUMNS. */
static int read_session(const PGresult *res, int i, session_row *r)
{
	int oom = 0;

	r->id = field_dup(res, i, 0, &oom);
	r->case_id = field_dup(res, i, 1, &oom);
	r->case_sha256 = field_dup(res, i, 2, &oom);
	r->workflow_id = field_dup(res, i, 3, &oom);
	r->workflow_version = (int)field_long(res, i, 4);
	r->student = field_dup(res, i, 5, &oom);
	r->created_at = field_dup(res, i, 6, &oom);
	r->phase = field_dup(res, i, 7, &oom);
	r->status = field_dup(res, i, 8, &oom);
	r->last_seq = field_long(res, i, 9);
	r->head = field_dup(res, i, 10, &oom);
	r->met = (int)field_long(res, i, 11);
	r->total = (int)field_long(res, i, 12);
	r->updated_at = field_dup(res, i, 13, &oom);
	r->ended_early = field_dup(res, i, 14, &oom);
	if (!oom)
		return 0;
	session_row_clear(r);
	return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
}

/* Inside a write transaction, reading a session locks its row until the
 * transaction ends: see "Locking" above. */
static int pg_session_get(cw_store *s, const char *id, session_row *r)
{
	const char *values[1] = { id };
	int error;
	PGresult *res;

	memset(r, 0, sizeof(*r));
	res = pg_run(s, ((pg_store *)s)->write ? PG_SESSION_LOCK : PG_SESSION_GET,
		  1, values, NULL, NULL, 0, "reading a session", &error);
	if (res == NULL)
		return error;
	if (PQntuples(res) == 1)
		error = read_session(res, 0, r);
	else
		error = cw_error_set(CW_ENOTFOUND, "no session %s", id);
	PQclear(res);
	return error;
}

/* The projection's values (phase .. ended_early) into `v`, with their
 * numbers written into `num` (3 x 24 bytes). */
static void projection(const char **v, char num[3][24], const session_row *r)
{
	snprintf(num[0], 24, "%ld", r->last_seq);
	snprintf(num[1], 24, "%d", r->met);
	snprintf(num[2], 24, "%d", r->total);
	v[0] = r->phase;
	v[1] = r->status;
	v[2] = num[0];
	v[3] = r->head;
	v[4] = num[1];
	v[5] = num[2];
	v[6] = r->updated_at;
	v[7] = r->ended_early;
}

static int pg_session_insert(cw_store *s, const session_row *r)
{
	char version[16], num[3][24];
	const char *v[15] = { r->id,	      r->case_id, r->case_sha256,
			      r->workflow_id, version,	  r->student,
			      r->created_at };

	snprintf(version, sizeof(version), "%d", r->workflow_version);
	projection(v + 7, num, r);
	return run_done(s, PG_SESSION_INSERT, 15, v, "creating a session");
}

static int pg_session_project(cw_store *s, const session_row *r)
{
	char num[3][24];
	const char *v[9] = { r->id };

	projection(v + 1, num, r);
	return run_done(s, PG_SESSION_PROJECT, 9, v, "updating a session");
}

static int pg_session_prefix(cw_store *s, const char *prefix,
			     char ids[][CW_ID_LEN + 1], int max, int *count)
{
	char limit[16];
	const char *values[2] = { prefix, limit };
	int error;
	PGresult *res;

	*count = 0;
	snprintf(limit, sizeof(limit), "%d", max);
	res = pg_run(s, PG_SESSION_PREFIX, 2, values, NULL, NULL, 0,
		  "finding a session", &error);
	if (res == NULL)
		return error;
	for (int i = 0; i < PQntuples(res) && i < max; i++) {
		snprintf(ids[i], CW_ID_LEN + 1, "%s", PQgetvalue(res, i, 0));
		(*count)++;
	}
	PQclear(res);
	return 0;
}

/* Sessions a page at a time, in (created_at, id) order, so that a class
 * of any size takes constant memory and a callback may read the store. */
static int pg_sessions_each(cw_store *s, const store_session_filter *f,
			    store_session_fn fn, void *payload)
{
	store_session_filter none = { 0 };
	char created[64] = "", id[CW_ID_LEN + 1] = "", limit[16];
	const char *v[9];
	int error = 0, rows;

	if (f == NULL)
		f = &none;
	v[0] = f->case_id;
	v[1] = f->student;
	v[2] = f->phase;
	v[3] = f->status;
	v[4] = f->since;
	v[5] = f->workflow_id;
	v[6] = created;
	v[7] = id;
	v[8] = limit;
	snprintf(limit, sizeof(limit), "%d", PAGE);
	do {
		PGresult *res = pg_run(s, PG_SESSION_LIST, 9, v, NULL, NULL, 0,
				    "listing sessions", &error);

		if (res == NULL)
			return error;
		rows = PQntuples(res);
		for (int i = 0; i < rows && error == 0; i++) {
			session_row r = { 0 };

			snprintf(created, sizeof(created), "%s",
				 PQgetvalue(res, i, 6));
			snprintf(id, sizeof(id), "%s", PQgetvalue(res, i, 0));
			if ((error = read_session(res, i, &r)) == 0)
				error = fn(&r, payload);
			session_row_clear(&r);
		}
		PQclear(res);
	} while (error == 0 && rows == PAGE);
	return error;
}

static int pg_workflow_get(cw_store *s, const char *id, int version,
			   char **text, int *version_out)
{
	char number[16];
	const char *values[2] = { id, number };
	int error, oom = 0;
	PGresult *res;

	*text = NULL;
	snprintf(number, sizeof(number), "%d", version);
	res = pg_run(s, version ? PG_WORKFLOW_GET : PG_WORKFLOW_NEWEST,
		  version ? 2 : 1, values, NULL, NULL, 0, "reading a workflow",
		  &error);
	if (res == NULL)
		return error;
	if (PQntuples(res) == 1) {
		*text = field_dup(res, 0, 0, &oom);
		if (version_out != NULL)
			*version_out = (int)field_long(res, 0, 1);
		error = *text && !oom ? 0
				      : cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	} else if (version) {
		error = cw_error_set(CW_ENOTFOUND, "no workflow %s version %d",
				     id, version);
	} else {
		error = cw_error_set(CW_ENOTFOUND, "no workflow '%s'", id);
	}
	PQclear(res);
	return error;
}

/* A version stored again with the very same title and text is no change
 * (two processes storing the built-in workflow at once); with another,
 * it is refused, as versions are immutable. */
static int pg_workflow_put(cw_store *s, const workflow_row *w)
{
	char version[16];
	const char *v[6] = { w->id,	    version,   w->title,
			     w->definition, w->sha256, w->imported_at };
	char *stored = NULL;
	int error, inserted;
	PGresult *res;

	snprintf(version, sizeof(version), "%d", w->version);
	res = pg_run(s, PG_WORKFLOW_INSERT, 6, v, NULL, NULL, 0,
		  "storing a workflow", &error);
	if (res == NULL)
		return error;
	inserted = PQntuples(res) == 1;
	PQclear(res);
	if (inserted)
		return 0;
	if ((error = pg_workflow_get(s, w->id, w->version, &stored, NULL)) < 0)
		return error;
	if (strcmp(stored, w->definition) != 0)
		error = cw_error_set(CW_ERROR,
				     "storing a workflow: %s version %d is "
				     "already stored with another definition "
				     "(versions are immutable)",
				     w->id, w->version);
	free(stored);
	return error;
}

static int pg_workflows_each(cw_store *s, const char *id,
			     store_workflow_fn fn, void *payload)
{
	const char *values[1] = { id };
	int error;
	PGresult *res = pg_run(s, PG_WORKFLOW_LIST, 1, values, NULL, NULL, 0,
			    "listing workflows", &error);

	if (res == NULL)
		return error;
	for (int i = 0; i < PQntuples(res) && error == 0; i++) {
		workflow_row w = {
			.id = field(res, i, 0),
			.version = (int)field_long(res, i, 1),
			.title = field(res, i, 2),
			.sha256 = field(res, i, 3),
			.imported_at = field(res, i, 4),
			.sessions = field_long(res, i, 5),
		};

		error = fn(&w, payload);
	}
	PQclear(res);
	return error;
}

static int pg_phase_known(cw_store *s, const char *phase, int *known)
{
	const char *values[1] = { phase };
	int error;
	PGresult *res = pg_run(s, PG_WORKFLOW_PHASES, 1, values, NULL, NULL, 0,
			    "reading the workflows' phases", &error);

	*known = 0;
	if (res == NULL)
		return error;
	*known = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}

static int pg_workflow_image_get(cw_store *s, const char *id, int version,
				 unsigned format, void **image, size_t *len)
{
	char number[16], fmt[16];
	const char *values[3] = { id, number, fmt };
	int error, bytes;
	PGresult *res;

	*image = NULL;
	*len = 0;
	snprintf(number, sizeof(number), "%d", version);
	snprintf(fmt, sizeof(fmt), "%u", format);
	/* the image comes back as its bytes (binary results) */
	res = pg_run(s, PG_IMAGE_GET, 3, values, NULL, NULL, 1,
		  "reading a workflow", &error);
	if (res == NULL)
		return error;
	if (PQntuples(res) == 1 && (bytes = PQgetlength(res, 0, 0)) > 0) {
		if ((*image = malloc((size_t)bytes)) == NULL) {
			PQclear(res);
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		}
		memcpy(*image, PQgetvalue(res, 0, 0), (size_t)bytes);
		*len = (size_t)bytes;
	}
	PQclear(res);
	if (*image != NULL)
		return 0;
	return cw_error_set(CW_ENOTFOUND, "no image of workflow %s %d", id,
			    version);
}

static int pg_workflow_image_put(cw_store *s, const char *id, int version,
				 unsigned format, const void *image,
				 size_t len)
{
	char number[16], fmt[16];
	const char *values[4] = { id, number, fmt, image };
	int lengths[4] = { 0, 0, 0, (int)len };
	int formats[4] = { 0, 0, 0, 1 };
	int error;
	PGresult *res;

	if (len > 0x7fffffff)
		return cw_error_set(CW_ERROR, "storing a workflow: its image "
					      "is too large");
	snprintf(number, sizeof(number), "%d", version);
	snprintf(fmt, sizeof(fmt), "%u", format);
	res = pg_run(s, PG_IMAGE_PUT, 4, values, lengths, formats, 0,
		  "storing a workflow", &error);
	PQclear(res);
	return error;
}

/* The fields of the one row `id` gives for `values` into out[0..n-1]:
 * 1 found, 0 none (each NULL), or an error. */
static int one_row(cw_store *s, enum pg_stmt_id id, const char *const *values,
		   int nvalues, char **out, int n, const char *what)
{
	int error, oom = 0, found;
	PGresult *res = pg_run(s, id, nvalues, values, NULL, NULL, 0, what, &error);

	for (int i = 0; i < n; i++)
		out[i] = NULL;
	if (res == NULL)
		return error;
	found = PQntuples(res) > 0;
	for (int i = 0; found && i < n; i++)
		out[i] = field_dup(res, 0, i, &oom);
	PQclear(res);
	if (!oom)
		return found;
	for (int i = 0; i < n; i++) {
		free(out[i]);
		out[i] = NULL;
	}
	return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
}

static int pg_case_text(cw_store *s, const char *sha256, char **text)
{
	const char *values[1] = { sha256 };
	int role = pg_role(s), found;

	*text = NULL;
	if (role < 0)
		return role;
	/* a student reads the text without instructor_notes */
	found = one_row(s, role == STORE_ROLE_STUDENT ? PG_CASE_TEXT_STUDENT
						      : PG_CASE_TEXT,
			values, 1, text, 1, "reading a case");

	if (found < 0)
		return found;
	return found ? 0
		     : cw_error_set(CW_ENOTFOUND, "no case text %s", sha256);
}

static int pg_case_get(cw_store *s, const char *id, char **text,
		       char **sha256)
{
	const char *values[1] = { id };
	char *row[2];
	int role = pg_role(s), found;

	*text = NULL;
	if (sha256 != NULL)
		*sha256 = NULL;
	if (role < 0)
		return role;
	found = one_row(s, role == STORE_ROLE_STUDENT ? PG_CASE_GET_STUDENT
						      : PG_CASE_GET,
			values, 1, row, 2, "reading a case");
	if (found < 0)
		return found;
	if (!found)
		return cw_error_set(CW_ENOTFOUND,
				    "no case '%s' (see 'casework case list')",
				    id);
	*text = row[0];
	if (sha256 != NULL)
		*sha256 = row[1];
	else
		free(row[1]);
	return 0;
}

static int pg_case_put(cw_store *s, const case_row *c, int replace)
{
	const char *text[2] = { c->sha256, c->definition };
	const char *row[5] = { c->id, c->title, c->setting, c->sha256,
			       c->imported_at };
	int error = run_done(s, PG_CASE_TEXT_INSERT, 2, text,
			     "storing a case");

	if (error < 0)
		return error;
	return run_done(s, replace ? PG_CASE_UPSERT : PG_CASE_ADOPT, 5, row,
			"storing a case");
}

static int pg_cases_each(cw_store *s, store_case_fn fn, void *payload)
{
	int error;
	PGresult *res = pg_run(s, PG_CASE_LIST, 0, NULL, NULL, NULL, 0,
			    "listing cases", &error);

	if (res == NULL)
		return error;
	for (int i = 0; i < PQntuples(res) && error == 0; i++) {
		case_row c = {
			.id = field(res, i, 0),
			.title = field(res, i, 1),
			.setting = field(res, i, 2),
			.sha256 = field(res, i, 3),
			.imported_at = field(res, i, 4),
			.sessions = field_long(res, i, 5),
		};

		error = fn(&c, payload);
	}
	PQclear(res);
	return error;
}

/* Settings are the connected login's own (the row's `login` defaults to
 * current_user, and the statements read only that login's rows). */
static int pg_setting_get(cw_store *s, const char *key, char **value)
{
	const char *values[1] = { key };
	int found = one_row(s, PG_SETTING_GET, values, 1, value, 1,
			    "reading a setting");

	return found < 0 ? found : 0;
}

static int pg_setting_set(cw_store *s, const char *key, const char *value)
{
	const char *values[2] = { key, value };

	return run_done(s, PG_SETTING_SET, 2, values, "saving a setting");
}

const store_backend store_pg_backend = {
	.version = STORE_BACKEND_VERSION,
	.name = "postgresql",
	.migrate = pg_migrate,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.event_append = pg_event_append,
	.events_each = pg_events_each,
	.session_get = pg_session_get,
	.session_insert = pg_session_insert,
	.session_project = pg_session_project,
	.session_prefix = pg_session_prefix,
	.sessions_each = pg_sessions_each,
	.workflow_get = pg_workflow_get,
	.workflow_put = pg_workflow_put,
	.workflows_each = pg_workflows_each,
	.phase_known = pg_phase_known,
	.workflow_image_get = pg_workflow_image_get,
	.workflow_image_put = pg_workflow_image_put,
	.case_get = pg_case_get,
	.case_text = pg_case_text,
	.case_put = pg_case_put,
	.cases_each = pg_cases_each,
	.setting_get = pg_setting_get,
	.setting_set = pg_setting_set,
	.schema_version = pg_schema_version_op,
	.close = pg_close,
	.roster_put = pg_roster_put,
	.roster_remove = pg_roster_remove,
	.roster_each = pg_roster_each,
	.identity = pg_identity,
	.clock = pg_clock,
	.event_import = pg_event_import,
	.login_create = pg_login_create,
	.login_end = pg_login_end,
	.case_notes = pg_case_notes,
};
