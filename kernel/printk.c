/*
 * printk.c - kernel messages, the kernel log, syslog(2) and /dev/kmsg.
 *
 * Layers: our own small vsnprintf; printk splits what it formats into
 * lines, each a record (sequence number, level, facility, time since
 * boot) in a ring of LOG_RECORDS; a line is written to the host's
 * stderr (as "[    1.234567] text" with printk.time=1) when its level is below
 * console_loglevel (loglevel=, quiet, debug; ignore_loglevel prints
 * all).  Readers take records by sequence number: syslog(2) (what
 * busybox dmesg uses) and each open /dev/kmsg, one record per read in
 * the "prio,seq,usec,-;text" form of Documentation/ABI/testing/dev-kmsg.
 * log_buf keeps the same lines as plain text for gdb's lx-dmesg.
 */
#include "kernel/kernel.h"
#include "kernel/tty.h"
#include "kernel/sched.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/init.h"
#include "kernel/syscalls.h"
#include "shared/os.h"

#define LOG_BUF_LEN (64 * 1024)
char log_buf[LOG_BUF_LEN];
unsigned long log_len;			/* bytes ever logged */
int console_loglevel = 7;
struct live_counts live, live_kernel;

#define LOG_RECORDS	2048		/* a power of two */
#define LOG_LINE_MAX	240

struct log_record {
	u64 seq;
	u64 ts_ns;			/* since boot */
	u8 level, facility;
	u16 len;
	char text[LOG_LINE_MAX];
};

static struct log_record log_ring[LOG_RECORDS];
static u64 log_next_seq;		/* the next record's number */
static u64 syslog_seq;			/* syslog(2) SYSLOG_ACTION_READ's place */
static u64 clear_seq;			/* where READ_ALL starts: after the last clear */
static struct wait_queue log_wait = WAIT_QUEUE_INIT(log_wait);
static u64 boot_ns;
static bool console_off;		/* SYSLOG_ACTION_CONSOLE_OFF */

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, unsigned long long v, int base, bool neg,
		    int width, char pad, bool upper)
{
	char tmp[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && pad == '0')
		put(o, '-');
	while (width-- > n)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

static void put_str(struct out *o, const char *s, int width, int prec, bool left)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (prec < 0 || len < prec))
		len++;
	while (!left && width-- > len)
		put(o, ' ');
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	while (left && width-- > len)
		put(o, ' ');
}

static unsigned long long get_arg(va_list *ap, int lng, bool sign)
{
	if (lng >= 2)
		return sign ? (unsigned long long)va_arg(*ap, long long) : va_arg(*ap, unsigned long long);
	if (lng == 1)
		return sign ? (unsigned long long)va_arg(*ap, long) : va_arg(*ap, unsigned long);
	if (lng == -1)
		return va_arg(*ap, size_t);
	return sign ? (unsigned long long)(long long)va_arg(*ap, int) : va_arg(*ap, unsigned int);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap0)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		int width = 0, prec = -1, lng = 0;
		bool left = false, alt = false;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '-' || *fmt == '0' || *fmt == '#'; fmt++) {
			if (*fmt == '#')
				alt = true;
			else
				*fmt == '-' ? (left = true) : (pad = '0');
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		if (*fmt == '.' && fmt[1] == '*') {
			prec = va_arg(ap, int);
			fmt += 2;
			if (prec < 0)
				prec = -1;
		} else if (*fmt == '.') {
			prec = 0;
			for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
				prec = prec * 10 + (*fmt - '0');
		}
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng = *fmt == 'z' ? -1 : lng + 1;
		switch (*fmt) {
		case 'd': case 'i': {
			long long v = (long long)get_arg(&ap, lng, true);

			put_num(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
				10, v < 0, width, pad, false);
			break;
		}
		case 'u': put_num(&o, get_arg(&ap, lng, false), 10, false, width, pad, false); break;
		case 'x': {
			unsigned long long v = get_arg(&ap, lng, false);

			if (alt && v) {
				put(&o, '0');
				put(&o, 'x');
				width -= 2;
			}
			put_num(&o, v, 16, false, width, pad, false);
			break;
		}
		case 'X': put_num(&o, get_arg(&ap, lng, false), 16, false, width, pad, true); break;
		case 'o': put_num(&o, get_arg(&ap, lng, false), 8, false, width, pad, false); break;
		case 'p':
			put(&o, '0'); put(&o, 'x');
			put_num(&o, (unsigned long)va_arg(ap, void *), 16, false, width, pad, false);
			break;
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case 's': put_str(&o, va_arg(ap, const char *), width, prec, left); break;
		case '%': put(&o, '%'); break;
		case '\0': fmt--; break;
		default: put(&o, '%'); put(&o, *fmt); break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static u64 log_time_ns(void)
{
	u64 now = os_monotonic_ns();

	if (!boot_ns)
		boot_ns = now;
	return now - boot_ns;
}

static void log_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_len + i) % LOG_BUF_LEN] = s[i];
	log_len += n;
}

