/*
 * export_doc.c - the export document of one session
 * (schemas/session-export.schema.json), built from one replay of its log
 * (its state) and the case text it began on.  The renderers (render_*.c)
 * and the writers (export.c) read it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/case.h"
#include "casework/export.h"
#include "case.h"
#include "render_doc.h"
#include "state.h"
#include "store.h"

/* ---- building the document ------------------------------------------- */

/* Seconds to the millisecond the log's times have, without float noise. */
static double seconds_ms(double seconds)
{
	return seconds > 0 ? (double)(long long)(seconds * 1000 + 0.5) / 1000
			   : 0;
}

/* A record's name ("G1") into `out`. */
static void record_name(char out[16], const record *r)
{
	snprintf(out, 16, "%c%d", record_letter(r->kind), r->number);
}

/* The phase that event `seq` happened in. */
static const char *event_phase(const state *st, long seq)
{
	return st->wf->phases[st->events[seq - 1].phase].id;
}

/* A record entry: {"id", "seq", "at", "phase"} of the event that made
 * it. */
static cJSON *record_entry(const state *st, const record *r)
{
	cJSON *item = cJSON_CreateObject();
	char name[16];

	record_name(name, r);
	cJSON_AddStringToObject(item, "id", name);
	cJSON_AddNumberToObject(item, "seq", (double)r->seq);
	cJSON_AddStringToObject(item, "at", st->events[r->seq - 1].at);
	cJSON_AddStringToObject(item, "phase", event_phase(st, r->seq));
	return item;
}

/* `s`, or "" for a part the log left out. */
static const char *text(const char *s)
{
	return s ? s : "";
}

/* The latest correction of what event `of` wrote (a record or a
 * statement), or NULL when it stands as written. */
static const correction *latest_correction(const state *st, long of)
{
	const correction *found = NULL;

	for (size_t i = 0; i < st->correction_count; i++)
		if (st->corrections[i].of == of &&
		    st->corrections[i].text != NULL)
			found = &st->corrections[i];
	return found;
}

/* On `item`, what the log holds beside what event `of` wrote, as `log`
 * shows it: "corrected" {seq, at, reason, original} when its text was
 * corrected, and "struck" {seq, at, reason} when record `r` (NULL for a
 * statement) was withdrawn. */
static void add_marks(cJSON *item, const state *st, long of, const record *r)
{
	const correction *c = latest_correction(st, of);
	cJSON *mark;

	if (c != NULL) {
		mark = cJSON_AddObjectToObject(item, "corrected");
		cJSON_AddNumberToObject(mark, "seq", (double)c->seq);
		cJSON_AddStringToObject(mark, "at", st->events[c->seq - 1].at);
		cJSON_AddStringToObject(mark, "reason", text(c->reason));
		cJSON_AddStringToObject(
			mark, "original",
			text(state_str(st->events[of - 1].payload, "text")));
	}
	if (r != NULL && r->struck) {
		mark = cJSON_AddObjectToObject(item, "struck");
		cJSON_AddNumberToObject(mark, "seq", (double)r->strike_seq);
		cJSON_AddStringToObject(mark, "at",
					st->events[r->strike_seq - 1].at);
		cJSON_AddStringToObject(mark, "reason", text(r->strike_reason));
	}
}

/* The phase entries: guidance-free, with each checkpoint as judged at the
 * end of the log, its statements (filled later) and the records made. */
static cJSON *phase_entries(const state *st)
{
	cJSON *phases = cJSON_CreateArray();
	static const char *const keep[] = { "id", "label", "kind", "record",
		"tag", "options", "met", "have", "need", "message", "approval",
		NULL };

	for (size_t i = 0; i < st->wf->phase_count; i++) {
		const cw_phase *ph = &st->wf->phases[i];
		cJSON *item = cJSON_CreateObject(), *cps, *judged, *cp;
		double seconds;
		int visits;

		state_phase_time(st, i, &visits, &seconds);
		cJSON_AddStringToObject(item, "id", ph->id);
		cJSON_AddStringToObject(item, "title", ph->title);
		cJSON_AddNumberToObject(item, "number", (double)i + 1);
		cJSON_AddNumberToObject(item, "visits", visits);
		cJSON_AddNumberToObject(item, "seconds", seconds_ms(seconds));
		cps = cJSON_AddArrayToObject(item, "checkpoints");
		judged = state_checkpoints_json(st, i, 0);
		cJSON_ArrayForEach(cp, judged) {
			cJSON *entry = cJSON_CreateObject();

			for (const char *const *k = keep; *k != NULL; k++)
				if (get(cp, *k) != NULL)
					cJSON_AddItemToObject(
						entry, *k,
						cJSON_Duplicate(get(cp, *k), 1));
			cJSON_AddArrayToObject(entry, "statements");
			cJSON_AddItemToArray(cps, entry);
		}
		cJSON_Delete(judged);
		cJSON_AddArrayToObject(item, "records");
		cJSON_AddItemToArray(phases, item);
	}
	return phases;
}

