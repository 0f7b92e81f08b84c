#!/usr/bin/env bats
# A whole walk through the eight phases from the command line.

load helpers

@test "a student walks the sample case through all eight phases" {
	start_session
	[[ "$SESSION" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]

	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot leave phase 'preparation' yet: 3 checkpoints are not met"* ]]
	[[ "$output" == *"objectives: needs 1 objective, has 0"* ]]

	cw check case-file-reviewed "Read the referral and the school report."
	cw objective add "Find out what changed at home this term"
	cw check environment-arranged "Booked the quiet room by the library."
	run cw advance
	[ "$status" -eq 0 ]
	[[ "$output" == *"Advanced to introduction"* ]]

	cw check introduced-self "Introduced myself as the school social worker."
	cw check purpose-explained "Explained we meet to understand the missed days."
	cw check confidentiality-explained "Explained privacy and its limits around harm."
	cw advance
	cw note --tag exploration "Mum works nights since the separation."
	cw note --tag exploration "She takes her brother to school on Mondays."
	cw note --tag exploration "She fell out with two friends."
	cw note --tag strength "Close to her grandmother; loves art."
	cw advance
	cw note --tag need "Support as a young carer."
	cw choose risk-level medium "No harm disclosed; caring duties keep her out of school."
	cw advance
	run cw goal add --term short --measure "attends 9 of 10 days" "Back to regular attendance"
	[ "$output" = "Added G1." ]
	cw check goals-agreed "Agreed in her words: be in on Mondays."
	cw advance
	run cw intervention add --type counseling G1 "Weekly check-in"
	[ "$output" = "Added I1." ]
	cw advance
	run cw evaluation add --outcome partial G1 "8 of 10 days"
	[ "$output" = "Added E1." ]
	run cw revisit intervention --reason "attendance still dips on Mondays"
	[ "$status" -eq 0 ]
	cw intervention add G1 --type coordination "Grandmother takes the brother on Mondays"
	cw advance
	cw advance
	cw check progress-reviewed "Reviewed the attendance chart together."
	cw check next-steps "Young carers' group on Thursdays."
	cw check closing-summary "Attendance back to 100% for four weeks."
	run cw advance
	[ "$status" -eq 0 ]
	[[ "$output" == *"Session closed"* ]]

	run cw status --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["phase"]["id"], d["progress"]["met"], d["progress"]["total"])')" = "closed termination 17 17" ]

	run cw verify
	[ "$status" -eq 0 ]
	[[ "$output" == *": ok ("*" events"* ]]
}

@test "make demo's script walks to a closed session" {
	run "$CASEWORK_TOP/examples/demo.sh" "$CASEWORK"
	[ "$status" -eq 0 ]
	[[ "$output" == *"closed the session"* ]]
	[[ "$output" == *": ok (34 events"* ]]
}
