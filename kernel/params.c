/*
 * params.c - the kernel command line, UML style.
 *
 * ./linux [name=value | word]... [-- init-arguments...]
 * Known parameters configure the kernel; as on Linux, an unknown
 * name=value goes into init's environment and a plain word into init's
 * arguments.  Every value is validated here, before anything is touched.
 * Pure code: tests/unit/test_params.c runs it on the host.
 */
#include "kernel/init.h"
#include "kernel/kernel.h"
#include "shared/ubd.h"

struct boot_params boot_params;

#define LIVE_NAME(k) #k,
const char *const live_kind_names[NR_LIVE_KINDS] = { LIVE_KINDS(LIVE_NAME) };
#undef LIVE_NAME

static int fail(char *err, size_t len, const char *word, const char *why)
{
	ksnprintf(err, len, "linux: bad parameter '%s': %s", word, why);
	return -EINVAL;
}

/* Parses "256M", "1G", "65536K", "1048576" into bytes. */
static int parse_size(const char *s, u64 *out)
{
	char num[32];
	size_t n = strlen(s);
	unsigned long long v, mul = 1;

	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'K': case 'k': mul = 1ULL << 10; num[--n] = 0; break;
	case 'M': case 'm': mul = 1ULL << 20; num[--n] = 0; break;
	case 'G': case 'g': mul = 1ULL << 30; num[--n] = 0; break;
	}
	if (n == 0 || num[0] < '0' || num[0] > '9' || kstrtou64(num, 10, &v) < 0 ||
	    __builtin_mul_overflow(v, mul, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * ubd<N>[flags]=FILE[,BACKING] with N a digit 0-15 or a letter a-p and
 * flags any of UML's r (read-only), s (synchronous), d (data only: no COW
 * header), c (shared: no host lock), t (no trim: we never discard).
 */
static int parse_ubd(const char *word, const char *name, const char *val,
		     struct boot_params *bp, char *err, size_t len)
{
	const char *p = name + 3, *comma;
	int n, flags = 0;

	if (*p >= 'a' && *p <= 'p') {
		n = *p++ - 'a';
	} else if (*p >= '0' && *p <= '9') {
		n = *p++ - '0';
		if (*p >= '0' && *p <= '9')
			n = n * 10 + (*p++ - '0');
	} else {
		return fail(err, len, word, "expected ubd<N>=FILE");
	}
	for (; *p != '='; p++) {
		if (*p == 'r')
			flags |= UBD_F_RO;
		else if (*p == 's')
			flags |= UBD_F_SYNC;
		else if (*p == 'd')
			flags |= UBD_F_NOCOW;
		else if (*p == 'c')
			flags |= UBD_F_SHARED;
		else if (*p != 't')
			return fail(err, len, word, "unknown ubd flag (known: r, s, d, c, t)");
	}
	if (n >= MAX_UBD)
		return fail(err, len, word, "device number out of range (0-15)");
	if (!*val)
		return fail(err, len, word, "empty file name");
	comma = strchr(val, ',');
	if (comma && (comma == val || !comma[1] || strchr(comma + 1, ',')))
		return fail(err, len, word, "expected ubd<N>=COW,BACKING");
	if (comma && (flags & UBD_F_NOCOW))
		return fail(err, len, word, "a data-only disk (d) cannot have a COW file");
	bp->ubd[n] = val;
	bp->ubd_ro[n] = flags & UBD_F_RO;
	bp->ubd_flags[n] = (u8)flags;
	return 0;
}

static bool name_is(const char *name, size_t nlen, const char *s)
{
	return strlen(s) == nlen && !strncmp(name, s, nlen);
}

static bool env_name_is(const char *w, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(w, name, n) && w[n] == '=';
}

/*
 * Adds an unknown name=value to init's environment.  As Linux's
 * unknown_bootoption, a name given twice keeps the last value, and the
 * environment holds at most MAX_INIT_ENVS strings with the HOME and TERM
 * that start_kernel adds when the command line does not set them.
 */
static int add_env(char *word, size_t nlen, struct boot_params *bp, char *err, size_t len)
{
	int reserved = 2, i;

	for (i = 0; i < bp->envc; i++) {
		if (!strncmp(bp->envp[i], word, nlen + 1)) {
			bp->envp[i] = word;
			return 0;
		}
		if (env_name_is(bp->envp[i], "HOME") || env_name_is(bp->envp[i], "TERM"))
			reserved--;
	}
	if (env_name_is(word, "HOME") || env_name_is(word, "TERM"))
		reserved--;
	if (bp->envc + 1 + reserved > MAX_INIT_ENVS)
		return fail(err, len, word, "too many boot env vars (at most 32 with HOME and "
			    "TERM, as Linux's MAX_INIT_ENVS)");
	bp->envp[bp->envc++] = word;
	return 0;
}

/* "fd:N": N, or -1. */
static int parse_fd(const char *s, size_t n)
{
	unsigned long long v;
	char buf[16];

	if (n < 4 || n >= sizeof(buf) || strncmp(s, "fd:", 3))
		return -1;
	memcpy(buf, s + 3, n - 3);
	buf[n - 3] = '\0';
	if (kstrtou64(buf, 10, &v) < 0 || v > 1023)
		return -1;
	return (int)v;
}

/*
 * A channel as UML writes it: fd:IN,fd:OUT (fd:N for both), null, pts
 * (a host pty whose name is printed) or port:N (a 127.0.0.1 listener).
 * UML's xterm, pty (BSD ptys) and tty:DEVICE channels are refused.
 */
static int parse_chan(const char *word, const char *val, struct chan_spec *c, char *err, size_t len)
{
	const char *comma = strchr(val, ',');
	unsigned long long v;

	memset(c, 0, sizeof(*c));
	if (!strcmp(val, "null")) {
		c->kind = CHAN_NULL;
		c->in = c->out = -1;
		return 0;
	}
	if (!strcmp(val, "pts")) {
		c->kind = CHAN_PTS;
		return 0;
	}
	if (!strncmp(val, "port:", 5)) {
		if (kstrtou64(val + 5, 10, &v) < 0 || v < 1 || v > 65535)
			return fail(err, len, word, "expected port:N with N from 1 to 65535");
		c->kind = CHAN_PORT;
		c->port = (u16)v;
		return 0;
	}
	if (!strcmp(val, "xterm") || !strcmp(val, "pty") || !strncmp(val, "tty:", 4))
		return fail(err, len, word, "UML's xterm, pty and tty: channels are not supported "
			    "(use pts and attach with screen, or port:N and telnet)");
	c->in = parse_fd(val, comma ? (size_t)(comma - val) : strlen(val));
	c->out = comma ? parse_fd(comma + 1, strlen(comma + 1)) : c->in;
	if (c->in < 0 || c->out < 0)
		return fail(err, len, word, "expected fd:N[,fd:M], null, pts or port:N");
	c->kind = CHAN_FD;
	return 0;
}

/*
 * con=, conN=, ssl=, sslN=: UML's consoles (con0 the console, con1.. as
 * /dev/tty1..) and serial lines (/dev/ttyS0..).  Returns 1 when word is
 * not one of them.
 */
static int parse_line(const char *word, size_t nlen, const char *val, struct boot_params *bp,
		      char *err, size_t len)
{
	bool con = nlen >= 3 && !strncmp(word, "con", 3);
	bool ssl = nlen >= 3 && !strncmp(word, "ssl", 3);
	unsigned long long n;
	char num[8];

	if (!con && !ssl)
		return 1;
	if (nlen == 3)
		return parse_chan(word, val, con ? &bp->con_all : &bp->ssl_all, err, len);
	if (nlen - 3 >= sizeof(num))
		return 1;
	memcpy(num, word + 3, nlen - 3);
	num[nlen - 3] = '\0';
	if (num[0] < '0' || num[0] > '9' || kstrtou64(num, 10, &n) < 0)
		return 1;
	if (con && n >= NR_CON)
		return fail(err, len, word, "no such console: con0 to con15 (16, as UML)");
	if (ssl && n >= NR_SSL)
		return fail(err, len, word, "no such serial line: ssl0 to ssl63 (64, as UML)");
	return parse_chan(word, val, con ? &bp->con[n] : &bp->ssl[n], err, len);
}

/* con0's channel: con0=, else con=, else fd:0,fd:1; con_in/con_out for fd and null. */
static void resolve_con0(struct boot_params *bp)
{
	struct chan_spec *c = &bp->con[0];

	if (c->kind == CHAN_UNSET)
		*c = bp->con_all;
	if (c->kind == CHAN_UNSET) {
		c->kind = CHAN_FD;
		c->in = 0;
		c->out = 1;
	}
	bp->con_in = c->kind == CHAN_FD ? c->in : -1;
	bp->con_out = c->kind == CHAN_FD ? c->out : -1;
}

static int parse_word(char *word, struct boot_params *bp, char *err, size_t len)
{
	char *eq = strchr(word, '=');
	size_t nlen = eq ? (size_t)(eq - word) : strlen(word);
	const char *val = eq ? eq + 1 : NULL;
	unsigned long long v;
	int r;

	if (word[0] == '-' && word[1] == '-')	/* "--" itself ends the parameters */
		return fail(err, len, word, "unknown option (see --help)");
	if (!eq) {
		if (name_is(word, nlen, "quiet"))
			bp->loglevel = 4;
		else if (name_is(word, nlen, "ro"))
			bp->root_ro = true;
		else if (name_is(word, nlen, "rw"))
			bp->root_ro = false;
		else if (name_is(word, nlen, "debug"))
			bp->loglevel = 8;
		else if (name_is(word, nlen, "ignore_loglevel"))
			bp->ignore_loglevel = true;
		else if (bp->argc < MAX_INIT_ARGS - 1)
			bp->argv[++bp->argc] = word;
		else
			return fail(err, len, word, "too many init arguments (at most 31, as "
				    "Linux's MAX_INIT_ARGS)");
		return 0;
	}
	if (name_is(word, nlen, "mem")) {
		if (parse_size(val, &bp->mem) < 0)
			return fail(err, len, word, "expected a size such as 256M");
		if (bp->mem < (16ULL << 20) || bp->mem > (64ULL << 30))
			return fail(err, len, word, "size must be between 16M and 64G");
		bp->mem &= ~0xfffffULL;
	} else if (nlen >= 4 && !strncmp(word, "ubd", 3)) {
		return parse_ubd(word, word, val, bp, err, len);
	} else if (nlen == 4 && !strncmp(word, "eth", 3) && word[3] >= '0' && word[3] <= '7') {
		if (!*val)
			return fail(err, len, word, "expected a transport: slirp, tuntap,TAP, mcast or pcap,IFACE");
		bp->eth[word[3] - '0'] = val;
	} else if (name_is(word, nlen, "ip")) {
		if (!*val)
			return fail(err, len, word, "expected dhcp, ethN:dhcp, off or ADDR::GW:MASK::ethN");
		bp->ip = val;
	} else if (name_is(word, nlen, "root")) {
		if (!*val)
			return fail(err, len, word, "empty device");
		bp->root = val;
	} else if (name_is(word, nlen, "rootfstype")) {
		if (!*val)
			return fail(err, len, word, "empty type");
		bp->rootfstype = val;
	} else if (name_is(word, nlen, "rootflags")) {
		bp->rootflags = val;
	} else if (name_is(word, nlen, "init")) {
		if (val[0] != '/')
			return fail(err, len, word, "expected an absolute path");
		bp->init = val;
	} else if (name_is(word, nlen, "loglevel")) {
		if (kstrtou64(val, 10, &v) < 0 || v > 8)
			return fail(err, len, word, "expected a number 0-8");
		bp->loglevel = (int)v;
	} else if (name_is(word, nlen, "pin")) {
		if (!strcmp(val, "auto"))
			bp->pin = -1;
		else if (!strcmp(val, "off"))
			bp->pin = -2;
		else if (kstrtou64(val, 10, &v) == 0 && v < 4096)
			bp->pin = (int)v;
		else
			return fail(err, len, word, "expected auto, off or a CPU number");
	} else if (name_is(word, nlen, "umid")) {
		if (!*val || strlen(val) > UMID_MAX || strchr(val, '/') ||
		    !strcmp(val, ".") || !strcmp(val, ".."))
			return fail(err, len, word, "expected a name of 1-64 characters without '/'");
		bp->umid = val;
	} else if (name_is(word, nlen, "hostfs")) {
		if (val[0] != '/')
			return fail(err, len, word, "expected an absolute host directory");
		bp->hostfs = val;
	} else if (name_is(word, nlen, "uml_dir")) {
		if (!*val)
			return fail(err, len, word, "empty directory");
		bp->uml_dir = val;
	} else if (name_is(word, nlen, "printk.time")) {
		if (strcmp(val, "0") && strcmp(val, "1") && strcmp(val, "y") && strcmp(val, "n"))
			return fail(err, len, word, "expected 0, 1, y or n");
		bp->printk_time = val[0] == '1' || val[0] == 'y';
	} else if (name_is(word, nlen, "panic")) {
		const char *d = val[0] == '-' ? val + 1 : val;

		if (kstrtou64(d, 10, &v) < 0 || v > 1000000)
			return fail(err, len, word, "expected seconds (0: stay, negative: at once)");
		bp->panic_timeout = val[0] == '-' ? -(int)v : (int)v;
		bp->panic_set = true;
	} else if (name_is(word, nlen, "oops")) {
		if (!strcmp(val, "core") || !strcmp(val, "panic,core") || !strcmp(val, "core,panic"))
			bp->oops_core = true;
		else if (strcmp(val, "panic"))
			return fail(err, len, word, "expected panic, core or panic,core");
	} else if (name_is(word, nlen, "test_crash")) {
		char *kind = bp->test_crash_buf, *comma;

		kstrlcpy(kind, val, sizeof(bp->test_crash_buf));
		comma = strchr(kind, ',');
		if (comma)
			*comma = '\0';
		if (strcmp(kind, "segv") && strcmp(kind, "bug") && strcmp(kind, "ill"))
			return fail(err, len, word, "expected segv, bug or ill[,SYSCALL]");
		bp->test_crash = kind;
		bp->test_crash_syscall = comma && comma[1] ? comma + 1 : NULL;
	} else if (name_is(word, nlen, "leak_test")) {
		for (r = 0; r < NR_LIVE_KINDS && strcmp(val, live_kind_names[r]); r++)
			;
		if (r == NR_LIVE_KINDS)
			return fail(err, len, word, "expected a refcounted kind (mms, files, ...; "
				    "kernel/kernel.h LIVE_KINDS)");
		bp->leak_test = r;
	} else if (name_is(word, nlen, "strace")) {
		bp->strace = val;
	} else if (name_is(word, nlen, "strace_file")) {
		if (!*val)
			return fail(err, len, word, "empty file name");
		bp->strace_file = val;
	} else if (name_is(word, nlen, "seccomp_notif")) {
		if (strcmp(val, "0") && strcmp(val, "1") && strcmp(val, "off") && strcmp(val, "on"))
			return fail(err, len, word, "expected on, off, 1 or 0");
		bp->seccomp_notif_off = val[0] == '0' || !strcmp(val, "off");
	} else if (name_is(word, nlen, "max_procs")) {
		if (kstrtou64(val, 10, &v) < 0 || v < 2 || v > MAX_PROCS_LIMIT)
			return fail(err, len, word, "expected a number of processes, 2-65536");
		bp->max_procs = (u32)v;
	} else if ((r = parse_line(word, nlen, val, bp, err, len)) != 1) {
		return r;
	} else if (name_is(word, nlen, "mode")) {
		if (!*val)	/* the name itself is checked at boot: platform_select() */
			return fail(err, len, word, "expected a platform name");
		bp->mode = val;
	} else {
		return add_env(word, nlen, bp, err, len);
	}
	return 0;
}

static void append_cmdline(struct boot_params *bp, const char *w)
{
	size_t n = strlen(bp->cmdline);

	if (n && n + 1 < sizeof(bp->cmdline))
		bp->cmdline[n++] = ' ';
	kstrlcpy(bp->cmdline + n, w, sizeof(bp->cmdline) - n);
}

int parse_params(int argc, char **argv, struct boot_params *bp, char *err, size_t errlen)
{
	int i, r;

	memset(bp, 0, sizeof(*bp));
	bp->mem = 256ULL << 20;
	bp->root = "/dev/ubda";
	bp->loglevel = 7;
	bp->mode = NULL;		/* the platforms' first */
	bp->pin = -1;
	bp->max_procs = 0;		/* not given: start_kernel derives it */
	bp->leak_test = -1;
	for (i = 1; i < argc; i++) {
		append_cmdline(bp, argv[i]);
		if (!strcmp(argv[i], "--")) {
			for (i++; i < argc; i++) {
				if (bp->argc >= MAX_INIT_ARGS - 1)
					return fail(err, errlen, argv[i], "too many init arguments "
						    "(at most 31, as Linux's MAX_INIT_ARGS)");
				append_cmdline(bp, argv[i]);
				bp->argv[++bp->argc] = argv[i];
			}
			break;
		}
		r = parse_word(argv[i], bp, err, errlen);
		if (r < 0)
			return r;
	}
	resolve_con0(bp);
	return 0;
}