static struct log_record *log_get(u64 seq)
{
	return &log_ring[seq & (LOG_RECORDS - 1)];
}

/* The oldest record still in the ring. */
static u64 log_first_seq(void)
{
	return log_next_seq > LOG_RECORDS ? log_next_seq - LOG_RECORDS : 0;
}

static void (*printk_hook)(const char *s, size_t n);

void printk_set_hook(void (*hook)(const char *s, size_t n))
{
	printk_hook = hook;
}

/* "[    1.234567] " */
static int format_time(char *buf, size_t size, u64 ns)
{
	return ksnprintf(buf, size, "[%5llu.%06llu] ", (unsigned long long)(ns / 1000000000ULL),
			 (unsigned long long)(ns % 1000000000ULL / 1000));
}

/* Stores one line (without its newline) as a record and shows it. */
static void log_line(int level, int facility, const char *s, size_t n)
{
	struct log_record *r;
	char ts[32] = "", line[LOG_LINE_MAX + 40];
	int tn, ln;

	do {
		size_t part = min(n, (size_t)LOG_LINE_MAX);

		r = log_get(log_next_seq);
		r->seq = log_next_seq++;
		r->ts_ns = log_time_ns();
		r->level = (u8)level;
		r->facility = (u8)facility;
		r->len = (u16)part;
		memcpy(r->text, s, part);
		/* The time prefix on stderr only with printk.time=1; dmesg always has it. */
		tn = boot_params.printk_time ? format_time(ts, sizeof(ts), r->ts_ns) : 0;
		ln = ksnprintf(line, sizeof(line), "%.*s%.*s\n", tn, ts, (int)part, s);
		log_text(line, (size_t)ln);
		if (printk_hook)
			printk_hook(line + tn, (size_t)(ln - tn));
		if (!console_off && (level < console_loglevel || boot_params.ignore_loglevel))
			console_write(line, ln);	/* stderr, with \r\n on a raw terminal */
		s += part;
		n -= part;
	} while (n);
	wake_up(&log_wait);
}

/* A line printed without its newline yet waits here (KERN_CONT). */
static char cont_buf[LOG_LINE_MAX];
static size_t cont_len;
static int cont_level, cont_facility;

static const char *find_nl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			return s + i;
	return NULL;
}

static void log_store(int level, int facility, const char *s, size_t n)
{
	while (n) {
		const char *nl = find_nl(s, n);
		size_t len = nl ? (size_t)(nl - s) : n;

		if (cont_len && (level != cont_level || cont_len + len > sizeof(cont_buf))) {
			log_line(cont_level, cont_facility, cont_buf, cont_len);
			cont_len = 0;
		}
		if (!nl) {
			if (len > sizeof(cont_buf)) {
				log_line(level, facility, s, len);
			} else {
				memcpy(cont_buf + cont_len, s, len);
				cont_len += len;
				cont_level = level;
				cont_facility = facility;
			}
			return;
		}
		if (cont_len) {
			memcpy(cont_buf + cont_len, s, len);
			log_line(level, facility, cont_buf, cont_len + len);
			cont_len = 0;
		} else {
			log_line(level, facility, s, len);
		}
		s += len + 1;
		n -= len + 1;
	}
}

