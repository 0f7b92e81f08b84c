/*
 * workflow_image_read.c - loading a workflow from its compiled image
 * (workflow_image.c writes it; the reasons for its checks are there).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "workflow_image.h"
#include "workflow_image_format.h"

/* ---- reading ---- */

/* What a string reference may be. */
enum rule {
	OPTIONAL, /* NULL, or text */
	REQUIRED, /* text */
	ID	  /* an id: [a-z0-9] runs joined by single '-' */
};

typedef struct reader {
	const char *strings; /* the block's copy of the string table */
	uint32_t string_len;
} reader;

/*
 * Resolve string reference `ref` by `rule` into `*out`; the field is named
 * `record` `index` `field` in a message ("phase 2: title").
 */
static int string(const char **out, const reader *r, uint32_t ref,
		  enum rule rule, const char *record, size_t index,
		  const char *field)
{
	*out = NULL;
	if (ref == NO_STRING) {
		if (rule == OPTIONAL)
			return 0;
		return cw_error_set(CW_ERROR,
				    "workflow image: %s %zu: %s is missing",
				    record, index, field);
	}
	/* the table ends in a NUL, so any offset in it starts a string */
	if (ref >= r->string_len)
		return cw_error_set(CW_ERROR,
				    "workflow image: %s %zu: %s points past "
				    "the string table",
				    record, index, field);
	*out = r->strings + ref;
	if (**out == '\0' || (rule == ID && !check_is_id(*out)))
		return cw_error_set(
		    CW_ERROR, "workflow image: %s %zu: %s is %s", record, index,
		    field, **out == '\0' ? "empty" : "not an id");
	return 0;
}

/*
 * 1 when the `n` bytes at `p` are UTF-8 strings separated by NULs.  Text is
 * mostly ASCII, so eight bytes at a time are let through when none has its
 * high bit; check_is_utf8 judges each longer sequence.
 */
static int table_is_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint64_t eight;
		size_t k;

		if (n - i >= 8) {
			memcpy(&eight, p + i, 8);
			if ((eight & UINT64_C(0x8080808080808080)) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
		if (k > n - i || !check_is_utf8((const char *)p + i, k))
			return 0;
		i += k;
	}
	return 1;
}

/* Round `at` up to a multiple of `align` (a power of two). */
static uint64_t align_up(uint64_t at, size_t align)
{
	return (at + align - 1) & ~(uint64_t)(align - 1);
}

/* The header's counts, checked against the image's length. */
typedef struct counts {
	uint32_t phases, checkpoints, criteria, lists, revisits, strings, tags;
} counts;

static int read_header(counts *n, const unsigned char *img, size_t len)
{
	uint64_t need;

	if (img == NULL || len < sizeof(image_magic) ||
	    memcmp(img, image_magic, sizeof(image_magic)) != 0)
		return cw_error_set(CW_ERROR,
				    "workflow image: not a workflow image "
				    "(its first bytes are not the magic)");
	if (len < HEADER_SIZE)
		return cw_error_set(CW_ERROR,
				    "workflow image: truncated: %zu bytes, "
				    "shorter than its %d-byte header",
				    len, HEADER_SIZE);
	if (get32(img + OFF_FORMAT) != WORKFLOW_IMAGE_VERSION)
		return cw_error_set(CW_ERROR,
				    "workflow image: format version %u, but "
				    "this build reads version %d",
				    (unsigned)get32(img + OFF_FORMAT),
				    WORKFLOW_IMAGE_VERSION);
	if (get32(img + OFF_LENGTH) != len)
		return cw_error_set(CW_ERROR,
				    "workflow image: %s: %zu bytes, but its "
				    "header says %u",
				    get32(img + OFF_LENGTH) > len ? "truncated"
								  : "too long",
				    len, (unsigned)get32(img + OFF_LENGTH));
	if (get64(img + OFF_CHECKSUM) != workflow_image_checksum(img, len))
		return cw_error_set(CW_ERROR,
				    "workflow image: the checksum does not "
				    "match: the image is corrupt");
	n->phases = get32(img + OFF_PHASES);
	n->checkpoints = get32(img + OFF_CHECKPOINTS);
	n->criteria = get32(img + OFF_CRITERIA);
	n->lists = get32(img + OFF_LISTS);
	n->revisits = get32(img + OFF_REVISITS);
	n->strings = get32(img + OFF_STRINGS);
	n->tags = get32(img + OFF_TAGS);
	if ((uint64_t)n->tags * 2 > n->lists || get32(img + OFF_TAGS + 4) != 0)
		return cw_error_set(CW_ERROR,
				    "workflow image: %u tags do not fit its "
				    "%u list strings",
				    (unsigned)n->tags, (unsigned)n->lists);
	/* each term is below 2^38: the sum cannot wrap */
	need = HEADER_SIZE + (uint64_t)n->phases * PHASE_SIZE +
	       (uint64_t)n->checkpoints * CHECKPOINT_SIZE +
	       (uint64_t)n->criteria * CRITERION_SIZE + (uint64_t)n->lists * 4 +
	       (uint64_t)n->revisits * 4 + n->strings;
	if (need != len)
		return cw_error_set(CW_ERROR,
				    "workflow image: its counts make %llu "
				    "bytes, but it has %zu",
				    (unsigned long long)need, len);
	if (n->phases == 0)
		return cw_error_set(CW_ERROR,
				    "workflow image: it has no phases");
	if (n->strings > 0 && img[len - 1] != '\0')
		return cw_error_set(CW_ERROR,
				    "workflow image: its string table does "
				    "not end in a NUL");
	if (!table_is_utf8(img + len - n->strings, n->strings))
		return cw_error_set(CW_ERROR,
				    "workflow image: its strings are not "
				    "valid UTF-8");
	return 0;
}

