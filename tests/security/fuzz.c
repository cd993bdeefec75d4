/*
 * fuzz.c - a syscall fuzzer that runs as init inside ./linux.
 *
 * Usage: fuzz [SEED [SECONDS [VERBOSE]]]   (defaults: 1, 20, 0)
 * Forked children call random syscall numbers 0..450 with edge-case
 * arguments (0, -1, small numbers, huge values, NULL, unmapped memory,
 * the last bytes of a page before a guard page, read-only memory, the
 * stub's pages above TASK_SIZE, the kernel half, paths, fds of several
 * kinds).  A child that dies (by a signal, or stuck for 2 s) is replaced
 * by a new one seeded SEED*1000003+generation, so a run is reproducible
 * from SEED.  Calls that would end the test or touch the parent are left
 * out or tamed (exit, reboot, kill of others, vfork, ptrace, mount...).
 * VERBOSE=1 prints each call before making it (on the console), to find
 * the call that brings the kernel down; VERBOSE=G,I prints only from
 * generation G iteration I on.
 * At the end init checks that fork, exec, files and sync still work, and
 * exits 0.  The runner checks ./linux's exit status, its log, and fsck.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NR_MAX		450
#define ITERS		20000		/* per child */
#define SCRATCH_LEN	(64 * 4096)
#define STUB_START	0x7fc000000000ULL
#define STUB_DATA	(STUB_START + 0x100000ULL)

struct shared {
	volatile uint64_t iter;		/* progress, for the watchdog */
	volatile long nr, args[6];	/* the call in flight */
};
static struct shared *sh;
static uint64_t rs;
static int verbose;
static long verbose_gen = -1, verbose_iter;
static long gen;

static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* Memory the arguments point into. */
static unsigned char *scratch;	/* SCRATCH_LEN bytes, random contents */
static unsigned char *guarded;	/* one RW page, then a PROT_NONE page */
static unsigned char *rdonly;	/* one read-only page */
static int fds[12];
static int nfds;
static char *paths[] = {
	"/", ".", "..", "", "/tmp", "/tmp/fz", "/tmp/fz/a", "/tmp/fz/b", "/tmp/fz/d",
	"/tmp/fz/d/e", "/tmp/fz/l", "/dev/null", "/dev/zero", "/nonexistent/x",
	"/tmp/fz/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"/proc", "/proc/self", "/etc/passwd", "/tmp/fz/../fz/./a", "//tmp//fz//b",
};
static char *longpath;

static long pick_int(void)
{
	static const long v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 64, 100, 255, 256, 4095, 4096, 4097, 65536,
		-1, -2, -4096, 0x7fffffff, 0x80000000L, 0xffffffffL, 0x100000000L,
		0x7fffffffffffffffL, (long)0x8000000000000000UL, 1L << 40, 1L << 47,
	};

	switch (pick(4)) {
	case 0: return v[pick(sizeof(v) / sizeof(v[0]))];
	case 1: return pick(32);
	case 2: return 1L << pick(64);
	default: return (long)rnd();
	}
}

static long pick_ptr(void)
{
	switch (pick(16)) {
	case 0: return 0;
	case 1: return -1;
	case 2: return (long)(guarded + 4096 - 1 - pick(16));	/* runs into the guard */
	case 3: return (long)(guarded + 4096);			/* the guard itself */
	case 4: return (long)rdonly + pick(4096);
	case 5: return (long)STUB_START + pick(0x5000);
	case 6: return (long)STUB_DATA + pick(4 * 4096);
	case 7: return (long)0xffff800000000000UL + pick(4096);
	case 8: return (long)0x800000000000UL - pick(64);	/* non-canonical edge */
	case 9: return (long)paths[pick(sizeof(paths) / sizeof(paths[0]))];
	case 10: return (long)longpath;
	case 11: return (long)(STUB_START - 1 - pick(64));	/* the end of user space */
	case 12: return 0x10000 + pick(4096);			/* low, unmapped */
	default: return (long)scratch + pick(SCRATCH_LEN);
	}
}

static long pick_fd(void)
{
	switch (pick(6)) {
	case 0: return -1;
	case 1: return pick(16);
	case 2: return pick_int();
	case 3: return -100;		/* AT_FDCWD */
	default: return nfds ? fds[pick(nfds)] : 0;
	}
}

static long pick_arg(void)
{
	switch (pick(3)) {
	case 0: return pick_int();
	case 1: return pick_ptr();
	default: return pick_fd();
	}
}

