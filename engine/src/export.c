/*
 * export.c - session summaries: the export document of one session, built
 * from one replay of its log (its state), and its renderings as JSON,
 * Markdown, HTML and CSV.  Writers stream session by session to the
 * caller's FILE *.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/export.h"
#include "casework/report.h"
#include "state.h"
#include "store.h"

/* What the alias of a redacted client is replaced with. */
#define REDACTED "[client]"

/* ---- small helpers over cJSON ---------------------------------------- */

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : "";
}

static double num(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(item) ? item->valuedouble : 0;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int has(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

/* Whether a visit began with a move that has a reason. */
static int has_reason(const char *entered_by)
{
	return strcmp(entered_by, "revisit") == 0 ||
	       strcmp(entered_by, "terminate") == 0;
}

/* The element of `list` whose "id" is `id`, or NULL. */
static cJSON *find_id(const cJSON *list, const char *id)
{
	cJSON *item;

	cJSON_ArrayForEach(item, list)
		if (strcmp(str(item, "id"), id) == 0)
			return item;
	return NULL;
}

/* "3 min", "45 s", "1 h 05 min". */
static void duration(char *out, size_t size, double seconds)
{
	long s = seconds > 0 ? (long)(seconds + 0.5) : 0;

	if (s < 60)
		snprintf(out, size, "%ld s", s);
	else if (s < 3600)
		snprintf(out, size, "%ld min", (s + 30) / 60);
	else
		snprintf(out, size, "%ld h %02ld min", s / 3600,
			 (s % 3600 + 30) / 60 % 60);
}

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

/* The phase entries: guidance-free, with each checkpoint as judged at the
 * end of the log, its statements (filled later) and the records made. */
static cJSON *phase_entries(const state *st)
{
	cJSON *phases = cJSON_CreateArray();
	static const char *const keep[] = { "id", "label", "kind", "record",
		"tag", "options", "met", "have", "need", "message", NULL };

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
		}
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

/* Statements under their checkpoints; revisits, the termination and
 * refused advances; when the session closed. */
static void add_moves(cJSON *doc, const state *st)
{
	cJSON *phases = cJSON_GetObjectItem(doc, "phases");

	for (size_t i = 0; i < st->statement_count; i++) {
		const checkpoint_statement *a = &st->statements[i];
		cJSON *cp = find_checkpoint(phases, a->checkpoint), *item;

		if (cp == NULL)
			continue;
		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "seq", (double)a->seq);
		cJSON_AddStringToObject(item, "at", st->events[a->seq - 1].at);
		if (a->value != NULL)
			cJSON_AddStringToObject(item, "value", a->value);
		cJSON_AddStringToObject(item, "text", text(a->text));
		cJSON_AddItemToArray(cJSON_GetObjectItem(cp, "statements"),
				     item);
	}
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
		if (!f->scored)
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

static int build(cJSON **out, cw_store *s, const char *id)
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
	doc = cJSON_CreateObject();
	if (doc == NULL) {
		error = cw_error_set(CW_ERROR, "out of memory");
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

int cw_export_session(cJSON **out, cw_store *s, const char *id, int redact)
{
	int owned = 0, error;

	*out = NULL;
	if (s == NULL || id == NULL)
		return cw_error_set(CW_EINVALID, "no store or no session");
	/* one read transaction, so that the log, the replay and the chain
	 * head come from the same snapshot of the database */
	if ((error = store_enter_read(s, &owned)) < 0)
		return error;
	error = build(out, s, id);
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
		return error;
	}
	if (redact)
		cw_export_redact(*out);
	return 0;
}

/* ---- redaction -------------------------------------------------------- */

/* Members whose strings are identifiers, names of things, times or
 * hashes, never free text: redaction leaves them as they are. */
static int is_identifier_key(const char *key)
{
	static const char *const keys[] = { "session", "student", "actor",
		"status", "phase", "created_at", "updated_at", "closed_at",
		"at", "start", "end", "id", "case_sha256", "head", "hash",
		"kind", "record", "tag", "term", "type", "outcome", "value",
		"from", "to", "criterion", "entered_by", "setting", "urgency",
		"goal", "options", "records", NULL };

	for (const char *const *k = keys; key != NULL && *k != NULL; k++)
		if (strcmp(key, *k) == 0)
			return 1;
	return 0;
}

/* `text` with every `alias` replaced by REDACTED, or NULL when it has
 * none (or memory ran out).  The caller frees the result. */
static char *replace_alias(const char *text, const char *alias)
{
	size_t alen = strlen(alias), rlen = strlen(REDACTED), n = 0;
	const char *p, *hit;
	char *result, *w;

	for (p = text; (hit = strstr(p, alias)) != NULL; p = hit + alen)
		n++;
	if (n == 0)
		return NULL;
	result = malloc(strlen(text) + n * (rlen + 1) + 1);
	if (result == NULL)
		return NULL;
	w = result;
	for (p = text; (hit = strstr(p, alias)) != NULL; p = hit + alen) {
		memcpy(w, p, (size_t)(hit - p));
		w += hit - p;
		memcpy(w, REDACTED, rlen);
		w += rlen;
	}
	strcpy(w, p);
	return result;
}

static void redact_node(cJSON *node, const char *key, const char *alias)
{
	cJSON *child;

	if (cJSON_IsString(node) && !is_identifier_key(key)) {
		char *text = replace_alias(node->valuestring, alias);

		if (text != NULL)
			cJSON_SetValuestring(node, text);
		free(text);
		return;
	}
	cJSON_ArrayForEach(child, node)
		redact_node(child, cJSON_IsObject(node) ? child->string : key,
			    alias);
}

void cw_export_redact(cJSON *doc)
{
	cJSON *client, *alias;

	if (doc == NULL)
		return;
	client = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(doc, "case"), "client");
	alias = cJSON_DetachItemFromObjectCaseSensitive(client, "alias");
	cJSON_DeleteItemFromObjectCaseSensitive(client, "age");
	cJSON_DeleteItemFromObjectCaseSensitive(client, "household");
	if (cJSON_IsString(alias) && alias->valuestring[0] != '\0')
		redact_node(doc, NULL, alias->valuestring);
	cJSON_Delete(alias);
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "redacted",
					       cJSON_CreateTrue());
}

/* ---- Markdown --------------------------------------------------------- */

/*
 * Text a student typed, as Markdown that shows it literally: characters
 * that would start emphasis, code, raw HTML or a table cell are escaped.
 * `inline_text` (list items, table cells) turns line breaks into <br>;
 * otherwise lines are kept and a line that would start a heading, quote
 * or list is escaped.
 */
