/*
 * xattr.c - extended attributes as ext2/ext3/ext4 store them (the kernel's
 * Documentation/filesystems/ext4/attributes.rst).
 *
 * Two places: the inode body past i_extra_isize (a 4-byte magic, then
 * entries; values at the end, their offsets counted from the first entry)
 * and one external block named by i_file_acl (a 32-byte header with a
 * reference count, entries sorted by index, name length and name, values
 * from the block's end, offsets from its start).  Each entry: name length,
 * name index (user 1, ACLs 2 and 3, trusted 4, security 6, system 7),
 * value offset, value inode (0: none here), value size, a hash of name and
 * value; the entry list ends with four zero bytes; everything is padded to
 * 4 bytes.  The block's header also carries a hash of its entries and,
 * with metadata_csum, a crc32c of the block number and contents.
 *
 * A change reads every attribute of the inode into a list, edits it and
 * lays the list out again: in the body first while it fits (system.data,
 * the tail of inline data, always stays there), the rest in the block.
 * Inodes with equal block contents share one block, as ext4 shares them
 * through its mbcache: a small per-mount table maps the block hash to a
 * block in use, whose contents are compared before it gains a reference
 * (at most XBLOCK_REFCOUNT_MAX).  A shared block (refcount > 1) is never
 * written: the inode gets its own copy and the shared one one reference
 * less.
 * Both places are metadata, journalled with the rest.  ACLs are kept in
 * ext4's own format (version 1, 4-byte entries for the owner, group
 * class, mask and other), converted from and to the guest's here.
 */
#include "ext2.h"
#include "kernel/page.h"
#include "kernel/xattr.h"
#include "uapi/linux/posix_acl_xattr.h"
#include "uapi/linux/xattr.h"

#define EXT4_XATTR_MAGIC	0xEA020000u
#define EXT2_FEATURE_COMPAT_EXT_ATTR 0x0008
#define XHDR_LEN		32		/* block header */
#define XENTRY_LEN(n)		((16u + (n) + 3) & ~3u)
#define XVALUE_LEN(s)		(((s) + 3) & ~3u)
#define EXT4_ACL_VERSION	1
#define XBLOCK_REFCOUNT_MAX	1024		/* ext4's EXT4_XATTR_REFCOUNT_MAX */
#define XCACHE_SLOTS		256

struct xentry {
	u8 index, name_len;
	bool in_body;
	bool in_inode;			/* the value is in EA inode vinum */
	u32 vinum;			/* that inode (0: not made yet, or none) */
	u32 vhash;			/* its value's hash (its i_atime) */
	u32 size;
	u8 *value;			/* kmalloc'd, size bytes (NULL for 0) */
	char name[XATTR_NAME_MAX_ + 1];
};

struct xlist {
	struct xentry *e;
	unsigned n, cap;
	u32 *drops;			/* EA inodes losing a reference, at the end */
	unsigned ndrops, dcap;
	u64 ea_blocks;			/* blocks of the loaded EA inode values */
};

/*
 * The blocks an EA inode value is charged to its owner's i_blocks, as
 * ext4 charges them (quota) and e2fsck counts them.
 */
static u64 ea_charge(struct super_block *sb, u32 size)
{
	return DIV_ROUND_UP((u64)size, sb->s_blocksize);
}

/*
 * The hash of one entry (e2fsprogs' ext2fs_ext_attr_hash_entry, the
 * kernel's signed chars): the name's, then the value's words, or for a
 * value in an EA inode that inode's value hash as the one word.
 */
static u32 xattr_hash(const struct xentry *x)
{
	u32 hash = 0, w;

	for (unsigned i = 0; i < x->name_len; i++)
		hash = (hash << 5) ^ (hash >> 27) ^ (u32)(s32)(signed char)x->name[i];
	if (x->in_inode)
		return (hash << 16) ^ (hash >> 16) ^ x->vhash;
	for (u32 off = 0; off < x->size; off += 4) {
		w = 0;
		memcpy(&w, x->value + off, min(4u, x->size - off));
		hash = (hash << 16) ^ (hash >> 16) ^ w;
	}
	return hash;
}

static void xlist_free(struct xlist *l)
{
	for (unsigned i = 0; i < l->n; i++)
		kfree(l->e[i].value);
	kfree(l->e);
	l->e = NULL;
	l->n = 0;
	kfree(l->drops);
	l->drops = NULL;
	l->ndrops = l->dcap = 0;
}

/* Notes that EA inode ino loses a reference once the change is laid out: 0 or -ENOMEM. */
static int xlist_drop(struct xlist *l, u32 ino)
{
	if (l->ndrops == l->dcap) {
		unsigned cap = l->dcap ? l->dcap * 2 : 8;
		u32 *d = kcalloc(cap, sizeof(*d));

		if (!d)
			return -ENOMEM;
		if (l->ndrops)
			memcpy(d, l->drops, l->ndrops * sizeof(*d));
		kfree(l->drops);
		l->drops = d;
		l->dcap = cap;
	}
	l->drops[l->ndrops++] = ino;
	return 0;
}

/* ---- EA inodes (ea_inode): a value of its own inode, reference counted ---- */

