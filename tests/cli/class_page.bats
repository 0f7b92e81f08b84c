#!/usr/bin/env bats
# class.bats - the class page: export --all|--case --format html is one
# page that opens with a summary table, gives each case's text once and
# links every row to its session.

load helpers

# page_structure FILE - the page as html.parser reads it, in a few facts
# (one per line) that the tests compare
page_structure() {
	python3 - "$1" <<'PY'
import sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.stack = set(), [], []
        self.rows, self.cell, self.articles, self.cases, self.refs = [], None, 0, 0, 0
        self.in_summary = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("br", "meta", "link", "img", "rect", "line", "path"):
            self.stack.append(tag)
        if "id" in a:
            assert a["id"] not in self.ids, "id used twice: " + a["id"]
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag == "nav" and "summary" in a.get("class", ""):
            self.in_summary = True
        if self.in_summary and tag == "tr":
            self.rows.append([])
        if self.in_summary and tag == "td":
            self.cell = ""
        if tag == "article":
            self.articles += 1
        if tag == "section" and a.get("class") == "case":
            self.cases += 1
        if tag == "p" and a.get("class") == "case-ref":
            self.refs += 1
    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_summary = False
        if self.in_summary and tag == "td":
            self.rows[-1].append(self.cell.strip())
            self.cell = None
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

p = Page()
p.feed(open(sys.argv[1]).read())
p.close()
broken = [l for l in p.links if l not in p.ids]
assert not broken, "links to nothing: %r" % broken
print("articles", p.articles)
print("case sections", p.cases)
print("case links", p.refs)
rows = [r for r in p.rows if r]
print("summary rows", len(rows))
for r in rows:
    print("row", " | ".join(r))
PY
}

