/*
 * acl_default.c - default ACLs (acl(5) "OBJECT CREATION AND DEFAULT
 * ACLs"): only directories have one (EACCES on a file); files and
 * directories created inside get it as their access ACL, limited by the
 * mode asked for, with the umask ignored; directories inherit the
 * default ACL too, and a default ACL that is only the mode gives no
 * access ACL; mknod, mkfifo and O_TMPFILE inherit as well; removing it
 * restores the umask.
 */
#include "acl_t.h"

static void defaults(int i)
{
	char d[1024], f[1024], name[96];
	const char *L = x_labels[i];
	unsigned char buf[256];
	int fd;

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	x_file(f, i, "plain", 0644);
	{
		struct x_ace e[] = { { X_UOBJ, 7 }, { X_GOBJ, 5 }, { X_OTHER, 5 } };
		CHECK_ERR(setxattr(f, ACL_DEFAULT, buf, x_acl(buf, e, 3), 0), EACCES,
			  N("default ACL on a file"));
	}
	CHECK_ERR(getxattr(f, ACL_DEFAULT, buf, sizeof(buf)), ENODATA, N("file has no default ACL"));
	CHECK_OK(removexattr(f, ACL_DEFAULT), N("removing a file's default ACL"));
	x_path(d, i, "d");
	mkdir(d, 0755);
	{
		struct x_ace e[] = { { X_UOBJ, 7 }, { X_USER, 6, 1000 }, { X_GOBJ, 5 }, { X_GROUP, 7, 100 },
				     { X_MASK, 7 }, { X_OTHER, 5 } };
		acl_set(d, ACL_DEFAULT, e, 6);
	}
	check(!strcmp(x_acl_text(d, ACL_DEFAULT), "u::rwx,u:1000:rw-,g::r-x,g:100:rwx,m::rwx,o::r-x"),
	      N("default ACL back"), "%s", x_acl_text(d, ACL_DEFAULT));
	check(acl_mode(d) == 0755, N("default ACL leaves the mode"), "%o", acl_mode(d));
	CHECK_ERR(getxattr(d, ACL_ACCESS, buf, sizeof(buf)), ENODATA, N("no access ACL on the dir"));
	check(!strcmp(x_list(d), ACL_DEFAULT), N("listed"), "%s", x_list(d));

	umask(077);
	x_path(f, i, "d/f666");
	fd = open(f, O_CREAT | O_WRONLY, 0666);
	close(fd);
	check(acl_mode(f) == 0664, N("file mode: umask ignored, group = mask"), "%o", acl_mode(f));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rw-,u:1000:rw-,g::r-x,g:100:rwx,m::rw-,o::r--"),
	      N("file's inherited ACL"), "%s", x_acl_text(f, ACL_ACCESS));
	CHECK_ERR(getxattr(f, ACL_DEFAULT, buf, sizeof(buf)), ENODATA, N("file gets no default ACL"));
	x_path(f, i, "d/f600");
	close(open(f, O_CREAT | O_WRONLY, 0600));
	check(acl_mode(f) == 0600, N("file 0600"), "%o", acl_mode(f));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rw-,u:1000:rw-,g::r-x,g:100:rwx,m::---,o::---"),
	      N("0600 file's ACL"), "%s", x_acl_text(f, ACL_ACCESS));
	x_path(f, i, "d/sub");
	mkdir(f, 0777);
	check(acl_mode(f) == 0775, N("directory mode"), "%o", acl_mode(f));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rwx,u:1000:rw-,g::r-x,g:100:rwx,m::rwx,o::r-x"),
	      N("directory's access ACL"), "%s", x_acl_text(f, ACL_ACCESS));
	check(!strcmp(x_acl_text(f, ACL_DEFAULT), "u::rwx,u:1000:rw-,g::r-x,g:100:rwx,m::rwx,o::r-x"),
	      N("directory inherits the default"), "%s", x_acl_text(f, ACL_DEFAULT));
	x_path(f, i, "d/sub/deeper");
	close(open(f, O_CREAT | O_WRONLY, 0640));
	check(!strcmp(x_acl_text(f, ACL_ACCESS), "u::rw-,u:1000:rw-,g::r-x,g:100:rwx,m::r--,o::---"),
	      N("two levels down"), "%s", x_acl_text(f, ACL_ACCESS));
	x_path(f, i, "d/fifo");
	mkfifo(f, 0666);
	check(acl_mode(f) == 0664, N("mkfifo inherits"), "%o", acl_mode(f));
	x_path(f, i, "d/mknod");
	mknod(f, S_IFREG | 0606, 0);
	check(acl_mode(f) == 0604, N("mknod inherits"), "%o", acl_mode(f));
	x_path(f, i, "d/lnk");
	symlink("f666", f);
	check(acl_mode(f) == 0777, N("symlink mode unchanged"), "%o", acl_mode(f));
	fd = open(d, O_TMPFILE | O_WRONLY, 0666);
	{
		struct stat st;
		check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0664, N("O_TMPFILE inherits"),
		      "fd %d errno %d", fd, errno);
		close(fd);
	}

	/* A default ACL that is only a mode: no access ACL, mode limited by it. */
	x_path(d, i, "m");
	mkdir(d, 0755);
	{
		struct x_ace e[] = { { X_UOBJ, 7 }, { X_GOBJ, 0 }, { X_OTHER, 0 } };
		acl_set(d, ACL_DEFAULT, e, 3);
	}
	x_path(f, i, "m/f");
	close(open(f, O_CREAT | O_WRONLY, 0666));
	check(acl_mode(f) == 0600, N("mode-only default: mode"), "%o", acl_mode(f));
	CHECK_ERR(getxattr(f, ACL_ACCESS, buf, sizeof(buf)), ENODATA, N("mode-only default: no ACL"));
	/* Removed: the umask is back. */
	CHECK_OK(removexattr(d, ACL_DEFAULT), N("remove default ACL"));
	x_path(f, i, "m/g");
	close(open(f, O_CREAT | O_WRONLY, 0666));
	check(acl_mode(f) == 0600, N("umask applies again"), "%o", acl_mode(f));
	umask(0);
	x_path(f, i, "m/h");
	close(open(f, O_CREAT | O_WRONLY, 0666));
	check(acl_mode(f) == 0666, N("umask 0"), "%o", acl_mode(f));
	umask(022);
#undef N
}

int main(void)
{
	return acl_main("acl_default", -1, defaults);
}
