#!/usr/bin/env bats
# Hand-in bundles: a student exports one file, an instructor imports and
# verifies it; any edit to the file is refused.

bats_require_minimum_version 1.5.0
load helpers

# make_bundle FILE - a walked, closed session with feedback, as a bundle
make_bundle() {
	start_session
	# the instructor's key signs the feedback; trust_it makes another
	# database trust it
	cw key init >/dev/null
	walk_to_close
	cw --as "Dr Lee" feedback -s "$SESSION" --phase assessment --score 3 --criterion analysis "Solid."
	cw export -s "${SESSION:0:8}" --format bundle -o "$1"
}

# trust_it - the database now named trusts the key of this test's config
trust_it() {
	cw init >/dev/null
	cw key trust "$(cw key show)" >/dev/null
}

@test "a handed-in bundle rebuilds the session elsewhere, with identical exports" {
	sqlite_only "a signed hand-in between files: a class server's feedback is the role's word, unsigned (server to file: tests/pg/security)"
	make_bundle "$BATS_TEST_TMPDIR/hand-in.json"
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/hand-in.json")" = 600 ]
	for f in json md csv html; do
		cw export -s "${SESSION:0:8}" --format $f >"$BATS_TEST_TMPDIR/mine.$f"
	done
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	trust_it
	run cw bundle import "$BATS_TEST_TMPDIR/hand-in.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "imported session $SESSION (Ana on $CASE, "*" events, head "* ]]
	run cw verify -s "${SESSION:0:8}"
	[ "$status" -eq 0 ]
	for f in json md csv html; do
		cw export -s "${SESSION:0:8}" --format $f >"$BATS_TEST_TMPDIR/theirs.$f"
		cmp "$BATS_TEST_TMPDIR/mine.$f" "$BATS_TEST_TMPDIR/theirs.$f"
	done
	# the same file again is a clear no-op
	run cw bundle import "$BATS_TEST_TMPDIR/hand-in.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "unchanged session $SESSION"* ]]
	run cw sessions --json
	[ "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))' <<<"$output")" -eq 1 ]
}

@test "a bundle that extends a session here appends what it adds; an older one is a no-op" {
	sqlite_only "a signed hand-in between files: a class server's feedback is the role's word, unsigned (server to file: tests/pg/security)"
	make_bundle "$BATS_TEST_TMPDIR/first.json"
	cw --as "Dr Lee" feedback -s "$SESSION" "A later comment."
	cw export -s "${SESSION:0:8}" --format bundle -o "$BATS_TEST_TMPDIR/later.json"
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	trust_it
	cw bundle import "$BATS_TEST_TMPDIR/first.json"
	n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["events"]))' "$BATS_TEST_TMPDIR/first.json")
	run cw bundle import "$BATS_TEST_TMPDIR/later.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 1 new events (Ana on $CASE, $((n + 1)) events, head "* ]]
	run cw verify -s "${SESSION:0:8}"
	[ "$status" -eq 0 ]
	run cw feedback list -s "${SESSION:0:8}"
	[[ "$output" == *"A later comment."* ]]
	# the same again, and the older hand-in, add nothing
	for f in later first; do
		unchanged_after cw bundle import "$BATS_TEST_TMPDIR/$f.json"
		[ "$status" -eq 0 ]
		[[ "$output" == "unchanged session $SESSION "* ]]
	done
}

@test "a bundle whose log went apart from the one here merges: each side keeps its part and gets the other's" {
	sqlite_only "a signed hand-in between files: a class server's feedback is the role's word, unsigned (server to file: tests/pg/security)"
	make_bundle "$BATS_TEST_TMPDIR/first.json"
	cw --as "Dr Lee" feedback "Written on the student's copy."
	cw export -s "${SESSION:0:8}" --format bundle -o "$BATS_TEST_TMPDIR/theirs.json"
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	trust_it
	cw bundle import "$BATS_TEST_TMPDIR/first.json"
	cw --as "Dr Lee" feedback -s "${SESSION:0:8}" "Written on the instructor's copy."
	n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["events"]))' "$BATS_TEST_TMPDIR/first.json")
	run cw bundle import "$BATS_TEST_TMPDIR/theirs.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "updated session $SESSION: 1 new events merged after 1 events of this side (Ana on $CASE, $((n + 2)) events, head "* ]]
	run cw verify -s "${SESSION:0:8}"
	[ "$status" -eq 0 ]
	run cw feedback list -s "${SESSION:0:8}"
	[[ "$output" == *"Written on the student's copy."* ]]
	[[ "$output" == *"Written on the instructor's copy."* ]]
	unchanged_after cw bundle import "$BATS_TEST_TMPDIR/theirs.json"
	[[ "$output" == "unchanged session $SESSION "* ]]
}

@test "every changed, dropped or reordered event of a bundle is refused" {
	make_bundle "$BATS_TEST_TMPDIR/b.json"
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	cw init >/dev/null
	n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["events"]))' "$BATS_TEST_TMPDIR/b.json")
	[ "$n" -ge 25 ]
	before=$(db_sum)
	for ((i = 0; i < n; i++)); do
		for how in change drop swap; do
			[ "$how" = swap ] && [ "$i" -eq $((n - 1)) ] && continue
			python3 - "$BATS_TEST_TMPDIR/b.json" "$BATS_TEST_TMPDIR/t.json" "$i" "$how" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
i, how = int(sys.argv[3]), sys.argv[4]
ev = b["events"]
if how == "change":
    ev[i]["payload"] = ev[i]["payload"].replace("}", ',"x":1}', 1)
elif how == "drop":
    del ev[i]
else:
    ev[i], ev[i + 1] = ev[i + 1], ev[i]
