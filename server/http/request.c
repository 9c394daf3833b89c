/*
 * request.c: the start of every request: its state, the checks of its
 * headers, its body, and the path decoding MHD calls back for.
 *
 * Entry points: request_start (first callback of a request),
 * request_take_body (each chunk of the body), http_defer (the rest of a
 * request to the hashing pool), request_free (when MHD is done with it),
 * request_unescape (MHD_OPTION_UNESCAPE_CALLBACK).
 *
 * A request is refused before its body is read when the headers already
 * say it is wrong: a declared body over FORM_MAX_BODY (UPLOAD_MAX_BODY
 * for a multipart body of a report route, or of the desk's reply with
 * a live desk session: upload.h) (413), two
 * Content-Length headers, a transfer coding other than chunked, or both
 * Content-Length and Transfer-Encoding (400). A
 * chunked body that grows past the limit closes the connection. The body
 * grows with what arrives, never beyond the limit, and is wiped when freed:
 * it holds answers.
 *
 * A request that needs Argon2id is suspended and finished on a worker of
 * the hashing pool (pwpool.h): http_defer suspends, the worker runs the
 * route's second half, keeps its response (http_queue) and resumes the
 * connection; MHD then calls back and server.c queues what was kept.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "survey/form.h"
#include "http/http_int.h"
#include "http/session.h"
#include "http/upload.h"
#include "pages/page.h"

#define BODY_FIRST 4096

struct header_count {
	const char	*name;
	unsigned int	 n;
};

static enum MHD_Result
count_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct header_count *hc = cls;

	(void)kind;
	(void)value;
	if (strcasecmp(key, hc->name) == 0)
		hc->n++;
	return MHD_YES;
}

static unsigned int
header_count(struct MHD_Connection *conn, const char *name)
{
	struct header_count hc = { name, 0 };

	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &hc);
	return hc.n;
}

/* "application/x-www-form-urlencoded", alone or with parameters. */
static int
is_form_type(const char *ct)
{
	static const char type[] = "application/x-www-form-urlencoded";
	size_t n = sizeof(type) - 1;

	return ct != NULL && strncasecmp(ct, type, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

/* Returns the page kind that refuses this request, or -1 if it may go on. */
static int
check_headers(struct MHD_Connection *conn, size_t max_body)
{
	const char *cl, *te;
	char *end;
	unsigned long long n;

	te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (te != NULL && strcasecmp(te, "chunked") != 0)
		return PAGE_BAD_REQUEST;
	if (header_count(conn, MHD_HTTP_HEADER_CONTENT_LENGTH) > 1)
		return PAGE_BAD_REQUEST;
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	/*
	 * Both framings at once: a proxy in front may read the body by one
	 * and we by the other, and the rest would be taken for a second
	 * request (request smuggling). RFC 9112 6.1 lets us refuse it.
	 */
	if (te != NULL && cl != NULL)
		return PAGE_BAD_REQUEST;
	if (cl != NULL) {
		n = strtoull(cl, &end, 10);
		if (end == cl || *end != '\0')
			return PAGE_BAD_REQUEST;
		if (n > max_body)
			return PAGE_TOO_LARGE;
	}
	return -1;
}

/* Keeps a copy of the client's address for the rate limiters. */
static void
copy_peer(struct req *rq, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	size_t len;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		len = sizeof(struct sockaddr_in);
	else if (ci->client_addr->sa_family == AF_INET6)
		len = sizeof(struct sockaddr_in6);
	else
		return;
	memcpy(&rq->peer, ci->client_addr, len);
	rq->has_peer = 1;
}

/* Whether rq's cookie names a live session of role (upload_role). */
static int
has_session(const struct req *rq, int role)
{
	struct session_view v;
	const char *cookie = MHD_lookup_connection_value(rq->conn,
	    MHD_COOKIE_KIND, "gh_session");
	int is_role;

	if (cookie == NULL || rq->ctx->sessions == NULL ||
	    session_find(rq->ctx->sessions, cookie, &v) != GH_OK)
		return 0;
	is_role = (int)v.role == role;
	sodium_memzero(&v, sizeof(v));
	return is_role;
}

enum MHD_Result
request_start(struct http_ctx *ctx, struct MHD_Connection *conn,
    const char *url, const char *method, void **con_cls)
{
	struct req *rq;
	const char *v, *ct;
	enum def_lang lang;
	size_t n_files, max_body;
	int r, is_multipart;

	if ((rq = calloc(1, sizeof(*rq))) == NULL)
		return MHD_NO;
	rq->ctx = ctx;
	rq->conn = conn;
	rq->lang = DEF_NL;
	v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");
	if (v != NULL && def_lang_parse(v, &lang) == GH_OK)
		rq->lang = lang;
	else if ((v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_LANGUAGE)) != NULL &&
	    strncasecmp(v, "en", 2) == 0)
		rq->lang = DEF_EN;
	rq->is_post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->is_form = is_form_type(ct);
	/* Files only where a reporter, the desk or a coordinator may send
	 * them (upload.h); the desk's and the coordinator's only with a live
	 * session of theirs, so that no one else makes the server hold a
	 * large body. */
	n_files = rq->is_post ? upload_is_allowed(url, ct) : 0;
	max_body = n_files > 0 ? upload_max_body(url) : FORM_MAX_BODY;
	is_multipart = n_files > 0;
	if (n_files > 0 && upload_role(url) != UPLOAD_ROLE_ANYONE &&
	    !has_session(rq, upload_role(url))) {
		/* Its text fields only, within a form's limit: the login
		 * page that answers carries them (an expired session keeps
		 * the reply being typed). */
		n_files = 0;
		max_body = FORM_MAX_BODY;
	}
	if (is_multipart) {
		rq->refusal = check_headers(conn, max_body);
		if (rq->refusal < 0 && (r = upload_start(rq, n_files,
		    max_body, request_take_body)) != GH_OK) {
			rq->refusal = r == GH_ERR_BUSY ? PAGE_BUSY :
			    PAGE_BAD_REQUEST;
			if (r == GH_ERR_BUSY)
				rq->retry_after_s = HTTP_RETRY_BUSY_S;
		}
		rq->is_form = rq->refusal < 0;
	} else
		rq->refusal = check_headers(conn, FORM_MAX_BODY);
	copy_peer(rq, conn);
	*con_cls = rq;
	return MHD_YES;
}

const struct sockaddr *
http_peer(const struct req *rq)
{
	return rq->has_peer ? (const struct sockaddr *)(const void *)
	    &rq->peer : NULL;
}

/* Runs on a hashing worker: the route's second half, then the resume. */
static void
deferred_run(struct pwpool_job *job)
{
	struct req *rq = job->arg;

	(void)rq->pw_run(rq);	/* its response, if any, is in rq->resp */
	rq->stage = REQ_HASHED;
	MHD_resume_connection(rq->conn);
}

int
http_defer(struct req *rq, enum MHD_Result (*run)(struct req *rq),
    void *state, void (*state_free)(void *state))
{
	rq->pw_state = state;
	rq->pw_state_free = state_free;
	if (pwpool_reserve(rq->ctx->pwpool) != GH_OK) {
		rq->retry_after_s = HTTP_RETRY_BUSY_S;
		return GH_ERR_BUSY;
	}
	rq->pw_run = run;
	rq->pw.run = deferred_run;
	rq->pw.arg = rq;
	/* Suspend before the worker can resume (it has a place already). */
	rq->stage = REQ_HASHING;
	MHD_suspend_connection(rq->conn);
	pwpool_submit(rq->ctx->pwpool, &rq->pw);
	return GH_OK;
}

int
request_take_body(struct req *rq, const char *data, size_t len)
{
	size_t cap;
	char *nb;

	if (len > FORM_MAX_BODY - rq->body_len) {
		rq->is_too_large = 1;
		return -1;
	}
	if (rq->body_len + len > rq->body_cap) {
		cap = rq->body_cap ? rq->body_cap : BODY_FIRST;
		while (cap < rq->body_len + len)
			cap *= 2;
		if (cap > FORM_MAX_BODY)
			cap = FORM_MAX_BODY;
		/* Grow by copying, so the old buffer can be wiped first. */
		if ((nb = malloc(cap)) == NULL) {
			rq->is_too_large = 1;
			return -1;
		}
		if (rq->body != NULL) {
			memcpy(nb, rq->body, rq->body_len);
			sodium_memzero(rq->body, rq->body_cap);
			free(rq->body);
		}
		rq->body = nb;
		rq->body_cap = cap;
	}
	memcpy(rq->body + rq->body_len, data, len);
	rq->body_len += len;
	return 0;
}

void
request_free(struct req *rq)
{
	if (rq == NULL)
		return;
	if (rq->body != NULL) {
		sodium_memzero(rq->body, rq->body_cap);
		free(rq->body);
	}
	if (rq->pw_state_free != NULL)
		rq->pw_state_free(rq->pw_state);
	if (rq->resp != NULL)
		MHD_destroy_response(rq->resp);
	free(rq->sealed);
	upload_free(rq->up);
	free(rq);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
request_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *w = s;
	const char *r = s;
	int hi, lo;

	(void)cls;
	(void)conn;
	while (*r != '\0') {
		if (r[0] == '%' && (hi = hex_value(r[1])) >= 0 &&
		    (lo = hex_value(r[2])) >= 0 && (hi | lo) != 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}
