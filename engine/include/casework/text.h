/*
 * casework/text.h - comparing the words people type, for "did you mean".
 */
#ifndef CASEWORK_TEXT_H
#define CASEWORK_TEXT_H

#include <stddef.h>

#include "casework/common.h"

/* The edit distance of `a` and `b` (insertions, deletions, substitutions,
 * and a swap of two neighbours counted once: "strenght" is 1 from
 * "strength"); 99 for words over 32 bytes. */
CW_EXTERN size_t cw_text_distance(const char *a, const char *b);

#endif
