/*
 * report_grades.c - `report --format grades`: a CSV for a learning
 * platform's gradebook (DESIGN.md "Grades").  One row per student, then
 * one column per case holding 0-100: the weighted mean of the latest
 * rubric scores of the student's latest closed session on the case, as a
 * share of the top score (4).  The columns are every case the database
 * has, whatever has been scored so far.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/export.h"
#include "render.h"
#include "render_doc.h"
#include "state.h"
#include "store.h"
#include "text.h"

/* What the pass gathers: {"cases": [id, ...], "students": {key: {"name",
 * "login", "email", "cases": {case: {"at", "grade"}}}}}, keyed by login
 * for the roster's students and by the session's student name for the
 * others. */
typedef struct grades {
	cJSON *cases;
	cJSON *students;
	cw_store *store;
	const char *only_case; /* --case: its column alone */
} grades;

/* The row keyed `key`, made when it is new; NULL when out of memory. */
static cJSON *add_student(grades *g, const char *key, const char *name,
			  const char *login, const char *email)
{
	cJSON *row = cJSON_GetObjectItemCaseSensitive(g->students, key);

	if (row != NULL)
		return row;
	row = cJSON_AddObjectToObject(g->students, key);
	if (row == NULL || !cJSON_AddStringToObject(row, "name", name) ||
	    !cJSON_AddStringToObject(row, "login", login) ||
	    !cJSON_AddStringToObject(row, "email", email) ||
	    !cJSON_AddObjectToObject(row, "cases"))
		return NULL;
	return row;
}

/* A student of the roster: a row even before their first session. */
static int roster_student(const roster_row *r, void *payload)
{
	grades *g = payload;

	if (strcmp(r->role, "student") != 0 || r->removed_at != NULL)
		return 0;
	return add_student(g, r->login, r->name, r->login,
			   r->email ? r->email : "")
		       ? 0
		       : cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
}

/* The row of a session's student: the roster's whose login or name it
 * is, else a row of its own (a student the roster does not know). */
static cJSON *session_student(grades *g, const char *student)
{
	cJSON *row;

	/* by login or by name, whatever the case: "Ana" is ana's */
	cJSON_ArrayForEach(row, g->students) {
		const cJSON *name = cJSON_GetObjectItem(row, "name");

		if (text_same(row->string, student) ||
		    (cJSON_IsString(name) &&
		     text_same(name->valuestring, student)))
			return row;
	}
	return add_student(g, student, student, student, "");
}

static int add_case(const case_row *row, void *payload)
{
	grades *g = payload;

	if (g->only_case != NULL && strcmp(g->only_case, row->id) != 0)
		return 0;
	cJSON_AddItemToArray(g->cases, cJSON_CreateString(row->id));
	return 0;
}

/*
 * The grade of a closed session, 0 to 100, into `*out`; 0 when nothing
 * was scored on a rubric criterion (then `*out` is negative).  The latest
 * score on each criterion counts, weighted by the criterion's weight.
 */
static void session_grade(const state *st, double *out)
{
	double sum = 0, weights = 0;

	*out = -1;
	for (size_t i = 0; i < st->wf->phase_count; i++) {
		const cw_phase *ph = &st->wf->phases[i];

		for (size_t k = 0; k < ph->rubric_count; k++) {
			const feedback_entry *latest = NULL;

			for (size_t f = 0; f < st->feedback_count; f++) {
				const feedback_entry *e = &st->feedback[f];

				if (e->scored && e->criterion != NULL &&
				    e->phase != NULL &&
				    strcmp(e->phase, ph->id) == 0 &&
				    strcmp(e->criterion, ph->rubric[k].id) == 0)
					latest = e;
			}
			if (latest == NULL)
				continue;
			sum += latest->score * ph->rubric[k].weight;
			weights += ph->rubric[k].weight;
		}
	}
	if (weights > 0)
		*out = sum / weights / 4 * 100;
}

static int add_session(const session_row *listed, void *payload)
{
	grades *g = payload;
	session_row srow = {0};
	state st;
	cJSON *row, *cases, *entry;
	double grade;
	int error;

	row = session_student(g, listed->student);
	if (row == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (strcmp(listed->status, "closed") != 0)
		return 0;
	memset(&st, 0, sizeof(st));
	error = state_load(&st, &srow, g->store, listed->id);
	if (error == 0) {
		session_grade(&st, &grade);
		cases = cJSON_GetObjectItemCaseSensitive(row, "cases");
		entry = cJSON_GetObjectItemCaseSensitive(cases,
							 listed->case_id);
		/* the latest closed session on the case counts: the
		 * sessions come oldest first */
		cJSON_DeleteItemFromObjectCaseSensitive(cases,
							listed->case_id);
		entry = cJSON_AddObjectToObject(cases, listed->case_id);
		if (entry == NULL)
			error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		else if (grade >= 0)
			cJSON_AddNumberToObject(entry, "grade", grade);
	}
	state_clear(&st);
	session_row_clear(&srow);
	return error;
}

static const char *name_of(const cJSON *row)
{
	return cJSON_GetObjectItem(row, "name")->valuestring;
}

/* By name, then login: two students of one name stay in a fixed order. */
static int by_name(const void *a, const void *b)
{
	const cJSON *x = *(cJSON *const *)a, *y = *(cJSON *const *)b;
	int c = strcmp(name_of(x), name_of(y));

	return c ? c : strcmp(x->string, y->string);
}

static int write_grades(FILE *out, const grades *g)
{
	int n = cJSON_GetArraySize(g->students), i = 0;
	cJSON **rows = n ? calloc((size_t)n, sizeof(*rows)) : NULL;
	cJSON *row;

	if (n > 0 && rows == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	cJSON_ArrayForEach(row, g->students) rows[i++] = row;
	if (n > 0)
		qsort(rows, (size_t)n, sizeof(*rows), by_name);
	render_csv_grades_header(out, g->cases);
	for (i = 0; i < n; i++)
		render_csv_grades_row(out, name_of(rows[i]), rows[i], g->cases);
	free(rows);
	return 0;
}

int cw_export_grades_csv(FILE *out, cw_store *s,
			 const cw_session_filter *filter)
{
	grades g = {cJSON_CreateArray(), cJSON_CreateObject(), s,
		    filter ? filter->case_id : NULL};
	store_session_filter sf = {0};
	int error, owned = 0;

	if (g.cases == NULL || g.students == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	if (filter != NULL)
		sf = (store_session_filter){.case_id = filter->case_id,
					    .student = filter->student,
					    .student_words = 1};
	/* one snapshot for the cases, the list and every replay */
	if ((error = store_enter_read(s, &owned)) < 0)
		goto cleanup;
	error = store_cases_each(s, add_case, &g);
	/* the roster's students first: a session then finds its row */
	if (error == 0 && (filter == NULL || filter->student == NULL))
		error = store_roster_each(s, roster_student, &g);
	if (error == 0)
		error = store_sessions_each(s, &sf, add_session, &g);
	error = store_end(s, owned, error);
	if (error == 0)
		error = write_grades(out, &g);
	if (error == 0 && (fflush(out) != 0 || ferror(out)))
		error = cw_error_set(CW_ERROR, "cannot write the grades");
cleanup:
	cJSON_Delete(g.cases);
	cJSON_Delete(g.students);
	return error;
}
