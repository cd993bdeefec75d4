/*
 * strace.c - guest syscall tracing from the command line, for debugging
 * a guest (a CI job) without installing anything in its image.
 *
 * strace=FILTER picks processes and syscalls, comma-separated:
 *   pid:N     the process N and every descendant of it
 *   comm:NAME processes named NAME and their descendants
 *   NAME      a syscall by name; %file %process %memory %signal %desc: classes
 *   all       every syscall (also what no syscall word means)
 * and writes one line per call to strace_file= (default stderr), in the
 * shape of strace -f -o: "PID name(args) = result", arguments decoded
 * (strings, open/mmap/mprotect flags, modes), errors as
 * "-1 ENOENT (No such file or directory)".  do_syscall calls
 * strace_enter/strace_exit; the line is written when the call returns
 * (other tasks may run while it sleeps), except for the calls that do
 * not return.
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/init.h"
#include "kernel/kernel.h"
#include "kernel/stats.h"
#include "shared/os.h"
#include "uapi/linux/fcntl.h"
#include "uapi/linux/mman.h"

const char *syscall_name(u64 nr);

#define MAX_WORDS 32
static const char *filter_names[MAX_WORDS], *filter_comm[8];
static int n_names, n_comm, n_pids;
static int filter_pids[8];
static int strace_fd = -1;
bool strace_on;

static const char *const class_file[] = { "open", "openat", "creat", "stat", "lstat", "newfstatat",
	"statx", "access", "faccessat", "faccessat2", "execve", "chdir", "chroot", "mkdir", "mkdirat",
	"rmdir", "unlink", "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink",
	"symlinkat", "readlink", "readlinkat", "chmod", "fchmodat", "chown", "lchown", "fchownat",
	"truncate", "utimensat", "mknod", "mknodat", "statfs", "mount", "umount2", NULL };
static const char *const class_process[] = { "fork", "vfork", "clone", "clone3", "execve",
	"exit", "exit_group", "wait4", "waitid", "kill", "tgkill", "tkill", NULL };
static const char *const class_memory[] = { "brk", "mmap", "munmap", "mprotect", "mremap",
	"madvise", "msync", "mincore", NULL };
static const char *const class_signal[] = { "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"rt_sigsuspend", "rt_sigpending", "rt_sigtimedwait", "sigaltstack", "kill", "tgkill",
	"tkill", "pause", NULL };
static const char *const class_desc[] = { "read", "write", "readv", "writev", "pread64",
	"pwrite64", "close", "dup", "dup2", "dup3", "fcntl", "lseek", "fstat", "getdents64",
	"ioctl", "poll", "ppoll", "select", "pselect6", "pipe", "pipe2", "openat", "open", NULL };

static bool in_list(const char *const *l, const char *name)
{
	for (; *l; l++)
		if (!strcmp(*l, name))
			return true;
	return false;
}

static bool name_wanted(const char *name)
{
	if (!n_names)
		return true;
	for (int i = 0; i < n_names; i++) {
		const char *w = filter_names[i];

		if (!strcmp(w, "all") || !strcmp(w, name) ||
		    (!strcmp(w, "%file") && in_list(class_file, name)) ||
		    (!strcmp(w, "%process") && in_list(class_process, name)) ||
		    (!strcmp(w, "%memory") && in_list(class_memory, name)) ||
		    (!strcmp(w, "%signal") && in_list(class_signal, name)) ||
		    (!strcmp(w, "%desc") && in_list(class_desc, name)))
			return true;
	}
	return false;
}

/*
 * Processes already traced stay traced when they rename themselves
 * (busybox runs an applet in-process after prctl(PR_SET_NAME)), until
 * they exit.
 */
static int followed[64];

static bool is_followed(int tgid)
{
	for (int i = 0; i < 64; i++)
		if (followed[i] == tgid)
			return true;
	return false;
}

