/*
 * namei.c - ext2 inode_operations for directories and symlinks: lookup,
 * create, mkdir, mknod, symlink, link, unlink, rmdir, rename, readlink.
 * The VFS has checked permissions, name validity and whether a name
 * exists; here every change keeps link counts, '..' and the group
 * directory counts right.  All run under the filesystem lock.
 */
#include "ext2.h"

#define EXT2_LINK_MAX	32000

static int ext2_check_name(struct inode *dir, int len)
{
	if (len <= 0 || len > NAME_MAX)
		return -ENAMETOOLONG;
	if (dir->i_sb->s_rdonly)
		return -EROFS;
	return 0;
}

static struct inode *ext2_lookup(struct inode *dir, const char *name, int len)
{
	struct inode *inode;
	u32 ino;
	int err;

	if (len <= 0 || len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	ext2_lock(dir->i_sb);
	err = ext2_find_entry(dir, name, len, &ino);
	inode = err ? ERR_PTR(err) : iget(dir->i_sb, ino);
	if (!IS_ERR(inode) && (EXT2_I(inode)->i_flags & EXT4_EA_INODE_FL)) {
		iput(inode);	/* an xattr value inode, cached: no name may lead there */
		inode = ERR_PTR(ext2_error(dir->i_sb, "directory entry for an xattr inode", ino));
	}
	ext2_unlock(dir->i_sb);
	return inode;
}

/* Undoes a new inode that got no entry: no links, so iput frees it. */
static void ext2_discard(struct inode *inode)
{
	inode->i_nlink = 0;
	iput(inode);
}

/* Creates an inode of mode and links it as name in dir. Lock held. */
static struct inode *ext2_make(struct inode *dir, const char *name, int len, umode_t mode,
			       dev_t rdev)
{
	struct inode *inode;
	int err;

	inode = ext2_new_inode(dir, mode);
	if (IS_ERR(inode))
		return inode;
	inode->i_rdev = rdev;
	err = ext2_add_entry(dir, name, len, inode);
	if (err) {
		ext2_discard(inode);
		return ERR_PTR(err);
	}
	return inode;
}

static struct inode *ext2_create(struct inode *dir, const char *name, int len, umode_t mode)
{
	struct inode *inode;
	int err = ext2_check_name(dir, len);

	if (err)
		return ERR_PTR(err);
	ext2_lock(dir->i_sb);
	inode = ext2_make(dir, name, len, (mode & 07777) | S_IFREG, 0);
	ext2_unlock(dir->i_sb);
	return inode;
}

/* O_TMPFILE: a new regular inode with no entry and no link. */
static struct inode *ext2_tmpfile(struct inode *dir, umode_t mode)
{
	struct inode *inode;

	if (dir->i_sb->s_rdonly)
		return ERR_PTR(-EROFS);
	ext2_lock(dir->i_sb);
	inode = ext2_new_inode(dir, (mode & 07777) | S_IFREG);
	if (!IS_ERR(inode)) {
		inode->i_nlink = 0;
		mark_inode_dirty(inode);
		ext2_orphan_add(inode);
	}
	ext2_unlock(dir->i_sb);
	return inode;
}

static struct inode *ext2_mknod(struct inode *dir, const char *name, int len,
				umode_t mode, dev_t rdev)
{
	struct inode *inode;
	int err = ext2_check_name(dir, len);

	if (err)
		return ERR_PTR(err);
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case 0:
		mode |= S_IFREG;
		break;
	default:
		return ERR_PTR(-EINVAL);
	}
	if (!S_ISCHR(mode) && !S_ISBLK(mode))
		rdev = 0;
	ext2_lock(dir->i_sb);
	inode = ext2_make(dir, name, len, mode & (S_IFMT | 07777), rdev);
	ext2_unlock(dir->i_sb);
	return inode;
}

