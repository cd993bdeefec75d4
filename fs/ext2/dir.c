/*
 * dir.c - ext2 directories: a linear list of variable-length entries in
 * each block (rec_len links an entry to the next; inode 0 is unused
 * space).  Each block is checked as a whole when read, so a corrupt entry
 * is reported as -EIO and never followed.  Directories indexed by
 * dir_index (htree) are searched and changed as ext4 does: the name's hash
 * (legacy, half_md4 or tea, signed or unsigned, with the superblock's
 * seed) leads from the root through at most one more index level (two
 * with large_dir) to one leaf; a full leaf splits by hash order (the upper
 * half to a new block, with the low bit of its index hash set when equal
 * hashes continue across the split), a full index node splits, a full root
 * pushes its entries down into a new level, and a one-block linear
 * directory that fills becomes indexed (ext4's make_indexed_dir).  Deletes
 * leave empty space in leaves; leaves are never merged.  Index blocks look
 * like empty entries to the linear readers (readdir, emptiness).  With
 * metadata_csum each leaf ends in a 12-byte tail holding its checksum
 * (index blocks in a dx_tail), verified on every read and rewritten on
 * every change; every block goes through the journal (ext2_dirty_meta).
 */
#include "ext2.h"
#include "dindex.h"
#include "kernel/page.h"

