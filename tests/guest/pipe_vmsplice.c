/*
 * pipe_vmsplice.c - vmsplice(2): segments into a pipe through its write
 * end, out of it through its read end; it waits once then moves what
 * fits (a full pipe's room) or what is there; SPLICE_F_NONBLOCK gives
 * EAGAIN on a full or empty pipe; EOF with no writer, EPIPE and SIGPIPE
 * with no reader; EBADF for a file that is not a pipe and a bad fd,
 * EINVAL for unknown flags and too many segments, EFAULT for a bad
 * segment, 0 for no bytes.
 */
#include "t.h"
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/uio.h>

static volatile sig_atomic_t sigpipes;

static void on_pipe(int sig)
{
	(void)sig;
	sigpipes++;
}

int main(void)
{
	static char big[70000] __attribute__((aligned(4096)));
	char a[] = "hello ", b[] = "world", out[64];
	struct iovec in[2] = { { a, 6 }, { b, 5 } }, o[2];
	int p[2], q[2], fd, sz;
	long n;

	t_start();
	signal(SIGPIPE, on_pipe);
	if (pipe(p) < 0)
		return 1;
	n = vmsplice(p[1], in, 2, 0);
	check(n == 11, "two segments into the pipe", "%ld errno %d", n, errno);
	memset(out, 0, sizeof(out));
	o[0] = (struct iovec){ out, 4 };
	o[1] = (struct iovec){ out + 4, 20 };
	n = vmsplice(p[0], o, 2, 0);
	check(n == 11 && !strcmp(out, "hello world"), "out of it into two segments", "%ld '%s'", n, out);
	n = vmsplice(p[0], o, 2, SPLICE_F_NONBLOCK);
	check(n == -1 && errno == EAGAIN, "an empty pipe, SPLICE_F_NONBLOCK: EAGAIN", "%ld errno %d", n, errno);
	/* A full pipe: it moves what fits (whole pages: Linux keeps page
	 * fragments in its slots), then EAGAIN without waiting. */
	sz = fcntl(p[1], F_GETPIPE_SZ);
	memset(big, 'x', sizeof(big));
	in[0] = (struct iovec){ big, sizeof(big) };
	n = vmsplice(p[1], in, 1, 0);
	check(n == sz, "a write bigger than the pipe moves its size", "%ld, size %d", n, sz);
	n = vmsplice(p[1], in, 1, SPLICE_F_NONBLOCK);
	check(n == -1 && errno == EAGAIN, "a full pipe, SPLICE_F_NONBLOCK: EAGAIN", "%ld errno %d", n, errno);
	o[0] = (struct iovec){ big, 100 };
	n = vmsplice(p[0], o, 1, 0);
	check(n == 100, "a read takes what its segment holds", "%ld", n);
	o[0] = (struct iovec){ big, sizeof(big) };
	n = vmsplice(p[0], o, 1, 0);
	check(n == sz - 100, "then the rest that is there, without waiting", "%ld", n);
	in[0] = (struct iovec){ a, 0 };
	check(vmsplice(p[1], in, 1, 0) == 0, "no bytes: 0", "errno %d", errno);
	check(vmsplice(p[1], in, 0, 0) == 0, "no segments: 0", "errno %d", errno);
	/* Errors. */
	in[0] = (struct iovec){ a, 6 };
	CHECK_ERR(vmsplice(p[1], in, 1, 0x10), EINVAL, "an unknown flag: EINVAL");
	CHECK_ERR(vmsplice(p[1], in, IOV_MAX + 1, 0), EINVAL, "more than IOV_MAX segments: EINVAL");
	CHECK_ERR(vmsplice(p[1], (struct iovec *)8, 1, 0), EFAULT, "a bad iovec array: EFAULT");
	in[0] = (struct iovec){ (void *)8, 6 };
	CHECK_ERR(vmsplice(p[1], in, 1, 0), EFAULT, "a bad segment: EFAULT");
	in[0] = (struct iovec){ a, 6 };
	CHECK_ERR(vmsplice(99, in, 1, 0), EBADF, "a bad fd: EBADF");
	fd = open("/dev/null", O_WRONLY);
	CHECK_ERR(vmsplice(fd, in, 1, 0), EBADF, "not a pipe: EBADF");
	close(fd);
	fd = open("/", O_PATH);
	CHECK_ERR(vmsplice(fd, in, 1, 0), EBADF, "an O_PATH fd: EBADF");
	close(fd);
	/* Ends gone: EOF for the reader, EPIPE and SIGPIPE for the writer. */
	if (pipe(q) < 0)
		return 1;
	close(q[1]);
	o[0] = (struct iovec){ out, 10 };
	n = vmsplice(q[0], o, 1, 0);
	check(n == 0, "no writer left: end of file", "%ld errno %d", n, errno);
	close(q[0]);
	close(p[0]);
	CHECK_ERR(vmsplice(p[1], in, 1, 0), EPIPE, "no reader left: EPIPE");
	check(sigpipes == 1, "and SIGPIPE", "%d", (int)sigpipes);
	return t_done();
}
