# python3's wrappers of the newer system calls: pipe2, eventfd,
# memfd_create, splice, copy_file_range, posix_spawn, pidfd_open with
# waitid(P_PIDFD), pidfd_send_signal, sendfile, fcntl pipe sizes, poll and
# epoll through select, os.scandir, statvfs, getrandom, sched_getaffinity,
# resource limits and os.times.
/usr/bin/python3 - <<'PY'
import os, select, signal, resource, fcntl, errno, time
r, w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
print("pipe2 cloexec", not os.get_inheritable(r), os.get_blocking(r))
try:
    os.read(r, 1)
except BlockingIOError:
    print("empty pipe EAGAIN")
print("pipe size", fcntl.fcntl(w, 1032))  # F_GETPIPE_SZ
fcntl.fcntl(w, 1031, 1 << 20)            # F_SETPIPE_SZ
print("pipe size set", fcntl.fcntl(w, 1032))
efd = os.eventfd(3, os.EFD_SEMAPHORE)
print("eventfd", os.eventfd_read(efd), os.eventfd_read(efd))
os.eventfd_write(efd, 5)
p = select.poll(); p.register(efd, select.POLLIN)
print("poll eventfd", p.poll(0))
m = os.memfd_create("buf", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
os.write(m, b"memfd contents")
fcntl.fcntl(m, 1033, 8)  # F_ADD_SEALS F_SEAL_WRITE
try:
    os.write(m, b"x")
except OSError as e:
    print("sealed", errno.errorcode[e.errno])
print("seals", fcntl.fcntl(m, 1034))
with open("src", "wb") as f:
    f.write(b"0123456789" * 1000)
src = os.open("src", os.O_RDONLY)
dst = os.open("dst", os.O_WRONLY | os.O_CREAT, 0o644)
print("copy_file_range", os.copy_file_range(src, dst, 5000))
r2, w2 = os.pipe()
print("splice in", os.splice(src, w2, 100, offset_src=10))
print("splice out", os.splice(r2, dst, 100))
os.close(dst)
print("dst size", os.path.getsize("dst"))
pid = os.posix_spawn("/bin/sh", ["sh", "-c", "exit 9"], {})
print("posix_spawn", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
pid = os.fork()
if pid == 0:
    time.sleep(30)
    os._exit(0)
fd = os.pidfd_open(pid)
signal.pidfd_send_signal(fd, signal.SIGTERM)
res = os.waitid(os.P_PIDFD, fd, os.WEXITED)
print("pidfd", res.si_code == os.CLD_KILLED, res.si_status)
ep = select.epoll()
ep.register(r2, select.EPOLLIN)
os.write(w2, b"z")
print("epoll", [(fd_ == r2, ev) for fd_, ev in ep.poll(1)])
ep.close()
print("scandir", sorted(e.name for e in os.scandir(".") if e.is_file()))
st = os.statvfs(".")
print("statvfs", st.f_bsize > 0, st.f_blocks >= st.f_bfree >= st.f_bavail)
print("getrandom", len(os.getrandom(32)), len(os.urandom(16)))
print("affinity", len(os.sched_getaffinity(0)) >= 1)
resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
print("nofile", resource.getrlimit(resource.RLIMIT_NOFILE)[0])
try:
    os.dup2(0, 300)
except OSError as e:
    print("dup2 over limit", errno.errorcode[e.errno])
t = os.times()
print("times", t.user >= 0, t.elapsed > 0)
print("uname", os.uname().sysname)
PY
