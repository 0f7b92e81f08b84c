/*
 * helpers.h - what the engine's unit tests share: a fresh database in a
 * temporary folder, the sample case, and short ways to act on a session.
 */
#ifndef CW_TEST_HELPERS_H
#define CW_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "casework/case.h"
#include "casework/session.h"
#include "casework/store.h"
#include "casework/workflow.h"

/* A test's database: its folder and the open store. */
typedef struct fixture {
	char dir[256];
	char path[300];
	cw_store *store;
	char session[CW_ID_LEN + 1];
} fixture;

static inline char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	if (buf != NULL) {
		*len = fread(buf, 1, (size_t)size, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* The repository's top folder: $CASEWORK_TOP, or the working folder. */
static inline const char *top(void)
{
	const char *t = getenv("CASEWORK_TOP");

	return t ? t : ".";
}

static inline void import_case(cw_store *store, const char *name)
{
	char path[512];
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	size_t len = 0;
	char *text;

	snprintf(path, sizeof(path), "%s/examples/cases/%s.json", top(), name);
	text = read_all(path, &len);
	assert_non_null(text);
	assert_int_equal(cw_case_import(&out, store, &diags, text, len, 0), 0);
	cJSON_Delete(out);
	cw_diags_free(&diags);
	free(text);
}

/* Set up: an empty database with the sample case and a session on it. */
static inline int fixture_setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));
	cJSON *out = NULL;

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/cw-unit-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/cw.db", fx->dir);
	if (cw_store_open(&fx->store, fx->path) != 0)
		return -1;
	import_case(fx->store, "school-attendance-year8");
	if (cw_session_start(&out, fx->store, "school-attendance-year8", "Ana",
			     NULL, "tester", 0) != 0)
		return -1;
	snprintf(fx->session, sizeof(fx->session), "%s",
		 cJSON_GetObjectItem(out, "session")->valuestring);
	cJSON_Delete(out);
	*state = fx;
	return 0;
}

static inline int fixture_teardown(void **state)
{
	fixture *fx = *state;
	char cmd[300];

	cw_store_free(fx->store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* Apply an action; returns the engine's code and frees the result. */
static inline int act(fixture *fx, cw_action a)
{
	cJSON *out = NULL;
	int error = cw_session_act(&out, fx->store, fx->session, "tester", &a);

	cJSON_Delete(out);
	return error;
}

static inline int note(fixture *fx, const char *tag, const char *text)
{
	cw_action a = { .type = CW_ACT_NOTE, .tag = tag, .text = text };

	return act(fx, a);
}

static inline int check(fixture *fx, const char *cp, const char *text)
{
	cw_action a = { .type = CW_ACT_CHECK, .checkpoint = cp, .text = text };

	return act(fx, a);
}

static inline int advance(fixture *fx)
{
	cw_action a = { .type = CW_ACT_ADVANCE };

	return act(fx, a);
}

/* The session's phase id (a static buffer). */
static inline const char *phase(fixture *fx)
{
	static char buf[64];
	cJSON *doc = NULL;

	assert_int_equal(cw_session_status(&doc, fx->store, fx->session), 0);
	snprintf(buf, sizeof(buf), "%s",
		 cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "phase"), "id")
			 ->valuestring);
	cJSON_Delete(doc);
	return buf;
}

#define LONG_ENOUGH "a statement well over twenty characters"

/* Write every stage of the standard workflow's termination reflection,
 * each over the forty characters it asks for; 0 or the first error. */
static inline int reflect_all(fixture *fx)
{
	static const char *const stages[] = { "description", "feelings",
		"evaluation", "analysis", "conclusion", "action-plan" };
	int error = 0;

	for (size_t i = 0; error == 0 && i < 6; i++) {
		cw_action a = { .type = CW_ACT_REFLECT, .stage = stages[i],
				.text = "a stage of the reflection, written "
					"out in full" };

		error = act(fx, a);
	}
	return error;
}

#endif
