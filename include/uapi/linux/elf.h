/*
 * uapi/linux/elf.h - <linux/elf.h>: the ELF64 file and program headers exec reads from guest files.
 * The layouts the kernel copies to or from guests, checked here against
 * the x86_64 ABI (sizes and offsets worked out from the declarations).
 */
#ifndef UAPI_LINUX_ELF_H
#define UAPI_LINUX_ELF_H

#include <stddef.h>
#include <linux/elf.h>

_Static_assert(sizeof(struct elf64_hdr) == 64, "struct elf64_hdr (<linux/elf.h>): 64 bytes");
_Static_assert(offsetof(struct elf64_hdr, e_ident) == 0, "struct elf64_hdr.e_ident (<linux/elf.h>) at 0");
_Static_assert(offsetof(struct elf64_hdr, e_type) == 16, "struct elf64_hdr.e_type (<linux/elf.h>) at 16");
_Static_assert(offsetof(struct elf64_hdr, e_machine) == 18, "struct elf64_hdr.e_machine (<linux/elf.h>) at 18");
_Static_assert(offsetof(struct elf64_hdr, e_version) == 20, "struct elf64_hdr.e_version (<linux/elf.h>) at 20");
_Static_assert(offsetof(struct elf64_hdr, e_entry) == 24, "struct elf64_hdr.e_entry (<linux/elf.h>) at 24");
_Static_assert(offsetof(struct elf64_hdr, e_phoff) == 32, "struct elf64_hdr.e_phoff (<linux/elf.h>) at 32");
_Static_assert(offsetof(struct elf64_hdr, e_shoff) == 40, "struct elf64_hdr.e_shoff (<linux/elf.h>) at 40");
_Static_assert(offsetof(struct elf64_hdr, e_flags) == 48, "struct elf64_hdr.e_flags (<linux/elf.h>) at 48");
_Static_assert(offsetof(struct elf64_hdr, e_ehsize) == 52, "struct elf64_hdr.e_ehsize (<linux/elf.h>) at 52");
_Static_assert(offsetof(struct elf64_hdr, e_phentsize) == 54, "struct elf64_hdr.e_phentsize (<linux/elf.h>) at 54");
_Static_assert(offsetof(struct elf64_hdr, e_phnum) == 56, "struct elf64_hdr.e_phnum (<linux/elf.h>) at 56");
_Static_assert(offsetof(struct elf64_hdr, e_shentsize) == 58, "struct elf64_hdr.e_shentsize (<linux/elf.h>) at 58");
_Static_assert(offsetof(struct elf64_hdr, e_shnum) == 60, "struct elf64_hdr.e_shnum (<linux/elf.h>) at 60");
_Static_assert(offsetof(struct elf64_hdr, e_shstrndx) == 62, "struct elf64_hdr.e_shstrndx (<linux/elf.h>) at 62");
_Static_assert(sizeof(struct elf64_phdr) == 56, "struct elf64_phdr (<linux/elf.h>): 56 bytes");
_Static_assert(offsetof(struct elf64_phdr, p_type) == 0, "struct elf64_phdr.p_type (<linux/elf.h>) at 0");
_Static_assert(offsetof(struct elf64_phdr, p_flags) == 4, "struct elf64_phdr.p_flags (<linux/elf.h>) at 4");
_Static_assert(offsetof(struct elf64_phdr, p_offset) == 8, "struct elf64_phdr.p_offset (<linux/elf.h>) at 8");
_Static_assert(offsetof(struct elf64_phdr, p_vaddr) == 16, "struct elf64_phdr.p_vaddr (<linux/elf.h>) at 16");
_Static_assert(offsetof(struct elf64_phdr, p_paddr) == 24, "struct elf64_phdr.p_paddr (<linux/elf.h>) at 24");
_Static_assert(offsetof(struct elf64_phdr, p_filesz) == 32, "struct elf64_phdr.p_filesz (<linux/elf.h>) at 32");
_Static_assert(offsetof(struct elf64_phdr, p_memsz) == 40, "struct elf64_phdr.p_memsz (<linux/elf.h>) at 40");
_Static_assert(offsetof(struct elf64_phdr, p_align) == 48, "struct elf64_phdr.p_align (<linux/elf.h>) at 48");

#endif
