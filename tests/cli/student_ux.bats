#!/usr/bin/env bats
# The student's experience: tables that keep every name whole, mistakes
# answered with the nearest valid word, usage that says what is required,
# case material that follows the session, both workflows built in.

load helpers

# col_of TEXT LINE - the display column (0-based) where TEXT starts in
# LINE, counting a CJK character as 2 (the test lines hold no others)
col_of() {
	python3 -c '
import sys, unicodedata
text, line = sys.argv[1], sys.argv[2]
head = line[:line.index(text)]
print(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in head))
' "$1" "$2"
}

@test "sessions and report align columns by display width and never cut inside a character" {
	cw case import "$CASES/$CASE.json" >/dev/null
	cw start "$CASE" --student "Zoë Ñúñez Oliveira" >/dev/null
	cw start "$CASE" --student "王小明同学的名字" >/dev/null
	cw start "$CASE" --student "Bo" >/dev/null
	run cw sessions
	[ "$status" -eq 0 ]
	# every line is valid UTF-8
	printf '%s\n' "$output" | iconv -f UTF-8 -t UTF-8 >/dev/null
	[[ "$output" == *"Zoë Ñúñez Oliv "* ]]
	[[ "$output" == *"王小明同学的名 "* ]]
	local zoe cjk bo
	zoe=$(printf '%s\n' "$output" | grep Zo)
	cjk=$(printf '%s\n' "$output" | grep 王)
	bo=$(printf '%s\n' "$output" | grep ' Bo ')
	[ "$(col_of "$CASE" "$zoe")" -eq "$(col_of "$CASE" "$bo")" ]
	[ "$(col_of "$CASE" "$cjk")" -eq "$(col_of "$CASE" "$bo")" ]

	run cw report
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | iconv -f UTF-8 -t UTF-8 >/dev/null
	[[ "$output" == *"Zoë Ñúñez "* ]]
	zoe=$(printf '%s\n' "$output" | grep -m1 Zo)
	cjk=$(printf '%s\n' "$output" | grep -m1 王)
	bo=$(printf '%s\n' "$output" | grep -m1 ' Bo ')
	[ "$(col_of "school-" "$zoe")" -eq "$(col_of "school-" "$bo")" ]
	[ "$(col_of "school-" "$cjk")" -eq "$(col_of "school-" "$bo")" ]
}

# tmux_walk - start `casework walk` on the current session in a tmux
# pane of its own (the walk is the only process of the pane, so Ctrl-C
# reaches it alone), the pane kept after the walk ends
tmux_walk() {
	command -v tmux
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	sock="$BATS_TEST_TMPDIR/tmux.sock"
	# fd 3 is bats's own: a server holding it would stall the run
	LC_ALL=C.UTF-8 tmux -S "$sock" new-session -d -x 100 -y 40 \
		"exec env LC_ALL=C.UTF-8 CASEWORK_DB='$CASEWORK_DB' XDG_STATE_HOME='$XDG_STATE_HOME' NO_COLOR=1 '$CASEWORK' --as tester walk" \
		\; set-option remain-on-exit on 3>&-
	wait_for "preparation>"
}
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
type_line() {
	tmux -S "$sock" send-keys -l "$1"
	tmux -S "$sock" send-keys Enter
}

@test "on a terminal, a walk keeps accents, emoji and Arabic as typed" {
	start_session
	tmux_walk
	type_line 'note --tag exploration "Mãe trabalha à noite — 😀 مرحبا بكم"'
	wait_for "Noted"
	type_line quit
	wait_for "Everything is saved."
	tmux -S "$sock" kill-server || true
	run cw log
	[[ "$output" == *"note #exploration: Mãe trabalha à noite — 😀 مرحبا بكم"* ]]
}

