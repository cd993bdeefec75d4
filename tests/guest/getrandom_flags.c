/*
 * getrandom_flags: getrandom with no flags, GRND_NONBLOCK, GRND_RANDOM,
 * GRND_INSECURE; unknown flags and GRND_INSECURE|GRND_RANDOM are EINVAL,
 * a bad buffer EFAULT; a length 0 returns 0; a large request gives some
 * bytes, no more than asked; a buffer that turns read-only part way gives
 * the bytes before it (or EFAULT).
 */
#include "t.h"
#include <sys/random.h>
#include <sys/mman.h>
#include <sys/syscall.h>

int main(void)
{
	unsigned char a[64], b[64];
	long r;
	char *big;

	t_start();
	r = getrandom(a, sizeof(a), 0);
	check(r == 64, "64 bytes, flags 0", "%ld", r);
	r = getrandom(b, sizeof(b), GRND_NONBLOCK);
	check(r == 64 && memcmp(a, b, 64), "GRND_NONBLOCK: 64 other bytes", "%ld", r);
	check(getrandom(b, 16, GRND_RANDOM) == 16, "GRND_RANDOM", "short");
	check(getrandom(b, 16, GRND_RANDOM | GRND_NONBLOCK) == 16, "GRND_RANDOM|GRND_NONBLOCK", "short");
	check(getrandom(b, 16, GRND_INSECURE) == 16, "GRND_INSECURE", "short");
	CHECK_ERR(getrandom(b, 16, GRND_INSECURE | GRND_RANDOM), EINVAL, "INSECURE|RANDOM");
	CHECK_ERR(getrandom(b, 16, 0x10), EINVAL, "an unknown flag");
	CHECK_ERR(syscall(SYS_getrandom, (void *)8, 16, 0), EFAULT, "a bad buffer");
	check(getrandom(b, 0, 0) == 0, "length 0", "no");
	check(getrandom(NULL, 0, 0) == 0, "length 0, NULL buffer", "no");
	big = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r = getrandom(big, 1 << 20, 0);
	check(r > 0 && r <= (1 << 20), "a 1 MiB request", "%ld", r);
	mprotect(big + 4096, 4096, PROT_READ);
	r = getrandom(big, 3 * 4096, 0);
	check(r == 4096 || (r == -1 && errno == EFAULT), "a buffer read-only from its second page: short or EFAULT",
	      "%ld errno %d", r, errno);
	return t_done();
}
