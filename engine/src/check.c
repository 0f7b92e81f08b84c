/*
 * check.c - the pieces every input-file validator is built from.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "check.h"

void check_init(checker *c, cw_diags *diags)
{
	c->diags = diags;
	strcpy(c->path, "$");
	c->len = 1;
	c->oom = 0;
}

static size_t append(checker *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t append(checker *c, const char *fmt, ...)
{
	size_t mark = c->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + c->len, sizeof(c->path) - c->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->len += (size_t)n;
	if (c->len >= sizeof(c->path))
		c->len = sizeof(c->path) - 1;
	return mark;
}

/* 1 when `key` can follow a dot in a JSONPath: [A-Za-z_][A-Za-z0-9_]*. */
static int plain_key(const char *key)
{
	if (!(*key == '_' || (*key >= 'a' && *key <= 'z') ||
	      (*key >= 'A' && *key <= 'Z')))
		return 0;
	for (; *key != '\0'; key++)
		if (!(*key == '_' || (*key >= 'a' && *key <= 'z') ||
		      (*key >= 'A' && *key <= 'Z') || (*key >= '0' && *key <= '9')))
			return 0;
	return 1;
}

size_t check_key(checker *c, const char *key)
{
	if (plain_key(key))
		return append(c, ".%s", key);
	return append(c, "[\"%s\"]", key);
}

size_t check_index(checker *c, size_t index)
{
	return append(c, "[%zu]", index);
}

void check_back(checker *c, size_t mark)
{
	c->len = mark;
	c->path[mark] = '\0';
}

void check_fail(checker *c, const char *code, const char *fmt, ...)
{
	cw_diags *d = c->diags;
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);

	if (d->count == d->capacity) {
		size_t cap = d->capacity ? d->capacity * 2 : 8;
		cw_diag *items = realloc(d->items, cap * sizeof(*items));

		if (items == NULL) {
			c->oom = 1;
			return;
		}
		d->items = items;
		d->capacity = cap;
	}
	d->items[d->count].path = strdup(c->path);
	d->items[d->count].code = strdup(code);
	d->items[d->count].message = strdup(message);
	d->count++;
}

const char *check_type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsNull(item))
		return "null";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsObject(item))
		return "an object";
	return "an unknown value";
}

void check_known_keys(checker *c, const cJSON *obj, const char *const *known)
{
	const cJSON *member;

	cJSON_ArrayForEach(member, obj) {
		const char *const *k = known;

		for (const cJSON *m = obj->child; m != member; m = m->next) {
			if (strcmp(m->string, member->string) == 0) {
				size_t mark = check_key(c, member->string);

				check_fail(c, "duplicate-field",
					   "field '%s' appears twice",
					   member->string);
				check_back(c, mark);
				break;
			}
		}
		while (*k != NULL && strcmp(*k, member->string) != 0)
			k++;
		if (*k == NULL) {
			size_t mark = check_key(c, member->string);

			check_fail(c, "unknown-field",
				   "unknown field '%s'", member->string);
			check_back(c, mark);
		}
	}
}

/* Find `key` in `obj`, reporting it missing when required; NULL if absent. */
static const cJSON *member(checker *c, const cJSON *obj, const char *key,
			   int required)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (item == NULL && required) {
		size_t mark = check_key(c, key);

		check_fail(c, "missing-field", "required field '%s' is missing",
			   key);
		check_back(c, mark);
	}
	return item;
}

static void wrong_type(checker *c, const char *key, const cJSON *item,
		       const char *expected)
{
	size_t mark = check_key(c, key);

	check_fail(c, "wrong-type", "expected %s, found %s", expected,
		   check_type_name(item));
	check_back(c, mark);
}

/* Check a string value at the current path; 1 when it is usable. */
static int string_ok(checker *c, const cJSON *item)
{
	const char *s;

	if (!cJSON_IsString(item)) {
		check_fail(c, "wrong-type", "expected a string, found %s",
			   check_type_name(item));
		return 0;
	}
	s = item->valuestring;
	if (!check_is_utf8(s, strlen(s))) {
		check_fail(c, "bad-utf8", "the text is not valid UTF-8");
		return 0;
	}
	if (strspn(s, " \t\r\n") == strlen(s)) {
		check_fail(c, "empty", "must not be empty");
		return 0;
	}
	return 1;
}

const char *check_string(checker *c, const cJSON *obj, const char *key,
			 int required)
{
	const cJSON *item = member(c, obj, key, required);
	size_t mark;
	int ok;

	if (item == NULL)
		return NULL;
	mark = check_key(c, key);
	ok = string_ok(c, item);
	check_back(c, mark);
	return ok ? item->valuestring : NULL;
}

