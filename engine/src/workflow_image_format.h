/*
 * workflow_image_format.h - the layout of a workflow image, shared by its
 * writer (workflow_image.c) and its reader (workflow_image_read.c).
 */
#ifndef CW_WORKFLOW_IMAGE_FORMAT_H
#define CW_WORKFLOW_IMAGE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

static const unsigned char image_magic[8] = {0x89, 'C',  'W',	 'W',
				       'F',  '\r', '\n', 0x1a};

/* Where the header's fields are, and the size of each record. */
#define OFF_FORMAT	8
#define OFF_LENGTH	12
#define OFF_CHECKSUM	16
#define OFF_PHASES	24
#define OFF_CHECKPOINTS 28
#define OFF_CRITERIA	32
#define OFF_LISTS	36
#define OFF_REVISITS	40
#define OFF_STRINGS	44
#define OFF_WORKFLOW	48 /* id, version, title, description */
#define OFF_TAGS	64 /* the number of note tags; then a zero word */
#define HEADER_SIZE	72
#define PHASE_SIZE	(8 * 4)
#define CHECKPOINT_SIZE (9 * 4)
#define CRITERION_SIZE	(7 * 4) /* id, label, 4 levels, weight in 1/1000 */
#define NO_STRING	UINT32_C(0xffffffff)
/* The limits cw_workflow_parse enforces (workflow.c). */
#define MAX_VERSION   1000000
#define MAX_MIN	      1000
#define MAX_MIN_CHARS 10000

static inline uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static inline void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* The checksum of the `len`-byte image at `p` (workflow_image.c). */
uint64_t workflow_image_checksum(const unsigned char *p, size_t len);

#endif
