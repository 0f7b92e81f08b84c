/*
 * state.h - a session's state, rebuilt by replaying its events, and the
 * judgement of checkpoints on it.  Private to the engine.
 *
 * The state owns the parsed payload of every event; records and answers
 * borrow their strings from those payloads.
 */
#ifndef CW_STATE_H
#define CW_STATE_H

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "store.h"

typedef struct record {
	cw_record_kind kind;
	int number;          /* the 1 of G1 */
	long seq;            /* the event that made it */
	const char *text;
	const char *tag;     /* note */
	const char *term;    /* goal: short or long */
	const char *measure; /* goal */
	const char *type;    /* intervention */
	const char *outcome; /* evaluation */
	int goal;            /* intervention, evaluation: the goal's number */
	int dropped;         /* goal */
	const char *drop_reason;
} record;

/* The latest statement for a confirm or choice checkpoint. */
typedef struct answer {
	const char *checkpoint;
	const char *value; /* choice only */
	const char *text;
	long seq;
} answer;

typedef struct state {
	cw_workflow *wf;
	int wf_borrowed; /* wf belongs to the store's catalog cache */
	size_t phase;
	int closed;
	long seq;
	char head[65];
	char last_at[32];
	record *records;
	size_t record_count, record_cap;
	answer *answers;
	size_t answer_count, answer_cap;
	int next[CW_RECORD_KIND_COUNT]; /* the next number of each kind */
	size_t *event_phase; /* the phase each event happened in, by seq - 1 */
	size_t event_cap;
	cJSON *payloads;
} state;

/* How a checkpoint stands. */
typedef struct verdict {
	int met;
	int have;
	int need;
	char message[320]; /* why it is unmet, or what meets it */
	char command[200]; /* the command that would satisfy it */
} verdict;

/* Start an empty state on workflow `wf`, which the state takes over. */
int state_init(state *st, cw_workflow *wf);
void state_clear(state *st);

/*
 * Replay session `id` into `st` (free with state_clear, even on failure;
 * the workflow is borrowed from the store's cache), with its row in `row`
 * (free with session_row_clear).
 */
int state_load(state *st, session_row *row, cw_store *s, const char *id);

/* Apply one event; fails (CW_ERROR) on an event that makes no sense. */
int state_apply(state *st, const event_row *ev);

/* Judge checkpoint `cp` on the session's records. */
void state_judge(const state *st, const cw_checkpoint *cp, verdict *out);

/* Checkpoints met over the whole workflow, and their total. */
void state_progress(const state *st, int *met, int *total);

/* The current phase's checkpoints as JSON: id, label, kind, met, have,
 * need, message, command; `unmet_only` keeps the blockers.  NULL when an
 * allocation failed (never a list with a part missing).  Caller frees. */
cJSON *state_checkpoints_json(const state *st, size_t phase, int unmet_only);

/* The record of `kind` numbered `number`, or NULL. */
const record *state_record(const state *st, cw_record_kind kind, int number);

/* Characters (code points) of `s`, not counting surrounding white space. */
int text_chars(const char *s);

/* The letter of a record kind's names: G, I, E, O, R, N. */
char record_letter(cw_record_kind kind);

#endif
