/*
 * main.c - the host entry point.  main() only hands argv to the kernel;
 * start_kernel() (kernel/main.c) parses it and drives the boot through
 * the os_* layer.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include "shared/os.h"
#include "shared/kern_util.h"

static char **saved_argv;

int main(int argc, char **argv)
{
	saved_argv = argv;
	/* Kernel output must appear as it is written, even into a pipe. */
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	/*
	 * Host sleeps with a timeout end on time, not up to 50 us late (the
	 * default slack); the stubs inherit it.  The guest's timers are
	 * a POSIX timer, which the host never slackens: measured, a 1 ms
	 * guest sleep is late by the host's wake-up of this process (about
	 * 20 us idle, 50-200 us under load) plus the stub's resume (10-20 us),
	 * the kernel's own path from the signal to the resume 3-6 us.
	 */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	start_kernel(argc, argv);
}

static void vprint_err(const char *fmt, va_list ap)
{
	char buf[4096];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		os_write_all(2, buf, n);
}

void os_print_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_err(fmt, ap);
	va_end(ap);
}

void os_exit(int status)
{
	os_console_restore();
	os_pin_forget();
	os_shutdown_host();		/* umid directory; a requested restart */
	_exit(status);
}

/*
 * A reboot, as UML does it: the same program with the same arguments,
 * from a clean slate (the caller has ended every guest, written back and
 * closed the disks and restored the terminal; our other fds are
 * close-on-exec, the signal mask is cleared).
 */
int os_reexec(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv("/proc/self/exe", saved_argv);
	execvp(saved_argv[0], saved_argv);
	return -errno;
}

void os_abort(void)
{
	os_console_restore();
	os_umid_remove();
	abort();
}

/* Guest and host errno values are the same numbers on x86_64 Linux. */
const char *os_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}
