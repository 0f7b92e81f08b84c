/*
 * judge_json.c - the verdicts of judge.c as the documents commands show:
 * the checkpoints of a phase, their stages and sign-off, the rubric, and
 * which checkpoints of the phases behind an act undid.
 */
#include <stdio.h>
#include <string.h>

#include "state.h"
#include "text.h"

size_t state_earlier_met(const state *st, size_t upto, unsigned char *met,
			 size_t max)
{
	size_t n = 0;

	for (size_t p = 0; p < upto && p < st->wf->phase_count; p++)
		for (size_t k = 0; k < state_checkpoint_count(st, p); k++) {
			verdict v;

			state_judge(st, state_checkpoint_at(st, p, k), &v);
			if (n < max)
				met[n] = (unsigned char)v.met;
			n++;
		}
	return n;
}

cJSON *state_newly_unmet_json(const state *st, size_t upto,
			      const unsigned char *before, size_t count)
{
	cJSON *list = cJSON_CreateArray();
	size_t n = 0;
	int ok = list != NULL;

	for (size_t p = 0; ok && p < upto && p < st->wf->phase_count; p++)
		for (size_t k = 0; ok && k < state_checkpoint_count(st, p);
		     k++, n++) {
			const cw_checkpoint *cp = state_checkpoint_at(st, p, k);
			cJSON *item;
			verdict v;

			if (n >= count || !before[n])
				continue;
			state_judge(st, cp, &v);
			if (v.met)
				continue;
			item = cJSON_CreateObject();
			ok = cJSON_AddItemToArray(list, item) &&
			     cJSON_AddStringToObject(item, "id", cp->id) &&
			     cJSON_AddStringToObject(item, "label",
						     cp->label) &&
			     cJSON_AddStringToObject(item, "phase",
						     st->wf->phases[p].id) &&
			     cJSON_AddStringToObject(item, "message",
						     v.message) &&
			     cJSON_AddStringToObject(item, "command",
						     v.command);
		}
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}

int state_stages_json(const state *st, const cw_checkpoint *cp, cJSON *item)
{
	cJSON *stages = cJSON_AddArrayToObject(item, "stages");
	int ok = stages != NULL;

	for (size_t i = 0; ok && i < cp->stage_count; i++) {
		const reflection_stage *r =
		    st ? state_reflection(st, cp->id, cp->stages[i]) : NULL;
		cJSON *stage = cJSON_CreateObject();

		ok = cJSON_AddItemToArray(stages, stage) &&
		     cJSON_AddStringToObject(stage, "id", cp->stages[i]);
		if (ok && cp->stage_help && cp->stage_help[i])
			ok = cJSON_AddStringToObject(stage, "help",
						     cp->stage_help[i]) != NULL;
		if (ok && st != NULL)
			ok = cJSON_AddBoolToObject(
				 stage, "met",
				 r && text_chars(r->text) >= cp->min_chars) !=
			     NULL;
	}
	return ok;
}

static const char *const approval_states[] = {
    [APPROVAL_NONE] = "not-requested",
    [APPROVAL_REQUESTED] = "requested",
    [APPROVAL_GRANTED] = "granted",
    [APPROVAL_RETURNED] = "returned",
};

int state_approval_json(const state *st, const cw_checkpoint *cp, cJSON *item)
{
	const approval *a = st ? state_approval(st, cp->id) : NULL;
	cJSON *o = cJSON_AddObjectToObject(item, "approval");
	approval_status status = a ? a->status : APPROVAL_NONE;
	int ok = o != NULL;

	/* a grant from before a client event reopened it asks again */
	if (status == APPROVAL_GRANTED && !state_approval_holds(st, cp))
		status = APPROVAL_NONE;
	ok = ok && cJSON_AddStringToObject(o, "state",
					   approval_states[status]) != NULL;
	if (ok && a != NULL) {
		const event_meta *m = &st->events[a->request_seq - 1];

		ok = cJSON_AddNumberToObject(o, "requested_seq",
					     (double)a->request_seq) &&
		     cJSON_AddStringToObject(o, "requested_at", m->at) &&
		     cJSON_AddStringToObject(o, "requested_by", m->actor) &&
		     cJSON_AddStringToObject(o, "request", a->request);
	}
	if (ok && a != NULL && a->decision_seq > 0) {
		const event_meta *m = &st->events[a->decision_seq - 1];

		ok = cJSON_AddNumberToObject(o, "decided_seq",
					     (double)a->decision_seq) &&
		     cJSON_AddStringToObject(o, "decided_at", m->at) &&
		     cJSON_AddStringToObject(o, "decided_by", m->actor) &&
		     cJSON_AddStringToObject(o, "decision", a->decision);
	}
	return ok;
}

