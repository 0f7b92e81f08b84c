#!/usr/bin/env bats
# export: JSON (checked against schemas/session-export.schema.json),
# Markdown, HTML (parsed, and rendered by a headless browser when one is
# installed) and CSV (parsed strictly), redaction, owner-only files, and
# bad input.  The sessions, built once per file:
#
#   Ana   school-attendance-year8  closed by walk_to_close; notes, a goal
#                                  and feedback that name "Maya"; a
#                                  dropped goal
#   Ben   school-attendance-year8  a refused advance; in evaluation after
#                                  a revisit to intervention
#   Cleo  geron-widower-isolation  terminated early from preparation

load helpers

bats_require_minimum_version 1.5.0

SCHOOL=school-attendance-year8
GERON=geron-widower-isolation
SCHEMA_FILE=schemas/session-export.schema.json
# in Ana's note: every character HTML and Markdown must escape
NOTE="Maya says Mondays are different <b>& \"late\"</b> | 'worst bit'"
HOUSEHOLD="two-bedroom flat"

# must ARGS... - run casework; fail the build, saying which command, unless it exits 0
must() {
	cw "$@" >/dev/null || {
		echo "sessions: casework $* failed" >&2
		return 1
	}
}

build_sessions() {
	local dir=$1 id rc=0
	export CASEWORK_DB
	CASEWORK_DB=$(scratch_db "$dir") || return 1
	must case import "$CASES/$SCHOOL.json" "$CASES/$GERON.json" || return 1

	id=$(cw start "$SCHOOL" --student Ana | head -n 1)
	echo "ANA=$id" >"$dir/ids"
	must note --tag exploration "$NOTE" &&
	must goal add --term short --measure "Maya on time for 4 of 6 Mondays" \
		"Maya wants Mondays to be normal, \"like before\"" &&
	must goal revise G1 --measure "Maya on time for 5 of the next 6 Mondays" \
		"Maya wants Mondays to be normal, \"like before\"" &&
	must goal add --term long --measure "joins a club" "A spare goal" &&
	must goal drop G2 --reason "Maya chose one focus" &&
	walk_to_close &&
	must --as Dr.Lee feedback -s "$id" --phase assessment --score 3 --criterion analysis \
		"Maya's needs are well named" || return 1

	id=$(cw start "$SCHOOL" --student Ben | head -n 1)
	echo "BEN=$id" >>"$dir/ids"
	cw advance >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 3 ] || return 1
	must check case-file-reviewed "Read the referral and the school report." &&
	must objective add "Find out what changed at home this term" &&
	must check environment-arranged "Booked the quiet room by the library." &&
	must advance &&
	must check introduced-self "Introduced myself as the school social worker." &&
	must check purpose-explained "Explained we meet to understand the missed days." &&
	must check confidentiality-explained "Explained privacy and its limits around harm." &&
	must advance &&
	must note --tag exploration "Mum works nights since the separation." &&
	must note --tag exploration "She takes her brother to school on Mondays." &&
	must note --tag exploration "She fell out with two friends." &&
	must note --tag strength "Close to her grandmother; loves art." &&
	must advance &&
	must note --tag need "Support as a young carer." &&
	must choose risk-level medium "No harm disclosed; caring duties keep her out of school." &&
	must advance &&
	must goal add --term short --measure "attends 9 of 10 days" "Back to regular attendance" &&
	must check goals-agreed "Agreed in her words: be in on Mondays." &&
	must advance &&
	must intervention add --type counseling G1 "Weekly check-in" &&
	must advance &&
	must evaluation add --outcome partial G1 "8 of 10 days" &&
	must revisit intervention --reason "attendance still dips on Mondays" &&
	must intervention add G1 --type coordination "Grandmother takes the brother on Mondays" &&
	must advance || return 1

	id=$(cw start "$GERON" --student Cleo | head -n 1)
	echo "CLEO=$id" >>"$dir/ids"
	must terminate --reason "Mr Okafor moved to his daughter's town" || return 1
	grep -cE '^[A-Z]+=[0-9a-f-]{36}$' "$dir/ids" | grep -qx 3
}

setup_file() {
	: "${CASEWORK:?set CASEWORK to the casework binary (tests/run does)}"
	: "${CASEWORK_TOP:?set CASEWORK_TOP to the repository}"
	export SESSIONS_DIR="$BATS_FILE_TMPDIR/sessions"
	mkdir -p -m 700 "$SESSIONS_DIR"
	CASES="$CASEWORK_TOP/examples/cases"
	(NO_COLOR=1 build_sessions "$SESSIONS_DIR")
}

teardown_file() {
	drop_scratch_db "$SESSIONS_DIR"
}

# setup_sessions - this test's database becomes a copy of the three
# sessions; $ANA $BEN $CLEO are their ids, Cleo's is the current one
setup_sessions() {
	[ -f "$SESSIONS_DIR/ids" ] || {
		echo "the sessions were not built" >&2
		return 1
	}
	copy_scratch_db "$SESSIONS_DIR" || return 1
	# shellcheck disable=SC1091
	. "$SESSIONS_DIR/ids"
}

