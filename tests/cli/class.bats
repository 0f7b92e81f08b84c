#!/usr/bin/env bats
# The class roster on a file: class add-student, add-instructor, list and
# remove keep names only (a class server also makes logins: tests/pg).

load helpers

# roster_sum - the roster's rows, with the rest of the database
roster_sum() {
	{ db_sum; sqlite3 "$CASEWORK_DB" "SELECT login, name, email, role,
		removed_at FROM roster ORDER BY login"; } | sha256sum
}

@test "class add-student and add-instructor put people on the roster; class list shows them with their sessions" {
	sqlite_only "the roster of a file (a server\'s logins: tests/pg/security)"
	cw init >/dev/null
	run cw class add-student ana --name "Ana Lima" --email ana@example.edu
	[ "$status" -eq 0 ]
	[ "$output" = "Added ana (Ana Lima) as student." ]
	run cw class add-student bob --name "Bob Reyes"
	[ "$status" -eq 0 ]
	run cw class add-instructor lee2 --name "Dr Lee's TA"
	[ "$status" -eq 0 ]
	# a file has no logins: no password, no URI
	run cw --json class add-student cleo --name "Cléo Ünal"
	[ "$status" -eq 0 ]
	python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["login"] == "cleo" and d["role"] == "student", d
assert d["name"] == "Cléo Ünal", d
assert "password" not in d and "uri" not in d, d
PY
	# ana starts a session (matched by --student), bob and cleo have none
	cw case import "$CASES/$CASE.json" >/dev/null
	cw start "$CASE" --student ana >/dev/null
	cw note "First look at the referral" >/dev/null
	run cw class list --json
	[ "$status" -eq 0 ]
	python3 - "$output" "$CASE" <<'PY'
import json, sys
people = {p["login"]: p for p in json.loads(sys.argv[1])["people"]}
assert sorted(people) == ["ana", "bob", "cleo", "lee2"], people
ana = people["ana"]
assert ana["email"] == "ana@example.edu" and ana["role"] == "student"
assert len(ana["sessions"]) == 1, ana
assert ana["sessions"][0]["case"] == sys.argv[2]
assert ana["sessions"][0]["phase"] == "preparation"
assert ana["last_activity"] == ana["sessions"][0]["updated_at"]
assert people["bob"]["sessions"] == [] and people["bob"]["last_activity"] is None
assert people["lee2"]["role"] == "instructor"
PY
	run cw class list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "LOGIN"*"ROLE"*"NAME"*"SESSIONS"*"LAST ACTIVITY" ]]
	[[ "$output" == *"bob "*"student"*"Bob Reyes"*" 0 "*"-"* ]]
	[[ "$output" == *"$CASE"*"preparation"*"open"* ]]
	[[ "$output" != *"ended early"* ]]
	# a session terminated early says so, in the list and its document
	cw terminate --reason "Maya's family moved away" >/dev/null
	run cw class list
	[[ "$output" == *"$CASE"*"termination"*"open (ended early)"* ]]
	run cw class list --json
	[[ "$output" == *'"ended_early":	"Maya'"'"'s family moved away"'* ]]
}

@test "class remove marks a person removed and keeps their sessions; adding them again brings them back" {
	sqlite_only "the roster of a file (a server\'s logins: tests/pg/security)"
	start_session
	cw class add-student Ana --name "Ana" 2>/dev/null && false
	cw class add-student ana --name "Ana Lima" >/dev/null
	cw start "$CASE" --student ana >/dev/null
	run cw class remove ana
	[ "$status" -eq 0 ]
	[ "$output" = "Removed ana from the class; their sessions are kept." ]
	run cw --json class list
	[[ "$output" == *'"removed_at":'* ]]
	# ana's session, and the test student Ana's: --student matches a name
	# whatever its case
	[ "$(cw sessions --student ana --json | grep -c '"session":')" -eq 2 ]
	run cw class list
	[[ "$output" == *"(removed)"* ]]
	# removed twice: not on the class any more
	run cw class remove ana
	[ "$status" -eq 4 ]
	[[ "$output" == "casework: no one with login 'ana' on the class"* ]]
	cw class add-student ana --name "Ana Lima" >/dev/null
	run cw --json class list
	[[ "$output" != *'"removed_at":'* ]]
}

@test "class commands refuse a bad login, a missing name, an unknown person, and change nothing" {
	sqlite_only "the roster of a file (a server\'s logins: tests/pg/security)"
	cw init >/dev/null
	cw class add-student ana --name "Ana" >/dev/null
	local before
	before=$(roster_sum)
	for login in "Ana" "ana lima" "a;DROP TABLE roster" "pg_admin" "casework_student" "" \
		"$(printf 'x%.0s' {1..64})"; do
		run cw class add-student "$login" --name "Someone"
		[ "$status" -eq 2 ]
		[[ "$output" == "casework: "*"login"* ]]
	done
	run cw class add-student eve
	[ "$status" -eq 2 ]
	[[ "$output" == "casework: class add-student needs --name NAME"* ]]
	run cw class add-student eve --name "Eve" --email "not-an-address"
	[ "$status" -eq 2 ]
	[[ "$output" == *"email"* ]]
	run cw class add-student eve --name "$(printf 'bad\001name')"
	[ "$status" -eq 2 ]
	run cw class remove nobody
	[ "$status" -eq 4 ]
	[ "$(roster_sum)" = "$before" ]
}

@test "an empty class says how to add students" {
	sqlite_only "the roster of a file (a server\'s logins: tests/pg/security)"
	cw init >/dev/null
	run cw class list
	[ "$status" -eq 0 ]
	[[ "$output" == "No one on the class yet."* ]]
	run cw --json class list
	[[ "$output" == *'"people":'*'[]'* ]]
}
