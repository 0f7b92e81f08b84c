/*
 * fuzz_case.c - libFuzzer harness for sample case files: validation
 * against the standard workflow (cw_case_validate), then import into the
 * scratch database and a session started on it (which checks the case's
 * client events against the workflow and fires those due on entering the
 * first phase), inside a transaction that is always rolled back, so that
 * every input meets the same empty database.
 */
#include <stdlib.h>
#include <string.h>

#include "casework/case.h"
#include "casework/session.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const char *text;
	size_t len;
	int rc;
};

static int import(cw_store *store, void *payload)
{
	struct input *in = payload;
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;

	in->rc = cw_case_import(&out, store, &diags, in->text, in->len, 0);
	FUZZ_ASSERT((in->rc == 0) == (out != NULL));
	FUZZ_ASSERT(in->rc != CW_ESCHEMA || diags.count > 0);
	if (in->rc == 0) {
		cJSON *id = cJSON_GetObjectItem(out, "id"), *session = NULL;
		int rc = cw_session_start(&session, store, id->valuestring,
					  "Fuzz", NULL, "fuzz", 1);

		/* events that do not fit the workflow are refused, with
		 * their JSON path; anything else starts */
		FUZZ_ASSERT(rc == 0 || rc == CW_ESCHEMA);
		FUZZ_ASSERT((rc == 0) == (session != NULL));
		FUZZ_ASSERT(rc == 0 || strstr(cw_error_last(), "$.events[") != NULL);
		cJSON_Delete(session);
	}
	cJSON_Delete(out);
	cw_diags_free(&diags);
	return FUZZ_ROLL_BACK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cw_diags diags = CW_DIAGS_INIT;
	char *text = fuzz_copy(data, size);
	int rc = cw_case_validate(&diags, NULL, text, size);

	if (rc == CW_ESCHEMA) {
		FUZZ_ASSERT(diags.count > 0);
		fuzz_check_diags(&diags);
	} else {
		struct input in = { text, size, 0 };

		FUZZ_ASSERT(rc == 0 && diags.count == 0);
		/* a case valid on its own imports into an empty database */
		FUZZ_ASSERT(cw_store_transaction(fuzz_store(), import, &in) ==
			    FUZZ_ROLL_BACK);
		FUZZ_ASSERT(in.rc == 0);
	}
	cw_diags_free(&diags);
	free(text);
	return 0;
}
