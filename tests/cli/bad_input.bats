#!/usr/bin/env bats
# Bad input gets a clear error, and nothing is lost (DESIGN.md): every
# wrong file or argument gets its message and exit code, and after each
# failure the database is exactly as it was.
#
# Most cases are data, not tests: tests/fixtures/bad/{case,workflow,bundle}/
# hold broken files (NAME.json, or a recipe NAME.gen that makes one at test
# time), each with NAME.expect (the exit code, then the exact stderr), and
# tests/fixtures/bad/args.tsv holds wrong command lines.  bad_fixtures.sh
# turns each into its own test.  This file checks that the fixtures are
# what they claim, and holds the cases that need more than one command.

load helpers
load bad_helpers

FIXTURES="$CASEWORK_TOP/tests/fixtures/bad"

# --- helpers local to this file -------------------------------------------

# ready_db - an initialised database holding the sample case, so that "the
# database is unchanged" says something
ready_db() {
	cw init >/dev/null
	cw case import "$CASES/$CASE.json" >/dev/null
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
	cw reflect description "Met Maya three times about missed Mondays and agreed a plan with her." >/dev/null
	cw reflect feelings "Unsure at first when she went quiet about home, then more at ease." >/dev/null
	cw reflect evaluation "Using her own words for the goal worked; I asked about school too late." >/dev/null
	cw reflect analysis "A strengths-based approach fitted: her grandmother was the key resource." >/dev/null
	cw reflect conclusion "I could have asked about caring duties in the very first meeting." >/dev/null
	cw reflect action-plan "Next time I will ask about caring roles early and take it to supervision." >/dev/null
	cw advance >/dev/null
	[ "$(where_now)" = "closed termination" ]
}

# to_assessment - walk the current session to the assessment phase
to_assessment() {
	walk_to_assessment
	[ "$(where_now)" = "open assessment" ]
}

# --- the fixtures themselves ----------------------------------------------

@test "the case and workflow the fixtures are built from are valid" {
	run --separate-stderr cw case validate "$FIXTURES/base/case.json"
	[ "$status" -eq 0 ]
	[ "$output" = "$FIXTURES/base/case.json: ok" ]
	[ -z "$stderr" ]
	run --separate-stderr cw workflow validate "$FIXTURES/base/workflow.json"
	[ "$status" -eq 0 ]
	[ "$output" = "$FIXTURES/base/workflow.json: ok (bad-input-base v1, 3 phases)" ]
	[ -z "$stderr" ]
}

@test "every case and workflow fixture that is JSON breaks exactly one thing of its base" {
	run python3 - "$FIXTURES" <<'EOF'
import json, os, sys

top = sys.argv[1]

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
for kind in ("case", "workflow"):
    base_text = open(os.path.join(top, "base", kind + ".json"), "rb").read()
    base = json.loads(base_text)
    folder = os.path.join(top, kind)
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        text = open(os.path.join(folder, name), "rb").read()
        expect = open(os.path.join(folder, name[:-5] + ".expect")).read()
        try:
            doc = json.loads(text.decode("utf-8", "surrogateescape"))
        except ValueError:
            # not JSON at all: it must be refused as such
            ok = "[syntax]" in expect or "[nul-character]" in expect
        else:
            if name == "not-object.json":
                ok = doc == [base]
            elif "[duplicate-field]" in expect:
                ok = text != base_text  # Python keeps only one of the two
            else:
                d = diff(base, doc)
                # one changed value, one added or removed member, or one
                # renamed key
                ok = len(d) == 1 or (len(d) == 2 and d[0].rsplit(".", 1)[0] == d[1].rsplit(".", 1)[0])
        if not ok:
            bad.append(kind + "/" + name)
print(" ".join(bad))
EOF
	[ "$status" -eq 0 ]
	[ -z "$output" ] || { echo "fixtures that break more or less than one thing: $output" >&2; false; }
}

