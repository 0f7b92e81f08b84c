#!/usr/bin/env bats
# make install into a temporary prefix: the installed program runs, a
# program builds against the installed library through pkg-config, the
# man page and completions are where man and the shells look; make
# uninstall takes all of it away.  Runs once (tests/run), on the build
# that $CASEWORK belongs to.

setup() {
	: "${CASEWORK:?set CASEWORK to the casework binary (tests/run does)}"
	: "${CASEWORK_TOP:?set CASEWORK_TOP to the repository}"
	PREFIX="$BATS_TEST_TMPDIR/prefix"
	BUILD=$(dirname "$CASEWORK")
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/config" NO_COLOR=1
	export CASEWORK_DB="$BATS_TEST_TMPDIR/db/casework.db"
	unset CASEWORK_SESSION CASEWORK_ACTOR CASEWORK_STUDENT
}

installed_files() {
	cat <<FILES
bin/casework
include/casework/bundle.h
include/casework/case.h
include/casework/common.h
include/casework/error.h
include/casework/export.h
include/casework/json.h
include/casework/report.h
include/casework/session.h
include/casework/store.h
include/casework/text.h
include/casework/workflow.h
lib/libcasework.a
lib/libcasework.so
lib/libcasework.so.0
lib/pkgconfig/casework.pc
share/bash-completion/completions/casework
share/man/man1/casework.1
share/zsh/site-functions/_casework
FILES
}

@test "make install PREFIX=... installs everything; make uninstall removes it" {
	[ ! -e "$PREFIX" ]
	run make -s -C "$CASEWORK_TOP" install PREFIX="$PREFIX" BUILD="$BUILD"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ "$(cd "$PREFIX" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort)" = "$(installed_files)" ]
	# every public header is installed
	[ "$(ls "$CASEWORK_TOP"/engine/include/casework/*.h | wc -l)" -eq "$(ls "$PREFIX"/include/casework/*.h | wc -l)" ]
	[ "$(readlink "$PREFIX/lib/libcasework.so")" = libcasework.so.0 ]

	# the installed program runs a session
	cli="$PREFIX/bin/casework"
	run "$cli" --version
	[[ "${lines[0]}" == "casework "* ]]
	"$cli" --as tester case import "$CASEWORK_TOP/examples/cases/school-attendance-year8.json" >/dev/null
	"$cli" --as tester start school-attendance-year8 --student Ana >/dev/null
	run "$cli" status
	[ "$status" -eq 0 ]
	[[ "$output" == *"case-file-reviewed"* ]]

	# man finds the page under the prefix
	[ "$(MANPATH="$PREFIX/share/man" man -w casework)" = "$PREFIX/share/man/man1/casework.1" ]
	MANPATH="$PREFIX/share/man" MANPAGER=cat MANWIDTH=80 man casework 2>/dev/null | grep -q "^CONFIGURATION"

	# the installed bash completion works with the installed program
	run env PATH="$PREFIX/bin:$PATH" bash -c 'source "$1"; COMP_WORDS=(casework goal ""); COMP_CWORD=2; _casework; echo "${COMPREPLY[*]}"' - "$PREFIX/share/bash-completion/completions/casework"
	[ "$output" = "add drop list revise" ]

	# a program builds against the library through pkg-config and runs
	export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
	[ "$(pkg-config --modversion casework)" = "$("$cli" --version | head -n 1 | cut -d' ' -f2)" ]
	cat >"$BATS_TEST_TMPDIR/use.c" <<'C'
#include <stdio.h>
#include <casework/store.h>
int main(int argc, char **argv)
{
	cw_store *store = NULL;
	int error = cw_store_open(&store, argv[argc - 1]);
	printf("%d %d %s\n", error, cw_store_schema_version(store), cw_store_sqlite_version());
	cw_store_free(store);
	return error != 0;
}
C
	cc -o "$BATS_TEST_TMPDIR/use" "$BATS_TEST_TMPDIR/use.c" $(pkg-config --cflags --libs casework)
	run env LD_LIBRARY_PATH="$PREFIX/lib" "$BATS_TEST_TMPDIR/use" "$CASEWORK_DB"
	[ "$status" -eq 0 ]
	[ "$output" = "0 $(sqlite3 "$CASEWORK_DB" 'PRAGMA user_version') $(sqlite3 --version | cut -d' ' -f1)" ]
	# it used the installed shared library
	LD_LIBRARY_PATH="$PREFIX/lib" ldd "$BATS_TEST_TMPDIR/use" | grep -q "$PREFIX/lib/libcasework.so.0"

	run make -s -C "$CASEWORK_TOP" uninstall PREFIX="$PREFIX" BUILD="$BUILD"
	[ "$status" -eq 0 ]
	[ "$(find "$PREFIX" \( -type f -o -type l \) | wc -l)" -eq 0 ]
}
