/*
 * uapi/linux/mman.h - <linux/mman.h>: the mmap, mprotect, madvise and mremap numbers.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_MMAN_H
#define UAPI_LINUX_MMAN_H

#include <linux/mman.h>

#endif
