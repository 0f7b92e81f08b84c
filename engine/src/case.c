/*
 * case.c - sample cases: the rules of schemas/case.schema.json, import
 * with content hashes so sessions keep the text they began on, listing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casework/case.h"
#include "casework/workflow.h"
#include "case.h"
#include "check.h"
#include "workflow_checkpoint.h"
#include "store.h"
#include "text.h"

static const char *const settings[] = { "school", "child-protection",
	"mental-health", "healthcare", "substance-use", "gerontology",
	"community", "family-welfare", NULL };
static const char *const urgencies[] = { "routine", "urgent", "immediate",
					 NULL };
/* The keys of a case, its client, its referral and a phase's material, in
 * the schema's order (the order a staged case shows them in). */
static const char *const case_keys[] = { "id", "title", "setting", "summary",
	"client", "referral", "background", "workflow", "risk_flags", "phases",
	"instructor_notes", "events", NULL };
static const char *const client_keys[] = { "alias", "age", "pronouns",
	"household", "language", "identifiers", NULL };
static const char *const referral_keys[] = { "source", "reason", "urgency",
					     NULL };
static const char *const material_keys[] = { "material", "prompts", NULL };

/* 1 when `id` is a phase of the standard workflow or a stored one. */
static int known_phase(cw_store *s, const cw_workflow *standard,
		       const char *id)
{
	int found = 0;

	if (standard != NULL && cw_workflow_phase_index(standard, id) >= 0)
		return 1;
	if (s != NULL && store_phase_known(s, id, &found) < 0)
		return 0;
	return found;
}

/* An object keyed by phase id whose values are checked by `each`. */
static void check_phase_map(checker *c, cw_store *s,
			    const cw_workflow *standard, const cJSON *map,
			    int notes)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, map) {
		size_t mark = check_key(c, item->string);

		if (!check_is_id(item->string) ||
		    !known_phase(s, standard, item->string)) {
			check_fail(c, "unknown-phase",
				   "'%s' is not a phase of any known workflow "
				   "(standard: preparation, introduction, "
				   "exploration, assessment, goal-setting, "
				   "intervention, evaluation, termination)",
				   item->string);
		} else if (notes) {
			if (!cJSON_IsString(item))
				check_fail(c, "wrong-type",
					   "expected a string, found %s",
					   check_type_name(item));
			else if (item->valuestring[strspn(item->valuestring,
							  " \t\r\n")] == '\0')
				check_fail(c, "empty", "must not be empty");
			else if (!check_is_utf8(item->valuestring,
						strlen(item->valuestring)))
				check_fail(c, "bad-utf8",
					   "the text is not valid UTF-8");
		} else if (!cJSON_IsObject(item)) {
			check_fail(c, "wrong-type",
				   "expected an object, found %s",
				   check_type_name(item));
		} else {
			check_known_keys(c, item, material_keys);
			check_string(c, item, "material", 1);
			check_strings(c, item, "prompts", 0);
		}
		check_back(c, mark);
	}
}

/* A phase id of a client event, at `key` of `obj`. */
static void check_event_phase(checker *c, cw_store *s,
			      const cw_workflow *standard, const cJSON *obj,
			      const char *key)
{
	const char *phase = check_id(c, obj, key, 1);
	size_t mark;

	if (phase == NULL || known_phase(s, standard, phase))
		return;
	mark = check_key(c, key);
	check_fail(c, "unknown-phase",
		   "'%s' is not a phase of any known workflow", phase);
	check_back(c, mark);
}

/* One entry of an event's `add`: {"phase", "checkpoint"}. */
static void check_event_add(checker *c, cw_store *s,
			    const cw_workflow *standard, const cJSON *add)
{
	static const char *const known[] = { "phase", "checkpoint", NULL };
	const cJSON *cp;
	cw_checkpoint parsed;
	size_t mark;

	if (!cJSON_IsObject(add)) {
		check_fail(c, "wrong-type", "expected an object, found %s",
			   check_type_name(add));
		return;
	}
	check_known_keys(c, add, known);
	check_event_phase(c, s, standard, add, "phase");
	if ((cp = check_object(c, add, "checkpoint", 1)) == NULL)
		return;
	memset(&parsed, 0, sizeof(parsed));
	mark = check_key(c, "checkpoint");
	workflow_parse_checkpoint(c, cp, &parsed);
	free((void *)parsed.options);
	check_back(c, mark);
}

