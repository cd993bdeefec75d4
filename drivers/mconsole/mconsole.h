/*
 * mconsole.h - inside the management console driver: the reply buffer
 * commands write into, and the pieces in the other files.
 */
#ifndef DRIVERS_MCONSOLE_H
#define DRIVERS_MCONSOLE_H

#include "kernel/kernel.h"

struct task;

/* Text a command answers with; grows with kmalloc, capped at MC_OUT_MAX. */
#define MC_OUT_MAX (256 * 1024)
struct mc_out {
	char *buf;
	size_t len, cap;
	bool truncated;
};
void mc_printf(struct mc_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mc_write(struct mc_out *o, const char *s, size_t n);

/*
 * Checks one datagram against UML's protocol (magic, version, length)
 * and copies its command, NUL-terminated, into cmd (MCONSOLE_MAX_DATA
 * bytes).  Returns NULL, or the error text to answer with.  Pure.
 */
const char *mconsole_parse(const void *buf, size_t n, char *cmd);

/* sysrq.c: runs the SysRq action for key; its messages go to the log. */
void handle_sysrq(char key);

/* A task's kernel stack as "func+0xoff (file:line)" lines, into o. */
void mc_show_stack(struct mc_out *o, struct task *t);

#endif
