#!/usr/bin/env bats
# The instructor's loop offline: the student hands in a bundle, the
# instructor marks it with a signed score and hands it back, the student
# works on and hands in again.  Each side has its own database and its own
# config folder (where the instructor's private key lives).

bats_require_minimum_version 1.5.0
load helpers


setup_sides() {
	as_instructor init >/dev/null
	as_instructor case import "$CASES/$CASE.json" >/dev/null
	as_instructor key init >/dev/null
	as_instructor key show >"$BATS_TEST_TMPDIR/lee.key"
	as_student init >/dev/null
	as_student case import "$CASES/$CASE.json" >/dev/null
	as_student key trust "$BATS_TEST_TMPDIR/lee.key" >/dev/null
	SESSION=$(as_student start "$CASE" --student Ana | head -n 1)
}

@test "key init keeps the private key owner-only outside the database, once" {
	as_instructor init >/dev/null
	run as_instructor key init
	[ "$status" -eq 0 ]
	key="$BATS_TEST_TMPDIR/instructor-config/casework/instructor.key"
	[ "$(stat -c %a "$key")" = 600 ]
	[ "$(stat -c %a "$(dirname "$key")")" = 700 ]
	line=$(as_instructor key show)
	[[ "$line" =~ ^casework-ed25519\ [0-9a-f]{64}\ Dr\ Lee$ ]]
	# the private half is in no table of the database
	! sqlite3 "$BATS_TEST_TMPDIR/instructor/casework.db" .dump | grep -q "$(head -c 64 "$key")"
	# the database trusts its own key
	[ "$(as_instructor key list)" = "$line" ]
	run as_instructor key init
	[ "$status" -eq 3 ]
	[[ "$output" == *"a key exists already"* ]]
	# a key others can read is refused, not used
	chmod 644 "$key"
	run as_instructor key show
	[ "$status" -eq 3 ]
	[[ "$output" == *"only its owner may read"* ]]
}

@test "key trust takes the line or a file holding it, and refuses anything else" {
	as_instructor init >/dev/null
	as_instructor key init >/dev/null
	line=$(as_instructor key show)
	as_student init >/dev/null
	run as_student key trust "$line"
	[ "$status" -eq 0 ]
	[[ "$output" == "trusted key "* ]]
	echo "$line" >"$BATS_TEST_TMPDIR/k"
	run as_student key trust "$BATS_TEST_TMPDIR/k"
	[[ "$output" == "already trusted: "* ]]
	run as_student key trust "casework-ed25519 nothex Dr Lee"
	[ "$status" -eq 2 ]
	[ "$(as_student key list)" = "$line" ]
}

@test "round trip: hand in, mark and hand back, work on, hand in again; each side verifies" {
	setup_sides
	as_student check case-file-reviewed "Read the referral and the school report." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	run as_instructor bundle import "$BATS_TEST_TMPDIR/in1.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "imported session $SESSION "* ]]
	[[ "$output" != *"left out"* ]]
	as_instructor verify -s "$SESSION" >/dev/null
	# the instructor marks it, signed with the key
	as_instructor feedback -s "$SESSION" --phase preparation "Name who referred her." >/dev/null
	as_instructor export -s "$SESSION" --format bundle -o "$BATS_TEST_TMPDIR/back1.json" >/dev/null
	run as_student bundle import "$BATS_TEST_TMPDIR/back1.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 1 new events "* ]]
	[[ "$output" != *"left out"* ]]
	as_student verify -s "$SESSION" >/dev/null
	run as_student feedback list
	[[ "$output" == *"Name who referred her."* ]]
	# the student works on and hands in again
	as_student objective add "Find out what changed at home this term" >/dev/null
	as_student check environment-arranged "Booked the quiet room by the library." >/dev/null
	as_student advance >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in2.json" >/dev/null
	run as_instructor bundle import "$BATS_TEST_TMPDIR/in2.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 3 new events "* ]]
	as_instructor verify -s "$SESSION" >/dev/null
	[ "$(as_instructor status -s "$SESSION" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["phase"]["id"])')" = introduction ]
	# the feedback counts on both sides, once
	run as_instructor feedback list -s "$SESSION"
	[ "$(grep -c "Name who referred her." <<<"$output")" -eq 1 ]
	# and the same hand-in again changes nothing
	run as_instructor bundle import "$BATS_TEST_TMPDIR/in2.json"
	[[ "$output" == "unchanged session $SESSION "* ]]
}

