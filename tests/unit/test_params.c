/* unit-sources: kernel/params.c kernel/lib.c */
/*
 * test_params.c - the kernel command line (parse_params): defaults, the
 * known parameters and their validation, ubd device names, the split
 * into init's argv and environment, "--", /proc/cmdline, and the limits.
 *
 * Only kernel headers are included (they clash with libc's); the few
 * libc functions used are declared here.
 */
#include "kernel/init.h"
#include "kernel/kernel.h"
#include "shared/ubd.h"

int printf(const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
char *strstr(const char *h, const char *n);
void *malloc(size_t n);
void free(void *p);
int sprintf(char *buf, const char *fmt, ...);

/* ---- fakes ---- */

void *kmalloc(size_t n) { return malloc(n); }
void kfree(const void *p) { free((void *)p); }

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- helpers ---- */

static int failures, count;
static struct boot_params bp;
static char err[256];

static void check(int ok, const char *name, const char *why)
{
	count++;
	if (ok) {
		printf("ok %d %s\n", count, name);
	} else {
		printf("not ok %d %s: %s\n", count, name, why);
		failures++;
	}
}

/* Parses the words of a NULL-terminated list as ./linux's arguments. */
static int parse(const char *const *words)
{
	static char *argv[512];
	int argc = 0;

	argv[argc++] = "./linux";
	while (*words)
		argv[argc++] = (char *)*words++;
	argv[argc] = NULL;
	err[0] = 0;
	return parse_params(argc, argv, &bp, err, sizeof(err));
}

#define PARSE(...) parse((const char *const[]){ __VA_ARGS__, NULL })

static int streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Expects one word to be rejected with -EINVAL and a message naming it. */
static void expect_bad(const char *word)
{
	char name[128];
	int r = PARSE("mem=64M", word);

	sprintf(name, "rejects '%s'", word);
	check(r == -EINVAL, name, "not -EINVAL");
	sprintf(name, "error for '%s' names the word", word);
	check(strstr(err, word) != NULL, name, err[0] ? err : "empty message");
}

/* ---- tests ---- */

static void test_defaults(void)
{
	int r = PARSE(NULL);	/* argv is just "./linux" */

	check(r == 0, "no arguments parse", "nonzero");
	check(bp.mem == 256ULL << 20, "default mem 256M", "wrong");
	check(streq(bp.root, "/dev/ubda"), "default root /dev/ubda", "wrong");
	check(bp.loglevel == 7, "default loglevel 7", "wrong");
	check(bp.pin == -1, "default pin -1 (auto)", "wrong");
	check(bp.mode == NULL, "no mode: the default platform", "wrong");
	check(!bp.root_ro && !bp.rootfstype && !bp.init, "default root rw, fstype/init unset",
	      "wrong");
	check(bp.argc == 0 && bp.envc == 0, "default no init args/env", "wrong");
	check(bp.cmdline[0] == 0, "default empty cmdline", "wrong");
	bool none = true;

	for (int i = 0; i < MAX_UBD; i++)
		if (bp.ubd[i] || bp.ubd_ro[i])
			none = false;
	check(none, "default no ubd devices", "one set");
}

static void test_defaults_reset(void)
{
	/* A second parse starts from the defaults again, not the last state. */
	PARSE("mem=1G", "quiet", "ro", "ubd3=x", "foo", "A=B");
	PARSE("rw");
	check(bp.mem == 256ULL << 20 && bp.loglevel == 7 && !bp.ubd[3] &&
	      bp.argc == 0 && bp.envc == 0 && streq(bp.cmdline, "rw"),
	      "a second parse starts from the defaults", "state left over");
}

static void test_mem(void)
{
	static const struct { const char *w; u64 v; } ok[] = {
		{ "mem=16M", 16ULL << 20 },
		{ "mem=64m", 64ULL << 20 },
		{ "mem=1G", 1ULL << 30 },
		{ "mem=2g", 2ULL << 30 },
		{ "mem=64G", 64ULL << 30 },
		{ "mem=65536K", 64ULL << 20 },
		{ "mem=131072k", 128ULL << 20 },
		{ "mem=33554432", 32ULL << 20 },
		{ "mem=16777216", 16ULL << 20 },
	};
	char name[128];

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		int r = PARSE(ok[i].w);

		sprintf(name, "%s accepted", ok[i].w);
		check(r == 0, name, err);
		sprintf(name, "%s is %llu bytes", ok[i].w, (unsigned long long)ok[i].v);
		check(bp.mem == ok[i].v, name, "wrong size");
	}
	/* Sizes that are not a whole MiB are rounded down to one. */
	check(PARSE("mem=20000K") == 0 && bp.mem == 19ULL << 20 && !(bp.mem & 0xfffff),
	      "mem=20000K rounds down to whole MiB", "not rounded");
	check(PARSE("mem=1G", "mem=32M") == 0 && bp.mem == 32ULL << 20,
	      "last mem= wins", "wrong");
	/* Not mem=: must not be mistaken for it. */
	check(PARSE("memory=1G") == 0 && bp.mem == 256ULL << 20 && bp.envc == 1,
	      "memory=1G is not mem=", "parsed as mem");
}

