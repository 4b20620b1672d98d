# peak.sh - bounded memory, for the hostile-input cases
# (tests/cli/hostile/*).  A case's cmd sources it:
#
#   . "$PB_FAULT_DIR/peak.sh"
#   peak MIB CMD...
#
# runs CMD under GNU time and, when its peak resident memory is over MIB
# mebibytes, says so on standard error ("pb-x: peak memory N KiB, over
# MIB MiB"), which the case's experr does not expect: the case fails.
# Returns CMD's status.  Under valgrind (PB_TEST_VALGRIND=1) or a
# sanitizer build (PB_TEST_SANITIZE=1, set by scripts/run-tests) the
# memory a process takes is the checker's, not pb's: CMD runs, unmeasured.

peak() {
	_bound=$1
	shift
	if [ "${PB_TEST_VALGRIND:-0}" = 1 ] || [ "${PB_TEST_SANITIZE:-0}" = 1 ]; then
		"$@"
		return
	fi
	/usr/bin/time -o peak.kib -f %M "$@"
	_st=$?
	_kib=$(tail -n 1 peak.kib)
	[ "$_kib" -le $((_bound * 1024)) ] ||
		echo "$1: peak memory $_kib KiB, over $_bound MiB" >&2
	return $_st
}
