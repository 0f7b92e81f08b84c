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

/* The columns one code point takes on a terminal: the zero-width and
 * double-width ranges of Unicode's East Asian Width and general category
 * that names, cases and notes meet in practice. */
static int code_point_width(unsigned long cp)
{
	static const unsigned long zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0670, 0x0670 },
		{ 0x06d6, 0x06dc }, { 0x06df, 0x06e4 }, { 0x0e31, 0x0e31 },
		{ 0x0e34, 0x0e3a }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
		{ 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f }, { 0xe0100, 0xe01ef },
	};
	static const unsigned long wide[][2] = {
		{ 0x1100, 0x115f },   { 0x231a, 0x231b },   { 0x23e9, 0x23ec },
		{ 0x25fd, 0x25fe },   { 0x2614, 0x2615 },   { 0x2648, 0x2653 },
		{ 0x26aa, 0x26ab },   { 0x26bd, 0x26be },   { 0x26c4, 0x26c5 },
		{ 0x2705, 0x2705 },   { 0x270a, 0x270b },   { 0x2728, 0x2728 },
		{ 0x2753, 0x2755 },   { 0x2e80, 0x303e },   { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf },   { 0x4e00, 0x9fff },   { 0xa000, 0xa4cf },
		{ 0xa960, 0xa97f },   { 0xac00, 0xd7a3 },   { 0xf900, 0xfaff },
		{ 0xfe10, 0xfe19 },   { 0xfe30, 0xfe6f },   { 0xff00, 0xff60 },
		{ 0xffe0, 0xffe6 },   { 0x16fe0, 0x16fe4 }, { 0x17000, 0x18aff },
		{ 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 }, { 0x1f18e, 0x1f18e },
		{ 0x1f191, 0x1f19a }, { 0x1f200, 0x1f251 }, { 0x1f300, 0x1f64f },
		{ 0x1f680, 0x1f6ff }, { 0x1f7e0, 0x1f7eb }, { 0x1f900, 0x1f9ff },
		{ 0x1fa70, 0x1faff }, { 0x20000, 0x3fffd },
	};

	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

/* The length of the UTF-8 character at `s` with its code point in `*cp`;
 * a byte that does not start a well-formed character is one "character"
 * of its own, so that bad input is never cut into worse. */
static size_t utf8_char(const unsigned char *s, unsigned long *cp)
{
	size_t len = s[0] < 0x80 ? 1
		     : (s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2 ? 2
		     : (s[0] & 0xf0) == 0xe0 ? 3
		     : (s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4 ? 4
							     : 0;

	if (len == 0) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return len;
}

/* cli_text_fit on the first `len` bytes of `text` */
static int text_fit(const char *text, size_t len, int max, size_t *bytes)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t at = 0;
	int cols = 0;

	while (at < len && s[at] != '\0') {
		unsigned long cp;
		size_t n = utf8_char(s + at, &cp);
		int w = code_point_width(cp);

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
