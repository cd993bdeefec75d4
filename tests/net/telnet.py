#!/usr/bin/env python3
"""telnet.py PORT - a minimal telnet client for the telnetd test.

Connects to 127.0.0.1:PORT (retrying for up to 30 s), answers the
server's option negotiation (it agrees to ECHO and SUPPRESS-GO-AHEAD from
the server and offers NAWS with a 100x30 window, refuses the rest), then
types the commands of the session and prints what came back with the
telnet commands and carriage returns taken out.  Exit 0 when the last
command's marker came back, 1 otherwise.
"""
import socket, sys, time

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ECHO, SGA, NAWS = 1, 3, 31

def connect(port):
    end = time.time() + 30
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), 5)
        except OSError:
            if time.time() > end:
                raise
            time.sleep(0.3)

class Session:
    def __init__(self, s):
        self.s, self.text, self.buf = s, b"", b""

    def feed(self, data):
        self.buf += data
        out, i, b = [], 0, self.buf
        while i < len(b):
            c = b[i]
            if c != IAC:
                out.append(c); i += 1; continue
            if i + 1 >= len(b):
                break
            cmd = b[i + 1]
            if cmd in (DO, DONT, WILL, WONT):
                if i + 2 >= len(b):
                    break
                opt = b[i + 2]
                if cmd == DO and opt == NAWS:
                    self.s.sendall(bytes([IAC, WILL, NAWS, IAC, SB, NAWS, 0, 100, 0, 30, IAC, SE]))
                elif cmd == DO:
                    self.s.sendall(bytes([IAC, WONT, opt]))
                elif cmd == WILL:
                    self.s.sendall(bytes([IAC, DO if opt in (ECHO, SGA) else DONT, opt]))
                i += 3
            elif cmd == SB:
                j = b.find(bytes([IAC, SE]), i)
                if j < 0:
                    break
                i = j + 2
            elif cmd == IAC:
                out.append(IAC); i += 2
            else:
                i += 2
        self.buf = b[i:]
        self.text += bytes(out)

    def until(self, want, secs=30):
        end = time.time() + secs
        while want not in self.text.replace(b"\r", b""):
            self.s.settimeout(max(0.1, end - time.time()))
            try:
                d = self.s.recv(4096)
            except socket.timeout:
                return False
            if not d:
                return False
            self.feed(d)
        return True

    def type(self, line):
        self.s.sendall(line.encode() + b"\r\n")

def main():
    s = Session(connect(int(sys.argv[1])))
    ok = s.until(b"# ")
    for cmd, want in [("echo hi-$((6 * 7))", b"\nhi-42"),
                      ("tty; echo tty-done", b"tty-done\n"),
                      ("stty size; echo size-done", b"size-done\n"),
                      ("sleep 100 & echo bg-started", b"bg-started\n"),
                      ("jobs; echo jobs-done", b"jobs-done\n"),
                      ("kill %1; wait %1; echo killed-$?", b"\nkilled-143"),
                      ("touch /tmp/stop; echo stop-done", b"stop-done\n")]:
        if not ok:
            break
        s.type(cmd)
        ok = s.until(want)
    s.type("exit")
    s.until(b"\x00", 2)
    sys.stdout.write(s.text.replace(b"\r", b"").decode(errors="replace"))
    sys.exit(0 if ok else 1)

main()
