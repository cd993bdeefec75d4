/*
 * mconsole.c - host half of the management console (shared/mconsole.h).
 *
 * The umid directory uml_dir/umid holds what UML's tools look for: a
 * file "pid" with our pid and the unix datagram socket "mconsole".  A
 * receiver thread, every signal blocked, takes datagrams off the socket
 * into a FIFO and raises OS_IRQ_MCONSOLE; the kernel half drains the
 * FIFO from its own thread and answers each request with
 * os_mconsole_reply, which sends to the address the request came from
 * (uml_mconsole binds an abstract name).  os_umid_remove runs on every
 * exit path, the fatal one included, so it only calls unlink and rmdir.
 */
/* Paths are cut at their buffers on purpose; the lengths that matter are checked. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "shared/os.h"
#include "shared/mconsole.h"

struct mc_host_req {
	struct mc_request r;		/* first: the kernel's view */
	struct sockaddr_un from;
	socklen_t fromlen;
	struct mc_host_req *next;
};

static char umid_dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
static char sock_path[sizeof(umid_dir)], pid_path[sizeof(umid_dir)];
static int sock_fd = -1;
static pthread_mutex_t mc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mc_host_req *q_head, *q_tail;

/* The pid in dir/pid, or 0 when there is none readable. */
static pid_t read_pid(const char *dir)
{
	char path[PATH_MAX], buf[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/pid", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10);
}

/* Whether dir belongs to a running instance other than this process. */
static int umid_in_use(const char *dir)
{
	pid_t pid = read_pid(dir);

	if (pid <= 0 || pid == getpid())
		return 0;
	return kill(pid, 0) == 0 || errno == EPERM;
}

/* Empties and removes a stale umid directory (its files are ours: flat). */
static int remove_stale(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(dir) < 0 ? -errno : 0;
}

static int make_umid_dir(const char *base, char *umid, int size, char *msg, int msglen)
{
	char dir[PATH_MAX];

	if (!*umid) {
		snprintf(dir, sizeof(dir), "%s/XXXXXX", base);
		if (!mkdtemp(dir)) {
			snprintf(msg, msglen, "cannot make a umid directory in %s: %s",
				 base, strerror(errno));
			return -errno;
		}
		snprintf(umid, size, "%s", strrchr(dir, '/') + 1);
	} else {
		snprintf(dir, sizeof(dir), "%s/%s", base, umid);
		if (mkdir(dir, 0777) < 0 && errno == EEXIST) {
			if (umid_in_use(dir)) {
				snprintf(msg, msglen, "umid '%s' is in use by pid %d",
					 umid, (int)read_pid(dir));
				return -EEXIST;
			}
			remove_stale(dir);
			mkdir(dir, 0777);
		}
	}
	if (strlen(dir) + sizeof("/mconsole") > sizeof(umid_dir)) {
		snprintf(msg, msglen, "%s: too long for a socket path", dir);
		rmdir(dir);
		return -ENAMETOOLONG;
	}
	snprintf(umid_dir, sizeof(umid_dir), "%s", dir);
	return 0;
}

static int write_pid_file(char *msg, int msglen)
{
	char buf[32];
	int fd, n;

	snprintf(pid_path, sizeof(pid_path), "%s/pid", umid_dir);
	fd = open(pid_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(msg, msglen, "cannot create %s: %s", pid_path, strerror(errno));
		pid_path[0] = '\0';
		return -errno;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	os_write_all(fd, buf, n);
	close(fd);
	return 0;
}

int os_umid_setup(const char *uml_dir, char *umid, int size, char *msg, int msglen)
{
	char base[PATH_MAX];
	const char *home = getenv("HOME");
	int err;

	if (uml_dir) {
		snprintf(base, sizeof(base), "%s", uml_dir);
	} else if (home && *home) {
		snprintf(base, sizeof(base), "%s/.uml", home);
	} else {
		snprintf(msg, msglen, "no uml_dir= given and HOME is not set");
		return -ENOENT;
	}
	if (mkdir(base, 0777) < 0 && errno != EEXIST) {
		err = -errno;
		snprintf(msg, msglen, "cannot create %s: %s", base, strerror(errno));
		return err;
	}
	err = make_umid_dir(base, umid, size, msg, msglen);
	if (err)
		return err;
	err = write_pid_file(msg, msglen);
	if (err)
		os_umid_remove();
	return err;
}

static void *mc_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct mc_host_req *n = calloc(1, sizeof(*n));
		ssize_t len;

		if (!n)
			return NULL;
		n->fromlen = sizeof(n->from);
		len = recvfrom(sock_fd, n->r.buf, sizeof(n->r.buf), 0,
			       (struct sockaddr *)&n->from, &n->fromlen);
		if (len < 0) {
			free(n);
			if (errno == EINTR || errno == ENOMEM || errno == ENOBUFS)
				continue;
			return NULL;
		}
		n->r.len = (uint32_t)len;
		pthread_mutex_lock(&mc_lock);
		if (q_tail)
			q_tail->next = n;
		else
			q_head = n;
		q_tail = n;
		pthread_mutex_unlock(&mc_lock);
		os_raise_irq(OS_IRQ_MCONSOLE);
	}
}

int os_mconsole_start(char *path, int pathlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	sigset_t all, old;
	pthread_t th;
	int fd, err;

	if (!umid_dir[0])
		return -ENOENT;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/mconsole", umid_dir);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(sun.sun_path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	snprintf(sock_path, sizeof(sock_path), "%s", sun.sun_path);
	sock_fd = fd;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&th, NULL, mc_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		close(fd);
		sock_fd = -1;
		unlink(sock_path);
		sock_path[0] = '\0';
		return -err;
	}
	pthread_detach(th);
	snprintf(path, pathlen, "%s", sock_path);
	return 0;
}

int os_mconsole_get(struct mc_request **req)
{
	struct mc_host_req *n;

	pthread_mutex_lock(&mc_lock);
	n = q_head;
	if (n) {
		q_head = n->next;
		if (!q_head)
			q_tail = NULL;
	}
	pthread_mutex_unlock(&mc_lock);
	if (!n)
		return -EAGAIN;
	*req = &n->r;
	return 0;
}

int os_mconsole_reply(struct mc_request *req, int err, const char *text, uint64_t len,
		      int final)
{
	struct mc_host_req *n = (struct mc_host_req *)req;
	struct mconsole_reply r;

	do {
		uint64_t chunk = len < MCONSOLE_MAX_DATA - 1 ? len : MCONSOLE_MAX_DATA - 1;

		r.err = (uint32_t)err;
		r.len = (uint32_t)chunk;
		r.more = (chunk < len || !final);
		memcpy(r.data, text, chunk);
		r.data[chunk] = '\0';
		text += chunk;
		len -= chunk;
		/* A client that went away is no error of ours. */
		while (sendto(sock_fd, &r, offsetof(struct mconsole_reply, data) + chunk + 1,
			      0, (struct sockaddr *)&n->from, n->fromlen) < 0) {
			if (errno != EINTR)
				return -errno;
		}
	} while (len);
	return 0;
}

void os_mconsole_free(struct mc_request *req)
{
	free(req);
}

void os_umid_remove(void)
{
	if (sock_path[0])
		unlink(sock_path);
	if (pid_path[0])
		unlink(pid_path);
	if (umid_dir[0])
		rmdir(umid_dir);
	sock_path[0] = pid_path[0] = umid_dir[0] = '\0';
}