/* The checkpoint entry `id` in any phase of `phases`, or NULL. */
static cJSON *find_checkpoint(const cJSON *phases, const char *id)
{
	const cJSON *ph;

	cJSON_ArrayForEach(ph, phases) {
		cJSON *cp = find_id(get(ph, "checkpoints"), id);

		if (cp != NULL)
			return cp;
	}
	return NULL;
}

/* A goal's entry: its wording now, its versions, its interventions and
 * evaluations (filled later) and how it was dropped. */
static cJSON *goal_entry(const state *st, const record *g)
{
	cJSON *item = record_entry(st, g), *versions;

	cJSON_AddStringToObject(item, "text", text(g->text));
	cJSON_AddStringToObject(item, "term", text(g->term));
	cJSON_AddStringToObject(item, "measure", text(g->measure));
	cJSON_AddStringToObject(item, "status", g->dropped ? "dropped" : "open");
	versions = cJSON_AddArrayToObject(item, "versions");
	for (size_t i = 0; i < st->version_count; i++) {
		const goal_version *v = &st->versions[i];
		cJSON *version;

		if (v->goal != g->number)
			continue;
		version = cJSON_CreateObject();
		cJSON_AddNumberToObject(version, "seq", (double)v->seq);
		cJSON_AddStringToObject(version, "at",
					st->events[v->seq - 1].at);
		cJSON_AddStringToObject(version, "text", text(v->text));
		cJSON_AddStringToObject(version, "measure", text(v->measure));
		cJSON_AddItemToArray(versions, version);
	}
	cJSON_AddArrayToObject(item, "interventions");
	cJSON_AddArrayToObject(item, "evaluations");
	if (g->dropped) {
		cJSON *dropped = cJSON_AddObjectToObject(item, "dropped");

		cJSON_AddNumberToObject(dropped, "seq", (double)g->drop_seq);
		cJSON_AddStringToObject(dropped, "at",
					st->events[g->drop_seq - 1].at);
		cJSON_AddStringToObject(dropped, "phase",
					event_phase(st, g->drop_seq));
		cJSON_AddStringToObject(dropped, "reason",
					text(g->drop_reason));
	}
	return item;
}

/* Every record into its list, in the order the log made them, each also
 * named under the phase it was made in. */
static void add_records(cJSON *doc, const state *st)
{
	static const char *const lists[CW_RECORD_KIND_COUNT] = {
		[CW_RECORD_NOTE] = "notes",
		[CW_RECORD_OBJECTIVE] = "objectives",
		[CW_RECORD_GOAL] = "goals",
		[CW_RECORD_INTERVENTION] = "interventions",
		[CW_RECORD_EVALUATION] = "evaluations",
		[CW_RECORD_REFERRAL] = "referrals",
	};
	cJSON *phases = cJSON_GetObjectItem(doc, "phases");

	for (size_t i = 0; i < st->record_count; i++) {
		const record *r = &st->records[i];
		cJSON *item, *list = cJSON_GetObjectItem(doc, lists[r->kind]);
		cJSON *ph = find_id(phases, event_phase(st, r->seq));
		char name[16];

		if (r->kind == CW_RECORD_GOAL) {
			item = goal_entry(st, r);
		} else {
			item = record_entry(st, r);
			if (r->kind == CW_RECORD_INTERVENTION)
				cJSON_AddStringToObject(item, "type",
							text(r->type));
			else if (r->kind == CW_RECORD_EVALUATION)
				cJSON_AddStringToObject(item, "outcome",
							text(r->outcome));
			cJSON_AddStringToObject(item, "text", text(r->text));
			if (r->tag != NULL)
				cJSON_AddStringToObject(item, "tag", r->tag);
			if (r->kind == CW_RECORD_NOTE) {
				cJSON *tags = cJSON_AddArrayToObject(item,
								     "tags");

				for (int k = 0; k < r->tag_count; k++)
					cJSON_AddItemToArray(
						tags,
						cJSON_CreateString(r->tags[k]));
			}
		}
		add_marks(item, st, r->seq, r);
		if (r->kind == CW_RECORD_INTERVENTION ||
		    r->kind == CW_RECORD_EVALUATION) {
			const record *g = state_record(st, CW_RECORD_GOAL,
						       r->goal);

			record_name(name, g);
			list = cJSON_GetObjectItem(find_id(get(doc, "goals"),
							   name),
						   lists[r->kind]);
		}
		cJSON_AddItemToArray(list, item);
		record_name(name, r);
		if (ph != NULL)
			cJSON_AddItemToArray(cJSON_GetObjectItem(ph, "records"),
					     cJSON_CreateString(name));
	}
}

