/*
 * vdso.c - the guest's vDSO (arch/um/vdso/) and the vvar page under it.
 *
 * At boot the vDSO image and one page for the vvar data go into a sealed
 * kernel memfd: page 0 is the vvar page, the image follows.  Every exec
 * maps both at a random address (vvar read-only and shared, so every
 * process sees the kernel's writes at once; the image private and r-x)
 * and puts the image's address in AT_SYSINFO_EHDR.
 *
 * The time base: the guest's clocks are one linear function of the TSC
 * (include/shared/vvar.h), which clock_gettime evaluates too.  The rate
 * comes from the TSC and the host's CLOCK_MONOTONIC since boot; at every
 * timer interrupt the line is re-anchored where it is (so it never steps
 * back) and its slope corrected to close the distance to the host's clock
 * over the next HORIZON_NS, at most MAX_PPM.  Without a TSC the host's
 * clocks trust, use_tsc stays 0 and the vDSO makes the syscall.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"
#include "kernel/mm.h"
#include "kernel/page.h"
#include "kernel/sched.h"
#include "kernel/vdso.h"
#include "shared/vvar.h"
#include "uapi/linux/mman.h"

#define HORIZON_NS	50000000LL	/* close an offset within 50 ms */
#define MAX_PPM		1000LL		/* slew at most 0.1% */
#define STEP_NS		10000000LL	/* further ahead than 10 ms: step forward */
#define CAL_MIN_NS	1000000ULL	/* the first rate's shortest baseline */
/* Where the pair sits: a random page in the 512 MB above mmap_base. */
#define VDSO_SLOTS	(1ULL << 17)

extern const u8 vdso_image[], vdso_image_end[];

static struct file *vdso_file;		/* read-only; mappings take references */
static struct page *vvar_pg;		/* held: never evicted, written in place */
static struct vvar_data *vvar;
static u64 text_len;			/* the image, page aligned */
static bool tsc_ok, calibrated;
static u64 cal_tsc, cal_ns;		/* the first calibration point */
static s64 max_err;
static s64 real_adjust;			/* clock_settime's change to CLOCK_REALTIME */			/* the farthest the line was from the host's clock */

static void vvar_publish(u64 tsc, u64 mono, u64 mult);
static void sample(u64 *ns, u64 *tsc);
static u64 rate_of(u64 ns, u64 cycles);

/*
 * The first rate, from the sample vdso_init took to now, over at least
 * CAL_MIN_NS: made when the first program is exec'ed (or at a tick before
 * that), so the baseline is the boot itself and the kernel spins only for
 * what is left of CAL_MIN_NS.  Until then use_tsc is 0 and the vDSO makes
 * the syscall.  Every tick refines the rate (a longer baseline).
 */
static void vdso_calibrate(bool spin)
{
	u64 h, tsc;

	if (!tsc_ok || calibrated)
		return;
	do {
		sample(&h, &tsc);
		if (h - cal_ns < CAL_MIN_NS && !spin)
			return;
	} while (h - cal_ns < CAL_MIN_NS);
	calibrated = true;
	vvar_publish(tsc, h, rate_of(h - cal_ns, tsc - cal_tsc));
	printk(KERN_INFO "vdso: clocks from the TSC, %llu MHz\n",
	       (unsigned long long)((1000ULL << VVAR_SHIFT) / vvar->mult));
}

int vdso_init(void)
{
	u64 len = (u64)(vdso_image_end - vdso_image);
	u8 *buf;
	int err = 0;

	text_len = ALIGN_UP(len, PAGE_SIZE);
	buf = kmalloc(PAGE_SIZE + len);
	if (buf == NULL)
		return -ENOMEM;
	memset(buf, 0, PAGE_SIZE);
	memcpy(buf + PAGE_SIZE, vdso_image, len);
	vdso_file = memfd_kernel_file("[vdso]", buf, PAGE_SIZE + len);
	kfree(buf);
	if (IS_ERR(vdso_file)) {
		err = (int)PTR_ERR(vdso_file);
		vdso_file = NULL;
		return err;
	}
	vvar_pg = filemap_get_page(vdso_file->f_inode, 0, NULL, &err);
	if (vvar_pg == NULL) {
		fput(vdso_file);
		vdso_file = NULL;
		return err;
	}
	vvar = page_address(vvar_pg);
	tsc_ok = os_tsc_is_clocksource();
	if (tsc_ok)
		sample(&cal_ns, &cal_tsc);
	return 0;
}

void vdso_release(void)
{
	if (vdso_file == NULL)
		return;
	printk(KERN_DEBUG "vdso: the clock line was at most %lld ns from the host's\n",
	       (long long)max_err);
	vvar = NULL;
	page_put(vvar_pg);
	fput(vdso_file);
	vdso_file = NULL;
}

