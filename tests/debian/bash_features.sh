# bash itself: process substitution (/dev/fd), coprocesses, arrays,
# traps, wait -n, job control off, here-strings, arithmetic, globbing,
# read with a timeout, and a pipeline's PIPESTATUS.
set -u
diff <(seq 1 5) <(seq 1 5) && echo "procsub same"
cmp - <(echo abc) <<<"abc" && echo "cmp procsub"
seq 3 | while read -r l; do echo "line $l"; done
coproc UPPER { tr a-z A-Z; }
echo "through a coproc" >&"${UPPER[1]}"
exec {UPPER[1]}>&-
read -r got <&"${UPPER[0]}"; echo "$got"
wait
a=(one two three); a+=(four); echo "${#a[@]} ${a[2]} ${a[*]: -1}"
declare -A m=([x]=1 [y]=2); echo "assoc ${m[x]}${m[y]} ${#m[@]}"
trap 'echo "trap EXIT"' EXIT
trap 'echo "got USR1"' USR1
kill -USR1 $$
sleep 0.2 & s1=$!; (exit 3) & s2=$!
wait -n $s2; echo "wait -n $?"
wait $s1; echo "wait $?"
false | true | (exit 5); echo "pipestatus ${PIPESTATUS[*]}"
echo $(( (7 * 6) % 10 )) $((2 ** 10))
mkdir g && touch g/a.txt g/b.txt g/c.log
echo g/*.txt
shopt -s nullglob; echo "none:" g/*.none
read -r -t 0.1 x < <(sleep 1) || echo "read timed out"
printf '%s\n' "$(printf '%05d' 42)" "${HOME:+home set}"
f() { local v=inner; echo "$v ${FUNCNAME[0]}"; }; f
echo "subshell $(echo $(( $(echo 20) + 22 )))"
