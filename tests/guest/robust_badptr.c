/*
 * robust_badptr: the robust-list walk at exit against hostile lists, as
 * Linux: a head pointer into unmapped memory, a list whose entry points
 * to itself (a cycle, stopped by ROBUST_LIST_LIMIT), an entry past a
 * valid one that points nowhere, and a negative futex_offset: the process
 * exits with its own status each time; a valid entry before the bad
 * part still gets FUTEX_OWNER_DIED; list_op_pending is handled as an
 * entry; set_robust_list's size check and get_robust_list's errors.
 */
#include "t.h"
#include <linux/futex.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

struct lock {
	struct robust_list list;	/* at offset 0 */
	uint32_t word;			/* futex_offset 8 */
};

static struct shared {
	struct lock l[4];
	struct robust_list_head head;
} *sh;

static long set_list(void *head, size_t len)
{
	return syscall(SYS_set_robust_list, head, len);
}

/* In a child: set up the list with make, exit with code; return its status. */
static int run(void (*make)(pid_t tid), int code)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		make((pid_t)syscall(SYS_gettid));
		_exit(code);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static void reset(void)
{
	memset(sh, 0, sizeof(*sh));
	sh->head.futex_offset = offsetof(struct lock, word);
}

static void bad_head(pid_t tid)
{
	(void)tid;
	set_list((void *)0x10000, sizeof(struct robust_list_head));
}

static void cycle(pid_t tid)
{
	sh->l[0].word = (uint32_t)tid;
	sh->l[0].list.next = &sh->l[0].list;	/* points to itself forever */
	sh->head.list.next = &sh->l[0].list;
	set_list(&sh->head, sizeof(sh->head));
}

static void dangling(pid_t tid)
{
	sh->l[0].word = (uint32_t)tid;
	sh->l[0].list.next = (struct robust_list *)0x10000;
	sh->head.list.next = &sh->l[0].list;
	set_list(&sh->head, sizeof(sh->head));
}

static void neg_offset(pid_t tid)
{
	sh->l[1].word = (uint32_t)tid;
	/* the word lies before the entry: a negative futex_offset */
	sh->head.futex_offset = (long)((char *)&sh->l[1].word - (char *)&sh->l[2].list);
	sh->l[2].list.next = &sh->head.list;
	sh->head.list.next = &sh->l[2].list;
	set_list(&sh->head, sizeof(sh->head));
}

static void pending(pid_t tid)
{
	sh->l[3].word = (uint32_t)tid;
	sh->head.list.next = &sh->head.list;	/* empty list */
	sh->head.list_op_pending = &sh->l[3].list;
	set_list(&sh->head, sizeof(sh->head));
}

static void other_owner(pid_t tid)
{
	sh->l[0].word = (uint32_t)tid + 1;	/* not ours: left alone */
	sh->l[0].list.next = &sh->head.list;
	sh->head.list.next = &sh->l[0].list;
	set_list(&sh->head, sizeof(sh->head));
}

int main(void)
{
	struct robust_list_head *hp = NULL;
	size_t len = 0;
	int st;

	t_start();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	reset();
	CHECK_ERR(set_list(&sh->head, sizeof(sh->head) - 1), EINVAL, "set_robust_list short len");
	CHECK_ERR(set_list(&sh->head, sizeof(sh->head) + 8), EINVAL, "set_robust_list long len");
	CHECK_OK(set_list((void *)0x10000, sizeof(sh->head)), "a bad head pointer is accepted");
	CHECK_OK(syscall(SYS_get_robust_list, 0, &hp, &len), "get_robust_list");
	check(hp == (void *)0x10000 && len == sizeof(sh->head), "reads back the bad pointer",
	      "%p %zu", (void *)hp, len);
	CHECK_ERR(syscall(SYS_get_robust_list, 0, (void *)8, &len), EFAULT, "get: bad head_ptr");
	CHECK_ERR(syscall(SYS_get_robust_list, 0, &hp, (void *)8), EFAULT, "get: bad len_ptr");
	CHECK_ERR(syscall(SYS_get_robust_list, 999999, &hp, &len), ESRCH, "get: no such task");
	CHECK_ERR(syscall(SYS_get_robust_list, -1, &hp, &len), ESRCH, "get: pid -1");

	reset();
	st = run(bad_head, 3);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 3, "exit with an unmapped head", "%#x", st);
	reset();
	st = run(cycle, 4);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 4, "exit with a cyclic list", "%#x", st);
	check((sh->l[0].word & FUTEX_OWNER_DIED) && (sh->l[0].word & FUTEX_TID_MASK) == 0,
	      "the cyclic entry still gets OWNER_DIED", "%#x", sh->l[0].word);
	reset();
	st = run(dangling, 5);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 5, "exit with a dangling next", "%#x", st);
	check(sh->l[0].word == FUTEX_OWNER_DIED, "the entry before it gets OWNER_DIED", "%#x",
	      sh->l[0].word);
	reset();
	st = run(neg_offset, 6);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 6, "exit with a negative futex_offset", "%#x", st);
	check(sh->l[1].word == FUTEX_OWNER_DIED, "the word before the entry gets OWNER_DIED", "%#x",
	      sh->l[1].word);
	reset();
	st = run(pending, 7);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7 && sh->l[3].word == FUTEX_OWNER_DIED,
	      "list_op_pending is released too", "%#x word %#x", st, sh->l[3].word);
	reset();
	st = run(other_owner, 8);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 8, "exit with another owner's entry", "%#x", st);
	check(sh->l[0].word != 0 && !(sh->l[0].word & FUTEX_OWNER_DIED),
	      "another owner's word is left alone", "%#x", sh->l[0].word);
	return t_done();
}
