/*
 * main.c - the host entry point.  main() only hands argv to the kernel;
 * start_kernel() (kernel/main.c) parses it and drives the boot through
 * the os_* layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include "shared/os.h"
#include "shared/kern_util.h"

int main(int argc, char **argv)
{
	/* Kernel output must appear as it is written, even into a pipe. */
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	start_kernel(argc, argv);
}

void os_vprint_err(const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		os_write_all(2, buf, n);
}

void os_print_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	os_vprint_err(fmt, ap);
	va_end(ap);
}

void os_exit(int status)
{
	os_console_restore();
	_exit(status);
}

void os_abort(void)
{
	os_console_restore();
	abort();
}

