/*
 * state.h - a session's state, rebuilt by replaying its events (state.c,
 * the one interpreter of events), and the judgement of checkpoints on it
 * (judge.c).  Private to the engine.
 *
 * The state owns the parsed payload of every event and a copy of each
 * event's time, actor and hash; records, answers, statements, visits,
 * feedback, refusals and goal versions borrow their strings from those.
 * Everything is freed by state_clear.
 */
#ifndef CW_STATE_H
#define CW_STATE_H

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "event.h"
#include "store.h"

/* The most tags one note may carry. */
#define STATE_MAX_TAGS 8

typedef struct record {
	cw_record_kind kind;
	int number; /* the 1 of G1 */
	long seq;   /* the event that made it */
	const char *text;    /* as last corrected */
	const char *tag;     /* note: its first tag */
	const char *tags[STATE_MAX_TAGS]; /* note: every tag */
	int tag_count;
	long text_seq;	     /* the event that gave it its text */
	int struck;	     /* withdrawn: no checkpoint counts it */
	const char *strike_reason;
	long strike_seq;
	const char *term;    /* goal: short or long */
	const char *measure; /* goal */
	const char *type;    /* intervention */
	const char *outcome; /* evaluation */
	int goal;	     /* intervention, evaluation: the goal's number */
	int dropped;	     /* goal */
	const char *drop_reason;
	long drop_seq; /* goal: the event that dropped it */
} record;

/* One event of the log, as the views show it. */
typedef struct event_meta {
	long seq;
	event_type type;
	size_t phase; /* the phase it happened in */
	char *at, *actor, *hash;
	const cJSON *payload; /* borrowed from the state's payloads */
} event_meta;

/* How a visit to a phase began. */
typedef enum visit_entry {
	ENTERED_START,
	ENTERED_ADVANCE,
	ENTERED_REVISIT,
	ENTERED_TERMINATE
} visit_entry;

/*
 * A stay in one phase: the events from `from` to `to` (the last event
 * that was not feedback; `to` is from - 1 when the stay holds none yet),
 * from the time of the event that began it to that of its last.
 */
typedef struct phase_visit {
	size_t phase;
	long from, to;
	const char *start, *end;
	visit_entry how;
	long move_seq;	    /* the move that began it; 0 for the start */
	const char *reason; /* revisit, terminate */
} phase_visit;

/* A statement for a confirm or choice checkpoint, in log order (the
 * latest of each is also an `answer`). */
typedef struct checkpoint_statement {
	const char *checkpoint;
	const char *value; /* choice only */
	const char *text;
	long seq;
} checkpoint_statement;

/* A goal's wording after it was added or revised. */
typedef struct goal_version {
	int goal; /* the goal's number */
	long seq;
	const char *text, *measure;
} goal_version;

/* A correction or strike of a record or statement (record.corrected,
 * record.struck), as the log shows it beside the original. */
typedef struct correction {
	long seq;	       /* the correcting event */
	long of;	       /* the event that made the original */
	const char *target;    /* "N2", or a checkpoint id */
	const char *text;      /* the new text; NULL for a strike */
	const char *reason;
} correction;

/* The latest text for one stage of a reflection checkpoint. */
typedef struct reflection_stage {
	const char *checkpoint, *stage, *text;
	long seq;
} reflection_stage;

/* Where an approval checkpoint stands. */
typedef enum approval_status {
	APPROVAL_NONE,	    /* not requested */
	APPROVAL_REQUESTED, /* asked for; no decision since */
	APPROVAL_GRANTED,   /* the latest decision is a trusted grant */
	APPROVAL_RETURNED   /* the latest decision asks for changes */
} approval_status;

/* An approval checkpoint's latest request and the decision on it. */
typedef struct approval {
	const char *checkpoint;
	approval_status status;
	long request_seq;	   /* the latest request */
	const char *request;	   /* what the student said with it */
	long decision_seq;	   /* the decision on it; 0: none yet */
	const char *decision;	   /* the instructor's text */
} approval;

