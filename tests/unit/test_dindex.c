/* unit-sources: fs/ext2/dindex.c */
/*
 * test_dindex.c - the name index of linear ext2 directories
 * (fs/ext2/dindex.c) against a plain model: random adds and deletes of
 * (hash, block) pairs with many equal hashes, growth through rehashes
 * full of tombstones, the candidate blocks of a hash exactly those the
 * model holds (with their multiplicity), the per-block room and the first
 * block with room, an allocation failure at every step leaving the table
 * as it was.
 */
#include "../../fs/ext2/dindex.h"

int printf(const char *fmt, ...);
void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void free(void *p);

static int fail_after = -1;	/* allocations left before one fails; -1: never */

static bool alloc_fails(void)
{
	if (fail_after < 0)
		return false;
	return fail_after-- == 0;
}

void *kmalloc(size_t n) { return alloc_fails() ? NULL : malloc(n ? n : 1); }
void *kzalloc(size_t n) { return alloc_fails() ? NULL : calloc(1, n ? n : 1); }
void *kcalloc(size_t n, size_t m) { return alloc_fails() ? NULL : calloc(n ? n : 1, m ? m : 1); }
void kfree(const void *p) { free((void *)p); }

static int tests, failures;

static void check(bool ok, const char *what)
{
	tests++;
	if (ok)
		printf("ok %d %s\n", tests, what);
	else {
		failures++;
		printf("not ok %d %s\n", tests, what);
	}
}

#define NB	300		/* blocks */
#define NE	60000		/* model entries at most (the random phase stops adding at 20,000) */

static struct { u32 hash, lblk; bool live; } model[NE];
static int nmodel;
static u32 rnd = 12345;

static u32 next_rand(void)
{
	rnd = rnd * 1103515245u + 12345u;
	return rnd >> 8;
}

/* How many live model entries have hash in block lblk. */
static int model_count(u32 hash, u32 lblk)
{
	int n = 0;

	for (int i = 0; i < nmodel; i++)
		n += model[i].live && model[i].hash == hash && model[i].lblk == lblk;
	return n;
}

/* The index's candidates for hash agree with the model, block by block. */
static bool same_candidates(const struct dindex *x, u32 hash)
{
	int got[NB] = { 0 };
	u32 pos = 0, b;

	while ((b = dindex_next(x, hash, &pos)) != DINDEX_END) {
		if (b >= NB)
			return false;
		got[b]++;
	}
	for (b = 0; b < NB; b++)
		if (got[b] != model_count(hash, b))
			return false;
	return true;
}

/* How many times the index offers block lblk for hash. */
static u32 count_of(const struct dindex *x, u32 hash, u32 lblk)
{
	u32 pos = 0, b, n = 0;

	while ((b = dindex_next(x, hash, &pos)) != DINDEX_END)
		n += b == lblk;
	return n;
}

