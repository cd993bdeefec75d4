/*
 * hostfs_host.c - the host half of hostfs (include/shared/hostfs.h).
 *
 * Only descriptors, never paths, cross from the kernel half: a lookup is
 * openat(dirfd, name, O_PATH | O_NOFOLLOW) of one component that cannot
 * be "." or ".." or contain '/', so the guest can reach nothing the
 * mounted directory does not hold, whatever symlinks or renames it makes.
 * Operations the kernel cannot do on an O_PATH descriptor go through
 * /proc/self/fd/N, which names the object itself, not a path to it.
 */
#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "shared/hostfs.h"

#define RETRY(expr) ({ long r_; do { r_ = (long)(expr); } while (r_ < 0 && errno == EINTR); \
		      r_ < 0 ? -errno : r_; })

static bool name_ok(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

static void self_fd(char *buf, size_t size, int fd)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

int os_hostfs_root(const char *prefix, const char *dir)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	int pfd, fd;

	pfd = (int)RETRY(open(prefix, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (pfd < 0)
		return pfd;
	while (*dir == '/')
		dir++;
	fd = (int)RETRY(syscall(SYS_openat2, pfd, *dir ? dir : ".", &how, sizeof(how)));
	close(pfd);
	return fd;
}

int os_hostfs_lookup(int dirfd, const char *name)
{
	if (!name_ok(name))
		return -EINVAL;
	return (int)RETRY(openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
}

int os_hostfs_stat(int fd, struct hostfs_stat *hs)
{
	struct stat st;
	int r = (int)RETRY(fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));

	if (r < 0)
		return r;
	*hs = (struct hostfs_stat){
		.ino = st.st_ino, .dev = st.st_dev, .size = (uint64_t)st.st_size,
		.blocks = (uint64_t)st.st_blocks, .nlink = st.st_nlink, .mode = st.st_mode,
		.uid = st.st_uid, .gid = st.st_gid, .rdev_major = major(st.st_rdev),
		.rdev_minor = minor(st.st_rdev), .blksize = (uint32_t)st.st_blksize,
		.atime = st.st_atim.tv_sec, .mtime = st.st_mtim.tv_sec, .ctime = st.st_ctim.tv_sec,
		.atime_ns = (uint32_t)st.st_atim.tv_nsec, .mtime_ns = (uint32_t)st.st_mtim.tv_nsec,
		.ctime_ns = (uint32_t)st.st_ctim.tv_nsec,
	};
	return 0;
}

int os_hostfs_reopen(int fd, int flags)
{
	char p[64];
	int f = (flags & 3) == HOSTFS_WRONLY ? O_WRONLY : (flags & 3) == HOSTFS_RDWR ? O_RDWR
						     : O_RDONLY;

	if (flags & HOSTFS_APPEND)
		f |= O_APPEND;
	self_fd(p, sizeof(p), fd);
	return (int)RETRY(open(p, f | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
}

int64_t os_hostfs_pread(int fd, void *buf, uint64_t n, uint64_t off)
{
	return RETRY(pread(fd, buf, n, (off_t)off));
}

int64_t os_hostfs_pwrite(int fd, const void *buf, uint64_t n, uint64_t off)
{
	return RETRY(pwrite(fd, buf, n, (off_t)off));
}

int os_hostfs_fsync(int fd)
{
	return (int)RETRY(fsync(fd));
}

int os_hostfs_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

int os_hostfs_readdir(int dirfd, uint64_t cookie, struct hostfs_dirent *ents, int n)
{
	int fd = os_hostfs_reopen(dirfd, HOSTFS_RDONLY), k = 0;
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return -errno;
	}
	if (cookie != 0)
		seekdir(d, (long)cookie);
	while (k < n && (errno = 0, de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		ents[k].ino = de->d_ino;
		ents[k].type = de->d_type;
		ents[k].len = (uint8_t)len;
		memcpy(ents[k].name, de->d_name, len + 1);
		ents[k].next = (uint64_t)telldir(d);
		k++;
	}
	closedir(d);
	return k;
}

int os_hostfs_create(int dirfd, const char *name, uint32_t mode)
{
	int fd;

	if (!name_ok(name))
		return -EINVAL;
	fd = (int)RETRY(openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
			       mode & 07777));
	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

int os_hostfs_mkdir(int dirfd, const char *name, uint32_t mode)
{
	return name_ok(name) ? (int)RETRY(mkdirat(dirfd, name, mode & 07777)) : -EINVAL;
}

int os_hostfs_mknod(int dirfd, const char *name, uint32_t mode, uint32_t ma, uint32_t mi)
{
	return name_ok(name) ? (int)RETRY(mknodat(dirfd, name, mode, makedev(ma, mi))) : -EINVAL;
}

int os_hostfs_symlink(int dirfd, const char *name, const char *target)
{
	return name_ok(name) ? (int)RETRY(symlinkat(target, dirfd, name)) : -EINVAL;
}

int os_hostfs_link(int fd, int dirfd, const char *name)
{
	char p[64];

	if (!name_ok(name))
		return -EINVAL;
	self_fd(p, sizeof(p), fd);
	return (int)RETRY(linkat(AT_FDCWD, p, dirfd, name, AT_SYMLINK_FOLLOW));
}

int os_hostfs_unlink(int dirfd, const char *name, int dir)
{
	if (!name_ok(name))
		return -EINVAL;
	return (int)RETRY(unlinkat(dirfd, name, dir ? AT_REMOVEDIR : 0));
}

int os_hostfs_rename(int odirfd, const char *oname, int ndirfd, const char *nname,
		     unsigned flags)
{
	if (!name_ok(oname) || !name_ok(nname))
		return -EINVAL;
	return (int)RETRY(syscall(SYS_renameat2, odirfd, oname, ndirfd, nname, flags));
}

int os_hostfs_readlink(int fd, char *buf, int size)
{
	return (int)RETRY(readlinkat(fd, "", buf, (size_t)size));
}

int os_hostfs_setattr(int fd, unsigned what, uint32_t mode, uint32_t uid, uint32_t gid,
		      uint64_t size, int64_t atime, uint32_t atime_ns, int64_t mtime,
		      uint32_t mtime_ns)
{
	char p[64];
	int r = 0;

	self_fd(p, sizeof(p), fd);
	if (what & HOSTFS_ATTR_MODE)
		r = (int)RETRY(chmod(p, mode & 07777));
	if (r == 0 && (what & HOSTFS_ATTR_OWNER))
		r = (int)RETRY(fchownat(fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
	if (r == 0 && (what & HOSTFS_ATTR_SIZE))
		r = (int)RETRY(truncate(p, (off_t)size));
	if (r == 0 && (what & (HOSTFS_ATTR_ATIME | HOSTFS_ATTR_MTIME))) {
		struct timespec ts[2] = {
			{ atime, (what & HOSTFS_ATTR_ATIME) ? atime_ns : UTIME_OMIT },
			{ mtime, (what & HOSTFS_ATTR_MTIME) ? mtime_ns : UTIME_OMIT },
		};

		r = (int)RETRY(utimensat(AT_FDCWD, p, ts, 0));
	}
	return r;
}

int os_hostfs_statfs(int fd, struct hostfs_statfs *hs)
{
	struct statfs st;
	int r = (int)RETRY(fstatfs(fd, &st));

	if (r < 0)
		return r;
	*hs = (struct hostfs_statfs){
		.type = (uint64_t)st.f_type, .bsize = (uint64_t)st.f_bsize, .blocks = st.f_blocks,
		.bfree = st.f_bfree, .bavail = st.f_bavail, .files = st.f_files,
		.ffree = st.f_ffree, .namelen = (uint64_t)st.f_namelen,
		.frsize = (uint64_t)st.f_frsize,
	};
	return 0;
}
