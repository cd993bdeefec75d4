/*
 * capability.c - capget/capset: a version probe (NULL data) says 0 and a
 * bad version EINVAL with the preferred one written back; root's effective
 * and permitted sets agree; dropping a capability from the effective set
 * shows, raising it again (still permitted) works, raising one no longer
 * permitted is EPERM; capset of another process EPERM; capget of no
 * process ESRCH, pid < 0 EINVAL; version 1 has one word; a setuid to a
 * user drops every capability.
 */
#include "t.h"
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long capget_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d)
{
	return syscall(SYS_capget, h, d);
}
static long capset_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d)
{
	return syscall(SYS_capset, h, d);
}

#define BIT(c) (1u << (c))

int main(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2], e[2];
	int st;

	t_start();
	CHECK_OK(capget_(&h, NULL), "version probe");
	h.version = 0x12345678;
	CHECK_ERR(capget_(&h, d), EINVAL, "bad version");
	check(h.version == _LINUX_CAPABILITY_VERSION_3, "the preferred version written back", "%x", h.version);
	h.pid = -1;
	CHECK_ERR(capget_(&h, d), EINVAL, "pid -1");
	h.pid = 0x3ffffff0;
	CHECK_ERR(capget_(&h, d), ESRCH, "no such process");
	h.pid = 0;
	CHECK_ERR(capget_((void *)8, d), EFAULT, "bad header");
	CHECK_OK(capget_(&h, d), "capget");
	check(d[0].effective == d[0].permitted && d[1].effective == d[1].permitted &&
	      (d[0].effective & BIT(CAP_NET_RAW)) && (d[0].effective & BIT(CAP_SETUID)),
	      "root: effective = permitted, with NET_RAW and SETUID", "%x/%x", d[0].effective, d[0].permitted);
	int sp[2];
	char ch;
	pipe(sp);
	pid_t other = fork();
	if (other == 0) {
		read(sp[0], &ch, 1);
		_exit(0);
	}
	h.pid = other;
	CHECK_ERR(capset_(&h, d), EPERM, "capset of another process");
	CHECK_OK(capget_(&h, e), "capget of another process");
	h.pid = 0;
	write(sp[1], "x", 1);
	waitpid(other, NULL, 0);

	e[0] = d[0];
	e[1] = d[1];
	e[0].effective &= ~BIT(CAP_NET_RAW);
	CHECK_OK(capset_(&h, e), "drop NET_RAW from effective");
	capget_(&h, d);
	check(!(d[0].effective & BIT(CAP_NET_RAW)) && (d[0].permitted & BIT(CAP_NET_RAW)),
	      "effective without it, permitted with", "%x/%x", d[0].effective, d[0].permitted);
	e[0].effective |= BIT(CAP_NET_RAW);
	CHECK_OK(capset_(&h, e), "raise it again");
	e[0].effective &= ~BIT(CAP_NET_RAW);
	e[0].permitted &= ~BIT(CAP_NET_RAW);
	CHECK_OK(capset_(&h, e), "drop it from permitted");
	e[0].effective |= BIT(CAP_NET_RAW);
	CHECK_ERR(capset_(&h, e), EPERM, "effective beyond permitted");
	e[0].effective &= ~BIT(CAP_NET_RAW);
	e[0].permitted |= BIT(CAP_NET_RAW);
	CHECK_ERR(capset_(&h, e), EPERM, "permitted cannot grow back");

	struct __user_cap_header_struct h1 = { _LINUX_CAPABILITY_VERSION_1, 0 };
	struct __user_cap_data_struct one[2];
	memset(one, 0xaa, sizeof(one));
	CHECK_OK(capget_(&h1, one), "version 1");
	capget_(&h, d);
	check(one[0].permitted == d[0].permitted && one[1].effective == 0xaaaaaaaau, "version 1: one word",
	      "%x", one[1].effective);

	pid_t pid = fork();
	if (pid == 0) {
		if (setresuid(1000, 1000, 1000))
			_exit(10);
		capget_(&h, d);
		_exit(d[0].effective == 0 && d[0].permitted == 0 && d[1].permitted == 0 ? 0 : 11);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a setuid to a user drops them all", "status %x", st);
	pid = fork();
	if (pid == 0) {
		if (setresuid(-1, 1000, -1))
			_exit(10);
		capget_(&h, d);
		if (d[0].effective != 0 || d[0].permitted == 0)
			_exit(11);
		if (setresuid(-1, 0, -1))
			_exit(12);
		capget_(&h, d);
		_exit(d[0].effective == d[0].permitted ? 0 : 13);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "euid away and back: effective cleared, then restored",
	      "step %d", WEXITSTATUS(st));
	return t_failed != 0;
}
