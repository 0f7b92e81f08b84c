/*
 * decide.c - deciding an act: whether what a student or instructor asks
 * for may happen in the session's state, and the event it makes.  One
 * function per act, found in a table (the acts on records are in
 * decide_record.c, moves and feedback in decide_move.c); here are the
 * table and what the acts share.  Nothing is written here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decide.h"
#include "text.h"
#include "workflow_tags.h"

int decide_text(const char *text, const char *what)
{
	return text_check(text, what, 1);
}

int decide_same_but_case(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

int decide_one_of(const char **out, const char *value,
		  const char *const *options, const char *what)
{
	char list[160] = "", low[64] = "";
	text_near n = { low, NULL, 99 };
	const char *near;

	/* a near miss is near whatever its case: "Shrot" is "short" */
	for (size_t i = 0; value != NULL && value[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)value[i]);

	for (size_t i = 0; options[i] != NULL; i++) {
		size_t len = strlen(list);

		/* "Achieved" is "achieved": the spelling kept is the list's */
		if (value != NULL && decide_same_but_case(value, options[i])) {
			*out = options[i];
			return 0;
		}
		text_near_consider(&n, options[i]);
		snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
			 options[i]);
	}
	if (value == NULL)
		return cw_error_set(
		    CW_EINVALID, "the %s is required: one of %s", what, list);
	near = text_near_result(&n);
	return cw_error_set(CW_EINVALID, "unknown %s '%s'%s%s%s (expected one of %s)",
			    what, value, near ? "; did you mean '" : "",
			    near ? near : "", near ? "'?" : "", list);
}

/* The open goal `name` names ("G2" or "g2"), or an error. */
int decide_goal(const record **out, const state *st, const char *name)
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
		return cw_error_set(
		    CW_ENOTFOUND,
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
		return cw_error_set(CW_ENOTFOUND, "goal G%ld was dropped: %s",
				    n, g->drop_reason ? g->drop_reason : "");
	if (g->struck)
		return cw_error_set(CW_ENOTFOUND, "goal G%ld was struck: %s", n,
				    g->strike_reason ? g->strike_reason : "");
	*out = g;
	return 0;
}

int decide_find_checkpoint(const cw_checkpoint **out, size_t *phase,
			   const state *st, const char *id)
{
	if (id == NULL || *id == '\0')
		return cw_error_set(CW_EINVALID, "name a checkpoint");
	*out = state_checkpoint(st, id, phase);
	if (*out == NULL) {
		char hint[500];

		workflow_checkpoint_hint(hint, sizeof(hint), st->wf, id,
					 st->phase);
		return cw_error_set(CW_ENOTFOUND,
				    "no checkpoint '%s' in workflow '%s'%s", id,
				    st->wf->id, hint);
	}
	return 0;
}

/* A checkpoint of the current phase that `action` may answer. */
int decide_checkpoint(const cw_checkpoint **out, const state *st,
		      const char *id, cw_checkpoint_kind kind)
{
	const cw_phase *ph = &st->wf->phases[st->phase];
	const cw_checkpoint *cp;
	size_t phase;
	int error;

	if ((error = decide_find_checkpoint(&cp, &phase, st, id)) < 0)
		return error;
	if (phase != st->phase)
		return cw_error_set(
		    CW_EREFUSED,
		    "checkpoint '%s' belongs to phase '%s'; the "
		    "session is in '%s'",
		    id, st->wf->phases[phase].id, ph->id);
	if (cp->kind != kind) {
		verdict v;

		if (cp->kind == CW_CHECKPOINT_CHOICE ||
		    cp->kind == CW_CHECKPOINT_CONFIRM)
			return cw_error_set(
			    CW_EINVALID,
			    "checkpoint '%s' is a %s checkpoint; "
			    "use 'casework %s'",
			    id, cw_checkpoint_kind_name(cp->kind),
			    cp->kind == CW_CHECKPOINT_CHOICE ? "choose"
							     : "check");
		/* a count or coverage is met by records, not by a statement */
		state_judge(st, cp, &v);
		return cw_error_set(
		    CW_EINVALID,
		    "checkpoint '%s' is met by records, not by a "
		    "statement (%s): %s",
		    id, v.message, v.command);
	}
	*out = cp;
	return 0;
}

/* Add `item` to an event's payload under `key`; a failed allocation is
 * remembered, so that an event is never written with a part missing. */
void decide_put(struct decision *d, cJSON *object, const char *key, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToObject(object, key, item)) {
		cJSON_Delete(item);
		d->oom = 1;
	}
}

/* A string of the payload; a NULL value adds nothing. */
void decide_put_str(struct decision *d, cJSON *object, const char *key,
		    const char *value)
{
	if (value != NULL)
		decide_put(d, object, key, cJSON_CreateString(value));
}

void decide_put_num(struct decision *d, cJSON *object, const char *key,
		    double value)
{
	decide_put(d, object, key, cJSON_CreateNumber(value));
}

/* The name of the next record of `kind` ("G3"), as the payload's id. */
void decide_next_name(struct decision *d, const state *st, cw_record_kind kind,
		      cJSON *payload)
{
	char name[16];

	snprintf(name, sizeof(name), "%c%d", record_letter(kind),
		 st->next[kind]);
	decide_put_str(d, payload, "id", name);
}

/* The function that decides each act. */
static int (*const acts[])(struct decision *, const state *,
			   const cw_action *) = {
    [CW_ACT_NOTE] = decide_note,
    [CW_ACT_CHECK] = decide_statement,
    [CW_ACT_CHOOSE] = decide_statement,
    [CW_ACT_OBJECTIVE] = decide_text_record,
    [CW_ACT_REFERRAL] = decide_text_record,
    [CW_ACT_GOAL_ADD] = decide_goal_add,
    [CW_ACT_GOAL_REVISE] = decide_goal_revise,
    [CW_ACT_GOAL_DROP] = decide_on_goal,
    [CW_ACT_INTERVENTION] = decide_on_goal,
    [CW_ACT_EVALUATION] = decide_on_goal,
    [CW_ACT_ADVANCE] = decide_advance,
    [CW_ACT_REVISIT] = decide_revisit,
    [CW_ACT_TERMINATE] = decide_terminate,
    [CW_ACT_FEEDBACK] = decide_feedback,
    [CW_ACT_CORRECT] = decide_correct,
    [CW_ACT_STRIKE] = decide_strike,
    [CW_ACT_REFLECT] = decide_reflect,
    [CW_ACT_APPROVAL_REQUEST] = decide_approval_request,
    [CW_ACT_APPROVAL_GRANT] = decide_approval_decide,
    [CW_ACT_APPROVAL_RETURN] = decide_approval_decide,
};

/* Turn `a` into the event it makes, or an error that writes nothing. */
int decide(struct decision *d, const state *st, const cw_action *a)
{
	int error;

	if (st->closed && a->type != CW_ACT_FEEDBACK)
		return cw_error_set(CW_EREFUSED,
				    "the session is closed: nothing more can "
				    "be recorded in it (review it with log, "
				    "status or debrief; export it; an "
				    "instructor may still give feedback)");
	if ((unsigned)a->type >= sizeof(acts) / sizeof(acts[0]) ||
	    acts[a->type] == NULL)
		return cw_error_set(CW_EINVALID, "unknown action");
	d->payload = cJSON_CreateObject();
	if (d->payload == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	error = acts[a->type](d, st, a);
	if (error == 0 && d->oom)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (error < 0) {
		cJSON_Delete(d->payload);
		d->payload = NULL;
	}
	return error;
}
