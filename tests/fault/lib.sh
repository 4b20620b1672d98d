# lib.sh - shell helpers for the fault-injection golden cases
# (tests/cli/<tool>/09NN-fault-*).  A case's cmd sources it:
#
#   . "$PB_FAULT_DIR/lib.sh"
#
# scripts/run-cli-tests sets PB_FAULT_DIR (this folder) and PB_FAULT_LIB
# (the shim, tests/fault/inject.c, built into OBJDIR/fault/inject.so).
# Every helper works in the current directory (the case's scratch copy),
# in files named fault.*, and prints only what does not depend on how
# many calls the C library, SQLite or jansson happen to make: a line per
# sweep, "ok" or the points that went wrong.
#
# fault_run SPEC CMD...
#	Run CMD with PB_FAULT=SPEC (see inject.c): standard output in
#	fault.out, standard error in fault.err, the exit status in
#	fault_st, the number of calls made to fail in fault_fired (empty
#	when the process was killed before it could say).
#
# fault_sweep_tool CLASS STEP CMD...
#	For a tool that only reads its input and writes files: run CMD once
#	without faults, then with CLASS:1, CLASS:1+STEP, ... until a run in
#	which nothing failed.  Each run must either fail cleanly (status 3,
#	the last line of standard error a message from the tool, or from
#	pb_xmalloc: "pb: cannot allocate N bytes") or be the run without
#	faults exactly: the same status, standard output, standard error and
#	files named in $FAULT_FILES.  A crash, a sanitizer report, another
#	status, or output that differs under a success status is reported.
#
# fault_sweep_ledger CLASS STEP CMD...
#	For a pb-ledger command on ./pb-ledger.db (or none, for init): as
#	above, and the books (SQLite's integrity check, the schema and every
#	row, the time each run was recorded left out) must be as after a
#	run without faults when it succeeded.  When it failed (status 3) or
#	was killed (SPEC ...:kill), they must be exactly as before, or
#	exactly as after (committed, then it could not say so: pay and
#	reclaim write what they posted after the commit), nothing in
#	between; and the command run again must leave them as after: the
#	work done once, none of it twice.  FAULT_STRICT=1: a failed run must
#	leave the books exactly as before.
#
# fault_calls CLASS CMD...
#	The number of CLASS calls CMD makes, in fault_calls (for the
#	ledger, on a copy of the books: they are put back as they were).
#
# Both sweeps start at FAULT_FROM (default 1), or try only the points
# listed in FAULT_POINTS (those past the last call are passed over), and
# append FAULT_ACTION (":kill", say) to each SPEC.  PB_FAULT_SPARSE=K
# (scripts/run-tests sets 4 for a sanitizer build, whose every process
# starts several times slower) makes each STEP K times wider.
#
# Each sweep prints "CLASS: ok", or the first 5 points that went wrong
# and "CLASS: K points went wrong".  The shim is run with
# PB_FAULT_NOSYNC=1 (fsync counted, and failed when asked, but never
# waited for) unless FAULT_NOSYNC=0.

FAULT_NOSYNC=${FAULT_NOSYNC:-1}

fault_run() {
	_spec=$1
	shift
	: > fault.count
	LD_PRELOAD=$PB_FAULT_LIB PB_FAULT=$_spec PB_FAULT_COUNT=fault.count \
		PB_FAULT_NOSYNC=$FAULT_NOSYNC "$@" > fault.out 2> fault.err
	fault_st=$?
	fault_fired=
	while read -r _k _v; do
		[ "$_k" = fired ] && fault_fired=$_v
	done < fault.count
}

# The program's name as its messages start: "pb-plan check", "pb-assess".
fault_prog() {
	case $2 in
	""|-*) echo "$1" ;;
	*) case $1 in
	   pb-ledger|pb-report|pb-plan) echo "$1 $2" ;;
	   *) echo "$1" ;;
	   esac ;;
	esac
}

# Is the last line of fault.err the message of a clean failure?
fault_clean_message() {
	_last=
	while IFS= read -r _l; do
		case $_l in
		*Sanitizer*|*"runtime error"*) return 1 ;;
		esac
		_last=$_l
	done < fault.err
	case $_last in
	"$fault_p: "*|"pb: cannot allocate "*" bytes") ;;
	*) return 1 ;;
	esac
}

# Note a failure at a point (at most 5 are shown per sweep).
fault_bad() {
	fault_nbad=$((fault_nbad + 1))
	[ $fault_nbad -le 5 ] &&
		echo "$fault_label:$fault_n: status $fault_st: $1: $(tail -n 1 fault.err)"
}

fault_same_files() {
	cmp -s fault.base.out fault.out && cmp -s fault.base.err fault.err ||
		return 1
	for _f in ${FAULT_FILES:-}; do
		cmp -s "fault.base.$_f" "$_f" || return 1
	done
}

fault_sweep_tool() {
	fault_label=$1
	_step=$(($2 * ${PB_FAULT_SPARSE:-1}))
	shift 2
	fault_p=$(fault_prog "$@")
	for _f in ${FAULT_FILES:-}; do rm -f "$_f"; done
	"$@" > fault.base.out 2> fault.base.err
	_base_st=$?
	for _f in ${FAULT_FILES:-}; do cp "$_f" "fault.base.$_f"; done
	fault_nbad=0
	fault_tried=0
	fault_n=
	_points=${FAULT_POINTS:-}
	while fault_next; do
		for _f in ${FAULT_FILES:-}; do rm -f "$_f"; done
		fault_run "$fault_label:$fault_n${FAULT_ACTION:-}" "$@"
		if [ "$fault_fired" = 0 ]; then
			[ -n "${FAULT_POINTS:-}" ] && continue
			break
		fi
		fault_tried=$((fault_tried + 1))
		if [ "$fault_st" = 3 ]; then
			fault_clean_message || fault_bad "not a clean failure"
		elif [ "$fault_st" = "$_base_st" ]; then
			fault_same_files || fault_bad "output differs"
		else
			fault_bad "not the status of a run without faults ($_base_st) nor 3"
		fi
	done
	fault_report
}

