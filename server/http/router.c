/*
 * router.c: the routing table (router.h), the lookup that walks it, and
 * the checks each row states, made here once for every handler.
 *
 * Entry point: http_route, called by the daemon (server.c) once a request
 * is complete. Data path: url -> the first row of routes[] whose path
 * matches -> its methods (any other: 404) -> for a row behind a login,
 * the session cookie -> session_find -> session_user_is_current (the
 * account is re-read: disabled, removed or re-enabled since the login
 * ends all its sessions, as if they had timed out) and the role (none: a
 * GET goes to /login with 303, a POST gets 403 (for the desk: the login
 * page, carrying the form to send again); the other role: 403 with
 * a page saying the area is not theirs) ->
 * for a POST
 * that needs the session's token, the form parsed (400 if it is not
 * one), its "lang" taken, the token checked (403) -> the handler
 * (route_*.c) with the session and the form -> both wiped.
 *
 * The order matters only where paths share a beginning: the desk's rows
 * come before its "/desk/" prefix, which answers every other path under
 * /desk (404 once the session is checked). A path no row matches, and a
 * method a row does not accept, both get 404.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "http/http_int.h"
#include "http/router.h"
#include "pages/desk.h"
#include "pages/page.h"
#include "pages/research.h"

#define COOKIE_NAME	"gh_session"

/* /s/TOKEN and /S/TOKEN (printed cards use capitals). */
static enum MHD_Result
survey(struct req *rq, const char *url, const struct http_auth *a)
{
	(void)a;
	return route_survey(rq, url + 3);
}

/* /i/CODE, a blind invitation. */
static enum MHD_Result
invite(struct req *rq, const char *url, const struct http_auth *a)
{
	(void)a;
	return route_invite(rq, url + 3);
}

static enum MHD_Result
login(struct req *rq, const char *url, const struct http_auth *a)
{
	(void)a;
	return route_login(rq, url);
}

static enum MHD_Result
research(struct req *rq, const char *url, const struct http_auth *a)
{
	(void)a;
	return route_research(rq, url);
}

static enum MHD_Result
home(struct req *rq, const char *url, const struct http_auth *a)
{
	(void)url;
	(void)a;
	return http_send_page(rq, PAGE_HOME);
}

/* /static/NAME: one level only. */
static enum MHD_Result
asset(struct req *rq, const char *url, const struct http_auth *a)
{
	(void)a;
	if (strchr(url + 8, '/') != NULL)
		return http_send_page(rq, PAGE_NOT_FOUND);
	return http_send_asset(rq, url + 8);
}

/* /logo: the organisation's logo, if serve has one. */
static enum MHD_Result
logo(struct req *rq, const char *url, const struct http_auth *a)
{
	(void)url;
	(void)a;
	return http_send_logo(rq);
}

#define GET		HTTP_ROUTE_GET
#define POST		HTTP_ROUTE_POST
#define BOTH		(HTTP_ROUTE_GET | HTTP_ROUTE_POST)
#define EXACT		HTTP_MATCH_EXACT
#define PREFIX		HTTP_MATCH_PREFIX
#define ID		HTTP_MATCH_ID
#define PUBLIC		HTTP_ROLE_PUBLIC
#define DESK		HTTP_ROLE_DESK
#define COORDINATOR	HTTP_ROLE_COORDINATOR

