/*
 * route_console_account_add.c: new accounts from the coordinator's
 * console. POST /console/accounts/add (fields "name", "role": desk,
 * reviewer or researcher; for a desk user once one exists, "by" and
 * "by_password": an existing desk user who lets the new one in, as
 * `gehoord user add --by` asks) and POST /console/accounts/confirm
 * (field "name": a coordinator proposed by another coordinator).
 *
 * Entry points: route_console_account_add, route_console_account_confirm.
 * Data path: the form checked on the request thread (a bad field: 422,
 * the page again with the field named and the values kept, nothing
 * stored) -> http_defer: on the hashing pool, a new initial password
 * (ACCOUNT_PW_CHARS random characters) -> its Argon2id hash (and for a
 * desk user the desk key, opened with the voucher's password and
 * wrapped again; for a reviewer a key pair of their own, wrapped) ->
 * store_user_add, or store_account_confirm (a transaction that refuses
 * the proposer) -> the audit row -> the page, showing the password this
 * once (the page is no-store). The password is held in sodium_malloc
 * memory, wiped when the request ends, and never logged or stored.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "crypto/deskkey.h"
#include "http/console_accounts.h"
#include "http/desk.h"
#include "pages/page.h"
#include "store/store_account.h"
#include "store/store_console.h"
#include "store/store_user.h"

#define ACCOUNT_PW_CHARS	20	/* about 99 bits */
#define ACCOUNT_PW_GROUP	5	/* a '-' after every 5 */
#define ACCOUNT_PW_LEN		(ACCOUNT_PW_CHARS + ACCOUNT_PW_CHARS / \
	ACCOUNT_PW_GROUP - 1)

/* No 0/o, 1/l/i: read aloud or copied by hand without doubt. */
static const char pw_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

/* What the second half on the hashing pool needs (sodium_malloc). */
struct add_job {
	struct http_auth a;		/* the view only: form is NULL */
	char		 name[USER_MAX_NAME + 1];
	enum user_role	 role;
	char		 by[USER_MAX_NAME + 1];
	char		 by_pw[DESKKEY_PW_MAX + 1];
	size_t		 by_pw_len;
	char		 pw[ACCOUNT_PW_LEN + 1];
	struct user_row	 u;
};

static void
job_free(void *state)
{
	sodium_free(state);
}

static void
new_password(char out[ACCOUNT_PW_LEN + 1])
{
	size_t i, o = 0;

	for (i = 0; i < ACCOUNT_PW_CHARS; i++) {
		if (i > 0 && i % ACCOUNT_PW_GROUP == 0)
			out[o++] = '-';
		out[o++] = pw_alphabet[randombytes_uniform(
		    sizeof(pw_alphabet) - 1)];
	}
	out[o] = '\0';
}

static struct add_job *
job_new(const struct http_auth *a)
{
	struct add_job *j = sodium_malloc(sizeof(*j));

	if (j == NULL)
		return NULL;
	memset(j, 0, sizeof(*j));
	j->a.view = a->view;
	return j;
}

/* The page after a refusal of the add form: 422, the values kept. */
static enum MHD_Result
add_refused(struct req *rq, const struct http_auth *a, const char *name,
    const char *role, const char *by, const char *key, const char *field)
{
	struct console_accounts_view cv;

	memset(&cv, 0, sizeof(cv));
	cv.name = name;
	cv.role = role;
	cv.by = by;
	cv.error_key = key;
	cv.error_field = field;
	return console_accounts_send(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT,
	    NULL, 0, &cv);
}

/* The page with the new account's password, shown once. */
static enum MHD_Result
shown(struct req *rq, const struct add_job *j)
{
	struct console_accounts_view cv;

	memset(&cv, 0, sizeof(cv));
	cv.new_name = j->name;
	cv.new_password = j->pw;
	return console_accounts_send(rq, &j->a, MHD_HTTP_OK, NULL, 0, &cv);
}

/* The desk key for a new desk user into *sk, opened by the voucher. */
static int
desk_key(struct store *s, struct add_job *j, int64_t n_desk, uint8_t **sk)
{
	uint8_t pk[DESKKEY_PK_BYTES];
	struct user_row by;
	int r;

	if (n_desk == 0) {
		if ((r = deskkey_generate(pk, sk)) != GH_OK)
			return r;
		return store_key_set(s, "desk", pk);
	}
	if ((r = store_user_get(s, j->by, &by)) != GH_OK ||
	    by.role != USER_DESK || by.is_disabled) {
		r = r == GH_OK || r == GH_ERR_NOT_FOUND ? GH_ERR_NOT_FOUND : r;
		goto out;
	}
	if ((r = store_key_get(s, "desk", pk)) == GH_OK &&
	    (r = deskkey_pw_verify(by.pw_hash, j->by_pw, j->by_pw_len)) ==
	    GH_OK)
		r = deskkey_unwrap(sk, by.wrapped_key, by.wrapped_len, j->by_pw,
		    j->by_pw_len, pk);
out:
	sodium_memzero(&by, sizeof(by));
	return r;
}

