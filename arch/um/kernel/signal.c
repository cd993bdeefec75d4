/*
 * signal.c - the x86-64 signal frame: what a handler finds on its stack
 * (struct rt_sigframe: return address, ucontext, siginfo, then the XSAVE
 * area) and rt_sigreturn, which restores the interrupted state from it.
 * The layout is the one in the uapi headers <asm/sigcontext.h> and
 * <asm/ucontext.h>; glibc's __restore_rt is the return address.
 */
#include "kernel/sched.h"
#include "kernel/mm.h"
#include "kernel/syscalls.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "uapi/asm/unistd_64.h"
#include "uapi/asm/sigcontext.h"
#include "uapi/asm/ucontext.h"

struct rt_sigframe {
	u64 pretcode;
	struct ucontext uc;
	siginfo_t info;
};
/* Linux's x86_64 struct rt_sigframe (arch/x86/include/asm/sigframe.h). */
_Static_assert(offsetof(struct rt_sigframe, uc) == 8 && offsetof(struct rt_sigframe, info) == 312 &&
	       sizeof(struct rt_sigframe) == 440, "x86_64 rt signal frame layout");

/* The flags a guest may change through sigreturn (Linux's FIX_EFLAGS). */
#define FIX_EFLAGS 0x40dd5ULL

static void regs_to_sigcontext(const struct os_regs *r, struct sigcontext *sc)
{
	sc->r8 = r->r8; sc->r9 = r->r9; sc->r10 = r->r10; sc->r11 = r->r11;
	sc->r12 = r->r12; sc->r13 = r->r13; sc->r14 = r->r14; sc->r15 = r->r15;
	sc->rdi = r->rdi; sc->rsi = r->rsi; sc->rbp = r->rbp; sc->rbx = r->rbx;
	sc->rdx = r->rdx; sc->rax = r->rax; sc->rcx = r->rcx; sc->rsp = r->rsp;
	sc->rip = r->rip; sc->eflags = r->eflags; sc->cs = (u16)r->cs;
	sc->ss = (u16)r->ss;
}

