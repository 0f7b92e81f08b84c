/*
 * state_events.c - what a case's client events do to a session, as
 * replay keeps it: the events that fired, the checkpoints they reopened
 * (unmet until met again after the event) and those they added to a
 * phase of this session only; and how those change which checkpoints a
 * phase has, what blocks an advance and which revisits are allowed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "workflow_checkpoint.h"

size_t state_checkpoint_count(const state *st, size_t phase)
{
	size_t n = st->wf->phases[phase].checkpoint_count;

	for (size_t i = 0; i < st->touched_count; i++)
		n += st->touched[i].added && st->touched[i].phase == phase;
	return n;
}

const cw_checkpoint *state_checkpoint_at(const state *st, size_t phase,
					 size_t k)
{
	const cw_phase *ph = &st->wf->phases[phase];

	if (k < ph->checkpoint_count)
		return &ph->checkpoints[k];
	k -= ph->checkpoint_count;
	for (size_t i = 0; i < st->touched_count; i++) {
		const event_checkpoint *e = &st->touched[i];

		if (e->added && e->phase == phase && k-- == 0)
			return &e->own;
	}
	return NULL;
}

const cw_checkpoint *state_checkpoint(const state *st, const char *id,
				      size_t *phase)
{
	const cw_checkpoint *cp = cw_workflow_checkpoint(st->wf, id, phase);

	for (size_t i = 0; cp == NULL && i < st->touched_count; i++) {
		const event_checkpoint *e = &st->touched[i];

		if (e->added && strcmp(e->own.id, id) == 0) {
			cp = &e->own;
			if (phase != NULL)
				*phase = e->phase;
		}
	}
	return cp;
}

const cw_checkpoint *state_event_checkpoint(const state *st,
					    const event_checkpoint *e)
{
	return e->added ? &e->own : state_checkpoint(st, e->id, NULL);
}

const event_checkpoint *state_reopened(const state *st, const char *id)
{
	const event_checkpoint *last = NULL;

	for (size_t i = 0; i < st->touched_count; i++)
		if (!st->touched[i].added && strcmp(st->touched[i].id, id) == 0)
			last = &st->touched[i];
	return last;
}

/* Whether the session has been in phase `phase`: a phase that terminate
 * skipped is not gone back to for a client event. */
static int visited(const state *st, size_t phase)
{
	for (size_t i = 0; i < st->visit_count; i++)
		if (st->visits[i].phase == phase)
			return 1;
	return 0;
}

const event_checkpoint *state_event_blocker(const state *st, int phase)
{
	for (size_t i = 0; i < st->touched_count; i++) {
		const event_checkpoint *e = &st->touched[i];
		verdict v;

		if (e->phase >= st->phase ||
		    (phase >= 0 && e->phase != (size_t)phase) ||
		    !visited(st, e->phase))
			continue;
		state_judge(st, state_event_checkpoint(st, e), &v);
		if (!v.met)
			return e;
	}
	return NULL;
}

int state_phase_clear(const state *st)
{
	size_t n = state_checkpoint_count(st, st->phase);

	for (size_t k = 0; k < n; k++) {
		verdict v;

		state_judge(st, state_checkpoint_at(st, st->phase, k), &v);
		if (!v.met)
			return 0;
	}
	return state_event_blocker(st, -1) == NULL;
}

int state_may_revisit(const state *st, size_t target)
{
	const cw_phase *ph = &st->wf->phases[st->phase];

	for (size_t k = 0; k < ph->revisit_count; k++)
		if (ph->revisit[k] == target)
			return 1;
	return target < st->phase &&
	       state_event_blocker(st, (int)target) != NULL;
}

/* Whether an earlier entry than `e` names the same checkpoint. */
static int seen_before(const state *st, const event_checkpoint *e)
{
	for (const event_checkpoint *o = st->touched; o < e; o++)
		if (strcmp(o->id, e->id) == 0)
			return 1;
	return 0;
}

cJSON *state_event_blockers_json(const state *st)
{
	cJSON *list = cJSON_CreateArray();
	int ok = list != NULL;

	for (size_t i = 0; ok && i < st->touched_count; i++) {
		const event_checkpoint *e = &st->touched[i];
		const cw_checkpoint *cp = state_event_checkpoint(st, e);
		const char *phase = st->wf->phases[e->phase].id;
		char message[400], command[200];
		cJSON *item;
		verdict v;

		if (e->phase >= st->phase || seen_before(st, e) ||
		    !visited(st, e->phase))
			continue;
		state_judge(st, cp, &v);
		if (v.met)
			continue;
		/* a reopened one's verdict names its event already */
		if (e->added)
			snprintf(message, sizeof(message),
				 "added by client event '%s'; %s; revisit "
				 "phase '%s' to meet it",
				 e->event, v.message, phase);
		else
			snprintf(message, sizeof(message),
				 "%s; revisit phase '%s' to meet it again",
				 v.message, phase);
		snprintf(command, sizeof(command),
			 "casework revisit %s --reason \"REASON\"", phase);
		item = cJSON_CreateObject();
		ok = cJSON_AddItemToArray(list, item) &&
		     cJSON_AddStringToObject(item, "id", cp->id) &&
		     cJSON_AddStringToObject(item, "label", cp->label) &&
		     cJSON_AddStringToObject(item, "kind",
					     cw_checkpoint_kind_name(cp->kind)) &&
		     cJSON_AddBoolToObject(item, "met", 0) &&
		     cJSON_AddNumberToObject(item, "have", v.have) &&
		     cJSON_AddNumberToObject(item, "need", v.need) &&
		     cJSON_AddStringToObject(item, "message", message) &&
		     cJSON_AddStringToObject(item, "command", command) &&
		     cJSON_AddStringToObject(item, "event", e->event) &&
		     cJSON_AddStringToObject(item, "phase", phase);
	}
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}

