/*
 * fs.h - helpers shared by the fs_* guest programs (issue #8): a fresh
 * scratch directory to work in, and small file helpers.  Include after
 * t.h.
 */
#ifndef GUEST_FS_H
#define GUEST_FS_H

#include <fcntl.h>
#include <sys/stat.h>

/* Make a new directory under $TMPDIR (or /tmp) and chdir into it, so a
 * program's names never meet another run's. */
static void fs_scratch(const char *tag)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.XXXXXX", t_tmpdir(), tag);
	if (!mkdtemp(path) || chdir(path) != 0) {
		printf("not ok 0 scratch: %s\n", strerror(errno));
		exit(1);
	}
}

/* Create NAME holding TEXT (mode 0644); returns 0 or -1. */
__attribute__((unused)) static int fs_put(const char *name, const char *text)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* NAME's size, or -1. */
__attribute__((unused)) static long fs_size(const char *name)
{
	struct stat st;

	return lstat(name, &st) == 0 ? (long)st.st_size : -1;
}

/* NAME's link count, or -1. */
__attribute__((unused)) static long fs_nlink(const char *name)
{
	struct stat st;

	return lstat(name, &st) == 0 ? (long)st.st_nlink : -1;
}

#endif
