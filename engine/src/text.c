/*
 * text.c - the rules every text a person types must follow before it is
 * written to a log: present, not blank, UTF-8, not huge, and free of
 * control characters.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "text.h"

/* Longest text a student may record in one command. */
#define MAX_TEXT 65536

/*
 * The first control character of UTF-8 `text` that a text may not hold,
 * or -1; its code point to `*code`, its place (1-based, in characters) to
 * `*at`.  Line breaks and tabs are allowed where `lines` is set; C0 and C1
 * controls and DEL never are: printed in a log or a table they would move
 * the cursor or recolour the instructor's terminal.
 */
static long control_at(const char *text, int lines, unsigned *code)
{
	const unsigned char *p = (const unsigned char *)text;
	long at = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue; /* a continuation byte: same character */
		at++;
		if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\t'))) ||
		    *p == 0x7f) {
			*code = *p;
			return at;
		}
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			*code = p[1];
			return at;
		}
	}
	return -1;
}

/* A text a person typed: present, not blank, UTF-8, not huge, and free of
 * control characters other than line breaks and tabs (none at all in a
 * one-line text such as a name). */
int text_check(const char *text, const char *what, int lines)
{
	if (text == NULL)
		return cw_error_set(CW_EINVALID, "the %s is required", what);
	if (text_chars(text) == 0)
		return cw_error_set(CW_EINVALID, "the %s is empty", what);
	return text_check_any(text, what, lines);
}

int text_check_any(const char *text, const char *what, int lines)
{
	size_t len = text ? strlen(text) : 0;
	unsigned code = 0;
	long at;

	if (text == NULL)
		return cw_error_set(CW_EINVALID, "the %s is required", what);
	if (len > MAX_TEXT)
		return cw_error_set(
		    CW_EINVALID, "the %s is too long (%zu bytes; at most %d)",
		    what, len, MAX_TEXT);
	if (!check_is_utf8(text, len))
		return cw_error_set(CW_EINVALID, "the %s is not valid UTF-8",
				    what);
	at = control_at(text, lines, &code);
	if (at > 0)
		return cw_error_set(CW_EINVALID,
				    "the %s holds a control character (U+%04X) "
				    "at character %ld; %s",
				    what, code, at,
				    lines ? "only line breaks and tabs are "
					    "allowed"
					  : "it must be one line of text");
	return 0;
}

int text_check_actor(const char *actor)
{
	unsigned code = 0;

	if (actor == NULL || text_chars(actor) == 0)
		return cw_error_set(CW_EINVALID, "the actor name is empty");
	if (strlen(actor) > 200 || !check_is_utf8(actor, strlen(actor)))
		return cw_error_set(CW_EINVALID,
				    "the actor name is too long or not UTF-8");
	if (control_at(actor, 0, &code) > 0)
		return cw_error_set(CW_EINVALID,
				    "the actor name holds a control character "
				    "(U+%04X); it must be one line of text",
				    code);
	return 0;
}

/* Whether `word` is `name`[start, start + len) whatever the ASCII case. */
static int same_word(const char *name, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(name, word, len) == 0;
}

size_t text_bom(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

int text_name_matches(const char *name, const char *query)
{
	size_t i = 0;

	if (name == NULL || query == NULL || *query == '\0')
		return 0;
	if (strcasecmp(name, query) == 0)
		return 1;
	while (name[i] != '\0') {
		size_t len = strcspn(name + i, " \t");

		if (len > 0 && same_word(name + i, len, query))
			return 1;
		i += len;
		i += strspn(name + i, " \t");
	}
	return 0;
}

int text_chars(const char *s)
{
	const char *end;
	int n = 0;

	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (; s < end; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Edit distance with transpositions ("strenght"); long words are far. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[33][33];

	if (la > 32 || lb > 32)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

void text_near_consider(text_near *n, const char *candidate)
{
	size_t d = distance(n->word, candidate);

	if (d < n->best_distance) {
		n->best = candidate;
		n->best_distance = d;
	}
}

const char *text_near_result(const text_near *n)
{
	size_t len = strlen(n->word);

	/* a typo is a third of the word at most ("strenght", "needs") */
	return n->best_distance <= (len < 6 ? 1 : len / 3) ? n->best : NULL;
}
