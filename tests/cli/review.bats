#!/usr/bin/env bats
# The instructor's side: the timeline (log), feedback and rubric scores,
# the class list (sessions) and the cohort report, all on a small cohort:
#
#   Ana   school-attendance-year8   closed (two goals: achieved, not-achieved)
#   Ben   school-attendance-year8   stalled in assessment, two refused advances
#   Cleo  school-attendance-year8   in evaluation after a revisit to intervention
#         (G1 is not evaluated since its new intervention: 13 of 18 met)
#   Dev   geron-widower-isolation   terminated early from preparation
#
# The cohort takes ~75 casework commands, so it is built once per file (in
# setup_file) and setup_cohort copies the finished database into the
# test's own scratch database: every test still starts from the same
# cohort and changes only its copy.

load helpers
load bad_helpers

bats_require_minimum_version 1.5.0

SCHOOL=school-attendance-year8
GERON=geron-widower-isolation

# --- the cohort --------------------------------------------------------------

# must ARGS... - run casework; fail the build, saying which command, unless it exits 0
must() {
	cw "$@" >/dev/null || {
		echo "cohort: casework $* failed" >&2
		return 1
	}
}

# refused ARGS... - run casework; it must be refused (exit 3)
refused() {
	local rc=0
	cw "$@" >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 3 ] || {
		echo "cohort: casework $* exited $rc, expected 3" >&2
		return 1
	}
}

# to_evaluation - from preparation to evaluation with goals G1 and G2
to_evaluation() {
	walk_to_assessment &&
	must note --tag need "Support as a young carer." &&
	must choose risk-level medium "No harm disclosed; caring duties keep her out of school." &&
	must advance &&
	must goal add --term short --measure "attends 9 of 10 days" "Back to regular attendance" &&
	must goal add --term long --measure "joins one club" "Rebuild friendships" &&
	must check goals-agreed "Agreed in her words: be in on Mondays." &&
	must advance &&
	must intervention add --type counseling G1 "Weekly check-in" &&
	must intervention add --type skills G2 "Friendship group" &&
	must advance
}

# build_cohort DIR - the four sessions in DIR/casework.db, their ids in DIR/ids
build_cohort() {
	local dir=$1 id
	export CASEWORK_DB
	CASEWORK_DB=$(scratch_db "$dir") || return 1
	must case import "$CASES/$SCHOOL.json" "$CASES/$GERON.json" || return 1

	id=$(cw start "$SCHOOL" --student Ana | head -n 1)
	echo "ANA=$id" >"$dir/ids"
	to_evaluation &&
	must evaluation add --outcome achieved G1 "Ten of ten days for a month" &&
	must evaluation add --outcome not-achieved G2 "Has not joined a club yet" &&
	must advance &&
	must check progress-reviewed "Reviewed the attendance chart together." &&
	must check next-steps "Young carers' group on Thursdays." &&
	must check closing-summary "Attendance back to 100% for four weeks." &&
	must reflect description "Met Maya three times about missed Mondays and agreed a plan with her." &&
	must reflect feelings "Unsure at first when she went quiet about home, then more at ease." &&
	must reflect evaluation "Using her own words for the goal worked; I asked about school too late." &&
	must reflect analysis "A strengths-based approach fitted: her grandmother was the key resource." &&
	must reflect conclusion "I could have asked about caring duties in the very first meeting." &&
	must reflect action-plan "Next time I will ask about caring roles early and take it to supervision." &&
	must advance || return 1

	id=$(cw start "$SCHOOL" --student Ben | head -n 1)
	echo "BEN=$id" >>"$dir/ids"
	walk_to_assessment &&
	refused advance &&
	must note --tag need "Support as a young carer." &&
	refused advance || return 1

	id=$(cw start "$SCHOOL" --student Cleo | head -n 1)
	echo "CLEO=$id" >>"$dir/ids"
	to_evaluation &&
	must evaluation add --outcome partial G1 "8 of 10 days" &&
	must evaluation add --outcome achieved G2 "Joined the art club" &&
	must revisit intervention --reason "attendance still dips on Mondays" &&
	must intervention add G1 --type coordination "Grandmother takes the brother on Mondays" &&
	must advance || return 1

	id=$(cw start "$GERON" --student Dev | head -n 1)
	echo "DEV=$id" >>"$dir/ids"
	must terminate --reason "Mr Okafor moved to his daughter's town" || return 1
	grep -cE '^[A-Z]+=[0-9a-f-]{36}$' "$dir/ids" | grep -qx 4
}

setup_file() {
	: "${CASEWORK:?set CASEWORK to the casework binary (tests/run does)}"
	: "${CASEWORK_TOP:?set CASEWORK_TOP to the repository}"
	export COHORT_DIR="$BATS_FILE_TMPDIR/cohort"
	mkdir -p -m 700 "$COHORT_DIR"
	CASES="$CASEWORK_TOP/examples/cases"
	(NO_COLOR=1 build_cohort "$COHORT_DIR")
}

teardown_file() {
	drop_scratch_db "$COHORT_DIR"
}

# setup_cohort - this test's database becomes a copy of the cohort;
# $ANA $BEN $CLEO $DEV are the session ids
setup_cohort() {
	[ -f "$COHORT_DIR/ids" ] || {
		echo "the cohort was not built" >&2
		return 1
	}
	copy_scratch_db "$COHORT_DIR" || return 1
	# shellcheck disable=SC1091
	. "$COHORT_DIR/ids"
}

# --- helpers -------------------------------------------------------------------

# timeline SESSION - `casework log -s SESSION` with wrapped lines joined:
#   "== PHASE (DURATION) =="   a heading, as printed
#   "#SEQ ACTOR: description"  an entry (its DATE TIME checked and dropped)
#   ">> feedback from ..."     a feedback line
#   "Time in each phase: ..."  the closing line
# and "?? LINE" for any line that fits none of these.
timeline() {
	cw log -s "$1" | python3 -c '
import re, sys
out = []
for line in sys.stdin.read().split("\n"):
    line = line.rstrip()
    if not line:
        continue
    if re.fullmatch(r"== [a-z0-9-]+ \(\d[^()]*\) ==", line):
        out.append(line)
        continue
    m = re.fullmatch(r" *(\d+)  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  (\S+) +(\S.*)", line)
    if m:
        out.append("#%s %s: %s" % (m[1], m[2], m[3]))
        continue
    m = re.fullmatch(r" *(>> .*)", line)
    if m:
        out.append(m[1])
        continue
    if line.startswith(("Session ", "Time in each phase:", "Hints on the work")):
        out.append(line)
        continue
    if line.startswith(" ") and out:
        out[-1] += " " + line.strip()
        continue
    out.append("?? " + line)
print("\n".join(out))
'
}

