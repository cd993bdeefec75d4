/*
 * xattr_churn.c - many changes to one inode's attributes: values grown
 * and shrunk in turn, names added and removed in a scrambled order,
 * each step checked against a model of what should be there; the whole
 * set kept small enough for a 1 KiB ext2 block plus the inode body.
 */
#include "xattr_t.h"

#define NATTR	12

static char model[NATTR][64];
static int msize[NATTR];		/* -1: absent */

static int verify(const char *f)
{
	char buf[128], want[2048] = "", nm[32];
	int bad = 0;

	for (int k = 0; k < NATTR; k++) {
		snprintf(nm, sizeof(nm), "user.attr%02d", k);
		ssize_t n = getxattr(f, nm, buf, sizeof(buf));
		if (msize[k] < 0)
			bad |= !(n < 0 && errno == ENODATA);
		else
			bad |= n != msize[k] || memcmp(buf, model[k], (size_t)n);
		if (msize[k] >= 0) {
			if (*want)
				strcat(want, ",");
			strcat(want, nm);
		}
	}
	return bad || strcmp(x_list(f), want);
}

static void churn(int i)
{
	char f[1024], name[96], nm[32];
	const char *L = x_labels[i];
	unsigned seed = 12345;
	int bad_step = -1;

#define N(s) (snprintf(name, sizeof(name), "%s %s", L, s), name)
	x_file(f, i, "f", 0644);
	for (int k = 0; k < NATTR; k++)
		msize[k] = -1;
	for (int step = 0; step < 400 && bad_step < 0; step++) {
		int k, len;

		seed = seed * 1103515245u + 12345u;
		k = (int)((seed >> 16) % NATTR);
		len = (int)((seed >> 8) % 48);
		snprintf(nm, sizeof(nm), "user.attr%02d", k);
		if (((seed >> 4) & 3) == 0) {
			int r = removexattr(f, nm);
			if ((r == 0) != (msize[k] >= 0))
				bad_step = step;
			msize[k] = -1;
		} else {
			for (int b = 0; b < len; b++)
				model[k][b] = (char)('a' + (step + b) % 26);
			if (setxattr(f, nm, model[k], (size_t)len, 0) < 0)
				bad_step = step;
			msize[k] = len;
		}
		if (bad_step < 0 && verify(f))
			bad_step = step;
	}
	check(bad_step < 0, N("400 random changes match the model"), "step %d: list %s", bad_step,
	      x_list(f));
	for (int k = 0; k < NATTR; k++) {
		snprintf(nm, sizeof(nm), "user.attr%02d", k);
		if (msize[k] >= 0)
			removexattr(f, nm);
		msize[k] = -1;
	}
	check(!strcmp(x_list(f), ""), N("all removed"), "%s", x_list(f));
	/* Values growing one byte at a time across the body/block boundary. */
	int grow_bad = -1;
	char v[600];
	memset(v, 'g', sizeof(v));
	for (int len = 0; len <= 600 && grow_bad < 0; len += 7) {
		char back[600];
		if (setxattr(f, "user.grow", v, (size_t)len, 0) < 0 ||
		    getxattr(f, "user.grow", back, sizeof(back)) != len || memcmp(back, v, (size_t)len))
			grow_bad = len;
		if (setxattr(f, "user.small", "s", 1, 0) < 0)
			grow_bad = len;
	}
	check(grow_bad < 0, N("growing value"), "at %d: errno %d", grow_bad, errno);
	for (int len = 600; len >= 0 && grow_bad < 0; len -= 13) {
		char back[600];
		if (setxattr(f, "user.grow", v, (size_t)len, 0) < 0 ||
		    getxattr(f, "user.grow", back, sizeof(back)) != len)
			grow_bad = len;
	}
	check(grow_bad < 0, N("shrinking value"), "at %d: errno %d", grow_bad, errno);
	check(!strcmp(x_list(f), "user.grow,user.small"), N("two left"), "%s", x_list(f));
	/* Many files with the same attributes. */
	int files_bad = 0;
	for (int k = 0; k < 30; k++) {
		char g[1024], nmf[16];
		snprintf(nmf, sizeof(nmf), "m%02d", k);
		x_file(g, i, nmf, 0644);
		files_bad |= setxattr(g, "user.same", v, 300, 0) < 0;
		files_bad |= setxattr(g, "user.k", nmf, 3, 0) < 0;
	}
	for (int k = 0; k < 30; k++) {
		char g[1024], nmf[16], back[400];
		snprintf(nmf, sizeof(nmf), "m%02d", k);
		x_path(g, i, nmf);
		files_bad |= getxattr(g, "user.same", back, sizeof(back)) != 300;
		files_bad |= getxattr(g, "user.k", back, sizeof(back)) != 3 || memcmp(back, nmf, 3);
		if (k % 2)
			files_bad |= unlink(g) < 0;
	}
	check(!files_bad, N("30 files with attributes, half unlinked"), "-");
#undef N
}

int main(void)
{
	t_start();
	x_setup("xattr_churn");
	for (int i = 0; i < 2; i++)
		churn(i);
	x_cleanup();
	return t_done();
}
