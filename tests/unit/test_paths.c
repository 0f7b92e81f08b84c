/*
 * test_paths.c - every path of each shipped workflow, generated from a
 * model (as XState's path generation does) and checked step by step.
 *
 * For each workflow in examples/workflows/ and a case written for it with
 * three client events (one that adds a checkpoint to a later phase on
 * entering a phase, one that reopens a checkpoint of an earlier phase
 * after a record, one that reopens and adds on entering the next-to-last
 * phase), a breadth-first search explores every sequence of transitions
 * up to a bound: advance when ready, a refused advance, every allowed
 * revisit (and one that is not), terminate from every phase; the client
 * events fire wherever the path takes them.  The model is a second,
 * small implementation of the rules (records, statements, what a client
 * event reopens and adds); after every act the engine must agree with it
 * on the sequence number and the events fired, and after every transition
 * on the phase, each checkpoint, the advance blockers (a refusal names
 * exactly the unmet checkpoints) and the allowed revisits; `verify` must
 * pass (replay equals the stored state) and a closed session must refuse
 * every change.  States are the model's (phase, events fired, checkpoints
 * met); each is expanded once.
 *
 * The bound is the number of transitions in a path: CASEWORK_PATHS_DEPTH
 * (default 12, what `make check` runs); a larger one by hand, e.g.
 *   CASEWORK_PATHS_DEPTH=24 build/tests/test_paths
 * Each workflow's line "# WORKFLOW: N paths, M states ..." says what was
 * covered.
 */
#include <dirent.h>

#include "helpers.h"

#define MAX_CPS 64
#define MAX_RECORDS 400
#define MAX_PATH 64
#define MAX_STATES 20000
#define LONG_TEXT "A statement long enough for every checkpoint here."

enum { T_ADVANCE, T_REFUSE, T_REVISIT, T_TERMINATE };

typedef struct step {
	int type;
	int phase; /* T_REVISIT */
} step;

/* A checkpoint as the model sees it. */
typedef struct mcp {
	const cw_checkpoint *cp;
	size_t phase;
	int present; /* workflow's, or added by an event that fired */
	int added;
	long since;    /* the event that last reopened it; 0: none */
	long answered; /* confirm, choice: seq of the latest statement */
	long stage_at[8]; /* reflection: seq of each stage's latest text */
	long granted;	  /* approval: seq of the latest grant */
} mcp;

typedef struct mrecord {
	cw_record_kind kind;
	const char *tag;
	int goal;
	long seq;
} mrecord;

/* A client event of the generated case. */
typedef struct mevent {
	const char *id;
	size_t phase;
	int records;
	int reopen; /* index of a checkpoint, or -1 */
	int add;    /* index of a checkpoint, or -1 */
} mevent;

typedef struct model {
	size_t phase;
	int closed;
	long seq;
	int visit_records;
	unsigned fired;
	unsigned visited; /* the phases the session has been in */
	mcp cps[MAX_CPS];
	size_t cp_count;
	mrecord records[MAX_RECORDS];
	size_t record_count;
	int goals;
} model;

/* What one workflow's exploration shares. */
typedef struct world {
	fixture *fx;
	cw_workflow *wf;
	cw_checkpoint added[2];
	mevent events[3];
	size_t event_count;
	char case_id[64];
	model start; /* the model before the session starts */
	long paths, steps, acts;
	unsigned fired_any; /* the events that fired on some path */
	char session[CW_ID_LEN + 1];
	model m;
	int fresh_fired; /* events the model fired in the last act */
} world;

/* ---- the model ---- */

static int m_index(const model *m, const char *id)
{
	for (size_t i = 0; i < m->cp_count; i++)
		if (strcmp(m->cps[i].cp->id, id) == 0)
			return (int)i;
	return -1;
}

