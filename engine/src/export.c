/*
 * export.c - session summaries: the export document of one session, built
 * from its log in one read, and its renderings as JSON, Markdown, HTML and
 * CSV.  Writers stream session by session to the caller's FILE *.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/export.h"
#include "casework/report.h"
#include "state.h"
#include "store.h"
#include "render.h"

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

/* Copy member `key` of `from` to `to` when it is present. */
static void copy_member(cJSON *to, const cJSON *from, const char *key)
{
	const cJSON *item = get(from, key);

	if (item != NULL)
		cJSON_AddItemToObject(to, key, cJSON_Duplicate(item, 1));
}

/* Append `item` to the array member `key` of `obj`. */
static void append(cJSON *obj, const char *key, cJSON *item)
{
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(obj, key), item);
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

/* ---- building the document ------------------------------------------- */

/* Seconds to the millisecond the log's times have, without float noise. */
static double seconds_ms(double seconds)
{
	return seconds > 0 ? (double)(long long)(seconds * 1000 + 0.5) / 1000
			   : 0;
}

/* A record entry: {"id", "seq", "at", "phase", ...} of the event. */
static cJSON *record_entry(const cJSON *ev, const cJSON *p)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddStringToObject(item, "id", str(p, "id"));
	cJSON_AddNumberToObject(item, "seq", num(ev, "seq"));
	cJSON_AddStringToObject(item, "at", str(ev, "at"));
	cJSON_AddStringToObject(item, "phase", str(ev, "phase"));
	return item;
}

/* The phase entries: guidance-free, with each checkpoint as judged at the
 * end of the log, its statements (filled later) and the records made. */
