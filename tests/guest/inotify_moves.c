/*
 * inotify_moves.c - inotify and renames as directory watchers (Python's
 * watchdog, file managers) see them: a file moved between two watched
 * directories (MOVED_FROM in one, MOVED_TO in the other, one cookie),
 * a move onto an existing name (the replaced file's watch gets ATTRIB,
 * DELETE_SELF, IGNORED), a watched subdirectory moved (MOVE_SELF|ISDIR
 * on its own watch) and removed (DELETE_SELF, IGNORED), IN_DONT_FOLLOW
 * on a symlink, and a new watch after the old one went: a new wd.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>

static uint32_t cookies[8];
static int ncookies;

static const char *mask_name(uint32_t m)
{
	static char b[200];
	static const struct { uint32_t bit; const char *n; } names[] = {
		{ IN_ATTRIB, "ATTRIB" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
		{ IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" },
		{ IN_MOVE_SELF, "MOVE_SELF" }, { IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" },
		{ IN_MODIFY, "MODIFY" }, { IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_OPEN, "OPEN" },
	};

	b[0] = 0;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (m & names[i].bit)
			snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s%s", b[0] ? "|" : "", names[i].n);
	return b;
}

static int drain(int fd, const char *what)
{
	char buf[4096] __attribute__((aligned(8)));
	ssize_t len;
	int n = 0;

	printf("-- %s\n", what);
	ncookies = 0;
	while ((len = read(fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + len; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
			struct inotify_event *e = (struct inotify_event *)p;

			printf("ev wd%d %s %s%s\n", e->wd, mask_name(e->mask), e->len ? e->name : "-",
			       e->cookie ? " (cookie)" : "");
			if (e->cookie && ncookies < 8)
				cookies[ncookies++] = e->cookie;
			n++;
		}
	return n;
}

int main(void)
{
	char top[256], a[300], b[300], p1[320], p2[320], sub[320], sub2[320], ln[320];
	int in, wa, wb, wf, ws;
	const uint32_t dirmask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;

	t_start();
	t_path(top, sizeof(top), "inotify-moves");
	mkdir(top, 0755);
	snprintf(a, sizeof(a), "%s/a", top);
	snprintf(b, sizeof(b), "%s/b", top);
	mkdir(a, 0755);
	mkdir(b, 0755);
	in = inotify_init1(IN_NONBLOCK);
	wa = inotify_add_watch(in, a, dirmask);
	wb = inotify_add_watch(in, b, dirmask);
	check(wa == 1 && wb == 2, "two directory watches", "%d %d", wa, wb);
	snprintf(p1, sizeof(p1), "%s/file", a);
	snprintf(p2, sizeof(p2), "%s/moved", b);
	close(open(p1, O_CREAT | O_WRONLY, 0644));
	drain(in, "create in a");
	rename(p1, p2);
	check(drain(in, "a/file -> b/moved") == 2 && ncookies == 2 && cookies[0] == cookies[1],
	      "MOVED_FROM in a, MOVED_TO in b, one cookie", "%d cookies", ncookies);
	close(open(p1, O_CREAT | O_WRONLY, 0644));
	wf = inotify_add_watch(in, p2, IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
	drain(in, "create a/file again, watch b/moved");
	rename(p1, p2);
	drain(in, "a/file -> b/moved over the watched file");
	check(wf == 3, "the file's watch was wd 3", "%d", wf);
	snprintf(sub, sizeof(sub), "%s/sub", a);
	snprintf(sub2, sizeof(sub2), "%s/sub2", b);
	mkdir(sub, 0755);
	ws = inotify_add_watch(in, sub, IN_MOVE_SELF | IN_DELETE_SELF | IN_ONLYDIR);
	check(ws == 4, "a subdirectory watch: wd 4", "%d", ws);
	drain(in, "mkdir a/sub");
	rename(sub, sub2);
	drain(in, "a/sub -> b/sub2");
	rmdir(sub2);
	drain(in, "rmdir b/sub2");
	snprintf(ln, sizeof(ln), "%s/link", b);
	symlink("moved", ln);
	drain(in, "symlink b/link");
	int wl = inotify_add_watch(in, ln, IN_ATTRIB | IN_DONT_FOLLOW);
	int wt = inotify_add_watch(in, ln, IN_ATTRIB);
	check(wl == 5 && wt != wl, "IN_DONT_FOLLOW watches the link itself, not its target", "%d %d", wl, wt);
	unlink(ln);
	unlink(p2);
	drain(in, "unlink the link and the file");
	rmdir(a);
	rmdir(b);
	drain(in, "rmdir a and b");
	close(in);
	rmdir(top);
	return t_done();
}
