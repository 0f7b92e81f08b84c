/*
 * store.c - the storage interface above the backends: choosing a backend
 * for what the user named, transactions that nest into one per command,
 * the chain hash of the log, and the dispatch of every operation to the
 * backend.  Includes no database library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "store.h"
#include "text.h"

int store_open(cw_store **out, const char *where, int create)
{
	*out = NULL;
	if (where == NULL || where[0] == '\0')
		return cw_error_set(CW_EINVALID, "the database path is empty");
	/* one call with what the user named picks the backend (as Dovecot's
	 * drivers are picked by their connection string) */
	if (strncmp(where, "postgresql://", 13) == 0 ||
	    strncmp(where, "postgres://", 11) == 0)
		return store_pg_open(out, where, create);
	return store_sqlite_open(out, where, create);
}

int store_migrate(cw_store *s)
{
	return s->ops->migrate(s);
}

static int any_session(const session_row *row, void *payload)
{
	(void)row;
	(void)payload;
	return 1;
}

int store_reproject(cw_store *s)
{
	int error;

	if (s->reproject != NULL)
		return s->reproject(s);
	error = s->ops->sessions_each(s, NULL, any_session, NULL);
	if (error < 0)
		return error;
	return error == 0 ? 0
			  : cw_error_set(CW_ERROR,
					 "%s: this schema step rewrites the "
					 "sessions' rows, which only casework "
					 "itself can do",
					 s->where);
}

void store_close(cw_store *s)
{
	if (s == NULL)
		return;
	if (s->cache_free != NULL)
		s->cache_free(s->cache);
	s->ops->close(s);
}

void cw_store_free(cw_store *s)
{
	store_close(s);
}

int cw_store_writable(cw_store *s)
{
	if (s->readonly_why == NULL)
		return 0;
	return cw_error_set(CW_ERROR, "the database %s is read-only (%s)",
			    s->where, s->readonly_why);
}

int cw_store_schema_version(cw_store *s)
{
	return s->ops->schema_version(s);
}

const char *cw_store_nettle_version(void)
{
	return hash_nettle_version();
}

int store_begin(cw_store *s)
{
	int error = s->ops->begin(s, 1);

	if (error == 0)
		s->in_transaction = 1;
	return error;
}

int store_commit(cw_store *s)
{
	int error = s->ops->commit(s);

	s->in_transaction = 0;
	return error;
}

void store_rollback(cw_store *s)
{
	s->ops->rollback(s);
	s->in_transaction = 0;
}

int store_enter(cw_store *s, int *owned)
{
	*owned = !s->in_transaction;
	return *owned ? store_begin(s) : 0;
}

int store_enter_read(cw_store *s, int *owned)
{
	int error;

	*owned = !s->in_transaction;
	if (!*owned)
		return 0;
	error = s->ops->begin(s, 0);
	if (error == 0)
		s->in_transaction = 1;
	return error;
}

int store_end(cw_store *s, int owned, int error)
{
	if (!owned)
		return error;
	if (error < 0) {
		store_rollback(s);
		return error;
	}
	return store_commit(s);
}

int cw_store_transaction(cw_store *s, int (*fn)(cw_store *s, void *payload),
			 void *payload)
{
	int error = store_begin(s);

	if (error < 0)
		return error;
	error = fn(s, payload);
	if (error != 0) {
		store_rollback(s);
		return error;
	}
	return store_end(s, 1, 0);
}

