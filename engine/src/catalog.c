/*
 * catalog.c - the workflows a store holds: the compiled-in standard one,
 * imported variants as immutable versions, each parsed once per store;
 * and what a new or upgraded database needs of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "casework/workflow.h"
#include "catalog.h"
#include "hash.h"
#include "text.h"
#include "workflow_image.h"

static void now_utc(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* 1 when `id` names a built-in workflow (its "id" field, read without
 * parsing the whole definition). */
static int builtin_id(const char *id)
{
	char key[80];
	size_t len;
	const char *text;

	snprintf(key, sizeof(key), "\"id\": \"%s\"", id ? id : "");
	for (size_t i = 0; (text = cw_workflow_builtin_text(i, &len)); i++)
		if (strstr(text, key) != NULL)
			return 1;
	return 0;
}

int catalog_load(cw_workflow **out, cw_store *s, const char *id, int version,
		 int *version_out)
{
	cw_diags diags = CW_DIAGS_INIT;
	char *text = NULL;
	int error = store_workflow_get(s, id, version, &text, version_out);

	*out = NULL;
	/* a database made before a workflow was built in gets it now */
	if (error == CW_ENOTFOUND && builtin_id(id) &&
	    catalog_ensure_standard(s) == 0)
		error = store_workflow_get(s, id, version, &text, version_out);
	if (error == 0)
		error = cw_workflow_parse(out, &diags, text, strlen(text));
	if (error == CW_ESCHEMA)
		error = cw_error_set(CW_ERROR,
				     "stored workflow %s is damaged: %s", id,
				     cw_error_last());
	cw_diags_free(&diags);
	free(text);
	return error;
}

/* Parsed workflows by their exact stored text: the read commands over many
 * sessions (report, export --all, verify --all) parsed the same definition
 * once per session, which cost more than everything else they did.  The
 * list is kept with the store (its `cache`), which frees it on close. */
struct catalog_cache {
	cw_workflow *wf;
	struct catalog_cache *next;
};

static void cache_free(void *cache)
{
	struct catalog_cache *c = cache;

	while (c != NULL) {
		struct catalog_cache *next = c->next;

		cw_workflow_free(c->wf);
		free(c);
		c = next;
	}
}

/* Workflow `id` `version` from its stored image into `*wf`, or NULL there
 * when there is no image, one of another format, or one that does not
 * read back as that very workflow (an image is a cache; the JSON it was
 * compiled from stays the truth).  A failure to read (out of memory, an
 * I/O error) is returned: it is not a missing image, and the transaction
 * may be gone with it. */
static int from_image(cw_workflow **wf, cw_store *s, const char *id,
		      int version)
{
	void *image = NULL;
	size_t len = 0;
	int error;

	*wf = NULL;
	error = store_workflow_image_get(s, id, version,
					 WORKFLOW_IMAGE_VERSION, &image, &len);
	if (error < 0 && error != CW_ENOTFOUND)
		return error;
	if (error == 0 && workflow_image_read(wf, image, len) == 0 &&
	    (strcmp((*wf)->id, id) != 0 || (*wf)->version != version)) {
		cw_workflow_free(*wf);
		*wf = NULL;
	}
	free(image);
	cw_error_clear();
	return 0;
}

