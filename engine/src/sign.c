/*
 * sign.c - Ed25519 (RFC 8032) from nettle, with hex digits at the edges:
 * the instructor's key and the signatures on instructor acts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <nettle/eddsa.h>

#include "sign.h"

static void to_hex(char *out, const uint8_t *bytes, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0xf];
	}
	out[2 * n] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int sign_is_hex(const char *s, size_t n)
{
	if (s == NULL || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (nibble(s[i]) < 0)
			return 0;
	return 1;
}

static int from_hex(uint8_t *out, const char *hex, size_t n)
{
	if (!sign_is_hex(hex, 2 * n))
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
	return 0;
}

/* `n` random bytes from getrandom(2), or /dev/urandom where it is
 * missing. */
static int random_bytes(uint8_t *out, size_t n)
{
	size_t got = 0;
	int fd;

	while (got < n) {
		ssize_t r = getrandom(out + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return 0;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (got = 0; got < n;) {
		ssize_t r = read(fd, out + got, n - got);

		if (r <= 0 && !(r < 0 && errno == EINTR)) {
			close(fd);
			return -1;
		}
		if (r > 0)
			got += (size_t)r;
	}
	close(fd);
	return 0;
}

int sign_keypair(char secret[65], char public_key[65])
{
	uint8_t priv[ED25519_KEY_SIZE], pub[ED25519_KEY_SIZE];

	if (random_bytes(priv, sizeof(priv)) < 0)
		return -1;
	ed25519_sha512_public_key(pub, priv);
	to_hex(secret, priv, sizeof(priv));
	to_hex(public_key, pub, sizeof(pub));
	memset(priv, 0, sizeof(priv));
	return 0;
}

int sign_public(char public_key[65], const char *secret)
{
	uint8_t priv[ED25519_KEY_SIZE], pub[ED25519_KEY_SIZE];

	if (from_hex(priv, secret, sizeof(priv)) < 0)
		return -1;
	ed25519_sha512_public_key(pub, priv);
	to_hex(public_key, pub, sizeof(pub));
	memset(priv, 0, sizeof(priv));
	return 0;
}

int sign_message(char sig[129], const char *secret, const void *msg,
		 size_t len)
{
	uint8_t priv[ED25519_KEY_SIZE], pub[ED25519_KEY_SIZE];
	uint8_t out[ED25519_SIGNATURE_SIZE];

	if (from_hex(priv, secret, sizeof(priv)) < 0)
		return -1;
	ed25519_sha512_public_key(pub, priv);
	ed25519_sha512_sign(pub, priv, len, msg, out);
	to_hex(sig, out, sizeof(out));
	memset(priv, 0, sizeof(priv));
	return 0;
}

int sign_verify(const char *public_key, const char *sig, const void *msg,
		size_t len)
{
	uint8_t pub[ED25519_KEY_SIZE], s[ED25519_SIGNATURE_SIZE];

	if (from_hex(pub, public_key, sizeof(pub)) < 0 ||
	    from_hex(s, sig, sizeof(s)) < 0)
		return 0;
	return ed25519_sha512_verify(pub, len, msg, s) == 1;
}

char *sign_act_text(const char *session, const char *actor, const char *type,
		    const char *payload)
{
	size_t len = strlen(session) + strlen(actor) + strlen(type) +
		     strlen(payload) + 64;
	char *out = malloc(len);

	if (out != NULL)
		snprintf(out, len, "casework instructor act 1\n%s\n%s\n%s\n%s",
			 session, actor, type, payload);
	return out;
}
