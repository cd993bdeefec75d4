/*
 * mconsole.c - the management console, UML's mconsole: a host tool
 * (Debian's uml_mconsole) sends commands over the unix socket
 * uml_dir/umid/mconsole and reads the answers.
 *
 * Layers: the host half (os-Linux/mconsole.c) owns the umid directory
 * and the socket and queues requests, raising OS_IRQ_MCONSOLE; the IRQ
 * handler only wakes the "mconsole" kernel thread, which checks each
 * request (protocol.c), runs the command and answers.  Commands run in
 * task context because several sleep (proc reads, config, halt).
 * "stop" keeps that thread in a host wait, serving only the commands
 * that cannot sleep, so no other task runs until "go".
 */
#include "kernel/init.h"
#include "kernel/sched.h"
#include "kernel/fs.h"
#include "kernel/page.h"
#include "kernel/stats.h"
#include "kernel/blkdev.h"
#include "shared/os.h"
#include "shared/mconsole.h"
#include "mconsole.h"
#include "uapi/linux/utsname.h"
#include "uapi/asm/unistd_64.h"

struct mc_cmd {
	const char *name;
	int (*fn)(struct mc_out *o, char *args);	/* 0: OK, else ERR */
	bool when_stopped;		/* cannot sleep: allowed while stopped */
	const char *help;
};

static struct wait_queue mc_wait = WAIT_QUEUE_INIT(mc_wait);
static bool mc_stopped;
static struct mc_request *mc_current;	/* the request being answered */
static char mc_logline[MCONSOLE_MAX_DATA];	/* "log" text without a newline yet */
static const struct mc_cmd mc_cmds[];

