/*
 * test_error.c - the last error message: set, read, cleared, truncated
 * safely, and the code given handed back.
 */
#include "helpers.h"

#include "casework/error.h"

static void set_returns_the_code_given(void **state)
{
	(void)state;
	assert_int_equal(cw_error_set(CW_EINVALID, "bad"), CW_EINVALID);
	assert_int_equal(cw_error_set(CW_ENOTFOUND, "gone"), CW_ENOTFOUND);
	assert_int_equal(cw_error_set(CW_EAMBIGUOUS, "two"), CW_EAMBIGUOUS);
	assert_int_equal(cw_error_set(CW_OK, "fine"), CW_OK);
	assert_int_equal(cw_error_set(-42, "odd"), -42);
	cw_error_clear();
}

static void last_is_the_formatted_message(void **state)
{
	(void)state;
	cw_error_set(CW_ENOTFOUND, "no session '%s' (%d)", "abcd", 7);
	assert_string_equal(cw_error_last(), "no session 'abcd' (7)");
	/* the next failure replaces it */
	cw_error_set(CW_EINVALID, "second");
	assert_string_equal(cw_error_last(), "second");
	cw_error_clear();
}

static void clear_forgets_and_last_is_never_null(void **state)
{
	(void)state;
	cw_error_set(CW_ERROR, "something broke");
	cw_error_clear();
	assert_non_null(cw_error_last());
	assert_string_equal(cw_error_last(), "unknown error");
	/* an empty message reads as no message */
	cw_error_set(CW_ERROR, "%s", "");
	assert_string_equal(cw_error_last(), "unknown error");
}

/* A message longer than the buffer is cut, NUL-terminated, its start
 * kept; nothing past the buffer is written (ASan would see it). */
static void long_message_is_truncated_safely(void **state)
{
	size_t big = 8000;
	char *text = malloc(big + 1);
	const char *last;

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	text[big] = '\0';
	assert_int_equal(cw_error_set(CW_ESCHEMA, "%s", text), CW_ESCHEMA);
	last = cw_error_last();
	assert_true(strlen(last) > 0);
	assert_true(strlen(last) < big);
	assert_true(strlen(last) < 1024);
	assert_memory_equal(last, text, strlen(last));
	free(text);
	cw_error_clear();
}

/* The arguments may include the last message itself. */
static void message_may_quote_the_last_one(void **state)
{
	(void)state;
	cw_error_set(CW_ERROR, "disk full");
	cw_error_set(CW_ERROR, "could not save: %s", cw_error_last());
	assert_string_equal(cw_error_last(), "could not save: disk full");
	cw_error_set(CW_ERROR, "%s; %s", cw_error_last(), cw_error_last());
	assert_string_equal(cw_error_last(),
			    "could not save: disk full; could not save: disk full");
	cw_error_clear();
}

static void diags_free_empties_and_null_is_a_no_op(void **state)
{
	cw_diags d = CW_DIAGS_INIT;

	(void)state;
	cw_diags_free(NULL);
	cw_diags_free(&d);
	d.capacity = 2;
	d.items = calloc(2, sizeof(*d.items));
	assert_non_null(d.items);
	d.items[0].path = strdup("$.id");
	d.items[0].code = strdup("bad-id");
	d.items[0].message = strdup("not an id");
	d.count = 1;
	cw_diags_free(&d);
	assert_null(d.items);
	assert_int_equal(d.count, 0);
	assert_int_equal(d.capacity, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_returns_the_code_given),
		cmocka_unit_test(last_is_the_formatted_message),
		cmocka_unit_test(clear_forgets_and_last_is_never_null),
		cmocka_unit_test(long_message_is_truncated_safely),
		cmocka_unit_test(message_may_quote_the_last_one),
		cmocka_unit_test(diags_free_empties_and_null_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
