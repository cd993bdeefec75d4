/*
 * madvise_mincore: MADV_DONTNEED gives private anonymous pages back as
 * zeros and file pages back as the file's bytes, MADV_FREE on anonymous
 * memory, the hints that change nothing, and mincore's residency vector
 * for touched and untouched pages; the errors of both (EINVAL, ENOMEM,
 * EFAULT).
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mman.h>

#define PG 4096

int main(void)
{
	unsigned char vec[8];
	char path[4096], *a, *f;
	int fd;

	t_start();
	a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_OK(mincore(a, 4 * PG, vec), "mincore of fresh memory");
	check(!(vec[0] & 1) && !(vec[3] & 1), "untouched pages are not resident", "%d %d", vec[0], vec[3]);
	a[0] = 1;
	a[2 * PG] = 1;
	CHECK_OK(mincore(a, 4 * PG, vec), "mincore after touching two");
	/* (the pages around a fault may come in with it: not checked) */
	check((vec[0] & 1) && (vec[2] & 1), "those two resident", "%d %d", vec[0], vec[2]);
	CHECK_OK(madvise(a, 4 * PG, MADV_DONTNEED), "MADV_DONTNEED");
	CHECK_OK(mincore(a, 4 * PG, vec), "mincore after MADV_DONTNEED");
	check(!(vec[0] & 1) && !(vec[1] & 1) && !(vec[2] & 1) && !(vec[3] & 1),
	      "none resident", "%d %d %d %d", vec[0], vec[1], vec[2], vec[3]);
	check(a[0] == 0 && a[2 * PG] == 0, "private anonymous pages read zeros again", "%d", a[0]);
	memset(a, 7, 4 * PG);
	CHECK_OK(madvise(a, 4 * PG, MADV_FREE), "MADV_FREE");
	check(a[PG] == 7 || a[PG] == 0, "freed pages read their bytes or zero", "%d", a[PG]);
	a[PG] = 9;
	check(a[PG] == 9, "a write after MADV_FREE keeps the page", "%d", a[PG]);
	CHECK_OK(madvise(a, 4 * PG, MADV_WILLNEED), "MADV_WILLNEED");
	CHECK_OK(madvise(a, 4 * PG, MADV_SEQUENTIAL), "MADV_SEQUENTIAL");
	CHECK_OK(madvise(a, 4 * PG, MADV_DONTFORK), "MADV_DONTFORK");
	CHECK_OK(madvise(a, 4 * PG, MADV_DOFORK), "MADV_DOFORK");
	check(a[PG] == 9, "hints change nothing", "%d", a[PG]);

	t_path(path, sizeof(path), "madvise.dat");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(vec, 'f', sizeof(vec));
	for (int i = 0; i < 2; i++)
		write(fd, (char[PG]){ [0 ... PG - 1] = 'f' }, PG);
	f = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	f[0] = 'x';
	CHECK_OK(madvise(f, 2 * PG, MADV_DONTNEED), "DONTNEED on a private file mapping");
	check(f[0] == 'f', "the file's byte is back", "%c", f[0]);
	CHECK_ERR(madvise(f, 2 * PG, MADV_FREE), EINVAL, "MADV_FREE on a file mapping");
	munmap(f, 2 * PG);
	close(fd);
	unlink(path);

	CHECK_ERR(madvise(a + 1, PG, MADV_DONTNEED), EINVAL, "madvise unaligned");
	CHECK_ERR(madvise(a, PG, 12345), EINVAL, "madvise unknown advice");
	munmap(a + 3 * PG, PG);
	CHECK_ERR(madvise(a, 4 * PG, MADV_DONTNEED), ENOMEM, "madvise over a hole");
	CHECK_ERR(mincore(a, 4 * PG, vec), ENOMEM, "mincore over a hole");
	CHECK_ERR(mincore(a + 1, PG, vec), EINVAL, "mincore unaligned");
	CHECK_ERR(mincore(a, PG, (unsigned char *)8), EFAULT, "mincore bad vector");
	CHECK_OK(madvise(a, 0, MADV_DONTNEED), "madvise length 0");
	return t_done();
}