static int m_met(const model *m, size_t i)
{
	const mcp *c = &m->cps[i];
	const cw_checkpoint *cp = c->cp;
	int n = 0;

	switch (cp->kind) {
	case CW_CHECKPOINT_CONFIRM:
	case CW_CHECKPOINT_CHOICE:
		return c->answered > c->since;
	case CW_CHECKPOINT_COUNT:
		for (size_t k = 0; k < m->record_count; k++) {
			const mrecord *r = &m->records[k];

			n += r->kind == cp->record && r->seq > c->since &&
			     (cp->tag == NULL ||
			      (r->tag && strcmp(r->tag, cp->tag) == 0));
		}
		return n >= cp->min;
	case CW_CHECKPOINT_REFLECTION:
		for (size_t k = 0; k < cp->stage_count; k++)
			if (c->stage_at[k] <= c->since)
				return 0;
		return 1;
	case CW_CHECKPOINT_APPROVAL:
		return c->granted > c->since;
	default:
		break;
	}
	/* coverage: every goal has an intervention after the reopening, or
	 * an evaluation after its latest intervention */
	if (m->goals == 0)
		return 0;
	for (int g = 1; g <= m->goals; g++) {
		long latest = c->since;
		int intervened = 0, covered = 0;

		for (size_t k = 0; k < m->record_count; k++) {
			const mrecord *r = &m->records[k];

			if (r->goal != g || r->kind != CW_RECORD_INTERVENTION)
				continue;
			intervened = 1;
			if (r->seq > latest)
				latest = r->seq;
		}
		if (cp->record == CW_RECORD_INTERVENTION)
			latest = c->since;
		else if (!intervened)
			return 0;
		for (size_t k = 0; k < m->record_count; k++)
			covered |= m->records[k].goal == g &&
				   m->records[k].kind == cp->record &&
				   m->records[k].seq > latest;
		if (!covered)
			return 0;
	}
	return 1;
}

/* A checkpoint of an earlier phase that an event reopened or added and
 * that does not hold: what blocks advance besides the phase's own. */
static int m_event_blocker(const model *m, size_t i)
{
	const mcp *c = &m->cps[i];

	return c->present && c->phase < m->phase && (c->since > 0 || c->added) &&
	       (m->visited & (1u << c->phase)) && !m_met(m, i);
}

static int m_may_revisit(const world *w, const model *m, size_t target)
{
	const cw_phase *ph = &w->wf->phases[m->phase];

	for (size_t k = 0; k < ph->revisit_count; k++)
		if (ph->revisit[k] == target)
			return 1;
	for (size_t i = 0; i < m->cp_count; i++)
		if (m->cps[i].phase == target && m_event_blocker(m, i))
			return 1;
	return 0;
}

/* The model's advance blockers, as "id,id," in checkpoint order. */
static void m_blockers(const model *m, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < m->cp_count; i++) {
		const mcp *c = &m->cps[i];
		int blocks = (c->present && c->phase == m->phase && !m_met(m, i)) ||
			     m_event_blocker(m, i);

		if (blocks)
			len += (size_t)snprintf(out + len, size - len, "%s,",
						c->cp->id);
	}
}

/* Fire every event now due, as the engine must. */
static void m_fire(world *w, model *m)
{
	for (size_t e = 0; !m->closed && e < w->event_count; e++) {
		const mevent *ev = &w->events[e];

		if ((m->fired & (1u << e)) || ev->phase != m->phase ||
		    m->visit_records < ev->records)
			continue;
		m->seq++;
		m->fired |= 1u << e;
		w->fresh_fired++;
		if (ev->add >= 0)
			m->cps[ev->add].present = 1;
		if (ev->reopen >= 0)
			m->cps[ev->reopen].since = m->seq;
		e = (size_t)-1; /* one event may make an earlier one due */
	}
}

static void m_record(model *m, cw_record_kind kind, const char *tag, int goal)
{
	mrecord *r;

	assert_true(m->record_count < MAX_RECORDS);
	r = &m->records[m->record_count++];
	*r = (mrecord){kind, tag, goal, m->seq};
	if (kind == CW_RECORD_GOAL)
		m->goals++;
}

/* ---- the engine, in step with the model ---- */

/* The names of the blockers in a refusal, as "id,id,", sorted as the
 * model lists them (by its checkpoint order). */
static void e_blockers(const world *w, const cJSON *list, char *out,
		       size_t size)
{
	size_t len = 0;
	int total = 0;

	out[0] = '\0';
	for (size_t i = 0; i < w->m.cp_count; i++) {
		const cJSON *b;
		int named = 0;

		cJSON_ArrayForEach(b, list) named +=
		    strcmp(cJSON_GetObjectItem(b, "id")->valuestring,
			   w->m.cps[i].cp->id) == 0;
		assert_true(named <= 1); /* each blocker named once */
		total += named;
		if (named)
			len += (size_t)snprintf(out + len, size - len, "%s,",
						w->m.cps[i].cp->id);
	}
	/* and none the model does not know */
	assert_int_equal(total, cJSON_GetArraySize(list));
}

/* Apply `a`; the engine must answer `expect`, and agree with the model on
 * the event's number and the client events that fired. */