static bool has_ea_inode(struct super_block *sb)
{
	return EXT2_SB(sb)->es.s_feature_incompat & EXT4_FEATURE_INCOMPAT_EA_INODE;
}

/* An EA inode's reference count: i_ctime's seconds above, i_version's low half (osd1) below. */
static u64 ea_ref_get(struct inode *ea)
{
	return ((u64)(u32)ea->i_ctime.sec << 32) | EXT2_I(ea)->i_osd1;
}

static void ea_ref_set(struct inode *ea, u64 ref)
{
	ea->i_ctime.sec = (s64)(ref >> 32);
	ea->i_ctime.nsec = 0;
	EXT2_I(ea)->i_osd1 = (u32)ref;
	mark_inode_dirty(ea);
}

/* The value hash ext4 keeps in an EA inode's i_atime: crc32c of the value. */
static u32 ea_value_hash(struct super_block *sb, const void *v, u32 size)
{
	return ext2_crc32c(EXT2_SB(sb)->csum_seed, v, size);
}

/* EA inode ino of a value of size bytes: a reference, or ERR_PTR (-EIO said). Lock held. */
static struct inode *ea_iget(struct inode *owner, u32 ino, u32 size)
{
	struct super_block *sb = owner->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct inode *ea;

	if (ino < sbi->first_ino || ino > sbi->es.s_inodes_count || ino == owner->i_ino)
		return ERR_PTR(ext2_error(sb, "bad xattr value inode number in inode", owner->i_ino));
	sbi->ea_iget = true;
	ea = iget(sb, ino);
	sbi->ea_iget = false;
	if (IS_ERR(ea))
		return ea;
	if (!(EXT2_I(ea)->i_flags & EXT4_EA_INODE_FL) || !S_ISREG(ea->i_mode) ||
	    ea->i_nlink != 1 || (size && ea->i_size != size) ||
	    (EXT2_I(ea)->i_flags & EXT4_INLINE_DATA_FL)) {
		iput(ea);
		return ERR_PTR(ext2_error(sb, "bad xattr value inode", ino));
	}
	return ea;
}

/* Reads the value of EA inode ea (size bytes) into v: 0 or -EIO. Lock held. May sleep. */
static int ea_read(struct inode *ea, u8 *v, u32 size)
{
	struct super_block *sb = ea->i_sb;
	u32 bs = sb->s_blocksize;

	for (u32 off = 0; off < size; off += bs) {
		struct buffer_head *bh;
		u64 pblk = 0;
		int err = ext2_get_block(ea, off / bs, false, &pblk);

		if (err || !pblk)
			return err ? err : ext2_error(sb, "hole in xattr value inode", ea->i_ino);
		bh = bread(sb->s_bdev, pblk, bs);
		if (!bh)
			return -EIO;
		memcpy(v + off, bh->b_data, min(bs, size - off));
		brelse(bh);
	}
	return 0;
}

/* Changes EA inode ino's reference count by delta; at 0 it is freed. Lock held. May sleep. */
static int ea_ref(struct inode *owner, u32 ino, int delta)
{
	struct inode *ea = ea_iget(owner, ino, 0);
	u64 ref;

	if (IS_ERR(ea))
		return (int)PTR_ERR(ea);
	ref = ea_ref_get(ea);
	if (delta < 0 && ref < (u64)-delta) {
		ext2_error(owner->i_sb, "xattr value inode reference count below 0:", ino);
		ref = 0;
	} else {
		ref += (u64)(s64)delta;
	}
	ea_ref_set(ea, ref);
	if (ref == 0) {
		ea->i_nlink = 0;	/* the last iput frees its blocks and the inode */
		ea->i_ctime = current_time();
	}
	iput(ea);
	return 0;
}

/*
 * A new EA inode holding value (size bytes), with no reference yet (the
 * layout takes it): its number, or -errno. Lock held. May sleep.
 */
static int ea_create(struct inode *owner, const u8 *value, u32 size, u32 *ino, u32 *hash)
{
	struct super_block *sb = owner->i_sb;
	u32 bs = sb->s_blocksize;
	struct inode *ea = ext2_new_inode(owner, S_IFREG | 0600);
	int err = 0;

	if (IS_ERR(ea))
		return (int)PTR_ERR(ea);
	EXT2_I(ea)->i_flags |= EXT4_EA_INODE_FL;
	for (u32 off = 0; off < size && !err; off += bs) {
		struct buffer_head *bh;
		u64 pblk = 0;

		err = ext2_get_block(ea, off / bs, true, &pblk);
		if (err)
			break;
		bh = getblk(sb->s_bdev, pblk, bs);
		if (!bh) {
			err = -ENOMEM;
			break;
		}
		memset(bh->b_data, 0, bs);
		memcpy(bh->b_data, value + off, min(bs, size - off));
		bh->b_uptodate = true;
		ext2_dirty_meta(sb, bh);	/* journalled as ext4 journals EA inode data */
		brelse(bh);
	}
	ea->i_size = size;
	*hash = ea_value_hash(sb, value, size);
	ea->i_atime.sec = (s64)(s32)*hash;
	ea->i_atime.nsec = 0;
	ea->i_mtime = ea->i_atime;
	ea_ref_set(ea, 0);
	if (err)
		ea->i_nlink = 0;	/* half written: freed at once */
	else
		*ino = (u32)ea->i_ino;
	iput(ea);
	return err;
}