static const struct http_route routes[] = {
	/* path			   match  methods role                  csrf on POST       handler */
	{ "/s/",		   PREFIX, BOTH, PUBLIC,               HTTP_CSRF_NONE,    survey },
	{ "/S/",		   PREFIX, BOTH, PUBLIC,               HTTP_CSRF_NONE,    survey },
	{ "/login",		   EXACT,  BOTH, PUBLIC,               HTTP_CSRF_LOGIN,   login },
	{ "/logout",		   EXACT,  POST, HTTP_ROLE_SESSION,    HTTP_CSRF_SESSION, login },
	{ "/desk",		   EXACT,  GET,  DESK,                 HTTP_CSRF_SESSION, route_desk_inbox },
	{ "/desk/",		   EXACT,  GET,  DESK,                 HTTP_CSRF_SESSION, route_desk_inbox },
	{ "/desk/signals",	   EXACT,  GET,  DESK,                 HTTP_CSRF_SESSION, route_desk_signals },
	{ "/desk/r/{id}",	   ID,     GET,  DESK,                 HTTP_CSRF_SESSION, route_desk_report },
	{ "/desk/r/{id}/reply",	   ID,     POST, DESK,                 HTTP_CSRF_SESSION, route_desk_reply },
	{ "/desk/r/{id}/status",   ID,     POST, DESK,                 HTTP_CSRF_SESSION, route_desk_status },
	{ "/desk/r/{id}/category", ID,     POST, DESK,                 HTTP_CSRF_SESSION, route_desk_category },
	{ "/desk/r/{id}/aftercare", ID,    POST, DESK,                 HTTP_CSRF_SESSION, route_desk_aftercare },
	{ "/desk/find",		   EXACT,  GET,  DESK,                 HTTP_CSRF_SESSION, route_desk_find },
	{ "/desk/r/{id}/assign",   ID,     POST, DESK,                 HTTP_CSRF_SESSION, route_desk_assign },
	{ "/desk/r/{id}/note",	   ID,     POST, DESK,                 HTTP_CSRF_SESSION, route_desk_note },
	{ "/desk/r/{id}/review",   ID,     BOTH, DESK,                 HTTP_CSRF_SESSION, route_review_send },
	{ "/desk/review",	   EXACT,  GET,  HTTP_ROLE_REVIEWER,   HTTP_CSRF_SESSION, route_review_list },
	{ "/desk/review/{id}",	   ID,     GET,  HTTP_ROLE_REVIEWER,   HTTP_CSRF_SESSION, route_review_case },
	{ "/desk/review/{id}/opinion", ID, POST, HTTP_ROLE_REVIEWER,   HTTP_CSRF_SESSION, route_review_opinion },
	{ "/desk/r/{id}/file",	   ID,     GET,  DESK,                 HTTP_CSRF_SESSION, route_desk_attach },
	{ "/desk/retention",	   EXACT,  GET,  DESK,                 HTTP_CSRF_SESSION, route_desk_retention },
	{ "/desk/r/{id}/retain",   ID,     POST, DESK,                 HTTP_CSRF_SESSION, route_desk_retain },
	{ "/desk/",		   PREFIX, BOTH, DESK,                 HTTP_CSRF_SESSION, route_desk_other },
	{ "/i/",		   PREFIX, BOTH, PUBLIC,               HTTP_CSRF_NONE,    invite },
	{ "/melden",		   EXACT,  BOTH, PUBLIC,               HTTP_CSRF_NONE,    route_report_new },
	{ "/melden/l/",		   PREFIX, BOTH, PUBLIC,               HTTP_CSRF_NONE,    route_report_link },
	{ "/melden/volg",	   EXACT,  BOTH, PUBLIC,               HTTP_CSRF_NONE,    route_report_follow },
	{ "/melden/ontvangen",	   EXACT,  GET,  PUBLIC,               HTTP_CSRF_NONE,    route_report_receipt },
	{ "/melden/opgeslagen",	   EXACT,  POST, PUBLIC,               HTTP_CSRF_NONE,    route_report_saved },
	{ "/melden/bevestiging",   EXACT,  POST, PUBLIC,               HTTP_CSRF_NONE,    route_report_ack },
	{ "/melden/key",	   EXACT,  GET,  PUBLIC,               HTTP_CSRF_NONE,    route_report_key },
	{ "/research",		   EXACT,  GET,  HTTP_ROLE_RESEARCHER, HTTP_CSRF_NONE,    research },
	{ "/research/",		   PREFIX, GET,  HTTP_ROLE_RESEARCHER, HTTP_CSRF_NONE,    research },
	{ "/",			   EXACT,  GET,  PUBLIC,               HTTP_CSRF_NONE,    home },
	{ "/static/",		   PREFIX, GET,  PUBLIC,               HTTP_CSRF_NONE,    asset },
	{ "/logo",		   EXACT,  GET,  PUBLIC,               HTTP_CSRF_NONE,    logo },
	{ "/console",		   EXACT,  GET,  COORDINATOR,          HTTP_CSRF_SESSION, route_console_waves },
	{ "/console/wave/open",	   EXACT,  POST, COORDINATOR,          HTTP_CSRF_SESSION, route_console_wave_open },
	{ "/console/wave/close",   EXACT,  POST, COORDINATOR,          HTTP_CSRF_SESSION, route_console_wave_close },
	{ "/console/audit",	   EXACT,  GET,  COORDINATOR,          HTTP_CSRF_SESSION, route_console_audit },
	{ "/console/wave/schedule", EXACT, POST, COORDINATOR,          HTTP_CSRF_SESSION, route_console_wave_schedule },
	{ "/console/wave/create",  EXACT,  POST, COORDINATOR,          HTTP_CSRF_SESSION, route_console_wave_create },
	{ "/console/participation", EXACT, GET,  COORDINATOR,          HTTP_CSRF_SESSION, route_console_participation },
	{ "/console/units",	   EXACT,  BOTH, COORDINATOR,          HTTP_CSRF_SESSION, route_console_units },
	{ "/console/letters",	   EXACT,  GET,  COORDINATOR,          HTTP_CSRF_SESSION, route_console_letters },
	{ "/console/letters/issue", EXACT, POST, COORDINATOR,          HTTP_CSRF_SESSION, route_console_letters_issue },
	{ "/console/letters/replace", EXACT, POST, COORDINATOR,        HTTP_CSRF_SESSION, route_console_letters_replace },
	{ "/console/release",	   EXACT,  GET,  COORDINATOR,          HTTP_CSRF_SESSION, route_console_release },
	{ "/console/release/plan", EXACT,  BOTH, COORDINATOR,          HTTP_CSRF_SESSION, route_console_plan },
	{ "/console/release/upload", EXACT, POST, COORDINATOR,         HTTP_CSRF_SESSION, route_console_release_upload },
	{ "/console/release/publish", EXACT, POST, COORDINATOR,        HTTP_CSRF_SESSION, route_console_release_publish },
	{ "/console/release/preview", EXACT, POST, COORDINATOR,        HTTP_CSRF_SESSION, route_console_release_preview },
	{ "/console/accounts",	   EXACT,  GET,  COORDINATOR,          HTTP_CSRF_SESSION, route_console_accounts },
	{ "/console/accounts/add", EXACT,  POST, COORDINATOR,          HTTP_CSRF_SESSION, route_console_account_add },
	{ "/console/accounts/disable", EXACT, POST, COORDINATOR,       HTTP_CSRF_SESSION, route_console_account_disable },
	{ "/console/accounts/enable", EXACT, POST, COORDINATOR,        HTTP_CSRF_SESSION, route_console_account_enable },
	{ "/console/accounts/remove", EXACT, POST, COORDINATOR,        HTTP_CSRF_SESSION, route_console_account_remove },
	{ "/console/accounts/propose", EXACT, POST, COORDINATOR,       HTTP_CSRF_SESSION, route_console_account_propose },
	{ "/console/accounts/confirm", EXACT, POST, COORDINATOR,       HTTP_CSRF_SESSION, route_console_account_confirm },
	{ "/console/accounts/withdraw", EXACT, POST, COORDINATOR,      HTTP_CSRF_SESSION, route_console_account_withdraw },
	{ "/console/settings",	   EXACT,  BOTH, COORDINATOR,          HTTP_CSRF_SESSION, route_console_settings },
	{ "/console/preview/",	   PREFIX, GET,  COORDINATOR,          HTTP_CSRF_SESSION, route_console_preview },
	{ "/console/wave/test-link", EXACT, POST, COORDINATOR,         HTTP_CSRF_SESSION, route_console_test_link },
	{ "/console/wave/test-links-remove", EXACT, POST, COORDINATOR, HTTP_CSRF_SESSION, route_console_test_remove },
};

