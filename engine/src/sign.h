/*
 * sign.h - Ed25519 signatures through nettle, keys and signatures as hex
 * digits.  Layer 0: includes nothing of the engine.
 */
#ifndef CW_SIGN_H
#define CW_SIGN_H

#include <stddef.h>

/* A new key pair from the kernel's random bytes: the private key and the
 * public key as 64 hex digits each.  0, or -1 when no random bytes could
 * be had. */
int sign_keypair(char secret[65], char public_key[65]);

/* The public key of private key `secret` (64 hex digits); 0, or -1 when
 * `secret` is not 64 hex digits. */
int sign_public(char public_key[65], const char *secret);

/* The signature of `len` bytes by `secret`, as 128 hex digits; 0 or -1
 * (a malformed key). */
int sign_message(char sig[129], const char *secret, const void *msg,
		 size_t len);

/* 1 when `sig` (128 hex digits) is `public_key`'s signature of the
 * message, else 0 (also for malformed hex). */
int sign_verify(const char *public_key, const char *sig, const void *msg,
		size_t len);

/* Whether `s` is exactly `n` lower-case hex digits. */
int sign_is_hex(const char *s, size_t n);


/* The text an instructor act's signature covers: the session, the actor,
 * the event type and the payload without its "signed" member, each on a
 * line after a fixed first line.  malloc'd, NULL when out of memory. */
char *sign_act_text(const char *session, const char *actor, const char *type,
		    const char *payload);

#endif