static unsigned ext2_ftype(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return EXT2_FT_REG;
	case S_IFDIR: return EXT2_FT_DIR;
	case S_IFCHR: return EXT2_FT_CHRDEV;
	case S_IFBLK: return EXT2_FT_BLKDEV;
	case S_IFIFO: return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK: return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

unsigned ext2_dtype(unsigned ft)
{
	static const u8 map[] = { DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK,
				  DT_FIFO, DT_SOCK, DT_LNK };

	return ft < ARRAY_SIZE(map) ? map[ft] : DT_UNKNOWN;
}

static struct ext2_dirent *de_at(struct buffer_head *bh, unsigned off)
{
	return (struct ext2_dirent *)(bh->b_data + off);
}

/* Where the entries of a leaf block end: before the checksum tail, if any. */
static unsigned ext2_dir_end(struct inode *dir)
{
	return dir->i_sb->s_blocksize - (EXT2_SB(dir->i_sb)->metadata_csum ? EXT4_DIR_TAIL_LEN : 0);
}

/* True if block lblk (read into bh) of dir is an htree index block, not a leaf. */
static bool ext2_is_dx_block(struct inode *dir, u64 lblk, struct buffer_head *bh)
{
	struct ext2_dirent *de = de_at(bh, 0);

	if (!(EXT2_I(dir)->i_flags & EXT2_INDEX_FL))
		return false;
	return lblk == 0 || (de->inode == 0 && de->rec_len == dir->i_sb->s_blocksize);
}

/* Verifies an htree index block's dx_tail checksum: 0 or -EIO. */
static int ext2_dx_csum_check(struct inode *dir, u64 lblk, struct buffer_head *bh)
{
	unsigned bs = dir->i_sb->s_blocksize;
	unsigned off = lblk == 0 ? 0x18 + (u8)bh->b_data[0x1d] : 8;
	u16 limit, count;
	u32 crc, zero = 0;

	if (!EXT2_SB(dir->i_sb)->metadata_csum)
		return 0;
	if (off + 4 > bs)
		goto bad;
	limit = *(u16 *)(bh->b_data + off);
	count = *(u16 *)(bh->b_data + off + 2);
	if (count > limit || off + limit * 8u + 8 > bs)
		goto bad;
	crc = ext2_crc32c(EXT2_I(dir)->csum_seed, bh->b_data, off + count * 8u);
	crc = ext2_crc32c(crc, bh->b_data + off + limit * 8u, 4);	/* dt_reserved */
	crc = ext2_crc32c(crc, &zero, 4);				/* dt_checksum as 0 */
	if (crc == *(u32 *)(bh->b_data + off + limit * 8u + 4))
		return 0;
bad:
	printk(KERN_ERR "ext4: htree block %llu of inode %llu: bad checksum\n",
	       (unsigned long long)bh->b_blocknr, (unsigned long long)dir->i_ino);
	return ext2_error(dir->i_sb, "checksum error in directory", dir->i_ino);
}

/* Checks that the entries of a directory block chain exactly to its end. */
static int ext2_check_block(struct inode *dir, u64 lblk, struct buffer_head *bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	bool dx = ext2_is_dx_block(dir, lblk, bh);
	u8 kind = dx ? (lblk == 0 ? EXT2_BV_DX_ROOT : EXT2_BV_DX_NODE) : EXT2_BV_DIR_LEAF;
	unsigned off = 0, end = dx ? sbi->blocksize : ext2_dir_end(dir);
	int err;

	if (bh->b_verified == kind)
		return 0;	/* checked as this since read; only our changes since */
	err = dx ? ext2_dx_csum_check(dir, lblk, bh) : ext2_dirblock_csum_check(dir, bh);
	if (err)
		return err;
	while (off < end) {
		struct ext2_dirent *de = de_at(bh, off);
		unsigned nlen = de->name_len | (sbi->filetype ? 0 : de->file_type << 8);

		if (de->rec_len < 8 || de->rec_len % 4 || de->rec_len > end - off ||
		    (de->inode && EXT2_DIRENT_LEN(nlen) > de->rec_len) ||
		    de->inode > sbi->es.s_inodes_count)
			return ext2_error(dir->i_sb, "bad directory entry in inode", dir->i_ino);
		if (lblk == 0 && dx && off == 12)
			break;		/* "..": the index hides in its rec_len */
		off += de->rec_len;
	}
	bh->b_verified = kind;
	return 0;
}

/* Reads directory block lblk into *bhp (NULL for a hole). May sleep. */
static int ext2_dir_block(struct inode *dir, u64 lblk, struct buffer_head **bhp)
{
	struct buffer_head *bh;
	u64 block;
	int err;

	*bhp = NULL;
	err = ext2_get_block(dir, lblk, false, &block);
	if (err || !block)
		return err;
	bh = bread(dir->i_sb->s_bdev, block, dir->i_sb->s_blocksize);
	if (!bh)
		return -EIO;
	err = ext2_check_block(dir, lblk, bh);
	if (err) {
		brelse(bh);
		return err;
	}
	*bhp = bh;
	return 0;
}

/* Marks leaf block bh of dir changed: its checksum, then write-back. */
static void ext2_dir_dirty(struct inode *dir, struct buffer_head *bh)
{
	ext2_dirblock_csum_set(dir, bh);
	ext2_dirty_meta(dir->i_sb, bh);
	bh->b_verified = EXT2_BV_DIR_LEAF;	/* our change kept it a valid leaf */
}

static unsigned ext2_nblocks(struct inode *dir)
{
	return (unsigned)(dir->i_size / dir->i_sb->s_blocksize);
}

static void ext2_dir_changed(struct inode *dir)
{
	dir->i_mtime = dir->i_ctime = current_time();
	mark_inode_dirty(dir);
}

struct ext2_slot {
	struct buffer_head *bh;
	struct ext2_dirent *de, *prev;
	unsigned lblk;		/* the block bh is, in a linear directory */
};

static int dx_find(struct inode *dir, const char *name, int len, struct ext2_slot *s);
static bool ext2_search_block(struct inode *dir, struct buffer_head *bh, const char *name,
			      int len, struct ext2_slot *s);

/*
 * The name index of linear directories (dindex.c): built on the first
 * search of a directory of at least DINDEX_MIN_BLOCKS blocks, kept exact
 * by every change below (ext2_index_add/_del after each entry placed or
 * removed), dropped at eviction, on a change it cannot follow, and by
 * drop_caches and memory pressure (ext2_dindex_shrink).  Every use holds
 * the filesystem lock, which the shrinker respects.
 */
#define DINDEX_MIN_BLOCKS	4

static LIST_HEAD(dindex_list);

void ext2_dindex_drop(struct inode *dir)
{
	struct ext2_inode_info *ei = EXT2_I(dir);
	struct dindex *x = ei ? ei->dindex : NULL;

	if (!x)
		return;
	list_del(&x->all);
	dindex_destroy(x);
	kfree(x);
	ei->dindex = NULL;
}

/*
 * drop_caches and memory pressure: frees the name indexes of sb's
 * directories unless an operation on sb is under way (it may be using
 * one: its lock is held).  Returns the bytes freed.  Never sleeps.
 */
u64 ext2_dindex_shrink(struct super_block *sb)
{
	struct dindex *x, *next;
	u64 freed = 0;

	if (EXT2_SB(sb)->depth)
		return 0;
	list_for_each_entry_safe(x, next, &dindex_list, all) {
		if (x->dir->i_sb != sb)
			continue;
		freed += dindex_bytes(x) + sizeof(*x);
		ext2_dindex_drop(x->dir);
	}
	return freed;
}

/* The largest entry leaf bh can take (what ext2_place would fit). */
static unsigned ext2_block_room(struct inode *dir, struct buffer_head *bh)
{
	unsigned off, end = ext2_dir_end(dir), room = 0;

	for (off = 0; off < end; off += de_at(bh, off)->rec_len) {
		struct ext2_dirent *de = de_at(bh, off);
		unsigned used = de->inode ? EXT2_DIRENT_LEN(de->name_len) : 0;

		if (de->rec_len - used > room)
			room = de->rec_len - used;
	}
	return room;
}

/* dir's index if it has a usable one: it still covers every block. */
static struct dindex *ext2_index(struct inode *dir)
{
	struct dindex *x = EXT2_I(dir)->dindex;

	if (x && (x->nblocks != ext2_nblocks(dir) || (EXT2_I(dir)->i_flags &
						      (EXT2_INDEX_FL | EXT4_INLINE_DATA_FL)))) {
		ext2_dindex_drop(dir);
		x = NULL;
	}
	return x;
}

/*
 * dir's index, built now from its blocks if it has none and is big enough:
 * NULL when not indexed (small, htree, a block unreadable: the linear
 * scan then does the work and reports the error).  May sleep.
 */
static struct dindex *ext2_index_get(struct inode *dir)
{
	unsigned n = ext2_nblocks(dir), lblk, off, end = ext2_dir_end(dir);
	struct dindex *x = ext2_index(dir);
	struct buffer_head *bh;

	if (x || n < DINDEX_MIN_BLOCKS ||
	    (EXT2_I(dir)->i_flags & (EXT2_INDEX_FL | EXT4_INLINE_DATA_FL)))
		return x;
	x = kzalloc(sizeof(*x));
	if (!x)
		return NULL;
	if (dindex_init(x, n)) {
		kfree(x);
		return NULL;
	}
	for (lblk = 0; lblk < n; lblk++) {
		if (ext2_dir_block(dir, lblk, &bh))
			goto fail;
		if (!bh)
			continue;	/* a hole: no entries, no room */
		for (off = 0; off < end; off += de_at(bh, off)->rec_len) {
			struct ext2_dirent *de = de_at(bh, off);

			if (de->inode && dindex_add(x, dindex_hash(de->name, de->name_len), lblk)) {
				brelse(bh);
				goto fail;
			}
		}
		dindex_set_room(x, lblk, ext2_block_room(dir, bh));
		brelse(bh);
	}
	if (ext2_nblocks(dir) != n)
		goto fail;		/* cannot happen under the lock; be sure */
	x->dir = dir;
	list_add(&x->all, &dindex_list);
	EXT2_I(dir)->dindex = x;
	return x;
fail:
	dindex_destroy(x);
	kfree(x);
	return NULL;
}

/* Entry name was placed in block lblk (bh) of dir: the index follows. */
static void ext2_index_add(struct inode *dir, unsigned lblk, struct buffer_head *bh,
			   const char *name, int len)
{
	struct dindex *x = ext2_index(dir);

	if (!x)
		return;
	if (dindex_add(x, dindex_hash(name, len), lblk)) {
		ext2_dindex_drop(dir);	/* no memory: rebuilt on a later search */
		return;
	}
	dindex_set_room(x, lblk, ext2_block_room(dir, bh));
}

/* Entry name left block lblk (bh) of dir. */
static void ext2_index_del(struct inode *dir, unsigned lblk, struct buffer_head *bh,
			   const char *name, int len)
{
	struct dindex *x = ext2_index(dir);

	if (!x)
		return;
	if (!dindex_del(x, dindex_hash(name, len), lblk)) {
		ext2_dindex_drop(dir);	/* it did not know the name: never trust it again */
		return;
	}
	dindex_set_room(x, lblk, ext2_block_room(dir, bh));
}

/* Finds name through dir's index x: only the blocks where its hash is. */
static int ext2_index_find(struct inode *dir, struct dindex *x, const char *name, int len,
			   struct ext2_slot *s)
{
	u32 hash = dindex_hash(name, len), pos = 0, lblk;
	int err;

	while ((lblk = dindex_next(x, hash, &pos)) != DINDEX_END) {
		err = ext2_dir_block(dir, lblk, &s->bh);
		if (err)
			return err;
		if (!s->bh)
			return -EAGAIN;		/* the index is wrong: drop it, scan */
		s->lblk = lblk;
		if (ext2_search_block(dir, s->bh, name, len, s))
			return 0;
		brelse(s->bh);
	}
	return -ENOENT;
}

/* Finds name in dir: 0 with s filled (s->bh referenced) or -ENOENT/-EIO. */
static int ext2_find(struct inode *dir, const char *name, int len, struct ext2_slot *s)
{
	struct dindex *x;
	unsigned lblk;
	int err;

	if (ext2_inline_dir(dir))
		return -EROFS;		/* only the writers come here; inline dirs are read-only */
	if (EXT2_I(dir)->i_flags & EXT2_INDEX_FL)
		return dx_find(dir, name, len, s);
	x = ext2_index_get(dir);
	if (x) {
		err = ext2_index_find(dir, x, name, len, s);
		if (err != -EAGAIN)
			return err;
		ext2_dindex_drop(dir);
	}
	for (lblk = 0; lblk < ext2_nblocks(dir); lblk++) {
		err = ext2_dir_block(dir, lblk, &s->bh);
		if (err)
			return err;
		if (!s->bh)
			continue;
		s->lblk = lblk;
		if (ext2_search_block(dir, s->bh, name, len, s))
			return 0;
		brelse(s->bh);
	}
	return -ENOENT;
}

/* The inode number of name in dir into *ino: 0, -ENOENT or -EIO. May sleep. */
int ext2_find_entry(struct inode *dir, const char *name, int len, u32 *ino)
{
	struct ext2_slot s;
	int err = ext2_inline_dir(dir) ? ext2_inline_find(dir, name, len, ino) :
		  ext2_find(dir, name, len, &s);

	if (err)
		return err;
	if (!ext2_inline_dir(dir)) {
		*ino = s.de->inode;
		brelse(s.bh);
	}
	if (*ino < EXT2_ROOT_INO && *ino != 0)
		return ext2_error(dir->i_sb, "entry for a reserved inode in", dir->i_ino);
	return 0;
}

static void ext2_fill_dirent(struct inode *dir, struct ext2_dirent *de, const char *name,
			     int len, struct inode *inode)
{
	de->inode = (u32)inode->i_ino;
	de->name_len = (u8)len;
	de->file_type = EXT2_SB(dir->i_sb)->filetype ? (u8)ext2_ftype(inode->i_mode) : 0;
	memcpy(de->name, name, (size_t)len);
}

/* Tries to fit an entry of need bytes in bh; true if placed. */
static bool ext2_place(struct inode *dir, struct buffer_head *bh, const char *name,
		       int len, struct inode *inode)
{
	unsigned off, bs = ext2_dir_end(dir), need = EXT2_DIRENT_LEN((unsigned)len);

	for (off = 0; off < bs; off += de_at(bh, off)->rec_len) {
		struct ext2_dirent *de = de_at(bh, off);
		unsigned used = de->inode ? EXT2_DIRENT_LEN(de->name_len) : 0;

		if (de->rec_len < used + need)
			continue;
		if (used) {
			struct ext2_dirent *n = de_at(bh, off + used);

			n->rec_len = (u16)(de->rec_len - used);
			de->rec_len = (u16)used;
			de = n;
		}
		ext2_fill_dirent(dir, de, name, len, inode);
		ext2_dir_dirty(dir, bh);
		return true;
	}
	return false;
}

/* ---- htree (dir_index): hashes, index probe, inserts with splits ---- */

#define EXT2_FEATURE_COMPAT_DIR_INDEX	0x0020
#define EXT2_FLAGS_UNSIGNED_HASH	0x0002
#define DX_HASH_LEGACY		0
#define DX_HASH_HALF_MD4	1
#define DX_HASH_TEA		2
#define DX_HASH_LEGACY_UNSIGNED	3
#define DX_HASH_HALF_MD4_UNSIGNED 4
#define DX_HASH_TEA_UNSIGNED	5
#define DX_HTREE_EOF		0x7fffffffu
#define DX_MAX_LEVELS		3	/* index levels with large_dir; 2 without */

static inline u32 dx_rol(u32 x, unsigned s)
{
	return (x << s) | (x >> (32 - s));
}

/* The name as hash input words, padded with its length (ext4's str2hashbuf). */
static void dx_str2buf(const char *msg, int len, u32 *buf, int num, bool uns)
{
	u32 pad = (u32)len | ((u32)len << 8), val;
	int i;

	pad |= pad << 16;
	val = pad;
	if (len > num * 4)
		len = num * 4;
	for (i = 0; i < len; i++) {
		int c = uns ? (int)(unsigned char)msg[i] : (int)(signed char)msg[i];

		val = (u32)c + (val << 8);
		if (i % 4 == 3) {
			*buf++ = val;
			val = pad;
			num--;
		}
	}
	if (--num >= 0)
		*buf++ = val;
	while (--num >= 0)
		*buf++ = pad;
}

#define DX_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define DX_G(x, y, z) (((x) & (y)) + (((x) ^ (y)) & (z)))
#define DX_H(x, y, z) ((x) ^ (y) ^ (z))
#define DX_ROUND(f, a, b, c, d, x, s) ((a) += f(b, c, d) + (x), (a) = dx_rol(a, s))

/* The reduced MD4 of ext3's htree: three rounds over eight words. */
static void dx_half_md4(u32 buf[4], const u32 in[8])
{
	const u32 k2 = 013240474631u, k3 = 015666365641u;
	u32 a = buf[0], b = buf[1], c = buf[2], d = buf[3];

	DX_ROUND(DX_F, a, b, c, d, in[0], 3);
	DX_ROUND(DX_F, d, a, b, c, in[1], 7);
	DX_ROUND(DX_F, c, d, a, b, in[2], 11);
	DX_ROUND(DX_F, b, c, d, a, in[3], 19);
	DX_ROUND(DX_F, a, b, c, d, in[4], 3);
	DX_ROUND(DX_F, d, a, b, c, in[5], 7);
	DX_ROUND(DX_F, c, d, a, b, in[6], 11);
	DX_ROUND(DX_F, b, c, d, a, in[7], 19);
	DX_ROUND(DX_G, a, b, c, d, in[1] + k2, 3);
	DX_ROUND(DX_G, d, a, b, c, in[3] + k2, 5);
	DX_ROUND(DX_G, c, d, a, b, in[5] + k2, 9);
	DX_ROUND(DX_G, b, c, d, a, in[7] + k2, 13);
	DX_ROUND(DX_G, a, b, c, d, in[0] + k2, 3);
	DX_ROUND(DX_G, d, a, b, c, in[2] + k2, 5);
	DX_ROUND(DX_G, c, d, a, b, in[4] + k2, 9);
	DX_ROUND(DX_G, b, c, d, a, in[6] + k2, 13);
	DX_ROUND(DX_H, a, b, c, d, in[3] + k3, 3);
	DX_ROUND(DX_H, d, a, b, c, in[7] + k3, 9);
	DX_ROUND(DX_H, c, d, a, b, in[2] + k3, 11);
	DX_ROUND(DX_H, b, c, d, a, in[6] + k3, 15);
	DX_ROUND(DX_H, a, b, c, d, in[1] + k3, 3);
	DX_ROUND(DX_H, d, a, b, c, in[5] + k3, 9);
	DX_ROUND(DX_H, c, d, a, b, in[0] + k3, 11);
	DX_ROUND(DX_H, b, c, d, a, in[4] + k3, 15);
	buf[0] += a;
	buf[1] += b;
	buf[2] += c;
	buf[3] += d;
}

/* Sixteen rounds of TEA over four words. */
static void dx_tea(u32 buf[4], const u32 in[4])
{
	u32 sum = 0, b0 = buf[0], b1 = buf[1];
	int n = 16;

	do {
		sum += 0x9E3779B9u;
		b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
		b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
	} while (--n);
	buf[0] += b0;
	buf[1] += b1;
}

static u32 dx_legacy(const char *name, int len, bool uns)
{
	u32 hash, hash0 = 0x12a3fe2d, hash1 = 0x37abe8f9;
	int i;

	for (i = 0; i < len; i++) {
		int c = uns ? (int)(unsigned char)name[i] : (int)(signed char)name[i];

		hash = hash1 + (hash0 ^ (u32)(c * 7152373));
		if (hash & 0x80000000u)
			hash -= 0x7fffffff;
		hash1 = hash0;
		hash0 = hash;
	}
	return hash0 << 1;
}

/*
 * The htree hash of name under hash version ver (0-5) and seed (4 words,
 * all zero for none): the value with its low bit clear, as ext4 stores it
 * in the index.  -EINVAL for an unknown version.
 */
int ext2_dx_hash(const char *name, int len, unsigned ver, const u32 *seed, u32 *out)
{
	u32 buf[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 }, in[8], hash;
	bool uns = ver >= DX_HASH_LEGACY_UNSIGNED;
	const char *p = name;
	int i, left = len;

	if (seed && (seed[0] | seed[1] | seed[2] | seed[3]))
		for (i = 0; i < 4; i++)
			buf[i] = seed[i];
	switch (ver) {
	case DX_HASH_LEGACY:
	case DX_HASH_LEGACY_UNSIGNED:
		hash = dx_legacy(name, len, uns);
		break;
	case DX_HASH_HALF_MD4:
	case DX_HASH_HALF_MD4_UNSIGNED:
		for (; left > 0; left -= 32, p += 32) {
			dx_str2buf(p, left, in, 8, uns);
			dx_half_md4(buf, in);
		}
		hash = buf[1];
		break;
	case DX_HASH_TEA:
	case DX_HASH_TEA_UNSIGNED:
		for (; left > 0; left -= 16, p += 16) {
			dx_str2buf(p, left, in, 4, uns);
			dx_tea(buf, in);
		}
		hash = buf[0];
		break;
	default:
		return -EINVAL;
	}
	hash &= ~1u;
	if (hash == DX_HTREE_EOF << 1)
		hash = (DX_HTREE_EOF - 1) << 1;
	*out = hash;
	return 0;
}

struct dx_entry {
	u32 hash;		/* the first: count and limit (u16 each) */
	u32 block;
};

/* One level of a probe: the index block, its entries, the one followed. */
struct dx_frame {
	struct buffer_head *bh;
	struct dx_entry *entries;
	struct dx_entry *at;
};

struct dx_path {
	struct dx_frame frames[DX_MAX_LEVELS];
	unsigned levels;	/* frames in use: indirect_levels + 1 */
	unsigned hash_version;
	u32 hash;
};

static u16 dx_count(const struct dx_entry *e) { return ((const u16 *)e)[1]; }
static u16 dx_limit(const struct dx_entry *e) { return ((const u16 *)e)[0]; }
static void dx_set_count(struct dx_entry *e, unsigned n) { ((u16 *)e)[1] = (u16)n; }

/* Offset of the count/limit header in an index block. */
static unsigned dx_cl_off(struct buffer_head *bh, bool root)
{
	return root ? 0x18 + (u8)bh->b_data[0x1d] : 8;
}

/* How many entries an index block at cl_off holds (less the dx_tail). */
static unsigned dx_limit_for(struct inode *dir, unsigned cl_off)
{
	return (dir->i_sb->s_blocksize - cl_off) / 8 -
	       (EXT2_SB(dir->i_sb)->metadata_csum ? 1 : 0);
}

/* Writes an index block's dx_tail checksum and queues it for write-back. */
static void dx_dirty(struct inode *dir, struct buffer_head *bh, bool root)
{
	unsigned off = dx_cl_off(bh, root);
	struct dx_entry *e = (struct dx_entry *)(bh->b_data + off);

	if (EXT2_SB(dir->i_sb)->metadata_csum) {
		u8 *tail = (u8 *)bh->b_data + off + dx_limit(e) * 8u;
		u32 crc, zero = 0;

		crc = ext2_crc32c(EXT2_I(dir)->csum_seed, bh->b_data, off + dx_count(e) * 8u);
		crc = ext2_crc32c(crc, tail, 4);
		crc = ext2_crc32c(crc, &zero, 4);
		memcpy(tail + 4, &crc, 4);
	}
	ext2_dirty_meta(dir->i_sb, bh);
	bh->b_verified = root ? EXT2_BV_DX_ROOT : EXT2_BV_DX_NODE;
}

static int dx_corrupt(struct inode *dir)
{
	return ext2_error(dir->i_sb, "corrupt htree index in directory", dir->i_ino);
}

static void dx_release(struct dx_path *p)
{
	unsigned i;

	for (i = 0; i < p->levels; i++)
		brelse(p->frames[i].bh);
	p->levels = 0;
}

/* Reads index block lblk of dir as a frame at level lvl, checking its header. */
static int dx_read_node(struct inode *dir, struct dx_path *p, u64 lblk, unsigned lvl)
{
	struct dx_frame *f = &p->frames[lvl];
	unsigned off, limit;
	int err;

	if (lblk >= ext2_nblocks(dir) || (lvl && lblk == 0))
		return dx_corrupt(dir);
	err = ext2_dir_block(dir, lblk, &f->bh);
	if (err)
		return err;
	if (!f->bh)
		return dx_corrupt(dir);
	p->levels = lvl + 1;
	if (lvl && !ext2_is_dx_block(dir, lblk, f->bh))
		return dx_corrupt(dir);
	off = dx_cl_off(f->bh, lvl == 0);
	f->entries = (struct dx_entry *)(f->bh->b_data + off);
	limit = dx_limit_for(dir, off);
	if (dx_limit(f->entries) != limit || dx_count(f->entries) == 0 ||
	    dx_count(f->entries) > limit)
		return dx_corrupt(dir);
	return 0;
}

/*
 * Walks dir's index from the root to the leaf for name: p's frames hold
 * the index blocks (referenced) with the entry followed at each level.
 * 0 or -errno (-EIO for a corrupt index); dx_release(p) in every case.
 */
static int dx_probe(struct inode *dir, const char *name, int len, struct dx_path *p)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	unsigned lvl, levels, maxlvl;
	struct dx_frame *f;
	u8 *info;
	int err;

	p->levels = 0;
	err = dx_read_node(dir, p, 0, 0);
	if (err)
		return err;
	f = &p->frames[0];
	info = (u8 *)f->bh->b_data + 0x18;
	maxlvl = (sbi->es.s_feature_incompat & EXT4_FEATURE_INCOMPAT_LARGEDIR) ? 3 : 2;
	if (*(u32 *)info || info[5] != 8 || info[6] + 1u > maxlvl || info[4] > DX_HASH_TEA_UNSIGNED)
		return dx_corrupt(dir);
	p->hash_version = info[4];
	if (p->hash_version <= DX_HASH_TEA && (sbi->es.s_flags & EXT2_FLAGS_UNSIGNED_HASH))
		p->hash_version += 3;
	levels = info[6] + 1u;
	ext2_dx_hash(name, len, p->hash_version, sbi->es.s_hash_seed, &p->hash);
	for (lvl = 0;; lvl++) {
		struct dx_entry *lo, *hi;

		f = &p->frames[lvl];
		lo = f->entries + 1;
		hi = f->entries + dx_count(f->entries) - 1;
		while (lo <= hi) {
			struct dx_entry *m = lo + (hi - lo) / 2;

			if (m->hash > p->hash)
				hi = m - 1;
			else
				lo = m + 1;
		}
		f->at = lo - 1;
		if (lvl + 1 == levels)
			return 0;
		err = dx_read_node(dir, p, f->at->block, lvl + 1);
		if (err)
			return err;
	}
}