const struct http_route *
http_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

/* Matches "{id}" in path against HTTP_ROUTE_ID_LEN hex digits of url. */
static int
is_id_match(const char *path, const char *url)
{
	const char *at = strstr(path, HTTP_ROUTE_ID);
	size_t pre, i;

	if (at == NULL)
		return 0;
	pre = (size_t)(at - path);
	if (strncmp(url, path, pre) != 0)
		return 0;
	url += pre;
	for (i = 0; i < HTTP_ROUTE_ID_LEN; i++)
		if (!isxdigit((unsigned char)url[i]))
			return 0;
	return strcmp(url + HTTP_ROUTE_ID_LEN, at + strlen(HTTP_ROUTE_ID)) ==
	    0;
}

static int
is_match(const struct http_route *rt, const char *url)
{
	switch (rt->match) {
	case HTTP_MATCH_PREFIX:
		return strncmp(url, rt->path, strlen(rt->path)) == 0;
	case HTTP_MATCH_ID:
		return is_id_match(rt->path, url);
	case HTTP_MATCH_EXACT:
		break;
	}
	return strcmp(url, rt->path) == 0;
}

/* 403 with the refusal page of the row's area. */
static enum MHD_Result
forbidden(struct req *rq, const struct http_route *rt)
{
	struct buf b = { 0 };
	int r;

	if (rt->role == HTTP_ROLE_RESEARCHER)
		r = page_research_forbidden(&b, rq->lang);
	else
		r = page_desk_forbidden(&b, rq->lang);
	if (r != GH_OK)
		buf_free(&b);
	return http_send_html(rq, MHD_HTTP_FORBIDDEN, &b);
}