/* Each stage of a reflection checkpoint written so far, as a statement
 * with its stage, in the order the checkpoint lists the stages, as last
 * written. */
static void add_stages(cJSON *phases, const state *st)
{
	cJSON *ph, *cp;

	cJSON_ArrayForEach(ph, phases) {
		cJSON_ArrayForEach(cp, get(ph, "checkpoints")) {
			const cw_checkpoint *def =
				state_checkpoint(st, str(cp, "id"), NULL);

			if (def == NULL || def->kind != CW_CHECKPOINT_REFLECTION)
				continue;
			for (size_t k = 0; k < def->stage_count; k++) {
				const reflection_stage *r = state_reflection(
					st, def->id, def->stages[k]);
				cJSON *item;

				if (r == NULL)
					continue;
				item = cJSON_CreateObject();
				cJSON_AddNumberToObject(item, "seq",
							(double)r->seq);
				cJSON_AddStringToObject(
					item, "at", st->events[r->seq - 1].at);
				cJSON_AddStringToObject(item, "stage", r->stage);
				cJSON_AddStringToObject(item, "text",
							text(r->text));
				cJSON_AddItemToArray(
					cJSON_GetObjectItem(cp, "statements"),
					item);
			}
		}
	}
}

/* Statements under their checkpoints; revisits, the termination and
 * refused advances; when the session closed. */
static void add_moves(cJSON *doc, const state *st)
{
	cJSON *phases = cJSON_GetObjectItem(doc, "phases");

	for (size_t i = 0; i < st->statement_count; i++) {
		const checkpoint_statement *a = &st->statements[i];
		const correction *fix = latest_correction(st, a->seq);
		cJSON *cp = find_checkpoint(phases, a->checkpoint), *item;

		if (cp == NULL)
			continue;
		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "seq", (double)a->seq);
		cJSON_AddStringToObject(item, "at", st->events[a->seq - 1].at);
		if (a->value != NULL)
			cJSON_AddStringToObject(item, "value", a->value);
		/* the text as last corrected, the original beside it */
		cJSON_AddStringToObject(item, "text",
					text(fix ? fix->text : a->text));
		add_marks(item, st, a->seq, NULL);
		cJSON_AddItemToArray(cJSON_GetObjectItem(cp, "statements"),
				     item);
	}
	add_stages(phases, st);
	for (size_t i = 0; i < st->visit_count; i++) {
		const phase_visit *v = &st->visits[i];
		cJSON *item;

		if (v->how != ENTERED_REVISIT && v->how != ENTERED_TERMINATE)
			continue;
		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "seq", (double)v->move_seq);
		cJSON_AddStringToObject(item, "at", v->start);
		cJSON_AddStringToObject(item, "from",
					event_phase(st, v->move_seq));
		cJSON_AddStringToObject(item, "to", st->wf->phases[v->phase].id);
		cJSON_AddStringToObject(item, "reason", text(v->reason));
		if (v->how == ENTERED_REVISIT)
			cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "revisits"),
					     item);
		else
			cJSON_ReplaceItemInObject(doc, "termination", item);
	}
	for (size_t i = 0; i < st->refusal_count; i++) {
		const advance_refusal *r = &st->refusals[i];
		cJSON *item = cJSON_CreateObject(), *blockers;

		cJSON_AddNumberToObject(item, "seq", (double)r->seq);
		cJSON_AddStringToObject(item, "at", r->at);
		cJSON_AddStringToObject(item, "phase", text(r->phase));
		blockers = cJSON_AddArrayToObject(item, "blockers");
		for (size_t k = 0; k < r->blocker_count; k++) {
			cJSON *b = cJSON_CreateObject();

			cJSON_AddStringToObject(b, "id", text(r->blockers[k].id));
			cJSON_AddStringToObject(b, "label",
						text(r->blockers[k].label));
			cJSON_AddStringToObject(b, "message",
						text(r->blockers[k].message));
			cJSON_AddItemToArray(blockers, b);
		}
		cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "refusals"), item);
	}
	if (st->closed_seq > 0)
		cJSON_ReplaceItemInObject(
			doc, "closed_at",
			cJSON_CreateString(st->events[st->closed_seq - 1].at));
}

