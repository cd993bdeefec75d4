/*
 * main.c - boot.  start_kernel() parses the command line (every value is
 * checked before anything is touched), brings up physical memory, the
 * scheduler, the drivers and filesystems, then becomes the idle task; pid
 * 1 mounts the root, opens the console and executes init.
 */
#include "kernel/init.h"
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/vdso.h"
#include "kernel/fs.h"
#include "kernel/tty.h"
#include "kernel/kernel.h"
#include "kernel/platform.h"
#include "uapi/asm/unistd_64.h"
#include "build_config.h"
#include "uapi/linux/mount.h"
#include "uapi/linux/fcntl.h"

int kernel_execve(const char *path, const char *const argv[], const char *const envp[]);
void rlimits_init(void);
void time_init(void);
void buffer_init(void);
int umount_all(void);

static const char usage[] =
	"usage: linux [parameters] [-- init arguments]\n"
	"  ubdN=FILE         disk N (0-15, or a-p) backed by FILE: ubd0 is /dev/ubda,\n"
	"                    the root; a file that is not writable is used read-only\n"
	"  ubdNr=FILE        the same, read-only\n"
	"  ubdN=COW,BACKING  a UML COW file over BACKING (never written), made on\n"
	"                    first use; ubdN=COW reads BACKING from COW's header\n"
	"  ubdNs=FILE        synchronous: each write is on the host disk when it ends\n"
	"  ubdNd=FILE        data only: FILE is never taken for a COW file\n"
	"  ubdNc=FILE        shared: no host lock (flags combine: ubd0rs=, ubd1sc=)\n"
	"  ethN=slirp[,hostfwd=tcp:[ADDR]:PORT-:PORT]  interface N (0-7) via libslirp NAT\n"
	"                    (guest 10.0.2.15, host 10.0.2.2, DNS 10.0.2.3)\n"
	"  ethN=tuntap,TAP   interface N on the host tap device TAP\n"
	"  ethN=mcast[,ADDR[,PORT[,TTL]]]  a multicast virtual LAN (239.192.168.1:1102)\n"
	"  ethN=pcap,IFACE[,FILTER]  a host interface through libpcap (BPF FILTER)\n"
	"                    any of them: ,mac=XX:..  ,capture=FILE (pcap)  ,loss=PCT\n"
	"                    ,reorder=PCT ,dup=PCT\n"
	"  ip=ADDR::GW:MASK::ethN  static address; ip=dhcp, ip=ethN:dhcp: the kernel's\n"
	"                    DHCP client before init (DNS in /proc/net/pnp); ip=off\n"
	"  mem=SIZE          physical memory (default 256M; K, M, G suffixes)\n"
	"  root=DEV          root device (default /dev/ubda)\n"
	"  rootfstype=TYPE   root filesystem type (default: detect; hostfs: no disk)\n"
	"  rootflags=DATA    the root's mount options (hostfs: the host directory)\n"
	"  ro | rw           mount the root read-only or read-write (default)\n"
	"  init=PATH         program to run as pid 1 (default /sbin/init, /etc/init,\n"
	"                    /bin/init, /bin/sh)\n"
	"  quiet | debug     kernel messages: errors only | everything\n"
	"  loglevel=N        print kernel messages below level N (0-8, default 7)\n"
	"  umid=NAME uml_dir=DIR  mconsole socket DIR/NAME/mconsole (default ~/.uml, random NAME)\n"
	"  panic=N oops=core  after a kernel crash: 0 stay, N s then restart; core file\n"
	"  strace=FILTER strace_file=PATH  trace guest syscalls (pid:N comm:NAME NAME %file ...)\n"
	"  mode=PLATFORM     how guest code runs (the platforms: see the end)\n"
	"  seccomp_notif=off mode=seccomp without its notification fast path\n"
	"  pin=auto|off|CPU  keep the kernel and its guests on one host CPU (default\n"
	"                    auto: the CPU the fewest other instances use)\n"
	"  conN=SPEC         console N's host channel (con0 the console, con1.. /dev/tty1..,\n"
	"                    up to con15): fd:IN,fd:OUT (con0's default fd:0,fd:1), null\n"
	"                    (no input, output dropped), pts (a host pty, its name printed)\n"
	"                    or port:N (127.0.0.1:N for telnet/nc); con= sets every one\n"
	"  sslN=SPEC         serial line N (/dev/ttySN, up to ssl63), the same channels;\n"
	"                    ssl= sets every one\n"
	"  max_procs=N       at most N guest processes, root included (default 4096,\n"
	"                    or half the host's process limit for this user)\n"
	"  NAME=VALUE        other NAME=VALUE words go to init's environment and\n"
	"  WORD              other words to its arguments, as on Linux\n"
	"  -- ARGS...        everything after -- goes to init as its arguments\n"
	"  --help, -h        this text;  --version, -v  the version\n"
	"  --showconfig      the build configuration\n"
	"Leave the machine with poweroff (or halt, or reboot to boot it again);\n"
	"SIGTERM, SIGINT or SIGHUP to ./linux shut it down cleanly.  See linux(1).\n";

