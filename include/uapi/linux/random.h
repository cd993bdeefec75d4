/*
 * uapi/linux/random.h - <linux/random.h>: the getrandom(2) flags.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_RANDOM_H
#define UAPI_LINUX_RANDOM_H

#include <linux/random.h>

#endif
