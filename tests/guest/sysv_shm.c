/*
 * sysv_shm.c - System V shared memory: shmget's key rules and errors,
 * IPC_STAT fields, a segment shared across fork (nattch counts the
 * child's attach and drops when it exits), exec detaching, IPC_RMID
 * while attached (still usable, key gone, destroyed at the last
 * detach), SHM_RDONLY (writes fault, mprotect refuses), SHM_RND and
 * alignment, shmdt errors, permissions for another user.
 */
#include "t.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>

static key_t test_key(int n)
{
	return (key_t)(0x5e000000 | ((getpid() & 0xffff) << 8) | n);
}

static int nattch(int id)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) < 0)
		return -errno;
	return (int)ds.shm_nattch;
}

static void test_get(void)
{
	key_t k = test_key(1);
	int id, id2;
	struct shmid_ds ds;

	CHECK_ERR(shmget(k, 4096, 0600), ENOENT, "unknown key without IPC_CREAT: ENOENT");
	CHECK_ERR(shmget(IPC_PRIVATE, 0, 0600), EINVAL, "size 0: EINVAL");
	id = shmget(k, 10000, IPC_CREAT | 0640);
	CHECK_OK(id, "shmget IPC_CREAT");
	id2 = shmget(k, 5000, 0);
	check(id2 == id, "same key, smaller size: same id", "%d vs %d", id2, id);
	CHECK_ERR(shmget(k, 20000, 0), EINVAL, "same key, larger size: EINVAL");
	CHECK_ERR(shmget(k, 100, IPC_CREAT | IPC_EXCL | 0600), EEXIST, "IPC_EXCL on a key in use: EEXIST");
	check(shmctl(id, IPC_STAT, &ds) == 0, "IPC_STAT", "errno %d", errno);
	check(ds.shm_segsz == 10000, "shm_segsz is the size asked", "%zu", ds.shm_segsz);
	check((ds.shm_perm.mode & 0777) == 0640, "mode from shmflg", "%o", ds.shm_perm.mode);
	check(ds.shm_perm.__key == k, "key kept", "%x", ds.shm_perm.__key);
	check(ds.shm_cpid == getpid() && ds.shm_lpid == 0, "cpid is us, lpid 0", "%d %d",
	      ds.shm_cpid, ds.shm_lpid);
	check(ds.shm_nattch == 0 && ds.shm_atime == 0 && ds.shm_ctime != 0, "no attach yet",
	      "nattch %lu atime %ld", ds.shm_nattch, (long)ds.shm_atime);
	check(ds.shm_perm.uid == geteuid() && ds.shm_perm.cuid == geteuid(), "owner is us", "uid %u",
	      ds.shm_perm.uid);
	ds.shm_perm.mode = 0604;
	check(shmctl(id, IPC_SET, &ds) == 0, "IPC_SET", "errno %d", errno);
	shmctl(id, IPC_STAT, &ds);
	check((ds.shm_perm.mode & 0777) == 0604, "IPC_SET changed the mode", "%o", ds.shm_perm.mode);
	CHECK_ERR(shmctl(id, IPC_STAT, (struct shmid_ds *)8), EFAULT, "IPC_STAT to a bad pointer: EFAULT");
	CHECK_ERR(shmctl(id, 99, &ds), EINVAL, "unknown command: EINVAL");
	CHECK_ERR(shmctl(id + 1, IPC_STAT, &ds), EINVAL, "unknown id: EINVAL");
	CHECK_ERR(shmctl(-1, IPC_STAT, &ds), EINVAL, "negative id: EINVAL");
	check(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID", "errno %d", errno);
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL, "removed: EINVAL");
	CHECK_ERR(shmget(k, 100, 0), ENOENT, "its key is free again");
	id = shmget(IPC_PRIVATE, 100, 0600);
	id2 = shmget(IPC_PRIVATE, 100, 0600);
	check(id >= 0 && id2 >= 0 && id != id2, "IPC_PRIVATE always makes a new one", "%d %d", id, id2);
	shmctl(id, IPC_RMID, NULL);
	shmctl(id2, IPC_RMID, NULL);
}

static void test_fork(void)
{
	int id = shmget(IPC_PRIVATE, 3 * 4096, 0600);
	char *p = shmat(id, NULL, 0);
	int st;
	pid_t c;

	check(p != (void *)-1, "shmat", "errno %d", errno);
	check(((uintptr_t)p & 4095) == 0, "page aligned", "%p", p);
	check(p[0] == 0 && p[3 * 4096 - 1] == 0, "zero filled", "nonzero");
	check(nattch(id) == 1, "nattch 1 after shmat", "%d", nattch(id));
	strcpy(p + 5000, "parent");
	c = fork();
	if (c == 0) {
		int ok = strcmp(p + 5000, "parent") == 0 && nattch(id) == 2;

		strcpy(p + 8200, "from the child");
		_exit(ok ? 0 : 1);
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw the data and nattch 2", "status %#x", st);
	check(strcmp(p + 8200, "from the child") == 0, "child's write seen by the parent", "'%s'", p + 8200);
	check(nattch(id) == 1, "child's exit detached it", "%d", nattch(id));
	char *q = shmat(id, NULL, SHM_RDONLY);
	check(q != (void *)-1 && q != p, "a second attach elsewhere", "%p", q);
	check(q != (void *)-1 && strcmp(q + 8200, "from the child") == 0, "same pages", "differ");
	check(nattch(id) == 2, "nattch 2", "%d", nattch(id));
	/* IPC_RMID while attached: still there until the last detach. */
	check(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID while attached", "errno %d", errno);
	struct shmid_ds ds;
	check(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & SHM_DEST) && ds.shm_perm.__key == 0,
	      "marked SHM_DEST, key private", "mode %o key %x", ds.shm_perm.mode, ds.shm_perm.__key);
	p[0] = 'x';
	check(q[0] == 'x', "still shared after IPC_RMID", "%c", q[0]);
	check(shmdt(q) == 0, "shmdt", "errno %d", errno);
	check(nattch(id) == 1, "nattch 1", "%d", nattch(id));
	CHECK_ERR(shmdt(q), EINVAL, "shmdt twice: EINVAL");
	CHECK_ERR(shmdt(p + 1), EINVAL, "shmdt of an unaligned address: EINVAL");
	CHECK_ERR(shmdt(p + 4096), EINVAL, "shmdt inside an attach: EINVAL");
	check(shmdt(p) == 0, "last shmdt", "errno %d", errno);
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL, "destroyed at the last detach");
	CHECK_ERR(shmat(id, NULL, 0), EINVAL, "shmat of it: EINVAL");
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_ERR(shmdt(m), EINVAL, "shmdt of an ordinary mapping: EINVAL");
	munmap(m, 4096);
}