@test "a score the student gave themselves, signed with their own key or not at all, is left out" {
	setup_sides
	as_student key init >/dev/null # the student's own key: not the instructor's
	as_student --as "Dr Lee" feedback --score 4 "Signed by the student's key." >/dev/null
	rm "$BATS_TEST_TMPDIR/student-config/casework/instructor.key"
	as_student --as "Dr Lee" feedback --score 4 "Not signed at all." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/forged.json" >/dev/null
	run as_instructor bundle import "$BATS_TEST_TMPDIR/forged.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"left out event 2 (feedback.added by Dr Lee at "*"not signed by a key this database trusts"* ]]
	[[ "$output" == *"left out event 3 (feedback.added by Dr Lee at "* ]]
	run as_instructor feedback list -s "$SESSION"
	[[ "$output" != *"Signed by the student"* ]]
	[[ "$output" != *"Not signed at all"* ]]
	# no score reaches the instructor's report or export
	as_instructor report --json | python3 -c 'import json, sys
row = json.load(sys.stdin)["sessions"][0]
assert row["scores"] == {} and row["feedback"] == 0, row'
	for how in "log" "log --json" "export --format json" "export --format md"; do
		run as_instructor $how -s "$SESSION"
		[ "$status" -eq 0 ]
		[[ "$output" != *"Signed by the student"* && "$output" != *"Not signed at all"* ]] || {
			echo "$how shows a left-out act"
			return 1
		}
	done
	run as_instructor export -s "$SESSION" --format json
	[[ "$output" != *"Signed by the student"* ]]
	[[ "$output" != *"Not signed at all"* ]]
	as_instructor verify -s "$SESSION" >/dev/null
	# the instructor's own score, made later and handed back, still counts
	as_instructor feedback -s "$SESSION" --score 2 "Too early to tell." >/dev/null
	run as_instructor feedback list -s "$SESSION"
	[[ "$output" == *"Too early to tell."* ]]
}

@test "a hand-back imported before the instructor's key is trusted counts once the key is" {
	as_instructor init >/dev/null
	as_instructor case import "$CASES/$CASE.json" >/dev/null
	as_instructor key init >/dev/null
	as_instructor key show >"$BATS_TEST_TMPDIR/lee.key"
	# the student trusts no key yet
	as_student case import "$CASES/$CASE.json" >/dev/null
	SESSION=$(as_student start "$CASE" --student Ana | head -n 1)
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in.json" >/dev/null
	as_instructor bundle import "$BATS_TEST_TMPDIR/in.json" >/dev/null
	as_instructor feedback -s "$SESSION" --phase preparation --score planning=3 "Name who referred her." >/dev/null
	as_instructor export -s "$SESSION" --format bundle -o "$BATS_TEST_TMPDIR/back.json" >/dev/null
	run as_student bundle import "$BATS_TEST_TMPDIR/back.json"
	[[ "$output" == *"left out event 2 (feedback.added by Dr Lee"* ]]
	run as_student feedback list
	[[ "$output" != *"Name who referred her."* ]]
	# trusting the key later: the act already in the log counts now
	run as_student key trust "$BATS_TEST_TMPDIR/lee.key"
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 instructor act it signed, left out when imported, now counts."* ]]
	run as_student feedback list
	[[ "$output" == *"score 3 on planning: Name who referred her."* ]]
	as_student verify -s "$SESSION" >/dev/null
	# trusting it again recounts nothing
	run as_student key trust "$BATS_TEST_TMPDIR/lee.key"
	[[ "$output" == "already trusted:"* ]]
	[[ "$output" != *"now count"* ]]
}

@test "key trust on a fresh machine makes the database, as the README's first step for a student" {
	as_instructor init >/dev/null
	as_instructor key init >/dev/null
	as_instructor key show >"$BATS_TEST_TMPDIR/lee.key"
	[ ! -e "$BATS_TEST_TMPDIR/student/casework.db" ]
	run as_student key trust "$BATS_TEST_TMPDIR/lee.key"
	[ "$status" -eq 0 ]
	[ -e "$BATS_TEST_TMPDIR/student/casework.db" ]
	run as_student key list
	[[ "$output" == *"Dr Lee"* ]]
}

# rechain FILE FROM [PYTHON...] - rewrite the bundle FILE: run the Python
# statements on `b` (the parsed bundle), then recompute the hash chain from
# event index FROM on (as anyone holding the file can), so that only
# what a merge checks can catch the change
rechain() {
	python3 - "$@" <<'PY'
import hashlib, json, sys
path, start, code = sys.argv[1], int(sys.argv[2]), "\n".join(sys.argv[3:])
b = json.load(open(path))
exec(code)
def h(fields):
    d = hashlib.sha256()
    for f in fields:
        raw = f.encode()
        d.update(len(raw).to_bytes(8, "big"))
        d.update(raw)
    return d.hexdigest()
ev = b["events"]
for i in range(start, len(ev)):
    e = ev[i]
    e["prev"] = ev[i - 1]["hash"] if i else "0" * 64
    e["hash"] = h([b["session"]["id"], str(e["seq"]), e["at"], e["actor"],
                   e["phase"], e["type"], e["payload"], e["prev"]])
b["head"] = ev[-1]["hash"]
json.dump(b, open(path, "w"))
PY
}

# score_of SIDE KEY - the score KEY ("phase.criterion") of the only
# session in SIDE's report, or "none"
score_of() {
	"$1" report --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["sessions"][0]["scores"].get(sys.argv[1], "none"))' "$2"
}

