#!/usr/bin/env bats
# grades.bats - scores and grades (DESIGN.md "Grades" and "Roles, identity
# and sign-off"): a score given again replaces, criteria have weights, the
# CSV columns do not move, and report --format grades is a gradebook CSV.

load helpers

# csv_strict FILE - the rows of FILE as Python's csv module reads it in
# strict mode, one repr per line; fails on a malformed file
csv_strict() {
	python3 -c '
import csv, sys
with open(sys.argv[1], newline="") as f:
    data = f.read()
assert data.endswith("\r\n"), "rows end with CRLF"
for row in csv.reader(data.splitlines(True), strict=True):
    print(repr(row))' "$1"
}

@test "feedback: a score given again replaces the earlier one; both stay in the log" {
	start_session
	cw --as DrLee -s "$(current_session)" feedback --phase assessment --score 2 --criterion analysis "A first look." >/dev/null
	cw --as DrLee -s "$(current_session)" feedback --phase assessment --score 3 --criterion analysis "Better on a second read." >/dev/null
	[ "$(cw report --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["sessions"][0]["scores"]["assessment.analysis"])')" = 3 ]
	[ "$(cw export --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["scores"]["assessment.analysis"], len(d["feedback"]))')" = "3 2" ]
	# another instructor's score is not replaced: the two are averaged
	cw --as DrKim -s "$(current_session)" feedback --phase assessment --score 2 --criterion analysis "I read it less kindly." >/dev/null
	[ "$(cw report --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["sessions"][0]["scores"]["assessment.analysis"])')" = 2.5 ]
	[ "$(cw feedback list --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["feedback"]))')" = 3 ]
}

@test "feedback --score CRITERION=N,...: several criteria of a phase in one event" {
	start_session
	run cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=3,risk-judgement=2 "Clear analysis; the risk call needs evidence."
	[ "$status" -eq 0 ]
	[ "$(cw log --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(sum(1 for e in d["events"] if e["type"] == "feedback.added"))')" = 1 ]
	[ "$(cw report --json | python3 -c 'import json, sys; s = json.load(sys.stdin)["sessions"][0]["scores"]; print(s["assessment.analysis"], s["assessment.risk-judgement"])')" = "3 2" ]
	# the student reads it once, with its scores, in feedback list and log
	cw --as DrLee -s "$(current_session)" feedback --phase assessment "Words only, after the scores." >/dev/null
	run cw feedback list
	[ "$(grep -c 'Clear analysis' <<<"$output")" -eq 1 ]
	[[ "$output" == *"score 3 on analysis, 2 on risk-judgement: Clear analysis"* ]]
	[ "$(cw log --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(len(d["feedback"]), sum(1 for e in d["events"] if e["type"] == "feedback.added" and "visit" in e))')" = "2 0" ]
	# each part is checked before anything is written
	unchanged_after cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=3,nope=2 "x"
	[ "$status" -eq 4 ]
	[[ "$output" == *"no criterion 'nope'"* ]]
	unchanged_after cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=5 "x"
	[ "$status" -eq 2 ]
	unchanged_after cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=3,analysis=2 "x"
	[ "$status" -ne 0 ]
	unchanged_after cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=3 --criterion analysis "x"
	[ "$status" -eq 2 ]
	cw verify >/dev/null
}

@test "workflow: a criterion's weight is a positive number, 1 when absent" {
	python3 - "$CASEWORK_TOP/examples/workflows/standard.json" "$BATS_TEST_TMPDIR" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["id"] = "weighted"
for ph in d["phases"]:
    for cr in ph.get("rubric", []):
        if cr["id"] == "analysis":
            cr["weight"] = 3
json.dump(d, open(sys.argv[2] + "/weighted.json", "w"))
for bad in (0, -1, "2"):
    for ph in d["phases"]:
        for cr in ph.get("rubric", []):
            if cr["id"] == "analysis":
                cr["weight"] = bad
    json.dump(d, open(sys.argv[2] + "/bad-%s.json" % str(bad).replace("-", "m").replace('"', ""), "w"))
PY
	cw workflow validate "$BATS_TEST_TMPDIR/weighted.json"
	for f in "$BATS_TEST_TMPDIR"/bad-*.json; do
		run cw workflow validate "$f"
		[ "$status" -eq 5 ]
		[[ "$output" == *'.weight'* ]]
	done
}

