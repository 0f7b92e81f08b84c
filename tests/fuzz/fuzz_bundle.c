/*
 * fuzz_bundle.c - libFuzzer harness for hand-in bundles
 * (cw_bundle_import).  Each input is imported into the scratch database
 * inside a transaction that is always rolled back, so the database stays
 * empty between inputs and memory does not grow with the corpus.
 */
#include <stdlib.h>

#include "casework/bundle.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const char *text;
	size_t len;
};

static int import(cw_store *store, void *payload)
{
	struct input *in = payload;
	cw_diags diags = CW_DIAGS_INIT;
	cJSON *out = NULL;
	int rc = cw_bundle_import(&out, store, &diags, in->text, in->len);

	FUZZ_ASSERT(rc <= 0);
	FUZZ_ASSERT((rc == 0) == (out != NULL));
	if (rc == CW_ESCHEMA) {
		/* a part that parses but does not match the session (the case
		 * text, the workflow text) is named by the message alone */
		FUZZ_ASSERT(diags.count > 0 || cw_error_last()[0] == '$');
		fuzz_check_diags(&diags);
	}
	/* the database is empty, so a session cannot be there already */
	if (rc == 0)
		FUZZ_ASSERT(cJSON_IsString(cJSON_GetObjectItem(out, "result")));
	cJSON_Delete(out);
	cw_diags_free(&diags);
	return FUZZ_ROLL_BACK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);
	struct input in = { text, size };

	FUZZ_ASSERT(cw_store_transaction(fuzz_store(), import, &in) ==
		    FUZZ_ROLL_BACK);
	free(text);
	return 0;
}