@test "every fixture has its .expect, every .expect its fixture; at least 100 in all" {
	local kind f name missing="" n=0 rows
	for kind in case workflow bundle; do
		for f in "$FIXTURES/$kind"/*; do
			name=$(basename "$f")
			name=${name%.*}
			case $f in
			*.json | *.gen) [ -f "$FIXTURES/$kind/$name.expect" ] || missing+=" $kind/$name(.expect)" ;;
			*.expect)
				n=$((n + 1))
				[ -f "$FIXTURES/$kind/$name.json" ] || [ -f "$FIXTURES/$kind/$name.gen" ] ||
					missing+=" $kind/$name(.json or .gen)"
				[[ "$(head -n 1 "$f")" =~ ^[1-5]$ ]] || missing+=" $kind/$name(exit code)"
				;;
			*) missing+=" $kind/$(basename "$f")(unknown kind of file)" ;;
			esac
		done
		# each kind has fixtures of its own
		[ "$(ls "$FIXTURES/$kind"/*.expect | wc -l)" -ge 10 ]
	done
	[ -z "$missing" ] || { echo "missing:$missing" >&2; false; }
	# every row of args.tsv has seven columns, a unique name, an exit code
	# and a way to match
	run awk -F'\t' '!/^#/ && NF {
		if (NF != 7) print "row " $1 " has " NF " columns"
		if (seen[$1]++) print "row " $1 " twice"
		if ($4 !~ /^[1-5]$/) print "row " $1 ": exit code " $4
		if ($5 !~ /^(is|first|has)$/) print "row " $1 ": match " $5
		rows++ } END { print rows }' "$FIXTURES/args.tsv"
	[ "${#lines[@]}" -eq 1 ] || { echo "$output" >&2; false; }
	rows=${lines[0]}
	[ "$rows" -ge 40 ]
	[ $((n + rows)) -ge 100 ] || { echo "only $((n + rows)) fixtures" >&2; false; }
}

@test "the generated suite has one test per fixture, per row and per control" {
	local expected
	expected=$(($(ls "$FIXTURES"/{case,workflow,bundle}/*.expect | wc -l) +
		$(grep -cv '^#' "$FIXTURES/args.tsv") +
		$(grep -c '^control_[a-z_]*() {' "$CASEWORK_TOP/tests/cli/bad_fixtures.bash")))
	run "$CASEWORK_TOP/tests/cli/bad_fixtures.sh" --count
	[ "$status" -eq 0 ]
	[ "$output" -eq "$expected" ]
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
	db_sql "INSERT INTO sessions (id, case_id, case_sha256, workflow_id,
		workflow_version, student, created_at, phase, status, last_seq,
		head, met, total, updated_at)
		SELECT '$twin', case_id,
		case_sha256, workflow_id, workflow_version, student, created_at,
		phase, status, last_seq, head, met, total, updated_at
		FROM sessions WHERE id = '$SESSION'" >/dev/null
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
	# a typo gets the nearest case
	fails 4 start school-atendance-year8 --student Ana
	stderr_is "casework: no case 'school-atendance-year8'; did you mean 'school-attendance-year8'? (see 'casework case list')"
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

@test "a check of an unknown checkpoint is not found (4), with the nearest one and the phase's list" {
	start_session
	fails 4 check case-file-read "Read the referral and the school report."
	stderr_is "casework: no checkpoint 'case-file-read' in workflow 'standard' (the checkpoints of this phase: case-file-reviewed, objectives, environment-arranged)"
	fails 4 check enviroment-arranged "Booked the quiet room by the library."
	stderr_is "casework: no checkpoint 'enviroment-arranged' in workflow 'standard'; did you mean 'environment-arranged'? (the checkpoints of this phase: case-file-reviewed, objectives, environment-arranged)"
}

@test "a check of a count checkpoint names the command that records it (2)" {
	start_session
	fails 2 check objectives "Find out what changed at home this term."
	says "checkpoint 'objectives' is met by records, not by a statement"
	# objectives are recorded with 'objective add', not with notes
	says "casework objective add"
}

@test "choose with a value that is not an option is not found (4), as an unknown checkpoint is" {
	start_session
	to_assessment
	fails 4 choose risk-level extreme "No harm disclosed; caring duties keep her out of school."
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

@test "--term, --type and --outcome take a value whatever its case, in the list's spelling" {
	start_session
	cw goal add "Back to regular attendance" --term SHORT --measure "9 of 10 days" >/dev/null
	cw intervention add G1 "Weekly check-in with her head of year" --type Counselling >/dev/null
	cw evaluation add G1 "8 of 10 days by half-term" --outcome Achieved >/dev/null
	run cw log --json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"term":	"short"'* ]]
	[[ "$output" == *'"type":	"counseling"'* ]]
	[[ "$output" == *'"outcome":	"achieved"'* ]]
	[[ "$output" != *'"SHORT"'* && "$output" != *'"Achieved"'* ]]
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
	stderr_is "casework: no phase 'intake' in workflow 'standard' (its phases: preparation, introduction, exploration, assessment, goal-setting, intervention, evaluation, termination)"
	fails 4 revisit explortion --reason "Want to hear more about Mondays."
	says "did you mean 'exploration'?"
}

@test "guide --phase takes a phase as it is spoken: did you mean the id (4)" {
	start_session
	fails 4 guide --phase "goal setting"
	stderr_is "casework: no phase 'goal setting' in workflow 'standard'; did you mean 'goal-setting'? (its phases: preparation, introduction, exploration, assessment, goal-setting, intervention, evaluation, termination)"
	run cw guide --phase goal-setting
	[ "$status" -eq 0 ]
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
		db_sql "SELECT id, case_id, phase, status, met, total FROM sessions ORDER BY id" &&
			db_sql "SELECT id, sha256 FROM cases ORDER BY id" &&
			db_sql "SELECT key, value FROM settings ORDER BY key" &&
			db_sql "SELECT id, version, sha256 FROM workflows ORDER BY id"
	}
	events_before=$(db_sql "SELECT seq, type, payload, hash FROM events ORDER BY seq")
	rest_before=$(rest)
	run --separate-stderr cw advance
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	first_line_is "casework: cannot leave phase 'preparation' yet: 3 checkpoints are not met"
	says "objectives: needs 1 objective, has 0"
	# the old events are untouched, one event follows them
	[ "$(db_sql "SELECT seq, type, payload, hash FROM events WHERE seq <= 1 ORDER BY seq")" = "$events_before" ]
	[ "$(db_sql "SELECT count(*) FROM events")" -eq 2 ]
	[ "$(db_sql "SELECT type FROM events WHERE seq = 2")" = "advance.refused" ]
	# phase, status, progress, cases, settings and workflows are as they were
	[ "$(rest)" = "$rest_before" ]
	run cw verify
	[ "$status" -eq 0 ]
}

@test "every change to a closed session is refused (3)" {
	local closed="casework: the session is closed: nothing more can be recorded in it (review it with log, status or debrief; export it; an instructor may still give feedback)"
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

# --- files: what is not a fixture ---------------------------------------------

@test "an unreadable file is a runtime failure (1) naming it; checked as another user under root" {
	local dir file cmd
	# root reads a mode-000 file anyway, so as root the command runs as
	# nobody (setpriv), on a file in a folder nobody may enter
	dir=$(mktemp -d /tmp/casework-unreadable-XXXXXX)
	chmod 755 "$dir"
	file="$dir/case.json"
	cp "$CASES/$CASE.json" "$file"
	chmod 000 "$file"
	cmd=("$CASEWORK" case validate "$file")
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv
		cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups "${cmd[@]}")
	fi
	# (its settings folder too: one nobody cannot read is an error of its own)
	CASEWORK_DB="$dir/none.db" XDG_CONFIG_HOME="$dir" \
		run --separate-stderr "${cmd[@]}"
	chmod 600 "$file"
	rm -rf "$dir"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "casework: $file: Permission denied" ]
}

@test "a UTF-8 byte order mark is allowed before a case or workflow (RFC 8259 lets a reader skip it)" {
	ready_db
	printf '\xef\xbb\xbf' | cat - "$CASES/school-refugee-year5.json" >"$BATS_TEST_TMPDIR/bom-case.json"
	printf '\xef\xbb\xbf' | cat - "$CASEWORK_TOP/tests/fixtures/bad/base/workflow.json" >"$BATS_TEST_TMPDIR/bom-workflow.json"
	run cw case import "$BATS_TEST_TMPDIR/bom-case.json"
	[ "$status" -eq 0 ]
	run cw case show school-refugee-year5
	[ "$status" -eq 0 ]
	run cw workflow import "$BATS_TEST_TMPDIR/bom-workflow.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "imported bad-input-base v1"* ]]
}

@test "a workflow of 6000 phases just under the size cap validates in seconds, not hours" {
	python3 - "$BATS_TEST_TMPDIR/long.json" <<'EOF'
import json, sys
phases = [{"id": "p%d" % n, "title": "P", "purpose": "P", "tasks": ["t"],
           "questions": ["q"], "revisit": ["p0"] if n else [],
           "checkpoints": [{"id": "c%d" % n, "label": "L", "kind": "confirm", "min_chars": 20}]}
          for n in range(6000)]
text = json.dumps({"id": "long", "version": 1, "title": "Long", "phases": phases}, separators=(",", ":"))
assert len(text) < 1024 * 1024
open(sys.argv[1], "w").write(text)
EOF
	# before the fix this took over ten minutes (cubic in the phases)
	run timeout 60 "$CASEWORK" workflow validate "$BATS_TEST_TMPDIR/long.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *": ok (long v1, 6000 phases)" ]]
}
