/*
 * switch.S - switch_to(prev, next): save the callee-saved registers and
 * the stack pointer of the running kernel context in *prev, load *next's.
 * struct context's first word is the saved rsp.
 */
	.text
	.globl switch_to
	.type switch_to, @function
switch_to:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size switch_to, .-switch_to

/* First code a new task runs: its entry function is in %rbx. */
	.globl task_trampoline
task_trampoline:
	movq %rbx, %rax
	xorl %ebp, %ebp
	call *%rax
	ud2
	.section .note.GNU-stack,"",@progbits
