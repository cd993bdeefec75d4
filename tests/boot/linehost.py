#!/usr/bin/env python3
# linehost.py OP... -- ARGS... - the host side of a ./linux console or
# serial line (conN=pts, conN=port:N, sslN=...): runs ./linux ARGS,
# watches its stderr for UML's announcement ("Serial line 0 assigned device
# '/dev/pts/5'", "Virtual console 1 listening on 127.0.0.1 port 9000 ..."),
# and plays the OPs in order:
#   attach:WHAT    wait for the announcement starting with WHAT ("Serial
#                  line 0"), then open that pty's slave or connect to that port
#   expect:TEXT    read from the line until TEXT has come (30 s at most)
#   send:TEXT      write TEXT (backslash escapes: \n, \r, \x03)
#   winsize:R,C    resize the host side to R rows, C columns: TIOCSWINSZ on
#                  a pty's slave, telnet NAWS (RFC 1073) on a port
#   close          close the host side (the guest's line hangs up)
# ARGS are ./linux's: it runs as $LINEHOST_LINUX under
# `timeout -k 5 $LINEHOST_TIMEOUT`, as user nobody when $LINEHOST_AS is set.
# Then waits for it to end, copies its stdout to ours and exits with its
# status; every byte read from the line goes to $LINEHOST_LOG if set.  A
# failed step prints why on stderr and exits 99 (./linux is killed).
import fcntl, os, re, select, socket, struct, subprocess, sys, termios, time

ops = sys.argv[1:sys.argv.index("--")]
cmd = ["timeout", "-k", "5", os.environ.get("LINEHOST_TIMEOUT", "60"), os.environ["LINEHOST_LINUX"]]
cmd += sys.argv[sys.argv.index("--") + 1:]
if os.environ.get("LINEHOST_AS"):
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
err = b""
log = open(os.environ["LINEHOST_LOG"], "ab") if os.environ.get("LINEHOST_LOG") else None


def fail(why):
    sys.stderr.write("linehost: %s\n--- stderr of the command:\n%s\n" % (why, err.decode(errors="replace")))
    proc.kill()
    sys.exit(99)


def read_stderr(timeout):
    global err
    if select.select([proc.stderr], [], [], timeout)[0]:
        data = os.read(proc.stderr.fileno(), 4096)
        if not data:
            return False
        err += data
    return True


def attach(what):
    deadline = time.time() + 30
    pat = re.compile(re.escape(what.encode()) + rb" (assigned device '([^']+)'|listening on 127.0.0.1 port (\d+))")
    while time.time() < deadline:
        m = pat.search(err)
        if m:
            if m.group(2):
                return os.open(m.group(2).decode(), os.O_RDWR | os.O_NOCTTY)
            s = socket.create_connection(("127.0.0.1", int(m.group(3))), timeout=30)
            return s.detach()
        if not read_stderr(0.5) and proc.poll() is not None:
            break
    fail("no announcement of %r" % what)


fd, got = None, b""
for op in ops:
    kind, _, arg = op.partition(":")
    if kind == "attach":
        fd, got = attach(arg), b""
    elif kind == "send":
        os.write(fd, arg.encode().decode("unicode_escape").encode("latin-1"))
    elif kind == "expect":
        deadline = time.time() + 30
        while arg.encode() not in got:
            if time.time() > deadline:
                fail("%r never came on the line; got %r" % (arg, got[-300:]))
            r = select.select([fd, proc.stderr], [], [], 0.5)[0]
            if proc.stderr in r:
                read_stderr(0)
            if fd in r:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    fail("the line closed before %r; got %r" % (arg, got[-300:]))
                got += data
                if log:
                    log.write(data)
                    log.flush()
    elif kind == "winsize":
        rows, cols = (int(x) for x in arg.split(","))
        try:
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        except OSError:         # not a tty: the port's telnet client
            naws = struct.pack(">HH", cols, rows).replace(b"\xff", b"\xff\xff")
            os.write(fd, b"\xff\xfb\x1f\xff\xfa\x1f" + naws + b"\xff\xf0")
    elif kind == "close":
        os.close(fd)
        fd = None
    else:
        fail("unknown op %r" % op)
try:
    out, rest = proc.communicate(timeout=60)
except subprocess.TimeoutExpired:
    fail("the command did not end")
err += rest
sys.stderr.write(err.decode(errors="replace"))
sys.stdout.write(out.decode(errors="replace"))
sys.exit(proc.returncode)
