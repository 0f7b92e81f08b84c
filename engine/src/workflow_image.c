/*
 * workflow_image.c - the compiled image of a validated workflow (the format
 * is in workflow_image.h): its checksum, and writing it.  Reading it is in
 * workflow_image_read.c.
 *
 * Reading an image is one pass over it into one allocation: the cw_workflow,
 * then its internal, phases, checkpoints, criteria, string lists and
 * revisits, then a copy of the string table that every string points into.
 * cw_workflow_free() knows such a workflow by its internal's `one_block`.
 *
 * An image is a cache of a workflow that was validated when it was stored,
 * but it may come from a database file a student edited, so reading it
 * checks every count and offset against its length, and again what the rest
 * of the engine relies on: kinds in range, required strings present, ids
 * well formed and unique, revisits to earlier phases only.  The checksum
 * finds accidental damage; it is no defence against a deliberate edit, and
 * needs none: the checks behind it keep an edited image from doing harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workflow_image.h"
#include "workflow_image_format.h"

/*
 * A 64-bit checksum of the image, its own field read as zero: FNV-1a over
 * 8-byte words, then a finalizer.  Each step is a bijection of the state,
 * so a change confined to one word (any flipped byte) always shows; and
 * it costs about one instruction a byte, where SHA-256 would cost more
 * than reading the image.
 */
