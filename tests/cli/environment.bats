#!/usr/bin/env bats
# A failing environment (DESIGN.md: "a locked or read-only database, a full
# disk: each has its message, its exit code and a test"): a read-only
# database file or folder, a file that is not a casework database or is
# from a newer casework, a corrupt database, a full disk, a link as the
# database path.  Each gives "casework: ..." naming the database, exit 1,
# and leaves the database as it was.  Then the owner-only files, the SQLite
# hardening, and `casework doctor`.

load helpers

bats_require_minimum_version 1.5.0

# --- helpers local to this file -------------------------------------------

# cw_owner ARGS... - run casework as an ordinary owner of the files.  Root
# may write any file, so a read-only file means nothing to it; in a user
# namespace of its own (unshare -U) root keeps owning its files but loses
# that override, as any student's account has it.
cw_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		unshare -U "$CASEWORK" --as tester "$@"
	else
		"$CASEWORK" --as tester "$@"
	fi
}

# file_sum - a checksum of the database file's bytes and of its -wal and
# -shm files if any: "left as it was" for files db_sum cannot read
file_sum() {
	local f
	for f in "$CASEWORK_DB" "$CASEWORK_DB-wal" "$CASEWORK_DB-shm"; do
		if [ -e "$f" ]; then
			echo "$f"
			sha256sum <"$f"
		fi
	done | sha256sum
}

# fails_with CODE TEXT ARGS... - `casework ARGS` (run by "$RUNNER", cw by
# default) exits CODE with nothing on stdout and stderr "casework: ..."
# holding TEXT; the database must be unchanged (by file_sum)
fails_with() {
	local code=$1 text=$2 before after
	shift 2
	before=$(file_sum)
	run --separate-stderr "${RUNNER:-cw}" "$@"
	after=$(file_sum)
	if [ "$status" -ne "$code" ]; then
		echo "casework $*: exit $status, expected $code; stderr: $stderr" >&2
		return 1
	fi
	if [ -n "$output" ]; then
		echo "casework $*: stdout should be empty, was: $output" >&2
		return 1
	fi
	if [[ "$stderr" != "casework: "* || "$stderr" != *"$text"* ]]; then
		echo "casework $*: stderr should hold: $text" >&2
		echo "stderr was: $stderr" >&2
		return 1
	fi
	if [ "$before" != "$after" ]; then
		echo "casework $*: changed the database files" >&2
		return 1
	fi
}

# some_work - the sample case, a session and two notes: a database with
# something to lose
some_work() {
	start_session
	cw note --tag exploration "Mum works nights since the separation." >/dev/null
	cw note --tag strength "Close to her grandmother; loves art." >/dev/null
}

# events - how many events the database holds, read by SQLite itself
events() {
	sqlite3 "$CASEWORK_DB" "SELECT count(*) FROM events"
}

# integrity - PRAGMA integrity_check, as SQLite itself reports it
integrity() {
	sqlite3 "$CASEWORK_DB" "PRAGMA integrity_check"
}

# writes_refused TEXT - every kind of write fails with TEXT, exit 1, and
# changes nothing (run with RUNNER set as needed)
writes_refused() {
	fails_with 1 "$1" note "A note that cannot be written."
	fails_with 1 "$1" case import "$CASES/school-refugee-year5.json"
	fails_with 1 "$1" start "$CASE" --student Ben
	fails_with 1 "$1" init
}

# the init a read-only database gets: "not ready", with the reason
init_refused() {
	fails_with 1 "casework: the database $CASEWORK_DB is read-only ($1)" init
}

# --- read-only ------------------------------------------------------------

