/*
 * fs_utimeperm.c - who may set a file's times (utimensat(2)): with
 * write permission but not owning the file, NULL times and {UTIME_NOW,
 * UTIME_NOW} work, explicit times are EPERM, and so are NOW/OMIT mixes
 * other than both NOW; {UTIME_OMIT, UTIME_OMIT} succeeds for anyone;
 * without write permission the NOW forms are EACCES; the owner may set
 * anything without write permission; root (CAP_FOWNER) sets anyone's;
 * futimens goes by the file's permissions, not the descriptor's mode.
 */
#include "t.h"
#include "fs.h"
#include <sys/wait.h>

#define NOBODY	65534
#define SOMEONE	4242

static const struct timespec tnull_[2];
static const struct timespec now2[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
static const struct timespec omit2[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
static const struct timespec now_omit[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
static const struct timespec omit_now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
static const struct timespec set2[2] = { { 1000000, 0 }, { 2000000, 0 } };
static const struct timespec set_omit[2] = { { 1000000, 0 }, { 0, UTIME_OMIT } };

/* utimensat(path, ts) as uid (ts == tnull_: NULL): 0 or errno. */
static int as(uid_t uid, const char *path, const struct timespec *ts, int use_fd)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int r;

		if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
			_exit(200);
		if (use_fd) {
			int fd = open(path, O_RDONLY);

			if (fd < 0)
				_exit(201);
			r = futimens(fd, ts == tnull_ ? NULL : ts);
		} else {
			r = utimensat(AT_FDCWD, path, ts == tnull_ ? NULL : ts, 0);
		}
		_exit(r < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
	char cwd[4096], w[4200], ro[4200], mine[4200];
	struct stat st;
	int r;

	t_start();
	fs_scratch("fs_utimeperm");
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	chmod(cwd, 0755);
	snprintf(w, sizeof(w), "%s/writable", cwd);
	snprintf(ro, sizeof(ro), "%s/readonly", cwd);
	snprintf(mine, sizeof(mine), "%s/mine", cwd);
	CHECK_OK(fs_put(w, "x"), "create writable");
	CHECK_OK(chown(w, SOMEONE, SOMEONE), "chown");
	CHECK_OK(chmod(w, 0666), "chmod 0666");
	CHECK_OK(fs_put(ro, "x"), "create readonly");
	CHECK_OK(chown(ro, SOMEONE, SOMEONE), "chown");
	CHECK_OK(chmod(ro, 0644), "chmod 0644");
	CHECK_OK(fs_put(mine, "x"), "create mine");
	CHECK_OK(chown(mine, NOBODY, NOBODY), "chown to nobody");
	CHECK_OK(chmod(mine, 0444), "chmod 0444");

	r = as(NOBODY, w, tnull_, 0);
	check(r == 0, "writable, not owner: NULL", "%d", r);
	r = as(NOBODY, w, now2, 0);
	check(r == 0, "writable, not owner: NOW, NOW", "%d", r);
	r = as(NOBODY, w, set2, 0);
	check(r == EPERM, "writable, not owner: explicit times EPERM", "%d", r);
	r = as(NOBODY, w, set_omit, 0);
	check(r == EPERM, "writable, not owner: explicit and OMIT EPERM", "%d", r);
	r = as(NOBODY, w, now_omit, 0);
	check(r == EPERM, "writable, not owner: NOW, OMIT", "%d", r);
	r = as(NOBODY, w, omit_now, 0);
	check(r == EPERM, "writable, not owner: OMIT, NOW", "%d", r);
	r = as(NOBODY, w, omit2, 0);
	check(r == 0, "writable, not owner: OMIT, OMIT", "%d", r);
	r = as(NOBODY, w, tnull_, 1);
	check(r == 0, "futimens NULL through a read-only fd of a writable file", "%d", r);

	r = as(NOBODY, ro, tnull_, 0);
	check(r == EACCES, "not writable, not owner: NULL EACCES", "%d", r);
	r = as(NOBODY, ro, now2, 0);
	check(r == EACCES, "not writable, not owner: NOW, NOW EACCES", "%d", r);
	r = as(NOBODY, ro, set2, 0);
	check(r == EPERM, "not writable, not owner: explicit EPERM", "%d", r);
	r = as(NOBODY, ro, omit2, 0);
	check(r == 0, "not writable, not owner: OMIT, OMIT", "%d", r);
	r = as(NOBODY, ro, tnull_, 1);
	check(r == EACCES, "futimens NULL, not writable: EACCES", "%d", r);

	r = as(NOBODY, mine, set2, 0);
	check(r == 0, "owner of a 0444 file: explicit times", "%d", r);
	CHECK_OK(stat(mine, &st), "stat");
	check(st.st_atime == 1000000 && st.st_mtime == 2000000, "the times set", "%ld %ld",
	      (long)st.st_atime, (long)st.st_mtime);
	r = as(NOBODY, mine, now_omit, 0);
	check(r == 0, "owner: NOW, OMIT", "%d", r);
	CHECK_OK(stat(mine, &st), "stat");
	check(st.st_atime > 2000000 && st.st_mtime == 2000000, "atime now, mtime kept", "%ld %ld",
	      (long)st.st_atime, (long)st.st_mtime);
	CHECK_OK(utimensat(AT_FDCWD, ro, set2, 0), "root sets another's times");
	CHECK_OK(stat(ro, &st), "stat");
	check(st.st_mtime == 2000000, "root's times set", "%ld", (long)st.st_mtime);
	return t_done();
}