json.dump(b, open(sys.argv[2], "w"))
PY
			run cw bundle import "$BATS_TEST_TMPDIR/t.json"
			[ "$status" -eq 3 ] || { echo "$how of event $((i + 1)) was not refused: $output"; return 1; }
		done
	done
	# nothing of any of them was written
	[ "$(db_sum)" = "$before" ]
}

@test "a malformed bundle names the JSON path and changes nothing" {
	cw init >/dev/null
	printf '{"bundle_version": 1, "session": {}}' >"$BATS_TEST_TMPDIR/bad.json"
	unchanged_after cw bundle import "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 5 ]
	[[ "$output" == *"bad.json: \$.session.id: required field 'id' is missing [missing-field]"* ]]
	run cw bundle import "$BATS_TEST_TMPDIR/missing.json"
	[ "$status" -eq 4 ]
}

# make_two_bundles - two students' sessions on the sample case, each with
# a note, handed in as ana.json and ben.json; sets ANA and BEN
make_two_bundles() {
	start_session
	ANA=$SESSION
	cw -s "${ANA:0:8}" note "Ana's first note on the visit." >/dev/null
	cw export -s "${ANA:0:8}" --format bundle -o "$BATS_TEST_TMPDIR/ana.json"
	BEN=$(cw start "$CASE" --student Ben | head -n 1)
	cw -s "${BEN:0:8}" note "Ben's first note on the visit." >/dev/null
	cw export -s "${BEN:0:8}" --format bundle -o "$BATS_TEST_TMPDIR/ben.json"
	printf '{"bundle_version": 1, "session": {}}' >"$BATS_TEST_TMPDIR/bad.json"
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	cw init >/dev/null
}

# session_count - how many sessions the database holds
session_count() {
	cw sessions --json |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))'
}

@test "several bundles import in one command, one line and one transaction each" {
	make_two_bundles
	a="$BATS_TEST_TMPDIR/ana.json" b="$BATS_TEST_TMPDIR/ben.json"
	run --separate-stderr cw bundle import "$a" "$b"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == "$a: imported session $ANA (Ana on $CASE, "*" events, head "* ]]
	[[ "${lines[1]}" == "$b: imported session $BEN (Ben on $CASE, "*" events, head "* ]]
	[ -z "$stderr" ]
	[ "$(session_count)" -eq 2 ]
	cw verify --all >/dev/null
	# again: both are no-ops, each said so
	run --separate-stderr cw bundle import "$a" "$b"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "$a: unchanged session $ANA"* ]]
	[[ "${lines[1]}" == "$b: unchanged session $BEN"* ]]
	# --json: one entry per file, in order
	run --separate-stderr cw --json bundle import "$a" "$b"
	[ "$status" -eq 0 ]
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/out.json"
	python3 - "$a" "$b" "$ANA" "$BEN" "$BATS_TEST_TMPDIR/out.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[5]))
assert doc["schema_version"] == 1, doc
got = [(e["file"], e["ok"], e["session"], e["result"]) for e in doc["bundles"]]
want = [(sys.argv[1], True, sys.argv[3], "unchanged"),
        (sys.argv[2], True, sys.argv[4], "unchanged")]
assert got == want, got
PY
}

@test "a good bundle lands and a bad one beside it changes nothing" {
	make_two_bundles
	a="$BATS_TEST_TMPDIR/ana.json" bad="$BATS_TEST_TMPDIR/bad.json"
	# the bad file first: the good one after it is still imported
	run --separate-stderr cw bundle import "$bad" "$a"
	[ "$status" -eq 5 ]
	[[ "$output" == "$a: imported session $ANA (Ana on $CASE, "* ]]
	[[ "$stderr" == *"casework: $bad: \$.session.id: required field 'id' is missing [missing-field]"* ]]
	[[ "$stderr" == *"casework: 1 of 2 bundles imported; the failed one changed nothing" ]]
	[ "$(session_count)" -eq 1 ]
	cw verify -s "${ANA:0:8}" >/dev/null
	# the good one again (a no-op) and the bad one: nothing changes
	unchanged_after cw bundle import "$a" "$bad"
	[ "$status" -eq 5 ]
	# stdout and stderr together: each file's line in the order given
	[[ "${lines[0]}" == "$a: unchanged session $ANA"* ]]
	[[ "${lines[1]}" == "casework: $bad: \$.session.id: required field 'id' is missing"* ]]
}

@test "several failures: the exit code is the first one's, and --json lists each" {
	make_two_bundles
	a="$BATS_TEST_TMPDIR/ana.json" bad="$BATS_TEST_TMPDIR/bad.json"
	missing="$BATS_TEST_TMPDIR/missing.json"
	run --separate-stderr cw bundle import "$missing" "$bad" "$a"
	[ "$status" -eq 4 ]
	[[ "$output" == "$a: imported session $ANA"* ]]
	[[ "$stderr" == "casework: $missing: No such file or directory"* ]]
	[[ "$stderr" == *"casework: 1 of 3 bundles imported; each failed one changed nothing" ]]
	run --separate-stderr cw bundle import "$bad" "$missing"
	[ "$status" -eq 5 ]
	run --separate-stderr cw --json bundle import "$bad" "$BATS_TEST_TMPDIR/ben.json"
	[ "$status" -eq 5 ]
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/out.json"
	python3 - "$bad" "$BEN" "$BATS_TEST_TMPDIR/out.json" <<'PY'
import json, sys
bad, ben = json.load(open(sys.argv[3]))["bundles"]
assert bad["file"] == sys.argv[1] and bad["ok"] is False, bad
assert bad["exit"] == 5 and bad["problems"][0]["path"] == "$.session.id", bad
assert ben["ok"] is True and ben["session"] == sys.argv[2], ben
assert ben["result"] == "imported", ben
PY
	[ "$(session_count)" -eq 2 ]
}
