/*
 * protocol.c - the request side of UML's mconsole protocol, version 2:
 * a struct mconsole_request with MCONSOLE_MAGIC, a version, a length and
 * the command text.  Pure code: tests/unit/test_mconsole.c runs it.
 */
#include "kernel/kernel.h"
#include "shared/mconsole.h"
#include "mconsole.h"

const char *mconsole_parse(const void *buf, size_t n, char *cmd)
{
	struct mconsole_request req;
	u32 len;

	memset(&req, 0, sizeof(req));
	memcpy(&req, buf, min(n, sizeof(req)));
	cmd[0] = '\0';
	if (n < offsetof(struct mconsole_request, data))
		return "Request too short";
	if (req.magic != MCONSOLE_MAGIC)
		return "Version 0 mconsole clients are not supported by this driver";
	if (req.version != MCONSOLE_VERSION)
		return "This driver only supports version 2 mconsole clients";
	len = req.len;
	if (len >= MCONSOLE_MAX_DATA)
		return "Request too large";
	if (len > n - offsetof(struct mconsole_request, data))
		return "Request shorter than its length";
	memcpy(cmd, req.data, len);
	cmd[len] = '\0';
	if (strlen(cmd) != len)
		return "Request has a NUL byte inside";
	return NULL;
}