/* Notes the EA inodes named by the raw entries at ents..end for dropping. */
static int xrefs_scan(struct xlist *l, const u8 *ents, const u8 *end)
{
	int err = 0;

	for (const u8 *p = ents; !err && p + 16 <= end && *(const u32 *)p != 0;
	     p += XENTRY_LEN(p[0]))
		if (*(const u32 *)(p + 4))
			err = xlist_drop(l, *(const u32 *)(p + 4));
	return err;
}

/* Takes a reference for each entry of l in the place (body or block) with its value in an EA inode. */
static int xrefs_take(struct inode *inode, const struct xlist *l, bool body)
{
	int err = 0;

	for (unsigned i = 0; !err && i < l->n; i++)
		if (l->e[i].in_inode && l->e[i].in_body == body)
			err = ea_ref(inode, l->e[i].vinum, 1);
	return err;
}

/* Drops the references noted in l. Lock held. May sleep. */
static void xrefs_put(struct inode *inode, struct xlist *l)
{
	for (unsigned i = 0; i < l->ndrops; i++)
		ea_ref(inode, l->drops[i], -1);
	l->ndrops = 0;
}

/* Appends an entry with a copy of value: 0 or -ENOMEM. */
static int xlist_add(struct xlist *l, int index, const char *name, unsigned len,
		     const void *value, u32 size, bool in_body)
{
	struct xentry *x;

	if (l->n == l->cap) {
		unsigned cap = l->cap ? l->cap * 2 : 16;
		struct xentry *e = kcalloc(cap, sizeof(*e));

		if (!e)
			return -ENOMEM;
		if (l->n)
			memcpy(e, l->e, l->n * sizeof(*e));
		kfree(l->e);
		l->e = e;
		l->cap = cap;
	}
	x = &l->e[l->n];
	memset(x, 0, sizeof(*x));
	if (size && (x->value = kmalloc(size)) == NULL)
		return -ENOMEM;
	if (size)
		memcpy(x->value, value, size);
	x->index = (u8)index;
	x->name_len = (u8)len;
	memcpy(x->name, name, len);
	x->size = size;
	x->in_body = in_body;
	l->n++;
	return 0;
}

/* Appends an entry whose value is in EA inode vinum (read here): 0, -EIO, -ENOMEM. */
static int xlist_add_ea(struct inode *inode, struct xlist *l, int index, const char *name,
			unsigned len, u32 vinum, u32 size, bool in_body)
{
	struct inode *ea = ea_iget(inode, vinum, size);
	struct xentry *x;
	u8 *v;
	int err;

	if (IS_ERR(ea))
		return (int)PTR_ERR(ea);
	v = kmalloc(size);
	err = v ? ea_read(ea, v, size) : -ENOMEM;
	if (!err)
		err = xlist_add(l, index, name, len, v, size, in_body);
	if (!err) {
		x = &l->e[l->n - 1];
		x->in_inode = true;
		x->vinum = vinum;
		x->vhash = (u32)ea->i_atime.sec;
		l->ea_blocks += ea_charge(inode->i_sb, size);
	}
	kfree(v);
	iput(ea);
	return err;
}

/*
 * Reads the entries at ents (bounded by end) whose values sit at
 * vbase + offset, inside [vlo, vhi) of vbase: 0, -EIO (corrupt), -ENOMEM.
 */
static int xlist_parse(struct inode *inode, struct xlist *l, const u8 *ents, const u8 *end,
		       const u8 *vbase, u32 vlo, u32 vhi, bool in_body)
{
	const u8 *p = ents;
	int err;

	while (p + 4 <= end && *(const u32 *)p != 0) {
		u8 nlen = p[0], index = p[1];
		u16 voff = *(const u16 *)(p + 2);
		u32 vinum = *(const u32 *)(p + 4), vsize = *(const u32 *)(p + 8);

		if (p + XENTRY_LEN(nlen) > end ||
		    (vinum && (!has_ea_inode(inode->i_sb) || voff || !vsize ||
			       vsize > XATTR_SIZE_MAX_)) ||
		    (!vinum && vsize && ((u32)voff < vlo || (u64)voff + vsize > vhi)))
			return ext2_error(inode->i_sb, "bad extended attribute in inode",
					  inode->i_ino);
		if (vinum)
			err = xlist_add_ea(inode, l, index, (const char *)p + 16, nlen, vinum, vsize,
					   in_body);
		else
			err = xlist_add(l, index, (const char *)p + 16, nlen, vbase + voff, vsize,
					in_body);
		if (err)
			return err;
		p += XENTRY_LEN(nlen);
	}
	return 0;
}

/* Where the inode body's xattr space is in slot: its size (0: none). */
static u32 ibody_size(struct inode *inode)
{
	u32 isz = EXT2_SB(inode->i_sb)->inode_size;
	u32 start = EXT2_GOOD_OLD_INODE_SIZE + EXT2_I(inode)->i_extra_isize;

	return isz > start + 4 + 16 + 4 ? isz - start : 0;
}

