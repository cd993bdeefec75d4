/*
 * checksum.c - the Internet checksum (RFC 1071): a one's complement sum
 * of 16-bit words in network order, folded and complemented.  Pure.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "csum_partial sums little-endian words");

/*
 * Sums the buffer as native 64-bit words with the end-around carry, then
 * folds to 16 bits and swaps into network word order: the one's
 * complement sum does not depend on the byte order it is taken in
 * (RFC 1071 2(B)), only on the pairing of bytes into words.  The result
 * is congruent (mod 0xffff) to the sum of the big-endian words plus sum,
 * so partial sums chain and fold as before.
 */
u32 csum_partial(const void *p, size_t n, u32 sum)
{
	const u8 *b = p;
	u64 s = 0, t;

	while (n >= 32) {
		u64 v[4];

		memcpy(v, b, 32);
		s += v[0]; s += (s < v[0]);
		s += v[1]; s += (s < v[1]);
		s += v[2]; s += (s < v[2]);
		s += v[3]; s += (s < v[3]);
		b += 32;
		n -= 32;
	}
	while (n >= 8) {
		u64 v;

		memcpy(&v, b, 8);
		s += v;
		s += (s < v);
		b += 8;
		n -= 8;
	}
	t = 0;
	if (n >= 4) {
		u32 v;

		memcpy(&v, b, 4);
		t += v;
		b += 4;
		n -= 4;
	}
	if (n >= 2) {
		u16 v;

		memcpy(&v, b, 2);
		t += v;
		b += 2;
		n -= 2;
	}
	if (n)
		t += *b;		/* the odd last byte, padded with zero: the low byte here */
	s += t;
	s += (s < t);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = ((s & 0xff) << 8) | (s >> 8);	/* native (little-endian) words to network order */
	s += sum;
	s = (s & 0xffffffff) + (s >> 32);
	return (u32)s;
}

u16 csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return cpu_to_be16((u16)~sum);
}

u32 csum_pseudo(u32 saddr, u32 daddr, u8 proto, u16 len)
{
	u32 s = 0;

	s = csum_partial(&saddr, 4, s);
	s = csum_partial(&daddr, 4, s);
	return s + proto + len;
}

u32 csum_pseudo6(const struct in6k *saddr, const struct in6k *daddr, u8 proto, u32 len)
{
	u64 s = csum_partial(saddr, 16, 0);

	s = csum_partial(daddr, 16, (u32)s);
	s += (len >> 16) + (len & 0xffff) + proto;
	s = (s & 0xffffffff) + (s >> 32);
	return (u32)s;
}