static void md_text(FILE *out, const char *s, int inline_text)
{
	int line_start = 1, escape = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n') {
			fputs(inline_text ? "<br>" : "\n", out);
			line_start = !inline_text;
			continue;
		}
		if (line_start && !inline_text) {
			const char *d = s;

			while (*d >= '0' && *d <= '9')
				d++;
			if (d > s && (*d == '.' || *d == ')')) {
				fwrite(s, 1, (size_t)(d - s), out);
				s = d;
				escape = 1;
			} else {
				escape = strchr("#>-+=~", *s) != NULL;
			}
		}
		line_start = 0;
		if (escape || strchr("\\`*_<>|", *s) != NULL)
			fputc('\\', out);
		fputc(*s, out);
		escape = 0;
	}
}

static const cJSON *phase_entry(const cJSON *doc, const char *id)
{
	return find_id(get(doc, "phases"), id);
}

static const char *phase_title(const cJSON *doc, const char *id)
{
	const cJSON *ph = phase_entry(doc, id);

	return ph != NULL ? str(ph, "title") : id;
}

/* The record `id` ("N2", "G1", "I3", ...) wherever the document has it. */
static const cJSON *find_record(const cJSON *doc, const char *id)
{
	const cJSON *g, *r;

	if ((r = find_id(get(doc, "notes"), id)) != NULL ||
	    (r = find_id(get(doc, "objectives"), id)) != NULL ||
	    (r = find_id(get(doc, "referrals"), id)) != NULL ||
	    (r = find_id(get(doc, "goals"), id)) != NULL)
		return r;
	cJSON_ArrayForEach(g, get(doc, "goals"))
		if ((r = find_id(get(g, "interventions"), id)) != NULL ||
		    (r = find_id(get(g, "evaluations"), id)) != NULL)
			return r;
	return NULL;
}

/* What kind of record an id names, for people. */
static const char *record_kind(const char *id, const cJSON *r)
{
	switch (id[0]) {
	case 'N':
		return has(r, "tag") ? str(r, "tag") : "note";
	case 'O':
		return "objective";
	case 'G':
		return "goal";
	case 'I':
		return "intervention";
	case 'E':
		return "evaluation";
	case 'R':
		return "referral";
	default:
		return "record";
	}
}

/* The goal a record (intervention, evaluation) belongs to: "G1". */
static const char *goal_of(const cJSON *doc, const char *id)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, get(doc, "goals"))
		if (find_id(get(g, "interventions"), id) != NULL ||
		    find_id(get(g, "evaluations"), id) != NULL)
			return str(g, "id");
	return "";
}

static void md_client(FILE *out, const cJSON *kase)
{
	const cJSON *client = get(kase, "client");
	const cJSON *referral = get(kase, "referral");
	const cJSON *flag;

	fputs("- **Client:** ", out);
	md_text(out, has(client, "alias") ? str(client, "alias") : REDACTED, 1);
	if (cJSON_IsNumber(get(client, "age")))
		fprintf(out, ", age %d", get(client, "age")->valueint);
	if (has(client, "pronouns")) {
		fputs(", ", out);
		md_text(out, str(client, "pronouns"), 1);
	}
	if (has(client, "language")) {
		fputs("; language: ", out);
		md_text(out, str(client, "language"), 1);
	}
	fputc('\n', out);
	if (has(client, "household")) {
		fputs("- **Household:** ", out);
		md_text(out, str(client, "household"), 1);
		fputc('\n', out);
	}
	if (referral != NULL) {
		fputs("- **Referral:** ", out);
		md_text(out, str(referral, "source"), 1);
		fprintf(out, " (%s): ", str(referral, "urgency"));
		md_text(out, str(referral, "reason"), 1);
		fputc('\n', out);
	}
	if (cJSON_GetArraySize(get(kase, "risk_flags")) > 0) {
		fputs("- **Risk flags:** ", out);
		cJSON_ArrayForEach(flag, get(kase, "risk_flags")) {
			md_text(out, cJSON_GetStringValue(flag) ? flag->valuestring
							       : "",
				1);
			if (flag->next != NULL)
				fputs("; ", out);
		}
		fputc('\n', out);
	}
}

static void md_phase(FILE *out, const cJSON *doc, const cJSON *ph)
{
	const cJSON *cp, *item, *id;
	char took[32];

	duration(took, sizeof(took), num(ph, "seconds"));
	fprintf(out, "\n### %d. ", (int)num(ph, "number"));
	md_text(out, str(ph, "title"), 1);
	fputs("\n\n", out);
	if (num(ph, "visits") == 0)
		fputs("Not reached.\n", out);
	else
		fprintf(out, "%s, %d visit%s.\n\n", took,
			(int)num(ph, "visits"),
			num(ph, "visits") == 1 ? "" : "s");
	cJSON_ArrayForEach(cp, get(ph, "checkpoints")) {
		const cJSON *said = cJSON_GetArrayItem(
			get(cp, "statements"),
			cJSON_GetArraySize(get(cp, "statements")) - 1);

		fputs(cJSON_IsTrue(get(cp, "met")) ? "- [x] " : "- [ ] ", out);
		md_text(out, str(cp, "label"), 1);
		fprintf(out, " (`%s`)", str(cp, "id"));
		if (said != NULL) {
			fputs(": ", out);
			if (has(said, "value"))
				fprintf(out, "**%s**, ", str(said, "value"));
			md_text(out, str(said, "text"), 1);
		} else {
			fputs(": ", out);
			md_text(out, str(cp, "message"), 1);
		}
		fputc('\n', out);
	}
	cJSON_ArrayForEach(id, get(ph, "records")) {
		const cJSON *r = find_record(doc, id->valuestring);

		fprintf(out, "- %s (%s", id->valuestring,
			record_kind(id->valuestring, r));
		if (id->valuestring[0] == 'G')
			fprintf(out, ", %s term", str(r, "term"));
		if (id->valuestring[0] == 'I' || id->valuestring[0] == 'E')
			fprintf(out, " for %s, %s", goal_of(doc, id->valuestring),
				has(r, "type") ? str(r, "type")
					       : str(r, "outcome"));
		fputs("): ", out);
		md_text(out, str(r, "text"), 1);
		fputc('\n', out);
	}
	cJSON_ArrayForEach(item, get(doc, "refusals")) {
		const cJSON *b;

		if (strcmp(str(item, "phase"), str(ph, "id")) != 0)
			continue;
		fprintf(out, "- Advance refused (event %d): ",
			(int)num(item, "seq"));
		cJSON_ArrayForEach(b, get(item, "blockers")) {
			md_text(out, str(b, "message"), 1);
			fputs(b->next != NULL ? "; " : "", out);
		}
		fputc('\n', out);
	}
	cJSON_ArrayForEach(item, get(doc, "revisits")) {
		if (strcmp(str(item, "from"), str(ph, "id")) != 0)
			continue;
		fputs("- Revisited ", out);
		md_text(out, phase_title(doc, str(item, "to")), 1);
		fprintf(out, " (event %d): ", (int)num(item, "seq"));
		md_text(out, str(item, "reason"), 1);
		fputc('\n', out);
	}
	item = get(doc, "termination");
	if (cJSON_IsObject(item) &&
	    strcmp(str(item, "from"), str(ph, "id")) == 0) {
		fprintf(out, "- Terminated early (event %d): ",
			(int)num(item, "seq"));
		md_text(out, str(item, "reason"), 1);
		fputc('\n', out);
	}
}

