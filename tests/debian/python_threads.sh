# python3 with threads: the interpreter starts in its default locale
# (once: "The futex facility returned an unexpected error code"), 16
# threads share a Lock, a Condition, a Barrier and a Queue, a thread pool
# maps, thread-local data stays local, and an Event times out.
/usr/bin/python3 - <<'PY'
import threading, queue, concurrent.futures, sys, locale
print("encoding", sys.getfilesystemencoding(), locale.getpreferredencoding(False))
N = 16
lock = threading.Lock()
count = 0
def add():
    global count
    for _ in range(2000):
        with lock:
            count += 1
ts = [threading.Thread(target=add) for _ in range(N)]
for t in ts: t.start()
for t in ts: t.join()
print("lock count", count)
cond = threading.Condition()
items = []
def consumer(out):
    with cond:
        while not items:
            cond.wait()
        out.append(items.pop())
got = []
cs = [threading.Thread(target=consumer, args=(got,)) for _ in range(4)]
for c in cs: c.start()
for i in range(4):
    with cond:
        items.append(i)
        cond.notify()
for c in cs: c.join()
print("condition", sorted(got))
bar = threading.Barrier(N)
order = []
def waiter(i):
    r = bar.wait()
    with lock:
        order.append(r)
ws = [threading.Thread(target=waiter, args=(i,)) for i in range(N)]
for w in ws: w.start()
for w in ws: w.join()
print("barrier", sorted(order) == list(range(N)))
q = queue.Queue()
def producer(k):
    for i in range(100):
        q.put(k * 1000 + i)
ps = [threading.Thread(target=producer, args=(k,)) for k in range(8)]
for p in ps: p.start()
for p in ps: p.join()
vals = []
while not q.empty():
    vals.append(q.get())
print("queue", len(vals), sum(vals))
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
    print("pool", sum(ex.map(lambda x: x * x, range(1000))))
local = threading.local()
res = []
def tl(i):
    local.v = i
    threading.Event().wait(0.01)
    res.append(local.v == i)
ls = [threading.Thread(target=tl, args=(i,)) for i in range(8)]
for l in ls: l.start()
for l in ls: l.join()
print("local", all(res), len(res))
e = threading.Event()
print("event timeout", e.wait(0.05))
print("threads left", threading.active_count())
PY
