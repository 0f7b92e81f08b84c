/*
 * session.c - starting sessions, applying what students do to them, and
 * reading them back.  Every change follows one path: load the state by
 * replaying the log, decide the event, append it, update the projection,
 * commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uuid/uuid.h>

#include "casework/session.h"
#include "casework/workflow.h"
#include "check.h"
#include "state.h"
#include "store.h"

/* Longest text a student may record in one command. */
#define MAX_TEXT 65536

static void now_iso(char out[32])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + 19, 13, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

/* Write the state's summary into the session's row. */
static int project(cw_store *s, const state *st, const char *id)
{
	session_row row = { 0 };

	row.id = (char *)id;
	row.phase = (char *)st->wf->phases[st->phase].id;
	row.status = st->closed ? "closed" : "open";
	row.last_seq = st->seq;
	row.head = (char *)st->head;
	row.updated_at = (char *)st->last_at;
	state_progress(st, &row.met, &row.total);
	return store_session_project(s, &row);
}

/* Append an event with `payload` (taken over) and apply it to `st`. */
static int append(cw_store *s, state *st, const char *id, const char *actor,
		  const char *type, cJSON *payload)
{
	char *json = cJSON_PrintUnformatted(payload);
	char at[32], hash[65];
	event_row ev;
	int error;

	cJSON_Delete(payload);
	if (json == NULL)
		return cw_error_set(CW_ERROR, "out of memory");
	now_iso(at);
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
 * The first control character of UTF-8 `text` that a text may not hold,
 * or -1; its code point to `*code`, its place (1-based, in characters) to
 * `*at`.  Line breaks and tabs are allowed where `lines` is set; C0 and C1
 * controls and DEL never are: printed in a log or a table they would move
 * the cursor or recolour the instructor's terminal.
 */
static long control_at(const char *text, int lines, unsigned *code)
{
	const unsigned char *p = (const unsigned char *)text;
	long at = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue; /* a continuation byte: same character */
		at++;
		if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\t'))) ||
		    *p == 0x7f) {
			*code = *p;
			return at;
		}
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			*code = p[1];
			return at;
		}
	}
	return -1;
}

/* A text a person typed: present, not blank, UTF-8, not huge, and free of
 * control characters other than line breaks and tabs (none at all in a
 * one-line text such as a name). */
static int check_text_in(const char *text, const char *what, int lines)
{
	size_t len = text ? strlen(text) : 0;
	unsigned code = 0;
	long at;

	if (text == NULL)
		return cw_error_set(CW_EINVALID, "the %s is required", what);
	if (text_chars(text) == 0)
		return cw_error_set(CW_EINVALID, "the %s is empty", what);
	if (len > MAX_TEXT)
		return cw_error_set(CW_EINVALID,
				    "the %s is too long (%zu bytes; at most %d)",
				    what, len, MAX_TEXT);
	if (!check_is_utf8(text, len))
		return cw_error_set(CW_EINVALID, "the %s is not valid UTF-8",
				    what);
	at = control_at(text, lines, &code);
	if (at > 0)
		return cw_error_set(CW_EINVALID,
				    "the %s holds a control character (U+%04X) "
				    "at character %ld; %s",
				    what, code, at,
				    lines ? "only line breaks and tabs are "
					    "allowed"
					  : "it must be one line of text");
	return 0;
}

static int check_text(const char *text, const char *what)
{
	return check_text_in(text, what, 1);
}

static int one_of(const char *value, const char *const *options,
		  const char *what)
{
	char list[160] = "";

	for (size_t i = 0; options[i] != NULL; i++) {
		size_t len = strlen(list);

		if (value != NULL && strcmp(value, options[i]) == 0)
			return 0;
		snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
			 options[i]);
	}
	if (value == NULL)
		return cw_error_set(CW_EINVALID, "the %s is required: one of %s",
				    what, list);
	return cw_error_set(CW_EINVALID, "unknown %s '%s' (expected one of %s)",
			    what, value, list);
}

/* The open goal `name` names ("G2" or "g2"), or an error. */
static int find_goal(const record **out, const state *st, const char *name)
{
	char *end = NULL;
	long n = 0;
	const record *g;

	/* "G" or "g", then a number written plainly: G1, g12 */
	if (name != NULL && (name[0] == 'G' || name[0] == 'g') &&
	    name[1] >= '1' && name[1] <= '9' &&
	    strspn(name + 1, "0123456789") == strlen(name + 1))
		n = strtol(name + 1, &end, 10);
	if (name == NULL || end == NULL || *end != '\0' || n <= 0 ||
	    n > 1000000)
		return cw_error_set(CW_ENOTFOUND,
				    "no goal '%s' (goals are named G1, G2, ...; "
				    "see 'casework goal list')",
				    name ? name : "");
	g = state_record(st, CW_RECORD_GOAL, (int)n);
	if (g == NULL)
		return cw_error_set(CW_ENOTFOUND,
				    "no goal G%ld in this session (see "
				    "'casework goal list')",
				    n);
	if (g->dropped)
		return cw_error_set(CW_ENOTFOUND, "goal G%ld was dropped: %s", n,
				    g->drop_reason ? g->drop_reason : "");
	*out = g;
	return 0;
}

static const char *const terms[] = { "short", "long", NULL };
static const char *const intervention_types[] = {
	"counseling", "referral", "skills", "advocacy", "coordination", "other",
	NULL
};
static const char *const outcomes[] = { "achieved", "partial",
					"not-achieved", NULL };