@test "report csv: every criterion of the workflow, in order, with labels, before and after scoring" {
	start_session
	cw report --format csv >"$BATS_TEST_TMPDIR/before.csv"
	cw export --format csv >"$BATS_TEST_TMPDIR/one-before.csv"
	cw --as DrLee -s "$(current_session)" feedback --phase termination --score closure=4 "Well closed." >/dev/null
	cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=2 "Thin." >/dev/null
	cw report --format csv >"$BATS_TEST_TMPDIR/after.csv"
	cw export --format csv >"$BATS_TEST_TMPDIR/one-after.csv"
	[ "$(csv_strict "$BATS_TEST_TMPDIR/before.csv" | head -n 1)" = "$(csv_strict "$BATS_TEST_TMPDIR/after.csv" | head -n 1)" ]
	[ "$(csv_strict "$BATS_TEST_TMPDIR/one-before.csv" | head -n 1)" = "$(csv_strict "$BATS_TEST_TMPDIR/after.csv" | head -n 1)" ]
	[ "$(csv_strict "$BATS_TEST_TMPDIR/one-after.csv" | head -n 1)" = "$(csv_strict "$BATS_TEST_TMPDIR/after.csv" | head -n 1)" ]
	python3 - "$BATS_TEST_TMPDIR/after.csv" "$CASEWORK_TOP/examples/workflows/standard.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline=""), strict=True))
wf = json.load(open(sys.argv[2]))
want = ["score_%s.%s (%s)" % (ph["id"], c["id"], c["label"]) for ph in wf["phases"] for c in ph.get("rubric", [])]
got = [h for h in rows[0] if h.startswith("score_")]
assert got == want, (got, want)
row = dict(zip(rows[0], rows[1]))
assert row[[h for h in got if h.startswith("score_assessment.analysis ")][0]] == "2"
assert row[[h for h in got if h.startswith("score_termination.closure ")][0]] == "4"
PY
}

