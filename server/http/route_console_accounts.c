/*
 * route_console_accounts.c: the accounts in the coordinator's console.
 * GET /console/accounts (the accounts with role and state, coordinators
 * waiting for a second coordinator, the forms), POST
 * /console/accounts/disable, /enable and /remove (form field "name"; a
 * removal first answers a confirmation page and acts only with
 * "confirm=yes"), /propose (a coordinator, to be confirmed by another)
 * and /withdraw (a proposal). Adding an account and confirming a
 * coordinator are in route_console_account_add.c. The router has
 * checked the coordinator's session and the CSRF token of a POST.
 *
 * Entry points: route_console_accounts, route_console_account_disable,
 * route_console_account_enable, route_console_account_remove,
 * route_console_account_propose, route_console_account_withdraw.
 * Rules: no coordinator disables or removes themselves, nor the last
 * active coordinator; the last desk user is not removed here (the desk
 * key would be lost; `gehoord user remove --force` can). Each action
 * ends with store_console_audit_add (who, what, on whom, today).
 * Never logged: names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/console_accounts.h"
#include "http/desk.h"
#include "pages/console.h"
#include "pages/page.h"
#include "report/report_crypto.h"
#include "store/store_account.h"
#include "store/store_console.h"
#include "store/store_user.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
    "0123456789._@-"

int
console_account_name_is_ok(const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;

	return n > 0 && n <= CONSOLE_ACCOUNT_NAME_MAX &&
	    strspn(name, NAME_CHARS) == n;
}

static const char *
role_word(enum user_role role)
{
	return role == USER_DESK ? "desk" : role == USER_REVIEWER ?
	    "reviewer" : role == USER_COORDINATOR ? "coordinator" :
	    "researcher";
}

/* The accounts and proposals as the page lists them. */
struct lists {
	const char		*self;
	struct console_account	*users;
	size_t			 n, cap;
	struct console_proposal	*props;
	size_t			 n_props, cap_props;
};

static int
user_add(void *arg, const struct user_row *u)
{
	struct lists *l = arg;
	struct console_account *nu, *it;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		if ((nu = realloc(l->users, l->cap * sizeof(*nu))) == NULL)
			return GH_ERR_NOMEM;
		l->users = nu;
	}
	it = &l->users[l->n++];
	memset(it, 0, sizeof(*it));
	snprintf(it->name, sizeof(it->name), "%s", u->name);
	it->role = role_word(u->role);
	it->is_disabled = u->is_disabled;
	it->is_self = strcmp(u->name, l->self) == 0;
	return GH_OK;
}

static int
prop_add(void *arg, const struct account_proposal *p)
{
	struct lists *l = arg;
	struct console_proposal *np, *it;

	if (l->n_props == l->cap_props) {
		l->cap_props = l->cap_props ? l->cap_props * 2 : 4;
		if ((np = realloc(l->props, l->cap_props * sizeof(*np))) ==
		    NULL)
			return GH_ERR_NOMEM;
		l->props = np;
	}
	it = &l->props[l->n_props++];
	memset(it, 0, sizeof(*it));
	snprintf(it->name, sizeof(it->name), "%s", p->name);
	snprintf(it->by, sizeof(it->by), "%s", p->proposed_by);
	report_day_text(it->day, p->day);
	it->is_mine = strcmp(p->proposed_by, l->self) == 0;
	return GH_OK;
}

enum MHD_Result
console_accounts_send(struct req *rq, const struct http_auth *a,
    unsigned int status, const char *notice, int is_error,
    const struct console_accounts_view *extra)
{
	struct console_accounts_view cv;
	struct lists l;
	struct desk_page p;
	struct buf b = { 0 };
	struct store *s;
	int r;

	memset(&l, 0, sizeof(l));
	l.self = a->view.name;
	if (extra != NULL)
		cv = *extra;
	else
		memset(&cv, 0, sizeof(cv));
	s = ctx_store_get(rq->ctx);
	if ((r = store_user_foreach(s, user_add, &l)) == GH_OK)
		r = store_account_proposal_foreach(s, prop_add, &l);
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/console/accounts");
		p.notice_key = notice;
		p.is_notice_error = is_error;
		cv.users = l.users;
		cv.n = l.n;
		cv.props = l.props;
		cv.n_props = l.n_props;
		r = page_console_accounts(&b, &p, &cv);
	}
	free(l.users);
	free(l.props);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

enum MHD_Result
route_console_accounts(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return console_accounts_send(rq, a, MHD_HTTP_OK, NULL, 0, NULL);
}

/* Sends the page with an error notice and status. */
static enum MHD_Result
refuse(struct req *rq, const struct http_auth *a, unsigned int status,
    const char *key)
{
	return console_accounts_send(rq, a, status, key, 1, NULL);
}

/*
 * Whether coordinator a may disable or remove u: GH_OK, or the notice
 * key of the refusal in *key (the viewer themselves, or the last active
 * coordinator; for a removal also the last desk user).
 */
static int
may_change(struct store *s, const struct http_auth *a,
    const struct user_row *u, int is_removal, const char **key)
{
	int64_t n = 0;
	int r;

	*key = NULL;
	if (strcmp(u->name, a->view.name) == 0) {
		*key = "console.accounts.not_self";
		return GH_OK;
	}
	if (u->role == USER_COORDINATOR && !u->is_disabled) {
		if ((r = store_account_active_coordinators(s, &n)) != GH_OK)
			return r;
		if (n <= 1)
			*key = "console.accounts.last_coordinator";
	}
	if (*key == NULL && is_removal && u->role == USER_DESK) {
		if ((r = store_user_count(s, USER_DESK, &n)) != GH_OK)
			return r;
		if (n <= 1)
			*key = "console.accounts.last_desk";
	}
	return GH_OK;
}

