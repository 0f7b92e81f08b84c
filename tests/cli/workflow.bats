#!/usr/bin/env bats
# Sample cases, guidance and workflow variants as data.

load helpers

@test "every sample case validates and walks through all eight phases" {
	local n=0
	cw case validate "$CASES"/*.json
	cw case import "$CASES"/*.json
	for f in "$CASES"/*.json; do
		id=$(basename "$f" .json)
		cw start "$id" --student "Student $n" >/dev/null
		walk_to_close
		run cw status --json
		[[ "$output" == *'"status":	"closed"'* ]]
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
	run cw verify --all
	[ "$status" -eq 0 ]
	[ "$(grep -c ': ok (' <<<"$output")" -eq "$n" ]
}

@test "sample cases span at least seven settings with material for every phase" {
	python3 - "$CASES" <<'PY'
import json, os, sys
d = sys.argv[1]
phases = ["preparation", "introduction", "exploration", "assessment",
          "goal-setting", "intervention", "evaluation", "termination"]
settings = set()
for f in sorted(os.listdir(d)):
    c = json.load(open(os.path.join(d, f)))
    settings.add(c["setting"])
    missing = [p for p in phases if p not in c["phases"]]
    assert not missing, (f, missing)
    assert len(c.get("instructor_notes", {})) >= 4, f
    assert c["phases"]["exploration"]["material"].count("\n\n") >= 1, f
assert len(settings) >= 7, settings
PY
}

@test "the case files and workflows match their JSON Schemas" {
	python3 - "$CASEWORK_TOP" <<'PY'
import json, glob, sys, jsonschema
top = sys.argv[1]
for kind, pattern in (("case", "examples/cases/*.json"),
                      ("workflow", "examples/workflows/*.json"),
                      ("workflow", "tests/fixtures/workflows/*.json")):
    schema = json.load(open(f"{top}/schemas/{kind}.schema.json"))
    for f in glob.glob(f"{top}/{pattern}"):
        jsonschema.Draft202012Validator(schema).validate(json.load(open(f)))
PY
}

@test "guide shows the phase's guidance, the case material and open checkpoints" {
	start_session
	run cw guide
	[ "$status" -eq 0 ]
	[[ "$output" == "Phase 1 of 8: Preparation"* ]]
	[[ "$output" == *"Tasks:"* ]]
	[[ "$output" == *"Questions you might ask:"* ]]
	[[ "$output" == *"The case: "* ]]
	[[ "$output" == *"[ ] objectives"* ]]
	[[ "$output" == *'casework objective add "TEXT"'* ]]
	# readable in 80 columns
	[ "$(awk '{ if (length($0) > 80) n++ } END { print n + 0 }' <<<"$output")" -eq 0 ]
}

@test "guide --phase looks ahead, and --json carries the same data" {
	start_session
	run cw guide --phase exploration
	[ "$status" -eq 0 ]
	[[ "$output" == "Phase 3 of 8: Exploration (not the current phase)"* ]]
	run cw guide --phase exploration --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["phase"]["id"] == "exploration" and not d["current"]
assert len(d["phase"]["tasks"]) >= 4 and len(d["phase"]["questions"]) >= 6
# a phase not reached yet: its guidance, not the case material
assert not d.get("material"), d.get("material")
assert [c["id"] for c in d["checkpoints"]] == ["exploration-notes", "strengths"]
' "$output"
	run cw guide --phase nowhere
	[ "$status" -eq 4 ]
	[[ "$output" == *"no phase 'nowhere'"* ]]
}

@test "the standard workflow's guidance has 2-3 sentence purposes, 4-6 tasks, 6+ questions" {
	start_session
	for p in preparation introduction exploration assessment goal-setting intervention evaluation termination; do
		run cw guide --phase "$p" --json
		python3 -c '
import json, re, sys
d = json.loads(sys.argv[1])["phase"]
sentences = [s for s in re.split(r"(?<=[.!?])\s+", d["purpose"].strip()) if s]
assert 2 <= len(sentences) <= 3, (d["id"], len(sentences))
assert 4 <= len(d["tasks"]) <= 6, d["id"]
assert len(d["questions"]) >= 6, d["id"]
' "$output"
	done
}

@test "re-importing a changed case is refused without --replace; sessions keep their text" {
	start_session
	sed 's/"title": "[^"]*"/"title": "A changed title"/' "$CASES/$CASE.json" >"$BATS_TEST_TMPDIR/$CASE.json"
	run cw case import "$BATS_TEST_TMPDIR/$CASE.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"already imported with other content; use --replace"* ]]
	run cw case import "$CASES/$CASE.json"
	[ "$output" = "unchanged $CASE  Falling attendance in Year 8" ] || [[ "$output" == "unchanged"* ]]
	run cw case import --replace "$BATS_TEST_TMPDIR/$CASE.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "replaced"* ]]
	run cw status --json
	[[ "$output" != *"A changed title"* ]]
	cw start "$CASE" >/dev/null
	run cw status --json
	[[ "$output" == *"A changed title"* ]]
}

@test "workflow list, show and validate" {
	run cw workflow list
	[ "$status" -eq 4 ]
	if on_pg; then
		# the server's database is there, its schema is not
		[[ "$output" == *"has no casework schema yet"*"casework init"* ]]
	else
		[[ "$output" == *"no database at"*"casework init"* ]]
	fi
	cw init
	run cw workflow list
	[ "$status" -eq 0 ]
	[[ "$output" == *"standard"*"Social case-work interview"* ]]
	run cw workflow show
	[ "$status" -eq 0 ]
	[[ "$output" == *"4. Assessment (assessment)  may revisit: exploration"* ]]
	[[ "$output" == *"goals-covered"*"coverage"* ]]
	run cw workflow validate "$CASEWORK_TOP/examples/workflows/child-protection.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *": ok (child-protection v2, 8 phases)" ]]
	run cw workflow show nowhere
	[ "$status" -eq 4 ]
}

@test "the child-protection variant runs a session end to end" {
	cw workflow import "$CASEWORK_TOP/examples/workflows/child-protection.json"
	cw case import "$CASES/cp-anonymous-referral.json" >/dev/null
	cw start cp-anonymous-referral --workflow child-protection >/dev/null
	run cw status
	[[ "$output" == *"workflow child-protection v2"* ]]
	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"prior-involvement-checked"* ]]
	walk_to_close
	run cw log
	[[ "$output" == *"chose immediate-safety"* ]]
	# the safety plan was signed off before intervention
	[[ "$output" == *"asked for sign-off of safety-plan-signed-off"* ]]
	[[ "$output" == *"signed off safety-plan-signed-off"* ]]
	cw verify
}

@test "a five-phase workflow written only as JSON runs with no code change" {
	run cw workflow import "$CASEWORK_TOP/tests/fixtures/workflows/five-phase.json"
	[ "$status" -eq 0 ]
	[[ "$output" == "imported brief-contact v1"* ]]
	start_session
	cw start "$CASE" --workflow brief-contact >/dev/null
	run cw status --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["phase"]["of"] == 5 and d["phase"]["id"] == "engage", d["phase"]
' "$output"
	walk_to_close
	run cw log --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
phases = []
for e in d["events"]:
    if not phases or phases[-1] != e["phase"]:
        phases.append(e["phase"])
assert phases == ["engage", "explore", "plan", "act", "close"], phases
' "$output"
}

@test "a changed workflow with a known id becomes a new version; sessions keep theirs" {
	wf="$CASEWORK_TOP/tests/fixtures/workflows/five-phase.json"
	cw workflow import "$wf"
	start_session
	cw start "$CASE" --workflow brief-contact >/dev/null
	old=$(cw status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"])')
	python3 -c '
import json, sys
w = json.load(open(sys.argv[1]))
w["title"] = "Brief contact, revised"
json.dump(w, open(sys.argv[2], "w"))
' "$wf" "$BATS_TEST_TMPDIR/v2.json"
	run cw workflow import "$BATS_TEST_TMPDIR/v2.json"
	[[ "$output" == "imported brief-contact v2"* ]]
	run cw workflow import "$BATS_TEST_TMPDIR/v2.json"
	[[ "$output" == "unchanged brief-contact v2"* ]]
	cw start "$CASE" --workflow brief-contact --new >/dev/null
	run cw status --json -s "$old"
	[[ "$output" == *'"version":	1'* ]]
	run cw status --json
	[[ "$output" == *'"version":	2'* ]]
	run cw workflow show brief-contact
	[[ "$output" == *"v1  imported"*"1 session: ${old:0:8}"* ]]
	[[ "$output" == *"v2  imported"*"1 session"* ]]
}

@test "workflow dot renders with graphviz, with and without a session" {
	command -v dot
	cw init
	cw workflow dot | dot -Tsvg >"$BATS_TEST_TMPDIR/wf.svg"
	grep -q "Goal setting" "$BATS_TEST_TMPDIR/wf.svg"
	start_session
	cw check case-file-reviewed "Read the referral and the school report."
	cw objective add "An aim"
	cw check environment-arranged "Booked the quiet room by the library."
	cw advance
	run cw workflow dot -s "${SESSION:0:8}"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"introduction" [label='*'fillcolor='* ]]
	[[ "$output" == *'"preparation" -> "introduction" [color='*'label="1"'* ]]
	cw workflow dot -s "${SESSION:0:8}" | dot -Tsvg >"$BATS_TEST_TMPDIR/path.svg"
	grep -q "<svg" "$BATS_TEST_TMPDIR/path.svg"
	run cw workflow dot standard -s "${SESSION:0:8}"
	[ "$status" -eq 2 ]
}
