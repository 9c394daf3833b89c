/*
 * response.c: sending a response: the security and caching headers every
 * response carries, HTML pages, message pages, redirects and the static
 * stylesheets and scripts of web/, and the organisation's logo.
 *
 * Entry points: http_send_html (http_send_html_fetch: and connect-src
 * 'self', for the invitation page's script), http_send_page, http_send_redirect,
 * http_send_asset, http_send_logo, http_send_kept; each builds an MHD response, adds the
 * headers (add_headers) and hands it to http_queue, which queues it on the
 * connection or, on a hashing worker, keeps it for the resume.
 *
 * Nothing here logs; a page is wiped when MHD frees it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/http_int.h"
#include "pages/assets.h"
#include "pages/page.h"
#include "util/sbuf.h"

#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; " \
	"img-src 'self'; form-action 'self'; frame-ancestors 'none'; " \
	"base-uri 'none'"
/*
 * The logo's own policy: an SVG opened at /logo runs as a sandbox with no
 * script of any origin and nothing loaded (its inline styles may apply).
 */
#define LOGO_CSP "default-src 'none'; style-src 'unsafe-inline'; " \
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'; sandbox"
#define HSTS			"max-age=31536000"

static void
add_headers_csp(const struct req *rq, struct MHD_Response *resp,
    int is_private, const char *csp)
{
	char retry[16];

	if (rq->ctx->is_https)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    HSTS);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", is_private ?
	    "no-store" : "public, max-age=3600");
	if (rq->retry_after_s > 0) {
		snprintf(retry, sizeof(retry), "%u", rq->retry_after_s);
		MHD_add_response_header(resp, "Retry-After", retry);
	}
	if (rq->set_cookie[0] != '\0')
		MHD_add_response_header(resp, "Set-Cookie", rq->set_cookie);
}

static void
add_headers(const struct req *rq, struct MHD_Response *resp, int is_private)
{
	add_headers_csp(rq, resp, is_private, CSP);
}

/*
 * Frees a page once MHD has sent it, wiping it first: a form shown again
 * holds the respondent's answers, a reporter's page their text. buf keeps
 * its data NUL-terminated, writes nothing past it, and pages hold no NUL
 * byte (the form parser refuses them).
 */
static void
wipe_free(void *cls)
{
	char *p = cls;

	gh_freezero(p, strlen(p));
}

void
http_add_headers(const struct req *rq, struct MHD_Response *resp,
    int is_private)
{
	add_headers(rq, resp, is_private);
}

enum MHD_Result
http_queue(struct req *rq, unsigned int status, struct MHD_Response *resp)
{
	enum MHD_Result ret;

	if (rq->stage == REQ_HASHING) {
		/* On a hashing worker: the connection is suspended. */
		if (rq->resp != NULL)
			MHD_destroy_response(rq->resp);
		rq->resp = resp;
		rq->resp_status = status;
		return MHD_YES;
	}
	ret = MHD_queue_response(rq->conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result
http_send_kept(struct req *rq)
{
	struct MHD_Response *resp = rq->resp;
	enum MHD_Result ret;

	if (resp == NULL)
		return MHD_NO;	/* the worker's half failed: close */
	rq->resp = NULL;
	ret = MHD_queue_response(rq->conn, rq->resp_status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * A page whose own script talks to this site (the invitation page,
 * web/voprf/): the same policy, and fetch() to this origin only.
 */
#define CSP_FETCH	CSP "; connect-src 'self'"

static enum MHD_Result
send_html_csp(struct req *rq, unsigned int status, struct buf *b,
    const char *csp)
{
	struct MHD_Response *resp;

	if (buf_is_failed(b)) {
		buf_free(b);
		b->data = NULL;
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
	if (b->data == NULL)
		resp = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer_with_free_callback_cls(
		    b->len, b->data, wipe_free, b->data);
	if (resp == NULL) {
		buf_free(b);
		return MHD_NO;
	}
	memset(b, 0, sizeof(*b));	/* MHD owns the memory now */
	add_headers_csp(rq, resp, 1, csp);
	MHD_add_response_header(resp, "Content-Type",
	    "text/html; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, "Allow", "GET, HEAD, POST");
	return http_queue(rq, status, resp);
}

enum MHD_Result
http_send_html(struct req *rq, unsigned int status, struct buf *b)
{
	return send_html_csp(rq, status, b, CSP);
}

enum MHD_Result
http_send_html_fetch(struct req *rq, unsigned int status, struct buf *b)
{
	return send_html_csp(rq, status, b, CSP_FETCH);
}

enum MHD_Result
http_send_page(struct req *rq, int kind)
{
	struct buf b = { 0 };

	if (page_message(&b, (enum page_kind)kind, rq->lang) != GH_OK)
		buf_free(&b);
	return http_send_html(rq, page_status((enum page_kind)kind), &b);
}

enum MHD_Result
http_send_redirect(struct req *rq, const char *location,
    const char *set_cookie)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	add_headers(rq, resp, 1);
	MHD_add_response_header(resp, "Location", location);
	if (set_cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", set_cookie);
	return http_queue(rq, MHD_HTTP_SEE_OTHER, resp);
}

enum MHD_Result
http_send_asset(struct req *rq, const char *name)
{
	const struct web_asset *a = web_asset_find(name);
	struct MHD_Response *resp;
	const char *dot, *type;

	if (a == NULL || (dot = strrchr(name, '.')) == NULL)
		return http_send_page(rq, PAGE_NOT_FOUND);
	if (strcmp(dot, ".css") == 0)
		type = "text/css; charset=utf-8";
	else if (strcmp(dot, ".js") == 0)
		type = "text/javascript; charset=utf-8";
	else
		return http_send_page(rq, PAGE_NOT_FOUND);
	resp = MHD_create_response_from_buffer(a->len, (void *)a->data,
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	add_headers(rq, resp, 0);
	MHD_add_response_header(resp, "Content-Type", type);
	return http_queue(rq, MHD_HTTP_OK, resp);
}

enum MHD_Result
http_send_logo(struct req *rq)
{
	unsigned char *data = NULL;
	const char *type = NULL;
	struct MHD_Response *resp;
	size_t len = 0;
	int r;

	/* A copy: a coordinator may replace the logo while it is sent. */
	if ((r = page_logo_copy(&data, &len, &type)) == GH_ERR_NOT_FOUND)
		return http_send_page(rq, PAGE_NOT_FOUND);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	resp = MHD_create_response_from_buffer(len, data,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(data);
		return MHD_NO;
	}
	add_headers_csp(rq, resp, 0, LOGO_CSP);
	MHD_add_response_header(resp, "Content-Type", type);
	return http_queue(rq, MHD_HTTP_OK, resp);
}
