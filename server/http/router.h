/*
 * router.h: the routing table of the server: every path the server
 * answers, the methods it passes on, who may use it and whether a POST
 * must carry a CSRF token, in one table that a reviewer reads on one
 * screen (like OpenSSH's monitor dispatch table). Every page and every
 * POST action of the desk and of the reporter has its own row.
 *
 * The router enforces every column before the handler runs: the method
 * (any other gets 404), then the session and its role, then for a POST
 * the session's CSRF token; the handler gets the session and the parsed
 * form and checks none of them again. tests/unit/test_http_router.c
 * checks the table's rules, and tests/integration/test_routes.py holds
 * the real server to every row. Internal to server/http/.
 */
#ifndef GH_HTTP_ROUTER_H
#define GH_HTTP_ROUTER_H

#include <stddef.h>

#include <microhttpd.h>

#include "http/session.h"
#include "survey/form.h"

struct req;

/* Methods a route accepts; any other gets 404, as an unknown path does. */
#define HTTP_ROUTE_GET	0x1	/* GET and HEAD */
#define HTTP_ROUTE_POST	0x2

/* In a path of HTTP_MATCH_ID: a report id, HTTP_ROUTE_ID_LEN hex digits. */
#define HTTP_ROUTE_ID		"{id}"
#define HTTP_ROUTE_ID_LEN	32

/* How a row's path matches a request's. */
enum http_match {
	HTTP_MATCH_EXACT,	/* the same path */
	HTTP_MATCH_PREFIX,	/* any path that begins with it */
	HTTP_MATCH_ID,		/* the same, with "{id}" standing for an id */
};

/* Who may use a route. */
enum http_route_role {
	HTTP_ROLE_PUBLIC,	/* anyone */
	HTTP_ROLE_SESSION,	/* any signed-in desk user or researcher */
	HTTP_ROLE_DESK,		/* a desk session */
	HTTP_ROLE_RESEARCHER,	/* a researcher session */
	HTTP_ROLE_REVIEWER,	/* a reviewer session (second opinions) */
	HTTP_ROLE_COORDINATOR,	/* a coordinator session (the console) */
};

/* What a POST must carry to be acted on. */
enum http_route_csrf {
	HTTP_CSRF_NONE,		/* nothing: no session to ride on */
	HTTP_CSRF_SESSION,	/* the session's token (form field csrf) */
	HTTP_CSRF_LOGIN,	/* the login form's signed token and cookie */
};

/* What the router checked, for the handler (owned by the router). */
struct http_auth {
	const char		*cookie;	/* the session cookie, or NULL */
	struct session_view	 view;		/* role not public: the session */
	struct form		*form;		/* a POST with a session token */
};

struct http_route {
	const char		*path;
	enum http_match		 match;
	unsigned int		 methods;	/* HTTP_ROUTE_* */
	enum http_route_role	 role;
	enum http_route_csrf	 csrf;
	/* Answers rq for url (the whole path), as the row allows. */
	enum MHD_Result		(*handler)(struct req *rq, const char *url,
				    const struct http_auth *a);
};

/*
 * The routing table, read-only, in matching order (the first row whose
 * path matches wins); *n gets its length.
 */
const struct http_route *http_routes(size_t *n);

/* Sends rq (for path url) to the first matching route, or 404. */
enum MHD_Result http_route(struct req *rq, const char *url);

/* The handlers of the reporter's rows (route_report*.c). */
enum MHD_Result route_report_new(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_report_link(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_report_receipt(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_report_saved(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_report_ack(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_report_key(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_report_follow(struct req *rq, const char *url,
    const struct http_auth *a);

/* The handlers of the desk's rows (route_desk*.c). */
enum MHD_Result route_desk_inbox(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_signals(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_report(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_reply(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_status(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_category(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_aftercare(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_other(struct req *rq, const char *url,
    const struct http_auth *a);
/* GET /desk/r/ID/file?a=AID: one attachment (route_desk_attach.c). */
enum MHD_Result route_desk_attach(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_find(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_assign(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_note(struct req *rq, const char *url,
    const struct http_auth *a);

/* The rows of second opinions (route_review.c). */
enum MHD_Result route_review_list(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_review_case(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_review_opinion(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_review_send(struct req *rq, const char *url,
    const struct http_auth *a);

/* Retention (route_desk_retain.c, route_desk_report.c). */
enum MHD_Result route_desk_retention(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_desk_retain(struct req *rq, const char *url,
    const struct http_auth *a);
/* The rows of the coordinator's console (route_console.c). */
enum MHD_Result route_console_waves(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_wave_open(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_wave_close(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_audit(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_wave_schedule(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_wave_create(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_participation(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_units(struct req *rq, const char *url,
    const struct http_auth *a);
/* Links and letters per unit (route_console_letters.c). */
enum MHD_Result route_console_letters(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_letters_issue(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_letters_replace(struct req *rq,
    const char *url, const struct http_auth *a);
/* The console's releases: the plan (route_console_plan.c), the list,
 * upload, publishing and the suppression preview
 * (route_console_release.c). */
enum MHD_Result route_console_plan(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_release(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_release_upload(struct req *rq,
    const char *url, const struct http_auth *a);
enum MHD_Result route_console_release_publish(struct req *rq,
    const char *url, const struct http_auth *a);
enum MHD_Result route_console_release_preview(struct req *rq,
    const char *url, const struct http_auth *a);
/* The console's accounts and settings (route_console_account*.c,
 * route_console_settings.c). */
enum MHD_Result route_console_accounts(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_account_add(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_account_disable(struct req *rq,
    const char *url, const struct http_auth *a);
enum MHD_Result route_console_account_enable(struct req *rq,
    const char *url, const struct http_auth *a);
enum MHD_Result route_console_account_remove(struct req *rq,
    const char *url, const struct http_auth *a);
enum MHD_Result route_console_account_propose(struct req *rq,
    const char *url, const struct http_auth *a);
enum MHD_Result route_console_account_confirm(struct req *rq,
    const char *url, const struct http_auth *a);
enum MHD_Result route_console_account_withdraw(struct req *rq,
    const char *url, const struct http_auth *a);
enum MHD_Result route_console_settings(struct req *rq, const char *url,
    const struct http_auth *a);
/* Trying a wave: instrument previews and test links
 * (route_console_test.c). */
enum MHD_Result route_console_preview(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_test_link(struct req *rq, const char *url,
    const struct http_auth *a);
enum MHD_Result route_console_test_remove(struct req *rq, const char *url,
    const struct http_auth *a);

#endif