static void e_act(world *w, cw_action a, int expect)
{
	cJSON *out = NULL;
	int error = cw_session_act(&out, w->fx->store, w->session, "tester", &a);
	const cJSON *fired;

	w->acts++;
	if (error != expect)
		fail_msg("act %d: expected %d, engine said %d (%s)", a.type,
			 expect, error, cw_error_last());
	if (expect < 0 && expect != CW_EREFUSED) {
		assert_null(out);
		return;
	}
	if (expect == CW_EREFUSED && a.type != CW_ACT_ADVANCE) {
		assert_null(out);
		return;
	}
	assert_non_null(out);
	assert_int_equal((long)cJSON_GetObjectItem(out, "seq")->valuedouble,
			 w->m.seq);
	fired = cJSON_GetObjectItem(out, "client_events");
	if (w->fresh_fired != cJSON_GetArraySize(fired))
		fail_msg("after act %d (seq %ld) the model fired %d client "
			 "events, the engine %d",
			 a.type, w->m.seq, w->fresh_fired,
			 cJSON_GetArraySize(fired));
	if (expect == CW_EREFUSED) {
		char want[1024], got[1024];

		m_blockers(&w->m, want, sizeof(want));
		e_blockers(w, cJSON_GetObjectItem(out, "blockers"), got,
			   sizeof(got));
		if (strcmp(want, got) != 0)
			fail_msg("refusal named '%s'; the unmet checkpoints "
				 "are '%s'",
				 got, want);
	}
	cJSON_Delete(out);
}

/* A record-making act: model first (it numbers the event), then engine. */
static void act_record(world *w, cw_action a, cw_record_kind kind,
		       const char *tag, int goal)
{
	w->m.seq++;
	w->m.visit_records++;
	w->fresh_fired = 0;
	if (a.type == CW_ACT_CHECK || a.type == CW_ACT_CHOOSE) {
		w->m.cps[m_index(&w->m, a.checkpoint)].answered = w->m.seq;
	} else if (a.type == CW_ACT_REFLECT) {
		mcp *c = &w->m.cps[m_index(&w->m, a.checkpoint)];

		for (size_t k = 0; k < c->cp->stage_count; k++)
			if (strcmp(c->cp->stages[k], a.stage) == 0)
				c->stage_at[k] = w->m.seq;
	} else
		m_record(&w->m, kind, tag, goal);
	{
		long act_seq = w->m.seq;

		m_fire(w, &w->m);
		/* the result names the act's own event */
		w->m.seq = act_seq;
		e_act(w, a, 0);
		w->m.seq += w->fresh_fired;
	}
}

/* An act that makes no record (a request for sign-off, a grant): it
 * counts for no client event's `when.records`. */
static void act_plain(world *w, cw_action a)
{
	long act_seq = ++w->m.seq;

	w->fresh_fired = 0;
	m_fire(w, &w->m);
	w->m.seq = act_seq;
	e_act(w, a, 0);
	w->m.seq += w->fresh_fired;
}

/* Meet checkpoint `i` (of the current phase) by one act (an approval by
 * two: the student asks, an instructor grants). */
