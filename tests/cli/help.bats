#!/usr/bin/env bats
# Help, usage and the man page, which is generated from the same table.

load helpers

# every command name, from the program's own help
commands() {
	"$CASEWORK" --help | awk '/^  [a-z]/ { n = $1; if ($2 ~ /^[a-z][a-z-]*$/ && $3 ~ /^[A-Z]/) n = n " " $2; print n }'
}

@test "--help lists every command, grouped" {
	run "$CASEWORK" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Working a session:"* ]]
	[[ "$output" == *"  goal add "* ]]
	[ "$(commands | wc -l)" -ge 25 ]
}

@test "every command has --help with usage and an example" {
	local n=0
	while read -r name; do
		run "$CASEWORK" $name --help
		[ "$status" -eq 0 ] || { echo "$name --help exited $status"; return 1; }
		[[ "$output" == *"usage: casework $name"* ]] || { echo "no usage for $name"; return 1; }
		[[ "$output" == *"example:"* ]] || { echo "no example for $name"; return 1; }
		n=$((n + 1))
	done < <(commands)
	[ "$n" -ge 25 ]
}

@test "help COMMAND is the same as COMMAND --help" {
	[ "$("$CASEWORK" help goal add)" = "$("$CASEWORK" goal add --help)" ]
}

@test "the committed man page is the one the program generates" {
	diff <("$CASEWORK" __man) "$CASEWORK_TOP/casework.1"
}

@test "the man page documents every command and exit code" {
	run "$CASEWORK" __man
	while read -r name; do
		[[ "$output" == *"fBcasework ${name//-/\\-}\\fR"* ]] || { echo "man page lacks $name"; return 1; }
	done < <(commands)
	for code in 0 1 2 3 4 5; do
		[[ "$output" == *".B $code"* ]]
	done
}

@test "a command with no arguments prints help and exits 2" {
	run "$CASEWORK"
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: casework"* ]]
}

@test "--version prints the version and those of the libraries" {
	run "$CASEWORK" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^casework\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	# SQLite as loaded: the same as the sqlite3 shell's library here
	[ "${lines[1]}" = "SQLite $(sqlite3 --version | cut -d' ' -f1)" ]
	[ "${lines[2]}" = "cJSON $(pkg-config --modversion libcjson)" ]
	[ "${lines[3]}" = "nettle $(pkg-config --modversion nettle | cut -d. -f1,2)" ]
	[[ "${lines[4]}" == "libuuid $(pkg-config --modversion uuid) (as built"* ]]
	local version=${lines[0]#casework }
	run "$CASEWORK" --version --json
	[ "$(echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["schema_version"], d["casework"], d["libuuid_from"])')" = "1 $version build" ]
}
