/*
 * fs_links.c - link counts: a new file 1, each hard link +1, unlink -1,
 * an open unlinked file 0 and still readable; a directory 2 plus one per
 * subdirectory; link(2) to a directory EPERM, onto an existing name
 * EEXIST, from a missing name ENOENT, with a trailing slash; ctime moves
 * on link.
 */
#include "t.h"
#include "fs.h"

int main(void)
{
	struct stat st;
	char buf[8];
	int fd;

	t_start();
	fs_scratch("fs_links");
	fs_put("f", "data");
	check(fs_nlink("f") == 1, "new file 1", "%ld", fs_nlink("f"));
	CHECK_OK(link("f", "l1"), "link");
	CHECK_OK(link("l1", "l2"), "link of a link");
	check(fs_nlink("f") == 3, "three names", "%ld", fs_nlink("f"));
	CHECK_ERR(link("f", "l1"), EEXIST, "onto existing");
	CHECK_ERR(link("missing", "x"), ENOENT, "missing source");
	CHECK_ERR(link("f/", "x"), ENOTDIR, "source with trailing slash");
	CHECK_ERR(link("f", "x/"), ENOENT, "target with trailing slash");
	mkdir("d", 0755);
	check(fs_nlink("d") == 2, "empty dir 2", "%ld", fs_nlink("d"));
	mkdir("d/a", 0755);
	mkdir("d/b", 0755);
	fs_put("d/file", "");
	check(fs_nlink("d") == 4, "dir with two subdirs 4", "%ld", fs_nlink("d"));
	CHECK_ERR(link("d", "dl"), EPERM, "link to a directory");
	rmdir("d/a");
	check(fs_nlink("d") == 3, "rmdir lowers parent", "%ld", fs_nlink("d"));
	symlink("f", "sl");
	CHECK_OK(link("sl", "hl"), "link(2) to a symlink links the symlink");
	check(lstat("hl", &st) == 0 && S_ISLNK(st.st_mode) && st.st_nlink == 2, "hard link is a symlink",
	      "mode %o nlink %ld", st.st_mode, (long)st.st_nlink);
	CHECK_OK(linkat(AT_FDCWD, "sl", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW), "linkat FOLLOW");
	check(lstat("hf", &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 4, "followed to file",
	      "mode %o nlink %ld", st.st_mode, (long)st.st_nlink);
	fd = open("f", O_RDONLY);
	unlink("f");
	unlink("l1");
	unlink("l2");
	unlink("hf");
	CHECK_OK(fstat(fd, &st), "fstat unlinked");
	check(st.st_nlink == 0, "unlinked open file 0", "%ld", (long)st.st_nlink);
	check(read(fd, buf, 4) == 4 && !memcmp(buf, "data", 4), "still readable", "bad");
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "back", AT_EMPTY_PATH), ENOENT, "no relinking of a deleted file");
	close(fd);
	CHECK_ERR(unlink("f"), ENOENT, "unlink twice");
	CHECK_ERR(unlink("d"), EISDIR, "unlink a directory");
	CHECK_ERR(unlink("d/file/"), ENOTDIR, "unlink file with slash");
	CHECK_ERR(rmdir("d/file"), ENOTDIR, "rmdir a file");
	CHECK_ERR(rmdir("d"), ENOTEMPTY, "rmdir non-empty");
	CHECK_ERR(rmdir("d/."), EINVAL, "rmdir dir/.");
	CHECK_ERR(rmdir("d/b/.."), ENOTEMPTY, "rmdir dir/..");
	return t_done();
}
