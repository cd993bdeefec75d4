#!/usr/bin/env python3
# ptyrun.py INPUT PROGRAM [ARGS...] - runs PROGRAM on a new pty; once it has
# printed "ready", types INPUT (backslash escapes: \n, \x04 for ^D) and
# copies everything PROGRAM prints to stdout.  Exits with its status.
import os, pty, select, sys

pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out, sent = b"", False
while True:
    try:
        if not select.select([fd], [], [], 60)[0]:
            break
        data = os.read(fd, 4096)
    except OSError:		# EIO: the program is gone
        break
    if not data:
        break
    out += data
    if not sent and b"ready" in out:
        os.write(fd, sys.argv[1].encode().decode("unicode_escape").encode("latin-1"))
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
