/*
 * ubd.h - contract between the ubd block driver and its host I/O thread.
 *
 * The kernel half queues a request with os_ubd_submit(); the host thread
 * does the pread/pwrite/fsync and hands the request back, raising
 * OS_IRQ_UBD; the IRQ handler drains os_ubd_complete() until -EAGAIN.
 */
#ifndef SHARED_UBD_H
#define SHARED_UBD_H

#include <stdint.h>

#define UBD_OP_READ	0
#define UBD_OP_WRITE	1
#define UBD_OP_FLUSH	2

struct ubd_io {
	int fd;
	int op;
	uint64_t offset;
	uint64_t len;
	void *buf;
	int64_t result;		/* bytes or -errno, set by the host */
	void *cookie;		/* kernel's own request */
};

int os_ubd_thread_start(void);
int os_ubd_submit(struct ubd_io *io);		/* never blocks */
int os_ubd_complete(struct ubd_io **io);	/* 0, or -EAGAIN when drained */
/* The crash path: waits up to ms for the queued requests to be done. */
void os_ubd_drain(int ms);

#endif
