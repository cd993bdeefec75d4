/*
 * journal.c - the ext3/ext4 journal (jbd2): replayed at mount after a
 * crash, and written while mounted.
 *
 * The journal lives in inode 8 as a circular log of big-endian blocks:
 * a superblock, then transactions, each descriptor blocks (tags naming
 * the home block of each following data block), data blocks, revoke
 * blocks (home blocks whose earlier copies must not be replayed) and a
 * commit block.  Recovery runs jbd2's three passes: scan to the last
 * committed transaction (checksums v2/v3 verified when the journal has
 * them), collect revocations, then copy every logged block that no later
 * transaction revoked to its home.  Afterwards the log is marked empty
 * and the needs_recovery flag cleared, so the mount proceeds on a
 * consistent filesystem.  While mounted read-write, metadata is written
 * through the journal (the second half of this file).
 */
#include "ext2.h"
#include "kernel/page.h"

#define JBD2_MAGIC		0xC03B3998u
#define JBD2_DESCRIPTOR		1
#define JBD2_COMMIT		2
#define JBD2_SB_V1		3
#define JBD2_SB_V2		4
#define JBD2_REVOKE		5
#define JBD2_FLAG_ESCAPE	1
#define JBD2_FLAG_SAME_UUID	2
#define JBD2_FLAG_LAST_TAG	8
#define JBD2_INCOMPAT_REVOKE	0x1
#define JBD2_INCOMPAT_64BIT	0x2
#define JBD2_INCOMPAT_ASYNC	0x4
#define JBD2_INCOMPAT_CSUM_V2	0x8
#define JBD2_INCOMPAT_CSUM_V3	0x10
#define JBD2_INCOMPAT_FAST_COMMIT 0x20
#define JBD2_KNOWN_INCOMPAT	(JBD2_INCOMPAT_REVOKE | JBD2_INCOMPAT_64BIT | JBD2_INCOMPAT_ASYNC | \
				 JBD2_INCOMPAT_CSUM_V2 | JBD2_INCOMPAT_CSUM_V3)
#define JBD2_MAX_REVOKES	65536

struct jsb {			/* the fields of journal_superblock_t we use (big-endian) */
	u32 magic, blocktype, sequence;
	u32 blocksize, maxlen, first;
	u32 s_sequence, s_start, s_errno;
	u32 compat, incompat, ro_compat;
	u8 uuid[16];
};

struct revoke {
	u64 block;
	u32 seq;
};

struct journal {
	struct super_block *sb;
	struct inode *inode;
	struct buffer_head *sbh;	/* the journal superblock */
	u32 bs, first, maxlen, incompat;
	u32 seed;			/* crc32c of the journal uuid */
	struct revoke *revokes;
	u32 nrevokes;
	u32 replayed, bad_csums;
};

static u32 be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static void put_be32(void *p, u32 v)
{
	u8 *b = p;

	b[0] = (u8)(v >> 24);
	b[1] = (u8)(v >> 16);
	b[2] = (u8)(v >> 8);
	b[3] = (u8)v;
}

static bool j_csum(struct journal *j)
{
	return j->incompat & (JBD2_INCOMPAT_CSUM_V2 | JBD2_INCOMPAT_CSUM_V3);
}

/* Journal block n (log position): its buffer, or NULL. */
static struct buffer_head *j_bread(struct journal *j, u32 n)
{
	u64 blk;

	if ((j->maxlen && n >= j->maxlen) || ext2_get_block(j->inode, n, false, &blk) || !blk ||
	    !ext2_block_valid(j->sb, blk))
		return NULL;
	return bread(j->sb->s_bdev, blk, j->bs);
}

static u32 j_next(struct journal *j, u32 n)
{
	return n + 1 >= j->maxlen ? j->first : n + 1;
}

/* Size of one descriptor tag (without the uuid that may follow). */
static unsigned j_tag_bytes(struct journal *j)
{
	unsigned sz;

	if (j->incompat & JBD2_INCOMPAT_CSUM_V3)
		return 16;
	sz = 12 + ((j->incompat & JBD2_INCOMPAT_CSUM_V2) ? 2 : 0);
	return (j->incompat & JBD2_INCOMPAT_64BIT) ? sz : sz - 4;
}