/* Add checkpoint `item` ({"phase", "checkpoint"}) for client event `id`. */
static int keep_added(state *st, const cJSON *item, const char *id, long seq)
{
	const char *phase = state_str(item, "phase");
	int index = phase ? cw_workflow_phase_index(st->wf, phase) : -1;
	cw_diags diags = CW_DIAGS_INIT;
	cw_checkpoint cp;
	event_checkpoint *e;
	checker c;
	int bad;

	if (index < 0)
		return CW_ERROR;
	memset(&cp, 0, sizeof(cp));
	check_init(&c, &diags);
	workflow_parse_checkpoint(
	    &c, cJSON_GetObjectItemCaseSensitive(item, "checkpoint"), &cp);
	bad = diags.count > 0 || c.oom || cp.id == NULL;
	cw_diags_free(&diags);
	if (c.oom)
		st->oom = 1;
	/* an id the session has already would make two checkpoints one */
	if (bad || state_checkpoint(st, cp.id, NULL) != NULL) {
		free((void *)cp.options);
		return CW_ERROR;
	}
	PUSH(st, e, st->touched, st->touched_count, st->touched_cap);
	if (e == NULL) {
		free((void *)cp.options);
		return CW_ERROR;
	}
	*e = (event_checkpoint){.phase = (size_t)index,
				.id = cp.id,
				.own = cp,
				.added = 1,
				.seq = seq,
				.event = id};
	return 0;
}

int state_keep_client_event(state *st, const cJSON *p, long seq)
{
	const char *id = state_str(p, "id");
	const cJSON *reopen = cJSON_GetObjectItemCaseSensitive(p, "reopen");
	const cJSON *add = cJSON_GetObjectItemCaseSensitive(p, "add");
	const cJSON *item;
	client_event *fired;

	if (id == NULL || state_str(p, "text") == NULL ||
	    (reopen != NULL && !cJSON_IsArray(reopen)) ||
	    (add != NULL && !cJSON_IsArray(add)))
		return CW_ERROR;
	/* an event fires once */
	for (size_t i = 0; i < st->fired_count; i++)
		if (strcmp(st->fired[i].id, id) == 0)
			return CW_ERROR;
	PUSH(st, fired, st->fired, st->fired_count, st->fired_cap);
	if (fired == NULL)
		return CW_ERROR;
	*fired = (client_event){.seq = seq,
				.phase = st->phase,
				.id = id,
				.text = state_str(p, "text"),
				.payload = p};
	cJSON_ArrayForEach(item, add) if (keep_added(st, item, id, seq) < 0)
	    return CW_ERROR;
	cJSON_ArrayForEach(item, reopen)
	{
		size_t phase = 0;
		event_checkpoint *e;

		if (!cJSON_IsString(item) ||
		    state_checkpoint(st, item->valuestring, &phase) == NULL)
			return CW_ERROR;
		PUSH(st, e, st->touched, st->touched_count, st->touched_cap);
		if (e == NULL)
			return CW_ERROR;
		*e = (event_checkpoint){.phase = phase,
					.id = item->valuestring,
					.seq = seq,
					.event = id};
	}
	return 0;
}

/* The client events that have fired, in order: seq, id, phase, text,
 * and what each reopened and added, each with whether it holds now. */
cJSON *state_client_events_json(const state *st)
{
	cJSON *list = cJSON_CreateArray();

	for (size_t i = 0; i < st->fired_count; i++) {
		const client_event *e = &st->fired[i];
		cJSON *item = cJSON_CreateObject();
		cJSON *reopened = cJSON_CreateArray(), *added = cJSON_CreateArray();

		cJSON_AddItemToArray(list, item);
		cJSON_AddNumberToObject(item, "seq", (double)e->seq);
		cJSON_AddStringToObject(item, "id", e->id);
		cJSON_AddStringToObject(item, "phase", st->wf->phases[e->phase].id);
		cJSON_AddStringToObject(item, "text", e->text);
		cJSON_AddItemToObject(item, "reopen", reopened);
		cJSON_AddItemToObject(item, "add", added);
		for (size_t k = 0; k < st->touched_count; k++) {
			const event_checkpoint *t = &st->touched[k];
			cJSON *cp;
			verdict v;

			if (t->seq != e->seq)
				continue;
			state_judge(st, state_event_checkpoint(st, t), &v);
			cp = cJSON_CreateObject();
			cJSON_AddStringToObject(cp, "id", t->id);
			cJSON_AddStringToObject(cp, "phase",
						st->wf->phases[t->phase].id);
			cJSON_AddBoolToObject(cp, "met", v.met);
			cJSON_AddItemToArray(t->added ? added : reopened, cp);
		}
	}
	return list;
}
