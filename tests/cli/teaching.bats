#!/usr/bin/env bats
# The program teaches: records a student can list, correct and strike;
# hints on the quality of the work; the rubric; the reflection; and the
# debrief once the session is closed.

load helpers

# hint_codes - "RECORD:CODE ..." of every hint status --json lists
hint_codes() {
	cw status --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for h in d["hints"]:
    assert set(h) == {"record", "code", "message"}, h
    assert h["message"], h
print(" ".join("%s:%s" % (h["record"], h["code"]) for h in d["hints"]))'
}

# checkpoint_met ID - "true" or "false" for a checkpoint of the phase
checkpoint_met() {
	cw status --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([c for c in d["checkpoints"] if c["id"] == sys.argv[1]][0]["met"] and "true" or "false")' "$1"
}

# to_termination - walk the sample case on to termination
to_termination() {
	cw terminate --reason "The family moved to another town." >/dev/null
}

@test "note list lists the notes and records nothing (it used to record a note 'list')" {
	start_session
	unchanged_after cw note list
	[ "$status" -eq 0 ]
	[[ "$output" == "No notes yet."* ]]
	[ "$(cw status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"]["notes"])')" = 0 ]
	run cw note --tag exploration "Mum works nights since the separation."
	[ "$status" -eq 0 ]
	[[ "$output" == "Noted N1 under exploration."* ]]
	cw note --tag strength "Close to her grandmother; loves art." >/dev/null
	run cw note list
	[ "$status" -eq 0 ]
	[[ "$output" == *"N1 [exploration]"*"Mum works nights"*"N2 [strength]"*"grandmother"* ]]
	run cw note list --tag strength
	[[ "$output" != *"N1"* ]]
	[[ "$output" == *"N2 [strength]"* ]]
	run cw note list --tag strenght
	[ "$status" -eq 4 ]
	[[ "$output" == *"did you mean 'strength'"* ]]
	run cw note list --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [r["id"] for r in d["records"]] == ["N1", "N2"], d
assert d["records"][0]["tags"] == ["exploration"], d' "$output"
}

@test "objective list and referral list name each record O1, R1" {
	start_session
	run cw objective add "Find out what changed at home this term"
	[[ "$output" == "Added O1."* ]]
	run cw objective list
	[ "$status" -eq 0 ]
	[[ "$output" == "O1"*"Find out what changed at home this term"* ]]
	unchanged_after cw referral list
	[[ "$output" == "No referrals yet."* ]]
	cw referral add "Young carers' group on Thursdays" >/dev/null
	run cw referral list --json
	[[ "$output" == *'"id":	"R1"'* ]]
}

@test "a note with two tags counts under each; an unknown tag changes nothing (4)" {
	start_session
	walk_to_assessment
	cw revisit exploration --reason "one more thing she said" >/dev/null
	unchanged_after cw note --tag exploration --tag strenght "She draws every evening with her gran."
	[ "$status" -eq 4 ]
	[[ "$output" == *"did you mean 'strength'"* ]]
	cw strike N4 --reason "the only strength note, to count the new one" >/dev/null
	[ "$(checkpoint_met strengths)" = false ]
	run cw note --tag exploration --tag strength "She draws every evening with her gran."
	[ "$status" -eq 0 ]
	[[ "$output" == "Noted N5 under exploration, strength."* ]]
	[ "$(checkpoint_met strengths)" = true ]
	cw status --json | grep -q '"have":	4'
}

@test "goal revise takes --measure alone; with neither text nor measure it is refused (2)" {
	start_session
	walk_to_assessment
	cw note --tag need "Needs a back-up for Mondays." >/dev/null
	cw choose risk-level low "No harm disclosed; attendance is the concern." >/dev/null
	cw advance >/dev/null
	cw goal add --term short --measure "better" "Back to regular attendance" >/dev/null
	run cw goal revise G1 --measure "attends 9 of 10 days by half-term"
	[ "$status" -eq 0 ]
	run cw goal list
	[[ "$output" == *"Back to regular attendance"*"measure: attends 9 of 10 days by half-term"* ]]
	# the log says what changed, with no empty text before it
	run cw log
	[[ "$output" == *"revised G1: measure: attends 9 of 10 days by half-term"* ]]
	cw goal revise G1 "Back to school every day" >/dev/null
	run cw log
	[[ "$output" == *"revised G1: Back to school every day"$'\n'* ]]
	unchanged_after cw goal revise G1
	[ "$status" -eq 2 ]
	[[ "$output" == *"a new text, a new measure (--measure), or both"* ]]
}

