/*
 * uapi/linux/reboot.h - <linux/reboot.h>: the reboot(2) magic numbers and commands.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_REBOOT_H
#define UAPI_LINUX_REBOOT_H

#include <linux/reboot.h>

#endif
