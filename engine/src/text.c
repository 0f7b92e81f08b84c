/*
 * text.c - the rules every text a person types must follow before it is
 * written to a log: present, not blank, UTF-8, not huge, and free of
 * control characters.
 */
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "casework/text.h"
#include "check.h"
#include "text.h"

/* The most code points one character folds to ("ﬃ" is three). */
#define FOLD_MAX 18

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

size_t text_bom(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

/* A text read one code point at a time, each character case-folded and
 * decomposed, so that "ZOË" and "zoe\u0308" read alike.  A byte that is
 * not UTF-8 stands for itself, beyond every character. */
typedef struct folded {
	const unsigned char *p, *end;
	utf8proc_int32_t buf[FOLD_MAX];
	utf8proc_ssize_t n, i;
} folded;

static utf8proc_int32_t folded_next(folded *f)
{
	while (f->i == f->n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len;

		if (f->p >= f->end)
			return -1;
		len = utf8proc_iterate(f->p, f->end - f->p, &cp);
		if (len <= 0) {
			f->buf[0] = 0x110000 + *f->p;
			f->n = 1;
			len = 1;
		} else {
			f->n = utf8proc_decompose_char(
			    cp, f->buf, FOLD_MAX,
			    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				 UTF8PROC_CASEFOLD,
			    NULL);
			if (f->n < 1 || f->n > FOLD_MAX) {
				f->buf[0] = cp;
				f->n = 1;
			}
		}
		f->p += len;
		f->i = 0;
	}
	return f->buf[f->i++];
}

size_t text_starts_with(const char *text, size_t len, const char *word,
			size_t wlen)
{
	folded t = { (const unsigned char *)text,
		     (const unsigned char *)text + len, { 0 }, 0, 0 };
	folded w = { (const unsigned char *)word,
		     (const unsigned char *)word + wlen, { 0 }, 0, 0 };
	utf8proc_int32_t c;

	if (wlen == 0)
		return 0;
	while ((c = folded_next(&w)) >= 0)
		if (folded_next(&t) != c)
			return 0;
	/* "Zoe" is not the start of "Zoë" written with its mark apart: the
	 * caller asks whether a word goes on after it */
	return t.i == t.n ? (size_t)(t.p - (const unsigned char *)text) : 0;
}

int text_same(const char *a, const char *b)
{
	size_t len = strlen(a);

	return len == 0 ? *b == '\0'
			: text_starts_with(a, len, b, strlen(b)) == len;
}

int text_word_char(const char *s, size_t *len)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      -1, &cp);

	*len = n > 0 ? (size_t)n : 1;
	if (n <= 0)
		return 0;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

int text_word_before(const char *text, const char *p)
{
	const char *q = p - 1;
	size_t len;

	if (p == text)
		return 0;
	/* back over continuation bytes to where that character starts */
	while (q > text && p - q < 4 && ((unsigned char)*q & 0xc0) == 0x80)
		q--;
	return text_word_char(q, &len) && q + len == p;
}

int text_name_matches(const char *name, const char *query)
{
	size_t i = 0, qlen;

	if (name == NULL || query == NULL || *query == '\0')
		return 0;
	if (text_same(name, query))
		return 1;
	qlen = strlen(query);
	while (name[i] != '\0') {
		size_t len = strcspn(name + i, " \t");

		if (len > 0 && text_starts_with(name + i, len, query, qlen) == len)
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

size_t cw_text_distance(const char *a, const char *b)
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
	size_t d = cw_text_distance(n->word, candidate);

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
