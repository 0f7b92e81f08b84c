# helpers.bash - loaded by every bats file: a scratch database per test
# and short ways to run casework and inspect the database.

setup() {
	: "${CASEWORK:?set CASEWORK to the casework binary (tests/run does)}"
	: "${CASEWORK_TOP:?set CASEWORK_TOP to the repository}"
	export CASEWORK_DB="$BATS_TEST_TMPDIR/db/casework.db"
	unset CASEWORK_SESSION CASEWORK_ACTOR CASEWORK_STUDENT PAGER
	# no config file of the person running the tests
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/config"
	export NO_COLOR=1
	CASES="$CASEWORK_TOP/examples/cases"
	CASE="school-attendance-year8"
}

# cw ARGS... - run casework as the test actor
cw() {
	"$CASEWORK" --as tester "$@"
}

# start_session - import the sample case and start a session (current)
start_session() {
	cw case import "$CASES/$CASE.json" >/dev/null
	SESSION=$(cw start "$CASE" --student Ana | head -n 1)
}

# db_sum - a checksum of every row of every table, to show that a
# refused command left the database exactly as it was
db_sum() {
	sqlite3 "$CASEWORK_DB" "
		SELECT group_concat(session_id || seq || at || actor || phase || type || payload || prev || hash, '|') FROM events;
		SELECT group_concat(id || phase || status || last_seq || head || met || total || updated_at, '|') FROM sessions;
		SELECT group_concat(id || sha256, '|') FROM cases;
		SELECT group_concat(key || value, '|') FROM settings;
		SELECT count(*) FROM workflows;" | sha256sum
}

# unchanged_after CMD... - run CMD; fail unless the database is unchanged
unchanged_after() {
	local before after
	before=$(db_sum)
	run "$@"
	after=$(db_sum)
	[ "$before" = "$after" ] || {
		echo "database changed by: $*" >&2
		return 1
	}
}

# walk_to_assessment - walk the current session on the sample case from
# preparation to assessment (13 commands, their output dropped)
walk_to_assessment() {
	cw check case-file-reviewed "Read the referral and the school report." >/dev/null &&
	cw objective add "Find out what changed at home this term" >/dev/null &&
	cw check environment-arranged "Booked the quiet room by the library." >/dev/null &&
	cw advance >/dev/null &&
	cw check introduced-self "Introduced myself as the school social worker." >/dev/null &&
	cw check purpose-explained "Explained we meet to understand the missed days." >/dev/null &&
	cw check confidentiality-explained "Explained privacy and its limits around harm." >/dev/null &&
	cw advance >/dev/null &&
	cw note --tag exploration "Mum works nights since the separation." >/dev/null &&
	cw note --tag exploration "She takes her brother to school on Mondays." >/dev/null &&
	cw note --tag exploration "She fell out with two friends." >/dev/null &&
	cw note --tag strength "Close to her grandmother; loves art." >/dev/null &&
	cw advance >/dev/null
}

# walk_to_close [MAX] - meet every checkpoint of every phase of the current
# session's workflow, whatever it is, and advance until the session closes
# (going back where a client event of the case reopens a checkpoint)
walk_to_close() {
	local max=${1:-40} i=0 steps line rc
	while [ "$i" -lt "$max" ]; do
		i=$((i + 1))
		steps=$(cw status --json | python3 "$CASEWORK_TOP/tests/cli/next_step.py") || return 1
		[ -n "$steps" ] || return 0
		while IFS= read -r line; do
			# a client event fired by this phase's records may reopen a
			# checkpoint of an earlier phase: the refused advance is
			# logged, and the next status says where to go back
			eval "cw $line" >/dev/null 2>&1 || {
				rc=$?
				[ "$line" = advance ] && [ "$rc" -eq 3 ] && continue
				echo "failed ($rc): casework $line" >&2
				return 1
			}
		done <<<"$steps"
	done
	echo "walk_to_close: not closed after $max phases" >&2
	return 1
}
