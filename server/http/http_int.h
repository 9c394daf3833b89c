/*
 * http_int.h: the per-request state, the response helpers (response.c)
 * and the route handlers that the server's own files share. Internal to
 * server/http/.
 */
#ifndef GH_HTTP_INT_H
#define GH_HTTP_INT_H

#include <sys/socket.h>

#include <microhttpd.h>

#include "http/ctx.h"
#include "http/pwpool.h"
#include "survey/def.h"
#include "store/writer.h"
#include "util/buf.h"

/* Seconds a client is asked to wait (Retry-After) when the server is busy. */
#define HTTP_RETRY_BUSY_S	5

enum req_stage {
	REQ_NEW,	/* headers seen, first callback returned */
	REQ_BODY,	/* receiving the body */
	REQ_WAITING,	/* suspended: the writer has the job */
	REQ_DURABLE,	/* resumed: the job's result is in job.sub.result */
	REQ_HASHING,	/* suspended: the hashing pool runs pw_run */
	REQ_HASHED,	/* resumed: pw_run's response is in resp */
};

struct upload;

struct req {
	struct http_ctx		*ctx;
	struct MHD_Connection	*conn;
	enum req_stage		 stage;
	int			 is_post;
	int			 is_form;	/* urlencoded content type */
	int			 is_too_large;
	int			 refusal;	/* page kind to answer at once, or -1 */
	char			*body;		/* wiped when freed */
	size_t			 body_len;
	size_t			 body_cap;
	struct writer_job	 job;
	uint8_t			*sealed;
	size_t			 sealed_len;
	enum def_lang		 lang;
	uint8_t			 walk_id[16];	/* survey walk (walk.h), */
	int			 has_walk;	/* if has_walk */
	unsigned int		 retry_after_s;	/* Retry-After, if not 0 */
	char			 set_cookie[160]; /* Set-Cookie, if not "" */
	struct sockaddr_storage	 peer;		/* the client; in memory only */
	int			 has_peer;
	/* The rest of the request on the hashing pool (http_defer). */
	struct pwpool_job	 pw;
	enum MHD_Result		(*pw_run)(struct req *rq);
	void			*pw_state;
	void			(*pw_state_free)(void *state);
	struct MHD_Response	*resp;		/* kept for the resume */
	unsigned int		 resp_status;
	/* The link's unit, counted (console_count_spend) once durable. */
	char			 unit[DEF_MAX_UNIT + 1];
	int			 has_unit;	/* unit is the lookup's */
	int			 is_test;	/* a test link (store_test_link.h) */
	/* A multipart body of a report route (upload.h), or NULL. */
	struct upload		*up;
	int			 is_up_done;	/* upload_finish was called */
};

/*
 * Queues resp with status on rq's connection; on a hashing worker
 * (REQ_HASHING) keeps it instead, to be queued once the connection is
 * resumed. Takes resp over either way.
 */
enum MHD_Result http_queue(struct req *rq, unsigned int status,
    struct MHD_Response *resp);

/*
 * Hands the rest of rq to the hashing pool: suspends the connection and
 * calls run(rq) on a worker, whose response (http_queue) is sent when
 * the connection is resumed. state, freed with state_free when the
 * request ends, carries what run needs. Returns GH_OK: the caller
 * returns MHD_YES and touches neither rq nor state again; or
 * GH_ERR_BUSY: the pool's queue is full (or it is stopping), nothing was
 * suspended, and the caller answers at once with 503 (rq->retry_after_s
 * is set).
 */
int http_defer(struct req *rq, enum MHD_Result (*run)(struct req *rq),
    void *state, void (*state_free)(void *state)) GH_WUR;

/* The client's address (for the rate limiters), or NULL if unknown. */
const struct sockaddr *http_peer(const struct req *rq);

/* Queues b (taken over, freed by MHD) as an HTML page with status. */
enum MHD_Result http_send_html(struct req *rq, unsigned int status,
    struct buf *b);

/* As http_send_html, with connect-src 'self' added to the page's CSP. */
enum MHD_Result http_send_html_fetch(struct req *rq, unsigned int status,
    struct buf *b);