const char store_genesis[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

void store_event_hash(char out[65], const event_row *ev)
{
	char seq[24];
	const char *fields[8] = { ev->session, seq,	    ev->at,
				  ev->actor,   ev->phase,   ev->type,
				  ev->payload, ev->prev };

	snprintf(seq, sizeof(seq), "%ld", ev->seq);
	hash_fields(out, fields, 8);
}

void store_sha256(char out[65], const void *data, size_t len)
{
	hash_sha256(out, data, len);
}

void session_row_clear(session_row *r)
{
	free(r->id);
	free(r->case_id);
	free(r->case_sha256);
	free(r->workflow_id);
	free(r->student);
	free(r->created_at);
	free(r->phase);
	free(r->status);
	free(r->head);
	free(r->updated_at);
	free(r->ended_early);
	memset(r, 0, sizeof(*r));
}

/* ---- the operations, dispatched ----------------------------------------- */

int store_events_each(cw_store *s, const char *session, store_event_fn fn,
		      void *payload)
{
	return s->ops->events_each(s, session, fn, payload);
}

int store_event_insert(cw_store *s, const event_row *ev)
{
	return s->ops->event_append(s, ev);
}

int store_session_get(cw_store *s, const char *id, session_row *out)
{
	return s->ops->session_get(s, id, out);
}

int store_session_insert(cw_store *s, const session_row *row)
{
	return s->ops->session_insert(s, row);
}

int store_session_project(cw_store *s, const session_row *row)
{
	return s->ops->session_project(s, row);
}

int store_session_prefix(cw_store *s, const char *prefix,
			 char ids[][CW_ID_LEN + 1], int max, int *count)
{
	return s->ops->session_prefix(s, prefix, ids, max, count);
}

/* A listing by a name as a person types it: the rows the backend gives,
 * kept when the student's name matches. */
struct by_words {
	const char *student;
	store_session_fn fn;
	void *payload;
};

static int by_words_row(const session_row *r, void *payload)
{
	const struct by_words *w = payload;

	return text_name_matches(r->student, w->student)
		       ? w->fn(r, w->payload)
		       : 0;
}

int store_sessions_each(cw_store *s, const store_session_filter *filter,
			store_session_fn fn, void *payload)
{
	store_session_filter all;
	struct by_words w;

	if (filter == NULL || !filter->student_words || filter->student == NULL)
		return s->ops->sessions_each(s, filter, fn, payload);
	all = *filter;
	all.student = NULL;
	w = (struct by_words){ filter->student, fn, payload };
	return s->ops->sessions_each(s, &all, by_words_row, &w);
}

/* The nearest id to a mistyped one, kept while the rows go by. */
struct near_id {
	text_near n;
	char best[128];
};

static int nearer(struct near_id *c, const char *id)
{
	const char *before = c->n.best;

	text_near_consider(&c->n, id);
	if (c->n.best != before) {
		snprintf(c->best, sizeof(c->best), "%s", id);
		c->n.best = c->best;
	}
	return 0;
}

static int nearer_case(const case_row *row, void *payload)
{
	return nearer(payload, row->id);
}

/* (each version of a workflow goes by) */
static int nearer_workflow(const workflow_row *row, void *payload)
{
	return nearer(payload, row->id);
}

/* CW_ENOTFOUND for `what` (case, workflow) `id`, with the nearest id of
 * `c` when one is near; `list` is the command that lists them. */
static int no_such(const struct near_id *c, const char *what,
		   const char *id, const char *list)
{
	const char *near = text_near_result(&c->n);

	return near ? cw_error_set(CW_ENOTFOUND,
				   "no %s '%s'; did you mean '%s'? (see "
				   "'casework %s')",
				   what, id, near, list)
		    : cw_error_set(CW_ENOTFOUND, "no %s '%s' (see 'casework %s')",
				   what, id, list);
}

int store_no_workflow(cw_store *s, const char *id)
{
	struct near_id c = { { id, NULL, 99 }, "" };

	/* the suggestion is a courtesy: a failure to list gives none */
	(void)s->ops->workflows_each(s, NULL, nearer_workflow, &c);
	return no_such(&c, "workflow", id, "workflow list");
}

/* CW_ENOTFOUND for case `id`, with the nearest case when one is near. */
static int store_no_case(cw_store *s, const char *id)
{
	struct near_id c = { { id, NULL, 99 }, "" };

	(void)s->ops->cases_each(s, nearer_case, &c);
	return no_such(&c, "case", id, "case list");
}

int store_workflow_get(cw_store *s, const char *id, int version, char **text,
		       int *version_out)
{
	int error = s->ops->workflow_get(s, id, version, text, version_out);

	/* a version asked for by number is not a typo of the id */
	return error == CW_ENOTFOUND && version == 0 ? store_no_workflow(s, id)
						     : error;
}

int store_workflow_insert(cw_store *s, const char *id, int version,
			  const char *title, const char *text,
			  const char *sha256, const char *at)
{
	workflow_row w = { .id = id,
			   .version = version,
			   .title = title,
			   .definition = text,
			   .sha256 = sha256,
			   .imported_at = at };

	return s->ops->workflow_put(s, &w);
}

int store_workflows_each(cw_store *s, const char *id, store_workflow_fn fn,
			 void *payload)
{
	return s->ops->workflows_each(s, id, fn, payload);
}

int store_phase_known(cw_store *s, const char *phase, int *known)
{
	return s->ops->phase_known(s, phase, known);
}

int store_workflow_image_get(cw_store *s, const char *id, int version,
			     unsigned format, void **image, size_t *len)
{
	return s->ops->workflow_image_get(s, id, version, format, image, len);
}

int store_workflow_image_put(cw_store *s, const char *id, int version,
			     unsigned format, const void *image, size_t len)
{
	return s->ops->workflow_image_put(s, id, version, format, image, len);
}


int store_case_get(cw_store *s, const char *id, char **text, char **sha256)
{
	int error = s->ops->case_get(s, id, text, sha256);

	return error == CW_ENOTFOUND ? store_no_case(s, id) : error;
}

int store_case_text(cw_store *s, const char *sha256, char **text)
{
	return s->ops->case_text(s, sha256, text);
}

static int put_case(cw_store *s, const char *id, const char *title,
		    const char *setting, const char *text, const char *sha256,
		    const char *at, int replace)
{
	case_row c = { .id = id,
		       .title = title,
		       .setting = setting,
		       .definition = text,
		       .sha256 = sha256,
		       .imported_at = at };

	return s->ops->case_put(s, &c, replace);
}

int store_case_put(cw_store *s, const char *id, const char *title,
		   const char *setting, const char *text, const char *sha256,
		   const char *at)
{
	return put_case(s, id, title, setting, text, sha256, at, 1);
}

int store_case_adopt(cw_store *s, const char *id, const char *title,
		     const char *setting, const char *text, const char *sha256,
		     const char *at)
{
	return put_case(s, id, title, setting, text, sha256, at, 0);
}

int store_cases_each(cw_store *s, store_case_fn fn, void *payload)
{
	return s->ops->cases_each(s, fn, payload);
}

int store_case_notes(cw_store *s, const char *session, char **notes)
{
	*notes = NULL;
	if (s->ops->case_notes == NULL)
		return cw_error_set(CW_ERROR,
				    "the %s backend keeps no instructor notes",
				    s->ops->name);
	return s->ops->case_notes(s, session, notes);
}

int store_setting_get(cw_store *s, const char *key, char **value)
{
	return s->ops->setting_get(s, key, value);
}

int store_setting_set(cw_store *s, const char *key, const char *value)
{
	return s->ops->setting_set(s, key, value);
}

/* ---- the roster and a class server's word ------------------------------- */

int store_identity(cw_store *s, const char **login)
{
	const char *none = NULL;

	if (login == NULL)
		login = &none;
	*login = NULL;
	return s->ops->identity ? s->ops->identity(s, login)
				: STORE_ROLE_OWNER;
}

int store_require_instructor(cw_store *s, const char *act)
{
	int role = store_identity(s, NULL);

	if (role < 0)
		return role;
	if (role == STORE_ROLE_STUDENT)
		return cw_error_set(CW_EREFUSED,
				    "a student may not %s on this class server "
				    "(that needs the casework_instructor role)",
				    act);
	return 0;
}

int store_event_stamp(cw_store *s, char at[32], const char **actor)
{
	int error;

	if (s->ops->clock == NULL || s->ops->identity == NULL)
		return 0;
	if ((error = s->ops->identity(s, actor)) < 0 ||
	    (error = s->ops->clock(s, at)) < 0)
		return error;
	return 1;
}

int store_event_import(cw_store *s, const event_row *ev)
{
	return s->ops->event_import ? s->ops->event_import(s, ev)
				    : s->ops->event_append(s, ev);
}

static int no_roster(cw_store *s)
{
	return cw_error_set(CW_ERROR, "the %s backend keeps no roster",
			    s->ops->name);
}

int store_roster_put(cw_store *s, const roster_row *row)
{
	return s->ops->roster_put ? s->ops->roster_put(s, row) : no_roster(s);
}

int store_roster_remove(cw_store *s, const char *login, const char *at)
{
	return s->ops->roster_remove ? s->ops->roster_remove(s, login, at)
				     : no_roster(s);
}

int store_roster_each(cw_store *s, store_roster_fn fn, void *payload)
{
	return s->ops->roster_each ? s->ops->roster_each(s, fn, payload)
				   : no_roster(s);
}

int store_has_logins(cw_store *s)
{
	return s->ops->login_create != NULL;
}

int store_login_create(cw_store *s, const char *login, const char *role,
		       const char *password)
{
	return s->ops->login_create
		       ? s->ops->login_create(s, login, role, password)
		       : 0;
}

int store_login_end(cw_store *s, const char *login)
{
	return s->ops->login_end ? s->ops->login_end(s, login) : 0;
}