static cJSON *phase_entries(const state *st, const cJSON *log)
{
	cJSON *phases = cJSON_CreateArray();
	static const char *const keep[] = { "id", "label", "kind", "record",
		"tag", "options", "met", "have", "need", "message", NULL };

	for (size_t i = 0; i < st->wf->phase_count; i++) {
		const cw_phase *ph = &st->wf->phases[i];
		const cJSON *times = find_id(get(log, "phases"), ph->id);
		cJSON *item = cJSON_CreateObject(), *cps, *judged, *cp;

		cJSON_AddStringToObject(item, "id", ph->id);
		cJSON_AddStringToObject(item, "title", ph->title);
		cJSON_AddNumberToObject(item, "number", (double)i + 1);
		cJSON_AddNumberToObject(item, "visits", num(times, "visits"));
		cJSON_AddNumberToObject(item, "seconds",
					seconds_ms(num(times, "seconds")));
		cps = cJSON_AddArrayToObject(item, "checkpoints");
		judged = state_checkpoints_json(st, i, 0);
		cJSON_ArrayForEach(cp, judged) {
			cJSON *entry = cJSON_CreateObject();

			for (const char *const *k = keep; *k != NULL; k++)
				copy_member(entry, cp, *k);
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

/* Note that record `id` was made in phase `phase`. */
static void phase_record(const cJSON *phases, const char *phase,
			 const char *id)
{
	cJSON *ph = find_id(phases, phase);

	if (ph != NULL)
		cJSON_AddItemToArray(cJSON_GetObjectItem(ph, "records"),
				     cJSON_CreateString(id));
}

/* One event of the log into the document's lists. */
static void add_event(cJSON *doc, const cJSON *ev)
{
	const char *type = str(ev, "type");
	const cJSON *p = get(ev, "payload");
	cJSON *phases = cJSON_GetObjectItem(doc, "phases");
	cJSON *item = NULL, *goal;

	if (strcmp(type, "note.added") == 0) {
		item = record_entry(ev, p);
		cJSON_AddStringToObject(item, "text", str(p, "text"));
		if (cJSON_IsString(get(p, "tag")))
			cJSON_AddStringToObject(item, "tag", str(p, "tag"));
		cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "notes"), item);
	} else if (strcmp(type, "objective.added") == 0 ||
		   strcmp(type, "referral.added") == 0) {
		item = record_entry(ev, p);
		cJSON_AddStringToObject(item, "text", str(p, "text"));
		append(doc, type[0] == 'o' ? "objectives" : "referrals", item);
	} else if (strcmp(type, "goal.added") == 0) {
		cJSON *version = cJSON_CreateObject();

		item = record_entry(ev, p);
		cJSON_AddStringToObject(item, "text", str(p, "text"));
		cJSON_AddStringToObject(item, "term", str(p, "term"));
		cJSON_AddStringToObject(item, "measure", str(p, "measure"));
		cJSON_AddStringToObject(item, "status", "open");
		cJSON_AddNumberToObject(version, "seq", num(ev, "seq"));
		cJSON_AddStringToObject(version, "at", str(ev, "at"));
		cJSON_AddStringToObject(version, "text", str(p, "text"));
		cJSON_AddStringToObject(version, "measure", str(p, "measure"));
		cJSON_AddItemToArray(cJSON_AddArrayToObject(item, "versions"),
				     version);
		cJSON_AddArrayToObject(item, "interventions");
		cJSON_AddArrayToObject(item, "evaluations");
		cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "goals"), item);
	} else if (strcmp(type, "goal.revised") == 0) {
		cJSON *version = cJSON_CreateObject();

		goal = find_id(get(doc, "goals"), str(p, "goal"));
		if (goal == NULL) {
			cJSON_Delete(version);
			return;
		}
		cJSON_ReplaceItemInObject(goal, "text",
					  cJSON_CreateString(str(p, "text")));
		if (cJSON_IsString(get(p, "measure")))
			cJSON_ReplaceItemInObject(
				goal, "measure",
				cJSON_CreateString(str(p, "measure")));
		cJSON_AddNumberToObject(version, "seq", num(ev, "seq"));
		cJSON_AddStringToObject(version, "at", str(ev, "at"));
		cJSON_AddStringToObject(version, "text", str(goal, "text"));
		cJSON_AddStringToObject(version, "measure",
					str(goal, "measure"));
		cJSON_AddItemToArray(cJSON_GetObjectItem(goal, "versions"),
				     version);
		return;
	} else if (strcmp(type, "goal.dropped") == 0) {
		goal = find_id(get(doc, "goals"), str(p, "goal"));
		if (goal == NULL)
			return;
		cJSON_ReplaceItemInObject(goal, "status",
					  cJSON_CreateString("dropped"));
		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "seq", num(ev, "seq"));
		cJSON_AddStringToObject(item, "at", str(ev, "at"));
		cJSON_AddStringToObject(item, "phase", str(ev, "phase"));
		cJSON_AddStringToObject(item, "reason", str(p, "reason"));
		cJSON_AddItemToObject(goal, "dropped", item);
		return;
	} else if (strcmp(type, "intervention.added") == 0 ||
		   strcmp(type, "evaluation.added") == 0) {
		int intervention = type[0] == 'i';

		goal = find_id(get(doc, "goals"), str(p, "goal"));
		if (goal == NULL)
			return;
		item = record_entry(ev, p);
		if (intervention)
			cJSON_AddStringToObject(item, "type", str(p, "type"));
		else
			cJSON_AddStringToObject(item, "outcome",
						str(p, "outcome"));
		cJSON_AddStringToObject(item, "text", str(p, "text"));
		cJSON_AddItemToArray(
			cJSON_GetObjectItem(goal, intervention ? "interventions"
							       : "evaluations"),
			item);
	} else if (strcmp(type, "checkpoint.confirmed") == 0 ||
		   strcmp(type, "checkpoint.chosen") == 0) {
		cJSON *cp = find_checkpoint(phases, str(p, "checkpoint"));

		if (cp == NULL)
			return;
		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "seq", num(ev, "seq"));
		cJSON_AddStringToObject(item, "at", str(ev, "at"));
		if (cJSON_IsString(get(p, "value")))
			cJSON_AddStringToObject(item, "value", str(p, "value"));
		cJSON_AddStringToObject(item, "text", str(p, "text"));
		append(cp, "statements", item);
		return;
	} else if (strcmp(type, "phase.revisited") == 0 ||
		   strcmp(type, "session.terminated") == 0) {
		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "seq", num(ev, "seq"));
		cJSON_AddStringToObject(item, "at", str(ev, "at"));
		cJSON_AddStringToObject(item, "from", str(p, "from"));
		cJSON_AddStringToObject(item, "to", str(p, "to"));
		cJSON_AddStringToObject(item, "reason", str(p, "reason"));
		if (type[0] == 'p')
			append(doc, "revisits", item);
		else
			cJSON_ReplaceItemInObject(doc, "termination", item);
		return;
	} else if (strcmp(type, "advance.refused") == 0) {
		const cJSON *b;
		cJSON *blockers;

		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "seq", num(ev, "seq"));
		cJSON_AddStringToObject(item, "at", str(ev, "at"));
		cJSON_AddStringToObject(item, "phase", str(p, "from"));
		blockers = cJSON_AddArrayToObject(item, "blockers");
		cJSON_ArrayForEach(b, get(p, "blockers")) {
			cJSON *blocker = cJSON_CreateObject();

			cJSON_AddStringToObject(blocker, "id", str(b, "id"));
			cJSON_AddStringToObject(blocker, "label",
						str(b, "label"));
			cJSON_AddStringToObject(blocker, "message",
						str(b, "message"));
			cJSON_AddItemToArray(blockers, blocker);
		}
		append(doc, "refusals", item);
		return;
	} else if (strcmp(type, "session.closed") == 0) {
		cJSON_ReplaceItemInObject(doc, "closed_at",
					  cJSON_CreateString(str(ev, "at")));
		return;
	} else {
		return; /* moves, the start, feedback: from the log's notes */
	}
	phase_record(phases, str(ev, "phase"), str(p, "id"));
}

