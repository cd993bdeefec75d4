/*
 * sysv_proc.c - System V IPC as /proc shows it: the rows of
 * /proc/sysvipc/{shm,sem,msg} for our own objects (header, key, id,
 * perms, sizes, pids, counts), and the limits under /proc/sys/kernel
 * with Linux's defaults; IPC_INFO agrees with them; a lowered msgmax
 * is enforced (as root), and bad values are refused.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

/* The row of file whose second column is id, split into fields; or 0. */
static int row(const char *file, int id, long long *f, int max, char *header, size_t hlen)
{
	FILE *fp = fopen(file, "r");
	char line[512];
	int n = 0;

	if (!fp)
		return 0;
	if (fgets(line, sizeof(line), fp) && header)
		snprintf(header, hlen, "%s", line);
	while (fgets(line, sizeof(line), fp)) {
		char *p = line, *e;

		n = 0;
		while (n < max) {
			long long v = strtoll(p, &e, n == 2 ? 8 : 10);

			if (e == p)
				break;
			f[n++] = v;
			p = e;
		}
		if (n >= 2 && f[1] == id)
			break;
		n = 0;
	}
	fclose(fp);
	return n;
}

static void read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
}

static int write_text(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

static void test_sysvipc(void)
{
	key_t k = (key_t)(0x5e300000 | (getpid() & 0xffff));
	int shm = shmget(k, 5000, IPC_CREAT | 0640), sem = semget(k, 4, IPC_CREAT | 0604);
	int msg = msgget(k, IPC_CREAT | 0620);
	long long f[20];
	char h[300];
	void *at = shmat(shm, NULL, 0);
	struct { long t; char s[8]; } m = { 1, "abcdef" };

	msgsnd(msg, &m, 7, 0);
	int n = row("/proc/sysvipc/shm", shm, f, 16, h, sizeof(h));
	check(strncmp(h, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap", 166) == 0,
	      "shm header", "'%s'", h);
	check(n == 16 && f[0] == k && f[2] == 0640 && f[3] == 5000 && f[4] == getpid() && f[5] == getpid() &&
	      f[6] == 1 && f[7] == getuid(), "shm row: key perms size cpid lpid nattch uid", "n %d", n);
	n = row("/proc/sysvipc/sem", sem, f, 10, h, sizeof(h));
	check(strcmp(h, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n") == 0,
	      "sem header", "'%s'", h);
	check(n == 10 && f[0] == k && f[2] == 0604 && f[3] == 4 && f[8] == 0, "sem row: key perms nsems otime",
	      "n %d", n);
	n = row("/proc/sysvipc/msg", msg, f, 14, h, sizeof(h));
	check(strcmp(h, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n") == 0,
	      "msg header", "'%s'", h);
	check(n == 14 && f[0] == k && f[2] == 0620 && f[3] == 7 && f[4] == 1 && f[5] == getpid() && f[6] == 0,
	      "msg row: key perms cbytes qnum lspid lrpid", "n %d", n);
	shmdt(at);
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	msgctl(msg, IPC_RMID, NULL);
	check(row("/proc/sysvipc/shm", shm, f, 16, NULL, 0) == 0, "removed: no row", "still there");
}

static void test_limits(void)
{
	char b[128];
	struct msginfo mi;
	struct shminfo si;
	struct seminfo smi;

	read_text("/proc/sys/kernel/shmmax", b, sizeof(b));
	check(strcmp(b, "18446744073692774399\n") == 0, "shmmax", "'%s'", b);
	read_text("/proc/sys/kernel/shmall", b, sizeof(b));
	check(strcmp(b, "18446744073692774399\n") == 0, "shmall", "'%s'", b);
	read_text("/proc/sys/kernel/shmmni", b, sizeof(b));
	check(strcmp(b, "4096\n") == 0, "shmmni", "'%s'", b);
	read_text("/proc/sys/kernel/sem", b, sizeof(b));
	check(strcmp(b, "32000\t1024000000\t500\t32000\n") == 0, "sem", "'%s'", b);
	read_text("/proc/sys/kernel/msgmax", b, sizeof(b));
	check(strcmp(b, "8192\n") == 0, "msgmax", "'%s'", b);
	read_text("/proc/sys/kernel/msgmnb", b, sizeof(b));
	check(strcmp(b, "16384\n") == 0, "msgmnb", "'%s'", b);
	read_text("/proc/sys/kernel/msgmni", b, sizeof(b));
	check(strcmp(b, "32000\n") == 0, "msgmni", "'%s'", b);
	check(msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0 && mi.msgmax == 8192 && mi.msgmnb == 16384 &&
	      mi.msgmni == 32000, "msgctl IPC_INFO agrees", "%d %d", mi.msgmax, mi.msgmnb);
	check(shmctl(0, IPC_INFO, (struct shmid_ds *)&si) >= 0 && si.shmmni == 4096 && si.shmmin == 1,
	      "shmctl IPC_INFO agrees", "%lu", si.shmmni);
	check(semctl(0, 0, IPC_INFO, &smi) >= 0 && smi.semmsl == 32000 && smi.semopm == 500 &&
	      smi.semvmx == 32767, "semctl IPC_INFO agrees", "%d", smi.semmsl);
	/* A lower msgmax is enforced, then put back (never clobber a host's own setting). */
	read_text("/proc/sys/kernel/msgmax", b, sizeof(b));
	if (strcmp(b, "8192\n") != 0)
		return;
	check(write_text("/proc/sys/kernel/msgmax", "100\n") == 0, "write msgmax 100", "failed");
	int q = msgget(IPC_PRIVATE, 0600);
	struct { long t; char s[200]; } m = { 1, "" };
	CHECK_ERR(msgsnd(q, &m, 101, IPC_NOWAIT), EINVAL, "a 101-byte message: EINVAL now");
	check(msgsnd(q, &m, 100, IPC_NOWAIT) == 0, "100 bytes still go", "errno %d", errno);
	msgctl(q, IPC_RMID, NULL);
	check(write_text("/proc/sys/kernel/msgmax", "8192") == 0, "msgmax back to 8192", "failed");
	check(write_text("/proc/sys/kernel/msgmax", "-5") == -EINVAL, "a negative msgmax: EINVAL", "accepted");
	read_text("/proc/sys/kernel/msgmax", b, sizeof(b));
	check(strcmp(b, "8192\n") == 0, "unchanged", "'%s'", b);
}

int main(void)
{
	t_start();
	if (getpid() == 1)
		mount("proc", "/proc", "proc", 0, NULL);
	test_sysvipc();
	test_limits();
	return t_done();
}
