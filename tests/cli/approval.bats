#!/usr/bin/env bats
# Sign-off: an approval checkpoint holds once an instructor granted the
# student's request.  The student asks (`approval request`), an instructor
# grants or returns it (signed with a key on a database file), `approval
# list` is the queue; advance waits for the grant; offline the request and
# the grant travel in bundles, and a grant no trusted key signed counts
# nowhere.

bats_require_minimum_version 1.5.0
load helpers

# signoff_workflow FILE - the standard workflow as "signoff" v1, whose
# preparation also asks for the interview plan to be signed off
signoff_workflow() {
	python3 - "$CASEWORK_TOP/examples/workflows/standard.json" "$1" <<'EOF'
import json, sys
w = json.load(open(sys.argv[1]))
w["id"], w["version"] = "signoff", 1
w["phases"][0]["checkpoints"].append({
    "id": "plan-signed-off", "label": "Interview plan signed off",
    "kind": "approval",
    "help": "Ask your instructor to look over the interview plan."})
json.dump(w, open(sys.argv[2], "w"))
EOF
}

# a session on the sample case with the signoff workflow, preparation met
# but for the sign-off
start_signoff() {
	signoff_workflow "$BATS_TEST_TMPDIR/signoff.json"
	cw init >/dev/null
	cw workflow import "$BATS_TEST_TMPDIR/signoff.json" >/dev/null
	cw case import "$CASES/$CASE.json" >/dev/null
	SESSION=$(cw start "$CASE" --student Ana --workflow signoff | head -n 1)
	cw check case-file-reviewed "Read the referral and the school report." >/dev/null
	cw objective add "Find out what changed at home this term" >/dev/null
	cw check environment-arranged "Booked the quiet room by the library." >/dev/null
}

# instructor CMD... - casework as the instructor, on the test's session
instructor() {
	cw --as Dr.Lee "$@" -s "$SESSION"
}

# approval_state - the sign-off's state as status --json gives it
approval_state() {
	cw status --json | python3 -c 'import json, sys
for cp in json.load(sys.stdin)["checkpoints"]:
    if cp["id"] == "plan-signed-off":
        print(cp["approval"]["state"], cp["met"])'
}

@test "request, list, grant: the checkpoint holds and says who granted it" {
	start_signoff
	on_pg || cw key init >/dev/null
	[ "$(approval_state)" = "not-requested False" ]
	run cw status
	[[ "$output" == *"plan-signed-off"*"not requested: ask an instructor to sign it off"* ]]
	[[ "$output" == *'casework approval request plan-signed-off "TEXT"'* ]]
	run cw approval request plan-signed-off "Please look at my objective."
	[ "$status" -eq 0 ]
	[[ "$output" == "Sign-off of plan-signed-off requested (event 5)."* ]]
	[ "$(approval_state)" = "requested False" ]
	run cw approval list --pending
	[ "$status" -eq 0 ]
	[[ "$output" == *"${SESSION:0:8} Ana"*"$CASE"*"plan-signed-off"*"requested"* ]]
	cw approval list --pending --json | python3 "$CASEWORK_TOP/tests/cli/check_json.py" "approval list"
	run instructor approval grant plan-signed-off "A clear aim for the meeting."
	[ "$status" -eq 0 ]
	[[ "$output" == "Signed off plan-signed-off (event 6)."* ]]
	[ "$(approval_state)" = "granted True" ]
	run cw status
	[[ "$output" == *"[x] plan-signed-off"* ]]
	[[ "$output" == *"granted by Dr.Lee: A clear aim for the meeting."* ]]
	# the queue: nothing pending, the whole list keeps it with the decision
	run cw approval list --pending
	[ "$output" = "No sign-off is waiting for a decision." ]
	run cw approval list --json
	python3 - "$output" <<'EOF'
import json, sys
items = json.loads(sys.argv[1])["approvals"]
assert len(items) == 1, items
a = items[0]
assert a["state"] == "granted" and a["decided_by"] == "Dr.Lee", a
assert a["request"] == "Please look at my objective." and a["requested_seq"] == 5, a
assert a["student"] == "Ana" and a["phase"] == "preparation", a
EOF
	cw approval list --json | python3 "$CASEWORK_TOP/tests/cli/check_json.py" "approval list"
	cw verify
}

