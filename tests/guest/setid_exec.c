/*
 * setid_exec: the credentials exec gives.  Set-user-ID and set-group-ID
 * files change the effective and saved ids, the auxv says AT_SECURE and
 * glibc then drops LD_PRELOAD and its kind from the environment; a nosuid
 * mount, no_new_privs and a script's own bits give nothing; saved ids
 * follow the effective ones at every exec; dumpable and the parent-death
 * signal are reset as Linux resets them.  Runs as root: copies of this
 * program owned by nobody (65534) or root with set-id modes, exec'd by
 * root or by a child that dropped to nobody first.
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define NOBODY 65534

/* One line of /proc/self/status, from its tab on, or "?". */
static void status_field(const char *key, char *out, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	snprintf(out, len, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':') {
			snprintf(out, len, "%s", line + strlen(key) + 2);
			out[strcspn(out, "\n")] = 0;
		}
	fclose(f);
}

/* The exec'd side: what it runs as, in one line. */
static int report(const char *tag)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	char uidl[64], gidl[64], prm[32], eff[32], bnd[32];
	int pdeath = -1;
	const char *pre = getenv("LD_PRELOAD");

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	prctl(PR_GET_PDEATHSIG, &pdeath);
	status_field("Uid", uidl, sizeof(uidl));
	status_field("Gid", gidl, sizeof(gidl));
	status_field("CapPrm", prm, sizeof(prm));
	status_field("CapEff", eff, sizeof(eff));
	status_field("CapBnd", bnd, sizeof(bnd));
	printf("%s: uid %u %u %u gid %u %u %u secure %lu preload %s dumpable %d pdeath %d "
	       "prm %s eff %s\n", tag, r, e, s, gr, ge, gs, getauxval(AT_SECURE),
	       pre ? pre : "(dropped)", prctl(PR_GET_DUMPABLE), pdeath,
	       !strcmp(prm, bnd) ? "all" : !strcmp(prm, "0000000000000000") ? "none" : prm,
	       !strcmp(eff, bnd) ? "all" : !strcmp(eff, "0000000000000000") ? "none" : eff);
	printf("%s: status Uid %s Gid %s\n", tag, uidl, gidl);
	return 0;
}

static char self_copy[4096];

/* A copy of this program at path, owned by uid:gid with mode. */
static int make_copy(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY), out;
	ssize_t n;

	unlink(path);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0700);
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	close(out);
	/* chown clears the set-id bits, so the mode comes after it. */
	if (chown(path, uid, gid) < 0 || chmod(path, mode) < 0)
		return -1;
	return 0;
}

enum setup { PLAIN, NNP, AS_NOBODY, EUID_ROOT, SUID_NOBODY, NNP_EUID_ROOT, PDEATH, UNDUMPABLE };

/* Runs path in a child after the setup; waits for it. */
static void run(const char *tag, const char *path, enum setup how)
{
	char *argv[] = { "setid_exec", "report", (char *)tag, NULL };
	char *envp[] = { "LD_PRELOAD=/nonexistent.so", "UMTEST=1", NULL };
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		int r = 0;

		if (how == NNP || how == NNP_EUID_ROOT)
			r |= prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (how == AS_NOBODY)
			r |= setresgid(NOBODY, NOBODY, NOBODY) | setresuid(NOBODY, NOBODY, NOBODY);
		if (how == EUID_ROOT || how == NNP_EUID_ROOT)
			r |= setresuid(NOBODY, 0, 0);
		if (how == SUID_NOBODY)
			r |= setresuid(0, 0, NOBODY);
		if (how == PDEATH)
			r |= prctl(PR_SET_PDEATHSIG, SIGUSR1);
		if (how == UNDUMPABLE)
			r |= prctl(PR_SET_DUMPABLE, 0);
		if (r)
			printf("%s: setup failed: %s\n", tag, strerror(errno));
		execve(path, argv, envp);
		printf("%s: execve: %s\n", tag, strerror(errno));
		_exit(127);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, tag, "status %#x", st);
}

int main(int argc, char **argv)
{
	char suid[4096], sgid[4096], sgid_nox[4096], suid_root[4096], script[4096], mnt[4096],
	     mnt_copy[4096];
	int fd, mounted;

	if (argc > 2 && !strcmp(argv[1], "report"))
		return report(argv[argc - 1]);	/* a script adds its path before */
	t_start();
	if (geteuid() != 0) {
		skip("setid_exec", "needs root");
		return t_done();
	}
	if (access("/proc/self/exe", F_OK) != 0)	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	t_path(self_copy, sizeof(self_copy), "setid_plain");
	t_path(suid, sizeof(suid), "setid_suid_nobody");
	t_path(sgid, sizeof(sgid), "setid_sgid_nobody");
	t_path(sgid_nox, sizeof(sgid_nox), "setid_sgid_nox");
	t_path(suid_root, sizeof(suid_root), "setid_suid_root");
	t_path(script, sizeof(script), "setid_script");
	CHECK_OK(make_copy(self_copy, 0, 0, 0755), "copy plain");
	CHECK_OK(make_copy(suid, NOBODY, NOBODY, 04755), "copy set-uid nobody");
	CHECK_OK(make_copy(sgid, 0, NOBODY, 02755), "copy set-gid nobody");
	CHECK_OK(make_copy(sgid_nox, 0, NOBODY, 02745), "copy set-gid without g+x");
	CHECK_OK(make_copy(suid_root, 0, 0, 04755), "copy set-uid root");

	run("plain", self_copy, PLAIN);
	run("suid-nobody", suid, PLAIN);
	run("sgid-nobody", sgid, PLAIN);
	run("sgid-nox", sgid_nox, PLAIN);
	run("nnp-suid", suid, NNP);
	run("nobody-suid-root", suid_root, AS_NOBODY);
	run("nobody-plain", self_copy, AS_NOBODY);
	run("euid-root-plain", self_copy, EUID_ROOT);
	run("nnp-euid-root-plain", self_copy, NNP_EUID_ROOT);
	run("saved-nobody-plain", self_copy, SUID_NOBODY);
	run("pdeath-plain", self_copy, PDEATH);
	run("pdeath-suid", suid, PDEATH);
	run("undumpable-plain", self_copy, UNDUMPABLE);

	/* A set-uid script: its own bits are ignored (the interpreter's count). */
	unlink(script);
	fd = open(script, O_WRONLY | O_CREAT | O_EXCL, 0755);
	dprintf(fd, "#!%s report\n", self_copy);
	close(fd);
	CHECK_OK(chown(script, NOBODY, NOBODY) | chmod(script, 04755), "script set-uid nobody");
	run("script-suid", script, PLAIN);

	/* A nosuid mount: set-id bits ignored. */
	t_path(mnt, sizeof(mnt), "setid_mnt");
	mkdir(mnt, 0755);
	mounted = mount("none", mnt, "tmpfs", MS_NOSUID, "mode=0755") == 0;
	check(mounted, "mount tmpfs nosuid", "%s", strerror(errno));
	if (mounted) {
		snprintf(mnt_copy, sizeof(mnt_copy), "%s/suid", mnt);
		CHECK_OK(make_copy(mnt_copy, NOBODY, NOBODY, 06755), "copy set-uid on nosuid");
		run("nosuid-suid", mnt_copy, PLAIN);
		CHECK_OK(umount(mnt), "umount");
	}
	rmdir(mnt);
	unlink(self_copy);
	unlink(suid);
	unlink(sgid);
	unlink(sgid_nox);
	unlink(suid_root);
	unlink(script);
	return t_done();
}
