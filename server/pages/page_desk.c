/*
 * page_desk.c: the login page and the desk's inbox and refusal pages
 * (see desk.h); one report's page is in page_desk_report.c, the signals
 * in page_signals.c.
 *
 * Entry points: page_login, page_desk_inbox,
 * page_desk_forbidden, page_desk_nav, page_desk_status, page_desk_check.
 * Every value is escaped by the template renderer; fragments (rows,
 * steps, the navigation) are rendered first and passed raw.
 */
#include <stdio.h>
#include <string.h>

#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

static const char *const status_key[] = {
	"desk.status.received", "desk.status.acknowledged",
	"desk.status.in_progress", "desk.status.closed",
	"desk.status.withdrawn", "desk.status.second_opinion",
};
#define N_STATUS (sizeof(status_key) / sizeof(status_key[0]))

const char *
page_desk_status(enum def_lang lang, int status)
{
	if (status < 0 || (size_t)status >= N_STATUS)
		return "?";
	return page_msg(lang, status_key[status]);
}

static const char *
other_lang(enum def_lang lang)
{
	return page_lang(lang) == DEF_EN ? "nl" : "en";
}

int
page_desk_finish(struct buf *out, enum def_lang lang, const char *title,
    struct buf *content)
{
	struct buf t = { 0 };
	int r;

	if (buf_is_failed(content))
		return GH_ERR_NOMEM;
	buf_printf(&t, "%s \xe2\x80\x93 gehoord", title);
	r = buf_is_failed(&t) ? GH_ERR_NOMEM :
	    page_layout(out, lang, t.data, content->data ? content->data : "");
	buf_free(&t);
	return r;
}

