/*
 * report.c - the cohort report: per-session figures read from one replay
 * of each session (its state), handed on one session at a time, and a
 * summary of the group kept in bounded memory: counts per phase and per
 * checkpoint (as many as the workflows have) and a bounded median.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/report.h"
#include "median.h"
#include "report_group.h"
#include "state.h"
#include "store.h"

static void add_unique(cJSON *list, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item,
			   list) if (strcmp(item->valuestring, s) == 0) return;
	cJSON_AddItemToArray(list, cJSON_CreateString(s));
}

static void bump(cJSON *obj, const char *key, double by)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (item == NULL)
		cJSON_AddNumberToObject(obj, key, by);
	else
		cJSON_SetNumberValue(item, item->valuedouble + by);
}

/* A record's name ("G1") into `out`. */
static void record_name(char out[16], const record *r)
{
	snprintf(out, 16, "%c%d", record_letter(r->kind), r->number);
}

/* The goal list of a row, and the counts over the session's goals. */
static cJSON *goal_list(const state *st, cJSON *row)
{
	cJSON *list = cJSON_CreateArray(), *outcomes = cJSON_CreateObject();
	int interventions = 0, evaluations = 0, open_goals = 0;

	cJSON_AddNumberToObject(outcomes, "achieved", 0);
	cJSON_AddNumberToObject(outcomes, "partial", 0);
	cJSON_AddNumberToObject(outcomes, "not-achieved", 0);
	for (size_t i = 0; i < st->record_count; i++) {
		const record *g = &st->records[i], *last = NULL;
		cJSON *item;
		char name[16];
		int n = 0;

		if (g->kind != CW_RECORD_GOAL)
			continue;
		for (size_t k = 0; k < st->record_count; k++) {
			const record *r = &st->records[k];

			if (r->goal != g->number)
				continue;
			if (r->kind == CW_RECORD_INTERVENTION) {
				n++;
			} else if (r->kind == CW_RECORD_EVALUATION) {
				evaluations++;
				bump(outcomes, r->outcome, 1);
				last = r;
			}
		}
		open_goals += !g->dropped;
		interventions += n;
		item = cJSON_CreateObject();
		record_name(name, g);
		cJSON_AddStringToObject(item, "id", name);
		cJSON_AddStringToObject(item, "text", g->text);
		cJSON_AddStringToObject(item, "term", g->term);
		cJSON_AddStringToObject(item, "status",
					g->dropped ? "dropped" : "open");
		if (last != NULL)
			cJSON_AddStringToObject(item, "outcome", last->outcome);
		else
			cJSON_AddNullToObject(item, "outcome");
		cJSON_AddNumberToObject(item, "interventions", n);
		cJSON_AddItemToArray(list, item);
	}
	cJSON_AddNumberToObject(row, "goals", open_goals);
	cJSON_AddNumberToObject(row, "interventions", interventions);
	cJSON_AddNumberToObject(row, "evaluations", evaluations);
	cJSON_AddItemToObject(row, "outcomes", outcomes);
	return list;
}

/* The mean score per criterion ("phase.criterion"; the phase alone when
 * a score has no criterion), each key also listed in `criteria`. */
static void add_scores(cJSON *row, const state *st, report_group *g)
{
	cJSON *criteria = g->criteria;
	cJSON *sums = cJSON_CreateObject(), *counts = cJSON_CreateObject();
	cJSON *scores;
	const cJSON *v;

	for (size_t i = 0; i < st->feedback_count; i++) {
		const feedback_entry *f = &st->feedback[i];
		char key[160];

		if (!f->scored || f->replaced)
			continue;
		if (f->criterion != NULL)
			snprintf(key, sizeof(key), "%s.%s",
				 f->phase ? f->phase : "", f->criterion);
		else
			snprintf(key, sizeof(key), "%s",
				 f->phase ? f->phase : "");
		bump(sums, key, f->score);
		bump(counts, key, 1);
		add_unique(criteria, key);
	}
	scores = cJSON_AddObjectToObject(row, "scores");
	cJSON_ArrayForEach(v, sums)
	{
		double mean = v->valuedouble /
			      cJSON_GetObjectItem(counts, v->string)->valuedouble;

		cJSON_AddNumberToObject(scores, v->string, mean);
		group_score(g, v->string, mean);
	}
	cJSON_Delete(sums);
	cJSON_Delete(counts);
}

