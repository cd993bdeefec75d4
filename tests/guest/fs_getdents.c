/*
 * fs_getdents.c - getdents64 on what is not a directory (a file, a pipe,
 * /dev/null-like char devices where present, a socket), getdents (the
 * old one) too, an O_PATH directory (EBADF), a write-only fd; and the
 * d_type values of a directory holding every kind of entry.
 */
#include "t.h"
#include "fs.h"
#include <dirent.h>
#include <sys/socket.h>
#include <sys/syscall.h>

struct d64 {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static int type_of(const char *want)
{
	char buf[4096];
	int fd = open(".", O_RDONLY | O_DIRECTORY), type = -1;
	long n;

	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long o = 0; o < n; o += ((struct d64 *)(buf + o))->reclen)
			if (!strcmp(((struct d64 *)(buf + o))->name, want))
				type = ((struct d64 *)(buf + o))->type;
	close(fd);
	return type;
}

int main(void)
{
	char buf[1024];
	int fd, p[2], s;

	t_start();
	fs_scratch("fs_getdents");
	fs_put("f", "x");
	mkdir("d", 0755);
	symlink("f", "l");
	mkfifo("p", 0644);
	fd = open("f", O_RDONLY);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR, "getdents64 file");
	CHECK_ERR(syscall(SYS_getdents, fd, buf, sizeof(buf)), ENOTDIR, "getdents file");
	close(fd);
	{
		/* The old record: d_ino, d_off, d_reclen, name, NUL, d_type last. */
		int found = 0;
		long n;

		fd = open(".", O_RDONLY | O_DIRECTORY);
		while ((n = syscall(SYS_getdents, fd, buf, sizeof(buf))) > 0)
			for (long o = 0; o < n; o += *(unsigned short *)(buf + o + 16)) {
				unsigned short rl = *(unsigned short *)(buf + o + 16);

				if (!strcmp(buf + o + 18, "l"))
					found = buf[o + rl - 1] == DT_LNK ? 1 : -1;
			}
		check(found == 1, "old getdents: d_type in the last byte", "found %d", found);
		lseek(fd, 0, SEEK_SET);
		CHECK_ERR(syscall(SYS_getdents, fd, buf, 8), EINVAL, "old getdents: tiny buffer");
		close(fd);
	}
	pipe(p);
	CHECK_ERR(syscall(SYS_getdents64, p[0], buf, sizeof(buf)), ENOTDIR, "getdents64 pipe");
	close(p[0]);
	close(p[1]);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(syscall(SYS_getdents64, s, buf, sizeof(buf)), ENOTDIR, "getdents64 socket");
	close(s);
	fd = open("d", O_PATH);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), EBADF, "getdents64 O_PATH dir");
	close(fd);
	fd = open("d", O_RDONLY);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, 0), EINVAL, "count 0");
	check(syscall(SYS_getdents64, fd, buf, sizeof(buf)) > 0, "getdents64 empty dir has . and ..",
	      "errno %d", errno);
	close(fd);
	fd = open("d", O_RDONLY);
	rmdir("d");
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOENT, "removed directory");
	close(fd);
	check(type_of("f") == DT_REG, "d_type file", "type %d", type_of("f"));
	mkdir("d", 0755);
	check(type_of("d") == DT_DIR, "d_type dir", "type %d", type_of("d"));
	check(type_of("l") == DT_LNK, "d_type symlink", "type %d", type_of("l"));
	check(type_of("p") == DT_FIFO, "d_type fifo", "type %d", type_of("p"));
	check(type_of(".") == DT_DIR && type_of("..") == DT_DIR, "d_type . and ..", "bad");
	return t_done();
}