static void follow(int tgid, bool on)
{
	for (int i = 0; i < 64; i++) {
		if (on ? followed[i] == 0 : followed[i] == tgid) {
			followed[i] = on ? tgid : 0;
			return;
		}
	}
}

/* t, or one of its ancestors, is a process the filter names. */
static bool task_wanted(struct task *t)
{
	struct task *a = t;

	if (!n_comm && !n_pids)
		return true;
	for (int depth = 0; a && a->pid > 0 && depth < 64; a = a->parent, depth++) {
		bool hit = is_followed(a->tgid);

		for (int i = 0; i < n_pids && !hit; i++)
			hit = a->tgid == filter_pids[i];
		for (int i = 0; i < n_comm && !hit; i++)
			hit = !strcmp(a->comm, filter_comm[i]);
		if (hit) {
			if (!is_followed(t->tgid))
				follow(t->tgid, true);
			return true;
		}
		if (a->parent == a)
			break;
	}
	return false;
}

/* Parses strace= (boot_params.strace is a writable copy of the word). */
void strace_init(void)
{
	static char words[1024];
	char *p = words, *w;
	unsigned long long v;
	int fd = 2;

	if (!boot_params.strace)
		return;
	kstrlcpy(words, boot_params.strace, sizeof(words));
	while ((w = p) != NULL && *w) {
		p = strchr(w, ',');
		if (p)
			*p++ = '\0';
		if (!strncmp(w, "pid:", 4) && kstrtou64(w + 4, 10, &v) == 0 && n_pids < 8)
			filter_pids[n_pids++] = (int)v;
		else if (!strncmp(w, "comm:", 5) && w[5] && n_comm < 8)
			filter_comm[n_comm++] = w + 5;
		else if (n_names < MAX_WORDS)
			filter_names[n_names++] = w;
	}
	if (boot_params.strace_file) {
		fd = os_open_log(boot_params.strace_file);
		if (fd < 0) {
			printk(KERN_WARNING "strace: cannot create %s: error %d; tracing to stderr\n",
			       boot_params.strace_file, -fd);
			fd = 2;
		}
	}
	strace_fd = fd;
	strace_on = true;
}

struct line {
	char buf[1024];
	size_t len;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	l->len += (size_t)kvsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (l->len > sizeof(l->buf) - 1)
		l->len = sizeof(l->buf) - 1;
}

/* A guest string or buffer, quoted with C escapes; "..." past max bytes. */
static void add_quoted(struct line *l, uaddr_t u, long len, bool nul_ends)
{
	char tmp[40];
	long n = len < 0 || len > 32 ? 32 : len;

	if (uaddr_is_null(u)) {
		add(l, "NULL");
		return;
	}
	if (nul_ends) {
		long r = strncpy_from_user(tmp, u, 33);

		if (r < 0 && r != -ENAMETOOLONG) {
			add(l, "%#llx", (unsigned long long)uaddr_val(u));
			return;
		}
		n = r < 0 || r > 32 ? 32 : r;
		len = r < 0 ? 33 : r;
	} else if (copy_from_user(tmp, u, (size_t)n)) {
		add(l, "%#llx", (unsigned long long)uaddr_val(u));
		return;
	}
	add(l, "\"");
	for (long i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tmp[i];

		if (c == '\n') add(l, "\\n");
		else if (c == '\t') add(l, "\\t");
		else if (c == '"' || c == '\\') add(l, "\\%c", c);
		else if (c < ' ' || c >= 127) add(l, "\\%o", c);
		else add(l, "%c", c);
	}
	add(l, "\"%s", len > n ? "..." : "");
}

struct flag { long bit; const char *name; };

static void add_flags(struct line *l, unsigned long v, const struct flag *f, const char *zero)
{
	bool any = false;

	for (; f->name; f++) {
		if (f->bit && (v & (unsigned long)f->bit) == (unsigned long)f->bit) {
			add(l, "%s%s", any ? "|" : "", f->name);
			v &= ~(unsigned long)f->bit;
			any = true;
		}
	}
	if (any && v)
		add(l, "|%#lx", v);
	else if (!any && v)
		add(l, "%#lx", v);
	else if (!any)
		add(l, "%s", zero);
}

