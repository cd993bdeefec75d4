/* The guest vDSO, embedded into ./linux as bytes (arch/um/kernel/vdso.c maps it). */
	.section .rodata
	.globl vdso_image, vdso_image_end
	.balign 4096
vdso_image:
	.incbin VDSO_PATH
vdso_image_end:
	.section .note.GNU-stack,"",@progbits
