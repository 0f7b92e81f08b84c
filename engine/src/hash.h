/*
 * hash.h - SHA-256 through nettle: of a text, and of a list of fields
 * (the chain hash of the log).  Layer 0: includes nothing of the engine.
 */
#ifndef CW_HASH_H
#define CW_HASH_H

#include <stddef.h>

/* SHA-256 of `len` bytes as 64 lower-case hex digits and a NUL.  Allocates
 * nothing and cannot fail (nettle hashes in a context on the stack). */
void hash_sha256(char out[65], const void *data, size_t len);

/* SHA-256 over `count` fields, each preceded by its length in bytes as a
 * 64-bit big-endian number (a NULL field counts as empty), so that no two
 * lists of fields hash alike by moving text from one field to the next. */
void hash_fields(char out[65], const char *const *fields, size_t count);

/* The version of nettle this process runs with, e.g. "3.8".  Borrowed,
 * static. */
const char *hash_nettle_version(void);

#endif
