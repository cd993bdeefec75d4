/*
 * inet_wake.c - sleepers on TCP sockets woken by another thread:
 * shutdown(SHUT_RD) wakes a blocked recv with 0, shutdown of a listener
 * wakes a blocked accept with EINVAL, data from the peer wakes a
 * blocked recv, a signal interrupts a blocked recv with EINTR (no
 * SA_RESTART) or restarts it (SA_RESTART).
 */
#include "inet.h"
#include <pthread.h>

static int fd;
static volatile ssize_t result;
static volatile int err;

static void *do_recv(void *arg)
{
	char buf[16];

	(void)arg;
	errno = 0;
	result = recv(fd, buf, sizeof(buf), 0);
	err = errno;
	return NULL;
}

static void *do_accept(void *arg)
{
	(void)arg;
	errno = 0;
	result = accept(fd, NULL, NULL);
	err = errno;
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Runs fn in a thread, lets it block, does poke(), joins. */
static void blocked(void *(*fn)(void *), void (*poke)(void))
{
	pthread_t t;

	result = -2;
	pthread_create(&t, NULL, fn, NULL);
	usleep(100000);
	poke();
	pthread_join(t, NULL);
}

static int peer;
static void poke_shut_rd(void) { shutdown(fd, SHUT_RD); }
static void poke_shut_rdwr(void) { shutdown(fd, SHUT_RDWR); }
static void poke_data(void) { write(peer, "data", 4); }

int main(void)
{
	struct sockaddr_in a;
	struct sigaction sa;
	int c, s;
	pthread_t t;

	net_start();
	check(tcp_pair(&c, &s) == 0, "connected pair", "%s", strerror(errno));
	fd = s;
	peer = c;
	blocked(do_recv, poke_data);
	check(result == 4, "data wakes a blocked recv", "%zd %s", result, strerror(err));
	blocked(do_recv, poke_shut_rd);
	check(result == 0, "shutdown(SHUT_RD) wakes it with 0", "%zd %s", result, strerror(err));
	close(c);
	close(s);

	fd = listener4(&a, 1);
	blocked(do_accept, poke_shut_rdwr);
	check(result == -1 && err == EINVAL, "shutdown of a listener wakes accept: EINVAL", "%zd %s", result,
	      strerror(err));
	close(fd);

	check(tcp_pair(&c, &s) == 0, "another pair", "%s", strerror(errno));
	fd = s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	result = -2;
	pthread_create(&t, NULL, do_recv, NULL);
	/* Until it returns: a signal that came before recv slept is just handled. */
	for (int i = 0; i < 200 && result == -2; i++) {
		usleep(100000);
		if (result == -2)
			pthread_kill(t, SIGUSR1);
	}
	pthread_join(t, NULL);
	check(result == -1 && err == EINTR, "a signal without SA_RESTART: EINTR", "%zd %s", result, strerror(err));
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	result = -2;
	pthread_create(&t, NULL, do_recv, NULL);
	for (int i = 0; i < 3; i++) {
		usleep(50000);
		pthread_kill(t, SIGUSR1);
	}
	usleep(50000);
	write(c, "after", 5);
	pthread_join(t, NULL);
	check(result == 5, "with SA_RESTART the recv goes on and gets the data", "%zd %s", result, strerror(err));
	close(c);
	close(s);
	return t_done();
}