static void satisfy_one(world *w, size_t i)
{
	const cw_checkpoint *cp = w->m.cps[i].cp;
	cw_action a = {0};
	static char goal[16];

	switch (cp->kind) {
	case CW_CHECKPOINT_CONFIRM:
		a = (cw_action){.type = CW_ACT_CHECK, .checkpoint = cp->id,
				.text = LONG_TEXT};
		act_record(w, a, 0, NULL, 0);
		return;
	case CW_CHECKPOINT_CHOICE:
		a = (cw_action){.type = CW_ACT_CHOOSE, .checkpoint = cp->id,
				.value = cp->options[0], .text = LONG_TEXT};
		act_record(w, a, 0, NULL, 0);
		return;
	case CW_CHECKPOINT_COUNT:
		switch (cp->record) {
		case CW_RECORD_NOTE:
			a = (cw_action){.type = CW_ACT_NOTE, .tag = cp->tag,
					.text = "What the client said today."};
			break;
		case CW_RECORD_OBJECTIVE:
			a = (cw_action){.type = CW_ACT_OBJECTIVE,
					.text = "An aim for the interview."};
			break;
		case CW_RECORD_REFERRAL:
			a = (cw_action){.type = CW_ACT_REFERRAL,
					.text = "To the local service."};
			break;
		case CW_RECORD_GOAL:
			a = (cw_action){.type = CW_ACT_GOAL_ADD,
					.text = "Attend school on Mondays.",
					.term = "short",
					.measure = "4 of 5 Mondays by July"};
			break;
		default:
			fail_msg("no way to meet a count of %s",
				 cw_record_kind_name(cp->record));
		}
		act_record(w, a, cp->record, cp->tag, 0);
		return;
	case CW_CHECKPOINT_REFLECTION:
		/* the first stage not written since the checkpoint was opened */
		assert_true(cp->stage_count <= 8);
		for (size_t k = 0; k < cp->stage_count; k++) {
			if (w->m.cps[i].stage_at[k] > w->m.cps[i].since)
				continue;
			a = (cw_action){.type = CW_ACT_REFLECT,
					.checkpoint = cp->id,
					.stage = cp->stages[k],
					.text = LONG_TEXT};
			act_record(w, a, 0, NULL, 0);
			return;
		}
		fail_msg("reflection %s: every stage written", cp->id);
	case CW_CHECKPOINT_APPROVAL:
		a = (cw_action){.type = CW_ACT_APPROVAL_REQUEST,
				.checkpoint = cp->id, .text = LONG_TEXT};
		act_plain(w, a);
		a.type = CW_ACT_APPROVAL_GRANT;
		act_plain(w, a);
		w->m.cps[i].granted = w->m.seq - w->fresh_fired;
		return;
	default:
		break;
	}
	/* coverage: the first goal it lacks */
	for (int g = 1; g <= w->m.goals; g++) {
		snprintf(goal, sizeof(goal), "G%d", g);
		{
			/* does goal g lack it?  ask the model with a record */
			long latest = w->m.cps[i].since, have = 0;
			int intervened = 0;

			for (size_t k = 0; k < w->m.record_count; k++) {
				const mrecord *r = &w->m.records[k];

				if (r->goal == g &&
				    r->kind == CW_RECORD_INTERVENTION) {
					intervened = 1;
					if (cp->record == CW_RECORD_EVALUATION &&
					    r->seq > latest)
						latest = r->seq;
				}
			}
			for (size_t k = 0; k < w->m.record_count; k++)
				have |= w->m.records[k].goal == g &&
					w->m.records[k].kind == cp->record &&
					w->m.records[k].seq > latest;
			if (have)
				continue;
			if (cp->record == CW_RECORD_EVALUATION && !intervened)
				fail_msg("goal %s has no intervention to "
					 "evaluate",
					 goal);
		}
		if (cp->record == CW_RECORD_INTERVENTION)
			a = (cw_action){.type = CW_ACT_INTERVENTION,
					.goal = goal,
					.intervention_type = "counseling",
					.text = "Weekly sessions."};
		else
			a = (cw_action){.type = CW_ACT_EVALUATION, .goal = goal,
					.outcome = "partial",
					.text = "Three of five Mondays."};
		act_record(w, a, cp->record, NULL, g);
		return;
	}
	fail_msg("checkpoint %s: no goal to cover", cp->id);
}

/* A move (advance, revisit, terminate) that the model says succeeds. */
static void act_move(world *w, cw_action a, size_t to, int closes)
{
	w->m.seq++;
	w->fresh_fired = 0;
	if (closes) {
		w->m.closed = 1;
	} else {
		w->m.phase = to;
		w->m.visited |= 1u << to;
		w->m.visit_records = 0;
	}
	{
		long act_seq = w->m.seq;

		m_fire(w, &w->m);
		w->m.seq = act_seq;
		e_act(w, a, 0);
		w->m.seq += w->fresh_fired;
	}
}

/* An advance the model says is refused: logged, nothing else changes. */
static void act_refused_advance(world *w)
{
	cw_action a = {.type = CW_ACT_ADVANCE};

	w->m.seq++;
	w->fresh_fired = 0;
	e_act(w, a, CW_EREFUSED);
}

/* A change the engine must refuse without writing anything. */
static void act_refused(world *w, cw_action a)
{
	e_act(w, a, CW_EREFUSED);
}

/* ---- transitions ---- */

static int phase_unmet(const model *m)
{
	for (size_t i = 0; i < m->cp_count; i++)
		if (m->cps[i].present && m->cps[i].phase == m->phase &&
		    !m_met(m, i))
			return (int)i;
	return -1;
}

static int any_event_blocker(const model *m)
{
	for (size_t i = 0; i < m->cp_count; i++)
		if (m_event_blocker(m, i))
			return 1;
	return 0;
}

