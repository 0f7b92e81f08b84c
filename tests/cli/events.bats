#!/usr/bin/env bats
# Client events: a case that responds.  Validated by case validate and at
# start, fired once after the act that makes them due, printed, shown by
# status, guide, log and the exports, replayed so that verify holds; a
# checkpoint of an earlier phase that one reopens blocks advance, naming
# the event and the phase to revisit, and that revisit is allowed.

load helpers

STROKE=health-discharge-stroke

# case_with_events FILE EVENTS-JSON - the stroke case with other events
case_with_events() {
	python3 - "$CASES/$STROKE.json" "$1" "$2" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
case["id"] = "events-test"
case["events"] = json.loads(sys.argv[3])
json.dump(case, open(sys.argv[2], "w"))
PY
}

# walk_stroke_to_goal_setting - the current session, from preparation to
# goal-setting, meeting each checkpoint once
walk_stroke_to_goal_setting() {
	cw check case-file-reviewed "Read the ward notes and the therapists' advice." >/dev/null &&
	cw objective add "Hear what Lourdes wants for going home" >/dev/null &&
	cw check environment-arranged "Booked the day room and the picture board." >/dev/null &&
	cw advance >/dev/null &&
	cw check introduced-self "Introduced myself as the ward social worker." >/dev/null &&
	cw check purpose-explained "Explained we plan her discharge together." >/dev/null &&
	cw check confidentiality-explained "Explained what is shared with the team." >/dev/null &&
	cw advance >/dev/null &&
	cw note --tag exploration "She wants to go home, not to a care home." >/dev/null &&
	cw note --tag exploration "She worries about the stairs." >/dev/null &&
	cw note --tag exploration "Her husband has heart failure." >/dev/null &&
	cw note --tag strength "Thirty years a nurse; knows her own care." >/dev/null &&
	cw advance >/dev/null &&
	cw note --tag need "Needs help on the stairs and at night" >/dev/null &&
	cw choose risk-level medium "Stairs and a frail carer, but clear wishes." >/dev/null &&
	cw advance >/dev/null
}

@test "a client event fires once, after the record that makes it due, and is printed" {
	CASE=$STROKE
	start_session
	walk_stroke_to_goal_setting
	run cw goal add --term short --measure "walks the 24 steps with one helper by week 3" "Home"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Added G1." ]
	[[ "$output" == *"Client event! night-fall"* ]]
	[[ "$output" == *"the ward sister stops by"* ]]
	[[ "$output" == *"Reopened (to be met again): risk-level"* ]]
	[[ "$output" == *"Added: night-plan (to intervention)"* ]]
	# once: the next record fires nothing
	run cw check goals-agreed "Agreed her three words as the goals."
	[ "$status" -eq 0 ]
	[[ "$output" != *"Client event"* ]]
	[ "$(db_query "SELECT count(*) FROM events WHERE type = 'client.event'")" = 1 ]
	run cw verify
	[ "$status" -eq 0 ]
}

@test "a reopened checkpoint of an earlier phase blocks advance, naming the event and the phase" {
	CASE=$STROKE
	start_session
	walk_stroke_to_goal_setting
	cw goal add --term short --measure "walks the 24 steps with one helper by week 3" "Home" >/dev/null
	cw check goals-agreed "Agreed her three words as the goals." >/dev/null
	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"risk-level: reopened by client event 'night-fall'"* ]]
	[[ "$output" == *"revisit phase 'assessment' to meet it again"* ]]
	[[ "$output" == *'casework revisit assessment --reason "REASON"'* ]]
	run cw status --json
	python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["can_advance"] is False, d["can_advance"]
b = d["event_blockers"]
assert [(x["id"], x["event"], x["phase"]) for x in b] == [("risk-level", "night-fall", "assessment")], b
ev = d["client_events"]
assert [e["id"] for e in ev] == ["night-fall"], ev
assert ev[0]["reopen"] == [{"id": "risk-level", "phase": "assessment", "met": False}], ev[0]
assert ev[0]["add"] == [{"id": "night-plan", "phase": "intervention", "met": False}], ev[0]
assert "assessment" in d["revisit"], d["revisit"]
PY
	run cw status
	[[ "$output" == *"a client event left a checkpoint of an earlier phase open"* ]]
	[[ "$output" == *"Client event: night-fall (in goal-setting, event "* ]]
	# the old choice does not count: a new one after the event does
	cw revisit assessment --reason "The fall changes the risk." >/dev/null
	run cw status --json
	[[ "$output" == *'"reopened_by":	"night-fall"'* ]]
	cw choose risk-level high "A fall at night with a carer who cannot lift her." >/dev/null
	run cw advance
	[ "$status" -eq 0 ]
	run cw advance
	[ "$status" -eq 0 ]
	[[ "$output" == *"Advanced to intervention"* ]]
	# the added checkpoint is judged like the workflow's
	cw intervention add G1 --type coordination "Carers morning and evening" >/dev/null
	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"night-plan"* ]]
	cw check night-plan "Night sitter three nights a week; husband agreed." >/dev/null
	run cw advance
	[ "$status" -eq 0 ]
	[[ "$output" == *"Client event! carer-breakdown"* ]]
	run cw verify
	[ "$status" -eq 0 ]
	run cw log
	flat=$(tr '\n' ' ' <<<"$output" | tr -s ' ')
	[[ "$flat" == *"client event night-fall: As you write up the first goal"* ]]
	[[ "$flat" == *"[reopens risk-level] [adds night-plan to intervention]"* ]]
}