# verified SIDE - the session verifies on that side
verified() {
	run "$1" verify -s "$SESSION"
	[ "$status" -eq 0 ] || {
		echo "verify on the $1 side: $output"
		return 1
	}
}

@test "any order: both sides work on after a hand-in, each gets the other's part, and again adds nothing" {
	setup_sides
	as_student check case-file-reviewed "Read the referral and the school report." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	as_instructor bundle import "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	# the student keeps working after handing in ...
	as_student objective add "Find out what changed at home this term" >/dev/null
	as_student note "Her brother walks her to school on Mondays." >/dev/null
	# ... while the instructor marks the hand-in: feedback and a score
	as_instructor feedback -s "$SESSION" --phase preparation "Name who referred her." >/dev/null
	as_instructor feedback -s "$SESSION" --phase assessment --criterion analysis --score 3 "Clear so far." >/dev/null
	verified as_student
	verified as_instructor
	[ "$(score_of as_instructor assessment.analysis)" = 3 ]
	as_instructor export -s "$SESSION" --format bundle -o "$BATS_TEST_TMPDIR/back1.json" >/dev/null
	# the hand-back merges: the student gets the two acts after their two
	# new events, and keeps those
	run as_student bundle import "$BATS_TEST_TMPDIR/back1.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 2 new events merged after 2 events of this side (Ana on $CASE, 6 events, head "* ]]
	[[ "$output" != *"left out"* ]]
	verified as_student
	run as_student log
	[[ "$output" == *"Name who referred her."* ]]
	[[ "$output" == *"Her brother walks her to school on Mondays."* ]]
	run as_student status
	[[ "$output" == *"Find out what changed at home this term"* || "$output" == *"objective"* ]]
	run as_student feedback list
	[[ "$output" == *"Clear so far."* ]]
	# the student hands in again, with one more step
	as_student check environment-arranged "Booked the quiet room by the library." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in2.json" >/dev/null
	run as_instructor bundle import "$BATS_TEST_TMPDIR/in2.json" --json
	[ "$status" -eq 0 ]
	# only the student's three events are new: the two acts are here already
	python3 -c 'import json, sys
d = json.load(sys.stdin)
assert (d["result"], d["new_events"], d["merged_after"], d["events"], d["left_out"]) == ("updated", 3, 2, 7, []), d' <<<"$output"
	python3 "$CASEWORK_TOP/tests/cli/check_json.py" "bundle import" <<<"$output"
	verified as_instructor
	run as_instructor feedback list -s "$SESSION"
	[ "$(grep -c "Name who referred her." <<<"$output")" -eq 1 ]
	[ "$(score_of as_instructor assessment.analysis)" = 3 ]
	run as_instructor log -s "$SESSION" --json
	[[ "$output" == *"Booked the quiet room by the library."* ]]
	[[ "$output" == *"Her brother walks her to school on Mondays."* ]]
	# the two logs hold the same events, each in its own order
	for side in as_student as_instructor; do
		"$side" export -s "$SESSION" --format bundle -o "$BATS_TEST_TMPDIR/$side.json" >/dev/null
	done
	python3 - "$BATS_TEST_TMPDIR/as_student.json" "$BATS_TEST_TMPDIR/as_instructor.json" <<'PY'
import json, sys
def events(path):
    return sorted((e["actor"], e["at"], e["type"], e["payload"]) for e in json.load(open(path))["events"])
