/*
 * pty.c - pseudo-terminals (pty(7)): /dev/ptmx opens a new master, its
 * slave appears as /dev/pts/N in a devpts instance (fs/devpts/devpts.c).
 *
 * A pair is two ttys linked by tty->link, each with the whole line
 * discipline of tty.c: what one end's driver writes is received by the
 * other end, as much as its input ring takes; a writer waits on its
 * write_wait until the other end's reader makes room (unthrottle).  The
 * master's termios is raw and never changes (its termios ioctls act on
 * the slave).  Closing the master hangs the slave up (reads 0, writes
 * EIO, SIGHUP to its session leader) and takes its node away; closing
 * every slave file makes the master's reads fail with EIO once drained
 * (writes still go in: the slave's line discipline works unopened).
 * The pair is freed when neither end has a file open.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/tty.h"
#include "kernel/devpts.h"
#include "../../fs/internal.h"

#define PTY_SLAVE_MAJOR	136
#ifndef ENOIOCTLCMD
#define ENOIOCTLCMD	515
#endif

struct pty {
	struct tty master, slave;
	struct devpts_entry entry;
	struct devpts_fs *fs;
	struct path root;		/* the instance's mount root: keeps it mounted */
	bool locked;			/* TIOCSPTLCK: the slave cannot be opened */
};

static int pty_write(struct tty *tty, const u8 *buf, int len)
{
	int room = tty_receive_room(tty->link);
	int n = len < room ? len : room;

	if (n > 0)
		tty_receive(tty->link, buf, n);
	return n;
}

static int pty_write_room(struct tty *tty)
{
	return tty_receive_room(tty->link);
}

/* tty's reader made room: the other end's writers may go on. */
static void pty_unthrottle(struct tty *tty)
{
	wake_up_poll(&tty->link->write_wait, POLLOUT | POLLWRNORM);
}

static void pty_free(struct pty *pty)
{
	tty_unregister(&pty->master);
	tty_unregister(&pty->slave);
	devpts_kill_index(pty->fs, &pty->entry);
	path_put(&pty->root);
	kfree(pty);
}

/* A file on one end closed.  May sleep (the last one frees the pair). */
static void pty_close(struct tty *tty, struct file *f)
{
	struct pty *pty = tty->driver_data;

	if (tty->openers > 0)
		return;
	if (tty->type == TTY_PTY_MASTER) {
		devpts_kill_index(pty->fs, &pty->entry);
		tty_vhangup(&pty->slave);
	} else {
		pty->master.other_closed = true;
		wake_up_poll(&pty->master.read_wait, POLLIN | POLLHUP);
		wake_up_poll(&pty->master.write_wait, POLLOUT | POLLHUP);
	}
	if (pty->master.openers == 0 && pty->slave.openers == 0)
		pty_free(pty);
}

/* TIOCGPTPEER: a new file on the slave, without a path walk.  May sleep. */
static long pty_open_peer(struct pty *pty, u64 flags)
{
	const u64 ok = O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	char name[12];
	struct path p;
	struct file *f;

	if (flags & ~ok)
		return -EINVAL;
	if (pty->entry.priv == NULL)
		return -EIO;
	p.dentry = lookup_child(pty->root.dentry, name,
				ksnprintf(name, sizeof(name), "%d", pty->entry.index));
	if (IS_ERR(p.dentry))
		return PTR_ERR(p.dentry);
	p.mnt = pty->root.mnt;
	f = dentry_open(&p, (int)flags);
	path_put(&p);
	if (IS_ERR(f))
		return PTR_ERR(f);
	return anon_fd_install(f, flags & O_CLOEXEC);
}

/* The master's own ioctls (pty_unix98_ioctl). */
static long pty_master_ioctl(struct tty *tty, struct file *f, unsigned cmd, u64 arg)
{
	struct pty *pty = tty->driver_data;
	uaddr_t p = UADDR(arg);
	int v;

	switch (cmd) {
	case TIOCGPTN:
		v = pty->entry.index;
		return put_user(v, p) ? -EFAULT : 0;
	case TIOCSPTLCK:
		if (get_user(v, p))
			return -EFAULT;
		pty->locked = v != 0;
		return 0;
	case TIOCGPTLCK:
		v = pty->locked;
		return put_user(v, p) ? -EFAULT : 0;
	case TIOCPKT:
		if (get_user(v, p))
			return -EFAULT;
		if (v && !tty->packet)
			tty->link->pktstatus = 0;
		tty->packet = v != 0;
		return 0;
	case TIOCGPKT:
		v = tty->packet;
		return put_user(v, p) ? -EFAULT : 0;
	case TIOCSIG:
		if (arg != SIGINT && arg != SIGQUIT && arg != SIGTSTP)
			return -EINVAL;
		if (tty->link->pgrp > 0)
			kill_pgrp(tty->link->pgrp, (int)arg, NULL);
		return 0;
	case TIOCGPTPEER:
		return pty_open_peer(pty, arg);
	}
	return -ENOIOCTLCMD;
}

