# casework - build, test and install.  `make help` lists the targets.

# Where `make install` puts things.
PREFIX ?= /usr/local
# Staging root for packagers (prepended to every install path).
DESTDIR ?=
# The C compiler; any C11 compiler with GNU extensions for attributes.
CC ?= cc
# Libraries, found through pkg-config; nettle gives SHA-256 for the
# tamper-evident log and, in its hogweed half, the Ed25519 signatures of
# instructor acts (no hand-written crypto; smaller to load than libcrypto,
# whose start-up was half of every command's instructions).
# utf8proc knows Unicode: how wide a character is on a terminal, and its
# case-folded form, so that "ZOË" finds Zoë and redaction takes out "MAYA"
# as well as "Maya" in any script (the hand-written width table it
# replaces knew some ranges and ASCII case only).
PKGS := sqlite3 libcjson uuid nettle hogweed libutf8proc
# Where build products go; the sanitizer build lives in build/asan.
BUILD ?= build
# Extra flags for a variant build (the asan target sets them).
EXTRA_CFLAGS ?=
EXTRA_LDFLAGS ?=

# libpq talks to a class server (the PostgreSQL backend, engine/src/*pg*.c).
# By default the backend opens it at run time (dlopen), when a command is
# given a postgresql:// URI: linked in, libpq and what it pulls in (TLS,
# Kerberos, LDAP) tripled the instructions of every command on a SQLite
# file.  LINK_LIBPQ=1 links it the ordinary way, for packagers (make clean
# first); LIBPQ_SONAME is the file opened otherwise.
LINK_LIBPQ ?= 0
LIBPQ_SONAME ?= libpq.so.5
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libpq 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ifeq ($(LINK_LIBPQ),1)
PKG_CFLAGS += -DCW_LINK_LIBPQ
PKG_LIBS += $(shell pkg-config --libs libpq 2>/dev/null)
else
PKG_CFLAGS += -DCW_LIBPQ_SONAME='"$(LIBPQ_SONAME)"'
endif
# The program links the small libraries it always uses (SQLite, libuuid,
# nettle) statically: loading and relocating shared libraries was half of
# every command's instructions, and 'casework note' went from 4.0 M to
# 2.5 M instructions (docs/BENCHMARKS.md).  cJSON has no static library in
# Debian, and libc stays shared.  LINK_STATIC=0 links them all shared, for
# packagers whose distribution patches its libraries in one place (make
# clean first).  The shared libcasework always links them shared.
LINK_STATIC ?= 1
# The floor program of the benchmarks is linked the same way, so that a
# ratio to it measures the engine, not how each was linked.
ifeq ($(LINK_STATIC),1)
PROG_LIBS := -Wl,-Bstatic -lsqlite3 -luuid -lhogweed -lgmp -lnettle -lutf8proc -Wl,-Bdynamic -lcjson -lm
FLOOR_LIBS := -Wl,-Bstatic -lsqlite3 -Wl,-Bdynamic -lm
else
PROG_LIBS := $(PKG_LIBS)
FLOOR_LIBS := $(shell pkg-config --libs sqlite3 2>/dev/null)
endif
# libedit gives `walk` line editing on a terminal.  By default the walk
# opens it at run time (dlopen), so that no other command pays to load it
# and the libraries it pulls in (libtinfo, libbsd, libmd: about 0.5 M
# instructions of every command); without it a walk reads plain lines.
# LINK_EDITLINE=1 links it the ordinary way instead, for packagers who
# want every library in the program's NEEDED list (make clean first).
LINK_EDITLINE ?= 0
# The file the walk opens: libedit's run-time name on Debian and Fedora.
EDITLINE_SONAME ?= libedit.so.2
# dlopen's library: empty with glibc 2.34 or later, -ldl before.
DL_LIBS ?=
ifeq ($(LINK_EDITLINE),1)
EDIT_CFLAGS := -DCW_LINK_EDITLINE
CLI_LIBS := $(shell pkg-config --libs libedit 2>/dev/null)
else
EDIT_CFLAGS := -DCW_EDITLINE_SONAME='"$(EDITLINE_SONAME)"'
CLI_LIBS := $(DL_LIBS)
endif
# Warnings are errors: the tree builds warning-free or not at all.
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
	-Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	$(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -Iengine/include $(PKG_CFLAGS)
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_LDFLAGS)
# libuuid cannot report its version at run time; --version shows the one
# the program was built with.
CLI_CFLAGS := -DCW_UUID_BUILT='"$(shell pkg-config --modversion uuid 2>/dev/null)"'

