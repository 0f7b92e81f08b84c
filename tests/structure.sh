#!/usr/bin/env bash
# tests/structure.sh - the shape of the engine (ARCHITECTURE.md) as tests,
# in TAP, so that a change that breaks it fails `make check`:
#   - no file in engine/ or cli/ is over 600 lines;
#   - only the backends touch a database library: sqlite3 in *sqlite*.c,
#     libpq in *pg*.c;
#   - every engine file has a layer, and includes only from its own layer
#     and those below (so no include cycle can form);
#   - below the acts and views, no file includes the API of the layers
#     above it (casework/session.h, export.h, report.h, bundle.h);
#   - cli/ includes only the public headers.
# Each rule is checked with grep and wc, as anyone can by hand.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

# The layers, lowest first: a file's module is its name without .c/.h.
declare -A layer=(
	# 0 base: errors, SHA-256, signatures, the event vocabulary, JSON lists
	[error]=0 [hash]=0 [sign]=0 [event]=0 [json]=0
	# 1 definitions: validating input, workflows and their images, text
	[check]=1 [workflow]=1 [workflow_image]=1 [workflow_image_read]=1
	[workflow_image_format]=1 [workflow_tags]=1 [workflow_stages]=1
	[workflow_checkpoint]=1 [workflow_rubric]=1 [text]=1
	# 2 storage: the interface and one backend per database
	[store]=2 [store_sqlite]=2 [connect_sqlite]=2 [schema_sqlite]=2
	[defs_sqlite]=2 [doctor_sqlite]=2 [store_pg]=2 [connect_pg]=2
	[schema_pg]=2 [libpq_pg]=2 [roles_pg]=2 [doctor_pg]=2
	# 3 stored definitions: the workflow catalogue, cases
	[catalog]=3 [case]=3
	# 4 state: replaying a session, judging its checkpoints
	[state]=4 [state_keep]=4 [state_feedback]=4 [state_events]=4
	[judge]=4 [judge_json]=4 [hint]=4
	# 5 acts and views
	[decide]=5 [decide_record]=5 [decide_move]=5 [decide_teach]=5
	[class]=5 [session]=5 [fire]=5 [view]=5 [view_records]=5 [approval]=5
	[verify]=5 [listing]=5 [open]=5
	# 6 outputs
	[export]=6 [export_doc]=6 [render]=6 [render_doc]=6 [render_md]=6
	[render_html]=6 [render_html_style]=6 [render_html_class]=6 [render_html_svg]=6
	[render_csv]=6 [redact]=6 [report]=6 [report_grades]=6 [median]=6
	[report_group]=6 [report_spool]=6 [export_write]=6
	[dot]=6 [bundle]=6 [bundle_merge]=6 [key]=6
)

n=0
failures=0
result() { # result OK DESCRIPTION [DETAIL...]
	local ok=$1 what=$2
	shift 2
	n=$((n + 1))
	if [ "$ok" -eq 0 ]; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		printf '#   %s\n' "$@"
		failures=$((failures + 1))
	fi
}

echo "1..6"

long=()
for f in engine/src/*.[ch] engine/include/casework/*.h cli/*.[ch]; do
	lines=$(wc -l <"$f")
	[ "$lines" -le 600 ] || long+=("$f: $lines lines")
done
result ${#long[@]} "no file in engine/ or cli/ is over 600 lines" "${long[@]}"

raw=()
while IFS= read -r f; do
	case "$f" in *sqlite*) ;; *) raw+=("$f uses sqlite3") ;; esac
done < <(grep -l 'sqlite3_[a-z]\|<sqlite3\.h>' engine/src/*.[ch] cli/*.[ch])
while IFS= read -r f; do
	case "$f" in *pg*) ;; *) raw+=("$f uses libpq") ;; esac
done < <(grep -l '\bPQ[a-z][A-Za-z]*(\|<libpq-fe\.h>' engine/src/*.[ch] cli/*.[ch])
result ${#raw[@]} "only the backends' files use a database library" "${raw[@]}"

unplaced=()
for f in engine/src/*.[ch]; do
	m=$(basename "${f%.*}")
	[ -n "${layer[$m]+set}" ] || unplaced+=("$f has no layer: add it to tests/structure.sh")
done
result ${#unplaced[@]} "every engine file has a layer" "${unplaced[@]}"

upward=()
for f in engine/src/*.[ch]; do
	m=$(basename "${f%.*}")
	[ -n "${layer[$m]+set}" ] || continue
	while IFS= read -r h; do
		d=${h%.h}
		[ -n "${layer[$d]+set}" ] || continue
		[ "${layer[$d]}" -le "${layer[$m]}" ] ||
			upward+=("$f (layer ${layer[$m]}) includes $h (layer ${layer[$d]})")
	done < <(sed -n 's/^#include "\([a-z_]*\.h\)"/\1/p' "$f")
done
result ${#upward[@]} "engine files include only from their layer and below" "${upward[@]}"

api=()
for f in engine/src/*.[ch]; do
	m=$(basename "${f%.*}")
	[ -n "${layer[$m]+set}" ] && [ "${layer[$m]}" -lt 5 ] || continue
	while IFS= read -r h; do
		api+=("$f (layer ${layer[$m]}) includes $h")
	done < <(grep -o '#include "casework/\(session\|export\|report\|bundle\)\.h"' "$f")
done
result ${#api[@]} "below the acts and views, no file includes the API above it" "${api[@]}"

private=()
for f in cli/*.[ch]; do
	for h in $(sed -n 's/^#include "\([a-z_]*\.h\)"/\1/p' "$f"); do
		[ -e "cli/$h" ] || private+=("$f includes the engine's private $h")
	done
done
result ${#private[@]} "cli/ includes only the public headers and its own" "${private[@]}"

[ "$failures" -eq 0 ]
