/*
 * casework/workflow.h - workflow definitions: phases, their guidance and
 * their checkpoints, loaded from JSON (schemas/workflow.schema.json).
 *
 * A workflow is data.  The engine knows four kinds of checkpoint and judges
 * them on a session's records; nothing here assumes the standard eight
 * phases.  All strings in these structures are borrowed from the workflow
 * and live until cw_workflow_free().
 */
#ifndef CASEWORK_WORKFLOW_H
#define CASEWORK_WORKFLOW_H

#include <stddef.h>

#include "casework/common.h"
#include "casework/error.h"

/* Upper bound on the size of a workflow file. */
#define CW_MAX_WORKFLOW_SIZE (1024 * 1024)

typedef enum cw_checkpoint_kind {
	CW_CHECKPOINT_CONFIRM,  /* a statement of what was done */
	CW_CHECKPOINT_COUNT,    /* at least `min` records of a kind */
	CW_CHECKPOINT_COVERAGE, /* every open goal has a record of a kind */
	CW_CHECKPOINT_CHOICE,   /* a value from `options`, with a rationale */
	CW_CHECKPOINT_REFLECTION, /* a text for each of `stages` */
	CW_CHECKPOINT_APPROVAL    /* an instructor signed it off */
} cw_checkpoint_kind;

/* The kinds of record a student keeps in a session. */
typedef enum cw_record_kind {
	CW_RECORD_NOTE,
	CW_RECORD_OBJECTIVE,
	CW_RECORD_GOAL,
	CW_RECORD_INTERVENTION,
	CW_RECORD_EVALUATION,
	CW_RECORD_REFERRAL,
	CW_RECORD_KIND_COUNT
} cw_record_kind;

typedef struct cw_checkpoint {
	const char *id;
	const char *label;
	const char *help;      /* what to write to meet it; may be NULL */
	cw_checkpoint_kind kind;
	cw_record_kind record; /* count, coverage */
	const char *tag;       /* count of notes: the tag, or NULL */
	int min;               /* count */
	int min_chars;         /* confirm, choice, reflection (each stage) */
	const char **options;  /* choice */
	size_t option_count;
	const char **stages;   /* reflection: the stage ids, in order */
	const char **stage_help; /* reflection: guidance per stage, or NULL */
	size_t stage_count;
} cw_checkpoint;

/* A rubric criterion an instructor scores a phase on, levels 1 to 4. */
typedef struct cw_criterion {
	const char *id;
	const char *label;
	const char *levels[4]; /* what each score 1..4 looks like */
	double weight;	       /* its part in a weighted mean; 1 unless set */
} cw_criterion;

typedef struct cw_phase {
	const char *id;
	const char *title;
	const char *purpose;
	const char **tasks;
	size_t task_count;
	const char **questions;
	size_t question_count;
	size_t *revisit; /* indexes of the earlier phases it may go back to */
	size_t revisit_count;
	cw_checkpoint *checkpoints;
	size_t checkpoint_count;
	cw_criterion *rubric; /* may be empty */
	size_t rubric_count;
} cw_phase;

/* A note tag a workflow lists: the word after --tag, and what it means. */
typedef struct cw_tag {
	const char *id;
	const char *label;
} cw_tag;

typedef struct cw_workflow {
	const char *id;
	int version;
	const char *title;
	const char *description; /* may be NULL */
	cw_phase *phases;        /* in order; the last is termination */
	size_t phase_count;
	cw_tag *tags;            /* the note tags it lists; may be none */
	size_t tag_count;
	struct cw_workflow_internal *internal;
} cw_workflow;

/*
 * Parse and validate a workflow definition of `len` bytes.  On success
 * `*out` is a workflow the caller frees with cw_workflow_free().  When the
 * text is not a valid workflow, every problem is appended to `diags`
 * (which may already hold some) and CW_ESCHEMA is returned.
 */
CW_EXTERN int cw_workflow_parse(cw_workflow **out, cw_diags *diags,
				const char *text, size_t len);