a, b = events(sys.argv[1]), events(sys.argv[2])
assert len(a) == 7 and a == b, (a, b)
PY
	# repeating any exchange, in any order, adds nothing
	for f in in1 in2 back1; do
		run as_instructor bundle import "$BATS_TEST_TMPDIR/$f.json"
		[[ "$output" == "unchanged session $SESSION "* ]]
		run as_student bundle import "$BATS_TEST_TMPDIR/$f.json"
		[[ "$output" == "unchanged session $SESSION "* ]]
	done
	run as_student bundle import "$BATS_TEST_TMPDIR/as_instructor.json"
	[[ "$output" == "unchanged session $SESSION "* ]]
	run as_instructor bundle import "$BATS_TEST_TMPDIR/as_student.json"
	[[ "$output" == "unchanged session $SESSION "* ]]
	verified as_student
	verified as_instructor
}

@test "a score the student gave themselves, merged in after the instructor's, is left out and listed under its seq here" {
	setup_sides
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	as_instructor bundle import "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	as_instructor feedback -s "$SESSION" --phase assessment --criterion analysis --score 2 "Too early to tell." >/dev/null
	# the student's copy: a note, then a score "by Dr Lee" under their own key
	as_student key init >/dev/null
	as_student note "Called the school office." >/dev/null
	as_student --as "Dr Lee" feedback --phase assessment --criterion analysis --score 4 "Self-marked." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/forged.json" >/dev/null
	run as_instructor bundle import "$BATS_TEST_TMPDIR/forged.json"
	[ "$status" -eq 0 ]
	# here the forged act is event 4 (1 start, 2 the instructor's score,
	# 3 the note), not its 3 in the student's file
	[[ "$output" == "updated session $SESSION: 2 new events merged after 1 events of this side "* ]]
	[[ "$output" == *"left out event 4 (feedback.added by Dr Lee at "*"not signed by a key this database trusts"* ]]
	for how in "log" "log --json" "export --format json"; do
		run as_instructor $how -s "$SESSION"
		[ "$status" -eq 0 ]
		[[ "$output" != *"Self-marked."* ]]
	done
	[ "$(score_of as_instructor assessment.analysis)" = 2 ]
	run as_instructor feedback list -s "$SESSION"
	[[ "$output" != *"Self-marked."* ]]
	verified as_instructor
	# the same file again: nothing new, nothing listed again
	run as_instructor bundle import "$BATS_TEST_TMPDIR/forged.json"
	[[ "$output" == "unchanged session $SESSION "* ]]
	[[ "$output" != *"left out"* ]]
	[ "$(score_of as_instructor assessment.analysis)" = 2 ]
}

@test "an edited event among a merge's new ones is refused, and nothing is written" {
	setup_sides
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	as_instructor bundle import "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	as_instructor feedback -s "$SESSION" --phase preparation "Name who referred her." >/dev/null
	as_student note "Called the school office." >/dev/null
	as_student note "Spoke to the form tutor." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in2.json" >/dev/null
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	python3 - "$BATS_TEST_TMPDIR/in2.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
e = b["events"][-2]
e["payload"] = e["payload"].replace("school office", "head teacher")
json.dump(b, open(sys.argv[1], "w"))
PY
	unchanged_after as_instructor bundle import "$BATS_TEST_TMPDIR/in2.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"event 2 was changed after it was written"* ]]
	verified as_instructor
}

@test "a merge refuses what it cannot explain: another header, a first event that differs, a step that lands in another phase" {
	setup_sides
	as_student check case-file-reviewed "Read the referral and the school report." >/dev/null
	as_student objective add "Find out what changed at home this term" >/dev/null
	as_student check environment-arranged "Booked the quiet room by the library." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	as_instructor bundle import "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	as_instructor feedback -s "$SESSION" --phase preparation "Ready to go on." >/dev/null
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	# another student's name, in the header and the first event, the
	# chain made anew
	cp "$BATS_TEST_TMPDIR/in1.json" "$BATS_TEST_TMPDIR/other.json"
	rechain "$BATS_TEST_TMPDIR/other.json" 0 \
		'b["session"]["student"] = "Bo"' \
		'b["events"][0]["payload"] = b["events"][0]["payload"].replace("\"Ana\"", "\"Bo\"")'
	unchanged_after as_instructor bundle import "$BATS_TEST_TMPDIR/other.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"here is Ana's on $CASE"*"nothing was imported"* ]]
	# the same header, another first event
	cp "$BATS_TEST_TMPDIR/in1.json" "$BATS_TEST_TMPDIR/first.json"
	rechain "$BATS_TEST_TMPDIR/first.json" 0 \
		'b["events"][0]["at"] = b["events"][0]["at"][:20] + "999Z"' \
		'b["session"]["created_at"] = b["events"][0]["at"]'
	unchanged_after as_instructor bundle import "$BATS_TEST_TMPDIR/first.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"event 1 differs: here it is session.started by "*"nothing was imported"* ]]
	# the student advances in their file; the same advance was also
	# made on the instructor's copy: the student's would land in the
	# next phase, where it was not made
	as_student advance >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in2.json" >/dev/null
	as_instructor --as Ana advance -s "$SESSION" >/dev/null
	unchanged_after as_instructor bundle import "$BATS_TEST_TMPDIR/in2.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"the bundle's event 5 (phase.advanced by Ana at "*") was made in phase preparation, but after the events here the session is in introduction; nothing was imported"* ]]
	verified as_instructor
}

