#!/usr/bin/env bats
# tests/deps.sh, which `make demo` (build) and `make check` (everything)
# run first on a fresh machine: what each asks apt-get for when nothing is
# installed, with dpkg-query and apt-get stood in for on PATH (this test
# never installs anything).

load helpers

setup() {
	fake="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$fake"
	# nothing is installed; apt-get writes what it was asked for
	printf '#!/bin/sh\nexit 0\n' >"$fake/dpkg-query"
	printf '#!/bin/sh\necho "$@" >>"%s/apt.log"\n' "$BATS_TEST_TMPDIR" >"$fake/apt-get"
	printf '#!/bin/sh\n"$@"\n' >"$fake/sudo"
	chmod +x "$fake"/*
}

installed() {
	grep -- "install" "$BATS_TEST_TMPDIR/apt.log" | tr ' ' '\n' | grep -v '^-' | grep -v '^install$' | sort
}

@test "deps build: only what building the program needs, no test tool, browser or server" {
	run env PATH="$fake:$PATH" sh "$CASEWORK_TOP/tests/deps.sh" build
	[ "$status" -eq 0 ]
	[[ "$output" == "deps: installing"* ]]
	pkgs=$(installed)
	for p in build-essential pkg-config libsqlite3-dev libcjson-dev uuid-dev nettle-dev libutf8proc-dev libedit-dev libpq-dev; do
		grep -qx "$p" <<<"$pkgs"
	done
	for p in chromium postgresql bats clang valgrind libcmocka-dev; do
		! grep -qx "$p" <<<"$pkgs"
	done
}

@test "deps: everything the tests need as well" {
	run env PATH="$fake:$PATH" sh "$CASEWORK_TOP/tests/deps.sh"
	[ "$status" -eq 0 ]
	pkgs=$(installed)
	for p in libutf8proc-dev libpq-dev chromium postgresql bats clang libcmocka-dev; do
		grep -qx "$p" <<<"$pkgs"
	done
}

@test "make demo installs only the build's packages; make check all of them" {
	run make -n -C "$CASEWORK_TOP" demo
	[[ "$output" == *"tests/deps.sh build"* ]]
	run make -n -C "$CASEWORK_TOP" check
	[[ "$output" == *"tests/deps.sh"* ]]
	[[ "$output" != *"tests/deps.sh build"* ]]
}
