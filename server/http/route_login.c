/*
 * route_login.c: GET and POST /login, POST /logout, for desk and
 * researcher users alike; desk users go on to /desk, researchers to
 * /research.
 *
 * Entry point: route_login. Data path of a login:
 *   POST body -> form_parse -> the form's token (login CSRF: below; 403
 *   without it) -> ratelimit_take (a keyed hash of the address
 *   in memory, nothing stored; given back unless the password was
 *   wrong, so only failures count) -> http_defer: the rest runs on the
 *   hashing pool (pwpool.h; a full queue is 503 at once) ->
 *   store_user_get -> deskkey_pw_verify (an unknown name is checked
 *   against a dummy hash, so it costs the same) -> desk users: the desk
 *   key is unwrapped with the password into sodium_malloc memory ->
 *   session_start copies it into the session and it is wiped here ->
 *   Set-Cookie gh_session (HttpOnly; SameSite=Strict; Path=/; Secure with
 *   HTTPS) and 303 to the user's start page.
 * Logout ends the session (wiping its key) when its CSRF token is right.
 * Nothing here logs a name, a password, a cookie or an address.
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
#include "http/form.h"
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

static enum MHD_Result
send_login(struct req *rq, unsigned int status, const char *name,
    enum login_notice n, const char *token)
{
	struct buf b = { 0 };

	if (page_login(&b, rq->lang, name, n, token) != GH_OK)
		buf_free(&b);
	return http_send_html(rq, status, &b);
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
	if (r == GH_OK && !found)
		r = GH_ERR_PASSPHRASE;
	if (r == GH_OK && lg->u.role == USER_DESK) {
		if ((r = store_key_get(s, "desk", pk)) == GH_OK)
			r = deskkey_unwrap(&lg->desk_sk, lg->u.wrapped_key,
			    lg->u.wrapped_len, pw, len, pk);
		if (r != GH_OK)
			log_error("a desk user's password is right but the "
			    "desk key does not open: %s", gh_err_str(r));
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
	if (r == GH_OK) {
		cookie_header(hdr, sizeof(hdr), rq, cookie);
		ret = http_send_redirect(rq, lg.u.role == USER_DESK ?
		    (rq->lang == DEF_EN ? "/desk?lang=en" : "/desk") :
		    (rq->lang == DEF_EN ? "/research?lang=en" : "/research"),
		    hdr);
		sodium_memzero(cookie, sizeof(cookie));
		sodium_memzero(hdr, sizeof(hdr));
	} else if (r == GH_ERR_PASSPHRASE) {
		ret = send_login(rq, MHD_HTTP_UNAUTHORIZED, name,
		    LOGIN_NOTICE_FAILED, lr->token);
	} else if (r == GH_ERR_BUSY) {
		rq->retry_after_s = HTTP_RETRY_BUSY_S;
		ret = send_login(rq, MHD_HTTP_SERVICE_UNAVAILABLE, name,
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
		return send_login(rq, MHD_HTTP_FORBIDDEN, NULL,
		    LOGIN_NOTICE_FORGED, token);
	}
	snprintf(lr->token, sizeof(lr->token), "%s", form_get(lr->f, "csrf"));
	if (name == NULL || form_get(lr->f, "password") == NULL)
		return send_login(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, name,
		    LOGIN_NOTICE_FAILED, lr->token);
	if (ratelimit_take(rq->ctx->login_limit, http_peer(rq)) != GH_OK)
		return send_login(rq, MHD_HTTP_TOO_MANY_REQUESTS, name,
		    LOGIN_NOTICE_LIMITED, lr->token);
	if (http_defer(rq, login_run, lr, login_req_free) == GH_OK)
		return MHD_YES;
	/* The pool is full: not the client's failure. */
	ratelimit_give_back(rq->ctx->login_limit, http_peer(rq));
	return send_login(rq, MHD_HTTP_SERVICE_UNAVAILABLE, name,
	    LOGIN_NOTICE_BUSY, lr->token);
}

static enum MHD_Result
logout_post(struct req *rq)
{
	const char *cookie = MHD_lookup_connection_value(rq->conn,
	    MHD_COOKIE_KIND, COOKIE_NAME);
	struct form *f = NULL;
	char hdr[160];
	struct buf b = { 0 };

	if (!rq->is_form || form_parse(rq->body, rq->body_len, &f) != GH_OK)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	set_lang(rq, f);
	if (!session_csrf_ok(rq->ctx->sessions, cookie, form_get(f, "csrf"))) {
		form_free(f);
		if (page_desk_forbidden(&b, rq->lang) != GH_OK)
			buf_free(&b);
		return http_send_html(rq, MHD_HTTP_FORBIDDEN, &b);
	}
	form_free(f);
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