@test "on a terminal, Ctrl-C clears the line and a second Ctrl-C on the empty line leaves" {
	start_session
	tmux_walk
	[[ "$(screen)" == *"Ctrl-C clears the line"* ]]
	tmux -S "$sock" send-keys -l 'objective add "half typed'
	tmux -S "$sock" send-keys C-c
	wait_for "Ctrl-C cleared the line"
	# the walk goes on: the next line is a command of its own
	type_line 'objective add "Find out what changed at home"'
	wait_for "Added O1."
	tmux -S "$sock" send-keys C-c
	sleep 0.3
	[[ "$(screen)" != *"Everything is saved."* ]]
	tmux -S "$sock" send-keys C-c
	wait_for "Everything is saved."
	# the walk has ended (the pane stays, dead)
	for _ in $(seq 50); do
		[ "$(tmux -S "$sock" list-panes -F '#{pane_dead}')" = 1 ] && break
		sleep 0.1
	done
	[ "$(tmux -S "$sock" list-panes -F '#{pane_dead}')" = 1 ]
	tmux -S "$sock" kill-server || true
	run cw log
	[[ "$output" != *"half typed"* ]]
	[[ "$output" == *"Find out what changed at home"* ]]
}

@test "a walk drops a leading 'casework', takes curly quotes, and its help offers no -s or --db" {
	start_session
	run bash -c "printf '%s\n' 'casework status' 'note --tag exploration “Told Maya my name”' 'objective add ‘Hear Maya’s own words’' 'help check' 'quit' | \"$CASEWORK\" --as tester walk 2>&1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Phase 1 of 8: Preparation (preparation)"*"0 of 17 checkpoints met overall"* ]]
	[[ "$output" != *"unknown command 'casework'"* ]]
	[[ "$output" == *"usage: casework check CHECKPOINT TEXT"* ]]
	local help=${output#*usage: casework check}
	[[ "$help" != *"--db"* ]]
	[[ "$help" != *"-s SESSION"* ]]
	run cw log
	[[ "$output" == *"note #exploration: Told Maya my name"* ]]
	[[ "$output" == *"objective O1: Hear Maya’s own words"* ]]
	# outside a walk, the help keeps the global options
	run cw help check
	[[ "$output" == *"--db"* ]]
}

@test "on the command line, text split by curly quotes is explained" {
	start_session
	unchanged_after cw note “Told Maya my name”
	[ "$status" -eq 2 ]
	[[ "$output" == *"curly quotes"*'straight quotes "..."'* ]]
	# a plain extra argument is not blamed on quotes
	run cw note Told Maya
	[ "$status" -eq 2 ]
	[[ "$output" != *"curly"* ]]
}

@test "usage lines show required options as required, from the command table" {
	run "$CASEWORK" goal add --help
	[[ "$output" == *"usage: casework goal add TEXT --term short|long --measure TEXT"$'\n'* ]]
	run "$CASEWORK" intervention add --help
	[[ "$output" == *"usage: casework intervention add GOAL TEXT --type counseling|"*"|other"$'\n'* ]]
	[[ "$output" != *"[--type"* ]]
	run "$CASEWORK" evaluation add --help
	[[ "$output" == *"GOAL TEXT --outcome achieved|partial|not-achieved"$'\n'* ]]
	for cmd in revisit terminate "goal drop"; do
		run "$CASEWORK" $cmd --help
		[[ "$output" == *" --reason TEXT"$'\n'* ]]
		[[ "$output" != *"[--reason"* ]]
	done
	# an option that may be left out keeps its brackets
	run "$CASEWORK" start --help
	[[ "$output" == *"[--workflow ID]"* ]]
	# the usage after a mistake is the same line
	start_session
	run cw goal add
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: casework goal add TEXT --term short|long --measure TEXT"* ]]
	run "$CASEWORK" __man
	[[ "$output" == *'\fBcasework goal add\fR \fITEXT\fR \fB\-\-term\fR \fIshort|long\fR \fB\-\-measure\fR \fITEXT\fR'* ]]
	[[ "$output" == *'\fB\-\-reason\fR \fITEXT\fR (required): why'* ]]
}
