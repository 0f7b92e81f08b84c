# casework - build, test and install.  `make help` lists the targets.

# Where `make install` puts things.
PREFIX ?= /usr/local
# Staging root for packagers (prepended to every install path).
DESTDIR ?=
# The C compiler; any C11 compiler with GNU extensions for attributes.
CC ?= cc
# Libraries, found through pkg-config; libcrypto gives SHA-256 for the
# tamper-evident log (no hand-written crypto).
PKGS := sqlite3 libcjson uuid libcrypto
# Where build products go; the sanitizer build lives in build/asan.
BUILD ?= build
# Extra flags for a variant build (the asan target sets them).
EXTRA_CFLAGS ?=
EXTRA_LDFLAGS ?=

# The program alone also needs libedit, for line editing in `walk`.
CLI_PKGS := libedit
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CLI_LIBS := $(shell pkg-config --libs $(CLI_PKGS) 2>/dev/null)
# Warnings are errors: the tree builds warning-free or not at all.
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
	-Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	$(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -Iengine/include $(PKG_CFLAGS)
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_LDFLAGS)

ENGINE_SRC := $(wildcard engine/src/*.c)
ENGINE_OBJ := $(ENGINE_SRC:engine/src/%.c=$(BUILD)/engine/%.o) \
	$(BUILD)/engine/embed.o
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:cli/%.c=$(BUILD)/cli/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
STANDARD := examples/workflows/standard.json

.PHONY: all check demo deps asan install uninstall clean help man asan-build \
	valgrind faults coverage coverage-build

# The allocation-failure shim for tests/faults/run (LD_PRELOAD).
FAILMALLOC := $(BUILD)/tests/failmalloc.so
# Where `make coverage` builds, runs and reports.
COVERAGE := $(BUILD)/coverage

# Build the library (static and shared) and the casework program.
all: $(BUILD)/casework $(BUILD)/libcasework.a $(BUILD)/libcasework.so

$(BUILD)/engine/%.o: engine/src/%.c $(wildcard engine/src/*.h engine/include/casework/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

# The standard workflow is linked in so that casework works with no file.
$(BUILD)/engine/embed.o: engine/src/embed.S $(STANDARD)
	@mkdir -p $(@D)
	$(CC) $(EXTRA_CFLAGS) -fPIC -DSTANDARD_WORKFLOW='"$(CURDIR)/$(STANDARD)"' -c $< -o $@

$(BUILD)/cli/%.o: cli/%.c $(wildcard cli/*.h engine/include/casework/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libcasework.a: $(ENGINE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libcasework.so: $(ENGINE_OBJ)
	$(CC) -shared -Wl,-soname,libcasework.so.0 $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/casework: $(CLI_OBJ) $(BUILD)/libcasework.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libcasework.a $(PKG_LIBS) $(CLI_LIBS)

# Engine unit tests (cmocka); each links the static library.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(BUILD)/libcasework.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iengine/src -o $@ $< $(BUILD)/libcasework.a \
		$(ALL_LDFLAGS) $(PKG_LIBS) -lcmocka

# An LD_PRELOAD shim that fails one chosen allocation (tests/faults/).
$(FAILMALLOC): tests/faults/failmalloc.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) $(CFLAGS) -fPIC -shared -o $@ $< -ldl

# Every test: unit and CLI tests, on the normal build and under ASan+UBSan,
# then the suites that run once (a short allocation-failure walk);
# ends with one line "N passed, N failed".
check: all $(UNIT_BIN) $(FAILMALLOC)
	@$(MAKE) --no-print-directory asan-build
	@tests/run $(BUILD) $(BUILD)/asan

# The sanitizer build alone (ASan + UBSan, no recovery).
asan-build:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" CFLAGS="-O1 -g" \
		$(BUILD)/asan/casework $(patsubst $(BUILD)/%,$(BUILD)/asan/%,$(UNIT_BIN))

# Run the unit and CLI tests under ASan+UBSan only.
asan: asan-build
	@tests/run $(BUILD)/asan

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

# Build, then walk the sample case through all eight phases and print its
# summary (a scratch database under build/, removed first).
demo: all
	@examples/demo.sh $(BUILD)/casework

# Install the Debian packages a fresh machine lacks (needs root or sudo).
deps:
	@tests/deps.sh

# Install the program, library, headers, pkg-config file and man page.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include/casework \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/casework $(DESTDIR)$(PREFIX)/bin/casework
	install -m 644 $(BUILD)/libcasework.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libcasework.so $(DESTDIR)$(PREFIX)/lib/libcasework.so.0
	ln -sf libcasework.so.0 $(DESTDIR)$(PREFIX)/lib/libcasework.so
	install -m 644 engine/include/casework/*.h $(DESTDIR)$(PREFIX)/include/casework/
	install -m 644 casework.1 $(DESTDIR)$(PREFIX)/share/man/man1/casework.1

# Remove what `make install` put in place.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/casework $(DESTDIR)$(PREFIX)/lib/libcasework.a \
		$(DESTDIR)$(PREFIX)/lib/libcasework.so $(DESTDIR)$(PREFIX)/lib/libcasework.so.0 \
		$(DESTDIR)$(PREFIX)/share/man/man1/casework.1
	rm -rf $(DESTDIR)$(PREFIX)/include/casework

# Regenerate the man page from the command table (cli/main.c).
man: $(BUILD)/casework
	$(BUILD)/casework __man > casework.1

# Remove build products.
clean:
	rm -rf $(BUILD)

# List the targets.
help:
	@echo "make            build build/casework and libcasework"
	@echo "make demo       build, then walk a sample case through all eight phases"
	@echo "make check      every test (unit + CLI, also under ASan+UBSan; a fault sample)"
	@echo "make asan       the tests under ASan+UBSan only"
	@echo "make valgrind   the unit and CLI tests under valgrind (slow)"
	@echo "make faults     fail each allocation of a whole walk in turn (slow)"
	@echo "make coverage   line and branch coverage of engine/ (HTML in build/coverage/html)"
	@echo "make deps       install the Debian packages a fresh machine lacks"
	@echo "make install    install under PREFIX (default /usr/local)"
	@echo "make uninstall  remove what install put there"
	@echo "make man        regenerate casework.1 from the command table"
	@echo "make clean      remove build/"
