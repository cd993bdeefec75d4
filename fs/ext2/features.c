/*
 * features.c - the names of ext2/3/4 feature bits, for messages.
 *
 * The names are those e2fsprogs (mke2fs -O, dumpe2fs) uses, so a user
 * can look up what a refused image needs.
 */
#include "kernel/kernel.h"
#include "ext2.h"

struct feature_name {
	u32 bit;
	const char *name;
};

static const struct feature_name incompat_names[] = {
	{ 0x0001, "compression" }, { 0x0002, "filetype" }, { 0x0004, "needs_recovery" },
	{ 0x0008, "journal_dev" }, { 0x0010, "meta_bg" }, { 0x0040, "extent" },
	{ 0x0080, "64bit" }, { 0x0100, "mmp" }, { 0x0200, "flex_bg" },
	{ 0x0400, "ea_inode" }, { 0x1000, "dirdata" }, { 0x2000, "metadata_csum_seed" },
	{ 0x4000, "large_dir" }, { 0x8000, "inline_data" }, { 0x10000, "encrypt" },
	{ 0x20000, "casefold" },
};

static const struct feature_name ro_compat_names[] = {
	{ 0x0001, "sparse_super" }, { 0x0002, "large_file" }, { 0x0004, "btree_dir" },
	{ 0x0008, "huge_file" }, { 0x0010, "uninit_bg" }, { 0x0020, "dir_nlink" },
	{ 0x0040, "extra_isize" }, { 0x0080, "snapshot" }, { 0x0100, "quota" },
	{ 0x0200, "bigalloc" }, { 0x0400, "metadata_csum" }, { 0x0800, "replica" },
	{ 0x1000, "read-only" }, { 0x2000, "project" }, { 0x4000, "shared_blocks" },
	{ 0x8000, "verity" }, { 0x10000, "orphan_present" },
};

/*
 * Writes the names of the bits of mask ("extent 64bit"), unknown ones as
 * hex, into buf.  ro_compat picks the table.  Returns buf.
 */
const char *ext2_feature_names(char *buf, size_t len, u32 mask, bool ro_compat)
{
	const struct feature_name *t = ro_compat ? ro_compat_names : incompat_names;
	size_t n = ro_compat ? ARRAY_SIZE(ro_compat_names) : ARRAY_SIZE(incompat_names);
	size_t used = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n && used < len; i++) {
		if (!(mask & t[i].bit))
			continue;
		mask &= ~t[i].bit;
		used += ksnprintf(buf + used, len - used, "%s%s", used ? " " : "", t[i].name);
	}
	if (mask && used < len)
		ksnprintf(buf + used, len - used, "%sunknown 0x%x", used ? " " : "", mask);
	return buf;
}
