/*
 * text.h - rules for the texts people type (notes, statements, reasons,
 * names).  Private to the engine; nothing here allocates.  Where case
 * does not matter, it does not for any script: texts are compared
 * character by character, each case-folded and decomposed (utf8proc), so
 * that "ZOË", "zoë" and a "Zoë" typed with a combining diaeresis match.
 */
#include <stddef.h>

#ifndef CW_TEXT_H
#define CW_TEXT_H

/*
 * 0 when `text` may be recorded as the `what` ("note", "reason
 * (--reason)"): present, not blank, UTF-8, at most 64 KiB, without
 * control characters other than line breaks and tabs (none at all unless
 * `lines`).  Otherwise CW_EINVALID with a message naming `what`.
 */
int text_check(const char *text, const char *what, int lines);

/* The same rules without the one against an empty text: for texts that
 * come from a file (a bundle's payloads), where an empty value may be
 * part of the data. */
int text_check_any(const char *text, const char *what, int lines);

/* 0 when `actor` is a usable actor name (one line of UTF-8 text, at most
 * 200 bytes); otherwise CW_EINVALID. */
int text_check_actor(const char *actor);

/* Characters (code points) of `s`, not counting surrounding white space;
 * 0 for NULL. */
int text_chars(const char *s);

/* Whether a student's `name` is what someone typed as `query`: the whole
 * name or one word of it, whatever the case: "ana" and "LIMA" find "Ana
 * Lima", "ZOË" finds "Zoë Ñúñez"; "an" does not. */
int text_name_matches(const char *name, const char *query);

/* Whether `a` and `b` are the same text whatever the case. */
int text_same(const char *a, const char *b);

/* The bytes of `text` (`len` of them) that `word` (`wlen`) matches at its
 * start, whatever the case, ending on a whole character of `text`; 0 when
 * it does not begin with `word`. */
size_t text_starts_with(const char *text, size_t len, const char *word,
			size_t wlen);

/* Whether the character at `s` (UTF-8) is part of a word: a letter, a
 * combining mark or a digit, in any script.  Its length to `*len`. */
int text_word_char(const char *s, size_t *len);

/* Whether the character before `p`, within `text`, is part of a word. */
int text_word_before(const char *text, const char *p);

/* The length of the UTF-8 byte order mark `text` (`len` bytes) begins
 * with: 3, or 0 without one.  A JSON reader may skip it (RFC 8259); what
 * is stored and hashed is the text after it. */
size_t text_bom(const char *text, size_t len);

/*
 * The nearest of several words to a mistyped one: start with
 * `text_near n = { word, NULL, 99 };`, consider each candidate, then ask
 * for the result: the nearest candidate when it is near enough to be a
 * typo of `word` (edit distance, transpositions counted once, at most a
 * third of the word), or NULL.  Candidates are borrowed, not copied.
 */
typedef struct text_near {
	const char *word, *best;
	size_t best_distance;
} text_near;
void text_near_consider(text_near *n, const char *candidate);
const char *text_near_result(const text_near *n);

#endif
