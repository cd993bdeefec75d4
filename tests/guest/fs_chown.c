/*
 * fs_chown.c - chown(2)/chmod(2) rules for an owner who is not root: a
 * file's owner cannot give it away (EPERM) but may change its group to
 * one of its own groups (not to another: EPERM); -1 leaves a field as it
 * is; a chown clears set-user-ID, and set-group-ID of a group-executable
 * file, even root's (not on a directory); chmod by a non-owner is EPERM;
 * an owner's chmod to set-group-ID of a group it is not in drops that
 * bit silently; lchown changes the link, fchownat AT_SYMLINK_NOFOLLOW too.
 */
#include "t.h"
#include "fs.h"
#include <grp.h>
#include <sys/wait.h>

#define USER	4242
#define GROUP	4242
#define OTHER	4343

static mode_t mode_of(const char *p)
{
	struct stat st;

	return lstat(p, &st) < 0 ? (mode_t)-1 : st.st_mode & 07777;
}

static long uid_of(const char *p, int gid)
{
	struct stat st;

	if (lstat(p, &st) < 0)
		return -1;
	return gid ? (long)st.st_gid : (long)st.st_uid;
}

enum op { CHOWN, CHGRP_OWN, CHGRP_OTHER, CHOWN_SAME, CHMOD_SGID, CHMOD };

/* As USER (groups GROUP and 100): 0 or errno. */
static int as_user(enum op op, const char *p)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		gid_t groups[] = { GROUP, 100 };
		int r = 0;

		if (setgroups(2, groups) < 0 || setresgid(GROUP, GROUP, GROUP) < 0 ||
		    setresuid(USER, USER, USER) < 0)
			_exit(200);
		switch (op) {
		case CHOWN:
			r = chown(p, OTHER, -1);
			break;
		case CHGRP_OWN:
			r = chown(p, -1, 100);
			break;
		case CHGRP_OTHER:
			r = chown(p, -1, OTHER);
			break;
		case CHOWN_SAME:
			r = chown(p, USER, -1);
			break;
		case CHMOD_SGID:
			r = chmod(p, 02755);
			break;
		case CHMOD:
			r = chmod(p, 0700);
			break;
		}
		_exit(r < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
	char cwd[4096], f[4200], g[4200];
	int r;

	t_start();
	fs_scratch("fs_chown");
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	chmod(cwd, 0755);
	snprintf(f, sizeof(f), "%s/f", cwd);
	snprintf(g, sizeof(g), "%s/g", cwd);
	CHECK_OK(fs_put(f, "x"), "create");
	CHECK_OK(chown(f, USER, GROUP), "root gives it to the user");
	r = as_user(CHOWN, f);
	check(r == EPERM, "the owner gives it away: EPERM", "%d", r);
	r = as_user(CHOWN_SAME, f);
	check(r == 0, "chown to itself: allowed", "%d", r);
	r = as_user(CHGRP_OWN, f);
	check(r == 0 && uid_of(f, 1) == 100, "chgrp to one of its groups", "%d %ld", r, uid_of(f, 1));
	r = as_user(CHGRP_OTHER, f);
	check(r == EPERM, "chgrp to another group: EPERM", "%d", r);
	CHECK_OK(chown(f, -1, -1), "root: -1, -1");
	check(uid_of(f, 0) == USER && uid_of(f, 1) == 100, "nothing changed", "%ld %ld", uid_of(f, 0),
	      uid_of(f, 1));

	CHECK_OK(chmod(f, 06755), "set-user-ID and set-group-ID, group-executable");
	CHECK_OK(chown(f, USER, GROUP), "root chowns it");
	check(mode_of(f) == 0755, "both bits cleared, even by root", "%o", mode_of(f));
	CHECK_OK(chmod(f, 06745), "set-group-ID without group execute");
	CHECK_OK(chown(f, -1, GROUP), "root chgrps it");
	check(mode_of(f) == 02745, "set-user-ID cleared, set-group-ID kept (not group-executable)",
	      "%o", mode_of(f));
	CHECK_OK(mkdir(g, 06755), "a directory");
	CHECK_OK(chmod(g, 06755), "with both bits");
	CHECK_OK(chown(g, USER, GROUP), "chown of the directory");
	check(mode_of(g) == 06755, "a directory keeps them", "%o", mode_of(g));

	CHECK_OK(chown(f, USER, OTHER), "the file in a group the user is not in");
	CHECK_OK(chmod(f, 0755), "chmod");
	r = as_user(CHMOD_SGID, f);
	check(r == 0 && mode_of(f) == 0755, "owner's chmod g+s outside the group: dropped silently",
	      "%d %o", r, mode_of(f));
	CHECK_OK(chown(f, 0, 0), "back to root");
	r = as_user(CHMOD, f);
	check(r == EPERM, "chmod by a non-owner: EPERM", "%d", r);

	CHECK_OK(symlink("f", "link"), "symlink");
	CHECK_OK(lchown("link", USER, GROUP), "lchown");
	check(uid_of("link", 0) == USER && uid_of("f", 0) == 0, "the link changed, not the file",
	      "%ld %ld", uid_of("link", 0), uid_of("f", 0));
	CHECK_OK(fchownat(AT_FDCWD, "link", OTHER, -1, AT_SYMLINK_NOFOLLOW), "fchownat NOFOLLOW");
	check(uid_of("link", 0) == OTHER && uid_of("f", 0) == 0, "the link again", "%ld", uid_of("link", 0));
	CHECK_OK(chown("link", OTHER, -1), "chown follows");
	check(uid_of("f", 0) == OTHER, "the file changed", "%ld", uid_of("f", 0));
	CHECK_ERR(fchownat(AT_FDCWD, "link", 0, 0, 0x4), EINVAL, "unknown flag: EINVAL");
	return t_done();
}
