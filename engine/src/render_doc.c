/*
 * render_doc.c - the lookups the renderers share on an export document:
 * phases and records by id, and spans of time for people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/error.h"
#include "render_doc.h"

int doc_control(const char *p, char shown[8])
{
	const unsigned char *u = (const unsigned char *)p;

	if (u[0] < 0x20 && u[0] != '\0' && u[0] != '\n' && u[0] != '\t') {
		snprintf(shown, 8, "\\x%02x", u[0]);
		return 1;
	}
	if (u[0] == 0x7f) {
		snprintf(shown, 8, "\\u007f");
		return 1;
	}
	if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
		snprintf(shown, 8, "\\u%04x", u[1]);
		return 2;
	}
	return 0;
}

/* `s` with its control characters shown, in a new string the caller
 * frees; NULL when it has none, with *failed set when memory ran out. */
static char *escaped(const char *s, int *failed)
{
	char shown[8], *result, *w;
	size_t extra = 0;
	const char *p;
	int n;

	for (p = s; *p != '\0'; p++)
		if (doc_control(p, shown) > 0)
			extra += strlen(shown);
	if (extra == 0)
		return NULL;
	if ((result = malloc(strlen(s) + extra + 1)) == NULL) {
		*failed = 1;
		return NULL;
	}
	for (p = s, w = result; *p != '\0';) {
		if ((n = doc_control(p, shown)) > 0) {
			w = stpcpy(w, shown);
			p += n;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	return result;
}

int doc_escape_controls(cJSON *node)
{
	cJSON *child;
	int failed = 0;

	if (cJSON_IsString(node)) {
		char *text = escaped(node->valuestring, &failed);

		if (text != NULL && cJSON_SetValuestring(node, text) == NULL)
			failed = 1;
		free(text);
	}
	cJSON_ArrayForEach(child, node)
	{
		if (doc_escape_controls(child) < 0)
			failed = 1;
	}
	return failed ? cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE) : 0;
}

static const cJSON *phase_entry(const cJSON *doc, const char *id)
{
	return find_id(get(doc, "phases"), id);
}

const char *doc_phase_title(const cJSON *doc, const char *id)
{
	const cJSON *ph = phase_entry(doc, id);

	return ph != NULL ? str(ph, "title") : id;
}

/* The record `id` ("N2", "G1", "I3", ...) wherever the document has it. */
const cJSON *doc_find_record(const cJSON *doc, const char *id)
{
	const cJSON *g, *r;

	if ((r = find_id(get(doc, "notes"), id)) != NULL ||
	    (r = find_id(get(doc, "objectives"), id)) != NULL ||
	    (r = find_id(get(doc, "referrals"), id)) != NULL ||
	    (r = find_id(get(doc, "goals"), id)) != NULL)
		return r;
	cJSON_ArrayForEach(g, get(doc, "goals"))
	{
		if ((r = find_id(get(g, "interventions"), id)) != NULL ||
		    (r = find_id(get(g, "evaluations"), id)) != NULL)
			return r;
	}
	return NULL;
}

/* What kind of record an id names, for people. */
const char *doc_record_kind(const char *id, const cJSON *r)
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

void doc_record_kinds(char *out, size_t size, const char *id, const cJSON *r)
{
	const cJSON *tag;
	size_t len;

	snprintf(out, size, "%s", doc_record_kind(id, r));
	if (id[0] != 'N' || cJSON_GetArraySize(get(r, "tags")) < 2)
		return;
	out[0] = '\0';
	cJSON_ArrayForEach(tag, get(r, "tags"))
	{
		len = strlen(out);
		snprintf(out + len, size - len, "%s%s", len ? ", " : "",
			 cJSON_IsString(tag) ? tag->valuestring : "");
	}
}

void doc_stage_title(char *out, size_t size, const char *stage)
{
	snprintf(out, size, "%s", stage);
	for (char *p = out; *p != '\0'; p++)
		if (*p == '-')
			*p = ' ';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

const char *doc_instructor_note(const cJSON *doc, const cJSON *ph)
{
	return str(get(get(doc, "case"), "instructor_notes"), str(ph, "id"));
}

/* The goal a record (intervention, evaluation) belongs to: "G1". */
const char *doc_goal_of(const cJSON *doc, const char *id)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, get(doc, "goals"))
	{
		if (find_id(get(g, "interventions"), id) != NULL ||
		    find_id(get(g, "evaluations"), id) != NULL)
			return str(g, "id");
	}
	return "";
}

/* "3 min", "45 s", "1 h 05 min". */
void doc_duration(char *out, size_t size, double seconds)
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