# headings - the phases of the headings in $output, one line, in order
headings() {
	grep '^== ' <<<"$output" | sed -E 's/^== ([a-z0-9-]+) .*/\1/' | paste -sd' '
}

# after PREFIX [N] - the Nth line (default 1) of $output after the first
# line that starts with PREFIX
after() {
	awk -v p="$1" -v n="${2:-1}" 'k && !--k { print; exit } !k && !done && index($0, p) == 1 { k = n; done = 1 }' <<<"$output"
}

# heading_of PREFIX - the phase of the heading above the first line of
# $output that starts with PREFIX
heading_of() {
	awk -v p="$1" '/^== / { h = $2 } index($0, p) == 1 { print h; exit }' <<<"$output"
}

# students ARGS... - the students of `casework sessions ARGS --json`, in order
# (each "student" is a key of its own line in casework's JSON)
students() {
	local json
	json=$(cw sessions "$@" --json) || return 1
	[[ "$json" == "{"*'"sessions":'*"}" ]] || {
		echo "not a sessions document: $json" >&2
		return 1
	}
	sed -n 's/^[[:space:]]*"student":[[:space:]]*"\([^"]*\)",\{0,1\}$/\1/p' <<<"$json" | paste -sd' '
}

# --- the timeline --------------------------------------------------------------

@test "log: every entry is SEQ DATE TIME ACTOR description, grouped under phase headings" {
	setup_cohort
	run timeline "$BEN"
	[ "$status" -eq 0 ]
	[[ "$output" != *"?? "* ]]
	[[ "$(head -n 1 <<<"$output")" == "Session $BEN"* ]]
	[ "$(headings)" = "preparation introduction exploration assessment" ]
	# every event of the session is one entry, in order, none left out
	seqs=$(grep -oE '^#[0-9]+' <<<"$output" | tr -d '#' | paste -sd' ')
	[ "$seqs" = "$(seq -s' ' 1 17)" ]
	grep -qx '#1 tester: started school-attendance-year8 for Ben .*' <<<"$output"
	[[ "$(after '#9 ')" == "== exploration ("*") ==" ]]
	[ "$(heading_of '#9 ')" = introduction ]
	# it ends with the time in each phase visited
	[[ "$(tail -n 1 <<<"$output")" == "Time in each phase: preparation "*", introduction "*", exploration "*", assessment "* ]]
}

@test "log: refused advances are listed with their blockers" {
	setup_cohort
	run timeline "$BEN"
	[ "$status" -eq 0 ]
	refusals=$(grep '^#[0-9]* tester: advance refused' <<<"$output")
	[ "$(wc -l <<<"$refusals")" -eq 2 ]
	first=$(head -n 1 <<<"$refusals")
	second=$(tail -n 1 <<<"$refusals")
	[[ "$first" == "#15 "* ]]
	[[ "$first" == *"needs"*"need"*"risk-level"*"low|medium|high"* ]]
	[[ "$second" == "#17 "* ]]
	[[ "$second" == *"risk-level"* ]]
	[[ "$second" != *"needs ("* ]]
	# both under the assessment heading
	[ "$(heading_of '#15 ')" = assessment ]
	[ "$(heading_of '#17 ')" = assessment ]
}

@test "log: a revisit shows as a new heading, and the time line adds up each phase once" {
	setup_cohort
	run timeline "$CLEO"
	[ "$status" -eq 0 ]
	[[ "$output" != *"?? "* ]]
	# the visit after the revisit is a heading of its own; the current visit
	# to evaluation, with no entries yet, may or may not have one
	h=$(headings)
	want="preparation introduction exploration assessment goal-setting intervention evaluation intervention"
	[ "$h" = "$want" ] || [ "$h" = "$want evaluation" ]
	grep -qx '#27 tester: revisited intervention: attendance still dips on Mondays' <<<"$output"
	[[ "$(after '#27 ')" == "== intervention ("*") ==" ]]
	[[ "$(after '#27 ' 2)" == "#28 tester: intervention I3 for G1 (coordination): Grandmother takes the brother on Mondays" ]]
	# the time line names each phase visited once, in workflow order
	last=$(tail -n 1 <<<"$output")
	[[ "$last" == "Time in each phase: "* ]]
	listed=$(sed -e 's/^Time in each phase: //' -e 's/, /\n/g' <<<"$last" | awk '{ print $1 }' | paste -sd' ')
	[ "$listed" = "preparation introduction exploration assessment goal-setting intervention evaluation" ]
}

@test "log: a closed session runs through all eight headings to 'closed the session'" {
	setup_cohort
	run timeline "$ANA"
	[ "$status" -eq 0 ]
	[[ "$output" != *"?? "* ]]
	[ "$(headings)" = "preparation introduction exploration assessment goal-setting intervention evaluation termination" ]
	grep -q '^#[0-9]* tester: evaluation E2 of G2 (not-achieved): Has not joined a club yet$' <<<"$output"
	[[ "$(grep '^#' <<<"$output" | tail -n 1)" == *": closed the session" ]]
}

@test "log: an early termination shows its reason" {
	setup_cohort
	run timeline "$DEV"
	[ "$status" -eq 0 ]
	[[ "$output" != *"?? "* ]]
	[[ "$(head -n 1 <<<"$output")" == *"Dev on geron-widower-isolation"*"open in termination"* ]]
	grep -qx "#2 tester: terminated early: Mr Okafor moved to his daughter's town" <<<"$output"
	[ "$(tail -n 1 <<<"$output")" = "Time in each phase: preparation 0 s, termination 0 s" ] ||
		[[ "$(tail -n 1 <<<"$output")" =~ ^"Time in each phase: preparation "[^,]+", termination "[^,]+$ ]]
}

