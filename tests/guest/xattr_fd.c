/*
 * xattr_fd.c - the f* variants on open files (read-only fds may set:
 * attributes are not file data), O_PATH fds and bad fds (EBADF), an
 * unlinked but open file keeping its attributes, and the path, l* and
 * f* forms seeing the same attributes.
 */
#include "xattr_t.h"

static void fds(int i)
{
	char f[1024], g[1024], buf[64], name[96];
	const char *L = x_labels[i];
	int fd, pfd;

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	x_file(f, i, "f", 0644);
	fd = open(f, O_RDONLY);
	CHECK_OK(fsetxattr(fd, "user.a", "fd", 2, 0), N("fsetxattr on O_RDONLY"));
	check(fgetxattr(fd, "user.a", buf, sizeof(buf)) == 2 && !memcmp(buf, "fd", 2), N("fgetxattr"),
	      "errno %d", errno);
	check(getxattr(f, "user.a", buf, sizeof(buf)) == 2, N("path sees fd's"), "errno %d", errno);
	check(lgetxattr(f, "user.a", buf, sizeof(buf)) == 2, N("lgetxattr sees it"), "errno %d", errno);
	check(flistxattr(fd, buf, sizeof(buf)) == 7 && !strcmp(buf, "user.a"), N("flistxattr"),
	      "errno %d", errno);
	CHECK_OK(fsetxattr(fd, "user.b", "x", 1, XATTR_CREATE), N("fsetxattr CREATE"));
	CHECK_ERR(fsetxattr(fd, "user.b", "x", 1, XATTR_CREATE), EEXIST, N("fsetxattr EEXIST"));
	CHECK_OK(fremovexattr(fd, "user.b"), N("fremovexattr"));
	CHECK_ERR(fremovexattr(fd, "user.b"), ENODATA, N("fremovexattr ENODATA"));
	CHECK_ERR(fgetxattr(fd, "", buf, sizeof(buf)), ERANGE, N("fgetxattr empty name"));
	CHECK_ERR(fsetxattr(fd, "user.z", "x", 1, 16), EINVAL, N("fsetxattr bad flags"));
	/* unlinked, still open */
	CHECK_OK(unlink(f), N("unlink"));
	check(fgetxattr(fd, "user.a", buf, sizeof(buf)) == 2, N("unlinked file keeps attrs"), "errno %d",
	      errno);
	CHECK_OK(fsetxattr(fd, "user.late", "1", 1, 0), N("set on unlinked file"));
	close(fd);
	CHECK_ERR(fgetxattr(fd, "user.a", buf, sizeof(buf)), EBADF, N("closed fd get"));
	CHECK_ERR(fsetxattr(fd, "user.a", "1", 1, 0), EBADF, N("closed fd set"));
	CHECK_ERR(flistxattr(fd, buf, sizeof(buf)), EBADF, N("closed fd list"));
	CHECK_ERR(fremovexattr(fd, "user.a"), EBADF, N("closed fd remove"));
	CHECK_ERR(fgetxattr(-1, "user.a", buf, sizeof(buf)), EBADF, N("fd -1"));
	/* O_PATH */
	x_file(g, i, "g", 0644);
	setxattr(g, "user.p", "1", 1, 0);
	pfd = open(g, O_PATH);
	CHECK_ERR(fgetxattr(pfd, "user.p", buf, sizeof(buf)), EBADF, N("O_PATH get"));
	CHECK_ERR(fsetxattr(pfd, "user.p", "1", 1, 0), EBADF, N("O_PATH set"));
	CHECK_ERR(flistxattr(pfd, buf, sizeof(buf)), EBADF, N("O_PATH list"));
	close(pfd);
	/* a directory fd */
	x_path(g, i, "d");
	mkdir(g, 0755);
	fd = open(g, O_RDONLY | O_DIRECTORY);
	CHECK_OK(fsetxattr(fd, "user.dir", "1", 1, 0), N("directory fd set"));
	check(getxattr(g, "user.dir", buf, sizeof(buf)) == 1, N("directory path get"), "errno %d", errno);
	close(fd);
	/* ENOTDIR and ENOENT on the way */
	x_path(g, i, "g/sub");
	CHECK_ERR(getxattr(g, "user.p", buf, sizeof(buf)), ENOTDIR, N("ENOTDIR"));
	x_path(g, i, "missing");
	CHECK_ERR(getxattr(g, "user.p", buf, sizeof(buf)), ENOENT, N("ENOENT get"));
	CHECK_ERR(listxattr(g, buf, sizeof(buf)), ENOENT, N("ENOENT list"));
	CHECK_ERR(removexattr(g, "user.p"), ENOENT, N("ENOENT remove"));
#undef N
}

int main(void)
{
	t_start();
	x_setup("xattr_fd");
	for (int i = 0; i < 2; i++)
		fds(i);
	x_cleanup();
	return t_done();
}