static void run_step(world *w, step s)
{
	size_t last = w->wf->phase_count - 1;
	int i, guard = 0;

	w->steps++;
	switch (s.type) {
	case T_ADVANCE:
		while ((i = phase_unmet(&w->m)) >= 0) {
			assert_true(guard++ < 50);
			satisfy_one(w, (size_t)i);
		}
		if (any_event_blocker(&w->m)) {
			act_refused_advance(w);
		} else {
			cw_action a = {.type = CW_ACT_ADVANCE};

			act_move(w, a, w->m.phase + 1, w->m.phase == last);
		}
		break;
	case T_REFUSE: {
		cw_action bad = {.type = CW_ACT_REVISIT, .reason = "Why not."};

		act_refused_advance(w);
		/* and a revisit the workflow does not allow, if there is one */
		for (size_t p = 0; p < w->m.phase; p++)
			if (!m_may_revisit(w, &w->m, p)) {
				bad.phase = w->wf->phases[p].id;
				act_refused(w, bad);
				break;
			}
		if (w->m.phase == last) {
			cw_action t = {.type = CW_ACT_TERMINATE,
				       .reason = "The client withdrew."};

			act_refused(w, t);
		}
		break;
	}
	case T_REVISIT: {
		cw_action a = {.type = CW_ACT_REVISIT,
			       .phase = w->wf->phases[s.phase].id,
			       .reason = "Going back to meet it again."};

		act_move(w, a, (size_t)s.phase, 0);
		break;
	}
	case T_TERMINATE: {
		cw_action a = {.type = CW_ACT_TERMINATE,
			       .reason = "The client moved away."};

		act_move(w, a, last, 0);
		break;
	}
	}
}

/* The engine's view must be the model's: verify passes, the phase, each
 * checkpoint, the blockers and the revisits agree. */
static void check_state(world *w)
{
	cJSON *out = NULL, *st = NULL;
	const cJSON *cp;
	char want[1024], got[1024];
	size_t len = 0;

	assert_int_equal(cw_session_verify(&out, w->fx->store, w->session), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(out, "ok")));
	assert_int_equal((long)cJSON_GetObjectItem(out, "events")->valuedouble,
			 w->m.seq);
	cJSON_Delete(out);
	assert_int_equal(cw_session_status(&st, w->fx->store, w->session), 0);
	assert_string_equal(cJSON_GetObjectItem(st, "status")->valuestring,
			    w->m.closed ? "closed" : "open");
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(st, "phase"), "id")
		->valuestring,
	    w->wf->phases[w->m.phase].id);
	/* the current phase's checkpoints, met as the model says */
	cJSON_ArrayForEach(cp, cJSON_GetObjectItem(st, "checkpoints"))
	{
		const char *id = cJSON_GetObjectItem(cp, "id")->valuestring;
		int i = m_index(&w->m, id);

		assert_true(i >= 0);
		assert_true(w->m.cps[i].present);
		if (m_met(&w->m, (size_t)i) !=
		    cJSON_IsTrue(cJSON_GetObjectItem(cp, "met")))
			fail_msg("checkpoint %s: model says %s", id,
				 m_met(&w->m, (size_t)i) ? "met" : "unmet");
		len++;
	}
	{
		size_t n = 0;

		for (size_t i = 0; i < w->m.cp_count; i++)
			n += w->m.cps[i].present &&
			     w->m.cps[i].phase == w->m.phase;
		assert_int_equal(len, n);
	}
	if (!w->m.closed) {
		/* blockers: the phase's unmet ones, then the events' */

		m_blockers(&w->m, want, sizeof(want));
		len = 0;
		got[0] = '\0';
		for (size_t i = 0; i < w->m.cp_count; i++) {
			int named = 0;

			cJSON_ArrayForEach(cp, cJSON_GetObjectItem(st, "checkpoints"))
				named |= !cJSON_IsTrue(cJSON_GetObjectItem(cp, "met")) &&
					 strcmp(cJSON_GetObjectItem(cp, "id")->valuestring,
						w->m.cps[i].cp->id) == 0;
			cJSON_ArrayForEach(cp, cJSON_GetObjectItem(st, "event_blockers"))
				named |= strcmp(cJSON_GetObjectItem(cp, "id")->valuestring,
						w->m.cps[i].cp->id) == 0;
			if (named)
				len += (size_t)snprintf(got + len, sizeof(got) - len,
							"%s,", w->m.cps[i].cp->id);
		}
		if (strcmp(want, got) != 0)
			fail_msg("status blocks on '%s'; the model on '%s'", got,
				 want);
		assert_int_equal(
		    cJSON_IsTrue(cJSON_GetObjectItem(st, "can_advance")),
		    *want == '\0');
		/* the revisits offered */
		len = 0;
		want[0] = '\0';
		for (size_t p = 0; p < w->m.phase; p++)
			if (m_may_revisit(w, &w->m, p))
				len += (size_t)snprintf(want + len, sizeof(want) - len,
							"%s,", w->wf->phases[p].id);
		len = 0;
		got[0] = '\0';
		cJSON_ArrayForEach(cp, cJSON_GetObjectItem(st, "revisit"))
			len += (size_t)snprintf(got + len, sizeof(got) - len, "%s,",
						cp->valuestring);
		assert_string_equal(got, want);
	}
	assert_int_equal(
	    cJSON_GetArraySize(cJSON_GetObjectItem(st, "client_events")),
	    __builtin_popcount(w->m.fired));
	cJSON_Delete(st);
}

