/*
 * check.h - validating JSON documents that users write, with the JSON path
 * of every problem.  Private to the engine; case.c and workflow.c build their
 * rules from these pieces so that every file gets the same wording.
 */
#ifndef CW_CHECK_H
#define CW_CHECK_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "casework/error.h"

/* Walks a document, knowing where it is, and collects what is wrong. */
typedef struct checker {
	cw_diags *diags;
	char path[512];
	size_t len;
	int oom; /* an allocation failed: the result is not to be trusted */
} checker;

void check_init(checker *c, cw_diags *diags);

/* Step into a member or an element; each returns the mark to step back to. */
size_t check_key(checker *c, const char *key);
size_t check_index(checker *c, size_t index);
void check_back(checker *c, size_t mark);

/* Record a problem at the current path (`code` is a stable rule name). */
void check_fail(checker *c, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report every member of `obj` whose name is not in the NULL-ended `known`. */
void check_known_keys(checker *c, const cJSON *obj, const char *const *known);

/*
 * Typed members of `obj`.  A missing required member, a wrong type, an empty
 * or invalid UTF-8 string are reported at the member's path; the functions
 * return NULL (or 0) then, and also for an absent optional member.
 */
const char *check_string(checker *c, const cJSON *obj, const char *key,
			 int required);
const char *check_id(checker *c, const cJSON *obj, const char *key,
		     int required);
const char *check_enum(checker *c, const cJSON *obj, const char *key,
		       int required, const char *const *options);
int check_int(checker *c, const cJSON *obj, const char *key, int required,
	      long min, long max, long *out);
const cJSON *check_array(checker *c, const cJSON *obj, const char *key,
			 int required);
const cJSON *check_object(checker *c, const cJSON *obj, const char *key,
			  int required);
/* An array of non-empty strings; returns the array or NULL. */
const cJSON *check_strings(checker *c, const cJSON *obj, const char *key,
			   int required);

/* "a string", "a number", ... for messages. */
const char *check_type_name(const cJSON *item);

/* 1 when `s` is a lower-case id: [a-z0-9] runs joined by single '-'. */
int check_is_id(const char *s);
/* 1 when the `len` bytes at `s` are well-formed UTF-8 with no NUL. */
int check_is_utf8(const char *s, size_t len);

/*
 * Parse `len` bytes as one JSON value.  On a syntax error, record it with
 * its line and column at path `$` and return NULL.  The caller frees the
 * result with cJSON_Delete.
 */
cJSON *check_parse(checker *c, const char *text, size_t len);

#endif
