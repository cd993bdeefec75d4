/*
 * csum.c - ext4 metadata checksums (metadata_csum: crc32c; uninit_bg:
 * crc16 of the descriptors), as the ext4 disk layout defines them.
 *
 * Every checksum starts from a per-filesystem seed, crc32c of the uuid
 * (or s_checksum_seed with csum_seed); per-inode metadata (the inode,
 * extent blocks, directory blocks) starts from the inode's seed, the fs
 * seed extended with the inode number and generation.  crc32c here is the
 * raw update (no inversion before or after), as ext4 uses it.
 */
#include "ext2.h"

static u32 crc32c_table[256];
static u16 crc16_table[256];

static void ext2_csum_tables(void)
{
	u32 i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (c & 1 ? 0x82F63B78u : 0);
		crc32c_table[i] = c;
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (c & 1 ? 0xA001u : 0);
		crc16_table[i] = (u16)c;
	}
}

/* crc32c (Castagnoli) of buf continued from crc, without inversions: a
 * byte at a time from the table (any CPU). */
u32 ext2_crc32c_sw(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	if (!crc32c_table[1])
		ext2_csum_tables();
	while (len--)
		crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

/*
 * The same with SSE4.2's crc32 instruction (the Castagnoli polynomial,
 * reflected, no inversion: the same update as the table), 8 bytes a step:
 * about 20 times the table's speed.  A block bitmap's checksum is taken on
 * every allocation, so this is on the write path of every ext4 file.
 */
__attribute__((target("sse4.2"))) static u32 crc32c_hw(u32 crc, const u8 *p, size_t len)
{
	u64 c = crc;

	for (; len && ((uintptr_t)p & 7); len--)
		c = __builtin_ia32_crc32qi((u32)c, *p++);
	for (; len >= 8; len -= 8, p += 8) {
		u64 w;

		__builtin_memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
	}
	for (; len; len--)
		c = __builtin_ia32_crc32qi((u32)c, *p++);
	return (u32)c;
}

/* CPUID leaf 1, ECX bit 20: SSE4.2 (and so the crc32 instruction). */
static bool has_crc32_insn(void)
{
	static int known = -1;

	if (known < 0) {
		unsigned int a = 0, b, c, d;

		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
		known = 0;
		if (a >= 1) {
			a = 1;
			c = 0;
			__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
			known = (c >> 20) & 1;
		}
	}
	return known;
}

/* crc32c of buf continued from crc, without inversions: the instruction
 * where the CPU has it, else the table. */
u32 ext2_crc32c(u32 crc, const void *buf, size_t len)
{
	if (has_crc32_insn())
		return crc32c_hw(crc, buf, len);
	return ext2_crc32c_sw(crc, buf, len);
}

/* The CRC-16 (polynomial 0x8005, reflected) of buf continued from crc. */
u16 ext2_crc16(u16 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	if (!crc32c_table[1])
		ext2_csum_tables();
	while (len--)
		crc = (u16)(crc16_table[(crc ^ *p++) & 0xff] ^ (crc >> 8));
	return crc;
}

/* The superblock's checksum (s_checksum). */
u32 ext2_sb_csum(const struct ext2_super_block *es)
{
	return ext2_crc32c(~0u, es, __builtin_offsetof(struct ext2_super_block, s_checksum));
}

/* The checksum of group's descriptor (bg_checksum), crc32c or crc16. */
u16 ext2_gd_csum(struct super_block *sb, u32 group, const struct ext2_group_desc *gd)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	const unsigned off = __builtin_offsetof(struct ext2_group_desc, bg_checksum);
	const u8 *p = (const u8 *)gd;
	u16 zero = 0, crc16;
	u32 crc;

	if (sbi->metadata_csum) {
		crc = ext2_crc32c(sbi->csum_seed, &group, 4);
		crc = ext2_crc32c(crc, p, off);
		crc = ext2_crc32c(crc, &zero, 2);
		crc = ext2_crc32c(crc, p + off + 2, sbi->desc_size - off - 2);
		return (u16)crc;
	}
	crc16 = ext2_crc16(0xffff, sbi->es.s_uuid, 16);
	crc16 = ext2_crc16(crc16, &group, 4);
	crc16 = ext2_crc16(crc16, p, off);
	return ext2_crc16(crc16, p + off + 2, sbi->desc_size - off - 2);
}

/* The checksum of a bitmap of bytes bytes. */
u32 ext2_bitmap_csum(struct super_block *sb, const u8 *map, u32 bytes)
{
	return ext2_crc32c(EXT2_SB(sb)->csum_seed, map, bytes);
}

/* The seed of inode ino's metadata checksums. */
u32 ext2_inode_seed(struct super_block *sb, u32 ino, u32 generation)
{
	u32 crc = ext2_crc32c(EXT2_SB(sb)->csum_seed, &ino, 4);

	return ext2_crc32c(crc, &generation, 4);
}

/* True if the raw inode has room for i_checksum_hi. */
static bool ext2_has_csum_hi(struct super_block *sb, const u8 *raw)
{
	const struct ext2_inode *ri = (const struct ext2_inode *)raw;

	return EXT2_SB(sb)->inode_size > EXT2_GOOD_OLD_INODE_SIZE &&
	       ri->i_extra_isize >= EXT2_INODE_FIELD_END(i_checksum_hi);
}

