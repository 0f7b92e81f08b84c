/*
 * approval.c - the instructor's queue of sign-off: every approval
 * checkpoint a student asked for, session by session, as each session's
 * replayed state has it.
 */
#include <stdio.h>
#include <string.h>

#include "casework/session.h"
#include "state.h"
#include "store.h"

/* What the walk over the sessions gathers. */
typedef struct queue {
	cw_store *store;
	int pending_only;
	cJSON *list;
} queue;

/* The approval checkpoints of one session that were asked for. */
static int one_session(const cw_session_info *info, void *payload)
{
	queue *q = payload;
	session_row row = {0};
	state st;
	int error = state_load(&st, &row, q->store, info->session);
	int ok = 1;

	for (size_t p = 0; error == 0 && ok && p < st.wf->phase_count; p++)
		for (size_t k = 0; ok && k < state_checkpoint_count(&st, p);
		     k++) {
			const cw_checkpoint *cp = state_checkpoint_at(&st, p, k);
			const approval *a = state_approval(&st, cp->id);
			cJSON *item, *detail;

			if (cp->kind != CW_CHECKPOINT_APPROVAL || a == NULL ||
			    (q->pending_only &&
			     a->status != APPROVAL_REQUESTED))
				continue;
			item = cJSON_CreateObject();
			ok = cJSON_AddItemToArray(q->list, item) &&
			     cJSON_AddStringToObject(item, "session",
						     info->session) &&
			     cJSON_AddStringToObject(item, "student",
						     info->student) &&
			     cJSON_AddStringToObject(item, "case",
						     info->case_id) &&
			     cJSON_AddStringToObject(item, "phase",
						     st.wf->phases[p].id) &&
			     cJSON_AddStringToObject(item, "checkpoint",
						     cp->id) &&
			     cJSON_AddStringToObject(item, "label", cp->label) &&
			     state_approval_json(&st, cp, item);
			/* the approval's fields, flat in the queue's item */
			detail = ok ? cJSON_DetachItemFromObject(item,
								 "approval")
				    : NULL;
			ok = ok && detail != NULL;
			while (ok && detail->child != NULL) {
				cJSON *field = detail->child;

				cJSON_DetachItemViaPointer(detail, field);
				ok = cJSON_AddItemToObject(item, field->string,
							   field);
				if (!ok)
					cJSON_Delete(field);
			}
			cJSON_Delete(detail);
		}
	if (error == 0 && !ok)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

int cw_approval_list(cJSON **out, cw_store *s, const cw_session_filter *f,
		     int pending_only)
{
	queue q = {s, pending_only, cJSON_CreateArray()};
	int error;

	*out = NULL;
	if (q.list == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if ((error = cw_session_each(s, f, one_session, &q)) < 0) {
		cJSON_Delete(q.list);
		return error;
	}
	*out = q.list;
	return 0;
}