/* Feedback on the session, a phase or an event. */
typedef struct feedback_entry {
	long seq;
	const char *at, *actor;
	const char *phase; /* NULL when the payload names none */
	long event;	   /* the event it is about; 0: none */
	int scored;	   /* whether it carries a score */
	double score;
	const char *criterion; /* NULL: none */
	const char *text;
	/* a later score by the same actor on the same phase and criterion
	 * replaced this one: it stays in the log, but no longer counts */
	int replaced;
} feedback_entry;

/* A checkpoint that blocked an advance, as the refusal logged it. */
typedef struct refusal_blocker {
	const char *id, *label, *message; /* NULL when missing */
} refusal_blocker;

/* A refused advance: when, from which phase, and what blocked it. */
typedef struct advance_refusal {
	long seq;
	const char *at;
	const char *phase;	   /* the payload's "from" */
	refusal_blocker *blockers; /* owned by the state */
	size_t blocker_count;
} advance_refusal;

/* The latest statement for a confirm or choice checkpoint. */
typedef struct answer {
	const char *checkpoint;
	const char *value; /* choice only */
	const char *text;
	long seq;
	long text_seq; /* the event that gave it its text (a correction) */
} answer;

/* A client event of the case, as the log recorded it firing. */
typedef struct client_event {
	long seq;
	size_t phase; /* the phase it fired in */
	const char *id, *text;
	const cJSON *payload; /* its reopen and add lists */
} client_event;

/* A checkpoint a client event reopened or added to this session. */
typedef struct event_checkpoint {
	size_t phase;	 /* the checkpoint's phase */
	const char *id;	 /* the checkpoint's id */
	cw_checkpoint own; /* added: its definition, from the payload */
	int added;
	long seq;	   /* the client event */
	const char *event; /* its id */
} event_checkpoint;

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
	event_meta *events;		/* every event, by seq - 1 */
	size_t event_count, event_cap;	/* events kept (seq may lag on error) */
	checkpoint_statement *statements;
	size_t statement_count, statement_cap;
	goal_version *versions;
	size_t version_count, version_cap;
	phase_visit *visits; /* the path taken, in time order */
	size_t visit_count, visit_cap;
	int visiting; /* the last visit is still open (not closed) */
	feedback_entry *feedback;
	size_t feedback_count, feedback_cap;
	advance_refusal *refusals;
	size_t refusal_count, refusal_cap;
	correction *corrections;
	size_t correction_count, correction_cap;
	reflection_stage *reflections;
	size_t reflection_count, reflection_cap;
	approval *approvals; /* one for each approval checkpoint asked */
	size_t approval_count, approval_cap;
	long closed_seq; /* the event that closed the session; 0: open */
	client_event *fired; /* client events, in the order they fired */
	size_t fired_count, fired_cap;
	event_checkpoint *touched; /* checkpoints they reopened or added */
	size_t touched_count, touched_cap;
	int visit_records; /* records made since the phase was last entered */
	/* an allocation failed while replaying: a failure of this process,
	 * not of the log (verify must not call the log bad for it) */
	int oom;
	cJSON *payloads;
	/* instructor acts that a bundle brought without a signature this
	 * database trusts: their events, as " 29 30 " (owned; NULL: none);
	 * they stay in the log for its chain and count nowhere */
	char *left_out;
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

/* The session's left-out instructor acts (state_keep.c), read before its
 * events are replayed; and whether event `seq` is one of them. */
int state_read_left_out(state *st, cw_store *s, const char *id);

/* Fill the projection members of `row` (phase .. ended_early) from what
 * `st` stands at; the strings are borrowed from `st`.  The one place the
 * projection is made: state_project writes it, a bundle's new session
 * is inserted with it. */
void state_projection(const state *st, session_row *row);

/* Write what `st` (session `id`) stands at into the session's row, the
 * projection listings read: phase, status, head, checkpoints met, and
 * whether it ended early. */
int state_project(cw_store *s, const state *st, const char *id);

/* The reason the session was terminated before its last phase ("" when
 * it gave none), or NULL when it was not. */
const char *state_ended_early(const state *st);
int state_left_out(const state *st, long seq);

/* Apply one event; fails (CW_ERROR) on an event that makes no sense. */
int state_apply(state *st, const event_row *ev);

/* Whether `ev` is a session.started event naming the case, its hash, the
 * student and the workflow and version that `row` records. */
int state_started_matches(const event_row *ev, const session_row *row);