static void md_goals(FILE *out, const cJSON *doc)
{
	const cJSON *g, *r;

	fputs("\n## Goals, interventions and evaluations\n\n", out);
	if (cJSON_GetArraySize(get(doc, "goals")) == 0) {
		fputs("No goals were set.\n", out);
		return;
	}
	fputs("| Goal | Term | Measure | Status | Interventions | "
	      "Evaluations |\n"
	      "|---|---|---|---|---|---|\n",
	      out);
	cJSON_ArrayForEach(g, get(doc, "goals")) {
		fprintf(out, "| %s ", str(g, "id"));
		md_text(out, str(g, "text"), 1);
		fprintf(out, " | %s | ", str(g, "term"));
		md_text(out, str(g, "measure"), 1);
		fprintf(out, " | %s", str(g, "status"));
		if (has(g, "dropped")) {
			fputs(": ", out);
			md_text(out, str(get(g, "dropped"), "reason"), 1);
		}
		fputs(" | ", out);
		cJSON_ArrayForEach(r, get(g, "interventions")) {
			fprintf(out, "%s (%s) ", str(r, "id"), str(r, "type"));
			md_text(out, str(r, "text"), 1);
			fputs(r->next != NULL ? "<br>" : "", out);
		}
		fputs(" | ", out);
		cJSON_ArrayForEach(r, get(g, "evaluations")) {
			fprintf(out, "%s **%s** ", str(r, "id"),
				str(r, "outcome"));
			md_text(out, str(r, "text"), 1);
			fputs(r->next != NULL ? "<br>" : "", out);
		}
		fputs(" |\n", out);
	}
}

static void md_feedback(FILE *out, const cJSON *doc)
{
	const cJSON *f;

	fputs("\n## Feedback\n\n", out);
	if (cJSON_GetArraySize(get(doc, "feedback")) == 0) {
		fputs("No feedback yet.\n", out);
		return;
	}
	cJSON_ArrayForEach(f, get(doc, "feedback")) {
		fputs("- ", out);
		md_text(out, str(f, "actor"), 1);
		fputs(" on ", out);
		md_text(out, phase_title(doc, str(f, "phase")), 1);
		if (has(f, "event"))
			fprintf(out, ", event %d", (int)num(f, "event"));
		if (has(f, "score"))
			fprintf(out, ", score %d%s%s", (int)num(f, "score"),
				has(f, "criterion") ? " on " : "",
				str(f, "criterion"));
		fputs(": ", out);
		md_text(out, str(f, "text"), 1);
		fputc('\n', out);
	}
	if (cJSON_GetArraySize(get(doc, "scores")) > 0) {
		fputs("\n| Criterion | Mean score |\n|---|---|\n", out);
		cJSON_ArrayForEach(f, get(doc, "scores"))
			fprintf(out, "| %s | %.1f |\n", f->string,
				f->valuedouble);
	}
}

static void md_timeline(FILE *out, const cJSON *doc)
{
	const cJSON *v;
	int n = 0;

	fputs("\n## Timeline\n\n", out);
	cJSON_ArrayForEach(v, get(doc, "visits")) {
		char took[32];
		const char *how = str(v, "entered_by");

		duration(took, sizeof(took), num(v, "seconds"));
		fprintf(out, "%d. %s: ", ++n, str(v, "start"));
		md_text(out, phase_title(doc, str(v, "phase")), 1);
		fprintf(out, ", events %d to %d, %s", (int)num(v, "from"),
			(int)num(v, "to"), took);
		if (has_reason(how)) {
			fputs(strcmp(how, "revisit") == 0 ? " (revisited: "
							  : " (terminated early: ",
			      out);
			md_text(out, str(v, "reason"), 1);
			fputc(')', out);
		}
		fputc('\n', out);
	}
	if (cJSON_IsString(get(doc, "closed_at")))
		fprintf(out, "%d. %s: session closed\n", ++n,
			str(doc, "closed_at"));
}

static void write_markdown(FILE *out, const cJSON *doc)
{
	const cJSON *kase = get(doc, "case");
	const cJSON *wf = get(doc, "workflow");
	const cJSON *ph, *r;

	fputs("# ", out);
	md_text(out, str(kase, "title"), 1);
	fputs(": ", out);
	md_text(out, str(doc, "student"), 1);
	fputs("\n\n", out);
	fprintf(out, "- **Session:** `%s`%s\n", str(doc, "session"),
		cJSON_IsTrue(get(doc, "redacted")) ? " (redacted)" : "");
	fputs("- **Student:** ", out);
	md_text(out, str(doc, "student"), 1);
	fputs("\n- **Case:** ", out);
	md_text(out, str(kase, "title"), 1);
	fprintf(out, " (`%s`, %s)\n", str(kase, "id"), str(kase, "setting"));
	fputs("- **Workflow:** ", out);
	md_text(out, str(wf, "title"), 1);
	fprintf(out, " (`%s`, version %d)\n", str(wf, "id"),
		(int)num(wf, "version"));
	fprintf(out, "- **Status:** %s, in ", str(doc, "status"));
	md_text(out, phase_title(doc, str(doc, "phase")), 1);
	fprintf(out,
		"; %d of %d checkpoints met\n"
		"- **Started:** %s; **last change:** %s\n"
		"- **Chain head:** `%s` (%d events)\n",
		(int)num(get(doc, "progress"), "met"),
		(int)num(get(doc, "progress"), "total"),
		str(doc, "created_at"), str(doc, "updated_at"),
		str(doc, "head"), (int)num(doc, "events"));

	fputs("\n## The case\n\n", out);
	md_text(out, str(kase, "summary"), 0);
	fputs("\n\n", out);
	md_client(out, kase);

	fputs("\n## Phases\n", out);
	cJSON_ArrayForEach(ph, get(doc, "phases"))
		md_phase(out, doc, ph);
	md_goals(out, doc);
	if (cJSON_GetArraySize(get(doc, "referrals")) > 0) {
		fputs("\n## Referrals\n\n", out);
		cJSON_ArrayForEach(r, get(doc, "referrals")) {
			fprintf(out, "- %s: ", str(r, "id"));
			md_text(out, str(r, "text"), 1);
			fputc('\n', out);
		}
	}
	md_feedback(out, doc);
	md_timeline(out, doc);
	fprintf(out, "\nChain head: `%s`\n", str(doc, "head"));
}

