/*
 * render_doc.h - what the renderers share to read an export document
 * (schemas/session-export.schema.json, built by cw_export_session): short
 * accessors that give a neutral value for a missing member, the lookups of
 * phases and records by id, and how a span of time is written for people.
 * Private to the engine.
 *
 * Nothing here allocates or frees (but doc_escape_controls, which changes
 * the document): every string and item returned is
 * borrowed from the document (or from an argument), and lives as long as
 * the caller keeps the document.
 */
#ifndef CW_RENDER_DOC_H
#define CW_RENDER_DOC_H

#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

/* What the alias of a redacted client is replaced with; the renderers
 * show it where a redacted document has no alias. */
#define REDACTED "[client]"

/*
 * The accessors are static inline and keep the short names the renderers
 * were written with: every renderer calls them hundreds of times, and
 * inline copies put no generic names like `str` into the static library.
 * export_doc.c, which builds the document, reads it with them too.
 */

/* The string member `key` of `obj`, or "" when it is missing or not a
 * string.  Borrowed from `obj`. */
static inline const char *str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : "";
}

/* The number member `key` of `obj`, or 0 when it is missing or not a
 * number. */
static inline double num(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(item) ? item->valuedouble : 0;
}

/* Member `key` of `obj` (borrowed), or NULL. */
static inline const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Whether `obj` has a member `key`, of any type, null included. */
static inline int has(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

/* Whether a visit began with a move that has a reason. */
static inline int has_reason(const char *entered_by)
{
	return strcmp(entered_by, "revisit") == 0 ||
	       strcmp(entered_by, "terminate") == 0;
}

/* The element of `list` whose "id" is `id` (borrowed), or NULL. */
static inline cJSON *find_id(const cJSON *list, const char *id)
{
	cJSON *item;

	cJSON_ArrayForEach(item, list)
	{
		if (strcmp(str(item, "id"), id) == 0)
			return item;
	}
	return NULL;
}

/* The title of phase `id` in `doc`, or `id` itself when `doc` has no such
 * phase.  Borrowed from `doc` or `id`. */
const char *doc_phase_title(const cJSON *doc, const char *id);

/* The record `id` ("N2", "G1", "I3", ...) wherever `doc` has it: notes,
 * objectives, referrals, goals, or a goal's interventions and evaluations.
 * Borrowed from `doc`; NULL when there is none. */
const cJSON *doc_find_record(const cJSON *doc, const char *id);

/* What kind of record `id` names, for people ("goal", or a note's tag);
 * `r` is the record (may be NULL).  A static string, or borrowed from
 * `r`. */
const char *doc_record_kind(const char *id, const cJSON *r);

/* What kind of record `id` names, as `doc_record_kind` says, but with
 * every tag of a note ("strength, observation"), into the caller's
 * buffer `out` of `size` bytes. */
void doc_record_kinds(char *out, size_t size, const char *id,
		      const cJSON *r);

/* A reflection stage's id for people ("action-plan": "Action plan")
 * into the caller's buffer `out` of `size` bytes. */
void doc_stage_title(char *out, size_t size, const char *stage);

/* The case's instructor note on phase entry `ph` of `doc`, or "" (a
 * document built without --full holds none).  Borrowed from `doc`. */
const char *doc_instructor_note(const cJSON *doc, const cJSON *ph);

/* The goal ("G1") that intervention or evaluation `id` belongs to, or "".
 * Borrowed from `doc`. */
const char *doc_goal_of(const cJSON *doc, const char *id);

/*
 * The control character at `p`, if one starts there: C0 controls other
 * than a line break or a tab, DEL, and the C1 controls U+0080 to U+009F.
 * Writes how it is shown ("\x1b"; DEL and C1 as "\u007f", "\u009b") to
 * `shown` and returns how
 * many bytes of `p` it takes (1 or 2); 0 when `p` starts no control
 * character.  The one rule by which exports show such characters.
 */
int doc_control(const char *p, char shown[8]);

/*
 * Every string in `node` and below with its control characters shown as
 * doc_control says, so that no renderer passes one on raw.  0, or
 * CW_ERROR when memory ran out (the node then is partly escaped).
 */
int doc_escape_controls(cJSON *node);

/* `seconds` for people into the caller's buffer `out` of `size` bytes:
 * "45 s", "3 min", "1 h 05 min". */
void doc_duration(char *out, size_t size, double seconds);

#endif