@test "correct: the log shows the original, then the correction with its reason; verify holds" {
	start_session
	cw note "Maya arrived early and sat by the door." >/dev/null
	cw check case-file-reviewed "Read the file: attendance fell in spring." >/dev/null
	run cw correct N1 "Maya arrived late and sat by the door." --reason "misread my own notes"
	[ "$status" -eq 0 ]
	run cw correct case-file-reviewed "Read the file: attendance fell after the move in March." --reason "wrong month"
	[ "$status" -eq 0 ]
	run cw log
	[[ "$output" == *"note N1: Maya arrived early"*"-> corrected at 4 (misread my own notes): Maya arrived late"* ]]
	[[ "$output" == *"confirmed case-file-reviewed: Read the file:"*"-> corrected at 5 (wrong month)"* ]]
	run cw note list
	[[ "$output" == *"Maya arrived late"*"first written: Maya arrived early"* ]]
	run cw log --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
ev = d["events"]
assert ev[1]["payload"]["text"] == "Maya arrived early and sat by the door.", ev[1]
c = ev[1]["corrections"][0]
assert c["seq"] == 4 and c["reason"] == "misread my own notes" and not c["struck"], c
assert ev[3]["type"] == "record.corrected", ev[3]' "$output"
	run cw verify
	[ "$status" -eq 0 ]
}

@test "correct and strike refuse what they cannot do, and change nothing" {
	start_session
	cw note "Maya arrived late and sat by the door." >/dev/null
	unchanged_after cw correct N9 "Some new words here." --reason "typo"
	[ "$status" -eq 4 ]
	[[ "$output" == "casework: no record 'N9' in this session"* ]]
	unchanged_after cw correct N1 "Some new words here."
	[ "$status" -eq 2 ]
	unchanged_after cw correct environment-arranged "Booked the quiet room by the library." --reason "x"
	[ "$status" -eq 4 ]
	[[ "$output" == *"has no statement yet"* ]]
	unchanged_after cw strike case-file-reviewed --reason "x"
	[ "$status" -eq 2 ]
	cw strike N1 --reason "wrong session" >/dev/null
	unchanged_after cw strike N1 --reason "again"
	[ "$status" -eq 3 ]
	unchanged_after cw correct N1 "Some new words here." --reason "x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"N1 was struck (wrong session)"* ]]
}

@test "striking a record a passed phase counted says which checkpoint no longer holds; one that costs nothing says nothing" {
	start_session
	cw check case-file-reviewed "Read the referral and the school report." >/dev/null
	cw objective add "Find out what changed at home this term" >/dev/null
	cw objective add "Learn who Maya trusts at school" >/dev/null
	cw check environment-arranged "Booked the quiet room by the library." >/dev/null
	cw advance >/dev/null
	# two objectives: one struck leaves the checkpoint met
	run cw strike O2 --reason "not an objective for this visit" --json
	[ "$status" -eq 0 ]
	[[ "$output" != *'"unmet"'* ]]
	# a lower-case name is echoed as the log spells it
	run cw strike o1 --reason "written for the wrong case"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Struck O1; no checkpoint counts it now." ]]
	[[ "${lines[1]}" == *"now unmet objectives (preparation): needs 1 objective, has 0" ]]
	[[ "${lines[2]}" == *'casework objective add "TEXT"' ]]
	run cw strike N1 --reason "again" --json
	[ "$status" -eq 4 ]
	cw objective add "Learn what Maya thinks of school" >/dev/null
	run cw strike O3 --reason "written for the wrong case" --json
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [(u["phase"], u["id"]) for u in d["unmet"]] == [("preparation", "objectives")], d
' "$output"
}