# --- helpers ---------------------------------------------------------------

# validate FILE - FILE is valid against the export schema
validate() {
	python3 - "$CASEWORK_TOP/$SCHEMA_FILE" "$1" <<'EOF'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
errors = list(Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("/".join(map(str, e.absolute_path)), e.message[:300], file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
}

# jq_py FILE EXPR - print the Python expression EXPR over the JSON in FILE
# (bound to d)
jq_py() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# phase_titles - the standard workflow's phase titles, one a line
phase_titles() {
	python3 -c 'import json, sys; [print(p["title"]) for p in json.load(open(sys.argv[1]))["phases"]]' \
		"$CASEWORK_TOP/examples/workflows/standard.json"
}

# html_check FILE - FILE is one well-formed HTML page: every element that
# is opened is closed in order (void elements aside), one <svg>, no
# scripts, no external assets
html_check() {
	python3 - "$1" <<'EOF'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "input", "link", "source", "wbr", "col", "area", "base", "embed", "track"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.tags, self.doctype = [], [], {}, False
    def handle_decl(self, decl):
        self.doctype |= decl.lower() == "doctype html"
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            v = (value or "").lower()
            if name in ("src", "srcset", "action") or (name == "href" and not v.startswith("#")):
                self.problems.append("external reference %s=%s" % (name, value))
            if name.startswith("on"):
                self.problems.append("event handler " + name)
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
        else:
            self.stack.pop()
p = Check()
text = open(sys.argv[1], encoding="utf-8").read()
p.feed(text)
p.close()
if not p.doctype: p.problems.append("no <!DOCTYPE html>")
if p.stack: p.problems.append("never closed: %s" % p.stack)
for tag in ("script", "link", "iframe", "object", "img"):
    if p.tags.get(tag): p.problems.append("has <%s>" % tag)
for bad in ("http://", "https://", "url(", "@import"):
    if bad in text: p.problems.append("has " + bad)
for need in ("html", "head", "body", "style", "svg"):
    if not p.tags.get(need): p.problems.append("no <%s>" % need)
if "@media print" not in text: p.problems.append("no print style")
for problem in p.problems: print(problem, file=sys.stderr)
sys.exit(1 if p.problems else 0)
EOF
}

# csv_check FILE - FILE is RFC 4180 CSV (CRLF after every row, strict
# quoting) with as many fields on every row as in its header; prints the
# number of data rows
csv_check() {
	python3 - "$1" <<'EOF'
import csv, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\r\n"), "the last row does not end with CRLF"
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8"), strict=True))
widths = {len(r) for r in rows}
assert len(widths) == 1, "rows of %s fields" % sorted(widths)
print(len(rows) - 1)
EOF
}

# --- JSON --------------------------------------------------------------------

@test "export json: one session, valid against the schema, with every phase and the chain head" {
	setup_sessions
	run cw export -s "$ANA" --format json
	[ "$status" -eq 0 ]
	echo "$output" >"$BATS_TEST_TMPDIR/ana.json"
	validate "$BATS_TEST_TMPDIR/ana.json"
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" 'd["schema_version"], d["student"], d["status"], d["redacted"]')" = "(1, 'Ana', 'closed', False)" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" '" ".join(p["id"] for p in d["phases"])')" = \
		"preparation introduction exploration assessment goal-setting intervention evaluation termination" ]
	# the head is the hash of the log's last event, and verify agrees
	head=$(cw log -s "$ANA" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["events"][-1]["hash"])')
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" 'd["head"]')" = "$head" ]
	cw verify -s "$ANA" | grep -q "head ${head:0:12}"
	# the full case as the session started with it, and what was written
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" 'd["case"]["client"]["alias"], d["case"]["client"]["age"]')" = "('Maya', 13)" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" 'd["notes"][0]["text"]')" = "$NOTE" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" '[p["records"] for p in d["phases"]][0]')" = "['N1', 'G1', 'G2', 'O1']" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" 'all(c["met"] and (c["kind"] not in ("confirm", "choice") or c["statements"]) for p in d["phases"] for c in p["checkpoints"])')" = True ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" '[(g["id"], g["status"], len(g["interventions"]), len(g["evaluations"])) for g in d["goals"]]')" = \
		"[('G1', 'open', 1, 1), ('G2', 'dropped', 0, 0)]" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" 'd["goals"][1]["dropped"]["reason"]')" = "Maya chose one focus" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" '[v["measure"][:18] for v in d["goals"][0]["versions"]]')" = \
		"['Maya on time for 4', 'Maya on time for 5']" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" '[(f["actor"], f["score"], f["criterion"]) for f in d["feedback"]], d["scores"]')" = \
		"([('Dr.Lee', 3, 'analysis')], {'assessment.analysis': 3})" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" 'len(d["visits"]), d["closed_at"] is not None, d["events"]')" = "(8, True, $(cw log -s "$ANA" --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["events"]))'))" ]
}