/* A closed session refuses every change, and stays as it was. */
static void check_closed(world *w)
{
	cw_action acts[] = {
	    {.type = CW_ACT_NOTE, .text = "late"},
	    {.type = CW_ACT_CHECK, .checkpoint = w->wf->phases[0].checkpoints[0].id,
	     .text = LONG_TEXT},
	    {.type = CW_ACT_OBJECTIVE, .text = "late"},
	    {.type = CW_ACT_GOAL_ADD, .text = "late", .term = "short",
	     .measure = "1 a week"},
	    {.type = CW_ACT_ADVANCE},
	    {.type = CW_ACT_REVISIT, .phase = w->wf->phases[0].id,
	     .reason = "late"},
	    {.type = CW_ACT_TERMINATE, .reason = "late"},
	};

	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		cJSON *out = NULL;

		assert_int_equal(cw_session_act(&out, w->fx->store, w->session,
						"tester", &acts[i]),
				 CW_EREFUSED);
		assert_null(out);
	}
	check_state(w);
}

/* ---- the search ---- */

typedef struct node {
	step path[MAX_PATH];
	int len;
} node;

/* The model's state, as a string: what makes two states the same. */
static void state_key(const world *w, char *out, size_t size)
{
	size_t len = (size_t)snprintf(out, size, "%zu|%d|%x|%x|%d|", w->m.phase,
				      w->m.closed, w->m.fired, w->m.visited,
				      w->m.visit_records > 2 ? 2
							     : w->m.visit_records);

	for (size_t i = 0; i < w->m.cp_count && len + 2 < size; i++)
		out[len++] = !w->m.cps[i].present ? '-'
			     : m_met(&w->m, i)     ? '1'
						   : '0';
	out[len] = '\0';
}

/* A new session on the case, the model beside it. */
static void begin(world *w)
{
	cJSON *out = NULL;

	w->m = w->start;
	w->m.visited = 1;
	w->fresh_fired = 0;
	w->m.seq = 1;
	m_fire(w, &w->m);
	assert_int_equal(cw_session_start(&out, w->fx->store, w->case_id,
					  "Paths", w->wf->id, "tester", 1),
			 0);
	snprintf(w->session, sizeof(w->session), "%s",
		 cJSON_GetObjectItem(out, "session")->valuestring);
	assert_int_equal(
	    cJSON_GetArraySize(cJSON_GetObjectItem(out, "client_events")),
	    w->fresh_fired);
	cJSON_Delete(out);
}

/* The transitions out of the model's state. */
static int transitions(const world *w, step *out)
{
	int n = 0;

	if (w->m.closed)
		return 0;
	out[n++] = (step){T_ADVANCE, 0};
	if (phase_unmet(&w->m) >= 0 || any_event_blocker(&w->m))
		out[n++] = (step){T_REFUSE, 0};
	for (size_t p = 0; p < w->m.phase; p++)
		if (m_may_revisit(w, &w->m, p))
			out[n++] = (step){T_REVISIT, (int)p};
	if (w->m.phase + 1 < w->wf->phase_count)
		out[n++] = (step){T_TERMINATE, 0};
	return n;
}

