/*
 * dot.c - a workflow drawn for Graphviz, with the path a session took
 * (the visits of its replayed state).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "catalog.h"
#include "state.h"

/* Write `s` as a DOT double-quoted string. */
static void dot_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The phases session `st` passed through, in order, and -1 when it was
 * closed.  The caller frees *out. */
static int session_path(int **out, size_t *count, const state *st)
{
	size_t n = 0;

	*count = 0;
	if ((*out = calloc(st->visit_count + 1, sizeof(int))) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	for (size_t i = 0; i < st->visit_count; i++)
		(*out)[n++] = (int)st->visits[i].phase;
	if (st->closed)
		(*out)[n++] = -1;
	*count = n;
	return 0;
}

static const char *node(const cw_workflow *wf, int phase)
{
	return phase < 0 ? "closed" : wf->phases[phase].id;
}

int cw_workflow_dot(char **out, cw_store *s, const char *id,
		    const char *session)
{
	cw_workflow *loaded = NULL;
	const cw_workflow *wf = NULL;
	state st = { 0 };
	session_row row = { 0 };
	int *path = NULL;
	size_t path_len = 0, size = 0;
	const char *current = NULL;
	FILE *f = NULL;
	int error;

	*out = NULL;
	if (session != NULL) {
		if ((error = state_load(&st, &row, s, session)) < 0 ||
		    (error = session_path(&path, &path_len, &st)) < 0)
			goto cleanup;
		wf = st.wf;
		current = st.closed ? "closed" : wf->phases[st.phase].id;
	} else if ((error = cw_workflow_load(&loaded, s, id ? id : "standard",
					     0)) < 0) {
		goto cleanup;
	} else {
		wf = loaded;
	}

	f = open_memstream(out, &size);
	if (f == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	fputs("digraph ", f);
	dot_string(f, wf->id);
	fputs(" {\n  rankdir=LR;\n  labelloc=t;\n  label=", f);
	{
		char title[300];

		snprintf(title, sizeof(title), "%s (%s v%d)", wf->title, wf->id,
			 wf->version);
		dot_string(f, title);
	}
	fputs(";\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
	      "  edge [fontname=\"Helvetica\", fontsize=10];\n",
	      f);
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];
		char label[2048];
		size_t len;

		snprintf(label, sizeof(label), "%zu. %s", i + 1, ph->title);
		for (size_t k = 0; k < ph->checkpoint_count; k++) {
			len = strlen(label);
			snprintf(label + len, sizeof(label) - len, "\n- %s (%s)",
				 ph->checkpoints[k].id,
				 cw_checkpoint_kind_name(ph->checkpoints[k].kind));
		}
		fputs("  ", f);
		dot_string(f, ph->id);
		fputs(" [label=", f);
		dot_string(f, label);
		if (current != NULL && strcmp(current, ph->id) == 0)
			fputs(", style=\"rounded,filled,bold\", "
			      "fillcolor=\"#ffe08a\"",
			      f);
		fputs("];\n", f);
	}
	fprintf(f, "  \"closed\" [shape=doublecircle, label=\"closed\"%s];\n",
		current && strcmp(current, "closed") == 0
			? ", style=filled, fillcolor=\"#ffe08a\""
			: "");
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];

		fputs("  ", f);
		dot_string(f, ph->id);
		fputs(" -> ", f);
		dot_string(f, node(wf, i + 1 < wf->phase_count ? (int)i + 1 : -1));
		fputs(" [label=\"advance\"];\n", f);
		for (size_t k = 0; k < ph->revisit_count; k++) {
			fputs("  ", f);
			dot_string(f, ph->id);
			fputs(" -> ", f);
			dot_string(f, wf->phases[ph->revisit[k]].id);
			fputs(" [style=dashed, label=\"revisit\", "
			      "constraint=false];\n",
			      f);
		}
	}
	/* the path the session took, numbered, over the workflow's edges */
	for (size_t i = 1; i < path_len; i++) {
		fputs("  ", f);
		dot_string(f, node(wf, path[i - 1]));
		fputs(" -> ", f);
		dot_string(f, node(wf, path[i]));
		fprintf(f,
			" [color=\"#1f6feb\", fontcolor=\"#1f6feb\", "
			"penwidth=2, label=\"%zu\", constraint=false];\n",
			i);
	}
	fputs("}\n", f);
	if (fclose(f) != 0) {
		f = NULL;
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	f = NULL;
	error = 0;
cleanup:
	if (f != NULL)
		fclose(f);
	if (error < 0) {
		free(*out);
		*out = NULL;
	}
	free(path);
	state_clear(&st);
	session_row_clear(&row);
	cw_workflow_free(loaded);
	return error;
}
