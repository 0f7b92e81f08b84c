#!/usr/bin/env bats
# Bad input gets a clear error, and nothing is lost (DESIGN.md): broken case
# files exit 5 with "casework: FILE: JSON-PATH: message [rule]", and every
# wrong argument gets its message and exit code.  After each failure the
# database must be exactly as it was.
#
# The broken case files are tests/fixtures/bad/case-RULE.json, each the
# valid case of base_case() below with one thing broken; beside each,
# case-RULE.expect holds the one line `case validate` must print, with the
# word FILE where the file's path goes.

load helpers

bats_require_minimum_version 1.5.0

FIXTURES="$CASEWORK_TOP/tests/fixtures/bad"

# --- helpers local to this file -------------------------------------------

# ready_db - an initialised database holding the sample case, so that "the
# database is unchanged" says something
ready_db() {
	cw init >/dev/null
	cw case import "$CASES/$CASE.json" >/dev/null
}

# fails CODE ARGS... - run `casework ARGS`: it must exit CODE, print nothing
# on stdout, begin stderr with "casework: ", and leave the database as it
# was.  $status, $output (stdout) and $stderr stay set for more checks.
fails() {
	local code=$1
	shift
	unchanged_after --separate-stderr cw "$@"
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

# bad_case RULE - case-RULE.json: validate exits 5 with the expected line
# and nothing else; import exits 5 with it and changes nothing, alone and
# after a good file.
bad_case() {
	local file="$FIXTURES/case-$1.json" expect line
	[ -f "$file" ] || { echo "missing fixture $file" >&2; return 1; }
	[ -f "${file%.json}.expect" ] || { echo "missing ${file%.json}.expect" >&2; return 1; }
	[ "$(wc -l <"${file%.json}.expect")" -eq 1 ] || {
		echo "${file%.json}.expect must hold exactly one line" >&2
		return 1
	}
	line=$(cat "${file%.json}.expect")
	expect=${line/FILE/$file}
	ready_db

	fails 5 case validate "$file"
	stderr_is "$expect"

	fails 5 case import "$file"
	stderr_is "$expect"

	# a good file before it is not imported either
	fails 5 case import "$CASES/school-refugee-year5.json" "$file"
	first_line_is "$expect"
	says "casework: nothing was imported"
	run cw case list
	[[ "$output" != *"school-refugee-year5"* ]]
}

# base_case - the valid case every fixture is built from
base_case() {
	cat <<'EOF'
{
  "id": "bad-input-base",
  "title": "A minimal case",
  "setting": "school",
  "summary": "A Year 9 student has missed school on Mondays.",
  "client": {
    "alias": "Kim",
    "age": 14,
    "pronouns": "they/them"
  },
  "referral": {
    "source": "head of year",
    "reason": "Five Mondays missed this term.",
    "urgency": "routine"
  },
  "background": "No earlier involvement from children's services.",
  "risk_flags": [
    "attendance below 85%"
  ],
  "phases": {
    "preparation": {
      "material": "The file holds the attendance printout.",
      "prompts": [
        "What could explain the Monday pattern?"
      ]
    }
  },
  "instructor_notes": {
    "preparation": "Look for curiosity about the Monday pattern."
  }
}
EOF
}

# where_now - the current session's status and phase: "open assessment"
where_now() {
	cw status --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["status"], d["phase"]["id"])'
}

# close_session - a session with a goal G1, terminated and closed
close_session() {
	start_session
	cw goal add "Back to regular attendance" --term short --measure "9 of 10 days" >/dev/null
	cw terminate --reason "The family moved to another town." >/dev/null
	cw check progress-reviewed "Reviewed the attendance chart together." >/dev/null
	cw check next-steps "Gave her the young carers' group details." >/dev/null
	cw check closing-summary "Attendance back to 95% over four weeks." >/dev/null
	cw advance >/dev/null
	[ "$(where_now)" = "closed termination" ]
}