/*
 * Moves p to the next leaf if the entries of hash may continue there
 * (the next index hash is hash with the low bit set, as a split between
 * equal hashes leaves it): 1 if moved, 0 if not, or -errno.
 */
static int dx_next_leaf(struct inode *dir, struct dx_path *p, u32 hash)
{
	unsigned i, total = p->levels;
	int lvl = (int)p->levels - 1;
	u32 next;

	while (lvl >= 0) {
		struct dx_frame *f = &p->frames[lvl];

		if (f->at + 1 < f->entries + dx_count(f->entries))
			break;
		lvl--;
	}
	if (lvl < 0)
		return 0;
	next = p->frames[lvl].at[1].hash;
	if (!(next & 1) || (next & ~1u) != hash)
		return 0;
	p->frames[lvl].at++;
	for (i = (unsigned)lvl + 1; i < total; i++) {
		brelse(p->frames[i].bh);
		p->frames[i].bh = NULL;
	}
	p->levels = (unsigned)lvl + 1;
	for (i = (unsigned)lvl + 1; i < total; i++) {
		int err = dx_read_node(dir, p, p->frames[i - 1].at->block, i);

		if (err)
			return err;
		p->frames[i].at = p->frames[i].entries;
	}
	return 1;
}

/* Searches leaf bh for name: true with s->de and s->prev set. */
static bool ext2_search_block(struct inode *dir, struct buffer_head *bh, const char *name,
			      int len, struct ext2_slot *s)
{
	unsigned off, end = ext2_dir_end(dir);

	s->prev = NULL;
	for (off = 0; off < end; off += s->de->rec_len) {
		s->de = de_at(bh, off);
		if (s->de->inode && s->de->name_len == len && !memcmp(s->de->name, name, (size_t)len))
			return true;
		s->prev = s->de;
	}
	return false;
}

