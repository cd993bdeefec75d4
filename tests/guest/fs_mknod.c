/*
 * fs_mknod.c - mknod(2)/mkfifo: FIFOs and regular files through mknod,
 * mode 0 meaning a regular file, the types mknod refuses (directories
 * EPERM, unknown types EINVAL), EEXIST, umask, and a FIFO that opens and
 * carries data; a FIFO opened O_WRONLY|O_NONBLOCK with no reader ENXIO.
 */
#include "t.h"
#include "fs.h"
#include <sys/sysmacros.h>

int main(void)
{
	struct stat st;
	char buf[8];
	int r, w;

	t_start();
	fs_scratch("fs_mknod");
	umask(022);
	CHECK_OK(mkfifo("fifo", 0666), "mkfifo");
	CHECK_OK(lstat("fifo", &st), "stat fifo");
	check(S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0644, "fifo type and umask",
	      "mode %o", st.st_mode);
	CHECK_ERR(mkfifo("fifo", 0666), EEXIST, "mkfifo existing");
	CHECK_OK(mknod("nfifo", S_IFIFO | 0600, 0), "mknod S_IFIFO");
	CHECK_OK(mknod("reg", S_IFREG | 0640, 0), "mknod S_IFREG");
	check(lstat("reg", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0, "mknod regular",
	      "mode %o", st.st_mode);
	CHECK_OK(mknod("zero", 0600, 0), "mknod type 0");
	check(lstat("zero", &st) == 0 && S_ISREG(st.st_mode), "type 0 is regular", "mode %o", st.st_mode);
	CHECK_ERR(mknod("dir", S_IFDIR | 0755, 0), EPERM, "mknod S_IFDIR");
	CHECK_ERR(mknod("bad", 0170000 | 0644, 0), EINVAL, "mknod unknown type");
	CHECK_ERR(mknod("bad", S_IFLNK | 0644, 0), EINVAL, "mknod S_IFLNK");
	CHECK_ERR(mknod("missing/x", S_IFIFO | 0600, 0), ENOENT, "mknod missing parent");
	CHECK_ERR(mknod("reg/x", S_IFIFO | 0600, 0), ENOTDIR, "mknod under a file");
	CHECK_ERR(mknodat(-1, "x", S_IFIFO | 0600, 0), EBADF, "mknodat bad dirfd");
	CHECK_OK(mknod("sock", S_IFSOCK | 0600, 0), "mknod S_IFSOCK");
	check(lstat("sock", &st) == 0 && S_ISSOCK(st.st_mode), "socket node", "mode %o", st.st_mode);
	CHECK_ERR(open("sock", O_RDONLY), ENXIO, "open a socket node");
	CHECK_ERR(open("fifo", O_WRONLY | O_NONBLOCK), ENXIO, "fifo writer without reader");
	r = open("fifo", O_RDONLY | O_NONBLOCK);
	CHECK_OK(r, "fifo reader non-blocking");
	w = open("fifo", O_WRONLY | O_NONBLOCK);
	CHECK_OK(w, "fifo writer with reader");
	check(write(w, "abc", 3) == 3, "write fifo", "errno %d", errno);
	check(read(r, buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3), "read fifo", "errno %d", errno);
	CHECK_ERR(read(r, buf, sizeof(buf)), EAGAIN, "empty fifo EAGAIN");
	CHECK_ERR(lseek(r, 0, SEEK_SET), ESPIPE, "lseek fifo");
	CHECK_ERR(pread(r, buf, 1, 0), ESPIPE, "pread fifo");
	close(w);
	check(read(r, buf, sizeof(buf)) == 0, "EOF after writer closes", "errno %d", errno);
	close(r);
	check(lstat("fifo", &st) == 0 && st.st_size == 0, "fifo size 0", "size %ld", (long)st.st_size);
	CHECK_OK(unlink("fifo"), "unlink fifo");
	return t_done();
}