/* True if a descriptor or revoke block's tail checksum is right. */
static bool j_tail_ok(struct journal *j, struct buffer_head *bh)
{
	u32 want, crc;

	if (!j_csum(j))
		return true;
	want = be32(bh->b_data + j->bs - 4);
	put_be32(bh->b_data + j->bs - 4, 0);
	crc = ext2_crc32c(j->seed, bh->b_data, j->bs);
	put_be32(bh->b_data + j->bs - 4, want);
	return crc == want;
}

/* True if a commit block's checksum (v2/v3: crc32c with h_chksum[0] zero) is right. */
static bool j_commit_ok(struct journal *j, struct buffer_head *bh)
{
	u32 want, crc;

	if (!j_csum(j))
		return true;
	want = be32(bh->b_data + 16);
	put_be32(bh->b_data + 16, 0);
	crc = ext2_crc32c(j->seed, bh->b_data, j->bs);
	put_be32(bh->b_data + 16, want);
	return crc == want;
}

struct j_tag {
	u64 block;
	u32 flags, csum;
};

/* Decodes the tag at p. */
static void j_get_tag(struct journal *j, const u8 *p, struct j_tag *t)
{
	t->block = be32(p);
	if (j->incompat & JBD2_INCOMPAT_CSUM_V3) {
		t->flags = be32(p + 4);
		if (j->incompat & JBD2_INCOMPAT_64BIT)
			t->block |= (u64)be32(p + 8) << 32;
		t->csum = be32(p + 12);
		return;
	}
	t->csum = (u32)p[4] << 8 | p[5];
	t->flags = (u32)p[6] << 8 | p[7];
	if (j->incompat & JBD2_INCOMPAT_64BIT)
		t->block |= (u64)be32(p + 8) << 32;
}

/*
 * Walks the tags of descriptor bh; for each calls fn(j, tag, log position
 * of its data block, seq).  Returns the log position after the data, or
 * -EIO for a descriptor that runs past its block.
 */
static long j_for_tags(struct journal *j, struct buffer_head *bh, u32 pos, u32 seq,
		       int (*fn)(struct journal *, const struct j_tag *, u32, u32))
{
	unsigned off = 12, tb = j_tag_bytes(j), end = j->bs - (j_csum(j) ? 4 : 0);
	struct j_tag t;

	for (;;) {
		if (off + tb > end)
			return -EIO;
		j_get_tag(j, (const u8 *)bh->b_data + off, &t);
		off += tb + ((t.flags & JBD2_FLAG_SAME_UUID) ? 0 : 16);
		pos = j_next(j, pos);
		if (fn && fn(j, &t, pos, seq))
			return -EIO;
		if (t.flags & JBD2_FLAG_LAST_TAG)
			return j_next(j, pos);
	}
}

/* Records the revocations of revoke block bh of transaction seq. */
static int j_add_revokes(struct journal *j, struct buffer_head *bh, u32 seq)
{
	unsigned rsz = (j->incompat & JBD2_INCOMPAT_64BIT) ? 8 : 4;
	u32 count = be32(bh->b_data + 12), off;

	if (count > j->bs - (j_csum(j) ? 4 : 0) || count < 16)
		return -EIO;
	for (off = 16; off + rsz <= count; off += rsz) {
		u64 b = be32(bh->b_data + off);
		u32 i;

		if (rsz == 8)
			b = b << 32 | be32(bh->b_data + off + 4);
		for (i = 0; i < j->nrevokes && j->revokes[i].block != b; i++)
			;
		if (i == j->nrevokes) {
			if (j->nrevokes == JBD2_MAX_REVOKES)
				return -ENOMEM;
			j->revokes[j->nrevokes++].block = b;
		}
		if (seq > j->revokes[i].seq || i + 1 == j->nrevokes)
			j->revokes[i].seq = seq;
	}
	return 0;
}

static bool j_revoked(struct journal *j, u64 block, u32 seq)
{
	u32 i;

	for (i = 0; i < j->nrevokes; i++)
		if (j->revokes[i].block == block)
			return j->revokes[i].seq >= seq;
	return false;
}

