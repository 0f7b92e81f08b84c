# helpers.bash - loaded by every bats file: a scratch database per test
# and short ways to run casework and inspect the database.

setup() {
	: "${CASEWORK:?set CASEWORK to the casework binary (tests/run does)}"
	: "${CASEWORK_TOP:?set CASEWORK_TOP to the repository}"
	unset CASEWORK_SESSION CASEWORK_ACTOR CASEWORK_STUDENT PAGER
	# no config file of the person running the tests
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/config"
	export NO_COLOR=1
	CASES="$CASEWORK_TOP/examples/cases"
	CASE="school-attendance-year8"
	if on_pg; then
		# an empty database of its own on the class server, reached as
		# the login `tester`
		export CASEWORK_DB
		PG_TEST_DB=$(pg_new_db) || return 1
		CASEWORK_DB=$(pg_uri "$PG_TEST_DB")
		AS_TESTER=""
		# and whose account is `tester` too: the actor casework names
		# when --as is not given (the server's own word, once it takes it)
		export LOGNAME=tester
	else
		export CASEWORK_DB="$BATS_TEST_TMPDIR/db/casework.db"
		AS_TESTER="--as tester"
	fi
}

teardown() {
	# the test's database goes with it (the server, at the end, anyway)
	if on_pg && [ -n "${PG_TEST_DB-}" ]; then
		# in the background: the next test need not wait for it
		pg_sql postgres "DROP DATABASE IF EXISTS \"$PG_TEST_DB\" WITH (FORCE)" \
			>/dev/null 2>&1 3>&- &
	fi
}

# --- the class server --------------------------------------------------------
# With CASEWORK_TEST_PG set to the folder of a throwaway PostgreSQL server
# (tests/pg/server; tests/pg/run cli sets it), every test runs against a
# database of its own there.  The actor on a server is the login, so
# `--as NAME` becomes "connect as the login NAME": tests/pg/run makes the
# logins the tests use (tester, Dr.Lee, ...), superusers of the throwaway
# server, which see every session as an instructor does.

# on_pg - true when the tests run against the class server
on_pg() {
	[ -n "${CASEWORK_TEST_PG-}" ]
}

# sqlite_only REASON - skip this test on the class server: it is about a
# SQLite file by nature (its modes, its bytes, a lock on it, a full disk)
sqlite_only() {
	! on_pg || skip "SQLite only: $1"
}

# current_session - the id of the test actor's current session: on a class
# server each login has its own, so another login names it with -s
current_session() {
	cw status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["session"])'
}

# db_query SQL - one query on the test's database, whichever backend it
# is on; rows unaligned, fields separated by |
db_query() {
	if on_pg; then
		pg_sql "$PG_TEST_DB" "$1"
	else
		sqlite3 "$CASEWORK_DB" "$1"
	fi
}

# pg_sql DB SQL - run SQL on database DB of the server, as the superuser
# who started it; rows unaligned, without headers
pg_sql() {
	"${CASEWORK_TEST_PSQL:-psql}" -X -q -A -t -v ON_ERROR_STOP=1 -h "$CASEWORK_TEST_PG" -d "$1" -c "$2"
}

# pg_new_db [TEMPLATE] - make an empty database (or a copy of TEMPLATE),
# print its name (the test's own, $PG_TEST_DB, is dropped at teardown)
pg_new_db() {
	local name template=${1:-template0}
	name="t${BATS_SUITE_TEST_NUMBER:-0}_$$_${RANDOM}"
	pg_sql postgres "CREATE DATABASE \"$name\" TEMPLATE \"$template\" STRATEGY FILE_COPY" >/dev/null || return 1
	echo "$name"
}

# pg_uri DB [LOGIN] - the URI of database DB as LOGIN (default tester)
pg_uri() {
	echo "postgresql:///$1?host=$CASEWORK_TEST_PG&user=$(pg_uri_login "${2:-tester}")"
}

# scratch_db DIR - a database that outlives one test (a cohort built
# once per file): DIR/casework.db, or on the server a new database whose
# name goes into DIR/pgdb; prints what CASEWORK_DB should be
scratch_db() {
	local name
	if on_pg; then
		name="f$$_${RANDOM}"
		pg_sql postgres "CREATE DATABASE \"$name\" TEMPLATE template0 STRATEGY FILE_COPY" >/dev/null || return 1
		echo "$name" >"$1/pgdb"
		pg_uri "$name"
	else
		echo "$1/casework.db"
	fi
}