@test "export json: revisits with reasons, refusals with blockers, an early termination" {
	setup_sessions
	cw export -s "$BEN" --format json >"$BATS_TEST_TMPDIR/ben.json"
	validate "$BATS_TEST_TMPDIR/ben.json"
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" '[(r["from"], r["to"], r["reason"]) for r in d["revisits"]]')" = \
		"[('evaluation', 'intervention', 'attendance still dips on Mondays')]" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" '[(r["phase"], [b["id"] for b in r["blockers"]]) for r in d["refusals"]]')" = \
		"[('preparation', ['case-file-reviewed', 'objectives', 'environment-arranged'])]" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" '[(v["phase"], v["entered_by"]) for v in d["visits"]][-3:]')" = \
		"[('evaluation', 'advance'), ('intervention', 'revisit'), ('evaluation', 'advance')]" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" '[p["visits"] for p in d["phases"]]')" = "[1, 1, 1, 1, 1, 2, 2, 0]" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" '[c["statements"][-1]["value"] for p in d["phases"] for c in p["checkpoints"] if c["kind"] == "choice"]')" = "['medium']" ]
	cw export -s "$CLEO" --format json >"$BATS_TEST_TMPDIR/cleo.json"
	validate "$BATS_TEST_TMPDIR/cleo.json"
	[ "$(jq_py "$BATS_TEST_TMPDIR/cleo.json" 'd["termination"]["from"], d["termination"]["reason"], d["visits"][-1]["entered_by"]')" = \
		"('preparation', \"Mr Okafor moved to his daughter's town\", 'terminate')" ]
}

@test "export json --all: a three-element array, each valid; --case and --student choose" {
	setup_sessions
	cw export --all --format json >"$BATS_TEST_TMPDIR/all.json"
	validate "$BATS_TEST_TMPDIR/all.json"
	[ "$(jq_py "$BATS_TEST_TMPDIR/all.json" '[s["student"] for s in d]')" = "['Ana', 'Ben', 'Cleo']" ]
	cw export --case "$SCHOOL" --format json >"$BATS_TEST_TMPDIR/school.json"
	[ "$(jq_py "$BATS_TEST_TMPDIR/school.json" '[s["session"] for s in d]')" = "['$ANA', '$BEN']" ]
	cw export --student Cleo --format json >"$BATS_TEST_TMPDIR/cleo.json"
	[ "$(jq_py "$BATS_TEST_TMPDIR/cleo.json" 'type(d).__name__, len(d), d[0]["case"]["id"]')" = "('list', 1, '$GERON')" ]
	cw export --student Nobody --format json >"$BATS_TEST_TMPDIR/none.json"
	[ "$(jq_py "$BATS_TEST_TMPDIR/none.json" 'd')" = "[]" ]
	validate "$BATS_TEST_TMPDIR/none.json"
}

@test "the schema rejects what an export must not hold" {
	setup_sessions
	cw export -s "$ANA" --format json --redact >"$BATS_TEST_TMPDIR/r.json"
	validate "$BATS_TEST_TMPDIR/r.json"
	# a redacted export that still names the client
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["case"]["client"]["alias"] = "Maya"; json.dump(d, open(sys.argv[1], "w"))' "$BATS_TEST_TMPDIR/r.json"
	run validate "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 1 ]
	# an unknown member, and a head that is not a hash
	cw export -s "$ANA" --format json >"$BATS_TEST_TMPDIR/a.json"
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["extra"] = 1; json.dump(d, open(sys.argv[1], "w"))' "$BATS_TEST_TMPDIR/a.json"
	run validate "$BATS_TEST_TMPDIR/a.json"
	[ "$status" -eq 1 ]
	cw export -s "$ANA" --format json | sed 's/"head":\t"[0-9a-f]*"/"head": "x"/' >"$BATS_TEST_TMPDIR/h.json"
	run validate "$BATS_TEST_TMPDIR/h.json"
	[ "$status" -eq 1 ]
}

# --- Markdown ------------------------------------------------------------------

@test "export md: case, student, every phase, the goal table, feedback, timeline, chain head" {
	setup_sessions
	run cw export -s "$ANA" --format md
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "# Falling attendance in Year 8: Ana" ]
	n=0
	while IFS= read -r title; do
		n=$((n + 1))
		grep -qxF "### $n. $title" <<<"$output" || {
			echo "no heading for phase $n $title" >&2
			return 1
		}
	done < <(phase_titles)
	[ "$n" -eq 8 ]
	grep -A1 -xF "| Goal | Term | Measure | Status | Interventions | Evaluations |" <<<"$output" |
		tail -n 1 | grep -qxF "|---|---|---|---|---|---|"
	grep -qE '^\| G1 Maya wants Mondays to be normal, "like before" \| short \| Maya on time for 5 of the next 6 Mondays \| open \| I1 \(other\) A step\. \| E1 \*\*partial\*\* Some change\. \|$' <<<"$output"
	grep -qF "| G2 A spare goal | long | joins a club | dropped: Maya chose one focus |" <<<"$output"
	grep -qF -- "- Dr.Lee on Assessment, score 3 on analysis: Maya's needs are well named" <<<"$output"
	grep -qF "| assessment.analysis | 3.0 |" <<<"$output"
	grep -qxF "## Timeline" <<<"$output"
	grep -qE '^9\. [0-9T:.Z-]+: session closed$' <<<"$output"
	head=$(cw export -s "$ANA" --format json | python3 -c 'import json, sys; print(json.load(sys.stdin)["head"])')
	[ "${lines[${#lines[@]} - 1]}" = "Chain head: \`$head\`" ]
	# student text is shown literally: no raw HTML, no stray table cell
	grep -qF -- '- N1 (exploration): Maya says Mondays are different \<b\>& "late"\</b\> \| '"'worst bit'" <<<"$output"
	! grep -qF "<b>" <<<"$output"
}

