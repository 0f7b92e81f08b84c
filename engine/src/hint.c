/*
 * hint.c - hints on the quality of a session's work, computed from the
 * replayed state each time they are asked for (never stored, never
 * blocking): a goal whose measure holds nothing to measure by, a goal
 * with no time frame, a text too short to say much, a text given twice.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

/* Fewer words than this is too short for a note, statement or stage;
 * for a goal, objective, intervention, evaluation or referral, which may
 * be one short line ("Rent arrears cleared"), fewer than three. */
#define SHORT_WORDS 5
#define SHORT_RECORD_WORDS 3

/* Words (lower case, a plural's "s" dropped) that make a measure
 * measurable: numbers, frequencies, comparisons, observable acts. */
static const char *const measurable_words[] = {
    "one",     "two",     "three",	"four",	   "five",     "six",
    "seven",   "eight",   "nine",	"ten",	   "twelve",   "twenty",
    "once",    "twice",   "half",	"all",	   "none",     "every",
    "each",    "daily",   "weekly",	"monthly", "per",      "time",
    "percent", "least",   "most",	"fewer",   "more",     "less",
    "score",   "scale",   "rating",	"attend",  "complete", "report",
    "say",     "arrive",  "submit",	"call",	   "visit",    "use",
    "record",  "count",   "without",	"no",	   "zero",     "always",
    "never",   "attendance", "session",	NULL};

/* Words that give a time frame. */
static const char *const time_words[] = {
    "week",	"fortnight", "month",	  "year",     "term",	  "semester",
    "today",	"tomorrow",  "tonight",	  "within",   "until",	  "deadline",
    "end",	"next",	     "monday",	  "tuesday",  "wednesday", "thursday",
    "friday",	"saturday",  "sunday",	  "january",  "february", "march",
    "april",	"may",	     "june",	  "july",     "august",	  "september",
    "october",	"november",  "december",  "christmas", "easter",  "summer",
    "holiday",	"half-term", "review",	  "weekend",  NULL};

/* Whether `text` holds one of `words` as a whole word (ASCII letters and
 * hyphens, any case; a final "s" may be dropped). */
static int has_word(const char *text, const char *const *words)
{
	const char *s = text;

	while (s && *s) {
		char word[32];
		size_t n = 0;

		while (*s && !isalpha((unsigned char)*s) && *s != '-')
			s++;
		while (*s && (isalpha((unsigned char)*s) || *s == '-')) {
			if (n + 1 < sizeof(word))
				word[n++] = (char)tolower((unsigned char)*s);
			s++;
		}
		word[n] = '\0';
		for (int pass = 0; n > 0 && pass < 2; pass++) {
			for (size_t i = 0; words[i] != NULL; i++)
				if (strcmp(word, words[i]) == 0)
					return 1;
			if (n < 3 || word[n - 1] != 's')
				break;
			word[--n] = '\0';
		}
	}
	return 0;
}

static int has_digit(const char *text)
{
	return text && strpbrk(text, "0123456789") != NULL;
}

/* Words: runs of characters that are not white space. */
static int word_count(const char *text)
{
	int n = 0, in = 0;

	for (const char *s = text; s && *s; s++) {
		int space = isspace((unsigned char)*s);

		n += !space && !in;
		in = !space;
	}
	return n;
}

/* Whether `a` and `b` are the same text, case, spacing and a final full
 * stop aside. */
static int same_text(const char *a, const char *b)
{
	for (;;) {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if ((*a == '.' && a[1 + strspn(a + 1, " \t\r\n")] == '\0'))
			a += strlen(a);
		if ((*b == '.' && b[1 + strspn(b + 1, " \t\r\n")] == '\0'))
			b += strlen(b);
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		/* a run of spaces in one matches a run in the other */
		if (isspace((unsigned char)a[1]) != isspace((unsigned char)b[1]))
			return 0;
		a++;
		b++;
	}
}

/* A text of the session that hints look at. */
typedef struct given {
	char name[96]; /* "N2", "purpose-explained", "reflection:feelings" */
	const char *text;
	long seq; /* the event that gave the text */
	int min_words; /* fewer is too short to say anything */
} given;

