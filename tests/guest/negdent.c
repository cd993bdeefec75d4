/*
 * negdent.c - a name looked up and found missing (which the kernel may
 * remember: a negative dentry) appears at once through every way a name
 * is made: open O_CREAT, mkdir, mknod, symlink, link, rename onto it (and
 * RENAME_NOREPLACE / RENAME_EXCHANGE), a rename away leaving it missing
 * again; a directory whose missing names were looked up is still empty
 * for rmdir; a removed directory's names all ENOENT; hundreds of missing
 * names in a big directory, then created, found, unlinked, missing.
 */
#define _GNU_SOURCE
#include "t.h"
#include "fs.h"
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdbool.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static bool missing(const char *name)
{
	struct stat st;

	return lstat(name, &st) == -1 && errno == ENOENT;
}

static bool there(const char *name)
{
	struct stat st;

	return lstat(name, &st) == 0;
}

static long rename2(const char *a, const char *b, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

int main(void)
{
	char name[64];
	int fd, bad;

	t_start();
	fs_scratch("negdent");
	/* Each name twice missing (the second time from any cache), then made. */
	check(missing("f") && missing("f"), "missing twice", "f there");
	fd = open("f", O_WRONLY | O_CREAT | O_EXCL, 0644);
	check(fd >= 0 && there("f"), "open O_CREAT makes it", "errno %d", errno);
	close(fd);
	check(missing("d") && missing("d") && mkdir("d", 0755) == 0 && there("d"), "mkdir makes it", "errno %d", errno);
	check(missing("p") && mknod("p", S_IFIFO | 0644, 0) == 0 && there("p"), "mknod makes it", "errno %d", errno);
	check(missing("s") && symlink("f", "s") == 0 && there("s"), "symlink makes it", "errno %d", errno);
	check(missing("l") && link("f", "l") == 0 && there("l"), "link makes it", "errno %d", errno);
	check(missing("r") && rename("l", "r") == 0 && there("r") && missing("l"),
	      "rename onto a missing name; the old name missing", "errno %d", errno);
	check(missing("l") && rename("r", "l") == 0 && there("l") && missing("r"),
	      "and back onto the name just missing", "errno %d", errno);
	check(missing("n") && rename2("l", "n", RENAME_NOREPLACE) == 0 && there("n") && missing("l"),
	      "RENAME_NOREPLACE onto a missing name", "errno %d", errno);
	CHECK_ERR(rename2("n", "f", RENAME_NOREPLACE), EEXIST, "RENAME_NOREPLACE onto an existing one");
	CHECK_ERR(rename2("n", "x", RENAME_EXCHANGE), ENOENT, "RENAME_EXCHANGE with a missing name");
	check(missing("x"), "still missing after the refused exchange", "x there");
	CHECK_OK(unlink("n"), "unlink");
	check(missing("n") && missing("n"), "unlinked: missing", "n there");
	CHECK_ERR(unlink("n"), ENOENT, "unlink of the missing name");
	fd = open("n", O_WRONLY | O_CREAT | O_EXCL, 0644);
	check(fd >= 0 && there("n"), "made again after the unlink", "errno %d", errno);
	close(fd);
	/* In a directory: missing names looked up, then rmdir (empty), then all ENOENT. */
	check(missing("d/a") && missing("d/b/c") && missing("d/a"), "missing inside d", "there");
	CHECK_OK(rmdir("d"), "rmdir of a directory whose missing names were looked up");
	check(missing("d") && missing("d/a"), "removed: missing, and its names", "there");
	CHECK_ERR(mkdir("d/a", 0755), ENOENT, "mkdir inside the removed directory");
	CHECK_OK(mkdir("d", 0755), "mkdir d again");
	check(missing("d/a") && mkdir("d/a", 0755) == 0 && there("d/a"), "names inside the new d", "errno %d", errno);
	/* A big directory: 600 missing names, made, found, unlinked, missing. */
	bad = 0;
	for (int i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "d/many-%04d", i);
		bad += !missing(name);
	}
	for (int i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "d/many-%04d", i);
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		bad += fd < 0;
		close(fd);
		bad += !there(name);
	}
	for (int i = 0; i < 600; i += 2) {
		snprintf(name, sizeof(name), "d/many-%04d", i);
		bad += unlink(name) != 0 || !missing(name);
	}
	for (int i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "d/many-%04d", i);
		bad += (i % 2 == 0) != missing(name);
	}
	check(bad == 0, "600 names: missing, made, half unlinked, each as it should be", "%d wrong", bad);
	return t_done();
}
