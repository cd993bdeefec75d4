/*
 * xattr_special.c - attributes on what is not a regular file or
 * directory: on a symlink itself (l* calls: user.* EPERM to set, ENODATA
 * to read; trusted.* allowed for root; ACLs EOPNOTSUPP) and through it
 * (the target's); on a FIFO and a socket node (user.* EPERM, trusted.*
 * fine); attributes moving with rename and shared by hard links.
 */
#include "xattr_t.h"
#include <sys/socket.h>
#include <sys/un.h>

static void special(int i)
{
	char f[1024], l[1024], p[1024], s[1024], g[1024], buf[64], name[96];
	const char *L = x_labels[i];
	unsigned char acl[64];
	struct x_ace e[] = { { X_UOBJ, 6, X_UNDEF }, { X_GOBJ, 4, X_UNDEF }, { X_OTHER, 4, X_UNDEF } };

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	x_file(f, i, "target", 0644);
	x_path(l, i, "link");
	symlink("target", l);
	CHECK_ERR(lsetxattr(l, "user.a", "1", 1, 0), EPERM, N("lsetxattr user.* on symlink"));
	CHECK_ERR(lgetxattr(l, "user.a", buf, sizeof(buf)), ENODATA, N("lgetxattr user.* on symlink"));
	CHECK_ERR(lremovexattr(l, "user.a"), EPERM, N("lremovexattr user.* on symlink"));
	CHECK_OK(setxattr(l, "user.a", "T", 1, 0), N("setxattr follows the symlink"));
	check(getxattr(f, "user.a", buf, sizeof(buf)) == 1 && buf[0] == 'T', N("target got it"),
	      "errno %d", errno);
	CHECK_OK(lsetxattr(l, "trusted.l", "L", 1, 0), N("lsetxattr trusted.* on symlink"));
	check(lgetxattr(l, "trusted.l", buf, sizeof(buf)) == 1, N("lgetxattr trusted.*"), "errno %d", errno);
	check(!strcmp(x_list(l), "trusted.l"), N("llistxattr of the symlink"), "%s", x_list(l));
	CHECK_ERR(getxattr(l, "trusted.l", buf, sizeof(buf)), ENODATA, N("getxattr follows to target"));
	CHECK_ERR(lsetxattr(l, ACL_ACCESS, acl, x_acl(acl, e, 3), 0), EOPNOTSUPP, N("ACL on a symlink"));
	CHECK_OK(lremovexattr(l, "trusted.l"), N("lremovexattr trusted.*"));
	x_path(g, i, "dangling");
	symlink("nowhere", g);
	CHECK_ERR(setxattr(g, "user.a", "1", 1, 0), ENOENT, N("dangling symlink followed"));
	CHECK_OK(lsetxattr(g, "trusted.d", "1", 1, 0), N("dangling symlink itself"));

	x_path(p, i, "fifo");
	mkfifo(p, 0666);
	CHECK_ERR(setxattr(p, "user.a", "1", 1, 0), EPERM, N("user.* on a FIFO"));
	CHECK_ERR(getxattr(p, "user.a", buf, sizeof(buf)), ENODATA, N("get user.* of a FIFO"));
	CHECK_OK(setxattr(p, "trusted.f", "1", 1, 0), N("trusted.* on a FIFO"));
	check(!strcmp(x_list(p), "trusted.f"), N("FIFO list"), "%s", x_list(p));

	x_path(s, i, "sock");
	{
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", s);
		check(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0, N("bind"), "errno %d", errno);
		close(fd);
	}
	CHECK_ERR(setxattr(s, "user.a", "1", 1, 0), EPERM, N("user.* on a socket"));
	CHECK_OK(setxattr(s, "security.x", "1", 1, 0), N("security.* on a socket"));

	/* rename and hard links */
	x_file(f, i, "orig", 0644);
	setxattr(f, "user.keep", "K", 1, 0);
	x_path(g, i, "renamed");
	rename(f, g);
	check(getxattr(g, "user.keep", buf, sizeof(buf)) == 1, N("rename keeps attrs"), "errno %d", errno);
	x_path(f, i, "hard");
	link(g, f);
	CHECK_OK(setxattr(f, "user.via", "V", 1, 0), N("set through a hard link"));
	check(!strcmp(x_list(g), "user.keep,user.via"), N("the other name sees it"), "%s", x_list(g));
	unlink(g);
	check(!strcmp(x_list(f), "user.keep,user.via"), N("after unlinking one name"), "%s", x_list(f));
#undef N
}

int main(void)
{
	t_start();
	x_setup("xattr_special");
	for (int i = 0; i < 2; i++)
		special(i);
	x_cleanup();
	return t_done();
}