/* Where each part goes in the one block. */
typedef struct layout {
	uint64_t internal, phases, checkpoints, criteria, lists, revisits,
	    tags, strings, size;
} layout;

static void plan(layout *l, const counts *n)
{
	uint64_t at = sizeof(cw_workflow);

	l->internal = at = align_up(at, _Alignof(struct cw_workflow_internal));
	at += sizeof(struct cw_workflow_internal);
	l->phases = at = align_up(at, _Alignof(cw_phase));
	at += (uint64_t)n->phases * sizeof(cw_phase);
	l->checkpoints = at = align_up(at, _Alignof(cw_checkpoint));
	at += (uint64_t)n->checkpoints * sizeof(cw_checkpoint);
	l->criteria = at = align_up(at, _Alignof(cw_criterion));
	at += (uint64_t)n->criteria * sizeof(cw_criterion);
	l->lists = at = align_up(at, _Alignof(const char *));
	at += (uint64_t)n->lists * sizeof(const char *);
	l->revisits = at = align_up(at, _Alignof(size_t));
	at += (uint64_t)n->revisits * sizeof(size_t);
	l->tags = at = align_up(at, _Alignof(cw_tag));
	at += (uint64_t)n->tags * sizeof(cw_tag);
	l->strings = at;
	l->size = at + n->strings;
}

/* Cursors into the block's arrays, as the phases claim their elements. */
typedef struct cursor {
	uint32_t checkpoints, criteria, lists, revisits;
} cursor;

/* Take `count` of the `total` elements after `*used`; 0 when they fit. */
static int claim(uint32_t *used, uint32_t count, uint32_t total, size_t phase,
		 const char *what)
{
	if (count > total - *used)
		return cw_error_set(CW_ERROR,
				    "workflow image: phase %zu: its %s run "
				    "past the image's",
				    phase, what);
	*used += count;
	return 0;
}

static int read_strings(const char ***out, const char **list, const reader *r,
			const unsigned char *refs, uint32_t count, size_t phase,
			const char *what)
{
	int error;

	*out = count > 0 ? list : NULL;
	for (uint32_t k = 0; k < count; k++)
		if ((error = string(&list[k], r, get32(refs + 4 * k), REQUIRED,
				    "phase", phase, what)) < 0)
			return error;
	return 0;
}