/* Feedback as the log gathered it, and the mean score per criterion
 * ("phase.criterion", or the phase alone), as the report computes it. */
static void add_feedback(cJSON *doc, const cJSON *log)
{
	static const char *const keep[] = { "seq", "at", "actor", "phase",
		"event", "score", "criterion", "text", NULL };
	cJSON *feedback = cJSON_AddArrayToObject(doc, "feedback");
	cJSON *scores = cJSON_AddObjectToObject(doc, "scores");
	cJSON *counts = cJSON_CreateObject();
	const cJSON *f;
	cJSON *sum;

	cJSON_ArrayForEach(f, get(log, "feedback")) {
		cJSON *item = cJSON_CreateObject(), *n;
		char key[200];

		for (const char *const *k = keep; *k != NULL; k++)
			copy_member(item, f, *k);
		cJSON_AddItemToArray(feedback, item);
		if (!cJSON_IsNumber(get(f, "score")))
			continue;
		if (cJSON_IsString(get(f, "criterion")))
			snprintf(key, sizeof(key), "%s.%s", str(f, "phase"),
				 str(f, "criterion"));
		else
			snprintf(key, sizeof(key), "%s", str(f, "phase"));
		sum = cJSON_GetObjectItemCaseSensitive(scores, key);
		n = cJSON_GetObjectItemCaseSensitive(counts, key);
		if (sum == NULL) {
			cJSON_AddNumberToObject(scores, key, num(f, "score"));
			cJSON_AddNumberToObject(counts, key, 1);
		} else {
			cJSON_SetNumberValue(sum, sum->valuedouble +
							  num(f, "score"));
			cJSON_SetNumberValue(n, n->valuedouble + 1);
		}
	}
	cJSON_ArrayForEach(sum, scores)
		cJSON_SetNumberValue(
			sum, sum->valuedouble /
				     num(counts, sum->string));
	cJSON_Delete(counts);
}

