# tests/tests.mk - test, benchmark and convenience targets (included at the
# end of the top-level Makefile).
#
#   make check     unit, guest, boot, gdb and security tests; ends with `N passed, N failed`
#   make unit | guest | boot | gdb-test | security    one layer
#   make bench     native vs ./linux vs Debian's UML; writes bench/RESULTS.md
#   make image     root.img from tools/mkrootfs (busybox)
#   make run       build, make root.img if missing, boot it to a shell
#   make help      this list
#
# ./linux is built first when it can be; a build failure does not stop the
# tests (those that need ./linux then fail and say so).

.PHONY: check unit guest boot gdb-test security bench image run linux-try help

help:
	@echo 'Targets:'
	@echo '  make            build ./linux (make -j2: the machine may be shared)'
	@echo '  make run        build, make root.img if missing (tools/mkrootfs), boot it'
	@echo '  make image      (re)make root.img, the default busybox image'
	@echo '  make check      every test layer: unit guest boot gdb security; ends with N passed, N failed'
	@echo '  make unit | guest | boot | gdb-test | security    one layer'
	@echo '  make bench      native vs ./linux vs Debian UML; writes bench/RESULTS.md'
	@echo '  make clean      remove build/ and ./linux'
	@echo 'Then: ./linux --help (the command line), man ./docs/linux.1'


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
