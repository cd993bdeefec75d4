/*
 * ubd.h - contract between the ubd block driver and its host half.
 *
 * os_ubd_open() opens a disk: a plain image, or a UML COW file (version
 * 3) over a read-only backing file.  The kernel half queues a request
 * with os_ubd_submit(); the host thread does the pread/pwrite/fsync (and
 * the COW bitmap) and hands the request back, raising OS_IRQ_UBD; the IRQ
 * handler drains os_ubd_complete() until -EAGAIN.
 */
#ifndef SHARED_UBD_H
#define SHARED_UBD_H

#include <stdint.h>

#define UBD_OP_READ	0
#define UBD_OP_WRITE	1
#define UBD_OP_FLUSH	2
#define UBD_OP_DISCARD	3	/* punch [offset, offset+len) out of the host file */

/* ubdN<flags>= letters, as UML's. */
#define UBD_F_RO	0x1	/* r: read-only */
#define UBD_F_SYNC	0x2	/* s: every write durable before it completes */
#define UBD_F_NOCOW	0x4	/* d: data only, never read a COW header */
#define UBD_F_SHARED	0x8	/* c: no host lock (shared with a cluster) */

struct ubd_disk;		/* host side: fds, COW header and bitmap */

/* One piece of a vectored request: len bytes at buf. */
struct ubd_seg {
	void *buf;
	uint64_t len;
};

struct ubd_io {
	struct ubd_disk *disk;
	int op;
	uint64_t offset;
	uint64_t len;		/* the sum of the segments' when nsegs > 0 */
	void *buf;		/* nsegs == 0: one buffer of len bytes */
	const struct ubd_seg *segs;	/* else: consecutive on disk, one preadv/pwritev */
	int nsegs;
	int64_t result;		/* bytes or -errno, set by the host */
	void *cookie;		/* kernel's own request */
};

struct ubd_open_info {
	uint64_t size;		/* bytes the guest sees */
	int flags;		/* UBD_F_RO added when the file was not writable */
	int fell_back_ro;	/* -errno: the file may not be written, used read-only */
	const char *backing;	/* the backing file of a COW disk, or NULL */
	int created;		/* a new COW file was made */
	int switched;		/* the COW header now names BACKING, as UML */
	uint32_t discard_granularity;	/* bytes a hole frees at a time (the host file's
					 * block size); 0: the disk cannot discard (COW) */
	char why[320];		/* on failure: the reason, one line */
};

/*
 * Opens FILE (BACKING non-NULL: FILE is a COW file over it, created when
 * missing).  0 with *disk set, or -errno with info->why filled in.
 */
int os_ubd_open(const char *file, const char *backing, int flags,
		struct ubd_disk **disk, struct ubd_open_info *info);
int os_ubd_thread_start(void);
int os_ubd_submit(struct ubd_io *io);		/* never blocks */
int os_ubd_complete(struct ubd_io **io);	/* 0, or -EAGAIN when drained */
/* The crash path: waits up to ms for the queued requests to be done. */
void os_ubd_drain(int ms);
int os_ubd_sync(struct ubd_disk *disk);		/* fsync: 0 or -errno */
void os_ubd_close(struct ubd_disk *disk);	/* hot-unplug, nothing in flight */

#endif
