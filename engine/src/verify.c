/*
 * verify.c - checking a session: its hash chain, its first event against
 * its row, a replay of every event by the workflow's rules, its case text
 * and the projection in its row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/session.h"
#include "catalog.h"
#include "state.h"
#include "store.h"

struct verifying {
	state st;
	const session_row *row;
	char prev[65];
	char problem[256];
};

static int verify_one(const event_row *ev, void *payload)
{
	struct verifying *v = payload;
	char hash[65];
	event_row copy = *ev;

	if (strcmp(ev->prev, v->prev) != 0) {
		snprintf(v->problem, sizeof(v->problem),
			 "event %ld does not follow event %ld (its previous "
			 "hash differs)",
			 ev->seq, ev->seq - 1);
		return 1;
	}
	copy.hash = NULL;
	store_event_hash(hash, &copy);
	if (strcmp(hash, ev->hash) != 0) {
		snprintf(v->problem, sizeof(v->problem),
			 "event %ld was changed after it was written (its hash "
			 "does not match its content)",
			 ev->seq);
		return 1;
	}
	if (ev->seq == 1 && !state_started_matches(ev, v->row)) {
		snprintf(v->problem, sizeof(v->problem),
			 "the session's case, student or workflow differ from "
			 "what its first event recorded");
		return 1;
	}
	if (state_apply(&v->st, ev) < 0) {
		if (v->st.oom)
			return CW_ERROR; /* out of memory, set by the state */
		snprintf(v->problem, sizeof(v->problem), "%s", cw_error_last());
		return 1;
	}
	memcpy(v->prev, hash, sizeof(hash));
	return 0;
}

int cw_session_verify(cJSON **out, cw_store *s, const char *id)
{
	session_row row = {0};
	struct verifying v = {0};
	const cw_workflow *wf = NULL;
	char *case_text = NULL, sha[65];
	int owned = 0, met, total, error;

	*out = NULL;
	/* one read transaction: the row and the events from one snapshot */
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	if ((error = store_session_get(s, id, &row)) < 0 ||
	    (error = catalog_get(&wf, s, row.workflow_id,
				 row.workflow_version)) < 0)
		goto cleanup;
	error = state_init(&v.st, (cw_workflow *)wf);
	v.st.wf_borrowed = 1;
	if (error < 0)
		goto cleanup;
	/* the acts a bundle brought that no trusted key signed count in the
	 * check as they count in every replay: not at all */
	if ((error = state_read_left_out(&v.st, s, row.id)) < 0)
		goto cleanup;
	v.row = &row;
	memcpy(v.prev, store_genesis, sizeof(store_genesis));
	error = store_events_each(s, id, verify_one, &v);
	if (error < 0)
		goto cleanup;
	error = 0;
	/* a student on a class server reads the case without its
	 * instructor notes, so not the text its hash names; the server
	 * keeps that text where no student can change it */
	if (v.problem[0] == '\0' &&
	    store_identity(s, NULL) != STORE_ROLE_STUDENT &&
	    store_case_text(s, row.case_sha256, &case_text) == 0) {
		store_sha256(sha, case_text, strlen(case_text));
		if (strcmp(sha, row.case_sha256) != 0)
			snprintf(v.problem, sizeof(v.problem),
				 "the case text the session started with was "
				 "changed");
	}
	if (v.problem[0] == '\0') {
		state_progress(&v.st, &met, &total);
		if (v.st.seq != row.last_seq)
			snprintf(v.problem, sizeof(v.problem),
				 "the log holds %ld events but the session "
				 "records %ld",
				 v.st.seq, row.last_seq);
		else if (strcmp(v.st.seq ? v.st.head : store_genesis,
				row.head) != 0)
			snprintf(
			    v.problem, sizeof(v.problem),
			    "the log's last hash differs from the head the "
			    "session records");
		else if (strcmp(v.st.wf->phases[v.st.phase].id, row.phase) !=
			     0 ||
			 strcmp(v.st.closed ? "closed" : "open", row.status) !=
			     0)
			snprintf(v.problem, sizeof(v.problem),
				 "replaying the log gives phase %s (%s), the "
				 "session records %s (%s)",
				 v.st.wf->phases[v.st.phase].id,
				 v.st.closed ? "closed" : "open", row.phase,
				 row.status);
		else if (met != row.met || total != row.total)
			snprintf(v.problem, sizeof(v.problem),
				 "replaying the log gives %d of %d checkpoints "
				 "met, the session records %d of %d",
				 met, total, row.met, row.total);
		else if ((state_ended_early(&v.st) == NULL) !=
			     (row.ended_early == NULL) ||
			 (row.ended_early != NULL &&
			  strcmp(state_ended_early(&v.st), row.ended_early) !=
			      0))
			snprintf(v.problem, sizeof(v.problem),
				 "replaying the log gives %s, the session "
				 "records %s",
				 state_ended_early(&v.st)
				     ? "a session that ended early"
				     : "one that did not end early",
				 row.ended_early ? "that it ended early"
						 : "that it did not");
	}
	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "session", id);
	cJSON_AddBoolToObject(*out, "ok", v.problem[0] == '\0');
	cJSON_AddNumberToObject(*out, "events", (double)v.st.seq);
	cJSON_AddStringToObject(*out, "head", v.st.head);
	if (v.problem[0] != '\0') {
		cJSON_AddStringToObject(*out, "problem", v.problem);
		error = cw_error_set(CW_EREFUSED,
				     "session %s fails verification: %s", id,
				     v.problem);
	}
cleanup:
	store_end(s, owned, 0);
	/* a session that cannot even be read back (a damaged database, a
	 * workflow that will not load) fails verification, saying why; only a
	 * failure of this process's memory is no verdict on the session */
	if (error < 0 && error != CW_EREFUSED && error != CW_EBUSY &&
	    *out == NULL && !v.st.oom && !cw_error_nomem()) {
		char why[512];

		snprintf(why, sizeof(why), "%s", cw_error_last());
		*out = cJSON_CreateObject();
		cJSON_AddStringToObject(*out, "session", id);
		cJSON_AddBoolToObject(*out, "ok", 0);
		cJSON_AddStringToObject(*out, "problem", why);
		error = cw_error_set(CW_EREFUSED,
				     "session %s fails verification: %s", id,
				     why);
	}
	free(case_text);
	state_clear(&v.st);
	session_row_clear(&row);
	return error;
}
