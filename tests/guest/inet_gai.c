/*
 * inet_gai.c - name resolution without a network: getaddrinfo of
 * "localhost" from /etc/hosts, numeric hosts and services, AI_PASSIVE,
 * AI_NUMERICHOST refusing a name, a bad family, and getnameinfo
 * numeric; then a TCP connection made from what getaddrinfo returned.
 */
#include "inet.h"
#include <netdb.h>

int main(void)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_in a, *sin;
	char host[64], serv[16];
	int r, l, c;

	net_start();
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	r = getaddrinfo("localhost", "8080", &hints, &res);
	check(r == 0 && res, "getaddrinfo localhost", "%s", gai_strerror(r));
	if (r == 0) {
		sin = (struct sockaddr_in *)res->ai_addr;
		check(res->ai_family == AF_INET && res->ai_addrlen == sizeof(*sin) &&
		      sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && ntohs(sin->sin_port) == 8080 &&
		      res->ai_socktype == SOCK_STREAM && res->ai_protocol == IPPROTO_TCP,
		      "is 127.0.0.1:8080 TCP", "%x", sin->sin_addr.s_addr);
		freeaddrinfo(res);
	}
	r = getaddrinfo("127.0.0.1", "53", &hints, &res);
	check(r == 0 && ((struct sockaddr_in *)res->ai_addr)->sin_port == htons(53), "numeric host and service",
	      "%s", gai_strerror(r));
	if (r == 0)
		freeaddrinfo(res);
	hints.ai_flags = AI_PASSIVE;
	r = getaddrinfo(NULL, "0", &hints, &res);
	check(r == 0 && ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == htonl(INADDR_ANY),
	      "AI_PASSIVE: INADDR_ANY", "%s", gai_strerror(r));
	if (r == 0)
		freeaddrinfo(res);
	hints.ai_flags = AI_NUMERICHOST;
	r = getaddrinfo("localhost", NULL, &hints, &res);
	check(r == EAI_NONAME, "AI_NUMERICHOST refuses a name", "%s", gai_strerror(r));
	hints.ai_flags = 0;
	hints.ai_family = 12345;
	r = getaddrinfo("127.0.0.1", NULL, &hints, &res);
	check(r == EAI_FAMILY, "bad family: EAI_FAMILY", "%s", gai_strerror(r));
	hints.ai_family = AF_INET;
	r = getaddrinfo("127.0.0.1", "no-such-service-xyz", &hints, &res);
	check(r == EAI_SERVICE || r == EAI_NONAME, "unknown service name", "%s", gai_strerror(r));

	a = lo4(4242);
	r = getnameinfo(SA(&a), sizeof(a), host, sizeof(host), serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
	check(r == 0 && !strcmp(host, "127.0.0.1") && !strcmp(serv, "4242"), "getnameinfo numeric", "%s %s %s",
	      gai_strerror(r), host, serv);

	l = listener4(&a, 1);
	snprintf(serv, sizeof(serv), "%d", ntohs(a.sin_port));
	hints.ai_flags = 0;
	r = getaddrinfo("localhost", serv, &hints, &res);
	c = r == 0 ? socket(res->ai_family, res->ai_socktype, res->ai_protocol) : -1;
	check(c >= 0 && connect(c, res->ai_addr, res->ai_addrlen) == 0, "connect to what getaddrinfo gave",
	      "%s", strerror(errno));
	if (r == 0)
		freeaddrinfo(res);
	close(c);
	close(l);
	return t_done();
}
