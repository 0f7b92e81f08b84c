/*
 * casework/session.h - sessions: a student working a case through a
 * workflow.  Every change is an event appended to the session's log in one
 * transaction; the state is what replaying those events gives.
 *
 * Functions that return data give a cJSON document (`cJSON **out`), which
 * the caller frees with cJSON_Delete.  The same document feeds the human
 * output and `--json`, so the two never disagree.
 */
#ifndef CASEWORK_SESSION_H
#define CASEWORK_SESSION_H

#include <cjson/cJSON.h>

#include "casework/common.h"
#include "casework/error.h"
#include "casework/store.h"

/* What a student (or instructor) does to a session. */
typedef enum cw_action_type {
	CW_ACT_NOTE,         /* text, tags (optional) */
	CW_ACT_CHECK,        /* checkpoint, text */
	CW_ACT_CHOOSE,       /* checkpoint, value, text */
	CW_ACT_OBJECTIVE,    /* text */
	CW_ACT_GOAL_ADD,     /* text, term, measure */
	CW_ACT_GOAL_REVISE,  /* goal, text and/or measure */
	CW_ACT_GOAL_DROP,    /* goal, reason */
	CW_ACT_INTERVENTION, /* goal, type, text */
	CW_ACT_EVALUATION,   /* goal, outcome, text */
	CW_ACT_REFERRAL,     /* text */
	CW_ACT_ADVANCE,      /* - */
	CW_ACT_REVISIT,      /* phase, reason */
	CW_ACT_TERMINATE,    /* reason */
	CW_ACT_FEEDBACK,     /* text; phase, event, score, criterion optional */
	CW_ACT_CORRECT,      /* record (or checkpoint id), text, reason */
	CW_ACT_STRIKE,       /* record, reason */
	CW_ACT_REFLECT,      /* stage, text; checkpoint optional */
	CW_ACT_APPROVAL_REQUEST, /* checkpoint, text (student) */
	CW_ACT_APPROVAL_GRANT,   /* checkpoint, text (instructor) */
	CW_ACT_APPROVAL_RETURN   /* checkpoint, text: needs changes */
} cw_action_type;

/* One score of a feedback act on a criterion of the phase's rubric. */
typedef struct cw_score {
	const char *criterion;
	int score; /* 1 to 4 */
} cw_score;

typedef struct cw_action {
	cw_action_type type;
	const char *text;
	const char *tag;
	const char *checkpoint;
	const char *value;
	const char *goal;
	const char *term;
	const char *measure;
	const char *intervention_type;
	const char *outcome;
	const char *phase;
	const char *reason;
	long event;            /* feedback: the event it is about, or 0 */
	int score;             /* feedback: 1 to 4, or 0 for none */
	const char *criterion; /* feedback: a rubric criterion of the phase */
	/* feedback: scores on several criteria of the phase at once, in one
	 * event (not with `score`); each criterion once */
	const cw_score *scores;
	size_t score_count;
	const char *record;    /* correct, strike: "N2", or a checkpoint id */
	const char *stage;     /* reflect: a stage of a reflection checkpoint */
	const char *const *tags; /* note: several tags (tag then unused) */
	size_t tag_count;
	/* feedback, approval grant and return: the instructor's private key (64 hex digits) that signs
	 * it, or NULL: unsigned, counting only in this database */
	const char *signing_key;
} cw_action;

#define CW_ACTION_INIT(t) { .type = (t) }

/*
 * Apply `action` to session `id` as `actor`, in one transaction.
 *
 * On success `*out` describes what happened: {"session", "seq", "event",
 * "phase", "status", "record" ("G1") when a record was added, and
 * "hints" [{"record", "code", "message"}] on the text just given}.
 * Feedback (an instructor's comment, optionally on one event or phase and
 * with a score on a rubric criterion) is the one action a closed session
 * still accepts.
 * A refused advance returns CW_EREFUSED and `*out` holds {"phase",
 * "blockers": [{"id", "label", "message", "command", ...}]}; the refusal
 * is logged.  Any other failure writes nothing and leaves `*out` NULL.
 */