@test "a revisit no workflow allows is allowed while an event keeps a checkpoint there open" {
	case_with_events "$BATS_TEST_TMPDIR/case.json" '[{"id": "late-news",
		"when": {"phase": "intervention", "records": 0},
		"text": "The GP rings with news that changes the risk.",
		"reopen": ["risk-level"]}]'
	cw case import "$BATS_TEST_TMPDIR/case.json" >/dev/null
	cw start events-test --student Ana >/dev/null
	CASE=events-test
	walk_stroke_to_goal_setting
	cw goal add --term short --measure "walks the stairs by week 3" "Home" >/dev/null
	cw check goals-agreed "Agreed her three words as the goals." >/dev/null
	run cw advance
	[ "$status" -eq 0 ]
	[[ "$output" == *"Client event! late-news"* ]]
	# intervention may revisit only goal-setting, but the event opens assessment
	run cw revisit exploration --reason "no"
	[ "$status" -eq 3 ]
	run cw revisit assessment --reason "The GP's news."
	[ "$status" -eq 0 ]
	cw choose risk-level high "The GP's news raises the risk at home." >/dev/null
	cw advance >/dev/null
	cw advance >/dev/null
	run cw status --json
	[[ "$output" == *'"id":	"intervention"'* ]]
	# met again: the way back to assessment is closed as the workflow has it
	run cw revisit assessment --reason "again"
	[ "$status" -eq 3 ]
	[[ "$output" == *"may revisit only goal-setting"* ]]
	run cw verify
	[ "$status" -eq 0 ]
}

@test "an event with records 0 fires on entering its phase, also at start" {
	case_with_events "$BATS_TEST_TMPDIR/case.json" '[{"id": "at-the-door",
		"when": {"phase": "preparation", "records": 0},
		"text": "The ward rings before you begin."}]'
	cw case import "$BATS_TEST_TMPDIR/case.json" >/dev/null
	run cw start events-test --student Ana
	[ "$status" -eq 0 ]
	[[ "$output" == *"Client event! at-the-door"* ]]
	run cw start events-test --student Bo --json
	[[ "$output" == *'"client_events":'* ]]
	run cw guide
	[[ "$output" == *"Client event: at-the-door (in preparation, event 2)"* ]]
	run cw verify --all
	[ "$status" -eq 0 ]
}

@test "case validate checks events and names the JSON path" {
	for bad in \
		'[{"id": "x", "when": {"phase": "exploration", "records": -1}, "text": "t"}]|$.events[0].when.records' \
		'[{"id": "x", "when": {"phase": "nowhere"}, "text": "t"}]|$.events[0].when.phase' \
		'[{"id": "x", "when": {"phase": "exploration"}}]|$.events[0].text' \
		'[{"id": "x", "when": {"phase": "exploration"}, "text": "t", "reopen": ["Risk Level"]}]|$.events[0].reopen[0]' \
		'[{"id": "x", "when": {"phase": "exploration"}, "text": "t", "add": [{"phase": "exploration", "checkpoint": {"id": "c", "label": "l", "kind": "vote"}}]}]|$.events[0].add[0].checkpoint.kind' \
		'[{"id": "x", "when": {"phase": "exploration"}, "text": "t", "colour": "red"}]|$.events[0].colour' \
		'[{"id": "x", "when": {"phase": "exploration"}, "text": "t"}, {"id": "x", "when": {"phase": "assessment"}, "text": "u"}]|$.events[1].id'; do
		case_with_events "$BATS_TEST_TMPDIR/case.json" "${bad%|*}"
		run cw case validate "$BATS_TEST_TMPDIR/case.json"
		[ "$status" -eq 5 ] || { echo "accepted: ${bad%|*}"; return 1; }
		[[ "$output" == *"${bad#*|}"* ]] || { echo "$output"; return 1; }
	done
	case_with_events "$BATS_TEST_TMPDIR/case.json" '[{"id": "x", "when": {"phase": "exploration"}, "text": "t", "reopen": ["risk-level"], "add": [{"phase": "evaluation", "checkpoint": {"id": "c", "label": "l", "kind": "count", "record": "note", "tag": "observation", "min": 1}}]}]'
	run cw case validate "$BATS_TEST_TMPDIR/case.json"
	[ "$status" -eq 0 ]
}

