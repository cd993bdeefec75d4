/*
 * printk.c - kernel messages.  Formatting is our own small vsnprintf;
 * messages are kept in log_buf (for gdb's lx-dmesg and syslog(2)) and
 * written to the host's stderr unless their level is above loglevel.
 */
#include "kernel/kernel.h"
#include "kernel/tty.h"
#include "shared/os.h"

#define LOG_BUF_LEN (64 * 1024)
char log_buf[LOG_BUF_LEN];
unsigned long log_len;			/* bytes ever logged */
int console_loglevel = 7;
struct live_counts live, live_kernel;

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
		bool left = false;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '-' || *fmt == '0'; fmt++)
			*fmt == '-' ? (left = true) : (pad = '0');
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		if (*fmt == '.') {
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
		case 'x': put_num(&o, get_arg(&ap, lng, false), 16, false, width, pad, false); break;
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

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_len + i) % LOG_BUF_LEN] = s[i];
	log_len += n;
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	int level = 6, n;
	const char *msg = fmt;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		msg = fmt + 2;
	}
	n = kvsnprintf(buf, sizeof(buf), msg, ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	log_store(buf, n);
	if (level < console_loglevel)
		console_write(buf, n);	/* stderr, with \r\n on a raw terminal */
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
	printk(KERN_EMERG "Kernel panic: %s\n", buf);
	os_abort();
}