static const struct tty_driver_ops pty_master_ops = {
	.write = pty_write,
	.write_room = pty_write_room,
	.unthrottle = pty_unthrottle,
	.ioctl = pty_master_ioctl,
	.close = pty_close,
};

static const struct tty_driver_ops pty_slave_ops = {
	.write = pty_write,
	.write_room = pty_write_room,
	.unthrottle = pty_unthrottle,
	.close = pty_close,
};

/* Linux's pty master termios: no input or output processing, no echo. */
static void master_termios(struct tty *tty)
{
	tty_init_termios(tty);
	tty->termios.c_iflag = 0;
	tty->termios.c_oflag = 0;
	tty->termios.c_lflag = 0;
	tty->termios.c_cflag = B38400 | CS8 | CREAD;
}

static struct pty *pty_alloc(void)
{
	struct pty *pty = kzalloc(sizeof(*pty));

	if (pty == NULL)
		return NULL;
	tty_register(&pty->master, TTY_PTY_MASTER, &pty_master_ops);
	tty_register(&pty->slave, TTY_PTY_SLAVE, &pty_slave_ops);
	pty->master.link = &pty->slave;
	pty->slave.link = &pty->master;
	pty->master.driver_data = pty->slave.driver_data = pty;
	master_termios(&pty->master);
	tty_init_termios(&pty->slave);	/* a pty starts at 0x0 (winsize) */
	pty->locked = true;		/* until unlockpt(3) */
	return pty;
}

/*
 * Opens /dev/ptmx or /dev/pts/ptmx: a new pair in the devpts instance
 * beside it, the slave locked.  0, -ENODEV without devpts, -ENOSPC past
 * its max=, -ENOMEM.  May sleep.
 */
int ptmx_open(struct inode *inode, struct file *f)
{
	struct path root;
	struct devpts_fs *fs;
	struct pty *pty;
	int err;

	fs = devpts_acquire(f, &root);
	if (IS_ERR(fs))
		return (int)PTR_ERR(fs);
	err = -ENOMEM;
	pty = pty_alloc();
	if (pty == NULL)
		goto out_root;
	err = devpts_new_index(fs, &pty->entry, pty);
	if (err)
		goto out_pty;
	pty->fs = fs;
	pty->root = root;
	return tty_open_file(&pty->master, f, true);	/* a master is nobody's ctty */
out_pty:
	tty_unregister(&pty->master);
	tty_unregister(&pty->slave);
	kfree(pty);
out_root:
	path_put(&root);
	return err;
}

/* Attaches f to slave: -EIO once the master is gone or while locked. */
static int slave_attach(struct pty *pty, struct file *f, bool noctty)
{
	int err;

	if (pty->slave.hung_up || pty->master.openers == 0)
		return -EIO;
	err = tty_open_file(&pty->slave, f, noctty);
	if (err == 0)
		pty->master.other_closed = false;
	return err;
}

/* Opens /dev/pts/N (char 136:N in a devpts instance). */
int pty_slave_open(struct inode *inode, struct file *f)
{
	struct pty *pty = devpts_get_priv(inode);

	if (pty == NULL)
		return -EIO;
	if (pty->locked)
		return -EIO;
	return slave_attach(pty, f, false);
}

/* Opens /dev/tty naming a slave (the opener's controlling terminal). */
int pty_open_ctty(struct tty *slave, struct file *f)
{
	return slave_attach(slave->driver_data, f, true);
}

static const struct file_operations pty_slave_fops = {
	.open = pty_slave_open,
};

/* Registers the slaves' major and the devpts filesystem. */
void pty_init(void)
{
	int err = register_chrdev(PTY_SLAVE_MAJOR, "pts", &pty_slave_fops);

	if (err < 0)
		printk(KERN_ERR "pty: cannot register major %d: %d\n", PTY_SLAVE_MAJOR, err);
	devpts_init();
}
