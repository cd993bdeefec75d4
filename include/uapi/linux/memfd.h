/*
 * uapi/linux/memfd.h - <linux/memfd.h>: memfd_create's flags.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_MEMFD_H
#define UAPI_LINUX_MEMFD_H

#include <linux/memfd.h>

#endif
