# mktree.sh - writes the fixed tree of the applet test into $1 (sourced or run by sh).
set -e
mkdir -p "$1/docs" "$1/empty"
cd "$1"
printf 'The quick brown fox\njumps over the lazy dog.\nQuick quick fox!\n' >docs/a.txt
printf 'second file\nwith two lines\n' >docs/b.txt
for i in 12 3 45 7 100 1 88 23 9 61; do echo $i; done >numbers
for w in banana apple cherry apple date banana elderberry fig apple; do echo $w; done >words
printf 'root:x:0\nuser:y:1000\nguest:z:65534\n' >table
i=0; while [ $i -lt 256 ]; do printf "\\$(printf %03o $i)"; i=$((i + 1)); done >data.bin
