# python3 with processes: subprocess pipes and return codes, os.fork and
# waitpid, a signal handler, multiprocessing (its semaphores live in
# /dev/shm) with a Pool, a Queue and a shared Value.
/usr/bin/python3 - <<'PY'
import os, signal, subprocess, multiprocessing as mp, sys
r = subprocess.run(["/bin/echo", "hello", "world"], capture_output=True, text=True)
print("run", r.returncode, r.stdout.strip())
r = subprocess.run(["/bin/sh", "-c", "exit 7"])
print("exit code", r.returncode)
p = subprocess.Popen(["/usr/bin/tr", "a-z", "A-Z"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
out, _ = p.communicate("piped through tr\n")
print("communicate", out.strip(), p.returncode)
r = subprocess.run("seq 1 1000 | sort -rn | head -3", shell=True, capture_output=True, text=True)
print("shell pipe", r.stdout.split())
pid = os.fork()
if pid == 0:
    os._exit(42)
_, st = os.waitpid(pid, 0)
print("fork", os.WIFEXITED(st), os.WEXITSTATUS(st))
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
print("signal", got == [signal.SIGUSR1])
p = subprocess.Popen(["/bin/sleep", "30"])
p.terminate()
print("terminated", p.wait())
def sq(x):
    return x * x
def put(q, v):
    q.put(v * 10)
def incr(v, n):
    for _ in range(n):
        with v.get_lock():
            v.value += 1
if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(4) as pool:
        print("pool", pool.map(sq, range(10)))
    q = mp.Queue()
    ps = [mp.Process(target=put, args=(q, i)) for i in range(4)]
    for p in ps: p.start()
    vals = sorted(q.get() for _ in ps)
    for p in ps: p.join()
    print("queue", vals, [p.exitcode for p in ps])
    v = mp.Value("i", 0)
    ps = [mp.Process(target=incr, args=(v, 500)) for _ in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("value", v.value)
PY
