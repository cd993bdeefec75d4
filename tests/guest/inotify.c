/*
 * inotify.c - inotify as file watchers use it: the events of a watched
 * directory (create, open, modify, close-write/nowrite, access, attrib,
 * moved-from/to with one cookie, mkdir/rmdir with IN_ISDIR, delete),
 * of a watched file (attrib, delete-self, ignored), IN_ONESHOT,
 * IN_MASK_ADD/IN_MASK_CREATE, IN_EXCL_UNLINK, rm_watch, merging of
 * identical events, IN_Q_OVERFLOW, poll and FIONREAD, the read layout
 * and its EINVAL for a short buffer, a `tail -f` reader woken by a
 * writer that then unlinks the file, and the errors of the three syscalls.  Each event read is
 * printed, so the native and ./linux sequences are compared too.
 */
#include "t.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char dir[256];
static uint32_t last_cookie;

static const char *mask_name(uint32_t m)
{
	static char b[256];
	static const struct { uint32_t bit; const char *n; } names[] = {
		{ IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" },
		{ IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" },
		{ IN_OPEN, "OPEN" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
		{ IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" },
		{ IN_MOVE_SELF, "MOVE_SELF" }, { IN_UNMOUNT, "UNMOUNT" }, { IN_Q_OVERFLOW, "Q_OVERFLOW" },
		{ IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" },
	};

	b[0] = 0;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (m & names[i].bit)
			snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s%s", b[0] ? "|" : "", names[i].n);
	return b;
}

/* Reads and prints every queued event (nonblocking fd); returns how many. */
static int drain(int fd, const char *what)
{
	char buf[8192] __attribute__((aligned(8)));
	int n = 0;
	ssize_t len;

	printf("-- %s\n", what);
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *e = (struct inotify_event *)p;

			printf("ev wd%d %s %s%s\n", e->wd, mask_name(e->mask), e->len ? e->name : "-",
			       e->cookie ? " (cookie)" : "");
			if (e->cookie)
				last_cookie = e->cookie;
			p += sizeof(*e) + e->len;
			n++;
		}
	}
	return n;
}

static void path(char *b, size_t l, const char *name)
{
	snprintf(b, l, "%s/%s", dir, name);
}

static void test_errors(void)
{
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	char f[300];

	CHECK_OK(in, "inotify_init1(NONBLOCK|CLOEXEC)");
	check(fcntl(in, F_GETFD) == FD_CLOEXEC && (fcntl(in, F_GETFL) & O_NONBLOCK), "flags applied", "no");
	CHECK_ERR(inotify_init1(1), EINVAL, "unknown flag: EINVAL");
	CHECK_ERR(inotify_add_watch(0x7ff0, dir, IN_CREATE), EBADF, "bad fd: EBADF");
	CHECK_ERR(inotify_add_watch(1, dir, IN_CREATE), EINVAL, "not an inotify fd: EINVAL");
	CHECK_ERR(inotify_add_watch(in, dir, 0), EINVAL, "empty mask: EINVAL");
	CHECK_ERR(inotify_add_watch(in, dir, IN_CREATE | IN_MASK_ADD | IN_MASK_CREATE), EINVAL,
		  "MASK_ADD with MASK_CREATE: EINVAL");
	path(f, sizeof(f), "missing");
	CHECK_ERR(inotify_add_watch(in, f, IN_CREATE), ENOENT, "missing path: ENOENT");
	path(f, sizeof(f), "plain");
	close(open(f, O_CREAT | O_WRONLY, 0644));
	CHECK_ERR(inotify_add_watch(in, f, IN_CREATE | IN_ONLYDIR), ENOTDIR, "IN_ONLYDIR on a file: ENOTDIR");
	CHECK_ERR(inotify_add_watch(in, (char *)8, IN_CREATE), EFAULT, "bad path pointer: EFAULT");
	CHECK_ERR(inotify_rm_watch(in, 1), EINVAL, "rm_watch of no watch: EINVAL");
	CHECK_ERR(inotify_rm_watch(1, 1), EINVAL, "rm_watch on another fd: EINVAL");
	char b[16];
	CHECK_ERR(read(in, b, sizeof(b)), EAGAIN, "empty, nonblocking: EAGAIN");
	unlink(f);
	close(in);
}

static void test_dir(void)
{
	int in = inotify_init1(IN_NONBLOCK), wd, fd, n;
	char f[300], g[300], s[300], b[64];

	wd = inotify_add_watch(in, dir, IN_ALL_EVENTS);
	check(wd == 1, "the first watch is wd 1", "%d", wd);
	path(f, sizeof(f), "f");
	path(g, sizeof(g), "g");
	path(s, sizeof(s), "sub");
	fd = open(f, O_CREAT | O_WRONLY, 0644);
	write(fd, "hello\n", 6);
	write(fd, "world\n", 6);
	close(fd);
	n = drain(in, "create, write twice, close");
	check(n == 4, "CREATE OPEN MODIFY CLOSE_WRITE (two writes merged)", "%d events", n);
	fd = open(f, O_RDONLY);
	read(fd, b, sizeof(b));
	close(fd);
	check(drain(in, "open, read, close") == 3, "OPEN ACCESS CLOSE_NOWRITE", "other");
	chmod(f, 0600);
	truncate(f, 3);
	check(drain(in, "chmod, truncate") == 2, "ATTRIB, MODIFY", "other");
	rename(f, g);
	check(drain(in, "rename") == 2 && last_cookie != 0, "MOVED_FROM and MOVED_TO with a cookie", "other");
	mkdir(s, 0755);
	rmdir(s);
	check(drain(in, "mkdir, rmdir") == 2, "CREATE|ISDIR, DELETE|ISDIR", "other");
	unlink(g);
	check(drain(in, "unlink") == 1, "DELETE", "other");
	check(inotify_rm_watch(in, wd) == 0, "rm_watch", "errno %d", errno);
	check(drain(in, "rm_watch") == 1, "IGNORED", "other");
	CHECK_ERR(inotify_rm_watch(in, wd), EINVAL, "rm_watch again: EINVAL");
	close(in);
}

static void test_file(void)
{
	int in = inotify_init1(IN_NONBLOCK), wf, wd, fd;
	char f[300], h[300];

	path(f, sizeof(f), "watched");
	path(h, sizeof(h), "moved");
	fd = open(f, O_CREAT | O_WRONLY, 0644);
	close(fd);
	wf = inotify_add_watch(in, f, IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_CLOSE_WRITE);
	wd = inotify_add_watch(in, dir, IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
	check(wf == 1 && wd == 2, "two watches: wd 1 and 2", "%d %d", wf, wd);
	check(inotify_add_watch(in, f, IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_CLOSE_WRITE) == wf,
	      "the same inode again: the same wd", "other");
	CHECK_ERR(inotify_add_watch(in, f, IN_MODIFY | IN_MASK_CREATE), EEXIST, "IN_MASK_CREATE on it: EEXIST");
	fd = open(f, O_WRONLY | O_APPEND);
	write(fd, "x", 1);
	close(fd);
	drain(in, "file: append, close");
	rename(f, h);
	drain(in, "file: rename");
	link(h, f);
	drain(in, "file: link");
	unlink(f);
	drain(in, "file: unlink one name");
	unlink(h);
	drain(in, "file: unlink the last name");
	char b[16];
	CHECK_ERR(read(in, b, sizeof(b)), EAGAIN, "nothing more");
	close(in);
}

static void test_flags(void)
{
	int in = inotify_init1(IN_NONBLOCK), w, fd;
	char f[300];

	path(f, sizeof(f), "flags");
	fd = open(f, O_CREAT | O_RDWR, 0644);
	w = inotify_add_watch(in, f, IN_MODIFY | IN_ONESHOT);
	write(fd, "1", 1);
	write(fd, "2", 1);
	check(drain(in, "oneshot") == 2, "IN_ONESHOT: one MODIFY then IGNORED", "other");
	write(fd, "3", 1);
	check(drain(in, "after oneshot") == 0, "then nothing", "other");
	w = inotify_add_watch(in, f, IN_MODIFY);
	check(w == 2, "a new watch: wd 2 (not reused)", "%d", w);
	check(inotify_add_watch(in, f, IN_ATTRIB | IN_MASK_ADD) == w, "IN_MASK_ADD: same wd", "other");
	write(fd, "4", 1);
	fchmod(fd, 0600);
	check(drain(in, "mask add") == 2, "MODIFY and ATTRIB", "other");
	inotify_add_watch(in, f, IN_ATTRIB);
	write(fd, "5", 1);
	fchmod(fd, 0644);
	check(drain(in, "mask replaced") == 1, "replaced: ATTRIB only", "other");
	close(fd);
	unlink(f);
	drain(in, "flags: unlink");
	close(in);
	/* IN_EXCL_UNLINK: an unlinked child's events are not reported to the directory. */
	in = inotify_init1(IN_NONBLOCK);
	path(f, sizeof(f), "excl");
	fd = open(f, O_CREAT | O_RDWR, 0644);
	inotify_add_watch(in, dir, IN_MODIFY | IN_EXCL_UNLINK);
	write(fd, "a", 1);
	unlink(f);
	write(fd, "b", 1);
	check(drain(in, "excl_unlink") == 1, "one MODIFY, before the unlink", "other");
	close(in);
	in = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(in, dir, IN_MODIFY);
	write(fd, "c", 1);
	check(drain(in, "no excl_unlink") == 1, "without it: the MODIFY after the unlink", "other");
	close(fd);
	close(in);
}

static void test_read_poll(void)
{
	int in = inotify_init1(IN_NONBLOCK), avail = -1, fd;
	char f[300], small[20];
	struct pollfd p = { in, POLLIN, 0 };

	inotify_add_watch(in, dir, IN_CREATE);
	check(poll(&p, 1, 0) == 0, "no event: not readable", "revents %#x", p.revents);
	path(f, sizeof(f), "a-name");
	close(open(f, O_CREAT | O_WRONLY, 0644));
	check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "an event: POLLIN", "revents %#x", p.revents);
	check(ioctl(in, FIONREAD, &avail) == 0 && avail == 32, "FIONREAD: 16 + the name padded to 16", "%d", avail);
	CHECK_ERR(read(in, small, sizeof(small)), EINVAL, "a buffer smaller than the event: EINVAL");
	char buf[64] __attribute__((aligned(8)));
	ssize_t n = read(in, buf, sizeof(buf));
	struct inotify_event *e = (struct inotify_event *)buf;
	check(n == 32 && e->len == 16 && strcmp(e->name, "a-name") == 0 && e->name[15] == 0,
	      "read layout: len 16, name NUL-padded", "n %zd len %u", n, e->len);
	unlink(f);
	/* Q_OVERFLOW: more events than max_queued_events. */
	fd = open(f, O_CREAT | O_RDWR, 0644);
	int in2 = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(in2, f, IN_MODIFY | IN_ACCESS);
	for (int i = 0; i < 8200; i++) {
		pwrite(fd, "z", 1, 0);
		pread(fd, small, 1, 0);
	}
	char big[65536] __attribute__((aligned(8)));
	int total = 0, overflow = 0, after = 0;
	ssize_t len;
	while ((len = read(in2, big, sizeof(big))) > 0)
		for (char *q = big; q < big + len; q += sizeof(struct inotify_event) + ((struct inotify_event *)q)->len) {
			struct inotify_event *ev = (struct inotify_event *)q;

			total++;
			if (ev->mask & IN_Q_OVERFLOW) {
				overflow++;
				if (ev->wd != -1)
					overflow = -100;
			} else if (overflow) {
				after++;
			}
		}
	check(total == 16385 && overflow == 1 && after == 0, "16384 events, then one IN_Q_OVERFLOW (wd -1)",
	      "total %d overflow %d after %d", total, overflow, after);
	close(fd);
	unlink(f);
	close(in2);
	close(in);
}

/* tail -f: a blocking reader woken by another process's appends. */
static void test_tail(void)
{
	char f[300], buf[256] __attribute__((aligned(8)));
	int in = inotify_init(), fd, st, got = 0;
	off_t pos = 0;
	pid_t c;

	path(f, sizeof(f), "log");
	fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0644);
	inotify_add_watch(in, f, IN_MODIFY | IN_ATTRIB);	/* DELETE_SELF waits for our close */
	c = fork();
	if (c == 0) {
		int w = open(f, O_WRONLY | O_APPEND);

		for (int i = 0; i < 5; i++) {
			dprintf(w, "line %d\n", i);
			usleep(2000);
		}
		close(w);
		unlink(f);
		_exit(0);
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf)), r;
		int gone = 0;

		if (n <= 0)
			break;
		for (char *q = buf; q < buf + n; q += sizeof(struct inotify_event) + ((struct inotify_event *)q)->len)
			if (((struct inotify_event *)q)->mask & IN_ATTRIB) {
				struct stat sb;

				gone = fstat(fd, &sb) == 0 && sb.st_nlink == 0;	/* as GNU tail */
			}
		char data[256];
		while ((r = pread(fd, data, sizeof(data), pos)) > 0) {
			pos += r;
			for (ssize_t i = 0; i < r; i++)
				got += data[i] == '\n';
		}
		if (gone)
			break;
	}
	waitpid(c, &st, 0);
	check(got == 5 && pos == 35, "tail -f: all five lines, then the unlink (ATTRIB, no link left) ends it", "%d lines, %ld bytes", got,
	      (long)pos);
	close(fd);
	close(in);
}

int main(void)
{
	t_start();
	t_path(dir, sizeof(dir), "inotify-dir");
	mkdir(dir, 0755);
	test_errors();
	test_dir();
	test_file();
	test_flags();
	test_read_poll();
	test_tail();
	rmdir(dir);
	return t_done();
}
