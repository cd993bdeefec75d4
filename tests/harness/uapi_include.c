/*
 * uapi_include.c - a kernel-side file that includes a Linux uapi header
 * directly instead of through include/uapi/: `make uapi-probe` must
 * refuse it (tests/harness/run checks that it does and names the file).
 */
#include <linux/stat.h>
