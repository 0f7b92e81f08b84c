/*
 * test_hash.c - SHA-256 through nettle: known vectors, the length-prefixed
 * hash of a list of fields, and the version string of nettle.
 */
#include "helpers.h"

#include <ctype.h>

#include "hash.h"

/* FIPS 180-2 test vectors. */
static void sha256_of_known_vectors(void **state)
{
	char out[65];

	(void)state;
	hash_sha256(out, "", 0);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
	hash_sha256(out, "abc", 3);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	hash_sha256(out, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    56);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039"
				 "a33ce45964ff2167f6ecedd419db06c1");
}

/* Only `len` bytes count, including a NUL inside them. */
static void sha256_reads_exactly_len_bytes(void **state)
{
	char a[65], b[65], c[65];

	(void)state;
	hash_sha256(a, "abcdef", 3);
	hash_sha256(b, "abc", 3);
	assert_string_equal(a, b);
	hash_sha256(c, "abc\0", 4);
	assert_string_not_equal(b, c);
}

static void digest_is_lower_case_hex(void **state)
{
	char out[65];

	(void)state;
	memset(out, 'X', sizeof(out));
	hash_sha256(out, "casework", 8);
	assert_int_equal(out[64], '\0');
	assert_int_equal(strlen(out), 64);
	for (int i = 0; i < 64; i++)
		assert_true((out[i] >= '0' && out[i] <= '9') ||
			    (out[i] >= 'a' && out[i] <= 'f'));
}

/* hash_fields is SHA-256 of each field's 8-byte big-endian length and
 * bytes: the same input built by hand hashes alike. */
static void fields_are_length_prefixed(void **state)
{
	const char *fields[] = { "ab", "cde" };
	const unsigned char by_hand[] = { 0, 0, 0, 0, 0, 0, 0, 2, 'a', 'b',
					  0, 0, 0, 0, 0, 0, 0, 3, 'c', 'd', 'e' };
	char a[65], b[65];

	(void)state;
	hash_fields(a, fields, 2);
	hash_sha256(b, by_hand, sizeof(by_hand));
	assert_string_equal(a, b);
	/* no fields: the hash of nothing */
	hash_fields(a, fields, 0);
	assert_string_equal(a, "e3b0c44298fc1c149afbf4c8996fb924"
			       "27ae41e4649b934ca495991b7852b855");
}

/* Moving a byte from one field to the next changes the hash, and so
 * does splitting one field in two. */
static void moving_a_byte_between_fields_changes_the_hash(void **state)
{
	const char *one[] = { "ab", "c" };
	const char *two[] = { "a", "bc" };
	const char *joined[] = { "abc" };
	const char *with_empty[] = { "abc", "" };
	char a[65], b[65], c[65], d[65];

	(void)state;
	hash_fields(a, one, 2);
	hash_fields(b, two, 2);
	hash_fields(c, joined, 1);
	hash_fields(d, with_empty, 2);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(b, c);
	assert_string_not_equal(c, d);
}

static void null_field_counts_as_empty(void **state)
{
	const char *with_null[] = { "x", NULL, "y" };
	const char *with_empty[] = { "x", "", "y" };
	const char *without[] = { "x", "y" };
	char a[65], b[65], c[65];

	(void)state;
	hash_fields(a, with_null, 3);
	hash_fields(b, with_empty, 3);
	hash_fields(c, without, 2);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
}

/* The same fields always hash alike (nothing kept between calls). */
static void fields_hash_is_deterministic(void **state)
{
	const char *fields[] = { "session", "1", "note.added", "{}" };
	char a[65], b[65];

	(void)state;
	hash_fields(a, fields, 4);
	hash_fields(b, fields, 4);
	assert_string_equal(a, b);
}

/* "MAJOR.MINOR": digits, one dot, digits; nettle 3 or later. */
static void nettle_version_shape(void **state)
{
	const char *v = hash_nettle_version();
	const char *dot;

	(void)state;
	assert_non_null(v);
	dot = strchr(v, '.');
	assert_non_null(dot);
	assert_null(strchr(dot + 1, '.'));
	assert_true(dot > v);
	assert_true(dot[1] != '\0');
	for (const char *p = v; *p != '\0'; p++)
		assert_true(p == dot || isdigit((unsigned char)*p));
	assert_true(atoi(v) >= 3);
	assert_ptr_equal(v, hash_nettle_version());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_of_known_vectors),
		cmocka_unit_test(sha256_reads_exactly_len_bytes),
		cmocka_unit_test(digest_is_lower_case_hex),
		cmocka_unit_test(fields_are_length_prefixed),
		cmocka_unit_test(moving_a_byte_between_fields_changes_the_hash),
		cmocka_unit_test(null_field_counts_as_empty),
		cmocka_unit_test(fields_hash_is_deterministic),
		cmocka_unit_test(nettle_version_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