/* Reads the leaf p points at into *bhp: 0 or -errno. */
static int dx_leaf(struct inode *dir, struct dx_path *p, struct buffer_head **bhp)
{
	u64 lblk = p->frames[p->levels - 1].at->block;
	int err;

	if (lblk == 0 || lblk >= ext2_nblocks(dir))
		return dx_corrupt(dir);
	err = ext2_dir_block(dir, lblk, bhp);
	if (!err && !*bhp)
		err = dx_corrupt(dir);
	return err;
}

/* ext2_find through the index: the leaf of name's hash, and its continuations. */
static int dx_find(struct inode *dir, const char *name, int len, struct ext2_slot *s)
{
	struct dx_path p;
	int err = dx_probe(dir, name, len, &p);

	while (!err) {
		err = dx_leaf(dir, &p, &s->bh);
		if (err)
			break;
		if (ext2_search_block(dir, s->bh, name, len, s))
			break;
		brelse(s->bh);
		err = dx_next_leaf(dir, &p, p.hash);
		if (err == 0)
			err = -ENOENT;
		else if (err == 1)
			err = 0;
	}
	dx_release(&p);
	return err;
}

/* A live entry of a leaf being reorganised: where it is, its hash. */
struct dx_map {
	u32 hash;
	u16 off, size;
};