/* ---- HTML ------------------------------------------------------------- */

static void html_text(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

/* Escaped text with its line breaks kept: paragraphs split on blank
 * lines, single breaks as <br>. */
static void html_paragraphs(FILE *out, const char *s)
{
	fputs("<p>", out);
	for (; *s != '\0'; s++) {
		char one[2] = { *s, '\0' };

		if (s[0] == '\n' && s[1] == '\n') {
			fputs("</p>\n<p>", out);
			while (s[1] == '\n')
				s++;
		} else if (*s == '\n') {
			fputs("<br>", out);
		} else {
			html_text(out, one);
		}
	}
	fputs("</p>\n", out);
}

static const char html_style[] =
	":root{--ink:#1d2430;--muted:#5b6472;--line:#d5dae1;--met:#1f7a3d;"
	"--unmet:#b3261e;--bar:#3b6ea8;--revisit:#c77700;--term:#7a3b8f}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;padding:2rem 1rem;font:16px/1.5 system-ui,-apple-system,"
	"'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink);"
	"background:#f6f7f9}\n"
	"main{max-width:60rem;margin:0 auto}\n"
	"article.session{background:#fff;border:1px solid var(--line);"
	"border-radius:8px;padding:1.5rem 2rem;margin:0 0 2rem}\n"
	"h1{font-size:1.6rem;margin:0 0 .5rem}"
	"h2{font-size:1.25rem;margin:1.8rem 0 .6rem;border-bottom:1px solid "
	"var(--line);padding-bottom:.2rem}"
	"h3{font-size:1.05rem;margin:1.2rem 0 .4rem}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem "
	"1rem;margin:0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}\n"
	"code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
	"monospace;font-size:.85em;overflow-wrap:anywhere}\n"
	"ul.checkpoints{list-style:none;padding-left:0}"
	"ul.checkpoints li{padding-left:1.6rem;text-indent:-1.6rem;margin:.25rem 0}"
	"\n.met::before{content:'\\2713';color:var(--met);font-weight:bold;"
	"display:inline-block;width:1.6rem;text-indent:0}"
	".unmet::before{content:'\\2717';color:var(--unmet);font-weight:bold;"
	"display:inline-block;width:1.6rem;text-indent:0}\n"
	".muted,.when{color:var(--muted)}.tag{font-size:.8em;border:1px solid "
	"var(--line);border-radius:4px;padding:0 .3em;white-space:nowrap}\n"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0;"
	"font-size:.95em}th,td{border:1px solid var(--line);padding:.35rem .5rem;"
	"text-align:left;vertical-align:top}th{background:#eef1f5}\n"
	"svg.timeline{width:100%;height:auto;display:block;margin:.5rem 0}"
	"svg.timeline text{font:12px system-ui,sans-serif;fill:var(--ink)}"
	"svg.timeline .row{stroke:var(--line);stroke-width:1}"
	"svg.timeline rect.advance,svg.timeline rect.start{fill:var(--bar)}"
	"svg.timeline rect.revisit{fill:var(--revisit)}"
	"svg.timeline rect.terminate{fill:var(--term)}"
	"svg.timeline text.mark{fill:var(--revisit);font-weight:bold}\n"
	".legend span{display:inline-block;margin-right:1rem;font-size:.85em}"
	".legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;"
	"vertical-align:-.1em}\n"
	"nav ol{padding-left:1.4rem}footer{margin-top:1.5rem;font-size:.9em;"
	"color:var(--muted)}\n"
	"@media print{body{background:#fff;padding:0;font-size:10.5pt}"
	"article.session{border:0;padding:0;margin:0}"
	"article.session+article.session{break-before:page}"
	"nav{display:none}section.phase,tr,svg.timeline,.legend{break-inside:"
	"avoid}h2,h3{break-after:avoid}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
	"@page{margin:15mm}\n";

static void html_start(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"casework " CW_VERSION "\">\n"
	      "<title>",
	      out);
	html_text(out, title);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
		html_style);
}

static void html_end(FILE *out)
{
	fputs("</main>\n</body>\n</html>\n", out);
}

/* The phases as rows and each visit as a bar as long as its time; a visit
 * begun by a revisit or an early termination is coloured and marked. */
static void html_svg(FILE *out, const cJSON *doc, int n)
{
	const int label = 150, width = 760, bar = width - label - 90, row = 26;
	const int top = 10, phases = cJSON_GetArraySize(get(doc, "phases"));
	const int height = top + phases * row + 34;
	const cJSON *ph, *v;
	double total = 0, at = 0;
	int visits = cJSON_GetArraySize(get(doc, "visits")), k = 0, i = 0;
	char took[32];

	cJSON_ArrayForEach(v, get(doc, "visits"))
		total += num(v, "seconds");
	fprintf(out,
		"<svg class=\"timeline\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-labelledby=\"timeline-title-%d\">\n"
		"<title id=\"timeline-title-%d\">Time on each visit to a "
		"phase</title>\n",
		width, height, n, n);
	cJSON_ArrayForEach(ph, get(doc, "phases")) {
		int y = top + i * row;

		fprintf(out,
			"<line class=\"row\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			"y2=\"%d\"/>\n<text x=\"%d\" y=\"%d\" "
			"text-anchor=\"end\">",
			label, y + row, label + bar, y + row, label - 8,
			y + row / 2 + 4);
		html_text(out, str(ph, "title"));
		fputs("</text>\n", out);
		i++;
	}
	cJSON_ArrayForEach(v, get(doc, "visits")) {
		const char *how = str(v, "entered_by");
		double share = total > 0 ? num(v, "seconds") / total
					 : 1.0 / visits;
		double x = label + bar * (total > 0 ? at / total
						    : (double)k / visits);
		double w = bar * share > 4 ? bar * share : 4;
		int index = 0;

		cJSON_ArrayForEach(ph, get(doc, "phases")) {
			if (strcmp(str(ph, "id"), str(v, "phase")) == 0)
				break;
			index++;
		}
		if (x + w > label + bar)
			x = label + bar - w;
		duration(took, sizeof(took), num(v, "seconds"));
		fprintf(out,
			"<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			"height=\"%d\" rx=\"2\"><title>",
			how, x, top + index * row + 5, w, row - 10);
		html_text(out, phase_title(doc, str(v, "phase")));
		fprintf(out, ": %s", took);
		if (has(v, "reason")) {
			fputs(strcmp(how, "revisit") == 0 ? " (revisited: "
							  : " (terminated: ",
			      out);
			html_text(out, str(v, "reason"));
			fputc(')', out);
		}
		fputs("</title></rect>\n", out);
		if (has_reason(how))
			fprintf(out,
				"<text class=\"mark\" x=\"%.1f\" y=\"%d\">%s"
				"</text>\n",
				x + w + 4, top + index * row + row / 2 + 4,
				strcmp(how, "revisit") == 0 ? "&#8634; revisit"
							    : "&#8677; ended");
		at += num(v, "seconds");
		k++;
	}
	duration(took, sizeof(took), total);
	fprintf(out,
		"<text x=\"%d\" y=\"%d\">0</text>\n"
		"<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s in all</text>\n"
		"</svg>\n",
		label, top + phases * row + 20, label + bar,
		top + phases * row + 20, took);
	fputs("<p class=\"legend\"><span><i style=\"background:#3b6ea8\"></i>"
	      "visit</span><span><i style=\"background:#c77700\"></i>revisit"
	      "</span><span><i style=\"background:#7a3b8f\"></i>after early "
	      "termination</span></p>\n",
	      out);
}