void mc_write(struct mc_out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		size_t cap = max(o->cap * 2, o->len + n + 256);
		char *nb;

		if (cap > MC_OUT_MAX)
			cap = MC_OUT_MAX;
		if (o->len + n > cap) {
			o->truncated = true;
			n = cap - o->len;
		}
		nb = kmalloc(cap);
		if (!nb) {
			o->truncated = true;
			return;
		}
		memcpy(nb, o->buf, o->len);
		kfree(o->buf);
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void mc_printf(struct mc_out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mc_write(o, buf, min((size_t)n, sizeof(buf) - 1));
}

/* Collects the kernel messages printed while a command runs (sysrq, stack). */
static struct mc_out *mc_capture;
static void mc_capture_hook(const char *s, size_t n)
{
	if (mc_capture)
		mc_write(mc_capture, s, n);
}

static void mc_send(struct mc_request *req, int err, const char *s, size_t n)
{
	os_mconsole_reply(req, err, s, n, 1);
}

static int mc_version(struct mc_out *o, char *args)
{
	const struct new_utsname *u = utsname_get();

	mc_printf(o, "%s %s %s %s %s", u->sysname, u->nodename, u->release, u->version,
		  u->machine);
	return 0;
}

static int mc_help(struct mc_out *o, char *args)
{
	mc_printf(o, "Commands:\n");
	for (const struct mc_cmd *c = mc_cmds; c->name; c++)
		mc_printf(o, "    %s\n", c->help);
	return 0;
}

/* Answers before going down: the client is waiting for it. */
static void mc_answer_now(void)
{
	mc_send(mc_current, 0, "", 0);
	os_mconsole_free(mc_current);
	mc_current = NULL;
}

static int mc_halt(struct mc_out *o, char *args)
{
	mc_answer_now();
	printk(KERN_NOTICE "mconsole: halt\n");
	machine_halt(0);
}

static int mc_reboot(struct mc_out *o, char *args)
{
	mc_answer_now();
	printk(KERN_NOTICE "mconsole: reboot\n");
	machine_restart();
}

static int mc_cad(struct mc_out *o, char *args)
{
	ctrl_alt_del();
	return 0;
}

static int mc_sysrq(struct mc_out *o, char *args)
{
	if (!args[0] || args[1]) {
		mc_printf(o, "Need a single letter: sysrq <letter> (sysrq h lists them)");
		return 1;
	}
	if (args[0] == 'b' || args[0] == 'o')
		mc_answer_now();	/* the machine goes away at once */
	mc_capture = o;		/* its messages are the answer too */
	handle_sysrq(args[0]);
	mc_capture = NULL;
	return 0;
}

static int mc_stop(struct mc_out *o, char *args)
{
	if (mc_stopped) {
		mc_printf(o, "Already stopped");
		return 1;
	}
	mc_stopped = true;
	mc_printf(o, "stopped");
	return 0;
}

static int mc_go(struct mc_out *o, char *args)
{
	if (!mc_stopped) {
		mc_printf(o, "Not stopped");
		return 1;
	}
	mc_stopped = false;
	return 0;
}

/* uml_mconsole sends "log TEXT" pieces and a final "log \n": log whole lines. */
static int mc_log(struct mc_out *o, char *args)
{
	size_t have = strlen(mc_logline);
	char *nl;

	kstrlcpy(mc_logline + have, args, sizeof(mc_logline) - have);
	while ((nl = strchr(mc_logline, '\n')) != NULL) {
		*nl = '\0';
		printk(KERN_WARNING "%s\n", mc_logline);
		memmove(mc_logline, nl + 1, strlen(nl + 1) + 1);
	}
	if (strlen(mc_logline) >= sizeof(mc_logline) - 1) {
		printk(KERN_WARNING "%s\n", mc_logline);
		mc_logline[0] = '\0';
	}
	return 0;
}

/*
 * The file at path in a private proc mount (*mnt, for kern_umount after
 * the file is put), so "proc" works whether or not the guest mounted
 * /proc (UML reads its internal mount too), and nothing stays cached.
 */
static struct file *mc_proc_open(const char *path, struct vfsmount **mnt)
{
	struct fs_struct proc_fs, *saved = current->fs;
	struct vfsmount *m = kern_mount("proc");
	struct file *f;

	if (IS_ERR(m))
		return (struct file *)m;
	memset(&proc_fs, 0, sizeof(proc_fs));
	proc_fs.count = 1;
	proc_fs.root.mnt = proc_fs.pwd.mnt = m;
	proc_fs.root.dentry = proc_fs.pwd.dentry = m->mnt_root;
	current->fs = &proc_fs;
	f = vfs_open(path, O_RDONLY, 0);
	current->fs = saved;
	if (IS_ERR(f))
		kern_umount(m);
	*mnt = m;
	return f;
}

/* proc FILE: the guest's /proc/FILE, as read(2) returns it. May sleep. */
static int mc_proc(struct mc_out *o, char *args)
{
	char path[MCONSOLE_MAX_DATA + 8], buf[1024];
	struct vfsmount *mnt;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	while (*args == '/')
		args++;
	if (!*args) {
		mc_printf(o, "Need a file name: proc <file>");
		return 1;
	}
	ksnprintf(path, sizeof(path), "/%s", args);
	f = mc_proc_open(path, &mnt);
	if (IS_ERR(f)) {
		mc_printf(o, "Failed to open file /proc%s: error %ld", path, -PTR_ERR(f));
		return 1;
	}
	while ((n = kernel_read(f, buf, sizeof(buf), pos)) > 0 && !o->truncated) {
		mc_write(o, buf, (size_t)n);
		pos += n;
	}
	fput(f);
	kern_umount(mnt);
	if (n < 0) {
		mc_printf(o, "\nread error %ld", (long)-n);
		return 1;
	}
	return 0;
}

static int mc_config(struct mc_out *o, char *args)
{
	char msg[256] = "";
	int err;

	if (!strncmp(args, "ubd", 3) && strchr(args, '=')) {
		err = ubd_config(args, msg, sizeof(msg));
	} else if (!strncmp(args, "ubd", 3)) {
		err = ubd_get_config(args, msg, sizeof(msg));
	} else if (!strncmp(args, "eth", 3) && strchr(args, '=')) {
		err = eth_config(args, msg, sizeof(msg));
	} else if (!strncmp(args, "eth", 3)) {
		err = eth_get_config(args, msg, sizeof(msg));
	} else {
		mc_printf(o, "Unknown device '%s' (known: ubdN, ethN)", args);
		return 1;
	}
	mc_printf(o, "%s", msg);
	return err < 0;
}

static int mc_remove(struct mc_out *o, char *args)
{
	char msg[256] = "";
	int err;

	if (!strncmp(args, "eth", 3)) {
		err = eth_remove(args, msg, sizeof(msg));
	} else if (!strncmp(args, "ubd", 3)) {
		err = ubd_remove(args, msg, sizeof(msg));
	} else {
		mc_printf(o, "Unknown device '%s' (known: ubdN, ethN)", args);
		return 1;
	}
	mc_printf(o, "%s", msg);
	return err < 0;
}

static int mc_stack(struct mc_out *o, char *args)
{
	unsigned long long pid;
	struct task *t;

	if (kstrtou64(args, 10, &pid) < 0) {
		mc_printf(o, "Need a pid: stack <pid>");
		return 1;
	}
	t = find_task((pid_t)pid);
	if (!t || t->pid == 0) {
		mc_printf(o, "Couldn't find task with pid %llu", pid);
		return 1;
	}
	mc_show_stack(o, t);
	return 0;
}

static int mc_stats(struct mc_out *o, char *args)
{
	kstats_show(o);
	return 0;
}

static const struct mc_cmd mc_cmds[] = {
	{ "version", mc_version, true, "version - the kernel's name, release and version" },
	{ "help", mc_help, true, "help - this list" },
	{ "halt", mc_halt, false, "halt - stop every process, write back the disks, exit" },
	{ "reboot", mc_reboot, false, "reboot - the same, then start again with the same command line" },
	{ "config", mc_config, false, "config ubdN[r]=FILE | ethN=TRANSPORT,... - plug in a disk or a NIC; config ubdN|ethN - its configuration" },
	{ "remove", mc_remove, false, "remove ubdN|ethN - unplug a disk that is neither mounted nor open, a NIC that is down" },
	{ "sysrq", mc_sysrq, false, "sysrq <letter> - the SysRq action of that letter (sysrq h: the list)" },
	{ "cad", mc_cad, false, "cad - Ctrl-Alt-Del: SIGINT to init, or a reboot if reboot(2) enabled it" },
	{ "stop", mc_stop, true, "stop - pause the machine until 'go'" },
	{ "go", mc_go, true, "go - continue after 'stop'" },
	{ "log", mc_log, true, "log <string> - put <string> into the kernel log" },
	{ "proc", mc_proc, false, "proc <file> - the guest's /proc/<file>" },
	{ "stack", mc_stack, true, "stack <pid> - the kernel stack of task <pid>" },
	{ "stats", mc_stats, true, "stats - memory, tasks, syscalls by name, faults, disk I/O" },
	{ NULL, NULL, false, NULL },
};

static const struct mc_cmd *mc_lookup(const char *cmd, char **args)
{
	size_t n = 0;

	while (cmd[n] && cmd[n] != ' ' && cmd[n] != '\t')
		n++;
	*args = (char *)cmd + n;
	while (**args == ' ' || **args == '\t')
		(*args)++;
	for (const struct mc_cmd *c = mc_cmds; c->name; c++)
		if (strlen(c->name) == n && !strncmp(c->name, cmd, n))
			return c;
	return NULL;
}

/* Runs one request and answers it (unless the command already did). */
static void mc_handle(struct mc_request *req)
{
	char cmd[MCONSOLE_MAX_DATA];
	const char *bad = mconsole_parse(req->buf, req->len, cmd);
	const struct mc_cmd *c;
	struct mc_out out = { 0 };
	char *args;
	int err = 1;

	mc_current = req;
	if (bad) {
		mc_printf(&out, "%s", bad);
	} else if (!(c = mc_lookup(cmd, &args))) {
		mc_printf(&out, "Unknown command");
	} else if (mc_stopped && !c->when_stopped) {
		mc_printf(&out, "Not while stopped: send 'go' first");
	} else {
		err = c->fn(&out, args);
	}
	if (mc_current) {
		mc_send(req, err, out.buf ? out.buf : "", out.len);
		os_mconsole_free(req);
	}
	mc_current = NULL;
	kfree(out.buf);
}

/*
 * While stopped: nothing else runs.  Other interrupts that arrive are
 * kept and raised again on 'go' (a SIGTERM to ./linux ends the stop).
 */
static void mc_stopped_loop(void)
{
	struct mc_request *req;
	u32 kept = 0;

	printk(KERN_NOTICE "mconsole: stopped\n");
	while (mc_stopped) {
		while (mc_stopped && os_mconsole_get(&req) == 0)
			mc_handle(req);
		if (!mc_stopped)
			break;
		os_idle_wait();
		kept |= os_irq_take() & ~OS_IRQ_MCONSOLE;
		if (kept & OS_IRQ_TERM)
			mc_stopped = false;
	}
	if (kept)
		os_raise_irq(kept);
	printk(KERN_NOTICE "mconsole: going on\n");
}

static void mc_thread(void *arg)
{
	struct mc_request *req;

	for (;;) {
		while (os_mconsole_get(&req) == 0) {
			mc_handle(req);
			if (mc_stopped)
				mc_stopped_loop();
		}
		sleep_on(&mc_wait, false);
	}
}

static void mc_irq(void)
{
	wake_up(&mc_wait);
}

/*
 * Makes the umid directory and the socket, as UML does unless told
 * otherwise; a failure is a message, and the machine runs without.
 */
void mconsole_init(void)
{
	static char umid[UMID_MAX + 1];
	char msg[256] = "", path[256];
	int err;

	kstrlcpy(umid, boot_params.umid ? boot_params.umid : "", sizeof(umid));
	err = os_umid_setup(boot_params.uml_dir, umid, sizeof(umid), msg, sizeof(msg));
	if (err == -EEXIST) {
		printk(KERN_WARNING "%s; trying a random umid\n", msg);
		umid[0] = '\0';
		err = os_umid_setup(boot_params.uml_dir, umid, sizeof(umid), msg, sizeof(msg));
	}
	if (err) {
		printk(KERN_WARNING "mconsole: %s: no mconsole\n", msg);
		return;
	}
	boot_params.umid = umid;
	irq_register(OS_IRQ_MCONSOLE, mc_irq);
	printk_set_hook(mc_capture_hook);
	if (!kthread_create(mc_thread, NULL, "mconsole")) {
		printk(KERN_WARNING "mconsole: no memory for its thread: no mconsole\n");
		return;
	}
	err = os_mconsole_start(path, sizeof(path));
	if (err) {
		printk(KERN_WARNING "mconsole: cannot bind its socket: error %d: no mconsole\n", -err);
		return;
	}
	printk(KERN_INFO "mconsole (version %d) initialized on %s\n", MCONSOLE_VERSION, path);
}
