# bad_fixtures.bash - what each generated bad-input test runs (see
# bad_fixtures.sh, which writes one bats test per fixture and per row of
# tests/fixtures/bad/args.tsv).
#
#   bad_file KIND NAME   tests/fixtures/bad/KIND/NAME.json (or a file that
#                        NAME.gen makes at test time) with NAME.expect
#   bad_arg NAME         the row NAME of tests/fixtures/bad/args.tsv
#
# Each runs against a copy of a prepared database and checks the exit code,
# the message, an empty stdout and that the database file is byte for byte
# as it was, with no write-ahead log beside it (which makes db_sum of
# helpers.bash redundant, and is far cheaper over two hundred tests).

FIXTURES="$CASEWORK_TOP/tests/fixtures/bad"

# The prepared databases, made once per run in $BATS_FILE_TMPDIR:
#   session     the sample case and a session S (current) with goal G1,
#               in preparation
#   assessment  the same session walked on to assessment
#   closed      the same session terminated and closed
# and base-bundle.json, a session handed in from another database.
setup_file() {
	local t="$BATS_FILE_TMPDIR"
	export NO_COLOR=1
	unset CASEWORK_SESSION
	prepare_in "$t/session" prepare_session
	cp -R "$t/session" "$t/assessment"
	prepare_in "$t/assessment" prepare_assessment
	cp -R "$t/session" "$t/closed"
	prepare_in "$t/closed" prepare_closed
	prepare_in "$t/other" prepare_bundle "$t/base-bundle.json"
}

# prepare_in DIR FUNCTION ARGS... - run FUNCTION with DIR's database
prepare_in() {
	local dir=$1
	shift
	mkdir -p "$dir"
	CASEWORK_DB="$dir/casework.db" "$@" >/dev/null || {
		echo "preparing $dir failed" >&2
		return 1
	}
}

prepare_session() {
	local cases="$CASEWORK_TOP/examples/cases"
	cw init
	cw case import "$cases/school-attendance-year8.json"
	cw start school-attendance-year8 --student Ana | head -n 1 \
		>"$(dirname "$CASEWORK_DB")/session-id"
	cw goal add "Back to regular attendance" --term short --measure "9 of 10 days"
}

prepare_assessment() {
	walk_to_assessment
	[ "$(cw status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["phase"]["id"])')" = assessment ]
}

prepare_closed() {
	cw terminate --reason "The family moved to another town."
	cw check progress-reviewed "Reviewed the attendance chart together."
	cw check next-steps "Gave her the young carers' group details."
	cw check closing-summary "Attendance back to 95% over four weeks."
	cw reflect description "Met Maya three times about missed Mondays and agreed a plan with her."
	cw reflect feelings "Unsure at first when she went quiet about home, then more at ease."
	cw reflect evaluation "Using her own words for the goal worked; I asked about school too late."
	cw reflect analysis "A strengths-based approach fitted: her grandmother was the key resource."
	cw reflect conclusion "I could have asked about caring duties in the very first meeting."
	cw reflect action-plan "Next time I will ask about caring roles early and take it to supervision."
	cw advance
	[ "$(cw status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])')" = closed ]
}

BUNDLE_SESSION=bad1bad1-0000-4000-8000-000000000001

# prepare_bundle FILE - a short session on another database, handed in
prepare_bundle() {
	cw case import "$CASEWORK_TOP/examples/cases/school-refugee-year5.json"
	cw start school-refugee-year5 --student Bo
	cw check case-file-reviewed "Read the referral from the class teacher."
	cw objective add "Learn how settling in has gone"
	cw note --tag exploration "He likes football at break."
	cw export --format bundle -o "$1.new"
	# a fixed session id, so that messages naming it can be expected
	OUT=$1 edit --rechain "$1.new" 'd["session"]["id"] = "'"$BUNDLE_SESSION"'"'
}

