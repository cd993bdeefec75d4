/*
 * threads.c - a process with three threads that sleep, for the boot
 * test that looks at it from busybox (ps -T, /proc/<pid>/task).
 */
#include <pthread.h>
#include <unistd.h>

static void *idle(void *arg)
{
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	pthread_t t;

	for (int i = 0; i < 3; i++)
		pthread_create(&t, NULL, idle, NULL);
	sleep(30);
	return 0;
}