CW_EXTERN int cw_session_act(cJSON **out, cw_store *store, const char *id,
			     const char *actor, const cw_action *action);

/*
 * Start a session on case `case_id` for `student` with the newest version
 * of workflow `workflow_id` (NULL: "standard"), and make it current.
 * `*out` is {"session", "case", "student", "workflow", "version",
 * "phase"}.  When `student` already has an open session on the case,
 * the start is refused (CW_EREFUSED, the message naming the command that
 * resumes it) unless `new_attempt` is non-zero.
 */
CW_EXTERN int cw_session_start(cJSON **out, cw_store *store,
			       const char *case_id, const char *student,
			       const char *workflow_id, const char *actor,
			       int new_attempt);

/*
 * Find the session that `prefix` names (4 or more characters of its id),
 * or the current session when `prefix` is NULL.  Writes the full id to
 * `out`.  CW_EAMBIGUOUS lists the matches in the message.
 */
CW_EXTERN int cw_session_resolve(char out[CW_ID_LEN + 1], cw_store *store,
				 const char *prefix);

/* Make session `id` the current one. */
CW_EXTERN int cw_session_use(cw_store *store, const char *id);

/*
 * Where session `id` stands: its case, student, workflow, phase, every
 * checkpoint of the phase with met/unmet and the command that meets it,
 * the phases it may revisit, and counts of its records.
 */
CW_EXTERN int cw_session_status(cJSON **out, cw_store *store, const char *id);

/*
 * What to do in a phase of session `id`: the workflow's guidance for it
 * (purpose, tasks, questions), the case's material and prompts for it as
 * the session started with the case, and the phase's checkpoints judged on
 * the session's records, each open one with the command that meets it.
 * `phase` NULL means the current phase; another phase id looks ahead (or
 * back).  `*out` is {"session", "case", "phase": {...}, "material",
 * "prompts", "checkpoints", "current"}.
 */
CW_EXTERN int cw_session_guide(cJSON **out, cw_store *store, const char *id,
			       const char *phase);

/* The goals of session `id` with their interventions and evaluations. */
CW_EXTERN int cw_session_goals(cJSON **out, cw_store *store, const char *id);

/*
 * The records of kind `kind` ("note", "objective", "referral", ...) of
 * session `id`, only those tagged `tag` when it is not NULL (notes):
 * {"session", "kind", "records": [{"id", "text", "phase", "status"
 * (kept, struck, dropped), "tags" (notes), "measure" (goals), "original"
 * (the first text, when corrected since), "strike_reason"}]}.
 */
CW_EXTERN int cw_session_records(cJSON **out, cw_store *store, const char *id,
				 const char *kind, const char *tag);

/*
 * After session `id` is closed (CW_EREFUSED before): phase by phase its
 * records and statements beside the case's instructor notes for the phase
 * and the rubric: {"session", "case", "student", "phases": [{"id",
 * "title", "visits", "records", "statements", "instructor_notes",
 * "rubric": [{"id", "label", "levels"}]}]}.
 */
CW_EXTERN int cw_session_debrief(cJSON **out, cw_store *store, const char *id);

/* Every event of session `id`, in order, payloads parsed. */
CW_EXTERN int cw_session_log(cJSON **out, cw_store *store, const char *id);

/* Which sessions to list; NULL members match everything. */
typedef struct cw_session_filter {
	const char *case_id;
	const char *student;
	const char *phase;
	const char *status; /* "open" or "closed" */
	const char *since;  /* active at or after this UTC time (ISO 8601) */
} cw_session_filter;

/* One session as listed.  Its strings are borrowed: they last only for
 * the callback that is given them. */
typedef struct cw_session_info {
	const char *session;
	const char *case_id;
	const char *workflow;
	int version;
	const char *student;
	const char *created_at;
	const char *phase;
	const char *status;
	long events;
	int met, total; /* checkpoints of the current phase */
	const char *updated_at;
	/* the reason it was terminated before its last phase ("" when none
	 * was given), NULL when it was not: as "ended_early" of status */
	const char *ended_early;
} cw_session_info;

