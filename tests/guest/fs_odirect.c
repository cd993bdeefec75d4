/*
 * fs_odirect.c - O_DIRECT: on a disk file, transfers whose position or
 * length is not a multiple of 512 bytes (the logical block size) or
 * (for writes) whose buffer is not aligned are EINVAL, aligned ones work and read
 * back; F_SETFL may switch it on for such a file.  What has no direct
 * I/O refuses O_DIRECT at open (EINVAL): procfs files, directories,
 * character devices, FIFOs; and F_SETFL O_DIRECT on them too.  tmpfs
 * takes any alignment.
 */
#include "t.h"
#include "fs.h"
#include <sys/mount.h>

static char *buf;

static void disk_file(void)
{
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644), fd2;

	CHECK_OK(fd, "open O_DIRECT");
	check((fcntl(fd, F_GETFL) & O_DIRECT) != 0, "F_GETFL shows O_DIRECT", "flags %o", fcntl(fd, F_GETFL));
	memset(buf, 'a', 8192);
	check(write(fd, buf, 4096) == 4096, "aligned write", "errno %d", errno);
	CHECK_ERR(write(fd, buf + 1, 4096), EINVAL, "buffer off by one");
	CHECK_ERR(write(fd, buf, 100), EINVAL, "length 100");
	check(write(fd, buf, 512) == 512, "length 512", "errno %d", errno);
	CHECK_ERR(pwrite(fd, buf, 512, 7), EINVAL, "offset 7");
	check(pwrite(fd, buf + 512, 1024, 1024) == 1024, "offset 1024, buffer at 512", "errno %d", errno);
	memset(buf, 0, 8192);
	check(pread(fd, buf, 4096, 0) == 4096 && buf[0] == 'a' && buf[4095] == 'a', "aligned read back",
	      "errno %d", errno);
	/* (A read into a misaligned buffer is not tried: ext4 falls back to a
	 * buffered read there, other filesystems refuse.) */
	CHECK_ERR(pread(fd, buf, 511, 0), EINVAL, "read length 511");
	check(pread(fd, buf, 4096, 8192) == 0, "aligned read past the end: 0", "errno %d", errno);
	CHECK_OK(fcntl(fd, F_SETFL, 0), "F_SETFL clears O_DIRECT");
	check(write(fd, buf + 1, 100) == 100, "buffered again: any alignment", "errno %d", errno);
	close(fd);
	fd2 = open("f", O_RDWR);
	CHECK_OK(fcntl(fd2, F_SETFL, O_DIRECT), "F_SETFL sets O_DIRECT");
	CHECK_ERR(write(fd2, buf + 1, 100), EINVAL, "then misaligned is EINVAL");
	close(fd2);
}

static void no_direct_io(void)
{
	int fd;

	CHECK_ERR(open("/proc/self/status", O_RDONLY | O_DIRECT), EINVAL, "procfs file");
	CHECK_ERR(open(".", O_RDONLY | O_DIRECT), EINVAL, "directory");
	CHECK_ERR(open("/dev/null", O_RDWR | O_DIRECT), EINVAL, "/dev/null");
	mkfifo("fifo", 0600);
	CHECK_ERR(open("fifo", O_RDWR | O_DIRECT), EINVAL, "FIFO");
	fd = open("/dev/null", O_RDWR);
	CHECK_ERR(fcntl(fd, F_SETFL, O_DIRECT), EINVAL, "F_SETFL O_DIRECT on /dev/null");
	close(fd);
	CHECK_OK(open("missing", O_RDWR | O_CREAT | O_DIRECT, 0644), "O_CREAT|O_DIRECT makes a disk file");
}

static void on_tmpfs(void)
{
	int fd;

	mkdir("m", 0755);
	if (mount("none", "m", "tmpfs", 0, "size=1m") < 0) {
		check(0, "mount tmpfs", "errno %d", errno);
		return;
	}
	fd = open("m/t", O_RDWR | O_CREAT | O_DIRECT, 0644);
	CHECK_OK(fd, "tmpfs O_DIRECT");
	check(write(fd, buf + 1, 100) == 100, "tmpfs: any alignment", "errno %d", errno);
	check(pread(fd, buf + 3, 7, 5) == 7, "tmpfs: misaligned read", "errno %d", errno);
	close(fd);
	umount("m");
}

int main(void)
{
	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	fs_scratch("fs_odirect");
	buf = aligned_alloc(4096, 16384);
	disk_file();
	no_direct_io();
	on_tmpfs();
	return t_done();
}
