/*
 * notif_wait.c - one process computes (no syscalls at all) while the
 * others sleep in the kernel: in seccomp mode its listener alone can
 * bring the next event, and the kernel waits for it in the receive
 * itself (arch/um/seccomp/seccomp.c, sole_wait).  The timer must still
 * wake the sleeper (an IRQ ends that wait), which then stops the
 * computing child through shared memory, or with a signal whose handler
 * ends its loop; and a ping-pong over two pipes, where one process at a
 * time runs, keeps its bytes in order.  Natively and in ./linux, the same
 * output.
 */
#include "t.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

static volatile sig_atomic_t stop;

static void on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The child spins on a shared word; the parent's timed sleep ends
 * (the timer IRQ) and it sets the word. */
static void shared_stop(void)
{
	volatile int *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st = 0;
	pid_t pid;

	if (word == MAP_FAILED) {
		check(0, "mmap shared", "errno %d", errno);
		return;
	}
	pid = fork();
	if (pid == 0) {
		while (!*word)
			;
		_exit(7);
	}
	nap_ms(30);
	*word = 1;
	check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "a sleeper wakes while another process spins", "status 0x%x", st);
	munmap((void *)word, 4096);
}

/* The child spins until its handler runs; the parent sleeps, then sends it. */
static void signal_stop(void)
{
	struct sigaction sa;
	int st = 0;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);	/* before the fork: the child has it */
	pid = fork();
	if (pid == 0) {
		while (!stop)
			;
		_exit(8);
	}
	nap_ms(30);
	check(pid > 0 && kill(pid, SIGUSR1) == 0, "kill the spinner", "errno %d", errno);
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 8,
	      "a spinner's handler runs", "status 0x%x", st);
}

/* One byte each way, counted: the order survives. */
static void pingpong(void)
{
	int a[2], b[2], st = 0, bad = 0;
	unsigned char c;
	pid_t pid;

	if (pipe(a) < 0 || pipe(b) < 0) {
		check(0, "pipes", "errno %d", errno);
		return;
	}
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 2000; i++)
			if (read(a[0], &c, 1) != 1 || c != (unsigned char)i ||
			    (c++, write(b[1], &c, 1)) != 1)
				_exit(1);
		_exit(0);
	}
	for (int i = 0; i < 2000 && !bad; i++) {
		c = (unsigned char)i;
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1 ||
		    c != (unsigned char)(i + 1))
			bad = i + 1;
	}
	check(!bad, "2000 round trips in order", "round trip %d", bad);
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the echo ends", "status 0x%x", st);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	shared_stop();
	signal_stop();
	pingpong();
	return t_failed ? 1 : 0;
}
