/*
 * fs_procio.c - /proc/PID/fdinfo/N, /proc/PID/io and /proc/PID/wchan:
 * the four common fdinfo lines (pos, flags in octal with O_CLOEXEC,
 * mnt_id, ino matching fstat) and the lines eventfd, epoll, timerfd,
 * signalfd and inotify add; io's counters moving by exactly what the
 * program read and wrote; wchan naming where a child sleeps (nanosleep,
 * a pipe read, wait4, poll, epoll_wait, pause) and "0" for a running
 * task.  Values that depend on the machine (mnt_id, inode numbers,
 * devices) are checked for shape only.
 */
#include "t.h"
#include "fs.h"
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

static char text[8192];

/* The whole of a /proc file into text: its length, or -1. */
static long slurp(const char *fmt, ...)
{
	char path[128];
	va_list ap;
	long n, got = 0;
	int fd;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = read(fd, text + got, sizeof(text) - 1 - got)) > 0)
		got += n;
	close(fd);
	text[got] = 0;
	return got;
}

/* The value after "key" at a line start in text, or NULL. */
static const char *field(const char *key)
{
	static char val[256];
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, kl)) {
			const char *e = strchr(p + kl, '\n');
			size_t n = e ? (size_t)(e - p - kl) : strlen(p + kl);

			snprintf(val, sizeof(val), "%.*s", (int)n, p + kl);
			return val;
		}
	}
	return NULL;
}

/* Checks that key's value in text is want. */
static void fcheck(const char *key, const char *want, const char *name)
{
	const char *v = field(key);

	check(v && !strcmp(v, want), name, "got '%s' want '%s'", v ? v : "(none)", want);
}

static unsigned long long io_field(const char *key)
{
	const char *v = field(key);

	return v ? strtoull(v, NULL, 10) : ~0ULL;
}

static void fdinfo_tests(void)
{
	struct stat st;
	const char *v;
	int fd, e, ep, tfd, sfd, in, p[2];
	sigset_t set;

	fs_put("f", "0123456789");
	fd = open("f", O_RDONLY | O_CLOEXEC);
	lseek(fd, 4, SEEK_SET);
	fstat(fd, &st);
	check(slurp("/proc/self/fdinfo/%d", fd) > 0, "fdinfo of a file", "errno %d", errno);
	fcheck("pos:\t", "4", "pos");
	fcheck("flags:\t", "02100000", "flags with O_CLOEXEC");
	v = field("mnt_id:\t");
	check(v && atoi(v) > 0, "mnt_id", "got %s", v ? v : "(none)");
	v = field("ino:\t");
	check(v && strtoull(v, NULL, 10) == st.st_ino, "ino is st_ino", "got %s", v ? v : "(none)");
	close(fd);
	pipe(p);
	slurp("/proc/self/fdinfo/%d", p[1]);
	fcheck("flags:\t", "01", "pipe write end flags 01");
	e = eventfd(5, EFD_SEMAPHORE | EFD_NONBLOCK);
	slurp("/proc/self/fdinfo/%d", e);
	fcheck("flags:\t", "04002", "eventfd flags");
	fcheck("eventfd-count:", "                5", "eventfd-count");
	fcheck("eventfd-semaphore: ", "1", "eventfd-semaphore");
	check(field("eventfd-id: ") != NULL, "eventfd-id", "missing");
	ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = 0xabcdef };
	epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
	slurp("/proc/self/fdinfo/%d", ep);
	{
		char want[128];
		const char *line = strstr(text, "tfd:");

		snprintf(want, sizeof(want), "tfd: %8d events: %8x data: %16llx  pos:0 ino:", e,
			 EPOLLIN | EPOLLET | EPOLLERR | EPOLLHUP, 0xabcdefULL);
		check(line && !strncmp(line, want, strlen(want)), "epoll tfd line", "got %.80s",
		      line ? line : "(none)");
	}
	tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = { { 7, 500 }, { 1000, 0 } };
	timerfd_settime(tfd, 0, &its, NULL);
	slurp("/proc/self/fdinfo/%d", tfd);
	fcheck("clockid: ", "1", "timerfd clockid");
	fcheck("ticks: ", "0", "timerfd ticks");
	fcheck("settime flags: ", "00", "timerfd settime flags");
	fcheck("it_interval: ", "(7, 500)", "timerfd it_interval");
	v = field("it_value: (");
	check(v && atoi(v) >= 990 && atoi(v) <= 1000, "timerfd it_value", "got %s", v ? v : "(none)");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sfd = signalfd(-1, &set, 0);
	slurp("/proc/self/fdinfo/%d", sfd);
	fcheck("sigmask:\t", "0000000000004200", "signalfd sigmask");
	in = inotify_init1(IN_CLOEXEC);
	inotify_add_watch(in, ".", IN_CREATE | IN_DELETE);
	slurp("/proc/self/fdinfo/%d", in);
	fcheck("flags:\t", "02000000", "inotify flags");
	v = strstr(text, "inotify wd:1 ino:");
	check(v && strstr(v, " mask:300 ignored_mask:0"), "inotify watch line", "got %s", text);
	CHECK_ERR(open("/proc/self/fdinfo/999", O_RDONLY), ENOENT, "fdinfo of a closed fd");
	{
		int n = 0;
		struct stat ds;

		check(stat("/proc/self/fdinfo", &ds) == 0 && (ds.st_mode & 07777) == 0555, "fdinfo dir mode",
		      "mode %o", ds.st_mode);
		check(stat("/proc/self/fdinfo/0", &ds) == 0 && S_ISREG(ds.st_mode) && (ds.st_mode & 0777) == 0444,
		      "fdinfo entry mode", "mode %o", ds.st_mode);
		check(slurp("/proc/self/fdinfo/%d", in) > 0 && ++n, "reread", "failed");
	}
	close(e);
	close(ep);
	close(tfd);
	close(sfd);
	close(in);
	close(p[0]);
	close(p[1]);
}