/* The visits to phase `phase` and the seconds spent in them. */
void state_phase_time(const state *st, size_t phase, int *visits,
		      double *seconds);

/* Seconds from `start` to `end`, two event times
 * ("2026-11-23T03:14:13.123Z"); an unreadable time counts as 0. */
double state_seconds(const char *start, const char *end);

/* judge.c: */

/* Judge checkpoint `cp` on the session's records. */
void state_judge(const state *st, const cw_checkpoint *cp, verdict *out);

/* state_events.c: */

/* The checkpoint entry `e` is about (never NULL for a kept entry). */
const cw_checkpoint *state_event_checkpoint(const state *st,
					    const event_checkpoint *e);

/*
 * The checkpoints of phase `phase` in this session: the workflow's, then
 * those client events added to it.  `state_checkpoint_at` is the `k`th of
 * `state_checkpoint_count`.
 */
size_t state_checkpoint_count(const state *st, size_t phase);
const cw_checkpoint *state_checkpoint_at(const state *st, size_t phase,
					 size_t k);
/* Checkpoint `id` of the workflow or added by a client event, or NULL;
 * `*phase` (if not NULL) receives its phase. */
const cw_checkpoint *state_checkpoint(const state *st, const char *id,
				      size_t *phase);
/* The client event that last reopened checkpoint `id`, or NULL. */
const event_checkpoint *state_reopened(const state *st, const char *id);
/*
 * The first checkpoint of a phase before the current one that a client
 * event reopened or added and that does not hold, or NULL; with
 * `phase` >= 0 only those of that phase.
 */
const event_checkpoint *state_event_blocker(const state *st, int phase);
/* Whether every checkpoint of the current phase holds and no client
 * event left one of an earlier phase unmet: what advance needs. */
int state_phase_clear(const state *st);
/* Whether the current phase may go back to phase `target`: the workflow
 * allows it, or a client event left a checkpoint of it unmet. */
int state_may_revisit(const state *st, size_t target);
/* The unmet checkpoints of earlier phases that client events reopened or
 * added, as blockers (id, label, kind, met, message, command, event,
 * phase); NULL when out of memory.  Caller frees. */
cJSON *state_event_blockers_json(const state *st);

/* Whether each checkpoint of the phases before phase `upto` holds, in
 * workflow order, into `met` (room for `max`); how many there are. */
size_t state_earlier_met(const state *st, size_t upto, unsigned char *met,
			 size_t max);
/* The checkpoints of the phases before `upto` that held in `before` (of
 * state_earlier_met, `count` of them) and hold no more, as JSON (id,
 * label, phase, message, command); NULL when out of memory.  Caller
 * frees. */
cJSON *state_newly_unmet_json(const state *st, size_t upto,
			      const unsigned char *before, size_t count);

/* Checkpoints met over the whole workflow, and their total. */
void state_progress(const state *st, int *met, int *total);

/* The current phase's checkpoints as JSON: id, label, kind, met, have,
 * need, message, command; `unmet_only` keeps the blockers.  NULL when an
 * allocation failed (never a list with a part missing).  Caller frees. */
cJSON *state_checkpoints_json(const state *st, size_t phase, int unmet_only);

/* Add "stages" to checkpoint item `item` of reflection `cp`: each with
 * its id, guidance and (when `st` is not NULL) whether it is met.  1, or
 * 0 when out of memory. */
int state_stages_json(const state *st, const cw_checkpoint *cp, cJSON *item);

/* Phase `ph`'s rubric: [{"id", "label", "levels": [four texts]}], what
 * each score 1 to 4 looks like.  NULL when out of memory. */
cJSON *state_rubric_json(const cw_phase *ph);

/* hint.c: */

/* The hints on the session's work, [{"record", "code", "message"}], in
 * the order the texts were given; only on texts given by event
 * `only_seq` when it is > 0.  NULL when out of memory. */
cJSON *state_hints_json(const state *st, long only_seq);

/* state.c: */

/* The record of `kind` numbered `number`, or NULL. */
const record *state_record(const state *st, cw_record_kind kind, int number);

/* The letter of a record kind's names: G, I, E, O, R, N. */
char record_letter(cw_record_kind kind);

/* The record a name such as "N2" or "g1" names (struck or not), or NULL. */
const record *state_named(const state *st, const char *name);

