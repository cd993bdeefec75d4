/*
 * uapi/linux/auxvec.h - <linux/auxvec.h>: the AT_* auxiliary vector tags.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_AUXVEC_H
#define UAPI_LINUX_AUXVEC_H

#include <linux/auxvec.h>

#endif
