/*
 * cmd_cohort.c - the commands that go through many sessions: `sessions`
 * and `verify --all`.  Each takes one session at a time from the engine
 * (cw_session_each) and writes its line, or its item of the --json list,
 * before the next: memory does not grow with the class.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casework/json.h"
#include "cli.h"

/* 1 when `s` is YYYY-MM-DD, optionally THH:MM or THH:MM:SS, of a real
 * calendar date and time. */
static int iso_date(const char *s)
{
	static const char *const shapes[] = { "dddd-dd-dd", "dddd-dd-ddTdd:dd",
					      "dddd-dd-ddTdd:dd:dd", NULL };
	struct tm tm, back;
	time_t t;
	int matched = 0;

	for (const char *const *shape = shapes; *shape && !matched; shape++) {
		size_t i;

		if (strlen(s) != strlen(*shape))
			continue;
		for (i = 0; s[i] != '\0'; i++)
			if ((*shape)[i] == 'd' ? !isdigit((unsigned char)s[i])
					       : s[i] != (*shape)[i])
				break;
		matched = s[i] == '\0';
	}
	if (!matched)
		return 0;
	memset(&tm, 0, sizeof(tm));
	sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	       &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	back = tm;
	t = timegm(&back);
	/* timegm normalises 2026-02-30 to March: a changed field means the
	 * date does not exist */
	return t != (time_t)-1 && back.tm_mday == tm.tm_mday &&
	       back.tm_mon == tm.tm_mon && back.tm_hour == tm.tm_hour &&
	       back.tm_min == tm.tm_min && back.tm_sec == tm.tm_sec;
}

/* How `sessions` is writing its list, one session at a time. */
typedef struct listing {
	int json;
	long count;
	cw_json_list list;
	char current[CW_ID_LEN + 1]; /* "" when there is none */
	int current_shown;
	int early_shown; /* a row said "terminated" or "ended early" */
} listing;

/* The STATUS of a row: open or closed, and for a session terminated
 * before its last phase, "terminated" until it closes and "ended early"
 * after, so that it does not pass for one worked through. */
static const char *status_word(const cw_session_info *s)
{
	int closed = s->status != NULL && strcmp(s->status, "closed") == 0;

	if (s->ended_early != NULL)
		return closed ? "ended early" : "terminated";
	return s->status ? s->status : "";
}

static int list_one(const cw_session_info *s, void *payload)
{
	listing *l = payload;
	char met[16], when[20];
	cJSON *item;
	int error;

	if (l->json) {
		if ((item = cw_session_info_json(s)) == NULL ||
		    !cJSON_AddBoolToObject(item, "current",
					   strcmp(s->session, l->current) == 0)) {
			cJSON_Delete(item);
			return cw_error_set(CW_ERROR, "out of memory");
		}
		error = (l->count++ == 0
				 ? cw_json_list_begin(&l->list, stdout, "sessions")
				 : 0);
		if (error == 0)
			error = cw_json_list_item(&l->list, item);
		cJSON_Delete(item);
		return error;
	}
	/* the columns are of fixed width, so no row waits for another; at
	 * most 100 columns in all */
	if (l->count++ == 0)
		printf("%-9s %-14s %-27s %-12s %-11s %-5s %s\n", "SESSION",
		       "STUDENT", "CASE", "PHASE", "STATUS", "MET",
		       "LAST ACTIVITY");
	snprintf(met, sizeof(met), "%d/%d", s->met, s->total);
	snprintf(when, sizeof(when), "%.16s", s->updated_at ? s->updated_at : "");
	if (strlen(when) > 10)
		when[10] = ' ';
	/* a star after the id, in a column of its own: the session the
	 * commands work on without -s */
	if (strcmp(s->session, l->current) == 0)
		l->current_shown = 1;
	if (s->ended_early != NULL)
		l->early_shown = 1;
	printf("%-8.8s%c ", s->session,
	       strcmp(s->session, l->current) == 0 ? '*' : ' ');
	cli_column(stdout, s->student, 14);
	putchar(' ');
	cli_column(stdout, s->case_id, 27);
	putchar(' ');
	cli_column(stdout, s->phase, 12);
	printf(" %-11s %-5s %s\n", status_word(s), met, when);
	return 0;
}

