/*
 * cmd_export.c - export: session summaries as JSON, Markdown, HTML or CSV,
 * and hand-in bundles, to stdout or to a file only the owner can read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casework/bundle.h"
#include "casework/export.h"
#include "cli.h"

/* What the command was asked to do, once its options are read. */
typedef struct request {
	const char *format; /* as typed */
	int bundle;
	cw_export_options options;
	const char *path; /* NULL or "-": stdout */
	int force;
	char *tmp; /* the replacement being written, with --force */
	int all;
	cw_session_filter filter;
} request;

/* The mistakes that need no database to spot; prints and returns the
 * exit code, or 0. */
static int check_request(const cli *c, const request *r)
{
	int some = r->filter.case_id != NULL || r->filter.student != NULL;
	int group = r->all || some;

	if (r->format == NULL) {
		cli_error("export needs --format: json, md, html, csv or "
			  "bundle");
		return EXIT_USAGE;
	}
	if (c->session != NULL && group) {
		cli_error("-s names one session and --all, --case or --student "
			  "choose several: give one or the other");
		return EXIT_USAGE;
	}
	if (r->all && some) {
		cli_error("--all exports every session; --case and --student "
			  "choose some of them: give one or the other");
		return EXIT_USAGE;
	}
	if (r->options.goals &&
	    (r->bundle || r->options.format != CW_EXPORT_CSV)) {
		cli_error("--goals gives one CSV row per goal; use it with "
			  "--format csv");
		return EXIT_USAGE;
	}
	if (r->bundle && group) {
		cli_error("a bundle holds one session: name it with -s (or "
			  "export the current one)");
		return EXIT_USAGE;
	}
	if (r->bundle && r->options.full) {
		cli_error("a bundle is the session exactly as logged; --full "
			  "is for the json, md, html and csv formats");
		return EXIT_USAGE;
	}
	if (r->bundle && r->options.redact) {
		cli_error("a bundle is the session exactly as logged, so that "
			  "its chain can be verified; it cannot be redacted");
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * Open the output file owner-only.  A new file is created (never through
 * a symbolic link).  With --force an existing regular file is replaced:
 * the export goes to a new owner-only file beside it, `r->tmp`, which
 * finish_output renames over it, so that a link is never followed, a
 * device or fifo never truncated and no other file's mode changed.
 */
static int open_output(FILE **out, request *r)
{
	struct stat st;
	int fd;

	if (lstat(r->path, &st) == 0) {
		if (!r->force) {
			cli_error("%s exists; --force replaces it", r->path);
			return EXIT_USAGE;
		}
		if (S_ISLNK(st.st_mode)) {
			cli_error("%s is a symbolic link; give the file itself",
				  r->path);
			return EXIT_USAGE;
		}
		if (!S_ISREG(st.st_mode)) {
			cli_error("%s is not a regular file; --force replaces "
				  "only a regular file",
				  r->path);
			return EXIT_USAGE;
		}
		r->tmp = malloc(strlen(r->path) + 8);
		if (r->tmp == NULL) {
			cli_error("out of memory");
			return EXIT_RUNTIME;
		}
		strcpy(r->tmp, r->path);
		strcat(r->tmp, ".XXXXXX");
		fd = mkstemp(r->tmp); /* 0600, O_EXCL: a new file */
	} else {
		fd = open(r->path,
			  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  0600);
	}
	if (fd < 0 && errno == EEXIST) {
		cli_error("%s exists; --force replaces it", r->path);
		return EXIT_USAGE;
	}
	if (fd < 0 && errno == ELOOP) {
		cli_error("%s is a symbolic link; give the file itself",
			  r->path);
		return EXIT_USAGE;
	}
	if (fd < 0) {
		cli_error("cannot create %s: %s", r->tmp ? r->tmp : r->path,
			  strerror(errno));
		return EXIT_RUNTIME;
	}
	if ((*out = fdopen(fd, "w")) == NULL) {
		cli_error("cannot write %s: %s", r->path, strerror(errno));
		close(fd);
		unlink(r->tmp ? r->tmp : r->path);
		return EXIT_RUNTIME;
	}
	return EXIT_DONE;
}

/* Close the output file; on success put a replacement in its place, on
 * failure remove what was written (the replaced file stays as it was). */
static int finish_output(FILE *out, request *r, int error)
{
	const char *written = r->tmp ? r->tmp : r->path;

	if (fclose(out) != 0 && error == 0)
		error = cw_error_set(CW_ERROR, "cannot write %s: %s", r->path,
				     strerror(errno));
	if (error == 0 && r->tmp != NULL && rename(r->tmp, r->path) != 0)
		error = cw_error_set(CW_ERROR, "cannot replace %s: %s",
				     r->path, strerror(errno));
	if (error < 0)
		unlink(written);
	free(r->tmp);
	r->tmp = NULL;
	return error;
}

static int count_one(const cw_session_info *info, void *payload)
{
	(void)info;
	++*(int *)payload;
	return 0;
}

/* How many sessions the export holds, for the line that reports it. */
static int count_sessions(cli *c, const request *r, int group)
{
	int n = 0;

	if (!group)
		return 1;
	if (cw_session_each(c->store, r->all ? NULL : &r->filter, count_one,
			    &n) < 0)
		return -1;
	return n;
}

static int report_file(cli *c, const request *r, int sessions)
{
	if (c->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "file", r->path);
		cJSON_AddStringToObject(doc, "format", r->format);
		cJSON_AddNumberToObject(doc, "sessions", sessions);
		cJSON_AddBoolToObject(doc, "redacted", r->options.redact);
		return cli_print_json(doc);
	}
	printf("Exported %d session%s as %s%s to %s\n", sessions,
	       sessions == 1 ? "" : "s", r->format,
	       r->options.redact ? " (redacted)" : "", r->path);
	return EXIT_DONE;
}

int cmd_export(cli *c, int argc, char **argv)
{
	parsed p;
	request r = { 0 };
	char id[CW_ID_LEN + 1];
	FILE *out = stdout;
	int rc = cli_parse(c, argc, argv, &p), error, group, sessions;
	int to_file;

	if (rc != 0) {
		free(p.args);
		return rc;
	}
	r.format = opt(c, &p, "--format");
	r.path = opt(c, &p, "-o");
	r.force = flag(c, &p, "--force");
	r.all = flag(c, &p, "--all");
	r.filter.case_id = opt(c, &p, "--case");
	r.filter.student = opt(c, &p, "--student");
	r.options.redact = flag(c, &p, "--redact");
	r.options.goals = flag(c, &p, "--goals");
	r.options.full = flag(c, &p, "--full");
	free(p.args);
	if (r.format == NULL && c->json)
		r.format = "json";
	r.bundle = r.format != NULL && strcmp(r.format, "bundle") == 0;
	if (r.format != NULL && !r.bundle &&
	    cw_export_format_parse(&r.options.format, r.format) < 0) {
		cli_error("unknown format '%s' (expected json, md, html, "
			  "csv or bundle)",
			  r.format);
		return EXIT_USAGE;
	}
	if ((rc = check_request(c, &r)) != 0)
		return rc;
	group = r.all || r.filter.case_id != NULL || r.filter.student != NULL;
	to_file = r.path != NULL && strcmp(r.path, "-") != 0;
	if (to_file && r.path[0] == '\0') {
		cli_error("-o needs a file name, or - for standard output");
		return EXIT_USAGE;
	}
	/* --json promises JSON on stdout: nothing else may go there */
	if (c->json && !to_file && strcmp(r.format, "json") != 0) {
		cli_error("--json prints JSON, --format %s does not: drop one, "
			  "or write the %s to a file with -o",
			  r.format, r.format);
		return EXIT_USAGE;
	}
	if (cli_store(c) == NULL)
		return EXIT_RUNTIME;
	/* refused before any file is made (a class server's student) */
	if (r.options.full &&
	    (error = cw_case_full_allowed(c->store, c->actor)) < 0)
		return cli_fail(error);
	if (!group && (rc = cli_session(c, id)) != 0)
		return rc;
	if (r.filter.case_id != NULL) {
		cJSON *kase = NULL;

		error = cw_case_get(&kase, c->store, r.filter.case_id);
		if (error < 0)
			return cli_fail(error);
		cJSON_Delete(kase);
	}
	/* the file is made only once everything named has been found */
	if (to_file && (rc = open_output(&out, &r)) != 0)
		return rc;

	if (r.bundle)
		error = cw_bundle_write(out, c->store, id);
	else if (group)
		error = cw_export_write_all(out, c->store,
					    r.all ? NULL : &r.filter,
					    &r.options);
	else
		error = cw_export_write(out, c->store, id, &r.options);
	if (to_file)
		error = finish_output(out, &r, error);
	if (error < 0)
		return cli_fail(error);
	if (!to_file)
		return EXIT_DONE;
	sessions = count_sessions(c, &r, group);
	return report_file(c, &r, sessions < 0 ? 0 : sessions);
}
