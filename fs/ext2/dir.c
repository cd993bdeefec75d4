/*
 * dir.c - ext2 directories: a linear list of variable-length entries in
 * each block (rec_len links an entry to the next; inode 0 is unused
 * space).  Each block is checked as a whole when read, so a corrupt entry
 * is reported as -EIO and never followed.  Directories indexed by
 * dir_index (htree) are read linearly too (the index blocks look like
 * empty entries), as Linux's ext2 does; before the first change the index
 * is dissolved: its blocks become ordinary empty leaves and the directory
 * loses the index flag, a layout e2fsck accepts.  With metadata_csum each
 * leaf ends in a 12-byte tail holding its checksum (index blocks in a
 * dx_tail), verified on every read and rewritten on every change.
 */
#include "ext2.h"

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

static unsigned ext2_dtype(unsigned ft)
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
	unsigned off = 0, end = dx ? sbi->blocksize : ext2_dir_end(dir);
	int err = dx ? ext2_dx_csum_check(dir, lblk, bh) : ext2_dirblock_csum_check(dir, bh);

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

/* Turns htree index block lblk (in bh) into an ordinary leaf. */
static void ext2_dx_to_leaf(struct inode *dir, u64 lblk, struct buffer_head *bh)
{
	unsigned end = ext2_dir_end(dir);
	struct ext2_dirent *de;

	if (lblk == 0) {	/* keep "." and "..": ".." now reaches the end */
		de = de_at(bh, 12);
		memset(bh->b_data + 12 + EXT2_DIRENT_LEN(2), 0, dir->i_sb->s_blocksize - 12 -
		       EXT2_DIRENT_LEN(2));
		de->rec_len = (u16)(end - 12);
	} else {
		memset(bh->b_data, 0, dir->i_sb->s_blocksize);
		de_at(bh, 0)->rec_len = (u16)end;
	}
	ext2_dir_dirty(dir, bh);
}

/*
 * Dissolves dir's htree index before a change: the index blocks become
 * empty leaves, the flag goes.  0 or -errno. May sleep.
 */
static int ext2_dir_unindex(struct inode *dir)
{
	unsigned lblk;
	int err;

	if (!(EXT2_I(dir)->i_flags & EXT2_INDEX_FL))
		return 0;
	for (lblk = 0; lblk < ext2_nblocks(dir); lblk++) {
		struct buffer_head *bh;

		err = ext2_dir_block(dir, lblk, &bh);
		if (err)
			return err;
		if (!bh)
			continue;
		if (ext2_is_dx_block(dir, lblk, bh))
			ext2_dx_to_leaf(dir, lblk, bh);
		brelse(bh);
	}
	EXT2_I(dir)->i_flags &= ~EXT2_INDEX_FL;
	mark_inode_dirty(dir);
	return 0;
}

struct ext2_slot {
	struct buffer_head *bh;
	struct ext2_dirent *de, *prev;
};

/* Finds name in dir: 0 with s filled (s->bh referenced) or -ENOENT/-EIO. */
static int ext2_find(struct inode *dir, const char *name, int len, struct ext2_slot *s)
{
	unsigned lblk, off, bs = ext2_dir_end(dir);
	int err;

	for (lblk = 0; lblk < ext2_nblocks(dir); lblk++) {
		err = ext2_dir_block(dir, lblk, &s->bh);
		if (err)
			return err;
		if (!s->bh)
			continue;
		s->prev = NULL;
		for (off = 0; off < bs; off += s->de->rec_len) {
			s->de = de_at(s->bh, off);
			if (s->de->inode && s->de->name_len == len &&
			    !memcmp(s->de->name, name, (size_t)len))
				return 0;
			s->prev = s->de;
		}
		brelse(s->bh);
	}
	return -ENOENT;
}

/* The inode number of name in dir into *ino: 0, -ENOENT or -EIO. May sleep. */
int ext2_find_entry(struct inode *dir, const char *name, int len, u32 *ino)
{
	struct ext2_slot s;
	int err = ext2_find(dir, name, len, &s);

	if (err)
		return err;
	*ino = s.de->inode;
	brelse(s.bh);
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

/* Adds the entry name -> inode to dir (name known absent). May sleep. */
int ext2_add_entry(struct inode *dir, const char *name, int len, struct inode *inode)
{
	unsigned lblk, n = ext2_nblocks(dir);
	struct buffer_head *bh;
	u64 block;
	int err = ext2_dir_unindex(dir);

	if (err)
		return err;
	for (lblk = 0; lblk < n; lblk++) {
		err = ext2_dir_block(dir, lblk, &bh);
		if (err)
			return err;
		if (!bh)
			continue;
		if (ext2_place(dir, bh, name, len, inode)) {
			brelse(bh);
			ext2_dir_changed(dir);
			return 0;
		}
		brelse(bh);
	}
	err = ext2_get_block(dir, n, true, &block);	/* a zeroed new block */
	if (err)
		return err;
	bh = bread(dir->i_sb->s_bdev, block, dir->i_sb->s_blocksize);
	if (!bh)
		return -EIO;
	de_at(bh, 0)->rec_len = (u16)ext2_dir_end(dir);
	ext2_fill_dirent(dir, de_at(bh, 0), name, len, inode);
	ext2_dir_dirty(dir, bh);
	brelse(bh);
	dir->i_size += dir->i_sb->s_blocksize;
	ext2_dir_changed(dir);
	return 0;
}

/* Removes the entry name from dir: 0, -ENOENT or -EIO. May sleep. */
int ext2_delete_entry(struct inode *dir, const char *name, int len)
{
	struct ext2_slot s;
	int err = ext2_dir_unindex(dir) ?: ext2_find(dir, name, len, &s);

	if (err)
		return err;
	if (s.prev)
		s.prev->rec_len = (u16)(s.prev->rec_len + s.de->rec_len);
	else
		s.de->inode = 0;
	ext2_dir_dirty(dir, s.bh);
	brelse(s.bh);
	ext2_dir_changed(dir);
	return 0;
}

/* Points the existing entry name of dir at inode. May sleep. */
int ext2_set_entry(struct inode *dir, const char *name, int len, struct inode *inode)
{
	struct ext2_slot s;
	int err = ext2_dir_unindex(dir) ?: ext2_find(dir, name, len, &s);

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
	while ((u64)ctx->pos < dir->i_size) {
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
	ext2_unlock(dir->i_sb);
	return err;
}

const struct file_operations ext2_dir_fops = {
	.iterate = ext2_iterate,
	.llseek = generic_file_llseek,
};