@test "a read-only database file is read; every write is refused (1) and nothing changes" {
	sqlite_only "file modes of the database file"
	some_work
	chmod 400 "$CASEWORK_DB"
	RUNNER=cw_owner
	run cw_owner status
	[ "$status" -eq 0 ]
	[[ "$output" == *"Phase 1 of 8: Preparation"* ]]
	run cw_owner log
	[ "$status" -eq 0 ]
	[[ "$output" == *"Close to her grandmother"* ]]
	fails_with 1 "appending to the log: the database $CASEWORK_DB is read-only (you may not write the file); nothing was written" \
		note "A note that cannot be written."
	fails_with 1 "storing a case: the database $CASEWORK_DB is read-only (you may not write the file); nothing was written" \
		case import "$CASES/school-refugee-year5.json"
	writes_refused "is read-only (you may not write the file)"
	init_refused "you may not write the file"
	# reading left no -wal or -shm behind
	[ ! -e "$CASEWORK_DB-wal" ] && [ ! -e "$CASEWORK_DB-shm" ]
	[ "$(events)" -eq 3 ]
	# negative control: the same write by the owner of a writable file
	chmod 600 "$CASEWORK_DB"
	run cw_owner note "A note that can be written."
	[ "$status" -eq 0 ]
	[ "$(events)" -eq 4 ]
}

@test "a database in a read-only folder is read; every write is refused (1) naming the folder" {
	sqlite_only "file modes of the database folder"
	some_work
	chmod 500 "$(dirname "$CASEWORK_DB")"
	RUNNER=cw_owner
	run cw_owner status
	chmod 700 "$(dirname "$CASEWORK_DB")" # before any assertion can stop the test
	[ "$status" -eq 0 ]
	[[ "$output" == *"Phase 1 of 8: Preparation"* ]]
	chmod 500 "$(dirname "$CASEWORK_DB")"
	fails_with 1 "appending to the log: the database $CASEWORK_DB is read-only (its folder is not writable, and SQLite keeps its -wal and -shm files there); nothing was written" \
		note "A note that cannot be written."
	writes_refused "its folder is not writable"
	init_refused "its folder is not writable, and SQLite keeps its -wal and -shm files there"
	run cw_owner verify
	chmod 700 "$(dirname "$CASEWORK_DB")"
	[ "$status" -eq 0 ]
	[ "$(events)" -eq 3 ]
}

@test "a database whose folder cannot be read is a runtime failure (1) naming the path" {
	sqlite_only "file modes of the database folder"
	some_work
	chmod 000 "$(dirname "$CASEWORK_DB")"
	RUNNER=cw_owner
	fails_with 1 "cannot open $CASEWORK_DB: Permission denied" status
	fails_with 1 "cannot open $CASEWORK_DB: Permission denied" note "Not to be written."
	chmod 700 "$(dirname "$CASEWORK_DB")"
	[ "$(events)" -eq 3 ]
}

# --- not ours, newer, corrupt -----------------------------------------------

@test "another program's SQLite file is refused (1) and left byte for byte" {
	sqlite_only "a foreign SQLite file"
	mkdir -p "$(dirname "$CASEWORK_DB")"
	sqlite3 "$CASEWORK_DB" "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');"
	for args in "init" "status" "case list" "case import $CASES/$CASE.json"; do
		# shellcheck disable=SC2086
		fails_with 1 "$CASEWORK_DB is not a casework database (it holds other tables)" $args
	done
	[ "$(sqlite3 "$CASEWORK_DB" "PRAGMA journal_mode")" = delete ]
	[ "$(sqlite3 "$CASEWORK_DB" "SELECT name FROM recipes")" = bread ]
}

@test "a text file as the database is refused (1) and left byte for byte" {
	sqlite_only "a text file in place of the database file"
	mkdir -p "$(dirname "$CASEWORK_DB")"
	printf 'My own notes; not a database.\n' >"$CASEWORK_DB"
	for args in "init" "status" "case import $CASES/$CASE.json"; do
		# shellcheck disable=SC2086
		fails_with 1 "$CASEWORK_DB is not a database or is corrupt" $args
	done
	[ "$(cat "$CASEWORK_DB")" = "My own notes; not a database." ]
	[ ! -e "$CASEWORK_DB-wal" ]
}

@test "a database from a newer casework is refused (1) naming both versions" {
	sqlite_only "the file's version (PRAGMA user_version) edited with sqlite3"
	some_work
	local latest newer
	latest=$(sqlite3 "$CASEWORK_DB" "PRAGMA user_version")
	newer=$((latest + 1))
	sqlite3 "$CASEWORK_DB" "PRAGMA user_version = $newer"
	local text="$CASEWORK_DB has schema version $newer, newer than this casework ($latest); use a newer casework"
	fails_with 1 "$text" status
	fails_with 1 "$text" init
	writes_refused "$text"
	[ "$(sqlite3 "$CASEWORK_DB" "PRAGMA user_version")" -eq "$newer" ]
	[ "$(events)" -eq 3 ]
}

