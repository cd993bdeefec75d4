# The GNU tools over the guest's files: sort, uniq, tr, wc, paste, cut,
# date in UTC, stat, ls -l modes, a tar.gz round trip, find, grep -r,
# sed -i, xargs -P, split, md5sum and sha256sum, dd, truncate, ln, perl.
set -eu
seq 1 200 | sort -rn | head -3
printf 'b\na\nb\nc\na\nb\n' | sort | uniq -c
echo "Hello World" | tr 'a-z' 'A-Z' | wc -c
seq 1 6 | paste - - - | cut -f2
date -u -d @86400 '+%Y-%m-%d %H:%M:%S'
mkdir -p t/a/b t/c
for i in 1 2 3 4 5; do echo "file $i" >t/a/b/f$i; done
echo data >t/c/x
chmod 640 t/c/x
stat -c '%a %s %F' t/c/x
stat -c '%a %F' t/a
ls -l t/c | awk 'NR > 1 {print $1, $2, $5, $NF}'
tar czf t.tgz t
mkdir u && tar xzf t.tgz -C u
diff -r t u/t && echo "tar round trip"
find t -type f | sort
grep -rl "file 3" t
sed -i 's/data/DATA/' t/c/x && cat t/c/x
seq 1 20 | xargs -P 4 -n 5 echo | wc -l
seq 1 1000 >n && split -l 300 n part_ && ls part_* | wc -l
md5sum t/a/b/f1 | cut -d' ' -f1
sha256sum t/c/x | cut -c1-16
dd if=/dev/zero of=z bs=4096 count=25 status=none && stat -c %s z
truncate -s 1M z && stat -c %s z
ln t/c/x hard && ln -s t/c/x soft && stat -c '%h' t/c/x && readlink soft
perl -e 'my %h = map { $_ => $_ ** 2 } 1..5; print join(",", map { "$_=$h{$_}" } sort keys %h), "\n"'
ps -o comm= -p $$