/* Feedback, and the mean score per criterion ("phase.criterion", or the
 * phase alone), as the report computes it. */
static void add_feedback(cJSON *doc, const state *st)
{
	cJSON *list = cJSON_AddArrayToObject(doc, "feedback");
	cJSON *scores = cJSON_AddObjectToObject(doc, "scores");
	cJSON *counts = cJSON_CreateObject();
	cJSON *sum;

	for (size_t i = 0; i < st->feedback_count; i++) {
		const feedback_entry *f = &st->feedback[i];
		cJSON *item = cJSON_CreateObject(), *n;
		char key[200];

		cJSON_AddNumberToObject(item, "seq", (double)f->seq);
		cJSON_AddStringToObject(item, "at", f->at);
		cJSON_AddStringToObject(item, "actor", f->actor);
		if (f->phase != NULL)
			cJSON_AddStringToObject(item, "phase", f->phase);
		if (f->event != 0)
			cJSON_AddNumberToObject(item, "event", (double)f->event);
		if (f->scored)
			cJSON_AddNumberToObject(item, "score", f->score);
		if (f->criterion != NULL)
			cJSON_AddStringToObject(item, "criterion", f->criterion);
		cJSON_AddStringToObject(item, "text", f->text);
		cJSON_AddItemToArray(list, item);
		/* a score given again replaced this one: in the list, not in
		 * the mean */
		if (!f->scored || f->replaced)
			continue;
		if (f->criterion != NULL)
			snprintf(key, sizeof(key), "%s.%s", text(f->phase),
				 f->criterion);
		else
			snprintf(key, sizeof(key), "%s", text(f->phase));
		sum = cJSON_GetObjectItemCaseSensitive(scores, key);
		n = cJSON_GetObjectItemCaseSensitive(counts, key);
		if (sum == NULL) {
			cJSON_AddNumberToObject(scores, key, f->score);
			cJSON_AddNumberToObject(counts, key, 1);
		} else {
			cJSON_SetNumberValue(sum, sum->valuedouble + f->score);
			cJSON_SetNumberValue(n, n->valuedouble + 1);
		}
	}
	cJSON_ArrayForEach(sum, scores)
		cJSON_SetNumberValue(sum,
				     sum->valuedouble / num(counts, sum->string));
	cJSON_Delete(counts);
}

/* The client events that fired, in order, with what each reopened and
 * added. */
static void add_client_events(cJSON *doc, const state *st)
{
	cJSON *list = cJSON_AddArrayToObject(doc, "client_events");

	for (size_t i = 0; i < st->fired_count; i++) {
		const client_event *e = &st->fired[i];
		cJSON *item = cJSON_CreateObject(), *reopen, *add;

		cJSON_AddNumberToObject(item, "seq", (double)e->seq);
		cJSON_AddStringToObject(item, "at", st->events[e->seq - 1].at);
		cJSON_AddStringToObject(item, "id", e->id);
		cJSON_AddStringToObject(item, "phase",
					st->wf->phases[e->phase].id);
		cJSON_AddStringToObject(item, "text", text(e->text));
		reopen = cJSON_AddArrayToObject(item, "reopen");
		add = cJSON_AddArrayToObject(item, "add");
		for (size_t k = 0; k < st->touched_count; k++) {
			const event_checkpoint *t = &st->touched[k];
			cJSON *cp;

			if (t->seq != e->seq)
				continue;
			cp = cJSON_CreateObject();
			cJSON_AddStringToObject(cp, "id", t->id);
			cJSON_AddStringToObject(cp, "phase",
						st->wf->phases[t->phase].id);
			cJSON_AddItemToArray(t->added ? add : reopen, cp);
		}
		cJSON_AddItemToArray(list, item);
	}
}

/* The visits to phases, in time order, each with how it began. */
static void add_visits(cJSON *doc, const state *st)
{
	static const char *const how[] = {
		[ENTERED_START] = "start",
		[ENTERED_ADVANCE] = "advance",
		[ENTERED_REVISIT] = "revisit",
		[ENTERED_TERMINATE] = "terminate",
	};
	cJSON *visits = cJSON_AddArrayToObject(doc, "visits");

	for (size_t i = 0; i < st->visit_count; i++) {
		const phase_visit *v = &st->visits[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "phase",
					st->wf->phases[v->phase].id);
		cJSON_AddStringToObject(item, "entered_by", how[v->how]);
		if (has_reason(how[v->how]))
			cJSON_AddStringToObject(item, "reason", text(v->reason));
		cJSON_AddNumberToObject(item, "from", (double)v->from);
		cJSON_AddNumberToObject(item, "to", (double)v->to);
		cJSON_AddStringToObject(item, "start", v->start);
		cJSON_AddStringToObject(item, "end", v->end);
		cJSON_AddNumberToObject(
			item, "seconds",
			seconds_ms(state_seconds(v->start, v->end)));
		cJSON_AddItemToArray(visits, item);
	}
}

