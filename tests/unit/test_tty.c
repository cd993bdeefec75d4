/* unit-sources: drivers/tty/tty.c */
/*
 * test_tty.c - the line discipline against a fake driver, fake signals
 * and a fake scheduler: canonical editing, echo bytes, ONLCR, signal
 * characters, ^D, raw mode VMIN/VTIME, ioctls.
 *
 * Sleeping is simulated: sleep_on() feeds the bytes queued in `feed`
 * (as if typed while the reader slept) or, with nothing queued, returns
 * -ERESTARTSYS as if a signal arrived.  sleep_on_timeout() times out.
 *
 * The kernel headers and libc's clash (dev_t, loff_t), so this file uses
 * only kernel headers and declares the few libc functions it calls.
 */
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/tty.h"
#include "kernel/mm.h"

int printf(const char *fmt, ...);

/* ---- fakes ---- */

struct task *current;
LIST_HEAD(all_tasks);

static u8 out[8192];
static int out_len;
static int sig_pgrp[16], sig_num[16], nsigs;
static const char *feed;
static struct tty tty;

static int fake_write(struct tty *t, const u8 *buf, int len)
{
	memcpy(out + out_len, buf, len);
	out_len += len;
	return len;
}

static const struct tty_driver_ops fake_ops = { .write = fake_write };

int kill_pgrp(pid_t pgid, int sig, siginfo_t *info)
{
	sig_pgrp[nsigs] = pgid;
	sig_num[nsigs++] = sig;
	return 0;
}

int sleep_on(struct wait_queue *wq, bool interruptible)
{
	const char *f = feed;

	if (f == NULL)
		return -ERESTARTSYS;
	feed = NULL;
	tty_receive(&tty, (const u8 *)f, (int)strlen(f));
	return 0;
}

int sleep_on_timeout(struct wait_queue *wq, bool interruptible, u64 deadline_ns)
{
	return -ETIMEDOUT;
}

void wake_up(struct wait_queue *wq) { }
void wake_up_poll(struct wait_queue *wq, unsigned key) { }

int send_sig(struct task *t, int sig)
{
	sig_pgrp[nsigs] = -t->pid;	/* a process, told apart from a group by its sign */
	sig_num[nsigs++] = sig;
	return 0;
}
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt) { }

/* kernel/exit.c is not linked in: no group is orphaned. */
bool pgrp_orphaned(pid_t pgid, struct task *ignored)
{
	(void)pgid;
	(void)ignored;
	return false;
}
uint64_t os_monotonic_ns(void) { return 1; }

long copy_from_user(void *dst, uaddr_t src, size_t n)
{
	memcpy(dst, (const void *)(uintptr_t)uaddr_val(src), n);
	return 0;
}

long copy_to_user(uaddr_t dst, const void *src, size_t n)
{
	memcpy((void *)(uintptr_t)uaddr_val(dst), src, n);
	return 0;
}

long uio_copy_out(struct uio *u, const void *src, size_t n)
{
	memcpy(u->kbuf + u->done, src, n);
	u->done += n;
	return 0;
}

long uio_copy_in(struct uio *u, void *dst, size_t n)
{
	memcpy(dst, u->kbuf + u->done, n);
	u->done += n;
	return 0;
}

/* ---- helpers ---- */

static int failures, count;
static struct file file;

static void check(int ok, const char *name, const char *why)
{
	count++;
	if (ok) {
		printf("ok %d %s\n", count, name);
	} else {
		printf("not ok %d %s: %s\n", count, name, why);
		failures++;
	}
}

static void reset(void)
{
	memset(&tty, 0, sizeof(tty));
	init_waitqueue(&tty.read_wait);
	init_waitqueue(&tty.write_wait);
	tty.ops = &fake_ops;
	tty_init_termios(&tty);
	memset(&file, 0, sizeof(file));
	file.private_data = &tty;
	file.f_mode = FMODE_READ | FMODE_WRITE;
	out_len = 0;
	nsigs = 0;
	feed = NULL;
}

static void type(const char *s)
{
	tty_receive(&tty, (const u8 *)s, (int)strlen(s));
}

/* Reads up to n bytes into buf (NUL-terminated); the read result. */
static long rd(char *buf, size_t n)
{
	struct uio u = { .kernel = true, .kbuf = (u8 *)buf, .len = n };
	loff_t pos = 0;
	long r = tty_fops.read(&file, &u, &pos);

	buf[r > 0 ? r : 0] = '\0';
	return r;
}

static bool out_is(const char *s)
{
	size_t n = strlen(s);

	return (size_t)out_len == n && memcmp(out, s, n) == 0;
}

