# procps and util-linux reading the guest's /proc: ps with threads
# (-L, -eLf), pgrep/pkill, free, uptime, vmstat, top in batch mode, kill -l,
# nproc, and a process tree's parent links.
set -u
/usr/bin/python3 -c '
import threading, time
ev = threading.Event()
ts = [threading.Thread(target=ev.wait) for _ in range(4)]
for t in ts: t.start()
time.sleep(30)
' &
py=$!
sleep 1
echo "threads of python3: $(ps -L -o lwp= -p $py | wc -l)"
echo "nlwp: $(ps -o nlwp= -p $py | tr -d ' ')"
# ps -eLf: a row per thread (PID, LWP, NLWP columns).
echo "ps -eLf rows of python3: $(ps -eLf | awk -v p=$py '$2 == p' | wc -l)"
echo "ps -eLf NLWP: $(ps -eLf | awk -v p=$py '$2 == p {print $6}' | sort -u)"
echo "ps -eLf LWPs: $(ps -eLf | awk -v p=$py '$2 == p {print $4}' | sort -u | wc -l)"
echo "task dirs: $(ls /proc/$py/task | wc -l)"
echo "status Threads: $(awk '/^Threads:/ {print $2}' /proc/$py/status)"
pgrep -f 'ev.wait' >/dev/null && echo "pgrep finds it"
echo "comm: $(ps -o comm= -p $py)"
echo "ppid is us: $([ "$(ps -o ppid= -p $py | tr -d ' ')" = $$ ] && echo yes)"
pkill -TERM -f 'ev.wait'
wait $py; echo "killed status $?"
free -k | head -1 | awk '{print $1, $2, $3}'
free -k | awk '/^Mem:/ {print ($2 > 0 && $3 > 0) ? "mem figures" : "zero"}'
uptime >/dev/null && echo "uptime ok"
vmstat 1 2 | wc -l
top -b -n 1 | head -5 | grep -c '^Tasks:\|^%Cpu\|Mem'
kill -l 15
echo "nproc ok: $([ "$(nproc)" -ge 1 ] && echo yes)"
sleep 5 & s=$!
# just forked it may still run (R) on a loaded host: give it a moment to sleep
for i in $(seq 50); do st=$(ps -o stat= -p $s | cut -c1); [ "$st" = S ] && break; sleep 0.1; done
echo "sleep state: $st"
kill $s; wait $s 2>/dev/null; echo "sleep killed $?"
