/*
 * os_unused.h - a host interface function no object calls: make
 * os-unused-check must refuse it (tests/harness/run os_unused_probe).
 */
void os_harness_probe_unused(int fd);
