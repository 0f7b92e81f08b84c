#!/usr/bin/env bats
# The client events of the sample cases name phases and checkpoints that
# exist in the workflow each case is meant for.

load helpers

check() {
	python3 "$CASEWORK_TOP/tests/cli/check_case_events.py" "$@"
}

# a standard case with EVENTS (a JSON array) as its events
case_with() {
	python3 - "$CASES/school-refugee-year5.json" "$1" >"$BATS_TEST_TMPDIR/case.json" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
case["events"] = json.loads(sys.argv[2])
print(json.dumps(case))
PY
}

@test "every sample case's events fit its workflow, and the set has the promised turns" {
	run check --sample "$CASES"/*.json
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a sound event passes the checker" {
	case_with '[{"id": "e", "when": {"phase": "goal-setting", "records": 1}, "text": "t",
	  "reopen": ["risk-level"],
	  "add": [{"phase": "intervention", "checkpoint": {"id": "extra", "label": "l",
	    "kind": "confirm", "min_chars": 20, "help": "h"}}]}]'
	run check "$BATS_TEST_TMPDIR/case.json"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "the checker names the file and JSON path of each wrong event" {
	case_with '[{"id": "e", "when": {"phase": "goal-settings", "records": 1}, "text": "t",
	  "reopen": ["risk"]},
	 {"id": "f", "when": {"phase": "exploration", "records": -1}, "text": "",
	  "reopen": ["goals-covered"],
	  "add": [{"phase": "intervention", "checkpoint": {"id": "goals", "label": "l",
	    "kind": "approval", "help": "h"}},
	   {"phase": "interventions", "checkpoint": {"id": "x", "label": "l",
	    "kind": "confirm", "min_chars": 10, "help": "h"}}]}]'
	run check "$BATS_TEST_TMPDIR/case.json"
	[ "$status" -eq 1 ]
	f="$BATS_TEST_TMPDIR/case.json"
	[[ "$output" == *"$f: \$.events[0].when.phase: workflow 'standard' has no phase 'goal-settings'"* ]]
	[[ "$output" == *"$f: \$.events[0].reopen[0]: workflow 'standard' has no checkpoint 'risk'"* ]]
	[[ "$output" == *"$f: \$.events[1].when.records:"* ]]
	[[ "$output" == *"$f: \$.events[1].text:"* ]]
	[[ "$output" == *"$f: \$.events[1].reopen[0]: 'goals-covered' belongs to the later phase 'intervention'"* ]]
	[[ "$output" == *"$f: \$.events[1].add[0].checkpoint.id: 'goals' is already a checkpoint of phase 'goal-setting'"* ]]
	[[ "$output" == *"$f: \$.events[1].add[0].checkpoint.kind:"* ]]
	[[ "$output" == *"$f: \$.events[1].add[1].phase: workflow 'standard' has no phase 'interventions'"* ]]
	[[ "$output" == *"$f: \$.events[1].add[1].checkpoint.min_chars:"* ]]
	[ "$(wc -l <<<"$output")" -eq 9 ]
}

@test "a child-protection case is checked against both workflows it may be started with" {
	python3 - "$CASES/cp-anonymous-referral.json" >"$BATS_TEST_TMPDIR/cp.json" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
case.pop("workflow", None)
case["events"] = [{"id": "e", "when": {"phase": "evaluation", "records": 0},
                   "text": "t", "reopen": ["risk-reviewed"]}]
print(json.dumps(case))
PY
	run check "$BATS_TEST_TMPDIR/cp.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"\$.events[0].reopen[0]: workflow 'standard' has no checkpoint 'risk-reviewed'"* ]]
	[[ "$output" != *"workflow 'child-protection'"* ]]
}

@test "the sample promise fails when too few cases have events" {
	run check --sample "$CASES/school-refugee-year5.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"sample cases have events; at least six should"* ]]
	[[ "$output" == *"no sample case reopens a checkpoint of an earlier phase"* ]]
	[[ "$output" == *"no sample case adds a checkpoint to a later phase"* ]]
}
