#!/usr/bin/env bats
# Habits of a Unix program: suggestions on a typo, completion, the config
# file and its precedence, colour, the pager, and --json of every command.

load helpers

# comp WORDS... CURRENT - what `casework __complete` offers, on one line
comp() {
	"$CASEWORK" __complete -- "$@" | tr '\n' ' ' | sed 's/ $//'
}

# on_tty CMD - run CMD in a pseudo-terminal (script(1)); output in $output
on_tty() {
	run script -qec "$1" /dev/null
}

# json_ok NAME CMD... - run CMD --json, print its output and keep it in
# $BATS_TEST_TMPDIR/json for one check against $defs/NAME at the end
# (python starts slowly: once per test, not once per command)
json_ok() {
	local name=$1 out n
	shift
	out=$("$@" --json) || { echo "failed: $*" >&2; return 1; }
	mkdir -p "$BATS_TEST_TMPDIR/json"
	n=$(find "$BATS_TEST_TMPDIR/json" -type f | wc -l)
	printf '%s\n' "$out" >"$BATS_TEST_TMPDIR/json/$n-${name// /_}.json"
	echo "$out"
}

@test "a mistyped command suggests the nearest ones" {
	run "$CASEWORK" stauts
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'stauts'; did you mean "*"'status'"* ]]
	run "$CASEWORK" stat
	[ "$status" -eq 2 ]
	[[ "$output" == *"'start'"* && "$output" == *"'status'"* ]]
	run "$CASEWORK" workflw list
	[[ "$output" == *"did you mean 'workflow'?"* ]]
	# a word like none of them gets no guess
	run "$CASEWORK" xyzzy
	[ "$status" -eq 2 ]
	[[ "$output" != *"did you mean"* ]]
	[[ "$output" == *"see 'casework --help'"* ]]
}

@test "--help lists every command the table has, and the global options" {
	local help word
	help=$("$CASEWORK" --help)
	for word in $(comp ""); do
		[ "$word" = help ] && continue
		[[ "$help" == *$'\n'"  $word"* ]] || { echo "--help lacks $word"; return 1; }
	done
	[[ "$help" == *"--color[=auto|always|never]"* ]]
	[[ "$help" == *"--no-color"* ]]
	# help on a group lists its commands
	run "$CASEWORK" help config
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == "  casework config get "* ]]
	run "$CASEWORK" help config foo
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown subcommand 'foo' for 'config'"* ]]
	run "$CASEWORK" config set --help
	[[ "$output" == *"usage: casework config set KEY VALUE"* ]]
	[[ "$output" == *"global options: --db PATH, --json"*"--no-color"* ]]
}

@test "completion: commands, subcommands, options and their values" {
	[[ " $(comp "") " == *" goal "*" status "*" help "* ]]
	[ "$(comp g)" = "goal guide" ]
	[ "$(comp goal "")" = "add drop list revise" ]
	[ "$(comp help goal "")" = "add drop list revise" ]
	[ "$(comp note --t)" = "--tag" ]
	[[ " $(comp goal add --) " == *" --term --measure --help --db "* ]]
	[ "$(comp goal add --term "")" = "short long" ]
	[ "$(comp intervention add --type c)" = "counseling coordination" ]
	[ "$(comp feedback --score "")" = "1 2 3 4" ]
	[ "$(comp --color=a)" = "--color=auto --color=always" ]
	[ "$(comp config get "")" = "db actor student color pager" ]
	# a file name is left to the shell
	[ "$(comp case import "")" = ":files" ]
	[ "$(comp --db "")" = ":files" ]
	# free text gets nothing
	[ "$(comp note "")" = "" ]
	[ "$(comp objective add "")" = "" ]
}