# to_assessment - walk the current session to the assessment phase
to_assessment() {
	cw check case-file-reviewed "Read the referral and the school report." >/dev/null
	cw objective add "Find out what changed at home this term" >/dev/null
	cw check environment-arranged "Booked the quiet room by the library." >/dev/null
	cw advance >/dev/null
	cw check introduced-self "Introduced myself as the school social worker." >/dev/null
	cw check purpose-explained "Explained we meet to understand the missed days." >/dev/null
	cw check confidentiality-explained "Explained privacy and its limits around harm." >/dev/null
	cw advance >/dev/null
	cw note --tag exploration "Mum works nights since the separation." >/dev/null
	cw note --tag exploration "She takes her brother to school on Mondays." >/dev/null
	cw note --tag exploration "She fell out with two friends." >/dev/null
	cw note --tag strength "Close to her grandmother; loves art." >/dev/null
	cw advance >/dev/null
	[ "$(where_now)" = "open assessment" ]
}

# --- the fixtures themselves ----------------------------------------------

@test "the case the fixtures are built from is valid" {
	base_case >"$BATS_TEST_TMPDIR/base.json"
	run --separate-stderr cw case validate "$BATS_TEST_TMPDIR/base.json"
	[ "$status" -eq 0 ]
	[ "$output" = "$BATS_TEST_TMPDIR/base.json: ok" ]
	[ -z "$stderr" ]
}