/* The inode's table block (a reference) and the slot's offset in it. */
static struct buffer_head *ibody_bh(struct inode *inode, u32 *off)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	u64 ino = inode->i_ino, block;
	u32 g = (u32)(ino - 1) / sbi->es.s_inodes_per_group;
	u32 idx = (u32)(ino - 1) % sbi->es.s_inodes_per_group;

	block = ext2_inode_table(sb, ext2_gd(sb, g)) + idx / sbi->inodes_per_block;
	*off = (idx % sbi->inodes_per_block) * sbi->inode_size;
	return bread(sb->s_bdev, block, sb->s_blocksize);
}

static int load_ibody(struct inode *inode, struct xlist *l)
{
	u32 size = ibody_size(inode), off;
	struct buffer_head *bh;
	const u8 *h;
	int err = 0;

	if (!size)
		return 0;
	bh = ibody_bh(inode, &off);
	if (!bh)
		return -EIO;
	h = (const u8 *)bh->b_data + off + EXT2_GOOD_OLD_INODE_SIZE + EXT2_I(inode)->i_extra_isize;
	if (*(const u32 *)h == EXT4_XATTR_MAGIC)
		err = xlist_parse(inode, l, h + 4, h + size, h + 4, 0, size - 4, true);
	brelse(bh);
	return err;
}

/*
 * The sharing table: xattr blocks in use, by their header hash (0: not
 * shareable), one per slot.  An entry is dropped when its block is freed
 * or rewritten, and every entry of a superblock at its unmount, so an
 * entry always names a live xattr block (whose contents are still
 * compared before use).  Callers hold the fs lock.
 */
static struct xcache_entry {
	struct super_block *sb;
	u32 hash;
	u64 block;
} xcache[XCACHE_SLOTS];

static void xcache_insert(struct super_block *sb, u32 hash, u64 block)
{
	struct xcache_entry *e = &xcache[hash % XCACHE_SLOTS];

	if (hash == 0)
		return;
	e->sb = sb;
	e->hash = hash;
	e->block = block;
}

static void xcache_remove(struct super_block *sb, u64 block)
{
	for (unsigned i = 0; i < XCACHE_SLOTS; i++)
		if (xcache[i].sb == sb && xcache[i].block == block)
			xcache[i].sb = NULL;
}

/* Forgets sb's blocks (unmount). */
void ext2_xattr_forget(struct super_block *sb)
{
	for (unsigned i = 0; i < XCACHE_SLOTS; i++)
		if (xcache[i].sb == sb)
			xcache[i].sb = NULL;
}

/* True if block image b has an entry whose value is in an EA inode (such blocks are not shared). */
static bool xblock_has_ea(struct super_block *sb, const u8 *b)
{
	const u8 *end = b + sb->s_blocksize;

	for (const u8 *p = b + XHDR_LEN; p + 16 <= end && *(const u32 *)p != 0;
	     p += XENTRY_LEN(p[0]))
		if (*(const u32 *)(p + 4))
			return true;
	return false;
}

/* The block's checksum: crc32c of its number and contents. */
static u32 xblock_csum(struct super_block *sb, u64 nr, u8 *data)
{
	u32 *csum = (u32 *)(data + 16), save = *csum, crc;

	*csum = 0;
	crc = ext2_crc32c(EXT2_SB(sb)->csum_seed, &nr, 8);
	crc = ext2_crc32c(crc, data, sb->s_blocksize);
	*csum = save;
	return crc;
}

/* Reads and checks the inode's xattr block: a reference, or NULL with *err. */
static struct buffer_head *xblock_read(struct inode *inode, int *err)
{
	struct super_block *sb = inode->i_sb;
	u64 nr = EXT2_I(inode)->i_file_acl;
	struct buffer_head *bh;
	const u32 *h;

	*err = ext2_block_valid(sb, nr) ? -EIO : ext2_error(sb, "bad xattr block", nr);
	if (!ext2_block_valid(sb, nr))
		return NULL;
	bh = bread(sb->s_bdev, nr, sb->s_blocksize);
	if (!bh)
		return NULL;
	h = (const u32 *)bh->b_data;
	if (h[0] != EXT4_XATTR_MAGIC || h[2] != 1 || h[1] == 0 ||
	    (EXT2_SB(sb)->metadata_csum && h[4] != xblock_csum(sb, nr, (u8 *)bh->b_data))) {
		brelse(bh);
		*err = ext2_error(sb, "bad extended attribute block", nr);
		return NULL;
	}
	if (!xblock_has_ea(sb, (const u8 *)bh->b_data))
		xcache_insert(sb, h[3], nr);
	return bh;
}

/* Every attribute of inode into l (body first): 0, -EIO, -ENOMEM. Lock held. May sleep. */
static int xlist_load(struct inode *inode, struct xlist *l)
{
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh;
	int err = load_ibody(inode, l);

	if (err || !EXT2_I(inode)->i_file_acl)
		return err;
	bh = xblock_read(inode, &err);
	if (!bh)
		return err;
	err = xlist_parse(inode, l, (u8 *)bh->b_data + XHDR_LEN, (u8 *)bh->b_data + sb->s_blocksize,
			  (u8 *)bh->b_data, XHDR_LEN, sb->s_blocksize, false);
	brelse(bh);
	return err;
}