static struct inode *ext2_mkdir_locked(struct inode *dir, const char *name, int len,
				       umode_t mode)
{
	struct inode *inode;
	int err;

	if (dir->i_nlink >= EXT2_LINK_MAX)
		return ERR_PTR(-EMLINK);
	inode = ext2_new_inode(dir, (mode & 07777) | S_IFDIR);
	if (IS_ERR(inode))
		return inode;
	inode->i_nlink = 2;
	err = ext2_make_empty(inode, dir);
	if (!err)
		err = ext2_add_entry(dir, name, len, inode);
	if (err) {
		ext2_discard(inode);
		return ERR_PTR(err);
	}
	dir->i_nlink++;
	mark_inode_dirty(dir);
	return inode;
}

static struct inode *ext2_mkdir(struct inode *dir, const char *name, int len, umode_t mode)
{
	struct inode *inode;
	int err = ext2_check_name(dir, len);

	if (err)
		return ERR_PTR(err);
	ext2_lock(dir->i_sb);
	inode = ext2_mkdir_locked(dir, name, len, mode);
	ext2_unlock(dir->i_sb);
	return inode;
}

/* Stores a symlink's target: in i_block when short, else in a block. */
static int ext2_write_link(struct inode *inode, const char *target, size_t tlen)
{
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh;
	u64 block;
	int err;

	inode->i_size = tlen;
	mark_inode_dirty(inode);
	if (tlen < EXT2_FAST_LINK_MAX) {
		memcpy(EXT2_I(inode)->i_block, target, tlen);
		return 0;
	}
	if (EXT2_SB(sb)->extents)
		ext4_ext_init(inode);
	err = ext2_get_block(inode, 0, true, &block);
	if (err)
		return err;
	bh = bread(sb->s_bdev, block, sb->s_blocksize);
	if (!bh)
		return -EIO;
	memcpy(bh->b_data, target, tlen);
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

static struct inode *ext2_symlink(struct inode *dir, const char *name, int len,
				  const char *target)
{
	size_t tlen = strnlen(target, PATH_MAX);
	struct inode *inode;
	int err = ext2_check_name(dir, len);

	if (err)
		return ERR_PTR(err);
	if (tlen == 0)
		return ERR_PTR(-ENOENT);
	if (tlen >= dir->i_sb->s_blocksize || tlen >= PATH_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	ext2_lock(dir->i_sb);
	inode = ext2_new_inode(dir, S_IFLNK | 0777);
	if (IS_ERR(inode))
		goto out;
	err = ext2_write_link(inode, target, tlen);
	if (!err)
		err = ext2_add_entry(dir, name, len, inode);
	if (err) {
		ext2_discard(inode);
		inode = ERR_PTR(err);
	}
out:
	ext2_unlock(dir->i_sb);
	return inode;
}

static int ext2_link(struct inode *old, struct inode *dir, const char *name, int len)
{
	int err = ext2_check_name(dir, len);

	if (err)
		return err;
	if (S_ISDIR(old->i_mode))
		return -EPERM;
	if (old->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	ext2_lock(dir->i_sb);
	err = ext2_add_entry(dir, name, len, old);
	if (!err) {
		old->i_nlink++;
		old->i_ctime = current_time();
		mark_inode_dirty(old);
	}
	ext2_unlock(dir->i_sb);
	return err;
}

/* Drops a link; the last one lists the inode as an orphan until its release. Lock held. */
static void ext2_drop_link(struct inode *inode)
{
	if (inode->i_nlink)
		inode->i_nlink--;
	inode->i_ctime = current_time();
	mark_inode_dirty(inode);
	ext2_orphan_add(inode);
}

static int ext2_unlink(struct inode *dir, const char *name, int len, struct inode *victim)
{
	int err = ext2_check_name(dir, len);

	if (err)
		return err;
	ext2_lock(dir->i_sb);
	err = ext2_delete_entry(dir, name, len);
	if (!err)
		ext2_drop_link(victim);
	ext2_unlock(dir->i_sb);
	return err;
}

/* Removes the empty directory victim, named name in dir. Lock held. */
static int ext2_rmdir_locked(struct inode *dir, const char *name, int len,
			     struct inode *victim)
{
	int err = ext2_dir_empty(victim);

	if (err < 0)
		return err;
	if (!err)
		return -ENOTEMPTY;
	err = ext2_delete_entry(dir, name, len);
	if (err)
		return err;
	victim->i_nlink = 0;
	victim->i_ctime = current_time();
	mark_inode_dirty(victim);
	ext2_orphan_add(victim);
	ext2_drop_link(dir);
	return 0;
}

static int ext2_rmdir(struct inode *dir, const char *name, int len, struct inode *victim)
{
	int err = ext2_check_name(dir, len);

	if (err)
		return err;
	if (!S_ISDIR(victim->i_mode))
		return -ENOTDIR;
	ext2_lock(dir->i_sb);
	err = ext2_rmdir_locked(dir, name, len, victim);
	ext2_unlock(dir->i_sb);
	return err;
}

/* Checks that src may replace tgt (either may be a directory). */
static int ext2_rename_check(struct inode *src, struct inode *tgt)
{
	int err;

	if (!tgt)
		return 0;
	if (S_ISDIR(src->i_mode) && !S_ISDIR(tgt->i_mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->i_mode) && S_ISDIR(tgt->i_mode))
		return -EISDIR;
	if (!S_ISDIR(tgt->i_mode))
		return 0;
	err = ext2_dir_empty(tgt);
	return err < 0 ? err : err ? 0 : -ENOTEMPTY;
}

/*
 * Moves the entry; the checks are done.  With wh (RENAME_WHITEOUT) the
 * old entry is pointed at the whiteout instead of removed, so the name
 * never disappears.  Lock held.
 */
static int ext2_rename_commit(struct inode *odir, const char *oname, int olen,
			      struct inode *ndir, const char *nname, int nlen,
			      struct inode *src, struct inode *tgt, struct inode *wh)
{
	int err;

	if (tgt)
		err = ext2_set_entry(ndir, nname, nlen, src);
	else
		err = ext2_add_entry(ndir, nname, nlen, src);
	if (err)
		return err;
	if (wh)
		err = ext2_set_entry(odir, oname, olen, wh);
	else
		err = ext2_delete_entry(odir, oname, olen);
	if (tgt && S_ISDIR(tgt->i_mode)) {
		tgt->i_nlink = 0;
		mark_inode_dirty(tgt);
		ext2_orphan_add(tgt);
		ext2_drop_link(ndir);
	} else if (tgt) {
		ext2_drop_link(tgt);
	}
	if (S_ISDIR(src->i_mode)) {
		ext2_drop_link(odir);
		ndir->i_nlink++;
		mark_inode_dirty(ndir);
		if (odir != ndir && !err)
			err = ext2_set_entry(src, "..", 2, ndir);
	}
	src->i_ctime = current_time();
	mark_inode_dirty(src);
	return err;
}

/*
 * RENAME_EXCHANGE: the two entries swap inodes; directories moved to the
 * other parent get their '..' and the parents' link counts follow.
 */
static int ext2_exchange_commit(struct inode *odir, const char *oname, int olen,
				struct inode *ndir, const char *nname, int nlen,
				struct inode *src, struct inode *tgt)
{
	bool sdir = S_ISDIR(src->i_mode), tdir = S_ISDIR(tgt->i_mode);
	int err;

	if (odir != ndir && sdir != tdir &&
	    (sdir ? ndir : odir)->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	err = ext2_set_entry(odir, oname, olen, tgt);
	if (err)
		return err;
	err = ext2_set_entry(ndir, nname, nlen, src);
	if (err) {
		ext2_set_entry(odir, oname, olen, src);
		return err;
	}
	if (odir != ndir) {
		if (sdir)
			err = ext2_set_entry(src, "..", 2, ndir);
		if (tdir && !err)
			err = ext2_set_entry(tgt, "..", 2, odir);
		if (sdir && !tdir) {
			ext2_drop_link(odir);
			ndir->i_nlink++;
			mark_inode_dirty(ndir);
		} else if (tdir && !sdir) {
			ext2_drop_link(ndir);
			odir->i_nlink++;
			mark_inode_dirty(odir);
		}
	}
	src->i_ctime = tgt->i_ctime = current_time();
	mark_inode_dirty(src);
	mark_inode_dirty(tgt);
	return err;
}

static int ext2_rename_locked(struct inode *odir, const char *oname, int olen,
			      struct inode *ndir, const char *nname, int nlen, unsigned flags)
{
	struct super_block *sb = odir->i_sb;
	struct inode *src, *tgt = NULL, *wh = NULL;
	u32 ino;
	int err;

	err = ext2_find_entry(odir, oname, olen, &ino);
	if (err)
		return err;
	src = iget(sb, ino);
	if (IS_ERR(src))
		return PTR_ERR(src);
	err = ext2_find_entry(ndir, nname, nlen, &ino);
	if (err == -ENOENT)
		err = 0;
	else if (!err && ino == src->i_ino)
		goto out_src;		/* both names are links to one inode */
	else if (!err)
		tgt = iget(sb, ino);
	if (!err && IS_ERR(tgt)) {
		err = PTR_ERR(tgt);
		tgt = NULL;
	}
	if (!err && (flags & RENAME_EXCHANGE)) {
		err = tgt ? ext2_exchange_commit(odir, oname, olen, ndir, nname, nlen, src, tgt)
			  : -ENOENT;
		goto out_tgt;
	}
	if (!err)
		err = ext2_rename_check(src, tgt);
	if (!err && S_ISDIR(src->i_mode) && !tgt && odir != ndir &&
	    ndir->i_nlink >= EXT2_LINK_MAX)
		err = -EMLINK;
	if (!err && (flags & RENAME_WHITEOUT)) {
		wh = ext2_new_inode(odir, S_IFCHR);	/* device 0:0 */
		if (IS_ERR(wh)) {
			err = PTR_ERR(wh);
			wh = NULL;
		}
	}
	if (!err)
		err = ext2_rename_commit(odir, oname, olen, ndir, nname, nlen, src, tgt, wh);
	if (err && wh)
		ext2_discard(wh);
	else if (wh)
		iput(wh);
out_tgt:
	iput(tgt);
out_src:
	iput(src);
	return err;
}

/* rename, with RENAME_EXCHANGE or RENAME_WHITEOUT in flags (the VFS checked them). */
static int ext2_rename(struct inode *odir, const char *oname, int olen,
		       struct inode *ndir, const char *nname, int nlen, unsigned flags)
{
	int err = ext2_check_name(odir, olen);

	if (!err)
		err = ext2_check_name(ndir, nlen);
	if (err)
		return err;
	ext2_lock(odir->i_sb);
	err = ext2_rename_locked(odir, oname, olen, ndir, nname, nlen, flags);
	ext2_unlock(odir->i_sb);
	return err;
}

static int ext2_readlink(struct inode *inode, char *buf, int size)
{
	struct super_block *sb = inode->i_sb;
	struct buffer_head *bh;
	u64 block;
	int n, err;

	if (size < 0)
		return -EINVAL;
	n = (int)min(inode->i_size, (u64)size);
	if (inode->i_size >= sb->s_blocksize)
		return ext2_error(sb, "symlink too long in inode", inode->i_ino);
	if (ext2_fast_symlink(inode)) {
		memcpy(buf, EXT2_I(inode)->i_block, (size_t)min(n, EXT2_FAST_LINK_MAX));
		return min(n, EXT2_FAST_LINK_MAX);
	}
	if (EXT2_I(inode)->i_flags & EXT4_INLINE_DATA_FL) {
		ext2_lock(sb);
		n = ext2_read_inline(inode, (u8 *)buf, (size_t)n);
		ext2_unlock(sb);
		return n;
	}
	ext2_lock(sb);
	err = ext2_get_block(inode, 0, false, &block);
	bh = err || !block ? NULL : bread(sb->s_bdev, block, sb->s_blocksize);
	if (bh) {
		memcpy(buf, bh->b_data, (size_t)n);
		brelse(bh);
	}
	ext2_unlock(sb);
	if (err)
		return err;
	return bh ? n : -EIO;
}

const struct inode_operations ext2_dir_iops = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.mknod = ext2_mknod,
	.symlink = ext2_symlink,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.setattr = ext2_setattr,
	.tmpfile = ext2_tmpfile,
};

const struct inode_operations ext2_symlink_iops = {
	.readlink = ext2_readlink,
	.setattr = ext2_setattr,
};