@test "export md: a revisit, a refusal and an early termination are told" {
	setup_sessions
	run cw export -s "$BEN" --format md
	[ "$status" -eq 0 ]
	grep -qF -- "- Revisited Intervention (event " <<<"$output"
	grep -qF "): attendance still dips on Mondays" <<<"$output"
	grep -qE '^- Advance refused \(event 2\): ' <<<"$output"
	grep -qE '^[0-9]+\. [0-9T:.Z-]+: Intervention, events [0-9]+ to [0-9]+, [0-9]+ (s|min) \(revisited: attendance still dips on Mondays\)$' <<<"$output"
	run cw export -s "$CLEO" --format md
	grep -qF -- "- Terminated early (event 2): Mr Okafor moved to his daughter's town" <<<"$output"
	grep -qxF "Not reached." <<<"$output"
}

# --- HTML ----------------------------------------------------------------------

@test "export html: one well-formed self-contained page with every phase and an SVG timeline" {
	setup_sessions
	cw export -s "$BEN" --format html -o "$BATS_TEST_TMPDIR/ben.html"
	html_check "$BATS_TEST_TMPDIR/ben.html"
	while IFS= read -r title; do
		grep -qF ">$title<" "$BATS_TEST_TMPDIR/ben.html" || {
			echo "no phase $title" >&2
			return 1
		}
	done < <(phase_titles)
	# one bar per visit, the revisit marked
	visits=$(cw export -s "$BEN" --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["visits"]))')
	[ "$(grep -cE '^<rect class="(start|advance|revisit|terminate)" ' "$BATS_TEST_TMPDIR/ben.html")" -eq "$visits" ]
	[ "$(grep -c '^<rect class="revisit" ' "$BATS_TEST_TMPDIR/ben.html")" -eq 1 ]
	grep -qF '>&#8634; revisit</text>' "$BATS_TEST_TMPDIR/ben.html"
	grep -qF "Intervention: " "$BATS_TEST_TMPDIR/ben.html"
	grep -qF "(revisited: attendance still dips on Mondays)</title></rect>" "$BATS_TEST_TMPDIR/ben.html"
}

@test "export html: every text is escaped" {
	setup_sessions
	run cw export -s "$ANA" --format html
	[ "$status" -eq 0 ]
	grep -qF "Maya says Mondays are different &lt;b&gt;&amp; &quot;late&quot;&lt;/b&gt; | &#39;worst bit&#39;" <<<"$output"
	! grep -qF "<b>" <<<"$output"
	grep -qF "Maya&#39;s needs are well named" <<<"$output"
	grep -qF "<td><strong>G1</strong> Maya wants Mondays to be normal, &quot;like before&quot;</td>" <<<"$output"
}

@test "export html: a headless browser renders the text and every phase" {
	command -v chromium >/dev/null || skip "chromium is not installed"
	setup_sessions
	cw export -s "$ANA" --format html -o "$BATS_TEST_TMPDIR/ana.html"
	if command -v pdftotext >/dev/null; then
		timeout 120 chromium --headless --no-sandbox --disable-gpu \
			--disable-background-networking --disable-component-update \
			--disable-sync --no-first-run --user-data-dir="$BATS_TEST_TMPDIR/chr" \
			--print-to-pdf="$BATS_TEST_TMPDIR/ana.pdf" "file://$BATS_TEST_TMPDIR/ana.html" 2>/dev/null
		pdftotext -layout "$BATS_TEST_TMPDIR/ana.pdf" "$BATS_TEST_TMPDIR/ana.txt"
	else
		timeout 120 chromium --headless --no-sandbox --disable-gpu \
			--disable-background-networking --disable-component-update \
			--disable-sync --no-first-run --user-data-dir="$BATS_TEST_TMPDIR/chr" \
			--dump-dom "file://$BATS_TEST_TMPDIR/ana.html" 2>/dev/null |
			python3 -c 'import html, re, sys; print(html.unescape(re.sub(r"<[^>]*>", " ", sys.stdin.read())))' \
				>"$BATS_TEST_TMPDIR/ana.txt"
	fi
	text=$(tr -s ' \n' ' ' <"$BATS_TEST_TMPDIR/ana.txt")
	[[ "$text" == *"Falling attendance in Year 8: Ana"* ]]
	[[ "$text" == *"Maya says Mondays are different <b>& \"late\"</b>"* ]]
	[[ "$text" == *"Goals, interventions and evaluations"* ]]
	while IFS= read -r title; do
		[[ "$text" == *"$title"* ]] || {
			echo "the rendered page lacks phase $title" >&2
			return 1
		}
	done < <(phase_titles)
}

