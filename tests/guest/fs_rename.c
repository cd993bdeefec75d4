/*
 * fs_rename.c - rename(2) corner cases: onto itself, onto another link
 * of the same inode (nothing happens), a directory into its own subtree
 * (EINVAL), file over directory (EISDIR), directory over file (ENOTDIR),
 * over a non-empty directory (ENOTEMPTY), over an empty one (done, link
 * counts right), "." and "..", missing source, trailing slashes.
 */
#include "t.h"
#include "fs.h"

int main(void)
{
	struct stat a, b;

	t_start();
	fs_scratch("fs_rename");
	fs_put("f", "one");
	link("f", "f2");
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	mkdir("e", 0755);
	mkdir("full", 0755);
	fs_put("full/x", "x");
	CHECK_OK(rename("f", "f"), "onto itself");
	check(fs_size("f") == 3, "still there", "size %ld", fs_size("f"));
	CHECK_OK(rename("f", "f2"), "onto another link of the same inode");
	check(fs_nlink("f") == 2 && fs_nlink("f2") == 2, "both names kept (POSIX)",
	      "f %ld f2 %ld", fs_nlink("f"), fs_nlink("f2"));
	CHECK_ERR(rename("d", "d/sub/inner"), EINVAL, "dir into its own subtree");
	CHECK_ERR(rename("d", "d/sub"), EINVAL, "dir onto its own child");
	CHECK_ERR(rename("f", "d"), EISDIR, "file over directory");
	CHECK_ERR(rename("e", "f"), ENOTDIR, "directory over file");
	CHECK_ERR(rename("e", "full"), ENOTEMPTY, "over non-empty directory");
	CHECK_ERR(rename("missing", "x"), ENOENT, "missing source");
	CHECK_ERR(rename("f", "missing/x"), ENOENT, "missing target parent");
	CHECK_ERR(rename("f/", "g"), ENOTDIR, "file with trailing slash");
	CHECK_ERR(rename("f", "g/"), ENOTDIR, "to a new name with trailing slash");
	CHECK_OK(rename("e/", "e2/"), "dir with trailing slashes");
	CHECK_ERR(rename(".", "x"), EBUSY, "rename .");
	CHECK_ERR(rename("d/..", "x"), EBUSY, "rename ..");
	CHECK_ERR(rename("x", "."), EBUSY, "missing onto . (the target is checked first)");
	CHECK_ERR(rename("e2", "."), EBUSY, "dir onto .");
	stat(".", &a);
	long before = (long)a.st_nlink;
	CHECK_OK(rename("e2", "d/sub2"), "dir moved down");
	stat(".", &a);
	stat("d", &b);
	check((long)a.st_nlink == before - 1 && b.st_nlink == 4, "parents' link counts",
	      "top %ld (was %ld) d %ld", (long)a.st_nlink, before, (long)b.st_nlink);
	CHECK_OK(rename("d/sub2", "d/sub"), "over an empty directory");
	stat("d", &b);
	check(b.st_nlink == 3, "d's count after replacing", "d %ld", (long)b.st_nlink);
	CHECK_OK(stat("d/sub/..", &a), "moved dir's .. works");
	CHECK_OK(stat("d", &b), "stat d");
	check(a.st_ino == b.st_ino, "its .. is the new parent", "ino differ");
	fs_put("g", "gg");
	CHECK_OK(rename("g", "f2"), "file over file");
	check(fs_nlink("f") == 1 && fs_size("f2") == 2, "old target's link dropped",
	      "f %ld f2 %ld", fs_nlink("f"), fs_size("f2"));
	CHECK_ERR(rename("", "x"), ENOENT, "empty source");
	CHECK_ERR(rename("f", ""), ENOENT, "empty target");
	symlink("d", "ld");
	CHECK_OK(rename("ld", "ld2"), "symlink renamed, not its target");
	check(stat("d", &a) == 0 && S_ISDIR(a.st_mode), "target dir stays", "gone");
	return t_done();
}
