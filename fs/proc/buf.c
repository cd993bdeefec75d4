/*
 * buf.c - procfs file texts.
 *
 * A file's whole text is rendered at its first read into one kmalloc'd
 * buffer (struct proc_buf, kept in f->private_data), so a reader sees
 * one consistent snapshot however small its reads; sequential reads
 * serve from that buffer, and the last close frees it.  As Linux's
 * seq_file, a read at offset 0, or at an offset other than where the
 * last read ended, renders it again: pread(fd, buf, n, 0) on an open
 * /proc/self/statm shows the figures of now.  open only checks that
 * the file can be opened (its task alive, the node's may_open).
 */
#include "kernel/page.h"
#include "../internal.h"
#include "internal.h"
#include <stdarg.h>

#define PROC_BUF_MAX	(1u << 20)	/* no text of ours comes near */

/* Makes room for need more bytes plus a NUL; sets b->err on failure. */
static bool pb_reserve(struct proc_buf *b, size_t need)
{
	size_t cap;
	char *nd;

	if (b->err)
		return false;
	if (b->len + need + 1 <= b->cap)
		return true;
	cap = max(b->cap * 2, b->len + need + 1);
	cap = max(cap, (size_t)256);
	if (cap > PROC_BUF_MAX) {
		b->err = -EFBIG;
		return false;
	}
	nd = kmalloc(cap);
	if (nd == NULL) {
		b->err = -ENOMEM;
		return false;
	}
	if (b->data != NULL)
		memcpy(nd, b->data, b->len);
	kfree(b->data);
	b->data = nd;
	b->cap = cap;
	return true;
}

