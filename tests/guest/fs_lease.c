/*
 * fs_lease.c - file leases (fcntl F_SETLEASE/F_GETLEASE): who may take
 * which lease (the owner, a regular file, no conflicting opens), the
 * break an open causes (the holder's F_SETSIG signal with POLL_MSG and
 * si_fd, O_NONBLOCK's EWOULDBLOCK, the opener waiting until the holder
 * gives way, a read open only lowering a write lease to a read lease),
 * /proc/locks' LEASE lines, truncate(2) breaking too, close dropping the
 * lease, and /proc/sys/fs/lease-break-time ending an ignored break.
 * Runs as root (natively too), so a setuid child plays the non-owner.
 */
#include "t.h"
#include "fs.h"
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_sig, got_code, got_fd;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	got_sig = sig;
	got_code = si->si_code;
	got_fd = si->si_fd;
}

/* Our lease line in /proc/locks ("LEASE  ACTIVE    READ "...), or "". */
static const char *lease_line(void)
{
	static char line[256], want[32];
	FILE *f = fopen("/proc/locks", "r");
	char *hit = NULL;

	snprintf(want, sizeof(want), " %d ", getpid());
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "LEASE") && strstr(line, want)) {
			hit = strchr(line, ' ');
			break;
		}
	if (f)
		fclose(f);
	if (hit == NULL)
		return "";
	*strstr(hit, want) = 0;		/* " LEASE  ACTIVE    READ " up to the pid */
	for (char *e = hit + strlen(hit); e > hit && e[-1] == ' '; )
		*--e = 0;
	return hit + 1;
}

