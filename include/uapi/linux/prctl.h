/*
 * uapi/linux/prctl.h - <linux/prctl.h>: the prctl(2) options.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_PRCTL_H
#define UAPI_LINUX_PRCTL_H

#include <linux/prctl.h>

#endif