/* A checkpoint of the current phase that `action` may answer. */
static int find_checkpoint(const cw_checkpoint **out, const state *st,
			   const char *id, cw_checkpoint_kind kind)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	const cw_checkpoint *cp;
	size_t phase;

	if (id == NULL || *id == '\0')
		return cw_error_set(CW_EINVALID, "name a checkpoint");
	cp = cw_workflow_checkpoint(st->wf, id, &phase);
	if (cp == NULL)
		return cw_error_set(CW_ENOTFOUND,
				    "no checkpoint '%s' in workflow '%s' (see "
				    "'casework status')",
				    id, st->wf->id);
	if (phase != st->phase)
		return cw_error_set(CW_EREFUSED,
				    "checkpoint '%s' belongs to phase '%s'; the "
				    "session is in '%s'",
				    id, st->wf->phases[phase].id, ph->id);
	if (cp->kind != kind) {
		verdict v;

		if (cp->kind == CW_CHECKPOINT_CHOICE ||
		    cp->kind == CW_CHECKPOINT_CONFIRM)
			return cw_error_set(CW_EINVALID,
					    "checkpoint '%s' is a %s checkpoint; "
					    "use 'casework %s'",
					    id, cw_checkpoint_kind_name(cp->kind),
					    cp->kind == CW_CHECKPOINT_CHOICE
						    ? "choose"
						    : "check");
		/* a count or coverage is met by records, not by a statement */
		state_judge(st, cp, &v);
		return cw_error_set(CW_EINVALID,
				    "checkpoint '%s' is met by records, not by a "
				    "statement (%s): %s",
				    id, v.message, v.command);
	}
	*out = cp;
	return 0;
}


struct decision {
	const char *type;
	cJSON *payload;
	int refused;
	int oom; /* a part of the payload could not be allocated */
};

/* Add `item` to an event's payload under `key`; a failed allocation is
 * remembered, so that an event is never written with a part missing. */
static void put(struct decision *d, cJSON *object, const char *key,
		cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToObject(object, key, item)) {
		cJSON_Delete(item);
		d->oom = 1;
	}
}

/* A string of the payload; a NULL value adds nothing. */
static void put_str(struct decision *d, cJSON *object, const char *key,
		    const char *value)
{
	if (value != NULL)
		put(d, object, key, cJSON_CreateString(value));
}

static void put_num(struct decision *d, cJSON *object, const char *key,
		    double value)
{
	put(d, object, key, cJSON_CreateNumber(value));
}

/* The name of the next record of `kind` ("G3"), as the payload's id. */
static void next_name(struct decision *d, const state *st,
		      cw_record_kind kind, cJSON *payload)
{
	char name[16];

	snprintf(name, sizeof(name), "%c%d", record_letter(kind),
		 st->next[kind]);
	put_str(d, payload, "id", name);
}

/* Feedback on the session, one of its phases or one of its events. */
static int decide_feedback(struct decision *d, const state *st,
			   const cw_action *a)
{
	const cw_phase *ph;
	int phase = -1;
	int error = check_text(a->text, "feedback");

	if (error < 0)
		return error;
	if (a->phase != NULL &&
	    (phase = cw_workflow_phase_index(st->wf, a->phase)) < 0)
		return cw_error_set(CW_ENOTFOUND,
				    "no phase '%s' in workflow '%s'", a->phase,
				    st->wf->id);
	if (a->event != 0 && (a->event < 1 || a->event > st->seq))
		return cw_error_set(CW_ENOTFOUND,
				    "no event %ld in this session (it has "
				    "events 1 to %ld; see 'casework log')",
				    a->event, st->seq);
	if (a->event != 0 && a->phase != NULL &&
	    st->events[a->event - 1].phase != (size_t)phase)
		return cw_error_set(CW_EINVALID,
				    "event %ld happened in phase '%s', not '%s'",
				    a->event,
				    st->wf->phases[st->events[a->event - 1].phase].id,
				    a->phase);
	if (a->phase == NULL)
		phase = a->event ? (int)st->events[a->event - 1].phase
				 : (int)st->phase;
	ph = &st->wf->phases[phase];
	if (a->score != 0 && (a->score < 1 || a->score > 4))
		return cw_error_set(CW_EINVALID,
				    "a score is 1 to 4, not %d", a->score);
	if (a->criterion != NULL && a->score == 0)
		return cw_error_set(CW_EINVALID,
				    "--criterion goes with --score: give the "
				    "score on that criterion");
	if (a->criterion != NULL && cw_phase_criterion(ph, a->criterion) == NULL) {
		char list[300] = "";

		for (size_t i = 0; i < ph->rubric_count; i++) {
			size_t len = strlen(list);

			snprintf(list + len, sizeof(list) - len, "%s%s",
				 i ? ", " : "", ph->rubric[i].id);
		}
		return ph->rubric_count
			       ? cw_error_set(CW_ENOTFOUND,
					      "no criterion '%s' in the rubric "
					      "of phase '%s' (its criteria: %s)",
					      a->criterion, ph->id, list)
			       : cw_error_set(CW_ENOTFOUND,
					      "phase '%s' has no rubric, so no "
					      "criterion '%s'",
					      ph->id, a->criterion);
	}
	d->type = "feedback.added";
	put_str(d, d->payload, "text", a->text);
	put_str(d, d->payload, "phase", ph->id);
	if (a->event != 0)
		put_num(d, d->payload, "event", (double)a->event);
	if (a->score != 0)
		put_num(d, d->payload, "score", a->score);
	if (a->criterion != NULL)
		put_str(d, d->payload, "criterion", a->criterion);
	return 0;
}

