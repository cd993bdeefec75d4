/*
 * host_mm.h - the host half of an address space that every platform
 * shares (arch/um/kernel/host_mm.c): the stub process's pid, its data
 * pages, the mm it serves, whether it runs and whether it still holds an
 * old image's mappings.  A platform's own state (struct stub, struct
 * sc_host) embeds one as its first member; mm->host points at it.
 */
#ifndef KERNEL_HOST_MM_H
#define KERNEL_HOST_MM_H

#include "kernel/types.h"
#include "kernel/list.h"

struct mm;
struct page;

#define HOST_MM_DATA_ORDER 2	/* 1 << 2 == STUB_DATA_PAGES */

struct host_mm {
	struct mm *mm;
	int pid;		/* 0 before the first run, -1 once dead */
	bool running;		/* resumed, its event not collected */
	bool dirty;		/* it still holds an old image's mappings */
	struct page *data;	/* the stub's data pages (physmem) */
	struct list_head node;	/* on the platform's list while it has a host process */
};

/* Its data pages, mm->host = h: 0 or -ENOMEM. */
int host_mm_init(struct host_mm *h, struct mm *mm);
/* Frees them (the host process is dead or was never started). */
void host_mm_release(struct host_mm *h);
/* A host process pid started for it: on list from now on. */
void host_mm_attach(struct host_mm *h, int pid, struct list_head *list);
/* Its host process is gone: off the list, dead for good. */
void host_mm_dead(struct host_mm *h);
/* The platform operations both tables use (include/kernel/platform.h). */
bool host_mm_started(struct mm *mm);	/* it has a live host process */
void host_mm_kill(struct mm *mm);	/* kills it, if any (it stays dead) */
/* The one of list whose host process is pid, or NULL. */
struct host_mm *host_mm_by_pid(struct list_head *list, int pid);
/* exec: to (not started) takes from's started host side, which must
 * forget the old image's mappings first (dirty); from keeps to's unused
 * one.  Nothing if from has none or to has one. */
void host_mm_exec(struct mm *to, struct mm *from);

#endif