/* Replays one logged block to its home, unless revoked later or corrupt. */
static int j_replay_tag(struct journal *j, const struct j_tag *t, u32 pos, u32 seq)
{
	struct buffer_head *log, *home;
	u32 crc;

	if (j_revoked(j, t->block, seq))
		return 0;
	if (t->block >= ext2_blocks_count(EXT2_SB(j->sb)))
		return -EIO;
	log = j_bread(j, pos);
	if (!log)
		return -EIO;
	if (j_csum(j)) {
		u32 be_seq;

		put_be32(&be_seq, seq);
		crc = ext2_crc32c(ext2_crc32c(j->seed, &be_seq, 4), log->b_data, j->bs);
		if ((j->incompat & JBD2_INCOMPAT_CSUM_V3 ? crc : crc & 0xffff) != t->csum) {
			printk(KERN_ERR "%s: journal: bad checksum of the copy of block %llu in "
			       "transaction %u: not replayed\n", EXT2_SB(j->sb)->name,
			       (unsigned long long)t->block, seq);
			j->bad_csums++;
			brelse(log);
			return 0;
		}
	}
	home = getblk(j->sb->s_bdev, t->block, j->bs);
	if (home) {
		memcpy(home->b_data, log->b_data, j->bs);
		if (t->flags & JBD2_FLAG_ESCAPE)
			put_be32(home->b_data, JBD2_MAGIC);
		home->b_uptodate = true;
		mark_buffer_dirty(home);
		brelse(home);
		j->replayed++;
	}
	brelse(log);
	return home ? 0 : -ENOMEM;
}

enum { PASS_SCAN, PASS_REVOKE, PASS_REPLAY };

/* One recovery pass from the log start; returns the first uncommitted sequence. */
static long j_pass(struct journal *j, int pass, u32 start, u32 seq, u32 end_seq)
{
	u32 pos = start;

	while (pass == PASS_SCAN || seq < end_seq) {
		struct buffer_head *bh = j_bread(j, pos);
		u32 type;
		long next = j_next(j, pos);

		if (!bh)
			return pass == PASS_SCAN ? (long)seq : -EIO;
		type = be32(bh->b_data + 4);
		if (be32(bh->b_data) != JBD2_MAGIC || be32(bh->b_data + 8) != seq) {
			brelse(bh);
			break;
		}
		if (type == JBD2_DESCRIPTOR) {
			next = (pass == PASS_SCAN && !j_tail_ok(j, bh)) ? -EIO :
			       j_for_tags(j, bh, pos, seq, pass == PASS_REPLAY ? j_replay_tag : NULL);
		} else if (type == JBD2_COMMIT) {
			if (pass == PASS_SCAN && !j_commit_ok(j, bh))
				next = -EIO;
			else
				seq++;
		} else if (type == JBD2_REVOKE) {
			if (pass == PASS_SCAN && !j_tail_ok(j, bh))
				next = -EIO;
			else if (pass == PASS_REVOKE && j_add_revokes(j, bh, seq))
				next = -EIO;
		} else {
			next = -EIO;
		}
		brelse(bh);
		if (next < 0) {
			if (pass == PASS_SCAN)
				break;	/* a torn or corrupt block ends the log */
			return next;
		}
		pos = (u32)next;
	}
	return seq;
}

/* Reads and checks the journal superblock into j. 0 or -EINVAL with a message. */
static int j_load(struct journal *j, struct jsb *js)
{
	const char *name = EXT2_SB(j->sb)->name;
	int i;

	j->sbh = j_bread(j, 0);
	if (!j->sbh) {
		printk(KERN_ERR "%s: cannot mount: cannot read the journal superblock\n", name);
		return -EINVAL;
	}
	for (i = 0; i < 12; i++)
		((u32 *)js)[i] = be32(j->sbh->b_data + 4 * i);
	memcpy(js->uuid, j->sbh->b_data + 0x30, 16);
	if (js->magic != JBD2_MAGIC || (js->blocktype != JBD2_SB_V1 && js->blocktype != JBD2_SB_V2) ||
	    js->blocksize != j->bs || js->first == 0 || js->first >= js->maxlen ||
	    js->maxlen > j->inode->i_size / j->bs) {
		printk(KERN_ERR "%s: cannot mount: bad journal superblock\n", name);
		return -EINVAL;
	}
	j->first = js->first;
	j->maxlen = js->maxlen;
	j->incompat = js->blocktype == JBD2_SB_V2 ? js->incompat : 0;
	j->seed = ext2_crc32c(~0u, js->uuid, 16);
	return 0;
}

