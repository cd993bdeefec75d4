/*
 * uapi/linux/ipc.h - System V IPC: <linux/ipc.h> (struct ipc64_perm, key
 * flags, IPC_RMID/SET/STAT/INFO), <linux/sem.h>, <linux/msg.h> and
 * <asm/shmbuf.h> (the x86_64 64-bit forms: semid64_ds, msqid64_ds,
 * shmid64_ds, shminfo64).  <linux/shm.h> itself includes libc's
 * <unistd.h>, so its flag values are restated here from it.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_IPC_H
#define UAPI_LINUX_IPC_H

#include <stddef.h>
#include <linux/ipc.h>
#include <linux/sem.h>
#include <linux/msg.h>
#include <asm/shmbuf.h>

/* <linux/shm.h> */
#define SHMMIN		1
#define SHMMNI		4096
#define SHMMAX		(~0UL - (1UL << 24))
#define SHMALL		(~0UL - (1UL << 24))
#define SHM_HUGETLB	04000
#define SHM_NORESERVE	010000
#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_REMAP	040000
#define SHM_EXEC	0100000
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15
#define SHM_DEST	01000	/* segment will be destroyed on last detach */
#define SHM_LOCKED	02000
#define SHMLBA		4096	/* <asm/shmparam.h> */

/* struct shm_info of <linux/shm.h>, for SHM_INFO. */
struct shm_info {
	int used_ids;
	__kernel_ulong_t shm_tot;
	__kernel_ulong_t shm_rss;
	__kernel_ulong_t shm_swp;
	__kernel_ulong_t swap_attempts;
	__kernel_ulong_t swap_successes;
};
_Static_assert(sizeof(struct shm_info) == 48, "struct shm_info (<linux/shm.h>): 48 bytes");

_Static_assert(sizeof(struct ipc64_perm) == 48, "struct ipc64_perm (<asm/ipcbuf.h>): 48 bytes");
_Static_assert(offsetof(struct ipc64_perm, uid) == 4, "struct ipc64_perm.uid at 4");
_Static_assert(offsetof(struct ipc64_perm, mode) == 20, "struct ipc64_perm.mode at 20");
_Static_assert(offsetof(struct ipc64_perm, seq) == 24, "struct ipc64_perm.seq at 24");
_Static_assert(sizeof(struct shmid64_ds) == 112, "struct shmid64_ds (<asm/shmbuf.h>): 112 bytes");
_Static_assert(offsetof(struct shmid64_ds, shm_segsz) == 48, "struct shmid64_ds.shm_segsz at 48");
_Static_assert(offsetof(struct shmid64_ds, shm_cpid) == 80, "struct shmid64_ds.shm_cpid at 80");
_Static_assert(offsetof(struct shmid64_ds, shm_nattch) == 88, "struct shmid64_ds.shm_nattch at 88");
_Static_assert(sizeof(struct shminfo64) == 72, "struct shminfo64 (<asm/shmbuf.h>): 72 bytes");
_Static_assert(sizeof(struct semid64_ds) == 104, "struct semid64_ds (<asm/sembuf.h>): 104 bytes");
_Static_assert(offsetof(struct semid64_ds, sem_otime) == 48, "struct semid64_ds.sem_otime at 48");
_Static_assert(offsetof(struct semid64_ds, sem_ctime) == 64, "struct semid64_ds.sem_ctime at 64");
_Static_assert(offsetof(struct semid64_ds, sem_nsems) == 80, "struct semid64_ds.sem_nsems at 80");
_Static_assert(sizeof(struct sembuf) == 6, "struct sembuf (<linux/sem.h>): 6 bytes");
_Static_assert(offsetof(struct sembuf, sem_op) == 2 && offsetof(struct sembuf, sem_flg) == 4,
	       "struct sembuf: sem_op at 2, sem_flg at 4");
_Static_assert(sizeof(struct seminfo) == 40, "struct seminfo (<linux/sem.h>): 40 bytes");
_Static_assert(sizeof(struct msqid64_ds) == 120, "struct msqid64_ds (<asm/msgbuf.h>): 120 bytes");
_Static_assert(offsetof(struct msqid64_ds, msg_cbytes) == 72, "struct msqid64_ds.msg_cbytes at 72");
_Static_assert(offsetof(struct msqid64_ds, msg_qbytes) == 88, "struct msqid64_ds.msg_qbytes at 88");
_Static_assert(offsetof(struct msqid64_ds, msg_lspid) == 96, "struct msqid64_ds.msg_lspid at 96");
_Static_assert(sizeof(struct msginfo) == 32, "struct msginfo (<linux/msg.h>): 32 bytes");

#endif