/* One session's row, from one replay of its log; its phase times go to
 * the group's figures. */
static int session_row_json(cJSON **out, cw_store *s, const session_row *listed,
			    report_group *g)
{
	session_row srow = {0};
	state st;
	cJSON *row = NULL, *seconds, *goals;
	int error, owned = 0, reached = 0, revisits = 0, terminated = 0;
	const char *reached_id = NULL;

	*out = NULL;
	memset(&st, 0, sizeof(st));
	/* the row and the events from one snapshot */
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	error = state_load(&st, &srow, s, listed->id);
	store_end(s, owned, 0);
	if (error < 0)
		goto cleanup;
	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "session", listed->id);
	cJSON_AddStringToObject(row, "student", listed->student);
	cJSON_AddStringToObject(row, "case", listed->case_id);
	cJSON_AddStringToObject(row, "workflow", listed->workflow_id);
	cJSON_AddNumberToObject(row, "version", listed->workflow_version);
	cJSON_AddStringToObject(row, "status", listed->status);
	cJSON_AddStringToObject(row, "phase", listed->phase);

	/* phases in workflow order; the furthest one visited */
	for (size_t i = 0; i < st.wf->phase_count; i++) {
		int visits;
		double secs;

		if ((error = group_phase(g, st.wf->phases[i].id)) < 0)
			goto cleanup;
		state_phase_time(&st, i, &visits, &secs);
		if (visits > 0) {
			reached = (int)i;
			reached_id = st.wf->phases[i].id;
		}
	}
	cJSON_AddStringToObject(row, "reached", reached_id ? reached_id : "");
	cJSON_AddNumberToObject(row, "reached_index", reached);
	cJSON_AddNumberToObject(row, "met", listed->met);
	cJSON_AddNumberToObject(row, "total", listed->total);

	for (size_t i = 0; i < st.refusal_count; i++)
		for (size_t k = 0; k < st.refusals[i].blocker_count; k++)
			bump(g->refusals, st.refusals[i].blockers[k].id, 1);
	for (size_t i = 0; i < st.visit_count; i++) {
		revisits += st.visits[i].how == ENTERED_REVISIT;
		terminated |= st.visits[i].how == ENTERED_TERMINATE;
	}

	goals = goal_list(&st, row);
	cJSON_AddNumberToObject(row, "refused", (double)st.refusal_count);
	cJSON_AddNumberToObject(row, "revisits", revisits);
	cJSON_AddNumberToObject(row, "client_events", (double)st.fired_count);
	cJSON_AddBoolToObject(row, "terminated", terminated);
	{
		/* the instructor sees how many hints the work draws */
		cJSON *hints = state_hints_json(&st, 0);

		cJSON_AddNumberToObject(row, "hints",
					cJSON_GetArraySize(hints));
		cJSON_Delete(hints);
	}

	seconds = cJSON_AddObjectToObject(row, "seconds");
	for (size_t i = 0; i < st.wf->phase_count; i++) {
		int visits;
		double secs;

		state_phase_time(&st, i, &visits, &secs);
		if (visits == 0)
			continue;
		cJSON_AddNumberToObject(seconds, st.wf->phases[i].id, secs);
		/* a phase is reached when it was visited: terminate skips
		 * the phases between */
		if ((error = group_time(g, st.wf->phases[i].id, secs)) < 0)
			goto cleanup;
	}
	/* every criterion of the workflow, scored or not, so that the
	 * columns are the same before and after scoring */
	for (size_t i = 0; i < st.wf->phase_count; i++) {
		const cw_phase *ph = &st.wf->phases[i];

		for (size_t k = 0; k < ph->rubric_count; k++) {
			char key[160];

			snprintf(key, sizeof(key), "%s.%s", ph->id,
				 ph->rubric[k].id);
			add_unique(g->criteria, key);
			if (!cJSON_HasObjectItem(g->labels, key))
				cJSON_AddStringToObject(g->labels, key,
							ph->rubric[k].label);
		}
	}
	add_scores(row, &st, g);
	cJSON_AddNumberToObject(row, "feedback", (double)st.feedback_count);
	cJSON_AddItemToObject(row, "goal_list", goals);
	if (cJSON_GetObjectItem(row, "goal_list") == NULL)
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	g->sessions++;
cleanup:
	if (error == 0)
		*out = row;
	else
		cJSON_Delete(row);
	state_clear(&st);
	session_row_clear(&srow);
	return error;
}

