# applets.sh - the busybox applet differential test, run by busybox sh.
# Usage: sh applets.sh SRC WORK
# Copies the fixed tree SRC to WORK, cd's there and runs each applet on it;
# each section starts with a line `== NAME`.  Only output that is the same
# on any file system is printed: names, contents, sizes of regular files,
# link counts; never times, owners, inode numbers, block counts or the
# order of readdir (sorted where it shows).
src=$1
work=$2
rm -rf "$work"
cp -a "$src" "$work" || exit 1
cd "$work" || exit 1
s() { echo "== $1"; }

s ls; ls; ls -a docs; ls -1F; ls -R | head -40
s cat; cat docs/a.txt docs/b.txt
s echo; echo hello world; echo -n no-newline; echo; echo -e 'tab\there'
s mkdir; mkdir -p new/deep/er && echo made; mkdir new 2>/dev/null || echo exists
s rmdir; rmdir new/deep/er new/deep new && echo removed; rmdir missing 2>/dev/null || echo fails
s rm; touch gone1 gone2; rm gone1 gone2 && echo removed; rm nothere 2>/dev/null || echo fails; rm -f nothere && echo forced
s cp; cp docs/a.txt copy.txt && cat copy.txt; cp -r docs docs2 && ls docs2
s mv; mv copy.txt moved.txt && ls moved.txt; [ -e copy.txt ] || echo old gone
s ln; ln -s docs/a.txt sym && cat sym; ln docs/b.txt hard && cat hard
s touch; touch t1 && [ -f t1 ] && echo created; touch -c nope; [ -e nope ] || echo not created
s stat; stat -c '%s %F %n %h %a' docs/a.txt docs/b.txt hard sym t1 data.bin
s wc; wc docs/a.txt; wc -l docs/*.txt; wc -c data.bin
s head; head -n 3 numbers; head -c 10 docs/a.txt; echo
s tail; tail -n 2 numbers; tail -c 8 docs/a.txt
s sort; sort words; sort -r words; sort -n numbers | head -5; sort -u words
s uniq; sort words | uniq; sort words | uniq -c; sort words | uniq -d
s grep; grep -n fox docs/a.txt; grep -c a words; grep -v e words; grep -ri quick . | sort; grep -E '^(ap|ba)' words
s sed; sed 's/fox/cat/g' docs/a.txt; sed -n '2,3p' numbers; sed '/banana/d' words
s awk; awk '{s += $1} END {print s}' numbers; awk -F: '{print $2, NF}' table; awk 'length > 5' words
s cut; cut -d: -f1,3 table; cut -c1-4 words
s tr; tr a-z A-Z <docs/a.txt; echo hello | tr -d l; echo 'a  b   c' | tr -s ' '
s od; od -c docs/b.txt; od -An -tx1 data.bin | head -4
s md5sum; md5sum docs/a.txt docs/b.txt data.bin
s sha256sum; sha256sum docs/a.txt data.bin
s dd; dd if=data.bin of=dd.out bs=16 count=3 2>/dev/null; wc -c dd.out; dd if=docs/a.txt bs=1 skip=4 count=5 2>/dev/null; echo
s df; df . >/dev/null && echo df ok; df -P . | head -1
s du; du -a docs | awk '{print $2}' | sort; du -s docs >/dev/null && echo du ok
s find; find . | sort; find . -name '*.txt' | sort; find . -type l; find . -type d | sort
s readlink; readlink sym; readlink -f sym | sed "s|^$work|WORK|"
s uname; uname -s; uname -m
s basename; basename /a/b/c.txt .txt; dirname /a/b/c.txt
s seq; seq 1 5; seq 10 -3 1
s expr; expr 6 \* 7; expr length hello
s printf; printf '%05d|%-4s|%x\n' 42 ab 255
s test; [ -d docs ] && echo dir; [ -L sym ] && echo link; [ 3 -lt 4 ] && echo lt
s xargs; printf 'a\nb\nc\n' | xargs echo
s base64; base64 docs/b.txt; base64 docs/b.txt | base64 -d
s cmp; cmp docs/a.txt docs/a.txt && echo same; cmp docs/a.txt docs/b.txt >/dev/null || echo differ
s diff; diff docs/a.txt docs/b.txt; echo "status $?"
s tac; tac numbers | head -3
s rev; echo hello | rev
s fold; fold -w 10 docs/a.txt
s nl; nl words | head -3
s paste; paste words numbers | head -3
s tee; echo teed | tee tee.out; cat tee.out
s yes; yes ab | head -3
s true; true && echo yes; false || echo no
s env; env -i FOO=bar env
s hexdump; hexdump -C docs/b.txt
s chmod; chmod 640 t1 && stat -c '%a' t1
s truncate; truncate -s 100 t1 && stat -c '%s' t1
s gzip; gzip -c docs/a.txt | gzip -dc
s tar; tar cf x.tar docs && tar tf x.tar | sort
echo "== end"