# The next point of a sweep into fault_n: the next of FAULT_POINTS when
# given, else FAULT_FROM, then fault_n + STEP; false when there is none.
fault_next() {
	if [ -n "${FAULT_POINTS:-}" ]; then
		set -- $_points
		[ $# -gt 0 ] || return 1
		fault_n=$1
		shift
		_points=$*
	elif [ -z "$fault_n" ]; then
		fault_n=${FAULT_FROM:-1}
	else
		fault_n=$((fault_n + _step))
	fi
}

fault_report() {
	if [ $fault_tried = 0 ]; then
		echo "$fault_label: no calls to fail"
	elif [ $fault_nbad = 0 ]; then
		echo "$fault_label: ok"
	else
		echo "$fault_label: $fault_nbad points went wrong"
	fi
}

# The books: SQLite's integrity check, the schema and every row (the
# time each run was recorded left out), in $fault_books.  (sqlite3 may
# have to recover and checkpoint what a failed run left: it too need not
# wait for the disk.)
fault_books() {
	if [ -f pb-ledger.db ]; then
		fault_books=$(LD_PRELOAD=$PB_FAULT_LIB \
			PB_FAULT_NOSYNC=$FAULT_NOSYNC \
			sqlite3 pb-ledger.db 'PRAGMA integrity_check' \
			'SELECT type, name, sql FROM sqlite_schema ORDER BY name' \
			'.dump allocations accounts txns postings schema_version' \
			'SELECT run, command, rows, version FROM runs' 2>&1)
	else
		fault_books="no database"
		for _f in pb-ledger.db-*; do
			[ -e "$_f" ] && fault_books="$fault_books; but $_f"
		done
	fi
}

fault_calls() {
	_class=$1
	shift
	fault_save
	fault_run "" "$@"
	fault_restore
	rm -rf fault.saved
	fault_calls=0
	while read -r _k _v; do
		[ "$_k" = "$_class" ] && fault_calls=$_v
	done < fault.count
}

fault_save() { # the database files, to put back with fault_restore
	rm -rf fault.saved
	mkdir fault.saved
	_saved=
	_saved_copies=
	for _f in pb-ledger.db pb-ledger.db-wal pb-ledger.db-shm; do
		if [ -f "$_f" ]; then
			_saved="$_saved $_f"
			_saved_copies="$_saved_copies fault.saved/$_f"
		fi
	done
	[ -z "$_saved" ] || cp -p $_saved fault.saved/
}

fault_restore() { # (as few processes as may be: sweeps call it often)
	_rm=
	for _f in pb-ledger.db pb-ledger.db-wal pb-ledger.db-shm \
		  pb-ledger.db-journal; do
		case " $_saved " in
		*" $_f "*) ;;
		*) [ -e "$_f" ] && _rm="$_rm $_f" ;;
		esac
	done
	[ -z "$_rm" ] || rm -f $_rm
	[ -z "$_saved" ] || cp -p $_saved_copies .
}

fault_sweep_ledger() {
	fault_label=$1
	_step=$(($2 * ${PB_FAULT_SPARSE:-1}))
	shift 2
	fault_p=$(fault_prog "$@")
	fault_save
	fault_books
	_before=$fault_books
	fault_run "" "$@"
	_base_st=$fault_st
	mv fault.out fault.base.out
	mv fault.err fault.base.err
	fault_books
	_after=$fault_books
	fault_restore
	fault_nbad=0
	fault_tried=0
	fault_n=
	_points=${FAULT_POINTS:-}
	while fault_next; do
		fault_run "$fault_label:$fault_n${FAULT_ACTION:-}" "$@"
		if [ "$fault_fired" = 0 ]; then
			[ -n "${FAULT_POINTS:-}" ] && continue
			break
		fi
		fault_tried=$((fault_tried + 1))
		fault_books
		case $fault_st in
		3|137)
			[ "$fault_st" = 137 ] || fault_clean_message ||
				fault_bad "not a clean failure"
			if [ "$fault_st" = 3 ] && [ "${FAULT_STRICT:-0}" = 1 ] &&
			   [ "$fault_books" != "$_before" ]; then
				fault_bad "failed, and the books changed"
			elif [ "$fault_books" != "$_before" ] &&
			   [ "$fault_books" != "$_after" ]; then
				fault_bad "$([ $fault_st = 3 ] && echo failed || echo killed), and the books are neither as before nor as after"
			elif [ "$fault_st" = 3 ] &&
			     [ "$fault_books" = "$_before" ]; then
				# Nothing done: the next run starts from
				# these books, and what SQLite left of this.
				continue
			else
				fault_run "" "$@"
				fault_books
				[ "$fault_books" = "$_after" ] ||
					fault_bad "run again: not the books of one run"
			fi
			;;
		"$_base_st")
			fault_same_files || fault_bad "output differs"
			[ "$fault_books" = "$_after" ] ||
				fault_bad "succeeded, but the books differ"
			;;
		*)
			fault_bad "not the status of a run without faults ($_base_st) nor 3"
			;;
		esac
		fault_restore
	done
	rm -rf fault.saved
	fault_report
}