@test "advance waits for the grant, naming the sign-off; then it passes" {
	start_signoff
	on_pg || cw key init >/dev/null
	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"plan-signed-off: not requested"* ]]
	cw approval request plan-signed-off "Ready for a look." >/dev/null
	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"plan-signed-off: requested by tester at "*"waiting for an instructor"* ]]
	instructor approval grant plan-signed-off "Fine." >/dev/null
	run cw advance
	[ "$status" -eq 0 ]
	[[ "$output" == "Advanced to introduction."* ]]
	# a closed phase's sign-off asks nothing more
	run cw approval request plan-signed-off "Again?"
	[ "$status" -eq 3 ]
	[[ "$output" == *"belongs to phase 'preparation'; the session is in 'introduction'"* ]]
}

@test "return asks for changes: the student asks again, then it can be granted" {
	start_signoff
	on_pg || cw key init >/dev/null
	cw approval request plan-signed-off "First go." >/dev/null
	run instructor approval return plan-signed-off "Add an objective about home."
	[ "$status" -eq 0 ]
	[[ "$output" == "Returned plan-signed-off for changes (event 6)"* ]]
	[ "$(approval_state)" = "returned False" ]
	run cw status
	[[ "$output" == *"returned by Dr.Lee: Add an objective about home.; make the changes and ask again"* ]]
	# no decision is pending now
	unchanged_after instructor approval grant plan-signed-off "Too soon."
	[ "$status" -eq 3 ]
	[[ "$output" == *"no sign-off of 'plan-signed-off' is pending"* ]]
	cw objective add "Ask what home is like in the mornings" >/dev/null
	cw approval request plan-signed-off "Added the objective about home." >/dev/null
	[ "$(approval_state)" = "requested False" ]
	instructor approval grant plan-signed-off "Better." >/dev/null
	[ "$(approval_state)" = "granted True" ]
	run cw log
	[[ "$output" == *"asked for sign-off of plan-signed-off: First go."* ]]
	[[ "$output" == *"returned plan-signed-off for changes: Add an"* ]]
	[[ "$output" == *"signed off plan-signed-off: Better."* ]]
	cw verify
}

@test "every refusal: exit code, message, and the database unchanged" {
	start_signoff
	# not an approval checkpoint
	unchanged_after cw approval request case-file-reviewed "Sign this?"
	[ "$status" -eq 3 ]
	[[ "$output" == "casework: checkpoint 'case-file-reviewed' is a confirm checkpoint, not an approval"* ]]
	# an unknown id, with the nearest
	unchanged_after cw approval request plan-signed-of "Sign this?"
	[ "$status" -eq 4 ]
	[[ "$output" == *"no checkpoint 'plan-signed-of' in workflow 'signoff'; did you mean 'plan-signed-off'?"* ]]
	# an empty text
	unchanged_after cw approval request plan-signed-off ""
	[ "$status" -ne 0 ]
	[[ "$output" == "casework: "* ]]
	# a decision with nothing asked
	on_pg || cw key init >/dev/null
	unchanged_after instructor approval grant plan-signed-off "Nothing to grant."
	[ "$status" -eq 3 ]
	[[ "$output" == *"no sign-off of 'plan-signed-off' is pending: the student asks first"* ]]
	unchanged_after instructor approval return plan-signed-off "Nothing to return."
	[ "$status" -eq 3 ]
	# asked twice
	cw approval request plan-signed-off "Please sign." >/dev/null
	unchanged_after cw approval request plan-signed-off "Please sign, again."
	[ "$status" -eq 3 ]
	[[ "$output" == *"sign-off of 'plan-signed-off' was already requested (event 5)"* ]]
	# a decision on a checkpoint that is no approval
	unchanged_after instructor approval grant objectives "Fine."
	[ "$status" -eq 3 ]
	# asked after the grant
	instructor approval grant plan-signed-off "Signed." >/dev/null
	unchanged_after cw approval request plan-signed-off "Once more."
	[ "$status" -eq 3 ]
	[[ "$output" == *"'plan-signed-off' is already signed off (event 6)"* ]]
	# the arguments
	run cw approval request plan-signed-off
	[ "$status" -eq 2 ]
}

