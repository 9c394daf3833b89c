/*
 * bench_http.c: the HTTP/1.1 client of bench_walk (bench_http.h): one
 * keep-alive connection, one request at a time, on the caller's epoll.
 * It parses a response just enough: the status line, Content-Length,
 * Location and Connection.
 */
#define _GNU_SOURCE	/* memmem */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bench_http.h"

#define HEAD_MAX	((size_t)64 << 10)	/* bytes of a response head */
#define BODY_MAX	((size_t)1 << 20)	/* bytes of its body */
#define IN_MIN		((size_t)16 << 10)	/* room for a recv */
#define REQUEST_HEAD	256	/* a request head, but the target */

static int	conn_send(struct http_conn *c);

int
http_server_set(struct http_server *srv, const char *url)
{
	char addr[INET_ADDRSTRLEN];
	const char *p = url + 7, *colon;
	char *end;
	long port;
	int n;

	memset(srv, 0, sizeof(*srv));
	if (strncmp(url, "http://", 7) != 0 ||
	    (colon = strchr(p, ':')) == NULL ||
	    (size_t)(colon - p) >= sizeof(addr))
		return -1;
	memcpy(addr, p, (size_t)(colon - p));
	addr[colon - p] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (inet_pton(AF_INET, addr, &srv->sin.sin_addr) != 1 ||
	    end == colon + 1 || (*end != '\0' && strcmp(end, "/") != 0) ||
	    port < 1 || port > 65535)
		return -1;
	srv->sin.sin_family = AF_INET;
	srv->sin.sin_port = htons((uint16_t)port);
	n = snprintf(srv->host, sizeof(srv->host), "%s:%ld", addr, port);
	return n > 0 && (size_t)n < sizeof(srv->host) ? 0 : -1;
}

void
http_conn_init(struct http_conn *c, const struct http_server *srv,
    int epfd, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->srv = srv;
	c->epfd = epfd;
	c->arg = arg;
	c->fd = -1;
}

/* Closes the socket, which takes it off the epoll too. */
static void
conn_drop(struct http_conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->events = 0;
	c->is_connecting = 0;
}

void
http_conn_close(struct http_conn *c)
{
	conn_drop(c);
	c->is_busy = 0;
}

void
http_conn_free(struct http_conn *c)
{
	http_conn_close(c);
	free(c->out);
	free(c->in);
	c->out = c->in = NULL;
	c->out_cap = c->in_cap = 0;
}

/* Ends the request: records why, closes c, returns HTTP_FAILED. */
static int __attribute__((format(printf, 2, 3)))
conn_fail(struct http_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	http_conn_close(c);
	return HTTP_FAILED;
}

/* Has the epoll wait for events on c's socket; returns 0 or -1. */
static int
conn_want(struct http_conn *c, uint32_t events)
{
	struct epoll_event ev;

	if (events == c->events)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = c->arg;
	if (epoll_ctl(c->epfd, c->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD,
	    c->fd, &ev) == -1)
		return -1;
	c->events = events;
	return 0;
}

/* Opens a connection; writing waits until it is up if need be. */
static int
conn_connect(struct http_conn *c)
{
	int one = 1, r;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		return conn_fail(c, "socket: %s", strerror(errno));
	/* The rest of a request the socket's buffer cut: at once. */
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->n_done = 0;
	r = connect(c->fd, (const struct sockaddr *)&c->srv->sin,
	    sizeof(c->srv->sin));
	if (r == -1 && errno != EINPROGRESS)
		return conn_fail(c, "connect: %s", strerror(errno));
	c->is_connecting = r == -1;
	if (conn_want(c, EPOLLIN | (c->is_connecting ? EPOLLOUT : 0)) == -1)
		return conn_fail(c, "epoll_ctl: %s", strerror(errno));
	return HTTP_AGAIN;
}

/*
 * The connection broke before the response was complete. A request on a
 * connection that has served one before and of which nothing came back
 * goes out again on a new one: the server closed it while it was idle.
 * Once only: the new connection has served none.
 */
static int
conn_lost(struct http_conn *c, const char *why)
{
	if (c->n_done == 0 || c->in_len > 0)
		return conn_fail(c, "%s", why);
	conn_drop(c);
	c->out_off = 0;
	return conn_send(c);
}

/* Writes what is left of the request. */
static int
conn_write(struct http_conn *c)
{
	ssize_t n;

	while (c->out_off < c->out_len) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
		    MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			if (conn_want(c, EPOLLIN | EPOLLOUT) == -1)
				return conn_fail(c, "epoll_ctl: %s",
				    strerror(errno));
			return HTTP_AGAIN;
		}
		if (n == -1)
			return conn_lost(c, strerror(errno));
		c->out_off += (size_t)n;
	}
	if (conn_want(c, EPOLLIN) == -1)
		return conn_fail(c, "epoll_ctl: %s", strerror(errno));
	return HTTP_AGAIN;
}

