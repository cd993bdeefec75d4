/*
 * uapi/linux/inotify.h - <linux/inotify.h>: inotify's event bits, flags
 * and the struct inotify_event read(2) returns.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_INOTIFY_H
#define UAPI_LINUX_INOTIFY_H

#include <stddef.h>
#include <linux/inotify.h>

_Static_assert(sizeof(struct inotify_event) == 16, "struct inotify_event (<linux/inotify.h>): 16 bytes");
_Static_assert(offsetof(struct inotify_event, mask) == 4, "struct inotify_event.mask at 4");
_Static_assert(offsetof(struct inotify_event, cookie) == 8, "struct inotify_event.cookie at 8");
_Static_assert(offsetof(struct inotify_event, len) == 12, "struct inotify_event.len at 12");
_Static_assert(offsetof(struct inotify_event, name) == 16, "struct inotify_event.name at 16");

#endif