/*
 * The optional `events`: each {"id", "when": {"phase", "records"}, "text",
 * "reopen", "add"}, ids unique.  Whether the phases and checkpoints fit
 * the workflow a session starts on is checked by `start` (fire.c).
 */
static void check_events(checker *c, cw_store *s, const cw_workflow *standard,
			 const cJSON *root)
{
	static const char *const known[] = { "id", "when", "text", "reopen",
		"add", NULL };
	static const char *const when_keys[] = { "phase", "records", NULL };
	const cJSON *events = check_array(c, root, "events", 0), *ev;
	size_t top, i = 0;

	if (events == NULL)
		return;
	top = check_key(c, "events");
	cJSON_ArrayForEach(ev, events) {
		size_t at = check_index(c, i++), mark, j = 0;
		const cJSON *when, *list, *item;
		const char *id;
		long records;

		if (!cJSON_IsObject(ev)) {
			check_fail(c, "wrong-type",
				   "an event must be an object, found %s",
				   check_type_name(ev));
			check_back(c, at);
			continue;
		}
		check_known_keys(c, ev, known);
		id = check_id(c, ev, "id", 1);
		for (const cJSON *o = events->child; id != NULL && o != ev;
		     o = o->next) {
			const cJSON *oid = cJSON_GetObjectItem(o, "id");

			if (cJSON_IsString(oid) &&
			    strcmp(oid->valuestring, id) == 0) {
				mark = check_key(c, "id");
				check_fail(c, "duplicate-id",
					   "event '%s' is listed twice", id);
				check_back(c, mark);
				break;
			}
		}
		if ((when = check_object(c, ev, "when", 1)) != NULL) {
			mark = check_key(c, "when");
			check_known_keys(c, when, when_keys);
			check_event_phase(c, s, standard, when, "phase");
			check_int(c, when, "records", 0, 0, 1000, &records);
			check_back(c, mark);
		}
		check_string(c, ev, "text", 1);
		if ((list = check_array(c, ev, "reopen", 0)) != NULL) {
			mark = check_key(c, "reopen");
			cJSON_ArrayForEach(item, list) {
				size_t m = check_index(c, j++);

				if (!cJSON_IsString(item) ||
				    !check_is_id(item->valuestring))
					check_fail(c, "bad-id",
						   "a checkpoint id such as "
						   "'risk-level' was expected");
				check_back(c, m);
			}
			check_back(c, mark);
		}
		j = 0;
		if ((list = check_array(c, ev, "add", 0)) != NULL) {
			mark = check_key(c, "add");
			cJSON_ArrayForEach(item, list) {
				size_t m = check_index(c, j++);

				check_event_add(c, s, standard, item);
				check_back(c, m);
			}
			check_back(c, mark);
		}
		check_back(c, at);
	}
	check_back(c, top);
}

static void check_case(checker *c, cw_store *s, const cJSON *root)
{
	cw_workflow *standard = NULL;
	cw_diags ignored = CW_DIAGS_INIT;
	const cJSON *obj;
	size_t len, mark;
	const char *text = cw_workflow_standard_text(&len);
	long age;

	if (!cJSON_IsObject(root)) {
		check_fail(c, "wrong-type", "a case must be a JSON object");
		return;
	}
	cw_workflow_parse(&standard, &ignored, text, len);
	cw_diags_free(&ignored);

	check_known_keys(c, root, case_keys);
	check_id(c, root, "id", 1);
	check_id(c, root, "workflow", 0);
	check_string(c, root, "title", 1);
	check_enum(c, root, "setting", 1, settings);
	check_string(c, root, "summary", 1);
	check_string(c, root, "background", 1);
	check_strings(c, root, "risk_flags", 0);

	if ((obj = check_object(c, root, "client", 1)) != NULL) {
		mark = check_key(c, "client");
		check_known_keys(c, obj, client_keys);
		check_string(c, obj, "alias", 1);
		check_int(c, obj, "age", 0, 0, 120, &age);
		check_string(c, obj, "pronouns", 0);
		check_string(c, obj, "household", 0);
		check_string(c, obj, "language", 0);
		check_strings(c, obj, "identifiers", 0);
		check_back(c, mark);
	}
	if ((obj = check_object(c, root, "referral", 1)) != NULL) {
		mark = check_key(c, "referral");
		check_known_keys(c, obj, referral_keys);
		check_string(c, obj, "source", 1);
		check_string(c, obj, "reason", 1);
		check_enum(c, obj, "urgency", 1, urgencies);
		check_back(c, mark);
	}
	if ((obj = check_object(c, root, "phases", 1)) != NULL) {
		mark = check_key(c, "phases");
		check_phase_map(c, s, standard, obj, 0);
		check_back(c, mark);
	}
	if ((obj = check_object(c, root, "instructor_notes", 0)) != NULL) {
		mark = check_key(c, "instructor_notes");
		check_phase_map(c, s, standard, obj, 1);
		check_back(c, mark);
	}
	check_events(c, s, standard, root);
	cw_workflow_free(standard);
}

