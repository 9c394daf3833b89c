/*
 * route_login.c: GET and POST /login, POST /logout, for desk,
 * researcher and reviewer users alike; desk users go on to /desk,
 * researchers to /research, reviewers to /desk/review.
 *
 * Entry point: route_login. Data path of a login:
 *   POST body -> form_parse -> the form's token (login CSRF: below; 403
 *   without it) -> ratelimit_take (a keyed hash of the address
 *   in memory, nothing stored; given back unless the password was
 *   wrong, so only failures count) -> http_defer: the rest runs on the
 *   hashing pool (pwpool.h; a full queue is 503 at once) ->
 *   store_user_get -> deskkey_pw_verify (an unknown name is checked
 *   against a dummy hash, so it costs the same; a disabled account fails
 *   like a wrong password) -> desk users: the desk
 *   key is unwrapped with the password into sodium_malloc memory
 *   (reviewers: their own key, checked against their public key) ->
 *   session_start copies it into the session and it is wiped here ->
 *   Set-Cookie gh_session (HttpOnly; SameSite=Strict; Path=/; Secure with
 *   HTTPS) and 303 to the user's start page.
 * Logout ends the session (wiping its key); the router (router.c) has
 * checked the session and its CSRF token, and taken the form's language.
 * Nothing here logs a name, a password, a cookie or an address.
 *
 * A desk form that arrives after its session ended (route_login_expired,
 * called by the router) gets the login page with the "expired" notice
 * and the form's fields hidden in the login form ("carry_to" and
 * "c.NAME", page_login_carry.c), still 403 as before: nothing was done.
 * A desk login that carries them answers with the form again, its text
 * in a text area and the new session's token, instead of the redirect:
 * the user sends it once more, so nothing is sent twice or unseen. The
 * carried text lives only in the browser and in this request's memory.
 *
 * Login CSRF: without it, another site could post its own account's name
 * and password from a user's browser and log them in as someone else
 * (whatever they then do lands in that account). The login page sets a
 * cookie gh_login with 32 random bytes (HttpOnly; SameSite=Strict;
 * Path=/login) and puts HMAC-SHA-512-256(login key, those bytes) in the
 * form as its token: a signed double submit, with no state on the
 * server. Another site can neither read the cookie nor make a token for
 * it without the key, which is random, in locked memory, made at every
 * start and never stored (a restart makes open login forms fail once;
 * the 403 page carries a good form). A POST without a matching pair is
 * refused with 403 before anything is checked or counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/deskkey.h"
#include "survey/form.h"
#include "http/http_int.h"
#include "http/ratelimit.h"
#include "http/session.h"
#include "pages/desk.h"
#include "pages/page.h"
#include "util/log.h"

#define COOKIE_NAME	"gh_session"
#define FORM_COOKIE	"gh_login"	/* the login form's nonce */
#define NONCE_BYTES	32
#define TOKEN_LEN	43		/* base64url of 32 bytes */

_Static_assert(crypto_auth_BYTES == NONCE_BYTES, "token size");

static void
set_lang(struct req *rq, const struct form *f)
{
	const char *v = form_get(f, "lang");
	enum def_lang lang;

	if (v != NULL && def_lang_parse(v, &lang) == GH_OK)
		rq->lang = lang;
}

/* 1 if to is a path a carried form may go back to: one under /desk/. */
static int
is_carry_to_ok(const char *to)
{
	return to != NULL && strncmp(to, "/desk/", 6) == 0 &&
	    strlen(to) <= 128 &&
	    strspn(to, "abcdefghijklmnopqrstuvwxyz0123456789/") == strlen(to);
}

/*
 * The login page; when f carries a desk form (carry_to, or is the desk
 * form itself with to its path), its fields go along, hidden.
 */
static enum MHD_Result
send_login_carrying(struct req *rq, unsigned int status, const char *name,
    enum login_notice n, const char *token, const char *to,
    const struct form *f, int is_carried)
{
	struct buf b = { 0 }, carry = { 0 };
	int r = GH_OK;

	if (is_carry_to_ok(to))
		r = page_login_carry(&carry, to, f, is_carried);
	if (r != GH_OK || page_login_carrying(&b, rq->lang, name, n, token,
	    carry.data != NULL ? carry.data : "") != GH_OK)
		buf_free(&b);
	buf_free(&carry);
	return http_send_html(rq, status, &b);
}