# copy_scratch_db DIR - this test's database becomes a copy of the one
# scratch_db DIR made
copy_scratch_db() {
	local f
	if on_pg; then
		pg_sql postgres "DROP DATABASE IF EXISTS \"$PG_TEST_DB\" WITH (FORCE)" >/dev/null &&
			PG_TEST_DB=$(pg_new_db "$(cat "$1/pgdb")") &&
			CASEWORK_DB=$(pg_uri "$PG_TEST_DB")
		return
	fi
	mkdir -p -m 700 "$(dirname "$CASEWORK_DB")"
	for f in "$1"/casework.db*; do
		cp "$f" "$(dirname "$CASEWORK_DB")/$(basename "$f")"
	done
}

# drop_scratch_db DIR - the end of a database scratch_db DIR made
drop_scratch_db() {
	if on_pg && [ -f "$1/pgdb" ]; then
		pg_sql postgres "DROP DATABASE IF EXISTS \"$(cat "$1/pgdb")\" WITH (FORCE)" >/dev/null
	fi
	return 0
}

# db_sql SQL - run one query on the test's database, whichever backend;
# for SQL both speak
db_sql() {
	if on_pg; then
		pg_sql "$PG_TEST_DB" "$1"
	else
		sqlite3 "$CASEWORK_DB" "$1"
	fi
}

# cw ARGS... - run casework as the test actor: `tester`, or NAME after a
# first `--as NAME`; on the class server, as the login of that name, from
# an account of that name
cw() {
	local as=tester
	if [ "${1-}" = "--as" ] && [ $# -ge 2 ]; then
		as=$2
		shift 2
	fi
	if on_pg && [[ "$CASEWORK_DB" == postgresql:* ]]; then
		CASEWORK_DB="${CASEWORK_DB%%&user=*}&user=$(pg_uri_login "$as")" \
			LOGNAME=$as "$CASEWORK" "$@"
	else
		"$CASEWORK" --as "$as" "$@"
	fi
}

# pg_uri_login NAME - NAME as it goes into a URI (percent-encoded)
pg_uri_login() {
	local name=$1 out="" c i
	for ((i = 0; i < ${#name}; i++)); do
		c=${name:i:1}
		case "$c" in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	echo "$out"
}

# start_session - import the sample case and start a session (current)
start_session() {
	cw case import "$CASES/$CASE.json" >/dev/null
	SESSION=$(cw start "$CASE" --student Ana | head -n 1)
}

# db_sum - a checksum of every row of every table, to show that a
# refused command left the database exactly as it was
db_sum() {
	if on_pg; then
		# each query on its own: one fails (no schema yet), the rest run
		"${CASEWORK_TEST_PSQL:-psql}" -X -q -A -t -h "$CASEWORK_TEST_PG" -d "$PG_TEST_DB" \
			-c "SELECT string_agg(session_id || seq || at || actor || phase || type || payload || prev || hash, '|' ORDER BY session_id, seq) FROM events" \
			-c "SELECT string_agg(id || phase || status || last_seq || head || met || total || updated_at || owner, '|' ORDER BY id) FROM sessions" \
			-c "SELECT string_agg(id || sha256, '|' ORDER BY id) FROM cases" \
			-c "SELECT count(*) FROM case_texts" \
			-c "SELECT string_agg(login || key || value, '|' ORDER BY login, key) FROM settings" \
			-c "SELECT count(*) FROM workflows" 2>/dev/null | sha256sum
		return
	fi
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
			# a sign-off is granted by an instructor: on a database
			# file, one with a key (made once, in the test's config)
			if [[ "$line" == "approval grant "* ]] && ! on_pg &&
				[ ! -e "$XDG_CONFIG_HOME/casework/instructor.key" ]; then
				cw key init >/dev/null || return 1
			fi
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

# as_student / as_instructor CMD... - casework on that side's database
# and config folder (the offline hand-in: each side its own file and key)
as_student() {
	CASEWORK_DB="$BATS_TEST_TMPDIR/student/casework.db" \
		XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/student-config" \
		"$CASEWORK" --as Ana "$@"
}
as_instructor() {
	CASEWORK_DB="$BATS_TEST_TMPDIR/instructor/casework.db" \
		XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/instructor-config" \
		"$CASEWORK" --as "Dr Lee" "$@"
}
