# shell.sh - busybox sh's process handling, run natively and as init in
# ./linux (boot test shell_jobs) and compared line by line: traps (EXIT,
# a caught, an ignored and a reset signal, traps in subshells), background
# jobs and wait (statuses, signals, several jobs, a pid not ours),
# subshells and command substitution, pipelines, set -e in a subshell.
# The output depends on nothing but the shell's semantics.
echo "== traps"
trap 'echo got USR1' USR1
kill -USR1 $$
echo after USR1
trap - USR1
sh -c 'kill -USR1 $$; echo not reached'
echo "child without the trap: $?"
trap '' INT
kill -INT $$
echo INT ignored
sh -c 'kill -INT $$; echo child ignores INT too'
trap - INT
sh -c 'kill -INT $$'
echo "INT again kills a child: $?"
(trap 'echo subshell exit trap' EXIT; echo in subshell)
sh -c 'trap "echo child trap HUP" HUP; kill -HUP $$; echo child after'
sh -c 'trap "echo caught TERM; exit 9" TERM; kill -TERM $$; echo not reached'
echo "trap exit status $?"
echo "== jobs"
sleep 0.2 &
p=$!
kill -0 $p && echo running
wait $p
echo "wait $?"
(exit 7) &
wait $!
echo "status $?"
sh -c 'kill -TERM $$' &
wait $!
echo "self-killed $?"
sleep 5 &
p=$!
kill $p
wait $p
echo "killed $?"
sleep 5 &
p=$!
kill -KILL $p
wait $p
echo "sigkill $?"
for i in 1 2 3; do (sleep 0.$i; exit $i) & done
wait
echo "all done $?"
wait 999999 2>/dev/null
echo "not our child $?"
n=0
for i in 1 2 3 4 5 6 7 8; do (exit $i) & eval "p$i=\$!"; done
for i in 1 2 3 4 5 6 7 8; do eval "wait \$p$i"; n=$((n + $?)); done
echo "sum of eight statuses $n"
echo "== subshells"
x=1
(x=2; echo "inside $x")
echo "outside $x"
echo "$(echo nested "$(echo deeper "$(echo deepest)")")"
( ( (exit 4) ); echo "inner $?" )
(exit 5); echo "plain $?"
false | true; echo "pipeline $?"
true | false; echo "pipeline $?"
(set -e; false; echo not reached); echo "set -e subshell $?"
v=$(exit 6); echo "substitution status $?"
echo "a b c" | while read -r a b c; do echo "read $c $b $a"; done
cat <<END | tr a-z A-Z
here document $x
END
(cd / && pwd); pwd >/dev/null && echo "cwd kept"
(ulimit -n 20; ulimit -n); echo "subshell limit"
umask 027; (umask 022); umask
echo "== exit"
trap 'echo exit trap runs last' EXIT
exit 3
