/*
 * util.c - what every command needs: errors and exit codes, the store,
 * the session, files, JSON output, wrapping and colour.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
	char small[1024], *text = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(small)) {
		text = malloc((size_t)n + 1);
		if (text == NULL) {
			text = small;
			n = sizeof(small) - 1;
		} else {
			va_start(ap, fmt);
			vsnprintf(text, (size_t)n + 1, fmt, ap);
			va_end(ap);
		}
	}
	/* a message is one line and may quote what the user typed: control
	 * characters in it (an escape sequence, a carriage return) must not
	 * reach the terminal, and a line break would fake a second message */
	for (int i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch < 0x20 || ch == 0x7f)
			text[i] = '?';
	}
	fputs("casework: ", stderr);
	fwrite(text, 1, (size_t)n, stderr);
	fputc('\n', stderr);
	if (text != small)
		free(text);
}

int cli_exit_code(int error)
{
	switch (error) {
	case CW_OK:
		return EXIT_DONE;
	case CW_EINVALID:
	case CW_EAMBIGUOUS:
		return EXIT_USAGE;
	case CW_EREFUSED:
		return EXIT_REFUSED;
	case CW_ENOTFOUND:
		return EXIT_NOTFOUND;
	case CW_ESCHEMA:
		return EXIT_BADFILE;
	default:
		return EXIT_RUNTIME;
	}
}

int cli_fail(int error)
{
	cli_error("%s", cw_error_last());
	return cli_exit_code(error);
}

cw_store *cli_store(cli *c)
{
	int error;

	static const char *const creators[] = { "init", "case import",
		"start", "walk", "workflow import", "bundle import",
		"key trust", NULL };
	int create = 0;

	if (c->store != NULL)
		return c->store;
	/* only commands that write make a database that is not there */
	for (const char *const *name = creators; *name != NULL; name++)
		create |= c->command != NULL &&
			  strcmp(c->command->name, *name) == 0;
	error = create ? cw_store_open(&c->store, c->db_path)
		       : cw_store_open_existing(&c->store, c->db_path);
	if (error < 0) {
		c->open_rc = cli_fail(error);
		return NULL;
	}
	return c->store;
}

cw_store *cli_store_if_any(cli *c)
{
	if (c->store == NULL &&
	    cw_store_open_existing(&c->store, c->db_path) == CW_ENOTFOUND)
		return NULL;
	if (c->store == NULL)
		return cli_store(c); /* another failure: report it */
	return c->store;
}

int cli_session(cli *c, char id[CW_ID_LEN + 1])
{
	const char *named = c->session ? c->session : getenv("CASEWORK_SESSION");
	int error;

	if (named != NULL && named[0] == '\0')
		named = NULL;
	error = cw_session_resolve(id, c->store, named);

	return error < 0 ? cli_fail(error) : 0;
}

const char *jstr(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : "";
}

double jnum(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(item) ? item->valuedouble : 0;
}

int cli_print_json(cJSON *doc)
{
	char *text;

	if (cJSON_IsObject(doc))
		cJSON_AddNumberToObject(doc, "schema_version",
					CLI_SCHEMA_VERSION);
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (text == NULL) {
		cli_error("out of memory");
		return EXIT_RUNTIME;
	}
	puts(text);
	free(text);
	return EXIT_DONE;
}

cJSON *cli_wrap(const char *key, cJSON *list)
{
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddItemToObject(doc, key, list);
	return doc;
}

/* What a path that is neither a file nor a folder is, for messages. */
static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a named pipe";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int cli_read_file(const char *path, char **text, size_t *len, long max)
{
	struct stat sb;
	char *buf = NULL;
	size_t n = 0;
	ssize_t got;
	int fd, rc = EXIT_RUNTIME;

	*text = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a named pipe must not wait for a writer; what
	 * was opened is then looked at, not what the name pointed to before */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		cli_error("%s: %s", path, strerror(errno));
		return errno == ENOENT || errno == ENOTDIR ? EXIT_NOTFOUND
							   : EXIT_RUNTIME;
	}
	if (fstat(fd, &sb) < 0) {
		cli_error("%s: %s", path, strerror(errno));
		goto cleanup;
	}
	if (S_ISDIR(sb.st_mode)) {
		cli_error("%s: is a folder, not a file", path);
		rc = EXIT_BADFILE;
		goto cleanup;
	}
	if (!S_ISREG(sb.st_mode)) {
		cli_error("%s: is %s, not a file", path, file_kind(sb.st_mode));
		rc = EXIT_BADFILE;
		goto cleanup;
	}
	if (sb.st_size > max) {
		cli_error("%s: $: the file is %lld bytes; at most %ld are read "
			  "[too-large]",
			  path, (long long)sb.st_size, max);
		rc = EXIT_BADFILE;
		goto cleanup;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL) {
		cli_error("out of memory");
		goto cleanup;
	}
	/* read what stat promised, and no more should the file grow */
	while (n < (size_t)sb.st_size) {
		got = read(fd, buf + n, (size_t)sb.st_size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			cli_error("%s: %s", path, strerror(errno));
			goto cleanup;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	buf = NULL;
	rc = EXIT_DONE;
cleanup:
	free(buf);
	close(fd);
	return rc;
}

/* The columns the UTF-8 character at `s` takes on a terminal (utf8proc's
 * reading of Unicode's East Asian Width and general category), its length
 * to `*len`; a byte that does not start a well-formed character is one
 * column of its own, so that bad input is never cut into worse. */
static int char_width(const unsigned char *s, size_t max, size_t *len)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)max, &cp);

	if (n <= 0) {
		*len = 1;
		return 1;
	}
	*len = (size_t)n;
	return utf8proc_charwidth(cp);
}

