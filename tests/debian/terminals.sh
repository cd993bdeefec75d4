# Terminals from a dynamic userland: python3's pty and termios modules
# (a child on a pty, raw mode, the window size), util-linux's script
# running a command on a pty of its own, and stty over it.
/usr/bin/python3 - <<'PY'
import os, pty, termios, tty, struct, fcntl, select, signal
pid, fd = pty.fork()
if pid == 0:
    import sys
    print("child tty", os.isatty(0), os.isatty(1))
    a = termios.tcgetattr(0)
    print("child echo", bool(a[3] & termios.ECHO), "icanon", bool(a[3] & termios.ICANON))
    sys.stdout.flush()
    line = sys.stdin.readline()
    print("child read", line.strip())
    sys.stdout.flush()
    sys.stdin.readline()		# the parent's go-ahead: it has read all
    os._exit(3)
out = b""
def read_until(want):
    """Reads the pty until want has come, or its end (EIO once the child is gone)."""
    global out
    while want is None or want not in out:
        r, _, _ = select.select([fd], [], [], 20)
        if not r:
            return
        try:
            b = os.read(fd, 1024)
        except OSError:
            return
        if not b:
            return
        out += b
read_until(b"icanon True")
os.write(fd, b"typed line\n")
read_until(b"child read typed line")
os.write(fd, b"\n")
read_until(None)
_, st = os.waitpid(pid, 0)
print(out.decode().replace("\r\n", "\n").strip())
print("child exit", os.waitstatus_to_exitcode(st))
m, s = pty.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 99, 0, 0))
print("winsize", struct.unpack("HHHH", fcntl.ioctl(m, termios.TIOCGWINSZ, b"\0" * 8))[:2])
tty.setraw(s)
a = termios.tcgetattr(s)
print("raw", bool(a[3] & termios.ICANON), bool(a[3] & termios.ECHO), a[6][termios.VMIN])
os.write(m, b"abc")
print("raw read", os.read(s, 3))
print("ttyname", os.ttyname(s).startswith("/dev/pts/"))
PY
script -q -e -c 'stty -a | grep -o "icanon"; tty | grep -c /dev/pts; exit 4' /dev/null | tr -d '\r'
echo "script exit ${PIPESTATUS[0]}"
