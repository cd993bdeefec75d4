/*
 * drop_caches.c - /proc/sys/vm/drop_caches, as on Linux: writing 1 frees
 * the clean page cache and block buffers that nothing uses, 2 the unused
 * dentries and inodes of the disk-backed filesystems (their page cache
 * goes with them), 3 both.  Dirty data is not written first: `sync` does
 * that.  Memory-file filesystems (ramfs, tmpfs, devtmpfs) keep theirs, it
 * is their content.  The leak and memory tests use it to compare MemFree
 * without the caches.
 */
#include "kernel/blkdev.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "internal.h"

static void shrink_mount(struct vfsmount *mnt, void *arg)
{
	if (mnt->mnt_sb->s_bdev == NULL)
		return;
	d_shrink_unused(mnt->mnt_root);
	prune_icache_sb(mnt->mnt_sb);
}

/* Never sleeps. */
void drop_caches(int what)
{
	if (what & 2)
		for_each_mount(shrink_mount, NULL);
	if (what & 1) {
		while (filemap_shrink(~0ULL))
			;
		buffer_drop_clean();
	}
}
