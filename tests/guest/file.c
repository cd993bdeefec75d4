/* file.c - file operations: open/read/write/seek, metadata, names, fds. */
#include "t.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static char dir[256];

static void p(char *buf, const char *name)
{
	snprintf(buf, 512, "%s/%s", dir, name);
}

static void test_rw(void)
{
	char f[512], buf[64];
	int fd;

	p(f, "a.txt");
	fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK_OK(fd, "open O_CREAT");
	check(write(fd, "hello world\n", 12) == 12, "write", "short write");
	check(lseek(fd, 0, SEEK_CUR) == 12, "lseek SEEK_CUR", "offset wrong");
	check(lseek(fd, 6, SEEK_SET) == 6, "lseek SEEK_SET", "offset wrong");
	memset(buf, 0, sizeof(buf));
	check(read(fd, buf, sizeof(buf)) == 6 && !memcmp(buf, "world\n", 6), "read after seek", "got '%s'", buf);
	check(read(fd, buf, sizeof(buf)) == 0, "read at EOF", "not 0");
	check(lseek(fd, 0, SEEK_END) == 12, "lseek SEEK_END", "offset wrong");
	check(pwrite(fd, "HELLO", 5, 0) == 5, "pwrite", "failed");
	check(lseek(fd, 0, SEEK_CUR) == 12, "pwrite keeps offset", "moved");
	memset(buf, 0, sizeof(buf));
	check(pread(fd, buf, 5, 0) == 5 && !memcmp(buf, "HELLO", 5), "pread", "got '%s'", buf);
	/* A hole: write past the end, the gap reads as zeros. */
	check(pwrite(fd, "Z", 1, 8191) == 1, "pwrite past end", "failed");
	{
		char big[8192];
		int zeros = 1;
		check(pread(fd, big, sizeof(big), 0) == 8192, "pread whole", "short");
		for (int i = 12; i < 8191; i++)
			zeros &= big[i] == 0;
		check(zeros && big[8191] == 'Z', "hole reads zero", "non-zero");
	}
	struct stat st;
	CHECK_OK(fstat(fd, &st), "fstat");
	check(st.st_size == 8192 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644 &&
	      st.st_nlink == 1, "fstat fields", "size %ld mode %o nlink %ld",
	      (long)st.st_size, st.st_mode, (long)st.st_nlink);
	CHECK_OK(ftruncate(fd, 5), "ftruncate");
	CHECK_OK(stat(f, &st), "stat");
	check(st.st_size == 5, "stat size after ftruncate", "size %ld", (long)st.st_size);
	CHECK_OK(ftruncate(fd, 100000), "ftruncate grow");
	CHECK_OK(fstat(fd, &st), "fstat after grow");
	check(st.st_size == 100000, "size after grow", "size %ld", (long)st.st_size);
	CHECK_OK(close(fd), "close");
	/* O_APPEND */
	fd = open(f, O_WRONLY | O_TRUNC | O_APPEND);
	check(write(fd, "ab", 2) == 2 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, "cd", 2) == 2,
	      "O_APPEND writes", "failed");
	close(fd);
	fd = open(f, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	check(read(fd, buf, sizeof(buf)) == 4 && !strcmp(buf, "abcd"), "O_APPEND content", "got '%s'", buf);
	close(fd);
	/* O_EXCL */
	CHECK_ERR(open(f, O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST, "O_EXCL on existing");
}

static void test_names(void)
{
	char a[512], b[512], l[512], s[512], d[512], buf[512];
	struct stat st;

	p(a, "a.txt");
	p(b, "b.txt");
	p(l, "hard");
	p(s, "sym");
	p(d, "sub");
	CHECK_OK(rename(a, b), "rename");
	CHECK_ERR(access(a, F_OK), ENOENT, "old name gone");
	CHECK_OK(access(b, R_OK | W_OK), "access new name");
	CHECK_OK(link(b, l), "link");
	CHECK_OK(stat(b, &st), "stat after link");
	check(st.st_nlink == 2, "nlink is 2", "nlink %ld", (long)st.st_nlink);
	CHECK_OK(symlink("b.txt", s), "symlink");
	memset(buf, 0, sizeof(buf));
	check(readlink(s, buf, sizeof(buf)) == 5 && !strcmp(buf, "b.txt"), "readlink", "got '%s'", buf);
	CHECK_OK(lstat(s, &st), "lstat");
	check(S_ISLNK(st.st_mode) && st.st_size == 5, "lstat is a link", "mode %o", st.st_mode);
	CHECK_OK(stat(s, &st), "stat through symlink");
	check(S_ISREG(st.st_mode), "stat follows link", "mode %o", st.st_mode);
	CHECK_OK(mkdir(d, 0755), "mkdir");
	CHECK_ERR(mkdir(d, 0755), EEXIST, "mkdir existing");
	CHECK_OK(stat(d, &st), "stat dir");
	check(S_ISDIR(st.st_mode) && st.st_nlink == 2, "new dir nlink 2", "nlink %ld", (long)st.st_nlink);
	snprintf(buf, sizeof(buf), "%s/inner", d);
	CHECK_OK(mkdir(buf, 0700), "mkdir inner");
	CHECK_OK(stat(d, &st), "stat parent");
	check(st.st_nlink == 3, "parent nlink 3", "nlink %ld", (long)st.st_nlink);
	CHECK_ERR(rmdir(d), ENOTEMPTY, "rmdir non-empty");
	CHECK_OK(rmdir(buf), "rmdir inner");
	CHECK_OK(rmdir(d), "rmdir");
	CHECK_OK(chmod(b, 0600), "chmod");
	CHECK_OK(stat(b, &st), "stat after chmod");
	check((st.st_mode & 07777) == 0600, "chmod mode", "mode %o", st.st_mode);
	mode_t old = umask(077);
	umask(old);
	check(umask(027) == old, "umask returns old", "no");
	char u[512];
	p(u, "umasked");
	int fd = open(u, O_CREAT | O_WRONLY, 0666);
	CHECK_OK(fd, "create under umask");
	close(fd);
	stat(u, &st);
	check((st.st_mode & 0777) == 0640, "umask applied", "mode %o", st.st_mode & 0777);
	umask(old);
	CHECK_OK(unlink(u), "unlink");
	CHECK_OK(unlink(s), "unlink symlink");
	CHECK_OK(unlink(l), "unlink hard link");
	CHECK_OK(stat(b, &st), "stat after unlink of link");
	check(st.st_nlink == 1, "nlink back to 1", "nlink %ld", (long)st.st_nlink);
}

static int cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void test_getdents(void)
{
	char sub[512], f[600], buf[4096], *names[64];
	int n = 0;

	p(sub, "dents");
	mkdir(sub, 0755);
	const char *want[] = { "zeta", "alpha", "mid", "b" };
	for (int i = 0; i < 4; i++) {
		snprintf(f, sizeof(f), "%s/%s", sub, want[i]);
		close(open(f, O_CREAT | O_WRONLY, 0644));
	}
	int fd = open(sub, O_RDONLY | O_DIRECTORY);
	CHECK_OK(fd, "open dir");
	for (;;) {
		long r = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (r <= 0)
			break;
		for (long off = 0; off < r;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);
			if (n < 64)
				names[n++] = strdup(de->d_name);
			off += de->d_reclen;
		}
	}
	close(fd);
	qsort(names, n, sizeof(names[0]), cmp);
	char line[512] = "";
	for (int i = 0; i < n; i++) {
		strcat(line, names[i]);
		strcat(line, i + 1 < n ? "," : "");
	}
	check(!strcmp(line, ".,..,alpha,b,mid,zeta"), "getdents64 sorted names", "got %s", line);
	printf("# entries: %s\n", line);
	for (int i = 0; i < 4; i++) {
		snprintf(f, sizeof(f), "%s/%s", sub, want[i]);
		unlink(f);
	}
	CHECK_OK(rmdir(sub), "rmdir emptied dir");
}