@test "every fixture breaks exactly one thing of the base case" {
	base_case >"$BATS_TEST_TMPDIR/base.json"
	run python3 - "$BATS_TEST_TMPDIR/base.json" "$FIXTURES" <<'EOF'
import json, os, sys

base_text = open(sys.argv[1], "rb").read()
base = json.loads(base_text)

def diff(a, b, path="$"):
    """The paths where a and b differ, at the highest differing node."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                out.append(path + "." + k)
            else:
                out += diff(a[k], b[k], path + "." + k)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i in range(len(a)) for p in diff(a[i], b[i], "%s[%d]" % (path, i))]
    return [] if type(a) == type(b) and a == b else [path]

bad = []
for name in sorted(os.listdir(sys.argv[2])):
    if not (name.startswith("case-") and name.endswith(".json")):
        continue
    text = open(os.path.join(sys.argv[2], name), "rb").read()
    if name == "case-truncated.json":
        ok = 0 < len(text) < len(base_text) and base_text.startswith(text)
    elif name == "case-trailing-garbage.json":
        ok = text.startswith(base_text.rstrip(b"\n")) and text.strip() != base_text.strip()
    elif name == "case-empty-file.json":
        ok = text == b""
    else:
        doc = json.loads(text.decode("utf-8", "surrogateescape"))
        if name == "case-not-object.json":
            ok = doc == [base]
        else:
            d = diff(base, doc)
            # one changed value, one added or removed member, or one renamed key
            ok = len(d) == 1 or (len(d) == 2 and d[0].rsplit(".", 1)[0] == d[1].rsplit(".", 1)[0])
    if not ok:
        bad.append(name)
print(" ".join(bad))
EOF
	[ "$status" -eq 0 ]
	[ -z "$output" ] || { echo "fixtures that break more or less than one thing: $output" >&2; false; }
}

@test "every fixture has its .expect file and its test in this file" {
	local f rule missing=""
	for f in "$FIXTURES"/case-*.json; do
		rule=$(basename "$f" .json)
		rule=${rule#case-}
		[ -f "${f%.json}.expect" ] || missing+=" $rule(.expect)"
		grep -q "^	bad_case $rule\$" "$BATS_TEST_FILENAME" || missing+=" $rule(test)"
	done
	[ -z "$missing" ] || { echo "missing:$missing" >&2; false; }
	[ "$(ls "$FIXTURES"/case-*.json | wc -l)" -ge 15 ]
}

# --- one test per broken case file ------------------------------------------

@test "bad case: age of the wrong type" {
	bad_case wrong-type-age
}

@test "bad case: age not an integer" {
	bad_case age-not-integer
}

@test "bad case: age out of range" {
	bad_case age-out-of-range
}

@test "bad case: unknown setting" {
	bad_case unknown-setting
}

@test "bad case: unknown urgency" {
	bad_case unknown-urgency
}

@test "bad case: unknown phase key in phases" {
	bad_case unknown-phase-key
}

@test "bad case: phase key that is not an id" {
	bad_case phase-key-not-id
}

@test "bad case: unknown phase key in instructor_notes" {
	bad_case unknown-instructor-note-phase
}

@test "bad case: client without alias" {
	bad_case missing-alias
}

@test "bad case: no title" {
	bad_case missing-title
}

@test "bad case: no phases" {
	bad_case missing-phases
}

@test "bad case: phase material missing" {
	bad_case missing-material
}

@test "bad case: empty summary" {
	bad_case empty-summary
}

@test "bad case: blank title" {
	bad_case blank-title
}

@test "bad case: unknown top-level field" {
	bad_case unknown-field
}

@test "bad case: unknown client field" {
	bad_case unknown-client-field
}

@test "bad case: unknown field in a phase" {
	bad_case unknown-phase-field
}

@test "bad case: id that is not an id" {
	bad_case bad-id
}

@test "bad case: client not an object" {
	bad_case client-not-object
}

@test "bad case: risk_flags not an array" {
	bad_case risk-flags-not-array
}

@test "bad case: prompts that are not strings" {
	bad_case prompts-not-strings
}

@test "bad case: a phase that is not an object" {
	bad_case phase-not-object
}

@test "bad case: an instructor note that is not a string" {
	bad_case instructor-note-not-string
}

@test "bad case: a JSON array instead of an object" {
	bad_case not-object
}

@test "bad case: truncated in the middle of an object" {
	bad_case truncated
}

@test "bad case: garbage after the JSON value" {
	bad_case trailing-garbage
}

@test "bad case: empty file" {
	bad_case empty-file
}

@test "bad case: invalid UTF-8 in a string" {
	bad_case bad-utf8
}

# --- files that cannot be read ----------------------------------------------

@test "a missing case file is not found (4) and changes nothing" {
	local missing="$BATS_TEST_TMPDIR/no-such-case.json"
	ready_db
	fails 4 case validate "$missing"
	stderr_is "casework: $missing: No such file or directory"
	fails 4 case import "$missing"
	stderr_is "casework: $missing: No such file or directory"
	fails 4 case import "$CASES/school-refugee-year5.json" "$missing"
	first_line_is "casework: $missing: No such file or directory"
	says "casework: nothing was imported"
}

@test "a folder instead of a case file is an invalid file (5)" {
	local dir="$BATS_TEST_TMPDIR/a-folder.json"
	mkdir "$dir"
	ready_db
	fails 5 case validate "$dir"
	stderr_is "casework: $dir: is a folder, not a file"
	fails 5 case import "$dir"
	stderr_is "casework: $dir: is a folder, not a file"
}

@test "a 5 MB case file is refused as too large (5) and changes nothing" {
	local big="$BATS_TEST_TMPDIR/case-too-large.json"
	# a case whose background makes the file exactly 5 MB
	base_case | python3 -c '
import json, sys
d = json.load(sys.stdin)
d["background"] = ""
n = 5 * 1024 * 1024 - len(json.dumps(d))
d["background"] = "x" * n
sys.stdout.write(json.dumps(d))' >"$big"
	[ "$(stat -c %s "$big")" -eq $((5 * 1024 * 1024)) ]
	ready_db
	fails 5 case validate "$big"
	[[ "$stderr" == "casework: $big: \$: the file is 5242880 bytes"*"[too-large]" ]]
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	fails 5 case import "$big"
	[[ "$stderr" == "casework: $big: \$: the file is 5242880 bytes"*"[too-large]" ]]
}

# --- sessions that cannot be found ------------------------------------------

@test "no current session: status on a fresh database is not found (4)" {
	cw init >/dev/null
	fails 4 status
	stderr_is "casework: no current session: start one with 'casework start CASE' or name one with -s SESSION"
	fails 4 note "A note with nowhere to go."
	says "no current session"
}

@test "an unknown session id is not found (4)" {
	start_session
	fails 4 status -s deadbeef
	stderr_is "casework: no session 'deadbeef' (see 'casework sessions')"
	fails 4 note "Mum works nights." -s deadbeef
	says "no session 'deadbeef'"
}

@test "a session prefix shorter than 4 characters is a usage error (2)" {
	start_session
	fails 2 status -s abc
	stderr_is "casework: session 'abc' is too short: give at least 4 characters of its id"
	fails 2 note "Mum works nights." -s "${SESSION:0:3}"
	says "is too short: give at least 4 characters"
}

@test "an ambiguous session prefix is a usage error (2) naming both sessions" {
	local twin
	start_session
	twin="${SESSION:0:8}-0000-4000-8000-000000000000"
	[ "$twin" != "$SESSION" ]
	sqlite3 "$CASEWORK_DB" "INSERT INTO sessions SELECT '$twin', case_id,
		case_sha256, workflow_id, workflow_version, student, created_at,
		phase, status, last_seq, head, met, total, updated_at
		FROM sessions WHERE id = '$SESSION'"
	fails 2 status -s "${SESSION:0:8}"
	says "session '${SESSION:0:8}' is ambiguous"
	says "$SESSION"
	says "$twin"
	fails 2 note "Mum works nights." -s "${SESSION:0:6}"
	says "is ambiguous"
	# the full id still works
	run cw status -s "$SESSION"
	[ "$status" -eq 0 ]
}

@test "starting a session on an unknown case is not found (4)" {
	ready_db
	fails 4 start no-such-case --student Ana
	stderr_is "casework: no case 'no-such-case' (see 'casework case list')"
}

# --- texts, tags and checkpoints -------------------------------------------

@test "an empty or blank note is a usage error (2)" {
	start_session
	fails 2 note ""
	stderr_is "casework: the note is empty"
	fails 2 note "   "
	stderr_is "casework: the note is empty"
}

@test "a note with a bad tag is a usage error (2)" {
	start_session
	fails 2 note "Close to her grandmother." --tag "Strength!"
	stderr_is "casework: tag 'Strength!' is not valid: use lower-case letters, digits and hyphens (e.g. 'strength')"
}

@test "a note that is not valid UTF-8 is a usage error (2)" {
	start_session
	fails 2 note "$(printf 'Mum works at the caf\xe9.')"
	stderr_is "casework: the note is not valid UTF-8"
}

@test "a 70000-byte note is a usage error (2)" {
	start_session
	fails 2 note "$(head -c 70000 /dev/zero | tr '\0' a)"
	stderr_is "casework: the note is too long (70000 bytes; at most 65536)"
}

@test "a check with too short a statement is a usage error (2)" {
	start_session
	fails 2 check case-file-reviewed "Read it."
	stderr_is "casework: checkpoint 'case-file-reviewed' needs at least 20 characters saying what was done; this has 8"
}

@test "a check of another phase's checkpoint is refused (3)" {
	start_session
	fails 3 check introduced-self "Introduced myself as the school social worker."
	stderr_is "casework: checkpoint 'introduced-self' belongs to phase 'introduction'; the session is in 'preparation'"
}

@test "a check of an unknown checkpoint is not found (4)" {
	start_session
	fails 4 check case-file-read "Read the referral and the school report."
	stderr_is "casework: no checkpoint 'case-file-read' in workflow 'standard' (see 'casework status')"
}

@test "a check of a count checkpoint names the command that records it (2)" {
	start_session
	fails 2 check objectives "Find out what changed at home this term."
	says "checkpoint 'objectives' is met by records, not by a statement"
	# objectives are recorded with 'objective add', not with notes
	says "casework objective add"
}

@test "choose with a value that is not an option is a usage error (2)" {
	start_session
	to_assessment
	fails 2 choose risk-level extreme "No harm disclosed; caring duties keep her out of school."
	stderr_is "casework: 'extreme' is not an option of 'risk-level' (expected one of low, medium, high)"
}

# --- goals, interventions, evaluations ------------------------------------

@test "goal add without --term, with a bad term, without --measure (2)" {
	start_session
	fails 2 goal add "Back to regular attendance" --measure "9 of 10 days"
	stderr_is "casework: the term (--term) is required: one of short, long"
	fails 2 goal add "Back to regular attendance" --term medium --measure "9 of 10 days"
	stderr_is "casework: unknown term (--term) 'medium' (expected one of short, long)"
	fails 2 goal add "Back to regular attendance" --term short
	says "--measure"
	fails 2 goal add "Back to regular attendance" --term short --measure "  "
	says "--measure"
}

@test "an intervention on an unknown goal G9 is not found (4)" {
	start_session
	fails 4 intervention add G9 "Weekly check-in" --type counseling
	stderr_is "casework: no goal G9 in this session (see 'casework goal list')"
}

@test "an intervention on a malformed goal name X1 is not found (4)" {
	start_session
	fails 4 intervention add X1 "Weekly check-in" --type counseling
	stderr_is "casework: no goal 'X1' (goals are named G1, G2, ...; see 'casework goal list')"
}

@test "an intervention with a bad or missing --type is a usage error (2)" {
	start_session
	cw goal add "Back to regular attendance" --term short --measure "9 of 10 days" >/dev/null
	fails 2 intervention add G1 "Weekly check-in" --type magic
	stderr_is "casework: unknown intervention type (--type) 'magic' (expected one of counseling, referral, skills, advocacy, coordination, other)"
	fails 2 intervention add G1 "Weekly check-in"
	stderr_is "casework: the intervention type (--type) is required: one of counseling, referral, skills, advocacy, coordination, other"
}

@test "an evaluation with a bad --outcome is a usage error (2)" {
	start_session
	cw goal add "Back to regular attendance" --term short --measure "9 of 10 days" >/dev/null
	fails 2 evaluation add G1 "8 of 10 days" --outcome great
	stderr_is "casework: unknown outcome (--outcome) 'great' (expected one of achieved, partial, not-achieved)"
}

@test "goal drop without --reason is a usage error (2)" {
	start_session
	cw goal add "Back to regular attendance" --term short --measure "9 of 10 days" >/dev/null
	fails 2 goal drop G1
	says "reason (--reason)"
}

# --- transitions -------------------------------------------------------------

@test "revisit to an unknown phase is not found (4)" {
	start_session
	to_assessment
	fails 4 revisit intake --reason "Want to hear more about Mondays."
	stderr_is "casework: no phase 'intake' in workflow 'standard'"
}

@test "revisit of a phase the workflow does not allow is refused (3)" {
	start_session
	fails 3 revisit exploration --reason "Want to hear more about Mondays."
	stderr_is "casework: phase 'preparation' allows no revisit"
	to_assessment
	fails 3 revisit preparation --reason "Want to reread the file."
	stderr_is "casework: phase 'assessment' may revisit only exploration, not 'preparation'"
}

@test "terminate without --reason is a usage error (2)" {
	start_session
	fails 2 terminate
	says "reason (--reason)"
	fails 2 terminate --reason ""
	says "reason (--reason)"
}

@test "a refused advance logs exactly one advance.refused event and nothing else" {
	local events_before rest_before
	start_session
	rest() {
		sqlite3 "$CASEWORK_DB" "
			SELECT id, case_id, phase, status, met, total FROM sessions ORDER BY id;
			SELECT id, sha256 FROM cases ORDER BY id;
			SELECT key, value FROM settings ORDER BY key;
			SELECT id, version, sha256 FROM workflows ORDER BY id;"
	}
	events_before=$(sqlite3 "$CASEWORK_DB" "SELECT seq, type, payload, hash FROM events ORDER BY seq")
	rest_before=$(rest)
	run --separate-stderr cw advance
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	first_line_is "casework: cannot leave phase 'preparation' yet: 3 checkpoints are not met"
	says "objectives: needs 1 objective, has 0"
	# the old events are untouched, one event follows them
	[ "$(sqlite3 "$CASEWORK_DB" "SELECT seq, type, payload, hash FROM events WHERE seq <= 1 ORDER BY seq")" = "$events_before" ]
	[ "$(sqlite3 "$CASEWORK_DB" "SELECT count(*) FROM events")" -eq 2 ]
	[ "$(sqlite3 "$CASEWORK_DB" "SELECT type FROM events WHERE seq = 2")" = "advance.refused" ]
	# phase, status, progress, cases, settings and workflows are as they were
	[ "$(rest)" = "$rest_before" ]
	run cw verify
	[ "$status" -eq 0 ]
}

@test "every change to a closed session is refused (3)" {
	local closed="casework: the session is closed; it accepts feedback, export and verify only"
	close_session
	fails 3 note "One more thing she said."
	stderr_is "$closed"
	fails 3 note "One more thing she said." --tag exploration
	stderr_is "$closed"
	fails 3 check closing-summary "Attendance back to 95% over four weeks."
	stderr_is "$closed"
	fails 3 choose risk-level low "No harm disclosed; attendance recovered."
	stderr_is "$closed"
	fails 3 objective add "Find out what changed at home"
	stderr_is "$closed"
	fails 3 referral add "Young carers' group"
	stderr_is "$closed"
	fails 3 goal add "Keep attending" --term long --measure "95% this year"
	stderr_is "$closed"
	fails 3 goal revise G1 "Attend every school day"
	stderr_is "$closed"
	fails 3 goal drop G1 --reason "Reached."
	stderr_is "$closed"
	fails 3 intervention add G1 "Weekly check-in" --type counseling
	stderr_is "$closed"
	fails 3 evaluation add G1 "Attendance 95%" --outcome achieved
	stderr_is "$closed"
	fails 3 advance
	stderr_is "$closed"
	fails 3 revisit evaluation --reason "Check the last weeks again."
	stderr_is "$closed"
	fails 3 terminate --reason "Client withdrew."
	stderr_is "$closed"
}

# --- the command line itself -------------------------------------------------

@test "an unknown option is a usage error (2) naming the option" {
	start_session
	fails 2 note --tagg x y
	first_line_is "casework: unknown option '--tagg' for 'note'"
	says "usage: casework note TEXT [--tag TAG]"
}

@test "an option missing its value is a usage error (2)" {
	start_session
	fails 2 note x --tag
	first_line_is "casework: option --tag needs a value (TAG)"
	fails 2 status -s
	stderr_is "casework: option -s needs a value"
}

@test "too many or too few positional arguments are a usage error (2)" {
	start_session
	fails 2 note Mum works nights
	first_line_is "casework: 'note' takes TEXT; got 3 arguments (quote a text that has spaces)"
	fails 2 advance now
	says "casework: 'advance' takes no arguments; got 1 argument"
	fails 2 check case-file-reviewed
	first_line_is "casework: 'check' needs CHECKPOINT TEXT"
}

@test "an unknown command is a usage error (2) with a suggestion" {
	start_session
	fails 2 advnce
	stderr_is "casework: unknown command 'advnce'; did you mean 'advance'?"
}

@test "a command group alone is a usage error (2) listing its subcommands" {
	start_session
	fails 2 goal
	first_line_is "casework: 'goal' needs a subcommand:"
	says "casework goal add"
	says "casework goal drop"
	says "casework goal list"
	says "casework goal revise"
}

@test "an unknown subcommand is a usage error (2) that names it" {
	start_session
	fails 2 goal remove G1
	says "'remove'"
	says "casework goal drop"
}

@test "sessions --status with an unknown status is a usage error (2)" {
	start_session
	fails 2 sessions --status bogus
	stderr_is "casework: unknown status 'bogus' (expected open or closed)"
}