int vdso_map(struct mm *mm)
{
	u64 r, addr;
	long err;

	if (vdso_file == NULL)
		return 0;	/* no vDSO: programs make the syscalls */
	vdso_calibrate(true);
	os_getrandom(&r, sizeof(r));
	addr = mm->mmap_base + (r % VDSO_SLOTS) * PAGE_SIZE;
	err = mm_mmap(mm, addr, PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_FIXED, vdso_file, 0);
	if (err >= 0)
		err = mm_mmap(mm, addr + PAGE_SIZE, text_len, PROT_READ | PROT_EXEC,
			      MAP_PRIVATE | MAP_FIXED, vdso_file, PAGE_SIZE);
	if (err < 0)
		return (int)err;
	mm->vdso_base = addr + PAGE_SIZE;
	return 0;
}

const char *vdso_vma_name(const struct vma *v)
{
	if (vdso_file == NULL || v->file == NULL || v->file->f_inode != vdso_file->f_inode)
		return NULL;
	return v->pgoff == 0 ? "[vvar]" : "[vdso]";
}

/* 2^VVAR_SHIFT ns per cycle from ns over cycles, in 64 bits. */
static u64 rate_of(u64 ns, u64 cycles)
{
	while (ns >= (1ULL << 31)) {
		ns >>= 1;
		cycles >>= 1;
	}
	return cycles ? (ns << VVAR_SHIFT) / cycles : 0;
}

/* The slope that closes err ns (host minus line) over HORIZON_NS. */
static u64 slewed(u64 rate, s64 err)
{
	s64 ppm = err * 1000 / (HORIZON_NS / 1000);

	ppm = ppm > MAX_PPM ? MAX_PPM : ppm < -MAX_PPM ? -MAX_PPM : ppm;
	return (u64)((s64)rate + (s64)rate / 1000000 * ppm);
}

/*
 * The host's monotonic time since boot and the TSC, read as one instant:
 * the TSC between two clock reads, the closest pair of 16 (a busy host
 * may preempt us between the reads).
 */
static void sample(u64 *ns, u64 *tsc)
{
	u64 best = ~0ULL;

	for (int i = 0; i < 16 && best > 200; i++) {
		u64 a = os_monotonic_ns(), t = vvar_rdtsc(), b = os_monotonic_ns();

		if (b - a < best) {
			best = b - a;
			*tsc = t;
			*ns = a + (b - a) / 2 - ktime_boot_ns();
		}
	}
}

/* Writes a new line (if mult) and the offsets, as one seqlock update. */
static void vvar_publish(u64 tsc, u64 mono, u64 mult)
{
	s64 real_off = (s64)(os_realtime_ns() - os_monotonic_ns() + ktime_boot_ns()) + real_adjust;

	vvar->seq++;		/* odd: readers retry */
	__asm__ __volatile__("" ::: "memory");
	if (mult) {
		vvar->tsc_base = tsc;
		vvar->mono_ns = mono;
		vvar->mult = mult;
		vvar->use_tsc = 1;
	}
	vvar->real_off_ns = real_off;
	vvar->coarse_mono_ns = mono;
	__asm__ __volatile__("" ::: "memory");
	vvar->seq++;
}

void vvar_update(void)
{
	u64 h, tsc, mono, mult = 0;
	s64 err;

	if (vvar == NULL)
		return;
	if (!calibrated) {
		vdso_calibrate(false);	/* once CAL_MIN_NS have passed */
		if (calibrated || tsc_ok)
			return;
	}
	sample(&h, &tsc);
	mono = h;
	if (vvar->use_tsc) {
		mult = rate_of(h - cal_ns, tsc - cal_tsc);
		mono = vvar_mono_at(vvar, tsc);
		err = (s64)(h - mono);
		if ((err < 0 ? -err : err) > max_err)
			max_err = err < 0 ? -err : err;
		if (err > STEP_NS)
			mono = h;
		mult = slewed(mult, (s64)(h - mono));
	}
	vvar_publish(tsc, mono, mult);
}

u64 vdso_mono_ns(void)
{
	if (vvar == NULL || !vvar->use_tsc)
		return os_monotonic_ns() - ktime_boot_ns();
	return vvar_mono_at(vvar, vvar_rdtsc());
}

u64 vdso_mono_coarse_ns(void)
{
	if (vvar == NULL || !vvar->use_tsc)
		return os_monotonic_ns() - ktime_boot_ns();
	return vvar->coarse_mono_ns;
}

s64 vdso_real_offset_ns(void)
{
	if (vvar == NULL || !vvar->use_tsc)
		return (s64)(os_realtime_ns() - os_monotonic_ns() + ktime_boot_ns()) + real_adjust;
	return vvar->real_off_ns;
}

/*
 * Sets the guest's CLOCK_REALTIME to real_ns (the host's clock is not
 * touched: the guest's runs at an offset from it from now on).
 */
void vdso_set_timezone(int minuteswest, int dsttime)
{
	if (vvar == NULL)
		return;
	vvar->seq++;
	__asm__ __volatile__("" ::: "memory");
	vvar->tz_minuteswest = minuteswest;
	vvar->tz_dsttime = dsttime;
	__asm__ __volatile__("" ::: "memory");
	vvar->seq++;
}

void vdso_set_realtime(u64 real_ns)
{
	u64 now = vdso_mono_ns() + (u64)vdso_real_offset_ns();

	real_adjust += (s64)(real_ns - now);
	if (vvar != NULL)
		vvar_publish(vvar->tsc_base, vvar->mono_ns, 0);
}
