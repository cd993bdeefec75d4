/*
 * dir.c - ext2 directories: a linear list of variable-length entries in
 * each block (rec_len links an entry to the next; inode 0 is unused
 * space).  Each block is checked as a whole when read, so a corrupt entry
 * is reported as -EIO and never followed.  Directories indexed by
 * dir_index (htree) are read linearly too, as Linux's ext2 does, and lose
 * the index flag when modified.
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

/* Checks that the entries of a directory block chain exactly to its end. */
static int ext2_check_block(struct inode *dir, struct buffer_head *bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	unsigned off = 0, bs = sbi->blocksize;

	while (off < bs) {
		struct ext2_dirent *de = de_at(bh, off);
		unsigned nlen = de->name_len | (sbi->filetype ? 0 : de->file_type << 8);

		if (de->rec_len < 8 || de->rec_len % 4 || de->rec_len > bs - off ||
		    (de->inode && EXT2_DIRENT_LEN(nlen) > de->rec_len) ||
		    de->inode > sbi->es.s_inodes_count)
			return ext2_error(dir->i_sb, "bad directory entry in inode", dir->i_ino);
		off += de->rec_len;
	}
	return 0;
}

/* Reads directory block lblk into *bhp (NULL for a hole). May sleep. */
static int ext2_dir_block(struct inode *dir, u64 lblk, struct buffer_head **bhp)
{
	struct buffer_head *bh;
	u32 block;
	int err;

	*bhp = NULL;
	err = ext2_get_block(dir, lblk, false, &block);
	if (err || !block)
		return err;
	bh = bread(dir->i_sb->s_bdev, block, dir->i_sb->s_blocksize);
	if (!bh)
		return -EIO;
	err = ext2_check_block(dir, bh);
	if (err) {
		brelse(bh);
		return err;
	}
	*bhp = bh;
	return 0;
}

static unsigned ext2_nblocks(struct inode *dir)
{
	return (unsigned)(dir->i_size / dir->i_sb->s_blocksize);
}

static void ext2_dir_changed(struct inode *dir)
{
	EXT2_I(dir)->i_flags &= ~EXT2_INDEX_FL;
	dir->i_mtime = dir->i_ctime = current_time();
	mark_inode_dirty(dir);
}

struct ext2_slot {
	struct buffer_head *bh;
	struct ext2_dirent *de, *prev;
};

/* Finds name in dir: 0 with s filled (s->bh referenced) or -ENOENT/-EIO. */
static int ext2_find(struct inode *dir, const char *name, int len, struct ext2_slot *s)
{
	unsigned lblk, off, bs = dir->i_sb->s_blocksize;
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
	unsigned off, bs = dir->i_sb->s_blocksize, need = EXT2_DIRENT_LEN((unsigned)len);

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
		mark_buffer_dirty(bh);
		return true;
	}
	return false;
}

/* Adds the entry name -> inode to dir (name known absent). May sleep. */
int ext2_add_entry(struct inode *dir, const char *name, int len, struct inode *inode)
{
	unsigned lblk, n = ext2_nblocks(dir);
	struct buffer_head *bh;
	int err;

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
	err = ext2_get_block(dir, n, true, &lblk);	/* a zeroed new block */
	if (err)
		return err;
	bh = bread(dir->i_sb->s_bdev, lblk, dir->i_sb->s_blocksize);
	if (!bh)
		return -EIO;
	de_at(bh, 0)->rec_len = (u16)dir->i_sb->s_blocksize;
	ext2_fill_dirent(dir, de_at(bh, 0), name, len, inode);
	mark_buffer_dirty(bh);
	brelse(bh);
	dir->i_size += dir->i_sb->s_blocksize;
	ext2_dir_changed(dir);
	return 0;
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
	mark_buffer_dirty(s.bh);
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
	mark_buffer_dirty(s.bh);
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
	unsigned lblk, off, bs = dir->i_sb->s_blocksize;
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
	unsigned bs = dir->i_sb->s_blocksize;
	struct buffer_head *bh;
	struct ext2_dirent *de;
	u32 block;
	int err;

	err = ext2_get_block(dir, 0, true, &block);
	if (err)
		return err;
	bh = bread(dir->i_sb->s_bdev, block, bs);
	if (!bh)
		return -EIO;
	de = de_at(bh, 0);
	ext2_fill_dirent(dir, de, ".", 1, dir);
	de->rec_len = EXT2_DIRENT_LEN(1);
	de = de_at(bh, EXT2_DIRENT_LEN(1));
	ext2_fill_dirent(dir, de, "..", 2, parent);
	de->rec_len = (u16)(bs - EXT2_DIRENT_LEN(1));
	mark_buffer_dirty(bh);
	brelse(bh);
	dir->i_size = bs;
	mark_inode_dirty(dir);
	return 0;
}

/* Emits the entries of block bh from pos on; 1 when the caller's buffer is full. */
static int ext2_emit_block(struct inode *dir, struct buffer_head *bh, u64 base,
			   struct dir_context *ctx)
{
	unsigned off, bs = dir->i_sb->s_blocksize;
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
