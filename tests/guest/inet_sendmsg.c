/*
 * inet_sendmsg.c - sendmsg/recvmsg on TCP and writev/readv: gathering
 * and scattering across iovecs, a zero-length iovec in the middle,
 * msg_namelen 0 on a TCP recvmsg, IOV_MAX+1 iovecs EMSGSIZE, a bad
 * iovec pointer EFAULT, a negative total length EINVAL.
 */
#include "inet.h"
#include <limits.h>
#include <sys/uio.h>

int main(void)
{
	static struct iovec many[IOV_MAX + 1];
	struct iovec out[4], in[3];
	struct sockaddr_in name;
	struct msghdr m;
	char a[] = "scatter", b[] = "-", c2[] = "gather", got[32], x[5], y[4], z[32];
	int c, s;
	ssize_t n;

	net_start();
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	out[0] = (struct iovec){ a, 7 };
	out[1] = (struct iovec){ b, 0 };
	out[2] = (struct iovec){ b, 1 };
	out[3] = (struct iovec){ c2, 6 };
	memset(&m, 0, sizeof(m));
	m.msg_iov = out;
	m.msg_iovlen = 4;
	n = sendmsg(c, &m, 0);
	check(n == 14, "sendmsg gathers 4 iovecs", "%zd", n);
	check(read_full(s, got, 14) == 14 && !memcmp(got, "scatter-gather", 14), "bytes in order", "differ");
	check(writev(c, out, 4) == 14, "writev", "%s", strerror(errno));
	in[0] = (struct iovec){ x, 5 };
	in[1] = (struct iovec){ y, 4 };
	in[2] = (struct iovec){ z, sizeof(z) };
	memset(&m, 0, sizeof(m));
	m.msg_iov = in;
	m.msg_iovlen = 3;
	m.msg_name = &name;
	m.msg_namelen = sizeof(name);
	in[2].iov_len = 5;
	n = recvmsg(s, &m, MSG_WAITALL);
	check(n == 14 && !memcmp(x, "scatt", 5) && !memcmp(y, "er-g", 4) && !memcmp(z, "ather", 5),
	      "recvmsg scatters over 5+4+5", "%zd", n);
	check(m.msg_namelen == 0, "TCP recvmsg leaves no name", "namelen %u", m.msg_namelen);
	for (int i = 0; i < IOV_MAX + 1; i++)
		many[i] = (struct iovec){ a, 1 };
	CHECK_ERR(writev(c, many, IOV_MAX + 1), EINVAL, "writev of IOV_MAX+1: EINVAL");
	memset(&m, 0, sizeof(m));
	m.msg_iov = many;
	m.msg_iovlen = IOV_MAX + 1;
	CHECK_ERR(sendmsg(c, &m, 0), EMSGSIZE, "sendmsg of IOV_MAX+1: EMSGSIZE");
	m.msg_iovlen = IOV_MAX;
	check(sendmsg(c, &m, 0) == IOV_MAX, "IOV_MAX iovecs are fine", "%s", strerror(errno));
	check(read_full(s, z, 1) == 1, "drain", "no");
	m.msg_iov = (struct iovec *)8;
	m.msg_iovlen = 1;
	CHECK_ERR(sendmsg(c, &m, 0), EFAULT, "bad iovec array: EFAULT");
	CHECK_ERR(sendmsg(c, (struct msghdr *)8, 0), EFAULT, "bad msghdr: EFAULT");
	out[0] = (struct iovec){ a, (size_t)-1 };
	m.msg_iov = out;
	CHECK_ERR(sendmsg(c, &m, 0), EINVAL, "negative iov_len: EINVAL");
	close(c);
	close(s);
	return t_done();
}
