/* guest-cc: musl-gcc */
/*
 * gai_musl.c - musl's getaddrinfo over the dual-stack loopback, built
 * static with musl-gcc (tests/guest/run reads the first line): numeric
 * "::1", "127.0.0.1", "::ffff:127.0.0.1", the wildcard and loopback
 * forms of a NULL name, AI_ADDRCONFIG (musl probes each family by
 * connecting a UDP socket to its loopback address) and "localhost",
 * which musl sorts as RFC 6724 says by connecting a UDP socket to each
 * address (IPv4 ones v4-mapped on an AF_INET6 socket) and asking
 * getsockname for the source.  "localhost" must give exactly the
 * addresses /etc/hosts names for it (read here, so the host's file and
 * the image's may differ), ::1 before 127.0.0.1; then a TCP connection
 * to each of them reaches a dual-stack listener on [::], and
 * getnameinfo names ::1 numerically.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int failures;

static void check(int cond, const char *what)
{
	printf("%s: %s\n", what, cond ? "ok" : "FAILED");
	if (!cond)
		failures++;
}

static const char *text(const struct sockaddr *sa, char *buf, size_t n)
{
	if (sa->sa_family == AF_INET)
		return inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, (socklen_t)n);
	return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, (socklen_t)n);
}

static int port_of(const struct sockaddr *sa)
{
	return ntohs(sa->sa_family == AF_INET ? ((const struct sockaddr_in *)sa)->sin_port :
						((const struct sockaddr_in6 *)sa)->sin6_port);
}

static void show(const char *name, const char *serv, int family, int flags)
{
	struct addrinfo h, *res, *r;
	char b[64];
	int e;

	memset(&h, 0, sizeof(h));
	h.ai_family = family;
	h.ai_socktype = SOCK_STREAM;
	h.ai_flags = flags;
	e = getaddrinfo(name, serv, &h, &res);
	printf("getaddrinfo(%s, %s, family %d, flags %#x):", name ? name : "NULL", serv ? serv : "NULL", family,
	       flags);
	if (e != 0) {
		printf(" error %s\n", e == EAI_NONAME ? "EAI_NONAME" : e == EAI_FAMILY ? "EAI_FAMILY" :
				      e == EAI_SYSTEM ? "EAI_SYSTEM" : "other");
		return;
	}
	for (r = res; r; r = r->ai_next)
		printf(" [%s %s port %d proto %d]", r->ai_family == AF_INET ? "inet" : "inet6",
		       text(r->ai_addr, b, sizeof(b)), port_of(r->ai_addr), r->ai_protocol);
	printf("\n");
	freeaddrinfo(res);
}

/* The addresses /etc/hosts gives "localhost", as text. */
static int hosts_localhost(char out[][64], int max)
{
	FILE *f = fopen("/etc/hosts", "r");
	char line[512];
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *save, *addr, *nm;
		unsigned char bin[16];

		if (strchr(line, '#'))
			*strchr(line, '#') = 0;
		addr = strtok_r(line, " \t\n", &save);
		if (addr == NULL)
			continue;
		while ((nm = strtok_r(NULL, " \t\n", &save)) != NULL) {
			int dup = 0, i;

			if (strcasecmp(nm, "localhost"))
				continue;
			if (inet_pton(strchr(addr, ':') ? AF_INET6 : AF_INET, addr, bin) != 1)
				break;
			inet_ntop(strchr(addr, ':') ? AF_INET6 : AF_INET, bin, out[n], 64);
			for (i = 0; i < n; i++)
				dup |= !strcmp(out[i], out[n]);
			if (!dup)
				n++;
			break;
		}
	}
	fclose(f);
	return n;
}

static void localhost(void)
{
	char want[8][64], b[64];
	int nwant = hosts_localhost(want, 8), ngot = 0, i, match = 1, v4seen = 0, order = 1, connected = 0;
	struct addrinfo h, *res, *r;
	struct sockaddr_in6 la = { .sin6_family = AF_INET6 };
	socklen_t ll = sizeof(la);
	int l = socket(AF_INET6, SOCK_STREAM, 0), off = 0;

	memset(&h, 0, sizeof(h));
	h.ai_socktype = SOCK_STREAM;
	check(nwant > 0, "/etc/hosts names localhost");
	if (l < 0 || setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0 ||
	    bind(l, (struct sockaddr *)&la, sizeof(la)) < 0 || listen(l, 8) < 0 ||
	    getsockname(l, (struct sockaddr *)&la, &ll) < 0) {
		check(0, "a dual-stack listener on [::]");
		return;
	}
	snprintf(b, sizeof(b), "%d", ntohs(la.sin6_port));
	if (getaddrinfo("localhost", b, &h, &res) != 0) {
		check(0, "getaddrinfo(localhost)");
		return;
	}
	for (r = res; r; r = r->ai_next) {
		int found = 0, s, c;

		text(r->ai_addr, b, sizeof(b));
		for (i = 0; i < nwant; i++)
			found |= !strcmp(want[i], b);
		match &= found;
		ngot++;
		if (r->ai_family == AF_INET)
			v4seen = 1;
		else if (v4seen && !strcmp(b, "::1"))
			order = 0;		/* RFC 6724: ::1 (precedence 50) before ::ffff:0:0/96 (35) */
		s = socket(r->ai_family, SOCK_STREAM, 0);
		if (s >= 0 && connect(s, r->ai_addr, r->ai_addrlen) == 0 && (c = accept(l, NULL, NULL)) >= 0) {
			connected++;
			close(c);
		}
		if (s >= 0)
			close(s);
	}
	freeaddrinfo(res);
	close(l);
	check(match && ngot == nwant, "localhost gives exactly the /etc/hosts addresses");
	check(order, "localhost sorted as RFC 6724 (::1 first)");
	check(connected == ngot, "a TCP connection to each localhost address reaches [::]");
}

int main(void)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	char host[64], serv[16];

	setvbuf(stdout, NULL, _IONBF, 0);
	show("::1", "80", AF_UNSPEC, 0);
	show("::1", "80", AF_INET, 0);
	show("127.0.0.1", "443", AF_UNSPEC, 0);
	show("::ffff:127.0.0.1", "8080", AF_INET6, 0);
	show("::1", NULL, AF_INET6, AI_ADDRCONFIG);
	show("127.0.0.1", NULL, AF_UNSPEC, AI_ADDRCONFIG);
	show(NULL, "5000", AF_UNSPEC, AI_PASSIVE);
	show(NULL, "5000", AF_UNSPEC, 0);
	show(NULL, "5000", AF_UNSPEC, AI_PASSIVE | AI_ADDRCONFIG);
	show("::g", "80", AF_UNSPEC, AI_NUMERICHOST);
	show("localhost", "80", AF_UNSPEC, AI_NUMERICHOST);
	s6.sin6_port = htons(22);
	check(getnameinfo((struct sockaddr *)&s6, sizeof(s6), host, sizeof(host), serv, sizeof(serv),
			  NI_NUMERICHOST | NI_NUMERICSERV) == 0 && !strcmp(host, "::1") && !strcmp(serv, "22"),
	      "getnameinfo(::1, NI_NUMERICHOST)");
	localhost();
	return failures != 0;
}