static const char version[] =
	"linux " UTS_RELEASE_UM " (a user-mode kernel for x86_64 Linux hosts, in the spirit of UML)\n";

/* --showconfig: what this ./linux was built with and its fixed limits. */
static void show_config(void)
{
	static char buf[2048];
	int n = ksnprintf(buf, sizeof(buf), "# ./linux %s build configuration\n"
		  "CONFIG_UTS_RELEASE=\"%s\"\n"
		  "CONFIG_X86_64=y\n"
		  "CONFIG_UML=y\n"
		  "CONFIG_HZ=%d\n"
		  "CONFIG_PAGE_SIZE=%d\n"
		  "CONFIG_TASK_SIZE=%#llx\n"
		  "CONFIG_DEFAULT_MEM=256M\n"
		  "CONFIG_UBSAN=%s\n"
		  "CONFIG_BUILD_GIT=\"%s\"\n"
		  "CONFIG_CC_VERSION_TEXT=\"%s\"\n"
		  "CONFIG_CFLAGS=\"%s\"\n"
		  "CONFIG_LDLIBS=\"%s\"\n",
		  UTS_RELEASE_UM, UTS_RELEASE_UM, HZ, (int)PAGE_SIZE,
		  (unsigned long long)TASK_SIZE,
		  strcmp(BUILD_SANITIZE, "none") ? "y" : "n", BUILD_GIT, BUILD_CC,
		  BUILD_CFLAGS, BUILD_LDLIBS);

	os_write_all(1, buf, (size_t)min(n, (int)sizeof(buf) - 1));
}

void console_shutdown(void)
{
	os_console_restore();
}

/*
 * max_procs= when not given: 4096, but each guest process is a host
 * process of our user, so at most half of what the host allows it.
 */
static void set_max_procs(void)
{
	int64_t host = os_host_nproc_limit();

	if (boot_params.max_procs)
		return;
	boot_params.max_procs = MAX_PROCS_DEFAULT;
	if (host > 0 && host / 2 < MAX_PROCS_DEFAULT) {
		boot_params.max_procs = (u32)max(host / 2, (int64_t)2);
		printk(KERN_INFO "max_procs=%u: half of the host's process limit for this user\n",
		       boot_params.max_procs);
	}
}

static void term_worker(void *arg)
{
	int sig = os_term_signal();

	printk(KERN_NOTICE "linux: terminated by the host (SIG%s), shutting down\n",
	       os_signal_name(sig));
	machine_halt(128 + sig);	/* as a shell reports a death by that signal */
}

static void term_irq(void)
{
	static bool once;

	if (once)
		return;
	once = true;
	/* Shutting down sleeps (disk writes): do it in a task, not here. */
	if (!kthread_create(term_worker, NULL, "shutdown"))
		os_exit(143);
}

/*
 * /dev/shm, the tmpfs where glibc's shm_open and sem_open keep POSIX
 * shared memory and named semaphores (systemd mounts it on Linux; the
 * init programs run here do not), and the /dev/mqueue mount point for
 * `mount -t mqueue none /dev/mqueue`.  May sleep.
 */