/*
 * The standard workflow compiled into the library
 * (examples/workflows/standard.json): its text and length.  Borrowed.
 */
CW_EXTERN const char *cw_workflow_standard_text(size_t *len);

/*
 * Built-in workflow number `index` (0: standard, 1: child-protection):
 * its text and length, borrowed; NULL past the last one.
 */
CW_EXTERN const char *cw_workflow_builtin_text(size_t index, size_t *len);

/* Free a workflow; NULL is a no-op. */
CW_EXTERN void cw_workflow_free(cw_workflow *wf);

/* The index of phase `id`, or -1. */
CW_EXTERN int cw_workflow_phase_index(const cw_workflow *wf, const char *id);

/*
 * The checkpoint `id` anywhere in the workflow, or NULL; `*phase_out`
 * (if not NULL) receives the index of its phase.
 */
CW_EXTERN const cw_checkpoint *cw_workflow_checkpoint(const cw_workflow *wf,
						      const char *id,
						      size_t *phase_out);

/*
 * Whether a note may carry tag `tag` in workflow `wf`: a tag it lists, or,
 * when it lists none, a tag one of its checkpoints names.
 */
CW_EXTERN int cw_workflow_knows_tag(const cw_workflow *wf, const char *tag);

/*
 * The known tag nearest to `tag` (a typo of it), or NULL when none is
 * close.  Borrowed from the workflow.
 */
CW_EXTERN const char *cw_workflow_nearest_tag(const cw_workflow *wf,
					      const char *tag);

/*
 * The tags workflow `wf` knows, as "exploration, strength, need", written
 * into `out` (`size` bytes, cut short when it is too small).
 */
CW_EXTERN void cw_workflow_tags_text(char *out, size_t size,
				     const cw_workflow *wf);

/* Criterion `id` of phase `phase`, or NULL. */
CW_EXTERN const cw_criterion *cw_phase_criterion(const cw_phase *phase,
						 const char *id);

/* The name of a record kind as in the JSON ("note", "goal", ...). */
CW_EXTERN const char *cw_record_kind_name(cw_record_kind kind);

/* The name of a checkpoint kind as in the JSON ("confirm", ...). */
CW_EXTERN const char *cw_checkpoint_kind_name(cw_checkpoint_kind kind);

/* ---- the workflows a store holds (need casework/store.h) ---- */

struct cw_store;
struct cJSON;

/*
 * Validate and store a workflow definition.  Definitions are immutable: a
 * definition whose content differs from the newest stored version of its id
 * is stored as the next version (or the file's version, if higher), so that
 * running sessions keep theirs; the same content again is a no-op.
 * `*out` is {"id", "version", "title", "result": "imported"|"unchanged"}.
 */
CW_EXTERN int cw_workflow_import(struct cJSON **out, struct cw_store *store,
				 cw_diags *diags, const char *text, size_t len);

/*
 * Every stored workflow version with the number of sessions on it; with
 * `id`, only that workflow's versions.  The standard workflow is stored
 * on first use.
 */
CW_EXTERN int cw_workflow_list(struct cJSON **out, struct cw_store *store,
			       const char *id);

/* The sessions on workflow `id`: session, version, student, phase, status. */
CW_EXTERN int cw_workflow_sessions(struct cJSON **out, struct cw_store *store,
				   const char *id);

/*
 * Load workflow `id` at `version` (0: the newest) from the store.  The
 * caller frees `*out` with cw_workflow_free().
 */
CW_EXTERN int cw_workflow_load(cw_workflow **out, struct cw_store *store,
			       const char *id, int version);

/*
 * Graphviz DOT of a workflow: phases in order, forward edges, revisit edges
 * dashed, each phase labelled with its checkpoints.  With `session` (not
 * NULL), the workflow is that session's, its current phase is highlighted
 * and the path it took (revisits and early termination included) is
 * drawn.  The caller frees `*out` with free().
 */
CW_EXTERN int cw_workflow_dot(char **out, struct cw_store *store,
			      const char *id, const char *session);

#endif
