/*
 * dindex.c - the in-memory name index of a linear (not htree) ext2
 * directory: for every live entry, the hash of its name and the directory
 * block that holds it (an open-addressing table), and for every block the
 * largest entry that still fits in it.  A lookup then reads only the
 * blocks whose entries hash like the name (none for a name that is not
 * there), and an insert goes straight to the first block with room: the
 * same block the linear scan would pick, so the bytes on disk do not
 * change.  Linux's ext2 scans every block instead; without dir_index a
 * directory of 10,000 names was 160 blocks read per create.
 *
 * The index is only a cache: dir.c builds it from the blocks on the first
 * search of a big enough directory, keeps it exact on each change it
 * makes, and drops it whenever it cannot (out of memory, the directory
 * changed size behind it, a corrupt block); the next search rebuilds it.
 * This file is the table itself, pure (host unit test tests/unit/test_dindex.c).
 */
#include "dindex.h"

#define DINDEX_TOMB	0xfffffffeu	/* a deleted slot: probes go past it */
#define DINDEX_MIN_CAP	64u

/* FNV-1a of the name: only compared with itself, never stored on disk. */
u32 dindex_hash(const char *name, int len)
{
	u32 h = 0x811c9dc5u;

	for (int i = 0; i < len; i++)
		h = (h ^ (u8)name[i]) * 0x01000193u;
	return h;
}

static int dindex_alloc_slots(struct dindex *x, u32 cap)
{
	struct dindex_slot *s = kmalloc(sizeof(*s) * cap);

	if (!s)
		return -ENOMEM;
	for (u32 i = 0; i < cap; i++)
		s[i].lblk = DINDEX_END;
	x->slots = s;
	x->cap = cap;
	x->used = 0;
	x->live = 0;
	return 0;
}

/* An empty index of a directory of nblocks blocks: 0 or -ENOMEM. */
int dindex_init(struct dindex *x, u32 nblocks)
{
	x->room = kcalloc(nblocks ? nblocks : 1, sizeof(*x->room));
	if (!x->room)
		return -ENOMEM;
	x->nblocks = nblocks;
	if (dindex_alloc_slots(x, DINDEX_MIN_CAP)) {
		kfree(x->room);
		x->room = NULL;
		return -ENOMEM;
	}
	return 0;
}

void dindex_destroy(struct dindex *x)
{
	kfree(x->slots);
	kfree(x->room);
	x->slots = NULL;
	x->room = NULL;
	x->cap = x->used = x->live = x->nblocks = 0;
}

/* Bytes the index holds. */
u64 dindex_bytes(const struct dindex *x)
{
	return (u64)x->cap * sizeof(*x->slots) + (u64)x->nblocks * sizeof(*x->room);
}

static void dindex_put(struct dindex *x, u32 hash, u32 lblk)
{
	u32 mask = x->cap - 1, i = hash & mask;

	while (x->slots[i].lblk != DINDEX_END && x->slots[i].lblk != DINDEX_TOMB)
		i = (i + 1) & mask;
	if (x->slots[i].lblk == DINDEX_END)
		x->used++;
	x->slots[i].hash = hash;
	x->slots[i].lblk = lblk;
	x->live++;
}

/* Rebuilds the table at a capacity of at least twice the live entries (tombstones go). */
static int dindex_rehash(struct dindex *x)
{
	struct dindex_slot *old = x->slots;
	u32 oldcap = x->cap, cap = DINDEX_MIN_CAP;

	while (cap < 2 * (x->live + 1))
		cap *= 2;
	if (dindex_alloc_slots(x, cap))
		return -ENOMEM;		/* x unchanged */
	for (u32 i = 0; i < oldcap; i++)
		if (old[i].lblk != DINDEX_END && old[i].lblk != DINDEX_TOMB)
			dindex_put(x, old[i].hash, old[i].lblk);
	kfree(old);
	return 0;
}

/* Records an entry of hash in block lblk: 0 or -ENOMEM (the index is then unusable). */
int dindex_add(struct dindex *x, u32 hash, u32 lblk)
{
	if (lblk >= x->nblocks)
		return -EINVAL;
	/* At most three quarters used (tombstones count: they lengthen probes). */
	if (4 * (x->used + 1) > 3 * x->cap && dindex_rehash(x))
		return -ENOMEM;
	dindex_put(x, hash, lblk);
	return 0;
}

/* Forgets one entry of hash in block lblk: true if there was one. */
bool dindex_del(struct dindex *x, u32 hash, u32 lblk)
{
	u32 mask = x->cap - 1, i = hash & mask;

	for (u32 n = 0; n < x->cap && x->slots[i].lblk != DINDEX_END; n++, i = (i + 1) & mask) {
		if (x->slots[i].hash == hash && x->slots[i].lblk == lblk) {
			x->slots[i].lblk = DINDEX_TOMB;
			x->live--;
			return true;
		}
	}
	return false;
}

/*
 * The blocks that may hold a name of hash, one a call: start with *pos =
 * 0; returns a block number, or DINDEX_END when there are no more.  A
 * block holding several such names comes once for each.
 */
u32 dindex_next(const struct dindex *x, u32 hash, u32 *pos)
{
	u32 mask = x->cap - 1;

	for (; *pos < x->cap; (*pos)++) {
		const struct dindex_slot *s = &x->slots[(hash + *pos) & mask];

		if (s->lblk == DINDEX_END)
			break;
		if (s->lblk != DINDEX_TOMB && s->hash == hash) {
			(*pos)++;
			return s->lblk;
		}
	}
	*pos = x->cap;
	return DINDEX_END;
}

/* The directory grew to nblocks blocks (the new ones with no room known): 0 or -ENOMEM. */
int dindex_resize(struct dindex *x, u32 nblocks)
{
	u16 *room;

	if (nblocks <= x->nblocks)
		return nblocks == x->nblocks ? 0 : -EINVAL;
	room = kcalloc(nblocks, sizeof(*room));
	if (!room)
		return -ENOMEM;
	for (u32 i = 0; i < x->nblocks; i++)
		room[i] = x->room[i];
	kfree(x->room);
	x->room = room;
	x->nblocks = nblocks;
	return 0;
}

/* Block lblk can take an entry of up to room bytes. */
void dindex_set_room(struct dindex *x, u32 lblk, unsigned room)
{
	if (lblk < x->nblocks)
		x->room[lblk] = (u16)(room > 0xffff ? 0xffff : room);
}

/* The first block that can take an entry of need bytes, or DINDEX_END. */
u32 dindex_first_room(const struct dindex *x, unsigned need)
{
	for (u32 i = 0; i < x->nblocks; i++)
		if (x->room[i] >= need)
			return i;
	return DINDEX_END;
}
