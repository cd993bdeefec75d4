# python3 over files and sockets: tempfile, os.walk, shutil trees, fcntl
# locks, mmap, sendfile, zlib and hashlib (extension modules and their
# shared libraries), sqlite3, json, a TCP echo over loopback, AF_UNIX
# socketpair, and asyncio's event loop (epoll) with a stream server.
/usr/bin/python3 - <<'PY'
import os, tempfile, shutil, fcntl, mmap, zlib, hashlib, json, socket, threading, asyncio, sqlite3
d = tempfile.mkdtemp(dir=".")
for i in range(20):
    sub = os.path.join(d, "s%d" % (i % 4))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%d" % i), "w") as f:
        f.write("x" * i)
print("walk", sum(len(fs) for _, _, fs in os.walk(d)))
shutil.copytree(d, d + ".copy")
print("copytree", sorted(os.listdir(d + ".copy")))
shutil.rmtree(d + ".copy")
print("rmtree", os.path.exists(d + ".copy"))
with open("lockme", "w") as f:
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("flock ok")
with open("m", "wb") as f:
    f.write(b"\0" * 8192)
with open("m", "r+b") as f:
    m = mmap.mmap(f.fileno(), 8192)
    m[100:105] = b"hello"
    m.flush(); m.close()
print("mmap", open("m", "rb").read()[100:105])
data = os.urandom(0) + b"abc" * 10000
print("zlib", len(zlib.compress(data)) < len(data), zlib.decompress(zlib.compress(data)) == data)
print("sha256", hashlib.sha256(b"linux").hexdigest()[:16], hashlib.md5(b"x").hexdigest()[:8])
with open("src", "wb") as f:
    f.write(b"y" * 100000)
with open("src", "rb") as s, open("dst", "wb") as t:
    n = os.sendfile(t.fileno(), s.fileno(), 0, 100000)
print("sendfile", n, os.path.getsize("dst"))
db = sqlite3.connect("t.db")
db.execute("create table t (a integer, b text)")
db.executemany("insert into t values (?, ?)", [(i, str(i)) for i in range(100)])
db.commit()
print("sqlite", db.execute("select count(*), sum(a) from t").fetchone())
db.close()
print("json", json.loads(json.dumps({"a": [1, 2, {"b": None}]})))
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
def echo():
    c, _ = srv.accept()
    while True:
        b = c.recv(65536)
        if not b: break
        c.sendall(b)
    c.close()
t = threading.Thread(target=echo); t.start()
c = socket.create_connection(srv.getsockname())
payload = bytes(range(256)) * 4000
def send():
    c.sendall(payload); c.shutdown(socket.SHUT_WR)
st = threading.Thread(target=send); st.start()
back = b""
while True:
    b = c.recv(65536)
    if not b: break
    back += b
t.join(); st.join()
print("tcp echo", len(back), back == payload)
a, b = socket.socketpair()
a.sendall(b"over unix"); print("socketpair", b.recv(100))
async def main():
    async def handle(r, w):
        line = await r.readline()
        w.write(line.upper()); await w.drain(); w.close()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    outs = []
    for i in range(5):
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(b"line %d\n" % i); await w.drain()
        outs.append((await r.readline()).strip())
        w.close()
    server.close(); await server.wait_closed()
    await asyncio.sleep(0.01)
    return outs
print("asyncio", asyncio.run(main()))
print("getaddrinfo", sorted({a[4][0] for a in socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET)}))
PY
