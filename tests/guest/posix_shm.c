/*
 * posix_shm.c - POSIX shared memory and named semaphores through glibc,
 * which keeps both in /dev/shm: shm_open (O_CREAT, O_EXCL, ENOENT),
 * ftruncate and a MAP_SHARED mapping seen by a fork child, shm_unlink
 * while mapped; sem_open shared with a child (wait/post in both
 * directions, O_EXCL, unlink); /dev/shm is a sticky, world-writable tmpfs.
 */
#include "t.h"
#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#define TMPFS_MAGIC 0x01021994

static void test_dir(void)
{
	struct statfs sf = { 0 };
	struct stat st;

	check(statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC, "/dev/shm is a tmpfs", "type %#lx",
	      (unsigned long)sf.f_type);
	check(stat("/dev/shm", &st) == 0 && (st.st_mode & 07777) == 01777, "mode 1777", "%o", st.st_mode);
}

static void test_shm(void)
{
	char name[64], path[80];
	int fd, st;
	char *p;
	pid_t c;
	struct stat sb;

	snprintf(name, sizeof(name), "/t-posix-shm-%d", getpid());
	snprintf(path, sizeof(path), "/dev/shm%s", name);
	CHECK_ERR(shm_open(name, O_RDWR, 0600), ENOENT, "shm_open of a missing name: ENOENT");
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK_OK(fd, "shm_open O_CREAT|O_EXCL");
	CHECK_ERR(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST, "again: EEXIST");
	check(stat(path, &sb) == 0 && S_ISREG(sb.st_mode), "a file in /dev/shm", "errno %d", errno);
	check(ftruncate(fd, 8192) == 0, "ftruncate 8192", "errno %d", errno);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED, "mmap shared", "errno %d", errno);
	c = fork();
	if (c == 0) {
		int f2 = shm_open(name, O_RDWR, 0);
		char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, f2, 0);

		strcpy(q + 4096, "child wrote");
		_exit(0);
	}
	waitpid(c, &st, 0);
	check(strcmp(p + 4096, "child wrote") == 0, "the child's write through its own open", "'%s'", p + 4096);
	check(shm_unlink(name) == 0, "shm_unlink", "errno %d", errno);
	CHECK_ERR(shm_unlink(name), ENOENT, "shm_unlink twice: ENOENT");
	strcpy(p, "still mapped");
	check(strcmp(p, "still mapped") == 0, "the mapping outlives the name", "no");
	munmap(p, 8192);
	close(fd);
}

static void test_sem(void)
{
	char name[64];
	sem_t *s, *back;
	int st, v = -1;
	pid_t c;

	snprintf(name, sizeof(name), "/t-posix-sem-%d", getpid());
	s = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	check(s != SEM_FAILED, "sem_open O_CREAT", "errno %d", errno);
	check(sem_open(name, O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED && errno == EEXIST, "O_EXCL: EEXIST",
	      "errno %d", errno);
	snprintf(name + strlen(name), 8, "b");
	back = sem_open(name, O_CREAT, 0600, 0);
	name[strlen(name) - 1] = 0;
	c = fork();
	if (c == 0) {
		sem_t *cs = sem_open(name, 0);

		if (cs == SEM_FAILED)
			_exit(1);
		sem_wait(cs);		/* the parent's post */
		sem_post(back);
		_exit(0);
	}
	sem_post(s);
	check(sem_wait(back) == 0, "posted by the child after our post", "errno %d", errno);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child opened it by name", "%#x", st);
	sem_getvalue(s, &v);
	check(v == 0, "value 0 again", "%d", v);
	check(sem_trywait(s) == -1 && errno == EAGAIN, "sem_trywait: EAGAIN", "errno %d", errno);
	check(sem_unlink(name) == 0, "sem_unlink", "errno %d", errno);
	check(sem_open(name, 0) == SEM_FAILED && errno == ENOENT, "gone: ENOENT", "errno %d", errno);
	snprintf(name + strlen(name), 8, "b");
	sem_unlink(name);
	sem_close(s);
	sem_close(back);
}

int main(void)
{
	t_start();
	test_dir();
	test_shm();
	test_sem();
	return t_done();
}
