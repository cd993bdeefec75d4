/*
 * clockloop.c - a program that reads the clocks many times through libc
 * (clock_gettime, gettimeofday, time) and the process CPU clock once:
 * with the vDSO only that last read may reach the kernel (boot test vdso).
 */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	struct timespec ts, prev = { 0, 0 };
	struct timeval tv;
	int back = 0;

	for (int i = 0; i < 1000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		back |= ts.tv_sec < prev.tv_sec || (ts.tv_sec == prev.tv_sec && ts.tv_nsec < prev.tv_nsec);
		prev = ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		clock_gettime(CLOCK_BOOTTIME, &ts);
		gettimeofday(&tv, NULL);
		time(NULL);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	printf("clockloop %s\n", back ? "went back" : "ok");
	return back;
}