/* On the hashing pool: the row of the new account, with its keys. */
static int
make_row(struct store *s, struct add_job *j)
{
	struct user_row *u = &j->u;
	uint8_t *sk = NULL;
	int64_t n_desk = 0;
	int r;

	new_password(j->pw);
	memset(u, 0, sizeof(*u));
	memcpy(u->name, j->name, strlen(j->name) + 1);
	u->role = j->role;
	if ((r = deskkey_pw_hash(u->pw_hash, j->pw, strlen(j->pw))) != GH_OK)
		return r;
	if (j->role == USER_DESK) {
		if ((r = store_user_count(s, USER_DESK, &n_desk)) != GH_OK ||
		    (r = desk_key(s, j, n_desk, &sk)) != GH_OK)
			goto out;
	} else if (j->role == USER_REVIEWER) {
		if ((r = deskkey_generate(u->public_key, &sk)) != GH_OK)
			goto out;
		u->has_public_key = 1;
	}
	if (sk != NULL) {
		if ((r = deskkey_wrap(u->wrapped_key, sk, j->pw,
		    strlen(j->pw))) != GH_OK)
			goto out;
		u->wrapped_len = DESKKEY_WRAPPED_LEN;
	}
out:
	deskkey_free(sk);
	return r;
}

static enum MHD_Result
add_run(struct req *rq)
{
	struct add_job *j = rq->pw_state;
	char object[USER_MAX_NAME + 32];
	struct store *s = ctx_store_get(rq->ctx);
	int r;

	if ((r = make_row(s, j)) == GH_OK &&
	    (r = store_user_add(s, &j->u)) == GH_OK) {
		snprintf(object, sizeof(object), "%s (%s)", j->name,
		    j->role == USER_DESK ? "desk" : j->role == USER_REVIEWER ?
		    "reviewer" : "researcher");
		r = store_console_audit_add(s, j->a.view.name, "account_add",
		    object);
	}
	ctx_store_put(rq->ctx, s);
	sodium_memzero(&j->u, sizeof(j->u));
	if (r == GH_ERR_NOT_FOUND)
		return add_refused(rq, &j->a, j->name, "desk", j->by,
		    "console.accounts.bad_by", "a-by");
	if (r == GH_ERR_PASSPHRASE)
		return add_refused(rq, &j->a, j->name, "desk", j->by,
		    "console.accounts.bad_by_pw", "a-by-pw");
	if (r == GH_ERR_EXISTS)
		return add_refused(rq, &j->a, j->name, NULL, j->by,
		    "console.accounts.exists", "a-name");
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return shown(rq, j);
}

/* Reads the role of the add form; -1 for none of desk, reviewer, researcher. */
static int
form_role(const char *v, enum user_role *role)
{
	if (v != NULL && strcmp(v, "desk") == 0)
		*role = USER_DESK;
	else if (v != NULL && strcmp(v, "reviewer") == 0)
		*role = USER_REVIEWER;
	else if (v != NULL && strcmp(v, "researcher") == 0)
		*role = USER_RESEARCHER;
	else
		return -1;
	return 0;
}

/* Whether name is free: no user and no proposal. GH_OK, GH_ERR_EXISTS. */
static int
name_is_free(struct req *rq, const char *name, int64_t *n_desk)
{
	struct account_proposal p;
	struct user_row u;
	struct store *s = ctx_store_get(rq->ctx);
	int r;

	if ((r = store_user_get(s, name, &u)) == GH_ERR_NOT_FOUND)
		r = store_account_proposal_get(s, name, &p);
	/* Either found: the name is taken. */
	if (r == GH_OK)
		r = GH_ERR_EXISTS;
	else if (r == GH_ERR_NOT_FOUND)
		r = store_user_count(s, USER_DESK, n_desk);
	ctx_store_put(rq->ctx, s);
	sodium_memzero(&u, sizeof(u));
	return r;
}