# use_state STATE - this test's database: a copy of a prepared one, or
# none at all; sets SESSION to the prepared session's id
use_state() {
	local db_dir
	db_dir=$(dirname "$CASEWORK_DB")
	SESSION=""
	case $1 in
	none) return 0 ;;
	session | assessment | closed) ;;
	*)
		echo "unknown state '$1' (none, session, assessment, closed)" >&2
		return 1
		;;
	esac
	mkdir -p "$db_dir"
	cp -R "$BATS_FILE_TMPDIR/$1/." "$db_dir/"
	SESSION=$(cat "$db_dir/session-id")
}

# snapshot - remember the database's bytes before the commands under test
snapshot() {
	if [ -e "$CASEWORK_DB" ]; then
		cp "$CASEWORK_DB" "$BATS_TEST_TMPDIR/snapshot.db"
	else
		rm -f "$BATS_TEST_TMPDIR/snapshot.db"
	fi
}

# same_bytes - the database file is byte for byte the snapshot and no
# write-ahead log holds changes beside it (so its content is the same
# too), or there is still no database
same_bytes() {
	if [ ! -e "$BATS_TEST_TMPDIR/snapshot.db" ]; then
		[ ! -e "$CASEWORK_DB" ] || { echo "a database was created" >&2; return 1; }
		return 0
	fi
	cmp -s "$CASEWORK_DB" "$BATS_TEST_TMPDIR/snapshot.db" || {
		echo "the database file's bytes changed" >&2
		return 1
	}
	[ ! -s "$CASEWORK_DB-wal" ] || {
		echo "a write-ahead log holds changes to the database" >&2
		return 1
	}
}

# refused CODE ARGS... - `casework ARGS` must exit CODE, print nothing on
# stdout, begin stderr with "casework: " and leave the database's bytes as
# they were at the snapshot; sets $status, $output and $stderr.  (fails in
# bad_helpers.bash does the same with db_sum; this is cheaper, for the
# hundred-odd fixtures.)
refused() {
	local code=$1
	shift
	status=0
	cw "$@" >"$BATS_TEST_TMPDIR/stdout" 2>"$BATS_TEST_TMPDIR/stderr" || status=$?
	output=$(<"$BATS_TEST_TMPDIR/stdout")
	stderr=$(<"$BATS_TEST_TMPDIR/stderr")
	same_bytes || { echo "changed by: casework $*" >&2; return 1; }
	failed_cleanly "$code" "$@"
}

# edit [--rechain] BASE PYTHON - write $OUT: the JSON file BASE loaded as
# `d`, changed by the Python statements PYTHON (for NAME.gen recipes).
# With --rechain, the bundle's hashes are then computed anew, as a forger
# would: every event's prev and hash, the head, the case's and workflow's
# sha256, so that only what the hashes cannot see is left to catch.
edit() {
	local rechain=0
	if [ "$1" = --rechain ]; then
		rechain=1
		shift
	fi
	python3 -c '
import hashlib, json, struct, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
if sys.argv[4] == "1":
    sha = lambda t: hashlib.sha256(t.encode("utf-8", "surrogateescape")).hexdigest()
    d["case"]["sha256"] = sha(d["case"]["text"])
    d["workflow"]["sha256"] = sha(d["workflow"]["text"])
    prev = "0" * 64
    for ev in d["events"]:
        ev["prev"] = prev
        h = hashlib.sha256()
        for f in (d["session"]["id"], str(ev["seq"]), ev["at"], ev["actor"],
                  ev["phase"], ev["type"], ev["payload"], prev):
            b = f.encode("utf-8", "surrogateescape")
            h.update(struct.pack(">Q", len(b)) + b)
        ev["hash"] = prev = h.hexdigest()
    d["head"] = prev
json.dump(d, open(sys.argv[2], "w"), indent=2)
' "$1" "$OUT" "$2" "$rechain"
}

# make_fixture GEN OUT - run the recipe GEN to make the fixture OUT; the
# recipe sees $OUT, $BASE_CASE, $BASE_WORKFLOW, $BASE_BUNDLE and edit()
make_fixture() {
	(
		OUT=$2
		BASE_CASE="$FIXTURES/base/case.json"
		BASE_WORKFLOW="$FIXTURES/base/workflow.json"
		BASE_BUNDLE="$BATS_FILE_TMPDIR/base-bundle.json"
		set -e
		# shellcheck disable=SC1090
		. "$1"
	)
}