int catalog_get(const cw_workflow **out, cw_store *s, const char *id,
		int version)
{
	struct catalog_cache *c;
	cw_workflow *wf;
	int error = 0;

	*out = NULL;
	/* a stored version is immutable (the database refuses an update),
	 * so within one store (id, version) names one definition */
	for (c = s->cache; c != NULL; c = c->next) {
		if (strcmp(c->wf->id, id) == 0 && c->wf->version == version) {
			*out = c->wf;
			return 0;
		}
	}
	if ((error = from_image(&wf, s, id, version)) < 0)
		return error;
	if (wf == NULL && (error = catalog_load(&wf, s, id, version, NULL)) < 0)
		return error;
	if ((c = malloc(sizeof(*c))) == NULL) {
		cw_workflow_free(wf);
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	c->wf = wf;
	c->next = s->cache;
	s->cache = c;
	s->cache_free = cache_free;
	*out = wf;
	return 0;
}

int catalog_put(cw_store *s, const cw_workflow *wf, int version,
		const char *text, const char *sha256, const char *at)
{
	cw_workflow as_stored = *wf;
	void *image = NULL;
	size_t len = 0;
	int error = store_workflow_insert(s, wf->id, version, wf->title, text,
					  sha256, at);

	if (error < 0)
		return error;
	/* the image says the version the store gives it (an import may bump
	 * the file's) */
	as_stored.version = version;
	if ((error = workflow_image_write(&image, &len, &as_stored)) == 0)
		error = store_workflow_image_put(s, wf->id, version,
						 WORKFLOW_IMAGE_VERSION, image,
						 len);
	free(image);
	return error;
}

struct version_list {
	size_t count, cap;
	struct {
		char *id;
		int version;
	} *items;
};

static int remember_version(const workflow_row *w, void *payload)
{
	struct version_list *l = payload;

	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		void *grown = realloc(l->items, cap * sizeof(*l->items));

		if (grown == NULL)
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		l->items = grown;
		l->cap = cap;
	}
	if ((l->items[l->count].id = strdup(w->id)) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	l->items[l->count++].version = w->version;
	return 0;
}

/* Give every stored version without an image of this format its image,
 * in the open write transaction: after an upgrade of the schema (older
 * databases have none) or of the image format. */
static int compile_missing(cw_store *s)
{
	struct version_list l = { 0 };
	int error = store_workflows_each(s, NULL, remember_version, &l);

	for (size_t i = 0; error == 0 && i < l.count; i++) {
		cw_workflow *wf = NULL;
		void *image = NULL;
		size_t len = 0;

		error = from_image(&wf, s, l.items[i].id, l.items[i].version);
		if (error == 0 && wf == NULL &&
		    (error = catalog_load(&wf, s, l.items[i].id,
					  l.items[i].version, NULL)) == 0 &&
		    (error = workflow_image_write(&image, &len, wf)) == 0)
			error = store_workflow_image_put(
				s, wf->id, wf->version, WORKFLOW_IMAGE_VERSION,
				image, len);
		free(image);
		cw_workflow_free(wf);
	}
	for (size_t i = 0; i < l.count; i++)
		free(l.items[i].id);
	free(l.items);
	return error;
}

int cw_workflow_load(cw_workflow **out, cw_store *s, const char *id,
		     int version)
{
	return catalog_load(out, s, id, version, NULL);
}

static int ensure_builtin(cw_store *s, size_t index);

int catalog_ensure_standard(cw_store *s)
{
	size_t len;
	int error = 0;

	for (size_t i = 0; error == 0 && cw_workflow_builtin_text(i, &len);
	     i++)
		error = ensure_builtin(s, i);
	return error;
}

/* Store built-in workflow `index` unless its version is there. */
static int ensure_builtin(cw_store *s, size_t index)
{
	cw_workflow *wf = NULL;
	cw_diags diags = CW_DIAGS_INIT;
	size_t len;
	const char *text = cw_workflow_builtin_text(index, &len);
	char *stored = NULL, *copy = NULL, sha[65], at[32];
	int owned = 0;
	int error = cw_workflow_parse(&wf, &diags, text, len);

	cw_diags_free(&diags);
	if (error < 0)
		return cw_error_set(CW_ERROR,
				    "the built-in workflow is invalid: %s",
				    cw_error_last());
	/* look inside the write transaction, so that two processes cannot
	 * both find it missing */
	if ((error = store_enter(s, &owned)) < 0)
		goto cleanup;
	error = store_workflow_get(s, wf->id, wf->version, &stored, NULL);
	if (error != CW_ENOTFOUND) {
		error = store_end(s, owned, error);
		goto cleanup;
	}
	copy = strndup(text, len);
	store_sha256(sha, text, len);
	now_utc(at);
	error = copy ? catalog_put(s, wf, wf->version, copy, sha, at)
		     : cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	error = store_end(s, owned, error);
cleanup:
	free(copy);
	free(stored);
	cw_workflow_free(wf);
	return error;
}

/* A definition's content apart from its version number, for comparing. */
static char *content_key(const char *text, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(text, len);
	char *key;

	cJSON_DeleteItemFromObjectCaseSensitive(doc, "version");
	key = doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	return key;
}

int cw_workflow_import(cJSON **out, cw_store *s, cw_diags *diags,
		       const char *text, size_t len)
{
	cw_workflow *wf = NULL;
	cJSON *doc = NULL;
	char *stored = NULL, *new_key = NULL, *old_key = NULL, *canon = NULL;
	char sha[65], at[32];
	const char *result = "imported";
	int newest = 0, version, owned = 0, error;
	size_t bom = text_bom(text, len);

	*out = NULL;
	/* on a class server, an instructor's act */
	if ((error = store_require_instructor(s, "import workflows")) < 0)
		return error;
	/* a byte order mark is read past, not stored (a server's json
	 * column refuses it) */
	text += bom;
	len -= bom;
	if (len > CW_MAX_WORKFLOW_SIZE) {
		return cw_error_set(CW_ESCHEMA,
				    "$: the file is %zu bytes; a workflow may "
				    "be at most %d",
				    len, CW_MAX_WORKFLOW_SIZE);
	}
	if ((error = cw_workflow_parse(&wf, diags, text, len)) < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		goto cleanup;
	if ((error = catalog_ensure_standard(s)) < 0)
		goto done;
	version = wf->version;
	error = store_workflow_get(s, wf->id, 0, &stored, &newest);
	if (error < 0 && error != CW_ENOTFOUND)
		goto done;
	doc = cJSON_ParseWithLength(text, len);
	new_key = content_key(text, len);
	if (error == 0) {
		old_key = content_key(stored, strlen(stored));
		if (old_key != NULL && new_key != NULL &&
		    strcmp(old_key, new_key) == 0) {
			result = "unchanged";
			version = newest;
			error = 0;
			goto done;
		}
		if (version <= newest)
			version = newest + 1;
	}
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "version",
					       cJSON_CreateNumber(version));
	canon = cJSON_Print(doc);
	if (canon == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto done;
	}
	store_sha256(sha, canon, strlen(canon));
	now_utc(at);
	error = catalog_put(s, wf, version, canon, sha, at);
done:
	if (error == 0) {
		*out = cJSON_CreateObject();
		cJSON_AddStringToObject(*out, "id", wf->id);
		cJSON_AddNumberToObject(*out, "version", version);
		cJSON_AddStringToObject(*out, "title", wf->title);
		cJSON_AddStringToObject(*out, "result", result);
	}
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
cleanup:
	cJSON_Delete(doc);
	free(stored);
	free(new_key);
	free(old_key);
	free(canon);
	cw_workflow_free(wf);
	return error;
}

int catalog_upgraded(cw_store *s)
{
	int owned = 0, error = store_enter(s, &owned);

	if (error == 0)
		error = catalog_ensure_standard(s);
	if (error == 0)
		error = compile_missing(s);
	return store_end(s, owned, error);
}