static const struct flag open_flags[] = {
	{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
	{ O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
	{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" }, { O_CLOEXEC, "O_CLOEXEC" },
	{ O_LARGEFILE, "O_LARGEFILE" }, { 0, NULL } };
static const struct flag prot_flags[] = {
	{ PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" }, { PROT_EXEC, "PROT_EXEC" },
	{ 0, NULL } };
static const struct flag map_flags[] = {
	{ MAP_SHARED, "MAP_SHARED" }, { MAP_PRIVATE, "MAP_PRIVATE" }, { MAP_FIXED, "MAP_FIXED" },
	{ MAP_ANONYMOUS, "MAP_ANONYMOUS" }, { MAP_NORESERVE, "MAP_NORESERVE" },
	{ MAP_GROWSDOWN, "MAP_GROWSDOWN" }, { MAP_STACK, "MAP_STACK" },
	{ MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE" }, { 0, NULL } };

static void add_open_flags(struct line *l, long v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };

	add(l, "%s", acc[v & 3]);
	if (v & ~3L) {
		add(l, "|");
		add_flags(l, (unsigned long)v & ~3UL, open_flags, "0");
	}
}

/*
 * Argument kinds, one letter each: d int, u unsigned, x hex, p pointer,
 * s string, a dirfd, O open flags, m mode (only with O_CREAT before it),
 * R mmap/mprotect prot, M mmap flags, b buffer of the next argument's
 * length, B buffer of the result's length (read at exit).
 */
static const struct { const char *name, *args; } decoders[] = {
	{ "read", "dBu" }, { "write", "dbu" }, { "pread64", "dBud" }, { "pwrite64", "dbud" },
	{ "open", "sOm" }, { "openat", "asOm" }, { "creat", "sm" }, { "close", "d" },
	{ "stat", "sp" }, { "lstat", "sp" }, { "fstat", "dp" }, { "newfstatat", "aspx" },
	{ "statx", "asxxp" }, { "access", "so" }, { "faccessat", "aso" }, { "faccessat2", "asox" },
	{ "execve", "spp" }, { "chdir", "s" }, { "mkdir", "sm" }, { "mkdirat", "asm" },
	{ "rmdir", "s" }, { "unlink", "s" }, { "unlinkat", "asx" }, { "rename", "ss" },
	{ "renameat", "asas" }, { "readlink", "spu" }, { "readlinkat", "aspu" },
	{ "chmod", "sm" }, { "fchmodat", "asm" }, { "chown", "sdd" }, { "truncate", "sd" },
	{ "mmap", "puRMdx" }, { "mprotect", "puR" }, { "munmap", "pu" }, { "brk", "p" },
	{ "exit", "d" }, { "exit_group", "d" }, { "getcwd", "pu" }, { "ioctl", "dxp" },
	{ "wait4", "dpxp" }, { "kill", "dd" }, { "dup", "d" }, { "dup2", "dd" }, { "dup3", "ddx" },
	{ "lseek", "ddd" }, { "getdents64", "dpu" }, { "fcntl", "ddx" }, { "uname", "p" },
	{ "arch_prctl", "xp" }, { "set_tid_address", "p" }, { "rt_sigaction", "dppu" },
	{ "rt_sigprocmask", "dppu" }, { "pipe", "p" }, { "pipe2", "px" }, { "getpid", "" },
	{ "getppid", "" }, { "getuid", "" }, { "geteuid", "" }, { "getgid", "" }, { "getegid", "" },
	{ "gettid", "" }, { "sync", "" }, { "fsync", "d" }, { "sysinfo", "p" },
	{ "clone", "xppppp" }, { "vfork", "" }, { "fork", "" }, { "nanosleep", "pp" },
	{ "clock_nanosleep", "ddpp" }, { "umask", "o" }, { "setpgid", "dd" }, { "getpgid", "d" },
	{ "prlimit64", "ddpp" }, { "getrandom", "pux" }, { "poll", "pud" }, { "sethostname", "su" },
};

static const char *decoder(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(decoders); i++)
		if (!strcmp(decoders[i].name, name))
			return decoders[i].args;
	return "xxxxxx";
}

/* execve's path, read at entry: a successful exec replaces the memory. */
static struct { int pid; char path[40]; } exec_paths[16];
static const char *saved_path;

static void add_quoted_k(struct line *l, const char *s)
{
	add(l, "\"%.32s\"%s", s, strlen(s) > 32 ? "..." : "");
}

static void add_args(struct line *l, const char *kinds, const long *a, long ret)
{
	bool creat = false;
	int n = 0;

	for (int i = 0; kinds[i] && i < 6; i++) {
		long v = a[i];

		if (kinds[i] == 'm' && i > 0 && (kinds[i - 1] == 'O') && !creat)
			break;	/* open's mode only with O_CREAT, as strace shows it */
		add(l, "%s", n++ ? ", " : "");
		switch (kinds[i]) {
		case 'd': add(l, "%d", (int)v); break;
		case 'u': add(l, "%lu", (unsigned long)v); break;
		case 'p': v ? add(l, "%#lx", (unsigned long)v) : add(l, "NULL"); break;
		case 's':
			if (i == 0 && saved_path)
				add_quoted_k(l, saved_path);
			else
				add_quoted(l, UADDR(v), -1, true);
			break;
		case 'a': (int)v == AT_FDCWD ? add(l, "AT_FDCWD") : add(l, "%d", (int)v); break;
		case 'O': add_open_flags(l, v); creat = (v & O_CREAT) != 0; break;
		case 'm': case 'o': add(l, "0%lo", (unsigned long)v); break;
		case 'R': add_flags(l, (unsigned long)v, prot_flags, "PROT_NONE"); break;
		case 'M': add_flags(l, (unsigned long)v, map_flags, "0"); break;
		case 'b': add_quoted(l, UADDR(v), a[i + 1], false); break;
		case 'B':
			if (ret < 0)
				add(l, "%#lx", (unsigned long)v);
			else
				add_quoted(l, UADDR(v), ret, false);
			break;
		default: add(l, "%#lx", (unsigned long)v); break;
		}
	}
}

static const struct { int e; const char *name, *msg; } errnames[] = {
	{ EPERM, "EPERM", "Operation not permitted" }, { ENOENT, "ENOENT", "No such file or directory" },
	{ ESRCH, "ESRCH", "No such process" }, { EINTR, "EINTR", "Interrupted system call" },
	{ EIO, "EIO", "Input/output error" }, { ENXIO, "ENXIO", "No such device or address" },
	{ E2BIG, "E2BIG", "Argument list too long" }, { ENOEXEC, "ENOEXEC", "Exec format error" },
	{ EBADF, "EBADF", "Bad file descriptor" }, { ECHILD, "ECHILD", "No child processes" },
	{ EAGAIN, "EAGAIN", "Resource temporarily unavailable" }, { ENOMEM, "ENOMEM", "Cannot allocate memory" },
	{ EACCES, "EACCES", "Permission denied" }, { EFAULT, "EFAULT", "Bad address" },
	{ EBUSY, "EBUSY", "Device or resource busy" }, { EEXIST, "EEXIST", "File exists" },
	{ EXDEV, "EXDEV", "Invalid cross-device link" }, { ENODEV, "ENODEV", "No such device" },
	{ ENOTDIR, "ENOTDIR", "Not a directory" }, { EISDIR, "EISDIR", "Is a directory" },
	{ EINVAL, "EINVAL", "Invalid argument" }, { ENFILE, "ENFILE", "Too many open files in system" },
	{ EMFILE, "EMFILE", "Too many open files" }, { ENOTTY, "ENOTTY", "Inappropriate ioctl for device" },
	{ EFBIG, "EFBIG", "File too large" }, { ENOSPC, "ENOSPC", "No space left on device" },
	{ ESPIPE, "ESPIPE", "Illegal seek" }, { EROFS, "EROFS", "Read-only file system" },
	{ EMLINK, "EMLINK", "Too many links" }, { EPIPE, "EPIPE", "Broken pipe" },
	{ ERANGE, "ERANGE", "Numerical result out of range" }, { ENAMETOOLONG, "ENAMETOOLONG", "File name too long" },
	{ ENOSYS, "ENOSYS", "Function not implemented" }, { ENOTEMPTY, "ENOTEMPTY", "Directory not empty" },
	{ ELOOP, "ELOOP", "Too many levels of symbolic links" }, { ENODATA, "ENODATA", "No data available" },
	{ EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported" }, { ETIMEDOUT, "ETIMEDOUT", "Connection timed out" },
	{ ERESTARTSYS, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ ERESTARTNOINTR, "ERESTARTNOINTR", "To be restarted" },
	{ ERESTARTNOHAND, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ ERESTART_RESTARTBLOCK, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
};

static void add_result(struct line *l, const char *name, long ret)
{
	if (ret < 0 && ret >= -4095) {
		for (size_t i = 0; i < ARRAY_SIZE(errnames); i++)
			if (errnames[i].e == -ret) {
				bool restart = -ret >= 512;

				add(l, restart ? "? %s (%s)" : "-1 %s (%s)", errnames[i].name, errnames[i].msg);
				return;
			}
		add(l, "-1 E%ld (errno %ld)", -ret, -ret);
	} else if (!strcmp(name, "mmap") || !strcmp(name, "brk") || !strcmp(name, "mremap")) {
		add(l, "%#lx", (unsigned long)ret);
	} else {
		add(l, "%ld", ret);
	}
}

static void emit(struct task *t, const char *name, const long *a, long ret, bool returns)
{
	struct line l = { .len = 0 };

	add(&l, "%d %s(", t->pid, name);
	add_args(&l, decoder(name), a, ret);
	add(&l, ") = ");
	if (returns)
		add_result(&l, name, ret);
	else
		add(&l, "?");
	add(&l, "\n");
	os_write_all(strace_fd, l.buf, l.len);
}

/* Before the call: the calls that never return are written now. */
void strace_enter(struct task *t, u64 nr, const long *a)
{
	const char *name = syscall_name(nr);

	if (name && !strcmp(name, "execve")) {
		for (int i = 0; i < 16; i++) {
			if (exec_paths[i].pid == 0 || exec_paths[i].pid == t->pid) {
				long r = strncpy_from_user(exec_paths[i].path, UADDR(a[0]), 34);

				exec_paths[i].pid = t->pid;
				if (r < 0 && r != -ENAMETOOLONG)
					exec_paths[i].pid = 0;
				exec_paths[i].path[33] = '\0';
				break;
			}
		}
		return;
	}
	if (!name || (strcmp(name, "exit") && strcmp(name, "exit_group")))
		return;
	if (task_wanted(t) && name_wanted(name))
		emit(t, name, a, 0, false);
	follow(t->tgid, false);
}

void strace_exit(struct task *t, u64 nr, const long *a, long ret)
{
	const char *name = syscall_name(nr);
	char unknown[32];

	if (!name) {
		ksnprintf(unknown, sizeof(unknown), "syscall_%llu", (unsigned long long)nr);
		name = unknown;
	}
	if (!strcmp(name, "execve"))
		for (int i = 0; i < 16; i++)
			if (exec_paths[i].pid == t->pid) {
				saved_path = exec_paths[i].path;
				exec_paths[i].pid = 0;
			}
	if (task_wanted(t) && name_wanted(name))
		emit(t, name, a, ret, true);
	saved_path = NULL;
}