enum MHD_Result
route_console_account_add(struct req *rq, const char *url,
    const struct http_auth *a)
{
	const char *name = form_get(a->form, "name");
	const char *role = form_get(a->form, "role");
	const char *by = form_get(a->form, "by");
	const char *by_pw = form_get(a->form, "by_password");
	struct add_job *j;
	enum user_role ur;
	int64_t n_desk = 0;
	int r;

	(void)url;
	if (!console_account_name_is_ok(name))
		return add_refused(rq, a, name, role, by,
		    "console.accounts.bad_name", "a-name");
	if (form_role(role, &ur) != 0)
		return add_refused(rq, a, name, role, by, role != NULL &&
		    strcmp(role, "coordinator") == 0 ?
		    "console.accounts.propose_instead" :
		    "console.accounts.bad_role", "a-role");
	if ((r = name_is_free(rq, name, &n_desk)) == GH_ERR_EXISTS)
		return add_refused(rq, a, name, role, by,
		    "console.accounts.exists", "a-name");
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if (ur == USER_DESK && n_desk > 0 &&
	    !console_account_name_is_ok(by))
		return add_refused(rq, a, name, role, by,
		    "console.accounts.need_by", "a-by");
	if (ur == USER_DESK && n_desk > 0 && (by_pw == NULL ||
	    by_pw[0] == '\0' || strlen(by_pw) > DESKKEY_PW_MAX))
		return add_refused(rq, a, name, role, by,
		    "console.accounts.need_by_pw", "a-by-pw");
	if ((j = job_new(a)) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	snprintf(j->name, sizeof(j->name), "%s", name);
	j->role = ur;
	if (ur == USER_DESK && n_desk > 0) {
		snprintf(j->by, sizeof(j->by), "%s", by);
		j->by_pw_len = strlen(by_pw);
		memcpy(j->by_pw, by_pw, j->by_pw_len + 1);
	}
	if (http_defer(rq, add_run, j, job_free) == GH_OK)
		return MHD_YES;
	return console_accounts_send(rq, a, MHD_HTTP_SERVICE_UNAVAILABLE,
	    "console.accounts.busy", 1, NULL);
}

static enum MHD_Result
confirm_run(struct req *rq)
{
	struct add_job *j = rq->pw_state;
	struct store *s;
	int r;

	new_password(j->pw);
	memset(&j->u, 0, sizeof(j->u));
	memcpy(j->u.name, j->name, strlen(j->name) + 1);
	j->u.role = USER_COORDINATOR;
	if ((r = deskkey_pw_hash(j->u.pw_hash, j->pw, strlen(j->pw))) ==
	    GH_OK) {
		s = ctx_store_get(rq->ctx);
		r = store_account_confirm(s, &j->u, j->a.view.name);
		ctx_store_put(rq->ctx, s);
	}
	sodium_memzero(&j->u, sizeof(j->u));
	if (r == GH_ERR_NOT_FOUND)
		return console_accounts_send(rq, &j->a, MHD_HTTP_NOT_FOUND,
		    "console.accounts.no_proposal", 1, NULL);
	if (r == GH_ERR_PRIVACY)
		return console_accounts_send(rq, &j->a, MHD_HTTP_FORBIDDEN,
		    "console.accounts.own_proposal", 1, NULL);
	if (r == GH_ERR_EXISTS)
		return console_accounts_send(rq, &j->a, MHD_HTTP_CONFLICT,
		    "console.accounts.exists", 1, NULL);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return shown(rq, j);
}

enum MHD_Result
route_console_account_confirm(struct req *rq, const char *url,
    const struct http_auth *a)
{
	const char *name = form_get(a->form, "name");
	struct account_proposal p;
	struct add_job *j;
	struct store *s;
	int r;

	(void)url;
	if (!console_account_name_is_ok(name))
		return console_accounts_send(rq, a, MHD_HTTP_BAD_REQUEST,
		    "console.accounts.no_name", 1, NULL);
	/* Checked here too, so a refusal costs no derivation. */
	s = ctx_store_get(rq->ctx);
	r = store_account_proposal_get(s, name, &p);
	ctx_store_put(rq->ctx, s);
	if (r == GH_ERR_NOT_FOUND)
		return console_accounts_send(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.accounts.no_proposal", 1, NULL);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if (strcmp(p.proposed_by, a->view.name) == 0)
		return console_accounts_send(rq, a, MHD_HTTP_FORBIDDEN,
		    "console.accounts.own_proposal", 1, NULL);
	if ((j = job_new(a)) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	snprintf(j->name, sizeof(j->name), "%s", name);
	if (http_defer(rq, confirm_run, j, job_free) == GH_OK)
		return MHD_YES;
	return console_accounts_send(rq, a, MHD_HTTP_SERVICE_UNAVAILABLE,
	    "console.accounts.busy", 1, NULL);
}
