#!/usr/bin/env bash
# bad_fixtures.sh [BATS-OPTIONS...] - run every bad-input fixture as its
# own bats test (one TAP line each).  Bats 1.8 (Debian's) cannot add tests
# at run time, so this writes a .bats file with one @test per fixture under
# tests/fixtures/bad/{case,workflow,bundle}/ and per row of
# tests/fixtures/bad/args.tsv, then runs it.  The checks themselves are in
# bad_fixtures.bash.  Needs CASEWORK and CASEWORK_TOP, as every bats file.
set -eu
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$(dirname "$here")/fixtures/bad"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
suite="$dir/bad_fixtures.bats"

# a fixture name goes into a test name and a file name: keep it plain
plain() {
	[[ "$1" =~ ^[a-z0-9][a-z0-9-]*$ ]] || {
		echo "bad_fixtures.sh: '$1' is not a plain name ([a-z0-9-])" >&2
		exit 1
	}
}

count=0
[ "${1:-}" != --count ] || count=1

{
	echo "load '$here/helpers'"
	echo "load '$here/bad_helpers'"
	echo "load '$here/bad_fixtures'"
	for kind in case workflow bundle; do
		for expect in "$fixtures/$kind"/*.expect; do
			name=$(basename "$expect" .expect)
			plain "$name"
			echo "@test \"bad $kind file: $name\" { bad_file $kind $name; }"
		done
	done
	while IFS=$'\t' read -r name _; do
		case $name in '' | '#'*) continue ;; esac
		plain "$name"
		echo "@test \"bad argument: $name\" { bad_arg $name; }"
	done <"$fixtures/args.tsv"
	# the negative controls: the checks above can fail
	sed -n 's/^control_\([a-z_]*\)() {$/\1/p' "$here/bad_fixtures.bash" |
		while read -r name; do
			echo "@test \"bad-input checks can fail: ${name//_/ }\" { control_$name; }"
		done
} >"$suite"
if [ "$count" = 1 ]; then
	exec bats --count "$suite"
fi
bats "$@" "$suite"
