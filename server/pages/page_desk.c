/*
 * page_desk.c: the login page and the desk's inbox, signals and refusal
 * pages (see desk.h); one report's page is in page_desk_report.c.
 *
 * Entry points: page_login, page_desk_inbox, page_desk_signals,
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
	struct buf clock = { 0 }, text = { 0 };
	int is_tomb = it->status == 4;	/* REPORT_WITHDRAWN */
	int r;

	r = is_tomb ? GH_OK : page_desk_clock(&clock, lang, it);
	if (is_tomb)
		page_desk_msg_d(&text, lang, "desk.inbox.tombstone", "{d}",
		    it->status_day);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "id", it->id, 0 },
			{ "lang", page_lang_code(lang), 0 },
			{ "heading", it->id, 0 },
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
	return r;
}

int
page_desk_inbox(struct buf *out, const struct desk_page *p,
    const struct desk_item *items, size_t n)
{
	struct buf nav = { 0 }, rows = { 0 }, count = { 0 }, body = { 0 };
	size_t i;
	int r;

	r = page_desk_nav(&nav, p);
	for (i = 0; i < n && r == GH_OK; i++)
		r = render_item(&rows, p->lang, &items[i]);
	if (n == 0)
		buf_puts(&count, page_msg(p->lang, "desk.inbox.empty"));
	else
		page_msg_n(&count, p->lang, "desk.inbox.count", n);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nav.data, 1 },
			{ "title", page_msg(p->lang, "desk.inbox.title"), 0 },
			{ "intro", page_msg(p->lang, "desk.inbox.intro"), 0 },
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
	buf_free(&count);
	buf_free(&body);
	return r;
}

static int
signals_table(struct buf *out, enum def_lang lang,
    const struct desk_unit_count *units, size_t n)
{
	struct buf rows = { 0 };
	char num[24];
	size_t i;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "unit", desk_cat_label(lang, DESK_CAT_UNIT,
			    units[i].unit), 0 },
			{ "n", num, 0 },
			{ NULL, NULL, 0 },
		};

		snprintf(num, sizeof(num), "%lld", (long long)units[i].n);
		r = tpl_render(&rows, "desk_signals_row.html", v);
	}
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "caption", page_msg(lang, "desk.signals.title"), 0 },
			{ "unit", page_msg(lang, "desk.signals.unit"), 0 },
			{ "count", page_msg(lang, "desk.signals.count"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_signals_table.html", v);
	}
	buf_free(&rows);
	return r;
}

int
page_desk_signals(struct buf *out, const struct desk_page *p,
    const struct desk_unit_count *units, size_t n, size_t n_hidden, int k)
{
	struct buf nav = { 0 }, table = { 0 }, rule = { 0 }, hidden = { 0 };
	struct buf body = { 0 };
	int r;

	r = page_desk_nav(&nav, p);
	page_msg_n(&rule, p->lang, "desk.signals.rule", (size_t)k);
	page_msg_n(&hidden, p->lang, "desk.signals.hidden", n_hidden);
	if (r == GH_OK)
		r = n > 0 ? signals_table(&table, p->lang, units, n) :
		    notice(&table, p->lang, "desk.signals.none", 0);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nav.data, 1 },
			{ "title", page_msg(p->lang, "desk.signals.title"), 0 },
			{ "intro", page_msg(p->lang, "desk.signals.intro"), 0 },
			{ "rule", rule.data, 0 },
			{ "table", table.data, 1 },
			{ "hidden", hidden.data, 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "desk_signals.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, p->lang, page_msg(p->lang, "desk.signals.title"),
		    &body);
	buf_free(&nav);
	buf_free(&table);
	buf_free(&rule);
	buf_free(&hidden);
	buf_free(&body);
	return r;
}

int
page_desk_forbidden(struct buf *out, enum def_lang lang)
{
	struct buf body = { 0 };
	struct tpl_var v[] = {
		{ "heading", page_msg(lang, "desk.forbidden.heading"), 0 },
		{ "text", page_msg(lang, "desk.forbidden.text"), 0 },
		{ "hint", page_msg(lang, "desk.forbidden.hint"), 0 },
		{ NULL, NULL, 0 },
	};
	int r = tpl_render(&body, "message.html", v);

	if (r == GH_OK)
		r = page_desk_finish(out, lang, v[0].value, &body);
	buf_free(&body);
	return r;
}
