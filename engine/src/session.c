/*
 * session.c - starting sessions and applying what students and
 * instructors do to them.  Every change follows one path: load the state
 * by replaying the log, decide the event (decide.c), append it, update
 * the projection, commit.  Reading sessions back is view.c and verify.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uuid/uuid.h>

#include "casework/session.h"
#include "casework/workflow.h"
#include "check.h"
#include "decide.h"
#include "event.h"
#include "fire.h"
#include "sign.h"
#include "state.h"
#include "catalog.h"
#include "store.h"
#include "text.h"

static void now_iso(char out[32])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + 19, 13, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

/* Append an event with `payload` (taken over) and apply it to `st`. */
static int append(cw_store *s, state *st, const char *id, const char *actor,
		  const char *type, cJSON *payload)
{
	char *json = cJSON_PrintUnformatted(payload);
	char at[32], hash[65];
	const char *login = NULL;
	event_row ev;
	int error;

	cJSON_Delete(payload);
	if (json == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	/* on a class server the time and actor are the server's word */
	if ((error = store_event_stamp(s, at, &login)) < 0) {
		free(json);
		return error;
	}
	if (error == 0)
		now_iso(at);
	else
		actor = login;
	ev = (event_row){
	    .session = id,
	    .seq = st->seq + 1,
	    .at = at,
	    .actor = actor,
	    .phase = st->wf->phases[st->phase].id,
	    .type = type,
	    .payload = json,
	    .prev = st->seq ? st->head : store_genesis,
	};
	ev.hash = hash;
	store_event_hash(hash, &ev);
	error = store_event_insert(s, &ev);
	if (error == 0)
		error = state_apply(st, &ev);
	free(json);
	return error;
}

/*
 * Append every client event of case `kase` that the last event made due,
 * in the case's order (one may make the next due), each as the payload
 * the case gives it; a copy of each, with its "seq", goes to `fired`.
 */
static int fire_events(cw_store *s, state *st, const char *id,
		       const char *actor, const cJSON *kase, cJSON *fired)
{
	cJSON *p;
	int oom = 0, error = 0;

	while (error == 0 && (p = fire_due(st, kase, &oom)) != NULL) {
		cJSON *copy = cJSON_Duplicate(p, 1);

		error = append(s, st, id, actor, event_name(EV_CLIENT_EVENT), p);
		if (error == 0 &&
		    (copy == NULL ||
		     !cJSON_AddNumberToObject(copy, "seq", (double)st->seq) ||
		     !cJSON_AddItemToArray(fired, copy)))
			oom = 1;
		else if (error < 0)
			cJSON_Delete(copy);
		if (oom)
			break;
	}
	if (error == 0 && oom)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	return error;
}

/* The case document session `row` started with, or NULL with an error. */
static cJSON *session_case(cw_store *s, const session_row *row, int *error)
{
	char *text = NULL;
	cJSON *kase = NULL;

	*error = store_case_text(s, row->case_sha256, &text);
	if (*error == 0 && (kase = cJSON_Parse(text)) == NULL)
		*error = cw_error_set(CW_ERROR, "stored case %s is damaged",
				      row->case_id);
	free(text);
	return kase;
}

/* Sign instructor act `payload` with `secret`: "signed": {"key", "sig"}
 * over the session, actor, type and the payload as it was. */
static int sign_act(cJSON *payload, const char *id, const char *actor,
		    const char *type, const char *secret)
{
	char pub[65], sig[129], *json = cJSON_PrintUnformatted(payload);
	char *text = json ? sign_act_text(id, actor, type, json) : NULL;
	int error = 0;
	cJSON *signed_by;

	if (text == NULL)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	else if (sign_public(pub, secret) < 0 ||
		 sign_message(sig, secret, text, strlen(text)) < 0)
		error = cw_error_set(CW_EINVALID,
				     "the instructor's private key is not 64 "
				     "hex digits (see 'casework key init')");
	free(text);
	free(json);
	if (error < 0)
		return error;
	signed_by = cJSON_AddObjectToObject(payload, "signed");
	if (signed_by == NULL ||
	    cJSON_AddStringToObject(signed_by, "key", pub) == NULL ||
	    cJSON_AddStringToObject(signed_by, "sig", sig) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	return 0;
}

int cw_session_act(cJSON **out, cw_store *s, const char *id, const char *actor,
		   const cw_action *action)
{
	struct decision d = {0};
	session_row row = {0};
	state st;
	cJSON *blockers = NULL, *result = NULL, *kase = NULL;
	cJSON *fired = NULL;
	int owned = 0, nblockers = 0, error;
	char made[16] = "", value[128] = "";
	long act_seq = 0;
	/* which checkpoints of the phases behind held before the act: a
	 * strike or a correction may undo one the student has moved past */
	unsigned char held[256];
	size_t behind = 0, nheld = 0;

	*out = NULL;
	if ((error = text_check_actor(actor)) < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		return error;
	/* made once nothing can return before the cleanup that frees it */
	fired = cJSON_CreateArray();
	if ((error = state_load(&st, &row, s, id)) < 0 ||
	    (error = decide(&d, &st, action)) < 0)
		goto cleanup;
	behind = st.phase;
	nheld = state_earlier_met(&st, behind, held, sizeof(held));
	if (nheld > sizeof(held))
		nheld = sizeof(held);
	if (event_instructor_act(event_type_of(d.type)) != NULL &&
	    (error = store_require_instructor(
		     s, event_instructor_act(event_type_of(d.type)))) < 0) {
		cJSON_Delete(d.payload);
		goto cleanup;
	}
	if (d.refused) {
		nblockers = cJSON_GetArraySize(
		    cJSON_GetObjectItem(d.payload, "blockers"));
		blockers = cJSON_Duplicate(
		    cJSON_GetObjectItem(d.payload, "blockers"), 1);
	}
	if (action->signing_key != NULL &&
	    event_is_act(event_type_of(d.type)) &&
	    (error = sign_act(d.payload, id, actor, d.type,
			      action->signing_key)) < 0) {
		cJSON_Delete(d.payload);
		goto cleanup;
	}
	/* the record or value the act named, as the workflow spells it
	 * ("n1" is N1, "Medium" is medium) */
	{
		const cJSON *r = cJSON_GetObjectItem(d.payload, "record");
		const cJSON *v = cJSON_GetObjectItem(d.payload, "value");

		if (cJSON_IsString(r))
			snprintf(made, sizeof(made), "%s", r->valuestring);
		if (cJSON_IsString(v))
			snprintf(value, sizeof(value), "%s", v->valuestring);
	}
	error = append(s, &st, id, actor, d.type, d.payload);
	/* the record the act made, named before a client event follows it */
	if (error == 0 && st.record_count > 0 &&
	    st.records[st.record_count - 1].seq == st.seq) {
		const record *r = &st.records[st.record_count - 1];

		snprintf(made, sizeof(made), "%c%d", record_letter(r->kind),
			 r->number);
	}
	act_seq = st.seq;
	/* the act may have made a client event of the case due: it fires
	 * now, in the same transaction */
	if (error == 0 && !d.refused && fired == NULL)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (error == 0 && !d.refused &&
	    (kase = session_case(s, &row, &error)) != NULL)
		error = fire_events(s, &st, id, actor, kase, fired);
	if (error == 0)
		error = state_project(s, &st, id);
	if (error < 0)
		goto cleanup;

	result = cJSON_CreateObject();
	cJSON_AddStringToObject(result, "session", id);
	cJSON_AddNumberToObject(result, "seq", (double)act_seq);
	cJSON_AddStringToObject(result, "event", d.type);
	cJSON_AddStringToObject(result, "phase", st.wf->phases[st.phase].id);
	cJSON_AddStringToObject(result, "status",
				st.closed ? "closed" : "open");
	if (*made)
		cJSON_AddStringToObject(result, "record", made);
	if (*value)
		cJSON_AddStringToObject(result, "value", value);
	if (cJSON_GetArraySize(fired) > 0) {
		cJSON_AddItemToObject(result, "client_events", fired);
		fired = NULL;
	}
	if (!d.refused) {
		cJSON *unmet = state_newly_unmet_json(
		    &st, st.phase < behind ? st.phase : behind, held, nheld);

		cJSON_AddItemToObject(result, "hints",
				      state_hints_json(&st, st.seq));
		if (cJSON_GetArraySize(unmet) > 0)
			cJSON_AddItemToObject(result, "unmet", unmet);
		else
			cJSON_Delete(unmet);
	}
	if (d.refused) {
		cJSON_AddItemToObject(result, "blockers", blockers);
		blockers = NULL;
		error = cw_error_set(CW_EREFUSED,
				     "cannot leave phase '%s' yet: %d "
				     "checkpoint%s not met",
				     st.wf->phases[st.phase].id, nblockers,
				     nblockers == 1 ? " is" : "s are");
	}
	*out = result;

cleanup:
	cJSON_Delete(blockers);
	cJSON_Delete(fired);
	cJSON_Delete(kase);
	{
		/* a refused advance is logged, so its transaction commits */
		int logged = d.refused && error == CW_EREFUSED;
		int end = store_end(s, owned, logged ? 0 : error);

		if (end < 0)
			error = end;
		if (error < 0 && !(logged && error == CW_EREFUSED)) {
			cJSON_Delete(*out);
			*out = NULL;
		}
	}
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

/* Keeps the latest open session of a student on a case. */
static int keep_open(const session_row *row, void *payload)
{
	session_row *open = payload;

	session_row_clear(open);
	open->id = strdup(row->id);
	open->phase = strdup(row->phase ? row->phase : "");
	return open->id == NULL || open->phase == NULL
		   ? cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE)
		   : 0;
}

/*
 * Refuse a second open session of `student` on `case_id`: a student who
 * starts again most likely wants the work already done, so the refusal
 * names the command that resumes it.
 */
static int refuse_second(cw_store *s, const char *case_id,
			 const char *student)
{
	store_session_filter filter = {0};
	session_row open = {0};
	int error;

	filter.case_id = case_id;
	filter.student = student;
	filter.status = "open";
	error = store_sessions_each(s, &filter, keep_open, &open);
	if (error == 0 && open.id != NULL)
		error = cw_error_set(
		    CW_EREFUSED,
		    "%s already has an open session on %s (%s, in phase "
		    "'%s'): resume it with 'casework use %s' (or 'casework "
		    "walk -s %s'), or give --new to start another attempt",
		    student, case_id, open.id, open.phase, open.id, open.id);
	session_row_clear(&open);
	return error;
}

/*
 * Parse case `case_id` (its stored text) into `*kase` and check its
 * client events against workflow `wf`: the first problem is CW_ESCHEMA
 * with its JSON path.
 */
static int check_events(cJSON **kase, const char *case_id,
			const char *text, const cw_workflow *wf)
{
	cw_diags diags = CW_DIAGS_INIT;
	checker c;
	int error = 0;

	*kase = cJSON_Parse(text);
	if (*kase == NULL)
		return cw_error_set(CW_ERROR, "stored case %s is damaged",
				    case_id);
	check_init(&c, &diags);
	fire_check(&c, wf, *kase);
	if (c.oom)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	else if (diags.count > 0)
		error = cw_error_set(CW_ESCHEMA,
				     "case %s does not fit workflow '%s': "
				     "%s: %s",
				     case_id, wf->id, diags.items[0].path,
				     diags.items[0].message);
	cw_diags_free(&diags);
	return error;
}

/* The workflow case text `text` names ("workflow"), copied into `buf`;
 * "standard" when it names none. */
static const char *case_workflow(char *buf, size_t size, const char *text)
{
	cJSON *kase = cJSON_Parse(text);
	const cJSON *named = cJSON_GetObjectItem(kase, "workflow");

	snprintf(buf, size, "%s",
		 cJSON_IsString(named) ? named->valuestring : "standard");
	cJSON_Delete(kase);
	return buf;
}

int cw_session_start(cJSON **out, cw_store *s, const char *case_id,
		     const char *student, const char *workflow_id,
		     const char *actor, int new_attempt)
{
	session_row row = {0};
	cw_workflow *wf = NULL;
	state st = {0};
	char *case_text = NULL, *case_sha = NULL;
	char id[CW_ID_LEN + 1], at[32], meant[80];
	const char *login = NULL;
	uuid_t uuid;
	cJSON *p = NULL, *kase = NULL, *fired = NULL;
	int owned = 0, version = 0, error;

	*out = NULL;
	if ((error = text_check_actor(actor)) < 0 ||
	    (error = text_check(student, "student name", 0)) < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		return error;
	/* a student on a class server starts sessions for themselves only */
	if ((error = store_identity(s, &login)) < 0)
		goto cleanup;
	if (error == STORE_ROLE_STUDENT)
		student = login;
	if ((error = store_event_stamp(s, at, &login)) < 0)
		goto cleanup;
	if (error == 0)
		now_iso(at);
	if ((error = catalog_ensure_standard(s)) < 0 ||
	    (error = store_case_get(s, case_id, &case_text, &case_sha)) < 0)
		goto cleanup;
	/* --workflow, else the one the case is meant for, else standard */
	if (workflow_id == NULL)
		workflow_id = case_workflow(meant, sizeof(meant), case_text);
	if ((error = catalog_load(&wf, s, workflow_id, 0, &version)) < 0)
		goto cleanup;
	/* the state owns the workflow from here, even on failure */
	if ((error = state_init(&st, wf)) < 0 ||
	    (error = check_events(&kase, case_id, case_text, wf)) < 0 ||
	    (!new_attempt && (error = refuse_second(s, case_id, student)) < 0))
		goto cleanup;

	uuid_generate_random(uuid);
	uuid_unparse_lower(uuid, id);
	row.id = id;
	row.case_id = (char *)case_id;
	row.case_sha256 = case_sha;
	row.workflow_id = (char *)workflow_id;
	row.workflow_version = version;
	row.student = (char *)student;
	row.created_at = at;
	row.phase = (char *)wf->phases[0].id;
	row.status = "open";
	row.head = (char *)store_genesis;
	row.updated_at = at;
	if ((error = store_session_insert(s, &row)) < 0)
		goto cleanup;

	if ((fired = cJSON_CreateArray()) == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "case", case_id);
	cJSON_AddStringToObject(p, "case_sha256", case_sha);
	cJSON_AddStringToObject(p, "student", student);
	cJSON_AddStringToObject(p, "workflow", workflow_id);
	cJSON_AddNumberToObject(p, "version", version);
	if ((error = append(s, &st, id, actor, event_name(EV_SESSION_STARTED),
			    p)) < 0 ||
	    (error = fire_events(s, &st, id, actor, kase, fired)) < 0 ||
	    (error = state_project(s, &st, id)) < 0 ||
	    (error = store_setting_set(s, "current_session", id)) < 0)
		goto cleanup;

	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "session", id);
	cJSON_AddStringToObject(*out, "case", case_id);
	cJSON_AddStringToObject(*out, "student", student);
	cJSON_AddStringToObject(*out, "workflow", workflow_id);
	cJSON_AddNumberToObject(*out, "version", version);
	cJSON_AddStringToObject(*out, "phase", wf->phases[0].id);
	if (cJSON_GetArraySize(fired) > 0) {
		cJSON_AddItemToObject(*out, "client_events", fired);
		fired = NULL;
	}

cleanup:
	cJSON_Delete(fired);
	cJSON_Delete(kase);
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	state_clear(&st);
	free(case_text);
	free(case_sha);
	return error;
}

int cw_session_resolve(char out[CW_ID_LEN + 1], cw_store *s, const char *prefix)
{
	char ids[8][CW_ID_LEN + 1];
	char lower[CW_ID_LEN + 1];
	char *current = NULL;
	int count = 0, error;

	if (prefix == NULL) {
		if ((error =
			 store_setting_get(s, "current_session", &current)) < 0)
			return error;
		if (current == NULL)
			return cw_error_set(
			    CW_ENOTFOUND, "no current session: start one with "
					  "'casework start CASE' or name one "
					  "with -s SESSION");
		snprintf(out, CW_ID_LEN + 1, "%s", current);
		free(current);
		return 0;
	}
	if (strlen(prefix) < 4)
		return cw_error_set(
		    CW_EINVALID,
		    "session '%s' is too short: give at least 4 "
		    "characters of its id",
		    prefix);
	{
		/* ids are stored lower-case; accept a prefix typed in capitals
		 */
		size_t n = strlen(prefix);

		if (n <= CW_ID_LEN) {
			for (size_t i = 0; i <= n; i++)
				lower[i] =
				    (char)(prefix[i] >= 'A' && prefix[i] <= 'F'
					       ? prefix[i] - 'A' + 'a'
					       : prefix[i]);
			prefix = lower;
		}
	}
	if (strlen(prefix) > CW_ID_LEN ||
	    strspn(prefix, "0123456789abcdef-") != strlen(prefix))
		return cw_error_set(CW_ENOTFOUND,
				    "no session '%s' (ids are lower-case hex "
				    "UUIDs; see 'casework sessions')",
				    prefix);
	if ((error = store_session_prefix(s, prefix, ids, 8, &count)) < 0)
		return error;
	if (count == 0)
		return cw_error_set(CW_ENOTFOUND,
				    "no session '%s' (see 'casework sessions')",
				    prefix);
	if (count > 1) {
		char list[8 * (CW_ID_LEN + 2)] = "";

		for (int i = 0; i < count; i++) {
			strcat(list, i ? ", " : "");
			strcat(list, ids[i]);
		}
		return cw_error_set(
		    CW_EAMBIGUOUS, "session '%s' is ambiguous: it matches %s%s",
		    prefix, list, count == 8 ? ", ..." : "");
	}
	memcpy(out, ids[0], CW_ID_LEN + 1);
	return 0;
}

int cw_session_use(cw_store *s, const char *id)
{
	session_row row;
	int owned, error = store_session_get(s, id, &row);

	session_row_clear(&row);
	if (error < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		return error;
	error = store_setting_set(s, "current_session", id);
	return store_end(s, owned, error);
}
