/*
 * inet_ioctl.c - socket ioctls on TCP: FIONREAD/SIOCINQ count the bytes
 * queued to read, SIOCOUTQ the bytes not yet acknowledged (0 once the
 * peer has them on loopback), FIONBIO switches non-blocking mode,
 * SIOCATMARK is 0 without urgent data, FIONREAD on a listener EINVAL.
 */
#include "inet.h"
#include <linux/sockios.h>
#include <sys/ioctl.h>

int main(void)
{
	struct sockaddr_in a;
	char buf[64];
	int c, s, q, on = 1, l;

	net_start();
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	q = -1;
	CHECK_OK(ioctl(s, FIONREAD, &q), "FIONREAD");
	check(q == 0, "nothing queued", "%d", q);
	write(c, "twelve bytes", 12);
	wait_ev(s, POLLIN, 5000);
	ioctl(s, FIONREAD, &q);
	check(q == 12, "12 queued", "%d", q);
	write(c, "+3!", 3);
	for (int i = 0; i < 100 && (ioctl(s, SIOCINQ, &q), q != 15); i++)
		usleep(10000);
	check(q == 15, "SIOCINQ 15", "%d", q);
	read(s, buf, 5);
	ioctl(s, FIONREAD, &q);
	check(q == 10, "10 after reading 5", "%d", q);
	for (int i = 0; i < 100 && (ioctl(c, SIOCOUTQ, &q), q != 0); i++)
		usleep(10000);
	check(q == 0, "SIOCOUTQ 0 once acknowledged", "%d", q);
	q = -1;
	CHECK_OK(ioctl(s, SIOCATMARK, &q), "SIOCATMARK");
	check(q == 0, "not at the mark", "%d", q);
	CHECK_OK(ioctl(s, FIONBIO, &on), "FIONBIO on");
	check(fcntl(s, F_GETFL) & O_NONBLOCK, "O_NONBLOCK set", "not set");
	read(s, buf, sizeof(buf));
	CHECK_ERR(read(s, buf, sizeof(buf)), EAGAIN, "non-blocking read: EAGAIN");
	on = 0;
	ioctl(s, FIONBIO, &on);
	check(!(fcntl(s, F_GETFL) & O_NONBLOCK), "FIONBIO off", "still set");
	l = listener4(&a, 1);
	CHECK_ERR(ioctl(l, FIONREAD, &q), EINVAL, "FIONREAD on a listener");
	CHECK_ERR(ioctl(s, FIONREAD, (int *)8), EFAULT, "FIONREAD bad pointer");
	close(l);
	close(c);
	close(s);
	return t_done();
}
