/*
 * page_console_accounts.c: the console's accounts page and the
 * confirmation step of a removal (console_accounts.h).
 *
 * Entry points: page_console_accounts, page_console_account_remove.
 * The page opens with the console's navigation (page_console_nav), the
 * refusal of a form (an error summary linking to the field) or the
 * initial password of an account just made (shown this once), then the
 * accounts, the coordinators waiting for a second coordinator (with
 * who must act next), the add form and the propose form. Rows are
 * rendered first and placed raw; every value is escaped by the
 * templates.
 */
#include <stdio.h>
#include <string.h>

#include "pages/console.h"
#include "pages/console_accounts.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

#define INVALID	" aria-invalid=\"true\""

/* The roles the add form offers; a coordinator is proposed instead. */
static const char *const add_roles[] = { "desk", "reviewer", "researcher" };

static const char *
role_label(enum def_lang l, const char *role, char *key, size_t keysz)
{
	snprintf(key, keysz, "console.accounts.role.%s", role);
	return page_msg(l, key);
}

/* One action button for name: a form posting to /console/accounts/verb. */
static int
action(struct buf *out, const struct desk_page *p, const char *verb,
    const char *name)
{
	struct buf label = { 0 };
	char key[64];
	int r;

	snprintf(key, sizeof(key), "console.accounts.do.%s", verb);
	page_desk_msg_d(&label, p->lang, key, "{name}", name);
	{
		struct tpl_var v[] = {
			{ "verb", verb, 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(p->lang), 0 },
			{ "name", name, 0 },
			{ "button", label.data, 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&label) ? GH_ERR_NOMEM :
		    tpl_render(out, "console_account_action.html", v);
	}
	buf_free(&label);
	return r;
}

static int
user_row(struct buf *out, const struct desk_page *p,
    const struct console_account *u)
{
	enum def_lang l = p->lang;
	struct buf acts = { 0 };
	char key[64];
	int r = GH_OK;

	if (u->is_self)
		buf_html(&acts, page_msg(l, "console.accounts.self"));
	else if ((r = action(&acts, p, u->is_disabled ? "enable" : "disable",
	    u->name)) == GH_OK)
		r = action(&acts, p, "remove", u->name);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "name", u->name, 0 },
			{ "role", role_label(l, u->role, key, sizeof(key)), 0 },
			{ "state", page_msg(l, u->is_disabled ?
			    "console.accounts.disabled" :
			    "console.accounts.active"), 0 },
			{ "actions", acts.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&acts) ? GH_ERR_NOMEM :
		    tpl_render(out, "console_accounts_row.html", v);
	}
	buf_free(&acts);
	return r;
}

static int
users_table(struct buf *out, const struct desk_page *p,
    const struct console_accounts_view *cv)
{
	enum def_lang l = p->lang;
	struct buf rows = { 0 };
	size_t i;
	int r = GH_OK;

	for (i = 0; i < cv->n && r == GH_OK; i++)
		r = user_row(&rows, p, &cv->users[i]);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "caption", page_msg(l, "console.accounts.caption"), 0 },
			{ "name", page_msg(l, "console.accounts.name"), 0 },
			{ "role", page_msg(l, "console.accounts.role"), 0 },
			{ "state", page_msg(l, "console.accounts.state"), 0 },
			{ "actions", page_msg(l, "console.accounts.actions"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_accounts_table.html", v);
	}
	buf_free(&rows);
	return r;
}

static int
pending_row(struct buf *out, const struct desk_page *p,
    const struct console_proposal *pr)
{
	struct buf acts = { 0 }, next = { 0 };
	int r = GH_OK;

	page_desk_msg_d(&next, p->lang, "console.accounts.next", "{by}",
	    pr->by);
	if (!pr->is_mine)
		r = action(&acts, p, "confirm", pr->name);
	if (r == GH_OK)
		r = action(&acts, p, "withdraw", pr->name);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "name", pr->name, 0 },
			{ "by", pr->by, 0 },
			{ "day", pr->day, 0 },
			{ "next", next.data, 0 },
			{ "actions", acts.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&acts) || buf_is_failed(&next) ?
		    GH_ERR_NOMEM :
		    tpl_render(out, "console_accounts_pending_row.html", v);
	}
	buf_free(&acts);
	buf_free(&next);
	return r;
}

static int
pending_table(struct buf *out, const struct desk_page *p,
    const struct console_accounts_view *cv)
{
	enum def_lang l = p->lang;
	struct buf rows = { 0 };
	size_t i;
	int r = GH_OK;

	if (cv->n_props == 0)
		return GH_OK;
	for (i = 0; i < cv->n_props && r == GH_OK; i++)
		r = pending_row(&rows, p, &cv->props[i]);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "heading", page_msg(l, "console.accounts.pending"), 0 },
			{ "intro", page_msg(l, "console.accounts.pending_intro"),
			    0 },
			{ "caption", page_msg(l, "console.accounts.pending"), 0 },
			{ "name", page_msg(l, "console.accounts.name"), 0 },
			{ "by", page_msg(l, "console.accounts.by"), 0 },
			{ "day", page_msg(l, "console.accounts.day"), 0 },
			{ "next", page_msg(l, "console.accounts.who_next"), 0 },
			{ "actions", page_msg(l, "console.accounts.actions"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_accounts_pending.html", v);
	}
	buf_free(&rows);
	return r;
}