static void log_flush_cont(void)
{
	if (cont_len)
		log_line(cont_level, cont_facility, cont_buf, cont_len);
	cont_len = 0;
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	int level = 6, n;
	const char *msg = fmt;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		msg = fmt + 2;
	} else if (fmt[0] == '\001' && fmt[1] == 'c') {	/* KERN_CONT */
		level = cont_len ? cont_level : 6;
		msg = fmt + 2;
	}
	n = kvsnprintf(buf, sizeof(buf), msg, ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	log_store(level, 0, buf, (size_t)n);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_loglevel = 8;
	log_flush_cont();
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	os_panic();		/* the report, then what panic= says */
}

/* ---- syslog(2) ---- */

/* A record as syslog(2) gives it: "<prio>[time] text\n". */
static int syslog_format(const struct log_record *r, char *buf, size_t size)
{
	char ts[32];

	format_time(ts, sizeof(ts), r->ts_ns);
	return ksnprintf(buf, size, "<%u>%s%.*s\n", (unsigned)(r->facility << 3 | r->level), ts,
			 (int)r->len, r->text);
}

static size_t syslog_bytes(u64 from)
{
	char line[LOG_LINE_MAX + 48];
	size_t total = 0;

	for (u64 seq = max(from, log_first_seq()); seq < log_next_seq; seq++)
		total += (size_t)syslog_format(log_get(seq), line, sizeof(line));
	return total;
}

/* Copies records from *seq on while they fit in len bytes; advances *seq. */
static long syslog_copy(u64 *seq, uaddr_t buf, size_t len)
{
	char line[LOG_LINE_MAX + 48];
	size_t done = 0;

	if (*seq < log_first_seq())
		*seq = log_first_seq();
	while (*seq < log_next_seq) {
		size_t n = (size_t)syslog_format(log_get(*seq), line, sizeof(line));

		if (done + n > len) {
			if (done)
				break;
			n = len;		/* one record larger than the buffer */
		}
		if (copy_to_user(uaddr_off(buf, done), line, n))
			return done ? (long)done : -EFAULT;
		done += n;
		(*seq)++;
	}
	return (long)done;
}

static long syslog_read_all(uaddr_t buf, size_t len, bool clear)
{
	u64 seq = max(clear_seq, log_first_seq());
	size_t total = syslog_bytes(seq);
	char line[LOG_LINE_MAX + 48];
	long r;

	/* The newest records that fit. */
	while (total > len && seq < log_next_seq)
		total -= (size_t)syslog_format(log_get(seq++), line, sizeof(line));
	r = syslog_copy(&seq, buf, len);
	if (clear && r >= 0)
		clear_seq = log_next_seq;
	return r;
}

/* May sleep (SYSLOG_ACTION_READ waits for messages). */
SYSCALL(syslog)
{
	int type = (int)a[0], len = (int)a[2];
	uaddr_t buf = UADDR(a[1]);

	/* Only reading the whole buffer and its size are for everyone. */
	if (type != 3 && type != 10 && t->euid != 0)
		return -EPERM;
	switch (type) {
	case 0: case 1:			/* CLOSE, OPEN */
		return 0;
	case 2:				/* READ: wait, then consume */
		if (uaddr_is_null(buf) || len < 0)
			return -EINVAL;
		if (len == 0)
			return 0;
		if (wait_event_interruptible(log_wait, syslog_seq < log_next_seq))
			return -ERESTARTSYS;
		return syslog_copy(&syslog_seq, buf, (size_t)len);
	case 3: case 4:			/* READ_ALL, READ_CLEAR */
		if (uaddr_is_null(buf) || len < 0)
			return -EINVAL;
		return syslog_read_all(buf, (size_t)len, type == 4);
	case 5:				/* CLEAR */
		clear_seq = log_next_seq;
		return 0;
	case 6: case 7:			/* CONSOLE_OFF, CONSOLE_ON */
		console_off = type == 6;
		return 0;
	case 8:				/* CONSOLE_LEVEL */
		if (len < 1 || len > 8)
			return -EINVAL;
		console_loglevel = len;
		console_off = false;
		return 0;
	case 9:				/* SIZE_UNREAD */
		return (long)syslog_bytes(syslog_seq);
	case 10:			/* SIZE_BUFFER */
		return LOG_RECORDS * LOG_LINE_MAX;
	default:
		return -EINVAL;
	}
}

/* ---- /dev/kmsg (char 1:11) ---- */

struct kmsg_user {
	u64 seq;
};