static int xlist_find(const struct xlist *l, int index, const char *name)
{
	size_t len = strlen(name);

	for (unsigned i = 0; i < l->n; i++)
		if (l->e[i].index == index && l->e[i].name_len == len &&
		    !memcmp(l->e[i].name, name, len))
			return (int)i;
	return -1;
}

/* ext4's block order: index, then name length, then name. */
static int xentry_cmp(const struct xentry *a, const struct xentry *b)
{
	if (a->index != b->index)
		return a->index - b->index;
	if (a->name_len != b->name_len)
		return a->name_len - b->name_len;
	return memcmp(a->name, b->name, a->name_len);
}

/*
 * Writes the entries of l marked for the place (in_body == body) into
 * region buf of size bytes: entries from first on, values down from the
 * end, offsets relative to vbase (0: buf).  Returns the hash of the
 * entries for a block header.  The caller checked that they fit.
 */
static u32 xlist_emit(const struct xlist *l, bool body, u8 *buf, u32 size, u32 first,
		      u32 vbase)
{
	u32 pos = first, vend = size, hash = 0;

	memset(buf + first, 0, size - first);
	for (unsigned i = 0; i < l->n; i++) {
		const struct xentry *x = &l->e[i];
		u8 *p = buf + pos;
		u32 h = xattr_hash(x);

		if (x->in_body != body)
			continue;
		p[0] = x->name_len;
		p[1] = x->index;
		if (x->in_inode) {
			*(u32 *)(p + 4) = x->vinum;
		} else if (x->size) {
			vend -= XVALUE_LEN(x->size);
			memcpy(buf + vend, x->value, x->size);
			*(u16 *)(p + 2) = (u16)(vend - vbase);
		}
		*(u32 *)(p + 8) = x->size;
		*(u32 *)(p + 12) = h;
		memcpy(p + 16, x->name, x->name_len);
		pos += XENTRY_LEN(x->name_len);
		hash = (hash << 16) ^ (hash >> 16) ^ h;
	}
	return hash;
}

static u32 xentry_space(const struct xentry *x)
{
	return XENTRY_LEN(x->name_len) + (x->in_inode ? 0 : XVALUE_LEN(x->size));
}

/*
 * Chooses each entry's place: the body while it fits (system.data must),
 * the rest in the block.  Returns the block's bytes needed (0: no block)
 * or -ENOSPC.
 */
static int xlist_place(struct inode *inode, struct xlist *l)
{
	u32 body = ibody_size(inode), used = 4 + 4, bused = XHDR_LEN + 4;
	u32 bs = inode->i_sb->s_blocksize;
	bool any = false;

	for (unsigned i = 0; i < l->n; i++) {
		struct xentry *x = &l->e[i];
		bool pinned = x->index == XATTR_INDEX_SYSTEM;

		/* ext4's rule: a value too big for a block goes to an inode of its own,
		 * so does one that fits nowhere else (its entry alone stays here). */
		if (!x->in_inode && !pinned && has_ea_inode(inode->i_sb) &&
		    (XVALUE_LEN(x->size) > bs - 3 - 16 - 4 ||
		     (!(body && used + xentry_space(x) <= body) &&
		      bused + xentry_space(x) > bs)))
			x->in_inode = true;
		x->in_body = body && used + xentry_space(x) <= body;
		if (x->in_body) {
			used += xentry_space(x);
			continue;
		}
		if (pinned || bused + xentry_space(x) > bs)
			return -ENOSPC;
		bused += xentry_space(x);
		any = true;
	}
	/* The block's entries are kept sorted (insertion sort: lists are short). */
	for (unsigned i = 1; i < l->n; i++) {
		for (unsigned j = i; j > 0 && !l->e[j].in_body && !l->e[j - 1].in_body &&
		     xentry_cmp(&l->e[j], &l->e[j - 1]) < 0; j--) {
			struct xentry t = l->e[j];

			l->e[j] = l->e[j - 1];
			l->e[j - 1] = t;
		}
	}
	return any ? (int)bused : 0;
}

/*
 * Rewrites the body's attributes from l: the EA inodes its new entries
 * name gain a reference, those of the old ones are noted to lose one.
 * Lock held. May sleep.
 */
static int store_ibody(struct inode *inode, struct xlist *l)
{
	u32 size = ibody_size(inode), off;
	struct buffer_head *bh;
	bool any = false;
	u8 *h;

	if (!size)
		return 0;
	for (unsigned i = 0; i < l->n; i++)
		any |= l->e[i].in_body;
	bh = ibody_bh(inode, &off);
	if (!bh)
		return -EIO;
	h = (u8 *)bh->b_data + off + EXT2_GOOD_OLD_INODE_SIZE + EXT2_I(inode)->i_extra_isize;
	if (*(u32 *)h == EXT4_XATTR_MAGIC && xrefs_scan(l, h + 4, h + size)) {
		brelse(bh);
		return -ENOMEM;
	}
	if (any) {
		*(u32 *)h = EXT4_XATTR_MAGIC;
		xlist_emit(l, true, h + 4, size - 4, 0, 0);
	} else {
		memset(h, 0, size);
	}
	ext2_inode_csum_set(inode->i_sb, EXT2_I(inode)->csum_seed, (u8 *)bh->b_data + off);
	ext2_dirty_meta(inode->i_sb, bh);
	brelse(bh);
	return xrefs_take(inode, l, true);
}