/* What a pass over the sessions was asked for. */
typedef struct report_job {
	cw_store *store;
	report_group group;
	/* given each row, which it may keep (then it takes it, setting
	 * *row NULL) */
	int (*take)(cJSON **row, void *payload);
	void *payload;
} report_job;

static int report_session(const session_row *listed, void *payload)
{
	report_job *job = payload;
	cJSON *row = NULL;
	int error = session_row_json(&row, job->store, listed, &job->group);

	if (error == 0)
		error = job->take(&row, job->payload);
	cJSON_Delete(row);
	return error;
}

/* Every session's row to `take`, then the rest of the document. */
static int report_pass(cJSON **out, cw_store *s, const cw_session_filter *f,
		       int (*take)(cJSON **row, void *payload), void *payload)
{
	store_session_filter filter = {0};
	report_job job = {s, REPORT_GROUP_INIT, take, payload};
	int error, end, owned = 0;

	*out = NULL;
	if (f != NULL)
		filter = (store_session_filter){.case_id = f->case_id,
						.student = f->student,
						.student_words = 1,
						.phase = f->phase,
						.status = f->status,
						.since = f->since};
	/* one snapshot for the list and every replay */
	if ((error = group_init(&job.group)) == 0 &&
	    (error = store_enter_read(s, &owned)) == 0) {
		error = store_sessions_each(s, &filter, report_session, &job);
		end = store_end(s, owned, error < 0 ? error : 0);
		if (error == 0)
			error = end;
	}
	if (error == 0)
		error = group_summary(out, &job.group);
	group_clear(&job.group);
	return error;
}

typedef struct each_job {
	cw_report_fn fn;
	void *payload;
} each_job;

static int hand_on(cJSON **row, void *payload)
{
	const each_job *job = payload;

	return job->fn(*row, job->payload);
}

int cw_report_each(cJSON **out, cw_store *s, const cw_session_filter *filter,
		   cw_report_fn fn, void *payload)
{
	each_job job = {fn, payload};

	return report_pass(out, s, filter, hand_on, &job);
}

static int keep(cJSON **row, void *payload)
{
	if (!cJSON_AddItemToArray(payload, *row))
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	*row = NULL;
	return 0;
}

int cw_report(cJSON **out, cw_store *s, const cw_session_filter *filter)
{
	cJSON *doc = cJSON_CreateObject(), *rest = NULL, *member;
	cJSON *rows = cJSON_AddArrayToObject(doc, "sessions");
	int error = rows ? report_pass(&rest, s, filter, keep, rows)
			 : cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);

	*out = NULL;
	if (error != 0) {
		cJSON_Delete(doc);
		return error;
	}
	/* the rows first, then phases, criteria and summary */
	while ((member = rest->child) != NULL)
		cJSON_AddItemToObject(doc, member->string,
				      cJSON_DetachItemViaPointer(rest, member));
	cJSON_Delete(rest);
	*out = doc;
	return 0;
}
