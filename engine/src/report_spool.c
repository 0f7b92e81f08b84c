/*
 * report_spool.c - a report whose rows wait in a temporary file, for the
 * writers that need the group's columns before the first row (CSV, the
 * table): one replay of each session, memory that does not grow with the
 * cohort, and the rows read back one at a time as often as needed.  The
 * file holds identifiers and figures only, never case text (no goal_list):
 * the database's own temporary tables stay in memory for the same reason
 * (temp_store = MEMORY).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casework/report.h"

struct cw_report_spool {
	FILE *rows;	/* one unformatted JSON row per line */
	cJSON *summary; /* {"phases", "criteria", "summary"} */
};

/* An unlinked file in $TMPDIR (else /tmp), open for reading and writing:
 * it goes away with the process, however that ends. */
static int open_temporary(FILE **out)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/casework-report-XXXXXX",
			     dir) >= sizeof(path))
		return cw_error_set(CW_ERROR, "TMPDIR is too long");
	if ((fd = mkstemp(path)) < 0)
		return cw_error_set(CW_ERROR,
				    "cannot make a temporary file in %s for "
				    "the report's rows (set TMPDIR)",
				    dir);
	unlink(path);
	if ((*out = fdopen(fd, "w+")) == NULL) {
		close(fd);
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	}
	return 0;
}

static int put_row(const cJSON *row, void *payload)
{
	FILE *f = payload;
	cJSON *kept = cJSON_Duplicate(row, 1);
	char *text;

	/* the goals' own words are case text, which never goes to a file
	 * outside the database: the rows keep only identifiers and figures */
	cJSON_DeleteItemFromObjectCaseSensitive(kept, "goal_list");
	text = kept ? cJSON_PrintUnformatted(kept) : NULL;
	cJSON_Delete(kept);
	if (text == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	/* cJSON escapes a newline inside a string: one row, one line */
	fputs(text, f);
	fputc('\n', f);
	free(text);
	return ferror(f) ? cw_error_set(CW_ERROR,
					"cannot write the report's rows to a "
					"temporary file")
			 : 0;
}

int cw_report_spool_open(cw_report_spool **out, cw_store *store,
			 const cw_session_filter *filter)
{
	cw_report_spool *spool = calloc(1, sizeof(*spool));
	int error;

	*out = NULL;
	if (spool == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if ((error = open_temporary(&spool->rows)) == 0)
		error = cw_report_each(&spool->summary, store, filter, put_row,
				       spool->rows);
	if (error == 0 && fflush(spool->rows) != 0)
		error = cw_error_set(CW_ERROR, "cannot write the report's "
					       "rows to a temporary file");
	if (error != 0) {
		cw_report_spool_free(spool);
		return error;
	}
	*out = spool;
	return 0;
}

const cJSON *cw_report_spool_summary(const cw_report_spool *spool)
{
	return spool->summary;
}

int cw_report_spool_each(cw_report_spool *spool, cw_report_fn fn, void *payload)
{
	char *line = NULL;
	size_t cap = 0;
	int error = 0;

	rewind(spool->rows);
	while (error == 0 && getline(&line, &cap, spool->rows) > 0) {
		cJSON *row = cJSON_Parse(line);

		if (row == NULL)
			error = cw_error_set(CW_ERROR, "cannot read the "
						       "report's rows back");
		else
			error = fn(row, payload);
		cJSON_Delete(row);
	}
	if (error == 0 && ferror(spool->rows))
		error = cw_error_set(CW_ERROR,
				     "cannot read the report's rows back");
	free(line);
	return error;
}

void cw_report_spool_free(cw_report_spool *spool)
{
	if (spool == NULL)
		return;
	if (spool->rows != NULL)
		fclose(spool->rows);
	cJSON_Delete(spool->summary);
	free(spool);
}