@test "start refuses events that do not fit the workflow, with the JSON path, and writes nothing" {
	cw init >/dev/null
	for bad in \
		'[{"id": "x", "when": {"phase": "exploration"}, "text": "t", "reopen": ["risk-levl"]}]|$.events[0].reopen[0]: no checkpoint '"'"'risk-levl'"'" \
		'[{"id": "x", "when": {"phase": "exploration"}, "text": "t", "add": [{"phase": "exploration", "checkpoint": {"id": "needs", "label": "l", "kind": "confirm", "min_chars": 5}}]}]|$.events[0].add[0].checkpoint.id' \
		'[{"id": "x", "when": {"phase": "exploration"}, "text": "t", "add": [{"phase": "exploration", "checkpoint": {"id": "c", "label": "l", "kind": "count", "record": "note", "tag": "gossip", "min": 1}}]}]|$.events[0].add[0].checkpoint.tag'; do
		case_with_events "$BATS_TEST_TMPDIR/case.json" "${bad%|*}"
		cw case import --replace "$BATS_TEST_TMPDIR/case.json" >/dev/null
		unchanged_after cw start events-test --student Ana
		[ "$status" -eq 5 ] || { echo "started: ${bad%|*} ($output)"; return 1; }
		[[ "$output" == *"${bad#*|}"* ]] || { echo "$output"; return 1; }
	done
	# an unknown phase of the chosen workflow: the case names standard's
	# phases, which child-protection shares, so give one it lacks
	case_with_events "$BATS_TEST_TMPDIR/case.json" '[{"id": "x", "when": {"phase": "exploration"}, "text": "t", "reopen": ["child-seen"]}]'
	cw case import --replace "$BATS_TEST_TMPDIR/case.json" >/dev/null
	run cw start events-test --student Ana
	[ "$status" -eq 5 ]
	cw workflow import "$CASEWORK_TOP/examples/workflows/child-protection.json" >/dev/null
	run cw start events-test --student Ana --workflow child-protection
	[ "$status" -eq 0 ]
}

@test "client events are in every export, and a redacted one drops the alias from them" {
	CASE=$STROKE
	start_session
	walk_stroke_to_goal_setting
	cw goal add --term short --measure "walks the 24 steps with one helper by week 3" "Home" >/dev/null
	run cw export --format md
	[[ "$output" == *"- Client event night-fall (event "*"): As you write up"* ]]
	run cw export --format html
	[[ "$output" == *"Client event <strong>night-fall</strong>"* ]]
	run cw export --format json
	python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
ev = d["client_events"]
assert [(e["id"], e["phase"]) for e in ev] == [("night-fall", "goal-setting")], ev
assert ev[0]["reopen"] == [{"id": "risk-level", "phase": "assessment"}], ev
assert ev[0]["add"] == [{"id": "night-plan", "phase": "intervention"}], ev
PY
	run cw export --format json --redact
	[[ "$output" != *"Lourdes"* ]]
	run cw export --format csv
	[[ "${lines[0]}" == *",client_events,"* ]]
}

@test "the walk shows a client event when it fires and in the guide after" {
	cw case import "$CASES/$STROKE.json" >/dev/null
	run bash -c "printf '%s\n' \
		'check case-file-reviewed \"Read the ward notes and the advice.\"' \
		'objective add \"Hear what she wants\"' \
		'check environment-arranged \"Booked the day room for us.\"' \
		advance \
		'check introduced-self \"Introduced myself and my role.\"' \
		'check purpose-explained \"We plan her discharge together.\"' \
		'check confidentiality-explained \"What is shared with the team.\"' \
		advance \
		'note --tag exploration \"Wants to go home.\"' \
		'note --tag exploration \"Worries about the stairs.\"' \
		'note --tag exploration \"Husband has heart failure.\"' \
		'note --tag strength \"A nurse for thirty years.\"' \
		advance \
		'note --tag need \"Help at night\"' \
		'choose risk-level medium \"Stairs and a frail carer at home.\"' \
		advance \
		'goal add --term short --measure \"stairs with one helper by week 3\" Home' \
		guide quit | \"$CASEWORK\" $AS_TESTER walk $STROKE --student Ana 2>&1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Client event! night-fall"* ]]
	# inside a walk, suggestions have no 'casework' prefix
	[[ "$output" == *"See what it changes with 'status'."* ]]
	[[ "$output" == *"Client event: night-fall (in goal-setting, event "* ]]
}

@test "a case's client events stay hidden from the student until they fire; --full shows them" {
	cw case import "$CASES/$STROKE.json" >/dev/null
	run cw case show "$STROKE" --json
	[ "$status" -eq 0 ]
	[[ "$output" != *"night-fall"* ]]
	run cw case show "$STROKE"
	[[ "$output" != *"night-fall"* ]]
	run cw case show "$STROKE" --json --full
	[[ "$output" == *"night-fall"* ]]
}