static sigjmp_buf jb;
static void on_segv(int sig)
{
	siglongjmp(jb, 1);
}

static void test_rdonly(void)
{
	int id = shmget(IPC_PRIVATE, 4096, 0600);
	char *w = shmat(id, NULL, 0), *r = shmat(id, NULL, SHM_RDONLY);
	volatile int faulted = 0;

	w[10] = 'a';
	check(r[10] == 'a', "SHM_RDONLY attach reads", "%d", r[10]);
	signal(SIGSEGV, on_segv);
	if (sigsetjmp(jb, 1) == 0)
		*(volatile char *)r = 1;
	else
		faulted = 1;
	signal(SIGSEGV, SIG_DFL);
	check(faulted, "a write to it faults", "no fault");
	CHECK_ERR(mprotect(r, 4096, PROT_READ | PROT_WRITE), EACCES, "mprotect it writable: EACCES");
	shmdt(w);
	shmdt(r);
	/* Addresses: SHM_RND rounds down to SHMLBA, else unaligned is EINVAL. */
	char *base = mmap(NULL, 8 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(base, 8 * 4096);
	CHECK_ERR(shmat(id, base + 100, 0), EINVAL, "unaligned address: EINVAL");
	char *at = shmat(id, base + 4096 + 100, SHM_RND);
	check(at == base + 4096, "SHM_RND rounds down", "%p vs %p", at, base + 4096);
	char *m = mmap(base + 3 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_ERR(shmat(id, m, 0), EINVAL, "over an existing mapping: EINVAL");
	char *re = shmat(id, m, SHM_REMAP);
	check(re == m, "SHM_REMAP replaces it", "%p", re);
	check(re != (void *)-1 && re[10] == 'a', "and maps the segment", "no");
	CHECK_ERR(shmat(id, NULL, SHM_REMAP), EINVAL, "SHM_REMAP without an address: EINVAL");
	shmdt(at);
	shmdt(re);
	shmctl(id, IPC_RMID, NULL);
}

static void test_exec(const char *self)
{
	int id = shmget(IPC_PRIVATE, 4096, 0600);
	char arg[32];
	int st;
	pid_t c;

	char *p = shmat(id, NULL, 0);
	snprintf(arg, sizeof(arg), "%d", id);
	c = fork();
	if (c == 0) {
		execl(self, self, "exec-child", arg, (char *)NULL);
		_exit(3);
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec dropped the inherited attach", "status %#x", st);
	check(p[0] == 'e', "the exec'd child's own attach wrote", "%d", p[0]);
	check(nattch(id) == 1, "its exit dropped its attach", "%d", nattch(id));
	shmdt(p);
	shmctl(id, IPC_RMID, NULL);
}

static int exec_child(int id)
{
	char *p;

	if (nattch(id) != 1)	/* the parent's only */
		return 1;
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return 2;
	p[0] = 'e';
	return nattch(id) == 2 ? 0 : 4;
}

static void test_perms(void)
{
	key_t k = test_key(2);
	int id = shmget(k, 4096, IPC_CREAT | 0600), st;
	pid_t c;

	c = fork();
	if (c == 0) {
		int bad = 0;
		struct shmid_ds ds;

		if (setuid(65534) < 0)
			_exit(9);
		if (shmget(k, 4096, 0600) != -1 || errno != EACCES)
			bad |= 1;
		if (shmat(id, NULL, 0) != (void *)-1 || errno != EACCES)
			bad |= 2;
		if (shmctl(id, IPC_STAT, &ds) != -1 || errno != EACCES)
			bad |= 4;
		if (shmctl(id, IPC_RMID, NULL) != -1 || errno != EPERM)
			bad |= 8;
		if (shmget(k, 4096, 0) != id)	/* no access asked: allowed */
			bad |= 16;
		_exit(bad);
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "another user: EACCES for get/attach/stat, EPERM for RMID", "status %#x", st);
	shmctl(id, IPC_RMID, NULL);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "exec-child") == 0)
		return exec_child(atoi(argv[2]));
	t_start();
	test_get();
	test_fork();
	test_rdonly();
	test_exec(argv[0]);
	test_perms();
	return t_done();
}
