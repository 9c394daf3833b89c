/*
 * router.h: the routing table of the server: every path the server
 * answers, the methods it passes on, who may use it and whether a POST
 * must carry a CSRF token, in one table that a reviewer reads on one
 * screen (like OpenSSH's monitor dispatch table).
 *
 * The protection columns state what each handler enforces before it does
 * anything (the session and its role, then the CSRF token); the router
 * itself enforces the methods. tests/unit/test_http_router.c checks the
 * table's rules, and tests/integration/test_routes.py holds the real
 * server to every row. Internal to server/http/.
 */
#ifndef GH_HTTP_ROUTER_H
#define GH_HTTP_ROUTER_H

#include <stddef.h>

#include <microhttpd.h>

struct req;

/* Methods a route accepts; any other gets 404, as an unknown path does. */
#define HTTP_ROUTE_GET	0x1	/* GET and HEAD */
#define HTTP_ROUTE_POST	0x2

/* Who may use a route. */
enum http_route_role {
	HTTP_ROLE_PUBLIC,	/* anyone */
	HTTP_ROLE_SESSION,	/* any signed-in desk user or researcher */
	HTTP_ROLE_DESK,		/* a desk session */
	HTTP_ROLE_RESEARCHER,	/* a researcher session */
};

/* What a POST must carry to be acted on. */
enum http_route_csrf {
	HTTP_CSRF_NONE,		/* nothing: no session to ride on */
	HTTP_CSRF_SESSION,	/* the session's token (form field csrf) */
	HTTP_CSRF_LOGIN,	/* the login form's signed token and cookie */
};

struct http_route {
	const char		*path;		/* exact, or a prefix */
	int			 is_prefix;
	unsigned int		 methods;	/* HTTP_ROUTE_* */
	enum http_route_role	 role;
	enum http_route_csrf	 csrf;
	/* Answers rq for url (the whole path). */
	enum MHD_Result		(*handler)(struct req *rq, const char *url);
};

/*
 * The routing table, read-only, in matching order (the first row whose
 * path matches wins); *n gets its length.
 */
const struct http_route *http_routes(size_t *n);

/* Sends rq (for path url) to the first matching route, or 404. */
enum MHD_Result http_route(struct req *rq, const char *url);

#endif
