# tests/tests.mk - test, benchmark and convenience targets (included at the
# end of the top-level Makefile).
#
#   make check     harness, unit, guest, boot, gdb, security, mconsole, net and debian tests; ends with
#                  `N passed, N failed[, N skipped]`
#   make check-ci  the same, then the boot and security layers again on the
#                  UBSan build ./linux-san (make SANITIZE=1), then every layer
#                  that boots ./linux again in mode=ptrace (the default is
#                  seccomp: tests/check ptrace:LAYER); what .ci/run runs
#   make fuzz      longer fuzzing on ./linux-san: FUZZ_SEEDS (default 1..8),
#                  FUZZ_SECS (default 120) per seed
#   make unit | guest | boot | gdb-test | security | net | debian    one layer
#   make bench     native vs ./linux (each mode) vs Debian's UML, with the hardware
#                  floors; writes bench/RESULTS.md (bench/run --smoke: one of each)
#   make image     root.img from tools/mkrootfs (busybox)
#   make run       build, make root.img if missing, boot it to a shell
#   make help      this list
#
# ./linux is built first when it can be; a build failure does not stop the
# tests (those that need ./linux then fail and say so).

.PHONY: check check-ci fuzz unit guest boot gdb-test security net debian bench image run linux-try linux-san-try help

help:
	@echo 'Targets:'
	@echo '  make            build ./linux (make -j2: the machine may be shared)'
	@echo '  make run        build, make root.img if missing (tools/mkrootfs), boot it'
	@echo '  make image      (re)make root.img, the default busybox image'
	@echo '  make check      every test layer: unit guest boot gdb security mconsole net debian; ends with N passed, N failed'
	@echo '  make unit | guest | boot | gdb-test | security | net | debian    one layer'
	@echo '  make bench      native vs ./linux vs Debian UML; writes bench/RESULTS.md'
	@echo '  make clean      remove build/ and ./linux'
	@echo 'Then: ./linux --help (the command line), man ./docs/linux.1'


linux-try:
	@$(MAKE) --no-print-directory linux linux-gdb.py || echo "tests: ./linux did not build; tests that boot it will fail"

linux-san-try:
	@$(MAKE) --no-print-directory SANITIZE=1 linux-san || echo "tests: ./linux-san did not build; tests that boot it will fail"

check: $(UAPI)/.stamp linux-try
	@sh tests/check

check-ci: $(UAPI)/.stamp linux-try linux-san-try
	@sh tests/check harness unit guest boot gdb security mconsole net debian san:boot san:security \
		ptrace:guest ptrace:boot ptrace:gdb ptrace:security ptrace:mconsole ptrace:net ptrace:debian

FUZZ_SEEDS ?= 1 2 3 4 5 6 7 8
FUZZ_SECS ?= 120
fuzz: linux-san-try
	@LINUX=$(CURDIR)/linux-san T_PREFIX=san: LOGROOT=$(CURDIR)/build/tests/logs/san \
		FUZZ_SEEDS="$(FUZZ_SEEDS)" FUZZ_SECS=$(FUZZ_SECS) \
		sh tests/security/run $(foreach s,$(FUZZ_SEEDS),fuzz-$(s))

unit: $(UAPI)/.stamp
	@sh tests/unit/run

guest: linux-try
	@sh tests/guest/run

boot: linux-try
	@sh tests/boot/run

debian: linux-try
	@sh tests/debian/run

gdb-test: linux-try
	@sh tests/gdb/run

security: linux-try
	@sh tests/security/run

net: linux-try
	@sh tests/net/run

bench: linux-try
	@python3 bench/run

root.img:
	tools/mkrootfs root.img

image:
	tools/mkrootfs root.img

run: linux root.img
	./linux ubd0=root.img
