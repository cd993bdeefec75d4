/*
 * tty_excl.c - exclusive mode (TIOCEXCL, TIOCNXCL, TIOCGEXCL): once set
 * on a terminal, a further open by an unprivileged process fails with
 * EBUSY while root's still succeeds; TIOCNXCL lifts it; it belongs to
 * the terminal, not the file (seen through another descriptor), and a
 * new pty starts without it.
 */
#include "pty.h"

/* An open of path by user nobody, in a child: 0 or its errno. */
static int open_as_nobody(const char *path)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(200);
		_exit(open(path, O_RDWR | O_NOCTTY) < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

int main(void)
{
	int m, s, s2, v = -1, r;
	char name[64];

	t_start();
	if (pty_setup() < 0)
		printf("# devpts: %s\n", strerror(errno));
	if (geteuid() != 0) {
		skip("TIOCEXCL", "needs root to compare root's and nobody's opens");
		return t_done();
	}
	m = pty_pair(&s, O_RDWR | O_NOCTTY);
	snprintf(name, sizeof(name), "%s", ptsname(m));
	chmod(name, 0666);
	check(ioctl(s, TIOCGEXCL, &v) == 0 && v == 0, "a new pty is not exclusive", "v %d errno %d", v, errno);
	check(open_as_nobody(name) == 0, "nobody opens it", "errno %d", open_as_nobody(name));
	check(ioctl(s, TIOCEXCL) == 0, "TIOCEXCL", "errno %d", errno);
	check(ioctl(s, TIOCGEXCL, &v) == 0 && v == 1, "TIOCGEXCL says so", "v %d", v);
	r = open_as_nobody(name);
	check(r == EBUSY, "nobody's open: EBUSY", "got %d", r);
	s2 = open(name, O_RDWR | O_NOCTTY);
	check(s2 >= 0, "root's open still succeeds", "errno %d", errno);
	check(ioctl(s2, TIOCGEXCL, &v) == 0 && v == 1, "the flag is the terminal's (another fd)", "v %d", v);
	CHECK_ERR(ioctl(s, TIOCGEXCL, (void *)8), EFAULT, "TIOCGEXCL bad pointer: EFAULT");
	check(ioctl(s2, TIOCNXCL) == 0, "TIOCNXCL through the other fd", "errno %d", errno);
	check(ioctl(s, TIOCGEXCL, &v) == 0 && v == 0, "the flag is gone", "v %d", v);
	check(open_as_nobody(name) == 0, "nobody opens it again", "errno %d", open_as_nobody(name));
	CHECK_ERR(ioctl(open("/dev/null", O_RDONLY), TIOCEXCL), ENOTTY, "TIOCEXCL on /dev/null: ENOTTY");
	return t_done();
}