/* Marks the log empty after a replay: s_start 0, the next sequence, checksum. */
static int j_mark_empty(struct journal *j, u32 next_seq)
{
	u8 *b = (u8 *)j->sbh->b_data;

	put_be32(b + 0x18, next_seq);
	put_be32(b + 0x1c, 0);
	if (j_csum(j)) {
		put_be32(b + 0xfc, 0);
		put_be32(b + 0xfc, ext2_crc32c(~0u, b, 1024));
	}
	mark_buffer_dirty(j->sbh);
	return sync_blockdev(j->sb->s_bdev);
}

/* Runs the three passes over a journal that needs recovery. */
static int j_recover(struct journal *j, struct jsb *js)
{
	const char *name = EXT2_SB(j->sb)->name;
	long end;
	int err;

	if (j->incompat & ~JBD2_KNOWN_INCOMPAT) {
		printk(KERN_ERR "%s: cannot mount: the journal needs recovery and has unknown "
		       "features 0x%x\n", name, j->incompat & ~JBD2_KNOWN_INCOMPAT);
		return -EINVAL;
	}
	end = j_pass(j, PASS_SCAN, js->s_start, js->s_sequence, 0);
	j->revokes = kcalloc(JBD2_MAX_REVOKES, sizeof(*j->revokes));
	if (!j->revokes)
		return -ENOMEM;
	err = (int)j_pass(j, PASS_REVOKE, js->s_start, js->s_sequence, (u32)end);
	if (err >= 0)
		err = (int)j_pass(j, PASS_REPLAY, js->s_start, js->s_sequence, (u32)end);
	if (err < 0) {
		printk(KERN_ERR "%s: cannot mount: journal replay failed (%d)\n", name, err);
		return -EIO;
	}
	err = sync_blockdev(j->sb->s_bdev);
	if (err)
		return err;
	if ((u32)end == js->s_sequence)
		printk(KERN_INFO "%s: journal recovered: no committed transaction to replay\n",
		       name);
	else
		printk(KERN_INFO "%s: journal recovered: transactions %u-%u, %u blocks "
		       "replayed%s\n", name, js->s_sequence, (u32)end - 1, j->replayed,
		       j->bad_csums ? ", some blocks skipped (bad checksums)" : "");
	return j_mark_empty(j, (u32)end);
}

/* Clears needs_recovery in the on-disk superblock (which the replay may have rewritten). */
static int j_clear_recover_flag(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *bh = bread(sb->s_bdev, sbi->blocksize == 1024 ? 1 : 0, sbi->blocksize);
	struct ext2_super_block *es;

	if (!bh)
		return -EIO;
	es = (struct ext2_super_block *)(bh->b_data + (sbi->blocksize == 1024 ? 0 : 1024));
	es->s_feature_incompat &= ~EXT3_FEATURE_INCOMPAT_RECOVER;
	if (es->s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_METADATA_CSUM)
		es->s_checksum = ext2_sb_csum(es);
	mark_buffer_dirty(bh);
	brelse(bh);
	return sync_blockdev(sb->s_bdev);
}

/*
 * Checks the journal of a mounted-to-be filesystem and replays it if it
 * needs recovery.  Returns 0 (nothing to do), 1 (replayed: the caller
 * must read the superblock and descriptors again) or -errno.  Needs the
 * group descriptors and s_op (it reads inode 8). May sleep.
 */
int ext2_journal_check(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct journal j = { .sb = sb, .bs = sbi->blocksize };
	bool recover = sbi->es.s_feature_incompat & EXT3_FEATURE_INCOMPAT_RECOVER;
	struct jsb js;
	int err;

	if (!(sbi->es.s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL))
		return recover ? -EINVAL : 0;
	if (sbi->es.s_journal_inum != EXT2_JOURNAL_INO) {
		printk(KERN_ERR "%s: cannot mount: external or unusual journal (inode %u)\n",
		       sbi->name, sbi->es.s_journal_inum);
		return -EINVAL;
	}
	j.inode = iget(sb, EXT2_JOURNAL_INO);
	if (IS_ERR(j.inode)) {
		printk(KERN_ERR "%s: cannot mount: cannot read the journal inode\n", sbi->name);
		return -EINVAL;
	}
	err = j_load(&j, &js);
	if (!err && (recover || js.s_start)) {
		if (sb->s_bdev->read_only) {
			printk(KERN_ERR "%s: cannot mount: the journal needs recovery and the device "
			       "is read-only\n", sbi->name);
			err = -EROFS;
		} else {
			err = j_recover(&j, &js) ?: j_clear_recover_flag(sb) ?: 1;
		}
	}
	kfree(j.revokes);
	brelse(j.sbh);
	iput(j.inode);
	return err;
}

