#!/usr/bin/env bats
# Hand-in bundles: a student exports one file, an instructor imports and
# verifies it; any edit to the file is refused.

load helpers

# make_bundle FILE - a walked, closed session with feedback, as a bundle
make_bundle() {
	start_session
	walk_to_close
	cw --as "Dr Lee" feedback --phase assessment --score 3 --criterion analysis "Solid."
	cw export -s "${SESSION:0:8}" --format bundle -o "$1"
}

@test "a handed-in bundle rebuilds the session elsewhere, with identical exports" {
	make_bundle "$BATS_TEST_TMPDIR/hand-in.json"
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/hand-in.json")" = 600 ]
	for f in json md csv html; do
		cw export -s "${SESSION:0:8}" --format $f >"$BATS_TEST_TMPDIR/mine.$f"
	done
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
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

@test "a bundle whose session id exists with other content is refused" {
	make_bundle "$BATS_TEST_TMPDIR/first.json"
	cw --as "Dr Lee" feedback "A later comment."
	cw export -s "${SESSION:0:8}" --format bundle -o "$BATS_TEST_TMPDIR/later.json"
	export CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db"
	cw bundle import "$BATS_TEST_TMPDIR/first.json"
	unchanged_after cw bundle import "$BATS_TEST_TMPDIR/later.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"already exists here with other content"* ]]
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