int cmd_sessions(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	cw_session_filter f = { opt(c, &p, "--case"), opt(c, &p, "--student"),
				opt(c, &p, "--phase"), opt(c, &p, "--status"),
				opt(c, &p, "--since") };
	listing l = { c->json, 0, CW_JSON_LIST_INIT, "", 0, 0 };
	const char *named = c->session ? c->session : getenv("CASEWORK_SESSION");
	cJSON *rest;
	int error;

	free(p.args);
	if (f.status != NULL && strcmp(f.status, "open") != 0 &&
	    strcmp(f.status, "closed") != 0) {
		cli_error("unknown status '%s' (expected open or closed)",
			  f.status);
		return EXIT_USAGE;
	}
	if (f.since != NULL && !iso_date(f.since)) {
		cli_error("--since takes a date such as 2026-11-23 (or "
			  "2026-11-23T14:00), not '%s'",
			  f.since);
		return EXIT_USAGE;
	}
	/* a mistyped case or phase is not a filter that matches nothing */
	if ((error = cw_session_filter_check(c->store, &f)) < 0)
		return cli_fail(error);
	/* no current session, or a name that matches none, is no star; a
	 * failure to look (out of memory, the disk) fails the listing */
	error = cw_session_resolve(l.current, c->store,
				   named && *named ? named : NULL);
	if (error == CW_ERROR)
		return cli_fail(error);
	if (error < 0)
		l.current[0] = '\0';
	if ((error = cw_session_each(c->store, &f, list_one, &l)) < 0)
		return cli_fail(error);
	if (!l.json && l.current_shown)
		printf("(* the current session)\n");
	if (!l.json && l.early_shown)
		printf("(terminated, ended early: terminated before the last "
		       "phase; 'casework status' gives the reason)\n");
	if (l.json) {
		rest = cJSON_CreateObject();
		cJSON_AddNumberToObject(rest, "schema_version",
					CLI_SCHEMA_VERSION);
		if (l.count == 0)
			error = cw_json_list_begin(&l.list, stdout, "sessions");
		if (error == 0)
			error = cw_json_list_end(&l.list, rest);
		cJSON_Delete(rest);
		return error < 0 ? cli_fail(error) : EXIT_DONE;
	}
	if (l.count == 0 &&
	    (f.case_id || f.student || f.phase || f.status || f.since))
		printf("No sessions match these filters.\n");
	else if (l.count == 0)
		printf("No sessions yet. Start one with 'casework start "
		       "CASE'.\n");
	return EXIT_DONE;
}

/* How `verify` is going: its output and the sessions that failed. */
typedef struct verifying {
	cli *c;
	int failed;
	long count;
	cw_json_list list;
} verifying;

static int verify_one(const char *id, verifying *v)
{
	cJSON *r = NULL;
	int error = cw_session_verify(&r, v->c->store, id);

	if (r == NULL) {
		/* no verdict: this process ran out of memory, which says
		 * nothing of the session (a session that cannot be read back
		 * comes with its verdict) */
		return error;
	}
	v->failed += error == CW_EREFUSED;
	error = 0;
	if (v->c->json) {
		/* written as it comes: a class's results are never all held */
		if (v->count++ == 0)
			error = cw_json_list_begin(&v->list, stdout, "sessions");
		if (error == 0)
			error = cw_json_list_item(&v->list, r);
	} else if (cJSON_IsTrue(cJSON_GetObjectItem(r, "ok"))) {
		printf("%s: ok (%d events, head %.12s)\n", id,
		       (int)jnum(r, "events"), jstr(r, "head"));
	} else {
		printf("%s: FAILED: %s\n", id, jstr(r, "problem"));
	}
	cJSON_Delete(r);
	return error;
}

static int verify_each(const cw_session_info *info, void *payload)
{
	return verify_one(info->session, payload);
}

int cmd_verify(cli *c, int argc, char **argv)
{
	PARSE_AND_OPEN();
	char id[CW_ID_LEN + 1];
	verifying v = { c, 0, 0, CW_JSON_LIST_INIT };
	cJSON *rest;
	int error = 0, all = flag(c, &p, "--all");

	if (!all)
		rc = cli_session(c, id);
	free(p.args);
	if (rc != 0)
		return rc;
	error = all ? cw_session_each(c->store, NULL, verify_each, &v)
		    : verify_one(id, &v);
	if (error == 0 && c->json) {
		rest = cJSON_CreateObject();
		cJSON_AddNumberToObject(rest, "schema_version",
					CLI_SCHEMA_VERSION);
		if (v.count == 0)
			error = cw_json_list_begin(&v.list, stdout, "sessions");
		if (error == 0)
			error = cw_json_list_end(&v.list, rest);
		cJSON_Delete(rest);
	}
	if (error < 0)
		return cli_fail(error);
	if (v.failed) {
		cli_error("%d session%s failed verification", v.failed,
			  v.failed == 1 ? "" : "s");
		return EXIT_REFUSED;
	}
	return EXIT_DONE;
}