# corrupt_events - overwrite the first page of the event log with junk
corrupt_events() {
	local page size
	[ ! -e "$CASEWORK_DB-wal" ] # every commit is in the file itself
	page=$(sqlite3 "$CASEWORK_DB" "SELECT rootpage FROM sqlite_schema WHERE name = 'events'")
	size=$(sqlite3 "$CASEWORK_DB" "PRAGMA page_size")
	head -c "$size" /dev/zero | tr '\0' '\245' |
		dd of="$CASEWORK_DB" bs="$size" seek=$((page - 1)) conv=notrunc status=none
}

@test "a corrupt database is refused (1) with a pointer to doctor, and not written" {
	sqlite_only "a corrupted page of the database file"
	some_work
	corrupt_events
	local text="$CASEWORK_DB is not a database or is corrupt ('casework doctor' checks it)"
	fails_with 1 "$text" log
	fails_with 1 "$text" note "A note that cannot be written."
	fails_with 1 "$text" advance
	# verify fails the session (3), saying why
	run --separate-stderr cw verify
	[ "$status" -eq 3 ]
	[ "$output" = "$SESSION: FAILED: $text" ]
	# negative control: SQLite agrees that it is damaged
	[ "$(integrity)" != ok ]
}

# --- links ----------------------------------------------------------------

@test "a link as the database is refused (1); nothing is written through it" {
	sqlite_only "a symbolic link as the database path"
	some_work
	local real=$CASEWORK_DB before
	before=$(db_sum)
	ln -s "$real" "$BATS_TEST_TMPDIR/link.db"
	export CASEWORK_DB="$BATS_TEST_TMPDIR/link.db"
	local text="$BATS_TEST_TMPDIR/link.db is a symbolic link (to $real); casework opens only the database file itself: give its real path"
	fails_with 1 "$text" status
	writes_refused "$text"
	# a dangling link: init does not create its target
	ln -s "$BATS_TEST_TMPDIR/elsewhere/new.db" "$BATS_TEST_TMPDIR/dangling.db"
	export CASEWORK_DB="$BATS_TEST_TMPDIR/dangling.db"
	fails_with 1 "dangling.db is a symbolic link (to $BATS_TEST_TMPDIR/elsewhere/new.db)" init
	[ ! -e "$BATS_TEST_TMPDIR/elsewhere" ]
	export CASEWORK_DB=$real
	[ "$(db_sum)" = "$before" ]
}

@test "a folder reached through a link is fine: the write lands in the real file" {
	sqlite_only "a symbolic link in the database path"
	some_work
	ln -s "$(dirname "$CASEWORK_DB")" "$BATS_TEST_TMPDIR/linked-folder"
	run cw --db "$BATS_TEST_TMPDIR/linked-folder/casework.db" note "Written through a linked folder."
	[ "$status" -eq 0 ]
	[ "$(events)" -eq 4 ]
	[ ! -e "$BATS_TEST_TMPDIR/linked-folder/casework.db-wal" ]
}

@test "a folder as the database is refused (1)" {
	sqlite_only "a folder as the database path"
	mkdir -p "$BATS_TEST_TMPDIR/a-folder.db"
	CASEWORK_DB="$BATS_TEST_TMPDIR/a-folder.db" fails_with 1 \
		"$BATS_TEST_TMPDIR/a-folder.db is not a regular file" init
}

# --- a full disk ------------------------------------------------------------

# The test-only program casework-full-disk (tests/hooks/full_disk.c) opens
# databases that cannot grow, as on a full disk.
full_disk() {
	"$(dirname "$CASEWORK")/tests/casework-full-disk" --as tester "$@"
}