/* Appends n bytes to the text. */
void pb_write(struct proc_buf *b, const void *p, size_t n)
{
	if (!pb_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Appends formatted text (kvsnprintf's formats). */
void pb_printf(struct proc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!pb_reserve(b, 64))
		return;
	va_start(ap, fmt);
	n = kvsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		if (!pb_reserve(b, (size_t)n))
			return;
		va_start(ap, fmt);
		kvsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

static const struct proc_node *text_node(struct inode *inode, struct proc_id *id)
{
	proc_decode(inode->i_ino, id);
	if (id->kind == PK_STATIC && id->idx >= 0 && id->idx < proc_root_nr)
		return &proc_root_nodes[id->idx];
	if (id->kind == PK_PID && id->idx >= 0 && id->idx < proc_pid_nr)
		return &proc_pid_nodes[id->idx];
	return NULL;
}

/*
 * The task inode is about, in *tp (NULL for a machine-wide file): 0, or
 * -ENOENT if it is gone, or if t0 (when not 0) is not its start_ns (the
 * pid is another task's now).
 */
static int text_task(const struct proc_id *id, u64 t0, struct task **tp)
{
	*tp = NULL;
	if (id->kind != PK_PID && id->kind != PK_FDINFO)
		return 0;
	*tp = proc_task(id->pid);
	if (*tp == NULL || (t0 != 0 && (*tp)->start_ns != t0))
		return -ENOENT;
	return 0;
}

/*
 * Renders the text of f again into its buffer: 0, or -ESRCH once the
 * task has gone since open (as Linux's proc_single_show), or the show's
 * error (the buffer is then empty).  May sleep.
 */
static int proc_render(struct file *f, struct proc_buf *b)
{
	const struct proc_node *node;
	struct proc_id id;
	struct task *t;
	int ret;

	node = text_node(f->f_inode, &id);
	b->len = 0;
	b->err = 0;
	if (text_task(&id, b->task_start, &t) < 0)
		return -ESRCH;
	if (id.kind == PK_FDINFO)
		ret = proc_fdinfo_show(b, t, id.fd);
	else
		ret = node->show(b, t);
	if (ret == 0)
		ret = b->err;
	if (ret < 0)
		b->len = 0;
	return ret;
}

/*
 * Checks the file can be opened: -ENOENT once the task of /proc/<pid>
 * is gone, -EACCES for a write-only file opened for reading, the node's
 * may_open.  The text is rendered at the first read, as seq_file does.
 * May sleep.
 */
static int proc_text_open(struct inode *inode, struct file *f)
{
	const struct proc_node *node;
	struct proc_buf *b;
	struct proc_id id;
	struct task *t;
	int ret;

	proc_prune(inode->i_sb);
	node = text_node(inode, &id);
	if (id.kind != PK_FDINFO && node != NULL && node->show == NULL &&
	    node->store != NULL) {
		if (f->f_mode & FMODE_READ)
			return -EACCES;		/* write-only */
		f->private_data = NULL;
		return 0;
	}
	if (id.kind != PK_FDINFO && (node == NULL || node->show == NULL))
		return -EIO;
	ret = text_task(&id, 0, &t);
	if (ret == 0 && node != NULL && node->may_open != NULL)
		ret = node->may_open(t);
	if (ret < 0)
		return ret;
	b = kzalloc(sizeof(*b));
	if (b == NULL)
		return -ENOMEM;
	b->stale = true;
	b->task_start = t != NULL ? t->start_ns : 0;
	f->private_data = b;
	return 0;
}

static void proc_text_release(struct inode *inode, struct file *f)
{
	struct proc_buf *b = f->private_data;

	if (b != NULL) {
		kfree(b->data);
		kfree(b);
	}
	f->private_data = NULL;
}

/*
 * Serves a read from the text, first rendering it when Linux's seq_file
 * would: at the first read, and at a read at offset 0 or away from where
 * the last read ended; sequential reads see one snapshot.  May sleep.
 */
static ssize_t proc_text_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct proc_buf *b = f->private_data;
	size_t n;
	int err;

	if (b == NULL || *pos < 0)
		return -EINVAL;
	if (b->stale || *pos == 0 || *pos != b->next) {
		err = proc_render(f, b);
		if (err < 0)
			return err;
		b->stale = false;
	}
	b->next = *pos;
	if ((u64)*pos >= b->len)
		return 0;
	n = min(b->len - (size_t)*pos, u->len - u->done);
	if (uio_copy_out(u, b->data + *pos, n) < 0)
		return -EFAULT;
	*pos += (loff_t)n;
	b->next = *pos;
	return (ssize_t)n;
}

int proc_parse_nums(const char *buf, size_t len, u64 *out, int n, s64 min, u64 max)
{
	char num[PROC_STORE_MAX + 1];
	size_t i = 0;
	int got = 0;

	while (got < n) {
		unsigned long long v;
		size_t k = 0;
		bool neg;

		while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
			i++;
		while (i < len && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
		       k < PROC_STORE_MAX)
			num[k++] = buf[i++];
		if (k == 0)
			break;
		num[k] = '\0';
		neg = num[0] == '-';
		if (kstrtou64(num + neg, 0, &v) < 0)
			return -EINVAL;
		if (neg ? min >= 0 || v > (u64)-(min + 1) + 1 : v > max || (min > 0 && v < (u64)min))
			return -EINVAL;
		out[got++] = neg ? -v : v;
	}
	return got ? got : -EINVAL;
}

/*
 * A file with store takes one value per write(2); the others are not
 * writable: Linux fails /proc files with EIO, /proc/<pid> files with EINVAL.
 */
static ssize_t proc_text_write(struct file *f, struct uio *u, loff_t *pos)
{
	const struct proc_node *node;
	char buf[PROC_STORE_MAX + 1];
	struct proc_id id;
	size_t n;
	int err;

	node = text_node(f->f_inode, &id);
	if (node == NULL || node->store == NULL)
		return id.kind == PK_STATIC ? -EIO : -EINVAL;
	n = u->len - u->done;
	if (n > PROC_STORE_MAX)
		return -EINVAL;
	if (uio_copy_in(u, buf, n) < 0)
		return -EFAULT;
	buf[n] = '\0';
	err = node->store(buf, n);
	if (err < 0)
		return err;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

/* Whether a static node is under /proc/sys (a sysctl, not a seq_file). */
static bool in_proc_sys(const struct proc_id *id)
{
	int i = id->idx;

	if (id->kind != PK_STATIC)
		return false;
	while (i > 0 && i < proc_root_nr) {
		if (proc_root_nodes[i].parent == 0)
			return !strcmp(proc_root_nodes[i].name, "sys");
		i = proc_root_nodes[i].parent;
	}
	return false;
}

/*
 * lseek as Linux's seq_lseek: SEEK_SET and SEEK_CUR only, never below 0
 * (EINVAL); /proc/sys files seek as Linux's default_llseek (their size
 * is 0, so SEEK_END is the offset itself).
 */
static loff_t proc_text_llseek(struct file *f, loff_t off, int whence)
{
	struct proc_id id;
	loff_t pos;

	text_node(f->f_inode, &id);
	if (in_proc_sys(&id))
		return generic_file_llseek(f, off, whence);
	if (whence == SEEK_SET)
		pos = off;
	else if (whence != SEEK_CUR || __builtin_add_overflow(f->f_pos, off, &pos))
		return -EINVAL;
	if (pos < 0)
		return -EINVAL;
	f->f_pos = pos;
	return pos;
}

/* procfs files cannot be synced: Linux's have no fsync (EINVAL). */
int proc_fsync(struct file *f)
{
	(void)f;
	return -EINVAL;
}

const struct file_operations proc_text_fops = {
	.llseek = proc_text_llseek,
	.fsync = proc_fsync,
	.write = proc_text_write,
	.open = proc_text_open,
	.release = proc_text_release,
	.read = proc_text_read,
};