static int read_checkpoint(cw_checkpoint *cp, const reader *r,
			   const unsigned char *rec, size_t index)
{
	const char *what = "checkpoint";
	uint32_t kind = get32(rec + 12), record = get32(rec + 16);
	uint32_t min = get32(rec + 24), min_chars = get32(rec + 28);
	int error;

	if ((error = string(&cp->id, r, get32(rec), ID, what, index, "id")) <
		0 ||
	    (error = string(&cp->label, r, get32(rec + 4), REQUIRED, what,
			    index, "label")) < 0 ||
	    (error = string(&cp->help, r, get32(rec + 8), OPTIONAL, what, index,
			    "help")) < 0 ||
	    (error = string(&cp->tag, r, get32(rec + 20), OPTIONAL, what, index,
			    "tag")) < 0)
		return error;
	if (cp->tag != NULL && !check_is_id(cp->tag))
		return cw_error_set(CW_ERROR,
				    "workflow image: checkpoint %zu: tag is "
				    "not an id",
				    index);
	if (kind > CW_CHECKPOINT_APPROVAL || record >= CW_RECORD_KIND_COUNT)
		return cw_error_set(CW_ERROR,
				    "workflow image: checkpoint '%s': kind %u "
				    "or record kind %u is out of range",
				    cp->id, (unsigned)kind, (unsigned)record);
	cp->kind = (cw_checkpoint_kind)kind;
	cp->record = (cw_record_kind)record;
	if (min > MAX_MIN || min_chars > MAX_MIN_CHARS ||
	    (kind == CW_CHECKPOINT_COUNT && min == 0) ||
	    ((kind == CW_CHECKPOINT_CONFIRM || kind == CW_CHECKPOINT_CHOICE ||
	      kind == CW_CHECKPOINT_REFLECTION) &&
	     min_chars == 0))
		return cw_error_set(CW_ERROR,
				    "workflow image: checkpoint '%s': min %u "
				    "or min_chars %u is out of range",
				    cp->id, (unsigned)min, (unsigned)min_chars);
	cp->min = (int)min;
	cp->min_chars = (int)min_chars;
	if ((kind == CW_CHECKPOINT_COVERAGE &&
	     record != CW_RECORD_INTERVENTION &&
	     record != CW_RECORD_EVALUATION) ||
	    (cp->tag != NULL &&
	     (kind != CW_CHECKPOINT_COUNT || record != CW_RECORD_NOTE)))
		return cw_error_set(CW_ERROR,
				    "workflow image: checkpoint '%s': its "
				    "record kind or tag does not fit its kind",
				    cp->id);
	return 0;
}

/* A reflection's stages, then the guidance of each (NO_STRING: none):
 * `words` list words in all, two per stage. */
static int read_stages(cw_checkpoint *cp, const reader *r, const char **list,
		       const unsigned char *refs, uint32_t words,
		       uint32_t *lists_at, uint32_t lists, size_t phase)
{
	uint32_t count = words / 2;
	int error;

	if (words == 0 || words % 2 != 0)
		return cw_error_set(CW_ERROR,
				    "workflow image: reflection '%s' has %u "
				    "stage words, not two per stage",
				    cp->id, (unsigned)words);
	if ((error = claim(lists_at, words, lists, phase, "stages")) < 0 ||
	    (error = read_strings(&cp->stages, list, r, refs, count, phase,
				  "stage")) < 0)
		return error;
	cp->stage_count = count;
	cp->stage_help = list + count;
	for (uint32_t k = 0; k < count; k++) {
		if (!check_is_id(cp->stages[k]))
			return cw_error_set(CW_ERROR,
					    "workflow image: reflection '%s': "
					    "a stage is not an id",
					    cp->id);
		if ((error = string(&cp->stage_help[k], r,
				    get32(refs + 4 * (count + k)), OPTIONAL,
				    "phase", phase, "stage guidance")) < 0)
			return error;
	}
	return 0;
}

