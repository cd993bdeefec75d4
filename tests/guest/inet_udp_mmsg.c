/*
 * inet_udp_mmsg.c - sendmmsg and recvmmsg on UDP: several datagrams in
 * one call each way, to per-message addresses, with per-message lengths
 * and sender addresses; vlen beyond what is queued with MSG_DONTWAIT;
 * MSG_WAITFORONE; a bad message in the middle stops the batch.
 */
#include "inet.h"

#define N 6

int main(void)
{
	struct sockaddr_in r1, r2, src, from[N];
	struct mmsghdr out[N], in[N];
	struct iovec oiov[N], iiov[N];
	char obuf[N][32], ibuf[N][32];
	int a, b, s, n, ok;

	net_start();
	a = bound4(SOCK_DGRAM, &r1);
	b = bound4(SOCK_DGRAM, &r2);
	s = bound4(SOCK_DGRAM, &src);
	memset(out, 0, sizeof(out));
	for (int i = 0; i < N; i++) {
		snprintf(obuf[i], sizeof(obuf[i]), "message %d%.*s", i, i, "xxxxxx");
		oiov[i].iov_base = obuf[i];
		oiov[i].iov_len = strlen(obuf[i]);
		out[i].msg_hdr.msg_iov = &oiov[i];
		out[i].msg_hdr.msg_iovlen = 1;
		out[i].msg_hdr.msg_name = i % 2 ? &r2 : &r1;
		out[i].msg_hdr.msg_namelen = sizeof(r1);
	}
	n = sendmmsg(s, out, N, 0);
	check(n == N, "sendmmsg sends six to two addresses", "%d %s", n, strerror(errno));
	ok = 1;
	for (int i = 0; i < N; i++)
		ok &= out[i].msg_len == strlen(obuf[i]);
	check(ok, "each msg_len set", "differs");
	memset(in, 0, sizeof(in));
	for (int i = 0; i < N; i++) {
		iiov[i].iov_base = ibuf[i];
		iiov[i].iov_len = sizeof(ibuf[i]);
		in[i].msg_hdr.msg_iov = &iiov[i];
		in[i].msg_hdr.msg_iovlen = 1;
		in[i].msg_hdr.msg_name = &from[i];
		in[i].msg_hdr.msg_namelen = sizeof(from[i]);
	}
	wait_ev(a, POLLIN, 5000);
	n = recvmmsg(a, in, N, MSG_DONTWAIT, NULL);
	check(n == 3, "recvmmsg DONTWAIT takes the three for r1", "%d", n);
	ok = n == 3;
	for (int i = 0; i < n && i < 3; i++)
		ok &= in[i].msg_len == strlen(obuf[2 * i]) && !memcmp(ibuf[i], obuf[2 * i], in[i].msg_len) &&
		      from[i].sin_port == src.sin_port && in[i].msg_hdr.msg_namelen == sizeof(from[i]);
	check(ok, "lengths, bytes and senders", "differ");
	n = recvmmsg(b, in, N, MSG_WAITFORONE, NULL);
	check(n >= 1 && n <= 3, "recvmmsg WAITFORONE on r2", "%d", n);
	while (n < 3) {
		int m = recvmmsg(b, in, N, MSG_WAITFORONE, NULL);

		if (m <= 0)
			break;
		n += m;
	}
	check(n == 3, "r2 got its three", "%d", n);
	out[2].msg_hdr.msg_iov = (struct iovec *)8;
	n = sendmmsg(s, out, N, 0);
	check(n == 2, "a bad iovec in the third message: two sent", "%d %s", n, strerror(errno));
	CHECK_ERR(sendmmsg(s, out + 2, 1, 0), EFAULT, "the bad one alone: EFAULT");
	close(a);
	close(b);
	close(s);
	return t_done();
}