static void html_dd(FILE *out, const char *term, const char *text)
{
	fprintf(out, "<dt>%s</dt><dd>", term);
	html_text(out, text);
	fputs("</dd>\n", out);
}

static void html_case(FILE *out, const cJSON *kase)
{
	const cJSON *client = get(kase, "client");
	const cJSON *referral = get(kase, "referral");
	const cJSON *flag;

	fputs("<section class=\"case\">\n<h2>The case</h2>\n", out);
	html_paragraphs(out, str(kase, "summary"));
	fputs("<dl class=\"meta\">\n", out);
	html_dd(out, "Client",
		has(client, "alias") ? str(client, "alias") : REDACTED);
	if (cJSON_IsNumber(get(client, "age")))
		fprintf(out, "<dt>Age</dt><dd>%d</dd>\n",
			get(client, "age")->valueint);
	if (has(client, "pronouns"))
		html_dd(out, "Pronouns", str(client, "pronouns"));
	if (has(client, "language"))
		html_dd(out, "Language", str(client, "language"));
	if (has(client, "household"))
		html_dd(out, "Household", str(client, "household"));
	if (referral != NULL) {
		fputs("<dt>Referral</dt><dd>", out);
		html_text(out, str(referral, "source"));
		fputs(" (", out);
		html_text(out, str(referral, "urgency"));
		fputs("): ", out);
		html_text(out, str(referral, "reason"));
		fputs("</dd>\n", out);
	}
	if (cJSON_GetArraySize(get(kase, "risk_flags")) > 0) {
		fputs("<dt>Risk flags</dt><dd>", out);
		cJSON_ArrayForEach(flag, get(kase, "risk_flags")) {
			fputs("<span class=\"tag\">", out);
			html_text(out, cJSON_IsString(flag) ? flag->valuestring
							    : "");
			fputs("</span> ", out);
		}
		fputs("</dd>\n", out);
	}
	fputs("</dl>\n", out);
	if (has(kase, "background")) {
		fputs("<h3>Background</h3>\n", out);
		html_paragraphs(out, str(kase, "background"));
	}
	fputs("</section>\n", out);
}