@test "completion: case ids, session prefixes, checkpoints, goals, phases" {
	# with no database: nothing from it, and no database made
	[ "$(comp start "")" = "" ]
	[ ! -e "$CASEWORK_DB" ]
	start_session
	cw case import "$CASES/mh-young-adult-depression.json" >/dev/null
	[ "$(comp start s)" = "$CASE" ]
	[[ " $(comp start "") " == *" mh-young-adult-depression "* ]]
	[ "$(comp use "")" = "${SESSION:0:8}" ]
	[ "$(comp -s "${SESSION:0:3}")" = "${SESSION:0:8}" ]
	[ "$(comp -s "${SESSION:0:10}")" = "$SESSION" ]
	# checkpoints of the current phase; check takes confirm ones only
	[ "$(comp check "")" = "case-file-reviewed environment-arranged" ]
	[ "$(comp choose "")" = "" ]
	[ "$(comp revisit "")" = "" ]
	[ "$(comp feedback --criterion "")" = "file-review planning self-awareness" ]
	[ "$(comp guide --phase g)" = "goal-setting" ]
	[ "$(comp workflow show "")" = "child-protection standard" ]
	cw terminate --reason "to reach a phase with goals" >/dev/null
	# the stages of the termination phase's reflection
	[ "$(comp reflect "")" = "description feelings evaluation analysis conclusion action-plan" ]
	# -s on the line names the session whose words are offered
	run cw start "$CASE" --student Bo
	[ "$(comp -s "${SESSION:0:8}" check p)" = "progress-reviewed" ]
	[ "$(comp --session="${SESSION:0:8}" check p)" = "progress-reviewed" ]
	[ "$(comp check "")" = "case-file-reviewed environment-arranged" ]
	cw use "$SESSION" >/dev/null
	walk_to_close >/dev/null 2>&1 || true
	run cw start "$CASE" --student Cy
	walk_to_assessment
	[ "$(comp choose "")" = "risk-level" ]
	[ "$(comp choose risk-level "")" = "low medium high" ]
	[ "$(comp revisit "")" = "exploration" ]
	cw note --tag need "Support as a young carer." >/dev/null
	cw choose risk-level medium "No harm disclosed; caring duties keep her out." >/dev/null
	cw advance >/dev/null
	cw goal add --term short --measure "9 of 10 days" "Back to regular attendance" >/dev/null
	cw goal add --term long --measure "a term" "Stay in school" >/dev/null
	cw goal drop G2 --reason "one goal is enough" >/dev/null
	# open goals only
	[ "$(comp intervention add "")" = "G1" ]
	[ "$(comp goal revise "")" = "G1" ]
	# records still standing, of every kind: the dropped goal is not
	cw strike N1 --reason "written in the wrong session" >/dev/null
	[[ " $(comp strike "") " == *" N2 "*" G1 "* ]]
	[[ " $(comp correct "") " != *" N1 "* ]]
	[[ " $(comp strike "") " != *" G2 "* ]]
}