static int
notice(struct buf *out, enum def_lang lang, const char *key, int is_error)
{
	struct tpl_var v[] = {
		{ "class", is_error ? "error-summary" : "notice", 0 },
		{ "role", is_error ? "alert" : "status", 0 },
		{ "text", page_msg(lang, key), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "desk_notice.html", v);
}

int
page_login(struct buf *out, enum def_lang lang, const char *name,
    enum login_notice n, const char *csrf)
{
	return page_login_carrying(out, lang, name, n, csrf, "");
}

int
page_login_carrying(struct buf *out, enum def_lang lang, const char *name,
    enum login_notice n, const char *csrf, const char *carry)
{
	static const char *const keys[] = {
		[LOGIN_NOTICE_NONE] = NULL,
		[LOGIN_NOTICE_FAILED] = "login.failed",
		[LOGIN_NOTICE_LIMITED] = "login.limited",
		[LOGIN_NOTICE_BUSY] = "login.busy",
		[LOGIN_NOTICE_EXPIRED] = "login.expired",
		[LOGIN_NOTICE_LOGGED_OUT] = "login.logged_out",
		[LOGIN_NOTICE_FORGED] = "login.forged",
	};
	struct buf nb = { 0 }, body = { 0 };
	int r = GH_OK;

	if (n != LOGIN_NOTICE_NONE)
		r = notice(&nb, lang, keys[n], n != LOGIN_NOTICE_LOGGED_OUT);
	{
		struct tpl_var v[] = {
			{ "lang", page_lang_code(lang), 0 },
			{ "other_lang", other_lang(lang), 0 },
			{ "other_lang_name", page_msg(lang, "desk.lang.switch"), 0 },
			{ "title", page_msg(lang, "login.title"), 0 },
			{ "notice", nb.data, 1 },
			{ "intro", page_msg(lang, "login.intro"), 0 },
			{ "name_label", page_msg(lang, "login.name"), 0 },
			{ "name", name, 0 },
			{ "password_label", page_msg(lang, "login.password"), 0 },
			{ "submit", page_msg(lang, "login.submit"), 0 },
			{ "csrf", csrf, 0 },
			{ "carry", carry, 1 },
			{ NULL, NULL, 0 },
		};

		if (r == GH_OK)
			r = tpl_render(&body, "login.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, lang, page_msg(lang, "login.title"), &body);
	buf_free(&nb);
	buf_free(&body);
	return r;
}

int
page_desk_nav(struct buf *out, const struct desk_page *p)
{
	const char *here = p->here != NULL ? p->here : "/desk";
	int is_signals = strcmp(here, "/desk/signals") == 0;
	struct tpl_var v[] = {
		{ "label", page_msg(p->lang, "desk.nav.label"), 0 },
		{ "lang", page_lang_code(p->lang), 0 },
		{ "inbox", page_msg(p->lang, "desk.nav.inbox"), 0 },
		{ "inbox_current", strcmp(here, "/desk") == 0 ?
		    " aria-current=\"page\"" : "", 1 },
		{ "signals", page_msg(p->lang, "desk.nav.signals"), 0 },
		{ "signals_current", is_signals ? " aria-current=\"page\"" : "",
		    1 },
		{ "here", here, 0 },
		{ "other_lang", other_lang(p->lang), 0 },
		{ "other_lang_name", page_msg(p->lang, "desk.lang.switch"), 0 },
		{ "csrf", p->csrf, 0 },
		{ "user_label", page_msg(p->lang, "desk.nav.user"), 0 },
		{ "user", p->user, 0 },
		{ "logout", page_msg(p->lang, "desk.nav.logout"), 0 },
		{ "retention", page_msg(p->lang, "desk.nav.retention"), 0 },
		{ "retention_current", strcmp(here, "/desk/retention") == 0 ?
		    " aria-current=\"page\"" : "", 1 },
		{ NULL, NULL, 0 },
	};
	int r = tpl_render(out, "desk_nav.html", v);

	if (r == GH_OK && p->notice_key != NULL)
		r = notice(out, p->lang, p->notice_key, p->is_notice_error);
	return r;
}

void
page_desk_msg_d(struct buf *b, enum def_lang lang, const char *key, const char *mark,
    const char *value)
{
	const char *s = page_msg(lang, key), *at = strstr(s, mark);

	if (at == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_add(b, s, (size_t)(at - s));
	buf_puts(b, value);
	buf_puts(b, at + strlen(mark));
}

int
page_desk_clock(struct buf *out, enum def_lang lang,
    const struct desk_item *it)
{
	static const char *const label[DESK_STEPS] = {
		"desk.clock.ack", "desk.clock.feedback",
		"desk.clock.aftercare1", "desk.clock.aftercare3",
	};
	static const char *const state[] = {
		"not-yet", "due", "overdue", "done"
	};
	struct buf val = { 0 };
	size_t i;
	int r = GH_OK;

	for (i = 0; i < DESK_STEPS && r == GH_OK; i++) {
		const struct desk_step *s = &it->step[i];

		if (s->state == DESK_CLOCK_NOT_YET)
			continue;
		val.len = 0;
		if (s->state == DESK_CLOCK_DONE)
			buf_puts(&val, page_msg(lang, "desk.clock.done"));
		else
			page_desk_msg_d(&val, lang, s->state == DESK_CLOCK_DUE ?
			    "desk.clock.due" : "desk.clock.overdue", "{d}",
			    s->due);
		if (buf_is_failed(&val)) {
			r = GH_ERR_NOMEM;
			break;
		}
		{
			struct tpl_var v[] = {
				{ "state", state[s->state], 0 },
				{ "label", page_msg(lang, label[i]), 0 },
				{ "value", val.data, 0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(out, "desk_step.html", v);
		}
	}
	buf_free(&val);
	return r;
}

static int
render_item(struct buf *out, enum def_lang lang, const struct desk_item *it)
{
	struct buf clock = { 0 }, text = { 0 }, head = { 0 }, mark = { 0 };
	struct buf who = { 0 };
	/* Withdrawn (REPORT_WITHDRAWN), or destroyed by retention. */
	int is_tomb = it->status == 4 || it->is_expired;
	int r;

	r = is_tomb ? GH_OK : page_desk_clock(&clock, lang, it);
	if (it->is_expired)
		buf_puts(&text, page_msg(lang, "desk.inbox.expired"));
	else if (is_tomb)
		page_desk_msg_d(&text, lang, "desk.inbox.tombstone", "{d}",
		    it->status_day);
	if (it->ref[0] != '\0')
		page_desk_msg_d(&head, lang, "desk.case.ref", "{ref}", it->ref);
	else
		buf_puts(&head, it->id);
	/* Said in words, not only shown in colour. */
	if (it->is_new) {
		buf_puts(&mark, " <strong class=\"desk-new\">");
		buf_html(&mark, page_msg(lang, "desk.case.new"));
		buf_puts(&mark, "</strong>");
	}
	if (it->assigned[0] == '\0')
		buf_puts(&who, page_msg(lang, "desk.case.nobody"));
	else if (it->is_assigned_disabled)
		page_desk_msg_d(&who, lang, "desk.assign.disabled", "{name}",
		    it->assigned);
	else
		buf_puts(&who, it->assigned);
	if (r == GH_OK && (buf_is_failed(&head) || buf_is_failed(&mark) ||
	    buf_is_failed(&who)))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "id", it->id, 0 },
			{ "lang", page_lang_code(lang), 0 },
			{ "heading", head.data, 0 },
			{ "new", mark.data, 1 },
			{ "assigned_label", page_msg(lang, "desk.case.assigned"),
			    0 },
			{ "assigned", who.data, 0 },
			{ "status_label", page_msg(lang, "desk.status.label"), 0 },
			{ "status", page_desk_status(lang, it->status), 0 },
			{ "received_label", page_msg(lang,
			    "desk.inbox.received"), 0 },
			{ "received", it->received, 0 },
			{ "clock", clock.data, 1 },
			{ "text", text.data, 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, is_tomb ? "desk_tombstone.html" :
		    "desk_item.html", v);
	}
	buf_free(&clock);
	buf_free(&text);
	buf_free(&head);
	buf_free(&mark);
	buf_free(&who);
	return r;
}

int
page_desk_inbox(struct buf *out, const struct desk_page *p,
    const struct desk_item *items, size_t n)
{
	struct buf nav = { 0 }, rows = { 0 }, count = { 0 }, body = { 0 };
	struct buf filters = { 0 };
	size_t i;
	int r;

	if ((r = page_desk_nav(&nav, p)) == GH_OK)
		r = page_desk_filters(&filters, p);
	for (i = 0; i < n && r == GH_OK; i++)
		r = render_item(&rows, p->lang, &items[i]);
	if (n == 0)
		buf_puts(&count, page_msg(p->lang, p->filter != NULL &&
		    p->filter->is_filtered ? "desk.filter.none" :
		    "desk.inbox.empty"));
	else
		page_msg_n(&count, p->lang, "desk.inbox.count", n);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nav.data, 1 },
			{ "title", page_msg(p->lang, "desk.inbox.title"), 0 },
			{ "intro", page_msg(p->lang, "desk.inbox.intro"), 0 },
			{ "filters", filters.data, 1 },
			{ "count", count.data, 0 },
			{ "items", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "desk_inbox.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, p->lang, page_msg(p->lang, "desk.inbox.title"),
		    &body);
	buf_free(&nav);
	buf_free(&rows);
	buf_free(&filters);
	buf_free(&count);
	buf_free(&body);
	return r;
}

/* A desk message page: KEY.heading, KEY.text and KEY.hint of the
 * catalogue in the desk's layout. */
static int
desk_message(struct buf *out, enum def_lang lang, const char *key)
{
	char heading[64], text[64], hint[64];
	struct buf body = { 0 };
	struct tpl_var v[] = {
		{ "heading", NULL, 0 },
		{ "text", NULL, 0 },
		{ "hint", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	int r;

	snprintf(heading, sizeof(heading), "%s.heading", key);
	snprintf(text, sizeof(text), "%s.text", key);
	snprintf(hint, sizeof(hint), "%s.hint", key);
	v[0].value = page_msg(lang, heading);
	v[1].value = page_msg(lang, text);
	v[2].value = page_msg(lang, hint);
	if ((r = tpl_render(&body, "message.html", v)) == GH_OK)
		r = page_desk_finish(out, lang, v[0].value, &body);
	buf_free(&body);
	return r;
}

int
page_desk_forbidden(struct buf *out, enum def_lang lang)
{
	return desk_message(out, lang, "desk.forbidden");
}

/* A signed-in account that is not a desk user (a researcher): the pages
 * are not theirs, rather than a form that was not sent. */
int
page_desk_wrong_role(struct buf *out, enum def_lang lang)
{
	return desk_message(out, lang, "desk.role");
}