/*
 * Sends 303 See Other to location (a path of this site), with a
 * Set-Cookie header when set_cookie is not NULL.
 */
enum MHD_Result http_send_redirect(struct req *rq, const char *location,
    const char *set_cookie);

/* Renders and sends a message page of kind (page.h) in the request's lang. */
enum MHD_Result http_send_page(struct req *rq, int kind);

/* Sends the stylesheet or script name from web/, or 404 for anything else. */
enum MHD_Result http_send_asset(struct req *rq, const char *name);

/* Sends a copy of the logo (page_logo_copy) under its own policy, or 404. */
enum MHD_Result http_send_logo(struct req *rq);

/*
 * Resumed after the hashing pool: queues the response the worker kept
 * (http_queue). MHD_NO, closing the connection, if the worker kept none.
 */
enum MHD_Result http_send_kept(struct req *rq);

/*
 * Starts a request (request.c): allocates *con_cls and checks the request
 * line's headers: Content-Type, Content-Length (one, within FORM_MAX_BODY,
 * or UPLOAD_MAX_BODY for a multipart body of a report route: upload.h)
 * and Transfer-Encoding (none or chunked, never with a Content-Length).
 * A refused request gets
 * rq->refusal set, to be answered before its body is read.
 */
enum MHD_Result request_start(struct http_ctx *ctx,
    struct MHD_Connection *conn, const char *url, const char *method,
    void **con_cls);

/* Appends body bytes; returns 0, or -1 once the body is over FORM_MAX_BODY. */
int request_take_body(struct req *rq, const char *data, size_t len);

/* Wipes the body and frees the request; accepts NULL. */
void request_free(struct req *rq);

/*
 * MHD_OPTION_UNESCAPE_CALLBACK: decodes %XX in the path and arguments in
 * place, except %00, which stays as it is so that no C string is cut
 * short (a token followed by %00junk must not parse as the token).
 */
size_t request_unescape(void *cls, struct MHD_Connection *conn, char *s);

/* Adds the security and caching headers every response carries. */
void http_add_headers(const struct req *rq, struct MHD_Response *resp,
    int is_private);

/* Handles GET and POST of /s/TOKEN (token is the text after "/s/"). */
enum MHD_Result route_survey(struct req *rq, const char *token);

/* The text of a token made from an invitation: 36 bytes in base32. */
#define INVITE_TOKEN_TEXT_LEN	58
/* The longest text of a /s/ token of either kind. */
#define SURVEY_TOKEN_TEXT_MAX	INVITE_TOKEN_TEXT_LEN

/* GET and POST /i/CODE, a blind invitation (route_invite.c). */
enum MHD_Result route_invite(struct req *rq, const char *code);

/*
 * For /s/TOKEN: if token is one made from an invitation and its tag is
 * the PRF output of its batch's key, fills key (with invite_batch),
 * resume and the canonical text (textsz >= INVITE_TOKEN_TEXT_LEN + 1).
 * Returns GH_OK, GH_ERR_INVALID (not such a token), GH_ERR_NOT_FOUND (no
 * such batch, or a wrong tag) or another error (route_invite.c).
 */
int invite_token_key(struct req *rq, const char *token,
    struct store_token_key *key, uint8_t resume[32], char *text,
    size_t textsz) GH_WUR;

/*
 * The PRF input of a token made from an invitation, already checked by
 * invite_token_key: it stands for the token where a plain token's 16
 * bytes would (the key of saved answers). Returns GH_OK or GH_ERR_INVALID.
 */
int invite_token_input(const char *token, uint8_t input[16]) GH_WUR;

/* GET and POST /login, POST /logout (route_login.c). */
enum MHD_Result route_login(struct req *rq, const char *url);

/*
 * A desk POST whose session has ended: the login page (403) carrying the
 * form's fields, to be sent again after the login (route_login.c).
 */
enum MHD_Result route_login_expired(struct req *rq, const char *url);

/* GET /research and below (route_research.c): researchers only. */
enum MHD_Result route_research(struct req *rq, const char *url);

#endif