/* Parse and check; on success `*out` is the document (caller frees). */
static int parse_case(cJSON **out, cw_diags *diags, cw_store *s,
		      const char *text, size_t len)
{
	checker c;
	size_t before = diags->count;
	cJSON *root;

	*out = NULL;
	check_init(&c, diags);
	if (len > CW_MAX_FILE_SIZE) {
		check_fail(&c, "too-large",
			   "the file is %zu bytes; a case may be at most %d",
			   len, CW_MAX_FILE_SIZE);
		return cw_error_set(CW_ESCHEMA, "$: the file is too large");
	}
	root = check_parse(&c, text, len);
	if (root != NULL)
		check_case(&c, s, root);
	if (diags->count == before) {
		*out = root;
		return 0;
	}
	cJSON_Delete(root);
	return cw_error_set(CW_ESCHEMA, "%s: %s", diags->items[before].path,
			    diags->items[before].message);
}

int cw_case_validate(cw_diags *diags, cw_store *s, const char *text,
		     size_t len)
{
	cJSON *root = NULL;
	int error = parse_case(&root, diags, s, text, len);

	cJSON_Delete(root);
	return error;
}

int cw_case_import(cJSON **out, cw_store *s, cw_diags *diags,
		   const char *text, size_t len, int replace)
{
	cJSON *root = NULL;
	char *stored = NULL, *stored_sha = NULL, *copy = NULL;
	char sha[65], at[32];
	const char *id, *result = "imported";
	int owned = 0, error;
	time_t now = time(NULL);
	struct tm tm;
	size_t bom;

	*out = NULL;
	/* on a class server, an instructor's act */
	if ((error = store_require_instructor(s, "import cases")) < 0)
		return error;
	/* a byte order mark is read past, not stored (a server's json
	 * column refuses it) */
	bom = text_bom(text, len);
	text += bom;
	len -= bom;
	if ((error = parse_case(&root, diags, s, text, len)) < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		goto cleanup;
	id = cJSON_GetObjectItem(root, "id")->valuestring;
	store_sha256(sha, text, len);
	error = store_case_get(s, id, &stored, &stored_sha);
	if (error == 0 && strcmp(stored_sha, sha) == 0) {
		result = "unchanged";
		goto done;
	}
	if (error == 0 && !replace) {
		error = cw_error_set(CW_EREFUSED,
				     "case '%s' is already imported with other "
				     "content; use --replace to replace it "
				     "(running sessions keep their text)",
				     id);
		goto done;
	}
	if (error == 0)
		result = "replaced";
	else if (error != CW_ENOTFOUND)
		goto done;
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	copy = strndup(text, len);
	error = copy ? store_case_put(
			       s, id, cJSON_GetObjectItem(root, "title")->valuestring,
			       cJSON_GetObjectItem(root, "setting")->valuestring,
			       copy, sha, at)
		     : cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
done:
	if (error == 0) {
		*out = cJSON_CreateObject();
		cJSON_AddStringToObject(*out, "id", id);
		cJSON_AddStringToObject(
			*out, "title",
			cJSON_GetObjectItem(root, "title")->valuestring);
		cJSON_AddStringToObject(*out, "result", result);
	}
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
cleanup:
	cJSON_Delete(root);
	free(stored);
	free(stored_sha);
	free(copy);
	return error;
}

int cw_case_get(cJSON **out, cw_store *s, const char *id)
{
	char *text = NULL;
	int error = store_case_get(s, id, &text, NULL);

	*out = NULL;
	if (error < 0)
		return error;
	*out = cJSON_Parse(text);
	free(text);
	return *out ? 0 : cw_error_set(CW_ERROR, "stored case %s is damaged", id);
}

/* Move member `name` of object `obj` to its end: 1 if it has one, else 0. */
static int move_last(cJSON *obj, const char *name)
{
	cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(obj, name);

	if (item == NULL)
		return 0;
	cJSON_AddItemToArray(obj, item);
	return 1;
}

/* Move the first `others` members of `obj` to its end, as they were. */
static void others_last(cJSON *obj, int others)
{
	while (others-- > 0 && obj->child != NULL)
		cJSON_AddItemToArray(obj,
				     cJSON_DetachItemViaPointer(obj, obj->child));
}

/* Put the members of object `obj` named in `names` (NULL-ended) in that
 * order, and the others after them as they were: a backend may give a
 * case's text back with its keys in an order of its own (a class
 * server's jsonb sorts them). */
static void order_keys(cJSON *obj, const char *const *names)
{
	int others;

	if (!cJSON_IsObject(obj))
		return;
	others = cJSON_GetArraySize(obj);
	for (; *names != NULL; names++)
		others -= move_last(obj, *names);
	others_last(obj, others);
}

/* The same for an object keyed by phase: in the order of workflow `wf`. */
static void order_phases(cJSON *obj, const cw_workflow *wf)
{
	int others;

	if (!cJSON_IsObject(obj) || wf == NULL)
		return;
	others = cJSON_GetArraySize(obj);
	for (size_t i = 0; i < wf->phase_count; i++)
		others -= move_last(obj, wf->phases[i].id);
	others_last(obj, others);
}

void case_stage(cJSON *kase, case_reached_fn reached, void *payload,
		int full, const cw_workflow *wf)
{
	cJSON *phases = cJSON_GetObjectItem(kase, "phases"), *ph;

	order_keys(kase, case_keys);
	order_keys(cJSON_GetObjectItem(kase, "client"), client_keys);
	order_keys(cJSON_GetObjectItem(kase, "referral"), referral_keys);
	order_phases(phases, wf);
	cJSON_ArrayForEach(ph, phases)
		order_keys(ph, material_keys);
	if (full) {
		/* an author's or instructor's view: all of it */
		order_phases(cJSON_GetObjectItem(kase, "instructor_notes"), wf);
		return;
	}
	ph = phases ? phases->child : NULL;
	while (ph != NULL) {
		cJSON *next = ph->next;
		int keep = ph->string != NULL &&
			   (reached ? reached(ph->string, payload)
				    : strcmp(ph->string, "preparation") == 0);

		if (!keep)
			cJSON_Delete(cJSON_DetachItemViaPointer(phases, ph));
		ph = next;
	}
	cJSON_DeleteItemFromObject(kase, "instructor_notes");
	/* the turns the case has in store: a student meets each one when it
	 * fires (status, guide, log), not ahead of it */
	cJSON_DeleteItemFromObject(kase, "events");
}

int case_workflow_meant(cw_workflow **out, cw_store *s, const cJSON *kase)
{
	cw_diags diags = CW_DIAGS_INIT;
	const cJSON *named = cJSON_GetObjectItem(kase, "workflow");
	char *text = NULL;
	int error;

	*out = NULL;
	/* only read: this is asked in a read transaction */
	error = store_workflow_get(
		s, cJSON_IsString(named) ? named->valuestring : "standard", 0,
		&text, NULL);
	if (error == 0)
		error = cw_workflow_parse(out, &diags, text, strlen(text));
	cw_diags_free(&diags);
	free(text);
	return error;
}

int cw_case_full_allowed(cw_store *s, const char *actor)
{
	int role = store_identity(s, NULL);

	/* every user of a database file is its author or instructor; on a
	 * class server a student sees the case as far as the session goes */
	(void)actor;
	if (role < 0)
		return role;
	if (role == STORE_ROLE_STUDENT)
		return cw_error_set(
			CW_EREFUSED,
			"on this class server only an instructor may see a case "
			"in full (--full); a student sees the summary, the "
			"referral, the background and the material of each "
			"phase the session has reached (see 'casework case "
			"show CASE' and 'casework guide')");
	return 0;
}