/* The error summary of a refused form, or the password shown once. */
static int
top(struct buf *errors, struct buf *shown, const struct desk_page *p,
    const struct console_accounts_view *cv)
{
	enum def_lang l = p->lang;
	struct buf text = { 0 };
	int r = GH_OK;

	if (cv->error_key != NULL) {
		struct tpl_var v[] = {
			{ "heading", page_msg(l, "console.form.error"), 0 },
			{ "field", cv->error_field != NULL ? cv->error_field :
			    "a-name", 0 },
			{ "text", page_msg(l, cv->error_key), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(errors, "console_form_error.html", v);
	}
	if (r != GH_OK || cv->new_password == NULL)
		return r;
	page_desk_msg_d(&text, l, "console.accounts.added", "{name}",
	    cv->new_name);
	{
		struct tpl_var v[] = {
			{ "text", text.data, 0 },
			{ "pw_label", page_msg(l, "console.accounts.pw"), 0 },
			{ "password", cv->new_password, 0 },
			{ "once", page_msg(l, "console.accounts.pw_once"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&text) ? GH_ERR_NOMEM :
		    tpl_render(shown, "console_account_shown.html", v);
	}
	buf_free(&text);
	return r;
}

static int
role_options(struct buf *out, enum def_lang l, const char *chosen)
{
	char key[64];
	size_t i;

	for (i = 0; i < sizeof(add_roles) / sizeof(add_roles[0]); i++) {
		buf_puts(out, "<option value=\"");
		buf_puts(out, add_roles[i]);
		buf_puts(out, chosen != NULL && strcmp(chosen, add_roles[i]) ==
		    0 ? "\" selected>" : "\">");
		buf_html(out, role_label(l, add_roles[i], key, sizeof(key)));
		buf_puts(out, "</option>\n");
	}
	return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
}

/* INVALID if the refused field is id. */
static const char *
invalid(const struct console_accounts_view *cv, const char *id)
{
	return cv->error_field != NULL && strcmp(cv->error_field, id) == 0 ?
	    INVALID : "";
}

int
page_console_accounts(struct buf *out, const struct desk_page *p,
    const struct console_accounts_view *cv)
{
	struct buf nv = { 0 }, errors = { 0 }, shown = { 0 }, table = { 0 },
	    pending = { 0 }, roles = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = page_console_nav(&nv, p)) == GH_OK &&
	    (r = top(&errors, &shown, p, cv)) == GH_OK &&
	    (r = users_table(&table, p, cv)) == GH_OK &&
	    (r = pending_table(&pending, p, cv)) == GH_OK)
		r = role_options(&roles, l, cv->role);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.accounts.title"), 0 },
			{ "intro", page_msg(l, "console.accounts.intro"), 0 },
			{ "errors", errors.data, 1 },
			{ "shown", shown.data, 1 },
			{ "table", table.data, 1 },
			{ "pending", pending.data, 1 },
			{ "add_heading", page_msg(l, "console.accounts.add"), 0 },
			{ "add_intro", page_msg(l, "console.accounts.add_intro"),
			    0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "name_label", page_msg(l, "console.accounts.name"), 0 },
			{ "name_hint", page_msg(l, "console.accounts.name_hint"),
			    0 },
			{ "name", cv->name, 0 },
			{ "name_invalid", invalid(cv, "a-name"), 1 },
			{ "role_label", page_msg(l, "console.accounts.role"), 0 },
			{ "role_invalid", invalid(cv, "a-role"), 1 },
			{ "role_options", roles.data, 1 },
			{ "by_legend", page_msg(l, "console.accounts.by_legend"),
			    0 },
			{ "by_hint", page_msg(l, "console.accounts.by_hint"), 0 },
			{ "by_label", page_msg(l, "console.accounts.by_name"), 0 },
			{ "by", cv->by, 0 },
			{ "by_invalid", invalid(cv, "a-by"), 1 },
			{ "by_pw_label", page_msg(l, "console.accounts.by_pw"),
			    0 },
			{ "by_pw_invalid", invalid(cv, "a-by-pw"), 1 },
			{ "add_submit", page_msg(l, "console.accounts.add_submit"),
			    0 },
			{ "propose_heading", page_msg(l,
			    "console.accounts.propose"), 0 },
			{ "propose_intro", page_msg(l,
			    "console.accounts.propose_intro"), 0 },
			{ "pname", cv->pname, 0 },
			{ "pname_invalid", invalid(cv, "p-name"), 1 },
			{ "propose_submit", page_msg(l,
			    "console.accounts.propose_submit"), 0 },
			{ "cli", page_msg(l, "console.accounts.cli"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&errors) || buf_is_failed(&shown) ||
		    buf_is_failed(&table) || buf_is_failed(&pending) ?
		    GH_ERR_NOMEM : tpl_render(&body, "console_accounts.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l,
		    "console.accounts.title"), &body);
	buf_free(&nv);
	buf_free(&errors);
	buf_free(&shown);
	buf_free(&table);
	buf_free(&pending);
	buf_free(&roles);
	buf_free(&body);
	return r;
}

int
page_console_account_remove(struct buf *out, const struct desk_page *p,
    const char *name, const char *role)
{
	struct buf nv = { 0 }, text = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	char key[64];
	int r;

	snprintf(key, sizeof(key), "console.accounts.remove_text.%s", role);
	page_desk_msg_d(&text, l, key, "{name}", name);
	if ((r = page_console_nav(&nv, p)) == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.accounts.remove_title"),
			    0 },
			{ "text", text.data, 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "name", name, 0 },
			{ "yes", page_msg(l, "console.accounts.remove_yes"), 0 },
			{ "no", page_msg(l, "console.accounts.remove_no"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&text) ? GH_ERR_NOMEM :
		    tpl_render(&body, "console_account_remove.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l,
		    "console.accounts.remove_title"), &body);
	buf_free(&nv);
	buf_free(&text);
	buf_free(&body);
	return r;
}