/*
 * Drops the inode's reference to its xattr block, freeing it at the last
 * (its EA inodes noted in l to lose their references). Lock held.
 */
static void xblock_release(struct inode *inode, struct xlist *l)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct buffer_head *bh;
	u32 *h;
	int err;

	if (!ei->i_file_acl)
		return;
	bh = xblock_read(inode, &err);
	if (bh) {
		h = (u32 *)bh->b_data;
		if (h[1] > 1) {
			h[1]--;
			if (EXT2_SB(sb)->metadata_csum)
				h[4] = xblock_csum(sb, bh->b_blocknr, (u8 *)bh->b_data);
			ext2_dirty_meta(sb, bh);
		} else {
			xrefs_scan(l, (u8 *)bh->b_data + XHDR_LEN, (u8 *)bh->b_data + sb->s_blocksize);
			xcache_remove(sb, ei->i_file_acl);
			ext2_free_blocks(sb, ei->i_file_acl, 1);
		}
		brelse(bh);
	}
	ext2_add_blocks(inode, -1);
	ei->i_file_acl = 0;
	mark_inode_dirty(inode);
}

/* Builds the block image of l's block entries into img (blocksize bytes). */
static void xblock_build(struct super_block *sb, const struct xlist *l, u8 *img)
{
	u32 *h = (u32 *)img;

	memset(img, 0, XHDR_LEN);
	h[0] = EXT4_XATTR_MAGIC;
	h[1] = 1;
	h[2] = 1;
	h[3] = xlist_emit(l, false, img, sb->s_blocksize, XHDR_LEN, 0);
	for (unsigned i = 0; i < l->n; i++)	/* an entry hash of 0 marks it unshareable */
		if (!l->e[i].in_body && xattr_hash(&l->e[i]) == 0)
			h[3] = 0;
}

/* Adds one reference to a block holding img if the table knows one: 0, or -ENOENT. */
static int xblock_share(struct inode *inode, const u8 *img, struct xlist *l)
{
	struct super_block *sb = inode->i_sb;
	u32 hash = ((const u32 *)img)[3];
	struct xcache_entry *e = &xcache[hash % XCACHE_SLOTS];
	struct buffer_head *bh;
	u32 *h;

	if (hash == 0 || e->sb != sb || e->hash != hash || e->block == EXT2_I(inode)->i_file_acl ||
	    xblock_has_ea(sb, img))
		return -ENOENT;
	bh = bread(sb->s_bdev, e->block, sb->s_blocksize);
	if (!bh)
		return -ENOENT;
	h = (u32 *)bh->b_data;
	if (h[0] != EXT4_XATTR_MAGIC || h[2] != 1 || h[3] != hash || h[1] == 0 ||
	    h[1] >= XBLOCK_REFCOUNT_MAX ||
	    memcmp(bh->b_data + XHDR_LEN, img + XHDR_LEN, sb->s_blocksize - XHDR_LEN)) {
		brelse(bh);
		return -ENOENT;
	}
	h[1]++;
	if (EXT2_SB(sb)->metadata_csum)
		h[4] = xblock_csum(sb, bh->b_blocknr, (u8 *)bh->b_data);
	ext2_dirty_meta(sb, bh);
	brelse(bh);
	xblock_release(inode, l);	/* its old block, if any */
	EXT2_I(inode)->i_file_acl = e->block;
	ext2_add_blocks(inode, 1);
	return 0;
}

/* A new block for img: 0, -ENOSPC, -ENOMEM; *bhp its buffer. */
static int xblock_new(struct inode *inode, struct buffer_head **bhp, struct xlist *l)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	u64 nr;
	int err = ext2_new_block(sb, ei->group, ei->last_block, &nr);

	if (err)
		return err;
	*bhp = getblk(sb->s_bdev, nr, sb->s_blocksize);
	if (!*bhp) {
		ext2_free_blocks(sb, nr, 1);
		return -ENOMEM;
	}
	xblock_release(inode, l);	/* a shared old block loses this reference */
	ei->i_file_acl = nr;
	ext2_add_blocks(inode, 1);
	return 0;
}

/*
 * Puts img in the inode's block: an equal block elsewhere shared, else
 * its own block rewritten if unshared, else a new one.  0 or -errno.
 */