static void mount_dev_shm(void)
{
	long r = kern_mkdirat(AT_FDCWD, "/dev/shm", 01777);
	struct file *f;

	if (r == 0 || r == -EEXIST)
		r = vfs_mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, NULL);
	if (r < 0)
		printk(KERN_WARNING "tmpfs: error %ld (%s) mounting on /dev/shm\n", r, os_strerror((int)r));
	kern_mkdirat(AT_FDCWD, "/dev/mqueue", 0755);
	/* /run where the root has one: the tmpfs systemd and Debian's
	 * initscripts mount there (nosuid, nodev, mode 755, a fifth of RAM);
	 * nothing is made on the root disk. */
	f = vfs_open("/run", O_RDONLY | O_DIRECTORY, 0);
	if (!IS_ERR(f)) {
		fput(f);
		r = vfs_mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=20%");
		if (r < 0)
			printk(KERN_WARNING "tmpfs: error %ld (%s) mounting on /run\n", r, os_strerror((int)r));
	}
}

static void open_console(void)
{
	struct file *f = vfs_open("/dev/console", O_RDWR, 0);

	if (IS_ERR(f)) {
		printk(KERN_WARNING "Warning: unable to open an initial console: error %ld (%s)\n",
		       PTR_ERR(f), os_strerror((int)PTR_ERR(f)));
		return;
	}
	fd_install(f, 0);
	fd_install(fget(f), 0);
	fd_install(fget(f), 0);
}

/* Adds NAME=VALUE to init's environment unless the command line set NAME. */
static void add_default_env(const char *def)
{
	size_t n = strchr(def, '=') - def + 1;

	for (int i = 0; i < boot_params.envc; i++)
		if (!strncmp(boot_params.envp[i], def, n))
			return;
	boot_params.envp[boot_params.envc++] = def;
}

static int try_init(const char *path)
{
	boot_params.argv[0] = path;
	return kernel_execve(path, boot_params.argv, boot_params.envp);
}

static void run_init(void)
{
	static const char *const defaults[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };
	int r;

	if (boot_params.init) {
		r = try_init(boot_params.init);
		if (r == 0)
			return;
		printk(KERN_EMERG "Failed to execute %s: error %d (%s).\n", boot_params.init, r,
		       os_strerror(r));
	} else {
		for (unsigned i = 0; i < ARRAY_SIZE(defaults); i++)
			if (try_init(defaults[i]) == 0)
				return;
	}
	printk(KERN_EMERG "Kernel panic - not syncing: No working init found. "
	       "Try passing init= option to kernel.\n");
	machine_halt(1);
}

static struct sighand *init_sighand;

/* pid 1: mount the root, set up /dev and the console, exec init. */
static void kernel_init(void *arg)
{
	struct task *t = current;
	int r;

	t->fs = kzalloc(sizeof(*t->fs));	/* freed like any other at exit */
	t->files = files_alloc();
	t->sighand = init_sighand;
	if (!t->fs || !t->files || !t->sighand)
		panic("out of memory for init");
	t->fs->count = 1;
	t->fs->umask = 022;
	ipconfig_run();			/* ip=dhcp, before the root as Linux's ip_auto_config */
	r = mount_root(boot_params.root, boot_params.rootfstype, boot_params.root_ro,
		       boot_params.rootflags);
	if (r < 0) {
		printk(KERN_EMERG "VFS: Cannot open root device \"%s\" or mount it: error %d (%s)\n",
		       boot_params.root, r, os_strerror(r));
		machine_halt(1);
	}
	r = devtmpfs_mount();
	if (r < 0)
		printk(KERN_WARNING "devtmpfs: error %d (%s) mounting on /dev\n", r, os_strerror(r));
	else
		mount_dev_shm();
	open_console();
	run_init();
	userspace_loop();
}

/*
 * A root on a ubd disk that no ubdN= gave: say so before anything
 * starts (Linux would only fail to mount it).
 */
static void check_root_disk(void)
{
	const char *r = boot_params.root;
	int n;

	if (boot_params.rootfstype != NULL && !strcmp(boot_params.rootfstype, "hostfs"))
		return;		/* UML's hostfs root: no disk */
	if (strncmp(r, "/dev/ubd", 8) || r[8] < 'a' || r[8] > 'p' || r[9])
		return;
	n = r[8] - 'a';
	if (boot_params.ubd[n])
		return;
	if (n == 0)
		os_print_err("linux: no disk given: the root file system is ubd0=FILE "
			     "(tools/mkrootfs makes one)\n");
	else
		os_print_err("linux: root=%s but no ubd%d=FILE given\n", r, n);
	os_print_err("%.*s", (int)(strchr(usage, '\n') - usage + 1), usage);
	os_exit(2);
}