static void explore(world *w, int depth)
{
	node *queue = calloc(MAX_STATES, sizeof(*queue));
	char (*seen)[160] = calloc(MAX_STATES, sizeof(*seen));
	size_t head = 0, tail = 0, states = 0;
	long closed = 0;

	assert_non_null(queue);
	assert_non_null(seen);
	begin(w);
	check_state(w);
	state_key(w, seen[states++], sizeof(seen[0]));
	queue[tail++].len = 0;
	while (head < tail) {
		node *n = &queue[head++];
		step next[MAX_CPS];
		int count;

		if (n->len >= depth)
			continue;
		/* the state at the end of this path: replay it on a new
		 * session to learn its transitions */
		begin(w);
		for (int k = 0; k < n->len; k++)
			run_step(w, n->path[k]);
		count = transitions(w, next);
		for (int t = 0; t < count; t++) {
			char key[160];
			size_t k;

			if (t > 0) {
				begin(w);
				for (int j = 0; j < n->len; j++)
					run_step(w, n->path[j]);
			}
			run_step(w, next[t]);
			w->paths++;
			check_state(w);
			w->fired_any |= w->m.fired;
			if (w->m.closed) {
				closed++;
				check_closed(w);
			}
			state_key(w, key, sizeof(key));
			for (k = 0; k < states; k++)
				if (strcmp(seen[k], key) == 0)
					break;
			if (k < states || states == MAX_STATES || tail == MAX_STATES)
				continue;
			snprintf(seen[states++], sizeof(seen[0]), "%s", key);
			queue[tail] = *n;
			queue[tail].path[queue[tail].len++] = next[t];
			tail++;
		}
	}
	printf("# %s: %ld paths, %zu states, %ld closed, %ld transitions, "
	       "%ld acts (bound %d)\n",
	       w->wf->id, w->paths, states, closed, w->steps, w->acts, depth);
	/* the walk reached the end and every event fired on some path */
	assert_true(closed > 0);
	assert_int_equal(w->fired_any, (1u << w->event_count) - 1);
	free(queue);
	free(seen);
}

/* ---- the case and the world ---- */

static void add_event(world *w, cJSON *events, const char *id, size_t phase,
		      int records, int reopen, int add)
{
	cJSON *ev = cJSON_CreateObject(), *when = cJSON_CreateObject();
	mevent *m = &w->events[w->event_count++];

	*m = (mevent){id, phase, records, reopen, add};
	cJSON_AddStringToObject(ev, "id", id);
	cJSON_AddStringToObject(when, "phase", w->wf->phases[phase].id);
	cJSON_AddNumberToObject(when, "records", records);
	cJSON_AddItemToObject(ev, "when", when);
	cJSON_AddStringToObject(ev, "text", "Something happens that changes the plan.");
	if (reopen >= 0) {
		cJSON *list = cJSON_AddArrayToObject(ev, "reopen");

		cJSON_AddItemToArray(list,
				     cJSON_CreateString(w->m.cps[reopen].cp->id));
	}
	if (add >= 0) {
		const cw_checkpoint *cp = w->m.cps[add].cp;
		cJSON *list = cJSON_AddArrayToObject(ev, "add");
		cJSON *item = cJSON_CreateObject(), *c = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "phase",
					w->wf->phases[w->m.cps[add].phase].id);
		cJSON_AddStringToObject(c, "id", cp->id);
		cJSON_AddStringToObject(c, "label", cp->label);
		cJSON_AddStringToObject(c, "kind", cw_checkpoint_kind_name(cp->kind));
		if (cp->kind == CW_CHECKPOINT_CONFIRM)
			cJSON_AddNumberToObject(c, "min_chars", cp->min_chars);
		if (cp->kind == CW_CHECKPOINT_COUNT) {
			cJSON_AddStringToObject(c, "record",
						cw_record_kind_name(cp->record));
			if (cp->tag)
				cJSON_AddStringToObject(c, "tag", cp->tag);
			cJSON_AddNumberToObject(c, "min", cp->min);
		}
		cJSON_AddItemToObject(item, "checkpoint", c);
		cJSON_AddItemToArray(list, item);
	}
	cJSON_AddItemToArray(events, ev);
}

/* A tag the workflow knows, for an added count of notes. */
static const char *some_tag(const cw_workflow *wf)
{
	if (wf->tag_count > 0)
		return wf->tags[0].id;
	for (size_t p = 0; p < wf->phase_count; p++)
		for (size_t k = 0; k < wf->phases[p].checkpoint_count; k++)
			if (wf->phases[p].checkpoints[k].tag)
				return wf->phases[p].checkpoints[k].tag;
	return NULL;
}

static void add_model_cp(world *w, const cw_checkpoint *cp, size_t phase,
			 int added)
{
	assert_true(w->m.cp_count < MAX_CPS);
	w->m.cps[w->m.cp_count++] =
	    (mcp){.cp = cp, .phase = phase, .present = !added, .added = added};
}