static void io_tests(void)
{
	unsigned long long r0, w0, sr0, sw0;
	char buf[3000];
	long first;
	int fd;

	fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(buf, 'x', sizeof(buf));
	/* Nothing may print between the two readings: stdout is counted too. */
	first = slurp("/proc/self/io");
	r0 = io_field("rchar: ");
	w0 = io_field("wchar: ");
	sr0 = io_field("syscr: ");
	sw0 = io_field("syscw: ");
	write(fd, buf, 1000);
	write(fd, buf, 2000);
	pwrite(fd, buf, 500, 10);
	lseek(fd, 0, SEEK_SET);
	read(fd, buf, 3000);
	read(fd, buf, 100);	/* at the end: 0 bytes, still a call */
	slurp("/proc/self/io");
	check(first > 0, "read /proc/self/io", "errno %d", errno);
	check(field("read_bytes: ") && field("write_bytes: ") && field("cancelled_write_bytes: "),
	      "all seven fields", "%s", text);
	/* The first slurp's read of /proc/self/io itself: first bytes, two calls (data, EOF). */
	check(io_field("wchar: ") - w0 == 3500, "wchar counts written bytes", "delta %llu",
	      io_field("wchar: ") - w0);
	check(io_field("syscw: ") - sw0 == 3, "syscw counts write calls", "delta %llu",
	      io_field("syscw: ") - sw0);
	check(io_field("rchar: ") - r0 == 3000 + (unsigned long long)first, "rchar counts read bytes",
	      "delta %llu first %ld", io_field("rchar: ") - r0, first);
	check(io_field("syscr: ") - sr0 == 4, "syscr counts read calls", "delta %llu",
	      io_field("syscr: ") - sr0);
	close(fd);
	{
		struct stat st;

		check(stat("/proc/self/io", &st) == 0 && (st.st_mode & 0777) == 0400, "io mode 0400",
		      "mode %o", st.st_mode);
	}
	{
		pid_t c = fork();
		unsigned long long before;

		slurp("/proc/self/io");
		before = io_field("wchar: ");
		if (c == 0) {
			int f2 = open("child", O_WRONLY | O_CREAT, 0644);

			write(f2, buf, 1234);
			_exit(0);
		}
		if (c > 0) {
			waitpid(c, NULL, 0);
			slurp("/proc/self/io");
			check(io_field("wchar: ") - before == 1234, "a reaped child's counts join the parent's",
			      "delta %llu", io_field("wchar: ") - before);
		}
	}
}

/* Waits until child c sleeps (State: S), then reads its wchan. */
static const char *wchan_of(pid_t c)
{
	static char name[128];
	const char *st;

	for (int i = 0; i < 500; i++) {
		if (slurp("/proc/%d/status", c) > 0 && (st = field("State:\t")) && st[0] == 'S')
			break;
		usleep(10000);
	}
	usleep(50000);
	if (slurp("/proc/%d/wchan", c) < 0)
		return "(unreadable)";
	snprintf(name, sizeof(name), "%s", text);
	*strchrnul(name, '.') = 0;	/* Linux's .isra.0 / .constprop.0 suffixes */
	return name;
}

static void wchan_case(const char *what, pid_t c, const char *want)
{
	const char *got = wchan_of(c);

	check(!strcmp(got, want), what, "got %s want %s", got, want);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

static void wchan_tests(void)
{
	int p[2];
	pid_t c;

	check(slurp("/proc/self/wchan") == 1 && !strcmp(text, "0"), "running task: 0", "got %s", text);
	if ((c = fork()) == 0) {
		sleep(100);
		_exit(0);
	}
	wchan_case("nanosleep", c, "hrtimer_nanosleep");
	pipe(p);
	if ((c = fork()) == 0) {
		char ch;

		read(p[0], &ch, 1);
		_exit(0);
	}
	wchan_case("pipe read", c, "anon_pipe_read");
	close(p[0]);
	close(p[1]);
	if ((c = fork()) == 0) {
		poll(NULL, 0, 100000);
		_exit(0);
	}
	wchan_case("poll", c, "poll_schedule_timeout");
	if ((c = fork()) == 0) {
		struct epoll_event ev;

		epoll_wait(epoll_create1(0), &ev, 1, 100000);
		_exit(0);
	}
	wchan_case("epoll_wait", c, "do_epoll_wait");
	if ((c = fork()) == 0) {
		pause();
		_exit(0);
	}
	wchan_case("pause", c, "__do_sys_pause");
	if ((c = fork()) == 0) {
		if (fork() == 0) {
			sleep(100);
			_exit(0);
		}
		wait(NULL);
		_exit(0);
	}
	wchan_case("wait4", c, "do_wait");
}

int main(void)
{
	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	fs_scratch("fs_procio");
	fdinfo_tests();
	io_tests();
	wchan_tests();
	return t_done();
}
