/* kern_util.h - the host side calls into the kernel only through these. */
#ifndef SHARED_KERN_UTIL_H
#define SHARED_KERN_UTIL_H

void start_kernel(int argc, char **argv) __attribute__((noreturn));

#endif