/* Import workflow file `path`, and a case with events written for it. */
static void make_world(world *w, const char *path)
{
	size_t len = 0, n;
	char *text = read_all(path, &len);
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL, *kase, *events;
	char *json;
	int error;

	assert_non_null(text);
	assert_int_equal(cw_workflow_parse(&w->wf, &diags, text, len), 0);
	error = cw_workflow_import(&out, w->fx->store, &diags, text, len);
	/* the built-in ones are there already, at this version */
	assert_true(error == 0 || error == CW_EREFUSED);
	cJSON_Delete(out);
	cw_diags_free(&diags);
	free(text);
	n = w->wf->phase_count;
	assert_true(n >= 6);

	memset(&w->m, 0, sizeof(w->m));
	for (size_t p = 0; p < n; p++)
		for (size_t k = 0; k < w->wf->phases[p].checkpoint_count; k++)
			add_model_cp(w, &w->wf->phases[p].checkpoints[k], p, 0);
	w->added[0] = (cw_checkpoint){.id = "paths-added-confirm",
				      .label = "Added by an event",
				      .kind = CW_CHECKPOINT_CONFIRM,
				      .min_chars = 10};
	w->added[1] = (cw_checkpoint){.id = "paths-added-notes",
				      .label = "Notes an event asks for",
				      .kind = CW_CHECKPOINT_COUNT,
				      .record = CW_RECORD_NOTE,
				      .tag = some_tag(w->wf),
				      .min = 1};
	add_model_cp(w, &w->added[0], n - 2, 1);
	add_model_cp(w, &w->added[1], n - 2, 1);

	kase = cJSON_Parse("{\"title\": \"Paths\", \"setting\": \"community\", "
			   "\"summary\": \"A case for the path generator.\", "
			   "\"client\": {\"alias\": \"Pat\"}, "
			   "\"referral\": {\"source\": \"self\", \"reason\": "
			   "\"help\", \"urgency\": \"routine\"}, "
			   "\"background\": \"None.\", \"phases\": {}}");
	snprintf(w->case_id, sizeof(w->case_id), "paths-%s", w->wf->id);
	cJSON_AddStringToObject(kase, "id", w->case_id);
	events = cJSON_AddArrayToObject(kase, "events");
	w->event_count = 0;
	/* entering the third phase adds a checkpoint to a later phase */
	add_event(w, events, "on-entering", 2, 0, -1, m_index(&w->m, w->added[0].id));
	/* a record into the fifth phase reopens the last checkpoint of the
	 * fourth */
	add_event(w, events, "after-a-record", 4, 1,
		  m_index(&w->m, w->wf->phases[3]
				     .checkpoints[w->wf->phases[3].checkpoint_count - 1]
				     .id),
		  -1);
	/* entering the next-to-last phase reopens the first checkpoint of
	 * the phase before it and adds one here */
	add_event(w, events, "late-turn", n - 2, 0,
		  m_index(&w->m, w->wf->phases[n - 3].checkpoints[0].id),
		  m_index(&w->m, w->added[1].id));
	json = cJSON_PrintUnformatted(kase);
	if (cw_case_import(&out, w->fx->store, &diags, json, strlen(json), 0) != 0)
		fail_msg("the generated case is refused: %s", cw_error_last());
	cJSON_Delete(out);
	cw_diags_free(&diags);
	free(json);
	cJSON_Delete(kase);
	w->start = w->m;
}

static void test_every_path_of_every_workflow(void **state)
{
	fixture *fx = *state;
	char dir[512], path[1024];
	const char *bound = getenv("CASEWORK_PATHS_DEPTH");
	int depth = bound ? atoi(bound) : 12, workflows = 0;
	struct dirent *d;
	DIR *folder;

	snprintf(dir, sizeof(dir), "%s/examples/workflows", top());
	folder = opendir(dir);
	assert_non_null(folder);
	while ((d = readdir(folder)) != NULL) {
		world *w;
		size_t len = strlen(d->d_name);

		if (len < 6 || strcmp(d->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		w = calloc(1, sizeof(*w));
		assert_non_null(w);
		w->fx = fx;
		make_world(w, path);
		explore(w, depth);
		cw_workflow_free(w->wf);
		free(w);
		workflows++;
	}
	closedir(folder);
	assert_true(workflows >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_every_path_of_every_workflow,
					    fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
