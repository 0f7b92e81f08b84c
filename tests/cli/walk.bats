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
	run cw goal add --term short --measure "attends 9 of 10 days by half-term" "Back to regular attendance"
	[ "$output" = "Added G1." ]
	cw check goals-agreed "Agreed in her words: be in on Mondays."
	cw advance
	run cw intervention add --type counseling G1 "Weekly check-in with Maya"
	[ "$output" = "Added I1." ]
	cw advance
	run cw evaluation add --outcome partial G1 "8 of 10 days"
	[ "$output" = "Added E1." ]
	run cw revisit intervention --reason "attendance still dips on Mondays"
	[ "$status" -eq 0 ]
	cw intervention add G1 --type coordination "Grandmother takes the brother on Mondays"
	cw advance
	# E1 came before the new intervention I2: it no longer evaluates G1
	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"goals-evaluated"*"after its latest intervention; G1 has an evaluation from before its latest intervention"* ]]
	cw evaluation add --outcome achieved G1 "Ten of ten days for a month"
	cw advance
	cw check progress-reviewed "Reviewed the attendance chart together."
	cw check next-steps "Young carers' group on Thursdays."
	cw check closing-summary "Attendance back to 100% for four weeks."
	cw reflect description "Met Maya three times about missed Mondays and agreed a plan with her."
	cw reflect feelings "Unsure at first when she went quiet about home, then more at ease."
	cw reflect evaluation "Using her own words for the goal worked; I asked about school too late."
	cw reflect analysis "A strengths-based approach fitted: her grandmother was the key resource."
	cw reflect conclusion "I could have asked about caring duties in the very first meeting."
	cw reflect action-plan "Next time I will ask about caring roles early and take it to supervision."
	run cw advance
	[ "$status" -eq 0 ]
	[[ "$output" == *"Session closed"* ]]

	run cw status --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["phase"]["id"], d["progress"]["met"], d["progress"]["total"])')" = "closed termination 18 18" ]

	run cw verify
	[ "$status" -eq 0 ]
	[[ "$output" == *": ok ("*" events"* ]]
}

@test "make demo's script walks to a closed session" {
	run "$CASEWORK_TOP/examples/demo.sh" "$CASEWORK"
	[ "$status" -eq 0 ]
	[[ "$output" == *"closed the session"* ]]
	[[ "$output" == *": ok (42 events"* ]]
}

# the commands of a whole walk of the sample case, one a line
walk_script() {
	cat <<'WALK'
advance
check case-file-reviewed "Read the referral and the school report."
objective add "Find out what changed at home this term"
check environment-arranged 'Booked the quiet room by the library.'
advance
check introduced-self "Introduced myself as the school social worker."
check purpose-explained "Explained we meet to understand the missed days."
check confidentiality-explained "Explained privacy and its limits around harm."
advance
note --tag exploration "Mum works nights since the separation."
note --tag exploration "She takes her brother to school on Mondays."
note --tag exploration "She fell out with two friends."
note --tag strength "Close to her grandmother; loves art."
advance
note --tag need "Support as a young carer."
choose risk-level medium "No harm disclosed; caring duties keep her out of school."
advance
goal add --term short --measure "attends 9 of 10 days" "Back to regular attendance"
check goals-agreed "Agreed in her words: be in on Mondays."
advance
intervention add G1 --type counseling "Weekly check-in"
advance
revisit intervention --reason "attendance still dips on Mondays"
intervention add G1 --type coordination "Grandmother takes the brother on Mondays"
advance
evaluation add G1 --outcome partial "8 of 10 days"
advance
check progress-reviewed "Reviewed the attendance chart together."
check next-steps "Young carers' group on Thursdays."
check closing-summary "Attendance back to 100% for four weeks."
reflect description "Met Maya three times about missed Mondays and agreed a plan with her."
reflect feelings "Unsure at first when she went quiet about home, then more at ease."
reflect evaluation "Using her own words for the goal worked; I asked about school too late."
reflect analysis "A strengths-based approach fitted: her grandmother was the key resource."
reflect conclusion "I could have asked about caring duties in the very first meeting."
reflect action-plan "Next time I will ask about caring roles early and take it to supervision."
advance
WALK
}