@test "class page: a summary table linking to each session, each case's text once" {
	cw case import "$CASES"/*.json >/dev/null
	for s in Ana Ben Cleo; do
		cw start "$CASE" --student "$s" >/dev/null
		cw check case-file-reviewed "Read the referral and the school report closely." >/dev/null
		cw --as DrLee -s "$(current_session)" feedback --phase preparation --score planning=3,file-review=2 "A careful start." >/dev/null
	done
	# a note too short to say much: Cleo's work draws a hint
	cw note "Seen." >/dev/null
	cw start geron-widower-isolation --student Ana >/dev/null
	cw terminate --reason "The client moved to his daughter's town." >/dev/null
	cw export --all --format html -o "$BATS_TEST_TMPDIR/class.html"
	page_structure "$BATS_TEST_TMPDIR/class.html" >"$BATS_TEST_TMPDIR/facts"
	cat "$BATS_TEST_TMPDIR/facts"
	grep -qx 'articles 4' "$BATS_TEST_TMPDIR/facts"
	grep -qx 'summary rows 4' "$BATS_TEST_TMPDIR/facts"
	# two cases: each text once, the other sessions link to it
	grep -qx 'case sections 2' "$BATS_TEST_TMPDIR/facts"
	grep -qx 'case links 2' "$BATS_TEST_TMPDIR/facts"
	# rubric labels, not ids; an early end is marked
	# and how many hints each session's work draws
	grep -qx "row Cleo | $CASE | preparation | open | 1 of 18 | Use of the case file 2.0; Objectives and planning 3.0 | 1" "$BATS_TEST_TMPDIR/facts"
	grep -qx "row Ben | $CASE | preparation | open | 1 of 18 | Use of the case file 2.0; Objectives and planning 3.0 | 0" "$BATS_TEST_TMPDIR/facts"
	grep -qx 'row Ana | geron-widower-isolation | termination | open, ended early | 0 of [0-9]* | – | 0' "$BATS_TEST_TMPDIR/facts"
	# the case's text appears once, not once per session
	summary=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"][:60])' "$CASES/$CASE.json")
	[ "$(grep -cF "$summary" "$BATS_TEST_TMPDIR/class.html")" -eq 1 ]
	# --case: the same page for one case
	cw export --case "$CASE" --format html -o "$BATS_TEST_TMPDIR/case.html"
	page_structure "$BATS_TEST_TMPDIR/case.html" | grep -qx 'summary rows 3'
}

@test "timeline: a phase just entered reads 'no events yet', not 'events 29 to 28'" {
	start_session
	walk_to_assessment
	cw export --format html -o "$BATS_TEST_TMPDIR/s.html"
	cw export --format md -o "$BATS_TEST_TMPDIR/s.md"
	for f in s.html s.md; do
		! grep -E 'events ([0-9]+) to ([0-9]+)' "$BATS_TEST_TMPDIR/$f" |
			python3 -c 'import re, sys; sys.exit(0 if any(int(a) > int(b) for a, b in re.findall(r"events (\d+) to (\d+)", sys.stdin.read())) else 1)'
		grep -q 'no events yet' "$BATS_TEST_TMPDIR/$f"
	done
}

@test "session page: feedback stands beside the entry or phase it is about" {
	start_session
	cw check case-file-reviewed "Read the referral and the school report closely." >/dev/null
	cw objective add "Find out what changed at home this term" >/dev/null
	seq=$(cw log --json | python3 -c 'import json, sys; print([e["seq"] for e in json.load(sys.stdin)["events"] if e["type"] == "objective.added"][-1])')
	cw --as DrLee -s "$(current_session)" feedback --event "$seq" "Name who will tell you that." >/dev/null
	cw --as DrLee -s "$(current_session)" feedback --phase preparation "A calm, well planned start." >/dev/null
	cw export --format html -o "$BATS_TEST_TMPDIR/s.html"
	python3 - "$BATS_TEST_TMPDIR/s.html" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
objective = page.index("Find out what changed at home this term")
beside = page.index("Name who will tell you that.")
heading = page.index(">1. Preparation")
phase_note = page.index("A calm, well planned start.")
# the entry's feedback follows it within its list item
assert objective < beside < page.index("</li>", objective), (objective, beside)
# the phase's feedback sits under the phase heading, before its checkpoints
assert heading < phase_note < page.index('<ul class="checkpoints">', heading)
PY
}

@test "class page: a headless browser renders the summary table, with labels, and every session" {
	command -v chromium >/dev/null || skip "chromium is not installed"
	command -v pdftotext >/dev/null || skip "pdftotext is not installed"
	cw case import "$CASES/$CASE.json" >/dev/null
	for s in Ana Ben; do
		cw start "$CASE" --student "$s" >/dev/null
		cw check case-file-reviewed "Read the referral and the school report closely." >/dev/null
	done
	cw --as DrLee -s "$(current_session)" feedback --phase preparation --score planning=3 "A careful start." >/dev/null
	cw export --all --format html -o "$BATS_TEST_TMPDIR/class.html"
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$BATS_TEST_TMPDIR/chr" \
		--print-to-pdf="$BATS_TEST_TMPDIR/class.pdf" "file://$BATS_TEST_TMPDIR/class.html" 2>/dev/null
	pdftotext -layout "$BATS_TEST_TMPDIR/class.pdf" "$BATS_TEST_TMPDIR/class.txt"
	text=$(tr -s ' \n' ' ' <"$BATS_TEST_TMPDIR/class.txt")
	[[ "$text" == *"2 sessions"* ]]
	[[ "$text" == *"Student Case Phase Status Checkpoints Scores Hints"* ]]
	# the label, not the id (a narrow column may wrap it)
	[[ "$text" == *"Objectives and"*"planning 3.0"* ]]
	[[ "$text" != *"planning=3"* ]]
	[[ "$text" == *"Falling attendance in Year 8: Ana"* ]]
	[[ "$text" == *"Falling attendance in Year 8: Ben"* ]]
	[[ "$text" == *"A careful start."* ]]
}