static void test_fds(void)
{
	char f[512], buf[16];

	p(f, "b.txt");
	int fd = open(f, O_RDWR | O_TRUNC);
	write(fd, "0123456789", 10);
	int d = dup(fd);
	CHECK_OK(d, "dup");
	lseek(fd, 3, SEEK_SET);
	check(lseek(d, 0, SEEK_CUR) == 3, "dup shares offset", "no");
	CHECK_OK(dup2(fd, 20), "dup2 to 20");
	memset(buf, 0, sizeof(buf));
	check(read(20, buf, 2) == 2 && !strcmp(buf, "34"), "read via dup2", "got '%s'", buf);
	check(fcntl(fd, F_GETFD) == 0, "FD_CLOEXEC clear", "set");
	CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC), "F_SETFD");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_GETFD", "not set");
	check(fcntl(d, F_GETFD) == 0, "dup clears CLOEXEC", "set");
	check((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "F_GETFL", "mode");
	int hi = fcntl(fd, F_DUPFD, 30);
	check(hi >= 30, "F_DUPFD min", "got %d", hi);
	int ro = open(f, O_RDONLY);
	CHECK_ERR(write(ro, "x", 1), EBADF, "write to O_RDONLY");
	close(ro);
	close(hi);
	close(20);
	close(d);
	close(fd);
	CHECK_ERR(close(fd), EBADF, "close twice");
	CHECK_OK(unlink(f), "unlink last");
}

