/*
 * uapi/linux/membarrier.h - <linux/membarrier.h>: the membarrier(2)
 * commands.  Numbers only; MEMBARRIER_CMD_GET_REGISTRATIONS (Linux 6.3)
 * is defined here when the host's header is older.
 */
#ifndef UAPI_LINUX_MEMBARRIER_H
#define UAPI_LINUX_MEMBARRIER_H

#include <linux/membarrier.h>

#ifndef MEMBARRIER_CMD_GET_REGISTRATIONS
#define MEMBARRIER_CMD_GET_REGISTRATIONS	(1 << 9)
#endif

#endif
