/*
 * mmsg.c - sendmmsg and recvmmsg over an AF_UNIX datagram pair: counts,
 * per-message lengths, MSG_DONTWAIT and MSG_WAITFORONE, and the errors
 * (EBADF, ENOTSOCK, EFAULT, EAGAIN).
 */
#include "t.h"
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void fill(struct mmsghdr *m, struct iovec *iov, char (*buf)[16], int n)
{
	memset(m, 0, sizeof(*m) * n);
	for (int i = 0; i < n; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
}

int main(void)
{
	static const char *words[3] = { "one", "three", "seven!" };
	struct mmsghdr out[3], in[5];
	struct iovec oiov[3], iiov[5];
	char obuf[3][16], ibuf[5][16];
	int sv[2], p[2], n;

	t_start();
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), "socketpair");
	fill(out, oiov, obuf, 3);
	for (int i = 0; i < 3; i++) {
		strcpy(obuf[i], words[i]);
		oiov[i].iov_len = strlen(words[i]);
	}
	n = sendmmsg(sv[0], out, 3, 0);
	check(n == 3, "sendmmsg sends three", "%d", n);
	check(out[0].msg_len == 3 && out[1].msg_len == 5 && out[2].msg_len == 6,
	      "sendmmsg sets each msg_len", "%u %u %u", out[0].msg_len, out[1].msg_len, out[2].msg_len);
	fill(in, iiov, ibuf, 5);
	n = recvmmsg(sv[1], in, 5, MSG_DONTWAIT, NULL);
	check(n == 3, "recvmmsg DONTWAIT takes the three queued", "%d", n);
	check(n == 3 && in[0].msg_len == 3 && in[1].msg_len == 5 && in[2].msg_len == 6 &&
	      !memcmp(ibuf[1], "three", 5) && !memcmp(ibuf[2], "seven!", 6),
	      "recvmmsg lengths and bytes", "%u %u %u", in[0].msg_len, in[1].msg_len, in[2].msg_len);
	CHECK_ERR(recvmmsg(sv[1], in, 5, MSG_DONTWAIT, NULL), EAGAIN, "recvmmsg DONTWAIT on nothing");
	n = sendmmsg(sv[0], out, 2, 0);
	check(n == 2, "sendmmsg two", "%d", n);
	fill(in, iiov, ibuf, 5);
	n = recvmmsg(sv[1], in, 5, MSG_WAITFORONE, NULL);
	check(n == 2, "recvmmsg WAITFORONE returns what is there", "%d", n);
	CHECK_ERR(sendmmsg(99, out, 1, 0), EBADF, "sendmmsg bad fd");
	CHECK_ERR(recvmmsg(99, in, 1, 0, NULL), EBADF, "recvmmsg bad fd");
	CHECK_OK(pipe(p), "pipe");
	CHECK_ERR(sendmmsg(p[1], out, 1, 0), ENOTSOCK, "sendmmsg on a pipe");
	CHECK_ERR(sendmmsg(sv[0], (struct mmsghdr *)8, 1, 0), EFAULT, "sendmmsg bad vector");
	n = sendmmsg(sv[0], out, 0, 0);
	check(n == 0, "sendmmsg of no messages", "%d", n);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	return t_done();
}