/*
 * Journalled writes.  Metadata changes go to a running transaction
 * instead of straight to the disk: ext2_dirty_meta() keeps the buffer
 * referenced and clean in the cache (so no writeback can put it home
 * early) and lists it.  A commit (sync, fsync, the 5 s flush, umount, or
 * an operation starting when the transaction is big) then, holding the
 * filesystem lock so no operation is half done:
 *   1. writes the data and every block not yet referenced by committed
 *      metadata (ordered mode), the descriptor blocks and copies of the
 *      listed buffers into the log after the previous transaction (a
 *      circular log, as jbd2's), and flushes the disk;
 *   2. writes the commit block and the journal superblock (log start:
 *      this transaction), flushes: the transaction is durable;
 *   3. checkpoints: writes the listed buffers home, without a flush.
 * Two flushes a commit, as jbd2's preflush + FUA commit.  The home writes
 * of step 3 become durable with the next commit's first flush (or any
 * sync); until then the log start on disk still names that transaction,
 * so a crash replays it (the same bytes again).  The next transaction's
 * log goes after it and never over it: when the log has no room left
 * before that still-needed transaction, a flush first makes its home
 * writes durable.  An idle commit after one marks the log empty (a flush,
 * the superblock, a flush), so a clean unmount leaves s_start 0.
 * A crash before 2 leaves the old metadata untouched on disk; after 2,
 * the next mount replays the transaction.  Blocks freed in a transaction
 * are not reused before it commits (balloc.c's busy maps), so committed
 * metadata never points at blocks that new data overwrote.
 */
struct jtrans {
	struct journal j;		/* the log: inode, geometry, features */
	u64 *map;			/* log position -> disk block */
	struct buffer_head **bh;	/* the transaction's metadata buffers */
	u32 n, cap, seq;
	u32 head;			/* log position where the next transaction goes */
	u32 live_start;			/* while live: where the last committed one starts */
	bool live;			/* its home writes are not known durable yet */
	u8 uuid[16];
	bool warned;
};

static struct jtrans *jt_of(struct super_block *sb)
{
	return EXT2_SB(sb)->journal;
}

/* True if buffer bh is in the running transaction. */
static bool jt_has(struct jtrans *t, struct buffer_head *bh)
{
	u32 i;

	for (i = t->n; i-- > 0; )
		if (t->bh[i] == bh)
			return true;
	return false;
}

/*
 * Records that metadata buffer bh changed: into the running transaction
 * when journalling, else marked dirty for writeback.  True when bh is in
 * the running transaction: pinned in the cache, clean, and copied into
 * the log only at the commit.
 */
bool ext2_dirty_meta_pinned(struct super_block *sb, struct buffer_head *bh)
{
	struct jtrans *t = jt_of(sb);

	if (!t) {
		mark_buffer_dirty(bh);
		return false;
	}
	bh->b_uptodate = true;
	bh->b_verified = 0;	/* changed: as mark_buffer_dirty */
	if (jt_has(t, bh))
		return true;
	if (t->n == t->cap) {
		if (!t->warned)
			printk(KERN_WARNING "%s: journal transaction full: some metadata "
			       "written unjournalled\n", EXT2_SB(sb)->name);
		t->warned = true;
		mark_buffer_dirty(bh);
		return false;
	}
	bh->b_count++;		/* pinned until the checkpoint */
	t->bh[t->n++] = bh;
	return true;
}

void ext2_dirty_meta(struct super_block *sb, struct buffer_head *bh)
{
	ext2_dirty_meta_pinned(sb, bh);
}

/*
 * Metadata block `block`, read to be changed (then ext2_dirty_meta): a
 * reference or NULL.  Without a journal a write-back in flight on it is
 * not waited for: the change re-dirties the buffer, which goes out again
 * (Linux's ext2 changes an indirect block or a bitmap under write-back
 * as well; a 32-bit slot or a bitmap byte is written whole, old or new).
 * With one, the journal counts on the bytes of a write it started (a
 * checkpoint, an overflow written unjournalled) staying as they were:
 * the change waits for it, as jbd2 locks the buffer.  May sleep.
 */