@test "export html --all: one page, a section per session and a summary table of them" {
	setup_sessions
	cw export --all --format html >"$BATS_TEST_TMPDIR/all.html"
	html_check "$BATS_TEST_TMPDIR/all.html"
	[ "$(grep -c '<article class="session"' "$BATS_TEST_TMPDIR/all.html")" -eq 3 ]
	[ "$(grep -c '^<!DOCTYPE html>' "$BATS_TEST_TMPDIR/all.html")" -eq 1 ]
	grep -qF "<tr><td><a href=\"#session-$CLEO\">Cleo</a></td><td>$GERON</td>" "$BATS_TEST_TMPDIR/all.html"
	[ "$(grep -o 'id="timeline-title-[0-9]*"' "$BATS_TEST_TMPDIR/all.html" | sort -u | wc -l)" -eq 3 ]
}

# --- all that was written: reflections, strikes, corrections, tags, notes ------

@test "export: each reflection stage under its title in json, md, html and the class page" {
	setup_sessions
	cw export -s "$ANA" --format json >"$BATS_TEST_TMPDIR/ana.json"
	validate "$BATS_TEST_TMPDIR/ana.json"
	# walk_to_close wrote every stage with the same sentence
	said="A statement of what was done, long enough for any checkpoint here."
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" '[s.get("stage") for p in d["phases"] for c in p["checkpoints"] if c["kind"] == "reflection" for s in c["statements"]]')" = \
		"['description', 'feelings', 'evaluation', 'analysis', 'conclusion', 'action-plan']" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ana.json" '{s["text"] for p in d["phases"] for c in p["checkpoints"] if c["kind"] == "reflection" for s in c["statements"]}')" = "{'$said'}" ]
	run cw export -s "$ANA" --format md
	for title in Description Feelings Evaluation Analysis Conclusion "Action plan"; do
		grep -qxF "  - *$title:* $said" <<<"$output" || {
			echo "md lacks the stage $title" >&2
			return 1
		}
	done
	cw export -s "$ANA" --format html >"$BATS_TEST_TMPDIR/ana.html"
	cw export --all --format html >"$BATS_TEST_TMPDIR/all.html"
	html_check "$BATS_TEST_TMPDIR/ana.html"
	for f in ana all; do
		for title in Description Feelings Evaluation Analysis Conclusion "Action plan"; do
			grep -qF "<dt>$title</dt><dd>$said</dd>" "$BATS_TEST_TMPDIR/$f.html" || {
				echo "$f.html lacks the stage $title" >&2
				return 1
			}
		done
	done
}

@test "export: struck and corrected records and statements, and every tag of a note, in json, md and html" {
	setup_sessions
	cw use "$BEN" >/dev/null
	cw strike N1 --reason "Maya's mum asked us to leave this out" >/dev/null
	cw correct N2 "She walks her brother to school on Mondays." --reason "her words" >/dev/null
	cw correct risk-level "No harm disclosed; caring keeps her home on Mondays." --reason "more exact" >/dev/null
	cw note --tag strength --tag observation "Lights up when talking about art." >/dev/null
	cw note "Maya worries about her mum." >/dev/null
	cw correct N7 "She worries about her mum." --reason "keep to what was said" >/dev/null
	cw export --format json >"$BATS_TEST_TMPDIR/ben.json"
	validate "$BATS_TEST_TMPDIR/ben.json"
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" '[(n["id"], n.get("tag"), n["tags"], n["text"][:12], sorted(n.get("struck", {})), n.get("corrected", {}).get("original", "")[:13]) for n in d["notes"] if n["id"] in ("N1", "N2", "N6")]')" = \
		"[('N1', 'exploration', ['exploration'], 'Mum works ni', ['at', 'reason', 'seq'], ''), ('N2', 'exploration', ['exploration'], 'She walks he', [], 'She takes her'), ('N6', 'strength', ['strength', 'observation'], 'Lights up wh', [], '')]" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" 'd["notes"][0]["struck"]["reason"], d["notes"][1]["corrected"]["reason"]')" = \
		"(\"Maya's mum asked us to leave this out\", 'her words')" ]
	# the checkpoint counts leave the struck note out, as status does
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" '[(c["met"], c["have"]) for p in d["phases"] for c in p["checkpoints"] if c["id"] == "exploration-notes"]')" = "[(False, 2)]" ]
	[ "$(jq_py "$BATS_TEST_TMPDIR/ben.json" '[(s["text"][-11:], s["corrected"]["original"][-14:], s["corrected"]["reason"]) for p in d["phases"] for c in p["checkpoints"] if c["id"] == "risk-level" for s in c["statements"]]')" = \
		"[('on Mondays.', 'out of school.', 'more exact')]" ]
	run cw export --format md
	grep -qxF -- "- N1 (exploration): ~~Mum works nights since the separation.~~ **(struck: Maya's mum asked us to leave this out)**" <<<"$output"
	grep -qxF -- "- N2 (exploration): She walks her brother to school on Mondays. *(corrected: her words; was: She takes her brother to school on Mondays.)*" <<<"$output"
	grep -qxF -- "- N6 (strength, observation): Lights up when talking about art." <<<"$output"
	grep -qF -- "**medium**, No harm disclosed; caring keeps her home on Mondays. *(corrected: more exact; was: No harm disclosed; caring duties keep her out of school.)*" <<<"$output"
	cw export --format html >"$BATS_TEST_TMPDIR/ben.html"
	html_check "$BATS_TEST_TMPDIR/ben.html"
	grep -qF '<del>Mum works nights since the separation.</del> <span class="mark">(struck: Maya&#39;s mum asked us to leave this out)</span>' "$BATS_TEST_TMPDIR/ben.html"
	grep -qF 'She walks her brother to school on Mondays. <span class="mark">(corrected: her words; was: She takes her brother to school on Mondays.)</span>' "$BATS_TEST_TMPDIR/ben.html"
	grep -qF '<span class="tag">strength, observation</span> Lights up' "$BATS_TEST_TMPDIR/ben.html"
	grep -qF '(corrected: more exact; was: No harm disclosed; caring duties keep her out of school.)' "$BATS_TEST_TMPDIR/ben.html"
	# what the log holds beside the texts is redacted too
	grep -q "was: Maya worries" "$BATS_TEST_TMPDIR/ben.html"
	for format in json md html; do
		cw export --format "$format" --redact >"$BATS_TEST_TMPDIR/r.$format"
		if grep -n Maya "$BATS_TEST_TMPDIR/r.$format"; then
			echo "$format names the client" >&2
			return 1
		fi
	done
	grep -qF "was: [client] worries about her mum" "$BATS_TEST_TMPDIR/r.html"
}