/* Random bytes, with pointers and small ints sprinkled in (iovecs...). */
static void refill(unsigned char *p, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i += 8) {
		long v;

		switch (pick(4)) {
		case 0: v = pick_ptr(); break;
		case 1: v = pick_int(); break;
		case 2: v = pick(64); break;
		default: v = (long)rnd(); break;
		}
		memcpy(p + i, &v, 8);
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void child_setup(void)
{
	struct sigaction sa;
	int p[2];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: blocking calls end */
	sigaction(SIGALRM, &sa, NULL);
	scratch = mmap(NULL, SCRATCH_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	guarded = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rdonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED || guarded == MAP_FAILED || rdonly == MAP_FAILED)
		_exit(3);
	mprotect(guarded + 4096, 4096, PROT_NONE);
	refill(scratch, SCRATCH_LEN);
	refill(guarded, 4096);
	longpath = (char *)scratch + SCRATCH_LEN - 5000;
	memset(longpath, 'x', 4999);
	longpath[4999] = 0;
	mkdir("/tmp/fz", 0777);
	mkdir("/tmp/fz/d", 0777);
	nfds = 0;
	fds[nfds++] = open("/dev/null", O_RDWR);
	fds[nfds++] = open("/tmp/fz/a", O_RDWR | O_CREAT, 0644);
	fds[nfds++] = open("/tmp/fz", O_RDONLY | O_DIRECTORY);
	fds[nfds++] = open("/dev/zero", O_RDONLY);
	fds[nfds++] = open("/bin/busybox", O_RDONLY);
	if (pipe(p) == 0) {
		fds[nfds++] = p[0];
		fds[nfds++] = p[1];
	}
	if (!verbose) {
		/* The console stays out of reach: a stopped tty would stall
		 * init's own output. */
		dup2(fds[0], 0);
		dup2(fds[0], 1);
		dup2(fds[0], 2);
	}
}

/* Tames the calls that would end the run or reach outside the child.
 * Returns 0 to skip the call. */
static int tame(long nr, long *a)
{
	pid_t self = getpid();

	switch (nr) {
	case SYS_exit: case SYS_exit_group: case SYS_reboot: case SYS_vfork:
	case SYS_pause: case SYS_ptrace: case SYS_mount: case SYS_umount2:
	case SYS_pivot_root: case SYS_swapon: case SYS_swapoff: case SYS_kexec_load:
	case SYS_pidfd_send_signal: case SYS_clone3: case SYS_vhangup:
		return 0;
	case SYS_kill: case SYS_tkill: case SYS_rt_sigqueueinfo:
	case SYS_tgkill: case SYS_rt_tgsigqueueinfo:
		/* Mostly to nobody; to ourselves rarely, and never a stop. */
		a[0] = pick(8) ? 99999 : self;
		if (nr == SYS_tgkill || nr == SYS_rt_tgsigqueueinfo) {
			a[1] = a[0];
			a += 1;
		}
		if (a[1] == SIGSTOP || a[1] == SIGTSTP || a[1] == SIGTTIN || a[1] == SIGTTOU)
			a[1] = 0;
		return 1;
	case SYS_rt_sigreturn:		/* kills the child: not too often */
		return pick(16) == 0;
	case SYS_prlimit64: case SYS_process_vm_readv: case SYS_process_vm_writev:
	case SYS_sched_setaffinity: case SYS_sched_setparam: case SYS_sched_setscheduler:
	case SYS_setpriority: case SYS_pidfd_open: case SYS_process_madvise:
		if (nr == SYS_setpriority)
			a[1] = pick(2) ? 0 : self;
		else
			a[0] = pick(2) ? 0 : self;
		return 1;
	case SYS_rt_sigaction:
		if (a[0] == SIGALRM)
			a[0] = SIGUSR1;
		return 1;
	case SYS_execve:
		a[0] = (long)"/tmp/fz/not-a-program";
		return 1;
	case SYS_execveat:
		a[1] = (long)"/tmp/fz/not-a-program";
		return 1;
	case SYS_fork: case SYS_clone:
		if (pick(50))
			return 0;
		if (nr == SYS_clone) {
			a[0] = SIGCHLD;
			a[1] = 0;
		}
		return 1;
	case SYS_setpgid:
		if (a[0] == 1)
			a[0] = 0;
		return 1;
	}
	return 1;
}

static void fuzz_child(uint64_t seed)
{
	sigset_t alrm;

	rs = seed * 2654435761u + 88172645463325252ULL;
	child_setup();
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	for (uint64_t i = 0; i < ITERS; i++) {
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };
		long a[6], nr = pick(NR_MAX + 1), r;

		for (int k = 0; k < 6; k++)
			a[k] = pick_arg();
		if (pick(64) == 0)
			refill(scratch, 4096 * (1 + pick(8)));
		sh->iter++;
		if (!tame(nr, a))
			continue;
		sh->nr = nr;
		memcpy((void *)sh->args, a, sizeof(a));
		setitimer(ITIMER_REAL, &it, NULL);
		sigprocmask(SIG_UNBLOCK, &alrm, NULL);
		if (verbose && (verbose_gen < 0 || gen > verbose_gen ||
				(gen == verbose_gen && (long)i >= verbose_iter)))
			dprintf(1, "%ld.%llu: syscall(%ld, %#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
				gen, (unsigned long long)i, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r == 0 && (nr == SYS_fork || nr == SYS_clone))
			_exit(0);
	}
	_exit(0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A private copy of busybox for the sanity check, under a name made at
 * run time: the fuzzed calls get pointers into this program's own
 * strings, so they may well chmod or unlink "/bin/busybox" itself.
 */
static char sane_path[64];

static int make_sane_copy(uint64_t seed)
{
	char buf[65536];
	int in = open("/bin/busybox", O_RDONLY), out;
	ssize_t n;

	snprintf(sane_path, sizeof(sane_path), "/tmp/.s%llx", (unsigned long long)(seed * 2654435761u + 12345));
	out = open(sane_path, O_WRONLY | O_CREAT | O_TRUNC, 0500);
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

/* After the storm: the kernel still forks, execs, writes files and syncs. */
static int sanity(void)
{
	int st, fd;
	pid_t p = fork();
	char buf[16] = "";

	if (p == 0) {
		execl(sane_path, "true", NULL);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("fuzz: sanity: fork+exec of /bin/true failed (%d)\n", st);
		return 1;
	}
	fd = open("/tmp/fuzz-sanity", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0 && write(fd, "alive", 5) < 0 && errno == ENOSPC) {
		/* Fuzzed writes may fill the disk; the runner's e2fsck checks the accounting. */
		printf("fuzz: sanity: the disk is full after fuzzing (not a kernel failure)\n");
		close(fd);
		unlink("/tmp/fuzz-sanity");
		return 0;
	}
	if (fd < 0 || pwrite(fd, "alive", 5, 0) != 5 || pread(fd, buf, 5, 0) != 5 ||
	    memcmp(buf, "alive", 5)) {
		printf("fuzz: sanity: file I/O failed: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	unlink("/tmp/fuzz-sanity");
	sync();
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	double secs = argc > 2 ? atof(argv[2]) : 20, end;
	long calls = 0, died = 0, stuck = 0, unkillable = 0;
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 3) {
		verbose = 1;
		if (strchr(argv[3], ','))
			sscanf(argv[3], "%ld,%ld", &verbose_gen, &verbose_iter);
	}
	/* Guard pages around it: a child's long read into a neighbour
	 * mapping must not spill into the watchdog's page. */
	sh = mmap(NULL, 3 * 4096, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || mprotect((char *)sh + 4096, 4096, PROT_READ | PROT_WRITE))
		return 2;
	sh = (struct shared *)((char *)sh + 4096);
	if (make_sane_copy(seed) < 0) {
		printf("fuzz: cannot copy /bin/busybox: %s\n", strerror(errno));
		return 2;
	}
	printf("fuzz: seed %llu, %.0f s\n", (unsigned long long)seed, secs);
	end = now() + secs;
	for (gen = 0; now() < end; gen++) {
		uint64_t last = 0;
		double since = now(), killed = 0;
		pid_t p;

		sh->iter = 0;
		p = fork();
		if (p < 0) {
			printf("fuzz: fork failed: %s\n", strerror(errno));
			sleep(1);
			continue;
		}
		if (p == 0)
			fuzz_child(seed * 1000003 + gen);
		for (;;) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			pid_t w;
			int st2, done = 0;

			/* Our child, or orphans of its forks (reparented to us). */
			while ((w = waitpid(-1, &st2, WNOHANG)) > 0)
				if (w == p) {
					st = st2;
					done = 1;
				}
			if (done)
				break;
			if (sh->iter != last) {
				last = sh->iter;
				since = now();
			} else if (killed && now() - killed > 5) {
				/* SIGKILL must end any task, whatever it sleeps in. */
				unkillable++;
				printf("fuzz: gen %ld UNKILLABLE, in syscall(%ld, %#lx, %#lx, %#lx)\n",
				       gen, sh->nr, sh->args[0], sh->args[1], sh->args[2]);
				break;
			} else if (!killed && (now() - since > 2 || now() > end + 2)) {
				if (now() - since > 2) {
					stuck++;
					printf("fuzz: gen %ld stuck at iteration %llu in syscall(%ld, %#lx, %#lx, %#lx)\n",
					       gen, (unsigned long long)sh->iter, sh->nr,
					       sh->args[0], sh->args[1], sh->args[2]);
				}
				kill(p, SIGKILL);
				killed = now();
			}
			nanosleep(&ts, NULL);
		}
		calls += sh->iter;
		if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL) {
			died++;
			if (verbose)
				printf("fuzz: gen %ld died by signal %d at iteration %llu\n", gen,
				       WTERMSIG(st), (unsigned long long)sh->iter);
		}
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	printf("fuzz: %ld children, %ld calls, %ld died by a signal, %ld stuck\n", gen, calls,
	       died, stuck);
	if (unkillable || sanity())
		return 1;
	printf("fuzz: kernel alive\n");
	return 0;
}
