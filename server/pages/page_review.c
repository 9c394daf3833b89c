/*
 * page_review.c: the pages of second opinions (review.h).
 *
 * Entry points: page_review_list, page_review_case (a reviewer's pages,
 * with their own navigation: they see no inbox and no signals),
 * page_review_send_link (called by the desk's report page),
 * page_review_send. Messages are rendered by page_desk_msg, as on the
 * desk's report page.
 */
#include <stdio.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/review.h"
#include "pages/tpl.h"

#define STATUS_SECOND_OPINION	5	/* REPORT_SECOND_OPINION */

static const char *
other_lang(enum def_lang lang)
{
	return lang == DEF_EN ? "nl" : "en";
}

static int
notice(struct buf *out, const struct desk_page *p)
{
	struct tpl_var v[] = {
		{ "class", p->is_notice_error ? "error-summary" : "notice", 0 },
		{ "role", p->is_notice_error ? "alert" : "status", 0 },
		{ "text", page_msg(p->lang, p->notice_key), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "desk_notice.html", v);
}

/* A reviewer's navigation: their list, the language, logging out. */
static int
nav(struct buf *out, const struct desk_page *p)
{
	const char *here = p->here != NULL ? p->here : "/desk/review";
	struct tpl_var v[] = {
		{ "label", page_msg(p->lang, "review.nav.label"), 0 },
		{ "lang", page_lang_code(p->lang), 0 },
		{ "list", page_msg(p->lang, "review.nav.list"), 0 },
		{ "list_current", strcmp(here, "/desk/review") == 0 ?
		    " aria-current=\"page\"" : "", 1 },
		{ "here", here, 0 },
		{ "other_lang", other_lang(p->lang), 0 },
		{ "other_lang_name", page_msg(p->lang, "desk.lang.switch"), 0 },
		{ "csrf", p->csrf, 0 },
		{ "user_label", page_msg(p->lang, "desk.nav.user"), 0 },
		{ "user", p->user, 0 },
		{ "logout", page_msg(p->lang, "desk.nav.logout"), 0 },
		{ NULL, NULL, 0 },
	};
	int r = tpl_render(out, "review_nav.html", v);

	if (r == GH_OK && p->notice_key != NULL)
		r = notice(out, p);
	return r;
}

/* "form, ground" as labels, or the "none" text. */
static void
categories(struct buf *out, enum def_lang l, const struct desk_item *d)
{
	if (d->form[0] != '\0')
		buf_puts(out, page_desk_cat_label(l, DESK_CAT_FORM, d->form));
	if (d->form[0] != '\0' && d->ground[0] != '\0')
		buf_puts(out, ", ");
	if (d->ground[0] != '\0')
		buf_puts(out, page_desk_cat_label(l, DESK_CAT_GROUND,
		    d->ground));
	if (d->form[0] == '\0' && d->ground[0] == '\0')
		buf_puts(out, page_msg(l, "desk.report.none"));
}

static int
list_rows(struct buf *out, enum def_lang l, const struct review_item *items,
    size_t n)
{
	struct buf cats = { 0 };
	size_t i;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i++) {
		buf_free(&cats);
		categories(&cats, l, &items[i].d);
		{
			struct tpl_var v[] = {
				{ "id", items[i].d.id, 0 },
				{ "lang", page_lang_code(l), 0 },
				{ "ref", items[i].ref[0] != '\0' ? items[i].ref :
				    items[i].d.id, 0 },
				{ "received", items[i].d.received, 0 },
				{ "sent", items[i].sent, 0 },
				{ "categories", cats.data ? cats.data : "", 0 },
				{ NULL, NULL, 0 },
			};

			r = buf_is_failed(&cats) ? GH_ERR_NOMEM :
			    tpl_render(out, "review_list_row.html", v);
		}
	}
	buf_free(&cats);
	return r;
}

int
page_review_list(struct buf *out, const struct desk_page *p,
    const struct review_item *items, size_t n)
{
	struct buf nv = { 0 }, rows = { 0 }, table = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = nav(&nv, p)) == GH_OK)
		r = list_rows(&rows, l, items, n);
	if (r == GH_OK && n == 0) {
		buf_puts(&table, "<p>");
		buf_html(&table, page_msg(l, "review.list.none"));
		buf_puts(&table, "</p>");
	} else if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "caption", page_msg(l, "review.list.title"), 0 },
			{ "ref", page_msg(l, "review.list.ref"), 0 },
			{ "received", page_msg(l, "review.list.received"), 0 },
			{ "sent", page_msg(l, "review.list.sent"), 0 },
			{ "categories", page_msg(l, "review.list.categories"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&table, "review_list_table.html", v);
	}
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "review.list.title"), 0 },
			{ "intro", page_msg(l, "review.list.intro"), 0 },
			{ "table", table.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "review_list.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l, "review.list.title"),
		    &body);
	buf_free(&nv);
	buf_free(&rows);
	buf_free(&table);
	buf_free(&body);
	return r;
}

static int
render_cats(struct buf *out, enum def_lang l, const struct desk_item *it)
{
	static const char *const label[] = {
		"desk.category.form", "desk.category.ground",
		"desk.category.unit",
	};
	const char *value[] = { it->form, it->ground, it->unit };
	int i, r = GH_OK;

	for (i = 0; i < 3 && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "label", page_msg(l, label[i]), 0 },
			{ "value", value[i][0] == '\0' ?
			    page_msg(l, "desk.report.none") :
			    page_desk_cat_label(l, (enum desk_cat)i, value[i]), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_cat.html", v);
	}
	return r;
}

