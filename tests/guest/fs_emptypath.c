/*
 * fs_emptypath.c - AT_EMPTY_PATH across the *at calls: the descriptor
 * itself is the object (a file, a directory, an O_PATH fd, a pipe), an
 * empty name without the flag is ENOENT, and the calls without the flag
 * in their set refuse it.
 */
#include "t.h"
#include "fs.h"
#include <sys/syscall.h>

int main(void)
{
	struct stat st;
	struct statx sx;
	int fd, dfd, pfd, p[2];

	t_start();
	fs_scratch("fs_emptypath");
	fs_put("f", "12345678");
	mkdir("d", 0755);
	fd = open("f", O_RDONLY);
	dfd = open("d", O_RDONLY | O_DIRECTORY);
	pfd = open("f", O_PATH);
	CHECK_OK(fstatat(fd, "", &st, AT_EMPTY_PATH), "fstatat file fd");
	check(st.st_size == 8, "fstatat fd size", "size %ld", (long)st.st_size);
	CHECK_ERR(fstatat(fd, "", &st, 0), ENOENT, "fstatat empty without flag");
	CHECK_OK(fstatat(dfd, "", &st, AT_EMPTY_PATH), "fstatat dir fd");
	check(S_ISDIR(st.st_mode), "fstatat dir is dir", "mode %o", st.st_mode);
	CHECK_OK(fstatat(pfd, "", &st, AT_EMPTY_PATH), "fstatat O_PATH fd");
	CHECK_OK(statx(pfd, "", AT_EMPTY_PATH, STATX_SIZE, &sx), "statx O_PATH fd");
	check(sx.stx_size == 8, "statx O_PATH size", "size %llu", (unsigned long long)sx.stx_size);
	CHECK_ERR(fstatat(-1, "", &st, AT_EMPTY_PATH), EBADF, "fstatat -1 empty");
	CHECK_ERR(fstatat(AT_FDCWD, "", &st, 0), ENOENT, "fstatat cwd empty no flag");
	CHECK_OK(fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH), "fstatat cwd empty flag");
	check(S_ISDIR(st.st_mode), "fstatat cwd is dir", "mode %o", st.st_mode);
	pipe(p);
	CHECK_OK(fstatat(p[0], "", &st, AT_EMPTY_PATH), "fstatat pipe");
	check(S_ISFIFO(st.st_mode), "fstatat pipe is fifo", "mode %o", st.st_mode);
	CHECK_OK(fchownat(fd, "", -1, -1, AT_EMPTY_PATH), "fchownat empty no change");
	CHECK_ERR(fchownat(fd, "", -1, -1, 0), ENOENT, "fchownat empty without flag");
	CHECK_ERR(fchownat(fd, "f", -1, -1, 0x8000000), EINVAL, "fchownat unknown flag");
	CHECK_OK(syscall(SYS_faccessat2, fd, "", R_OK, AT_EMPTY_PATH), "faccessat2 empty");
	CHECK_ERR(syscall(SYS_faccessat2, fd, "", R_OK, 0), ENOENT, "faccessat2 empty without flag");
	CHECK_ERR(syscall(SYS_faccessat2, fd, "f", R_OK, 0x8000000), EINVAL, "faccessat2 unknown flag");
	CHECK_ERR(unlinkat(dfd, "", 0), ENOENT, "unlinkat empty");
	CHECK_ERR(mkdirat(dfd, "", 0755), ENOENT, "mkdirat empty");
	CHECK_ERR(openat(dfd, "", O_RDONLY), ENOENT, "openat empty");
	CHECK_ERR(readlinkat(fd, "", (char[8]){0}, 8), ENOENT, "readlinkat empty on regular fd");
	CHECK_OK(linkat(fd, "", AT_FDCWD, "viafd", AT_EMPTY_PATH), "linkat AT_EMPTY_PATH");
	check(fs_nlink("f") == 2, "linkat counted", "nlink %ld", fs_nlink("f"));
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "viafd2", 0), ENOENT, "linkat empty without flag");
	CHECK_ERR(linkat(dfd, "", AT_FDCWD, "dirlink", AT_EMPTY_PATH), EPERM, "linkat empty on dir");
	CHECK_ERR(linkat(AT_FDCWD, "f", AT_FDCWD, "x", 0x2), EINVAL, "linkat unknown flag");
	CHECK_OK(syscall(SYS_utimensat, fd, NULL, NULL, 0), "utimensat fd NULL path");
	CHECK_ERR(syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0), EFAULT, "utimensat cwd NULL path");
	close(fd);
	close(dfd);
	close(pfd);
	return t_done();
}
