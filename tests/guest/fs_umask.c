/*
 * fs_umask.c - the modes files are created with: open(O_CREAT), mkdir,
 * mknod (FIFO), mkfifo, O_TMPFILE and symlink under umasks 022, 077,
 * 000 and 0777: the umask clears permission bits only, so open keeps
 * the set-id bits it is given (as root) and mkdir the sticky bit; a
 * symlink is always 0777.  umask returns the old mask and keeps only
 * 0777 of what it is given.
 */
#include "t.h"
#include "fs.h"
#include <sys/sysmacros.h>

static mode_t mode_of(const char *p)
{
	struct stat st;

	return lstat(p, &st) < 0 ? (mode_t)-1 : st.st_mode & 07777;
}

static void with(mode_t mask)
{
	char t[96];
	int fd;
	struct stat st;

#define L(s) (snprintf(t, sizeof(t), "umask %03o: %s", (unsigned)mask, s), t)
	umask(mask);
	fd = open("f", O_CREAT | O_WRONLY | O_EXCL, 0666);
	close(fd);
	check(mode_of("f") == (0666 & ~mask), L("open 0666"), "%o", mode_of("f"));
	fd = open("s", O_CREAT | O_WRONLY | O_EXCL, 06777);
	close(fd);
	check(mode_of("s") == (06777 & ~mask), L("open 06777 keeps set-id bits"), "%o", mode_of("s"));
	mkdir("d", 0777);
	check(mode_of("d") == (0777 & ~mask), L("mkdir 0777"), "%o", mode_of("d"));
	mkdir("k", 01777);
	check(mode_of("k") == (01777 & ~mask), L("mkdir 01777 keeps sticky"), "%o", mode_of("k"));
	mknod("n", S_IFIFO | 0666, 0);
	check(mode_of("n") == (0666 & ~mask), L("mknod FIFO 0666"), "%o", mode_of("n"));
	mkfifo("p", 0642);
	check(mode_of("p") == (0642 & ~mask), L("mkfifo 0642"), "%o", mode_of("p"));
	symlink("f", "l");
	check(mode_of("l") == 0777, L("symlink always 0777"), "%o", mode_of("l"));
	fd = open(".", O_TMPFILE | O_RDWR, 0666);
	if (fd >= 0 && fstat(fd, &st) == 0)
		check((st.st_mode & 07777) == (0666 & ~mask), L("O_TMPFILE 0666"), "%o", st.st_mode & 07777);
	else
		check(0, L("O_TMPFILE"), "%s", strerror(errno));
	close(fd);
	unlink("f");
	unlink("s");
	unlink("n");
	unlink("p");
	unlink("l");
	rmdir("d");
	rmdir("k");
#undef L
}

int main(void)
{
	mode_t old;

	t_start();
	fs_scratch("fs_umask");
	old = umask(022);
	umask(old);
	with(022);
	with(077);
	with(000);
	with(0777);
	old = umask(07777);
	check(old == 0777, "umask returns the old mask", "%o", old);
	old = umask(022);
	check(old == 0777, "and keeps only 0777 of what it was given", "%o", old);
	return t_done();
}
