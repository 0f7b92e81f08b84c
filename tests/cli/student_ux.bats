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