int main(void)
{
	struct dindex x;
	int bad = 0, live = 0;

	check(dindex_hash("abc", 3) == dindex_hash("abc", 3) && dindex_hash("abc", 3) != dindex_hash("abd", 3) &&
	      dindex_hash("", 0) != dindex_hash("a", 1), "the hash depends on every byte");
	check(dindex_init(&x, NB) == 0, "init");
	check(dindex_add(&x, 7, NB) == -EINVAL, "a block past the end is refused");
	/* Random adds (hashes from a small set: many collisions) and deletes. */
	for (int step = 0; step < 60000; step++) {
		u32 r = next_rand();

		if (r % 3 != 0 && nmodel < 20000) {
			u32 hash = next_rand() % 500, lblk = next_rand() % NB;

			if (dindex_add(&x, hash, lblk) == 0) {
				model[nmodel].hash = hash;
				model[nmodel].lblk = lblk;
				model[nmodel++].live = true;
				live++;
			} else {
				bad++;
			}
		} else if (nmodel > 0) {
			int i = (int)(next_rand() % (u32)nmodel);

			if (model[i].live) {
				bad += !dindex_del(&x, model[i].hash, model[i].lblk);
				model[i].live = false;
				live--;
			} else {
				/* A deleted pair is gone unless another live one is the same. */
				bool other = model_count(model[i].hash, model[i].lblk) > 0;

				if (!other)
					bad += dindex_del(&x, model[i].hash, model[i].lblk);
			}
		}
		if (step % 997 == 0)
			bad += !same_candidates(&x, next_rand() % 500);
	}
	check(bad == 0, "60,000 random adds and deletes agree with the model");
	check(x.live == (u32)live && 4 * x.used <= 3 * x.cap, "live count exact, at most 3/4 of the slots used");
	bad = 0;
	for (u32 h = 0; h < 500; h++)
		bad += !same_candidates(&x, h);
	check(bad == 0, "every hash's candidate blocks are the model's, with multiplicity");
	check(dindex_next(&x, 100000, &(u32){ 0 }) == DINDEX_END, "an absent hash has no candidate");

	/* Allocation failure while growing: -ENOMEM, the table unchanged and still right. */
	{
		u32 cap = x.cap, used = x.used, n = 0;
		int err = 0;

		/* Fill up to the next rehash with one pair, hash 777 (no other has it) in block 3. */
		while (4 * (x.used + 1) <= 3 * x.cap && dindex_add(&x, 777, 3) == 0)
			n++;
		cap = x.cap;
		used = x.used;
		fail_after = 0;
		err = dindex_add(&x, 778, 4);
		fail_after = -1;
		check(err == -ENOMEM && x.cap == cap && x.used == used && count_of(&x, 777, 3) == n &&
		      count_of(&x, 778, 4) == 0, "a failed rehash leaves the table as it was");
		check(n > 0 && dindex_add(&x, 778, 4) == 0 && x.cap > cap, "the next add grows it");
		check(count_of(&x, 777, 3) == n && count_of(&x, 778, 4) == 1 && same_candidates(&x, 42),
		      "and it is still exact");
	}

	/* Room per block and the first block with room. */
	for (u32 b = 0; b < NB; b++)
		dindex_set_room(&x, b, 0);
	check(dindex_first_room(&x, 12) == DINDEX_END, "no room anywhere: DINDEX_END");
	dindex_set_room(&x, 200, 20);
	dindex_set_room(&x, 100, 12);
	check(dindex_first_room(&x, 12) == 100 && dindex_first_room(&x, 16) == 200 &&
	      dindex_first_room(&x, 24) == DINDEX_END, "the first block where the entry fits");
	dindex_set_room(&x, NB + 5, 100);	/* ignored */
	check(dindex_first_room(&x, 24) == DINDEX_END, "room past the end is ignored");
	fail_after = 0;
	check(dindex_resize(&x, NB + 10) == -ENOMEM && x.nblocks == NB &&
	      dindex_first_room(&x, 12) == 100, "a failed resize changes nothing");
	fail_after = -1;
	check(dindex_resize(&x, NB + 10) == 0 && x.nblocks == NB + 10 && dindex_first_room(&x, 16) == 200,
	      "resize keeps the rooms");
	dindex_set_room(&x, NB + 9, 70000);
	check(dindex_first_room(&x, 0xffff) == NB + 9, "a room over 65535 is clamped, still found");
	check(dindex_add(&x, 5, NB + 9) == 0 && dindex_next(&x, 5, &(u32){ 0 }) != DINDEX_END,
	      "the new blocks take entries");
	check(dindex_resize(&x, NB) == -EINVAL, "a directory does not shrink under its index");
	check(dindex_bytes(&x) == (u64)x.cap * 8 + (u64)x.nblocks * 2, "bytes held");
	dindex_destroy(&x);
	check(x.slots == NULL && x.room == NULL && dindex_bytes(&x) == 0, "destroy frees everything");

	fail_after = 1;		/* room array yes, slots no */
	check(dindex_init(&x, 10) == -ENOMEM && x.room == NULL, "init without memory: -ENOMEM, nothing held");
	fail_after = -1;
	printf("%d tests, %d failures\n", tests, failures);
	return failures != 0;
}
