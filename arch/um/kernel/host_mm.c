/*
 * host_mm.c - the host half of an address space that the ptrace and
 * seccomp platforms share (include/kernel/host_mm.h): creation, the
 * start and death of its stub process, and the exec hand-over.
 */
#include "kernel/host_mm.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/kernel.h"
#include "shared/os.h"
#include "shared/stub.h"

_Static_assert((1 << HOST_MM_DATA_ORDER) == STUB_DATA_PAGES, "stub data order");

int host_mm_init(struct host_mm *h, struct mm *mm)
{
	h->data = alloc_pages(HOST_MM_DATA_ORDER);
	if (!h->data)
		return -ENOMEM;
	h->mm = mm;
	INIT_LIST_HEAD(&h->node);
	mm->host = h;
	return 0;
}

void host_mm_release(struct host_mm *h)
{
	free_pages(h->data, HOST_MM_DATA_ORDER);
	h->data = NULL;
	h->mm->host = NULL;
}

void host_mm_attach(struct host_mm *h, int pid, struct list_head *list)
{
	h->pid = pid;
	list_add_tail(&h->node, list);
}

void host_mm_dead(struct host_mm *h)
{
	h->pid = -1;
	h->running = false;
	list_del(&h->node);
	INIT_LIST_HEAD(&h->node);
}

bool host_mm_started(struct mm *mm)
{
	return ((struct host_mm *)mm->host)->pid > 0;
}

void host_mm_kill(struct mm *mm)
{
	struct host_mm *h = mm->host;

	if (h->pid > 0)
		os_stub_kill(h->pid);
	if (h->pid)
		host_mm_dead(h);
}

struct host_mm *host_mm_by_pid(struct list_head *list, int pid)
{
	struct host_mm *h;

	list_for_each_entry(h, list, node)
		if (h->pid == pid)
			return h;
	return NULL;
}

void host_mm_exec(struct mm *to, struct mm *from)
{
	struct host_mm *s = from->host, *n = to->host;

	if (s->pid <= 0 || n->pid)
		return;
	to->host = s;
	s->mm = to;
	s->dirty = true;
	from->host = n;
	n->mm = from;
}
