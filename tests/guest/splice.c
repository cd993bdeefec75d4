/*
 * splice.c - moving bytes without a user buffer and the calls around it:
 * splice (file to pipe, pipe to file, pipe to pipe, offsets, a full
 * pipe, NONBLOCK), tee, copy_file_range (offsets, EOF, overlap, errors),
 * sync_file_range, close_range (CLOEXEC, UNSHARE), and fallocate on
 * tmpfs (sizes, KEEP_SIZE, PUNCH_HOLE, the modes tmpfs refuses, errors).
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <linux/close_range.h>
#include <linux/falloc.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char path[512], path2[512];

static int mkfile(const char *p, const char *text)
{
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0 && text != NULL)
		write(fd, text, strlen(text));
	return fd;
}

static const char *readall(int fd, off_t off)
{
	static char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, off);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static void test_splice(void)
{
	int fd = mkfile(path, "0123456789abcdef"), out, p[2], q[2];
	char buf[64] = { 0 };
	loff_t off = 4;

	CHECK_OK(pipe(p), "pipe");
	CHECK_OK(pipe(q), "pipe 2");
	lseek(fd, 2, SEEK_SET);
	check(splice(fd, NULL, p[1], NULL, 5, 0) == 5, "file to pipe at f_pos", "failed");
	check(lseek(fd, 0, SEEK_CUR) == 7, "f_pos moved", "at %ld", (long)lseek(fd, 0, SEEK_CUR));
	check(splice(fd, &off, p[1], NULL, 3, 0) == 3 && off == 7, "file to pipe at an offset",
	      "off %ld", (long)off);
	check(lseek(fd, 0, SEEK_CUR) == 7, "f_pos kept with an offset", "moved");
	check(read(p[0], buf, sizeof(buf)) == 8 && !memcmp(buf, "23456456", 8), "pipe got both",
	      "got '%.8s'", buf);
	check(splice(fd, NULL, p[1], NULL, 100, 0) == 9, "to EOF only", "short");
	check(splice(fd, NULL, p[1], NULL, 100, 0) == 0, "at EOF: 0", "not 0");
	check(splice(p[0], NULL, q[1], NULL, 4, 0) == 4, "pipe to pipe", "failed");
	memset(buf, 0, sizeof(buf));
	check(read(q[0], buf, sizeof(buf)) == 4 && !strcmp(buf, "789a"), "pipe to pipe bytes",
	      "got '%s'", buf);
	out = mkfile(path2, "xxxxxxxxxx");
	off = 2;
	check(splice(p[0], NULL, out, &off, 100, 0) == 5 && off == 7, "pipe to file, what it holds",
	      "off %ld", (long)off);
	check(!strcmp(readall(out, 0), "xxbcdefxxx"), "file written at the offset", "got '%s'",
	      readall(out, 0));
	CHECK_ERR(splice(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK), EAGAIN, "empty pipe, NONBLOCK");
	CHECK_ERR(splice(fd, NULL, out, NULL, 10, 0), EINVAL, "no pipe at either end");
	off = 0;
	CHECK_ERR(splice(p[0], &off, out, NULL, 10, 0), ESPIPE, "offset for a pipe");
	CHECK_ERR(splice(p[0], NULL, p[1], NULL, 10, 0), EINVAL, "a pipe into itself");
	CHECK_ERR(splice(fd, NULL, p[1], NULL, 10, 0x100), EINVAL, "unknown flag");
	CHECK_ERR(splice(-1, NULL, p[1], NULL, 10, 0), EBADF, "bad fd");
	CHECK_ERR(splice(p[1], NULL, out, NULL, 10, 0), EBADF, "from the write end");
	CHECK_OK(splice(fd, NULL, p[1], NULL, 0, 0), "len 0");

	/* A full pipe takes what fits, then NONBLOCK says EAGAIN. */
	{
		static char big[200000];
		int bf = mkfile(path2, NULL);
		long n;

		write(bf, big, sizeof(big));
		fcntl(p[1], F_SETPIPE_SZ, 65536);
		n = splice(bf, &(loff_t){0}, p[1], NULL, sizeof(big), 0);
		check(n > 0 && n <= 65536, "splice into a pipe fills it", "moved %ld", n);
		CHECK_ERR(splice(bf, &(loff_t){0}, p[1], NULL, 10, SPLICE_F_NONBLOCK), EAGAIN,
			  "full pipe, NONBLOCK");
		close(bf);
	}
	close(p[0]);
	CHECK_ERR(splice(fd, &(loff_t){0}, p[1], NULL, 10, 0), EPIPE, "no reader: EPIPE");
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(fd);
	close(out);
}

