/*
 * proc_sysctl.c - the numbers the writable /proc/sys files take and the
 * ones they refuse (EINVAL): fs/lease-break-time, vm/drop_caches,
 * net/ipv4/ping_group_range, kernel/msgmni, kernel/shmmni, kernel/sem and
 * fs/mqueue/msg_max, each read back after a write that succeeds.  Runs as
 * root; natively in new network and IPC namespaces (their sysctls are
 * private there) and every value it changes is put back.
 */
#include "t.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>

/* The value in a test name, its newlines and tabs as \n and \t. */
static const char *shown(const char *v)
{
	static char b[64];
	size_t k = 0;

	for (; *v && k < sizeof(b) - 3; v++) {
		if (*v == '\n' || *v == '\t') {
			b[k++] = '\\';
			b[k++] = *v == '\n' ? 'n' : 't';
		} else {
			b[k++] = *v;
		}
	}
	b[k] = '\0';
	return b;
}

static int put(const char *file, const char *v)
{
	int fd = open(file, O_WRONLY);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = write(fd, v, strlen(v));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(v) ? 0 : -1;
}

static void get(const char *file, char *buf, size_t len)
{
	int fd = open(file, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/* A write that must succeed and read back as want (NULL: write-only). */
static void takes(const char *file, const char *v, const char *want)
{
	char name[160], got[128];
	int r;

	snprintf(name, sizeof(name), "%s takes \"%s\"", file, shown(v));
	r = put(file, v);
	if (r < 0 || want == NULL) {
		check(r == 0, name, "%s", strerror(errno));
		return;
	}
	get(file, got, sizeof(got));
	check(!strcmp(got, want), name, "reads back \"%s\", want \"%s\"", shown(got), want);
}

static void refuses(const char *file, const char *v)
{
	char name[160];

	snprintf(name, sizeof(name), "%s refuses \"%s\"", file, shown(v));
	errno = 0;
	check(put(file, v) < 0 && errno == EINVAL, name, "errno %d (%s), want EINVAL", errno,
	      strerror(errno));
}

int main(void)
{
	static const char *const bad_nums[] = {
		"x", "12x", "+", "0x", "08", "99999999999999999999", "-2147483649",
	};
	const char *lbt = "/proc/sys/fs/lease-break-time", *pgr = "/proc/sys/net/ipv4/ping_group_range";
	const char *mni = "/proc/sys/kernel/msgmni", *shm = "/proc/sys/kernel/shmmni";
	const char *sem = "/proc/sys/kernel/sem", *mq = "/proc/sys/fs/mqueue/msg_max";
	char old_lbt[32], old_mni[32], old_shm[32], old_sem[64], old_mq[32];

	t_start();
	if (geteuid() != 0) {
		skip("sysctl writes", "not root");
		return t_done();
	}
	unshare(CLONE_NEWNET | CLONE_NEWIPC);	/* natively: private sysctls */
	if (access("/proc/sys", F_OK) != 0)	/* as init inside ./linux: no /proc yet */
		mount("proc", "/proc", "proc", 0, NULL);
	get(lbt, old_lbt, sizeof(old_lbt));
	get(mni, old_mni, sizeof(old_mni));
	get(shm, old_shm, sizeof(old_shm));
	get(sem, old_sem, sizeof(old_sem));
	get(mq, old_mq, sizeof(old_mq));
	check(atoi(old_lbt) > 0 && atoi(old_mni) > 0 && atoi(old_shm) > 0 && atoi(old_mq) > 0,
	      "the sysctls read", "lease-break-time '%s' msgmni '%s' shmmni '%s' msg_max '%s'",
	      old_lbt, old_mni, old_shm, old_mq);

	takes(lbt, "7\n", "7\n");
	takes(lbt, "8", "8\n");
	takes(lbt, "  9\n", "9\n");
	takes(lbt, "2147483647", "2147483647\n");
	takes(lbt, "-1", "-1\n");
	takes(lbt, "0x10", "16\n");
	takes(lbt, "010", "8\n");
	refuses(lbt, "2147483648");
	refuses(lbt, "\n");
	for (size_t i = 0; i < sizeof(bad_nums) / sizeof(bad_nums[0]); i++)
		refuses(lbt, bad_nums[i]);
	takes(lbt, old_lbt, old_lbt);

	takes("/proc/sys/vm/drop_caches", "4", NULL);	/* 4: only silences the message */
	refuses("/proc/sys/vm/drop_caches", "0");
	refuses("/proc/sys/vm/drop_caches", "x");
	refuses("/proc/sys/vm/drop_caches", "-3");

	takes(pgr, "0 0", "0\t0\n");
	takes(pgr, "5\t3\n", "1\t0\n");	/* high below low: nobody */
	takes(pgr, "0 2147483646", "0\t2147483646\n");
	takes(pgr, "0 2147483647", "0\t2147483647\n");
	refuses(pgr, "-1 0");
	refuses(pgr, "a b");
	refuses(pgr, "0 1x");
	takes(pgr, "1 0", "1\t0\n");

	takes(mni, "100", "100\n");
	refuses(mni, "x");
	refuses(mni, "-5");
	refuses(mni, "32769");
	takes(mni, old_mni, old_mni);
	takes(shm, "4096\n", "4096\n");
	refuses(shm, "32769");
	refuses(shm, "1e3");
	takes(shm, old_shm, old_shm);
	takes(sem, "250 32000 32 128", "250\t32000\t32\t128\n");
	refuses(sem, "250 32000 x 128");
	takes(sem, old_sem, old_sem);
	takes(mq, "10", "10\n");
	refuses(mq, "x");
	takes(mq, old_mq, old_mq);
	return t_done();
}