static long ioc(unsigned cmd, void *arg)
{
	return tty_fops.ioctl(&file, cmd, (u64)(uintptr_t)arg);
}

static void set_raw(int vmin, int vtime)
{
	struct termios t;

	ioc(TCGETS, &t);
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = (cc_t)vmin;
	t.c_cc[VTIME] = (cc_t)vtime;
	ioc(TCSETS, &t);
}

/* ---- tests ---- */

static void test_canon_erase(void)
{
	char buf[64];
	long r;

	reset();
	type("ab\177c\r");
	r = rd(buf, sizeof(buf));
	check(r == 3 && strcmp(buf, "ac\n") == 0, "canonical erase", buf);
	check(out_is("ab\b \bc\r\n"), "echo of erase and newline", (char *)out);
}

static void test_canon_kill_werase(void)
{
	char buf[64];
	long r;

	reset();
	type("abc\025xy\n");
	r = rd(buf, sizeof(buf));
	check(r == 3 && strcmp(buf, "xy\n") == 0, "kill line", buf);
	check(out_is("abc\b \b\b \b\b \bxy\r\n"), "ECHOKE rubs the line out", (char *)out);
	reset();
	type("foo bar\027baz\n");
	rd(buf, sizeof(buf));
	check(strcmp(buf, "foo baz\n") == 0, "word erase", buf);
}

static void test_canon_partial_and_lines(void)
{
	char buf[64];
	long r1, r2, r3;

	reset();
	type("hello\nworld\n");
	r1 = rd(buf, 3);
	check(r1 == 3 && strcmp(buf, "hel") == 0, "short read of a line", buf);
	r2 = rd(buf, sizeof(buf));
	check(r2 == 3 && strcmp(buf, "lo\n") == 0, "rest of the line", buf);
	r3 = rd(buf, sizeof(buf));
	check(r3 == 6 && strcmp(buf, "world\n") == 0, "one line per read", buf);
	file.f_flags = O_NONBLOCK;
	check(rd(buf, sizeof(buf)) == -EAGAIN, "O_NONBLOCK with no line", "");
}

static void test_echoctl(void)
{
	reset();
	type("\001\t");
	check(out_is("^A\t"), "ECHOCTL shows ^A, tab as is", (char *)out);
}

static void test_onlcr_write(void)
{
	struct uio u = { .kernel = true, .kbuf = (u8 *)"a\nb\n", .len = 4 };
	loff_t pos = 0;
	long r;

	reset();
	r = tty_fops.write(&file, &u, &pos);
	check(r == 4 && out_is("a\r\nb\r\n"), "ONLCR on output", (char *)out);
}

static void test_isig(void)
{
	char buf[64];

	reset();
	tty.pgrp = 42;
	type("abc\003");
	check(nsigs == 1 && sig_pgrp[0] == 42 && sig_num[0] == SIGINT, "^C sends SIGINT to pgrp", "");
	check(out_is("abc^C"), "^C echoed", (char *)out);
	type("d\n");
	rd(buf, sizeof(buf));
	check(strcmp(buf, "d\n") == 0, "^C flushed the line", buf);
	type("\034\032");
	check(nsigs == 3 && sig_num[1] == SIGQUIT && sig_num[2] == SIGTSTP, "^\\ and ^Z", "");
}

static void test_eof(void)
{
	char buf[64];
	long r;

	reset();
	type("\004");
	r = rd(buf, sizeof(buf));
	check(r == 0, "^D on an empty line reads 0", "");
	type("xy\004");
	r = rd(buf, sizeof(buf));
	check(r == 2 && strcmp(buf, "xy") == 0, "^D pushes a partial line", buf);
	r = rd(buf, sizeof(buf));
	check(r == -ERESTARTSYS, "then the reader blocks again", "");
	check(out_is("xy"), "^D is not echoed", (char *)out);
	tty_set_eof(&tty);
	check(rd(buf, sizeof(buf)) == 0, "device EOF reads 0", "");
}

static void test_raw(void)
{
	char buf[64];
	long r;

	reset();
	set_raw(3, 0);
	type("ab");
	feed = "cd";
	r = rd(buf, sizeof(buf));
	check(r == 4 && strcmp(buf, "abcd") == 0, "VMIN=3 waits for 3 bytes", buf);
	check(out_len == 0, "no echo without ECHO", "");
	type("\177\r");
	r = rd(buf, sizeof(buf));
	check(r == 2 && buf[0] == 0177 && buf[1] == '\n', "raw: no editing, ICRNL still", "");
	set_raw(0, 0);
	check(rd(buf, sizeof(buf)) == 0, "VMIN=0 VTIME=0 polls", "");
	set_raw(0, 5);
	check(rd(buf, sizeof(buf)) == 0, "VTIME expires with 0", "");
	set_raw(1, 0);
	type("q");
	check(rd(buf, sizeof(buf)) == 1 && buf[0] == 'q', "VMIN=1", buf);
}

