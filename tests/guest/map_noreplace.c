/*
 * map_noreplace: MAP_FIXED_NOREPLACE maps at the address when it is free
 * and fails with EEXIST over any existing page (leaving it alone);
 * MAP_FIXED replaces; a hint address is taken when free, another chosen
 * when not; MAP_GROWSDOWN maps a stack-like region whose pages all read;
 * mmap_min_addr refuses page 0 (EPERM); the length and flag errors.
 */
#include "t.h"
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096

int main(void)
{
	char *hole, *a, *b;

	t_start();
	hole = mmap(NULL, 8 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, 8 * PG);
	a = mmap(hole + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	check(a == hole + 2 * PG, "NOREPLACE at a free address", "%p", (void *)a);
	a[0] = 'k';
	CHECK_ERR(mmap(hole + PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0), EEXIST, "NOREPLACE overlapping one page: EEXIST");
	CHECK_ERR(mmap(hole + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0), EEXIST, "NOREPLACE inside: EEXIST");
	check(a[0] == 'k', "the mapping is untouched", "%c", a[0]);
	CHECK_ERR(mmap(hole + PG + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0), EINVAL, "NOREPLACE unaligned: EINVAL");
	b = mmap(hole + 2 * PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check(b == a && b[0] == 0, "MAP_FIXED replaces: zero again", "%d", b[0]);
	b = mmap(hole + 5 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(b == hole + 5 * PG, "a free hint is taken", "%p vs %p", (void *)b, (void *)(hole + 5 * PG));
	b = mmap(hole + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(b != MAP_FAILED && b != hole + 2 * PG, "a used hint: somewhere else", "%p", (void *)b);
	/*
	 * Page 0 (mmap_min_addr): EPERM without CAP_SYS_RAWIO.  (Root may map
	 * it on Linux; this kernel refuses low pages to everyone, since a
	 * guest's code there could meet truncated 32-bit stub addresses, so
	 * only the unprivileged case is compared.)
	 */
	{
		pid_t pid = fork();
		int st = -1;

		if (pid == 0) {
			if (setresuid(65534, 65534, 65534) != 0)
				_exit(2);
			_exit(mmap((void *)0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				   -1, 0) == MAP_FAILED && errno == EPERM ? 0 : 1);
		}
		waitpid(pid, &st, 0);
		check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "MAP_FIXED at page 0 as nobody: EPERM",
		      "status %#x", st);
	}
	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL, "length 0");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL, "neither PRIVATE nor SHARED");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS, -1, 0), EINVAL,
		  "both PRIVATE and SHARED");
	CHECK_ERR(mmap(NULL, (size_t)-PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM,
		  "a length the address space cannot hold");

	a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	check(a != MAP_FAILED, "MAP_GROWSDOWN", "errno %d", errno);
	a[4 * PG - 1] = 1;
	a[PG] = 2;
	check(a[4 * PG - 1] == 1 && a[PG] == 2, "its pages read and write", "no");
	CHECK_OK(munmap(a, 4 * PG), "munmap it");
	return t_done();
}