static int xblock_store(struct inode *inode, u8 *img, struct xlist *l)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct buffer_head *bh = NULL;
	int err;

	if (ei->i_file_acl) {
		bh = xblock_read(inode, &err);
		if (!bh)
			return err;
		((u32 *)img)[1] = ((u32 *)bh->b_data)[1];
		((u32 *)img)[4] = ((u32 *)bh->b_data)[4];
		if (!memcmp(img, bh->b_data, sb->s_blocksize)) {
			brelse(bh);	/* this change left the block as it was */
			return 0;
		}
		if (((u32 *)bh->b_data)[1] > 1) {	/* shared: copy on write */
			brelse(bh);
			bh = NULL;
		}
	}
	if (xblock_share(inode, img, l) == 0) {
		brelse(bh);
		return 0;
	}
	if (!bh) {
		err = xblock_new(inode, &bh, l);
		if (err)
			return err;
	} else {
		err = xrefs_scan(l, (u8 *)bh->b_data + XHDR_LEN, (u8 *)bh->b_data + sb->s_blocksize);
		if (err) {
			brelse(bh);
			return err;
		}
	}
	xcache_remove(sb, bh->b_blocknr);
	((u32 *)img)[1] = 1;
	memcpy(bh->b_data, img, sb->s_blocksize);
	bh->b_uptodate = true;
	if (EXT2_SB(sb)->metadata_csum)
		((u32 *)bh->b_data)[4] = xblock_csum(sb, bh->b_blocknr, (u8 *)bh->b_data);
	ext2_dirty_meta(sb, bh);
	if (!xblock_has_ea(sb, img))
		xcache_insert(sb, ((u32 *)img)[3], bh->b_blocknr);
	brelse(bh);
	mark_inode_dirty(inode);
	return xrefs_take(inode, l, false);
}

/* Lays l out again in the body and the block: 0, -ENOSPC, -EIO. Lock held. May sleep. */
static int xlist_store(struct inode *inode, struct xlist *l)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	int need = xlist_place(inode, l), err = 0;
	u8 *img = NULL;

	if (need < 0)
		return need;
	/* New values too big for the body and the block get their EA inodes. */
	for (unsigned i = 0; i < l->n && !err; i++) {
		struct xentry *x = &l->e[i];

		if (x->in_inode && !x->vinum)
			err = ea_create(inode, x->value, x->size, &x->vinum, &x->vhash);
	}
	if (!err && need) {
		img = kmalloc(sb->s_blocksize);
		if (!img) {
			err = -ENOMEM;
		} else {
			xblock_build(sb, l, img);
			err = xblock_store(inode, img, l);	/* first: it can fail for want of space */
			kfree(img);
		}
	}
	if (!err) {
		err = store_ibody(inode, l);
		if (!need)
			xblock_release(inode, l);
		xrefs_put(inode, l);	/* after every new reference: a moved value keeps its inode */
	}
	for (unsigned i = 0; err && i < l->n; i++)	/* an EA inode nothing took is freed */
		if (l->e[i].in_inode && l->e[i].vinum)
			ea_ref(inode, l->e[i].vinum, 0);
	if (err)
		return err;
	{
		u64 now = 0;

		for (unsigned i = 0; i < l->n; i++)
			if (l->e[i].in_inode)
				now += ea_charge(sb, l->e[i].size);
		if (now != l->ea_blocks)
			ext2_add_blocks(inode, (long)now - (long)l->ea_blocks);
		l->ea_blocks = now;
	}
	if (!(sbi->es.s_feature_compat & EXT2_FEATURE_COMPAT_EXT_ATTR)) {
		sbi->es.s_feature_compat |= EXT2_FEATURE_COMPAT_EXT_ATTR;
		sbi->sb_dirty = true;
	}
	return err;
}

/* ACL values: ext4's disk format <-> the guest's (fs/posix_acl.c). */

/* Converts a disk-format ACL into the guest format into buf (size 0: length). */
static int acl_from_disk(struct inode *inode, const u8 *v, u32 size, void *buf, size_t bsize)
{
	struct posix_acl *acl;
	u32 n = 0, off;
	int ret;

	if (size < 4 || *(const u32 *)v != EXT4_ACL_VERSION)
		return ext2_error(inode->i_sb, "bad ACL in inode", inode->i_ino);
	for (off = 4; off + 4 <= size; n++) {
		u16 tag = *(const u16 *)(v + off);

		off += (tag == ACL_USER || tag == ACL_GROUP) ? 8 : 4;
	}
	acl = posix_acl_alloc(n);
	if (!acl)
		return -ENOMEM;
	for (off = 4, n = 0; n < acl->a_entries; n++) {
		struct posix_acl_entry *e = &acl->a_entry[n];

		e->e_tag = *(const u16 *)(v + off);
		e->e_perm = *(const u16 *)(v + off + 2);
		e->e_id = (u32)ACL_UNDEFINED_ID;
		if (e->e_tag == ACL_USER || e->e_tag == ACL_GROUP) {
			if (off + 8 > size)
				break;
			e->e_id = *(const u32 *)(v + off + 4);
		}
		off += (e->e_tag == ACL_USER || e->e_tag == ACL_GROUP) ? 8 : 4;
	}
	ret = n == acl->a_entries && off == size ? posix_acl_to_xattr(acl, buf, bsize) :
		ext2_error(inode->i_sb, "bad ACL in inode", inode->i_ino);
	posix_acl_put(acl);
	return ret;
}