/* Turn `a` into the event it makes, or an error that writes nothing. */
static int decide(struct decision *d, const state *st, const cw_action *a)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	const cw_checkpoint *cp = NULL;
	const record *g = NULL;
	cJSON *p;
	int error = 0;

	if (st->closed && a->type != CW_ACT_FEEDBACK)
		return cw_error_set(CW_EREFUSED,
				    "the session is closed; it accepts "
				    "feedback, export and verify only");
	p = d->payload = cJSON_CreateObject();
	if (p == NULL)
		return cw_error_set(CW_ERROR, "out of memory");

	switch (a->type) {
	case CW_ACT_NOTE:
		if ((error = check_text(a->text, "note")) < 0)
			break;
		if (a->tag != NULL && !check_is_id(a->tag)) {
			error = cw_error_set(CW_EINVALID,
					     "tag '%s' is not valid: use "
					     "lower-case letters, digits and "
					     "hyphens (e.g. 'strength')",
					     a->tag);
			break;
		}
		d->type = "note.added";
		next_name(d, st, CW_RECORD_NOTE, p);
		put_str(d, p, "text", a->text);
		if (a->tag != NULL)
			put_str(d, p, "tag", a->tag);
		break;
	case CW_ACT_CHECK:
	case CW_ACT_CHOOSE: {
		int choice = a->type == CW_ACT_CHOOSE;

		error = find_checkpoint(&cp, st, a->checkpoint,
					choice ? CW_CHECKPOINT_CHOICE
					       : CW_CHECKPOINT_CONFIRM);
		if (error < 0)
			break;
		if (choice) {
			int found = 0;
			char list[160] = "";

			for (size_t i = 0; i < cp->option_count; i++) {
				size_t len = strlen(list);

				found |= a->value &&
					 strcmp(a->value, cp->options[i]) == 0;
				snprintf(list + len, sizeof(list) - len,
					 "%s%s", i ? ", " : "", cp->options[i]);
			}
			if (!found) {
				error = cw_error_set(
					CW_EINVALID,
					"'%s' is not an option of '%s' "
					"(expected one of %s)",
					a->value ? a->value : "", cp->id, list);
				break;
			}
		}
		if ((error = check_text(a->text, choice ? "rationale"
							: "statement")) < 0)
			break;
		if (text_chars(a->text) < cp->min_chars) {
			error = cw_error_set(CW_EINVALID,
					     "checkpoint '%s' needs at least %d "
					     "characters saying what was done; "
					     "this has %d",
					     cp->id, cp->min_chars,
					     text_chars(a->text));
			break;
		}
		d->type = choice ? "checkpoint.chosen" : "checkpoint.confirmed";
		put_str(d, p, "checkpoint", cp->id);
		if (choice)
			put_str(d, p, "value", a->value);
		put_str(d, p, "text", a->text);
		break;
	}
	case CW_ACT_OBJECTIVE:
	case CW_ACT_REFERRAL: {
		int obj = a->type == CW_ACT_OBJECTIVE;

		if ((error = check_text(a->text, obj ? "objective"
						     : "referral")) < 0)
			break;
		d->type = obj ? "objective.added" : "referral.added";
		next_name(d, st, obj ? CW_RECORD_OBJECTIVE : CW_RECORD_REFERRAL, p);
		put_str(d, p, "text", a->text);
		break;
	}
	case CW_ACT_GOAL_ADD:
		if ((error = check_text(a->text, "goal")) < 0 ||
		    (error = one_of(a->term, terms, "term (--term)")) < 0 ||
		    (error = check_text(a->measure,
					"measurable criterion (--measure)")) < 0)
			break;
		d->type = "goal.added";
		next_name(d, st, CW_RECORD_GOAL, p);
		put_str(d, p, "text", a->text);
		put_str(d, p, "term", a->term);
		put_str(d, p, "measure", a->measure);
		break;
	case CW_ACT_GOAL_REVISE:
		if ((error = find_goal(&g, st, a->goal)) < 0 ||
		    (error = check_text(a->text, "goal")) < 0 ||
		    (a->measure != NULL &&
		     (error = check_text(a->measure, "measurable criterion")) <
			     0))
			break;
		d->type = "goal.revised";
		{
			char name[16];

			snprintf(name, sizeof(name), "G%d", g->number);
			put_str(d, p, "goal", name);
		}
		put_str(d, p, "text", a->text);
		if (a->measure != NULL)
			put_str(d, p, "measure", a->measure);
		break;
	case CW_ACT_GOAL_DROP:
	case CW_ACT_INTERVENTION:
	case CW_ACT_EVALUATION: {
		char name[16];

		if ((error = find_goal(&g, st, a->goal)) < 0)
			break;
		snprintf(name, sizeof(name), "G%d", g->number);
		if (a->type == CW_ACT_GOAL_DROP) {
			if ((error = check_text(a->reason, "reason (--reason)")) <
			    0)
				break;
			d->type = "goal.dropped";
			put_str(d, p, "goal", name);
			put_str(d, p, "reason", a->reason);
			break;
		}
		if (a->type == CW_ACT_INTERVENTION) {
			if ((error = one_of(a->intervention_type,
					    intervention_types,
					    "intervention type (--type)")) < 0 ||
			    (error = check_text(a->text, "intervention")) < 0)
				break;
			d->type = "intervention.added";
			next_name(d, st, CW_RECORD_INTERVENTION, p);
			put_str(d, p, "goal", name);
			put_str(d, p, "type", a->intervention_type);
		} else {
			if ((error = one_of(a->outcome, outcomes,
					    "outcome (--outcome)")) < 0 ||
			    (error = check_text(a->text, "evaluation")) < 0)
				break;
			d->type = "evaluation.added";
			next_name(d, st, CW_RECORD_EVALUATION, p);
			put_str(d, p, "goal", name);
			put_str(d, p, "outcome", a->outcome);
		}
		put_str(d, p, "text", a->text);
		break;
	}
	case CW_ACT_ADVANCE: {
		cJSON *blockers = state_checkpoints_json(st, st->phase, 1);

		put_str(d, p, "from", ph->id);
		if (blockers == NULL) {
			d->oom = 1; /* never an advance for want of memory */
		} else if (cJSON_GetArraySize(blockers) > 0) {
			d->type = "advance.refused";
			d->refused = 1;
			put(d, p, "blockers", blockers);
		} else if (st->phase + 1 == st->wf->phase_count) {
			cJSON_Delete(blockers);
			d->type = "session.closed";
		} else {
			cJSON_Delete(blockers);
			d->type = "phase.advanced";
			put_str(d, p, "to", st->wf->phases[st->phase + 1].id);
		}
		break;
	}
	case CW_ACT_REVISIT: {
		int target;
		int allowed = 0;
		char list[200] = "";

		if (a->phase == NULL || *a->phase == '\0') {
			error = cw_error_set(CW_EINVALID,
					     "name the phase to revisit");
			break;
		}
		target = cw_workflow_phase_index(st->wf, a->phase);
		if (target < 0) {
			error = cw_error_set(CW_ENOTFOUND,
					     "no phase '%s' in workflow '%s'",
					     a->phase, st->wf->id);
			break;
		}
		for (size_t i = 0; i < ph->revisit_count; i++) {
			size_t len = strlen(list);

			allowed |= ph->revisit[i] == (size_t)target;
			snprintf(list + len, sizeof(list) - len, "%s%s",
				 i ? ", " : "",
				 st->wf->phases[ph->revisit[i]].id);
		}
		if (!allowed) {
			error = ph->revisit_count
					? cw_error_set(CW_EREFUSED,
						       "phase '%s' may revisit "
						       "only %s, not '%s'",
						       ph->id, list, a->phase)
					: cw_error_set(CW_EREFUSED,
						       "phase '%s' allows no "
						       "revisit",
						       ph->id);
			break;
		}
		if ((error = check_text(a->reason, "reason (--reason)")) < 0)
			break;
		d->type = "phase.revisited";
		put_str(d, p, "from", ph->id);
		put_str(d, p, "to", a->phase);
		put_str(d, p, "reason", a->reason);
		break;
	}
	case CW_ACT_TERMINATE: {
		const cw_phase *last = &st->wf->phases[st->wf->phase_count - 1];

		if (st->phase + 1 == st->wf->phase_count) {
			error = cw_error_set(CW_EREFUSED,
					     "the session is already in '%s'; "
					     "meet its checkpoints and advance "
					     "to close it",
					     last->id);
			break;
		}
		if ((error = check_text(a->reason, "reason (--reason)")) < 0)
			break;
		d->type = "session.terminated";
		put_str(d, p, "from", ph->id);
		put_str(d, p, "to", last->id);
		put_str(d, p, "reason", a->reason);
		break;
	}
	case CW_ACT_FEEDBACK:
		error = decide_feedback(d, st, a);
		break;
	default:
		error = cw_error_set(CW_EINVALID, "unknown action");
	}
	if (error == 0 && d->oom)
		error = cw_error_set(CW_ERROR, "out of memory");
	if (error < 0) {
		cJSON_Delete(d->payload);
		d->payload = NULL;
	}
	return error;
}