uint64_t workflow_image_checksum(const unsigned char *p, size_t len)
{
	const uint64_t prime = UINT64_C(0x100000001b3);
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ (uint64_t)len;
	uint64_t tail = 0;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		h = (h ^ (i == OFF_CHECKSUM ? 0 : get64(p + i))) * prime;
	for (size_t k = 0; i + k < len; k++)
		tail |= (uint64_t)p[i + k] << (8 * k);
	h = (h ^ tail) * prime;
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

void workflow_image_seal(void *image, size_t len)
{
	unsigned char *p = image;
	uint64_t h;

	if (p == NULL || len < HEADER_SIZE)
		return;
	h = workflow_image_checksum(p, len);
	put32(p + OFF_CHECKSUM, (uint32_t)h);
	put32(p + OFF_CHECKSUM + 4, (uint32_t)(h >> 32));
}

/* ---- writing ---- */

enum section {
	S_PHASE,
	S_CHECKPOINT,
	S_CRITERION,
	S_LIST,
	S_REVISIT,
	S_STRING,
	SECTIONS
};

/*
 * One walk of the workflow serves twice: with no buffer it only measures
 * each section (at[] ends as the sizes), then with one it writes them.
 */
typedef struct writer {
	unsigned char *buf;    /* NULL while measuring */
	size_t base[SECTIONS]; /* where each section starts */
	size_t at[SECTIONS];   /* where its next byte goes */
} writer;

static void word(writer *w, enum section s, uint32_t v)
{
	if (w->buf != NULL)
		put32(w->buf + w->at[s], v);
	w->at[s] += 4;
}

static void string_ref(writer *w, enum section s, const char *str)
{
	size_t n;

	if (str == NULL) {
		word(w, s, NO_STRING);
		return;
	}
	/* offsets fit: the whole image was measured below NO_STRING */
	word(w, s, (uint32_t)(w->at[S_STRING] - w->base[S_STRING]));
	n = strlen(str) + 1;
	if (w->buf != NULL)
		memcpy(w->buf + w->at[S_STRING], str, n);
	w->at[S_STRING] += n;
}

/*
 * The workflow's own four words, in the header: written through the phase
 * section's cursor, moved there for the while, so that its strings come
 * first in the table.
 */
static void header(writer *w, const cw_workflow *wf)
{
	size_t save = w->at[S_PHASE];

	w->at[S_PHASE] = OFF_WORKFLOW;
	string_ref(w, S_PHASE, wf->id);
	word(w, S_PHASE, (uint32_t)wf->version);
	string_ref(w, S_PHASE, wf->title);
	string_ref(w, S_PHASE, wf->description);
	w->at[S_PHASE] = save;
}

static void walk(writer *w, const cw_workflow *wf)
{
	for (size_t i = 0; i < wf->phase_count; i++) {
		const cw_phase *ph = &wf->phases[i];

		string_ref(w, S_PHASE, ph->id);
		string_ref(w, S_PHASE, ph->title);
		string_ref(w, S_PHASE, ph->purpose);
		word(w, S_PHASE, (uint32_t)ph->task_count);
		word(w, S_PHASE, (uint32_t)ph->question_count);
		word(w, S_PHASE, (uint32_t)ph->revisit_count);
		word(w, S_PHASE, (uint32_t)ph->checkpoint_count);
		word(w, S_PHASE, (uint32_t)ph->rubric_count);
		for (size_t k = 0; k < ph->task_count; k++)
			string_ref(w, S_LIST, ph->tasks[k]);
		for (size_t k = 0; k < ph->question_count; k++)
			string_ref(w, S_LIST, ph->questions[k]);
		for (size_t k = 0; k < ph->revisit_count; k++)
			word(w, S_REVISIT, (uint32_t)ph->revisit[k]);
		for (size_t k = 0; k < ph->checkpoint_count; k++) {
			const cw_checkpoint *cp = &ph->checkpoints[k];

			string_ref(w, S_CHECKPOINT, cp->id);
			string_ref(w, S_CHECKPOINT, cp->label);
			string_ref(w, S_CHECKPOINT, cp->help);
			word(w, S_CHECKPOINT, (uint32_t)cp->kind);
			word(w, S_CHECKPOINT, (uint32_t)cp->record);
			string_ref(w, S_CHECKPOINT, cp->tag);
			word(w, S_CHECKPOINT, (uint32_t)cp->min);
			word(w, S_CHECKPOINT, (uint32_t)cp->min_chars);
			/* a choice's options, or a reflection's stages then
			 * the guidance of each (format 3) */
			if (cp->kind == CW_CHECKPOINT_REFLECTION) {
				word(w, S_CHECKPOINT,
				     (uint32_t)(2 * cp->stage_count));
				for (size_t o = 0; o < cp->stage_count; o++)
					string_ref(w, S_LIST, cp->stages[o]);
				for (size_t o = 0; o < cp->stage_count; o++)
					string_ref(w, S_LIST,
						   cp->stage_help
						       ? cp->stage_help[o]
						       : NULL);
				continue;
			}
			word(w, S_CHECKPOINT, (uint32_t)cp->option_count);
			for (size_t o = 0; o < cp->option_count; o++)
				string_ref(w, S_LIST, cp->options[o]);
		}
		for (size_t k = 0; k < ph->rubric_count; k++) {
			const cw_criterion *cr = &ph->rubric[k];

			string_ref(w, S_CRITERION, cr->id);
			string_ref(w, S_CRITERION, cr->label);
			for (int l = 0; l < 4; l++)
				string_ref(w, S_CRITERION, cr->levels[l]);
			word(w, S_CRITERION,
			     (uint32_t)(cr->weight * 1000 + 0.5));
		}
	}
	for (size_t i = 0; i < wf->tag_count; i++) {
		string_ref(w, S_LIST, wf->tags[i].id);
		string_ref(w, S_LIST, wf->tags[i].label);
	}
}

int workflow_image_write(void **out, size_t *len, const cw_workflow *wf)
{
	writer w = {NULL, {0}, {0}};
	size_t total = HEADER_SIZE;
	unsigned char *buf = NULL;

	*out = NULL;
	*len = 0;
	/* measure, then write: the same walk, so they cannot disagree */
	header(&w, wf);
	walk(&w, wf);
	for (int s = 0; s < SECTIONS; s++) {
		if (w.at[s] >= NO_STRING - total)
			return cw_error_set(CW_ERROR,
					    "workflow image: workflow '%s' is "
					    "too large for an image",
					    wf->id ? wf->id : "?");
		w.base[s] = total;
		total += w.at[s];
	}
	if ((buf = calloc(1, total)) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);

	/* write */
	w.buf = buf;
	memcpy(w.at, w.base, sizeof(w.at));
	memcpy(buf, image_magic, sizeof(image_magic));
	put32(buf + OFF_FORMAT, WORKFLOW_IMAGE_VERSION);
	put32(buf + OFF_LENGTH, (uint32_t)total);
	put32(buf + OFF_PHASES, (uint32_t)wf->phase_count);
	put32(buf + OFF_CHECKPOINTS,
	      (uint32_t)((w.base[S_CRITERION] - w.base[S_CHECKPOINT]) /
			 CHECKPOINT_SIZE));
	put32(buf + OFF_CRITERIA,
	      (uint32_t)((w.base[S_LIST] - w.base[S_CRITERION]) /
			 CRITERION_SIZE));
	put32(buf + OFF_LISTS,
	      (uint32_t)((w.base[S_REVISIT] - w.base[S_LIST]) / 4));
	put32(buf + OFF_REVISITS,
	      (uint32_t)((w.base[S_STRING] - w.base[S_REVISIT]) / 4));
	put32(buf + OFF_STRINGS, (uint32_t)(total - w.base[S_STRING]));
	put32(buf + OFF_TAGS, (uint32_t)wf->tag_count);
	header(&w, wf);
	walk(&w, wf);
	workflow_image_seal(buf, total);
	*out = buf;
	*len = total;
	return 0;
}