/* Writes the request, connecting first if there is no connection. */
static int
conn_send(struct http_conn *c)
{
	if (c->fd == -1 && conn_connect(c) == HTTP_FAILED)
		return HTTP_FAILED;
	if (c->is_connecting)
		return HTTP_AGAIN;
	return conn_write(c);
}

/* Makes room for a request of n bytes and a NUL; returns 0 or -1. */
static int
out_reserve(struct http_conn *c, size_t n)
{
	char *s;

	if (n + 1 <= c->out_cap)
		return 0;
	if ((s = realloc(c->out, n + 1)) == NULL)
		return -1;
	c->out = s;
	c->out_cap = n + 1;
	return 0;
}

/* Starts a request whose head (n bytes) and form are in c->out. */
static int
conn_start(struct http_conn *c, int n, const char *form, size_t len)
{
	if (n < 0 || (size_t)n + len >= c->out_cap)
		return conn_fail(c, "the request does not fit");
	if (len > 0)
		memcpy(c->out + n, form, len);
	c->out_len = (size_t)n + len;
	c->out_off = 0;
	c->in_len = c->scanned = c->head_len = c->body_len = 0;
	memset(&c->resp, 0, sizeof(c->resp));
	c->is_busy = 1;
	return conn_send(c);
}

int
http_get(struct http_conn *c, const char *target)
{
	int n;

	if (out_reserve(c, strlen(target) + REQUEST_HEAD) == -1)
		return conn_fail(c, "out of memory");
	n = snprintf(c->out, c->out_cap, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n",
	    target, c->srv->host);
	return conn_start(c, n, NULL, 0);
}

int
http_post(struct http_conn *c, const char *target, const char *form,
    size_t len)
{
	int n;

	if (out_reserve(c, strlen(target) + REQUEST_HEAD + len) == -1)
		return conn_fail(c, "out of memory");
	n = snprintf(c->out, c->out_cap, "POST %s HTTP/1.1\r\nHost: %s\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: %zu\r\n\r\n", target, c->srv->host, len);
	return conn_start(c, n, form, len);
}

/* Returns 1 if the n bytes at p are the header name name. */
static int
is_name(const char *p, size_t n, const char *name)
{
	return n == strlen(name) && strncasecmp(p, name, n) == 0;
}

/* Returns 1 if the value v (n bytes) has word in it, in any case. */
static int
has_word(const char *v, size_t n, const char *word)
{
	size_t i, len = strlen(word);

	for (i = 0; i + len <= n; i++)
		if (strncasecmp(v + i, word, len) == 0)
			return 1;
	return 0;
}

/* Reads a Content-Length value; returns NULL or what is wrong with it. */
static const char *
content_length(struct http_conn *c, const char *v, size_t n)
{
	size_t i, len = 0;

	if (n == 0 || n > 9)
		return "a Content-Length of no or too many digits";
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return "a Content-Length that is not a number";
		len = len * 10 + (size_t)(v[i] - '0');
	}
	if (len >= BODY_MAX)
		return "a body over 1 MiB";
	c->body_len = len;
	return NULL;
}

/*
 * Notes what the client needs of the header line from p to eol (its CR);
 * returns NULL or what is wrong with it.
 */
static const char *
head_field(struct http_conn *c, const char *p, const char *eol, int *has_len)
{
	const char *colon, *v;
	size_t n;

	if ((colon = memchr(p, ':', (size_t)(eol - p))) == NULL)
		return "a header line without a colon";
	for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
		;
	while (eol > v && (eol[-1] == ' ' || eol[-1] == '\t'))
		eol--;
	n = (size_t)(colon - p);
	if (is_name(p, n, "Content-Length")) {
		*has_len = 1;
		return content_length(c, v, (size_t)(eol - v));
	}
	if (is_name(p, n, "Transfer-Encoding"))
		return "a Transfer-Encoding (chunked?): not supported";
	if (is_name(p, n, "Location")) {
		c->resp.location = v;
		c->resp.location_len = (size_t)(eol - v);
	} else if (is_name(p, n, "Connection")) {
		if (has_word(v, (size_t)(eol - v), "close"))
			c->is_close = 1;
		else if (has_word(v, (size_t)(eol - v), "keep-alive"))
			c->is_close = 0;
	}
	return NULL;
}

