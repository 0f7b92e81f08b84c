/*
 * stress.h - what the two stress drivers (crash.c, concurrency.c) share:
 * options, TAP output, running casework as a child process, and reading
 * the database directly with SQLite to judge what the children left.
 */
#ifndef CASEWORK_STRESS_H
#define CASEWORK_STRESS_H

#include <stdint.h>
#include <sys/types.h>

#include <sqlite3.h>

/* Options both drivers take; each reads the ones it needs. */
struct stress_opts {
	const char *casework; /* --casework: the program under test */
	const char *top;      /* --top: the repository (examples/) */
	const char *dir;      /* --dir: where the scratch folder goes */
	long seed;            /* --seed: for the random choices */
	int cycles;           /* --cycles: kill cycles (crash) */
	int verify_every;     /* --verify-every: run verify each N cycles */
	int workers;          /* --workers: processes at once (concurrency) */
	int commands;         /* --commands: commands per worker */
	int expect_failure;   /* --expect-failure: the negative control */
	int keep;             /* --keep: leave the scratch folder */
};

/* Parse argv into `o` (defaults already set by the caller); exits 2 with a
 * usage line on a bad option. */
void stress_parse(struct stress_opts *o, int argc, char **argv,
		  const char *usage);

/* A scratch folder under o->dir (else $TMPDIR, else /tmp); returns a
 * malloc'd path that the caller frees after stress_cleanup(). */
char *stress_scratch(const struct stress_opts *o, const char *name);

/* Remove the scratch folder (unless --keep). */
void stress_cleanup(const struct stress_opts *o, const char *dir);

/* TAP: one test line; returns `pass`.  The plan is printed by tap_done. */
int tap_ok(int pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A "# ..." diagnostic line. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the plan; returns the process's exit status (0: all passed). */
int tap_done(void);

/* Microseconds on the monotonic clock. */
int64_t now_us(void);

/* A uniform random number in [0, n) from the seeded generator. */
long rnd(long n);
/* Seed the generator. */
void rnd_seed(long seed);

/* Start `argv` (argv[0] the program) with stdin from `in` (NULL:
 * /dev/null), stdout to `out` (NULL: /dev/null) and stderr appended to
 * `err` (NULL: /dev/null).  Returns the child's pid, or -1. */
pid_t spawn(char *const argv[], const char *in, const char *out,
	    const char *err);

/* Run argv to its end; returns the wait status (see waitpid), or -1. */
int run_wait(char *const argv[], const char *in, const char *out,
	     const char *err);

/* Read a whole small file; returns a malloc'd string or NULL. */
char *slurp(const char *path);
/* Write `text` to `path` (owner-only); returns 0 or -1. */
int spit(const char *path, const char *text);

/* Open the database read-write, without creating it; NULL on failure
 * (the reason goes to a diagnostic). */
sqlite3 *db_open(const char *path);
/* The first column of the first row of `sql` as an integer, with text
 * parameters ?1, ?2 (NULL: not bound); -1 on error. */
long long db_int(sqlite3 *db, const char *sql, const char *p1,
		 const char *p2);
/* PRAGMA integrity_check says ok and PRAGMA foreign_key_check finds
 * nothing; returns 1 if so, else 0 with the reason in `why`. */
int db_sound(sqlite3 *db, char *why, size_t len);
/* Sessions whose projection disagrees with their events (last_seq,
 * count, max(seq), head); 0 when all agree, -1 on error. */
long long db_bad_projections(sqlite3 *db);

#endif