@test "on a database file, granting needs a key: without one it is refused" {
	sqlite_only "the class server decides by role, not by key"
	start_signoff
	cw approval request plan-signed-off "Please sign." >/dev/null
	unchanged_after cw approval grant plan-signed-off "I sign my own."
	[ "$status" -eq 3 ]
	[[ "$output" == *"to grant a sign-off on a database file you need an instructor key"*"casework key init"* ]]
	unchanged_after cw approval return plan-signed-off "Send it back."
	[ "$status" -eq 3 ]
	[[ "$output" == *"to return a sign-off request on a database file you need an instructor key"* ]]
	[ "$(approval_state)" = "requested False" ]
	# with a key, the grant is signed
	cw key init >/dev/null
	cw approval grant plan-signed-off "Signed now." >/dev/null
	[ "$(db_query "SELECT count(*) FROM events WHERE type = 'approval.granted' AND payload LIKE '%\"signed\":%'")" -eq 1 ]
}

@test "log and every export say where the sign-off stands" {
	start_signoff
	on_pg || cw key init >/dev/null
	cw approval request plan-signed-off "Please sign." >/dev/null
	run cw export --format md
	[[ "$output" == *"(\`plan-signed-off\`): requested by tester at "* ]]
	instructor approval return plan-signed-off "Name the room." >/dev/null
	run cw export --format html
	[ "$status" -eq 0 ]
	[[ "$output" == *"returned by Dr.Lee: Name the room."* ]]
	cw approval request plan-signed-off "Room named." >/dev/null
	instructor approval grant plan-signed-off "Good." >/dev/null
	run cw export --format md
	[[ "$output" == *"- [x] Interview plan signed off (\`plan-signed-off\`): granted by Dr.Lee: Good."* ]]
	run cw export --format json
	python3 - "$output" <<'EOF'
import json, sys
doc = json.loads(sys.argv[1])
cps = {c["id"]: c for p in doc["phases"] for c in p["checkpoints"]}
a = cps["plan-signed-off"]["approval"]
assert a["state"] == "granted" and a["decided_by"] == "Dr.Lee" and a["decision"] == "Good.", a
assert cps["plan-signed-off"]["met"] is True
EOF
	cw export --format json | python3 "$CASEWORK_TOP/tests/cli/check_json.py" export
	run cw guide
	[[ "$output" == *"plan-signed-off"* ]]
	run cw log --json
	[[ "$output" == *'"type":	"approval.granted"'* ]]
}

@test "a workflow may hold approval checkpoints; the child-protection plan is signed off before intervention" {
	signoff_workflow "$BATS_TEST_TMPDIR/signoff.json"
	cw init >/dev/null
	run cw workflow validate "$BATS_TEST_TMPDIR/signoff.json"
	[ "$status" -eq 0 ]
	# a kind the engine does not know is still refused, naming approval
	sed 's/"approval"/"sign-off"/' "$BATS_TEST_TMPDIR/signoff.json" >"$BATS_TEST_TMPDIR/bad.json"
	run cw workflow validate "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 5 ]
	[[ "$output" == *"reflection or approval"* ]]
	run cw workflow show child-protection --json
	python3 - "$output" <<'EOF'
import json, sys
wf = json.loads(sys.argv[1])
gs = [p for p in wf["phases"] if p["id"] == "goal-setting"][0]
kinds = {c["id"]: c["kind"] for c in gs["checkpoints"]}
assert kinds.get("safety-plan-signed-off") == "approval", kinds
EOF
}

# ---- offline: each side its own database and config folder ------------------


# both sides know the signoff workflow and the case; the student trusts
# the instructor's key; the student's session has preparation met but for
# the sign-off
setup_sides() {
	signoff_workflow "$BATS_TEST_TMPDIR/signoff.json"
	for side in as_instructor as_student; do
		$side init >/dev/null
		$side workflow import "$BATS_TEST_TMPDIR/signoff.json" >/dev/null
		$side case import "$CASES/$CASE.json" >/dev/null
	done
	as_instructor key init >/dev/null
	as_instructor key show >"$BATS_TEST_TMPDIR/lee.key"
	as_student key trust "$BATS_TEST_TMPDIR/lee.key" >/dev/null
	SESSION=$(as_student start "$CASE" --student Ana --workflow signoff | head -n 1)
	as_student check case-file-reviewed "Read the referral and the school report." >/dev/null
	as_student objective add "Find out what changed at home this term" >/dev/null
	as_student check environment-arranged "Booked the quiet room by the library." >/dev/null
}

