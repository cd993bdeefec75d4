/*
 * checksum.c - the Internet checksum (RFC 1071): a one's complement sum
 * of 16-bit words in network order, folded and complemented.  Pure.
 */
#include "kernel/kernel.h"
#include "kernel/inet.h"

u32 csum_partial(const void *p, size_t n, u32 sum)
{
	const u8 *b = p;
	u64 s = sum;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (u32)((b[i] << 8) | b[i + 1]);
	if (n & 1)
		s += (u32)b[n - 1] << 8;
	while (s >> 32)
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
