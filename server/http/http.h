/*
 * http.h: the respondent-facing web server (libmicrohttpd).
 *
 * One epoll thread pool serves every request; no handler blocks on disk:
 * a submission is sealed on the request thread and handed to the writer
 * thread, and the connection is suspended until its batch is durable.
 * Nothing identifying is logged: no address, no path, no timing.
 */
#ifndef GH_HTTP_H
#define GH_HTTP_H

#include <stdint.h>

#include "util/err.h"

struct http_config {
	const char	*db_path;
	const char	*pepper_path;
	const char	*listen_host;	/* numeric IPv4 or IPv6 address */
	uint16_t	 port;
	unsigned int	 threads;	/* request threads; 0: one per core */
};

/*
 * Serves until SIGINT or SIGTERM, then finishes the writer's queue and
 * returns GH_OK; or returns an error if it cannot start (logged).
 */
int http_serve(const struct http_config *cfg) GH_WUR;

#endif
