/*
 * membarrier: the commands and their errors as Linux answers them: QUERY's
 * mask holds every non-rseq command (the RSEQ ones are answered as the
 * mask says: -EPERM unregistered when offered, -EINVAL when not), an
 * expedited private barrier is -EPERM until the process registers, the
 * global ones need no registration, flags are -EINVAL except
 * MEMBARRIER_CMD_FLAG_CPU on the RSEQ command, unknown or combined
 * commands -EINVAL; registrations belong to the address space: shared by
 * a thread, inherited by a fork child (Linux copies the mm), gone after
 * exec; GET_REGISTRATIONS lists them.
 */
#include "t.h"
#include <linux/membarrier.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef MEMBARRIER_CMD_GET_REGISTRATIONS
#define MEMBARRIER_CMD_GET_REGISTRATIONS (1 << 9)
#endif
#define RSEQ_CMDS (MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ)

static long mb(int cmd, unsigned int flags, int cpu)
{
	return syscall(SYS_membarrier, cmd, flags, cpu);
}

static void *thread_barrier(void *arg)
{
	(void)arg;
	return (void *)mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
}

int main(int argc, char **argv)
{
	long q, want = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |
		       MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED |
		       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |
		       MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE |
		       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE |
		       MEMBARRIER_CMD_GET_REGISTRATIONS;
	pthread_t th;
	void *ret;
	pid_t pid;
	int st;

	t_start();
	if (argc > 1) {		/* after exec: nothing registered any more */
		check(mb(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0) == 0, "exec: no registrations",
		      "%ld", mb(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0));
		CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), EPERM,
			  "exec: PRIVATE_EXPEDITED is EPERM again");
		return t_done();
	}
	q = mb(MEMBARRIER_CMD_QUERY, 0, 0);
	check(q >= 0 && (q & want) == want, "QUERY offers every non-rseq command", "%#lx", q);
	check(q >= 0 && (q & ~(want | RSEQ_CMDS)) == 0, "QUERY offers nothing unknown", "%#lx", q);
	check((q & RSEQ_CMDS) == 0 || (q & RSEQ_CMDS) == RSEQ_CMDS, "RSEQ commands come as a pair",
	      "%#lx", q);
	CHECK_ERR(mb(MEMBARRIER_CMD_QUERY, 1, 0), EINVAL, "QUERY with a flag");
	CHECK_OK(mb(MEMBARRIER_CMD_GLOBAL, 0, 0), "GLOBAL");
	CHECK_OK(mb(MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0), "GLOBAL_EXPEDITED needs no registration");
	CHECK_ERR(mb(MEMBARRIER_CMD_GLOBAL, MEMBARRIER_CMD_FLAG_CPU, 0), EINVAL,
		  "FLAG_CPU on GLOBAL");
	CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), EPERM,
		  "PRIVATE_EXPEDITED before registering");
	CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0), EPERM,
		  "PRIVATE_EXPEDITED_SYNC_CORE before registering");
	check(mb(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0) == 0, "no registrations yet", "%ld",
	      mb(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0));
	if (q & RSEQ_CMDS) {
		CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0), EPERM,
			  "RSEQ as QUERY says: EPERM unregistered");
		CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 2, 0), EINVAL,
			  "RSEQ as QUERY says: an unknown flag");
	} else {
		CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0), EINVAL,
			  "RSEQ as QUERY says: EPERM unregistered");
		CHECK_ERR(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0), EINVAL,
			  "RSEQ as QUERY says: an unknown flag");
	}
	CHECK_ERR(mb(1 << 10, 0, 0), EINVAL, "an unknown command");
	CHECK_ERR(mb(MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), EINVAL,
		  "two commands at once");
	CHECK_ERR(mb(-1, 0, 0), EINVAL, "command -1");

	CHECK_OK(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), "REGISTER_PRIVATE_EXPEDITED");
	CHECK_OK(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), "registering twice is fine");
	CHECK_ERR(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 1, 0), EINVAL, "REGISTER with a flag");
	CHECK_OK(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), "PRIVATE_EXPEDITED once registered");
	CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0), EPERM,
		  "SYNC_CORE is a registration of its own");
	CHECK_OK(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0), "REGISTER SYNC_CORE");
	CHECK_OK(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0), "SYNC_CORE once registered");
	CHECK_OK(mb(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0), "REGISTER_GLOBAL_EXPEDITED");
	q = mb(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0);
	check(q == (MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |
		    MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE |
		    MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED), "GET_REGISTRATIONS lists the three",
	      "%#lx", q);
	CHECK_ERR(mb(MEMBARRIER_CMD_GET_REGISTRATIONS, 1, 0), EINVAL, "GET_REGISTRATIONS with a flag");

	check(pthread_create(&th, NULL, thread_barrier, NULL) == 0 && pthread_join(th, &ret) == 0 &&
	      ret == 0, "a thread shares the registration", "%ld", (long)ret);
	pid = fork();
	if (pid == 0) {
		if (mb(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0) !=
		    (MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |
		     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE |
		     MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED))
			_exit(1);
		_exit(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) == 0 ? 0 : 2);
	}
	st = -1;
	if (waitpid(pid, &st, 0) != pid)
		st = -1;
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a fork child inherits the registrations",
	      "%#x", st);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl(argv[0], argv[0], "exec", (char *)NULL);
		_exit(127);
	}
	st = -1;
	if (waitpid(pid, &st, 0) != pid)
		st = -1;
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the exec'd child passed its checks", "%#x", st);
	return t_done();
}