/* Appends the text of key with "{id}" replaced by id. */
static void
msg_id(struct buf *b, enum def_lang lang, const char *key, const char *id)
{
	const char *s = page_msg(lang, key), *at = strstr(s, "{id}");

	if (at == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_add(b, s, (size_t)(at - s));
	buf_puts(b, id);
	buf_puts(b, at + 4);
}

int
page_review_case(struct buf *out, const struct desk_page *p,
    const struct review_item *it, const struct desk_msg *msgs, size_t n)
{
	struct buf nv = { 0 }, cats = { 0 }, conv = { 0 }, title = { 0 };
	struct buf body = { 0 };
	enum def_lang l = p->lang;
	size_t i;
	int r;

	msg_id(&title, l, "review.case.title", it->ref[0] != '\0' ? it->ref :
	    it->d.id);
	if ((r = nav(&nv, p)) == GH_OK)
		r = render_cats(&cats, l, &it->d);
	for (i = 0; i < n && r == GH_OK; i++)
		r = page_desk_msg(&conv, l, &msgs[i]);
	if (r == GH_OK && buf_is_failed(&title))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "lang", page_lang_code(l), 0 },
			{ "back", page_msg(l, "review.case.back"), 0 },
			{ "title", title.data, 0 },
			{ "status_label", page_msg(l, "desk.status.label"), 0 },
			{ "status", page_desk_status(l, it->d.status), 0 },
			{ "received_label", page_msg(l, "desk.inbox.received"),
			    0 },
			{ "received", it->d.received, 0 },
			{ "cat_heading", page_msg(l, "desk.report.categories"),
			    0 },
			{ "cats", cats.data, 1 },
			{ "conv_heading", page_msg(l,
			    "desk.report.conversation"), 0 },
			{ "messages", conv.data, 1 },
			{ "opinion_heading", page_msg(l,
			    "review.opinion.heading"), 0 },
			{ "id", it->d.id, 0 },
			{ "csrf", p->csrf, 0 },
			{ "opinion_label", page_msg(l, "review.opinion.label"),
			    0 },
			{ "opinion_hint", page_msg(l, "review.opinion.hint"), 0 },
			{ "opinion_submit", page_msg(l,
			    "review.opinion.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "review_case.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, title.data, &body);
	buf_free(&nv);
	buf_free(&cats);
	buf_free(&conv);
	buf_free(&title);
	buf_free(&body);
	return r;
}

int
page_review_send_link(struct buf *out, const struct desk_page *p,
    const struct desk_item *it)
{
	struct tpl_var v[] = {
		{ "heading", page_msg(p->lang, "review.send.heading"), 0 },
		{ "already", "", 1 },
		{ "id", it->id, 0 },
		{ "lang", page_lang_code(p->lang), 0 },
		{ "link", page_msg(p->lang, "review.send.link"), 0 },
		{ NULL, NULL, 0 },
	};

	if (it->status != STATUS_SECOND_OPINION)
		return GH_OK;
	return tpl_render(out, "desk_review_send.html", v);
}

/* "Already sent to: a, b" (nothing if none). */
static int
already(struct buf *out, enum def_lang l, const char *const *sent,
    size_t n_sent)
{
	struct buf names = { 0 };
	size_t i;
	int r;

	if (n_sent == 0)
		return GH_OK;
	for (i = 0; i < n_sent; i++) {
		if (i > 0)
			buf_puts(&names, ", ");
		buf_puts(&names, sent[i]);
	}
	{
		struct tpl_var v[] = {
			{ "label", page_msg(l, "review.send.already"), 0 },
			{ "names", names.data ? names.data : "", 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&names) ? GH_ERR_NOMEM :
		    tpl_render(out, "review_already.html", v);
	}
	buf_free(&names);
	return r;
}

static int
send_form(struct buf *out, const struct desk_page *p,
    const struct desk_item *it, const char *const *names, size_t n)
{
	struct buf opts = { 0 };
	size_t i;
	int r = GH_OK;

	if (n == 0) {
		buf_puts(out, "<p>");
		buf_html(out, page_msg(p->lang, "review.send.none"));
		buf_puts(out, "</p>");
		return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
	}
	for (i = 0; i < n && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "value", names[i], 0 },
			{ "selected", "", 1 },
			{ "label", names[i], 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&opts, "desk_option.html", v);
	}
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "id", it->id, 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(p->lang), 0 },
			{ "label", page_msg(p->lang, "review.send.label"), 0 },
			{ "options", opts.data, 1 },
			{ "submit", page_msg(p->lang, "review.send.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "review_send_form.html", v);
	}
	buf_free(&opts);
	return r;
}

int
page_review_send(struct buf *out, const struct desk_page *p,
    const struct desk_item *it, const char *const *names, size_t n,
    const char *const *sent, size_t n_sent)
{
	struct buf nv = { 0 }, al = { 0 }, form = { 0 }, title = { 0 };
	struct buf body = { 0 };
	enum def_lang l = p->lang;
	int r;

	msg_id(&title, l, "review.send.title", it->id);
	if ((r = page_desk_nav(&nv, p)) == GH_OK &&
	    (r = already(&al, l, sent, n_sent)) == GH_OK)
		r = send_form(&form, p, it, names, n);
	if (r == GH_OK && buf_is_failed(&title))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "id", it->id, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "back", page_msg(l, "desk.report.back"), 0 },
			{ "title", title.data, 0 },
			{ "intro", page_msg(l, "review.send.intro"), 0 },
			{ "already", al.data, 1 },
			{ "form", form.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "review_send.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, title.data, &body);
	buf_free(&nv);
	buf_free(&al);
	buf_free(&form);
	buf_free(&title);
	buf_free(&body);
	return r;
}