struct buffer_head *ext2_bread_meta(struct super_block *sb, u64 block)
{
	if (jt_of(sb))
		return bread(sb->s_bdev, block, sb->s_blocksize);
	return bread_shared(sb->s_bdev, block, sb->s_blocksize);
}

/* True if the running transaction holds changes. */
bool ext2_journal_pending(struct super_block *sb)
{
	return jt_of(sb) && jt_of(sb)->n;
}

/* True if the running transaction should commit before the next operation. */
bool ext2_journal_full(struct super_block *sb)
{
	struct jtrans *t = jt_of(sb);

	return t && t->n >= t->cap / 2;
}

/* Copies of this many buffers fit in one descriptor block. */
static u32 jt_per_desc(struct jtrans *t)
{
	return (t->j.bs - 12 - (j_csum(&t->j) ? 4 : 0) - 16) / j_tag_bytes(&t->j);
}

/* A log block's buffer, zeroed (a reference), or NULL. */
static struct buffer_head *jt_logblk(struct jtrans *t, u32 pos)
{
	struct buffer_head *bh = getblk(t->j.sb->s_bdev, t->map[pos], t->j.bs);

	if (bh) {
		memset(bh->b_data, 0, t->j.bs);
		bh->b_uptodate = true;
	}
	return bh;
}

static void jt_header(u8 *b, u32 type, u32 seq)
{
	put_be32(b, JBD2_MAGIC);
	put_be32(b + 4, type);
	put_be32(b + 8, seq);
}

/* Writes tag i of the descriptor at off; returns the offset after it. */
static unsigned jt_put_tag(struct jtrans *t, u8 *d, unsigned off, u64 block, u32 flags,
			   u32 csum)
{
	if (t->j.incompat & JBD2_INCOMPAT_CSUM_V3) {
		put_be32(d + off, (u32)block);
		put_be32(d + off + 4, flags);
		put_be32(d + off + 8, (u32)(block >> 32));
		put_be32(d + off + 12, csum);
	} else {
		put_be32(d + off, (u32)block);
		d[off + 4] = (u8)(csum >> 8);
		d[off + 5] = (u8)csum;
		d[off + 6] = (u8)(flags >> 8);
		d[off + 7] = (u8)flags;
		if (t->j.incompat & JBD2_INCOMPAT_64BIT)
			put_be32(d + off + 8, (u32)(block >> 32));
	}
	off += j_tag_bytes(&t->j);
	if (!(flags & JBD2_FLAG_SAME_UUID)) {
		memcpy(d + off, t->uuid, 16);
		off += 16;
	}
	return off;
}

/* Copies buffer src into log position pos (escaped); returns its tag checksum. */
static int jt_copy(struct jtrans *t, struct buffer_head *src, u32 pos, u32 *flags, u32 *csum)
{
	struct buffer_head *lb = jt_logblk(t, pos);
	u32 be_seq;

	if (!lb)
		return -ENOMEM;
	memcpy(lb->b_data, src->b_data, t->j.bs);
	if (be32(lb->b_data) == JBD2_MAGIC) {
		put_be32(lb->b_data, 0);
		*flags |= JBD2_FLAG_ESCAPE;
	}
	put_be32(&be_seq, t->seq);
	*csum = ext2_crc32c(ext2_crc32c(t->j.seed, &be_seq, 4), lb->b_data, t->j.bs);
	if (!(t->j.incompat & JBD2_INCOMPAT_CSUM_V3))
		*csum = j_csum(&t->j) ? *csum & 0xffff : 0;
	mark_buffer_dirty(lb);
	brelse(lb);
	return 0;
}

/* Writes descriptors and copies from log position start on (wrapping
 * as the log does): the position after them. */
static long jt_write_log(struct jtrans *t, u32 start)
{
	u32 pos = start, i = 0, per = jt_per_desc(t);

	while (i < t->n) {
		struct buffer_head *db = jt_logblk(t, pos);
		u8 *d;
		unsigned off = 12;
		u32 k;

		if (!db)
			return -ENOMEM;
		pos = j_next(&t->j, pos);
		d = (u8 *)db->b_data;
		jt_header(d, JBD2_DESCRIPTOR, t->seq);
		for (k = 0; k < per && i < t->n; k++, i++) {
			u32 flags = (k ? JBD2_FLAG_SAME_UUID : 0) |
				    (k + 1 == per || i + 1 == t->n ? JBD2_FLAG_LAST_TAG : 0);
			u32 csum;
			int err = jt_copy(t, t->bh[i], pos, &flags, &csum);

			pos = j_next(&t->j, pos);

			if (err) {
				brelse(db);
				return err;
			}
			off = jt_put_tag(t, d, off, t->bh[i]->b_blocknr, flags, csum);
		}
		if (j_csum(&t->j))
			put_be32(d + t->j.bs - 4, ext2_crc32c(t->j.seed, d, t->j.bs));
		mark_buffer_dirty(db);
		brelse(db);
	}
	return pos;
}

