# Build of ./linux, the user-mode kernel.
#
# Two kinds of objects, as in UML: the kernel side (arch/um kernel/ mm/ fs/
# drivers/, and net/ once there is one) is compiled freestanding with no libc include path, so a
# stray #include <unistd.h> fails the build; only os-Linux/ is compiled
# against libc and the host headers.  The kernel side may use the Linux
# uapi headers (<linux/...>, <asm/...>, <asm-generic/...>) for ABI facts,
# through build/uapi, a folder of links to exactly those three trees.

CC      ?= gcc
O       := build
CWARN   := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
CBASE   := -g -O2 -fno-omit-frame-pointer -std=gnu11 $(CWARN) -fno-strict-aliasing
UAPI    := $(O)/uapi
KCFLAGS := $(CBASE) -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
           -isystem $(UAPI) -Iinclude -fno-common -mno-red-zone
HCFLAGS := $(CBASE) -Iinclude -D_GNU_SOURCE -pthread
LDLIBS  := -pthread -lrt

KSRC := $(wildcard arch/um/kernel/*.c kernel/*.c mm/*.c fs/*.c fs/*/*.c net/*.c \
	drivers/*/*.c) $(wildcard arch/um/kernel/*.S)
KSRC := $(filter-out $(EXCLUDE),$(KSRC))
HSRC := $(wildcard os-Linux/*.c os-Linux/drivers/*.c)
KOBJ := $(patsubst %,$(O)/%.o,$(basename $(KSRC)))
HOBJ := $(patsubst %,$(O)/%.o,$(basename $(HSRC)))

all: linux

linux: $(KOBJ) $(HOBJ) $(O)/stub_blob.o
	@echo "  LD      $@"
	@$(CC) -g -o $@ $^ $(LDLIBS)

$(UAPI)/.stamp:
	mkdir -p $(UAPI)
	ln -sfn /usr/include/linux $(UAPI)/linux
	ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	ln -sfn /usr/include/$(shell $(CC) -print-multiarch)/asm $(UAPI)/asm
	touch $@

$(O)/%.o: %.c $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(if $(filter os-Linux/%,$<),$(CC) $(HCFLAGS),$(CC) $(KCFLAGS)) -MMD -MP -c -o $@ $<

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
	$(CC) $(STUB_CFLAGS) -Wl,-T,arch/um/stub/stub.lds -Wl,--build-id=none -o $@ arch/um/stub/stub.c

$(O)/stub_blob.o: arch/um/stub/blob.S $(O)/stub
	$(CC) -c -DSTUB_PATH='"$(O)/stub"' -o $@ $<

-include $(shell find $(O) -name '*.d' 2>/dev/null)

clean:
	rm -rf $(O) linux

.PHONY: all clean check unit guest boot bench
-include tests/tests.mk