@test "a full disk fails the write (1) naming the database, and keeps every committed event" {
	sqlite_only "a database file that cannot grow (a full disk)"
	local prog
	prog="$(dirname "$CASEWORK")/tests/casework-full-disk"
	[ -x "$prog" ] || {
		echo "build $prog first (make check does, or: make $prog)" >&2
		false
	}
	some_work
	local before long
	before=$(db_sum)
	long=$(printf 'The client spoke at length about the move. %.0s' $(seq 1 200))
	RUNNER=full_disk
	fails_with 1 "appending to the log: the disk holding $CASEWORK_DB is full (database or disk is full); nothing was written" \
		note "$long"
	fails_with 1 "storing a case: the disk holding $CASEWORK_DB is full (database or disk is full); nothing was written" \
		case import "$CASES"/*.json
	[[ "$stderr" == *"casework: nothing was imported" ]]
	[ "$(db_sum)" = "$before" ]
	[ "$(events)" -eq 3 ]
	[ "$(integrity)" = ok ]
	run cw verify
	[ "$status" -eq 0 ]
	# reading still works on the full disk
	run full_disk log
	[ "$status" -eq 0 ]
	# negative control: the same writes succeed where there is room
	run cw note "$long"
	[ "$status" -eq 0 ]
	run cw case import "$CASES"/*.json
	[ "$status" -eq 0 ]
	[ "$(events)" -eq 4 ]
}

@test "output to a full disk is a runtime failure (1)" {
	some_work
	run --separate-stderr cw status
	[ "$status" -eq 0 ]
	run --separate-stderr bash -c '"$0" $1 status >/dev/full' "$CASEWORK" "$AS_TESTER"
	[ "$status" -eq 1 ]
	[ "$stderr" = "casework: cannot write the output" ]
}

# --- owner-only files and random ids ------------------------------------------

@test "the database and its folder are owner-only whatever the umask" {
	sqlite_only "file modes of the database file"
	umask 000
	run cw init
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$CASEWORK_DB")" = 600 ]
	[ "$(stat -c %a "$(dirname "$CASEWORK_DB")")" = 700 ]
	# and while casework holds it open, its -wal and -shm too: a walk
	# keeps the database open until it reads "quit"
	start_session
	mkfifo "$BATS_TEST_TMPDIR/in"
	cw walk -s "$SESSION" <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	exec 8>"$BATS_TEST_TMPDIR/in"
	echo 'note --tag exploration "Mum works nights since the separation."' >&8
	local i=0
	while [ "$(events)" -lt 2 ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	local wal shm
	wal=$(stat -c %a "$CASEWORK_DB-wal")
	shm=$(stat -c %a "$CASEWORK_DB-shm")
	echo quit >&8
	exec 8>&-
	wait
	[ "$(events)" -eq 2 ]
	[ "$wal" = 600 ]
	[ "$shm" = 600 ]
}

@test "session ids are random (version 4) UUIDs" {
	cw case import "$CASES/$CASE.json" >/dev/null
	local id ids=""
	for _ in 1 2 3 4 5 6; do
		id=$(cw start "$CASE" --student Ana --new | head -n 1)
		# xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx: version 4, RFC 4122
		[[ "$id" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] || {
			echo "not a random UUID: $id" >&2
			false
		}
		ids+="$id"$'\n'
	done
	# six different ids, and no two sharing their first 8 digits (a time
	# based UUID made in the same second would)
	[ "$(sort -u <<<"$ids" | grep -c .)" -eq 6 ]
	[ "$(cut -c1-8 <<<"$ids" | sort -u | grep -c .)" -eq 6 ]
}

# --- casework doctor ------------------------------------------------------------

# flat - $output with each run of spaces and line breaks made one space:
# doctor wraps its messages to the terminal
flat() {
	tr -s ' \n' '  ' <<<"$output"
}

# doctor_json EXPR - evaluate a Python expression on `doctor --json` output
# held in $output (d is the document, c maps a check name to its object)
doctor_json() {
	python3 -c 'import json, sys
d = json.loads(sys.stdin.read())
c = {}
for k in d["checks"]:
    c.setdefault(k["check"], k)
print(eval(sys.argv[1]))' "$1" <<<"$output"
}

@test "doctor: a healthy database exits 0 and says so, for people and for scripts" {
	sqlite_only "what doctor says of a SQLite file (its size, modes, integrity_check)"
	some_work
	local before
	before=$(file_sum)
	run --separate-stderr cw doctor
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" == "Database $CASEWORK_DB ("*" bytes, SQLite "*")" ]]
	[[ "$(flat)" == *"ok modes $CASEWORK_DB is owner-only (0600)"* ]]
	[[ "$(flat)" == *"ok schema version $(sqlite3 "$CASEWORK_DB" "PRAGMA user_version"), the latest this casework knows"* ]]
	[[ "$(flat)" == *"ok integrity integrity_check ok; foreign keys ok"* ]]
	[ "${lines[-1]}" = "Healthy." ]
	# the file system and free space are the ones stat sees
	local fs avail
	fs=$(stat -f -c %T "$(dirname "$CASEWORK_DB")")
	[ "$fs" != "ext2/ext3" ] || fs=ext4
	avail=$(stat -f -c '%a * %S' "$(dirname "$CASEWORK_DB")")
	avail=$((avail))
	run --separate-stderr cw doctor --json
	[ "$status" -eq 0 ]
	# one Python for all of it: each line is one fact about the document
	run doctor_json '"\n".join(map(str, [
	    (d["schema_version"], d["healthy"], d["problems"]),
	    d["database"],
	    sorted(c),
	    set(k["status"] for k in d["checks"]),
	    d["schema"]["version"],
	    d["size_bytes"],
	    (d["filesystem"]["type"], d["filesystem"]["network"]),
	    abs(d["free_bytes"] - '"$avail"') < max('"$avail"' // 20, 1 << 24)]))'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "(1, True, 0)" ]
	[ "${lines[1]}" = "$CASEWORK_DB" ]
	[ "${lines[2]}" = "['filesystem', 'integrity', 'modes', 'schema', 'space', 'writable']" ]
	[ "${lines[3]}" = "{'ok'}" ]
	[ "${lines[4]}" = "$(sqlite3 "$CASEWORK_DB" "PRAGMA user_version")" ]
	[ "${lines[5]}" = "$(stat -c %s "$CASEWORK_DB")" ]
	[ "${lines[6]}" = "('$fs', False)" ]
	[ "${lines[7]}" = True ]
	# it changed nothing and left no -wal or -shm behind
	[ "$(file_sum)" = "$before" ]
	[ ! -e "$CASEWORK_DB-wal" ] && [ ! -e "$CASEWORK_DB-shm" ]
}

@test "doctor: a database readable by others is a problem (3) with the fix" {
	sqlite_only "file modes of the database file"
	some_work
	chmod 644 "$CASEWORK_DB"
	run --separate-stderr cw doctor
	[ "$status" -eq 3 ]
	[[ "$(flat)" == *"FAIL modes $CASEWORK_DB is readable or writable by others (0644):"* ]]
	[[ "$(flat)" == *"chmod 600 $CASEWORK_DB"* ]]
	[ "${lines[-1]}" = "1 problem found." ]
	chmod 640 "$CASEWORK_DB"
	run --separate-stderr cw doctor --json
	[ "$status" -eq 3 ]
	[ "$(doctor_json 'c["modes"]["status"], c["modes"]["mode"], d["healthy"], "by its group (0640)" in c["modes"]["message"]')" = \
		"('fail', '0640', False, True)" ]
	# negative control: the fix it names makes it healthy
	chmod 600 "$CASEWORK_DB"
	run cw doctor
	[ "$status" -eq 0 ]
}

@test "doctor: no database is not found (4), and none is created" {
	export CASEWORK_DB="$BATS_TEST_TMPDIR/none/casework.db"
	run --separate-stderr cw doctor
	[ "$status" -eq 4 ]
	[ -z "$output" ]
	[ "$stderr" = "casework: no database at $CASEWORK_DB: run 'casework init' (or import a case)" ]
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
}

@test "doctor: a newer, a foreign, an empty or a corrupt file is described (3), not changed" {
	sqlite_only "damaged database files"
	some_work
	local before latest
	latest=$(sqlite3 "$CASEWORK_DB" "PRAGMA user_version")
	sqlite3 "$CASEWORK_DB" "PRAGMA user_version = 99"
	before=$(file_sum)
	run cw doctor
	[ "$status" -eq 3 ]
	[[ "$(flat)" == *"FAIL schema version 99, newer than this casework ($latest): use a newer casework"* ]]
	[ "$(file_sum)" = "$before" ]

	sqlite3 "$CASEWORK_DB" "PRAGMA user_version = $latest"
	corrupt_events
	before=$(file_sum)
	run cw doctor --json
	[ "$status" -eq 3 ]
	[ "$(doctor_json 'c["integrity"]["status"], c["schema"]["status"], c["integrity"]["message"].startswith("integrity_check found ")')" = \
		"('fail', 'ok', True)" ]
	[ "$(file_sum)" = "$before" ]

	# an empty file is an old (version 0) database: described, not upgraded
	rm -f "$CASEWORK_DB"
	(umask 077 && : >"$CASEWORK_DB")
	run cw doctor
	[ "$status" -eq 3 ]
	[[ "$(flat)" == *"warn schema version 0 of $latest: 'casework init' upgrades it"* ]]
	[ ! -s "$CASEWORK_DB" ]

	rm -f "$CASEWORK_DB"
	sqlite3 "$CASEWORK_DB" "CREATE TABLE recipes (name TEXT)"
	chmod 600 "$CASEWORK_DB"
	run cw doctor
	[ "$status" -eq 3 ]
	[[ "$(flat)" == *"FAIL schema not a casework database (it holds other tables)"* ]]
}

@test "doctor: a read-only database and a link are problems (3)" {
	sqlite_only "file modes and links of the database file"
	some_work
	chmod 400 "$CASEWORK_DB"
	run cw_owner doctor
	[ "$status" -eq 3 ]
	[[ "$(flat)" == *"warn writable read-only: you may not write the file"* ]]
	[[ "$(flat)" == *"ok integrity integrity_check ok; foreign keys ok"* ]]
	chmod 600 "$CASEWORK_DB"
	ln -s "$CASEWORK_DB" "$BATS_TEST_TMPDIR/link.db"
	run cw --db "$BATS_TEST_TMPDIR/link.db" doctor
	[ "$status" -eq 3 ]
	[[ "$(flat)" == *"FAIL open $BATS_TEST_TMPDIR/link.db is a symbolic link (to $CASEWORK_DB)"* ]]
}

# walk_on_terminal - run `casework walk` on a terminal (tmux), press Up at
# the prompt, quit; sets $screen to what the terminal showed
walk_on_terminal() {
	local sock="$BATS_TEST_TMPDIR/tmux.sock" i
	# fd 3 is bats's own: a server holding it would stall the run
	tmux -S "$sock" new-session -d -x 100 -y 40 \
		"env CASEWORK_DB='$CASEWORK_DB' XDG_STATE_HOME='$XDG_STATE_HOME' NO_COLOR=1 '$CASEWORK' $AS_TESTER walk; sleep 5" 3>&-
	for i in $(seq 100); do
		tmux -S "$sock" capture-pane -p | grep -qF "preparation>" && break
		sleep 0.1
	done
	tmux -S "$sock" send-keys Up
	sleep 0.3
	screen=$(tmux -S "$sock" capture-pane -p -J -S -1000)
	tmux -S "$sock" send-keys C-u "quit" Enter
	for i in $(seq 100); do
		tmux -S "$sock" capture-pane -p | grep -qF "Everything is saved." && break
		sleep 0.1
	done
	tmux -S "$sock" kill-server || true
}

@test "the walk's history is read back only up to 1 MiB, and kept to 1000 lines" {
	command -v tmux
	start_session
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	local history="$XDG_STATE_HOME/casework/history"
	mkdir -p "$XDG_STATE_HOME/casework"
	# negative control: a small history is read (Up brings its line back)
	printf '_HiStOrY_V2_\nguide\\040--phase\\040assessment\n' >"$history"
	walk_on_terminal
	[[ "$screen" == *"preparation> guide --phase assessment"* ]] || {
		echo "$screen" >&2
		false
	}
	# a history over 1 MiB is not read, and is written back bounded
	{
		echo _HiStOrY_V2_
		seq 0 59999 | sed 's/^/note\\040number\\040/'
	} >"$history"
	[ "$(stat -c %s "$history")" -gt 1048576 ]
	walk_on_terminal
	[[ "$screen" == *"casework: $history is larger than 1048576 bytes: not read"* ]] || {
		echo "$screen" >&2
		false
	}
	[[ "$screen" != *"note number 59999"* ]]
	[ "$(stat -c %s "$history")" -lt 1048576 ]
}
