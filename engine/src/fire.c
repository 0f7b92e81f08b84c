/*
 * fire.c - a case's client events as a session meets them.  An event is
 * data in the case file; here it is checked against the workflow when a
 * session starts, and found due after each act.  What firing does
 * (reopen, add) is the log's business: session.c appends the event and
 * state.c, replaying it, is the one place that applies it.
 */
#include <stdio.h>
#include <string.h>

#include "fire.h"

/* Whether `id` is a checkpoint of `wf` or one that an `add` of events
 * before `upto` (or of `upto` itself) names. */
static int known_checkpoint(const cw_workflow *wf, const cJSON *events,
			    const cJSON *upto, const char *id)
{
	const cJSON *ev, *add;

	if (cw_workflow_checkpoint(wf, id, NULL) != NULL)
		return 1;
	cJSON_ArrayForEach(ev, events)
	{
		cJSON_ArrayForEach(add, cJSON_GetObjectItem(ev, "add"))
		{
			const cJSON *cp = cJSON_GetObjectItem(add, "checkpoint");
			const cJSON *cid = cJSON_GetObjectItem(cp, "id");

			if (cJSON_IsString(cid) &&
			    strcmp(cid->valuestring, id) == 0)
				return 1;
		}
		if (ev == upto)
			break;
	}
	return 0;
}

/* `key` of `obj` names a phase of `wf`; a problem goes to `c`. */
static void check_phase(checker *c, const cw_workflow *wf, const cJSON *obj,
			const char *key)
{
	const cJSON *phase = cJSON_GetObjectItem(obj, key);
	size_t mark;

	if (!cJSON_IsString(phase) ||
	    cw_workflow_phase_index(wf, phase->valuestring) >= 0)
		return;
	mark = check_key(c, key);
	check_fail(c, "unknown-phase", "no phase '%s' in workflow '%s'",
		   phase->valuestring, wf->id);
	check_back(c, mark);
}

/* Added checkpoint `cp` (at the current path) is new and uses a tag of
 * `wf`; `events` up to `ev` may have added others before it. */
static void check_added(checker *c, const cw_workflow *wf,
			const cJSON *events, const cJSON *ev, const cJSON *cp)
{
	const cJSON *id = cJSON_GetObjectItem(cp, "id");
	const cJSON *tag = cJSON_GetObjectItem(cp, "tag");
	int seen = 0;
	size_t mark;

	if (!cJSON_IsString(id))
		return;
	seen = cw_workflow_checkpoint(wf, id->valuestring, NULL) != NULL;
	/* an earlier add of the same id, in this event or one before it */
	for (const cJSON *e = events->child; !seen && e != NULL; e = e->next) {
		const cJSON *a;

		cJSON_ArrayForEach(a, cJSON_GetObjectItem(e, "add"))
		{
			const cJSON *o = cJSON_GetObjectItem(
			    cJSON_GetObjectItem(a, "checkpoint"), "id");

			if (o == id)
				break;
			seen |= cJSON_IsString(o) &&
				strcmp(o->valuestring, id->valuestring) == 0;
		}
		if (e == ev)
			break;
	}
	if (seen) {
		mark = check_key(c, "id");
		check_fail(c, "duplicate-checkpoint",
			   "checkpoint '%s' already exists in workflow '%s' "
			   "or is added by an earlier event",
			   id->valuestring, wf->id);
		check_back(c, mark);
	}
	if (cJSON_IsString(tag) && !cw_workflow_knows_tag(wf, tag->valuestring)) {
		mark = check_key(c, "tag");
		check_fail(c, "unknown-tag", "workflow '%s' has no note tag '%s'",
			   wf->id, tag->valuestring);
		check_back(c, mark);
	}
}

void fire_check(checker *c, const cw_workflow *wf, const cJSON *kase)
{
	const cJSON *events = cJSON_GetObjectItem(kase, "events");
	const cJSON *ev;
	size_t top = check_key(c, "events"), i = 0;

	cJSON_ArrayForEach(ev, events)
	{
		size_t at = check_index(c, i++), mark, j = 0;
		const cJSON *item;

		mark = check_key(c, "when");
		check_phase(c, wf, cJSON_GetObjectItem(ev, "when"), "phase");
		check_back(c, mark);
		mark = check_key(c, "add");
		cJSON_ArrayForEach(item, cJSON_GetObjectItem(ev, "add"))
		{
			size_t m = check_index(c, j++), k;

			check_phase(c, wf, item, "phase");
			k = check_key(c, "checkpoint");
			check_added(c, wf, events, ev,
				    cJSON_GetObjectItem(item, "checkpoint"));
			check_back(c, k);
			check_back(c, m);
		}
		check_back(c, mark);
		mark = check_key(c, "reopen");
		j = 0;
		cJSON_ArrayForEach(item, cJSON_GetObjectItem(ev, "reopen"))
		{
			size_t m = check_index(c, j++);

			if (cJSON_IsString(item) &&
			    !known_checkpoint(wf, events, ev, item->valuestring))
				check_fail(c, "unknown-checkpoint",
					   "no checkpoint '%s' in workflow "
					   "'%s' (nor added by an event up "
					   "to this one)",
					   item->valuestring, wf->id);
			check_back(c, m);
		}
		check_back(c, mark);
		check_back(c, at);
	}
	check_back(c, top);
}

/* Whether client event `id` has fired in `st`. */
static int fired(const state *st, const char *id)
{
	for (size_t i = 0; i < st->fired_count; i++)
		if (strcmp(st->fired[i].id, id) == 0)
			return 1;
	return 0;
}

cJSON *fire_due(const state *st, const cJSON *kase, int *oom)
{
	const cJSON *ev;
	const char *here = st->wf->phases[st->phase].id;

	if (st->closed)
		return NULL;
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(kase, "events"))
	{
		const cJSON *when = cJSON_GetObjectItem(ev, "when");
		const cJSON *phase = cJSON_GetObjectItem(when, "phase");
		const cJSON *records = cJSON_GetObjectItem(when, "records");
		const cJSON *id = cJSON_GetObjectItem(ev, "id");
		cJSON *payload;

		if (!cJSON_IsString(id) || !cJSON_IsString(phase) ||
		    strcmp(phase->valuestring, here) != 0 ||
		    (cJSON_IsNumber(records) &&
		     st->visit_records < records->valueint) ||
		    fired(st, id->valuestring))
			continue;
		payload = cJSON_Duplicate(ev, 1);
		if (payload == NULL)
			*oom = 1;
		return payload;
	}
	return NULL;
}
