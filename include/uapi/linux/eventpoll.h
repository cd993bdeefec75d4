/*
 * uapi/linux/eventpoll.h - <linux/eventpoll.h>: epoll's flags and struct epoll_event (packed on x86_64).
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_EVENTPOLL_H
#define UAPI_LINUX_EVENTPOLL_H

#include <stddef.h>
#include <linux/eventpoll.h>

_Static_assert(sizeof(struct epoll_event) == 12, "struct epoll_event (<linux/eventpoll.h>): 12 bytes");
_Static_assert(offsetof(struct epoll_event, events) == 0, "struct epoll_event.events (<linux/eventpoll.h>) at 0");
_Static_assert(offsetof(struct epoll_event, data) == 4, "struct epoll_event.data (<linux/eventpoll.h>) at 4");

#endif