@test "a struck note no longer counts; a struck intervention no longer covers its goal" {
	start_session
	walk_to_assessment
	cw revisit exploration --reason "check the notes" >/dev/null
	[ "$(checkpoint_met exploration-notes)" = true ]
	run cw strike N2 --reason "written for another client"
	[ "$status" -eq 0 ]
	[[ "$output" == "Struck N2"* ]]
	[ "$(checkpoint_met exploration-notes)" = false ]
	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"exploration-notes"*"has 2"* ]]
	cw note --tag exploration "Her brother is six and starts at nine." >/dev/null
	cw advance >/dev/null
	cw note --tag need "Needs a back-up for Mondays." >/dev/null
	cw choose risk-level low "No harm disclosed; attendance is the concern." >/dev/null
	cw advance >/dev/null
	cw goal add --term short --measure "attends 9 of 10 days by half-term" "Back to regular attendance" >/dev/null
	cw check goals-agreed "Agreed in her words: be in on Mondays." >/dev/null
	cw advance >/dev/null
	cw intervention add G1 --type counseling "Weekly check-in on Mondays" >/dev/null
	[ "$(checkpoint_met goals-covered)" = true ]
	cw strike I1 --reason "never agreed with her" >/dev/null
	[ "$(checkpoint_met goals-covered)" = false ]
	run cw verify
	[ "$status" -eq 0 ]
}

@test "hint goal-not-measurable: a measure with nothing to count or see, and not one with a number" {
	start_session
	walk_to_assessment
	cw note --tag need "Needs a back-up for Mondays." >/dev/null
	cw choose risk-level low "No harm disclosed; attendance is the concern." >/dev/null
	cw advance >/dev/null
	run cw goal add --term short --measure "she feels better" "Back to school by half-term"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hint G1 (goal-not-measurable)"* ]]
	run cw goal add --term short --measure "attends 9 of 10 days" "Mondays at school by half-term"
	[[ "$output" != *"hint"* ]]
	[ "$(hint_codes)" = "G1:goal-not-measurable" ]
}

@test "hint goal-no-timeframe: neither goal nor measure says by when, and not when one does" {
	start_session
	walk_to_assessment
	cw note --tag need "Needs a back-up for Mondays." >/dev/null
	cw choose risk-level low "No harm disclosed; attendance is the concern." >/dev/null
	cw advance >/dev/null
	run cw goal add --term short --measure "attends 9 of 10 days" "Back to regular attendance"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hint G1 (goal-no-timeframe)"* ]]
	run cw goal add --term short --measure "attends 9 of 10 days within six weeks" "Mondays at school again"
	[[ "$output" != *"hint"* ]]
	[ "$(hint_codes)" = "G1:goal-no-timeframe" ]
	# revising the measure answers the hint
	cw goal revise G1 --measure "attends 9 of 10 days by the end of term" >/dev/null
	[ "$(hint_codes)" = "" ]
}

@test "hint too-short: a note or statement under five words, and not one of five" {
	start_session
	run cw note "a1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hint N1 (too-short)"* ]]
	run cw note "Maya sat by the door."
	[[ "$output" != *"hint"* ]]
	run cw check case-file-reviewed "Readfilereferralschoolreport."
	[[ "$output" == *"hint case-file-reviewed (too-short)"* ]]
	[ "$(hint_codes)" = "N1:too-short case-file-reviewed:too-short" ]
	# a correction answers it
	cw correct N1 "Maya came in quietly and sat by the door." --reason "a placeholder" >/dev/null
	[ "$(hint_codes)" = "case-file-reviewed:too-short" ]
}

