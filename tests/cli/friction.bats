#!/usr/bin/env bats
# What a new user tripped on: a mistyped filter taken for one that matches
# nothing, help on a command group, texts that begin with '-', choice
# values in another case, a session export handed to `bundle import`, the
# walk's help and its exit status, a student naming someone else.

load helpers

@test "sessions and report refuse a mistyped case or phase with the nearest id (exit 4)" {
	cw case import "$CASES/$CASE.json" >/dev/null
	cw start "$CASE" --student "Ana Lima" >/dev/null
	unchanged_after cw sessions --case school-atendance-year8
	[ "$status" -eq 4 ]
	[[ "$output" == *"no case 'school-atendance-year8'; did you mean '$CASE'?"* ]]
	unchanged_after cw report --case school-atendance-year8
	[ "$status" -eq 4 ]
	[[ "$output" == *"did you mean '$CASE'?"* ]]
	unchanged_after cw report --case school-atendance-year8 --format json
	[ "$status" -eq 4 ]
	run cw sessions --phase assesment
	[ "$status" -eq 4 ]
	[[ "$output" == *"no phase 'assesment' in any workflow; did you mean 'assessment'?"* ]]
	run cw sessions --phase nothing-like-it
	[ "$status" -eq 4 ]
	[[ "$output" == *"no phase 'nothing-like-it'"* ]]
	[[ "$output" != *"did you mean"* ]]
	# a known phase no session is in matches nothing, and says so plainly
	run cw sessions --phase assessment
	[ "$status" -eq 0 ]
	[ "$output" = "No sessions match these filters." ]
	run cw sessions --phase intervention --case "$CASE"
	[ "$status" -eq 0 ]
	[[ "$output" != *"Start one"* ]]
}

@test "sessions with no session at all says how to start one" {
	cw init >/dev/null
	run cw sessions
	[ "$status" -eq 0 ]
	[[ "$output" == *"No sessions yet. Start one with 'casework start CASE'."* ]]
}

@test "--help on a command group lists its subcommands and exits 0; the bare group stays a usage error" {
	for group in goal case workflow key class bundle config; do
		run cw "$group" --help
		[ "$status" -eq 0 ]
		[[ "$output" == "'$group' takes a subcommand"* ]]
		[[ "$output" == *"casework $group "* ]]
		[[ "$output" != *"needs a subcommand"* ]]
		run cw "$group" -h
		[ "$status" -eq 0 ]
		run cw "$group"
		[ "$status" -eq 2 ]
		[[ "$output" == *"'$group' needs a subcommand"* ]]
	done
	run cw goal --help
	[[ "$output" == *"casework goal add "* ]]
	[[ "$output" == *"casework goal revise "* ]]
	# a word that is no command is still unknown, --help or not
	run cw bogus --help
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'bogus'"* ]]
	[[ "$output" != *"takes a subcommand"* ]]
}

@test "a text that begins with '-' is shown how to pass after '--'; a tag that took the text says so" {
	start_session >/dev/null
	unchanged_after cw note "-3 days missed since half term"
	[ "$status" -eq 2 ]
	[[ "$output" == *"put a text that begins with '-' after '--': casework note -- \"-3 days missed since half term\""* ]]
	[[ "$output" != *"unknown option"* ]]
	unchanged_after cw note -3
	[ "$status" -eq 2 ]
	[[ "$output" == *"after '--'"* ]]
	# an option mistyped is still an unknown option
	run cw note --tagg risk "text"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--tagg'"* ]]
	run cw note -- "-3 days missed since half term"
	[ "$status" -eq 0 ]
	# the tag's value swallowed the text
	unchanged_after cw note --tag "Mum works nights and cannot come in the day"
	[ "$status" -eq 2 ]
	[[ "$output" == *"the value of --tag, 'Mum works nights and cannot come in the day', looks like the text"* ]]
	[[ "$output" == *"casework note --tag TAG \"TEXT\""* ]]
	unchanged_after cw note "Mum works nights" --tag "works nights and cannot come"
	[ "$status" -ne 0 ]
	[[ "$output" == *"looks like the note's text, not a tag"* ]]
	# a name with a space is no swallowed text
	run cw start --student "Ana Lima"
	[ "$status" -eq 2 ]
	[[ "$output" != *"looks like the text"* ]]
}

@test "choose takes a value in another case as the workflow spells it, and answers a near miss with the nearest (4)" {
	start_session >/dev/null
	walk_to_assessment
	unchanged_after cw choose risk-level meduim "No harm disclosed; caring duties keep her out of school."
	[ "$status" -eq 4 ]
	[[ "$output" == *"'meduim' is not an option of 'risk-level'; did you mean 'medium'?"* ]]
	run cw choose risk-level Medium "No harm disclosed; caring duties keep her out of school."
	[ "$status" -eq 0 ]
	[[ "$output" == "Checkpoint risk-level: chose medium."* ]]
	run cw log --json
	[ "$(printf '%s' "$output" | python3 -c 'import json, sys
print(" ".join(e["payload"]["value"] for e in json.load(sys.stdin)["events"] if "value" in e["payload"]))')" = medium ]
}

@test "reflect with a mistyped stage names the nearest stage (4)" {
	start_session >/dev/null
	unchanged_after cw reflect descripton "We met twice in the library room."
	[ "$status" -eq 4 ]
	[[ "$output" == *"no reflection stage 'descripton' in workflow 'standard'; did you mean 'description'?"* ]]
	run cw reflect zzz "We met twice in the library room."
	[ "$status" -eq 4 ]
	[[ "$output" != *"did you mean"* ]]
	# a stage typed as two words
	unchanged_after cw reflect action plan "Next time I will ask about caring roles early."
	[ "$status" -eq 2 ]
	[[ "$output" == *"did you mean 'action-plan'? (casework reflect action-plan \"TEXT\")"* ]]
	# three words that are no stage: the usual answer
	unchanged_after cw reflect my feelings "were mixed at first"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'reflect' takes STAGE TEXT; got 3 arguments (quote a text that has spaces)"* ]]
	[[ "$output" != *"did you mean"* ]]
}

@test "bundle import of a session export says in one line what it is and how a bundle is made (5)" {
	start_session >/dev/null
	cw export --format json -o "$BATS_TEST_TMPDIR/ana.json" >/dev/null
	cw export --all --format json -o "$BATS_TEST_TMPDIR/all.json" >/dev/null
	unchanged_after cw bundle import "$BATS_TEST_TMPDIR/ana.json"
	[ "$status" -eq 5 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"ana.json: \$: this is a session export (export --format json), not a bundle; a bundle to hand in is made with 'casework export --format bundle'"* ]]
	unchanged_after cw bundle import "$BATS_TEST_TMPDIR/all.json"
	[ "$status" -eq 5 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"this is a session export"* ]]
}

