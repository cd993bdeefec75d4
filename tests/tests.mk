# tests/tests.mk - test, benchmark and convenience targets (included at the
# end of the top-level Makefile).
#
#   make check     harness, unit, guest, boot, gdb and security tests; ends with
#                  `N passed, N failed[, N skipped]`
#   make unit | guest | boot | gdb-test | security    one layer
#   make bench     native vs ./linux vs Debian's UML; writes bench/RESULTS.md
#   make image     root.img from tools/mkrootfs (busybox)
#   make run       build, make root.img if missing, boot it to a shell
#
# ./linux is built first when it can be; a build failure does not stop the
# tests (those that need ./linux then fail and say so).

.PHONY: check unit guest boot gdb-test security bench image run linux-try

linux-try:
	@$(MAKE) --no-print-directory linux || echo "tests: ./linux did not build; tests that boot it will fail"

check: $(UAPI)/.stamp linux-try
	@sh tests/check

unit: $(UAPI)/.stamp
	@sh tests/unit/run

guest: linux-try
	@sh tests/guest/run

boot: linux-try
	@sh tests/boot/run

gdb-test: linux-try
	@sh tests/gdb/run

security: linux-try
	@sh tests/security/run

bench: linux-try
	@python3 bench/run

root.img:
	tools/mkrootfs root.img

image:
	tools/mkrootfs root.img

run: linux root.img
	./linux ubd0=root.img