static void html_phase(FILE *out, const cJSON *doc, const cJSON *ph)
{
	const cJSON *cp, *item, *id;
	char took[32];
	int any = 0;

	duration(took, sizeof(took), num(ph, "seconds"));
	fprintf(out, "<section class=\"phase\" id=\"phase-%s-%s\">\n<h3>%d. ",
		str(doc, "session"), str(ph, "id"), (int)num(ph, "number"));
	html_text(out, str(ph, "title"));
	if (num(ph, "visits") == 0)
		fputs(" <span class=\"muted\">not reached</span></h3>\n", out);
	else
		fprintf(out,
			" <span class=\"muted\">%s, %d visit%s</span></h3>\n",
			took, (int)num(ph, "visits"),
			num(ph, "visits") == 1 ? "" : "s");
	fputs("<ul class=\"checkpoints\">\n", out);
	cJSON_ArrayForEach(cp, get(ph, "checkpoints")) {
		const cJSON *said = cJSON_GetArrayItem(
			get(cp, "statements"),
			cJSON_GetArraySize(get(cp, "statements")) - 1);

		fprintf(out, "<li class=\"%s\"><strong>",
			cJSON_IsTrue(get(cp, "met")) ? "met" : "unmet");
		html_text(out, str(cp, "label"));
		fputs("</strong>: ", out);
		if (said != NULL && has(said, "value")) {
			fputs("<span class=\"tag\">", out);
			html_text(out, str(said, "value"));
			fputs("</span> ", out);
		}
		html_text(out, said != NULL ? str(said, "text")
					    : str(cp, "message"));
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
	cJSON_ArrayForEach(id, get(ph, "records")) {
		const cJSON *r = find_record(doc, id->valuestring);

		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fprintf(out, "<li><strong>%s</strong> <span class=\"tag\">",
			id->valuestring);
		html_text(out, record_kind(id->valuestring, r));
		if (id->valuestring[0] == 'G') {
			fputs(", ", out);
			html_text(out, str(r, "term"));
			fputs(" term", out);
		}
		if (id->valuestring[0] == 'I' || id->valuestring[0] == 'E') {
			fprintf(out, " for %s, ", goal_of(doc, id->valuestring));
			html_text(out, has(r, "type") ? str(r, "type")
						      : str(r, "outcome"));
		}
		fputs("</span> ", out);
		html_text(out, str(r, "text"));
		fputs("</li>\n", out);
	}
	cJSON_ArrayForEach(item, get(doc, "refusals")) {
		const cJSON *b;

		if (strcmp(str(item, "phase"), str(ph, "id")) != 0)
			continue;
		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fprintf(out, "<li class=\"muted\">Advance refused (event %d): ",
			(int)num(item, "seq"));
		cJSON_ArrayForEach(b, get(item, "blockers")) {
			html_text(out, str(b, "message"));
			fputs(b->next != NULL ? "; " : "", out);
		}
		fputs("</li>\n", out);
	}
	cJSON_ArrayForEach(item, get(doc, "revisits")) {
		if (strcmp(str(item, "from"), str(ph, "id")) != 0)
			continue;
		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fputs("<li>Revisited <strong>", out);
		html_text(out, phase_title(doc, str(item, "to")));
		fputs("</strong>: ", out);
		html_text(out, str(item, "reason"));
		fputs("</li>\n", out);
	}
	item = get(doc, "termination");
	if (cJSON_IsObject(item) &&
	    strcmp(str(item, "from"), str(ph, "id")) == 0) {
		if (!any++)
			fputs("<ul class=\"records\">\n", out);
		fputs("<li>Terminated early: ", out);
		html_text(out, str(item, "reason"));
		fputs("</li>\n", out);
	}
	if (any)
		fputs("</ul>\n", out);
	fputs("</section>\n", out);
}

static void html_goals(FILE *out, const cJSON *doc)
{
	const cJSON *g, *r;

	fputs("<section class=\"goals\">\n<h2>Goals, interventions and "
	      "evaluations</h2>\n",
	      out);
	if (cJSON_GetArraySize(get(doc, "goals")) == 0) {
		fputs("<p>No goals were set.</p>\n</section>\n", out);
		return;
	}
	fputs("<table>\n<thead><tr><th>Goal</th><th>Term</th><th>Measure</th>"
	      "<th>Status</th><th>Interventions</th><th>Evaluations</th>"
	      "</tr></thead>\n<tbody>\n",
	      out);
	cJSON_ArrayForEach(g, get(doc, "goals")) {
		fprintf(out, "<tr><td><strong>%s</strong> ", str(g, "id"));
		html_text(out, str(g, "text"));
		fputs("</td><td>", out);
		html_text(out, str(g, "term"));
		fputs("</td><td>", out);
		html_text(out, str(g, "measure"));
		fputs("</td><td>", out);
		html_text(out, str(g, "status"));
		if (has(g, "dropped")) {
			fputs(": ", out);
			html_text(out, str(get(g, "dropped"), "reason"));
		}
		fputs("</td><td>", out);
		cJSON_ArrayForEach(r, get(g, "interventions")) {
			fprintf(out, "<div><strong>%s</strong> (", str(r, "id"));
			html_text(out, str(r, "type"));
			fputs(") ", out);
			html_text(out, str(r, "text"));
			fputs("</div>", out);
		}
		fputs("</td><td>", out);
		cJSON_ArrayForEach(r, get(g, "evaluations")) {
			fprintf(out, "<div><strong>%s</strong> <span "
				     "class=\"tag\">",
				str(r, "id"));
			html_text(out, str(r, "outcome"));
			fputs("</span> ", out);
			html_text(out, str(r, "text"));
			fputs("</div>", out);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

static void html_feedback(FILE *out, const cJSON *doc)
{
	const cJSON *f;

	fputs("<section class=\"feedback\">\n<h2>Feedback</h2>\n", out);
	if (cJSON_GetArraySize(get(doc, "feedback")) == 0) {
		fputs("<p>No feedback yet.</p>\n</section>\n", out);
		return;
	}
	fputs("<ul>\n", out);
	cJSON_ArrayForEach(f, get(doc, "feedback")) {
		fputs("<li><strong>", out);
		html_text(out, str(f, "actor"));
		fputs("</strong> on ", out);
		html_text(out, phase_title(doc, str(f, "phase")));
		if (has(f, "event"))
			fprintf(out, ", event %d", (int)num(f, "event"));
		if (has(f, "score")) {
			fprintf(out, ", score %d", (int)num(f, "score"));
			if (has(f, "criterion")) {
				fputs(" on ", out);
				html_text(out, str(f, "criterion"));
			}
		}
		fputs(": ", out);
		html_text(out, str(f, "text"));
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
	if (cJSON_GetArraySize(get(doc, "scores")) > 0) {
		fputs("<table>\n<thead><tr><th>Criterion</th><th>Mean score</th>"
		      "</tr></thead>\n<tbody>\n",
		      out);
		cJSON_ArrayForEach(f, get(doc, "scores")) {
			fputs("<tr><td>", out);
			html_text(out, f->string);
			fprintf(out, "</td><td>%.1f</td></tr>\n",
				f->valuedouble);
		}
		fputs("</tbody>\n</table>\n", out);
	}
	fputs("</section>\n", out);
}

static void html_timeline(FILE *out, const cJSON *doc, int n)
{
	const cJSON *v;

	fputs("<section class=\"timeline\">\n<h2>Timeline</h2>\n", out);
	html_svg(out, doc, n);
	fputs("<ol>\n", out);
	cJSON_ArrayForEach(v, get(doc, "visits")) {
		char took[32];
		const char *how = str(v, "entered_by");

		duration(took, sizeof(took), num(v, "seconds"));
		fputs("<li><span class=\"when\">", out);
		html_text(out, str(v, "start"));
		fputs("</span> ", out);
		html_text(out, phase_title(doc, str(v, "phase")));
		fprintf(out, ", events %d to %d, %s", (int)num(v, "from"),
			(int)num(v, "to"), took);
		if (has(v, "reason")) {
			fputs(strcmp(how, "revisit") == 0 ? " (revisited: "
							  : " (terminated early: ",
			      out);
			html_text(out, str(v, "reason"));
			fputc(')', out);
		}
		fputs("</li>\n", out);
	}
	if (cJSON_IsString(get(doc, "closed_at"))) {
		fputs("<li><span class=\"when\">", out);
		html_text(out, str(doc, "closed_at"));
		fputs("</span> session closed</li>\n", out);
	}
	fputs("</ol>\n</section>\n", out);
}

static void write_html_session(FILE *out, const cJSON *doc, int n)
{
	const cJSON *kase = get(doc, "case");
	const cJSON *wf = get(doc, "workflow");
	const cJSON *ph;
	char line[160];

	fprintf(out, "<article class=\"session\" id=\"session-%s\">\n<header>\n"
		     "<h1>",
		str(doc, "session"));
	html_text(out, str(kase, "title"));
	fputs(": ", out);
	html_text(out, str(doc, "student"));
	fputs("</h1>\n<dl class=\"meta\">\n", out);
	html_dd(out, "Student", str(doc, "student"));
	fputs("<dt>Case</dt><dd>", out);
	html_text(out, str(kase, "title"));
	fputs(" (<code>", out);
	html_text(out, str(kase, "id"));
	fputs("</code>, ", out);
	html_text(out, str(kase, "setting"));
	fputs(")</dd>\n<dt>Workflow</dt><dd>", out);
	html_text(out, str(wf, "title"));
	fputs(" (<code>", out);
	html_text(out, str(wf, "id"));
	fprintf(out, "</code>, version %d)</dd>\n", (int)num(wf, "version"));
	snprintf(line, sizeof(line), "%s, in %s; %d of %d checkpoints met",
		 str(doc, "status"), phase_title(doc, str(doc, "phase")),
		 (int)num(get(doc, "progress"), "met"),
		 (int)num(get(doc, "progress"), "total"));
	html_dd(out, "Status", line);
	html_dd(out, "Started", str(doc, "created_at"));
	html_dd(out, "Last change", str(doc, "updated_at"));
	fprintf(out, "<dt>Session</dt><dd><code>%s</code>%s</dd>\n",
		str(doc, "session"),
		cJSON_IsTrue(get(doc, "redacted")) ? " (redacted)" : "");
	fprintf(out,
		"<dt>Chain head</dt><dd><code class=\"hash\">%s</code> "
		"(%d events)</dd>\n</dl>\n</header>\n",
		str(doc, "head"), (int)num(doc, "events"));
	html_case(out, kase);
	html_timeline(out, doc, n);
	fputs("<section class=\"phases\">\n<h2>Phases</h2>\n", out);
	cJSON_ArrayForEach(ph, get(doc, "phases"))
		html_phase(out, doc, ph);
	fputs("</section>\n", out);
	html_goals(out, doc);
	if (cJSON_GetArraySize(get(doc, "referrals")) > 0) {
		const cJSON *r;

		fputs("<section class=\"referrals\">\n<h2>Referrals</h2>\n<ul>\n",
		      out);
		cJSON_ArrayForEach(r, get(doc, "referrals")) {
			fprintf(out, "<li><strong>%s</strong> ", str(r, "id"));
			html_text(out, str(r, "text"));
			fputs("</li>\n", out);
		}
		fputs("</ul>\n</section>\n", out);
	}
	html_feedback(out, doc);
	fprintf(out,
		"<footer><p>Chain head: <code class=\"hash\">%s</code>. "
		"'casework verify' recomputes it from the log.</p></footer>\n"
		"</article>\n",
		str(doc, "head"));
}

/* ---- CSV -------------------------------------------------------------- */

/* One field (RFC 4180): quoted when it holds a comma, quote, CR or LF. */
static void csv_field(FILE *out, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") != NULL) {
		fputc('"', out);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

static void csv_number(FILE *out, double n, int last)
{
	char buf[32];

	if (n == (double)(long)n)
		snprintf(buf, sizeof(buf), "%ld", (long)n);
	else
		snprintf(buf, sizeof(buf), "%.2f", n);
	csv_field(out, buf, last);
}

int cw_export_report_csv(FILE *out, const cJSON *doc)
{
	static const char *const fixed[] = { "session", "student", "case",
		"workflow", "version", "status", "phase", "reached", "met",
		"total", "goals", "interventions", "evaluations", "achieved",
		"partial", "not_achieved", "refused", "revisits", "terminated",
		NULL };
	const cJSON *phases = get(doc, "phases");
	const cJSON *criteria = get(doc, "criteria");
	const cJSON *row, *p;
	char name[200];

	for (const char *const *f = fixed; *f != NULL; f++)
		csv_field(out, *f, 0);
	cJSON_ArrayForEach(p, phases) {
		snprintf(name, sizeof(name), "seconds_%s", p->valuestring);
		csv_field(out, name, 0);
	}
	cJSON_ArrayForEach(p, criteria) {
		snprintf(name, sizeof(name), "score_%s", p->valuestring);
		csv_field(out, name, 0);
	}
	csv_field(out, "feedback", 1);
	cJSON_ArrayForEach(row, get(doc, "sessions")) {
		const cJSON *o = get(row, "outcomes");

		csv_field(out, str(row, "session"), 0);
		csv_field(out, str(row, "student"), 0);
		csv_field(out, str(row, "case"), 0);
		csv_field(out, str(row, "workflow"), 0);
		csv_number(out, num(row, "version"), 0);
		csv_field(out, str(row, "status"), 0);
		csv_field(out, str(row, "phase"), 0);
		csv_field(out, str(row, "reached"), 0);
		csv_number(out, num(row, "met"), 0);
		csv_number(out, num(row, "total"), 0);
		csv_number(out, num(row, "goals"), 0);
		csv_number(out, num(row, "interventions"), 0);
		csv_number(out, num(row, "evaluations"), 0);
		csv_number(out, num(o, "achieved"), 0);
		csv_number(out, num(o, "partial"), 0);
		csv_number(out, num(o, "not-achieved"), 0);
		csv_number(out, num(row, "refused"), 0);
		csv_number(out, num(row, "revisits"), 0);
		csv_field(out,
			  cJSON_IsTrue(get(row, "terminated")) ? "yes" : "no", 0);
		cJSON_ArrayForEach(p, phases) {
			const cJSON *s =
				get(get(row, "seconds"), p->valuestring);

			if (s != NULL)
				csv_number(out, s->valuedouble, 0);
			else
				csv_field(out, "", 0);
		}
		cJSON_ArrayForEach(p, criteria) {
			const cJSON *s =
				get(get(row, "scores"), p->valuestring);

			if (s != NULL)
				csv_number(out, s->valuedouble, 0);
			else
				csv_field(out, "", 0);
		}
		csv_number(out, num(row, "feedback"), 1);
	}
	return ferror(out) ? cw_error_set(CW_ERROR, "cannot write the CSV")
			   : 0;
}

static const char *const goal_columns[] = { "session", "student", "case",
	"goal", "term", "status", "text", "measure", "interventions",
	"last_outcome", NULL };

static void write_goal_rows(FILE *out, const cJSON *doc)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, get(doc, "goals")) {
		const cJSON *evals = get(g, "evaluations");
		const cJSON *last = cJSON_GetArrayItem(
			evals, cJSON_GetArraySize(evals) - 1);

		csv_field(out, str(doc, "session"), 0);
		csv_field(out, str(doc, "student"), 0);
		csv_field(out, str(get(doc, "case"), "id"), 0);
		csv_field(out, str(g, "id"), 0);
		csv_field(out, str(g, "term"), 0);
		csv_field(out, str(g, "status"), 0);
		csv_field(out, str(g, "text"), 0);
		csv_field(out, str(g, "measure"), 0);
		csv_number(out, cJSON_GetArraySize(get(g, "interventions")), 0);
		csv_field(out, str(last, "outcome"), 1);
	}
}

/*
 * The session rows of the report on `filter`, keeping only session `only`
 * when it is not NULL (and then only the score columns it has), in the
 * columns of `casework report --format csv`.
 */
static int write_session_rows(FILE *out, cw_store *s,
			      const cw_session_filter *filter,
			      const char *only)
{
	cJSON *report = NULL, *rows, *row, *next, *criteria, *c;
	int error = cw_report(&report, s, filter);

	if (error < 0)
		return error;
	if (only != NULL) {
		rows = cJSON_GetObjectItem(report, "sessions");
		for (row = rows->child; row != NULL; row = next) {
			next = row->next;
			if (strcmp(str(row, "session"), only) != 0)
				cJSON_Delete(cJSON_DetachItemViaPointer(rows, row));
		}
		criteria = cJSON_GetObjectItem(report, "criteria");
		for (c = criteria->child; c != NULL; c = next) {
			next = c->next;
			if (!has(get(rows->child, "scores"), c->valuestring))
				cJSON_Delete(
					cJSON_DetachItemViaPointer(criteria, c));
		}
	}
	error = cw_export_report_csv(out, report);
	cJSON_Delete(report);
	return error;
}

/* ---- the writers ------------------------------------------------------ */

int cw_export_format_parse(cw_export_format *out, const char *name)
{
	static const struct {
		const char *name;
		cw_export_format format;
	} names[] = { { "json", CW_EXPORT_JSON },
		      { "md", CW_EXPORT_MARKDOWN },
		      { "html", CW_EXPORT_HTML },
		      { "csv", CW_EXPORT_CSV } };

	for (size_t i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]);
	     i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].format;
			return 0;
		}
	}
	return cw_error_set(CW_EINVALID,
			    "unknown export format '%s' (expected json, md, "
			    "html or csv)",
			    name ? name : "");
}