/* The last line of the usage: the platforms mode= may name. */
static void print_platforms(int fd)
{
	char line[128];
	int n = ksnprintf(line, sizeof(line), "Platforms for mode= (the first is the default): %s\n",
			  platform_names());

	os_write_all(fd, line, n < (int)sizeof(line) ? n : (int)sizeof(line) - 1);
}

void __noreturn start_kernel(int argc, char **argv)
{
	static char err[256];
	void *base;
	int fd;

	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			os_write_all(1, usage, sizeof(usage) - 1);
			print_platforms(1);
			os_exit(0);
		}
		if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-v")) {
			os_write_all(1, version, sizeof(version) - 1);
			os_exit(0);
		}
		if (!strcmp(argv[i], "--showconfig")) {
			show_config();
			os_exit(0);
		}
	}
	if (parse_params(argc, argv, &boot_params, err, sizeof(err)) < 0) {
		os_print_err("%s\n%s", err, usage);
		print_platforms(2);
		os_exit(2);
	}
	seccomp_notif = !boot_params.seccomp_notif_off;	/* before the probe */
	if (platform_select(boot_params.mode) < 0) {
		os_print_err("linux: mode=%s: no such platform (this kernel has: %s)\n%s",
			     boot_params.mode, platform_names(), usage);
		print_platforms(2);
		os_exit(2);
	}
	check_root_disk();
	console_loglevel = boot_params.loglevel;
	leak_test_kind = boot_params.leak_test;
	/*
	 * The kernel and its guests hand control back and forth and never
	 * run at once: on one CPU a hand-off is a plain context switch, across
	 * CPUs it is a cross-CPU wake-up, several times dearer.
	 */
	if (boot_params.pin != -2 && os_pin_cpu(boot_params.pin) < 0 && boot_params.pin >= 0) {
		os_print_err("linux: cannot run on CPU %d\n", boot_params.pin);
		os_exit(2);
	}
	if (os_signals_init() < 0) {
		os_print_err("linux: cannot install signal handlers\n");
		os_exit(1);
	}
	fd = os_physmem_create(boot_params.mem, &base);
	if (fd < 0) {
		os_print_err("linux: cannot create %llu bytes of physical memory: %s\n",
			     (unsigned long long)boot_params.mem, os_strerror(fd));
		os_exit(1);
	}
	physmem_fd = fd;
	physmem_base = base;
	physmem_size = boot_params.mem;
	page_alloc_init(0);
	page_alloc_set_reclaim(reclaim_memory);
	page_alloc_set_evict(filemap_evict_page);
	printk(KERN_INFO "Linux (user-mode) booting: %llu MB memory, command line: %s\n",
	       (unsigned long long)(boot_params.mem >> 20), boot_params.cmdline);
	set_max_procs();
	rlimits_init();
	time_init();
	init_sighand = sighand_alloc();
	add_default_env("HOME=/");	/* room kept by parse_params */
	add_default_env("TERM=linux");
	sched_start_prepare();
	if (!kthread_create(kernel_init, NULL, "init"))
		panic("cannot create init");
	vfs_init();
	files_stat_init(physmem_size);
	ramfs_init();
	mqueue_init();
	proc_init();
	hostfs_init();
	sysfs_init();
	ext2_init();
	pipe_init();
	int vdso_err = vdso_init();

	if (vdso_err < 0)
		printk(KERN_WARNING "vdso: cannot make the vDSO (error %d): programs make every time syscall\n", vdso_err);
	net_init();
	mem_devices_init();
	console_init();
	pty_init();
	ubd_init();
	eth_init();
	buffer_init();
	debug_init();		/* oops policy, strace=, mconsole */
	irq_register(OS_IRQ_TERM, term_irq);
	os_timer_start(1000000000ULL / HZ);
	sched_idle();
}
