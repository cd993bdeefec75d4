# expect (Tcl) driving an interactive bash on a pty: a line typed and
# read back, ^C ending a foreground cat (status 130), ^Z stopping a
# foreground job, `jobs`, `bg` and `kill %1`, the window size set by stty,
# and the exit status collected by expect's wait.  (Its output, on the
# guest's console, may carry CRs: they go.)
/usr/bin/expect - <<'TCL' | tr -d '\r'
log_user 0
set timeout 30
proc want {pat what} {
	expect {
		-re $pat { puts "ok: $what" }
		timeout { puts "timeout: $what"; exit 1 }
		eof { puts "eof: $what"; exit 1 }
	}
}
set prompt "\r\nP> $"
spawn -noecho /bin/bash --norc --noprofile -i
send "PS1='P> '; PS2=''; unset HISTFILE\r"
want $prompt "a prompt"
send "echo \$((6 * 7))\r"
want "\r\n42\r\n" "a command's output"
send "read -r line; echo \"got <\$line>\"\r"
expect -re "line\"\r\n"
send "hello world\r"
want "got <hello world>" "a line read back"
want $prompt "the prompt again"
# Typing only once cat runs: what comes before the shell gives the
# terminal back its echo is not echoed.
send "sh -c 'echo ready; exec cat'\r"
want "\r\nready\r\n" "cat in the foreground"
send "typed\r"
want "typed\r\ntyped\r\n" "cat echoes a line"
send "\003"
want $prompt "^C ends cat"
send "echo rc=\$?\r"
want "rc=130" "with status 130"
send "sh -c 'echo started; exec sleep 100'\r"
want "\r\nstarted\r\n" "a foreground job"
send "\032"
want "Stopped" "^Z stops it"
want $prompt "the prompt after ^Z"
send "jobs\r"
want {\[1\]\+ +Stopped +sh -c} "jobs lists it stopped"
send "bg\r"
want {\[1\]\+ sh -c 'echo started; exec sleep 100' &} "bg resumes it"
send "jobs -r | grep -c sleep\r"
want "\r\n1\r\n" "running in the background"
send "kill %1; wait %1; echo killed=\$?\r"
want "killed=143" "kill %1: status 143"
send "stty rows 31 cols 97; stty size\r"
want "\r\n31 97\r\n" "stty sets the window size"
send "exit 7\r"
expect eof
set st [wait]
puts "exit status [lindex $st 3]"
TCL
echo "expect exit ${PIPESTATUS[0]}"
