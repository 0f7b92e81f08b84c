/*
 * fuzz_workflow.c - libFuzzer harness for workflow definitions
 * (cw_workflow_parse).  A workflow it accepts must answer lookups of its
 * own phases and checkpoints.
 */
#include <stdlib.h>
#include <string.h>

#include "casework/workflow.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cw_diags diags = CW_DIAGS_INIT;
	cw_workflow *wf = NULL;
	char *text = fuzz_copy(data, size);
	int rc = cw_workflow_parse(&wf, &diags, text, size);

	if (rc == CW_ESCHEMA) {
		FUZZ_ASSERT(wf == NULL);
		FUZZ_ASSERT(diags.count > 0);
		fuzz_check_diags(&diags);
	} else {
		FUZZ_ASSERT(rc == 0 && wf != NULL && diags.count == 0);
		FUZZ_ASSERT(wf->phase_count > 0);
		for (size_t i = 0; i < wf->phase_count; i++) {
			const cw_phase *ph = &wf->phases[i];

			FUZZ_ASSERT(cw_workflow_phase_index(wf, ph->id) ==
				    (int)i);
			for (size_t j = 0; j < ph->revisit_count; j++)
				FUZZ_ASSERT(ph->revisit[j] < i);
			for (size_t j = 0; j < ph->checkpoint_count; j++) {
				size_t at = 0;

				FUZZ_ASSERT(cw_workflow_checkpoint(
						    wf, ph->checkpoints[j].id,
						    &at) == &ph->checkpoints[j]);
				FUZZ_ASSERT(at == i);
			}
			for (size_t j = 0; j < ph->rubric_count; j++)
				FUZZ_ASSERT(cw_phase_criterion(
						    ph, ph->rubric[j].id) ==
					    &ph->rubric[j]);
		}
	}
	cw_workflow_free(wf);
	cw_diags_free(&diags);
	free(text);
	return 0;
}