/* Writes the commit block at pos. */
static int jt_write_commit(struct jtrans *t, u32 pos)
{
	struct buffer_head *cb = jt_logblk(t, pos);
	struct ktimespec now = current_time();
	u8 *c;

	if (!cb)
		return -ENOMEM;
	c = (u8 *)cb->b_data;
	jt_header(c, JBD2_COMMIT, t->seq);
	put_be32(c + 48, (u32)((u64)now.sec >> 32));
	put_be32(c + 52, (u32)now.sec);
	put_be32(c + 56, (u32)now.nsec);
	if (j_csum(&t->j)) {
		c[12] = 4;	/* crc32c */
		c[13] = 4;
		put_be32(c + 16, ext2_crc32c(t->j.seed, c, t->j.bs));
	}
	mark_buffer_dirty(cb);
	brelse(cb);
	return 0;
}

/* Sets the journal superblock's log start and sequence (and checksum). */
static void jt_set_start(struct jtrans *t, u32 start, u32 seq)
{
	u8 *b = (u8 *)t->j.sbh->b_data;

	put_be32(b + 0x18, seq);
	put_be32(b + 0x1c, start);
	if (j_csum(&t->j)) {
		put_be32(b + 0xfc, 0);
		put_be32(b + 0xfc, ext2_crc32c(~0u, b, 1024));
	}
	mark_buffer_dirty(t->j.sbh);
}

/* Puts the transaction's buffers home: written now, durable at the next
 * flush.  Written before the filesystem lock goes, so no later change (of
 * the next transaction) can reach home with them. */
static int jt_checkpoint(struct jtrans *t)
{
	u32 i;

	for (i = 0; i < t->n; i++) {
		u8 verified = t->bh[i]->b_verified;

		mark_buffer_dirty(t->bh[i]);
		t->bh[i]->b_verified = verified;	/* queued, not changed: still what was checked */
		brelse(t->bh[i]);
	}
	t->n = 0;
	return write_dirty_buffers(t->j.sb->s_bdev);
}

/* Log blocks free from the head on without reaching the transaction
 * whose home writes may not be durable yet. */
static u32 jt_room(struct jtrans *t)
{
	u32 len = t->j.maxlen - t->j.first;

	if (!t->live)
		return len;
	return (t->live_start + len - t->head) % len;
}

/*
 * Commits the running transaction (steps 1-3 above).  Caller holds the
 * filesystem lock, with every dirty inode already in its buffer.
 * Returns 0 or -errno. May sleep.
 */
int ext2_journal_commit(struct super_block *sb)
{
	struct jtrans *t = jt_of(sb);
	struct block_device *bdev = sb->s_bdev;
	u32 start, need;
	long end;
	int err;

	if (!t)
		return sync_blockdev(bdev);
	if (!t->n) {
		/* Data only.  After a commit, its home writes are made
		 * durable and the log marked empty. */
		err = sync_blockdev(bdev);
		if (err || !t->live)
			return err;
		t->live = false;
		jt_set_start(t, 0, t->seq);
		return sync_blockdev(bdev);
	}
	need = t->n + DIV_ROUND_UP(t->n, jt_per_desc(t)) + 1;
	if (need > jt_room(t)) {
		err = sync_blockdev(bdev);	/* the last one's home writes: its log is free */
		if (err)
			return err;
		t->live = false;
	}
	start = t->head;
	end = jt_write_log(t, start);			/* 1: data and the log */
	if (end < 0)
		return (int)end;
	err = sync_blockdev(bdev);
	if (err)
		return err;
	t->live = false;		/* the last one's checkpoint is durable too */
	err = jt_write_commit(t, (u32)end);		/* 2: committed */
	if (err)
		return err;
	jt_set_start(t, start, t->seq);
	err = sync_blockdev(bdev);
	if (err)
		return err;
	t->live = true;
	t->live_start = start;
	t->head = j_next(&t->j, (u32)end);
	t->seq++;
	err = jt_checkpoint(t);				/* 3: home */
	ext2_busy_clear(sb);
	return err;
}

