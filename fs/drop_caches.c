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
	if (mnt->mnt_sb->s_op->free_cached)
		mnt->mnt_sb->s_op->free_cached(mnt->mnt_sb);
}

static void free_cached_mount(struct vfsmount *mnt, void *arg)
{
	u64 *bytes = arg;

	if (mnt->mnt_sb->s_op->free_cached)
		*bytes += mnt->mnt_sb->s_op->free_cached(mnt->mnt_sb);
}

/*
 * The page allocator's reclaim hook, when it runs dry (mm/page_alloc.c):
 * the coldest clean page cache first; short of want, the least recently
 * used unused dentries, then the inodes they leave unused (and those
 * inodes' pages), the filesystems' own caches (free_cached), then the coldest clean idle block buffers for what is
 * still wanted; and bdflush is woken so dirty data becomes reclaimable
 * for the next time.  Returns the page cache pages and the buffers'
 * worth of pages freed (slab pages freed by the rest are not counted).
 * Never sleeps.
 */
u64 reclaim_memory(u64 want)
{
	u64 freed = filemap_shrink(want), nr;

	if (freed >= want)
		return freed;
	nr = want == ~0ULL ? ~0ULL : (want - freed) * 16;
	if (shrink_dcache_lru(nr) + prune_icache_lru(nr) > 0)
		freed += filemap_shrink(want - freed);
	if (freed < want) {
		u64 bytes = 0;

		for_each_mount(free_cached_mount, &bytes);	/* slab: not counted */
	}
	if (freed < want)
		freed += buffer_shrink(want == ~0ULL ? ~0ULL : want - freed);
	wakeup_flusher();
	return freed;
}

/*
 * For a sleeping caller whose allocation failed (fork, exec, a guest
 * fault): writes every dirty buffer, inode and page back, then drops the
 * clean caches, so a retry finds what dirty data held.  May sleep.
 */
void reclaim_writeback(void)
{
	sync_all();
	reclaim_memory(~0ULL);
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