/* Every text the session holds now, in the order they were given. */
static given *gather(const state *st, size_t *count)
{
	size_t n = 0, cap = st->record_count + st->answer_count +
			    st->reflection_count + 1;
	given *g = calloc(cap, sizeof(*g));

	if (g == NULL)
		return NULL;
	for (size_t i = 0; i < st->record_count; i++) {
		const record *r = &st->records[i];

		if (r->struck || r->text == NULL)
			continue;
		snprintf(g[n].name, sizeof(g[n].name), "%c%d",
			 record_letter(r->kind), r->number);
		g[n].text = r->text;
		g[n].seq = r->text_seq;
		g[n++].min_words = r->dropped		     ? 0
				   : r->kind == CW_RECORD_NOTE ? SHORT_WORDS
							       : SHORT_RECORD_WORDS;
	}
	for (size_t i = 0; i < st->answer_count; i++) {
		snprintf(g[n].name, sizeof(g[n].name), "%s",
			 st->answers[i].checkpoint);
		g[n].text = st->answers[i].text;
		g[n].seq = st->answers[i].text_seq;
		g[n++].min_words = SHORT_WORDS;
	}
	for (size_t i = 0; i < st->reflection_count; i++) {
		const reflection_stage *r = &st->reflections[i];

		snprintf(g[n].name, sizeof(g[n].name), "%s:%s", r->checkpoint,
			 r->stage);
		g[n].text = r->text;
		g[n].seq = r->seq;
		g[n++].min_words = SHORT_WORDS;
	}
	/* the order the texts were given, so "repeated" names the later */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && g[k - 1].seq > g[k].seq; k--) {
			given t = g[k];

			g[k] = g[k - 1];
			g[k - 1] = t;
		}
	*count = n;
	return g;
}

/* Add {record, code, message} to `list`; 1, or 0 when out of memory. */
static int add(cJSON *list, const char *name, const char *code,
	       const char *message)
{
	cJSON *h = cJSON_CreateObject();

	if (h == NULL || !cJSON_AddItemToArray(list, h))
		return cJSON_Delete(h), 0;
	return cJSON_AddStringToObject(h, "record", name) &&
	       cJSON_AddStringToObject(h, "code", code) &&
	       cJSON_AddStringToObject(h, "message", message);
}

/* The hints on goal `r`. */
static int goal_hints(cJSON *list, const record *r, const char *name)
{
	int ok = 1;

	if (!has_digit(r->measure) && !has_word(r->measure, measurable_words))
		ok = add(list, name, "goal-not-measurable",
			 "the measure gives nothing to check progress by: "
			 "name a number, a frequency or something others "
			 "can see (\"attends 9 of 10 school days\")");
	if (ok && !has_word(r->text, time_words) &&
	    !has_word(r->measure, time_words))
		ok = add(list, name, "goal-no-timeframe",
			 "neither the goal nor its measure says by when: "
			 "add a time frame (\"within six weeks\", \"by the "
			 "end of term\")");
	return ok;
}

cJSON *state_hints_json(const state *st, long only_seq)
{
	cJSON *list = cJSON_CreateArray();
	size_t n = 0;
	given *g = list ? gather(st, &n) : NULL;
	int ok = g != NULL;

	for (size_t i = 0; ok && i < n; i++) {
		const record *r = state_named(st, g[i].name);
		char message[200];

		if (only_seq > 0 && g[i].seq != only_seq)
			continue;
		if (r != NULL && r->kind == CW_RECORD_GOAL && !r->dropped)
			ok = goal_hints(list, r, g[i].name);
		if (ok && word_count(g[i].text) < g[i].min_words)
			ok = add(list, g[i].name, "too-short",
				 g[i].min_words == SHORT_WORDS
				     ? "fewer than five words says little: "
				       "write what happened, who said it and "
				       "what it means"
				     : "one or two words say little: say what "
				       "it is, for whom, and what it is for");
		for (size_t k = 0; ok && k < i; k++) {
			if (!same_text(g[k].text, g[i].text))
				continue;
			snprintf(message, sizeof(message),
				 "the same text as %s: each record should "
				 "say something of its own",
				 g[k].name);
			ok = add(list, g[i].name, "repeated-text", message);
			break;
		}
	}
	free(g);
	if (!ok) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}