@test "a piped walk: help lists every command by group, --json is refused as text-only, a failed command sets the exit code" {
	start_session >/dev/null
	run bash -c 'printf "help\nquit\n" | "$0" walk 2>&1' "$CASEWORK"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Every command, by group"* ]]
	[[ "$output" == *"Records:"* ]]
	[[ "$output" == *"intervention add"* ]]
	[[ "$output" == *"bundle import"* ]]
	# --json: the walk says it prints text only, and the script fails
	run bash -c 'printf "status --json\nquit\n" | "$0" walk 2>&1' "$CASEWORK"
	[ "$status" -eq 2 ]
	[[ "$output" == *"the walk prints text only: leave out --json"* ]]
	[[ "$output" != *"unknown option"* ]]
	# a mistyped command: the walk goes on, the exit is the failure's
	unchanged_after bash -c 'printf "chek x\nstatus\nquit\n" | "$0" walk 2>&1' "$CASEWORK"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'chek'"* ]]
	[[ "$output" == *"Everything is saved"* ]]
	# the exit code is that of the last failed command: 4 for a checkpoint not found
	run bash -c 'printf "chek x\ncheck nothing-here \"Read the referral.\"\nquit\n" | "$0" walk 2>&1' "$CASEWORK"
	[ "$status" -eq 4 ]
	# nothing failed: 0
	run bash -c 'printf "status\nquit\n" | "$0" walk 2>&1' "$CASEWORK"
	[ "$status" -eq 0 ]
}

walk_as_ana() {
	printf 'quit\n' | cw --as ana walk "$CASE" --student "Someone Else" 2>&1
}

@test "on the class server a student who names someone else with --student is refused (3); their own login is fine" {
	on_pg || skip "the class server only: on a file anyone may start a session for anyone"
	cw case import "$CASES/$CASE.json" >/dev/null
	cw class add-student ana --name "Ana Lima" >/dev/null
	unchanged_after cw --as ana start "$CASE" --student "Someone Else"
	[ "$status" -eq 3 ]
	[[ "$output" == *"on the class server a student starts sessions for themselves; leave out --student"* ]]
	# the walk starts sessions the same way
	unchanged_after walk_as_ana
	[ "$status" -eq 3 ]
	[[ "$output" == *"leave out --student"* ]]
	# their own login, or no --student at all, starts a session
	run cw --as ana start "$CASE" --student ana
	[ "$status" -eq 0 ]
	run cw --as ana start "$CASE" --new
	[ "$status" -eq 0 ]
	[ "$(db_query "SELECT count(*) FROM sessions WHERE student = 'ana'")" = 2 ]
	[ "$(db_query "SELECT count(*) FROM sessions WHERE student = 'Someone Else'")" = 0 ]
}

@test "on a file, --student names whoever the session is for" {
	sqlite_only "the file has no logins"
	cw case import "$CASES/$CASE.json" >/dev/null
	run cw --as tester start "$CASE" --student "Someone Else"
	[ "$status" -eq 0 ]
	[ "$(db_query "SELECT student FROM sessions")" = "Someone Else" ]
}

@test "casework --help keeps every command's name apart from its summary, the summaries in one column" {
	run "$CASEWORK" --help
	[ "$status" -eq 0 ]
	python3 - "$output" <<'PY'
import re, sys
cols = set()
for line in sys.argv[1].splitlines():
    m = re.match(r"^  ([a-z][a-z -]*[a-z]) +(\S)", line)
    if m and not line.startswith("  -"):
        name = m.group(1)
        # the name is a command (one or two words), then at least one space
        assert len(name.split()) <= 2, line
        cols.add(line.index(m.group(2), len(name) + 2))
assert len(cols) == 1, cols
PY
	[[ "$output" == *"  class add-instructor "* ]]
}

@test "a one-word note that is a near miss of 'note list' is refused (2) with the command; after -- it is a note" {
	start_session >/dev/null
	unchanged_after cw note lsit
	[ "$status" -eq 2 ]
	[[ "$output" == *"did you mean 'casework note list'? To record the word 'lsit' itself: casework note -- lsit"* ]]
	run cw note -- lsit
	[ "$status" -eq 0 ]
	[[ "$output" == "Noted N1."* ]]
	# a word of its own is a note as ever
	run cw note tearful
	[ "$status" -eq 0 ]
	[[ "$output" == "Noted N2."* ]]
}
