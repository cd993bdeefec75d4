/*
 * ipc_epoll.c - the new descriptor kinds under epoll and select: an
 * inotify instance and a POSIX message queue wake epoll_wait (level and
 * edge triggered) when a child makes an event or sends a message, and
 * stop being ready once drained; select sees them too.
 */
#include "t.h"
#include <fcntl.h>
#include <mqueue.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(void)
{
	char dir[256], f[300], qname[64], buf[8192] __attribute__((aligned(8)));
	struct mq_attr at = { .mq_maxmsg = 2, .mq_msgsize = 16 };
	struct epoll_event ev, out[4];
	int in, ep, st, n;
	mqd_t q;
	pid_t c;

	t_start();
	t_path(dir, sizeof(dir), "ipc-epoll");
	mkdir(dir, 0755);
	snprintf(f, sizeof(f), "%s/new", dir);
	snprintf(qname, sizeof(qname), "/t-ipc-epoll-%d", getpid());
	in = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(in, dir, IN_CREATE | IN_DELETE);
	q = mq_open(qname, O_RDWR | O_CREAT | O_NONBLOCK, 0600, &at);
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.u32 = 1;
	check(epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev) == 0, "inotify fd added", "errno %d", errno);
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u32 = 2;
	check(epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev) == 0, "queue added, edge triggered", "errno %d", errno);
	check(epoll_wait(ep, out, 4, 0) == 0, "nothing ready", "ready");
	c = fork();
	if (c == 0) {
		mqd_t cq = mq_open(qname, O_WRONLY);

		close(open(f, O_CREAT | O_WRONLY, 0644));
		mq_send(cq, "m1", 3, 0);
		_exit(0);
	}
	waitpid(c, &st, 0);
	n = epoll_wait(ep, out, 4, 5000);
	int seen = 0;
	for (int i = 0; i < n; i++)
		seen |= 1 << out[i].data.u32;
	check(n == 2 && seen == 6, "both ready after the child's file and message", "n %d seen %#x", n, seen);
	n = epoll_wait(ep, out, 4, 0);
	check(n == 1 && out[0].data.u32 == 1, "level triggered inotify stays, edge triggered queue does not",
	      "n %d", n);
	check(read(in, buf, sizeof(buf)) > 0, "drain inotify", "errno %d", errno);
	check(epoll_wait(ep, out, 4, 0) == 0, "drained: nothing ready", "ready");
	mq_send(q, "m2", 3, 0);
	n = epoll_wait(ep, out, 4, 0);
	check(n == 1 && out[0].data.u32 == 2, "a second message: a new edge", "n %d", n);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(in, &rs);
	FD_SET(q, &rs);
	struct timeval tv = { 0, 0 };
	unlink(f);
	check(select((q > in ? q : in) + 1, &rs, NULL, NULL, &tv) == 2 && FD_ISSET(in, &rs) && FD_ISSET(q, &rs),
	      "select sees both", "no");
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_receive(q, buf, sizeof(buf), NULL);
	read(in, buf, sizeof(buf));
	check(epoll_wait(ep, out, 4, 0) == 0, "all drained", "ready");
	close(ep);
	close(in);
	mq_close(q);
	mq_unlink(qname);
	rmdir(dir);
	return t_done();
}