static int kmsg_open(struct inode *inode, struct file *f)
{
	struct kmsg_user *u = kzalloc(sizeof(*u));

	if (!u)
		return -ENOMEM;
	u->seq = log_first_seq();
	f->private_data = u;
	return 0;
}

static void kmsg_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
	f->private_data = NULL;
}

/* "prio,seq,usec,-;text\n", unprintable bytes as \xNN, as Linux writes them. */
static int kmsg_format(const struct log_record *r, char *buf, size_t size)
{
	int n = ksnprintf(buf, size, "%u,%llu,%llu,-;", (unsigned)(r->facility << 3 | r->level),
			  (unsigned long long)r->seq, (unsigned long long)(r->ts_ns / 1000));

	for (int i = 0; i < r->len && (size_t)n + 5 < size; i++) {
		unsigned char c = (unsigned char)r->text[i];

		if (c < ' ' || c >= 127 || c == '\\')
			n += ksnprintf(buf + n, size - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	buf[n++] = '\n';
	return n;
}

/* One record per read.  May sleep. */
static ssize_t kmsg_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct kmsg_user *ku = f->private_data;
	char line[LOG_LINE_MAX * 4 + 64];
	size_t n;
	long err;

	if (ku->seq < log_first_seq()) {
		ku->seq = log_first_seq();	/* records were overwritten */
		return -EPIPE;
	}
	if (ku->seq >= log_next_seq) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(log_wait, ku->seq < log_next_seq))
			return -ERESTARTSYS;
		if (ku->seq < log_first_seq()) {
			ku->seq = log_first_seq();
			return -EPIPE;
		}
	}
	n = (size_t)kmsg_format(log_get(ku->seq), line, sizeof(line));
	if (n > u->len - u->done)
		return -EINVAL;
	err = uio_copy_out(u, line, n);
	if (err < 0)
		return err;
	ku->seq++;
	return (ssize_t)n;
}

/* A write is one message: "<N>" sets level and facility (default: user, warning). */
static ssize_t kmsg_write(struct file *f, struct uio *u, loff_t *pos)
{
	char buf[1024];
	size_t n = min(u->len - u->done, sizeof(buf) - 1), total = u->len - u->done;
	int level = 4, facility = 1;
	const char *s = buf;
	long err = uio_copy_in(u, buf, n);

	if (err < 0)
		return err;
	buf[n] = '\0';
	if (buf[0] == '<') {
		unsigned v = 0;
		const char *p = buf + 1;

		while (*p >= '0' && *p <= '9' && v < 100000)
			v = v * 10 + (unsigned)(*p++ - '0');
		if (*p == '>' && p > buf + 1) {
			level = v & 7;
			if (v >> 3)
				facility = (int)(v >> 3) & 0xff;
			s = p + 1;
		}
	}
	n -= (size_t)(s - buf);
	while (n && s[n - 1] == '\n')
		n--;
	log_flush_cont();
	log_line(level, facility, s, n);
	u->done = u->len;
	return (ssize_t)total;
}

static loff_t kmsg_llseek(struct file *f, loff_t off, int whence)
{
	struct kmsg_user *ku = f->private_data;

	if (off)
		return -ESPIPE;
	switch (whence) {
	case 0:		/* SEEK_SET: the first record */
		ku->seq = log_first_seq();
		return 0;
	case 3:		/* SEEK_DATA: after the last clear, as dmesg -c left it */
		ku->seq = max(clear_seq, log_first_seq());
		return 0;
	case 2:		/* SEEK_END: only what comes next */
		ku->seq = log_next_seq;
		return 0;
	default:
		return -EINVAL;
	}
}

static unsigned kmsg_poll(struct file *f, struct poll_table *pt)
{
	struct kmsg_user *ku = f->private_data;
	unsigned mask = 0;

	poll_wait(f, &log_wait, pt);
	if (ku->seq < log_next_seq)
		mask |= POLLIN | POLLRDNORM;
	if (ku->seq < log_first_seq())
		mask |= POLLERR | POLLPRI;
	return mask;
}

const struct file_operations kmsg_fops = {
	.open = kmsg_open, .release = kmsg_release,
	.read = kmsg_read, .write = kmsg_write,
	.llseek = kmsg_llseek, .poll = kmsg_poll,
};