/* The live entries of leaf copy into map (hashed with p's version): their number. */
static unsigned dx_map_leaf(struct inode *dir, struct dx_path *p, const u8 *copy,
			    struct dx_map *map)
{
	unsigned off, n = 0, end = ext2_dir_end(dir);

	for (off = 0; off < end; off += ((const struct ext2_dirent *)(copy + off))->rec_len) {
		const struct ext2_dirent *de = (const struct ext2_dirent *)(copy + off);

		if (!de->inode)
			continue;
		map[n].off = (u16)off;
		map[n].size = (u16)EXT2_DIRENT_LEN(de->name_len);
		map[n].hash = 0;
		if (p)
			ext2_dx_hash(de->name, de->name_len, p->hash_version,
				     EXT2_SB(dir->i_sb)->es.s_hash_seed, &map[n].hash);
		n++;
	}
	return n;
}

/* Writes entries map[from..to) of copy packed into leaf dst, the last one to the end. */
static void dx_pack(struct inode *dir, u8 *dst, const u8 *copy, const struct dx_map *map,
		    unsigned from, unsigned to)
{
	unsigned i, off = 0, end = ext2_dir_end(dir);
	struct ext2_dirent *last = NULL;

	memset(dst, 0, end);
	for (i = from; i < to; i++) {
		last = (struct ext2_dirent *)(dst + off);
		memcpy(last, copy + map[i].off, map[i].size);
		last->rec_len = map[i].size;
		off += map[i].size;
	}
	if (last)
		last->rec_len = (u16)(last->rec_len + end - off);
	else
		((struct ext2_dirent *)dst)->rec_len = (u16)end;
}