ENGINE_SRC := $(wildcard engine/src/*.c)
ENGINE_OBJ := $(ENGINE_SRC:engine/src/%.c=$(BUILD)/engine/%.o) \
	$(BUILD)/engine/embed.o
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:cli/%.c=$(BUILD)/cli/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# The stress drivers (tests/stress): kill cycles and concurrent writers.
STRESS_BIN := $(BUILD)/stress/crash $(BUILD)/stress/concurrency
# Their long forms (make stress): kill cycles, run once in TMPDIR and once
# in STRESS_DISK (a real disk, where fsync takes time); concurrent workers
# and the commands each runs.
STRESS_CYCLES ?= 5000
STRESS_DISK ?= $(CURDIR)/$(BUILD)/stress-disk
STRESS_WORKERS ?= 8
STRESS_COMMANDS ?= 500
# Student logins walking a case at once on one PostgreSQL server
# (tests/pg/load; make check runs 20).
PG_LOAD_STUDENTS ?= 200
# A seed to repeat a stress run (each run prints its own); empty: random.
STRESS_SEED ?=
# A test-only copy of the program whose databases cannot grow, as on a full
# disk (tests/hooks/full_disk.c; used by tests/cli/environment.bats).
FULL_DISK := $(BUILD)/tests/casework-full-disk
STANDARD := examples/workflows/standard.json
CHILD_PROTECTION := examples/workflows/child-protection.json

# The libFuzzer harnesses (tests/fuzz/fuzz_NAME.c), built with clang in
# $(BUILD)/fuzz; `make fuzz` runs each for FUZZ_SECONDS.
FUZZ_CC ?= clang
FUZZ_NAMES := case workflow bundle cli
FUZZ_BIN := $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz_%)
FUZZ_SECONDS ?= 60
# Set by the fuzz build only: the program's main() gets another name so
# that libFuzzer's main() drives the harness linked with the CLI objects.
CLI_MAIN_FLAGS ?=

.PHONY: all check check-only demo demo-only deps deps-build asan install uninstall \
	clean help man asan-build \
	fuzz fuzz-build deferred-build stress \
	bench bench-tools valgrind faults coverage coverage-build

# The allocation-failure shim for tests/faults/run (LD_PRELOAD).
FAILMALLOC := $(BUILD)/tests/failmalloc.so
# Where `make coverage` builds, runs and reports.
COVERAGE := $(BUILD)/coverage

# Build the library (static and shared) and the casework program.
all: $(BUILD)/casework $(BUILD)/libcasework.a $(BUILD)/libcasework.so

$(BUILD)/engine/%.o: engine/src/%.c $(wildcard engine/src/*.h engine/include/casework/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

# The built-in workflows are linked in so that casework works with no file.
$(BUILD)/engine/embed.o: engine/src/embed.S $(STANDARD) $(CHILD_PROTECTION)
	@mkdir -p $(@D)
	$(CC) $(EXTRA_CFLAGS) -fPIC -DSTANDARD_WORKFLOW='"$(CURDIR)/$(STANDARD)"' -DCHILD_PROTECTION_WORKFLOW='"$(CURDIR)/$(CHILD_PROTECTION)"' -c $< -o $@

$(BUILD)/cli/main.o: ALL_CFLAGS += $(CLI_MAIN_FLAGS)
$(BUILD)/cli/cmd_walk.o: ALL_CFLAGS += $(EDIT_CFLAGS)

$(BUILD)/cli/%.o: cli/%.c $(wildcard cli/*.h engine/include/casework/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CLI_CFLAGS) -c $< -o $@

$(BUILD)/libcasework.a: $(ENGINE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libcasework.so: $(ENGINE_OBJ)
	$(CC) -shared -Wl,-soname,libcasework.so.0 $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/casework: $(CLI_OBJ) $(BUILD)/libcasework.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libcasework.a $(PROG_LIBS) $(CLI_LIBS)

# Engine unit tests (cmocka); each links the static library.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(BUILD)/libcasework.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iengine/src -o $@ $< $(BUILD)/libcasework.a \
		$(ALL_LDFLAGS) $(PKG_LIBS) -lcmocka

# An LD_PRELOAD shim that fails one chosen allocation (tests/faults/).
$(FAILMALLOC): tests/faults/failmalloc.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) $(CFLAGS) -fPIC -shared -o $@ $< -ldl

$(FULL_DISK): tests/hooks/full_disk.c $(CLI_OBJ) $(BUILD)/libcasework.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(CLI_OBJ) $(BUILD)/libcasework.a \
		$(ALL_LDFLAGS) $(PKG_LIBS) $(CLI_LIBS)

# The benchmark tools (tests/bench): the floor program (plain SQLite, no
# engine) and the cohort generator (through the engine's public API).
BENCH_BIN := $(BUILD)/bench/floor $(BUILD)/bench/gen $(BUILD)/bench/floor_pg

$(BUILD)/bench/floor: tests/bench/floor.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(FLOOR_LIBS)

# The class server's floor program: bare libpq, linked the ordinary way.
$(BUILD)/bench/floor_pg: tests/bench/floor_pg.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) \
		$(shell pkg-config --libs libpq 2>/dev/null)

$(BUILD)/bench/gen: tests/bench/gen.c $(BUILD)/libcasework.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libcasework.a $(ALL_LDFLAGS) $(PKG_LIBS)

bench-tools: all $(BENCH_BIN)

# Time every command against the floor program on cohorts of 1k to 1M
# events (made once under build/bench, reused), print the table and write
# it into docs/BENCHMARKS.md.  BENCH_SIZES="1000 10000" for a quick run;
# BENCH_PAIRS, BENCH_BULK and BENCH_CALLGRIND=0 as tests/bench/run says.
# Then the class server: note and status against floor_pg, latency with
# 200 students at once, report at 100k events (tests/bench/pg says how).
bench: bench-tools
	@nice -n 5 tests/bench/run $(BUILD)
	@nice -n 5 tests/bench/pg $(BUILD)

# A libFuzzer harness of the engine: its objects from the fuzz build (made
# with -fsanitize=fuzzer-no-link) and libFuzzer's main().
FUZZ_LINK = $(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.o %.a,$^) \
	$(ALL_LDFLAGS) $(PKG_LIBS)
$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h \
		$(BUILD)/libcasework.a
	@mkdir -p $(@D)
	$(FUZZ_LINK)

# The command-line harness also links the program's objects.
$(BUILD)/tests/fuzz_cli: tests/fuzz/fuzz_cli.c tests/fuzz/fuzz.c \
		tests/fuzz/fuzz.h $(CLI_OBJ) $(BUILD)/libcasework.a
	@mkdir -p $(@D)
	$(FUZZ_LINK) $(CLI_LIBS)

# A stress driver: forks and kills casework, reads the database directly.
$(BUILD)/stress/%: tests/stress/%.c tests/stress/stress.c tests/stress/stress.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< tests/stress/stress.c \
		$(ALL_LDFLAGS) $(PKG_LIBS)

# Every test: unit and CLI tests, on the normal build and under ASan+UBSan,
# then the short stress tests once, then the fuzz corpora replayed and each
# harness run for a few seconds; ends with one line "N passed, N failed".
# It installs what is missing first (deps), then runs check-only in a new
# make: the pkg-config flags above were computed when this Makefile was
# read, which on a fresh machine is before the -dev packages are there.
check: deps
	@$(MAKE) --no-print-directory check-only

# The same without looking for missing packages.
check-only: all $(UNIT_BIN) $(FAILMALLOC) $(FULL_DISK) $(STRESS_BIN) $(BENCH_BIN)
	@$(MAKE) --no-print-directory asan-build
	@$(MAKE) --no-print-directory deferred-build
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_BUILD=$(BUILD)/fuzz tests/run $(BUILD) $(BUILD)/asan

# A test-only casework whose write transactions begin with a deferred
# BEGIN: the stress tests must fail on it (their negative control).
deferred-build:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/deferred \
		EXTRA_CFLAGS="-DCW_TEST_DEFERRED_BEGIN" $(BUILD)/deferred/casework

# The long stress tests: STRESS_CYCLES kill cycles in TMPDIR and again in
# STRESS_DISK; STRESS_WORKERS processes of STRESS_COMMANDS commands each;
# PG_LOAD_STUDENTS students at once on a throwaway PostgreSQL server.
stress: all $(STRESS_BIN)
	@$(MAKE) --no-print-directory deferred-build
	@mkdir -p $(STRESS_DISK)
	@STRESS_CYCLES=$(STRESS_CYCLES) STRESS_DISK=$(STRESS_DISK) \
		STRESS_WORKERS=$(STRESS_WORKERS) \
		STRESS_COMMANDS=$(STRESS_COMMANDS) STRESS_SEED=$(STRESS_SEED) \
		PG_LOAD_STUDENTS=$(PG_LOAD_STUDENTS) tests/run --stress $(BUILD)

# The sanitizer build alone (ASan + UBSan, no recovery).
asan-build:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" CFLAGS="-O1 -g" \
		$(BUILD)/asan/casework $(BUILD)/asan/tests/casework-full-disk \
		$(patsubst $(BUILD)/%,$(BUILD)/asan/%,$(UNIT_BIN))

# Run the unit and CLI tests under ASan+UBSan only.
asan: asan-build
	@tests/run $(BUILD)/asan

# The libFuzzer harnesses alone, with clang, ASan and UBSan (build/fuzz).
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=$(FUZZ_CC) \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" CFLAGS="-O1 -g" \
		CLI_MAIN_FLAGS="-Dmain=casework_main" \
		$(patsubst $(BUILD)/%,$(BUILD)/fuzz/%,$(FUZZ_BIN))

# Run each harness for FUZZ_SECONDS (default 60) from its seed corpus
# (tests/fuzz/corpus); new inputs and logs go to build/fuzz/out.
fuzz: fuzz-build
	@tests/fuzz/run $(BUILD)/fuzz $(FUZZ_SECONDS)
# The unit tests and the CLI tests with every program run under valgrind
# (memcheck, full leak check); any report fails the test.  Slow, so not
# part of check, where ASan+UBSan cover the same ground.
# Each run logs to $(BUILD)/valgrind/PID.log, so that no report is missed
# even where a test ignores an exit code.
valgrind: all $(UNIT_BIN)
	@rm -rf $(BUILD)/valgrind && mkdir -p $(BUILD)/valgrind
	@CASEWORK_UNDER="valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect \
		--log-file=$(CURDIR)/$(BUILD)/valgrind/%p.log" tests/run $(BUILD); \
	rc=$$?; reports=$$(find $(BUILD)/valgrind -name '*.log' -size +0); \
	echo "valgrind: $$(ls $(BUILD)/valgrind | wc -l) runs, \
	$$(echo $$reports | wc -w) with reports $$reports"; \
	[ $$rc -eq 0 ] && [ -z "$$reports" ]

# Allocation-failure injection, long form: every command of a whole walk
# with each of its allocations failing in turn (check runs a sample).
faults: all $(FAILMALLOC)
	@tests/faults/run --all $(BUILD)/casework $(FAILMALLOC)

# Line and branch coverage of engine/ by the unit and CLI tests (gcovr):
# a summary on the terminal, HTML in $(COVERAGE)/html/index.html.
coverage: coverage-build
	@find $(COVERAGE) -name '*.gcda' -delete
	@tests/run $(COVERAGE) | tail -n 1
	@mkdir -p $(COVERAGE)/html
	@gcovr --root . --filter 'engine/' --object-directory $(COVERAGE) \
		--exclude-unreachable-branches --exclude-throw-branches \
		--html-details $(COVERAGE)/html/index.html \
		--print-summary --sort-percentage

# The instrumented build alone (build/coverage).
coverage-build:
	@$(MAKE) --no-print-directory BUILD=$(COVERAGE) \
		EXTRA_CFLAGS="--coverage" EXTRA_LDFLAGS="--coverage" CFLAGS="-O0 -g" \
		$(COVERAGE)/casework $(COVERAGE)/tests/failmalloc.so \
		$(patsubst $(BUILD)/%,$(COVERAGE)/%,$(UNIT_BIN))

# Install what is missing (deps), build, then walk the sample case
# through all eight phases and print its summary (a scratch database,
# removed after).  The build runs in a new make, as for check, so that
# the pkg-config flags are read after deps installed the packages.
demo: deps-build
	@$(MAKE) --no-print-directory demo-only

# The same without looking for missing packages.
demo-only: all
	@examples/demo.sh $(BUILD)/casework

# Install the Debian packages a fresh machine lacks (apt-get, with sudo
# when not root); checks with dpkg-query first, so it is quick when
# nothing is missing.  Only demo, check and deps run it: make alone never
# runs apt.
deps:
	@tests/deps.sh

# Only what building needs (demo runs this: no test tools, no server).
deps-build:
	@tests/deps.sh build

# Where `make install` puts what; `make uninstall` removes the same.
BINDIR := $(DESTDIR)$(PREFIX)/bin
LIBDIR := $(DESTDIR)$(PREFIX)/lib
INCDIR := $(DESTDIR)$(PREFIX)/include/casework
PCDIR := $(LIBDIR)/pkgconfig
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
# The version, from the one place that holds it.
VERSION := $(shell sed -n 's/^\#define CW_VERSION "\(.*\)"/\1/p' engine/include/casework/common.h)

# Install the program, the library (static and shared) with its public
# headers and a pkg-config file, the man page, and bash and zsh completion.
install: all
	install -d $(BINDIR) $(LIBDIR) $(INCDIR) $(PCDIR) $(MANDIR) \
		$(BASHDIR) $(ZSHDIR)
	install -m 755 $(BUILD)/casework $(BINDIR)/casework
	install -m 644 $(BUILD)/libcasework.a $(LIBDIR)/
	install -m 755 $(BUILD)/libcasework.so $(LIBDIR)/libcasework.so.0
	ln -sf libcasework.so.0 $(LIBDIR)/libcasework.so
	install -m 644 engine/include/casework/*.h $(INCDIR)/
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' \
		'includedir=$${prefix}/include' '' 'Name: casework' \
		'Description: social case-work interview practice: workflows, sessions, a hash-chained log' \
		'Version: $(VERSION)' 'Requires: libcjson' \
		'Requires.private: sqlite3 uuid nettle hogweed libutf8proc' \
		'Libs: -L$${libdir} -lcasework' 'Cflags: -I$${includedir}' \
		> $(PCDIR)/casework.pc
	chmod 644 $(PCDIR)/casework.pc
	install -m 644 casework.1 $(MANDIR)/casework.1
	install -m 644 completions/casework.bash $(BASHDIR)/casework
	install -m 644 completions/_casework $(ZSHDIR)/_casework

# Remove what `make install` put in place.
uninstall:
	rm -f $(BINDIR)/casework $(LIBDIR)/libcasework.a \
		$(LIBDIR)/libcasework.so $(LIBDIR)/libcasework.so.0 \
		$(PCDIR)/casework.pc $(MANDIR)/casework.1 \
		$(BASHDIR)/casework $(ZSHDIR)/_casework
	rm -rf $(INCDIR)

# Regenerate the man page from the command table (cli/main.c).
man: $(BUILD)/casework
	$(BUILD)/casework __man > casework.1

# Remove build products.
clean:
	rm -rf $(BUILD)

# List the targets.
help:
	@echo "make            build build/casework and libcasework"
	@echo "make demo       install missing packages (deps), build, then walk a"
	@echo "                sample case through all eight phases (demo-only: no deps)"
	@echo "make check      install missing packages (deps), then every test (unit + CLI,"
	@echo "                also under ASan+UBSan; short stress tests; fuzz corpora;"
	@echo "                check-only: no deps)"
	@echo "make asan       the tests under ASan+UBSan only"
	@echo "make fuzz       run each libFuzzer harness for FUZZ_SECONDS (default 60)"
	@echo "make stress     the long kill and concurrency tests (STRESS_CYCLES=5000,"
	@echo "                STRESS_WORKERS=8, STRESS_COMMANDS=500, STRESS_DISK=build/stress-disk)"
	@echo "make deferred-build  build/deferred: a test-only build the stress tests must fail"
	@echo "make bench      time every command against plain SQLite, 1k to 1M events"
	@echo "                (BENCH_SIZES=\"1000 10000\" for a quick run); writes docs/BENCHMARKS.md"
	@echo "make valgrind   the unit and CLI tests under valgrind (slow)"
	@echo "make faults     fail each allocation of a whole walk in turn (slow)"
	@echo "make coverage   line and branch coverage of engine/ (HTML in build/coverage/html)"
	@echo "make deps       install the Debian packages a fresh machine lacks"
	@echo "make deps-build only those building needs (what demo installs)"
	@echo "make install    install under PREFIX (default /usr/local): program, library,"
	@echo "                headers, pkg-config file, man page, bash and zsh completion"
	@echo "make uninstall  remove what install put there"
	@echo "make man        regenerate casework.1 from the command table"
	@echo "make clean      remove build/"
