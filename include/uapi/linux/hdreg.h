/*
 * uapi/linux/hdreg.h - <linux/hdreg.h>: HDIO_GETGEO and its struct
 * hd_geometry (the disk geometry fdisk asks a block device for).
 */
#ifndef UAPI_LINUX_HDREG_H
#define UAPI_LINUX_HDREG_H

#include <linux/hdreg.h>

_Static_assert(sizeof(struct hd_geometry) == 16 &&
	       __builtin_offsetof(struct hd_geometry, heads) == 0 &&
	       __builtin_offsetof(struct hd_geometry, sectors) == 1 &&
	       __builtin_offsetof(struct hd_geometry, cylinders) == 2 &&
	       __builtin_offsetof(struct hd_geometry, start) == 8,
	       "hd_geometry layout (linux/hdreg.h)");

#endif