/* Appends a zeroed block to dir: its number in *lblk, read into *bhp. */
static int dx_new_block(struct inode *dir, u64 *lblk, struct buffer_head **bhp)
{
	u64 block;
	int err;

	*lblk = ext2_nblocks(dir);
	err = ext2_get_block(dir, *lblk, true, &block);
	if (err)
		return err;
	*bhp = bread(dir->i_sb->s_bdev, block, dir->i_sb->s_blocksize);
	if (!*bhp)
		return -EIO;
	dir->i_size += dir->i_sb->s_blocksize;
	mark_inode_dirty(dir);
	return 0;
}

/* Inserts {hash, block} after f->at in index frame f (which has room). */
static void dx_insert(struct dx_frame *f, u32 hash, u64 block)
{
	struct dx_entry *end = f->entries + dx_count(f->entries);

	memmove(f->at + 2, f->at + 1, (size_t)(end - (f->at + 1)) * sizeof(*end));
	f->at[1].hash = hash;
	f->at[1].block = (u32)block;
	dx_set_count(f->entries, dx_count(f->entries) + 1u);
}

static void dx_sort(struct dx_map *map, unsigned n)
{
	unsigned i, j;

	for (i = 1; i < n; i++) {
		struct dx_map m = map[i];

		for (j = i; j > 0 && map[j - 1].hash > m.hash; j--)
			map[j] = map[j - 1];
		map[j] = m;
	}
}

/*
 * Splits full leaf bh (the one p points at, whose index level has room):
 * the entries sorted by hash, the upper half by size moves to a new
 * block indexed by its first hash (with the low bit set when equal
 * hashes straddle the split), then name goes into the half for its hash.
 */
static int dx_split_leaf(struct inode *dir, struct dx_path *p, struct buffer_head *bh,
			 const char *name, int len, struct inode *inode)
{
	unsigned bs = dir->i_sb->s_blocksize, n, i, split, size = 0;
	struct dx_frame *f = &p->frames[p->levels - 1];
	struct buffer_head *nbh;
	struct dx_map *map;
	u32 hash2;
	u8 *copy;
	u64 nlblk;
	int err;

	copy = kmalloc(bs);
	map = kmalloc(sizeof(*map) * (bs / 8));
	if (!copy || !map) {
		kfree(copy);
		kfree(map);
		return -ENOMEM;
	}
	memcpy(copy, bh->b_data, bs);
	n = dx_map_leaf(dir, p, copy, map);
	dx_sort(map, n);
	for (i = n; i > 0; i--) {
		if (size + map[i - 1].size / 2u > bs / 2)
			break;
		size += map[i - 1].size;
	}
	split = i;
	if (split == 0)
		split = 1;
	err = n < 2 ? dx_corrupt(dir) : dx_new_block(dir, &nlblk, &nbh);
	if (err)
		goto out;
	if (split >= n)
		split = n - 1;
	hash2 = map[split].hash;
	dx_pack(dir, (u8 *)bh->b_data, copy, map, 0, split);
	dx_pack(dir, (u8 *)nbh->b_data, copy, map, split, n);
	dx_insert(f, hash2 | (hash2 == map[split - 1].hash), nlblk);
	dx_dirty(dir, f->bh, p->levels == 1);
	if (!ext2_place(dir, p->hash >= hash2 ? nbh : bh, name, len, inode))
		err = dx_corrupt(dir);
	ext2_dir_dirty(dir, bh);
	ext2_dir_dirty(dir, nbh);
	brelse(nbh);
out:
	kfree(copy);
	kfree(map);
	return err;
}

/* Starts an index node block in bh: the empty entry, then count/limit. */
static struct dx_entry *dx_init_node(struct inode *dir, struct buffer_head *bh)
{
	struct ext2_dirent *de = de_at(bh, 0);
	struct dx_entry *e = (struct dx_entry *)(bh->b_data + 8);

	memset(bh->b_data, 0, dir->i_sb->s_blocksize);
	de->rec_len = (u16)dir->i_sb->s_blocksize;
	((u16 *)e)[0] = (u16)dx_limit_for(dir, 8);
	return e;
}

/*
 * Makes room in the bottom index level of p (full): splits the lowest
 * full node whose parent has room, or, with every level full up to the
 * root, moves the root's entries into a new node below it (one more
 * indirect level), within ext4's limit (2 levels; 3 with large_dir).
 */