/* Converts a guest-format ACL to the disk format: a kmalloc'd value and its size. */
static int acl_to_disk(const void *value, size_t size, u8 **out, u32 *osize)
{
	struct posix_acl *acl = posix_acl_from_xattr(value, size);
	u32 off = 4;
	u8 *v;

	if (IS_ERR_OR_NULL(acl))
		return acl ? (int)PTR_ERR(acl) : -EINVAL;
	v = kmalloc(4 + acl->a_entries * 8u);
	if (!v) {
		posix_acl_put(acl);
		return -ENOMEM;
	}
	*(u32 *)v = EXT4_ACL_VERSION;
	for (unsigned i = 0; i < acl->a_entries; i++) {
		const struct posix_acl_entry *e = &acl->a_entry[i];

		*(u16 *)(v + off) = e->e_tag;
		*(u16 *)(v + off + 2) = e->e_perm;
		off += 4;
		if (e->e_tag == ACL_USER || e->e_tag == ACL_GROUP) {
			*(u32 *)(v + off) = e->e_id;
			off += 4;
		}
	}
	posix_acl_put(acl);
	*out = v;
	*osize = off;
	return 0;
}

static bool is_acl(int index)
{
	return index == XATTR_INDEX_POSIX_ACL_ACCESS || index == XATTR_INDEX_POSIX_ACL_DEFAULT;
}

/* xattr_operations.get. May sleep. */
static int ext2_xattr_get(struct inode *inode, int index, const char *name, void *buf,
			  size_t size)
{
	struct super_block *sb = inode->i_sb;
	struct xlist l = { 0 };
	const struct xentry *x;
	int err, i;

	ext2_lock(sb);
	err = xlist_load(inode, &l);
	i = err ? -1 : xlist_find(&l, index, name);
	if (err)
		goto out;
	err = -ENODATA;
	if (i < 0)
		goto out;
	x = &l.e[i];
	if (is_acl(index))
		err = acl_from_disk(inode, x->value, x->size, buf, size);
	else if (size && size < x->size)
		err = -ERANGE;
	else
		err = (int)x->size;
	if (err > 0 && size && !is_acl(index))
		memcpy(buf, x->value, x->size);
out:
	xlist_free(&l);
	ext2_unlock(sb);
	return err;
}

/* Replaces, adds or removes (value NULL) entry (index, name) in l. */
static int xlist_edit(struct xlist *l, int index, const char *name, const void *value,
		      u32 size, int flags)
{
	int i = xlist_find(l, index, name);

	if (i >= 0 && (flags & XATTR_CREATE))
		return -EEXIST;
	if (i < 0 && (flags & XATTR_REPLACE))
		return -ENODATA;
	if (i < 0 && value == NULL)
		return -ENODATA;
	if (i >= 0) {
		kfree(l->e[i].value);
		memmove(&l->e[i], &l->e[i + 1], (l->n - (unsigned)i - 1) * sizeof(l->e[0]));
		l->n--;
	}
	if (value == NULL)
		return 0;
	return xlist_add(l, index, name, (unsigned)strlen(name), value, size, false);
}

/* xattr_operations.set. May sleep. */
static int ext2_xattr_set(struct inode *inode, int index, const char *name,
			  const void *value, size_t size, int flags)
{
	struct super_block *sb = inode->i_sb;
	struct xlist l = { 0 };
	u8 *disk = NULL;
	u32 dsize = (u32)size;
	int err;

	if (sb->s_rdonly)
		return -EROFS;
	if (size > sb->s_blocksize && !has_ea_inode(sb))
		return -ENOSPC;		/* ext4 without ea_inode: a value fits in a block */
	if (value && is_acl(index)) {
		err = acl_to_disk(value, size, &disk, &dsize);
		if (err)
			return err;
		value = disk;
	}
	ext2_lock(sb);
	err = xlist_load(inode, &l);
	if (!err)
		err = xlist_edit(&l, index, name, value, dsize, flags);
	if (!err)
		err = xlist_store(inode, &l);
	xlist_free(&l);
	ext2_unlock(sb);
	kfree(disk);
	return err;
}

static int ext2_xattr_list(struct inode *inode, xattr_list_fn fn, void *arg)
{
	struct super_block *sb = inode->i_sb;
	struct xlist l = { 0 };
	int err;

	ext2_lock(sb);
	err = xlist_load(inode, &l);
	ext2_unlock(sb);
	for (unsigned i = 0; !err && i < l.n; i++)
		err = fn(arg, l.e[i].index, l.e[i].name, l.e[i].name_len);
	xlist_free(&l);
	return err;
}

const struct xattr_operations ext2_xattr_ops = {
	.get = ext2_xattr_get,
	.set = ext2_xattr_set,
	.list = ext2_xattr_list,
};

/*
 * An inode being freed: its xattr block loses a reference, the EA inodes
 * of its body's entries (and of the block, when that goes) one each.
 * Lock held. May sleep.
 */
void ext2_xattr_delete_inode(struct inode *inode)
{
	struct xlist l = { 0 };
	u32 size = ibody_size(inode), off;
	struct buffer_head *bh;

	if (EXT2_I(inode)->i_flags & EXT4_EA_INODE_FL)
		return;		/* a value inode has no attributes of its own */
	if (size && has_ea_inode(inode->i_sb) && (bh = ibody_bh(inode, &off)) != NULL) {
		u8 *h = (u8 *)bh->b_data + off + EXT2_GOOD_OLD_INODE_SIZE +
			EXT2_I(inode)->i_extra_isize;

		if (*(u32 *)h == EXT4_XATTR_MAGIC)
			xrefs_scan(&l, h + 4, h + size);
		brelse(bh);
	}
	xblock_release(inode, &l);
	xrefs_put(inode, &l);
	xlist_free(&l);
}