static void test_mem_bad(void)
{
	static const char *const bad[] = {
		"mem=abc", "mem=", "mem=12X", "mem=M", "mem=15M", "mem=16383K",
		"mem=16777215", "mem=65G", "mem=64G1", "mem=-1M", "mem=1T",
		"mem=0x10000000", "mem= 64M", "mem=64MM", "mem=0",
		"mem=99999999999999999999", "mem=18446744073709551615K",
		"mem=17179869184G",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_bad(bad[i]);
}

static void test_mem_error_leaves_no_partial_state(void)
{
	int r = PARSE("mem=1G", "mem=1T");

	check(r == -EINVAL, "a bad mem= after a good one still fails", "accepted");
}

static void test_loglevel(void)
{
	check(PARSE("loglevel=0") == 0 && bp.loglevel == 0, "loglevel=0", "wrong");
	check(PARSE("loglevel=8") == 0 && bp.loglevel == 8, "loglevel=8", "wrong");
	check(PARSE("loglevel=3") == 0 && bp.loglevel == 3, "loglevel=3", "wrong");
	expect_bad("loglevel=9");
	expect_bad("loglevel=x");
	expect_bad("loglevel=");
	expect_bad("loglevel=-1");
	expect_bad("loglevel=99999999999999999999999");
	check(PARSE("quiet") == 0 && bp.loglevel == 4, "quiet is loglevel 4", "wrong");
	check(PARSE("debug") == 0 && bp.loglevel == 8, "debug is loglevel 8", "wrong");
	check(PARSE("quiet", "loglevel=6") == 0 && bp.loglevel == 6,
	      "later loglevel= overrides quiet", "wrong");
	check(bp.argc == 0, "quiet is not an init argument", "went to argv");
}

static void test_leak_test(void)
{
	check(PARSE("mem=64M") == 0 && bp.leak_test == -1, "no leak_test= by default", "set");
	check(PARSE("leak_test=files") == 0 && bp.leak_test == LIVE_files, "leak_test=files", "wrong");
	check(PARSE("leak_test=vmallocs") == 0 && bp.leak_test == LIVE_vmallocs,
	      "leak_test=vmallocs (the last kind)", "wrong");
	check(PARSE("leak_test=mms") == 0 && bp.leak_test == LIVE_mms && bp.envc == 0,
	      "leak_test=mms (the first kind), not an env word", "wrong");
	expect_bad("leak_test=");
	expect_bad("leak_test=file");
	expect_bad("leak_test=filesx");
	expect_bad("leak_test=tasks");
}

static void test_root_flags(void)
{
	check(PARSE("ro") == 0 && bp.root_ro, "ro sets root_ro", "not set");
	check(PARSE("ro", "rw") == 0 && !bp.root_ro, "rw after ro clears it", "still ro");
	check(PARSE("root=/dev/ubdb", "rootfstype=ext2") == 0 && streq(bp.root, "/dev/ubdb") &&
	      streq(bp.rootfstype, "ext2"), "root= and rootfstype=", "wrong");
	expect_bad("root=");
	expect_bad("rootfstype=");
	check(bp.argc == 0 && bp.envc == 0, "ro/rw/root= are not passed to init", "passed");
}

static void test_init(void)
{
	check(PARSE("init=/bin/sh") == 0 && streq(bp.init, "/bin/sh"), "init=/bin/sh", "wrong");
	expect_bad("init=relative");
	expect_bad("init=bin/sh");
	expect_bad("init=");
}

static void test_pin_mode(void)
{
	check(PARSE("pin=3") == 0 && bp.pin == 3, "pin=3", "wrong");
	check(PARSE("pin=0") == 0 && bp.pin == 0, "pin=0", "wrong");
	check(PARSE("pin=off") == 0 && bp.pin == -2, "pin=off is -2", "wrong");
	check(PARSE("pin=3", "pin=auto") == 0 && bp.pin == -1, "pin=auto is -1", "wrong");
	expect_bad("pin=abc");
	expect_bad("pin=");
	expect_bad("pin=-1");
	expect_bad("pin=99999999999");
	check(PARSE("mode=ptrace") == 0 && streq(bp.mode, "ptrace"), "mode=ptrace", "wrong");
	/* The name is checked at boot against the platforms built in
	 * (tests/boot/run bad_params, boot_mode_unknown). */
	check(PARSE("mode=nosuch") == 0 && streq(bp.mode, "nosuch"), "mode=nosuch parses", "wrong");
	expect_bad("mode=");
	check(PARSE("quiet") == 0 && !bp.seccomp_notif_off, "seccomp_notif on by default", "wrong");
	check(PARSE("seccomp_notif=off") == 0 && bp.seccomp_notif_off, "seccomp_notif=off", "wrong");
	check(PARSE("seccomp_notif=0") == 0 && bp.seccomp_notif_off, "seccomp_notif=0", "wrong");
	check(PARSE("seccomp_notif=off", "seccomp_notif=on") == 0 && !bp.seccomp_notif_off,
	      "seccomp_notif=on after off", "wrong");
	expect_bad("seccomp_notif=maybe");
	expect_bad("seccomp_notif=");
}

static void test_max_procs(void)
{
	check(PARSE("quiet") == 0 && bp.max_procs == 0, "max_procs not given is 0 (derived at boot)",
	      "nonzero");
	check(PARSE("max_procs=64") == 0 && bp.max_procs == 64, "max_procs=64", "wrong");
	check(PARSE("max_procs=65536") == 0 && bp.max_procs == 65536, "max_procs at its limit", err);
	check(PARSE("max_procs=1") == -EINVAL && strstr(err, "max_procs=1"), "max_procs=1 refused", err);
	check(PARSE("max_procs=65537") == -EINVAL, "max_procs past 65536 refused", "accepted");
	check(PARSE("max_procs=abc") == -EINVAL, "max_procs=abc refused", "accepted");
	check(PARSE("max_procs=") == -EINVAL, "max_procs= refused", "accepted");
	check(PARSE("max_procs=8") == 0 && bp.envc == 0, "max_procs is not environment", "it is");
}

static void test_con(void)
{
	check(PARSE("quiet") == 0 && bp.con_in == 0 && bp.con_out == 1, "console default fd:0,fd:1",
	      "wrong");
	check(PARSE("con0=null") == 0 && bp.con_in == -1 && bp.con_out == -1, "con0=null", "wrong");
	check(PARSE("con=fd:3,fd:4") == 0 && bp.con_in == 3 && bp.con_out == 4, "con=fd:3,fd:4", err);
	check(PARSE("con0=fd:5") == 0 && bp.con_in == 5 && bp.con_out == 5, "con0=fd:5 for both", err);
	check(PARSE("con0=pts") == 0 && bp.con[0].kind == CHAN_PTS && bp.con_in == -1, "con0=pts", err);
	check(PARSE("con0=port:9000") == 0 && bp.con[0].kind == CHAN_PORT && bp.con[0].port == 9000,
	      "con0=port:9000", err);
	check(PARSE("con=pts", "con0=fd:0,fd:1") == 0 && bp.con[0].kind == CHAN_FD &&
	      bp.con_all.kind == CHAN_PTS && bp.con[1].kind == CHAN_UNSET, "con= is the others' default", err);
	check(PARSE("con=null") == 0 && bp.con[0].kind == CHAN_NULL && bp.con_out == -1,
	      "con= alone sets con0 too", err);
	check(PARSE("con15=pts", "ssl63=port:1", "ssl=null") == 0 && bp.con[15].kind == CHAN_PTS &&
	      bp.ssl[63].port == 1 && bp.ssl_all.kind == CHAN_NULL, "con15, ssl63 and ssl=", err);
	check(PARSE("con16=pts") == -EINVAL && strstr(err, "con0 to con15"), "con16 refused", err);
	check(PARSE("ssl64=pts") == -EINVAL && strstr(err, "ssl0 to ssl63"), "ssl64 refused", err);
	check(PARSE("con1=xterm") == -EINVAL && strstr(err, "xterm"), "xterm refused clearly", err);
	check(PARSE("ssl0=port:0") == -EINVAL && PARSE("ssl0=port:65536") == -EINVAL &&
	      PARSE("ssl0=port:") == -EINVAL && PARSE("ssl0=port:x") == -EINVAL, "bad ports refused", "accepted");
	check(PARSE("ssl0=pts2") == -EINVAL, "ssl0=pts2 refused", "accepted");
	check(PARSE("console=ttyS0") == 0 && bp.envc == 1 && bp.con[0].kind == CHAN_FD,
	      "console= is not a channel", "it is");
	check(PARSE("con0=fd:1,") == -EINVAL, "con0=fd:1, refused", "accepted");
	check(PARSE("con0=fd:") == -EINVAL, "con0=fd: refused", "accepted");
	check(PARSE("con0=fd:99999") == -EINVAL, "con0=fd:99999 refused", "accepted");
	check(PARSE("con0=null") == 0 && bp.envc == 0, "con0 is not environment", "it is");
}

static void test_ubd(void)
{
	check(PARSE("ubd0=root.img") == 0 && streq(bp.ubd[0], "root.img") && !bp.ubd_ro[0],
	      "ubd0=root.img", "wrong");
	check(PARSE("ubd1r=data.img") == 0 && streq(bp.ubd[1], "data.img") && bp.ubd_ro[1],
	      "ubd1r= is read-only", "wrong");
	check(PARSE("ubd2s=a.img") == 0 && streq(bp.ubd[2], "a.img") && !bp.ubd_ro[2],
	      "ubd2s= (sync) accepted, writable", "wrong");
	check(PARSE("ubd3rs=a.img") == 0 && bp.ubd[3] && bp.ubd_ro[3], "ubd3rs= accepted",
	      "wrong");
	check(PARSE("ubd15=last.img") == 0 && streq(bp.ubd[15], "last.img"), "ubd15=", "wrong");
	check(PARSE("ubd10=ten.img") == 0 && streq(bp.ubd[10], "ten.img") && !bp.ubd[1] &&
	      !bp.ubd[0], "ubd10= is device 10, not 1", "wrong");
	check(PARSE("ubda=a.img") == 0 && streq(bp.ubd[0], "a.img"), "ubda= is device 0", "wrong");
	check(PARSE("ubdb=b.img") == 0 && streq(bp.ubd[1], "b.img"), "ubdb= is device 1", "wrong");
	check(PARSE("ubdp=p.img") == 0 && streq(bp.ubd[15], "p.img"), "ubdp= is device 15",
	      "wrong");
	check(PARSE("ubdcr=c.img") == 0 && streq(bp.ubd[2], "c.img") && bp.ubd_ro[2],
	      "ubdcr= is device 2 read-only", "wrong");
	check(PARSE("ubd0r=a", "ubd0=b") == 0 && streq(bp.ubd[0], "b") && !bp.ubd_ro[0],
	      "later ubd0= replaces file and ro flag", "wrong");
	check(PARSE("ubd0=dir/with=equals") == 0 && streq(bp.ubd[0], "dir/with=equals"),
	      "ubd file name may contain '='", "wrong");
	check(bp.argc == 0 && bp.envc == 0, "ubd words are not passed to init", "passed");
	expect_bad("ubd0=");
	expect_bad("ubd99=x");
	expect_bad("ubd16=x");
	expect_bad("ubdq=x");
	expect_bad("ubdz=x");
	expect_bad("ubd0q=x");
	check(PARSE("ubd0=cow.img,root.img") == 0 && streq(bp.ubd[0], "cow.img,root.img") &&
	      bp.ubd_flags[0] == 0, "ubd0=COW,BACKING", "wrong");
	check(PARSE("ubd1rsct=a.img") == 0 && bp.ubd_ro[1] &&
	      bp.ubd_flags[1] == (UBD_F_RO | UBD_F_SYNC | UBD_F_SHARED), "ubd1rsct= flags", "wrong");
	check(PARSE("ubd2d=a.img") == 0 && bp.ubd_flags[2] == UBD_F_NOCOW && !bp.ubd_ro[2],
	      "ubd2d= is data only", "wrong");
	check(PARSE("ubd2s=a.img") == 0 && bp.ubd_flags[2] == UBD_F_SYNC, "ubd2s= is synchronous",
	      "wrong");
	expect_bad("ubd0=,backing");
	expect_bad("ubd0=cow,");
	expect_bad("ubd0=a,b,c");
	expect_bad("ubd0d=cow,backing");
	expect_bad("ubdA=x");
	expect_bad("ubd-1=x");
	expect_bad("ubd0rr9=x");
}

static void test_argv_envp(void)
{
	int r = PARSE("mem=32M", "single", "FOO=bar", "x=", "emergency", "TERM=vt100");

	check(r == 0, "mixed words parse", err);
	check(bp.argc == 2 && streq(bp.argv[1], "single") && streq(bp.argv[2], "emergency"),
	      "plain words go to init's argv[1..] in order", "wrong");
	check(bp.envc == 3 && streq(bp.envp[0], "FOO=bar") && streq(bp.envp[1], "x=") &&
	      streq(bp.envp[2], "TERM=vt100"), "unknown name=value go to envp in order", "wrong");
	check(bp.argv[0] == NULL, "argv[0] is left for init's name", "set");
	check(bp.argv[bp.argc + 1] == NULL && bp.envp[bp.envc] == NULL,
	      "argv and envp are NULL-terminated", "not terminated");
}

static void test_dashdash(void)
{
	int r = PARSE("mem=32M", "a", "--", "mem=1T", "-x", "--", "ubd0=", "quiet", "B=c");

	check(r == 0, "words after -- are not parsed", err);
	check(bp.mem == 32ULL << 20 && bp.loglevel == 7 && !bp.ubd[0],
	      "words after -- do not configure the kernel", "they did");
	check(bp.argc == 7 && streq(bp.argv[1], "a") && streq(bp.argv[2], "mem=1T") &&
	      streq(bp.argv[3], "-x") && streq(bp.argv[4], "--") && streq(bp.argv[5], "ubd0=") &&
	      streq(bp.argv[6], "quiet") && streq(bp.argv[7], "B=c"),
	      "everything after -- goes to argv verbatim", "wrong");
	check(bp.envc == 0, "name=value after -- is not environment", "it is");
	check(PARSE("--") == 0 && bp.argc == 0, "a lone -- adds nothing", "wrong");
}

/* An unknown --option is an error, not an init argument; -x still goes to init. */
static void test_unknown_option(void)
{
	check(PARSE("--bogus") == -EINVAL && strstr(err, "'--bogus': unknown option"),
	      "--bogus is rejected", err);
	check(PARSE("--bogus=1") == -EINVAL, "--bogus=1 is rejected", "accepted");
	check(PARSE("-s", "single") == 0 && bp.argc == 2 && streq(bp.argv[1], "-s"),
	      "-s goes to init, as on Linux", err);
	check(PARSE("--", "--bogus") == 0 && bp.argc == 1 && streq(bp.argv[1], "--bogus"),
	      "--bogus after -- goes to init", err);
}

static void test_cmdline(void)
{
	PARSE("mem=32M", "quiet", "FOO=1", "--", "sh", "-c");
	check(streq(bp.cmdline, "mem=32M quiet FOO=1 -- sh -c"),
	      "cmdline is the words joined by spaces", bp.cmdline);
}

static void test_cmdline_long(void)
{
	static char big[3000], big2[3000];
	int r;

	memset(big, 'a', sizeof(big) - 1);
	memset(big2, 'b', sizeof(big2) - 1);
	r = PARSE(big, big2, "c");
	check(r == 0, "long words parse", err);
	check(strlen(bp.cmdline) == sizeof(bp.cmdline) - 1, "long cmdline is truncated, terminated",
	      "wrong length");
	check(bp.cmdline[sizeof(big) - 1] == ' ' && bp.cmdline[sizeof(big)] == 'b',
	      "truncated cmdline keeps the separator", "wrong");
}

static void test_too_many(void)
{
	static char words[200][16];
	static const char *list[210];
	int n, r;

	/* Linux: 32 argv entries with argv[0], so 31 words. */
	for (n = 0; n < MAX_INIT_ARGS - 1; n++) {
		sprintf(words[n], "w%d", n);
		list[n] = words[n];
	}
	list[n] = NULL;
	r = parse(list);
	check(r == 0 && bp.argc == MAX_INIT_ARGS - 1, "MAX_INIT_ARGS-1 plain words fit", "rejected");
	list[n] = "one-more";
	list[n + 1] = NULL;
	r = parse(list);
	check(r == -EINVAL && strstr(err, "one-more"), "one word too many is -EINVAL naming it",
	      err);

	list[0] = "--";
	for (n = 1; n < MAX_INIT_ARGS; n++)
		list[n] = words[n];
	list[n] = NULL;
	r = parse(list);
	check(r == 0 && bp.argc == MAX_INIT_ARGS - 1, "MAX_INIT_ARGS-1 words after -- fit", "rejected");
	list[n] = "one-more";
	list[n + 1] = NULL;
	r = parse(list);
	check(r == -EINVAL && strstr(err, "one-more"), "one too many after -- is -EINVAL", err);

	/* Linux: 32 environment strings with HOME and TERM. */
	for (n = 0; n < MAX_INIT_ENVS - 2; n++) {
		sprintf(words[n], "E%d=v", n);
		list[n] = words[n];
	}
	list[n] = NULL;
	r = parse(list);
	check(r == 0 && bp.envc == MAX_INIT_ENVS - 2, "MAX_INIT_ENVS-2 env words fit", "rejected");
	list[n] = "EXTRA=1";
	list[n + 1] = NULL;
	r = parse(list);
	check(r == -EINVAL && strstr(err, "EXTRA=1"), "one env word too many is -EINVAL", err);
	list[n] = "HOME=/root";
	list[n + 1] = "TERM=vt100";
	list[n + 2] = "E0=again";
	list[n + 3] = NULL;
	r = parse(list);
	check(r == 0 && bp.envc == MAX_INIT_ENVS && streq(bp.envp[0], "E0=again"),
	      "HOME and TERM take their reserved room, a repeated name keeps the last value", err);
	/* The array has room for the terminator after them. */
	check(bp.envp[bp.envc] == NULL, "envp terminated at the limit", "not terminated");
}

static void test_small_err_buffer(void)
{
	char small[8];
	char *argv[] = { "./linux", "mem=abc", NULL };

	memset(small, 'x', sizeof(small));
	check(parse_params(2, argv, &bp, small, sizeof(small)) == -EINVAL &&
	      small[sizeof(small) - 1] == 0, "error message fits a small buffer", "overflow");
}

int main(void)
{
	test_max_procs();
	test_con();
	test_defaults();
	test_defaults_reset();
	test_mem();
	test_mem_bad();
	test_mem_error_leaves_no_partial_state();
	test_loglevel();
	test_leak_test();
	test_root_flags();
	test_init();
	test_pin_mode();
	test_ubd();
	test_argv_envp();
	test_dashdash();
	test_unknown_option();
	test_cmdline();
	test_cmdline_long();
	test_too_many();
	test_small_err_buffer();
	printf("%d checks, %d failed\n", count, failures);
	return failures != 0;
}
