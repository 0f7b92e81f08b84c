/*
 * out.c - the one place where text reaches the terminal.  stdout and
 * stderr are replaced by streams that pass every byte through
 * escape_controls(): a control character from stored text (a case file,
 * a handed-in bundle, a note) is shown as \x1b or \u009b instead of
 * moving the cursor, clearing the screen or writing the clipboard.  The
 * commands print as they always did; none of them has to remember.
 */
#define _GNU_SOURCE /* fopencookie (glibc, musl) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"

/* A filtered stream: the file descriptor it writes to, whether the
 * program's own colour codes may pass, and the bytes of a character or
 * colour code that a write cut in two, kept for the next write. */
typedef struct out_filter {
	int fd;
	int color;
	unsigned char carry[8];
	size_t ncarry;
} out_filter;

static out_filter filters[2];
static FILE *raw_stdout; /* stdout as it was before the filter */

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The length of the colour code (ESC [ digits m, as C_BOLD and the others
 * in cli.h) at p, 0 when p holds something else, or -1 when the first
 * `len` bytes are a colour code cut short. */
static int colour_code(const unsigned char *p, size_t len)
{
	size_t i = 2;

	if (len < 2)
		return -1;
	if (p[1] != '[')
		return 0;
	while (i < len && i < 6 && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i == len)
		return i < 6 ? -1 : 0;
	return p[i] == 'm' && i > 2 ? (int)i + 1 : 0;
}

/*
 * Write `len` bytes of `p` to `f->fd` with every control character other
 * than a line break (LF or CRLF) or a tab escaped: C0 controls as \xNN,
 * DEL and the C1 controls (U+0080 to U+009F) as \u00NN.  The colour codes the
 * program writes itself pass when colour is on.  With `final` unset, a
 * character, CRLF or colour code cut short at the end is kept for the
 * next call.
 * Returns how many bytes were used, or -1 on a write error.
 */
static ssize_t escape_controls(out_filter *f, const unsigned char *p,
			       size_t len, int final)
{
	char buf[4096 + 16];
	size_t i = 0, n = 0;

	while (i < len) {
		unsigned char b = p[i];
		int code;

		if (n > sizeof(buf) - 16) {
			if (write_all(f->fd, buf, n) < 0)
				return -1;
			n = 0;
		}
		if (b == 0x1b && f->color &&
		    (code = colour_code(p + i, len - i)) != 0) {
			if (code < 0 && !final)
				break;
			if (code > 0) {
				memcpy(buf + n, p + i, (size_t)code);
				n += (size_t)code;
				i += (size_t)code;
				continue;
			}
		}
		if ((b == 0xc2 || b == '\r') && i + 1 == len && !final)
			break;
		if (b == '\r' && i + 1 < len && p[i + 1] == '\n') {
			/* CRLF, as a CSV row ends: no line is overwritten */
			buf[n++] = '\r';
			i++;
		} else if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f) {
			/* DEL as \u007f, as C1: valid inside a --json
			 * string too (cJSON escapes the C0 controls) */
			n += (size_t)snprintf(buf + n, 8,
					      b == 0x7f ? "\\u%04x" : "\\x%02x",
					      b);
			i++;
		} else if (b == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
			   p[i + 1] <= 0x9f) {
			n += (size_t)snprintf(buf + n, 8, "\\u%04x", p[i + 1]);
			i += 2;
		} else {
			buf[n++] = (char)b;
			i++;
		}
	}
	if (n > 0 && write_all(f->fd, buf, n) < 0)
		return -1;
	return (ssize_t)i;
}

static ssize_t filter_write(void *cookie, const char *buf, size_t size)
{
	out_filter *f = cookie;
	const unsigned char *p = (const unsigned char *)buf;
	unsigned char *joined = NULL;
	size_t len = size;
	ssize_t n;

	/* the bytes held back go first, completed by the new ones */
	if (f->ncarry > 0) {
		joined = malloc(f->ncarry + size);
		if (joined == NULL)
			return -1;
		memcpy(joined, f->carry, f->ncarry);
		memcpy(joined + f->ncarry, buf, size);
		p = joined;
		len = f->ncarry + size;
	}
	n = escape_controls(f, p, len, 0);
	if (n >= 0) {
		/* what is left is a cut-short character: a few bytes */
		f->ncarry = len - (size_t)n;
		memcpy(f->carry, p + n, f->ncarry);
	}
	free(joined);
	return n < 0 ? -1 : (ssize_t)size;
}

static int filter_close(void *cookie)
{
	out_filter *f = cookie;
	int rc = 0;

	if (f->ncarry > 0 && escape_controls(f, f->carry, f->ncarry, 1) < 0)
		rc = -1;
	f->ncarry = 0;
	/* closing our end of a pager's pipe tells it the output is over */
	if (close(f->fd) != 0)
		rc = -1;
	return rc;
}

/* A stream on `fd` through filter `f`, or NULL. */
static FILE *filtered(out_filter *f, int fd, int color)
{
	cookie_io_functions_t io = {NULL, filter_write, NULL, filter_close};

	f->fd = fd;
	f->color = color;
	f->ncarry = 0;
	return fopencookie(f, "w", io);
}

void cli_out_filter(int color)
{
	FILE *out, *err;

	/* refusals on stderr are coloured too */
	filters[0].color = filters[1].color = color;
	if (filters[0].fd != 0)
		return; /* installed already: only the colour changed */
	fflush(stdout);
	fflush(stderr);
	out = filtered(&filters[0], STDOUT_FILENO, color);
	err = filtered(&filters[1], STDERR_FILENO, color);
	raw_stdout = stdout;
	if (out != NULL) {
		if (isatty(STDOUT_FILENO))
			setvbuf(out, NULL, _IOLBF, 0);
		stdout = out;
	}
	if (err != NULL) {
		setvbuf(err, NULL, _IONBF, 0);
		stderr = err;
	}
}

FILE *cli_out_raw(void)
{
	return raw_stdout != NULL ? raw_stdout : stdout;
}