static void sigcontext_to_regs(const struct sigcontext *sc, struct os_regs *r)
{
	r->r8 = sc->r8; r->r9 = sc->r9; r->r10 = sc->r10; r->r11 = sc->r11;
	r->r12 = sc->r12; r->r13 = sc->r13; r->r14 = sc->r14; r->r15 = sc->r15;
	r->rdi = sc->rdi; r->rsi = sc->rsi; r->rbp = sc->rbp; r->rbx = sc->rbx;
	r->rdx = sc->rdx; r->rax = sc->rax; r->rcx = sc->rcx; r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->eflags = (r->eflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
}

/* Writes the FPU state at fp in the guest, with the xstate magic words. */
static int save_fpstate(struct task *t, u64 fp)
{
	struct _fpx_sw_bytes *sw = (struct _fpx_sw_bytes *)(t->xstate + 464);
	u32 magic2 = FP_XSTATE_MAGIC2;

	sw->magic1 = FP_XSTATE_MAGIC1;
	sw->extended_size = t->xstate_len + FP_XSTATE_MAGIC2_SIZE;
	sw->xfeatures = *(u64 *)(t->xstate + 512);
	sw->xstate_size = t->xstate_len;
	if (copy_to_user(UADDR(fp), t->xstate, t->xstate_len) ||
	    copy_to_user(uaddr_off(UADDR(fp), t->xstate_len), &magic2, sizeof(magic2)))
		return -EFAULT;
	return 0;
}

int arch_setup_frame(struct task *t, int sig, struct k_sigaction *ka, siginfo_t *info,
		     ksigset_t oldmask)
{
	struct rt_sigframe f;
	u64 sp = t->regs.rsp - 128, fp;	/* skip the red zone */
	bool on_alt = t->altstack_size && t->regs.rsp - t->altstack_sp < t->altstack_size;

	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;		/* x86-64 has no kernel-provided trampoline */
	if ((ka->flags & SA_ONSTACK) && t->altstack_size && !on_alt)
		sp = t->altstack_sp + t->altstack_size;
	arch_fpu_sync(t);
	sp -= t->xstate_len + FP_XSTATE_MAGIC2_SIZE;
	sp &= ~63ULL;
	fp = sp;
	sp -= sizeof(f);
	sp = (sp & ~15ULL) - 8;
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.uc_flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = (void *)t->altstack_sp;
	f.uc.uc_stack.ss_size = t->altstack_size;
	f.uc.uc_stack.ss_flags = t->altstack_size ? (on_alt ? SS_ONSTACK : 0) : SS_DISABLE;
	regs_to_sigcontext(&t->regs, &f.uc.uc_mcontext);
	f.uc.uc_mcontext.oldmask = oldmask;
	f.uc.uc_mcontext.fpstate = (void *)fp;
	if (sig == SIGSEGV || sig == SIGBUS) {
		f.uc.uc_mcontext.cr2 = (u64)info->si_addr;
		f.uc.uc_mcontext.trapno = 14;
	}
	f.uc.uc_sigmask = oldmask;
	f.info = *info;
	if (save_fpstate(t, fp) || copy_to_user(UADDR(sp), &f, sizeof(f)))
		return -EFAULT;
	t->regs.rsp = sp;
	t->regs.rip = ka->handler;
	t->regs.rdi = sig;
	t->regs.rsi = sp + offsetof(struct rt_sigframe, info);
	t->regs.rdx = sp + offsetof(struct rt_sigframe, uc);
	t->regs.rax = 0;
	t->regs.eflags &= ~(0x400ULL | 0x100ULL | 0x10000ULL);	/* DF, TF, RF */
	/* The handler runs in 64-bit mode whatever the interrupted code did,
	 * as Linux's setup_rt_frame sets __USER_CS and __USER_DS. */
	t->regs.cs = OS_USER_CS;
	t->regs.ss = OS_USER_DS;
	if (t->altstack_flags & SS_AUTODISARM)	/* forgotten while the handler runs */
		t->altstack_sp = t->altstack_size = t->altstack_flags = 0;
	return 0;
}

SYSCALL(rt_sigreturn)
{
	u64 frame = t->regs.rsp - 8;
	struct rt_sigframe f;

	if (copy_from_user(&f, UADDR(frame), sizeof(f)))
		goto bad;
	sigcontext_to_regs(&f.uc.uc_mcontext, &t->regs);
	t->blocked = f.uc.uc_sigmask & ~SIG_KERNEL_ONLY;
	altstack_set(t, &f.uc.uc_stack, t->regs.rsp);	/* errors ignored, as Linux's */
	if (f.uc.uc_mcontext.fpstate) {
		arch_fpu_sync(t);
		if (copy_from_user(t->xstate, UADDR(f.uc.uc_mcontext.fpstate), t->xstate_len))
			goto bad;
		arch_fpu_dirty(t);
	}
	t->regs.orig_rax = (u64)-1;	/* nothing to restart */
	return (long)t->regs.rax;
bad:
	force_sig_fault(SIGSEGV, SI_KERNEL, 0);
	t->regs.orig_rax = (u64)-1;
	return (long)t->regs.rax;
}

/* exec: a fresh thread at ip with stack sp, 64-bit, nothing to restart. */
void arch_start_thread(struct task *t, u64 ip, u64 sp)
{
	memset(&t->regs, 0, sizeof(t->regs));
	t->regs.rip = ip;
	t->regs.rsp = sp;
	t->regs.cs = OS_USER_CS;
	t->regs.ss = OS_USER_DS;
	t->regs.eflags = 0x202;		/* IF */
	t->regs.orig_rax = (u64)-1;
	t->xstate_valid = false;
}

/* clone: the child returns 0 from the syscall, on sp if given, with tls. */
void arch_copy_thread(struct task *c, const struct task *p, u64 sp, bool set_tls, u64 tls)
{
	c->regs = p->regs;
	c->regs.rax = 0;
	if (sp)
		c->regs.rsp = sp;
	if (set_tls)
		c->regs.fs_base = tls;
}

/*
 * A syscall interrupted by a signal: -ERESTART* become -EINTR or a
 * restart (rip back over the 2-byte syscall instruction, rax the number
 * again, or restart_syscall for -ERESTART_RESTARTBLOCK), as Linux decides.
 */
void arch_syscall_restart(struct task *t, bool has_handler, bool sa_restart)
{
	long r = (long)t->regs.rax;

	if ((long)t->regs.orig_rax < 0)
		return;
	switch (r) {
	case -ERESTART_RESTARTBLOCK:
		if (has_handler) {
			t->regs.rax = (u64)-EINTR;
			t->restart_fn = NULL;
			break;
		}
		/* Go on where it stopped: restart_syscall runs t->restart_fn. */
		t->regs.rax = __NR_restart_syscall;
		t->regs.rip -= 2;
		break;
	case -ERESTARTNOHAND:
		if (has_handler) {
			t->regs.rax = (u64)-EINTR;
			break;
		}
		/* fall through */
	case -ERESTARTNOINTR:
		t->regs.rax = t->regs.orig_rax;
		t->regs.rip -= 2;
		break;
	case -ERESTARTSYS:
		if (has_handler && !sa_restart) {
			t->regs.rax = (u64)-EINTR;
			break;
		}
		t->regs.rax = t->regs.orig_rax;
		t->regs.rip -= 2;
		break;
	}
	t->regs.orig_rax = (u64)-1;
}
