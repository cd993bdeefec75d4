/*
 * fs_fcaps.c - file capabilities, what setcap/getcap and exec do with
 * security.capability: a v2 value reads back as stored, a v3 value with
 * root id 0 reads back as v2, one of root id 1000 as stored (and exec
 * ignores it: that uid is root of no namespace); a wrong size or
 * revision, or root id -1, is EINVAL (before the CAP_SETFCAP check, EPERM
 * for nobody); removing needs CAP_SETFCAP too.  exec of a copy of this
 * program by nobody gets fP (effective with the effective bit, not
 * without) and AT_SECURE; fI counts only with the process's inheritable
 * set; a capability the bounding set dropped makes an effective-bit
 * file's exec EPERM, a permitted-only one runs without it.  A write,
 * truncation or chown removes the value, whoever does it; a write by
 * nobody clears set-user-ID, root's keeps it.
 */
#include "t.h"
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <stdint.h>

#define NOBODY	65534
#define BIT(c)	(1u << (c))
#define MASK	(BIT(CAP_NET_RAW) | BIT(CAP_NET_ADMIN) | BIT(CAP_CHOWN) | BIT(CAP_SETFCAP))

struct report {
	uint32_t eff, perm, inh;
	uint32_t secure;
};

static char prog[1024];

/* The child side: this program exec'ed with "report FD". */
static int report(int fd)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	struct report r = { 0 };

	if (syscall(SYS_capget, &h, d) < 0)
		return 3;
	r.eff = d[0].effective & MASK;
	r.perm = d[0].permitted & MASK;
	r.inh = d[0].inheritable & MASK;
	r.secure = (uint32_t)getauxval(AT_SECURE);
	return write(fd, &r, sizeof(r)) == sizeof(r) ? 0 : 4;
}

static void put_caps(void *buf, uint32_t rev, int eff, uint32_t perm, uint32_t inh)
{
	struct vfs_ns_cap_data v = { 0 };

	v.magic_etc = rev | (eff ? VFS_CAP_FLAGS_EFFECTIVE : 0);
	v.data[0].permitted = perm;
	v.data[0].inheritable = inh;
	memcpy(buf, &v, sizeof(v));
}

static int set_caps(uint32_t rev, size_t size, int eff, uint32_t perm, uint32_t inh)
{
	char v[XATTR_CAPS_SZ_3];

	put_caps(v, rev, eff, perm, inh);
	return setxattr(prog, "security.capability", v, size, 0);
}

/* What nobody gets from exec of prog; inh: the inheritable set taken in
 * as root first, drop: a capability dropped from the bounding set (-1:
 * none).  The exec's errno as r->secure = 1000 + errno on failure. */