static void test_mode_switch(void)
{
	struct termios t;
	char buf[64];

	reset();
	type("par");
	set_raw(1, 0);
	check(rd(buf, sizeof(buf)) == 3 && strcmp(buf, "par") == 0,
	      "partial line readable after leaving ICANON", buf);
	ioc(TCGETS, &t);
	t.c_lflag |= ICANON;
	type("zz");
	ioc(TCSETSF, &t);
	check(tty.icount == 0, "TCSETSF flushes input", "");
}

static void test_ioctls(void)
{
	struct termios t;
	struct winsize ws = { 50, 132, 0, 0 }, ws2;
	int n = -1;

	reset();
	check(ioc(TCGETS, &t) == 0 && t.c_iflag == (ICRNL | IXON) &&
	      t.c_oflag == (OPOST | ONLCR) && t.c_cc[VERASE] == 0177 &&
	      t.c_cc[VMIN] == 1 && (t.c_lflag & ICANON), "TCGETS defaults", "");
	type("abc\n");
	check(ioc(FIONREAD, &n) == 0 && n == 4, "FIONREAD", "");
	tty.pgrp = 7;
	check(ioc(TIOCSWINSZ, &ws) == 0 && nsigs == 1 && sig_num[0] == SIGWINCH,
	      "TIOCSWINSZ sends SIGWINCH", "");
	check(ioc(TIOCGWINSZ, &ws2) == 0 && ws2.ws_row == 50 && ws2.ws_col == 132,
	      "TIOCGWINSZ", "");
	check(ioc(0x5401 + 0x1000, &n) == -ENOTTY, "unknown ioctl is ENOTTY", "");
	check(ioc(TCFLSH, (void *)(uintptr_t)TCIFLUSH) == 0 && tty.icount == 0, "TCFLSH", "");
}

/* TIOCNOTTY: SIGHUP and SIGCONT to the foreground group, the terminal freed. */
static bool tty_drop_ok(void)
{
	nsigs = 0;
	return ioc(TIOCNOTTY, NULL) == 0 && nsigs == 2 && sig_num[0] == SIGHUP &&
	       sig_num[1] == SIGCONT && sig_pgrp[0] == 10 && tty.session == 0;
}

static void test_ctty(void)
{
	static struct task leader, other;
	static struct signal_struct lsig, osig;
	struct file f2;
	int sid = 0, pg = 0;

	reset();
	leader.pid = leader.tgid = leader.sid = leader.pgid = 10;
	other.pid = other.tgid = other.sid = other.pgid = 20;
	leader.signal = &lsig;
	other.signal = &osig;
	leader.group_leader = &leader;
	other.group_leader = &other;
	list_add(&leader.tasks, &all_tasks);
	list_add(&other.tasks, &all_tasks);
	current = &leader;
	memset(&f2, 0, sizeof(f2));
	f2.f_mode = FMODE_READ | FMODE_WRITE;	/* a write-only open takes no terminal */
	tty_open_file(&tty, &f2, false);
	check(tty.session == 10 && tty.pgrp == 10, "session leader open sets ctty", "");
	check(ioc(TIOCGSID, &sid) == 0 && sid == 10, "TIOCGSID", "");
	check(ioc(TIOCGPGRP, &pg) == 0 && pg == 10, "TIOCGPGRP", "");
	pg = 99;
	check(ioc(TIOCSPGRP, &pg) == -ESRCH, "TIOCSPGRP to no group: ESRCH", "");
	pg = 20;
	check(ioc(TIOCSPGRP, &pg) == -EPERM, "TIOCSPGRP to another session's group", "");
	pg = 10;
	check(ioc(TIOCSPGRP, &pg) == 0, "TIOCSPGRP to own group", "");
	check(tty_drop_ok(), "TIOCNOTTY by the leader SIGHUPs the foreground", "");
	list_del(&leader.tasks);
	list_del(&other.tasks);
	current = NULL;
}

int main(void)
{
	test_canon_erase();
	test_canon_kill_werase();
	test_canon_partial_and_lines();
	test_echoctl();
	test_onlcr_write();
	test_isig();
	test_eof();
	test_raw();
	test_mode_switch();
	test_ioctls();
	test_ctty();
	printf("# %d tests, %d failed\n", count, failures);
	return failures != 0;
}
