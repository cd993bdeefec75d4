# Build of ./linux, the user-mode kernel.
#
# Two kinds of objects, as in UML: the kernel side (arch/um kernel/ mm/ fs/
# net/ drivers/) is compiled freestanding with no libc include path, so a
# stray #include <unistd.h> fails the build; only os-Linux/ is compiled
# against libc and the host headers.  The kernel side may use the Linux
# uapi headers (<linux/...>, <asm/...>, <asm-generic/...>) for ABI facts,
# through build/uapi, a folder of links to exactly those three trees, and
# only by way of the wrappers in include/uapi/ ("uapi/linux/stat.h"),
# which check the layout of every structure that crosses to a guest.

CC      ?= gcc
# make SANITIZE=1: the same kernel built with UBSan (kernel side and
# os-Linux; any report aborts) into build-san/ and ./linux-san, which CI
# boots and fuzzes.  No ASan: it would not see kmalloc memory (physmem,
# not the host heap), and the kernel's own stack switches (ret_from_fork,
# switch.S) make it report false stack overflows unless they are annotated
# with __sanitizer_start_switch_fiber.
ifneq ($(SANITIZE),)
O       := build-san
BIN     := linux-san
SANFLAGS := -fsanitize=undefined -fno-sanitize-recover=undefined
else
O       := build
BIN     := linux
SANFLAGS :=
endif
CWARN   := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
CBASE   := -g -O2 -fno-omit-frame-pointer -std=gnu11 $(CWARN) -fno-strict-aliasing
UAPI    := $(O)/uapi
KCFLAGS := $(CBASE) -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
           -isystem $(UAPI) -Iinclude -fno-common -mno-red-zone $(SANFLAGS)
HCFLAGS := $(CBASE) -Iinclude -D_GNU_SOURCE -pthread $(SANFLAGS)
# libslirp (the slirp transport): pkg-config, or plainly -lslirp where its
# .pc file cannot be read (Debian's names glib-2.0, whose -dev may be absent).
SLIRP_LIBS := $(shell pkg-config --libs slirp 2>/dev/null || echo -lslirp)
LDLIBS  := -pthread -lrt $(SLIRP_LIBS)

