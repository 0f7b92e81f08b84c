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

/* Names and words compared whatever the case, in any script, and
 * however an accent was typed. */
static void test_same_whatever_the_case(void **unused)
{
	(void)unused;
	assert_true(text_same("Zoë", "ZOË"));
	/* e followed by a combining diaeresis is the same ë */
	assert_true(text_same("Zoë", "zoe\xcc\x88"));
	assert_true(text_same("Straße", "STRASSE"));
	assert_true(text_same("Ｒｉｌｅｙ", "riley")); /* full-width forms */
	assert_false(text_same("Zoë", "Zoe"));
	assert_false(text_same("Zoë", "Zo"));
	assert_false(text_same("Zo", "Zoë"));
	assert_false(text_same("bad \xff", "bad \xfe"));
	assert_true(text_same("", ""));
	assert_false(text_same("", "a"));
	assert_true(text_name_matches("Zoë Ñúñez", "ñÚÑEZ"));
	assert_true(text_name_matches("Zoë Ñúñez", "zoë ñúñez"));
	assert_true(text_name_matches("Ana Lima", "LIMA"));
	assert_false(text_name_matches("Ana Lima", "an"));
	assert_false(text_name_matches("Zoë Ñúñez", "Zo"));
	/* a match ends on a whole character ("ß" is not where "s" ends);
	 * after "Zoe" in a "Zoë" written with its mark apart comes the mark,
	 * a word character, so "Zoe" is no whole word there */
	assert_int_equal(text_starts_with("Straße", 7, "STRAS", 5), 0);
	assert_int_equal(text_starts_with("Zoe\xcc\x88 x", 7, "zoe", 3), 3);
	assert_true(text_word_before("Zoe\xcc\x88", "Zoe\xcc\x88" + 5));
	assert_int_equal(text_starts_with("ZOË said", 9, "zoë", 4), 4);
}

static void test_word_characters(void **unused)
{
	const char *text = "Zoë—مرحبا 7!";
	size_t len;

	(void)unused;
	assert_true(text_word_char("ë", &len));
	assert_int_equal(len, 2);
	assert_false(text_word_char("—", &len)); /* a dash ends a word */
	assert_int_equal(len, 3);
	assert_true(text_word_char("م", &len));
	assert_true(text_word_char("7", &len));
	assert_false(text_word_char("!", &len));
	assert_false(text_word_char("\xff", &len));
	assert_int_equal(len, 1);
	assert_false(text_word_before(text, text));
	assert_true(text_word_before(text, text + 4));	   /* after ë */
	assert_false(text_word_before(text, text + 7));	   /* after — */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_texts_that_may_be_recorded),
	    cmocka_unit_test(test_texts_that_may_not),
	    cmocka_unit_test(test_actor_names),
	    cmocka_unit_test(test_same_whatever_the_case),
	    cmocka_unit_test(test_word_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
