/*
 * open.c - opening a store ready for use: migrated (a schema step that
 * adds to the projection has every session replayed and its row written
 * anew, in the step's transaction), with the standard workflow.
 */
#include <stdlib.h>
#include <string.h>

#include "casework/store.h"
#include "catalog.h"
#include "state.h"
#include "store.h"

/* The ids of the sessions, gathered first: a callback of
 * store_sessions_each may read the store but not write to it. */
struct ids {
	char (*id)[CW_ID_LEN + 1];
	size_t count, cap;
};

static int gather(const session_row *row, void *payload)
{
	struct ids *ids = payload;

	if (ids->count == ids->cap) {
		size_t cap = ids->cap ? 2 * ids->cap : 64;
		void *more = realloc(ids->id, cap * sizeof(*ids->id));

		if (more == NULL)
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		ids->id = more;
		ids->cap = cap;
	}
	strncpy(ids->id[ids->count], row->id, CW_ID_LEN);
	ids->id[ids->count][CW_ID_LEN] = '\0';
	ids->count++;
	return 0;
}

/* Every session replayed once and its projection written, by the one
 * projection there is (state_project).  A session whose log does not
 * replay keeps its row as it was: verify names it, and one damaged
 * session does not hold back the upgrade of the others. */
static int reproject(cw_store *s)
{
	struct ids ids = { 0 };
	int error = store_sessions_each(s, NULL, gather, &ids);

	for (size_t i = 0; error == 0 && i < ids.count; i++) {
		session_row row = { 0 };
		state st;

		error = state_load(&st, &row, s, ids.id[i]);
		if (error == 0)
			error = state_project(s, &st, ids.id[i]);
		else if (!st.oom && !cw_error_nomem() && error != CW_EBUSY) {
			cw_error_clear();
			error = 0;
		}
		state_clear(&st);
		session_row_clear(&row);
	}
	free(ids.id);
	return error;
}

/* Open the store, bring its schema up to date, and give a new or upgraded
 * database the built-in workflow, so that commands that only read find
 * it. */
static int open_ready(cw_store **out, const char *where, int create)
{
	cw_store *s = NULL;
	int error;

	*out = NULL;
	if ((error = store_open(&s, where, create)) < 0)
		return error;
	s->reproject = reproject;
	error = store_migrate(s);
	if (error > 0)
		error = catalog_upgraded(s);
	if (error < 0) {
		store_close(s);
		return error;
	}
	*out = s;
	return 0;
}

int cw_store_open(cw_store **out, const char *path)
{
	return open_ready(out, path, 1);
}

int cw_store_open_existing(cw_store **out, const char *path)
{
	return open_ready(out, path, 0);
}
