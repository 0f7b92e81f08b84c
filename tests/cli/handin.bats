#!/usr/bin/env bats
# The instructor's loop offline: the student hands in a bundle, the
# instructor marks it with a signed score and hands it back, the student
# works on and hands in again.  Each side has its own database and its own
# config folder (where the instructor's private key lives).

bats_require_minimum_version 1.5.0
load helpers

# as_student / as_instructor CMD... - casework on that side's database
as_student() {
	CASEWORK_DB="$BATS_TEST_TMPDIR/student/casework.db" \
		XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/student-config" \
		"$CASEWORK" --as Ana "$@"
}
as_instructor() {
	CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db" \
		XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/instructor-config" \
		"$CASEWORK" --as "Dr Lee" "$@"
}

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
