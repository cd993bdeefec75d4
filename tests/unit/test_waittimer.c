/* unit-sources: kernel/wait.c kernel/time.c */
/*
 * test_waittimer.c - wait-queue callbacks and kernel timers against a
 * fake clock and scheduler: timers fire in expiry order, the host
 * one-shot timer follows the earliest, cancel and re-arm from a callback
 * (intervals), wake_up_poll's keys and EPOLLEXCLUSIVE-style exclusive
 * entries, task entries still woken.
 */
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "kernel/mm.h"

int printf(const char *fmt, ...);
void *memset(void *s, int c, size_t n);

/* ---- fakes ---- */
static struct task self;
struct task *current = &self;
LIST_HEAD(all_tasks);
static u64 now, programmed_at;
static int programs, woken;

uint64_t os_monotonic_ns(void) { return now; }
uint64_t os_realtime_ns(void) { return now; }
/* The vDSO's clock line (arch/um/kernel/vdso.c) as the host's fake clock. */
u64 vdso_mono_ns(void) { return now - ktime_boot_ns(); }
u64 vdso_mono_coarse_ns(void) { return now - ktime_boot_ns(); }
s64 vdso_real_offset_ns(void) { return (s64)ktime_boot_ns(); }
/* No CPU-time clocks here (kernel/cputime.c). */
int cpu_clock_decode(int clk, struct cpu_clock *c) { (void)c; return clk == 2 || clk == 3 || clk < 0 ? -EINVAL : 1; }
long cpu_clock_sample(const struct cpu_clock *c, u64 *ns) { (void)c; *ns = 0; return 0; }
void cpu_itimer_get(struct task *t, int which, u64 *value, u64 *interval) { *value = *interval = 0; }
void cpu_itimer_set(struct task *t, int which, u64 value, u64 interval) { }
void posix_timers_exit(struct signal_struct *sig) { (void)sig; }
long cpu_clock_nanosleep(const struct cpu_clock *cc, bool abs, u64 ns, uaddr_t rem)
{
	(void)cc; (void)abs; (void)ns; (void)rem;
	return -EINVAL;
}
void vdso_set_realtime(u64 real_ns) { (void)real_ns; }
void vdso_set_timezone(int minuteswest, int dsttime) { (void)minuteswest; (void)dsttime; }
int os_timer_oneshot(uint64_t abs_ns) { programmed_at = abs_ns; programs++; return 0; }
void schedule(void) { }
void wake_up_task(struct task *t) { woken++; }
bool signal_pending(struct task *t) { return false; }
int send_sig(struct task *t, int sig) { return 0; }
long copy_to_user(uaddr_t dst, const void *src, size_t n) { return -EFAULT; }
long copy_from_user(void *dst, uaddr_t src, size_t n) { return -EFAULT; }
void thread_group_times(struct task *t, u64 *utime, u64 *stime) { *utime = *stime = 0; }

/* ---- harness ---- */
static int failed, num;
static void ok(int cond, const char *name)
{
	num++;
	printf("%s %d %s\n", cond ? "ok" : "not ok", num, name);
	if (!cond)
		failed++;
}

static int order[8], norder;
static void record(struct ktimer *k)
{
	order[norder++] = (int)(uintptr_t)k->data;
}

static int periods;
static void interval(struct ktimer *k)
{
	if (++periods < 3)
		ktimer_start(k, k->expires + 10);
}

static void test_timers(void)
{
	struct ktimer a, b, c, d;

	ktimer_init(&a, record, (void *)1);
	ktimer_init(&b, record, (void *)2);
	ktimer_init(&c, record, (void *)3);
	ktimer_init(&d, record, (void *)4);
	ok(!ktimer_armed(&a), "a new timer is not armed");
	ktimer_start(&a, 30);
	ok(programmed_at == 30, "host one-shot set for the only timer");
	ktimer_start(&b, 10);
	ok(programmed_at == 10, "an earlier timer reprograms the host");
	ktimer_start(&c, 20);
	ok(programmed_at == 10 && programs == 2, "a later one does not");
	ktimer_start(&d, 15);
	ok(ktimer_cancel(&d) && !ktimer_cancel(&d), "cancel: true once, then false");
	now = 25;
	ktimers_run(now);
	ok(norder == 2 && order[0] == 2 && order[1] == 3, "due timers fire in expiry order");
	ok(ktimer_armed(&a) && programmed_at == 30, "the rest stays armed; host set for it");
	ktimer_start(&a, 100);
	now = 40;
	ktimers_run(now);
	ok(norder == 2, "a re-armed timer waits for its new time");
	ktimer_cancel(&a);

	struct ktimer iv;
	ktimer_init(&iv, interval, NULL);
	ktimer_start(&iv, 50);
	now = 75;
	ktimers_run(now);
	ok(periods == 3 && !ktimer_armed(&iv), "a late interval timer catches up in one pass, then stops");
	ktimer_start(&iv, 300);
	now = 200;
	ktimers_run(now);
	ok(periods == 3 && ktimer_armed(&iv) && programmed_at == 300, "host set for the next expiry");
	ktimer_cancel(&iv);
}

static int calls[4];
static unsigned keys[4];
static int cb(struct waiter *w, unsigned key)
{
	int i = (int)(uintptr_t)w->priv;

	calls[i]++;
	keys[i] = key;
	return 1;
}

static void test_wait(void)
{
	struct wait_queue wq;
	struct waiter t, w0, w1, x2, x3;

	init_waitqueue(&wq);
	waiter_add_func(&wq, &x2, cb, (void *)2, true);
	waiter_add(&wq, &t);
	waiter_add_func(&wq, &w0, cb, (void *)0, false);
	waiter_add_func(&wq, &x3, cb, (void *)3, true);
	waiter_add_func(&wq, &w1, cb, (void *)1, false);
	ok(waitqueue_active(&wq), "queue active");
	woken = 0;
	wake_up_poll(&wq, 0x1);
	ok(woken == 1 && t.woken, "the task entry is woken");
	ok(calls[0] == 1 && calls[1] == 1 && keys[0] == 0x1, "every plain callback runs with the key");
	ok(calls[2] + calls[3] == 1, "one exclusive callback only");
	wake_up(&wq);
	ok(keys[1] == 0 && calls[1] == 2, "wake_up: key 0");
	waiter_del(&x2);
	waiter_del(&x3);
	waiter_del(&w0);
	waiter_del(&w1);
	waiter_del(&t);
	ok(!waitqueue_active(&wq), "all taken off");
}

int main(void)
{
	self.state = TASK_RUNNING;
	test_timers();
	test_wait();
	printf("%s: %d checks, %d failed\n", failed ? "FAILED" : "PASSED", num, failed);
	return failed != 0;
}
