/*
 * test_approval.c - the approval checkpoint: a student asks for sign-off,
 * an instructor grants or returns it, advance waits for the grant; the
 * queue lists each request; a grant left out (no trusted key signed it)
 * counts nowhere.
 */
#include "helpers.h"
#include "store.h"

#define CP "plan-signed-off"

/* The standard workflow as "signoff" v1, whose preparation also asks for
 * the plan to be signed off; a session on it, current in `fx`. */
static int setup(void **state)
{
	fixture *fx;
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL, *wf, *cps, *cp;
	char path[512], *text, *changed;
	size_t len = 0;

	if (fixture_setup(state) != 0)
		return -1;
	fx = *state;
	snprintf(path, sizeof(path), "%s/examples/workflows/standard.json",
		 top());
	text = read_all(path, &len);
	wf = cJSON_Parse(text);
	free(text);
	if (wf == NULL)
		return -1;
	cJSON_ReplaceItemInObject(wf, "id", cJSON_CreateString("signoff"));
	cJSON_ReplaceItemInObject(wf, "version", cJSON_CreateNumber(1));
	cps = cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(wf, "phases"), 0),
	    "checkpoints");
	cp = cJSON_CreateObject();
	cJSON_AddStringToObject(cp, "id", CP);
	cJSON_AddStringToObject(cp, "label", "Interview plan signed off");
	cJSON_AddStringToObject(cp, "kind", "approval");
	cJSON_AddStringToObject(cp, "help", "Ask for it.");
	cJSON_AddItemToArray(cps, cp);
	changed = cJSON_PrintUnformatted(wf);
	cJSON_Delete(wf);
	if (cw_workflow_import(&out, fx->store, &diags, changed,
			       strlen(changed)) != 0)
		return -1;
	free(changed);
	cw_diags_free(&diags);
	cJSON_Delete(out);
	if (cw_session_start(&out, fx->store, "school-attendance-year8", "Bo",
			     "signoff", "tester", 0) != 0)
		return -1;
	snprintf(fx->session, sizeof(fx->session), "%s",
		 cJSON_GetObjectItem(out, "session")->valuestring);
	cJSON_Delete(out);
	return 0;
}

static int ask(fixture *fx, cw_action_type type, const char *cp,
	       const char *text)
{
	cw_action a = {.type = type, .checkpoint = cp, .text = text};

	return act(fx, a);
}

/* The sign-off's {"state", ...} and whether it is met, from status. */
static void sign_off(fixture *fx, char *state_out, size_t size, int *met)
{
	cJSON *doc = NULL, *cp;

	assert_int_equal(cw_session_status(&doc, fx->store, fx->session), 0);
	cJSON_ArrayForEach(cp, cJSON_GetObjectItem(doc, "checkpoints"))
	{
		if (strcmp(cJSON_GetObjectItem(cp, "id")->valuestring, CP))
			continue;
		snprintf(state_out, size, "%s",
			 cJSON_GetObjectItem(cJSON_GetObjectItem(cp, "approval"),
					     "state")
			     ->valuestring);
		*met = cJSON_IsTrue(cJSON_GetObjectItem(cp, "met"));
	}
	cJSON_Delete(doc);
}

static void meet_the_rest(fixture *fx)
{
	cw_action o = {.type = CW_ACT_OBJECTIVE, .text = "An aim for today."};

	assert_int_equal(check(fx, "case-file-reviewed", LONG_ENOUGH), 0);
	assert_int_equal(act(fx, o), 0);
	assert_int_equal(check(fx, "environment-arranged", LONG_ENOUGH), 0);
}

static void test_refusals(void **state)
{
	fixture *fx = *state;

	/* not an approval; unknown; nothing asked yet */
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, "objectives", "x"),
			 CW_EREFUSED);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, "plan-signed-of", "x"),
			 CW_ENOTFOUND);
	assert_non_null(strstr(cw_error_last(), "did you mean '" CP "'"));
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_GRANT, CP, "Fine."),
			 CW_EREFUSED);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_RETURN, CP, "No."),
			 CW_EREFUSED);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, CP, ""), CW_EINVALID);
	/* asked once; not twice */
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, CP, "Please."), 0);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, CP, "Again."),
			 CW_EREFUSED);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_GRANT, CP, ""), CW_EINVALID);
}

