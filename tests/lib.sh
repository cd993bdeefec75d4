# lib.sh - shared helpers of the test runners (sourced, POSIX sh).
#
# A runner first declares what it will run with t_plan (one `PLAN name`
# line per test, derived from its files or its TESTS list, so a new test
# is declared by existing); then every test prints exactly one line,
# `PASS name`, `FAIL name (log: path)` or `SKIP name: why`.  t_summary
# prints `LAYER: N passed, N failed[, N skipped]` and sets the exit status.
# tests/check counts a planned test without a result, and a runner that
# exits non-zero, as failures.
# ./linux is run by run_linux with a timeout, stdin from /dev/null, stdout
# and stderr in files; a missing ./linux makes each test that needs it FAIL
# with a log saying so.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
LINUX=${LINUX:-$TOP/linux}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}
LOGROOT=${LOGROOT:-$TOP/build/tests/logs}
PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C
t_pass=0
t_fail=0
t_skipped=0

# t_ok NAME / t_bad NAME LOG [REASON]
# T_PREFIX (e.g. "san:") goes before every test name: tests/check runs the
# boot and security layers a second time on ./linux-san under that prefix.
T_PREFIX=${T_PREFIX:-}
t_ok() {
	t_pass=$((t_pass + 1))
	echo "PASS $T_PREFIX$1"
}

t_bad() {
	t_fail=$((t_fail + 1))
	if [ -n "${3:-}" ]; then
		echo "$3" >>"$2"
		echo "FAIL $T_PREFIX$1 (log: $2): $3"
	else
		echo "FAIL $T_PREFIX$1 (log: $2)"
	fi
}

# t_skip NAME WHY: a test (or part of one) that cannot run here, counted.
t_skip() {
	t_skipped=$((t_skipped + 1))
	echo "SKIP $T_PREFIX$1: $2"
}

# t_plan NAME...: declare the tests this runner will report on.
t_plan() {
	for _n in "$@"; do echo "PLAN $T_PREFIX$_n"; done
}

t_summary() {
	_s=
	[ "$t_skipped" -gt 0 ] && _s=", $t_skipped skipped"
	echo "$1: $t_pass passed, $t_fail failed$_s"
	[ "$t_fail" -eq 0 ]
}

# A fresh temp dir, world-writable so the unprivileged runs can use it.
t_tmpdir() {
	d=$(mktemp -d "${TMPDIR:-/tmp}/umtest.XXXXXX")
	chmod 777 "$d"
	echo "$d"
}

linux_present() {
	[ -x "$LINUX" ]
}

# run_linux OUTPREFIX [--as-nobody] ARGS...: runs ./linux with a timeout.
# Writes OUTPREFIX.out, OUTPREFIX.err; the exit status is ./linux's
# (124 on timeout).
run_linux() {
	_p=$1; shift
	_as=
	if [ "${1:-}" = --as-nobody ]; then
		_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		shift
	fi
	{
		echo "+ $_as timeout -k 5 $BOOT_TIMEOUT $LINUX $*"
	} >>"$_p.cmd"
	# shellcheck disable=SC2086
	$_as timeout -k 5 "$BOOT_TIMEOUT" "$LINUX" "$@" </dev/null >"$_p.out" 2>"$_p.err"
	_rc=$?
	cat "$_p.err" >>"$_p.kernlog"	# every boot's kernel messages, for kernel_log_bad
	return $_rc
}

# Whether any boot of this test logged a kernel failure: a panic, a BUG, a
# crash of ./linux itself, objects left over at halt (a refcount leak), or
# a stub killed by its seccomp filter (a host syscall outside its op loop).
# The sanitizer builds (make SANITIZE=1) report with "runtime error:" (UBSan)
# and "ERROR: AddressSanitizer".
KERNEL_BAD='Kernel panic|BUG at|kernel crashed|leak:|guest lost its stub|killed by its seccomp filter|runtime error:|ERROR: AddressSanitizer'
kernel_log_bad() {	# PREFIX
	[ -f "$1.kernlog" ] && grep -aqE "$KERNEL_BAD" "$1.kernlog"
}

# Whether the unprivileged variants can run: we are root and have setpriv.
can_drop_privs() {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null
}