static int build(cJSON **out, cw_store *s, const char *id, int full)
{
	session_row row = { 0 };
	state st;
	char *case_text = NULL;
	cJSON *doc = NULL, *kase = NULL, *wf, *progress;
	int error = state_load(&st, &row, s, id), met, total;

	*out = NULL;
	if (error < 0)
		goto cleanup;
	if ((error = store_case_text(s, row.case_sha256, &case_text)) < 0)
		goto cleanup;
	kase = cJSON_Parse(case_text);
	if (!cJSON_IsObject(kase)) {
		error = cw_error_set(CW_ERROR,
				     "the case text of session %s is not a "
				     "JSON object",
				     id);
		goto cleanup;
	}
	/* what the student has seen of the case, not what lies ahead */
	case_stage(kase, state_reached, &st, full, st.wf);
	doc = cJSON_CreateObject();
	if (doc == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	cJSON_AddNumberToObject(doc, "schema_version", CW_EXPORT_VERSION);
	cJSON_AddStringToObject(doc, "session", row.id);
	cJSON_AddStringToObject(doc, "student", row.student);
	cJSON_AddStringToObject(doc, "status", st.closed ? "closed" : "open");
	cJSON_AddStringToObject(doc, "phase", st.wf->phases[st.phase].id);
	cJSON_AddStringToObject(doc, "created_at", row.created_at);
	cJSON_AddStringToObject(doc, "updated_at", st.last_at);
	cJSON_AddNullToObject(doc, "closed_at");
	cJSON_AddBoolToObject(doc, "redacted", 0);
	wf = cJSON_AddObjectToObject(doc, "workflow");
	cJSON_AddStringToObject(wf, "id", st.wf->id);
	cJSON_AddNumberToObject(wf, "version", st.wf->version);
	cJSON_AddStringToObject(wf, "title", st.wf->title);
	cJSON_AddItemToObject(doc, "case", kase);
	kase = NULL;
	cJSON_AddStringToObject(doc, "case_sha256", row.case_sha256);
	state_progress(&st, &met, &total);
	progress = cJSON_AddObjectToObject(doc, "progress");
	cJSON_AddNumberToObject(progress, "met", met);
	cJSON_AddNumberToObject(progress, "total", total);
	cJSON_AddItemToObject(doc, "phases", phase_entries(&st));
	cJSON_AddArrayToObject(doc, "notes");
	cJSON_AddArrayToObject(doc, "objectives");
	cJSON_AddArrayToObject(doc, "goals");
	cJSON_AddArrayToObject(doc, "referrals");
	cJSON_AddArrayToObject(doc, "revisits");
	cJSON_AddNullToObject(doc, "termination");
	cJSON_AddArrayToObject(doc, "refusals");
	add_records(doc, &st);
	add_moves(doc, &st);
	add_feedback(doc, &st);
	add_visits(doc, &st);
	add_client_events(doc, &st);
	cJSON_AddNumberToObject(doc, "events", (double)st.seq);
	cJSON_AddStringToObject(doc, "head", st.head);
	*out = doc;
	doc = NULL;
cleanup:
	cJSON_Delete(doc);
	cJSON_Delete(kase);
	free(case_text);
	state_clear(&st);
	session_row_clear(&row);
	return error;
}

int cw_export_session(cJSON **out, cw_store *s, const char *id, int flags)
{
	int owned = 0, error;

	*out = NULL;
	if (s == NULL || id == NULL)
		return cw_error_set(CW_EINVALID, "no store or no session");
	/* one read transaction, so that the log, the replay and the chain
	 * head come from the same snapshot of the database */
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	/* the instructor notes and every phase: not a class server's student */
	if ((flags & CW_EXPORT_FULL) == 0 ||
	    (error = cw_case_full_allowed(s, NULL)) == 0)
		error = build(out, s, id, (flags & CW_EXPORT_FULL) != 0);
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
		return error;
	}
	if (flags & CW_EXPORT_REDACT)
		cw_export_redact(*out);
	return 0;
}

