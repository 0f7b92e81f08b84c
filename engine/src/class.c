/*
 * class.c - the class roster: who is on the class, as student or
 * instructor, and on a class server their logins.  On a file the roster
 * only names people; on a server `class add-*` also makes a login with a
 * random password, shown once, and `class remove` ends it (the sessions
 * stay).  Managing the class is an instructor's act.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "casework/session.h"
#include "store.h"
#include "text.h"

#define PASSWORD_LEN 24

/* A login is what PostgreSQL takes unquoted, so that the URI and
 * ~/.pgpass need no escaping: [a-z0-9_], 1 to 63 characters. */
static int check_login(const char *login)
{
	size_t n = login ? strlen(login) : 0;

	if (n == 0 || n > 63)
		return cw_error_set(CW_EINVALID,
				    "a login is 1 to 63 characters, not %zu",
				    n);
	for (size_t i = 0; i < n; i++)
		if (!((login[i] >= 'a' && login[i] <= 'z') ||
		      (login[i] >= '0' && login[i] <= '9') || login[i] == '_'))
			return cw_error_set(CW_EINVALID,
					    "login '%s': use only a-z, 0-9 "
					    "and _",
					    login);
	if (strncmp(login, "pg_", 3) == 0 ||
	    strncmp(login, "casework_", 9) == 0)
		return cw_error_set(CW_EINVALID,
				    "login '%s': pg_ and casework_ are "
				    "reserved",
				    login);
	return 0;
}

/* The time of the roster's change: the server's clock on a server. */
static int change_time(cw_store *s, char at[32])
{
	const char *login = NULL;
	struct tm tm;
	time_t now;
	int error = store_event_stamp(s, at, &login);

	if (error != 0)
		return error < 0 ? error : 0;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(at, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return 0;
}

/* PASSWORD_LEN letters and digits from the kernel's random source. */
static int random_password(char out[PASSWORD_LEN + 1])
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char buf[64];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC), n = 0;

	if (fd < 0)
		return cw_error_set(CW_ERROR, "cannot open /dev/urandom for a "
					      "password");
	while (n < PASSWORD_LEN) {
		ssize_t got = read(fd, buf, sizeof(buf));

		if (got <= 0) {
			close(fd);
			return cw_error_set(CW_ERROR, "cannot read /dev/urandom "
						      "for a password");
		}
		/* 248 = 4 x 62: no letter more likely than another */
		for (ssize_t i = 0; i < got && n < PASSWORD_LEN; i++)
			if (buf[i] < 248)
				out[n++] = alphabet[buf[i] % 62];
	}
	close(fd);
	out[n] = '\0';
	return 0;
}

/* The server's URI (s->where holds no password) with `login` as its
 * user; the password stays out of it (~/.pgpass). */
static char *login_uri(const cw_store *s, const char *login)
{
	const char *where = s->where, *auth = strstr(where, "://");
	const char *end, *at;
	size_t need;
	char *uri;

	auth = auth ? auth + 3 : where;
	end = auth + strcspn(auth, "/?");
	at = memchr(auth, '@', (size_t)(end - auth));
	need = strlen(where) + strlen(login) + 2;
	if ((uri = malloc(need)) == NULL)
		return NULL;
	snprintf(uri, need, "%.*s%s@%s", (int)(auth - where), where, login,
		 at ? at + 1 : auth);
	return uri;
}

int cw_class_add(cJSON **out, cw_store *s, const char *login,
		 const char *name, const char *email, const char *role)
{
	char at[32], password[PASSWORD_LEN + 1];
	roster_row row;
	char *uri = NULL;
	int owned = 0, error;

	*out = NULL;
	if ((error = check_login(login)) < 0 ||
	    (error = text_check(name, "name", 0)) < 0 ||
	    (email != NULL && (error = text_check(email, "email", 0)) < 0))
		return error;
	if (email != NULL && strchr(email, '@') == NULL)
		return cw_error_set(CW_EINVALID, "email '%s' has no @", email);
	if (strcmp(role, "student") != 0 && strcmp(role, "instructor") != 0)
		return cw_error_set(CW_EINVALID, "unknown role '%s'", role);
	if ((error = store_enter(s, &owned)) < 0)
		return error;
	if ((error = store_require_instructor(s, "manage the class")) < 0 ||
	    (error = change_time(s, at)) < 0)
		goto cleanup;
	row = (roster_row){ .login = login, .name = name, .email = email,
			    .role = role, .added_at = at };
	if ((error = store_roster_put(s, &row)) < 0)
		goto cleanup;
	if (store_has_logins(s)) {
		if ((error = random_password(password)) < 0 ||
		    (error = store_login_create(s, login, role, password)) < 0)
			goto cleanup;
		if ((uri = login_uri(s, login)) == NULL) {
			error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
			goto cleanup;
		}
	}
	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "login", login);
	cJSON_AddStringToObject(*out, "name", name);
	if (email != NULL)
		cJSON_AddStringToObject(*out, "email", email);
	cJSON_AddStringToObject(*out, "role", role);
	if (uri != NULL) {
		cJSON_AddStringToObject(*out, "password", password);
		cJSON_AddStringToObject(*out, "uri", uri);
	}
