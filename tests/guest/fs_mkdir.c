/*
 * fs_mkdir.c - mkdir/rmdir/unlinkat(AT_REMOVEDIR): EEXIST on files,
 * directories and dangling symlinks, trailing slashes, missing parents,
 * the umask, the mode bits mkdir keeps (sticky yes, setgid from the
 * parent), ".", ".." and "/" (EINVAL/ENOTEMPTY/EBUSY), unknown unlinkat
 * flags, a directory busy as cwd.
 */
#include "t.h"
#include "fs.h"

int main(void)
{
	struct stat st;

	t_start();
	fs_scratch("fs_mkdir");
	umask(022);
	fs_put("f", "x");
	symlink("nowhere", "dangle");
	CHECK_OK(mkdir("d", 0777), "mkdir");
	check(stat("d", &st) == 0 && (st.st_mode & 07777) == 0755, "umask applied", "mode %o", st.st_mode);
	CHECK_ERR(mkdir("d", 0755), EEXIST, "existing directory");
	CHECK_ERR(mkdir("f", 0755), EEXIST, "existing file");
	CHECK_ERR(mkdir("dangle", 0755), EEXIST, "dangling symlink");
	CHECK_ERR(mkdir("f/x", 0755), ENOTDIR, "under a file");
	CHECK_ERR(mkdir("no/x", 0755), ENOENT, "missing parent");
	CHECK_OK(mkdir("s/", 0755), "trailing slash");
	CHECK_OK(mkdir("t//", 01777), "sticky bit kept");
	check(stat("t", &st) == 0 && (st.st_mode & 07777) == 01755, "sticky", "mode %o", st.st_mode);
	CHECK_OK(mkdir("u", 04755), "setuid bit dropped");
	check(stat("u", &st) == 0 && (st.st_mode & 07777) == 0755, "no setuid", "mode %o", st.st_mode);
	chmod("d", 02755);
	CHECK_OK(mkdir("d/g", 0755), "under a setgid dir");
	check(stat("d/g", &st) == 0 && (st.st_mode & 02000), "setgid inherited", "mode %o", st.st_mode);
	CHECK_ERR(mkdir("", 0755), ENOENT, "empty name");
	CHECK_ERR(mkdir(".", 0755), EEXIST, "mkdir .");
	CHECK_ERR(rmdir("."), EINVAL, "rmdir .");
	CHECK_ERR(rmdir(".."), ENOTEMPTY, "rmdir ..");
	CHECK_ERR(rmdir("/"), EBUSY, "rmdir /");
	CHECK_ERR(rmdir("missing"), ENOENT, "rmdir missing");
	CHECK_ERR(rmdir("dangle"), ENOTDIR, "rmdir symlink");
	CHECK_ERR(unlinkat(AT_FDCWD, "s", 0x1), EINVAL, "unlinkat unknown flag");
	CHECK_ERR(unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), ENOTDIR, "AT_REMOVEDIR on file");
	CHECK_OK(unlinkat(AT_FDCWD, "s", AT_REMOVEDIR), "AT_REMOVEDIR");
	CHECK_OK(chdir("t"), "chdir t");
	CHECK_OK(rmdir("../t"), "rmdir the cwd");
	CHECK_ERR(open("x", O_CREAT | O_WRONLY, 0644), ENOENT, "create in a removed cwd");
	CHECK_ERR(mkdir("x", 0755), ENOENT, "mkdir in a removed cwd");
	chdir("..");
	CHECK_OK(rmdir("u/"), "rmdir trailing slash");
	return t_done();
}