@test "the bash script completes through casework __complete" {
	start_session
	run bash -c '
		source "$CASEWORK_TOP/completions/casework.bash"
		t() { COMP_WORDS=("$CASEWORK" "$@"); COMP_CWORD=$#; COMPREPLY=(); _casework; echo "[${COMPREPLY[*]}]"; }
		t g
		t check ""
		t -s ""
		t --color = al
		t --color =
		t case import ""
		complete -p casework'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "[goal guide]" ]
	[ "${lines[1]}" = "[case-file-reviewed environment-arranged]" ]
	[ "${lines[2]}" = "[${SESSION:0:8}]" ]
	[ "${lines[3]}" = "[always]" ]
	[ "${lines[4]}" = "[=auto =always =never]" ]
	[ "${lines[5]}" = "[]" ]
	[ "${lines[6]}" = "complete -F _casework casework" ]
}

@test "config: set, get, list, unset; the file keeps its comments" {
	run cw config get student
	[ "$status" -eq 0 ]
	[ "$output" = "tester" ] # the actor, by default
	run cw config set student "Ana Lima"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Set student = Ana Lima in $XDG_CONFIG_HOME/casework/config."* ]]
	[ "$(stat -c %a "$XDG_CONFIG_HOME/casework/config")" = 600 ]
	[ "$(stat -c %a "$XDG_CONFIG_HOME/casework")" = 700 ]
	printf '# mine\n\npager = more\n' >>"$XDG_CONFIG_HOME/casework/config"
	cw config set student Bo >/dev/null
	cw config set color never >/dev/null
	[ "$(cat "$XDG_CONFIG_HOME/casework/config")" = "student = Bo
# mine

pager = more
color = never" ]
	run cw config list
	[[ "$output" == *"student  Bo  (config file)"* ]]
	[[ "$output" == *"db       $CASEWORK_DB  (CASEWORK_DB)"* ]]
	# (on a server --as is not given: the actor is the login)
	on_pg || [[ "$output" == *"actor    tester  (flag --as)"* ]]
	run cw config unset pager
	[ "$output" = "Removed pager from $XDG_CONFIG_HOME/casework/config." ]
	run cw config unset pager
	[ "$output" = "pager was not set in $XDG_CONFIG_HOME/casework/config." ]
	[ "$(cw config get pager)" = "less -FRX" ]
	# bad keys and values are usage errors and change nothing
	before=$(cat "$XDG_CONFIG_HOME/casework/config")
	run cw config set colour always
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown setting 'colour'"* ]]
	run cw config set color sometimes
	[ "$status" -eq 2 ]
	[[ "$output" == *"color is auto, always or never, not 'sometimes'"* ]]
	run cw config set student ""
	[ "$status" -eq 2 ]
	[ "$before" = "$(cat "$XDG_CONFIG_HOME/casework/config")" ]
}

@test "config precedence: flag > environment > config file > default" {
	sqlite_only "the actor from --as, CASEWORK_ACTOR or the config file (on a server, the actor is the login)"
	start_session
	unset CASEWORK_DB
	export HOME="$BATS_TEST_TMPDIR/home" XDG_DATA_HOME=
	[ "$("$CASEWORK" config get db)" = "$HOME/.local/share/casework/casework.db" ]
	"$CASEWORK" config set db "$BATS_TEST_TMPDIR/db/casework.db" >/dev/null
	# the config file's database is the one with the session
	[[ "$("$CASEWORK" config get db --json)" == *'"source":	"config file"'* ]]
	run "$CASEWORK" status
	[ "$status" -eq 0 ]
	CASEWORK_DB="$BATS_TEST_TMPDIR/other.db" run "$CASEWORK" status
	[ "$status" -eq 4 ]
	[[ "$output" == *"other.db"* ]]
	CASEWORK_DB="$BATS_TEST_TMPDIR/other.db" run "$CASEWORK" --db "$BATS_TEST_TMPDIR/db/casework.db" status
	[ "$status" -eq 0 ]

	# the actor on the events and the student of a new session
	"$CASEWORK" config set actor Config >/dev/null
	"$CASEWORK" config set student Stu >/dev/null
	"$CASEWORK" note "from the config file" >/dev/null
	CASEWORK_ACTOR=Env "$CASEWORK" note "from the environment" >/dev/null
	CASEWORK_ACTOR=Env "$CASEWORK" --as Flag note "from the flag" >/dev/null
	[ "$(sqlite3 "$BATS_TEST_TMPDIR/db/casework.db" "SELECT group_concat(actor, ' ') FROM (SELECT actor FROM events WHERE type = 'note.added' ORDER BY seq)")" = "Config Env Flag" ]
	"$CASEWORK" start "$CASE" >/dev/null
	CASEWORK_STUDENT=Env "$CASEWORK" start "$CASE" >/dev/null
	CASEWORK_STUDENT=Env "$CASEWORK" start "$CASE" --student Flag >/dev/null
	run sqlite3 "$BATS_TEST_TMPDIR/db/casework.db" "SELECT group_concat(student, ' ') FROM (SELECT student FROM sessions ORDER BY student)"
	[ "$output" = "Ana Env Flag Stu" ]
}

@test "a bad config file stops commands with file and line; config can repair it" {
	start_session
	mkdir -p "$XDG_CONFIG_HOME/casework"
	printf 'student = Ana\nthis is not a setting\ncolr = never\ncolor = loud\n' >"$XDG_CONFIG_HOME/casework/config"
	unchanged_after cw note "not written"
	[ "$status" -eq 2 ]
	[[ "$output" == *"config:2: expected 'key = value'"* ]]
	[[ "$output" == *"config:3: unknown key 'colr'"* ]]
	[[ "$output" == *"config:4: color is auto, always or never, not 'loud'"* ]]
	# config still runs, warning, so that the file can be repaired
	run cw config get student
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "Ana" ]
	printf 'student = Ana\n' >"$XDG_CONFIG_HOME/casework/config"
	run cw note "written now"
	[ "$status" -eq 0 ]
}

@test "colour: only on a terminal, never with NO_COLOR or --no-color, always with --color=always" {
	start_session
	esc=$'\033['
	# not a terminal: no colour, whatever NO_COLOR says
	unset NO_COLOR
	run cw status
	[[ "$output" != *"$esc"* ]]
	run cw status --color=always
	[[ "$output" == *"$esc"* ]]
	# on a terminal: colour, unless NO_COLOR, --no-color or the config say no
	on_tty "'$CASEWORK' status"
	[[ "$output" == *"${esc}31m[ ]"* ]]
	[[ "$output" == *"${esc}1mPreparation"* ]]
	on_tty "NO_COLOR=1 '$CASEWORK' status"
	[ "$status" -eq 0 ]
	[[ "$output" == *"case-file-reviewed"* && "$output" != *"$esc"* ]]
	on_tty "'$CASEWORK' status --no-color"
	[[ "$output" == *"case-file-reviewed"* && "$output" != *"$esc"* ]]
	cw config set color never >/dev/null
	on_tty "'$CASEWORK' status"
	[[ "$output" == *"case-file-reviewed"* && "$output" != *"$esc"* ]]
	# --color=always beats NO_COLOR; NO_COLOR beats the config file
	NO_COLOR=1 run cw status --color=always
	[[ "$output" == *"$esc"* ]]
	cw config set color always >/dev/null
	NO_COLOR=1 run cw status
	[[ "$output" != *"$esc"* ]]
	run cw status
	[[ "$output" == *"$esc"* ]]
	# refusals and met checkpoints
	cw check case-file-reviewed "Read the referral and the school report." >/dev/null
	run cw status
	[[ "$output" == *"${esc}32m[x]"* ]]
	run cw advance
	[ "$status" -eq 3 ]
	[[ "$output" == *"${esc}31m- objectives"* ]]
	run cw status --color=sometimes
	[ "$status" -eq 2 ]
	[[ "$output" == *"--color takes auto, always or never, not 'sometimes'"* ]]
}

@test "log, report and case show page through the pager on a terminal only" {
	start_session
	export PAGER="sed s/^/PAGED:/"
	for args in "log" "report" "case show $CASE"; do
		on_tty "'$CASEWORK' $AS_TESTER $args"
		[ "$status" -eq 0 ]
		[[ "$output" == *"PAGED:"* ]] || { echo "$args: not paged"; return 1; }
		run cw $args
		[[ "$output" != *"PAGED:"* ]] || { echo "$args: paged into a pipe"; return 1; }
	done
	# status is short: never paged
	on_tty "'$CASEWORK' status"
	[[ "$output" != *"PAGED:"* ]]
	# the config file's pager when PAGER is unset; cat means none
	unset PAGER
	cw config set pager "sed s/^/CONF:/" >/dev/null
	on_tty "'$CASEWORK' log"
	[[ "$output" == *"CONF:"* ]]
	PAGER="sed s/^/ENV:/" on_tty "'$CASEWORK' log"
	[[ "$output" == *"ENV:"* && "$output" != *"CONF:"* ]]
	cw config set pager cat >/dev/null
	on_tty "'$CASEWORK' log"
	[ "$status" -eq 0 ]
	[[ "$output" == *"preparation"* && "$output" != *"CONF:"* ]]
}

@test "--json of every command parses, has schema_version and matches its schema" {
	local top=$CASEWORK_TOP wf=$CASEWORK_TOP/examples/workflows/child-protection.json
	json_ok init cw init >/dev/null
	json_ok "case validate" cw case validate "$CASES/$CASE.json" >/dev/null
	json_ok "case import" cw case import "$CASES/$CASE.json" >/dev/null
	json_ok "case list" cw case list >/dev/null
	json_ok "case show" cw case show "$CASE" >/dev/null
	json_ok "workflow validate" cw workflow validate "$wf" >/dev/null
	json_ok "workflow import" cw workflow import "$wf" >/dev/null
	json_ok "workflow list" cw workflow list >/dev/null
	json_ok "workflow show" cw workflow show child-protection >/dev/null
	json_ok "workflow dot" cw workflow dot >/dev/null
	SESSION=$(json_ok start cw start "$CASE" --student Ana | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"])')
	json_ok use cw use "$SESSION" >/dev/null
	json_ok sessions cw sessions >/dev/null
	json_ok status cw status >/dev/null
	json_ok guide cw guide >/dev/null
	json_ok check cw check case-file-reviewed "Read the referral and the school report." >/dev/null
	json_ok "objective add" cw objective add "Ask about home" >/dev/null
	json_ok note cw note --tag exploration "A note on what she said." >/dev/null
	json_ok "referral add" cw referral add "Young carers' group" >/dev/null
	json_ok "note list" cw note list >/dev/null
	json_ok "objective list" cw objective list >/dev/null
	json_ok "referral list" cw referral list >/dev/null
	json_ok correct cw correct N1 "A note on what she said at first." --reason "clearer" >/dev/null
	json_ok strike cw strike R1 --reason "not agreed with her" >/dev/null
	json_ok "goal add" cw goal add --term short --measure "9 of 10 days" "Back to school" >/dev/null
	json_ok "goal list" cw goal list >/dev/null
	json_ok "goal revise" cw goal revise G1 "Back to school every day" >/dev/null
	json_ok "intervention add" cw intervention add G1 --type skills "Weekly check-in" >/dev/null
	json_ok "evaluation add" cw evaluation add G1 --outcome partial "8 of 10 days" >/dev/null
	json_ok "goal drop" cw goal drop G1 --reason "another focus" >/dev/null
	json_ok "key init" cw --as "Dr Lee" key init >/dev/null
	json_ok "key show" cw --as "Dr Lee" key show >/dev/null
	json_ok "key trust" cw key trust "$(cw --as "Dr Lee" key show)" >/dev/null
	json_ok "key list" cw key list >/dev/null
	json_ok feedback cw --as "Dr Lee" feedback -s "$SESSION" "Good start." >/dev/null
	json_ok "feedback list" cw feedback list >/dev/null
	# a refused advance prints its document too, with the blockers
	run cw advance --json
	[ "$status" -eq 3 ]
	echo "$output" | sed -n '/^{/,$p' >"$BATS_TEST_TMPDIR/json/refused-advance.json"
	cw check environment-arranged "Booked the quiet room by the library." >/dev/null
	json_ok advance cw advance >/dev/null
	cw terminate --reason "to try revisit and choose" >/dev/null
	json_ok reflect cw reflect feelings "Unsure when she went quiet, calmer once she spoke." >/dev/null
	json_ok log cw log >/dev/null
	json_ok verify cw verify >/dev/null
	json_ok report cw report >/dev/null
	json_ok export cw export >/dev/null
	json_ok export cw export --all >/dev/null
	json_ok export cw export --format bundle -o "$BATS_TEST_TMPDIR/b.json" >/dev/null
	CASEWORK_DB="$BATS_TEST_TMPDIR/other.db" json_ok "bundle import" cw bundle import "$BATS_TEST_TMPDIR/b.json" >/dev/null
	json_ok "config set" cw config set pager cat >/dev/null
	json_ok "config get" cw config get pager >/dev/null
	json_ok "config list" cw config list >/dev/null
	json_ok "config unset" cw config unset pager >/dev/null
	# doctor's document is a file's (the bundle's database, on both backends)
	CASEWORK_DB="$BATS_TEST_TMPDIR/other.db" json_ok doctor cw doctor >/dev/null
	json_ok version "$CASEWORK" --version >/dev/null
	# a session in a phase that allows revisits, and a choice checkpoint
	cw start "$CASE" --student Bo >/dev/null
	walk_to_close 3 >/dev/null 2>&1 || true
	json_ok choose cw choose risk-level low "Nothing in the file points to harm." >/dev/null
	json_ok revisit cw revisit exploration --reason "ask about Mondays" >/dev/null
	json_ok terminate cw terminate --reason "moved away" >/dev/null
	[ "$(find "$BATS_TEST_TMPDIR/json" -type f | wc -l)" -eq 55 ]
	python3 "$top/tests/cli/check_json.py" --dir "$BATS_TEST_TMPDIR/json"
	# a negative control: the checker does reject a wrong document
	echo '{"schema_version": 2, "session": "x"}' >"$BATS_TEST_TMPDIR/json/0-use.json"
	run python3 "$top/tests/cli/check_json.py" --dir "$BATS_TEST_TMPDIR/json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"use: schema_version: 1 was expected"* ]]
}

@test "every command in the table has a --json document in schemas/" {
	run python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))["$defs"]
for name in sys.stdin.read().splitlines():
    if name != "walk" and name not in d:
        print("no $defs/" + name)' "$CASEWORK_TOP/schemas/cli-output.schema.json" \
		< <("$CASEWORK" --help | awk '/^  [a-z]/ { n = $1; if ($2 ~ /^[a-z-]+$/ && $3 ~ /^[A-Z]/) n = n " " $2; print n }')
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	# walk says plainly that it has none
	run cw walk --json
	[ "$status" -eq 2 ]
	[[ "$output" == *"--json is for the other commands"* ]]
	run cw export --format md --json
	[ "$status" -eq 2 ]
}