/* Waits up to 10 s for the break signal. */
static int wait_sig(void)
{
	for (int i = 0; i < 1000 && !got_sig; i++)
		usleep(10000);
	return got_sig;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };
	char old_time[32] = "45\n";
	int fd, fd2, p[2], st;
	pid_t c;

	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	fs_scratch("fs_lease");
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGIO, &sa, NULL);	/* a break without F_SETSIG: SIGIO would kill */
	fs_put("f", "lease me");
	mkdir("d", 0755);
	fd = open("d", O_RDONLY);
	CHECK_ERR(fcntl(fd, F_SETLEASE, F_RDLCK), EINVAL, "lease on a directory");
	close(fd);
	pipe(p);
	CHECK_ERR(fcntl(p[0], F_SETLEASE, F_RDLCK), EINVAL, "lease on a pipe");
	close(p[0]);
	close(p[1]);
	fd = open("f", O_RDONLY);
	CHECK_ERR(fcntl(fd, F_SETLEASE, 7), EINVAL, "unknown lease type");
	check(fcntl(fd, F_GETLEASE) == F_UNLCK, "no lease: F_UNLCK", "got %d", fcntl(fd, F_GETLEASE));
	CHECK_ERR(fcntl(fd, F_SETLEASE, F_UNLCK), EAGAIN, "F_UNLCK without a lease");
	fd2 = open("f", O_WRONLY);
	CHECK_ERR(fcntl(fd, F_SETLEASE, F_RDLCK), EAGAIN, "read lease while open for writing");
	close(fd2);
	CHECK_OK(fcntl(fd, F_SETLEASE, F_RDLCK), "read lease");
	check(fcntl(fd, F_GETLEASE) == F_RDLCK, "F_GETLEASE F_RDLCK", "got %d", fcntl(fd, F_GETLEASE));
	check(fcntl(fd, F_GETOWN) == getpid(), "F_SETLEASE made us the owner", "owner %d", fcntl(fd, F_GETOWN));
	check(!strcmp(lease_line(), "LEASE  ACTIVE    READ"), "/proc/locks LEASE line", "got '%s'", lease_line());
	fd2 = open("f", O_RDONLY);
	check(fd2 >= 0, "a read open does not break a read lease", "errno %d", errno);
	close(fd2);
	CHECK_OK(fcntl(fd, F_SETLEASE, F_WRLCK), "upgrade to a write lease: ours is the only open");
	CHECK_OK(fcntl(fd, F_SETLEASE, F_RDLCK), "and down again");
	if ((c = fork()) == 0) {
		setuid(65534);
		_exit(fcntl(fd, F_SETLEASE, F_UNLCK) == -1 && errno == EACCES ? 0 : 1);
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a non-owner gets EACCES", "status %x", st);
	CHECK_OK(fcntl(fd, F_SETLEASE, F_UNLCK), "F_UNLCK");
	check(!strcmp(lease_line(), ""), "line gone", "got '%s'", lease_line());
	close(fd);

	/* A write lease broken by a read open: lowered to a read lease (the
	 * holder's fd is read-only: a writable one counts as a writer, and a
	 * read lease could not be had on it). */
	fd = open("f", O_RDONLY);
	fd2 = open("f", O_RDONLY);
	CHECK_ERR(fcntl(fd, F_SETLEASE, F_WRLCK), EAGAIN, "write lease with another open");
	close(fd2);
	CHECK_OK(fcntl(fd, F_SETSIG, SIGUSR1), "F_SETSIG");
	CHECK_OK(fcntl(fd, F_SETLEASE, F_WRLCK), "write lease");
	check(!strcmp(lease_line(), "LEASE  ACTIVE    WRITE"), "ACTIVE WRITE", "got '%s'", lease_line());
	got_sig = 0;
	if ((c = fork()) == 0) {
		int r = open("f", O_RDONLY | O_NONBLOCK);

		_exit(r == -1 && errno == EWOULDBLOCK ? 0 : 1);
	}
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "O_NONBLOCK opener: EWOULDBLOCK", "status %x", st);
	check(wait_sig() == SIGUSR1 && got_code == POLL_MSG && got_fd == fd, "holder signalled",
	      "sig %d code %d fd %d", got_sig, got_code, got_fd);
	check(fcntl(fd, F_GETLEASE) == F_RDLCK, "F_GETLEASE shows the target", "got %d", fcntl(fd, F_GETLEASE));
	check(!strcmp(lease_line(), "LEASE  BREAKING  READ"), "BREAKING READ", "got '%s'", lease_line());
	got_sig = 0;
	if ((c = fork()) == 0) {
		int r = open("f", O_RDONLY);

		_exit(r >= 0 ? 0 : 1);
	}
	wait_sig();
	usleep(100000);
	check(waitpid(c, &st, WNOHANG) == 0, "the opener waits", "it did not");
	CHECK_OK(fcntl(fd, F_SETLEASE, F_RDLCK), "holder gives way to a read lease");
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the read open went through", "status %x", st);
	check(fcntl(fd, F_GETLEASE) == F_RDLCK, "a read lease remains", "got %d", fcntl(fd, F_GETLEASE));
	check(!strcmp(lease_line(), "LEASE  ACTIVE    READ"), "ACTIVE READ again", "got '%s'", lease_line());

	/* truncate(2) breaks the read lease entirely. */
	got_sig = 0;
	if ((c = fork()) == 0)
		_exit(truncate("f", 2) == 0 ? 0 : 1);
	check(wait_sig() == SIGUSR1, "truncate breaks it", "no signal");
	check(fcntl(fd, F_GETLEASE) == F_UNLCK, "target F_UNLCK", "got %d", fcntl(fd, F_GETLEASE));
	CHECK_OK(fcntl(fd, F_SETLEASE, F_UNLCK), "holder lets go");
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && fs_size("f") == 2, "truncate went through",
	      "status %x size %ld", st, fs_size("f"));
	close(fd);
	fd = open("f", O_RDWR);
	CHECK_ERR(fcntl(fd, F_SETLEASE, F_RDLCK), EAGAIN, "no read lease on a writable fd (it is a writer)");
	close(fd);
	fd = open("f", O_RDONLY);
	CHECK_OK(fcntl(fd, F_SETLEASE, F_RDLCK), "read lease");
	close(fd);
	fd = open("f", O_WRONLY | O_NONBLOCK);
	check(fd >= 0, "close dropped the lease", "errno %d", errno);
	close(fd);

	/* lease-break-time: an ignored break ends after it. */
	fd2 = open("/proc/sys/fs/lease-break-time", O_RDONLY);
	if (fd2 >= 0) {
		ssize_t n = read(fd2, old_time, sizeof(old_time) - 1);

		old_time[n > 0 ? n : 0] = 0;
		close(fd2);
	}
	check(atoi(old_time) > 0, "lease-break-time readable", "got %s", old_time);
	fd2 = open("/proc/sys/fs/lease-break-time", O_WRONLY);
	check(fd2 >= 0 && write(fd2, "1\n", 2) == 2, "lease-break-time writable", "errno %d", errno);
	close(fd2);
	fd = open("f", O_RDONLY);
	CHECK_OK(fcntl(fd, F_SETLEASE, F_RDLCK), "read lease to ignore");
	if ((c = fork()) == 0)
		_exit(open("f", O_WRONLY) >= 0 ? 0 : 1);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer got in after the break time", "status %x", st);
	check(fcntl(fd, F_GETLEASE) == F_UNLCK, "the lease was taken away", "got %d", fcntl(fd, F_GETLEASE));
	close(fd);
	fd2 = open("/proc/sys/fs/lease-break-time", O_WRONLY);
	write(fd2, old_time, strlen(old_time));
	close(fd2);
	return t_done();
}
