/*
 * key.c - the keys a database trusts for instructor acts.
 *
 * A database keeps the public keys it trusts in one setting,
 * "trusted_keys": one line per key, its 64 hex digits and a name.  A key
 * is handed out as one line, "casework-ed25519 HEX NAME", which `key show`
 * prints and `key trust` reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/bundle.h"
#include "key.h"
#include "sign.h"
#include "state.h"
#include "text.h"

#define TRUSTED "trusted_keys"

int cw_key_generate(char secret[65], char public_key[65])
{
	if (sign_keypair(secret, public_key) < 0)
		return cw_error_set(CW_ERROR,
				    "no random bytes for a new key (getrandom "
				    "and /dev/urandom both failed)");
	return 0;
}

int cw_key_public(char public_key[65], const char *secret)
{
	if (sign_public(public_key, secret) < 0)
		return cw_error_set(CW_EINVALID,
				    "the private key is not 64 hex digits");
	return 0;
}

/* Whether `pub` is on one of the lines of `list`. */
static int listed(const char *list, const char *pub)
{
	for (const char *p = list; p != NULL && *p != '\0';) {
		if (strncmp(p, pub, 64) == 0 && (p[64] == ' ' || p[64] == '\n' ||
						  p[64] == '\0'))
			return 1;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

/* A session's acts left out on import, as they are looked at again. */
struct recount {
	cw_store *store;
	const char *was; /* " 5 7 ": the seqs left out */
	char *still;	 /* those still not trusted, the same shape */
	size_t used, size;
	long counted;	 /* how many count now */
};

static int recount_event(const event_row *ev, void *payload)
{
	struct recount *r = payload;
	char item[32];
	int trusted;

	snprintf(item, sizeof(item), " %ld ", ev->seq);
	if (strstr(r->was, item) == NULL)
		return 0;
	if ((trusted = key_act_trusted(r->store, ev)) < 0)
		return trusted;
	if (trusted) {
		r->counted++;
		return 0;
	}
	if (r->used + strlen(item) + 1 > r->size) {
		size_t more = (r->size + strlen(item)) * 2;
		char *grown = realloc(r->still, more);

		if (grown == NULL)
			return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		r->still = grown;
		r->size = more;
	}
	/* " 5 " then "7 ": one space between, one at each end */
	r->used += (size_t)snprintf(r->still + r->used, r->size - r->used,
				    "%s", r->used ? item + 1 : item);
	return 0;
}

static int add_id(const session_row *row, void *payload)
{
	cJSON *id = cJSON_CreateString(row->id);

	return cJSON_AddItemToArray(payload, id)
		       ? 0
		       : (cJSON_Delete(id), cw_error_set(CW_ERROR,
						       CW_NOMEM_MESSAGE));
}

/*
 * A key trusted now makes the acts it signed count, where an import left
 * them out before (a hand-back imported before its instructor's key was
 * trusted): each session's list of left-out acts is looked at again, and
 * a session whose acts now count has its row projected anew.  How many
 * acts count now goes to `*counted`.
 */
static int recount_left_out(cw_store *s, long *counted)
{
	cJSON *ids = cJSON_CreateArray();
	const cJSON *id;
	int error;

	*counted = 0;
	if (ids == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	error = store_sessions_each(s, NULL, add_id, ids);
	cJSON_ArrayForEach(id, ids) {
		struct recount r = { s, NULL, NULL, 0, 0, 0 };
		char key[96], *was = NULL;

		if (error < 0)
			break;
		snprintf(key, sizeof(key), KEY_LEFT_OUT_PREFIX "%s",
			 id->valuestring);
		if ((error = store_setting_get(s, key, &was)) < 0 ||
		    was == NULL || strspn(was, " ") == strlen(was)) {
			free(was);
			continue;
		}
		r.was = was;
		error = store_events_each(s, id->valuestring, recount_event, &r);
		if (error == 0 && r.counted > 0)
			error = store_setting_set(s, key, r.still ? r.still : "");
		if (error == 0 && r.counted > 0) {
			session_row row = { 0 };
			state st;

			memset(&st, 0, sizeof(st));
			error = state_load(&st, &row, s, id->valuestring);
			if (error == 0)
				error = state_project(s, &st, id->valuestring);
			state_clear(&st);
			session_row_clear(&row);
		}
		*counted += r.counted;
		free(r.still);
		free(was);
	}
	cJSON_Delete(ids);
	return error;
}

int cw_key_trust(cJSON **out, cw_store *s, const char *line)
{
	const char *prefix = CW_KEY_LINE_PREFIX " ";
	char pub[65], *list = NULL, *grown = NULL;
	const char *name;
	int owned = 0, error;
	long counted = 0;
	size_t len;

	*out = NULL;
	if (line == NULL || strncmp(line, prefix, strlen(prefix)) != 0)
		return cw_error_set(CW_EINVALID,
				    "not a casework key line (it starts with "
				    "'%s', then 64 hex digits and a name; "
				    "'casework key show' prints one)",
				    CW_KEY_LINE_PREFIX);
	line += strlen(prefix);
	snprintf(pub, sizeof(pub), "%.64s", line);
	name = line[64] == ' ' ? line + 65 : "";
	if (!sign_is_hex(pub, 64) || (line[64] != ' ' && line[64] != '\0'))
		return cw_error_set(CW_EINVALID,
				    "the key in the line is not 64 lower-case "
				    "hex digits");
	if (*name != '\0' && text_check(name, "key's name", 0) < 0)
		return CW_EINVALID;
	if ((error = store_enter(s, &owned)) < 0)
		return error;
	if ((error = store_setting_get(s, TRUSTED, &list)) < 0)
		goto done;
	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "key", pub);
	cJSON_AddStringToObject(*out, "name", name);
	if (listed(list, pub)) {
		cJSON_AddStringToObject(*out, "result", "known");
		goto done;
	}
	len = (list ? strlen(list) : 0) + strlen(name) + 68;
	if ((grown = malloc(len)) == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto done;
	}
	snprintf(grown, len, "%s%s %s\n", list ? list : "", pub, name);
	error = store_setting_set(s, TRUSTED, grown);
	if (error == 0)
		error = recount_left_out(s, &counted);
	cJSON_AddStringToObject(*out, "result", "trusted");
	cJSON_AddNumberToObject(*out, "counted", (double)counted);
done:
	free(list);
	free(grown);
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return error;
}

int cw_key_list(cJSON **out, cw_store *s)
{
	char *list = NULL;
	cJSON *keys;
	int error = store_setting_get(s, TRUSTED, &list);

	*out = NULL;
	if (error < 0)
		return error;
	*out = cJSON_CreateObject();
	keys = cJSON_AddArrayToObject(*out, "keys");
	for (char *p = list; p != NULL && *p != '\0';) {
		char *end = strchr(p, '\n'), pub[65];
		cJSON *item = cJSON_CreateObject();

		if (end != NULL)
			*end = '\0';
		snprintf(pub, sizeof(pub), "%.64s", p);
		cJSON_AddStringToObject(item, "key", pub);
		cJSON_AddStringToObject(item, "name",
					strlen(p) > 65 ? p + 65 : "");
		cJSON_AddItemToArray(keys, item);
		p = end ? end + 1 : NULL;
	}
	free(list);
	return 0;
}

int key_act_trusted(cw_store *s, const event_row *ev)
{
	cJSON *p = cJSON_Parse(ev->payload);
	cJSON *signed_by = cJSON_DetachItemFromObject(p, "signed");
	const cJSON *k = cJSON_GetObjectItem(signed_by, "key");
	const cJSON *sig = cJSON_GetObjectItem(signed_by, "sig");
	char *rest = NULL, *text = NULL, *list = NULL;
	int ok = 0, error = 0;

	if (p == NULL || !cJSON_IsString(k) || !cJSON_IsString(sig))
		goto done;
	rest = cJSON_PrintUnformatted(p);
	text = rest ? sign_act_text(ev->session, ev->actor, ev->type, rest)
		    : NULL;
	if (text == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto done;
	}
	if (!sign_verify(k->valuestring, sig->valuestring, text, strlen(text)))
		goto done;
	if ((error = store_setting_get(s, TRUSTED, &list)) < 0)
		goto done;
	ok = listed(list, k->valuestring);
done:
	free(list);
	free(text);
	free(rest);
	cJSON_Delete(signed_by);
	cJSON_Delete(p);
	return error < 0 ? error : ok;
}
