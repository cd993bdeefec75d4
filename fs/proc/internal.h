/*
 * internal.h - what the files of procfs share.
 *
 * Layers: buf.c renders a file's whole text into a growing kmalloc'd
 * buffer at open and serves read(2) from it; root.c is the filesystem
 * (inode numbers, the static tree /proc, /proc/sys, lookups, readdir);
 * misc.c and base.c write the texts: machine-wide files and the per-task
 * directories /proc/<pid>.
 *
 * Nothing is stored: an inode number says what the inode is, so any
 * inode can be rebuilt from its number alone (read_inode).
 */
#ifndef FS_PROC_INTERNAL_H
#define FS_PROC_INTERNAL_H

#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/sched.h"

#define PROC_SUPER_MAGIC	0x9fa0
#define PROC_ROOT_INO		1

/*
 * A file's text under construction; err sticks at the first failure.
 * Once open: stale says it must be rendered before it is read (so at
 * the first read), next is the offset where the last read ended,
 * task_start the start_ns of the task it is about (0 for machine-wide
 * files, or a task that started at 0): see buf.c.
 */
struct proc_buf {
	char *data;
	size_t len, cap;
	int err;
	bool stale;
	loff_t next;
	u64 task_start;
};

void pb_printf(struct proc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pb_write(struct proc_buf *b, const void *p, size_t n);

/*
 * One entry of a static directory.  Regular files have show (t is the
 * task of /proc/<pid>, or NULL) and, if writable, store, which gets what
 * one write(2) wrote (NUL-terminated, at most PROC_STORE_MAX bytes) and
 * returns 0 or -errno; a file with store but no show cannot be read
 * (EACCES, as Linux's write-only sysctls).  Symlinks have link, which
 * writes the target into buf and returns its length or -errno.
 */
#define PROC_STORE_MAX	64
/*
 * A sysctl's numbers from what store got, as Linux's proc_dointvec reads
 * them: up to n integers separated by blanks, each decimal, 0x hex or 0
 * octal, with a '-' only when min is negative (a negative one is stored
 * two's complement), each within [min, max], into out.  Returns how many
 * there were, at least one, or -EINVAL: none, a word that is not a number
 * ("12x", "+"), a number out of range.  Every writable /proc/sys file
 * parses with it (fs/proc/buf.c).
 */
int proc_parse_nums(const char *buf, size_t len, u64 *out, int n, s64 min, u64 max);
struct proc_node {
	const char *name;
	umode_t mode;
	int parent;		/* index of the directory in the same table */
	int (*show)(struct proc_buf *b, struct task *t);
	int (*link)(struct task *t, char *buf, int size);
	int (*store)(const char *buf, size_t len);
	/* A magic link: the object itself into *out (a reference). */
	int (*path)(struct task *t, struct path *out);
	/* A file that is not a rendered text (pagemap): its own operations. */
	const struct file_operations *fops;
	/* What open checks of t beyond its being alive: 0 or -errno. */
	int (*may_open)(struct task *t);
};

/* What an inode number means. */
enum proc_kind { PK_STATIC, PK_PID, PK_FD, PK_FDINFO };
struct proc_id {
	enum proc_kind kind;
	int idx;		/* node index; -1 for the /proc/<pid> directory */
	pid_t pid;
	int fd;
	bool in_task;		/* reached as /proc/<tgid>/task/<pid>/... */
};

u64 proc_ino(const struct proc_id *id);
void proc_decode(u64 ino, struct proc_id *id);
struct task *proc_task(pid_t pid);
void proc_prune(struct super_block *sb);
struct inode *proc_iget(struct super_block *sb, const struct proc_id *id);
bool proc_name_to_num(const char *name, int len, int *out);
int proc_link_copy(char *buf, int size, const char *s);

/* Shared file operations: a rendered text, a symlink, a directory. */
extern const struct file_operations proc_text_fops;
int proc_fsync(struct file *f);		/* -EINVAL, as Linux's procfs */
extern const struct inode_operations proc_link_iops, proc_magic_iops;

/* misc.c: the static tree. */
extern const struct proc_node proc_root_nodes[];
void proc_loadavg_init(void);
extern const int proc_root_nr;

/* base.c: /proc/<pid>. */
extern const struct proc_node proc_pid_nodes[];
extern const int proc_pid_nr;
extern const int proc_pid_fd_idx, proc_pid_task_idx;	/* its dynamic directories */
extern const int proc_pid_fdinfo_idx;
int proc_pid_fd_mode(struct task *t, int fd);
int proc_fdinfo_show(struct proc_buf *b, struct task *t, int fd);
int proc_fd_link(struct task *t, int fd, char *buf, int size);
int proc_fd_path(struct task *t, int fd, struct path *out);
int proc_path_link(const struct path *p, char *buf, int size);

#endif
