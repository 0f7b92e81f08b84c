#!/usr/bin/env bats
# What a student meets first: starting again does not lose the work,
# mistakes in the records are caught, and every text stays intact.

load helpers

@test "start on a case with an open session of the same student is refused (3) with the command that resumes it" {
	start_session
	local before
	before=$(db_sum)
	run cw start "$CASE" --student Ana
	[ "$status" -eq 3 ]
	[[ "$output" == "casework: Ana already has an open session on $CASE ($SESSION, in phase 'preparation'): resume it with 'casework use $SESSION'"* ]]
	[[ "$output" == *"--new"* ]]
	[ "$(db_sum)" = "$before" ]
	# the same refusal from a walk, which starts nothing either
	run cw walk "$CASE" --student Ana </dev/null
	[ "$status" -eq 3 ]
	[[ "$output" == *"'casework use $SESSION'"* ]]
	[ "$(db_sum)" = "$before" ]
	# another student, or --new, starts a session
	run cw start "$CASE" --student Bo
	[ "$status" -eq 0 ]
	run cw start "$CASE" --student Ana --new
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$SESSION" ]
	[ "$(cw sessions --student Ana --json | grep -c '"session":')" -eq 2 ]
}

@test "start --new and walk --new are in --help and the man page" {
	run "$CASEWORK" start --help
	[[ "$output" == *"--new"* ]]
	run "$CASEWORK" walk --help
	[[ "$output" == *"--new"* ]]
	run "$CASEWORK" __man
	[[ "$output" == *'\fB\-\-new\fR: start another attempt'* ]]
}