/* Sets up the journal superblock for writing: features our log uses. */
static void jt_set_features(struct jtrans *t)
{
	struct ext2_sb_info *sbi = EXT2_SB(t->j.sb);
	u8 *b = (u8 *)t->j.sbh->b_data;

	if (sbi->is64)
		t->j.incompat |= JBD2_INCOMPAT_64BIT;
	if (sbi->metadata_csum) {
		t->j.incompat = (t->j.incompat | JBD2_INCOMPAT_CSUM_V3) & ~JBD2_INCOMPAT_CSUM_V2;
		b[0x50] = 4;	/* crc32c */
	}
	put_be32(b + 0x28, t->j.incompat);
	put_be32(b + 0x20, 0);	/* s_errno */
}

static int jt_map(struct jtrans *t)
{
	u32 i;

	t->map = kcalloc(t->j.maxlen, sizeof(*t->map));
	if (!t->map)
		return -ENOMEM;
	for (i = 0; i < t->j.maxlen; i++) {
		if (ext2_get_block(t->j.inode, i, false, &t->map[i]) || !t->map[i] ||
		    !ext2_block_valid(t->j.sb, t->map[i]))
			return -EIO;
	}
	return 0;
}

/* Frees t and what it holds. */
static void jt_free(struct jtrans *t)
{
	if (!t)
		return;
	kfree(t->map);
	kfree(t->bh);
	brelse(t->j.sbh);
	iput(t->j.inode);
	kfree(t);
}

/*
 * Starts journalling a read-write mount with a (clean) v2 journal: 0, or
 * -errno with the mount going on unjournalled (the caller says so).
 * Sets needs_recovery in the in-memory superblock. May sleep.
 */
int ext2_journal_start(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct jtrans *t;
	struct jsb js;
	int err;

	if (sb->s_rdonly || !(sbi->es.s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL))
		return 0;
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->j.sb = sb;
	t->j.bs = sbi->blocksize;
	t->j.inode = iget(sb, EXT2_JOURNAL_INO);
	err = IS_ERR(t->j.inode) ? (int)PTR_ERR(t->j.inode) : 0;
	if (err)
		t->j.inode = NULL;
	err = err ?: j_load(&t->j, &js);
	if (!err && (js.blocktype != JBD2_SB_V2 || js.s_start ||
		     (t->j.incompat & ~JBD2_KNOWN_INCOMPAT)))
		err = -EINVAL;
	err = err ?: jt_map(t);
	if (err)
		goto out;
	memcpy(t->uuid, js.uuid, 16);
	t->seq = js.s_sequence;
	jt_set_features(t);
	t->cap = (t->j.maxlen - t->j.first - 2) * jt_per_desc(t) / (jt_per_desc(t) + 1);
	t->bh = kcalloc(t->cap, sizeof(*t->bh));
	if (!t->bh) {
		err = -ENOMEM;
		goto out;
	}
	jt_set_start(t, 0, t->seq);
	t->head = t->j.first;
	sbi->journal = t;
	sbi->es.s_feature_incompat |= EXT3_FEATURE_INCOMPAT_RECOVER;
	return 0;
out:
	jt_free(t);
	return err;
}

/*
 * Ends journalling at unmount: commits what is left, clears needs_recovery
 * in the in-memory superblock. Caller holds the lock. May sleep.
 */
int ext2_journal_stop(struct super_block *sb)
{
	struct jtrans *t = jt_of(sb);
	int err;

	if (!t)
		return 0;
	/* The last transaction, then (nothing pending) its checkpoint made
	 * durable and the log marked empty. */
	err = ext2_journal_commit(sb);
	if (!err)
		err = ext2_journal_commit(sb);
	if (t->n) {		/* the commit failed: put the rest home anyway */
		jt_checkpoint(t);
		sync_blockdev(sb->s_bdev);
	}
	jt_free(t);
	EXT2_SB(sb)->journal = NULL;
	if (!err)
		EXT2_SB(sb)->es.s_feature_incompat &= ~EXT3_FEATURE_INCOMPAT_RECOVER;
	return err;
}
