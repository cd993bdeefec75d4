/*
 * ubd_host.c - host half of the ubd block driver (shared/ubd.h).
 *
 * One I/O thread, with every signal blocked, takes struct ubd_io requests
 * from a submit queue, does the pread/pwrite/fsync on the host file and
 * puts the request on a completion queue, then raises OS_IRQ_UBD.  The
 * kernel half drains completions from its IRQ handler.  Both queues are
 * singly linked FIFOs of small nodes under one mutex; submit never blocks
 * for long (only on the mutex, which the thread holds for a few loads).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "shared/os.h"

struct ubd_node {
	struct ubd_io *io;
	struct ubd_node *next;
};

struct ubd_fifo {
	struct ubd_node *head, *tail;
};

static pthread_mutex_t ubd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ubd_cond = PTHREAD_COND_INITIALIZER;
static struct ubd_fifo submit_q, done_q;
static pthread_t ubd_thread;
static int ubd_started;
static int ubd_busy;		/* the thread is doing a request */

static void fifo_push(struct ubd_fifo *q, struct ubd_node *n)
{
	n->next = NULL;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
}

static struct ubd_node *fifo_pop(struct ubd_fifo *q)
{
	struct ubd_node *n = q->head;

	if (n) {
		q->head = n->next;
		if (!q->head)
			q->tail = NULL;
	}
	return n;
}

/* Full-length pread/pwrite, looping on short transfers and EINTR. */
static int64_t ubd_do_rw(struct ubd_io *io)
{
	uint64_t done = 0;
	char *buf = io->buf;

	while (done < io->len) {
		ssize_t n;

		if (io->op == UBD_OP_READ)
			n = pread(io->fd, buf + done, io->len - done,
				  (off_t)(io->offset + done));
		else
			n = pwrite(io->fd, buf + done, io->len - done,
				   (off_t)(io->offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;		/* end of file: a short read */
		done += (uint64_t)n;
	}
	return (int64_t)done;
}

static int64_t ubd_do_io(struct ubd_io *io)
{
	switch (io->op) {
	case UBD_OP_READ:
	case UBD_OP_WRITE:
		return ubd_do_rw(io);
	case UBD_OP_FLUSH:
		while (fsync(io->fd) < 0) {
			if (errno != EINTR)
				return -errno;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Runs until ./linux exits: halt has synced and unmounted every disk by
 * then (machine_halt), so no request is in flight when it goes.
 */
__attribute__((noreturn)) static void *ubd_io_thread(void *arg)
{
	struct ubd_node *n;

	(void)arg;
	pthread_mutex_lock(&ubd_lock);
	for (;;) {
		while (!submit_q.head)
			pthread_cond_wait(&ubd_cond, &ubd_lock);
		n = fifo_pop(&submit_q);
		ubd_busy = 1;
		pthread_mutex_unlock(&ubd_lock);
		n->io->result = ubd_do_io(n->io);
		pthread_mutex_lock(&ubd_lock);
		ubd_busy = 0;
		fifo_push(&done_q, n);
		pthread_mutex_unlock(&ubd_lock);
		os_raise_irq(OS_IRQ_UBD);
		pthread_mutex_lock(&ubd_lock);
	}
}

/* Starts the I/O thread once; 0 or -errno. */
int os_ubd_thread_start(void)
{
	sigset_t all, old;
	int err;

	if (ubd_started)
		return 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&ubd_thread, NULL, ubd_io_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	ubd_started = 1;
	return 0;
}

/* Queues io for the I/O thread; 0 or -ENOMEM.  Never waits for I/O. */
int os_ubd_submit(struct ubd_io *io)
{
	struct ubd_node *n = malloc(sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->io = io;
	pthread_mutex_lock(&ubd_lock);
	fifo_push(&submit_q, n);
	pthread_cond_signal(&ubd_cond);
	pthread_mutex_unlock(&ubd_lock);
	return 0;
}

/* Takes one finished request into *io: 0, or -EAGAIN when none is left. */
int os_ubd_complete(struct ubd_io **io)
{
	struct ubd_node *n;

	pthread_mutex_lock(&ubd_lock);
	n = fifo_pop(&done_q);
	pthread_mutex_unlock(&ubd_lock);
	if (!n)
		return -EAGAIN;
	*io = n->io;
	free(n);
	return 0;
}

/*
 * The crash path: waits (at most ms) until the I/O thread has taken and
 * done every submitted request.  The kernel thread may have crashed
 * holding the lock, so it is only tried, never waited for.
 */
void os_ubd_drain(int ms)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < ms && ubd_started; i++) {
		int idle = 0;

		if (pthread_mutex_trylock(&ubd_lock) == 0) {
			idle = submit_q.head == NULL && !ubd_busy;
			pthread_mutex_unlock(&ubd_lock);
		}
		if (idle)
			return;
		nanosleep(&ts, NULL);
	}
}

