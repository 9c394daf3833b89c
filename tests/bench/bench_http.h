/*
 * bench_http.h: the HTTP/1.1 client of bench_walk, lean so that the load
 * generator costs little of the CPU it shares with the server it
 * measures. One http_conn is one keep-alive TCP connection to an IPv4
 * server, carrying one request at a time, non-blocking, on the caller's
 * epoll (level-triggered, data.ptr the caller's). Each request goes out
 * in one send (more only if the socket's buffer is full). A response
 * needs a Content-Length (gehoord always sends one; a chunked response
 * fails); "Connection: close" or HTTP/1.0 closes the connection after
 * it. A request on a connection the server has closed meanwhile (an idle
 * one, say) goes out once more on a new one. Nothing is timed here: the
 * caller closes a request it has waited for too long.
 */
#ifndef BENCH_HTTP_H
#define BENCH_HTTP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* The server: where to connect and what the Host header says. */
struct http_server {
	struct sockaddr_in	 sin;
	char			 host[32];	/* "ADDRESS:PORT" */
};

/* What a request or an event leaves the connection in. */
enum {
	HTTP_AGAIN,	/* under way, or idle: wait for the next event */
	HTTP_DONE,	/* the response is in conn->resp */
	HTTP_FAILED	/* conn->error says why; the connection is closed */
};

/*
 * A response. The pointers point into the connection's buffer, valid
 * until its next request; the body is followed by a NUL.
 */
struct http_resp {
	int		 status;
	const char	*location;	/* NULL if none; no NUL after it */
	size_t		 location_len;
	const char	*body;
	size_t		 body_len;
};

struct http_conn {
	const struct http_server *srv;
	void		*arg;		/* epoll events' data.ptr */
	int		 epfd, fd;	/* fd -1: not connected */
	uint32_t	 events;	/* what the epoll waits for on fd */
	int		 is_connecting, is_busy, is_close;
	long		 n_done;	/* responses on this connection */
	char		*out;		/* the request */
	size_t		 out_len, out_off, out_cap;
	char		*in;		/* the response as read */
	size_t		 in_len, in_cap, scanned, head_len, body_len;
	struct http_resp resp;
	char		 error[128];
};

/* Sets srv from "http://A.B.C.D:PORT"; returns 0, or -1 if it is not. */
int	http_server_set(struct http_server *srv, const char *url);

/* Makes c an idle, unconnected connection to srv on epfd. */
void	http_conn_init(struct http_conn *c, const struct http_server *srv,
	    int epfd, void *arg);

/* Closes c's connection, abandoning any request under way. */
void	http_conn_close(struct http_conn *c);

/* Closes c and frees its buffers. */
void	http_conn_free(struct http_conn *c);

/*
 * Start a request of target ("/path?query") on an idle c: a GET, or a
 * POST of a form's len bytes. Return HTTP_AGAIN or HTTP_FAILED.
 */
int	http_get(struct http_conn *c, const char *target);
int	http_post(struct http_conn *c, const char *target, const char *form,
	    size_t len);

/* Handles events of c's epoll; returns HTTP_AGAIN, _DONE or _FAILED. */
int	http_conn_event(struct http_conn *c, uint32_t events);

#endif