static int run_as_nobody(uint32_t inh, int drop, struct report *r)
{
	int p[2], st;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		char fdarg[16];
		char *argv[] = { prog, "report", fdarg, NULL };
		close(p[0]);
		snprintf(fdarg, sizeof(fdarg), "%d", p[1]);
		if (syscall(SYS_capget, &h, d) < 0)
			_exit(10);
		d[0].inheritable = inh;
		if (syscall(SYS_capset, &h, d) < 0)
			_exit(11);
		if (drop >= 0 && prctl(PR_CAPBSET_DROP, drop, 0, 0, 0) < 0)
			_exit(12);
		if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(13);
		execve(prog, argv, environ);
		r->secure = 1000 + (uint32_t)errno;
		if (write(p[1], r, sizeof(*r)) != sizeof(*r))
			_exit(14);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], r, sizeof(*r)) != sizeof(*r))
		r->secure = 999;
	close(p[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int nobody_sets(void *v, size_t size)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(100);
		if (v)
			_exit(setxattr(prog, "security.capability", v, size, 0) < 0 ? errno : 0);
		_exit(removexattr(prog, "security.capability") < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int nobody_writes(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(100);
		fd = open(prog, O_WRONLY | O_APPEND);
		_exit(fd < 0 || write(fd, "", 1) != 1 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static ssize_t get_caps(void *buf, size_t size)
{
	return getxattr(prog, "security.capability", buf, size);
}

/* Copies this program's binary (argv[0], a full path; /proc may not be
 * mounted when it is init) to prog. */
static int copy_self(const char *self)
{
	char buf[65536];
	ssize_t n;
	int in = open(self, O_RDONLY), out;

	if (in < 0)
		return -1;
	out = open(prog, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	close(out);
	return n == 0 ? chmod(prog, 0755) : -1;
}

int main(int argc, char **argv)
{
	char v[64], w[64];
	struct report r;
	struct stat st;
	ssize_t n;
	int fd;

	if (argc == 3 && strcmp(argv[1], "report") == 0)
		return report(atoi(argv[2]));
	t_start();
	snprintf(prog, sizeof(prog), "%s/fs_fcaps.%d", t_tmpdir(), (int)getpid());
	CHECK_OK(copy_self(argv[0]), "copy of the program");

	/* The format and who may set it. */
	CHECK_ERR(get_caps(v, sizeof(v)), ENODATA, "no capabilities yet");
	CHECK_ERR(set_caps(VFS_CAP_REVISION_2, 12, 1, 0, 0), EINVAL, "v2 of v1's size");
	CHECK_ERR(set_caps(VFS_CAP_REVISION_1, 12, 1, 0, 0), EINVAL, "v1 cannot be set");
	CHECK_ERR(set_caps(VFS_CAP_REVISION_3, XATTR_CAPS_SZ_2, 1, 0, 0), EINVAL, "v3 of v2's size");
	CHECK_ERR(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_3, 1, 0, 0), EINVAL, "v2 of v3's size");
	CHECK_ERR(set_caps(0x05000000, XATTR_CAPS_SZ_2, 1, 0, 0), EINVAL, "unknown revision");
	put_caps(v, VFS_CAP_REVISION_3, 1, BIT(CAP_NET_RAW), 0);
	((struct vfs_ns_cap_data *)v)->rootid = (uint32_t)-1;
	CHECK_ERR(setxattr(prog, "security.capability", v, XATTR_CAPS_SZ_3, 0), EINVAL,
		  "v3 with root id -1 (no uid)");
	put_caps(v, VFS_CAP_REVISION_2, 1, BIT(CAP_NET_RAW), 0);
	check(nobody_sets(v, XATTR_CAPS_SZ_2) == EPERM, "nobody: EPERM (no CAP_SETFCAP)", "-");
	check(nobody_sets(v, 7) == EINVAL, "nobody, malformed: EINVAL first", "-");
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 1, BIT(CAP_NET_RAW), BIT(CAP_CHOWN)),
		 "root sets cap_net_raw+ep, cap_chown+i (v2)");
	n = get_caps(NULL, 0);
	check(n == XATTR_CAPS_SZ_2, "size query: 20", "%zd", n);
	CHECK_ERR(get_caps(w, 8), ERANGE, "small buffer");
	n = get_caps(w, sizeof(w));
	check(n == XATTR_CAPS_SZ_2 && memcmp(v, w, 4) == 0 &&
	      ((struct vfs_cap_data *)w)->data[0].permitted == BIT(CAP_NET_RAW) &&
	      ((struct vfs_cap_data *)w)->data[0].inheritable == BIT(CAP_CHOWN),
	      "v2 read back as stored", "%zd", n);
	check(nobody_sets(NULL, 0) == EPERM, "nobody cannot remove it", "-");
	CHECK_OK(set_caps(VFS_CAP_REVISION_3, XATTR_CAPS_SZ_3, 1, BIT(CAP_NET_RAW), 0),
		 "root sets a v3 value, root id 0");
	n = get_caps(w, sizeof(w));
	check(n == XATTR_CAPS_SZ_2 && ((struct vfs_cap_data *)w)->magic_etc ==
	      (VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE) &&
	      ((struct vfs_cap_data *)w)->data[0].permitted == BIT(CAP_NET_RAW),
	      "v3 read back as v2", "%zd %x", n, ((struct vfs_cap_data *)w)->magic_etc);

	/* exec. */
	check(run_as_nobody(0, -1, &r) == 0 && r.secure == 1 && r.perm == BIT(CAP_NET_RAW) &&
	      r.eff == BIT(CAP_NET_RAW), "nobody execs +ep: permitted and effective, AT_SECURE",
	      "secure %u perm %x eff %x", r.secure, r.perm, r.eff);
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 0, BIT(CAP_NET_RAW), 0), "+p only");
	check(run_as_nobody(0, -1, &r) == 0 && r.secure == 1 && r.perm == BIT(CAP_NET_RAW) &&
	      r.eff == 0, "nobody execs +p: permitted, not effective, AT_SECURE",
	      "secure %u perm %x eff %x", r.secure, r.perm, r.eff);
	check(run_as_nobody(0, CAP_NET_RAW, &r) == 0 && r.secure == 0 && r.perm == 0,
	      "+p, dropped from the bounding set: runs without it", "secure %u perm %x", r.secure, r.perm);
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 1, BIT(CAP_NET_RAW), 0), "+ep again");
	check(run_as_nobody(0, CAP_NET_RAW, &r) == 0 && r.secure == 1000 + EPERM,
	      "+ep, dropped from the bounding set: exec EPERM", "secure %u", r.secure);
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 1, 0, BIT(CAP_NET_ADMIN)), "+ei net_admin");
	check(run_as_nobody(0, -1, &r) == 0 && r.perm == 0 && r.eff == 0,
	      "fI without pI: nothing", "perm %x eff %x", r.perm, r.eff);
	check(run_as_nobody(BIT(CAP_NET_ADMIN), -1, &r) == 0 && r.secure == 1 &&
	      r.perm == BIT(CAP_NET_ADMIN) && r.eff == BIT(CAP_NET_ADMIN) && r.inh == BIT(CAP_NET_ADMIN),
	      "fI & pI: permitted and effective", "secure %u perm %x eff %x inh %x",
	      r.secure, r.perm, r.eff, r.inh);
	put_caps(v, VFS_CAP_REVISION_3, 1, BIT(CAP_NET_RAW), 0);
	((struct vfs_ns_cap_data *)v)->rootid = 1000;
	CHECK_OK(setxattr(prog, "security.capability", v, XATTR_CAPS_SZ_3, 0),
		 "v3 for the namespace whose root is uid 1000");
	n = get_caps(w, sizeof(w));
	check(n == XATTR_CAPS_SZ_3 && memcmp(v, w, XATTR_CAPS_SZ_3) == 0,
	      "read back as v3 with its root id", "%zd", n);
	check(run_as_nobody(0, -1, &r) == 0 && r.secure == 0 && r.perm == 0 && r.eff == 0,
	      "another namespace's capabilities: not applied here", "secure %u perm %x", r.secure, r.perm);
	CHECK_OK(removexattr(prog, "security.capability"), "root removes it");
	check(run_as_nobody(0, -1, &r) == 0 && r.secure == 0 && r.perm == 0 && r.eff == 0,
	      "no file capabilities: nothing, no AT_SECURE", "secure %u perm %x", r.secure, r.perm);

	/* What removes them. */
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 1, BIT(CAP_NET_RAW), 0), "set");
	fd = open(prog, O_WRONLY | O_APPEND);
	CHECK_OK(write(fd, "", 1), "root appends a byte");
	close(fd);
	CHECK_ERR(get_caps(w, sizeof(w)), ENODATA, "a write by root removed them");
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 1, BIT(CAP_NET_RAW), 0), "set");
	fd = open(prog, O_WRONLY | O_APPEND);
	CHECK_OK(write(fd, "", 0), "a zero-length write");
	close(fd);
	n = get_caps(w, sizeof(w));
	check(n == XATTR_CAPS_SZ_2, "a zero-length write keeps them", "%zd", n);
	CHECK_OK(stat(prog, &st), "stat");
	CHECK_OK(truncate(prog, st.st_size), "truncate to the same size");
	CHECK_ERR(get_caps(w, sizeof(w)), ENODATA, "truncate removed them");
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 1, BIT(CAP_NET_RAW), 0), "set");
	CHECK_OK(chown(prog, 0, 0), "chown to the same owner");
	CHECK_ERR(get_caps(w, sizeof(w)), ENODATA, "chown removed them");
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 1, BIT(CAP_NET_RAW), 0), "set");
	CHECK_OK(chmod(prog, 0755), "chmod");
	n = get_caps(w, sizeof(w));
	check(n == XATTR_CAPS_SZ_2, "chmod keeps them", "%zd", n);
	CHECK_OK(chmod(prog, 04777), "chmod 04777");
	check(nobody_writes() == 0, "nobody writes", "-");
	CHECK_OK(stat(prog, &st), "stat");
	check((st.st_mode & 07777) == 0777, "nobody's write cleared set-user-ID", "%o", st.st_mode & 07777);
	CHECK_ERR(get_caps(w, sizeof(w)), ENODATA, "and the capabilities");
	CHECK_OK(chmod(prog, 04777), "chmod 04777");
	fd = open(prog, O_WRONLY | O_APPEND);
	CHECK_OK(write(fd, "", 1), "root writes");
	close(fd);
	CHECK_OK(stat(prog, &st), "stat");
	check((st.st_mode & 07777) == 04777, "root's write kept set-user-ID (CAP_FSETID)", "%o",
	      st.st_mode & 07777);
	CHECK_OK(chmod(prog, 02777), "chmod 02777 (group-executable)");
	check(nobody_writes() == 0, "nobody writes", "-");
	CHECK_OK(stat(prog, &st), "stat");
	check((st.st_mode & 07777) == 0777, "nobody's write cleared set-group-ID", "%o", st.st_mode & 07777);
	unlink(prog);

	/* A file just created, given capabilities before any write (a new
	 * file needs no look at its first write or chown until then). */
	fd = open(prog, O_WRONLY | O_CREAT | O_EXCL, 0755);
	CHECK_OK(fd, "create a new file");
	CHECK_OK(set_caps(VFS_CAP_REVISION_2, XATTR_CAPS_SZ_2, 1, BIT(CAP_NET_RAW), 0), "set on the new file");
	CHECK_OK(write(fd, "x", 1), "its first write");
	CHECK_ERR(get_caps(w, sizeof(w)), ENODATA, "the first write removed them");
	close(fd);
	unlink(prog);
	fd = open(prog, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK_OK(fd, "create another");
	put_caps(v, VFS_CAP_REVISION_2, 0, BIT(CAP_NET_RAW), 0);
	CHECK_OK(fsetxattr(fd, "security.capability", v, XATTR_CAPS_SZ_2, 0), "fsetxattr on it");
	close(fd);
	CHECK_OK(chown(prog, 0, 0), "chown, never written");
	CHECK_ERR(get_caps(w, sizeof(w)), ENODATA, "chown removed them");
	unlink(prog);
	return t_done();
}
