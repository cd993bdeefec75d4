#!/bin/sh
# strace_cmp.sh NATIVE_PREFIX GUEST_FILE OUT: compares the syscalls of a
# busybox run traced natively (strace -ff -o NATIVE_PREFIX: one file per
# process) with ./linux's strace= output for the same run (one file,
# "PID name(args) = result" lines), process by process in the order they
# were created, name for name and result for result.
#
# Known differences, dropped or compared by name only:
#   clock_gettime gettimeofday time getcpu: the host's vDSO serves them
#     without a syscall natively; ./linux has no vDSO yet.
#   results that are pids, addresses or sizes of another filesystem
#     (getpid getppid gettid set_tid_address clone clone3 fork vfork
#     brk mmap mremap getdents64 readlink): compared by name only.
#   rt_sigreturn and wait4: where SIGCHLD lands (before a wait4, or
#     interrupting one that then restarts) depends on scheduling: dropped.
#   rseq: ./linux does not register restartable sequences (-ENOSYS, as a
#     kernel without CONFIG_RSEQ); glibc's static startup copes.
set -u
np=$1 gf=$2 out=$3
norm() {	# a trace on stdin -> "name result" lines
	sed -n 's/^\([0-9]* \)\{0,1\}\([a-z_0-9]*\)(.* = \(-\{0,1\}[0-9a-fx?]*\)\( \(E[A-Z0-9]*\)\)\{0,1\}.*$/\2 \3 \5/p' |
	awk '
		$1 ~ /^(clock_gettime|gettimeofday|time|getcpu|rt_sigreturn|wait4)$/ { next }
		$1 ~ /^(getpid|getppid|gettid|set_tid_address|clone|clone3|fork|vfork|brk|mmap|mremap|getdents64|readlink|rseq)$/ { print $1; next }
		{ print }'
}
: >"$out"
i=0
gpids=$(awk '{print $1}' "$gf" | awk '!seen[$1]++')
for f in $(ls "$np".* | awk -F. '{print $NF, $0}' | sort -n | awk '{print $2}'); do
	i=$((i + 1))
	gp=$(echo "$gpids" | sed -n "${i}p")
	norm <"$f" >"$out.native.$i"
	grep "^$gp " "$gf" | norm >"$out.guest.$i"
	if ! diff "$out.native.$i" "$out.guest.$i" >>"$out"; then
		echo "process $i (native $f, guest pid $gp) differs" >>"$out"
	fi
done
[ "$i" -gt 1 ] || { echo "too few processes traced natively: $i" >>"$out"; exit 1; }
[ "$(echo "$gpids" | wc -l)" = "$i" ] || { echo "$i processes natively, $(echo "$gpids" | wc -l) in ./linux" >>"$out"; exit 1; }
[ ! -s "$out" ]