/* The visits to phases, in time order, each with how it began. */
static void add_visits(cJSON *doc, const cJSON *log)
{
	cJSON *visits = cJSON_AddArrayToObject(doc, "visits");
	const cJSON *events = get(log, "events");
	const cJSON *v;

	cJSON_ArrayForEach(v, get(log, "visits")) {
		cJSON *item = cJSON_CreateObject();
		long from = (long)num(v, "from");
		const cJSON *move = from > 1 ? cJSON_GetArrayItem(events,
								  (int)from - 2)
					     : NULL;
		const char *how = "start";

		if (move != NULL) {
			const char *type = str(move, "type");

			how = strcmp(type, "phase.revisited") == 0 ? "revisit"
			      : strcmp(type, "session.terminated") == 0
				      ? "terminate"
				      : "advance";
		}
		cJSON_AddStringToObject(item, "phase", str(v, "phase"));
		cJSON_AddStringToObject(item, "entered_by", how);
		if (has_reason(how))
			cJSON_AddStringToObject(item, "reason",
						str(get(move, "payload"),
						    "reason"));
		cJSON_AddNumberToObject(item, "from", (double)from);
		cJSON_AddNumberToObject(item, "to", num(v, "to"));
		cJSON_AddStringToObject(item, "start", str(v, "start"));
		cJSON_AddStringToObject(item, "end", str(v, "end"));
		cJSON_AddNumberToObject(item, "seconds",
					seconds_ms(num(v, "seconds")));
		cJSON_AddItemToArray(visits, item);
	}
}

static int build(cJSON **out, cw_store *s, const char *id)
{
	session_row row = { 0 };
	state st;
	char *case_text = NULL;
	cJSON *doc = NULL, *kase = NULL, *log = NULL, *wf, *progress;
	const cJSON *ev, *last;
	int error = state_load(&st, &row, s, id), met, total;

	*out = NULL;
	if (error < 0)
		goto cleanup;
	if ((error = store_case_text(s, row.case_sha256, &case_text)) < 0 ||
	    (error = cw_session_log(&log, s, id)) < 0)
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
	cJSON_AddItemToObject(doc, "phases", phase_entries(&st, log));
	cJSON_AddArrayToObject(doc, "notes");
	cJSON_AddArrayToObject(doc, "objectives");
	cJSON_AddArrayToObject(doc, "goals");
	cJSON_AddArrayToObject(doc, "referrals");
	cJSON_AddArrayToObject(doc, "revisits");
	cJSON_AddNullToObject(doc, "termination");
	cJSON_AddArrayToObject(doc, "refusals");
	cJSON_ArrayForEach(ev, get(log, "events"))
		add_event(doc, ev);
	add_feedback(doc, log);
	add_visits(doc, log);
	last = cJSON_GetArrayItem(get(log, "events"),
				  cJSON_GetArraySize(get(log, "events")) - 1);
	cJSON_AddNumberToObject(doc, "events",
				cJSON_GetArraySize(get(log, "events")));
	cJSON_AddStringToObject(doc, "head", str(last, "hash"));
	*out = doc;
	doc = NULL;
cleanup:
	cJSON_Delete(doc);
	cJSON_Delete(kase);
	cJSON_Delete(log);
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

/* ---- the writers ------------------------------------------------------ */

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
		render_markdown(out, doc);
		break;
	case CW_EXPORT_HTML:
		render_html_session(out, doc, n);
		break;
	case CW_EXPORT_CSV:
		render_csv_goal_rows(out, doc);
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
		render_html_start(out, title);
	}
	if (o->format == CW_EXPORT_CSV && !o->goals) {
		cw_session_filter f = { 0 };

		f.case_id = str(get(doc, "case"), "id");
		f.student = str(doc, "student");
		error = write_session_rows(out, s, &f, id);
	} else {
		if (o->format == CW_EXPORT_CSV)
			render_csv_goal_header(out);
		error = write_one(out, doc, o, 0, 0);
	}
	if (o->format == CW_EXPORT_HTML)
		render_html_end(out);
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
		render_html_start(out, "casework sessions");
		render_html_index(out, list);
		break;
	case CW_EXPORT_CSV:
		render_csv_goal_header(out);
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
		render_html_end(out);
	}
	return written(out);
}
