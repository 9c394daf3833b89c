/*
 * router.c: the routing table (router.h) and the lookup that walks it.
 *
 * Entry point: http_route, called by the daemon (server.c) once a request
 * is complete. Data path: url -> the first row of routes[] whose path
 * matches -> its method check -> its handler (route_*.c), which checks
 * the session and CSRF token the row states before anything else.
 *
 * The order matters only where paths share a beginning: "/desk" (exact)
 * and "/desk/" (prefix) are one area. A path no row matches, and a method
 * a row does not accept, both get 404.
 */
#include <string.h>

#include "http/http_int.h"
#include "http/router.h"
#include "pages/page.h"

/* /s/TOKEN and /S/TOKEN (printed cards use capitals). */
static enum MHD_Result
survey(struct req *rq, const char *url)
{
	return route_survey(rq, url + 3);
}

static enum MHD_Result
home(struct req *rq, const char *url)
{
	(void)url;
	return http_send_page(rq, PAGE_HOME);
}

/* /static/NAME: one level only. */
static enum MHD_Result
asset(struct req *rq, const char *url)
{
	if (strchr(url + 8, '/') != NULL)
		return http_send_page(rq, PAGE_NOT_FOUND);
	return http_send_asset(rq, url + 8);
}

#define GET		HTTP_ROUTE_GET
#define POST		HTTP_ROUTE_POST
#define BOTH		(HTTP_ROUTE_GET | HTTP_ROUTE_POST)
#define EXACT		0
#define PREFIX		1

static const struct http_route routes[] = {
	/* path		   match  methods role                  csrf on POST       handler */
	{ "/s/",	   PREFIX, BOTH, HTTP_ROLE_PUBLIC,     HTTP_CSRF_NONE,    survey },
	{ "/S/",	   PREFIX, BOTH, HTTP_ROLE_PUBLIC,     HTTP_CSRF_NONE,    survey },
	{ "/login",	   EXACT,  BOTH, HTTP_ROLE_PUBLIC,     HTTP_CSRF_LOGIN,   route_login },
	{ "/logout",	   EXACT,  POST, HTTP_ROLE_SESSION,    HTTP_CSRF_SESSION, route_login },
	{ "/desk",	   EXACT,  BOTH, HTTP_ROLE_DESK,       HTTP_CSRF_SESSION, route_desk },
	{ "/desk/",	   PREFIX, BOTH, HTTP_ROLE_DESK,       HTTP_CSRF_SESSION, route_desk },
	{ "/melden",	   EXACT,  BOTH, HTTP_ROLE_PUBLIC,     HTTP_CSRF_NONE,    route_report },
	{ "/melden/",	   PREFIX, BOTH, HTTP_ROLE_PUBLIC,     HTTP_CSRF_NONE,    route_report },
	{ "/research",	   EXACT,  GET,  HTTP_ROLE_RESEARCHER, HTTP_CSRF_NONE,    route_research },
	{ "/research/",	   PREFIX, GET,  HTTP_ROLE_RESEARCHER, HTTP_CSRF_NONE,    route_research },
	{ "/",		   EXACT,  GET,  HTTP_ROLE_PUBLIC,     HTTP_CSRF_NONE,    home },
	{ "/static/",	   PREFIX, GET,  HTTP_ROLE_PUBLIC,     HTTP_CSRF_NONE,    asset },
};

const struct http_route *
http_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

static int
is_match(const struct http_route *rt, const char *url)
{
	if (rt->is_prefix)
		return strncmp(url, rt->path, strlen(rt->path)) == 0;
	return strcmp(url, rt->path) == 0;
}

enum MHD_Result
http_route(struct req *rq, const char *url)
{
	const struct http_route *rt;
	unsigned int method = rq->is_post ? HTTP_ROUTE_POST : HTTP_ROUTE_GET;
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		rt = &routes[i];
		if (!is_match(rt, url))
			continue;
		if ((rt->methods & method) == 0)
			break;
		return rt->handler(rq, url);
	}
	return http_send_page(rq, PAGE_NOT_FOUND);
}