@test "hint too-short: a goal, objective or intervention of one or two words, and not one of three" {
	start_session
	run cw objective add "a1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hint O1 (too-short): one or two words say little"* ]]
	walk_to_assessment
	cw note --tag need "Needs a back-up for Mondays." >/dev/null
	cw choose risk-level low "No harm disclosed; attendance is the concern." >/dev/null
	cw advance >/dev/null
	run cw goal add --term short --measure "m" "g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hint G1 (too-short)"* ]]
	[[ "$output" == *"hint G1 (goal-not-measurable)"* ]]
	run cw goal add --term short --measure "attends 9 of 10 days within six weeks" "Mondays at school"
	[[ "$output" != *"hint"* ]]
	[ "$(hint_codes)" = "O1:too-short G1:goal-not-measurable G1:goal-no-timeframe G1:too-short" ]
}

@test "hint repeated-text: the same text twice, and not two different texts" {
	start_session
	cw note "Maya sat by the door and said little." >/dev/null
	run cw note "Maya sat by the door and said little"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hint N2 (repeated-text): the same text as N1"* ]]
	run cw note "Maya sat at the front and spoke first."
	[[ "$output" != *"hint"* ]]
	[ "$(hint_codes)" = "N2:repeated-text" ]
	# the instructor sees them in the log and the report
	run cw log
	[[ "$output" == *"Hints on the work as it stands:"*"N2 (repeated-text)"* ]]
	run cw report --json
	[[ "$output" == *'"hints":	1'* ]]
	# hints never block: a struck repeat is no longer hinted
	cw strike N2 --reason "said twice" >/dev/null
	[ "$(hint_codes)" = "" ]
}

@test "guide shows the current phase's rubric; workflow show every phase's" {
	start_session
	run cw guide
	[ "$status" -eq 0 ]
	[[ "$output" == *"What good work looks like"*"Use of the case file (file-review)"*"4: "* ]]
	[[ "$output" != *"Closure (closure)"* ]]
	run cw guide --json
	[[ "$output" == *'"rubric":'*'"levels":'* ]]
	run cw workflow show
	[[ "$output" == *"Use of the case file (file-review)"*"Closure (closure)"*"Reflective practice (reflective-practice)"* ]]
	run cw workflow show --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert all(len(c["levels"]) == 4 for p in d["phases"] for c in p["rubric"]), d
assert all(p["rubric"] for p in d["phases"]), d' "$output"
}

@test "reflect: Gibbs' six stages at termination, each with guidance and 40 characters" {
	start_session
	unchanged_after cw reflect feelings "I felt unsure when she went quiet about home."
	[ "$status" -eq 3 ]
	[[ "$output" == *"stage 'feelings' belongs to phase 'termination'"* ]]
	to_termination
	run cw guide
	[[ "$output" == *"reflection"*"[ ] description"*"[ ] action-plan"* ]]
	unchanged_after cw reflect feelngs "I felt unsure when she went quiet about home."
	[ "$status" -eq 4 ]
	[[ "$output" == *"its stages: description, feelings, evaluation, analysis, conclusion, action-plan"* ]]
	unchanged_after cw reflect feelings "Unsure."
	[ "$status" -eq 2 ]
	[[ "$output" == *"at least 40 characters"* ]]
	for stage in description feelings evaluation analysis conclusion action-plan; do
		run cw reflect "$stage" "For $stage: what I saw, felt and will change next time."
		[ "$status" -eq 0 ]
		[[ "$output" == "Reflection: $stage written."* ]]
	done
	[ "$(checkpoint_met reflection)" = true ]
	run cw verify
	[ "$status" -eq 0 ]
}