/* Called with each session in turn: return 0 to go on, anything else to
 * stop (cw_session_each then returns it). */
typedef int (*cw_session_fn)(const cw_session_info *info, void *payload);

/*
 * Call `fn` for each session that `filter` (NULL: all) matches, oldest
 * first, one at a time: memory does not grow with the number of sessions.
 * The listing and whatever `fn` reads from the store are one snapshot;
 * `fn` may read the store (cw_session_verify, cw_export_session, ...)
 * but must not write to it.  Returns 0, the error of the store, or what
 * `fn` returned to stop.
 */
CW_EXTERN int cw_session_each(cw_store *store, const cw_session_filter *filter,
			      cw_session_fn fn, void *payload);

/*
 * 0 when the case and phase `filter` names (either may be NULL) exist: a
 * case the store has, a phase of some workflow.  Else CW_ENOTFOUND with
 * the nearest id ("did you mean"), so that a mistyped filter is not
 * taken for one that matches no session.
 */
CW_EXTERN int cw_session_filter_check(cw_store *store,
				      const cw_session_filter *filter);

/*
 * `info` as one item of cw_session_list: {"session", "case", "workflow",
 * "version", "student", "created_at", "phase", "status", "events",
 * "met", "total", "updated_at"}, and "ended_early" when it did; NULL when
 * out of memory.  The caller
 * frees it with cJSON_Delete.
 */
CW_EXTERN cJSON *cw_session_info_json(const cw_session_info *info);

/* The sessions that match `filter`, oldest first, as a JSON array of
 * cw_session_info_json items (all in memory: cohort commands use
 * cw_session_each).  The caller frees `*out` with cJSON_Delete. */
CW_EXTERN int cw_session_list(cJSON **out, cw_store *store,
			      const cw_session_filter *filter);

/*
 * Replay session `id` from its events, recompute its hash chain and compare
 * both with what the database holds.  `*out` is {"session", "ok", "events",
 * "head", "problem" (when not ok)}.  Returns CW_EREFUSED when they differ,
 * or when the session cannot be read back at all (a damaged database or
 * workflow: `problem` says why).  Any other error (out of memory, a busy
 * database) is no verdict: `*out` is then NULL.
 */
CW_EXTERN int cw_session_verify(cJSON **out, cw_store *store, const char *id);

/*
 * The sign-off queue: for each session `filter` (NULL: all) matches,
 * oldest first, each approval checkpoint a student asked for (only those
 * awaiting a decision when `pending_only`), as an array of {"session",
 * "student", "case", "phase", "checkpoint", "label", "state" (requested,
 * returned, granted; not-requested for a grant a client event undid),
 * "requested_seq", "requested_at", "requested_by", "request", and once
 * decided "decided_seq", "decided_at", "decided_by", "decision"}.
 */
CW_EXTERN int cw_approval_list(cJSON **out, cw_store *store,
			       const cw_session_filter *filter,
			       int pending_only);

/* Ids of every session, oldest first, as a JSON array of strings. */
CW_EXTERN int cw_session_ids(cJSON **out, cw_store *store);

/*
 * The class roster.  cw_class_add puts LOGIN ([a-z0-9_]) on the roster as
 * `role` ("student" or "instructor"); on a class server it also makes
 * the login with a random password: *out is {"login", "name", "email"
 * (when given), "role", and on a server "password" (shown once) and
 * "uri"}.  cw_class_remove marks a person removed and ends their login,
 * keeping their sessions ({"login", "removed_at"}).  cw_class_list gives
 * an array of {"login", "name", "email", "role", "added_at",
 * "removed_at", "sessions": [{"session", "case", "phase", "status",
 * "updated_at"}], "last_activity" (or null)}.  On a class server these
 * need the instructor role (CW_EREFUSED).
 */
CW_EXTERN int cw_class_add(cJSON **out, cw_store *store, const char *login,
			   const char *name, const char *email,
			   const char *role);
CW_EXTERN int cw_class_remove(cJSON **out, cw_store *store,
			      const char *login);
CW_EXTERN int cw_class_list(cJSON **out, cw_store *store);

#endif