@test "on the class server: the instructor marks a file's hand-in, merges the student's later work, and next time gets only what is new" {
	on_pg || skip "class server only: the instructor on the server, the student on a file"
	lee() { cw --as "Dr Lee" "$@"; }
	cw --as "Dr Lee" init >/dev/null
	cw --as "Dr Lee" case import "$CASES/$CASE.json" >/dev/null
	as_student init >/dev/null
	as_student case import "$CASES/$CASE.json" >/dev/null
	SESSION=$(as_student start "$CASE" --student Ana | head -n 1)
	as_student check case-file-reviewed "Read the referral and the school report." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	run cw --as "Dr Lee" bundle import "$BATS_TEST_TMPDIR/in1.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "imported session $SESSION "* ]]
	# the instructor marks it on the server (the role's word) while the
	# student works on in their file
	cw --as "Dr Lee" feedback -s "$SESSION" --phase assessment --criterion analysis --score 3 "Clear so far." >/dev/null
	as_student objective add "Find out what changed at home this term" >/dev/null
	as_student note "Her brother walks her to school on Mondays." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in2.json" >/dev/null
	run cw --as "Dr Lee" bundle import "$BATS_TEST_TMPDIR/in2.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 2 new events merged after 1 events of this side (Ana on $CASE, 5 events, head "* ]]
	run cw --as "Dr Lee" verify -s "$SESSION"
	[ "$status" -eq 0 ]
	[ "$(score_of lee assessment.analysis)" = 3 ]
	# handed back to the file: the server's unsigned act is left out
	# there, the student's own work stays
	cw --as "Dr Lee" export -s "$SESSION" --format bundle -o "$BATS_TEST_TMPDIR/back.json" >/dev/null
	run as_student bundle import "$BATS_TEST_TMPDIR/back.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 1 new events merged after 2 events of this side "* ]]
	[[ "$output" == *"left out event 5 (feedback.added by Dr Lee at "* ]]
	verified as_student
	# the next hand-in brings only the new step
	as_student check environment-arranged "Booked the quiet room by the library." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in3.json" >/dev/null
	run cw --as "Dr Lee" bundle import "$BATS_TEST_TMPDIR/in3.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 1 new events merged after 3 events of this side (Ana on $CASE, 6 events, head "* ]]
	run cw --as "Dr Lee" verify -s "$SESSION"
	[ "$status" -eq 0 ]
	run cw --as "Dr Lee" bundle import "$BATS_TEST_TMPDIR/in3.json"
	[[ "$output" == "unchanged session $SESSION "* ]]
	[ "$(score_of lee assessment.analysis)" = 3 ]
}

@test "a merge whose log does not replay is refused, naming the bundle's event, and nothing is written" {
	setup_sides
	as_student check case-file-reviewed "Read the referral and the school report." >/dev/null
	as_student objective add "Find out what changed at home this term" >/dev/null
	as_student check environment-arranged "Booked the quiet room by the library." >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	as_instructor bundle import "$BATS_TEST_TMPDIR/in1.json" >/dev/null
	# on this copy the objective is struck; in the student's file they
	# advance, which needs it
	as_instructor --as Ana strike O1 -s "$SESSION" --reason "Written for the wrong family." >/dev/null
	as_student advance >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in2.json" >/dev/null
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	unchanged_after as_instructor bundle import "$BATS_TEST_TMPDIR/in2.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"the bundle's event 5 (phase.advanced by Ana at "*") does not follow the events here ("*"nothing was imported"* ]]
	verified as_instructor
}
