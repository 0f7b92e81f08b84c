/*
 * state_feedback.c - the part of the replay that folds feedback events:
 * comments, scores, several scores in one event, and a score given again
 * replacing the earlier one.  state.c hands each feedback event here.
 */
#include <stdlib.h>
#include <string.h>

#include "state.h"

static const char *text_of(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Whether two strings, either of which may be NULL, are the same. */
static int same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static int add_entry(state *st, const cJSON *p, long seq, const cJSON *score,
		     const char *criterion)
{
	const cJSON *event = cJSON_GetObjectItemCaseSensitive(p, "event");
	feedback_entry *f;

	if (text_of(p, "text") == NULL)
		return CW_ERROR;
	if (st->feedback_count == st->feedback_cap) {
		size_t more = st->feedback_cap ? st->feedback_cap * 2 : 16;
		feedback_entry *grown =
		    realloc(st->feedback, more * sizeof(*grown));

		if (grown == NULL) {
			st->oom = 1;
			return CW_ERROR;
		}
		st->feedback = grown;
		st->feedback_cap = more;
	}
	f = &st->feedback[st->feedback_count++];
	*f = (feedback_entry){
	    .seq = seq,
	    .at = st->events[seq - 1].at,
	    .actor = st->events[seq - 1].actor,
	    .phase = text_of(p, "phase"),
	    .event = cJSON_IsNumber(event) ? event->valueint : 0,
	    .scored = cJSON_IsNumber(score),
	    .score = cJSON_IsNumber(score) ? score->valuedouble : 0,
	    .criterion = criterion,
	    .text = text_of(p, "text")};
	/* a score given again replaces the earlier one (both stay logged) */
	for (size_t i = 0; f->scored && i + 1 < st->feedback_count; i++) {
		feedback_entry *e = &st->feedback[i];

		if (e->scored && !e->replaced && same(e->actor, f->actor) &&
		    same(e->phase, f->phase) && same(e->criterion, f->criterion))
			e->replaced = 1;
	}
	return 0;
}

int state_add_feedback(state *st, const cJSON *p, long seq)
{
	const cJSON *scores = cJSON_GetObjectItemCaseSensitive(p, "scores");
	const cJSON *sc;

	if (scores == NULL)
		return add_entry(st, p, seq,
				 cJSON_GetObjectItemCaseSensitive(p, "score"),
				 text_of(p, "criterion"));
	/* several criteria scored in one command: an entry for each */
	if (!cJSON_IsObject(scores) || scores->child == NULL)
		return CW_ERROR;
	cJSON_ArrayForEach(sc, scores)
	{
		if (!cJSON_IsNumber(sc) ||
		    add_entry(st, p, seq, sc, sc->string) < 0)
			return CW_ERROR;
	}
	return 0;
}