static void test_tee(void)
{
	int p[2], q[2], fd = mkfile(path, "t");
	char buf[32] = { 0 };

	pipe(p);
	pipe(q);
	write(p[1], "teedata", 7);
	check(tee(p[0], q[1], 3, 0) == 3, "tee 3 bytes", "failed");
	check(read(q[0], buf, sizeof(buf)) == 3 && !memcmp(buf, "tee", 3), "copy arrives", "got '%s'", buf);
	memset(buf, 0, sizeof(buf));
	check(read(p[0], buf, sizeof(buf)) == 7 && !strcmp(buf, "teedata"), "source untouched",
	      "got '%s'", buf);
	CHECK_ERR(tee(p[0], q[1], 10, SPLICE_F_NONBLOCK), EAGAIN, "tee from empty, NONBLOCK");
	CHECK_ERR(tee(p[0], p[1], 10, 0), EINVAL, "tee into the same pipe");
	CHECK_ERR(tee(fd, q[1], 10, 0), EINVAL, "tee from a file");
	CHECK_ERR(tee(p[0], q[1], 10, 0x100), EINVAL, "tee unknown flag");
	close(p[1]);
	check(tee(p[0], q[1], 10, 0) == 0, "tee with no writer: 0", "not 0");
	close(p[0]);
	close(q[0]);
	close(q[1]);
	close(fd);
}

static void test_copy_range(void)
{
	int in = mkfile(path, "hello copy range"), out = mkfile(path2, "................"), ro;
	loff_t oi = 6, oo = 2;

	check(copy_file_range(in, &oi, out, &oo, 4, 0) == 4 && oi == 10 && oo == 6,
	      "copy_file_range with offsets", "oi %ld oo %ld", (long)oi, (long)oo);
	check(!strcmp(readall(out, 0), "..copy.........."), "bytes copied", "got '%s'",
	      readall(out, 0));
	lseek(in, 0, SEEK_SET);
	lseek(out, 0, SEEK_SET);
	check(copy_file_range(in, NULL, out, NULL, 5, 0) == 5 && lseek(in, 0, SEEK_CUR) == 5 &&
	      lseek(out, 0, SEEK_CUR) == 5, "at the file positions", "positions");
	oi = 10;
	check(copy_file_range(in, &oi, out, NULL, 100, 0) == 6, "stops at EOF", "not 6");
	oi = 100;
	check(copy_file_range(in, &oi, out, NULL, 10, 0) == 0, "past EOF: 0", "not 0");
	oi = 0;
	oo = 2;
	CHECK_ERR(copy_file_range(in, &oi, in, &oo, 5, 0), EINVAL, "overlap in one file");
	oo = 8;
	CHECK_OK(copy_file_range(in, &oi, in, &oo, 5, 0), "one file, apart");
	CHECK_ERR(copy_file_range(in, NULL, out, NULL, 5, 1), EINVAL, "flags");
	ro = open(path2, O_RDONLY);
	CHECK_ERR(copy_file_range(in, NULL, ro, NULL, 5, 0), EBADF, "into a read-only fd");
	close(ro);
	ro = open(path2, O_WRONLY | O_APPEND);
	CHECK_ERR(copy_file_range(in, NULL, ro, NULL, 5, 0), EBADF, "into O_APPEND");
	close(ro);
	{
		int p[2];

		pipe(p);
		CHECK_ERR(copy_file_range(p[0], NULL, out, NULL, 5, 0), EINVAL, "from a pipe");
		close(p[0]);
		close(p[1]);
	}
	ro = open(t_tmpdir(), O_RDONLY | O_DIRECTORY);
	CHECK_ERR(copy_file_range(ro, NULL, out, NULL, 5, 0), EISDIR, "from a directory");
	close(ro);
	oi = -1;
	CHECK_ERR(copy_file_range(in, &oi, out, NULL, 5, 0), EOVERFLOW, "offset -1 wraps");
	oi = -100;
	CHECK_ERR(copy_file_range(in, &oi, out, NULL, 5, 0), EINVAL, "negative offset");
	oi = 0;
	oo = 0x7ffffffffffffff0LL;
	CHECK_ERR(copy_file_range(in, &oi, out, &oo, 0x100, 0), EFBIG, "past the largest file");
	CHECK_OK(copy_file_range(in, NULL, out, NULL, 0, 0), "len 0");

	CHECK_OK(sync_file_range(out, 0, 0, SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER),
		 "sync_file_range");
	CHECK_OK(sync_file_range(out, 0, 0, 0), "sync_file_range no flags");
	CHECK_ERR(sync_file_range(out, 0, 0, 8), EINVAL, "sync_file_range bad flag");
	CHECK_ERR(sync_file_range(out, -1, 0, 0), EINVAL, "sync_file_range negative offset");
	CHECK_ERR(sync_file_range(out, 10, -5, 0), EINVAL, "sync_file_range negative length");
	CHECK_ERR(sync_file_range(-1, 0, 0, 0), EBADF, "sync_file_range bad fd");
	{
		int p[2];

		pipe(p);
		CHECK_ERR(sync_file_range(p[0], 0, 0, 0), ESPIPE, "sync_file_range on a pipe");
		close(p[0]);
		close(p[1]);
	}
	close(in);
	close(out);
}