# tab_in SHELL-COMMAND: start an interactive shell in tmux; then `keys`
# types and `wait_for TEXT` waits until the screen shows TEXT
tab_in() {
	# a socket of its own each time: a server just killed on the last
	# one may still be going away ("server exited unexpectedly")
	tabs=$((${tabs:-0} + 1))
	sock="$BATS_TEST_TMPDIR/tmux-$tabs.sock"
	# fd 3 is bats's own: a server holding it would stall the run
	tmux -S "$sock" new-session -d -x 120 -y 30 "$1" 3>&-
}
keys() { tmux -S "$sock" send-keys "$@"; }
wait_for() {
	for _ in $(seq 100); do
		tmux -S "$sock" capture-pane -p | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "never saw: $1" >&2
	tmux -S "$sock" capture-pane -p >&2
	tmux -S "$sock" kill-server
	return 1
}

@test "Tab in a real bash and zsh completes from casework __complete" {
	command -v tmux && command -v zsh
	start_session
	mkdir -p "$BATS_TEST_TMPDIR/bin" "$BATS_TEST_TMPDIR/files"
	ln -s "$CASEWORK" "$BATS_TEST_TMPDIR/bin/casework"
	touch "$BATS_TEST_TMPDIR/files/my-case.json"
	cd "$BATS_TEST_TMPDIR/files"
	export PATH="$BATS_TEST_TMPDIR/bin:$PATH"

	tab_in "env -u PROMPT_COMMAND PS1='bash$ ' bash --norc --noprofile -i"
	wait_for 'bash$'
	keys "source '$CASEWORK_TOP/completions/casework.bash'" Enter
	keys "casework goal d" Tab
	wait_for "casework goal drop"
	keys C-u "casework check e" Tab
	wait_for "casework check environment-arranged"
	# a file name: left to bash
	keys C-u "casework case import my-" Tab
	wait_for "casework case import my-case.json"
	tmux -S "$sock" kill-server

	tab_in "env PS1='zsh%% ' zsh -f -i"
	wait_for 'zsh%'
	keys "fpath=('$CASEWORK_TOP/completions' \$fpath); autoload -Uz compinit; compinit -u -D" Enter
	keys "casework goal d" Tab
	wait_for "casework goal drop"
	keys C-u "casework -s ${SESSION:0:4}" Tab
	wait_for "casework -s ${SESSION:0:8}"
	keys C-u "casework case import my-" Tab
	wait_for "casework case import my-case.json"
	tmux -S "$sock" kill-server
}
