/*
 * sysv_stat.c - what ipcs(1) does: shmctl/semctl/msgctl *_INFO return
 * the highest slot in use, and *_STAT by slot (not id) finds our
 * objects, returning their ids; SHM_INFO counts segments; SEM_STAT of a
 * slot past the end is EINVAL.  And a segment that is not a whole
 * number of pages: its last page is all usable, the page after faults.
 */
#include "t.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

static sigjmp_buf jb;
static void on_segv(int sig)
{
	siglongjmp(jb, 1);
}

/* Finds id by walking slots 0..max with cmd (SHM_STAT...): 1 if found. */
static int walk(int max, int id, int (*stat)(int slot))
{
	for (int i = 0; i <= max; i++)
		if (stat(i) == id)
			return 1;
	return 0;
}

static int shm_slot(int i) { struct shmid_ds ds; return shmctl(i, SHM_STAT, &ds); }
static int sem_slot(int i) { struct semid_ds ds; return semctl(i, 0, SEM_STAT, &ds); }
static int msg_slot(int i) { struct msqid_ds ds; return msgctl(i, MSG_STAT, &ds); }

int main(void)
{
	struct shm_info si0, si1;
	struct shminfo lim;
	struct seminfo sm;
	struct msginfo mi;
	int shm, sem, msg, max;

	t_start();
	max = shmctl(0, SHM_INFO, (struct shmid_ds *)&si0);
	CHECK_OK(max, "SHM_INFO");
	shm = shmget(IPC_PRIVATE, 5000, 0600);
	sem = semget(IPC_PRIVATE, 2, 0600);
	msg = msgget(IPC_PRIVATE, 0600);
	max = shmctl(0, SHM_INFO, (struct shmid_ds *)&si1);
	check(si1.used_ids >= si0.used_ids + 1, "SHM_INFO counts the new segment", "%d then %d", si0.used_ids,
	      si1.used_ids);
	check(max >= 0 && walk(max, shm, shm_slot), "SHM_STAT by slot finds its id", "max %d", max);
	check(shmctl(0, IPC_INFO, (struct shmid_ds *)&lim) == max && lim.shmmin == 1, "IPC_INFO: the same max slot",
	      "%d", shmctl(0, IPC_INFO, (struct shmid_ds *)&lim));
	max = semctl(0, 0, SEM_INFO, &sm);
	check(max >= 0 && walk(max, sem, sem_slot), "SEM_STAT by slot finds its id", "max %d", max);
	CHECK_ERR(sem_slot(32767), EINVAL, "SEM_STAT of an empty slot: EINVAL");
	max = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
	check(max >= 0 && walk(max, msg, msg_slot), "MSG_STAT by slot finds its id", "max %d", max);
	check(mi.msgpool >= 1, "MSG_INFO: queues in use", "%d", mi.msgpool);
	/* 5000 bytes: the rest of the second page is there, the third is not. */
	char *hole = mmap(NULL, 4 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, 4 * 4096);		/* a free range, so nothing follows the segment */
	char *p = shmat(shm, hole, 0);
	volatile int faulted = 0;
	p[8191] = 7;
	check(p[8191] == 7, "the last page is usable to its end", "no");
	signal(SIGSEGV, on_segv);
	if (sigsetjmp(jb, 1) == 0)
		(void)*(volatile char *)(p + 8192);
	else
		faulted = 1;
	signal(SIGSEGV, SIG_DFL);
	check(faulted, "the page after it faults", "no fault");
	shmdt(p);
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	msgctl(msg, IPC_RMID, NULL);
	check(!walk(max, msg, msg_slot), "removed: no slot has it", "still there");
	return t_done();
}