static int read_phase(cw_workflow *wf, size_t i, const reader *r,
		      const unsigned char *img, const counts *n,
		      const layout *l, cursor *at)
{
	unsigned char *block = (unsigned char *)wf;
	cw_phase *ph = &wf->phases[i];
	const unsigned char *rec = img + HEADER_SIZE + i * PHASE_SIZE;
	const unsigned char *checkpoints =
	    img + HEADER_SIZE + (size_t)n->phases * PHASE_SIZE;
	const unsigned char *criteria =
	    checkpoints + (size_t)n->checkpoints * CHECKPOINT_SIZE;
	const unsigned char *lists =
	    criteria + (size_t)n->criteria * CRITERION_SIZE;
	const unsigned char *revisits = lists + (size_t)n->lists * 4;
	const char **list = (const char **)(block + l->lists);
	size_t *revisit = (size_t *)(block + l->revisits);
	cw_checkpoint *cps = (cw_checkpoint *)(block + l->checkpoints);
	cw_criterion *crs = (cw_criterion *)(block + l->criteria);
	uint32_t first;
	int error;

	if ((error = string(&ph->id, r, get32(rec), ID, "phase", i, "id")) <
		0 ||
	    (error = string(&ph->title, r, get32(rec + 4), REQUIRED, "phase", i,
			    "title")) < 0 ||
	    (error = string(&ph->purpose, r, get32(rec + 8), REQUIRED, "phase",
			    i, "purpose")) < 0)
		return error;
	for (size_t k = 0; k < i; k++)
		if (strcmp(wf->phases[k].id, ph->id) == 0)
			return cw_error_set(CW_ERROR,
					    "workflow image: phase id '%s' is "
					    "used twice",
					    ph->id);

	ph->task_count = get32(rec + 12);
	ph->question_count = get32(rec + 16);
	first = at->lists;
	if ((error = claim(&at->lists, get32(rec + 12), n->lists, i, "tasks")) <
		0 ||
	    (error = read_strings(&ph->tasks, list + first, r,
				  lists + 4 * (size_t)first, get32(rec + 12), i,
				  "task")) < 0)
		return error;
	first = at->lists;
	if ((error = claim(&at->lists, get32(rec + 16), n->lists, i,
			   "questions")) < 0 ||
	    (error = read_strings(&ph->questions, list + first, r,
				  lists + 4 * (size_t)first, get32(rec + 16), i,
				  "question")) < 0)
		return error;

	first = at->revisits;
	if ((error = claim(&at->revisits, get32(rec + 20), n->revisits, i,
			   "revisits")) < 0)
		return error;
	ph->revisit_count = get32(rec + 20);
	ph->revisit = ph->revisit_count > 0 ? revisit + first : NULL;
	for (size_t k = 0; k < ph->revisit_count; k++) {
		uint32_t to = get32(revisits + 4 * (first + k));

		if (to >= i)
			return cw_error_set(CW_ERROR,
					    "workflow image: phase '%s' "
					    "revisits phase %u, not an "
					    "earlier one",
					    ph->id, (unsigned)to);
		ph->revisit[k] = to;
	}

	first = at->checkpoints;
	if ((error = claim(&at->checkpoints, get32(rec + 24), n->checkpoints, i,
			   "checkpoints")) < 0)
		return error;
	ph->checkpoint_count = get32(rec + 24);
	ph->checkpoints = ph->checkpoint_count > 0 ? cps + first : NULL;
	for (uint32_t k = 0; k < ph->checkpoint_count; k++) {
		const unsigned char *cr =
		    checkpoints + (size_t)(first + k) * CHECKPOINT_SIZE;
		cw_checkpoint *cp = &ph->checkpoints[k];
		uint32_t options = get32(cr + 32), o = at->lists;

		if ((error = read_checkpoint(cp, r, cr, first + k)) < 0)
			return error;
		/* unique in the whole workflow, as cw_workflow_parse has it */
		for (size_t p = 0; p <= i; p++) {
			const cw_phase *other = &wf->phases[p];
			size_t upto = p == i ? k : other->checkpoint_count;

			for (size_t q = 0; q < upto; q++)
				if (strcmp(other->checkpoints[q].id, cp->id) ==
				    0)
					return cw_error_set(
					    CW_ERROR,
					    "workflow image: checkpoint "
					    "id '%s' is used twice",
					    cp->id);
		}
		if (cp->kind == CW_CHECKPOINT_REFLECTION) {
			if ((error = read_stages(cp, r, list + o,
						 lists + 4 * (size_t)o, options,
						 &at->lists, n->lists, i)) < 0)
				return error;
			continue;
		}
		if ((cp->kind == CW_CHECKPOINT_CHOICE) != (options >= 2) ||
		    (cp->kind != CW_CHECKPOINT_CHOICE && options != 0))
			return cw_error_set(CW_ERROR,
					    "workflow image: checkpoint '%s': "
					    "%u options do not fit its kind",
					    cp->id, (unsigned)options);
		if ((error = claim(&at->lists, options, n->lists, i,
				   "options")) < 0 ||
		    (error = read_strings(&cp->options, list + o, r,
					  lists + 4 * (size_t)o, options, i,
					  "option")) < 0)
			return error;
		cp->option_count = options;
		for (size_t q = 0; q < options; q++)
			if (!check_is_id(cp->options[q]))
				return cw_error_set(CW_ERROR,
						    "workflow image: "
						    "checkpoint '%s': an "
						    "option is not an id",
						    cp->id);
	}

	first = at->criteria;
	if ((error = claim(&at->criteria, get32(rec + 28), n->criteria, i,
			   "criteria")) < 0)
		return error;
	ph->rubric_count = get32(rec + 28);
	ph->rubric = ph->rubric_count > 0 ? crs + first : NULL;
	for (uint32_t k = 0; k < ph->rubric_count; k++) {
		const unsigned char *cr =
		    criteria + (size_t)(first + k) * CRITERION_SIZE;
		cw_criterion *c = &ph->rubric[k];

		if ((error = string(&c->id, r, get32(cr), ID, "criterion",
				    first + k, "id")) < 0 ||
		    (error = string(&c->label, r, get32(cr + 4), REQUIRED,
				    "criterion", first + k, "label")) < 0)
			return error;
		for (int v = 0; v < 4; v++)
			if ((error =
				 string(&c->levels[v], r, get32(cr + 8 + 4 * v),
					REQUIRED, "criterion", first + k,
					"a level")) < 0)
				return error;
		if (get32(cr + 24) == 0 || get32(cr + 24) > MAX_WEIGHT * 1000)
			return cw_error_set(CW_ERROR,
					    "workflow image: criterion %u: "
					    "weight out of range",
					    (unsigned)(first + k));
		c->weight = get32(cr + 24) / 1000.0;
	}
	return 0;
}