@test "a piped walk starts, refuses, satisfies, advances, revisits and closes" {
	cw case import "$CASES/$CASE.json" >/dev/null
	run bash -c "$(declare -f walk_script); walk_script | \"$CASEWORK\" $AS_TESTER walk $CASE --student Ana 2>&1"
	# the script's first advance is refused (3): a scripted walk goes on,
	# and ends with the code of the last command that failed
	[ "$status" -eq 3 ]
	[[ "$output" == "Started session "* ]]
	# no prompts when the input is not a terminal
	[[ "$output" != *"preparation> "* ]]
	[[ "$output" == *"Phase 1 of 8: Preparation"* ]]
	[[ "$output" == *"cannot leave phase 'preparation' yet: 3 checkpoints are not met"* ]]
	# inside a walk, suggestions have no 'casework' prefix
	[[ "$output" == *$'\n      objective add "TEXT"'* ]]
	[[ "$output" == *"Phase 8 of 8: Termination"* ]]
	[[ "$output" == *"The session is closed. 18 of 18 checkpoints met; 1 goal, 2 interventions, 1 evaluation, 0 referrals."* ]]
	[[ "$output" == *"casework log -s "* ]]
	[[ "$output" == *"casework export -s "*" --format bundle -o hand-in.json"* ]]
	run cw sessions --status closed --json
	[[ "$output" == *'"student":	"Ana"'* ]]
	run cw verify --all
	[ "$status" -eq 0 ]
}

@test "an error in one line is shown and the walk goes on" {
	start_session
	run bash -c "printf '%s\n' 'bogus' 'note \"unterminated' 'note --tagg x y' 'objective add \"An aim for today\"' 'quit' | \"$CASEWORK\" $AS_TESTER walk 2>&1"
	# the walk went on past each error; the script is told one failed
	[ "$status" -eq 2 ]
	[[ "$output" == *"Resuming session $SESSION."* ]]
	[[ "$output" == *"casework: unknown command 'bogus'"* ]]
	[[ "$output" == *"casework: a quote is not closed"* ]]
	[[ "$output" == *"casework: unknown option '--tagg' for 'note'"* ]]
	[[ "$output" == *"Added O1."* ]]
	[[ "$output" == *"Everything is saved. Resume with: casework walk -s ${SESSION:0:8}"* ]]
	run cw goal list
	run cw log
	[[ "$output" == *"objective O1: An aim for today"* ]]
}

@test "a killed walk loses nothing and resumes where it stopped" {
	start_session
	mkfifo "$BATS_TEST_TMPDIR/in"
	# fd 3 belongs to bats; the walk reads a fifo we hold open on fd 7
	"$CASEWORK" $AS_TESTER walk -s "${SESSION:0:8}" <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	exec 7>"$BATS_TEST_TMPDIR/in"
	echo 'check case-file-reviewed "Read the referral and the school report."' >&7
	echo 'objective add "Find out what changed"' >&7
	# wait until both are in the log, then kill the walk mid-session
	for _ in $(seq 50); do
		[ "$(db_sql 'SELECT count(*) FROM events')" -ge 3 ] && break
		sleep 0.1
	done
	kill -9 "$pid"
	exec 7>&-
	wait "$pid" || true
	# the file is whole (a server keeps its own pages whole)
	on_pg || [ "$(sqlite3 "$CASEWORK_DB" 'PRAGMA integrity_check')" = ok ]
	run bash -c "printf 'status\nquit\n' | \"$CASEWORK\" $AS_TESTER walk -s ${SESSION:0:8} 2>&1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"[x] case-file-reviewed"* ]]
	[[ "$output" == *"[x] objectives"* ]]
	[[ "$output" == *"[ ] environment-arranged"* ]]
	cw verify
}