/* cli_text_fit on the first `len` bytes of `text` */
static int text_fit(const char *text, size_t len, int max, size_t *bytes)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t at = 0;
	int cols = 0;

	while (at < len && s[at] != '\0') {
		size_t n;
		int w = char_width(s + at, len - at < 4 ? len - at : 4, &n);

		if (max >= 0 && cols + w > max)
			break;
		cols += w;
		at += n;
	}
	if (bytes != NULL)
		*bytes = at;
	return cols;
}

int cli_text_fit(const char *text, int max, size_t *bytes)
{
	return text_fit(text ? text : "", (size_t)-1, max, bytes);
}

void cli_column(FILE *f, const char *text, int width)
{
	size_t bytes;
	int cols = cli_text_fit(text, width, &bytes);

	fwrite(text ? text : "", 1, bytes, f);
	fprintf(f, "%*s", width - cols, "");
}

void cli_wrap_text(FILE *f, const char *text, int indent, int width)
{
	cli_wrap_from(f, text, 0, indent, width);
}

void cli_wrap_from(FILE *f, const char *text, int col, int indent, int width)
{
	const char *p = text;

	while (*p != '\0') {
		const char *word;
		int wlen, wcols;

		if (*p == '\n') {
			/* keep paragraph breaks of the source text */
			fputc('\n', f);
			col = 0;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		word = p;
		while (*p != '\0' && *p != ' ' && *p != '\n')
			p++;
		wlen = (int)(p - word);
		wcols = text_fit(word, (size_t)wlen, -1, NULL);
		if (col > indent && col + 1 + wcols > width) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0) {
			fprintf(f, "%*s", indent, "");
			col = indent;
		} else {
			fputc(' ', f);
			col++;
		}
		fwrite(word, 1, (size_t)wlen, f);
		col += wcols;
	}
	if (col > 0)
		fputc('\n', f);
}

int cli_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 40)
		return ws.ws_col > 100 ? 100 : ws.ws_col;
	return 80;
}

const char *cli_suggest(const cli *c, const char *text)
{
	if (c->walking && strncmp(text, "casework ", 9) == 0)
		return text + 9;
	return text;
}

const char *cli_color(const cli *c, const char *code)
{
	return c->color ? code : "";
}

void cli_print_diags(const char *file, const cw_diags *d)
{
	for (size_t i = 0; i < d->count; i++)
		cli_error("%s: %s: %s [%s]", file, d->items[i].path,
			  d->items[i].message, d->items[i].code);
}

void cli_report_file_error(const char *file, int error, const cw_diags *d)
{
	if (error == CW_ESCHEMA && d->count > 0)
		cli_print_diags(file, d);
	else if (error < 0)
		cli_error("%s: %s", file, cw_error_last());
}

cJSON *cli_diags_json(const char *file, const cw_diags *d)
{
	cJSON *item = cJSON_CreateObject();
	cJSON *problems;

	cJSON_AddStringToObject(item, "file", file);
	cJSON_AddBoolToObject(item, "ok", d->count == 0);
	problems = cJSON_AddArrayToObject(item, "problems");
	for (size_t k = 0; k < d->count; k++) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "path", d->items[k].path);
		cJSON_AddStringToObject(p, "code", d->items[k].code);
		cJSON_AddStringToObject(p, "message", d->items[k].message);
		cJSON_AddItemToArray(problems, p);
	}
	return item;
}

static FILE *pager;

void cli_pager_start(const cli *c)
{
	const char *cmd = c->pager;

	if (c->walking || c->json || !isatty(STDOUT_FILENO))
		return;
	if (cmd == NULL || cmd[0] == '\0' || strcmp(cmd, "cat") == 0)
		return;
	fflush(stdout);
	pager = popen(cmd, "w");
	if (pager == NULL)
		return;
	if (dup2(fileno(pager), STDOUT_FILENO) < 0) {
		pclose(pager);
		pager = NULL;
	}
}

void cli_pager_end(void)
{
	/* stdout (our end of the pipe) is closed by now; wait for the pager */
	if (pager != NULL) {
		pclose(pager);
		pager = NULL;
	}
}

int cli_number(const char *text, long min, long max, long *out)
{
	char *end = NULL;
	long n;

	/* strtol would also take " 3" and "+3" */
	if (text == NULL || !((*text >= '0' && *text <= '9') || *text == '-'))
		return -1;
	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}
