/*
 * fs_dirperm.c - a directory's permission bits for a user who owns
 * nothing (nobody): without search (x) no name inside resolves
 * (EACCES) even with read, and with read only the names can be listed
 * but not stat'ed; search without read resolves names but opendir is
 * EACCES; without write no entry is created, removed or renamed
 * (EACCES) even when the file itself is writable; with write and search
 * they are; the sticky bit keeps others' files (EPERM) but not one's
 * own; the directory's owner and root may remove anything.
 */
#include "t.h"
#include "fs.h"
#include <dirent.h>
#include <sys/wait.h>

#define NOBODY	65534
#define SOMEONE	4242

enum op { STAT, OPENDIR, LIST, CREATE, UNLINK, RENAME, MKDIR, OPENW };

/* Does op on dir as uid: 0 or the errno. */
static int as(uid_t uid, enum op op, const char *dir, const char *name)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		char p[4200], q[4300];
		struct stat sb;
		DIR *d;
		int r = 0, fd;

		if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
			_exit(200);
		snprintf(p, sizeof(p), "%s/%s", dir, name);
		snprintf(q, sizeof(q), "%s/%s.renamed", dir, name);
		errno = 0;
		switch (op) {
		case STAT:
			r = stat(p, &sb);
			break;
		case OPENDIR:
		case LIST:
			d = opendir(dir);
			if (!d) {
				r = -1;
				break;
			}
			if (op == LIST) {
				struct dirent *e;
				int found = 0;

				while ((e = readdir(d)))
					found |= strcmp(e->d_name, name) == 0;
				if (!found)
					_exit(201);
			}
			closedir(d);
			break;
		case CREATE:
			fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644);
			r = fd < 0 ? -1 : close(fd);
			break;
		case UNLINK:
			r = unlink(p);
			break;
		case RENAME:
			r = rename(p, q);
			break;
		case MKDIR:
			r = mkdir(p, 0755);
			break;
		case OPENW:
			fd = open(p, O_WRONLY);
			r = fd < 0 ? -1 : close(fd);
			break;
		}
		_exit(r < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void mkfile(const char *dir, const char *name, uid_t owner, mode_t mode)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fs_put(p, "x");
	chown(p, owner, owner);
	chmod(p, mode);
}

int main(void)
{
	char cwd[4096], d[4200];
	int r;

	t_start();
	fs_scratch("fs_dirperm");
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	chmod(cwd, 0755);
	snprintf(d, sizeof(d), "%s/d", cwd);
	CHECK_OK(mkdir(d, 0777), "mkdir");
	mkfile(d, "f", SOMEONE, 0666);

#define T(mode, op, name, want, what) do { \
	chmod(d, mode); \
	r = as(NOBODY, op, d, name); \
	check(r == (want), what, "got %d (%s)", r, strerror(r)); } while (0)
	T(0777, STAT, "f", 0, "0777: stat");
	T(0666, STAT, "f", EACCES, "0666 (no search): stat EACCES");
	T(0666, OPENW, "f", EACCES, "0666: open of a writable file EACCES");
	T(0444, LIST, "f", 0, "0444: the names can be listed");
	T(0444, STAT, "f", EACCES, "0444: but not stat'ed");
	T(0111, STAT, "f", 0, "0111: a known name resolves");
	T(0111, OPENW, "f", 0, "0111: and opens");
	T(0111, OPENDIR, "f", EACCES, "0111: opendir EACCES");
	T(0555, CREATE, "new", EACCES, "0555: create EACCES");
	T(0555, UNLINK, "f", EACCES, "0555: unlink EACCES");
	T(0555, RENAME, "f", EACCES, "0555: rename EACCES");
	T(0555, MKDIR, "sub", EACCES, "0555: mkdir EACCES");
	T(0333, CREATE, "new", 0, "0333: create");
	T(0333, RENAME, "new", 0, "0333: rename");
	T(0333, UNLINK, "new.renamed", 0, "0333: unlink");
	T(0666, CREATE, "new2", EACCES, "0666 (write without search): create EACCES");

	/* The sticky bit. */
	T(01777, UNLINK, "f", EPERM, "sticky: another's file EPERM");
	T(01777, RENAME, "f", EPERM, "sticky: rename another's EPERM");
	T(01777, CREATE, "mine", 0, "sticky: create one's own");
	T(01777, RENAME, "mine", 0, "sticky: rename one's own");
	T(01777, UNLINK, "mine.renamed", 0, "sticky: unlink one's own");
	CHECK_OK(chown(d, NOBODY, NOBODY), "the directory given to nobody");
	T(01777, UNLINK, "f", 0, "sticky: the directory's owner removes anything");
	mkfile(d, "g", SOMEONE, 0644);
	CHECK_OK(chown(d, 0, 0), "the directory back to root");
	chmod(d, 01777);
	{
		char p[4200];

		snprintf(p, sizeof(p), "%s/g", d);
		CHECK_OK(unlink(p), "sticky: root removes anything");
	}
#undef T
	return t_done();
}
