/*
 * hostfs.h - contract between hostfs (fs/hostfs/) and its host half
 * (os-Linux/drivers/hostfs_host.c).
 *
 * Every host object hostfs knows is an O_PATH descriptor: the kernel half
 * names a child as (directory descriptor, one component) and the host
 * half opens it with openat(O_PATH | O_NOFOLLOW), so no path text is ever
 * resolved on the host: ".." never reaches the host (the guest's VFS
 * walks it on its own dentries), and a host symlink is returned as a
 * symlink for the guest to resolve.  Opening for I/O reopens the O_PATH
 * descriptor through /proc/self/fd, which names the object itself.
 * Every call returns 0, a count or a descriptor, or -errno.
 */
#ifndef SHARED_HOSTFS_H
#define SHARED_HOSTFS_H

#include <stdint.h>

/* A host stat, in fixed-width fields. */
struct hostfs_stat {
	uint64_t ino, dev, size, blocks, nlink;
	uint32_t mode, uid, gid, rdev_major, rdev_minor, blksize;
	int64_t atime, mtime, ctime;
	uint32_t atime_ns, mtime_ns, ctime_ns;
};

/* One directory entry of os_hostfs_readdir. */
struct hostfs_dirent {
	uint64_t ino;
	uint64_t next;		/* cookie of the entry after this one */
	uint8_t type;		/* DT_* */
	uint8_t len;
	char name[256];
};

struct hostfs_statfs {
	uint64_t type, bsize, blocks, bfree, bavail, files, ffree, namelen, frsize;
};

/* Open flags for os_hostfs_reopen. */
#define HOSTFS_RDONLY	0
#define HOSTFS_WRONLY	1
#define HOSTFS_RDWR	2
#define HOSTFS_APPEND	0x10

/* Attributes for os_hostfs_setattr. */
#define HOSTFS_ATTR_MODE	0x1
#define HOSTFS_ATTR_OWNER	0x2
#define HOSTFS_ATTR_SIZE	0x4
#define HOSTFS_ATTR_ATIME	0x8
#define HOSTFS_ATTR_MTIME	0x10

/*
 * The root: the directory dir below prefix (both host paths), resolved
 * with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) from prefix so
 * that dir cannot leave it.  An O_PATH descriptor.
 */
int os_hostfs_root(const char *prefix, const char *dir);
int os_hostfs_lookup(int dirfd, const char *name);	/* O_PATH of a child */
int os_hostfs_stat(int fd, struct hostfs_stat *st);
int os_hostfs_reopen(int fd, int flags);		/* an fd for I/O */
int64_t os_hostfs_pread(int fd, void *buf, uint64_t n, uint64_t off);
int64_t os_hostfs_pwrite(int fd, const void *buf, uint64_t n, uint64_t off);
int os_hostfs_fsync(int fd);
int os_hostfs_close(int fd);
/* Entries from cookie on into ents (at most n): how many, 0 at the end. */
int os_hostfs_readdir(int dirfd, uint64_t cookie, struct hostfs_dirent *ents, int n);
int os_hostfs_create(int dirfd, const char *name, uint32_t mode);
int os_hostfs_mkdir(int dirfd, const char *name, uint32_t mode);
int os_hostfs_mknod(int dirfd, const char *name, uint32_t mode, uint32_t major, uint32_t minor);
int os_hostfs_symlink(int dirfd, const char *name, const char *target);
int os_hostfs_link(int fd, int dirfd, const char *name);
int os_hostfs_unlink(int dirfd, const char *name, int dir);
int os_hostfs_rename(int odirfd, const char *oname, int ndirfd, const char *nname,
		     unsigned flags);
int os_hostfs_readlink(int fd, char *buf, int size);
int os_hostfs_setattr(int fd, unsigned what, uint32_t mode, uint32_t uid, uint32_t gid,
		      uint64_t size, int64_t atime, uint32_t atime_ns, int64_t mtime,
		      uint32_t mtime_ns);
int os_hostfs_statfs(int fd, struct hostfs_statfs *st);

#endif
