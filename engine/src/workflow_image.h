/*
 * workflow_image.h - the compiled image of a validated workflow: a compact,
 * position-independent byte string that loads back into a cw_workflow in
 * one allocation, without parsing or re-validating JSON.  Private to the
 * engine; the store keeps images beside the workflow's JSON.
 *
 * The image (every integer a little-endian uint32 unless said otherwise):
 *   header   magic "\x89CWWF\r\n\x1a", format version, image length,
 *            a 64-bit checksum of the rest, then the counts of phases,
 *            checkpoints, criteria, list strings and revisits, and the
 *            size of the string table, the workflow's id, version, title
 *            and description, and the number of its note tags (72 bytes
 *            in all);
 *   records  phases (8 words), checkpoints (9), criteria (6), list strings
 *            (1: the tasks and questions of each phase in turn, then the
 *            options of each checkpoint in turn; after every phase's, the
 *            id and label of each tag), revisits (1: an index);
 *   strings  every string, NUL-terminated, referenced by its offset in the
 *            table; 0xffffffff is a NULL string.
 * A phase, checkpoint or list holds counts only: its elements follow those
 * of the one before, so there are no ranges to contradict each other.
 */
#ifndef CW_WORKFLOW_IMAGE_H
#define CW_WORKFLOW_IMAGE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "casework/workflow.h"

/* The image format this build writes and reads.  A database keeps the
 * images it has; one of another format is not used (the JSON is parsed
 * instead), and images are compiled when the schema is upgraded.  So a
 * change of format comes with a schema step that empties workflow_images
 * (schema_sqlite.c, schema_pg.c): the upgrade then compiles them anew. */
#define WORKFLOW_IMAGE_VERSION 3

/* The largest weight a rubric criterion may have (workflow.c checks it,
 * the image reader too). */
#define MAX_WEIGHT 1000

/* 0 when phase `ph` has rubric criterion `id`; otherwise CW_ENOTFOUND
 * with a message naming the criteria it has (workflow.c). */
int workflow_criterion_check(const cw_phase *ph, const char *id);

/*
 * How a cw_workflow's memory is held; shared by workflow.c (which parses
 * and frees) and workflow_image.c (which reads images).
 */
struct cw_workflow_internal {
	cJSON *root;   /* parsed: the tree every string points into */
	int one_block; /* read from an image: the workflow, its arrays and its
			  strings are one allocation, freed with one free() */
};

/*
 * Compile a validated workflow `wf` (from cw_workflow_parse or
 * workflow_image_read) into an image.  On success `*out` holds `*len`
 * bytes that the caller frees with free().  Returns 0, or CW_ERROR when
 * memory runs out or the workflow is too large for the format.
 */
int workflow_image_write(void **out, size_t *len, const cw_workflow *wf);

/*
 * Load the workflow an image of `len` bytes holds.  The image is not
 * trusted: a truncated, corrupt or foreign image, or one of another format
 * version, fails with CW_ERROR and a message saying what is wrong, and no
 * byte outside [image, image + len) is read.  On success `*out` is one
 * allocation that the caller frees with cw_workflow_free(); it does not
 * borrow from `image`.  `*out` is NULL on failure.
 */
int workflow_image_read(cw_workflow **out, const void *image, size_t len);

/*
 * Write the checksum of the `len`-byte image at `image` into its header
 * (no-op when `len` is shorter than a header).  workflow_image_write seals
 * what it writes; tests seal an image they altered, to reach the checks
 * behind the checksum.
 */
void workflow_image_seal(void *image, size_t len);

#endif
