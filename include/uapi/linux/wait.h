/*
 * uapi/linux/wait.h - <linux/wait.h>: the wait4/waitid options.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_WAIT_H
#define UAPI_LINUX_WAIT_H

#include <linux/wait.h>

#endif
