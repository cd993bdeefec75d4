/*
 * inline.c - ext4 inline-data directories (EXT4_INLINE_DATA_FL on a
 * directory), read as ext4 stores them: the 60 bytes of i_block hold the
 * parent's inode number (4 bytes, there is no "." or ".." entry) and then
 * ordinary entries chained by rec_len to byte 60; when i_size is larger,
 * the rest (i_size - 60 bytes) is the value of the in-inode xattr
 * "system.data", entries chained to its end.  There is no checksum tail:
 * the inode checksum covers both parts.
 *
 * The whole directory (at most 60 bytes plus the inode body) is read and
 * checked each time, as a directory block is: an entry that does not chain
 * exactly to the end of its part, a name longer than its record, a
 * system.data value shorter than i_size says or a bad parent number is
 * -EIO (ext2_error), never followed.
 *
 * Readdir positions: 0 is ".", 1 is "..", an entry is at its byte offset in
 * the directory (4 to i_size - 1) and the position after it is where the
 * next one starts, so a position handed to seekdir stays valid; a position
 * inside an entry resumes at the next one.
 *
 * Inline directories are only read: a file system with inline_data mounts
 * read-only (ext2_ro_reason), so the writers never see one.
 */
#include "ext2.h"
#include "kernel/page.h"

#define INLINE_I_BLOCK	EXT2_FAST_LINK_MAX	/* bytes of i_block */
#define INLINE_PARENT	4			/* the parent's inode number */

/* Checks that the entries in buf[off, end) chain exactly to end. */
static int inline_check_part(struct inode *dir, const u8 *buf, u32 off, u32 end)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);

	while (off < end) {
		const struct ext2_dirent *de = (const void *)(buf + off);
		unsigned nlen;

		if (end - off < 8)
			goto bad;
		nlen = de->name_len | (sbi->filetype ? 0 : de->file_type << 8);
		if (de->rec_len < 8 || de->rec_len % 4 || de->rec_len > end - off ||
		    (de->inode && (nlen == 0 || EXT2_DIRENT_LEN(nlen) > de->rec_len)) ||
		    de->inode > sbi->es.s_inodes_count)
			goto bad;
		off += de->rec_len;
	}
	return 0;
bad:
	return ext2_error(dir->i_sb, "bad inline directory entry in inode", dir->i_ino);
}

/* Checks the parent number of inline directory dir (in buf). */
static int inline_check_parent(struct inode *dir, const u8 *buf)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	u32 parent = *(const u32 *)buf;

	if (parent == EXT2_ROOT_INO || (parent >= sbi->first_ino &&
					parent <= sbi->es.s_inodes_count))
		return 0;
	return ext2_error(dir->i_sb, "bad parent of inline directory", dir->i_ino);
}

/*
 * Reads and checks the whole of inline directory dir: a kmalloc'ed copy of
 * its i_size bytes into *bufp (the caller kfrees it), or -EIO/-ENOMEM.
 * Lock held. May sleep.
 */
static int inline_load(struct inode *dir, u8 **bufp)
{
	struct ext2_sb_info *sbi = EXT2_SB(dir->i_sb);
	u32 size = (u32)dir->i_size;
	u8 *buf;
	int got, err;

	*bufp = NULL;
	if (dir->i_size < INLINE_I_BLOCK ||
	    dir->i_size > INLINE_I_BLOCK + sbi->inode_size - EXT2_GOOD_OLD_INODE_SIZE)
		return ext2_error(dir->i_sb, "bad size of inline directory", dir->i_ino);
	buf = kmalloc(size);
	if (!buf)
		return -ENOMEM;
	got = ext2_read_inline(dir, buf, size);
	err = got < 0 ? got : 0;
	if (!err && (u32)got != size)
		err = ext2_error(dir->i_sb, "system.data shorter than inline directory",
				 dir->i_ino);
	if (!err)
		err = inline_check_parent(dir, buf);
	if (!err)
		err = inline_check_part(dir, buf, INLINE_PARENT, INLINE_I_BLOCK);
	if (!err)
		err = inline_check_part(dir, buf, INLINE_I_BLOCK, size);
	if (err) {
		kfree(buf);
		return err;
	}
	*bufp = buf;
	return 0;
}

/* True if dir is an inline-data directory. */
bool ext2_inline_dir(struct inode *dir)
{
	return S_ISDIR(dir->i_mode) && (EXT2_I(dir)->i_flags & EXT4_INLINE_DATA_FL);
}

/* The inode number of name in inline directory dir into *ino: 0, -ENOENT, -EIO. */
int ext2_inline_find(struct inode *dir, const char *name, int len, u32 *ino)
{
	u32 off, size = (u32)dir->i_size;
	u8 *buf;
	int err;

	err = inline_load(dir, &buf);
	if (err)
		return err;
	err = -ENOENT;
	if (len == 1 && name[0] == '.') {
		*ino = (u32)dir->i_ino;
		err = 0;
	} else if (len == 2 && name[0] == '.' && name[1] == '.') {
		*ino = *(const u32 *)buf;
		err = 0;
	}
	for (off = INLINE_PARENT; err && off < size; ) {
		const struct ext2_dirent *de = (const void *)(buf + off);

		if (de->inode && de->name_len == len && !memcmp(de->name, name, (size_t)len)) {
			*ino = de->inode;
			err = 0;
		}
		off += de->rec_len;
	}
	kfree(buf);
	return err;
}

/* Emits the entries of inline directory dir from ctx->pos on. Lock held. */
int ext2_inline_iterate(struct inode *dir, struct dir_context *ctx)
{
	u32 off, size = (u32)dir->i_size;
	bool ft = EXT2_SB(dir->i_sb)->filetype;
	u8 *buf;
	int err;

	if ((u64)ctx->pos >= size)
		return 0;
	err = inline_load(dir, &buf);
	if (err)
		return err;
	if (ctx->pos == 0) {
		if (ctx->actor(ctx, ".", 1, dir->i_ino, DT_DIR))
			goto out;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (ctx->actor(ctx, "..", 2, *(const u32 *)buf, DT_DIR))
			goto out;
		ctx->pos = INLINE_PARENT;
	}
	for (off = INLINE_PARENT; off < size; off += ((const struct ext2_dirent *)(buf + off))->rec_len) {
		const struct ext2_dirent *de = (const void *)(buf + off);

		if (off < (u64)ctx->pos)
			continue;
		if (de->inode && ctx->actor(ctx, de->name, de->name_len, de->inode,
					    ft ? ext2_dtype(de->file_type) : DT_UNKNOWN))
			break;
		ctx->pos = (loff_t)(off + de->rec_len);
	}
out:
	kfree(buf);
	return 0;
}

/* 1 if inline directory dir has no entry, 0 if it has, or -EIO. Lock held. */
int ext2_inline_empty(struct inode *dir)
{
	u32 off, size = (u32)dir->i_size;
	int empty = 1;
	u8 *buf;
	int err;

	err = inline_load(dir, &buf);
	if (err)
		return err;
	for (off = INLINE_PARENT; off < size; off += ((const struct ext2_dirent *)(buf + off))->rec_len)
		if (((const struct ext2_dirent *)(buf + off))->inode)
			empty = 0;
	kfree(buf);
	return empty;
}