/* The client event that added checkpoint `cp` to this session. */
static const char *added_by(const state *st, const cw_checkpoint *cp)
{
	for (size_t i = 0; i < st->touched_count; i++)
		if (st->touched[i].added && &st->touched[i].own == cp)
			return st->touched[i].event;
	return "?";
}

cJSON *state_checkpoints_json(const state *st, size_t phase, int unmet_only)
{
	size_t n = state_checkpoint_count(st, phase);
	cJSON *list = cJSON_CreateArray();
	int ok = list != NULL;

	/* every part is checked: a refused advance logs this list, and a
	 * blocker with a part missing must never be written */
	for (size_t k = 0; ok && k < n; k++) {
		const cw_checkpoint *cp = state_checkpoint_at(st, phase, k);
		const event_checkpoint *e = state_reopened(st, cp->id);
		cJSON *item;
		verdict v;

		state_judge(st, cp, &v);
		if (unmet_only && v.met)
			continue;
		item = cJSON_CreateObject();
		ok = cJSON_AddItemToArray(list, item) &&
		     cJSON_AddStringToObject(item, "id", cp->id) &&
		     cJSON_AddStringToObject(item, "label", cp->label) &&
		     cJSON_AddStringToObject(item, "kind",
					     cw_checkpoint_kind_name(cp->kind));
		if (ok && (cp->kind == CW_CHECKPOINT_COUNT ||
			   cp->kind == CW_CHECKPOINT_COVERAGE))
			ok = cJSON_AddStringToObject(
				 item, "record",
				 cw_record_kind_name(cp->record)) != NULL;
		if (ok && cp->tag != NULL)
			ok = cJSON_AddStringToObject(item, "tag", cp->tag) !=
			     NULL;
		if (ok && cp->kind == CW_CHECKPOINT_CHOICE) {
			cJSON *options =
			    cJSON_AddArrayToObject(item, "options");

			ok = options != NULL;
			for (size_t i = 0; ok && i < cp->option_count; i++)
				ok = cJSON_AddItemToArray(
				    options,
				    cJSON_CreateString(cp->options[i]));
		}
		if (ok && cp->kind == CW_CHECKPOINT_REFLECTION)
			ok = state_stages_json(st, cp, item);
		if (ok && cp->kind == CW_CHECKPOINT_APPROVAL)
			ok = state_approval_json(st, cp, item);
		ok = ok && cJSON_AddBoolToObject(item, "met", v.met) &&
		     cJSON_AddNumberToObject(item, "have", v.have) &&
		     cJSON_AddNumberToObject(item, "need", v.need) &&
		     cJSON_AddStringToObject(item, "message", v.message);
		if (ok && !v.met)
			ok = cJSON_AddStringToObject(item, "command",
						     v.command) != NULL;
		if (ok && cp->help != NULL)
			ok = cJSON_AddStringToObject(item, "help", cp->help) !=
			     NULL;
		if (ok && k >= st->wf->phases[phase].checkpoint_count)
			ok = cJSON_AddStringToObject(
				 item, "added_by",
				 added_by(st, cp)) != NULL;
		if (ok && e != NULL)
			ok = cJSON_AddStringToObject(item, "reopened_by",
						     e->event) != NULL;
	}
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}

cJSON *state_rubric_json(const cw_phase *ph)
{
	cJSON *list = cJSON_CreateArray();
	int ok = list != NULL;

	for (size_t k = 0; ok && k < ph->rubric_count; k++) {
		const cw_criterion *cr = &ph->rubric[k];
		cJSON *item = cJSON_CreateObject(), *levels;

		ok = cJSON_AddItemToArray(list, item) &&
		     cJSON_AddStringToObject(item, "id", cr->id) &&
		     cJSON_AddStringToObject(item, "label", cr->label);
		levels = ok ? cJSON_AddArrayToObject(item, "levels") : NULL;
		ok = levels != NULL;
		for (int l = 0; ok && l < 4; l++)
			ok = cJSON_AddItemToArray(
			    levels, cJSON_CreateString(cr->levels[l]));
	}
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}
