/*
 * fs_linkat.c - linkat(2) beyond the basics: AT_EMPTY_PATH needs
 * CAP_DAC_READ_SEARCH or an fd the caller opened itself (ENOENT for
 * nobody with root's fd), links an
 * O_TMPFILE file into the tree (not one made with O_EXCL: ENOENT), and
 * an O_PATH descriptor too; a symlink is linked itself without
 * AT_SYMLINK_FOLLOW, its target with it; across filesystems EXDEV;
 * nobody's own file into a directory nobody cannot write EACCES; a dangling symlink with
 * AT_SYMLINK_FOLLOW ENOENT.
 */
#include "t.h"
#include "fs.h"
#include <sys/wait.h>

#define NOBODY	65534

static int fd_for_child;

/* nobody links fd_for_child (own: a file nobody opens itself) to to. */
static int nobody_links(const char *to, const char *own)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = fd_for_child;

		if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(200);
		if (own && (fd = open(own, O_RDONLY)) < 0)
			_exit(201);
		_exit(linkat(fd, "", AT_FDCWD, to, AT_EMPTY_PATH) < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static ino_t ino_of(const char *p, int follow)
{
	struct stat st;

	if ((follow ? stat(p, &st) : lstat(p, &st)) < 0)
		return 0;
	return st.st_ino;
}

int main(void)
{
	char cwd[4096], shm[64], path[4200];
	struct stat st;
	int fd, r;

	t_start();
	fs_scratch("fs_linkat");
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	chmod(cwd, 0777);
	CHECK_OK(fs_put("f", "data"), "create");
	fd = open("f", O_RDONLY);
	fd_for_child = fd;
	snprintf(path, sizeof(path), "%s/by_nobody", cwd);
	r = nobody_links(path, NULL);
	check(r == ENOENT, "AT_EMPTY_PATH, an fd root opened, by nobody: ENOENT", "%d", r);
	snprintf(path, sizeof(path), "%s/own_fd", cwd);
	CHECK_OK(fs_put("nf", "n"), "a file of nobody's");
	CHECK_OK(chown("nf", NOBODY, NOBODY), "chown");
	r = nobody_links(path, "nf");
	check(r == 0, "AT_EMPTY_PATH, an fd nobody opened, by nobody (Linux 6.10+)", "%d", r);
	unlink(path);
	CHECK_OK(linkat(fd, "", AT_FDCWD, "by_root", AT_EMPTY_PATH), "root links an fd");
	check(ino_of("by_root", 0) == ino_of("f", 0) && fs_nlink("f") == 2, "the same inode", "-");
	close(fd);
	fd = open("f", O_PATH);
	CHECK_OK(linkat(fd, "", AT_FDCWD, "by_opath", AT_EMPTY_PATH), "an O_PATH fd");
	check(fs_nlink("f") == 3, "three links", "%ld", fs_nlink("f"));
	close(fd);

	fd = open(".", O_TMPFILE | O_RDWR, 0640);
	CHECK_OK(fd, "O_TMPFILE");
	CHECK_OK(write(fd, "tmp", 3), "write");
	CHECK_OK(fstat(fd, &st), "fstat");
	check(st.st_nlink == 0, "no name yet", "%ld", (long)st.st_nlink);
	CHECK_OK(linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH), "link it in");
	check(fs_size("named") == 3 && fs_nlink("named") == 1, "named, with its data", "%ld %ld",
	      fs_size("named"), fs_nlink("named"));
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH), EEXIST, "again onto the name: EEXIST");
	close(fd);
	fd = open(".", O_TMPFILE | O_RDWR | O_EXCL, 0640);
	CHECK_OK(fd, "O_TMPFILE | O_EXCL");
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "never", AT_EMPTY_PATH), ENOENT, "O_EXCL: never linkable");
	close(fd);

	CHECK_OK(symlink("f", "sl"), "symlink");
	CHECK_OK(linkat(AT_FDCWD, "sl", AT_FDCWD, "sl_itself", 0), "link a symlink");
	check(ino_of("sl_itself", 0) == ino_of("sl", 0), "the symlink itself", "-");
	CHECK_OK(linkat(AT_FDCWD, "sl", AT_FDCWD, "sl_target", AT_SYMLINK_FOLLOW), "AT_SYMLINK_FOLLOW");
	check(ino_of("sl_target", 0) == ino_of("f", 0), "its target", "-");
	CHECK_OK(symlink("nowhere", "dangling"), "a dangling symlink");
	CHECK_ERR(linkat(AT_FDCWD, "dangling", AT_FDCWD, "d2", AT_SYMLINK_FOLLOW), ENOENT,
		  "dangling, followed: ENOENT");
	CHECK_OK(linkat(AT_FDCWD, "dangling", AT_FDCWD, "d3", 0), "dangling, itself");

	snprintf(shm, sizeof(shm), "/dev/shm/fs_linkat.%d", (int)getpid());
	CHECK_ERR(linkat(AT_FDCWD, "f", AT_FDCWD, shm, 0), EXDEV, "to tmpfs: EXDEV");
	CHECK_OK(mkdir("locked", 0755), "a directory nobody cannot write");
	{
		int st2;
		pid_t pid = fork();

		if (pid == 0) {
			if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
				_exit(200);
			if (fs_put("nobodys", "n") < 0)
				_exit(201);
			_exit(linkat(AT_FDCWD, "nobodys", AT_FDCWD, "locked/x", 0) < 0 ? errno : 0);
		}
		waitpid(pid, &st2, 0);
		check(WIFEXITED(st2) && WEXITSTATUS(st2) == EACCES, "nobody into it: EACCES", "%d",
		      WEXITSTATUS(st2));
	}
	return t_done();
}
