/*
 * fs_opath.c - what an O_PATH descriptor may and may not do: no data
 * I/O, no ioctl, no fchmod/fchown, no mmap; but fstat, fchdir, *at
 * bases, dup, fcntl F_GETFL, close; O_PATH|O_NOFOLLOW on a symlink names
 * the link itself.
 */
#include "t.h"
#include "fs.h"
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

int main(void)
{
	struct stat st;
	char buf[16];
	int fd, dfd, lfd, nfd;
	char *cwd;

	t_start();
	fs_scratch("fs_opath");
	fs_put("f", "data");
	mkdir("d", 0755);
	fs_put("d/inner", "in");
	symlink("f", "ln");
	fd = open("f", O_PATH | O_RDWR);
	CHECK_OK(fd, "open O_PATH");
	CHECK_ERR(read(fd, buf, 4), EBADF, "read O_PATH");
	CHECK_ERR(write(fd, "x", 1), EBADF, "write O_PATH");
	CHECK_ERR(pread(fd, buf, 4, 0), EBADF, "pread O_PATH");
	CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF, "lseek O_PATH");
	CHECK_ERR(fchmod(fd, 0600), EBADF, "fchmod O_PATH");
	CHECK_ERR(fchown(fd, -1, -1), EBADF, "fchown O_PATH");
	CHECK_ERR(ftruncate(fd, 0), EBADF, "ftruncate O_PATH");
	CHECK_ERR(fsync(fd), EBADF, "fsync O_PATH");
	CHECK_ERR(ioctl(fd, FIONREAD, &nfd), EBADF, "ioctl O_PATH");
	check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EBADF,
	      "mmap O_PATH", "errno %d", errno);
	CHECK_OK(fstat(fd, &st), "fstat O_PATH");
	check(st.st_size == 4, "fstat O_PATH size", "size %ld", (long)st.st_size);
	check((fcntl(fd, F_GETFL) & (O_PATH | O_ACCMODE)) == O_PATH, "F_GETFL shows O_PATH only",
	      "flags %o", fcntl(fd, F_GETFL));
	nfd = dup(fd);
	CHECK_OK(nfd, "dup O_PATH");
	check((fcntl(nfd, F_GETFL) & O_PATH) != 0, "dup keeps O_PATH", "flags %o", fcntl(nfd, F_GETFL));
	close(nfd);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), EBADF, "getdents64 O_PATH file");
	dfd = open("d", O_PATH | O_DIRECTORY);
	CHECK_OK(dfd, "open dir O_PATH");
	CHECK_ERR(syscall(SYS_getdents64, dfd, buf, sizeof(buf)), EBADF, "getdents64 O_PATH dir");
	nfd = openat(dfd, "inner", O_RDONLY);
	CHECK_OK(nfd, "openat relative to O_PATH dir");
	check(read(nfd, buf, 2) == 2 && !memcmp(buf, "in", 2), "read via O_PATH base", "bad");
	close(nfd);
	CHECK_OK(fchdir(dfd), "fchdir O_PATH dir");
	cwd = getcwd(NULL, 0);
	check(cwd && strlen(cwd) > 2 && !strcmp(cwd + strlen(cwd) - 2, "/d"), "cwd is d", "cwd %s", cwd ? cwd : "?");
	free(cwd);
	chdir("..");
	CHECK_ERR(fchdir(fd), ENOTDIR, "fchdir O_PATH file");
	lfd = open("ln", O_PATH | O_NOFOLLOW);
	CHECK_OK(lfd, "O_PATH|O_NOFOLLOW symlink");
	CHECK_OK(fstat(lfd, &st), "fstat link fd");
	check(S_ISLNK(st.st_mode), "link fd is the link", "mode %o", st.st_mode);
	check(readlinkat(lfd, "", buf, sizeof(buf)) == 1 && buf[0] == 'f', "readlinkat(fd, \"\")", "bad");
	CHECK_ERR(open("ln", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW without O_PATH");
	CHECK_ERR(fcntl(fd, F_SETFL, O_NONBLOCK), EBADF, "F_SETFL on O_PATH");
	CHECK_ERR(fcntl(fd, F_GETLK, &(struct flock){ .l_type = F_RDLCK }), EBADF, "F_GETLK on O_PATH");
	CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC), "F_SETFD on O_PATH");
	CHECK_OK(close(fd), "close O_PATH");
	close(dfd);
	close(lfd);
	/* open(2): with O_PATH, flags other than O_CLOEXEC, O_DIRECTORY and
	 * O_NOFOLLOW are ignored, O_CREAT|O_EXCL included. */
	fd = open("f", O_PATH | O_CREAT | O_EXCL | O_TRUNC, 0644);
	CHECK_OK(fd, "O_PATH ignores O_CREAT|O_EXCL|O_TRUNC");
	check(fs_size("f") == 4, "O_PATH did not truncate", "size %ld", fs_size("f"));
	close(fd);
	CHECK_ERR(open("nothere", O_PATH | O_CREAT, 0644), ENOENT, "O_PATH|O_CREAT does not create");
	return t_done();
}
