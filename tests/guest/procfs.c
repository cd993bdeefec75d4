/*
 * procfs.c - /proc: the self link, /proc/<pid> files (stat, status,
 * cmdline, environ, exe, cwd, fd/), /proc/mounts and the machine-wide
 * files.  Natively it reads the host's /proc, so it checks shapes and
 * relations to what the process knows (its pid, argv, fds), never
 * values.  As init inside ./linux nothing is mounted yet: it mounts
 * proc itself (only when it is pid 1, never natively).
 */
#include "t.h"
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

extern char **environ;

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Reads a whole file (up to size - 1 bytes) through small reads; its length or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len < size - 1 && (n = read(fd, buf + len, min_sz(7, size - 1 - len))) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void check_self(void)
{
	char buf[4096], want[32];
	ssize_t n;

	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	check(!strcmp(buf, want), "/proc/self -> getpid()", "got '%s' want '%s'", buf, want);
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(buf[0] == '/' && ends(buf, "/procfs"), "/proc/self/exe is our binary", "got '%s'", buf);
	n = readlink("/proc/mounts", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(!strcmp(buf, "self/mounts"), "/proc/mounts -> self/mounts", "got '%s'", buf);
}

static void check_stat(void)
{
	char buf[4096], comm[64], state = 0;
	int pid = 0, ppid = 0;
	unsigned long long vsize = 0;
	long rss = -1;

	check(slurp("/proc/self/stat", buf, sizeof(buf)) > 0, "read /proc/self/stat", "failed");
	check(sscanf(buf, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid) == 4,
	      "stat parses", "got '%s'", buf);
	check(pid == getpid(), "stat pid", "got %d", pid);
	check(!strcmp(comm, "procfs"), "stat comm", "got '%s'", comm);
	check(state == 'R', "stat state R", "got %c", state);
	check(ppid == getppid(), "stat ppid", "got %d want %d", ppid, getppid());
	const char *p = buf;
	for (int i = 0; i < 22 && p; i++)	/* field 23 is vsize */
		p = strchr(p + 1, ' ');
	check(p && sscanf(p, " %llu %ld", &vsize, &rss) == 2 && vsize > 0 && rss > 0,
	      "stat vsize and rss", "got '%s'", p ? p : "(short)");
	int fields = 2;	/* pid, comm, then one per space */
	for (p = strchr(buf, ')'); p && *p; p++)
		fields += *p == ' ';
	check(fields >= 52, "stat has 52 fields", "got %d", fields);
}

static void check_status(void)
{
	char buf[4096], want[64];

	check(slurp("/proc/self/status", buf, sizeof(buf)) > 0, "read /proc/self/status", "failed");
	check(starts(buf, "Name:\tprocfs\n"), "status Name", "got '%.40s'", buf);
	check(strstr(buf, "\nState:\tR (running)\n") != NULL, "status State", "missing");
	snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
	check(strstr(buf, want) != NULL, "status Pid", "missing %s", want + 1);
	snprintf(want, sizeof(want), "\nPPid:\t%d\n", getppid());
	check(strstr(buf, want) != NULL, "status PPid", "missing");
	snprintf(want, sizeof(want), "\nUid:\t%d\t%d\t", getuid(), geteuid());
	check(strstr(buf, want) != NULL, "status Uid", "missing");
	check(strstr(buf, "\nVmRSS:") != NULL, "status VmRSS", "missing");
	check(slurp("/proc/self/comm", buf, sizeof(buf)) > 0 && !strcmp(buf, "procfs\n"),
	      "comm", "got '%s'", buf);
}

/* /proc/self/cmdline is argv, NUL separated; environ is the initial environment. */
static void check_cmdline(char **argv, char **envp)
{
	char buf[65536], want[65536];
	size_t wl = 0;
	long n;

	for (int i = 0; argv[i]; i++) {
		memcpy(want + wl, argv[i], strlen(argv[i]) + 1);
		wl += strlen(argv[i]) + 1;
	}
	n = slurp("/proc/self/cmdline", buf, sizeof(buf));
	check(n == (long)wl && !memcmp(buf, want, wl), "cmdline is argv", "got %ld bytes", n);
	wl = 0;
	for (int i = 0; envp[i] && wl + strlen(envp[i]) + 1 < sizeof(want); i++) {
		memcpy(want + wl, envp[i], strlen(envp[i]) + 1);
		wl += strlen(envp[i]) + 1;
	}
	n = slurp("/proc/self/environ", buf, sizeof(buf));
	check(n == (long)wl && !memcmp(buf, want, wl), "environ is envp", "got %ld bytes want %zu",
	      n, wl);
}

static void check_mounts(void)
{
	static char a[65536], b[65536];
	char dev[256], dir[256], type[64], opts[256];
	int root = 0, lines = 0, good = 0, f1, f2;

	check(slurp("/proc/mounts", a, sizeof(a)) > 0, "read /proc/mounts", "failed");
	slurp("/proc/self/mounts", b, sizeof(b));
	check(!strcmp(a, b), "/proc/self/mounts is /proc/mounts", "differ");
	for (char *l = strtok(a, "\n"); l; l = strtok(NULL, "\n")) {
		lines++;
		if (sscanf(l, "%255s %255s %63s %255s %d %d", dev, dir, type, opts, &f1, &f2) == 6 &&
		    (starts(opts, "rw") || starts(opts, "ro")) && f1 == 0 && f2 == 0)
			good++;
		root += !strcmp(dir, "/");
	}
	check(lines > 0 && good == lines, "mounts lines have 6 fields", "%d of %d", good, lines);
	check(root > 0, "mounts has /", "no");
	check(strstr(b, " /proc proc ") != NULL, "mounts has /proc", "no");
}

static int is_num(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void check_fds(void)
{
	char path[512], real[4096], buf[4096], want[64];
	int fd, p[2], listed = 0, open_fds = 0, bad = 0;
	struct stat st;
	ssize_t n;

	t_path(path, sizeof(path), "procfs-file");
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	check(fd >= 0 && realpath(path, real) != NULL, "open a file", "failed");
	snprintf(want, sizeof(want), "/proc/self/fd/%d", fd);
	n = readlink(want, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(!strcmp(buf, real), "fd link is the file's path", "got '%s' want '%s'", buf, real);
	check(pipe(p) == 0 && fstat(p[0], &st) == 0, "pipe", "failed");
	snprintf(want, sizeof(want), "/proc/self/fd/%d", p[1]);
	n = readlink(want, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	check(!strcmp(buf, want), "pipe fd link", "got '%s' want '%s'", buf, want);
	check(lstat("/proc/self/fd/0", &st) == 0 && S_ISLNK(st.st_mode), "fd entries are links",
	      "not");
	DIR *d = opendir("/proc/self/fd");
	check(d != NULL, "opendir /proc/self/fd", "failed");
	if (d) {	/* ls -l /proc/self/fd reads the link of its own directory fd */
		char dl[64];
		ssize_t n;

		snprintf(want, sizeof(want), "/proc/self/fd/%d", dirfd(d));
		snprintf(dl, sizeof(dl), "/proc/%d/fd", (int)getpid());
		n = readlink(want, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		check(n > 0 && !strcmp(buf, dl), "directory fd link (/proc/self/fd itself)",
		      "got '%s' want /proc/<pid>/fd", n > 0 ? buf : strerror(errno));
		int dfd = open(t_tmpdir(), O_RDONLY | O_DIRECTORY);
		snprintf(want, sizeof(want), "/proc/self/fd/%d", dfd);
		n = readlink(want, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		check(n > 0 && realpath(t_tmpdir(), real) && !strcmp(buf, real), "directory fd link",
		      "got '%s'", n > 0 ? buf : strerror(errno));
		close(dfd);
	}
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		listed++;
		bad += !is_num(e->d_name) || fcntl(atoi(e->d_name), F_GETFD) < 0;
	}
	for (int i = 0; i < 1024; i++)
		open_fds += fcntl(i, F_GETFD) >= 0;
	if (d)
		closedir(d);
	check(bad == 0 && listed == open_fds, "fd/ lists the open fds", "%d listed, %d open, %d bad",
	      listed, open_fds, bad);
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink(path);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", p[0]);
	check(readlink(buf, real, sizeof(real)) < 0, "closed fd has no link", "has one");
}

static void check_cwd(void)
{
	char buf[4096], cwd[4096];
	ssize_t n;

	check(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd", "failed");
	n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(!strcmp(buf, cwd), "cwd link", "got '%s' want '%s'", buf, cwd);
	n = readlink("/proc/self/root", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(!strcmp(buf, "/"), "root link", "got '%s'", buf);
}

static void check_listing(void)
{
	char me[32];
	int self = 0, mine = 0, dirs = 0, pids = 0;
	struct stat st;
	DIR *d = opendir("/proc");

	snprintf(me, sizeof(me), "%d", getpid());
	check(d != NULL, "opendir /proc", "failed");
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		self += !strcmp(e->d_name, "self");
		mine += !strcmp(e->d_name, me);
		if (!is_num(e->d_name))
			continue;
		pids++;
		dirs += e->d_type == DT_DIR;
	}
	if (d)
		closedir(d);
	check(self == 1 && mine == 1, "/proc lists self and our pid", "self %d pid %d", self, mine);
	check(pids > 0 && dirs == pids, "pid entries are directories", "%d of %d", dirs, pids);
	check(stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid(),
	      "/proc/self is our directory", "no");
	check(stat("/proc/meminfo", &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0444,
	      "/proc/meminfo is 0444", "mode %o", st.st_mode);
}

static void check_machine(void)
{
	char buf[16384], name[64];
	unsigned long kb = 0;
	double up = -1, idle = -1, l1, l2, l3;
	int run, tot, last;
	struct utsname u;

	check(slurp("/proc/meminfo", buf, sizeof(buf)) > 0 &&
	      sscanf(buf, "%63s %lu kB", name, &kb) == 2 && !strcmp(name, "MemTotal:") && kb > 0,
	      "meminfo MemTotal", "got '%.40s'", buf);
	check(strstr(buf, "\nMemFree:") && strstr(buf, "\nMemAvailable:") &&
	      strstr(buf, "\nSwapTotal:"), "meminfo fields", "missing");
	check(slurp("/proc/uptime", buf, sizeof(buf)) > 0 &&
	      sscanf(buf, "%lf %lf", &up, &idle) == 2 && up >= 0 && idle >= 0, "uptime", "got '%s'", buf);
	check(slurp("/proc/loadavg", buf, sizeof(buf)) > 0 &&
	      sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l2, &l3, &run, &tot, &last) == 6 &&
	      run >= 1 && tot >= run, "loadavg", "got '%s'", buf);
	check(slurp("/proc/version", buf, sizeof(buf)) > 0 && starts(buf, "Linux version "),
	      "version", "got '%s'", buf);
	check(slurp("/proc/filesystems", buf, sizeof(buf)) > 0 && strstr(buf, "nodev\tproc\n"),
	      "filesystems has proc", "no");
	check(slurp("/proc/cmdline", buf, sizeof(buf)) > 0 && ends(buf, "\n"), "cmdline", "no");
	check(slurp("/proc/stat", buf, sizeof(buf)) > 0 && starts(buf, "cpu  ") &&
	      strstr(buf, "\nbtime ") && strstr(buf, "\nprocesses "), "stat", "got '%.40s'", buf);
	check(slurp("/proc/cpuinfo", buf, sizeof(buf)) > 0 && starts(buf, "processor\t: 0\n"),
	      "cpuinfo", "got '%.40s'", buf);
	uname(&u);
	check(slurp("/proc/sys/kernel/osrelease", buf, sizeof(buf)) > 0 &&
	      !strncmp(buf, u.release, strlen(u.release)), "osrelease is uname", "got '%s'", buf);
	check(slurp("/proc/sys/kernel/hostname", buf, sizeof(buf)) > 0 &&
	      !strncmp(buf, u.nodename, strlen(u.nodename)), "hostname is uname", "got '%s'", buf);
	int fd = open("/proc/meminfo", O_WRONLY);	/* root may open it */
	if (fd >= 0) {
		CHECK_ERR(write(fd, "x", 1), EIO, "write /proc/meminfo");
		close(fd);
	} else {
		check(errno == EACCES, "write /proc/meminfo", "errno %d", errno);
	}
}

/* A child's directory: its state while it sleeps, then gone once reaped. */
static void check_child(void)
{
	char path[64], buf[4096], state = 0;
	int p[2], cpid = 0, ppid = 0;
	pid_t pid;

	if (pipe(p) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], buf, 1);	/* sleeps until the parent closes */
		_exit(3);
	}
	close(p[0]);
	usleep(100000);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	slurp(path, buf, sizeof(buf));
	check(sscanf(buf, "%d (%*[^)]) %c %d", &cpid, &state, &ppid) == 3 && cpid == pid &&
	      state == 'S' && ppid == getpid(), "child stat: sleeping, our child", "got '%.60s'", buf);
	close(p[1]);
	usleep(100000);
	slurp(path, buf, sizeof(buf));
	check(sscanf(buf, "%*d (%*[^)]) %c", &state) == 1 && state == 'Z', "child zombie", "got '%.60s'",
	      buf);
	waitpid(pid, NULL, 0);
	check(open(path, O_RDONLY) < 0 && errno == ENOENT, "reaped child gone", "still there");
}

int main(int argc, char **argv, char **envp)
{
	t_start();
	if (getpid() == 1)	/* init inside ./linux: nothing mounted yet */
		mount("proc", "/proc", "proc", 0, NULL);
	check(access("/proc/self/stat", R_OK) == 0, "/proc is mounted", "errno %d", errno);
	check_cmdline(argv, envp);
	check_self();
	check_stat();
	check_status();
	check_mounts();
	check_fds();
	check_cwd();
	check_listing();
	check_machine();
	check_child();
	return t_done();
}
