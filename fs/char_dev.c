/*
 * char_dev.c - character devices by major number.
 *
 * A driver registers one file_operations table per major.  A device node
 * (S_IFCHR inode) carries def_chr_fops, whose open looks the major up,
 * switches the file to the driver's table and calls the driver's open,
 * which finds the minor in inode->i_rdev and may switch f_op again.
 */
#include "kernel/kernel.h"
#include "kernel/fs.h"

#define CHRDEV_MAJORS	256

struct chrdev {
	const char *name;
	const struct file_operations *fops;
};

static struct chrdev chrdevs[CHRDEV_MAJORS];

/* Registers fops for major: 0, -EINVAL for a bad major, -EBUSY if taken. */
int register_chrdev(unsigned major, const char *name, const struct file_operations *fops)
{
	if (major == 0 || major >= CHRDEV_MAJORS || fops == NULL)
		return -EINVAL;
	if (chrdevs[major].fops != NULL)
		return -EBUSY;
	chrdevs[major].name = name;
	chrdevs[major].fops = fops;
	return 0;
}

/*
 * Opens the character device inode->i_rdev: the driver's open result, or
 * -ENXIO when no driver has the major.  May sleep (in the driver).
 */
int chrdev_open(struct inode *inode, struct file *f)
{
	unsigned major = MAJOR(inode->i_rdev);
	const struct file_operations *fops;
	const struct file_operations *old = f->f_op;
	int ret;

	if (major >= CHRDEV_MAJORS || chrdevs[major].fops == NULL)
		return -ENXIO;
	fops = chrdevs[major].fops;
	f->f_op = fops;
	if (fops->open == NULL)
		return 0;
	ret = fops->open(inode, f);
	if (ret < 0)
		f->f_op = old;
	return ret;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};