enum change { CHANGE_DISABLE, CHANGE_ENABLE, CHANGE_REMOVE };

static const char *const change_action[] = {
	"account_disable", "account_enable", "account_remove"
};
static const char *const change_done[] = {
	"console.accounts.disabled_done", "console.accounts.enabled_done",
	"console.accounts.removed_done"
};

/* Carries out c on u; GH_OK once done and audited. */
static int
change_do(struct store *s, const struct http_auth *a,
    const struct user_row *u, enum change c)
{
	char object[USER_MAX_NAME + 32];
	int r;

	if (c == CHANGE_REMOVE)
		r = store_user_remove(s, u->name);
	else
		r = store_user_set_disabled(s, u->name, c == CHANGE_DISABLE);
	if (r != GH_OK)
		return r;
	snprintf(object, sizeof(object), "%s (%s)", u->name,
	    role_word(u->role));
	return store_console_audit_add(s, a->view.name, change_action[c],
	    object);
}

static enum MHD_Result
change(struct req *rq, const struct http_auth *a, enum change c)
{
	const char *name = form_get(a->form, "name"), *key = NULL;
	const char *confirm = form_get(a->form, "confirm");
	struct user_row u;
	struct desk_page p;
	struct buf b = { 0 };
	struct store *s;
	int r, is_asking = 0;

	memset(&u, 0, sizeof(u));
	if (!console_account_name_is_ok(name))
		return refuse(rq, a, MHD_HTTP_BAD_REQUEST,
		    "console.accounts.no_name");
	s = ctx_store_get(rq->ctx);
	if ((r = store_user_get(s, name, &u)) == GH_OK &&
	    (r = may_change(s, a, &u, c == CHANGE_REMOVE, &key)) == GH_OK &&
	    key == NULL) {
		is_asking = c == CHANGE_REMOVE && (confirm == NULL ||
		    strcmp(confirm, "yes") != 0);
		if (!is_asking)
			r = change_do(s, a, &u, c);
	}
	ctx_store_put(rq->ctx, s);
	sodium_memzero(u.pw_hash, sizeof(u.pw_hash));
	if (r == GH_ERR_NOT_FOUND)
		return refuse(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.accounts.not_found");
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if (key != NULL)
		return refuse(rq, a, MHD_HTTP_FORBIDDEN, key);
	if (!is_asking)
		return console_accounts_send(rq, a, MHD_HTTP_OK, change_done[c],
		    0, NULL);
	desk_page_init(&p, rq, a, "/console/accounts");
	if (page_console_account_remove(&b, &p, u.name, role_word(u.role)) !=
	    GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

enum MHD_Result
route_console_account_disable(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return change(rq, a, CHANGE_DISABLE);
}

enum MHD_Result
route_console_account_enable(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return change(rq, a, CHANGE_ENABLE);
}

enum MHD_Result
route_console_account_remove(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return change(rq, a, CHANGE_REMOVE);
}

enum MHD_Result
route_console_account_propose(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct console_accounts_view cv;
	const char *name = form_get(a->form, "name");
	char object[USER_MAX_NAME + 32];
	struct store *s;
	int r;

	(void)url;
	memset(&cv, 0, sizeof(cv));
	cv.pname = name;
	cv.error_field = "p-name";
	if (!console_account_name_is_ok(name)) {
		cv.error_key = "console.accounts.bad_name";
		return console_accounts_send(rq, a,
		    MHD_HTTP_UNPROCESSABLE_CONTENT, NULL, 0, &cv);
	}
	s = ctx_store_get(rq->ctx);
	if ((r = store_account_propose(s, name, a->view.name)) == GH_OK) {
		snprintf(object, sizeof(object), "%s (coordinator)", name);
		r = store_console_audit_add(s, a->view.name,
		    "account_propose", object);
	}
	ctx_store_put(rq->ctx, s);
	if (r == GH_ERR_EXISTS) {
		cv.error_key = "console.accounts.exists";
		return console_accounts_send(rq, a,
		    MHD_HTTP_UNPROCESSABLE_CONTENT, NULL, 0, &cv);
	}
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return console_accounts_send(rq, a, MHD_HTTP_OK,
	    "console.accounts.proposed", 0, NULL);
}

enum MHD_Result
route_console_account_withdraw(struct req *rq, const char *url,
    const struct http_auth *a)
{
	const char *name = form_get(a->form, "name");
	char object[USER_MAX_NAME + 32];
	struct store *s;
	int r;

	(void)url;
	if (!console_account_name_is_ok(name))
		return refuse(rq, a, MHD_HTTP_BAD_REQUEST,
		    "console.accounts.no_name");
	s = ctx_store_get(rq->ctx);
	if ((r = store_account_proposal_remove(s, name)) == GH_OK) {
		snprintf(object, sizeof(object), "%s (coordinator)", name);
		r = store_console_audit_add(s, a->view.name,
		    "account_withdraw", object);
	}
	ctx_store_put(rq->ctx, s);
	if (r == GH_ERR_NOT_FOUND)
		return refuse(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.accounts.no_proposal");
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return console_accounts_send(rq, a, MHD_HTTP_OK,
	    "console.accounts.withdrawn", 0, NULL);
}