static enum MHD_Result
send_login(struct req *rq, unsigned int status, const char *name,
    enum login_notice n, const char *token)
{
	return send_login_carrying(rq, status, name, n, token, NULL, NULL, 0);
}

/* The login page again after a failure, carrying what lr's form carries. */
static enum MHD_Result
send_login_again(struct req *rq, unsigned int status, const struct form *f,
    enum login_notice n, const char *token)
{
	return send_login_carrying(rq, status, form_get(f, "name"), n, token,
	    form_get(f, "carry_to"), f, 1);
}

/* The nonce in the gh_login cookie, if it holds one: 1, else 0. */
static int
cookie_nonce(struct req *rq, uint8_t nonce[NONCE_BYTES])
{
	const char *v = MHD_lookup_connection_value(rq->conn,
	    MHD_COOKIE_KIND, FORM_COOKIE);
	size_t len = 0;

	return v != NULL && strlen(v) == TOKEN_LEN &&
	    sodium_base642bin(nonce, NONCE_BYTES, v, TOKEN_LEN, NULL, &len,
	    NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
	    len == NONCE_BYTES;
}

/* The form's token for nonce: its HMAC under the login key, base64url. */
static void
nonce_token(const struct http_ctx *c, const uint8_t nonce[NONCE_BYTES],
    char out[TOKEN_LEN + 1])
{
	uint8_t tag[crypto_auth_BYTES];

	crypto_auth(tag, nonce, NONCE_BYTES, c->login_key);
	sodium_bin2base64(out, TOKEN_LEN + 1, tag, sizeof(tag),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/*
 * The token of the login form rq is about to send: that of the gh_login
 * cookie's nonce, or of a fresh nonce, then sent as that cookie.
 */
static void
form_token(struct req *rq, char out[TOKEN_LEN + 1])
{
	uint8_t nonce[NONCE_BYTES];
	char v[TOKEN_LEN + 1];

	if (!cookie_nonce(rq, nonce)) {
		randombytes_buf(nonce, sizeof(nonce));
		sodium_bin2base64(v, sizeof(v), nonce, sizeof(nonce),
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		snprintf(rq->set_cookie, sizeof(rq->set_cookie),
		    "%s=%s; HttpOnly; SameSite=Strict; Path=/login%s",
		    FORM_COOKIE, v, rq->ctx->is_https ? "; Secure" : "");
	}
	nonce_token(rq->ctx, nonce, out);
}

/* 1 if token is the one of the gh_login cookie's nonce, else 0. */
static int
is_token_ok(struct req *rq, const char *token)
{
	uint8_t nonce[NONCE_BYTES], tag[crypto_auth_BYTES];
	size_t len = 0;

	if (token == NULL || strlen(token) != TOKEN_LEN ||
	    !cookie_nonce(rq, nonce) ||
	    sodium_base642bin(tag, sizeof(tag), token, TOKEN_LEN, NULL, &len,
	    NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof(tag))
		return 0;
	return crypto_auth_verify(tag, nonce, NONCE_BYTES,
	    rq->ctx->login_key) == 0;
}

/* The Set-Cookie value for cookie (or one that clears it if NULL). */
static void
cookie_header(char *out, size_t outsz, const struct req *rq,
    const char *cookie)
{
	snprintf(out, outsz, "%s=%s; HttpOnly; SameSite=Strict; Path=/%s%s",
	    COOKIE_NAME, cookie != NULL ? cookie : "",
	    cookie != NULL ? "" : "; Max-Age=0",
	    rq->ctx->is_https ? "; Secure" : "");
}

/* What a checked login yields: the user and, for desk users, the key. */
struct login {
	struct user_row	 u;
	uint8_t		*desk_sk;
};

/*
 * Checks name and password (on a hashing worker); fills *lg. GH_OK,
 * GH_ERR_PASSPHRASE (no such user or wrong password), or an error.
 */
static int
check_password(struct req *rq, const char *name, const char *pw,
    struct login *lg)
{
	struct http_ctx *c = rq->ctx;
	struct store *s = ctx_store_get(c);
	uint8_t pk[DESKKEY_PK_BYTES];
	size_t len = strlen(pw);
	int r, found;

	r = strlen(name) <= USER_MAX_NAME ? store_user_get(s, name, &lg->u) :
	    GH_ERR_NOT_FOUND;
	found = r == GH_OK;
	if (r != GH_OK && r != GH_ERR_NOT_FOUND)
		goto out;
	r = deskkey_pw_verify(found ? lg->u.pw_hash : c->pw_dummy, pw, len);
	/* A disabled account fails as a wrong password does, after the
	 * same work, and its key is not opened. */
	if (r == GH_OK && (!found || lg->u.is_disabled))
		r = GH_ERR_PASSPHRASE;
	if (r == GH_OK && lg->u.role == USER_DESK) {
		if ((r = store_key_get(s, "desk", pk)) == GH_OK)
			r = deskkey_unwrap(&lg->desk_sk, lg->u.wrapped_key,
			    lg->u.wrapped_len, pw, len, pk);
		if (r != GH_OK)
			log_error("a desk user's password is right but the "
			    "desk key does not open: %s", gh_err_str(r));
	} else if (r == GH_OK && lg->u.role == USER_REVIEWER) {
		r = deskkey_unwrap(&lg->desk_sk, lg->u.wrapped_key,
		    lg->u.wrapped_len, pw, len, lg->u.public_key);
		if (r != GH_OK)
			log_error("a reviewer's password is right but their "
			    "key does not open: %s", gh_err_str(r));
	}
	if (r == GH_ERR_INVALID && !found)
		r = GH_ERR_PASSPHRASE;
out:
	ctx_store_put(c, s);
	return r;
}

/* A login, from the request thread to the hashing worker. */
struct login_req {
	struct form	*f;
	char		 token[TOKEN_LEN + 1];	/* for a page shown again */
};

static void
login_req_free(void *state)
{
	struct login_req *lr = state;

	if (lr == NULL)
		return;
	form_free(lr->f);
	free(lr);
}

/*
 * After a login that carried a desk form: the form again with the new
 * session's token (and its cookie), so the text typed before the session
 * ended is sent once, when the user sends it.
 */
static enum MHD_Result
resume(struct req *rq, const struct form *f, const char *cookie)
{
	struct session_view v;
	struct buf b = { 0 };

	if (session_find(rq->ctx->sessions, cookie, &v) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	cookie_header(rq->set_cookie, sizeof(rq->set_cookie), rq, cookie);
	if (page_login_resume(&b, rq->lang, form_get(f, "carry_to"), v.csrf,
	    f) != GH_OK)
		buf_free(&b);
	sodium_memzero(&v, sizeof(v));
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

/* Where a role lands after logging in, in the page's language. */
static const char *
home_of(enum user_role role, enum def_lang lang)
{
	int en = lang == DEF_EN;

	switch (role) {
	case USER_DESK:
		return en ? "/desk?lang=en" : "/desk";
	case USER_REVIEWER:
		return en ? "/desk/review?lang=en" : "/desk/review";
	case USER_COORDINATOR:
		return en ? "/console?lang=en" : "/console";
	default:
		return en ? "/research?lang=en" : "/research";
	}
}

/* The second half of POST /login, on a hashing worker. */
static enum MHD_Result
login_run(struct req *rq)
{
	const struct login_req *lr = rq->pw_state;
	const char *name = form_get(lr->f, "name");
	const char *pw = form_get(lr->f, "password");
	struct login lg;
	char cookie[SESSION_COOKIE_LEN + 1], hdr[160];
	enum MHD_Result ret;
	int r;

	memset(&lg, 0, sizeof(lg));
	r = check_password(rq, name, pw, &lg);
	/* Only failures count against the address. */
	if (r != GH_ERR_PASSPHRASE)
		ratelimit_give_back(rq->ctx->login_limit, http_peer(rq));
	if (r == GH_OK)
		r = session_start(rq->ctx->sessions, &lg.u, lg.desk_sk, cookie);
	deskkey_free(lg.desk_sk);
	if (r == GH_OK && lg.u.role == USER_DESK &&
	    is_carry_to_ok(form_get(lr->f, "carry_to"))) {
		ret = resume(rq, lr->f, cookie);
		sodium_memzero(cookie, sizeof(cookie));
	} else if (r == GH_OK) {
		cookie_header(hdr, sizeof(hdr), rq, cookie);
		ret = http_send_redirect(rq, home_of(lg.u.role, rq->lang),
		    hdr);
		sodium_memzero(cookie, sizeof(cookie));
		sodium_memzero(hdr, sizeof(hdr));
	} else if (r == GH_ERR_PASSPHRASE) {
		ret = send_login_again(rq, MHD_HTTP_UNAUTHORIZED, lr->f,
		    LOGIN_NOTICE_FAILED, lr->token);
	} else if (r == GH_ERR_BUSY) {
		rq->retry_after_s = HTTP_RETRY_BUSY_S;
		ret = send_login_again(rq, MHD_HTTP_SERVICE_UNAVAILABLE, lr->f,
		    LOGIN_NOTICE_BUSY, lr->token);
	} else {
		ret = http_send_page(rq, PAGE_ERROR);
	}
	sodium_memzero(&lg, sizeof(lg));
	return ret;
}

/*
 * POST /login on the request thread: the form's token (login CSRF), the
 * address's budget, then the hashing pool.
 */
static enum MHD_Result
login_post(struct req *rq)
{
	struct login_req *lr;
	const char *name;
	char token[TOKEN_LEN + 1];

	if ((lr = calloc(1, sizeof(*lr))) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	/* The request owns lr from here on, whatever the outcome. */
	rq->pw_state = lr;
	rq->pw_state_free = login_req_free;
	if (!rq->is_form || form_parse(rq->body, rq->body_len, &lr->f) !=
	    GH_OK)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	set_lang(rq, lr->f);
	name = form_get(lr->f, "name");
	if (!is_token_ok(rq, form_get(lr->f, "csrf"))) {
		/* Not from our form: check nothing; a good form to retry. */
		form_token(rq, token);
		return send_login_carrying(rq, MHD_HTTP_FORBIDDEN, NULL,
		    LOGIN_NOTICE_FORGED, token, form_get(lr->f, "carry_to"),
		    lr->f, 1);
	}
	snprintf(lr->token, sizeof(lr->token), "%s", form_get(lr->f, "csrf"));
	if (name == NULL || form_get(lr->f, "password") == NULL)
		return send_login_again(rq, MHD_HTTP_UNPROCESSABLE_CONTENT,
		    lr->f, LOGIN_NOTICE_FAILED, lr->token);
	if (ratelimit_take(rq->ctx->login_limit, http_peer(rq)) != GH_OK)
		return send_login_again(rq, MHD_HTTP_TOO_MANY_REQUESTS, lr->f,
		    LOGIN_NOTICE_LIMITED, lr->token);
	if (http_defer(rq, login_run, lr, login_req_free) == GH_OK)
		return MHD_YES;
	/* The pool is full: not the client's failure. */
	ratelimit_give_back(rq->ctx->login_limit, http_peer(rq));
	return send_login_again(rq, MHD_HTTP_SERVICE_UNAVAILABLE, lr->f,
	    LOGIN_NOTICE_BUSY, lr->token);
}

enum MHD_Result
route_login_expired(struct req *rq, const char *url)
{
	struct form *f = NULL;
	char token[TOKEN_LEN + 1];
	enum MHD_Result ret;

	if (rq->is_form && form_parse(rq->body, rq->body_len, &f) == GH_OK)
		set_lang(rq, f);
	form_token(rq, token);
	ret = send_login_carrying(rq, MHD_HTTP_FORBIDDEN, NULL,
	    LOGIN_NOTICE_EXPIRED, token, url, f, 0);
	form_free(f);
	return ret;
}

/* POST /logout: the router has checked the session and its token. */
static enum MHD_Result
logout_post(struct req *rq)
{
	const char *cookie = MHD_lookup_connection_value(rq->conn,
	    MHD_COOKIE_KIND, COOKIE_NAME);
	char hdr[160];

	session_end(rq->ctx->sessions, cookie);
	cookie_header(hdr, sizeof(hdr), rq, NULL);
	return http_send_redirect(rq, rq->lang == DEF_EN ?
	    "/login?lang=en&out=1" : "/login?out=1", hdr);
}

enum MHD_Result
route_login(struct req *rq, const char *url)
{
	const char *out;
	char token[TOKEN_LEN + 1];

	if (strcmp(url, "/logout") == 0)
		return rq->is_post ? logout_post(rq) :
		    http_send_page(rq, PAGE_NOT_FOUND);
	if (rq->is_post)
		return login_post(rq);
	form_token(rq, token);
	out = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
	    "out");
	if (out != NULL && strcmp(out, "1") == 0)
		return send_login(rq, MHD_HTTP_OK, NULL,
		    LOGIN_NOTICE_LOGGED_OUT, token);
	out = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
	    "expired");
	return send_login(rq, MHD_HTTP_OK, NULL, out != NULL &&
	    strcmp(out, "1") == 0 ? LOGIN_NOTICE_EXPIRED : LOGIN_NOTICE_NONE,
	    token);
}