@test "offline: the student asks and hands in, the instructor grants and hands back, the student advances" {
	sqlite_only "two database files, one each side"
	setup_sides
	as_student approval request plan-signed-off "Please look at my plan." >/dev/null
	run as_student advance
	[ "$status" -eq 3 ]
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in.json" >/dev/null
	as_instructor bundle import "$BATS_TEST_TMPDIR/in.json" >/dev/null
	run as_instructor approval list --pending
	[[ "$output" == *"${SESSION:0:8} Ana"*"plan-signed-off"*"requested"* ]]
	as_instructor approval grant -s "$SESSION" plan-signed-off "A sound plan." >/dev/null
	as_instructor verify -s "$SESSION" >/dev/null
	as_instructor export -s "$SESSION" --format bundle -o "$BATS_TEST_TMPDIR/back.json" >/dev/null
	run as_student bundle import "$BATS_TEST_TMPDIR/back.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 1 new events"* ]]
	[[ "$output" != *"left out"* ]]
	run as_student status
	[[ "$output" == *"granted by Dr Lee: A sound plan."* ]]
	run as_student advance
	[ "$status" -eq 0 ]
	[[ "$output" == "Advanced to introduction."* ]]
	as_student verify >/dev/null
	# and the next hand-in carries the advance back to the instructor
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/in2.json" >/dev/null
	run as_instructor bundle import "$BATS_TEST_TMPDIR/in2.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 1 new events"* ]]
	as_instructor verify -s "$SESSION" >/dev/null
}

@test "offline: a grant the student signed with their own key is left out and does not hold" {
	sqlite_only "two database files, one each side"
	setup_sides
	as_student key init >/dev/null # the student's own key, not the instructor's
	as_student approval request plan-signed-off "Please look at my plan." >/dev/null
	as_student --as "Dr Lee" approval grant plan-signed-off "Granted by myself." >/dev/null
	# on the student's own file their own key counts, as for feedback
	[ "$(as_student status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["can_advance"])')" = True ]
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/forged.json" >/dev/null
	run as_instructor bundle import "$BATS_TEST_TMPDIR/forged.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"left out event 6 (approval.granted by Dr Lee at "*"not signed by a key this database trusts"* ]]
	as_instructor verify -s "$SESSION" >/dev/null
	# the instructor's database: still asked, not granted
	run as_instructor status -s "$SESSION"
	[[ "$output" == *"[ ] plan-signed-off"*"requested by Ana at "* ]]
	run as_instructor approval list --json
	python3 - "$output" <<'EOF'
import json, sys
items = json.loads(sys.argv[1])["approvals"]
assert len(items) == 1 and items[0]["state"] == "requested", items
assert "decided_by" not in items[0], items
EOF
	run as_instructor log -s "$SESSION"
	[[ "$output" != *"Granted by myself."* ]]
	run as_instructor export -s "$SESSION" --format json
	[[ "$output" != *"Granted by myself."* ]]
}

@test "offline: a hand-in that advanced on a self-signed grant is refused whole" {
	sqlite_only "two database files, one each side"
	setup_sides
	as_student key init >/dev/null
	as_student approval request plan-signed-off "Please look at my plan." >/dev/null
	as_student --as "Dr Lee" approval grant plan-signed-off "Granted by myself." >/dev/null
	as_student advance >/dev/null
	as_student export --format bundle -o "$BATS_TEST_TMPDIR/forged.json" >/dev/null
	before=$(sqlite3 "$BATS_TEST_TMPDIR/instructor/casework.db" "SELECT count(*) FROM events; SELECT count(*) FROM sessions; SELECT count(*) FROM settings")
	run as_instructor bundle import "$BATS_TEST_TMPDIR/forged.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"without the instructor acts no key this database trusts signed, the bundle's log does not replay (event 7 (phase.advanced) of session $SESSION does not replay): a step rests on them; nothing was imported"* ]]
	[ "$(sqlite3 "$BATS_TEST_TMPDIR/instructor/casework.db" "SELECT count(*) FROM events; SELECT count(*) FROM sessions; SELECT count(*) FROM settings")" = "$before" ]
	run as_instructor approval list
	[ "$status" -eq 0 ]
}