/* An unlinked file stays usable through its fd; a removed directory is empty. */
static void test_unlinked(void)
{
	char path[600], sub[600], buf[8];
	struct stat st;
	int fd, dfd;
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } };

	snprintf(path, sizeof(path), "%s/gone", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(write(fd, "abc", 3), "write before unlink");
	CHECK_OK(unlink(path), "unlink open file");
	CHECK_OK(fchmod(fd, 0600), "fchmod unlinked file");
	CHECK_OK(fchown(fd, getuid(), getgid()), "fchown unlinked file");
	CHECK_OK(futimens(fd, ts), "futimens unlinked file");
	check(fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 && st.st_nlink == 0 &&
	      (st.st_mode & 07777) == 0600 && st.st_mtime == 2000 && st.st_size == 3,
	      "fstatat(fd, \"\") of unlinked file", "errno %d nlink %lu mode %o", errno,
	      (unsigned long)st.st_nlink, st.st_mode);
	check(pread(fd, buf, 3, 0) == 3 && !memcmp(buf, "abc", 3), "read unlinked file", "wrong");
	close(fd);
	snprintf(sub, sizeof(sub), "%s/rmd", dir);
	mkdir(sub, 0755);
	dfd = open(sub, O_RDONLY | O_DIRECTORY);
	CHECK_OK(rmdir(sub), "rmdir open directory");
	CHECK_ERR(openat(dfd, "x", O_RDWR | O_CREAT, 0644), ENOENT, "create in removed directory");
	CHECK_ERR(mkdirat(dfd, "y", 0755), ENOENT, "mkdir in removed directory");
	CHECK_ERR(syscall(SYS_getdents64, dfd, buf, sizeof(buf)), ENOENT, "getdents of removed directory");
	close(dfd);
}

int main(void)
{
	t_start();
	snprintf(dir, sizeof(dir), "%s/guest-file.%d", t_tmpdir(), (int)getpid());
	if (mkdir(dir, 0755) < 0) {
		perror("mkdir scratch");
		return 1;
	}
	test_rw();
	test_names();
	test_getdents();
	test_fds();
	test_unlinked();
	CHECK_OK(rmdir(dir), "rmdir scratch");
	return t_done();
}