static int check_actor(const char *actor)
{
	unsigned code = 0;

	if (actor == NULL || text_chars(actor) == 0)
		return cw_error_set(CW_EINVALID, "the actor name is empty");
	if (strlen(actor) > 200 || !check_is_utf8(actor, strlen(actor)))
		return cw_error_set(CW_EINVALID,
				    "the actor name is too long or not UTF-8");
	if (control_at(actor, 0, &code) > 0)
		return cw_error_set(CW_EINVALID,
				    "the actor name holds a control character "
				    "(U+%04X); it must be one line of text",
				    code);
	return 0;
}

int cw_session_act(cJSON **out, cw_store *s, const char *id,
		   const char *actor, const cw_action *action)
{
	struct decision d = { 0 };
	session_row row = { 0 };
	state st;
	cJSON *blockers = NULL, *result = NULL;
	int owned = 0, nblockers = 0, error;

	*out = NULL;
	if ((error = check_actor(actor)) < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0 ||
	    (error = decide(&d, &st, action)) < 0)
		goto cleanup;
	if (d.refused) {
		nblockers = cJSON_GetArraySize(
			cJSON_GetObjectItem(d.payload, "blockers"));
		blockers = cJSON_Duplicate(
			cJSON_GetObjectItem(d.payload, "blockers"), 1);
	}
	error = append(s, &st, id, actor, d.type, d.payload);
	if (error == 0)
		error = project(s, &st, id);
	if (error < 0)
		goto cleanup;

	result = cJSON_CreateObject();
	cJSON_AddStringToObject(result, "session", id);
	cJSON_AddNumberToObject(result, "seq", (double)st.seq);
	cJSON_AddStringToObject(result, "event", d.type);
	cJSON_AddStringToObject(result, "phase", st.wf->phases[st.phase].id);
	cJSON_AddStringToObject(result, "status", st.closed ? "closed" : "open");
	if (st.record_count > 0 && st.records[st.record_count - 1].seq == st.seq &&
	    st.records[st.record_count - 1].kind != CW_RECORD_NOTE) {
		const record *r = &st.records[st.record_count - 1];
		char name[16];

		snprintf(name, sizeof(name), "%c%d", record_letter(r->kind),
			 r->number);
		cJSON_AddStringToObject(result, "record", name);
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

int cw_session_start(cJSON **out, cw_store *s, const char *case_id,
		     const char *student, const char *workflow_id,
		     const char *actor)
{
	session_row row = { 0 };
	cw_workflow *wf = NULL;
	state st = { 0 };
	char *case_text = NULL, *case_sha = NULL;
	char id[CW_ID_LEN + 1], at[32];
	uuid_t uuid;
	cJSON *p = NULL;
	int owned = 0, version = 0, error;

	*out = NULL;
	if (workflow_id == NULL)
		workflow_id = "standard";
	if ((error = check_actor(actor)) < 0 ||
	    (error = check_text_in(student, "student name", 0)) < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		return error;
	if ((error = catalog_ensure_standard(s)) < 0 ||
	    (error = store_case_get(s, case_id, &case_text, &case_sha)) < 0 ||
	    (error = catalog_load(&wf, s, workflow_id, 0, &version)) < 0)
		goto cleanup;
	if ((error = state_init(&st, wf)) < 0)
		goto cleanup;

	uuid_generate_random(uuid);
	uuid_unparse_lower(uuid, id);
	now_iso(at);
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

	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "case", case_id);
	cJSON_AddStringToObject(p, "case_sha256", case_sha);
	cJSON_AddStringToObject(p, "student", student);
	cJSON_AddStringToObject(p, "workflow", workflow_id);
	cJSON_AddNumberToObject(p, "version", version);
	if ((error = append(s, &st, id, actor, "session.started", p)) < 0 ||
	    (error = project(s, &st, id)) < 0 ||
	    (error = store_setting_set(s, "current_session", id)) < 0)
		goto cleanup;

	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "session", id);
	cJSON_AddStringToObject(*out, "case", case_id);
	cJSON_AddStringToObject(*out, "student", student);
	cJSON_AddStringToObject(*out, "workflow", workflow_id);
	cJSON_AddNumberToObject(*out, "version", version);
	cJSON_AddStringToObject(*out, "phase", wf->phases[0].id);

cleanup:
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

int cw_session_resolve(char out[CW_ID_LEN + 1], cw_store *s,
		       const char *prefix)
{
	char ids[8][CW_ID_LEN + 1];
	char lower[CW_ID_LEN + 1];
	char *current = NULL;
	int count = 0, error;

	if (prefix == NULL) {
		if ((error = store_setting_get(s, "current_session", &current)) <
		    0)
			return error;
		if (current == NULL)
			return cw_error_set(CW_ENOTFOUND,
					    "no current session: start one with "
					    "'casework start CASE' or name one "
					    "with -s SESSION");
		snprintf(out, CW_ID_LEN + 1, "%s", current);
		free(current);
		return 0;
	}
	if (strlen(prefix) < 4)
		return cw_error_set(CW_EINVALID,
				    "session '%s' is too short: give at least 4 "
				    "characters of its id",
				    prefix);
	{
		/* ids are stored lower-case; accept a prefix typed in capitals */
		size_t n = strlen(prefix);

		if (n <= CW_ID_LEN) {
			for (size_t i = 0; i <= n; i++)
				lower[i] = (char)(prefix[i] >= 'A' && prefix[i] <= 'F'
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
		return cw_error_set(CW_EAMBIGUOUS,
				    "session '%s' is ambiguous: it matches %s%s",
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

/* The case's title as the session started with it. */
static void add_case(cJSON *obj, cw_store *s, const session_row *row)
{
	char *text = NULL;
	cJSON *c = cJSON_CreateObject(), *doc = NULL;

	cJSON_AddStringToObject(c, "id", row->case_id);
	if (store_case_text(s, row->case_sha256, &text) == 0)
		doc = cJSON_Parse(text);
	if (cJSON_IsString(cJSON_GetObjectItem(doc, "title")))
		cJSON_AddStringToObject(
			c, "title",
			cJSON_GetObjectItem(doc, "title")->valuestring);
	cJSON_AddItemToObject(obj, "case", c);
	cJSON_Delete(doc);
	free(text);
}

/* The fields every read of one session starts with. */
static cJSON *session_head(cw_store *s, const session_row *row,
			   const state *st)
{
	cJSON *doc = cJSON_CreateObject(), *wf = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "session", row->id);
	add_case(doc, s, row);
	cJSON_AddStringToObject(doc, "student", row->student);
	cJSON_AddStringToObject(wf, "id", st->wf->id);
	cJSON_AddNumberToObject(wf, "version", st->wf->version);
	cJSON_AddStringToObject(wf, "title", st->wf->title);
	cJSON_AddItemToObject(doc, "workflow", wf);
	cJSON_AddStringToObject(doc, "status", st->closed ? "closed" : "open");
	cJSON_AddStringToObject(doc, "created_at", row->created_at);
	cJSON_AddStringToObject(doc, "updated_at", st->last_at);
	return doc;
}

int cw_session_status(cJSON **out, cw_store *s, const char *id)
{
	session_row row;
	state st;
	cJSON *doc, *phase, *records, *revisit, *cps;
	int met, total, owned = 0, error = store_enter_read(s, &owned);
	static const char *const names[CW_RECORD_KIND_COUNT] = {
		"notes", "objectives", "goals", "interventions", "evaluations",
		"referrals"
	};
	int counts[CW_RECORD_KIND_COUNT] = { 0 };
	const cw_phase *ph;

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	ph = &st.wf->phases[st.phase];
	doc = session_head(s, &row, &st);
	phase = cJSON_AddObjectToObject(doc, "phase");
	cJSON_AddStringToObject(phase, "id", ph->id);
	cJSON_AddStringToObject(phase, "title", ph->title);
	cJSON_AddNumberToObject(phase, "number", (double)st.phase + 1);
	cJSON_AddNumberToObject(phase, "of", (double)st.wf->phase_count);
	cps = state_checkpoints_json(&st, st.phase, 0);
	cJSON_AddItemToObject(doc, "checkpoints", cps);
	{
		int blocked = 0;
		const cJSON *cp;

		cJSON_ArrayForEach(cp, cps)
			blocked += !cJSON_IsTrue(cJSON_GetObjectItem(cp, "met"));
		cJSON_AddBoolToObject(doc, "can_advance",
				      !st.closed && blocked == 0);
	}
	if (!st.closed && st.phase + 1 < st.wf->phase_count)
		cJSON_AddStringToObject(doc, "next_phase",
					st.wf->phases[st.phase + 1].id);
	revisit = cJSON_AddArrayToObject(doc, "revisit");
	for (size_t i = 0; !st.closed && i < ph->revisit_count; i++)
		cJSON_AddItemToArray(
			revisit,
			cJSON_CreateString(st.wf->phases[ph->revisit[i]].id));
	for (size_t i = 0; i < st.record_count; i++)
		counts[st.records[i].kind] += !st.records[i].dropped;
	records = cJSON_AddObjectToObject(doc, "records");
	for (int k = 0; k < CW_RECORD_KIND_COUNT; k++)
		cJSON_AddNumberToObject(records, names[k], counts[k]);
	state_progress(&st, &met, &total);
	phase = cJSON_AddObjectToObject(doc, "progress");
	cJSON_AddNumberToObject(phase, "met", met);
	cJSON_AddNumberToObject(phase, "total", total);
	*out = doc;
cleanup:
	store_end(s, owned, 0);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

static cJSON *strings(const char *const *list, size_t count)
{
	cJSON *array = cJSON_CreateArray();

	for (size_t i = 0; i < count; i++)
		cJSON_AddItemToArray(array, cJSON_CreateString(list[i]));
	return array;
}

int cw_session_guide(cJSON **out, cw_store *s, const char *id,
		     const char *phase_id)
{
	session_row row;
	state st;
	char *text = NULL;
	cJSON *doc = NULL, *kase = NULL, *ph, *material;
	const cw_phase *phase;
	int index, owned = 0, error = store_enter_read(s, &owned);

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	index = phase_id ? cw_workflow_phase_index(st.wf, phase_id)
			 : (int)st.phase;
	if (index < 0) {
		error = cw_error_set(CW_ENOTFOUND,
				     "no phase '%s' in workflow '%s'", phase_id,
				     st.wf->id);
		goto cleanup;
	}
	phase = &st.wf->phases[index];
	if ((error = store_case_text(s, row.case_sha256, &text)) < 0)
		goto cleanup;
	kase = cJSON_Parse(text);
	material = cJSON_GetObjectItem(cJSON_GetObjectItem(kase, "phases"),
				       phase->id);

	doc = session_head(s, &row, &st);
	ph = cJSON_AddObjectToObject(doc, "phase");
	cJSON_AddStringToObject(ph, "id", phase->id);
	cJSON_AddStringToObject(ph, "title", phase->title);
	cJSON_AddNumberToObject(ph, "number", index + 1);
	cJSON_AddNumberToObject(ph, "of", (double)st.wf->phase_count);
	cJSON_AddStringToObject(ph, "purpose", phase->purpose);
	cJSON_AddItemToObject(ph, "tasks",
			      strings(phase->tasks, phase->task_count));
	cJSON_AddItemToObject(ph, "questions",
			      strings(phase->questions, phase->question_count));
	cJSON_AddBoolToObject(doc, "current", (size_t)index == st.phase);
	cJSON_AddStringToObject(
		doc, "material",
		cJSON_IsString(cJSON_GetObjectItem(material, "material"))
			? cJSON_GetObjectItem(material, "material")->valuestring
			: "");
	cJSON_AddItemToObject(
		doc, "prompts",
		cJSON_IsArray(cJSON_GetObjectItem(material, "prompts"))
			? cJSON_Duplicate(cJSON_GetObjectItem(material, "prompts"),
					  1)
			: cJSON_CreateArray());
	cJSON_AddItemToObject(doc, "checkpoints",
			      state_checkpoints_json(&st, (size_t)index, 0));
	*out = doc;
cleanup:
	store_end(s, owned, 0);
	cJSON_Delete(kase);
	free(text);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

/* Add a string unless it is NULL (then the key is left out, as cJSON
 * does); 1, or 0 when out of memory. */
static int add_str(cJSON *obj, const char *key, const char *value)
{
	return value == NULL || cJSON_AddStringToObject(obj, key, value) != NULL;
}

/* Add a record's name ("G1"); 1, or 0 when out of memory. */
static int add_record_name(cJSON *obj, const char *key, const record *r)
{
	char name[16];

	snprintf(name, sizeof(name), "%c%d", record_letter(r->kind), r->number);
	return cJSON_AddStringToObject(obj, key, name) != NULL;
}

int cw_session_goals(cJSON **out, cw_store *s, const char *id)
{
	session_row row;
	state st;
	cJSON *doc, *goals;
	int owned = 0, ok, error = store_enter_read(s, &owned);

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	doc = session_head(s, &row, &st);
	goals = cJSON_AddArrayToObject(doc, "goals");
	/* report reads each goal's fields back without looking: the list is
	 * whole, or the call fails */
	ok = goals != NULL;
	for (size_t i = 0; ok && i < st.record_count; i++) {
		const record *g = &st.records[i];
		cJSON *item, *ivs, *evs;

		if (g->kind != CW_RECORD_GOAL)
			continue;
		item = cJSON_CreateObject();
		ok = item != NULL && add_record_name(item, "id", g) &&
		     add_str(item, "text", g->text) &&
		     add_str(item, "term", g->term) &&
		     add_str(item, "measure", g->measure) &&
		     add_str(item, "status", g->dropped ? "dropped" : "open") &&
		     (!g->dropped || add_str(item, "drop_reason", g->drop_reason));
		ivs = ok ? cJSON_AddArrayToObject(item, "interventions") : NULL;
		evs = ok ? cJSON_AddArrayToObject(item, "evaluations") : NULL;
		ok = ivs != NULL && evs != NULL;
		for (size_t k = 0; ok && k < st.record_count; k++) {
			const record *r = &st.records[k];
			cJSON *sub;
			int iv = r->kind == CW_RECORD_INTERVENTION;

			if (r->goal != g->number ||
			    (!iv && r->kind != CW_RECORD_EVALUATION))
				continue;
			sub = cJSON_CreateObject();
			ok = sub != NULL && add_record_name(sub, "id", r) &&
			     (iv ? add_str(sub, "type", r->type)
				 : add_str(sub, "outcome", r->outcome)) &&
			     add_str(sub, "text", r->text) &&
			     cJSON_AddItemToArray(iv ? ivs : evs, sub);
			if (!ok)
				cJSON_Delete(sub);
		}
		if (!ok || !cJSON_AddItemToArray(goals, item)) {
			cJSON_Delete(item);
			ok = 0;
		}
	}
	if (!ok) {
		cJSON_Delete(doc);
		error = cw_error_set(CW_ERROR, "out of memory");
		goto cleanup;
	}
	*out = doc;
cleanup:
	store_end(s, owned, 0);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

/* Event `m` as the log shows it: payload, seq, at, actor, phase, type,
 * hash; NULL when out of memory.  The caller frees it. */
static cJSON *log_event(const state *st, const event_meta *m)
{
	cJSON *item = cJSON_CreateObject();
	cJSON *payload = cJSON_Duplicate(m->payload, 1);

	if (item == NULL || payload == NULL ||
	    !cJSON_AddItemToObject(item, "payload", payload)) {
		cJSON_Delete(payload);
		cJSON_Delete(item);
		return NULL;
	}
	if (!cJSON_AddNumberToObject(item, "seq", (double)m->seq) ||
	    !cJSON_AddStringToObject(item, "at", m->at) ||
	    !cJSON_AddStringToObject(item, "actor", m->actor) ||
	    !cJSON_AddStringToObject(item, "phase",
				     st->wf->phases[m->phase].id) ||
	    !cJSON_AddStringToObject(item, "type", event_name(m->type)) ||
	    !cJSON_AddStringToObject(item, "hash", m->hash)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

/* Feedback `f` as the log lists it: its payload, then seq, at and actor;
 * NULL when out of memory.  The caller frees it. */
static cJSON *log_feedback(const state *st, const feedback_entry *f)
{
	cJSON *item = cJSON_Duplicate(st->events[f->seq - 1].payload, 1);

	if (item == NULL || !cJSON_AddNumberToObject(item, "seq", (double)f->seq) ||
	    !cJSON_AddStringToObject(item, "at", f->at) ||
	    !cJSON_AddStringToObject(item, "actor", f->actor)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

/*
 * The log's events, each step of a visit with the index of its visit
 * ("visit"; feedback is no step), and the feedback: all of it in
 * "feedback", and each on the event it is about.  0, or CW_ERROR when out
 * of memory (doc is then incomplete).
 */
static int log_events(cJSON *doc, const state *st)
{
	cJSON *events = cJSON_AddArrayToObject(doc, "events");
	cJSON *all = NULL;
	size_t f = 0, moves = 1;

	if (events == NULL)
		return cw_error_set(CW_ERROR, "out of memory");
	for (long seq = 1; seq <= st->seq; seq++) {
		cJSON *item = log_event(st, &st->events[seq - 1]);
		int feedback = f < st->feedback_count &&
			       st->feedback[f].seq == seq;

		if (item == NULL || !cJSON_AddItemToArray(events, item)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, "out of memory");
		}
		f += feedback;
		if (feedback)
			continue;
		/* visit k > 0 began with move k; events after it are in it */
		while (moves < st->visit_count &&
		       st->visits[moves].move_seq < seq)
			moves++;
		if (!cJSON_AddNumberToObject(item, "visit", (double)moves - 1))
			return cw_error_set(CW_ERROR, "out of memory");
	}
	all = cJSON_AddArrayToObject(doc, "feedback");
	if (all == NULL)
		return cw_error_set(CW_ERROR, "out of memory");
	for (f = 0; f < st->feedback_count; f++) {
		const feedback_entry *fb = &st->feedback[f];
		cJSON *item = log_feedback(st, fb), *target, *list, *copy;

		if (item == NULL || !cJSON_AddItemToArray(all, item)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, "out of memory");
		}
		if (fb->event < 1 || fb->event > st->seq)
			continue;
		target = cJSON_GetArrayItem(events, (int)fb->event - 1);
		list = cJSON_GetObjectItem(target, "feedback");
		if (list == NULL)
			list = cJSON_AddArrayToObject(target, "feedback");
		copy = cJSON_Duplicate(item, 1);
		if (list == NULL || copy == NULL ||
		    !cJSON_AddItemToArray(list, copy)) {
			cJSON_Delete(copy);
			return cw_error_set(CW_ERROR, "out of memory");
		}
	}
	return 0;
}

/*
 * Add to a log what an instructor reads it for besides its events: the
 * visits to each phase with their times ("visits") and the time spent in
 * each phase ("phases").  0, or CW_ERROR when out of memory.
 */
static int log_visits(cJSON *doc, const state *st)
{
	cJSON *visits = cJSON_AddArrayToObject(doc, "visits");
	cJSON *phases = cJSON_AddArrayToObject(doc, "phases");

	if (visits == NULL || phases == NULL)
		return cw_error_set(CW_ERROR, "out of memory");
	for (size_t i = 0; i < st->visit_count; i++) {
		const phase_visit *v = &st->visits[i];
		cJSON *item = cJSON_CreateObject();

		if (item == NULL ||
		    !cJSON_AddStringToObject(item, "phase",
					     st->wf->phases[v->phase].id) ||
		    !cJSON_AddNumberToObject(item, "from", (double)v->from) ||
		    !cJSON_AddNumberToObject(item, "to", (double)v->to) ||
		    !cJSON_AddStringToObject(item, "start", v->start) ||
		    !cJSON_AddStringToObject(item, "end", v->end) ||
		    !cJSON_AddNumberToObject(item, "seconds",
					     state_seconds(v->start, v->end)) ||
		    !cJSON_AddItemToArray(visits, item)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, "out of memory");
		}
	}
	for (size_t i = 0; i < st->wf->phase_count; i++) {
		cJSON *item = cJSON_CreateObject();
		double seconds;
		int count;

		state_phase_time(st, i, &count, &seconds);
		if (item == NULL ||
		    !cJSON_AddStringToObject(item, "id", st->wf->phases[i].id) ||
		    !cJSON_AddStringToObject(item, "title",
					     st->wf->phases[i].title) ||
		    !cJSON_AddNumberToObject(item, "visits", count) ||
		    !cJSON_AddNumberToObject(item, "seconds", seconds) ||
		    !cJSON_AddItemToArray(phases, item)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, "out of memory");
		}
	}
	return 0;
}

int cw_session_log(cJSON **out, cw_store *s, const char *id)
{
	session_row row;
	state st;
	cJSON *doc;
	int owned = 0, error = store_enter_read(s, &owned);

	*out = NULL;
	memset(&st, 0, sizeof(st));
	memset(&row, 0, sizeof(row));
	if (error < 0)
		return error;
	if ((error = state_load(&st, &row, s, id)) < 0)
		goto cleanup;
	doc = session_head(s, &row, &st);
	if (doc == NULL ||
	    !cJSON_AddStringToObject(doc, "phase", st.wf->phases[st.phase].id))
		error = cw_error_set(CW_ERROR, "out of memory");
	else
		error = log_events(doc, &st);
	if (error == 0)
		error = log_visits(doc, &st);
	if (error < 0)
		cJSON_Delete(doc);
	else
		*out = doc;
cleanup:
	store_end(s, owned, 0);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

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
		snprintf(v->problem, sizeof(v->problem), "%s", cw_error_last());
		return 1;
	}
	memcpy(v->prev, hash, sizeof(hash));
	return 0;
}

int cw_session_verify(cJSON **out, cw_store *s, const char *id)
{
	session_row row = { 0 };
	struct verifying v = { 0 };
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
	v.row = &row;
	memcpy(v.prev, store_genesis, sizeof(store_genesis));
	error = store_events_each(s, id, verify_one, &v);
	if (error < 0)
		goto cleanup;
	error = 0;
	if (v.problem[0] == '\0' &&
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
		else if (strcmp(v.st.seq ? v.st.head : store_genesis, row.head) != 0)
			snprintf(v.problem, sizeof(v.problem),
				 "the log's last hash differs from the head the "
				 "session records");
		else if (strcmp(v.st.wf->phases[v.st.phase].id, row.phase) != 0 ||
			 strcmp(v.st.closed ? "closed" : "open", row.status) != 0)
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
	free(case_text);
	state_clear(&v.st);
	session_row_clear(&row);
	return error;
}

int cw_session_list(cJSON **out, cw_store *s, const cw_session_filter *f)
{
	sqlite3_stmt *st = store_stmt(s, ST_SESSION_LIST);

	*out = NULL;
	if (st == NULL)
		return CW_ERROR;
	if (f != NULL) {
		sqlite3_bind_text(st, 1, f->case_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, f->student, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->phase, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, f->status, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, f->since, -1, SQLITE_STATIC);
	}
	return store_rows_json(out, s, st, "listing sessions");
}

int cw_session_ids(cJSON **out, cw_store *s)
{
	sqlite3_stmt *st = store_stmt(s, ST_SESSION_IDS);
	cJSON *ids = cJSON_CreateArray();
	int rc = SQLITE_DONE;

	*out = NULL;
	if (st == NULL || ids == NULL) {
		cJSON_Delete(ids);
		return st ? cw_error_set(CW_ERROR, "out of memory") : CW_ERROR;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *id = cJSON_CreateString(
			(const char *)sqlite3_column_text(st, 0));

		if (id == NULL)
			break;
		cJSON_AddItemToArray(ids, id);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		cJSON_Delete(ids);
		return rc == SQLITE_ROW ? cw_error_set(CW_ERROR, "out of memory")
					: store_fail(s, rc, "listing sessions");
	}
	*out = ids;
	return 0;
}
