/*
 * uapi/linux/fadvise.h - <linux/fadvise.h>: the POSIX_FADV_* advice.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_FADVISE_H
#define UAPI_LINUX_FADVISE_H

#include <linux/fadvise.h>

#endif
