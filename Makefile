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
STANDARD := examples/workflows/standard.json

.PHONY: all check demo deps asan install uninstall clean help man asan-build

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
	$(CC) $(ALL_CFLAGS) $(CLI_CFLAGS) -c $< -o $@

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

# Every test: unit and CLI tests, on the normal build and under ASan+UBSan;
# ends with one line "N passed, N failed".
check: all $(UNIT_BIN)
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

# Build, then walk the sample case through all eight phases and print its
# summary (a scratch database under build/, removed first).
demo: all
	@examples/demo.sh $(BUILD)/casework

# Install the Debian packages a fresh machine lacks (needs root or sudo).
deps:
	@tests/deps.sh

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
		'Requires.private: sqlite3 uuid libcrypto' \
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
	@echo "make demo       build, then walk a sample case through all eight phases"
	@echo "make check      every test (unit + CLI, also under ASan+UBSan)"
	@echo "make asan       the tests under ASan+UBSan only"
	@echo "make deps       install the Debian packages a fresh machine lacks"
	@echo "make install    install under PREFIX (default /usr/local): program, library,"
	@echo "                headers, pkg-config file, man page, bash and zsh completion"
	@echo "make uninstall  remove what install put there"
	@echo "make man        regenerate casework.1 from the command table"
	@echo "make clean      remove build/"
