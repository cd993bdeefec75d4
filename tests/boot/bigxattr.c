/*
 * bigxattr.c - the guest half of boot test xattr_ea_inode: values too big
 * for an ext4 inode or xattr block (64 KiB, the largest a guest may set)
 * on a filesystem with ea_inode, where ext4 keeps each in an inode of its
 * own.
 *   bigxattr set FILE    creates FILE holding the 64 KiB pattern, sets it
 *                        as user.big and 3000 bytes of it as user.mid,
 *                        reads them back, tries 65537 bytes (E2BIG)
 *   bigxattr check FILE  reads user.big back against FILE's contents and
 *                        removes both
 * Prints what it saw; the host compares with debugfs and runs e2fsck.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#define BIG 65536

static const char *err_name(int e)
{
	switch (e) {
	case E2BIG: return "E2BIG";
	case ENOSPC: return "ENOSPC";
	case ENODATA: return "ENODATA";
	case ERANGE: return "ERANGE";
	default: return strerror(e);
	}
}

static void result(const char *what, long r)
{
	if (r < 0)
		printf("%s: %s\n", what, err_name(errno));
	else
		printf("%s: %ld\n", what, r);
}

int main(int argc, char **argv)
{
	static unsigned char v[BIG + 1], back[BIG + 1];
	long r;
	int fd;

	if (argc != 3)
		return 2;
	if (!strcmp(argv[1], "set")) {
		for (int i = 0; i <= BIG; i++)
			v[i] = (unsigned char)(i * 7 + i / 509);
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, v, BIG) != BIG || close(fd))
			return 3;
		result("set big", setxattr(argv[2], "user.big", v, BIG, XATTR_CREATE));
		result("set mid", setxattr(argv[2], "user.mid", v + 1, 3000, 0));
		r = getxattr(argv[2], "user.big", back, sizeof(back));
		result("get big", r);
		printf("same: %d\n", r == BIG && !memcmp(v, back, BIG));
		result("size big", getxattr(argv[2], "user.big", NULL, 0));
		result("short buffer", getxattr(argv[2], "user.big", back, 100));
		result("set 65537", setxattr(argv[2], "user.huge", v, BIG + 1, 0));
		r = getxattr(argv[2], "user.mid", back, sizeof(back));
		result("get mid", r);
		printf("same: %d\n", r == 3000 && !memcmp(v + 1, back, 3000));
		return 0;
	}
	if (!strcmp(argv[1], "check")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0 || read(fd, v, BIG) != BIG)
			return 3;
		close(fd);
		r = getxattr(argv[2], "user.big", back, sizeof(back));
		result("get big", r);
		printf("same: %d\n", r == BIG && !memcmp(v, back, BIG));
		result("remove big", removexattr(argv[2], "user.big"));
		result("remove mid", removexattr(argv[2], "user.mid"));
		result("get big", getxattr(argv[2], "user.big", back, sizeof(back)));
		return 0;
	}
	return 2;
}