/* Write one session's document in a format; `n` counts the sessions
 * written so far (separators, unique ids in one HTML page). */
static int write_one(FILE *out, const cJSON *doc,
		     const cw_export_options *o, int n, int many)
{
	char *text;

	switch (o->format) {
	case CW_EXPORT_JSON:
		text = cJSON_Print(doc);
		if (text == NULL)
			return cw_error_set(CW_ERROR, "out of memory");
		if (many)
			fputs(n ? ",\n" : "[\n", out);
		fputs(text, out);
		if (!many)
			fputc('\n', out);
		free(text);
		break;
	case CW_EXPORT_MARKDOWN:
		if (n > 0)
			fputs("\n---\n\n", out);
		write_markdown(out, doc);
		break;
	case CW_EXPORT_HTML:
		write_html_session(out, doc, n);
		break;
	case CW_EXPORT_CSV:
		write_goal_rows(out, doc);
		break;
	}
	return 0;
}

static int check_options(const cw_export_options *o)
{
	if (o == NULL || (unsigned)o->format > CW_EXPORT_CSV)
		return cw_error_set(CW_EINVALID, "no or unknown export format");
	if (o->goals && o->format != CW_EXPORT_CSV)
		return cw_error_set(CW_EINVALID,
				    "one row per goal is a CSV export");
	return 0;
}