static void test_close_range(void)
{
	int base = open("/", O_RDONLY), i, st;
	pid_t pid;

	for (i = 0; i < 4; i++)
		dup2(base, 40 + i);
	CHECK_OK(syscall(SYS_close_range, 41, 42, CLOSE_RANGE_CLOEXEC), "CLOSE_RANGE_CLOEXEC");
	check(fcntl(41, F_GETFD) == FD_CLOEXEC && fcntl(42, F_GETFD) == FD_CLOEXEC &&
	      fcntl(40, F_GETFD) == 0 && fcntl(43, F_GETFD) == 0, "marks only the range", "flags");
	CHECK_OK(syscall(SYS_close_range, 41, 42, 0), "close_range");
	check(fcntl(41, F_GETFD) == -1 && fcntl(42, F_GETFD) == -1 && fcntl(40, F_GETFD) == 0 &&
	      fcntl(43, F_GETFD) == 0, "closes only the range", "left");
	CHECK_OK(syscall(SYS_close_range, 43, ~0U, 0), "close_range to the top");
	check(fcntl(43, F_GETFD) == -1 && fcntl(40, F_GETFD) == 0, "to ~0", "left");
	CHECK_ERR(syscall(SYS_close_range, 5, 4, 0), EINVAL, "first > last");
	CHECK_ERR(syscall(SYS_close_range, 4, 5, 1), EINVAL, "unknown flag");
	/* A shared table unshared first: the other task keeps its fds. */
	pid = syscall(SYS_clone, 0x400 /* CLONE_FILES */ | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0) {
		if (syscall(SYS_close_range, 40, 40, CLOSE_RANGE_UNSHARE) != 0)
			_exit(1);
		_exit(fcntl(40, F_GETFD) == -1 ? 0 : 2);
	}
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "UNSHARE closes in a copy", "status %x", st);
	check(fcntl(40, F_GETFD) == 0, "the sharer keeps its fd", "gone");
	close(40);
	close(base);
}

static void test_fallocate(void)
{
	char p[600];
	struct stat st;
	int fd, ro;

	snprintf(p, sizeof(p), "/dev/shm/falloc.dat");
	fd = mkfile(p, "abcdefghij");
	CHECK_OK(fallocate(fd, 0, 0, 4096), "fallocate mode 0");
	check(fstat(fd, &st) == 0 && st.st_size == 4096, "size grows", "size %ld", (long)st.st_size);
	check(!strcmp(readall(fd, 0), "abcdefghij"), "data kept", "got '%s'", readall(fd, 0));
	CHECK_OK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 4096, 8192), "KEEP_SIZE past EOF");
	check(fstat(fd, &st) == 0 && st.st_size == 4096, "size kept", "size %ld", (long)st.st_size);
	CHECK_OK(fallocate(fd, 0, 100, 10), "inside the file");
	check(fstat(fd, &st) == 0 && st.st_size == 4096, "size unchanged", "size %ld",
	      (long)st.st_size);
	CHECK_OK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2, 3), "PUNCH_HOLE");
	check(fstat(fd, &st) == 0 && st.st_size == 4096 && !memcmp(readall(fd, 0), "ab\0\0\0fghij", 10),
	      "punched bytes read zero", "size %ld", (long)st.st_size);
	CHECK_ERR(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1), EOPNOTSUPP, "PUNCH_HOLE without KEEP_SIZE");
	CHECK_ERR(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 1), EOPNOTSUPP, "tmpfs: no ZERO_RANGE");
	CHECK_ERR(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096), EOPNOTSUPP, "tmpfs: no COLLAPSE");
	CHECK_ERR(fallocate(fd, 0x100, 0, 1), EOPNOTSUPP, "unknown mode");
	CHECK_ERR(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 1),
		  EOPNOTSUPP, "two modes");
	CHECK_ERR(fallocate(fd, 0, -1, 1), EINVAL, "negative offset");
	CHECK_ERR(fallocate(fd, 0, 0, 0), EINVAL, "zero length");
	CHECK_ERR(fallocate(fd, 0, 0x7fffffffffffff00LL, 0x1000), EFBIG, "past the max");
	CHECK_ERR(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096), EOPNOTSUPP,
		  "COLLAPSE with KEEP_SIZE");
	ro = open(p, O_RDONLY);
	CHECK_ERR(fallocate(ro, 0, 0, 1), EBADF, "read-only fd");
	close(ro);
	{
		int pp[2];

		pipe(pp);
		CHECK_ERR(fallocate(pp[1], 0, 0, 1), ESPIPE, "on a pipe");
		close(pp[0]);
		close(pp[1]);
	}
	ro = open("/dev/shm", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(fallocate(ro, 0, 0, 1), EBADF, "on a directory fd (read-only)");
	close(ro);
	close(fd);
	unlink(p);
}

int main(void)
{
	t_start();
	if (getpid() == 1) {	/* init inside ./linux: nothing mounted yet */
		mkdir("/dev/shm", 01777);
		mount("tmpfs", "/dev/shm", "tmpfs", 0, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	t_path(path, sizeof(path), "splice1");
	t_path(path2, sizeof(path2), "splice2");
	test_splice();
	test_tee();
	test_copy_range();
	test_close_range();
	test_fallocate();
	unlink(path);
	unlink(path2);
	return t_done();
}
