/* dindex.h - the in-memory name index of a linear ext2 directory (dindex.c). */
#ifndef FS_EXT2_DINDEX_H
#define FS_EXT2_DINDEX_H

#include "kernel/kernel.h"
#include "kernel/list.h"
#include "kernel/page.h"

#define DINDEX_END	0xffffffffu	/* no block; an empty slot */

struct dindex_slot {
	u32 hash;
	u32 lblk;	/* DINDEX_END: empty; a tombstone value: deleted */
};

struct dindex {
	struct dindex_slot *slots;
	u32 cap, used, live;	/* slots; not empty (live + tombstones); live */
	u16 *room;		/* per block: the largest entry that fits (bytes) */
	u32 nblocks;
	struct list_head all;	/* on dir.c's list of indexes (the shrinker's) */
	struct inode *dir;
};

u32 dindex_hash(const char *name, int len);
int dindex_init(struct dindex *x, u32 nblocks);
void dindex_destroy(struct dindex *x);
u64 dindex_bytes(const struct dindex *x);
int dindex_add(struct dindex *x, u32 hash, u32 lblk);
bool dindex_del(struct dindex *x, u32 hash, u32 lblk);
u32 dindex_next(const struct dindex *x, u32 hash, u32 *pos);
int dindex_resize(struct dindex *x, u32 nblocks);
void dindex_set_room(struct dindex *x, u32 lblk, unsigned room);
u32 dindex_first_room(const struct dindex *x, unsigned need);

#endif
