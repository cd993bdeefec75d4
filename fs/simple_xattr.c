/*
 * simple_xattr.c - extended attributes kept in memory, for filesystems
 * without a disk (tmpfs, ramfs): a list of (index, name, value) per inode.
 * Linux's tmpfs has no per-inode limit but the memory; one is kept here
 * all the same (SIMPLE_XATTR_MAX bytes of names and values per inode),
 * -ENOSPC past it, so a guest cannot fill the host's memory through one
 * file's attributes.
 */
#include "kernel/fs.h"
#include "kernel/page.h"
#include "kernel/string.h"
#include "kernel/xattr.h"
#include "uapi/linux/xattr.h"

#define SIMPLE_XATTR_MAX	(1u << 20)

struct simple_xattr {
	struct simple_xattr *next;
	int index;
	size_t size;
	char *name;
	char value[];
};

static struct simple_xattr **find(struct simple_xattrs *xs, int index, const char *name)
{
	struct simple_xattr **p;

	for (p = &xs->head; *p; p = &(*p)->next)
		if ((*p)->index == index && strcmp((*p)->name, name) == 0)
			return p;
	return p;
}

/* Copies the value of (index, name) into buf (size 0: its length): length, -ENODATA, -ERANGE. */
int simple_xattr_get(struct simple_xattrs *xs, int index, const char *name, void *buf,
		     size_t size)
{
	struct simple_xattr *x = *find(xs, index, name);

	if (x == NULL)
		return -ENODATA;
	if (size == 0)
		return (int)x->size;
	if (size < x->size)
		return -ERANGE;
	memcpy(buf, x->value, x->size);
	return (int)x->size;
}

static void xattr_free(struct simple_xattrs *xs, struct simple_xattr *x)
{
	xs->bytes -= strlen(x->name) + x->size;
	if (leak_test(xattrs))
		return;
	live.xattrs--;
	kfree(x->name);
	kfree(x);
}

/*
 * Sets (value != NULL) or removes (index, name): 0, -EEXIST (XATTR_CREATE),
 * -ENODATA (XATTR_REPLACE or removing what is not there), -ENOSPC, -ENOMEM.
 */
int simple_xattr_set(struct simple_xattrs *xs, int index, const char *name,
		     const void *value, size_t size, int flags)
{
	struct simple_xattr **p = find(xs, index, name), *old = *p, *x;
	size_t nlen = strlen(name);

	if (old && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!old && (value == NULL || (flags & XATTR_REPLACE)))
		return -ENODATA;
	if (value == NULL) {
		*p = old->next;
		xattr_free(xs, old);
		return 0;
	}
	if (xs->bytes - (old ? strlen(old->name) + old->size : 0) + nlen + size > SIMPLE_XATTR_MAX)
		return -ENOSPC;
	x = kmalloc(sizeof(*x) + size);
	if (x == NULL)
		return -ENOMEM;
	x->name = kstrdup(name);
	if (x->name == NULL) {
		kfree(x);
		return -ENOMEM;
	}
	live.xattrs++;
	x->index = index;
	x->size = size;
	memcpy(x->value, value, size);
	xs->bytes += nlen + size;
	x->next = old ? old->next : NULL;
	*p = x;			/* in the old one's place: the list order stays */
	if (old)
		xattr_free(xs, old);
	return 0;
}

/* Calls fn for each attribute, oldest first; stops at fn's nonzero answer. */
int simple_xattr_list(struct simple_xattrs *xs, xattr_list_fn fn, void *arg)
{
	int err;

	for (struct simple_xattr *x = xs->head; x; x = x->next) {
		err = fn(arg, x->index, x->name, strlen(x->name));
		if (err)
			return err;
	}
	return 0;
}

/* Frees every attribute (the inode is going). */
void simple_xattrs_free(struct simple_xattrs *xs)
{
	while (xs->head) {
		struct simple_xattr *x = xs->head;

		xs->head = x->next;
		xattr_free(xs, x);
	}
}