@test "log --json: every event with its payload, visits and time per phase" {
	setup_cohort
	run cw log -s "${CLEO:0:8}" --json
	[ "$status" -eq 0 ]
	events=$(cw sessions --student Cleo --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"][0]["events"])')
	python3 - "$output" "$events" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
events = d["events"]
assert len(events) == int(sys.argv[2]), (len(events), sys.argv[2])
assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
for e in events:
    for k in ("seq", "at", "actor", "phase", "type", "payload"):
        assert k in e, (k, e)
    assert isinstance(e["payload"], dict), e
rev = [e for e in events if e["type"] == "phase.revisited"]
assert len(rev) == 1 and rev[0]["payload"]["reason"] == "attendance still dips on Mondays", rev
assert d["feedback"] == [], d["feedback"]
assert not any("feedback" in e for e in events)

visits = d["visits"]
for v in visits:
    for k in ("phase", "from", "to", "start", "end", "seconds"):
        assert k in v, (k, v)
    assert v["seconds"] >= 0 and v["start"] <= v["end"], v
names = [v["phase"] for v in visits]
want = ["preparation", "introduction", "exploration", "assessment",
        "goal-setting", "intervention", "evaluation", "intervention"]
assert names in (want, want + ["evaluation"]), names
# every event lies in the visit of its phase
for e in events:
    inside = [v for v in visits if v["from"] <= e["seq"] <= v["to"]]
    assert len(inside) == 1 and inside[0]["phase"] == e["phase"], (e["seq"], inside)

phases = d["phases"]
assert [p["id"] for p in phases] == want[:7] + ["termination"], phases
for p in phases:
    assert p["title"], p
    mine = [v for v in visits if v["phase"] == p["id"]]
    assert p["visits"] == len(mine), (p, mine)
    assert abs(p["seconds"] - sum(v["seconds"] for v in mine)) < 1e-6, p
by = {p["id"]: p["visits"] for p in phases}
assert by["intervention"] == 2 and by["termination"] == 0, by
PY
}

# --- feedback ------------------------------------------------------------------

@test "feedback on an entry shows under that entry, on a phase under the phase's first heading" {
	setup_cohort
	run cw --as Dr.Lee feedback -s "$BEN" --event 17 --score 2 --criterion risk-judgement "Give the evidence behind a risk level"
	[ "$status" -eq 0 ]
	[[ "$output" == *"18"* ]]
	run cw --as Dr.Lee feedback -s "$CLEO" --phase intervention --score 3 "Good call to go back to the plan"
	[ "$status" -eq 0 ]

	run timeline "$BEN"
	[[ "$output" != *"?? "* ]]
	[ "$(after '#17 ')" = ">> feedback from Dr.Lee, score 2 on risk-judgement: Give the evidence behind a risk level" ]
	[ "$(grep -c '^>> ' <<<"$output")" -eq 1 ]
	# the feedback itself is not a line of the timeline
	! grep -q '^#18 ' <<<"$output" || false
	! grep -q '^#[0-9]* [^ ]*: feedback' <<<"$output" || false

	run timeline "$CLEO"
	[[ "$output" != *"?? "* ]]
	[ "$(after '== intervention')" = ">> feedback from Dr.Lee, score 3: Good call to go back to the plan" ]
	[ "$(grep -c '^>> ' <<<"$output")" -eq 1 ]
	# under the first visit's heading, not the one after the revisit
	[ "$(grep -E '^(== intervention|>> )' <<<"$output" | paste -sd'|' | sed 's/ ([^)]*)//g')" = "== intervention ==|>> feedback from Dr.Lee, score 3: Good call to go back to the plan|== intervention ==" ]
}

@test "feedback is a feedback.added event by the --as actor, attached to its entry in log --json" {
	setup_cohort
	cw --as Dr.Lee feedback -s "$BEN" --event 12 --score 3 --criterion open-questions "Good follow-up on the friends"
	cw --as Ms.Kay feedback -s "$BEN" "Keep going with the risk rationale"
	run cw log -s "$BEN" --json
	[ "$status" -eq 0 ]
	python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
ev = {e["seq"]: e for e in d["events"]}
a, b = ev[18], ev[19]
assert a["type"] == "feedback.added" and a["actor"] == "Dr.Lee", a
# without --phase, the phase is the entry's
assert a["payload"] == {"text": "Good follow-up on the friends", "phase": "exploration",
                        "event": 12, "score": 3, "criterion": "open-questions"}, a["payload"]
assert b["type"] == "feedback.added" and b["actor"] == "Ms.Kay", b
# without --phase or --event, the phase is the current one
assert b["payload"]["phase"] == "assessment" and "event" not in b["payload"], b
assert "score" not in b["payload"], b
fb = ev[12]["feedback"]
assert len(fb) == 1 and fb[0]["text"] == "Good follow-up on the friends", fb
assert fb[0]["actor"] == "Dr.Lee" and fb[0]["score"] == 3, fb
assert [e["seq"] for e in d["events"] if "feedback" in e] == [12], "only entry 12 has feedback"
assert [f["text"] for f in d["feedback"]] == ["Good follow-up on the friends",
                                             "Keep going with the risk rationale"], d["feedback"]
PY
	run timeline "$BEN"
	[ "$(after '#12 ')" = ">> feedback from Dr.Lee, score 3 on open-questions: Good follow-up on the friends" ]
	[ "$(after '== assessment')" = ">> feedback from Ms.Kay: Keep going with the risk rationale" ]
}

@test "feedback on a closed session is recorded; other changes stay refused" {
	setup_cohort
	run cw status -s "$ANA" --json
	[[ "$output" == *'"status":	"closed"'* ]]
	run cw --as Dr.Lee feedback -s "$ANA" --phase termination --score 4 --criterion closure "A planned, warm ending"
	[ "$status" -eq 0 ]
	run cw --as Dr.Lee feedback -s "$ANA" --event 5 "Clear objectives"
	[ "$status" -eq 0 ]
	run cw log -s "$ANA" --json
	python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["status"] == "closed", d["status"]
last = d["events"][-2:]
assert [e["type"] for e in last] == ["feedback.added"] * 2, last
assert [e["actor"] for e in last] == ["Dr.Lee"] * 2, last
assert last[0]["payload"]["criterion"] == "closure" and last[0]["payload"]["score"] == 4
assert last[1]["payload"]["event"] == 5 and last[1]["payload"]["phase"] == "preparation"
PY
	run timeline "$ANA"
	[ "$(after '== termination')" = ">> feedback from Dr.Lee, score 4 on closure: A planned, warm ending" ]
	[ "$(after '#5 ')" = ">> feedback from Dr.Lee: Clear objectives" ]
	run cw status -s "$ANA" --json
	[[ "$output" == *'"status":	"closed"'* ]]
	fails 3 note -s "$ANA" "One more thing"
	says "closed"
	run cw verify -s "$ANA"
	[ "$status" -eq 0 ]
}

@test "feedback on the phase a terminated session is in shows in its log" {
	setup_cohort
	# Dev went straight from preparation to termination: no entries in
	# termination yet, but feedback on it must still be visible
	run cw --as Dr.Lee feedback -s "$DEV" --score 2 --criterion closure "Say goodbye before you refer on"
	[ "$status" -eq 0 ]
	run cw feedback list -s "$DEV" --json
	[[ "$output" == *'"phase":	"termination"'* ]]
	run timeline "$DEV"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^>> feedback from Dr.Lee, score 2 on closure: Say goodbye before you refer on$' <<<"$output")" -eq 1 ]
}

@test "feedback list shows every piece of feedback; --json gives {feedback: [...]}" {
	setup_cohort
	run cw feedback list -s "$CLEO" --json
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; assert json.loads(sys.argv[1])["feedback"] == []' "$output"
	run cw feedback list -s "$CLEO"
	[ "$status" -eq 0 ]
	[[ "$output" != *">>"* ]]

	cw --as Dr.Lee feedback -s "$CLEO" --event 27 --score 4 --criterion adaptation "Right phase, clear reason"
	cw --as Dr.Lee feedback -s "$CLEO" --phase assessment --score 3 --criterion analysis "Needs well argued"
	cw --as Ms.Kay feedback -s "$CLEO" --phase exploration "Warm tone"
	run cw feedback list -s "$CLEO"
	[ "$status" -eq 0 ]
	[[ "$output" == *">> feedback from Dr.Lee, score 4 on adaptation: Right phase, clear reason"* ]]
	[[ "$output" == *">> feedback from Dr.Lee, score 3 on analysis: Needs well argued"* ]]
	[[ "$output" == *">> feedback from Ms.Kay: Warm tone"* ]]
	[[ "$output" == *"evaluation"*"27"* ]]
	run cw feedback list -s "$CLEO" --json
	python3 - "$output" <<'PY'
import json, sys
f = json.loads(sys.argv[1])["feedback"]
assert [x["text"] for x in f] == ["Right phase, clear reason", "Needs well argued", "Warm tone"], f
assert [x["actor"] for x in f] == ["Dr.Lee", "Dr.Lee", "Ms.Kay"], f
assert [x["phase"] for x in f] == ["evaluation", "assessment", "exploration"], f
assert f[0]["event"] == 27 and f[0]["score"] == 4 and f[0]["criterion"] == "adaptation", f[0]
assert "event" not in f[1] and f[1]["score"] == 3 and f[1]["criterion"] == "analysis", f[1]
assert "score" not in f[2] and "criterion" not in f[2], f[2]
assert [x["seq"] for x in f] == [30, 31, 32], f
for x in f:
    assert x["at"].endswith("Z") and "T" in x["at"], x
PY
	# another session's list is its own
	run cw feedback list -s "$BEN" --json
	python3 -c 'import json,sys; assert json.loads(sys.argv[1])["feedback"] == []' "$output"
}

# --- feedback: bad input ----------------------------------------------------

@test "feedback, feedback list and log on an unknown session exit 4" {
	setup_cohort
	fails 4 feedback -s deadbeef "Lovely work"
	says "deadbeef"
	fails 4 feedback list -s deadbeef
	fails 4 log -s deadbeef
	fails 4 log -s deadbeef --json
}

@test "a score outside 1-4 exits 2" {
	setup_cohort
	for s in 0 5 -1 40; do
		fails 2 --as Dr.Lee feedback -s "$BEN" --score "$s" "Some feedback"
		says "$s"
	done
}

@test "a score that is not a number exits 2" {
	setup_cohort
	for s in three 2.5 3x ""; do
		fails 2 --as Dr.Lee feedback -s "$BEN" --phase assessment --score "$s" --criterion analysis "Some feedback"
	done
}

@test "--criterion without --score exits 2" {
	setup_cohort
	fails 2 --as Dr.Lee feedback -s "$BEN" --phase assessment --criterion analysis "Some feedback"
	says "score"
}

@test "an unknown criterion exits 4 and lists the phase's criteria" {
	setup_cohort
	fails 4 --as Dr.Lee feedback -s "$BEN" --phase assessment --score 3 --criterion empathy "Some feedback"
	says "empathy"
	says "analysis"
	says "risk-judgement"
	# a criterion of another phase is unknown here; the entry's phase decides
	fails 4 --as Dr.Lee feedback -s "$BEN" --event 12 --score 3 --criterion analysis "Some feedback"
	says "open-questions"
	says "active-listening"
	says "strengths-focus"
}

@test "an unknown phase exits 4" {
	setup_cohort
	fails 4 --as Dr.Lee feedback -s "$BEN" --phase nowhere "Some feedback"
	says "nowhere"
	fails 4 --as Dr.Lee feedback -s "$ANA" --phase closed --score 2 "Some feedback"
}

@test "an unknown event exits 4" {
	setup_cohort
	fails 4 --as Dr.Lee feedback -s "$BEN" --event 18 "Some feedback"
	says "18"
	fails 4 --as Dr.Lee feedback -s "$BEN" --event 999 --score 2 "Some feedback"
	fails 4 --as Dr.Lee feedback -s "$DEV" --event 3 "Some feedback"
}

@test "--event and --phase that disagree exit 2" {
	setup_cohort
	fails 2 --as Dr.Lee feedback -s "$BEN" --event 17 --phase exploration "Some feedback"
	says "assessment"
	# agreeing ones are fine
	run cw --as Dr.Lee feedback -s "$BEN" --event 17 --phase assessment "Some feedback"
	[ "$status" -eq 0 ]
}

# --- sessions ------------------------------------------------------------------

@test "sessions: an aligned table SESSION STUDENT CASE PHASE STATUS MET LAST ACTIVITY" {
	setup_cohort
	run cw sessions
	[ "$status" -eq 0 ]
	python3 - "$output" "$ANA" "$BEN" "$CLEO" "$DEV" <<'PY'
import re, sys
lines = sys.argv[1].split("\n")
ids = dict(zip(["Ana", "Ben", "Cleo", "Dev"], sys.argv[2:]))
head = lines[0]
names = ["SESSION", "STUDENT", "CASE", "PHASE", "STATUS", "MET", "LAST ACTIVITY"]
starts = [head.index(n) for n in names]
assert starts == sorted(starts) and starts[0] == 0, head
assert head.split() == ["SESSION", "STUDENT", "CASE", "PHASE", "STATUS", "MET", "LAST", "ACTIVITY"], head
# the current session's id is followed by a star, and an early end by a
# word, both explained below the rows
rows = [l for l in lines[1:] if not l.startswith("(")]
assert lines[-2:] == ["(* the current session)",
                      "(terminated, ended early: terminated before the last phase; 'casework status' gives the reason)"], lines
assert len(rows) == 4, rows
assert sum(r[8] == "*" for r in rows) == 1, rows
assert max(len(l) for l in lines[:5]) <= 100, lines
want = {
    "Ana": ["school-attendance-year8", "termination", "closed", "18/18"],
    "Ben": ["school-attendance-year8", "assessment", "open", "9/18"],
    # goals-evaluated unmet: G1's evaluation came before its new intervention
    "Cleo": ["school-attendance-year8", "evaluation", "open", "13/18"],
    # terminated early, not yet closed
    "Dev": ["geron-widower-isolation", "termination", "terminated", "0/18"],
}
seen = []
for r in rows:
    cells = [r[s:e].strip() for s, e in zip(starts, starts[1:] + [None])]
    for s in starts[1:]:
        # the star has a column of its own: every gap stays a gap
        assert r[s - 1] == " " and r[s] != " ", ("column not aligned", r, s)
    student = cells[1]
    seen.append(student)
    cells[0] = cells[0].rstrip("*")
    assert ids[student].startswith(cells[0]) and len(cells[0]) >= 8, cells
    assert cells[2:6] == want[student], (cells, want[student])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?", cells[6]), cells
assert sorted(seen) == ["Ana", "Ben", "Cleo", "Dev"], seen
PY
	run cw sessions --status closed
	[ "$(wc -l <<<"$output")" -eq 2 ]
	[[ "$(tail -n 1 <<<"$output")" == "${ANA:0:8}  Ana "* ]]
}

@test "sessions --json gives {sessions: [...]} with what status --json says" {
	setup_cohort
	run cw sessions --json
	[ "$status" -eq 0 ]
	python3 - "$output" "$(cw status -s "$ANA" --json)" "$(cw status -s "$BEN" --json)" \
		"$(cw status -s "$CLEO" --json)" "$(cw status -s "$DEV" --json)" <<'PY'
import json, sys
rows = {s["session"]: s for s in json.loads(sys.argv[1])["sessions"]}
assert len(rows) == 4, rows
for arg in sys.argv[2:]:
    st = json.loads(arg)
    row = rows[st["session"]]
    assert row["student"] == st["student"] and row["case"] == st["case"]["id"], (row, st)
    assert row["phase"] == st["phase"]["id"] and row["status"] == st["status"], (row, st)
    assert (row["met"], row["total"]) == (st["progress"]["met"], st["progress"]["total"]), (row, st)
    assert row.get("ended_early") == st.get("ended_early"), (row, st)
PY
}

# listed STUDENT - the cells of STUDENT's row of `sessions` after the id
listed() {
	cw sessions | sed -n "s/^[0-9a-f]\{8\}[ *] \($1 .*\)/\1/p" | tr -s ' '
}

# early_json - "STUDENT STATUS ENDED_EARLY" for each session of `sessions --json`
early_json() {
	cw sessions --json | python3 -c 'import json, sys
for s in json.load(sys.stdin)["sessions"]:
    print(s["student"], s["status"], s.get("ended_early", "-"))'
}

@test "sessions tells a session terminated early from one worked through, before and after it closes" {
	setup_cohort
	local reason="Mr Okafor moved to his daughter's town"
	# Dev terminated from preparation: in termination, open, ended early
	[[ "$(listed Dev)" == "Dev geron-widower-isolation termination terminated 0/18 "* ]]
	# Ana worked through every phase: closed, not ended early
	[[ "$(listed Ana)" == "Ana school-attendance-year8 termination closed 18/18 "* ]]
	[ "$(early_json)" = "Ana closed -
Ben open -
Cleo open -
Dev open $reason" ]
	# Dev's termination done, the session closes: still an early end
	cw use "$DEV" >/dev/null
	cw check progress-reviewed "Reviewed the one visit we had." >/dev/null
	cw check next-steps "Gave him the details of the day centre in his new town." >/dev/null
	cw check closing-summary "One visit; he moved before any goal was set." >/dev/null
	cw reflect description "Met Mr Okafor once at home before he decided to move." >/dev/null
	cw reflect feelings "Disappointed at first, then glad he chose to be near family." >/dev/null
	cw reflect evaluation "The first visit built trust; the move came before any plan." >/dev/null
	cw reflect analysis "Loss and isolation in late life: family is his main resource." >/dev/null
	cw reflect conclusion "I could have asked about his daughter's offer in the first visit." >/dev/null
	cw reflect action-plan "Next time I will ask early about moves the client is weighing." >/dev/null
	run cw advance
	[ "$status" -eq 0 ]
	[[ "$(listed Dev)" == "Dev geron-widower-isolation termination ended early "* ]]
	[[ "$(listed Ana)" == "Ana school-attendance-year8 termination closed 18/18 "* ]]
	[ "$(early_json)" = "Ana closed -
Ben open -
Cleo open -
Dev closed $reason" ]
	# the legend says what the words mean; --status still takes open|closed
	run cw sessions --status closed
	[ "$status" -eq 0 ]
	[[ "$output" == *"(terminated, ended early: terminated before the last phase; 'casework status' gives the reason)"* ]]
	[ "$(students --status closed)" = "Ana Dev" ]
	# a list without an early end has no legend for it
	run cw sessions --student Ana
	[[ "$output" != *"ended early"* ]]
	run cw verify --all
	[ "$status" -eq 0 ]
}

# schema_back - the database as the previous schema version left it: no
# ended_early column, version 4 (the steps after it run again)
schema_back() {
	db_sql "ALTER TABLE sessions DROP COLUMN ended_early" >/dev/null || return 1
	if on_pg; then
		db_sql "DELETE FROM casework_schema WHERE version >= 5" >/dev/null
	else
		db_sql "PRAGMA user_version = 4" >/dev/null
	fi
}

# schema_now - "VERSION COLUMNS": the schema version and how many
# ended_early columns the sessions table has
schema_now() {
	if on_pg; then
		echo "$(db_query "SELECT max(version) FROM casework_schema") $(db_query "SELECT count(*) FROM information_schema.columns WHERE table_name = 'sessions' AND column_name = 'ended_early'")"
	else
		echo "$(db_query "PRAGMA user_version") $(db_query "SELECT count(*) FROM pragma_table_info('sessions') WHERE name = 'ended_early'")"
	fi
}

@test "upgrading a database of the previous schema marks the sessions that ended early, all or nothing" {
	setup_cohort
	schema_back
	[ "$(schema_now)" = "4 0" ]
	# an upgrade that fails part way (the rows refuse to change) leaves
	# version 4 as it was
	if on_pg; then
		db_sql "CREATE FUNCTION no_change() RETURNS trigger LANGUAGE plpgsql
			AS \$\$ BEGIN RAISE EXCEPTION 'rows are frozen'; END \$\$;
			CREATE TRIGGER frozen BEFORE UPDATE ON sessions
			FOR EACH ROW EXECUTE FUNCTION no_change()" >/dev/null
	else
		db_sql "CREATE TRIGGER frozen BEFORE UPDATE ON sessions
			BEGIN SELECT RAISE(ABORT, 'rows are frozen'); END" >/dev/null
	fi
	run cw sessions
	[ "$status" -eq 1 ]
	[[ "$output" == "casework: "*"rows are frozen"* ]]
	[ "$(schema_now)" = "4 0" ]
	db_sql "DROP TRIGGER frozen$(on_pg && echo ' ON sessions')" >/dev/null
	# the upgrade replays every session once: Dev ended early, before and
	# after it, and no one else did
	run cw sessions
	[ "$status" -eq 0 ]
	[ "$(schema_now)" = "6 1" ]
	[[ "$(listed Dev)" == "Dev geron-widower-isolation termination terminated 0/18 "* ]]
	[ "$(early_json)" = "Ana closed -
Ben open -
Cleo open -
Dev open Mr Okafor moved to his daughter's town" ]
	[ "$(db_query "SELECT count(*) FROM sessions WHERE ended_early IS NOT NULL")" = 1 ]
	run cw verify --all
	[ "$status" -eq 0 ]
}

@test "sessions --case, --student, --phase and --status each return exactly the expected students" {
	setup_cohort
	[ "$(students)" = "Ana Ben Cleo Dev" ]
	[ "$(students --case $SCHOOL)" = "Ana Ben Cleo" ]
	[ "$(students --case $GERON)" = "Dev" ]
	[ "$(students --student Ben)" = "Ben" ]
	[ "$(students --student Cleo)" = "Cleo" ]
	[ "$(students --phase assessment)" = "Ben" ]
	[ "$(students --phase evaluation)" = "Cleo" ]
	[ "$(students --phase termination)" = "Ana Dev" ]
	[ "$(students --phase preparation)" = "" ]
	[ "$(students --status open)" = "Ben Cleo Dev" ]
	[ "$(students --status closed)" = "Ana" ]
	# filters combine
	[ "$(students --case $SCHOOL --status open)" = "Ben Cleo" ]
	[ "$(students --phase termination --status open)" = "Dev" ]
	[ "$(students --student Ana --status open)" = "" ]
	run cw sessions --student Nobody
	[ "$status" -eq 0 ]
	[[ "$output" == "No sessions match"* ]]
}

@test "sessions --since: a past date gives all, a future date none, a time only the active" {
	setup_cohort
	[ "$(students --since "$(date -u -d yesterday +%F)")" = "Ana Ben Cleo Dev" ]
	[ "$(students --since 2999-01-01)" = "" ]
	run cw sessions --since 2999-01-01
	[ "$status" -eq 0 ]
	[[ "$output" == "No sessions match"* ]]
	# only Ben has been active since now
	sleep 1
	now=$(date -u +%FT%T)
	cw note -s "$BEN" "Came back to talk about Mondays."
	[ "$(students --since "$now")" = "Ben" ]
}

@test "sessions: a bad --status or --since exits 2" {
	setup_cohort
	fails 2 sessions --status bogus
	fails 2 sessions --status OPEN --json
	for d in yesterday 2026-13-01 2026-00-10 2026-11-32 23-11-2026 2026-1-023 2026-02-30 2026-04-31 2026-11-23Tnoon; do
		fails 2 sessions --since "$d"
	done
}

# --- report --------------------------------------------------------------------

@test "report: each session's figures are what was done" {
	setup_cohort
	run cw report --format json
	[ "$status" -eq 0 ]
	python3 - "$output" "$ANA" "$BEN" "$CLEO" "$DEV" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
ids = dict(zip(["Ana", "Ben", "Cleo", "Dev"], sys.argv[2:]))
rows = {r["student"]: r for r in d["sessions"]}
assert sorted(rows) == ["Ana", "Ben", "Cleo", "Dev"] and len(d["sessions"]) == 4, list(rows)
P = ["preparation", "introduction", "exploration", "assessment",
     "goal-setting", "intervention", "evaluation", "termination"]
want = {
    "Ana": dict(case="school-attendance-year8", status="closed", phase="termination",
                reached="termination", met=18, total=18, goals=2, interventions=2,
                evaluations=2, outcomes={"achieved": 1, "partial": 0, "not-achieved": 1},
                refused=0, revisits=0, terminated=False, seconds=P),
    "Ben": dict(case="school-attendance-year8", status="open", phase="assessment",
                reached="assessment", met=9, total=18, goals=0, interventions=0,
                evaluations=0, outcomes={"achieved": 0, "partial": 0, "not-achieved": 0},
                refused=2, revisits=0, terminated=False, seconds=P[:4]),
    "Cleo": dict(case="school-attendance-year8", status="open", phase="evaluation",
                 reached="evaluation", met=13, total=18, goals=2, interventions=3,
                 evaluations=2, outcomes={"achieved": 1, "partial": 1, "not-achieved": 0},
                 refused=0, revisits=1, terminated=False, seconds=P[:7]),
    "Dev": dict(case="geron-widower-isolation", status="open", phase="termination",
                reached="termination", met=0, total=18, goals=0, interventions=0,
                evaluations=0, outcomes={"achieved": 0, "partial": 0, "not-achieved": 0},
                refused=0, revisits=0, terminated=True, seconds=["preparation", "termination"]),
}
for s, w in want.items():
    r = rows[s]
    assert r["session"] == ids[s], (s, r["session"])
    assert r["workflow"] == "standard", r
    for k, v in w.items():
        if k == "seconds":
            assert sorted(r["seconds"]) == sorted(v), (s, r["seconds"])
            assert all(x >= 0 for x in r["seconds"].values()), r["seconds"]
        else:
            assert r[k] == v, (s, k, r[k], v)
    assert r["scores"] == {} and r["feedback"] == 0, (s, r["scores"], r["feedback"])
goals = [(g["id"], g["term"], g["outcome"]) for g in rows["Ana"]["goal_list"]]
assert goals == [("G1", "short", "achieved"), ("G2", "long", "not-achieved")], goals
goals = [(g["id"], g["outcome"], g["interventions"]) for g in rows["Cleo"]["goal_list"]]
assert goals == [("G1", "partial", 2), ("G2", "achieved", 1)], goals
assert rows["Ben"]["goal_list"] == [] and rows["Dev"]["goal_list"] == []
PY
	# --json is the same as --format json
	run cw report --json
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; assert len(json.loads(sys.argv[1])["sessions"]) == 4' "$output"
	# the table: a row per session
	run cw report
	[ "$status" -eq 0 ]
	grep -qE "^${ANA:0:8} +Ana " <<<"$output"
	grep -qE "^${BEN:0:8} +Ben " <<<"$output"
	grep -qE "^${CLEO:0:8} +Cleo " <<<"$output"
	grep -qE "^${DEV:0:8} +Dev " <<<"$output"
}

@test "report: met and total agree with status --json; --student and --case filter" {
	setup_cohort
	run cw report --format json
	[ "$status" -eq 0 ]
	python3 - "$output" "$(cw status -s "$ANA" --json)" "$(cw status -s "$BEN" --json)" \
		"$(cw status -s "$CLEO" --json)" "$(cw status -s "$DEV" --json)" <<'PY'
import json, sys
rows = {r["session"]: r for r in json.loads(sys.argv[1])["sessions"]}
assert len(rows) == 4, rows
for arg in sys.argv[2:]:
    st = json.loads(arg)
    r = rows[st["session"]]
    assert (r["met"], r["total"]) == (st["progress"]["met"], st["progress"]["total"]), (r, st["progress"])
    assert r["phase"] == st["phase"]["id"] and r["status"] == st["status"], r
PY
	run cw report --student Ben --format json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [r["student"] for r in d["sessions"]] == ["Ben"], d["sessions"]
assert d["summary"]["sessions"] == 1
assert d["summary"]["most_refused"] == {"checkpoint": "risk-level", "count": 2}, d["summary"]
' "$output"
	run cw report --case "$GERON" --format json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [r["student"] for r in d["sessions"]] == ["Dev"], d["sessions"]
assert d["summary"]["most_refused"] is None, d["summary"]
' "$output"
}

@test "report: mean rubric scores per phase.criterion, or per phase, and feedback counts" {
	setup_cohort
	cw --as Dr.Lee feedback -s "$CLEO" --phase assessment --score 3 --criterion analysis "Clear needs"
	cw --as Ms.Kay feedback -s "$CLEO" --event 16 --score 2 --criterion analysis "Rationale is thin"
	cw --as Dr.Lee feedback -s "$CLEO" --phase exploration --score 4 "Open questions throughout"
	cw --as Dr.Lee feedback -s "$CLEO" --phase exploration "No score on this one"
	cw --as Dr.Lee feedback -s "$ANA" --phase termination --score 4 --criterion closure "A planned ending"
	run cw report --format json
	[ "$status" -eq 0 ]
	python3 - "$output" <<'PY'
import json, sys
rows = {r["student"]: r for r in json.loads(sys.argv[1])["sessions"]}
assert rows["Cleo"]["scores"] == {"assessment.analysis": 2.5, "exploration": 4}, rows["Cleo"]["scores"]
assert rows["Cleo"]["feedback"] == 4, rows["Cleo"]["feedback"]
assert rows["Ana"]["scores"] == {"termination.closure": 4}, rows["Ana"]["scores"]
assert rows["Ana"]["feedback"] == 1
assert rows["Ben"]["scores"] == {} and rows["Ben"]["feedback"] == 0
PY
}

@test "report summary: sessions that reached each phase count the phases actually visited" {
	setup_cohort
	run cw report --format json
	[ "$status" -eq 0 ]
	# Dev went from preparation straight to termination: he reached those two only
	python3 - "$output" <<'PY'
import json, sys
s = json.loads(sys.argv[1])["summary"]
assert s["sessions"] == 4, s
want = {"preparation": 4, "introduction": 3, "exploration": 3, "assessment": 3,
        "goal-setting": 2, "intervention": 2, "evaluation": 2, "termination": 2}
assert s["reached"] == want, ("reached", s["reached"], "expected", want)
PY
	run cw report --case "$SCHOOL" --format json
	python3 - "$output" <<'PY'
import json, sys
s = json.loads(sys.argv[1])["summary"]
want = {"preparation": 3, "introduction": 3, "exploration": 3, "assessment": 3,
        "goal-setting": 2, "intervention": 2, "evaluation": 2, "termination": 1}
assert s["sessions"] == 3 and s["reached"] == want, s
PY
}

@test "report summary: the most refused checkpoint and the median seconds per phase" {
	setup_cohort
	run cw report --format json
	[ "$status" -eq 0 ]
	python3 - "$output" <<'PY'
import json, statistics, sys
d = json.loads(sys.argv[1])
s = d["summary"]
assert s["most_refused"] == {"checkpoint": "risk-level", "count": 2}, s["most_refused"]
med = s["median_seconds"]
for phase in ["preparation", "introduction", "exploration", "assessment",
              "goal-setting", "intervention", "evaluation", "termination"]:
    times = [r["seconds"][phase] for r in d["sessions"] if phase in r["seconds"]]
    assert times, phase
    assert abs(med[phase] - statistics.median(times)) < 1e-6, (phase, med[phase], times)
PY
	run cw report
	[[ "$output" == *"risk-level (2 times)"* ]] || [[ "$output" == *"risk-level"*"2"* ]]
}

@test "report --format csv: RFC 4180, CRLF, strict csv parse, same values as the JSON" {
	setup_cohort
	cw --as Dr.Lee feedback -s "$CLEO" --phase assessment --score 3 --criterion analysis "Clear needs"
	cw --as Dr.Lee feedback -s "$BEN" --score 1 "Not yet"
	# a student name that needs quoting
	cw start "$GERON" --student 'Eve "Evie" Moss, Jr' >/dev/null
	cw report --format csv >"$BATS_TEST_TMPDIR/report.csv"
	cw report --format json >"$BATS_TEST_TMPDIR/report.json"
	python3 - "$BATS_TEST_TMPDIR/report.csv" "$BATS_TEST_TMPDIR/report.json" <<'PY'
import csv, json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), raw[-20:]
assert raw.count(b"\n") == raw.count(b"\r\n"), "a line ends without CR"
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f, strict=True))
head, body = rows[0], rows[1:]
assert len(set(head)) == len(head), head
assert all(len(r) == len(head) for r in rows), [len(r) for r in rows]
for k in ("session", "student", "case", "status", "phase", "reached", "met", "total",
          "goals", "interventions", "evaluations", "refused", "revisits",
          "terminated", "feedback", "achieved", "partial"):
    assert k in head, (k, head)
nota = "not_achieved" if "not_achieved" in head else "not-achieved"
assert nota in head, head
j = json.load(open(sys.argv[2]))["sessions"]
assert len(body) == len(j) == 5, (len(body), len(j))
secs = [h for h in head if h.startswith("seconds_")]
scores = [h for h in head if h.startswith("score_")]
assert len(secs) == 8, secs
# every criterion of the workflow (with its label), then scores on a
# phase alone
assert "score_assessment.analysis (Analysis and synthesis)" in scores, scores
assert scores[-1] == "score_assessment", scores
assert len(scores) == 23, scores
for r, jr in zip(body, j):
    c = dict(zip(head, r))
    for k in ("session", "student", "case", "status", "phase", "reached"):
        assert c[k] == jr[k], (k, c[k], jr[k])
    for k in ("met", "total", "goals", "interventions", "evaluations", "refused",
              "revisits", "feedback"):
        assert int(c[k]) == jr[k], (k, c[k], jr[k])
    for k, jk in (("achieved", "achieved"), ("partial", "partial"), (nota, "not-achieved")):
        assert int(c[k]) == jr["outcomes"][jk], (k, c[k], jr["outcomes"])
    assert c["terminated"] in (("yes", "true") if jr["terminated"] else ("no", "false")), c["terminated"]
    for h in secs:
        p = h[len("seconds_"):]
        if p in jr["seconds"]:
            assert abs(float(c[h]) - jr["seconds"][p]) < 0.01, (h, c[h], jr["seconds"][p])
        else:
            assert c[h] == "", (h, c[h])
    for h in scores:
        k = h[len("score_"):].split(" (")[0]
        if k in jr["scores"]:
            assert abs(float(c[h]) - jr["scores"][k]) < 1e-9, (h, c[h])
        else:
            assert c[h] == "", (h, c[h])
eve = [r for r in body if r[head.index("student")].startswith("Eve")]
assert eve and eve[0][head.index("student")] == 'Eve "Evie" Moss, Jr', eve
PY
	# the quoting is RFC 4180's: the field in double quotes, quotes doubled
	grep -qF ',"Eve ""Evie"" Moss, Jr",' "$BATS_TEST_TMPDIR/report.csv"
}

@test "report --case adds goals and outcomes side by side" {
	setup_cohort
	run cw report --case "$SCHOOL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Goals and outcomes, side by side"* ]]
	side=$(sed -n '/Goals and outcomes, side by side/,$p' <<<"$output")
	# the students of this case, each with the goals and their outcomes
	[[ "$side" == *"Ana"*"Ben"*"Cleo"* ]]
	[[ "$side" != *"Dev"* ]]
	ana=$(sed -n '/Ana/,/Ben/p' <<<"$side")
	cleo=$(sed -n '/Cleo/,$p' <<<"$side")
	grep -q 'G1.*Back to regular attendance.*achieved' <<<"$ana"
	grep -q 'G2.*Rebuild friendships.*not-achieved' <<<"$ana"
	grep -q 'G1.*Back to regular attendance.*partial' <<<"$cleo"
	grep -q 'G2.*Rebuild friendships.*achieved' <<<"$cleo"
	! grep -q 'G1.*not-achieved\|G1.*partial' <<<"$ana" || false
	! grep -q 'G[0-9]' <<<"$(sed -n '/Ben/,/Cleo/p' <<<"$side" | sed '$d')" || false
	# the session rows of the table are the case's only
	head=$(sed -n '1,/Goals and outcomes, side by side/p' <<<"$output")
	[[ "$head" == *"Ana"*"Ben"*"Cleo"* ]]
	[[ "$head" != *"Dev"* ]]
	# without --case there is no side-by-side section
	run cw report
	[ "$status" -eq 0 ]
	[[ "$output" != *"side by side"* ]]
}

@test "report: an unknown --format is a usage error (2)" {
	setup_cohort
	fails 2 report --format xml
	says "xml"
}
