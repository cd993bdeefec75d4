/*
 * shebang: exec of #! scripts: the interpreter gets its one optional
 * argument (spaces inside kept, trailing blanks dropped), the script's
 * path and the caller's argv[1..]; a script whose interpreter is itself
 * a script nests (Linux allows 4 levels beyond the first: the fifth is
 * ELOOP); a missing interpreter is ENOENT, an empty #! line ENOEXEC.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char self[4096], dir[4096];

static void script(const char *name, const char *line)
{
	char p[4200];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	dprintf(fd, "%s\n", line);
	close(fd);
}

/* Runs dir/name with argv {name, "A", "B"}; its output goes to ours. */
static int run(const char *name)
{
	char p[4200];
	char *argv[] = { (char *)name, "A", "B", NULL };
	int st = -1;
	pid_t pid;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	pid = fork();
	if (pid == 0) {
		execv(p, argv);
		printf("%s: execv: %s\n", name, strerror(errno));
		_exit(errno);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	char line[8400];
	int i;

	if (argc > 1 && !strncmp(argv[1], "--show", 6)) {
		/* The interpreter's view: argv with the scratch folder taken out. */
		printf("argv:");
		for (i = 1; i < argc; i++) {
			const char *s = argv[i], *slash = strrchr(s, '/');

			printf(" [%s]", strncmp(s, dir[0] ? dir : "/", 1) == 0 && slash ? slash + 1 : s);
		}
		printf("\n");
		return 0;
	}
	t_start();
	if (access("/proc/self/exe", F_OK) != 0)	/* as init in ./linux */
		mount("proc", "/proc", "proc", 0, NULL);
	snprintf(dir, sizeof(dir), "%s", t_tmpdir());
	snprintf(self, sizeof(self), "%s/shebang-prog", dir);
	{
		char buf[65536];
		int in = open("/proc/self/exe", O_RDONLY), out = open(self, O_WRONLY | O_CREAT | O_TRUNC, 0755);
		ssize_t n;

		while ((n = read(in, buf, sizeof(buf))) > 0)
			write(out, buf, (size_t)n);
		close(in);
		close(out);
	}
	snprintf(line, sizeof(line), "#!%s --show", self);
	script("s1", line);
	check(run("s1") == 0, "#! with one argument", "failed");
	snprintf(line, sizeof(line), "#! \t%s --show two words  \t", self);
	script("s2", line);
	check(run("s2") == 0, "blanks after #!, one argument with a space, trailing blanks", "failed");
	snprintf(line, sizeof(line), "#!%s/s1 x", dir);
	script("n1", line);
	check(run("n1") == 0, "a script as the interpreter (nested once)", "failed");
	snprintf(line, sizeof(line), "#!%s/n1", dir);
	script("n2", line);
	snprintf(line, sizeof(line), "#!%s/n2", dir);
	script("n3", line);
	snprintf(line, sizeof(line), "#!%s/n3", dir);
	script("n4", line);
	check(run("n4") == 0, "nested four deep", "failed");
	snprintf(line, sizeof(line), "#!%s/n4", dir);
	script("n5", line);
	check(run("n5") == ELOOP, "five deep: ELOOP", "other");
	snprintf(line, sizeof(line), "#!%s/nonexistent", dir);
	script("missing", line);
	check(run("missing") == ENOENT, "missing interpreter: ENOENT", "other");
	script("empty", "#!");
	check(run("empty") == ENOEXEC, "an empty #! line: ENOEXEC", "other");
	return t_done();
}