/* Parses the head, c->head_len bytes; returns NULL or what is wrong. */
static const char *
head_parse(struct http_conn *c)
{
	const char *p = c->in, *end = c->in + c->head_len - 2, *eol, *why;
	int has_len = 0, st;

	/* "HTTP/1.1 200 OK": the version and a status of three digits. */
	if (c->head_len < 16 || memcmp(p, "HTTP/1.", 7) != 0 ||
	    (p[7] != '0' && p[7] != '1') || p[8] != ' ' ||
	    strspn(p + 9, "0123456789") < 3 ||
	    (p[12] != ' ' && p[12] != '\r'))
		return "a malformed status line";
	st = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	c->resp.status = st;
	c->is_close = p[7] == '0';
	for (p = strchr(p, '\n') + 1; p < end; p = eol + 2) {
		if ((eol = memmem(p, (size_t)(end + 2 - p), "\r\n", 2)) == NULL)
			return "a header line without CRLF";
		if ((why = head_field(c, p, eol, &has_len)) != NULL)
			return why;
	}
	if (st / 100 == 1 || st == 204 || st == 304)
		c->body_len = 0;
	else if (!has_len)
		return "no Content-Length (chunked or to the close: not "
		    "supported)";
	return NULL;
}

/* The response is complete: hands it over, keeping the connection. */
static int
conn_done(struct http_conn *c)
{
	c->in[c->in_len] = '\0';
	c->resp.body = c->in + c->head_len;
	c->resp.body_len = c->body_len;
	c->is_busy = 0;
	c->n_done++;
	if (c->is_close)
		conn_drop(c);
	return HTTP_DONE;
}

/* Looks at what has come in so far; HTTP_DONE once it is complete. */
static int
conn_parse(struct http_conn *c)
{
	const char *end, *why;
	size_t from;

	if (c->head_len == 0) {
		from = c->scanned > 3 ? c->scanned - 3 : 0;
		end = memmem(c->in + from, c->in_len - from, "\r\n\r\n", 4);
		if (end == NULL && c->in_len > HEAD_MAX)
			return conn_fail(c, "a response head over 64 KiB");
		c->scanned = c->in_len;
		if (end == NULL)
			return HTTP_AGAIN;
		c->in[c->in_len] = '\0';	/* for head_parse's strspn */
		c->head_len = (size_t)(end - c->in) + 4;
		if ((why = head_parse(c)) != NULL)
			return conn_fail(c, "%s", why);
	}
	if (c->in_len - c->head_len < c->body_len)
		return HTTP_AGAIN;
	if (c->in_len - c->head_len > c->body_len)
		return conn_fail(c, "%zu bytes after the response",
		    c->in_len - c->head_len - c->body_len);
	return conn_done(c);
}

/* Makes room for the next recv and a NUL; returns 0 or -1. */
static int
in_reserve(struct http_conn *c)
{
	size_t need = c->in_len + IN_MIN, cap = c->in_cap ? c->in_cap : IN_MIN;
	char *s;

	if (c->head_len > 0 && c->head_len + c->body_len > need)
		need = c->head_len + c->body_len;
	while (cap < need + 1)
		cap *= 2;
	if (cap == c->in_cap)
		return 0;
	if ((s = realloc(c->in, cap)) == NULL)
		return -1;
	c->in = s;
	c->in_cap = cap;
	return 0;
}

/* Reads what the server sent. */
static int
conn_read(struct http_conn *c)
{
	ssize_t n;

	/* Nothing is due on an idle one: the server closed it, say. */
	if (!c->is_busy) {
		conn_drop(c);
		return HTTP_AGAIN;
	}
	if (in_reserve(c) == -1)
		return conn_fail(c, "out of memory");
	n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len - 1, 0);
	if (n > 0) {
		c->in_len += (size_t)n;
		return conn_parse(c);
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return HTTP_AGAIN;
	return conn_lost(c, n == 0 ? "the server closed the connection" :
	    strerror(errno));
}

/* The connection is up, or failed to come up. */
static int
conn_connected(struct http_conn *c)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0)
		return conn_fail(c, "connect: %s", strerror(err));
	c->is_connecting = 0;
	return conn_write(c);
}

int
http_conn_event(struct http_conn *c, uint32_t events)
{
	int r;

	if (c->fd == -1)
		return HTTP_AGAIN;
	if (c->is_connecting)
		return conn_connected(c);
	if ((events & EPOLLOUT) && c->is_busy && c->out_off < c->out_len &&
	    (r = conn_write(c)) != HTTP_AGAIN)
		return r;
	/* Unless the write found the connection closed and opened another. */
	if (c->fd != -1 && !c->is_connecting &&
	    (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		return conn_read(c);
	return HTTP_AGAIN;
}