cleanup:
	error = store_end(s, owned, error);
	if (error < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	memset(password, 0, sizeof(password));
	free(uri);
	return error;
}

int cw_class_remove(cJSON **out, cw_store *s, const char *login)
{
	char at[32];
	int owned = 0, error;

	*out = NULL;
	if ((error = check_login(login)) < 0)
		return error;
	if ((error = store_enter(s, &owned)) < 0)
		return error;
	if ((error = store_require_instructor(s, "manage the class")) < 0 ||
	    (error = change_time(s, at)) < 0 ||
	    (error = store_roster_remove(s, login, at)) < 0 ||
	    (error = store_login_end(s, login)) < 0)
		goto cleanup;
	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "login", login);
	cJSON_AddStringToObject(*out, "removed_at", at);
cleanup:
	return store_end(s, owned, error);
}

static int add_person(const roster_row *r, void *payload)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "login", r->login);
	cJSON_AddStringToObject(p, "name", r->name);
	if (r->email != NULL)
		cJSON_AddStringToObject(p, "email", r->email);
	cJSON_AddStringToObject(p, "role", r->role);
	cJSON_AddStringToObject(p, "added_at", r->added_at);
	if (r->removed_at != NULL)
		cJSON_AddStringToObject(p, "removed_at", r->removed_at);
	cJSON_AddItemToArray(payload, p);
	return 0;
}

/* The person of the roster a session was started for: by login or by
 * name, whatever the case ("Ana" is ana's); NULL for none. */
static cJSON *person_of(cJSON *people, const char *student)
{
	cJSON *p;

	cJSON_ArrayForEach(p, people) {
		const cJSON *login = cJSON_GetObjectItem(p, "login");
		const cJSON *name = cJSON_GetObjectItem(p, "name");

		if ((cJSON_IsString(login) &&
		     text_same(login->valuestring, student)) ||
		    (cJSON_IsString(name) &&
		     text_same(name->valuestring, student)))
			return p;
	}
	return NULL;
}

static int add_session(const session_row *r, void *payload)
{
	cJSON *person = person_of(payload, r->student), *item;
	const cJSON *last = cJSON_GetObjectItem(person, "last_activity");

	if (person == NULL)
		return 0; /* a student the roster does not know */
	item = cJSON_CreateObject();

	cJSON_AddStringToObject(item, "session", r->id);
	cJSON_AddStringToObject(item, "case", r->case_id);
	cJSON_AddStringToObject(item, "phase", r->phase);
	cJSON_AddStringToObject(item, "status", r->status);
	cJSON_AddStringToObject(item, "updated_at", r->updated_at);
	if (r->ended_early != NULL)
		cJSON_AddStringToObject(item, "ended_early", r->ended_early);
	cJSON_AddItemToArray(cJSON_GetObjectItem(person, "sessions"), item);
	if (!cJSON_IsString(last) || strcmp(last->valuestring,
					    r->updated_at) < 0) {
		cJSON_DeleteItemFromObject(person, "last_activity");
		cJSON_AddStringToObject(person, "last_activity",
					r->updated_at);
	}
	return 0;
}

int cw_class_list(cJSON **out, cw_store *s)
{
	cJSON *people = cJSON_CreateArray(), *person;
	int owned = 0, error;

	*out = NULL;
	if (people == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if ((error = store_enter_read(s, &owned)) < 0) {
		cJSON_Delete(people);
		return error;
	}
	if ((error = store_require_instructor(s, "manage the class")) < 0 ||
	    (error = store_roster_each(s, add_person, people)) < 0)
		goto cleanup;
	/* each person's sessions, students who have not started too: one
	 * pass over the sessions, each to the person it was started for */
	cJSON_ArrayForEach(person, people) {
		cJSON_AddArrayToObject(person, "sessions");
		cJSON_AddNullToObject(person, "last_activity");
	}
	if ((error = store_sessions_each(s, NULL, add_session, people)) < 0)
		goto cleanup;
cleanup:
	error = store_end(s, owned, error);
	if (error < 0)
		cJSON_Delete(people);
	else
		*out = people;
	return error;
}
