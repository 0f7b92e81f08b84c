/*
 * test_text.c - the rules for texts people type: present, not blank,
 * UTF-8, not huge, no control characters but line breaks and tabs.
 */
#include "helpers.h"

#include "text.h"

static void test_texts_that_may_be_recorded(void **unused)
{
	(void)unused;
	assert_int_equal(text_check("a note", "note", 1), 0);
	assert_int_equal(text_check("two\nlines\tand a tab", "note", 1), 0);
	assert_int_equal(text_check("héllo wörld", "note", 0), 0);
}

static void test_texts_that_may_not(void **unused)
{
	char *big = malloc(70000);

	(void)unused;
	assert_int_equal(text_check(NULL, "note", 1), CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "the note is required"));
	assert_int_equal(text_check(" \n\t ", "note", 1), CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "the note is empty"));
	assert_int_equal(text_check("bad \xff byte", "note", 1), CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "not valid UTF-8"));
	assert_int_equal(text_check("bell \a here", "note", 1), CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "U+0007) at character 6"));
	assert_int_equal(text_check("two\nlines", "student name", 0),
			 CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "must be one line"));
	assert_int_equal(text_check("c1 \xc2\x9b here", "note", 1),
			 CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "U+009B"));
	assert_non_null(big);
	memset(big, 'a', 69999);
	big[69999] = '\0';
	assert_int_equal(text_check(big, "note", 1), CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "too long"));
	free(big);
}

static void test_actor_names(void **unused)
{
	(void)unused;
	assert_int_equal(text_check_actor("Dr. Lee"), 0);
	assert_int_equal(text_check_actor(NULL), CW_EINVALID);
	assert_int_equal(text_check_actor("  "), CW_EINVALID);
	assert_int_equal(text_check_actor("two\nlines"), CW_EINVALID);
	assert_non_null(strstr(cw_error_last(), "control character"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_texts_that_may_be_recorded),
	    cmocka_unit_test(test_texts_that_may_not),
	    cmocka_unit_test(test_actor_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
