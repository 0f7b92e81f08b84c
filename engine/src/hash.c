/*
 * hash.c - SHA-256 from nettle, as hex digits.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>
#include <nettle/version.h>

#include "hash.h"

/* 32 bytes as 64 lower-case hex digits and a NUL (snprintf per byte was a
 * tenth of the cost of appending an event). */
static void hex_digest(char out[65], const unsigned char digest[32])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[digest[i] >> 4];
		out[2 * i + 1] = digits[digest[i] & 0xf];
	}
	out[64] = '\0';
}

void hash_sha256(char out[65], const void *data, size_t len)
{
	struct sha256_ctx ctx;
	unsigned char digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	hex_digest(out, digest);
}

void hash_fields(char out[65], const char *const *fields, size_t count)
{
	unsigned char digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	for (size_t i = 0; i < count; i++) {
		const char *field = fields[i] ? fields[i] : "";
		size_t len = strlen(field);
		unsigned char prefix[8];

		for (int b = 0; b < 8; b++)
			prefix[b] = (unsigned char)((uint64_t)len >> (56 - 8 * b));
		sha256_update(&ctx, sizeof(prefix), prefix);
		sha256_update(&ctx, len, (const uint8_t *)field);
	}
	sha256_digest(&ctx, sizeof(digest), digest);
	hex_digest(out, digest);
}

const char *hash_nettle_version(void)
{
	static char version[24];

	snprintf(version, sizeof(version), "%d.%d", nettle_version_major(),
		 nettle_version_minor());
	return version;
}