# instructor_notes - "PHASE<tab>NOTE" for each instructor note of the school case
instructor_notes() {
	python3 -c 'import json, sys
for k, v in json.load(open(sys.argv[1]))["instructor_notes"].items(): print(k + "\t" + v)' \
		"$CASEWORK_TOP/examples/cases/$SCHOOL.json"
}

# notes_beside_phases FILE FORMAT [none] - each instructor note is in FILE
# (an md or html export) between its phase's heading and the next one;
# with "none", no note is anywhere in it
notes_beside_phases() {
	instructor_notes | python3 - "$1" "$2" "${3:-}" "$CASEWORK_TOP/examples/workflows/standard.json" <<'EOF'
import html, json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[2] == "html":
    text = html.unescape(text)
else:
    text = re.sub(r"\\(.)", r"\1", text)
titles = {p["id"]: p["title"] for p in json.load(open(sys.argv[4]))["phases"]}
order = list(titles)
problems = []
for line in sys.stdin.read().splitlines():
    phase, note = line.split("\t", 1)
    at = text.find(note)
    if sys.argv[3] == "none":
        if at >= 0 or "looked for:" in text:
            problems.append("shows the note on " + phase)
        continue
    n = order.index(phase) + 1
    start = text.find("%d. %s" % (n, titles[phase]))
    nxt = text.find("%d. %s" % (n + 1, titles[order[n]])) if n < len(order) else len(text)
    if not (0 <= start < at < nxt):
        problems.append("the note on %s is not beside it (%d, %d, %d)" % (phase, start, at, nxt))
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}

@test "export --full: md and html give each phase's instructor note beside it; without --full, none" {
	setup_sessions
	[ "$(instructor_notes | wc -l)" -ge 4 ]
	for format in md html; do
		cw export -s "$ANA" --format "$format" --full >"$BATS_TEST_TMPDIR/full.$format"
		notes_beside_phases "$BATS_TEST_TMPDIR/full.$format" "$format"
		cw export -s "$ANA" --format "$format" >"$BATS_TEST_TMPDIR/plain.$format"
		notes_beside_phases "$BATS_TEST_TMPDIR/plain.$format" "$format" none
		# and a class page of the sessions, with and without
		cw export --all --format "$format" --full >"$BATS_TEST_TMPDIR/all.$format"
		grep -q "looked for:" "$BATS_TEST_TMPDIR/all.$format"
		cw export --all --format "$format" >"$BATS_TEST_TMPDIR/all.$format"
		! grep -q "looked for:" "$BATS_TEST_TMPDIR/all.$format"
		# the notes name the client: --redact takes her out of them
		cw export -s "$ANA" --format "$format" --full --redact >"$BATS_TEST_TMPDIR/r.$format"
		grep -q "looked for:" "$BATS_TEST_TMPDIR/r.$format"
		! grep -n Maya "$BATS_TEST_TMPDIR/r.$format"
	done
	html_check "$BATS_TEST_TMPDIR/full.html"
}

# --- CSV -----------------------------------------------------------------------