static void test_advance_waits_for_the_grant(void **state)
{
	fixture *fx = *state;
	char st[32] = "";
	int met = -1;

	meet_the_rest(fx);
	sign_off(fx, st, sizeof(st), &met);
	assert_string_equal(st, "not-requested");
	assert_int_equal(met, 0);
	assert_int_equal(advance(fx), CW_EREFUSED);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, CP, "Please."), 0);
	assert_int_equal(advance(fx), CW_EREFUSED);
	/* returned: needs changes, and the student asks again */
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_RETURN, CP, "More."), 0);
	sign_off(fx, st, sizeof(st), &met);
	assert_string_equal(st, "returned");
	assert_int_equal(met, 0);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_GRANT, CP, "Fine."),
			 CW_EREFUSED);
	assert_int_equal(advance(fx), CW_EREFUSED);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, CP, "Changed."), 0);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_GRANT, CP, "Fine."), 0);
	sign_off(fx, st, sizeof(st), &met);
	assert_string_equal(st, "granted");
	assert_int_equal(met, 1);
	/* granted: asking again is refused */
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, CP, "More?"),
			 CW_EREFUSED);
	assert_int_equal(advance(fx), 0);
	assert_string_equal(phase(fx), "introduction");
	{
		cJSON *v = NULL;

		assert_int_equal(cw_session_verify(&v, fx->store, fx->session),
				 0);
		cJSON_Delete(v);
	}
}

static void test_the_queue(void **state)
{
	fixture *fx = *state;
	cJSON *list = NULL, *item;

	assert_int_equal(cw_approval_list(&list, fx->store, NULL, 1), 0);
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, CP, "Please."), 0);
	assert_int_equal(cw_approval_list(&list, fx->store, NULL, 1), 0);
	assert_int_equal(cJSON_GetArraySize(list), 1);
	item = cJSON_GetArrayItem(list, 0);
	assert_string_equal(cJSON_GetObjectItem(item, "session")->valuestring,
			    fx->session);
	assert_string_equal(cJSON_GetObjectItem(item, "student")->valuestring,
			    "Bo");
	assert_string_equal(cJSON_GetObjectItem(item, "state")->valuestring,
			    "requested");
	assert_string_equal(cJSON_GetObjectItem(item, "request")->valuestring,
			    "Please.");
	assert_null(cJSON_GetObjectItem(item, "decided_by"));
	cJSON_Delete(list);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_GRANT, CP, "Fine."), 0);
	/* decided: off the pending queue, on the whole list */
	assert_int_equal(cw_approval_list(&list, fx->store, NULL, 1), 0);
	assert_int_equal(cJSON_GetArraySize(list), 0);
	cJSON_Delete(list);
	assert_int_equal(cw_approval_list(&list, fx->store, NULL, 0), 0);
	assert_int_equal(cJSON_GetArraySize(list), 1);
	item = cJSON_GetArrayItem(list, 0);
	assert_string_equal(cJSON_GetObjectItem(item, "state")->valuestring,
			    "granted");
	assert_string_equal(cJSON_GetObjectItem(item, "decision")->valuestring,
			    "Fine.");
	cJSON_Delete(list);
}

/* A grant this database left out (a bundle brought it unsigned by a
 * trusted key) counts nowhere: the checkpoint stays asked, not met. */
static void test_a_left_out_grant_does_not_hold(void **state)
{
	fixture *fx = *state;
	char key[96], st[32] = "";
	int met = -1;

	meet_the_rest(fx);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_REQUEST, CP, "Please."), 0);
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_GRANT, CP, "Fine."), 0);
	sign_off(fx, st, sizeof(st), &met);
	assert_int_equal(met, 1);
	/* events: 1 start, 2-4 the rest, 5 the request, 6 the grant */
	snprintf(key, sizeof(key), "left_out:%s", fx->session);
	assert_int_equal(store_setting_set(fx->store, key, " 6 "), 0);
	sign_off(fx, st, sizeof(st), &met);
	assert_string_equal(st, "requested");
	assert_int_equal(met, 0);
	assert_int_equal(advance(fx), CW_EREFUSED);
	/* a grant made here, after it, counts */
	assert_int_equal(ask(fx, CW_ACT_APPROVAL_GRANT, CP, "Now."), 0);
	sign_off(fx, st, sizeof(st), &met);
	assert_int_equal(met, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, fixture_teardown)
		T(test_refusals),
		T(test_advance_waits_for_the_grant),
		T(test_the_queue),
		T(test_a_left_out_grant_does_not_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