# expect_of FILE - the exit code (first line) and message (the rest) of an
# .expect file into $expect_code and $expect_text
expect_of() {
	expect_code=$(head -n 1 "$1")
	expect_text=$(tail -n +2 "$1")
	[[ "$expect_code" =~ ^[0-9]+$ ]] && [ -n "$expect_text" ] || {
		echo "$1: the first line is the exit code, then the message" >&2
		return 1
	}
}

# bad_file KIND NAME - the fixture's exit code and exact stderr from every
# command that reads a file of that kind; the database unchanged
bad_file() {
	local kind=$1 name=$2 dir="$FIXTURES/$1" file before
	expect_of "$dir/$name.expect" || return 1
	if [ -f "$dir/$name.gen" ]; then
		file="$BATS_TEST_TMPDIR/$name.json"
		make_fixture "$dir/$name.gen" "$file" || return 1
	else
		file="$dir/$name.json"
		[ -f "$file" ] || { echo "missing $file or $dir/$name.gen" >&2; return 1; }
	fi
	expect_text=${expect_text//FILE/$file}
	use_state session || return 1
	snapshot || return 1
	case $kind in
	case)
		refused "$expect_code" case validate "$file" || return 1
		stderr_is "$expect_text" || return 1
		refused "$expect_code" case import "$file" || return 1
		stderr_is "$expect_text" || return 1
		# a good file before it is not imported either
		refused "$expect_code" case import \
			"$CASEWORK_TOP/examples/cases/school-refugee-year5.json" \
			"$file" || return 1
		first_line_is "${expect_text%%$'\n'*}" || return 1
		says "casework: nothing was imported" || return 1
		;;
	workflow)
		refused "$expect_code" workflow validate "$file" || return 1
		stderr_is "$expect_text" || return 1
		refused "$expect_code" workflow import "$file" || return 1
		stderr_is "$expect_text" || return 1
		;;
	bundle)
		refused "$expect_code" bundle import "$file" || return 1
		stderr_is "$expect_text" || return 1
		;;
	*)
		echo "unknown kind '$kind'" >&2
		return 1
		;;
	esac
}

# args_row NAME - the row NAME of args.tsv into $row (an array of columns)
args_row() {
	local line
	line=$(awk -F'\t' -v name="$1" '$1 == name' "$FIXTURES/args.tsv")
	[ -n "$line" ] || { echo "no row '$1' in args.tsv" >&2; return 1; }
	IFS=$'\t' read -r -a row <<<"$line"
	[ "${#row[@]}" -eq 7 ] || {
		echo "row '$1' has ${#row[@]} columns, not 7" >&2
		return 1
	}
}

