/*
 * uapi/linux/mqueue.h - <linux/mqueue.h>: POSIX message queues' struct
 * mq_attr and limits.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_MQUEUE_H
#define UAPI_LINUX_MQUEUE_H

#include <stddef.h>
#include <linux/mqueue.h>

_Static_assert(sizeof(struct mq_attr) == 64, "struct mq_attr (<linux/mqueue.h>): 64 bytes");
_Static_assert(offsetof(struct mq_attr, mq_maxmsg) == 8, "struct mq_attr.mq_maxmsg at 8");
_Static_assert(offsetof(struct mq_attr, mq_msgsize) == 16, "struct mq_attr.mq_msgsize at 16");
_Static_assert(offsetof(struct mq_attr, mq_curmsgs) == 24, "struct mq_attr.mq_curmsgs at 24");

#endif