/* Whether note `r` carries tag `tag`. */
int record_has_tag(const record *r, const char *tag);

/* The latest text of stage `stage` of reflection checkpoint `cp`, or
 * NULL. */
const reflection_stage *state_reflection(const state *st, const char *cp,
					 const char *stage);

/*
 * state_keep.c: what replay keeps besides records and answers.  For
 * state.c and state_keep.c only; each returns 0 or CW_ERROR (out of
 * memory: st->oom is set).
 */

/* `base` (`count` of `*cap` elements of `size` bytes) with room for one
 * more, perhaps moved; NULL when out of memory (`base` is then kept). */
void *state_room(void *base, size_t *cap, size_t count, size_t size);

/* `out` = a new zeroed element at the end of `list`, counted in `n`; NULL
 * when out of memory, which `st` then remembers (st->oom). */
#define PUSH(st, out, list, n, cap)                                            \
	do {                                                                   \
		void *base_ =                                                  \
		    state_room((list), &(cap), (n), sizeof(*(list)));          \
		(out) = NULL;                                                  \
		if (base_ == NULL) {                                           \
			(st)->oom = 1;                                         \
		} else {                                                       \
			(list) = base_;                                        \
			(out) = memset(&(list)[(n)++], 0, sizeof(*(list)));    \
		}                                                              \
	} while (0)

/* The string under `key` of a payload, or NULL. */
const char *state_str(const cJSON *obj, const char *key);
/* Keep statement `a` in the order the log made them. */
int state_keep_statement(state *st, const answer *a);
/* Keep goal `g`'s wording as event `seq` left it. */
int state_keep_version(state *st, const record *g, long seq);
/* Event `seq` was not feedback: the open visit lasts at least to it. */
int state_stay(state *st, long seq);
/* Move `seq` took the session into a new visit of the current phase. */
int state_enter(state *st, visit_entry how, long seq, const cJSON *p);
/* A refused advance, with the blockers it named. */
int state_keep_refusal(state *st, const cJSON *p, long seq);
/* A correction (`struck` 0) or strike of a record or statement. */
int state_keep_correction(state *st, const cJSON *p, long seq, int struck);
/* One stage of a reflection checkpoint of the current phase. */
int state_keep_reflection(state *st, const cJSON *p, long seq);
/* A request for sign-off of an approval checkpoint of the current phase
 * (`decision` 0), or a grant or return of the pending request (1, 2). */
int state_keep_approval(state *st, const cJSON *p, long seq, int decision);
/* The approval checkpoint `cp` as the session stands, or NULL when it was
 * never requested; and whether it holds (granted since any client event
 * reopened it). */
const approval *state_approval(const state *st, const char *cp);
/* judge.c: its "approval" object {"state" (not-requested, requested,
 * returned, granted), "requested_seq", "requested_at", "requested_by",
 * "request", "decided_seq", "decided_at", "decided_by", "decision"} on
 * checkpoint item `item`; 0 when out of memory. */
int state_approval_json(const state *st, const cw_checkpoint *cp, cJSON *item);
int state_approval_holds(const state *st, const cw_checkpoint *cp);
/* Client event `seq` with payload `p`: fired once, it reopens and adds
 * checkpoints (CW_ERROR for a payload that makes no sense). */
int state_keep_client_event(state *st, const cJSON *p, long seq);

/*
 * Fold a feedback event's payload `p` (event `seq`, already in
 * st->events) into st->feedback: one entry, or one per criterion of its
 * "scores"; a score given again by the same actor on the same phase and
 * criterion marks the earlier one replaced (state_feedback.c).  0, or
 * CW_ERROR for a payload that is not feedback or when memory ran out.
 */
int state_add_feedback(state *st, const cJSON *p, long seq);

/* 1 when the session of `payload` (a const state *) has been in phase
 * `phase` (an id) at any time, else 0: what a student has seen of the
 * case.  A case_reached_fn (case.h). */
int state_reached(const char *phase, void *payload);

/* The client events that have fired, in order, as JSON: seq, id, phase,
 * text, and what each reopened and added, each with whether it holds now
 * (state_events.c).  Caller frees. */
cJSON *state_client_events_json(const state *st);

#endif
