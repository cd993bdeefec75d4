/*
 * sem_mutex.c - a System V semaphore as a mutex over a shared memory
 * counter, across eight processes: each takes the lock with SEM_UNDO
 * many times and increments the counter in the segment; half of them
 * exit while holding the lock, which their SEM_UNDO adjustment gives
 * back, so the others go on and no increment is lost.
 */
#include "t.h"
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sched.h>
#include <sys/wait.h>

#define NPROC	8
#define ROUNDS	200

int main(void)
{
	int sem = semget(IPC_PRIVATE, 1, 0600), shm = shmget(IPC_PRIVATE, 4096, 0600), st, ok = 1;
	volatile long *counter = shmat(shm, NULL, 0);
	struct sembuf unlock = { 0, 1, SEM_UNDO };

	t_start();
	check(sem >= 0 && shm >= 0 && counter != (void *)-1, "a semaphore and a segment", "errno %d", errno);
	semop(sem, &(struct sembuf){ 0, 1, 0 }, 1);	/* unlocked: 1 */
	for (int i = 0; i < NPROC; i++) {
		if (fork() == 0) {
			struct sembuf lock = { 0, -1, SEM_UNDO };

			for (int r = 0; r < ROUNDS; r++) {
				semop(sem, &lock, 1);
				long v = *counter;

				sched_yield();	/* invite a race the lock must prevent */
				*counter = v + 1;
				if (i % 2 && r == ROUNDS - 1)
					_exit(0);	/* dies holding the lock */
				semop(sem, &unlock, 1);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < NPROC; i++) {
		wait(&st);
		ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	check(ok, "every child finished", "a child failed");
	check(*counter == NPROC * ROUNDS, "no increment lost", "%ld of %d", *counter, NPROC * ROUNDS);
	check(semctl(sem, 0, GETVAL) == 1, "the lock is free again: the dead holders' undo gave it back", "%d",
	      semctl(sem, 0, GETVAL));
	struct shmid_ds ds;
	shmctl(shm, IPC_STAT, &ds);
	check(ds.shm_nattch == 1, "only our attach is left", "%lu", ds.shm_nattch);
	shmdt((void *)counter);
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	return t_done();
}