# bad_arg NAME - run the command of row NAME on its prepared database,
# after its preparation; check exit code, message and database.  The
# command and preparation are shell words: $TMP (this test's scratch
# folder), $SESSION, $CASES, $TEXT70K (70000 bytes of text) may be used;
# in the message, $TMP and $SESSION stand for their values.
bad_arg() {
	local row TMP="$BATS_TEST_TMPDIR" CASES="$CASEWORK_TOP/examples/cases"
	local TEXT70K="" message
	args_row "$1" || return 1
	if [[ "${row[2]}${row[6]}" == *TEXT70K* ]]; then
		TEXT70K=$(printf '%070000d' 0)
	fi
	use_state "${row[1]}" || return 1
	if [ "${row[2]}" != - ]; then
		eval "${row[2]}" || return 1
	fi
	message=${row[5]//'$TMP'/$TMP}
	message=${message//'$SESSION'/$SESSION}
	snapshot || return 1
	eval "refused ${row[3]} ${row[6]}" || return 1
	stderr_matches "${row[4]}" "$message" || return 1
}

# --- negative controls: each check above can fail -------------------------

# must_fail CMD... - CMD must fail (`! CMD` would not stop a bats test)
must_fail() {
	if "$@" 2>/dev/null; then
		echo "should have failed: $*" >&2
		return 1
	fi
}

# with_fixtures DIR CMD... - CMD with the fixtures read from DIR
with_fixtures() {
	local FIXTURES=$1
	shift
	"$@"
}

# control_a_wrong_message_is_caught - a fixture whose .expect is one
# character off fails
control_a_wrong_message_is_caught() {
	local copy="$BATS_TEST_TMPDIR/fixtures"
	mkdir -p "$copy/case"
	cp "$FIXTURES/case/truncated.json" "$copy/case/"
	sed 's/too early/too soon/' "$FIXTURES/case/truncated.expect" >"$copy/case/truncated.expect"
	must_fail with_fixtures "$copy" bad_file case truncated
	# and the unchanged copy passes, so it is the message that failed
	cp "$FIXTURES/case/truncated.expect" "$copy/case/"
	with_fixtures "$copy" bad_file case truncated
}

# control_a_wrong_exit_code_is_caught - the same with the exit code off
control_a_wrong_exit_code_is_caught() {
	local copy="$BATS_TEST_TMPDIR/fixtures"
	mkdir -p "$copy/workflow"
	cp "$FIXTURES/workflow/empty-phases.json" "$copy/workflow/"
	sed '1s/5/2/' "$FIXTURES/workflow/empty-phases.expect" >"$copy/workflow/empty-phases.expect"
	must_fail with_fixtures "$copy" bad_file workflow empty-phases
}

# control_a_changed_database_is_caught - a command that writes fails
# refused, even with the exit code and message it has
control_a_changed_database_is_caught() {
	use_state session
	snapshot
	must_fail refused 0 note "Mum works nights."
	[ "$status" -eq 0 ]
	# a change that only reaches the write-ahead log is caught too
	snapshot
	printf 'x' >"$CASEWORK_DB-wal"
	must_fail same_bytes
	rm "$CASEWORK_DB-wal"
	same_bytes
}

# control_a_wrong_args_row_is_caught - a row whose exit code or message
# is wrong fails
control_a_wrong_args_row_is_caught() {
	local copy="$BATS_TEST_TMPDIR/fixtures"
	mkdir -p "$copy"
	printf 'wrong-code\tsession\t-\t4\tis\tcasework: the note is empty\tnote ""\n' >"$copy/args.tsv"
	printf 'wrong-message\tsession\t-\t2\tis\tcasework: the note is blank\tnote ""\n' >>"$copy/args.tsv"
	printf 'right\tsession\t-\t2\tis\tcasework: the note is empty\tnote ""\n' >>"$copy/args.tsv"
	must_fail with_fixtures "$copy" bad_arg wrong-code
	must_fail with_fixtures "$copy" bad_arg wrong-message
	with_fixtures "$copy" bad_arg right
}

# control_the_base_files_are_accepted - the files every fixture breaks
# are themselves good, so each fixture fails for its one broken thing
control_the_base_files_are_accepted() {
	use_state session
	run cw case import "$FIXTURES/base/case.json"
	[ "$status" -eq 0 ]
	run cw workflow import "$FIXTURES/base/workflow.json"
	[ "$status" -eq 0 ]
	run cw bundle import "$BATS_FILE_TMPDIR/base-bundle.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "imported session $BUNDLE_SESSION "* ]]
	# hashes computed anew by edit --rechain are the ones casework makes
	# (a note's text changed: only the hashes could tell)
	use_state session
	OUT="$BATS_TEST_TMPDIR/rechained.json" edit --rechain \
		"$BATS_FILE_TMPDIR/base-bundle.json" '
ev = [e for e in d["events"] if e["type"] == "note.added"][0]
p = json.loads(ev["payload"]); p["text"] = "Cy: " + p["text"]
ev["payload"] = json.dumps(p)'
	run cw bundle import "$BATS_TEST_TMPDIR/rechained.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "imported session $BUNDLE_SESSION (Bo on "* ]]
	run cw export -s "$BUNDLE_SESSION" --format json
	[[ "$output" == *"Cy: "* ]]
}