@test "report --format grades: a row per student, a 0-100 column per case, stable columns" {
	cw case import "$CASES"/*.json >/dev/null
	cw start "$CASE" --student Ana >/dev/null
	walk_to_close
	ANA=$(cw sessions --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["sessions"][0]["session"])')
	cw start "$CASE" --student Ben >/dev/null
	cw report --format grades >"$BATS_TEST_TMPDIR/before.csv"
	csv_strict "$BATS_TEST_TMPDIR/before.csv" >"$BATS_TEST_TMPDIR/before.rows"
	cases=$(ls "$CASES"/*.json | wc -l)
	[ "$(head -n 1 "$BATS_TEST_TMPDIR/before.rows" | python3 -c 'import ast, sys; print(len(ast.literal_eval(sys.stdin.read())))')" -eq $((cases + 3)) ]
	head -n 1 "$BATS_TEST_TMPDIR/before.rows" | grep -qF "['Student', 'Login', 'Email', "
	head -n 1 "$BATS_TEST_TMPDIR/before.rows" | grep -qF "'$CASE (100)'"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/before.rows")" -eq 3 ]
	# scores on the closed session: the latest counts, weighted mean of 4
	cw --as DrLee -s "$ANA" feedback --phase assessment --score analysis=2,risk-judgement=2 "First read." >/dev/null
	cw --as DrLee -s "$ANA" feedback --phase assessment --score analysis=4 "On reflection, strong." >/dev/null
	# Ben's open session is not graded
	cw --as DrLee -s "$(current_session)" feedback --phase preparation --score planning=4 "Good plan." >/dev/null
	cw report --format grades >"$BATS_TEST_TMPDIR/after.csv"
	csv_strict "$BATS_TEST_TMPDIR/after.csv" >"$BATS_TEST_TMPDIR/after.rows"
	[ "$(head -n 1 "$BATS_TEST_TMPDIR/before.rows")" = "$(head -n 1 "$BATS_TEST_TMPDIR/after.rows")" ]
	python3 - "$BATS_TEST_TMPDIR/after.csv" "$CASE" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=""), strict=True))
by = {r["Student"]: r for r in rows}
assert list(by) == ["Ana", "Ben"], list(by)
# (4 + 2) / 2 = 3 of 4
assert by["Ana"][sys.argv[2] + " (100)"] == "75.0", by["Ana"]
assert by["Ben"][sys.argv[2] + " (100)"] == "", by["Ben"]
assert by["Ana"]["Login"] == "Ana"
assert all(v == "" for k, v in by["Ana"].items() if k.endswith("(100)") and not k.startswith(sys.argv[2]))
PY
}

@test "report --format grades: the roster's students have a row with their login and email, before their first session" {
	cw case import "$CASES/$CASE.json" >/dev/null
	cw class add-student ana --name "Ana Lima" --email ana@uni.example >/dev/null
	cw class add-student bo --name "Bo Chen" >/dev/null
	cw class add-student gone --name "Gone Away" >/dev/null
	cw class remove gone >/dev/null
	# a session names its student by login or by the roster's name,
	# whatever the case
	cw start "$CASE" --student Ana >/dev/null
	cw start "$CASE" --student "bo chen" >/dev/null
	# a student the roster does not know still gets a row
	cw start "$CASE" --student "Cy Dee" >/dev/null
	cw report --format grades >"$BATS_TEST_TMPDIR/g.csv"
	csv_strict "$BATS_TEST_TMPDIR/g.csv" >/dev/null
	python3 - "$BATS_TEST_TMPDIR/g.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=""), strict=True))
got = [(r["Student"], r["Login"], r["Email"]) for r in rows]
assert got == [("Ana Lima", "ana", "ana@uni.example"), ("Bo Chen", "bo", ""),
               ("Cy Dee", "Cy Dee", "")], got
PY
	# --student: that student's row alone
	[ "$(cw report --format grades --student "Cy Dee" | wc -l)" -eq 2 ]
	# class list counts each session for its student the same way
	[ "$(cw class list --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
people = d["people"] if isinstance(d, dict) else d
print(" ".join("%s=%d" % (p["login"], len(p["sessions"])) for p in people))')" = "ana=1 bo=1 gone=0" ]
}

@test "report --format grades: a criterion's weight counts" {
	python3 - "$CASEWORK_TOP/examples/workflows/standard.json" "$BATS_TEST_TMPDIR/weighted.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["id"] = "weighted"
for ph in d["phases"]:
    for cr in ph.get("rubric", []):
        if cr["id"] == "analysis":
            cr["weight"] = 3
json.dump(d, open(sys.argv[2], "w"))
PY
	cw workflow import "$BATS_TEST_TMPDIR/weighted.json" >/dev/null
	cw case import "$CASES/$CASE.json" >/dev/null
	cw start "$CASE" --student Ana --workflow weighted >/dev/null
	walk_to_close
	cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=4,risk-judgement=2 "Weighted." >/dev/null
	# (4 * 3 + 2 * 1) / 4 = 3.5 of 4
	[ "$(cw report --format grades | python3 -c 'import csv, sys; print(list(csv.DictReader(sys.stdin, strict=True))[0][sys.argv[1] + " (100)"])' "$CASE")" = 87.5 ]
}

@test "report: refusals per checkpoint, the class mean per criterion, early terminations" {
	start_session
	cw advance >/dev/null 2>&1 || true
	cw advance >/dev/null 2>&1 || true
	cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=2 "Thin." >/dev/null
	cw start "$CASE" --student Ben --new >/dev/null
	cw --as DrLee -s "$(current_session)" feedback --phase assessment --score analysis=3 "Clear." >/dev/null
	cw terminate --reason "The family moved out of the area." >/dev/null
	run cw report
	[ "$status" -eq 0 ]
	[[ "$output" == *"Refused advances by checkpoint:"* ]]
	grep -qE '^  case-file-reviewed +2$' <<<"$output"
	grep -qE '^  objectives +2$' <<<"$output"
	grep -qF '    assessment.analysis 2.5 (Analysis and synthesis)' <<<"$output"
	[ "$(grep -c 'ended early' <<<"$output")" -eq 2 ] # the row and the legend
	grep -E '^[0-9a-f]{8} Ben ' <<<"$output" | grep -q 'ended early$'
	! grep -E '^[0-9a-f]{8} Ana ' <<<"$output" | grep -q 'ended early'
	[ "$(cw report --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["summary"]["mean_scores"]["assessment.analysis"])')" = 2.5 ]
}
