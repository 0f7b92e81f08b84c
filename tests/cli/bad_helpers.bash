# bad_helpers.bash - checks for commands that must fail cleanly, shared by
# bad_input.bats, review.bats and the generated bad-input fixture tests
# (bad_fixtures.sh).  Load helpers.bash first.

bats_require_minimum_version 1.5.0

# fails CODE ARGS... - run `casework ARGS`: it must exit CODE, print nothing
# on stdout, begin stderr with "casework: ", and leave the database as it
# was.  $status, $output (stdout) and $stderr stay set for more checks.
fails() {
	local code=$1
	shift
	unchanged_after --separate-stderr cw "$@" || return 1
	failed_cleanly "$code" "$@"
}

# failed_cleanly CODE ARGS... - `casework ARGS`, just run, exited CODE,
# printed nothing on stdout and began stderr with "casework: " (read from
# $status, $output and $stderr, as run --separate-stderr leaves them)
failed_cleanly() {
	local code=$1
	shift
	if [ "$status" -ne "$code" ]; then
		echo "casework $*: exit $status, expected $code" >&2
		echo "stderr: $stderr" >&2
		return 1
	fi
	if [ -n "$output" ]; then
		echo "casework $*: stdout should be empty, was: $output" >&2
		return 1
	fi
	if [[ "$stderr" != "casework: "* ]]; then
		echo "casework $*: stderr should begin 'casework: ', was: $stderr" >&2
		return 1
	fi
}

# says TEXT - the last command's stderr contains TEXT
says() {
	if [[ "$stderr" != *"$1"* ]]; then
		echo "stderr should contain: $1" >&2
		echo "stderr was:            $stderr" >&2
		return 1
	fi
}

# first_line_is TEXT - the last command's first line of stderr is TEXT
first_line_is() {
	local first=${stderr%%$'\n'*}
	if [ "$first" != "$1" ]; then
		echo "first line of stderr: $first" >&2
		echo "expected:             $1" >&2
		return 1
	fi
}

# stderr_is TEXT - the last command's whole stderr is exactly TEXT
stderr_is() {
	if [ "$stderr" != "$1" ]; then
		echo "stderr:   $stderr" >&2
		echo "expected: $1" >&2
		return 1
	fi
}

# stderr_matches HOW TEXT - the last command's stderr against TEXT: `is`
# the whole of it, `first` its first line, `has` contains it
stderr_matches() {
	case $1 in
	is) stderr_is "$2" ;;
	first) first_line_is "$2" ;;
	has) says "$2" ;;
	*)
		echo "unknown match '$1' (is, first or has)" >&2
		return 1
		;;
	esac
}