static int written(FILE *out)
{
	if (fflush(out) != 0 || ferror(out))
		return cw_error_set(CW_ERROR, "cannot write the export");
	return 0;
}

int cw_export_write(FILE *out, cw_store *s, const char *id,
		    const cw_export_options *o)
{
	cJSON *doc = NULL;
	int error = check_options(o);

	if (error < 0)
		return error;
	if ((error = cw_export_session(&doc, s, id, o->redact)) < 0)
		return error;
	if (o->format == CW_EXPORT_HTML) {
		char title[400];

		snprintf(title, sizeof(title), "%s: %s",
			 str(get(doc, "case"), "title"), str(doc, "student"));
		html_start(out, title);
	}
	if (o->format == CW_EXPORT_CSV && !o->goals) {
		cw_session_filter f = { 0 };

		f.case_id = str(get(doc, "case"), "id");
		f.student = str(doc, "student");
		error = write_session_rows(out, s, &f, id);
	} else {
		if (o->format == CW_EXPORT_CSV)
			for (const char *const *c = goal_columns; *c; c++)
				csv_field(out, *c, c[1] == NULL);
		error = write_one(out, doc, o, 0, 0);
	}
	if (o->format == CW_EXPORT_HTML)
		html_end(out);
	cJSON_Delete(doc);
	return error < 0 ? error : written(out);
}

int cw_export_write_all(FILE *out, cw_store *s,
			const cw_session_filter *filter,
			const cw_export_options *o)
{
	cJSON *list = NULL;
	const cJSON *item;
	int error = check_options(o), n = 0;

	if (error < 0)
		return error;
	if (o->format == CW_EXPORT_CSV && !o->goals) {
		error = write_session_rows(out, s, filter, NULL);
		return error < 0 ? error : written(out);
	}
	if ((error = cw_session_list(&list, s, filter)) < 0)
		return error;
	switch (o->format) {
	case CW_EXPORT_HTML:
		html_start(out, "casework sessions");
		fprintf(out, "<nav>\n<h1>%d session%s</h1>\n<ol>\n",
			cJSON_GetArraySize(list),
			cJSON_GetArraySize(list) == 1 ? "" : "s");
		cJSON_ArrayForEach(item, list) {
			fprintf(out, "<li><a href=\"#session-%s\">",
				str(item, "session"));
			html_text(out, str(item, "student"));
			fputs(", ", out);
			html_text(out, str(item, "case"));
			fputs(", ", out);
			html_text(out, str(item, "status"));
			fputs("</a></li>\n", out);
		}
		fputs("</ol>\n</nav>\n", out);
		break;
	case CW_EXPORT_CSV:
		for (const char *const *c = goal_columns; *c; c++)
			csv_field(out, *c, c[1] == NULL);
		break;
	case CW_EXPORT_MARKDOWN:
		if (cJSON_GetArraySize(list) == 0)
			fputs("No sessions match.\n", out);
		break;
	default:
		break;
	}
	cJSON_ArrayForEach(item, list) {
		cJSON *doc = NULL;

		error = cw_export_session(&doc, s, str(item, "session"),
					  o->redact);
		if (error == 0)
			error = write_one(out, doc, o, n++, 1);
		cJSON_Delete(doc);
		if (error == 0 && ferror(out))
			error = written(out);
		if (error < 0)
			break;
	}
	cJSON_Delete(list);
	if (error < 0)
		return error;
	if (o->format == CW_EXPORT_JSON)
		fputs(n ? "\n]\n" : "[]\n", out);
	if (o->format == CW_EXPORT_HTML) {
		if (n == 0)
			fputs("<p>No sessions match.</p>\n", out);
		html_end(out);
	}
	return written(out);
}