const char *check_id(checker *c, const cJSON *obj, const char *key,
		     int required)
{
	const char *s = check_string(c, obj, key, required);

	if (s != NULL && !check_is_id(s)) {
		size_t mark = check_key(c, key);

		check_fail(c, "bad-id",
			   "'%s' is not a valid id (lower-case letters, "
			   "digits and single hyphens, e.g. 'goal-setting')",
			   s);
		check_back(c, mark);
		return NULL;
	}
	return s;
}

const char *check_enum(checker *c, const cJSON *obj, const char *key,
		       int required, const char *const *options)
{
	const char *s = check_string(c, obj, key, required);
	char expected[256] = "";
	size_t mark;

	if (s == NULL)
		return NULL;
	for (const char *const *o = options; *o != NULL; o++) {
		if (strcmp(*o, s) == 0)
			return s;
		if (o != options)
			strncat(expected, o[1] ? ", " : " or ",
				sizeof(expected) - strlen(expected) - 1);
		strncat(expected, *o, sizeof(expected) - strlen(expected) - 1);
	}
	mark = check_key(c, key);
	check_fail(c, "unknown-value", "unknown %s '%s' (expected %s)", key, s,
		   expected);
	check_back(c, mark);
	return NULL;
}

int check_int(checker *c, const cJSON *obj, const char *key, int required,
	      long min, long max, long *out)
{
	const cJSON *item = member(c, obj, key, required);
	double v;
	size_t mark;

	if (item == NULL)
		return 0;
	if (!cJSON_IsNumber(item)) {
		wrong_type(c, key, item, "an integer");
		return 0;
	}
	v = item->valuedouble;
	mark = check_key(c, key);
	/* (long)v is undefined for a v past the range of long (1e300, or
	 * 1e999 that parses as infinity); every double that large is whole */
	if (!(v > -9.2e18 && v < 9.2e18)) {
		check_fail(c, "out-of-range", "%g is out of range (%ld to %ld)",
			   v, min, max);
	} else if (v != (double)(long)v) {
		check_fail(c, "wrong-type", "expected an integer, found %g", v);
	} else if (v < (double)min || v > (double)max) {
		check_fail(c, "out-of-range", "%ld is out of range (%ld to %ld)",
			   (long)v, min, max);
	} else {
		check_back(c, mark);
		*out = (long)v;
		return 1;
	}
	check_back(c, mark);
	return 0;
}

const cJSON *check_array(checker *c, const cJSON *obj, const char *key,
			 int required)
{
	const cJSON *item = member(c, obj, key, required);

	if (item != NULL && !cJSON_IsArray(item)) {
		wrong_type(c, key, item, "an array");
		return NULL;
	}
	return item;
}

const cJSON *check_object(checker *c, const cJSON *obj, const char *key,
			  int required)
{
	const cJSON *item = member(c, obj, key, required);

	if (item != NULL && !cJSON_IsObject(item)) {
		wrong_type(c, key, item, "an object");
		return NULL;
	}
	return item;
}

const cJSON *check_strings(checker *c, const cJSON *obj, const char *key,
			   int required)
{
	const cJSON *array = check_array(c, obj, key, required);
	const cJSON *item;
	size_t mark, i = 0;
	size_t before = c->diags->count;

	if (array == NULL)
		return NULL;
	mark = check_key(c, key);
	cJSON_ArrayForEach(item, array) {
		size_t m = check_index(c, i++);

		string_ok(c, item);
		check_back(c, m);
	}
	check_back(c, mark);
	return c->diags->count == before ? array : NULL;
}

int check_is_id(const char *s)
{
	int prev_hyphen = 1; /* no leading hyphen */

	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			prev_hyphen = 0;
		else if (*s == '-' && !prev_hyphen)
			prev_hyphen = 1;
		else
			return 0;
	}
	return !prev_hyphen;
}

int check_is_utf8(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	const utf8proc_uint8_t *end = p + len;

	while (p < end) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if (*p == 0)
			return 0;
		if (*p < 0x80) {
			p++;
			continue;
		}
		/* refuses overlong forms, surrogates, values past U+10FFFF
		 * and a character cut off at the end */
		if ((n = utf8proc_iterate(p, end - p, &cp)) <= 0)
			return 0;
		p += n;
	}
	return 1;
}