static int dx_grow(struct inode *dir, struct dx_path *p)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	unsigned maxlvl = (sbi->es.s_feature_incompat & EXT4_FEATURE_INCOMPAT_LARGEDIR) ? 3 : 2;
	int i = (int)p->levels - 1;
	struct buffer_head *nbh;
	struct dx_entry *ne;
	u64 nlblk;
	int err;

	while (i >= 0 && dx_count(p->frames[i].entries) == dx_limit(p->frames[i].entries))
		i--;
	if (i < 0 && p->levels >= maxlvl) {
		printk(KERN_WARNING "ext4: directory index full in inode %llu\n",
		       (unsigned long long)dir->i_ino);
		return -ENOSPC;
	}
	err = dx_new_block(dir, &nlblk, &nbh);
	if (err)
		return err;
	ne = dx_init_node(dir, nbh);
	if (i < 0) {
		struct dx_frame *root = &p->frames[0];
		unsigned cnt = dx_count(root->entries);

		memcpy(ne + 1, root->entries + 1, (cnt - 1) * sizeof(*ne));
		ne->block = root->entries->block;
		dx_set_count(ne, cnt);
		dx_set_count(root->entries, 1);
		root->entries->block = (u32)nlblk;
		root->bh->b_data[0x1e]++;		/* indirect_levels */
		dx_dirty(dir, root->bh, true);
	} else {
		struct dx_frame *f = &p->frames[i + 1];
		unsigned cnt = dx_count(f->entries), half = cnt / 2;
		u32 hash = f->entries[half].hash;

		memcpy(ne + 1, f->entries + half + 1, (cnt - half - 1) * sizeof(*ne));
		ne->block = f->entries[half].block;
		dx_set_count(ne, cnt - half);
		dx_set_count(f->entries, half);
		dx_dirty(dir, f->bh, false);
		dx_insert(&p->frames[i], hash, nlblk);
		dx_dirty(dir, p->frames[i].bh, i == 0);
	}
	dx_dirty(dir, nbh, false);
	brelse(nbh);
	return 0;
}

/* Adds name -> inode to indexed dir: probe, place, split, grow. May sleep. */
static int dx_add(struct inode *dir, const char *name, int len, struct inode *inode)
{
	struct buffer_head *bh;
	struct dx_path p;
	int tries, err;

	for (tries = 0;; tries++) {
		struct dx_frame *f;

		if (tries == 2 * DX_MAX_LEVELS + 2)
			return dx_corrupt(dir);		/* growing never made room */
		err = dx_probe(dir, name, len, &p) ?: dx_leaf(dir, &p, &bh);
		if (err)
			break;
		f = &p.frames[p.levels - 1];
		if (ext2_place(dir, bh, name, len, inode)) {
			brelse(bh);
			break;
		}
		if (dx_count(f->entries) < dx_limit(f->entries)) {
			err = dx_split_leaf(dir, &p, bh, name, len, inode);
			brelse(bh);
			break;
		}
		brelse(bh);
		err = dx_grow(dir, &p);
		dx_release(&p);
		if (err)
			return err;
	}
	dx_release(&p);
	return err;
}

/*
 * Turns dir, one full linear block, into an htree directory as ext4's
 * make_indexed_dir does: its entries move to a new leaf, block 0 becomes
 * the root indexing it.  1 if done, 0 if dir cannot be indexed, or -errno.
 */
static int dx_make(struct inode *dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	unsigned bs = dir->i_sb->s_blocksize, n;
	struct buffer_head *bh, *nbh;
	struct ext2_dirent *de;
	struct dx_entry *e;
	struct dx_map *map;
	u8 *copy;
	u64 nlblk;
	int err;

	if (!(sbi->es.s_feature_compat & EXT2_FEATURE_COMPAT_DIR_INDEX) ||
	    sbi->es.s_def_hash_version > DX_HASH_TEA || ext2_nblocks(dir) != 1 || bs > 32768)
		return 0;
	err = ext2_dir_block(dir, 0, &bh);
	if (err || !bh)
		return err;
	de = de_at(bh, 0);
	if (de->rec_len != 12 || de->name_len != 1 || de->name[0] != '.' ||
	    de_at(bh, 12)->name_len != 2 || memcmp(de_at(bh, 12)->name, "..", 2)) {
		brelse(bh);
		return 0;
	}
	copy = kmalloc(bs);
	map = kmalloc(sizeof(*map) * (bs / 8));
	err = copy && map ? dx_new_block(dir, &nlblk, &nbh) : -ENOMEM;
	if (err)
		goto out;
	memcpy(copy, bh->b_data, bs);
	n = dx_map_leaf(dir, NULL, copy, map);
	dx_pack(dir, (u8 *)nbh->b_data, copy, map, 2, n);	/* all but . and .. */
	ext2_dir_dirty(dir, nbh);
	brelse(nbh);
	memset(bh->b_data + 24, 0, bs - 24);
	de_at(bh, 12)->rec_len = (u16)(bs - 12);
	bh->b_data[0x1c] = (char)sbi->es.s_def_hash_version;
	bh->b_data[0x1d] = 8;					/* info_length */
	e = (struct dx_entry *)(bh->b_data + 0x20);
	((u16 *)e)[0] = (u16)dx_limit_for(dir, 0x20);
	dx_set_count(e, 1);
	e->block = (u32)nlblk;
	EXT2_I(dir)->i_flags |= EXT2_INDEX_FL;
	mark_inode_dirty(dir);
	dx_dirty(dir, bh, true);
	err = 1;
out:
	brelse(bh);
	kfree(copy);
	kfree(map);
	return err;
}

/* Adds the entry name -> inode to dir (name known absent). May sleep. */
int ext2_add_entry(struct inode *dir, const char *name, int len, struct inode *inode)
{
	unsigned lblk, n = ext2_nblocks(dir), need = EXT2_DIRENT_LEN((unsigned)len);
	struct buffer_head *bh;
	struct dindex *x;
	u64 block;
	int err;

	if (EXT2_I(dir)->i_flags & EXT2_INDEX_FL) {
		err = dx_add(dir, name, len, inode);
		goto done;
	}
	x = ext2_index_get(dir);
	/* The first block with room, as the scan below finds it: the index knows which. */
	for (lblk = x ? dindex_first_room(x, need) : 0; lblk < n; lblk++) {
		err = ext2_dir_block(dir, lblk, &bh);
		if (err)
			return err;
		if (!bh)
			continue;
		if (ext2_place(dir, bh, name, len, inode)) {
			ext2_index_add(dir, lblk, bh, name, len);
			brelse(bh);
			ext2_dir_changed(dir);
			return 0;
		}
		brelse(bh);
		if (x) {	/* it said there was room: it is wrong; scan from block 0 */
			ext2_dindex_drop(dir);
			x = NULL;
			lblk = (unsigned)-1;	/* the loop's ++ makes it 0 */
		}
	}
	err = dx_make(dir);		/* one full block: index it, as ext4 does */
	if (err > 0) {
		err = dx_add(dir, name, len, inode);
		goto done;
	}
	if (err)
		return err;
	err = ext2_get_block(dir, n, true, &block);	/* a zeroed new block */
	if (err)
		return err;
	bh = bread(dir->i_sb->s_bdev, block, dir->i_sb->s_blocksize);
	if (!bh)
		return -EIO;
	de_at(bh, 0)->rec_len = (u16)ext2_dir_end(dir);
	ext2_fill_dirent(dir, de_at(bh, 0), name, len, inode);
	ext2_dir_dirty(dir, bh);
	x = ext2_index(dir);
	dir->i_size += dir->i_sb->s_blocksize;
	if (x && dindex_resize(x, n + 1))
		ext2_dindex_drop(dir);
	ext2_index_add(dir, n, bh, name, len);
	brelse(bh);
	ext2_dir_changed(dir);
	return 0;
done:
	if (!err)
		ext2_dir_changed(dir);
	return err;
}

