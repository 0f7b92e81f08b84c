/*
 * failmalloc.c - an LD_PRELOAD shim that makes one chosen allocation fail,
 * to show that casework survives running out of memory at any point.
 *
 *   CASEWORK_FAIL_ALLOC=N     the Nth allocation after main starts returns
 *                             NULL (with errno ENOMEM); the ones before and
 *                             after it succeed.  0 or unset: none fails.
 *   CASEWORK_ALLOC_REPORT=F   at exit, write "COUNT FAILED" to F: how many
 *                             allocations were counted and whether the Nth
 *                             was reached (1) or not (0).
 *
 * Counting starts when main starts, not when the program is loaded: the
 * dynamic loader, libc and the libraries' constructors allocate before
 * main in ways that vary with the machine, and a failure there is not
 * casework's to handle.  The shim wraps __libc_start_main (which the
 * program's _start calls) and swaps in a main that switches counting on.
 *
 * malloc, calloc, realloc, reallocarray, posix_memalign, aligned_alloc
 * and memalign are counted (realloc of a NULL pointer too; realloc to size
 * 0 is a free and is not).  glibc routes its own allocations (strdup,
 * asprintf, fopen, ...) through these, so they are counted as well.  The
 * real work is done by glibc's __libc_* entry points, so no dlsym is
 * needed inside an allocator.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void),
			void (*)(void), void (*)(void), void *);

static int counting;
static unsigned long count;
static unsigned long fail_at;
static int failed;
static main_fn real_main;
static const char *report_path;

/* 1 when this allocation is the one to fail */
static int fail_this(void)
{
	if (!counting)
		return 0;
	count++;
	if (fail_at != 0 && count == fail_at) {
		failed = 1;
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t size)
{
	return fail_this() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return fail_this() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	if (p != NULL && size == 0)
		return __libc_realloc(p, size);
	return fail_this() ? NULL : __libc_realloc(p, size);
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (fail_this())
		return ENOMEM;
	p = __libc_memalign(align, size);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
	return fail_this() ? NULL : __libc_memalign(align, size);
}

void *memalign(size_t align, size_t size)
{
	return fail_this() ? NULL : __libc_memalign(align, size);
}

/* written with write(2): no allocation while the count is reported */
static void report(void)
{
	char line[64];
	int fd, len;

	counting = 0;
	if (report_path == NULL)
		return;
	fd = open(report_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%lu %d\n", count, failed);
	if (len > 0 && write(fd, line, (size_t)len) < 0)
		len = -1;
	close(fd);
}

static int counted_main(int argc, char **argv, char **envp)
{
	const char *n = getenv("CASEWORK_FAIL_ALLOC");

	fail_at = n != NULL ? strtoul(n, NULL, 10) : 0;
	report_path = getenv("CASEWORK_ALLOC_REPORT");
	/* registered first, so it runs last: frees at exit are not counted
	 * anyway, and allocations in other exit handlers still are */
	if (atexit(report) != 0)
		return 125;
	counting = 1;
	return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main_, int argc, char **argv,
		      void (*init)(void), void (*fini)(void),
		      void (*rtld_fini)(void), void *stack_end)
{
	start_fn next = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");

	real_main = main_;
	return next(counted_main, argc, argv, init, fini, rtld_fini,
		    stack_end);
}
