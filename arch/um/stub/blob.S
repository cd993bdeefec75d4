/* The stub program, embedded into ./linux as bytes. */
	.section .rodata
	.globl stub_image, stub_image_end
	.balign 16
stub_image:
	.incbin STUB_PATH
stub_image_end:
	.section .note.GNU-stack,"",@progbits
