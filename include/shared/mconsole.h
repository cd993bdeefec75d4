/*
 * mconsole.h - contract between the management console's kernel half
 * (drivers/mconsole/) and its host half (os-Linux/mconsole.c).
 *
 * The host half owns the umid directory uml_dir/umid (a pid file and a
 * unix datagram socket named mconsole, as UML lays them out), receives
 * requests on a thread that raises OS_IRQ_MCONSOLE, and sends replies.
 * The wire format is UML's mconsole protocol, version 2, in host byte
 * order: requests and replies are these structs, data NUL-terminated.
 */
#ifndef SHARED_MCONSOLE_H
#define SHARED_MCONSOLE_H

#include <stdint.h>

#define MCONSOLE_MAGIC		0xcafebabeU
#define MCONSOLE_VERSION	2
#define MCONSOLE_MAX_DATA	512

struct mconsole_request {
	uint32_t magic;
	uint32_t version;
	uint32_t len;		/* bytes of data, without the NUL */
	char data[MCONSOLE_MAX_DATA];
};

struct mconsole_reply {
	uint32_t err;		/* 0: "OK", else "ERR" */
	uint32_t more;		/* another reply follows for this request */
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

/* One received datagram and whom to answer; owned by the host half. */
struct mc_request {
	uint8_t buf[sizeof(struct mconsole_request)];
	uint32_t len;		/* bytes received */
	/* the sender's address follows, opaque to the kernel */
};

/*
 * Makes uml_dir (NULL: $HOME/.uml) and uml_dir/umid in it, the umid
 * being umid[] or, when it is empty, a random one written into umid[]
 * (size bytes).  A directory left by an instance that is no longer
 * running (its pid file names a dead process) is cleaned and reused.
 * Writes the pid file.  Returns 0, -EEXIST if a live instance uses that
 * umid, or another -errno (msg says what failed).
 */
int os_umid_setup(const char *uml_dir, char *umid, int size, char *msg, int msglen);
/* Binds the socket uml_dir/umid/mconsole and starts the receiver thread. */
int os_mconsole_start(char *path, int pathlen);
/* The next request, or -EAGAIN. */
int os_mconsole_get(struct mc_request **req);
/* Sends text (len bytes, any length) as replies of MCONSOLE_MAX_DATA-1
 * bytes at most; the last has more = 0 only when final.  0 or -errno. */
int os_mconsole_reply(struct mc_request *req, int err, const char *text, uint64_t len,
		      int final);
void os_mconsole_free(struct mc_request *req);
/* Removes the socket, the pid file and the umid directory.  Async-signal-safe. */
void os_umid_remove(void);

#endif