/*
 * A text cut short: close what is open (a string, then arrays and objects
 * innermost first) and parse again.  If that parses, or fails only past
 * the original end, the text was truncated rather than wrong.  Also finds
 * a \\u0000 escape, which would end a string early without a word.
 */
struct scan {
	int truncated;
	const char *nul;
	const char *too_deep; /* where nesting passes cJSON's limit */
};

static struct scan scan_text(const char *text, size_t len)
{
	struct scan r = { 0, NULL, NULL };
	char open[256], *completed;
	size_t depth = 0, extra;
	int in_string = 0, overflow = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = text[i];

		if (in_string) {
			if (ch == '\\' && i + 1 < len) {
				if (text[i + 1] == 'u' && i + 5 < len &&
				    strncmp(text + i + 2, "0000", 4) == 0 &&
				    r.nul == NULL)
					r.nul = text + i;
				i++;
			} else if (ch == '"') {
				in_string = 0;
			}
		} else if (ch == '"') {
			in_string = 1;
		} else if (ch == '{' || ch == '[') {
			if (depth < sizeof(open))
				open[depth] = ch == '{' ? '}' : ']';
			else
				overflow = 1;
			depth++;
			if (depth > CJSON_NESTING_LIMIT && r.too_deep == NULL)
				r.too_deep = text + i;
		} else if ((ch == '}' || ch == ']') && depth > 0) {
			depth--;
		}
	}
	if ((!in_string && depth == 0) || overflow)
		return r;
	extra = (size_t)in_string + depth;
	completed = malloc(len + extra + 1);
	if (completed == NULL)
		return r;
	memcpy(completed, text, len);
	if (in_string)
		completed[len] = '"';
	for (size_t k = 0; k < depth; k++)
		completed[len + (size_t)in_string + k] = open[depth - 1 - k];
	completed[len + extra] = '\0';
	{
		const char *end = NULL;
		cJSON *root = cJSON_ParseWithLengthOpts(completed, len + extra,
							&end, 0);

		r.truncated = root != NULL ||
			      (end != NULL && end >= completed + len - 1 &&
			       end <= completed + len + extra);
		cJSON_Delete(root);
	}
	free(completed);
	return r;
}

static void position(const char *text, const char *at, size_t *line,
		     size_t *column)
{
	*line = 1;
	*column = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

/* Whether the `len` bytes of `text` (not NUL-terminated) are all space. */
static int blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (strchr(" \t\r\n", text[i]) == NULL || text[i] == '\0')
			return 0;
	return 1;
}

cJSON *check_parse(checker *c, const char *text, size_t len)
{
	const char *end = NULL;
	const char *nul = memchr(text, '\0', len);
	cJSON *root = NULL;
	struct scan sc;
	size_t line, column;

	/* cJSON would keep a string only up to a NUL byte in it and say
	 * nothing, and a text file has no business holding one */
	if (nul != NULL) {
		position(text, nul, &line, &column);
		check_fail(c, "nul-character",
			   "the file holds a NUL byte at line %zu, column %zu",
			   line, column);
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	sc = scan_text(text, len);
	if (root != NULL) {
		/* cJSON stops after the first value; anything but space after
		 * it is a second value or garbage */
		while (end < text + len && *end != '\0' &&
		       strchr(" \t\r\n", *end))
			end++;
		if (end == text + len && sc.nul == NULL)
			return root;
		cJSON_Delete(root);
		root = NULL;
		if (sc.nul != NULL) {
			position(text, sc.nul, &line, &column);
			check_fail(c, "nul-character",
				   "a string holds \\u0000 (a NUL character) at "
				   "line %zu, column %zu",
				   line, column);
			return NULL;
		}
	}
	if (blank(text, len)) {
		check_fail(c, "syntax", "the file is empty");
		return NULL;
	}
	if (sc.too_deep != NULL) {
		position(text, sc.too_deep, &line, &column);
		check_fail(c, "too-deep",
			   "arrays and objects are nested more "
			   "than %d deep (line %zu, column %zu)",
			   CJSON_NESTING_LIMIT, line, column);
		return NULL;
	}
	if (sc.truncated) {
		position(text, text + len, &line, &column);
		check_fail(c, "syntax",
			   "not valid JSON: the text ends too early "
			   "(line %zu, column %zu)",
			   line, column);
		return NULL;
	}
	if (end == NULL || end < text || end > text + len)
		end = text + len;
	position(text, end, &line, &column);
	check_fail(c, "syntax", "not valid JSON at line %zu, column %zu", line,
		   column);
	return NULL;
}
