/*
 * bigprog.c - a static program without libc whose file is mostly a
 * 256 KiB table it reads one byte per page of: the boot test `programs`
 * runs 500 copies of it under distinct names, so their page cache adds up
 * to more than mem=64M and must be reclaimed.  Exits 0 when the bytes it
 * read are the table's.
 */
#define TABLE_SIZE (256 * 1024)

static const unsigned char table[TABLE_SIZE] = { [0 ... TABLE_SIZE - 1] = 7 };

__attribute__((noreturn)) static void sys_exit(long status)
{
	__asm__ volatile("syscall" : : "a"(60), "D"(status) : "rcx", "r11", "memory");
	__builtin_unreachable();
}

__attribute__((noreturn)) void _start(void)
{
	const volatile unsigned char *t = table;
	unsigned long sum = 0;

	for (unsigned long i = 0; i < TABLE_SIZE; i += 4096)
		sum += t[i];
	sys_exit(sum == 7 * (TABLE_SIZE / 4096) ? 0 : 1);
}
