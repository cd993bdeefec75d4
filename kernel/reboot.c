/*
 * reboot.c - Ctrl-Alt-Del.  (A restart is machine_restart in
 * kernel/exit.c: a clean halt, then ./linux runs again, as UML does.)
 * Ctrl-Alt-Del (mconsole "cad") follows Linux's ctrl_alt_del(): a
 * restart when reboot(2) enabled it with LINUX_REBOOT_CMD_CAD_ON, else
 * SIGINT to init, whose inittab says what to do.
 */
#include "kernel/sched.h"
#include "kernel/kernel.h"

bool cad_enabled;

void ctrl_alt_del(void)
{
	struct task *init = find_task(1);

	if (cad_enabled) {
		printk(KERN_NOTICE "reboot: Ctrl-Alt-Del: restarting\n");
		machine_restart();
	}
	/* As on Linux, init drops a SIGINT it has no handler for. */
	if (init && init->sighand && init->sighand->action[SIGINT - 1].handler != 0)
		send_sig(init, SIGINT);
}