@test "debrief: refused (3) before closing; after, the work beside the instructor notes and the rubric" {
	start_session
	cw note --tag exploration "Mum works nights since the separation." >/dev/null
	unchanged_after cw debrief
	[ "$status" -eq 3 ]
	[[ "$output" == *"once the session is closed"* ]]
	cw note --tag strength --tag observation "Lights up when she talks about art class." >/dev/null
	cw goal add --term short --measure "on time for 5 of the next 6 Mondays" "Mondays feel normal again" >/dev/null
	cw intervention add G1 --type counseling "Weekly check-in with her form tutor" >/dev/null
	cw evaluation add G1 --outcome partial "On time for four of the six Mondays" >/dev/null
	cw note "Written in the wrong session by mistake." >/dev/null
	cw strike N3 --reason "belongs to another student" >/dev/null
	cw correct G1 "Mondays feel normal again, as before" --reason "in her words" >/dev/null
	to_termination
	cw check progress-reviewed "Reviewed the attendance chart together." >/dev/null
	cw check next-steps "Gave her the young carers' group details." >/dev/null
	cw check closing-summary "Attendance back to 95% over four weeks." >/dev/null
	for stage in description feelings evaluation analysis conclusion action-plan; do
		cw reflect "$stage" "For $stage: what I saw, felt and will change next time." >/dev/null
	done
	cw advance >/dev/null
	run cw debrief
	[ "$status" -eq 0 ]
	[[ "$output" == *"Preparation (preparation)"*"N1 #exploration:"*"Mum works nights"*"What the case's author looked for:"* ]]
	[[ "$output" == *"reflection/feelings:"* ]]
	[[ "$output" == *"What good work looks like"* ]]
	# each record as the log tells it: tags, term and measure, goal and
	# type, goal and outcome, a strike and a correction
	[[ "$output" == *"    N2 #strength #observation: Lights up"* ]]
	[[ "$output" == *"    G1 (short term): Mondays feel normal again, as before"*"      measure: on time for 5 of the next 6 Mondays"*"      first written: Mondays feel normal again"* ]]
	[[ "$output" == *"    I1 for G1 (counseling): Weekly check-in with her form tutor"* ]]
	[[ "$output" == *"    E1 of G1 (partial): On time for four of the six Mondays"* ]]
	[[ "$output" == *"    N3 (struck): Written in the wrong session"*"      struck because: belongs to another student"* ]]
	# every reflection stage is in the exports, each under its own title
	run cw export --format md
	[[ "$output" == *"  - *Feelings:* For feelings: what I saw, felt and will change next time."* ]]
	[[ "$output" == *"  - *Action plan:* For action-plan: what I saw"* ]]
	run cw export --format html
	[[ "$output" == *"<dt>Analysis</dt><dd>For analysis: what I saw"* ]]
	cw export --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
said = {s["stage"]: s["text"] for p in d["phases"] for c in p["checkpoints"]
        if c["kind"] == "reflection" for s in c["statements"]}
assert len(said) == 6 and all(t.startswith("For %s:" % k) for k, t in said.items()), said'
	cw debrief --json | python3 "$CASEWORK_TOP/tests/cli/check_json.py" debrief
	cw note list --json | python3 "$CASEWORK_TOP/tests/cli/check_json.py" "note list"
	run cw debrief --json
	python3 - "$output" "$CASES/$CASE.json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
case = json.load(open(sys.argv[2]))
phases = {p["id"]: p for p in d["phases"]}
for pid, note in case["instructor_notes"].items():
    assert phases[pid]["instructor_notes"] == note, pid
assert phases["preparation"]["records"][0]["id"] == "N1"
records = {r["id"]: r for r in phases["preparation"]["records"]}
assert records["N2"]["tags"] == ["strength", "observation"], records["N2"]
g1 = records["G1"]
assert (g1["term"], g1["measure"], g1["original"]) == ("short", "on time for 5 of the next 6 Mondays", "Mondays feel normal again"), g1
assert (records["I1"]["goal"], records["I1"]["type"]) == ("G1", "counseling"), records["I1"]
assert (records["E1"]["goal"], records["E1"]["outcome"]) == ("G1", "partial"), records["E1"]
assert (records["N3"]["status"], records["N3"]["strike_reason"]) == ("struck", "belongs to another student")
assert all(len(c["levels"]) == 4 for p in d["phases"] for c in p["rubric"])
stages = [s["stage"] for s in phases["termination"]["statements"] if "stage" in s]
assert stages == ["description", "feelings", "evaluation", "analysis", "conclusion", "action-plan"], stages
PY
}