KSRC := $(wildcard arch/um/kernel/*.c kernel/*.c mm/*.c fs/*.c fs/*/*.c net/*.c \
	drivers/*/*.c) $(wildcard arch/um/kernel/*.S)
KSRC := $(filter-out $(EXCLUDE),$(KSRC))
HSRC := $(wildcard os-Linux/*.c os-Linux/drivers/*.c)
KOBJ := $(patsubst %,$(O)/%.o,$(basename $(KSRC)))
HOBJ := $(patsubst %,$(O)/%.o,$(basename $(HSRC)))

all: $(BIN)

# The host boundary at link time.  The kernel side is linked into one
# relocatable object, $(O)/kernel.o, whose only undefined symbols may be
# the os_* interface (os-Linux/), the embedded stub image and KALLOW; a call
# from kernel code to anything else (a libc routine) fails the build.  The
# kernel has its own mem*/str* (kernel/string.c; gcc calls memcpy, memset,
# memmove and memcmp by itself): KSTRING are made local to kernel.o, so
# kernel code uses those and os-Linux/libc keep libc's in the same binary.
KSTRING := memcpy memmove memset memcmp strlen strnlen strcmp strncmp strchr
# _GLOBAL_OFFSET_TABLE_: defined by the final link (PIE code refers to it).
KALLOW  := stub_image stub_image_end _GLOBAL_OFFSET_TABLE_
# The sanitizer build also calls its runtime (reports only).
KALLOW_PREFIX := $(if $(SANITIZE),^__ubsan_ ^__asan_ ^__sanitizer_)
# check_undefined OBJ: fail when OBJ needs anything outside the boundary.
define check_undefined
	@bad=$$(nm -u $(1) | awk '{print $$2}' | grep -v $(addprefix -e ,^os_ $(KALLOW_PREFIX)) | grep -vxF $(addprefix -e ,$(KALLOW))); \
	if [ -n "$$bad" ]; then \
		echo "error: kernel code refers to symbols outside the kernel (only os_* may cross):" $$bad >&2; \
		exit 1; \
	fi
endef

# The guest ABI in one place: no kernel-side file but the wrappers in
# include/uapi/ may include a uapi header directly.
UAPI_CHECKED := $(KSRC) $(wildcard arch/um/stub/*.c) \
	$(filter-out include/uapi/%,$(shell find include -name '*.h'))
define check_uapi
	@bad=$$(grep -lE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(linux|asm|asm-generic)/' $(1)); \
	if [ -n "$$bad" ]; then \
		echo "error: Linux uapi headers included directly (use #include \"uapi/linux/NAME.h\"; a new one gets a wrapper in include/uapi/ with _Static_asserts):" $$bad >&2; \
		exit 1; \
	fi
endef
$(O)/uapi-checked: $(UAPI_CHECKED)
	@mkdir -p $(O)
	$(call check_uapi,$^)
	@touch $@

$(O)/kernel.o: $(KOBJ) $(O)/uapi-checked
	@echo "  LD -r   $@"
	@ld -r -o $@.tmp $(KOBJ)
	@objcopy $(addprefix --localize-symbol=,$(KSTRING)) $@.tmp
	$(call check_undefined,$@.tmp)
	@mv $@.tmp $@

$(BIN): $(O)/kernel.o $(HOBJ) $(O)/stub_blob.o
	@echo "  LD      $@"
	@$(CC) -g $(SANFLAGS) -o $@ $^ $(LDLIBS)

# A kernel file that includes a uapi header directly must fail the build
# (tests/harness/run runs this on tests/harness/uapi_include.c).
uapi-probe:
	$(call check_uapi,tests/harness/uapi_include.c)

# Misused guest addresses must not compile (tests/harness/run: PROBE=1..5
# fail, PROBE=0 is the control that compiles).
uaddr-probe: $(UAPI)/.stamp
	$(CC) $(KCFLAGS) -DPROBE=$(PROBE) -fsyntax-only tests/harness/uaddr_misuse.c

# A kernel file that calls a libc routine must fail the build: link the
# kernel with tests/harness/libc_call.c (kernel side, calls strdup) and
# expect check_undefined to refuse it (tests/harness/run runs this).
boundary-probe: $(KOBJ) $(UAPI)/.stamp
	@mkdir -p $(O)/probe
	@$(CC) $(KCFLAGS) -c -o $(O)/probe/libc_call.o tests/harness/libc_call.c
	@ld -r -o $(O)/probe/kernel.o $(KOBJ) $(O)/probe/libc_call.o
	@objcopy $(addprefix --localize-symbol=,$(KSTRING)) $(O)/probe/kernel.o
	$(call check_undefined,$(O)/probe/kernel.o)

$(UAPI)/.stamp:
	mkdir -p $(UAPI)
	ln -sfn /usr/include/linux $(UAPI)/linux
	ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	ln -sfn /usr/include/$(shell $(CC) -print-multiarch)/asm $(UAPI)/asm
	touch $@

$(O)/%.o: %.c $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(if $(filter os-Linux/%,$<),$(CC) $(HCFLAGS),$(CC) $(KCFLAGS)) $(CFLAGS_$<) -MMD -MP -c -o $@ $<

# The kernel's mem*/str* must not be compiled back into calls to themselves.
CFLAGS_kernel/string.c := -fno-builtin -fno-tree-loop-distribute-patterns

$(O)/%.o: %.S $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KCFLAGS) -MMD -MP -c -o $@ $<

# The stub: a tiny static program exec'd as the host process of each guest
# address space.  It is linked at STUB_START and embedded into ./linux.
STUB_CFLAGS := -g -O2 -std=gnu11 $(CWARN) -ffreestanding -nostdlib -static -fpie -no-pie \
	-fno-stack-protector -mgeneral-regs-only -Iinclude -isystem $(UAPI) \
	-fno-asynchronous-unwind-tables
$(O)/stub: arch/um/stub/stub.c arch/um/stub/stub.lds include/shared/stub.h $(UAPI)/.stamp
	@mkdir -p $(O)
	$(CC) $(STUB_CFLAGS) -Wl,-T,arch/um/stub/stub.lds -Wl,--build-id=none -o $@.tmp arch/um/stub/stub.c
	@# The op loop keeps a guest fs/gs base that ptrace cannot write
	@# (oploop_regs_keep_bases): no stub instruction may address memory
	@# through %fs or %gs.
	@if objdump -d $@.tmp | grep -q '%[fg]s:'; then \
		echo "stub: an instruction addresses memory through %fs/%gs" >&2; rm -f $@.tmp; exit 1; fi
	@mv $@.tmp $@

$(O)/stub_blob.o: arch/um/stub/blob.S $(O)/stub
	$(CC) -c -DSTUB_PATH='"$(O)/stub"' -o $@ $<

-include $(shell find $(O) -name '*.d' 2>/dev/null)

clean:
	rm -rf build build-san linux linux-san

.PHONY: all clean check unit guest boot bench boundary-probe uapi-probe uaddr-probe
-include tests/tests.mk