/* The tags: two list strings each, after those of every phase. */
static int read_tags(cw_workflow *wf, const reader *r,
		     const unsigned char *img, const counts *n,
		     const layout *l, cursor *at)
{
	const unsigned char *lists =
	    img + HEADER_SIZE + (size_t)n->phases * PHASE_SIZE +
	    (size_t)n->checkpoints * CHECKPOINT_SIZE +
	    (size_t)n->criteria * CRITERION_SIZE;
	int error;

	if (n->tags > (n->lists - at->lists) / 2)
		return cw_error_set(CW_ERROR,
				    "workflow image: its tags run past the "
				    "image's list strings");
	wf->tags = n->tags > 0 ? (cw_tag *)((unsigned char *)wf + l->tags)
			       : NULL;
	wf->tag_count = n->tags;
	for (uint32_t i = 0; i < n->tags; i++, at->lists += 2) {
		cw_tag *t = &wf->tags[i];

		if ((error = string(&t->id, r, get32(lists + 4 * at->lists),
				    ID, "tag", i, "id")) < 0 ||
		    (error = string(&t->label, r,
				    get32(lists + 4 * (at->lists + 1)),
				    REQUIRED, "tag", i, "label")) < 0)
			return error;
		for (uint32_t k = 0; k < i; k++)
			if (strcmp(wf->tags[k].id, t->id) == 0)
				return cw_error_set(CW_ERROR,
						    "workflow image: tag '%s' "
						    "is listed twice",
						    t->id);
	}
	return 0;
}

int workflow_image_read(cw_workflow **out, const void *image, size_t len)
{
	const unsigned char *img = image;
	unsigned char *block = NULL;
	cw_workflow *wf = NULL;
	cursor at = {0, 0, 0, 0};
	counts n = {0, 0, 0, 0, 0, 0, 0};
	layout l;
	reader r;
	uint32_t version;
	int error;

	*out = NULL;
	if ((error = read_header(&n, img, len)) < 0)
		return error;
	plan(&l, &n);
	if (l.size > SIZE_MAX)
		return cw_error_set(CW_ERROR, "workflow image: too large");
	/* every field is set below but padding and the internal's root:
	 * zero the structures, not the strings that are copied over */
	if ((block = malloc((size_t)l.size)) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	memset(block, 0, (size_t)l.strings);
	wf = (cw_workflow *)block;
	wf->internal = (struct cw_workflow_internal *)(block + l.internal);
	wf->internal->one_block = 1;
	wf->phases = (cw_phase *)(block + l.phases);
	wf->phase_count = n.phases;
	memcpy(block + l.strings, img + len - n.strings, n.strings);
	r.strings = (const char *)(block + l.strings);
	r.string_len = n.strings;

	if ((error = string(&wf->id, &r, get32(img + OFF_WORKFLOW), ID,
			    "workflow", 0, "id")) < 0 ||
	    (error = string(&wf->title, &r, get32(img + OFF_WORKFLOW + 8),
			    REQUIRED, "workflow", 0, "title")) < 0 ||
	    (error =
		 string(&wf->description, &r, get32(img + OFF_WORKFLOW + 12),
			OPTIONAL, "workflow", 0, "description")) < 0)
		goto cleanup;
	version = get32(img + OFF_WORKFLOW + 4);
	if (version < 1 || version > MAX_VERSION) {
		error = cw_error_set(CW_ERROR,
				     "workflow image: version %u is out of "
				     "range",
				     (unsigned)version);
		goto cleanup;
	}
	wf->version = (int)version;
	for (size_t i = 0; i < n.phases; i++)
		if ((error = read_phase(wf, i, &r, img, &n, &l, &at)) < 0)
			goto cleanup;
	if ((error = read_tags(wf, &r, img, &n, &l, &at)) < 0)
		goto cleanup;
	if (at.checkpoints != n.checkpoints || at.criteria != n.criteria ||
	    at.lists != n.lists || at.revisits != n.revisits) {
		error = cw_error_set(CW_ERROR,
				     "workflow image: its phases do not use "
				     "all the records its header counts");
		goto cleanup;
	}
	*out = wf;
	return 0;

cleanup:
	free(block);
	return error;
}