@test "a resumed walk says in a few lines what is left in its phase; the full guide comes with a new phase" {
	start_session
	cw check case-file-reviewed "Read the referral and the school report." >/dev/null
	run bash -c "printf 'quit\n' | \"$CASEWORK\" $AS_TESTER walk -s ${SESSION:0:8} 2>&1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Phase 1 of 8: Preparation. Still to do:"* ]]
	[[ "$output" == *"[ ] objectives"* ]]
	[[ "$output" == *"[ ] environment-arranged"* ]]
	[[ "$output" != *"case-file-reviewed"* ]]
	# neither the guidance nor the rubric again
	[[ "$output" != *"What good work looks like"* ]]
	[ "$(printf '%s\n' "$output" | wc -l)" -lt 15 ]
	# entering a phase still shows its guide
	run bash -c "printf '%s\n' 'objective add \"Find out what changed at home this term\"' 'check environment-arranged \"Booked the quiet room by the library.\"' advance quit | \"$CASEWORK\" $AS_TESTER walk -s ${SESSION:0:8} 2>&1"
	[[ "$output" == *"Advanced to introduction"*"What good work looks like"* ]]
}

@test "walk refuses commands that would leave its session, and both CASE and -s" {
	start_session
	run bash -c "printf 'start $CASE\nuse abcd\nquit\n' | \"$CASEWORK\" $AS_TESTER walk 2>&1"
	[[ "$output" == *"'start' is not available inside a walk"* ]]
	[[ "$output" == *"'use' is not available inside a walk"* ]]
	run cw walk "$CASE" -s "${SESSION:0:8}"
	[ "$status" -eq 2 ]
	run cw walk no-such-case </dev/null
	[ "$status" -eq 4 ]
}

@test "on a terminal: the phase prompt, Tab completion and history" {
	command -v tmux
	start_session
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	sock="$BATS_TEST_TMPDIR/tmux.sock"
	# fd 3 is bats's own: a server holding it would stall the run
	tmux -S "$sock" new-session -d -x 100 -y 40 \
		"env CASEWORK_DB='$CASEWORK_DB' XDG_STATE_HOME='$XDG_STATE_HOME' NO_COLOR=1 '$CASEWORK' $AS_TESTER walk; sleep 5" 3>&-
	screen() { tmux -S "$sock" capture-pane -p; }
	wait_for() {
		for _ in $(seq 100); do
			screen | grep -qF -- "$1" && return 0
			sleep 0.1
		done
		echo "never saw: $1" >&2
		screen >&2
		tmux -S "$sock" kill-server
		return 1
	}
	# (capture-pane drops trailing blanks, so the prompt reads "preparation>")
	wait_for "preparation>"
	# Tab completes a command name and a checkpoint id of this phase
	tmux -S "$sock" send-keys "obj" Tab
	wait_for "preparation> objective"
	# a unique completion is followed by a blank, as in bash
	tmux -S "$sock" send-keys "add 'Ask about home'" Enter
	wait_for "Added O1."
	tmux -S "$sock" send-keys "check case-f" Tab
	wait_for "check case-file-reviewed"
	tmux -S "$sock" send-keys "'Read the referral and the report.'" Enter
	wait_for "Checkpoint case-file-reviewed confirmed."
	tmux -S "$sock" send-keys "quit" Enter
	wait_for "Everything is saved."
	tmux -S "$sock" kill-server || true
	# libedit's history file escapes blanks as \040
	grep -qF "objective\\040add\\040'Ask\\040about\\040home'" "$XDG_STATE_HOME/casework/history"
	[ "$(stat -c %a "$XDG_STATE_HOME/casework/history")" = 600 ]
	run cw status
	[[ "$output" == *"[x] objectives"* ]]
}