/* Removes the entry name from dir: 0, -ENOENT or -EIO. May sleep. */
int ext2_delete_entry(struct inode *dir, const char *name, int len)
{
	struct ext2_slot s;
	int err = ext2_find(dir, name, len, &s);

	if (err)
		return err;
	if (s.prev)
		s.prev->rec_len = (u16)(s.prev->rec_len + s.de->rec_len);
	else
		s.de->inode = 0;
	ext2_dir_dirty(dir, s.bh);
	if (!(EXT2_I(dir)->i_flags & EXT2_INDEX_FL))
		ext2_index_del(dir, s.lblk, s.bh, name, len);
	brelse(s.bh);
	ext2_dir_changed(dir);
	return 0;
}

/* Points the existing entry name of dir at inode. May sleep. */
int ext2_set_entry(struct inode *dir, const char *name, int len, struct inode *inode)
{
	struct ext2_slot s;
	int err = ext2_find(dir, name, len, &s);

	if (err)
		return err;
	ext2_fill_dirent(dir, s.de, name, len, inode);
	ext2_dir_dirty(dir, s.bh);
	brelse(s.bh);
	ext2_dir_changed(dir);
	return 0;
}

static bool ext2_dot_or_dotdot(const struct ext2_dirent *de)
{
	return (de->name_len == 1 && de->name[0] == '.') ||
	       (de->name_len == 2 && de->name[0] == '.' && de->name[1] == '.');
}

/* 1 if dir holds only . and .., 0 if not, or -EIO. May sleep. */
int ext2_dir_empty(struct inode *dir)
{
	unsigned lblk, off, bs = ext2_dir_end(dir);
	struct buffer_head *bh;
	int err;

	if (ext2_inline_dir(dir))
		return ext2_inline_empty(dir);
	for (lblk = 0; lblk < ext2_nblocks(dir); lblk++) {
		err = ext2_dir_block(dir, lblk, &bh);
		if (err)
			return err;
		if (!bh)
			continue;
		for (off = 0; off < bs; off += de_at(bh, off)->rec_len) {
			struct ext2_dirent *de = de_at(bh, off);

			if (de->inode && !ext2_dot_or_dotdot(de)) {
				brelse(bh);
				return 0;
			}
		}
		brelse(bh);
	}
	return 1;
}

/* Writes the first block of a new directory: . and .. . May sleep. */
int ext2_make_empty(struct inode *dir, struct inode *parent)
{
	unsigned bs = ext2_dir_end(dir);
	struct buffer_head *bh;
	struct ext2_dirent *de;
	u64 block;
	int err;

	err = ext2_get_block(dir, 0, true, &block);
	if (err)
		return err;
	bh = bread(dir->i_sb->s_bdev, block, dir->i_sb->s_blocksize);
	if (!bh)
		return -EIO;
	de = de_at(bh, 0);
	ext2_fill_dirent(dir, de, ".", 1, dir);
	de->rec_len = EXT2_DIRENT_LEN(1);
	de = de_at(bh, EXT2_DIRENT_LEN(1));
	ext2_fill_dirent(dir, de, "..", 2, parent);
	de->rec_len = (u16)(bs - EXT2_DIRENT_LEN(1));
	ext2_dir_dirty(dir, bh);
	brelse(bh);
	dir->i_size = dir->i_sb->s_blocksize;
	mark_inode_dirty(dir);
	return 0;
}

/* Emits the entries of block bh from pos on; 1 when the caller's buffer is full. */
static int ext2_emit_block(struct inode *dir, struct buffer_head *bh, u64 base,
			   struct dir_context *ctx)
{
	unsigned off, bs = ext2_is_dx_block(dir, base / dir->i_sb->s_blocksize, bh) ?
			   dir->i_sb->s_blocksize : ext2_dir_end(dir);
	bool ft = EXT2_SB(dir->i_sb)->filetype;

	for (off = 0; off < bs; off += de_at(bh, off)->rec_len) {
		struct ext2_dirent *de = de_at(bh, off);

		if (base + off < (u64)ctx->pos)
			continue;
		if (de->inode && ctx->actor(ctx, de->name, de->name_len, de->inode,
					    ft ? ext2_dtype(de->file_type) : DT_UNKNOWN))
			return 1;
		ctx->pos = (loff_t)(base + off + de->rec_len);
	}
	return 0;
}

static int ext2_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->f_inode;
	unsigned bs = dir->i_sb->s_blocksize;
	struct buffer_head *bh;
	int err = 0;

	if (ctx->pos < 0)
		return -EINVAL;
	ext2_lock(dir->i_sb);
	while (!ext2_inline_dir(dir) && (u64)ctx->pos < dir->i_size) {
		u64 lblk = (u64)ctx->pos / bs;

		err = ext2_dir_block(dir, lblk, &bh);
		if (err)
			break;
		if (bh) {
			int full = ext2_emit_block(dir, bh, lblk * bs, ctx);

			brelse(bh);
			if (full)
				break;
		}
		ctx->pos = (loff_t)((lblk + 1) * bs);
	}
	if (ext2_inline_dir(dir))
		err = ext2_inline_iterate(dir, ctx);
	ext2_unlock(dir->i_sb);
	return err;
}

const struct file_operations ext2_dir_fops = {
	.ioctl = ext2_ioctl,
	.iterate = ext2_iterate,
	.llseek = generic_file_llseek,
	.fsync = ext2_fsync,
};