@test "export csv: the columns and rows of report --format csv" {
	setup_sessions
	cw export --all --format csv >"$BATS_TEST_TMPDIR/all.csv"
	[ "$(csv_check "$BATS_TEST_TMPDIR/all.csv")" -eq 3 ]
	cw report --format csv >"$BATS_TEST_TMPDIR/report.csv"
	cmp "$BATS_TEST_TMPDIR/all.csv" "$BATS_TEST_TMPDIR/report.csv"
	cw export --case "$SCHOOL" --format csv >"$BATS_TEST_TMPDIR/school.csv"
	cw report --case "$SCHOOL" --format csv >"$BATS_TEST_TMPDIR/report.csv"
	cmp "$BATS_TEST_TMPDIR/school.csv" "$BATS_TEST_TMPDIR/report.csv"
	# one session: its row under the same first columns
	cw export -s "$BEN" --format csv >"$BATS_TEST_TMPDIR/ben.csv"
	[ "$(csv_check "$BATS_TEST_TMPDIR/ben.csv")" -eq 1 ]
	[ "$(head -c 100 "$BATS_TEST_TMPDIR/ben.csv")" = "$(head -c 100 "$BATS_TEST_TMPDIR/all.csv")" ]
	grep -q "^$BEN,Ben,$SCHOOL,standard,2,open,evaluation,evaluation," "$BATS_TEST_TMPDIR/ben.csv"
	! grep -q "$ANA" "$BATS_TEST_TMPDIR/ben.csv"
}

@test "export csv --goals: one row per goal, quoted as RFC 4180 says" {
	setup_sessions
	cw export --all --format csv --goals >"$BATS_TEST_TMPDIR/goals.csv"
	[ "$(csv_check "$BATS_TEST_TMPDIR/goals.csv")" -eq 3 ]
	python3 - "$BATS_TEST_TMPDIR/goals.csv" "$ANA" "$BEN" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline=""), strict=True))
assert rows[0] == ["session", "student", "case", "goal", "term", "status", "text", "measure", "interventions", "last_outcome"], rows[0]
assert rows[1] == [sys.argv[2], "Ana", "school-attendance-year8", "G1", "short", "open",
                   'Maya wants Mondays to be normal, "like before"',
                   "Maya on time for 5 of the next 6 Mondays", "1", "partial"], rows[1]
assert rows[2][3:6] == ["G2", "long", "dropped"] and rows[2][8:] == ["0", ""], rows[2]
assert rows[3][:4] == [sys.argv[3], "Ben", "school-attendance-year8", "G1"] and rows[3][8:] == ["2", "partial"], rows[3]
EOF
	grep -qF ',"Maya wants Mondays to be normal, ""like before""",' "$BATS_TEST_TMPDIR/goals.csv"
	run cw export -s "$CLEO" --format csv --goals
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
}

# --- redaction -----------------------------------------------------------------

@test "export --redact: no alias, age or household in any format" {
	setup_sessions
	for format in json md html csv; do
		cw export -s "$ANA" --format "$format" --redact >"$BATS_TEST_TMPDIR/r.$format"
	done
	cw export --all --format csv --goals --redact >"$BATS_TEST_TMPDIR/r.goals.csv"
	cw export --all --format html --redact >"$BATS_TEST_TMPDIR/r.all.html"
	for f in "$BATS_TEST_TMPDIR"/r.*; do
		if grep -n -e Maya -e "$HOUSEHOLD" "$f"; then
			echo "$f names the client" >&2
			return 1
		fi
	done
	! grep -qE '"(age|alias|household)"' "$BATS_TEST_TMPDIR/r.json"
	! grep -qi -e 'age 13' -e 'household' "$BATS_TEST_TMPDIR/r.md"
	! grep -qi -e '<dt>Age</dt>' -e '<dt>Household</dt>' "$BATS_TEST_TMPDIR/r.html"
	# the alias is replaced, in the students' texts and in the case's own
	[ "$(jq_py "$BATS_TEST_TMPDIR/r.json" 'd["notes"][0]["text"][:30], d["goals"][0]["text"][:15], d["feedback"][0]["text"][:16], d["case"]["background"][:20], d["redacted"]')" = \
		"('[client] says Mondays are diff', '[client] wants ', \"[client]'s needs\", '[client] joined the ', True)" ]
	# (Markdown shows [ and ] escaped: typed text never makes a link)
	grep -qF -- "- **Client:** \\[client\\], she/her" "$BATS_TEST_TMPDIR/r.md"
	grep -qF "<dt>Client</dt><dd>[client]</dd>" "$BATS_TEST_TMPDIR/r.html"
	grep -qF ',[client] wants Mondays' "$BATS_TEST_TMPDIR/r.goals.csv" ||
		grep -qF ',"[client] wants Mondays' "$BATS_TEST_TMPDIR/r.goals.csv"
	# and without --redact, the same texts do name her
	cw export -s "$ANA" --format md | grep -q "Maya, age 13"
}

# --- files -----------------------------------------------------------------------

