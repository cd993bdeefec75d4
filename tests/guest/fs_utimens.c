/*
 * fs_utimens.c - utimensat(2)/futimens: UTIME_NOW and UTIME_OMIT in
 * either field, both OMIT changing nothing (not even ctime), NULL times,
 * AT_SYMLINK_NOFOLLOW on a link, bad nanoseconds, unknown flags, a
 * descriptor with a NULL name, an O_PATH descriptor.
 */
#include "t.h"
#include "fs.h"
#include <sys/syscall.h>
#include <time.h>

static struct stat st_of(const char *name, int nofollow)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	fstatat(AT_FDCWD, name, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
	return st;
}

int main(void)
{
	struct timespec ts[2], now;
	struct stat st, st2;
	int fd;

	t_start();
	fs_scratch("fs_utimens");
	fs_put("f", "x");
	symlink("f", "ln");
	ts[0] = (struct timespec){ 1000000000, 123456789 };
	ts[1] = (struct timespec){ 1100000000, 987654321 };
	CHECK_OK(utimensat(AT_FDCWD, "f", ts, 0), "set both");
	st = st_of("f", 0);
	check(st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1100000000,
	      "times stored", "a %ld m %ld", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	check(st.st_atim.tv_nsec == 123456789 && st.st_mtim.tv_nsec == 987654321,
	      "nanoseconds stored", "a %ld m %ld", st.st_atim.tv_nsec, st.st_mtim.tv_nsec);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1] = (struct timespec){ 1200000000, 5 };
	CHECK_OK(utimensat(AT_FDCWD, "f", ts, 0), "atime OMIT");
	st = st_of("f", 0);
	check(st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1200000000,
	      "OMIT kept atime", "a %ld m %ld", (long)st.st_atim.tv_sec, (long)st.st_mtim.tv_sec);
	ts[0] = (struct timespec){ 1, UTIME_NOW };
	ts[1] = (struct timespec){ 2, UTIME_OMIT };
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK_OK(utimensat(AT_FDCWD, "f", ts, 0), "atime NOW");
	st = st_of("f", 0);
	check(st.st_atim.tv_sec >= now.tv_sec - 2 && st.st_mtim.tv_sec == 1200000000,
	      "NOW set atime, ignoring tv_sec", "a %ld", (long)st.st_atim.tv_sec);
	sleep(0);
	st = st_of("f", 0);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_OMIT;
	usleep(20000);
	CHECK_OK(utimensat(AT_FDCWD, "f", ts, 0), "both OMIT");
	st2 = st_of("f", 0);
	check(st2.st_ctim.tv_sec == st.st_ctim.tv_sec && st2.st_ctim.tv_nsec == st.st_ctim.tv_nsec,
	      "both OMIT leaves ctime", "ctime moved");
	ts[0] = (struct timespec){ 0, 1000000000 };
	ts[1] = (struct timespec){ 0, 0 };
	CHECK_ERR(utimensat(AT_FDCWD, "f", ts, 0), EINVAL, "nsec 1e9");
	ts[0].tv_nsec = -1;
	CHECK_ERR(utimensat(AT_FDCWD, "f", ts, 0), EINVAL, "nsec -1");
	CHECK_ERR(utimensat(AT_FDCWD, "f", NULL, 0x8000), EINVAL, "unknown flag");
	CHECK_OK(utimensat(AT_FDCWD, "f", NULL, 0), "NULL times");
	clock_gettime(CLOCK_REALTIME, &now);
	st = st_of("f", 0);
	check(st.st_mtim.tv_sec >= now.tv_sec - 2 && st.st_atim.tv_sec >= now.tv_sec - 2,
	      "NULL sets both to now", "m %ld", (long)st.st_mtim.tv_sec);
	ts[0] = (struct timespec){ 500000000, 0 };
	ts[1] = (struct timespec){ 600000000, 0 };
	CHECK_OK(utimensat(AT_FDCWD, "ln", ts, AT_SYMLINK_NOFOLLOW), "NOFOLLOW on link");
	check(st_of("ln", 1).st_mtim.tv_sec == 600000000, "link's own mtime", "m %ld",
	      (long)st_of("ln", 1).st_mtim.tv_sec);
	check(st_of("f", 0).st_mtim.tv_sec != 600000000, "target untouched", "target changed");
	CHECK_ERR(utimensat(AT_FDCWD, "missing", NULL, 0), ENOENT, "missing");
	fd = open("f", O_RDONLY);
	ts[1] = (struct timespec){ 700000000, 0 };
	CHECK_OK(futimens(fd, ts), "futimens");
	check(st_of("f", 0).st_mtim.tv_sec == 700000000, "futimens stored", "bad");
	CHECK_OK(syscall(SYS_utimensat, fd, NULL, ts, 0), "utimensat(fd, NULL)");
	CHECK_ERR(syscall(SYS_utimensat, fd, NULL, ts, AT_SYMLINK_NOFOLLOW), EINVAL,
		  "utimensat(fd, NULL) with NOFOLLOW");
	close(fd);
	fd = open("f", O_PATH);
	CHECK_ERR(futimens(fd, ts), EBADF, "futimens on O_PATH");
	close(fd);
	CHECK_ERR(futimens(-1, ts), EBADF, "futimens -1");
	CHECK_ERR(syscall(SYS_utimensat, AT_FDCWD, "f", (void *)16, 0), EFAULT, "bad times pointer");
	return t_done();
}
