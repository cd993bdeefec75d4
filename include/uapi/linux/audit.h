/*
 * uapi/linux/audit.h - <linux/audit.h>: the AUDIT_ARCH_* values the stub's filter checks.
 * Numbers only: no structure of it crosses to a guest.
 */
#ifndef UAPI_LINUX_AUDIT_H
#define UAPI_LINUX_AUDIT_H

#include <linux/audit.h>

#endif