/* The crc32c of the raw on-disk inode (inode_size bytes), checksum fields as zero. */
u32 ext2_inode_csum(struct super_block *sb, u32 seed, const u8 *raw)
{
	unsigned lo = __builtin_offsetof(struct ext2_inode, i_checksum_lo);
	unsigned hi = __builtin_offsetof(struct ext2_inode, i_checksum_hi);
	unsigned size = EXT2_SB(sb)->inode_size;
	u16 zero = 0;
	u32 crc;

	crc = ext2_crc32c(seed, raw, lo);
	crc = ext2_crc32c(crc, &zero, 2);
	crc = ext2_crc32c(crc, raw + lo + 2, EXT2_GOOD_OLD_INODE_SIZE - lo - 2);
	if (size <= EXT2_GOOD_OLD_INODE_SIZE)
		return crc;
	crc = ext2_crc32c(crc, raw + EXT2_GOOD_OLD_INODE_SIZE, hi - EXT2_GOOD_OLD_INODE_SIZE);
	if (ext2_has_csum_hi(sb, raw)) {
		crc = ext2_crc32c(crc, &zero, 2);
		hi += 2;
	}
	return ext2_crc32c(crc, raw + hi, size - hi);
}

/* True if inode ino's raw checksum is right (or checksums are off). */
bool ext2_inode_csum_ok(struct super_block *sb, u32 ino, const u8 *raw)
{
	const struct ext2_inode *ri = (const struct ext2_inode *)raw;
	u32 crc, want;

	if (!EXT2_SB(sb)->metadata_csum)
		return true;
	crc = ext2_inode_csum(sb, ext2_inode_seed(sb, ino, ri->i_generation), raw);
	want = ri->i_checksum_lo;
	if (ext2_has_csum_hi(sb, raw))
		want |= (u32)ri->i_checksum_hi << 16;
	else
		crc &= 0xffff;
	return crc == want;
}

/* Stores the raw inode's checksum. */
void ext2_inode_csum_set(struct super_block *sb, u32 seed, u8 *raw)
{
	struct ext2_inode *ri = (struct ext2_inode *)raw;
	u32 crc;

	if (!EXT2_SB(sb)->metadata_csum)
		return;
	crc = ext2_inode_csum(sb, seed, raw);
	ri->i_checksum_lo = (u16)crc;
	if (ext2_has_csum_hi(sb, raw))
		ri->i_checksum_hi = (u16)(crc >> 16);
}

/* Where an extent block's checksum lives (after eh_max entries), or 0. */
static unsigned ext2_ext_tail(struct inode *inode, struct buffer_head *bh)
{
	const struct ext4_extent_header *eh = (const void *)bh->b_data;
	unsigned off = sizeof(*eh) + eh->eh_max * 12u;

	return off + 4 <= inode->i_sb->s_blocksize ? off : 0;
}

/* Stores the checksum of extent tree block bh of inode. */
void ext2_block_csum_set(struct inode *inode, struct buffer_head *bh)
{
	unsigned off;

	if (!EXT2_SB(inode->i_sb)->metadata_csum)
		return;
	off = ext2_ext_tail(inode, bh);
	if (off)
		*(u32 *)(bh->b_data + off) = ext2_crc32c(EXT2_I(inode)->csum_seed, bh->b_data, off);
}

/* Verifies extent tree block bh of inode: 0 or -EIO with a message. */
int ext2_block_csum_check(struct inode *inode, struct buffer_head *bh, const char *what)
{
	unsigned off;

	if (!EXT2_SB(inode->i_sb)->metadata_csum)
		return 0;
	off = ext2_ext_tail(inode, bh);
	if (!off || *(u32 *)(bh->b_data + off) !=
		    ext2_crc32c(EXT2_I(inode)->csum_seed, bh->b_data, off)) {
		printk(KERN_ERR "ext4: %s block %llu of inode %llu: bad checksum\n", what,
		       (unsigned long long)bh->b_blocknr, (unsigned long long)inode->i_ino);
		return ext2_error(inode->i_sb, "checksum error in inode", inode->i_ino);
	}
	return 0;
}

static struct ext4_dir_tail *ext2_dir_tail(struct inode *dir, struct buffer_head *bh)
{
	return (struct ext4_dir_tail *)(bh->b_data + dir->i_sb->s_blocksize - EXT4_DIR_TAIL_LEN);
}

/* Writes the tail entry and checksum of directory leaf block bh. */
void ext2_dirblock_csum_set(struct inode *dir, struct buffer_head *bh)
{
	struct ext4_dir_tail *t;

	if (!EXT2_SB(dir->i_sb)->metadata_csum)
		return;
	t = ext2_dir_tail(dir, bh);
	memset(t, 0, sizeof(*t));
	t->det_rec_len = EXT4_DIR_TAIL_LEN;
	t->det_reserved_ft = EXT4_FT_DIR_CSUM;
	t->det_checksum = ext2_crc32c(EXT2_I(dir)->csum_seed, bh->b_data,
				      dir->i_sb->s_blocksize - EXT4_DIR_TAIL_LEN);
}

/* Verifies directory leaf block bh: 0, or -EIO with a message. */
int ext2_dirblock_csum_check(struct inode *dir, struct buffer_head *bh)
{
	struct ext4_dir_tail *t;

	if (!EXT2_SB(dir->i_sb)->metadata_csum)
		return 0;
	t = ext2_dir_tail(dir, bh);
	if (t->det_reserved_zero1 || t->det_rec_len != EXT4_DIR_TAIL_LEN ||
	    t->det_reserved_ft != EXT4_FT_DIR_CSUM ||
	    t->det_checksum != ext2_crc32c(EXT2_I(dir)->csum_seed, bh->b_data,
					   dir->i_sb->s_blocksize - EXT4_DIR_TAIL_LEN)) {
		printk(KERN_ERR "ext4: directory block %llu of inode %llu: bad checksum\n",
		       (unsigned long long)bh->b_blocknr, (unsigned long long)dir->i_ino);
		return ext2_error(dir->i_sb, "checksum error in directory", dir->i_ino);
	}
	return 0;
}
