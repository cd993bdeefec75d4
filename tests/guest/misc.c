/* misc.c - identity: uname, ids, limits, working directory. */
#include "t.h"
#include <sys/resource.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	char buf[256];

	t_start();
	CHECK_OK(uname(&u), "uname");
	printf("# sysname %s\n", u.sysname);
	check(!strcmp(u.sysname, "Linux"), "sysname Linux", "got %s", u.sysname);
	check(!strcmp(u.machine, "x86_64"), "machine x86_64", "got %s", u.machine);
	check((u.release[0] >= '3' && u.release[0] <= '9') || (u.release[0] == '1' && u.release[1] != '.'),
	      "release looks like a version", "got %s", u.release);
	check(u.nodename[0] != 0, "nodename set", "empty");
	check(getuid() == geteuid() && getgid() == getegid(), "real and effective ids agree", "differ");
	struct rlimit rl;
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl), "getrlimit NOFILE");
	check(rl.rlim_cur >= 64, "NOFILE >= 64", "%lu", (unsigned long)rl.rlim_cur);
	CHECK_OK(getrlimit(RLIMIT_STACK, &rl), "getrlimit STACK");
	check(getcwd(buf, sizeof(buf)) != NULL && buf[0] == '/', "getcwd absolute", "failed");
	CHECK_OK(chdir("/"), "chdir /");
	check(getcwd(buf, sizeof(buf)) && !strcmp(buf, "/"), "getcwd after chdir", "got %s", buf);
	CHECK_ERR(chdir("/nonexistent-dir"), ENOENT, "chdir missing");
	check(sysconf(_SC_PAGESIZE) == 4096, "page size 4096", "no");
	return t_done();
}