@test "export -o: the file is owner-only; - and no -o write to stdout" {
	setup_sessions
	umask 022
	run cw export -s "$ANA" --format json -o "$BATS_TEST_TMPDIR/ana.json"
	[ "$status" -eq 0 ]
	[ "$output" = "Exported 1 session as json to $BATS_TEST_TMPDIR/ana.json" ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/ana.json")" = 600 ]
	cw export -s "$ANA" --format json >"$BATS_TEST_TMPDIR/stdout.json"
	cw export -s "$ANA" --format json -o - >"$BATS_TEST_TMPDIR/dash.json"
	cmp "$BATS_TEST_TMPDIR/ana.json" "$BATS_TEST_TMPDIR/stdout.json"
	cmp "$BATS_TEST_TMPDIR/ana.json" "$BATS_TEST_TMPDIR/dash.json"
	run cw export --all --format md -o "$BATS_TEST_TMPDIR/all.md" --json
	[ "$status" -eq 0 ]
	[ "$(python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["sessions"], d["format"], d["redacted"])' <<<"$output")" = "3 md False" ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/all.md")" = 600 ]
}

@test "export -o: an existing file is refused without --force, replaced owner-only with it" {
	setup_sessions
	echo "keep me" >"$BATS_TEST_TMPDIR/out.md"
	chmod 644 "$BATS_TEST_TMPDIR/out.md"
	run cw export -s "$ANA" --format md -o "$BATS_TEST_TMPDIR/out.md"
	[ "$status" -eq 2 ]
	[ "$output" = "casework: $BATS_TEST_TMPDIR/out.md exists; --force replaces it" ]
	[ "$(cat "$BATS_TEST_TMPDIR/out.md")" = "keep me" ]
	run cw export -s "$ANA" --format md -o "$BATS_TEST_TMPDIR/out.md" --force
	[ "$status" -eq 0 ]
	head -n 1 "$BATS_TEST_TMPDIR/out.md" | grep -qxF "# Falling attendance in Year 8: Ana"
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/out.md")" = 600 ]
	# a symbolic link is not followed, even with --force
	ln -s "$BATS_TEST_TMPDIR/out.md" "$BATS_TEST_TMPDIR/link.md"
	run cw export -s "$ANA" --format md -o "$BATS_TEST_TMPDIR/link.md" --force
	[ "$status" -eq 2 ]
	head -n 1 "$BATS_TEST_TMPDIR/out.md" | grep -qxF "# Falling attendance in Year 8: Ana"
}

@test "export --format bundle: the session's hand-in file" {
	setup_sessions
	run cw export -s "$ANA" --format bundle -o "$BATS_TEST_TMPDIR/ana.bundle.json"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/ana.bundle.json")" = 600 ]
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$BATS_TEST_TMPDIR/ana.bundle.json"
	grep -q "$ANA" "$BATS_TEST_TMPDIR/ana.bundle.json"
}

# --- bad input -------------------------------------------------------------------

@test "export: bad input gets its exit code, writes no file and leaves the database as it was" {
	setup_sessions
	out="$BATS_TEST_TMPDIR/out.json"
	unchanged_after cw export -s ffffffff --format json -o "$out"
	[ "$status" -eq 4 ]
	[[ "$output" == "casework: "* ]]
	[ ! -e "$out" ]
	unchanged_after cw export -s "$ANA" --format pdf -o "$out"
	[ "$status" -eq 2 ]
	[ "$output" = "casework: unknown format 'pdf' (expected json, md, html, csv or bundle)" ]
	unchanged_after cw export -s "$ANA" --all --format json -o "$out"
	[ "$status" -eq 2 ]
	[[ "$output" == *"give one or the other"* ]]
	unchanged_after cw export --all --case "$SCHOOL" --format json
	[ "$status" -eq 2 ]
	unchanged_after cw export -s "$ANA" -o "$out"
	[ "$status" -eq 2 ]
	[ "$output" = "casework: export needs --format: json, md, html, csv or bundle" ]
	unchanged_after cw export -s "$ANA" --format json --goals
	[ "$status" -eq 2 ]
	unchanged_after cw export --all --format bundle
	[ "$status" -eq 2 ]
	unchanged_after cw export -s "$ANA" --format bundle --redact
	[ "$status" -eq 2 ]
	unchanged_after cw export --case no-such-case --format json -o "$out"
	[ "$status" -eq 4 ]
	unchanged_after cw export -s "$ANA" --format json --colour
	[ "$status" -eq 2 ]
	[ ! -e "$out" ]
	# and a good export changes nothing either
	unchanged_after cw export --all --format html -o "$out"
	[ "$status" -eq 0 ]
}

@test "export: without -s, the current session; a missing database is not created" {
	setup_sessions
	run cw export --format json
	[ "$status" -eq 0 ]
	[ "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["student"])' <<<"$output")" = Cleo ]
	CASEWORK_SESSION="$ANA" run cw export --format json
	[ "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["student"])' <<<"$output")" = Ana ]
	CASEWORK_DB="$BATS_TEST_TMPDIR/none/casework.db" run cw export --all --format json
	[ "$status" -ne 0 ]
	[ ! -e "$BATS_TEST_TMPDIR/none/casework.db" ]
}