/*
 * 403 for an account of another role: the research area's refusal says
 * so already; the desk's has a page of its own (its usual refusal is
 * about a form that was not sent).
 */
static enum MHD_Result
wrong_role(struct req *rq, const struct http_route *rt)
{
	struct buf b = { 0 };

	if (rt->role == HTTP_ROLE_RESEARCHER)
		return forbidden(rq, rt);
	if (page_desk_wrong_role(&b, rq->lang) != GH_OK)
		buf_free(&b);
	return http_send_html(rq, MHD_HTTP_FORBIDDEN, &b);
}

/*
 * No (live) session: a GET goes to /login; a desk POST gets the login
 * page carrying its fields (403: nothing was done), any other is refused.
 */
static enum MHD_Result
to_login(struct req *rq, const struct http_route *rt, const char *url,
    const char *cookie)
{
	if (rq->is_post && rt->role == HTTP_ROLE_DESK)
		return route_login_expired(rq, url);
	if (rq->is_post)
		return forbidden(rq, rt);
	if (rt->role == HTTP_ROLE_RESEARCHER)
		return http_send_redirect(rq, "/login", NULL);
	return http_send_redirect(rq, cookie != NULL ?
	    (rq->lang == DEF_EN ? "/login?expired=1&lang=en" :
	    "/login?expired=1") : (rq->lang == DEF_EN ? "/login?lang=en" :
	    "/login"), NULL);
}

/*
 * 1 if the account behind a->view is as it was at login; else its
 * sessions are ended and 0. A database that cannot be read counts as no.
 */
static int
is_account_current(struct req *rq, const struct http_auth *a)
{
	struct store *s = ctx_store_get(rq->ctx);
	int ok = session_user_is_current(s, &a->view);

	ctx_store_put(rq->ctx, s);
	if (ok == 0)
		sessions_end_user(rq->ctx->sessions, a->view.user_id);
	return ok == 1;
}

static int
is_role_ok(enum http_route_role role, enum user_role user)
{
	switch (role) {
	case HTTP_ROLE_DESK:
		return user == USER_DESK;
	case HTTP_ROLE_RESEARCHER:
		return user == USER_RESEARCHER;
	case HTTP_ROLE_REVIEWER:
		return user == USER_REVIEWER;
	case HTTP_ROLE_COORDINATOR:
		return user == USER_COORDINATOR;
	case HTTP_ROLE_SESSION:
	case HTTP_ROLE_PUBLIC:
		break;
	}
	return 1;
}

/* The checks of row rt, then its handler. */
static enum MHD_Result
run(struct req *rq, const struct http_route *rt, const char *url)
{
	struct http_auth a;
	enum MHD_Result ret;
	enum def_lang lang;
	const char *v;

	memset(&a, 0, sizeof(a));
	if (rt->role != HTTP_ROLE_PUBLIC) {
		a.cookie = MHD_lookup_connection_value(rq->conn,
		    MHD_COOKIE_KIND, COOKIE_NAME);
		if (a.cookie == NULL || rq->ctx->sessions == NULL ||
		    session_find(rq->ctx->sessions, a.cookie, &a.view) !=
		    GH_OK)
			return to_login(rq, rt, url, a.cookie);
		if (!is_account_current(rq, &a)) {
			sodium_memzero(&a.view, sizeof(a.view));
			return to_login(rq, rt, url, a.cookie);
		}
		if (!is_role_ok(rt->role, a.view.role)) {
			sodium_memzero(&a.view, sizeof(a.view));
			return wrong_role(rq, rt);
		}
	}
	if (rq->is_post && rt->csrf == HTTP_CSRF_SESSION) {
		if (!rq->is_form || form_parse(rq->body, rq->body_len,
		    &a.form) != GH_OK) {
			ret = http_send_page(rq, PAGE_BAD_REQUEST);
			goto out;
		}
		if ((v = form_get(a.form, "lang")) != NULL &&
		    def_lang_parse(v, &lang) == GH_OK)
			rq->lang = lang;
		if (!session_csrf_ok(rq->ctx->sessions, a.cookie,
		    form_get(a.form, "csrf"))) {
			ret = forbidden(rq, rt);
			goto out;
		}
	}
	ret = rt->handler(rq, url, &a);
out:
	form_free(a.form);
	sodium_memzero(&a.view, sizeof(a.view));
	return ret;
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
		return run(rq, rt, url);
	}
	return http_send_page(rq, PAGE_NOT_FOUND);
}
