/*
 * page_desk_report.c: one report as the desk sees it (its clock,
 * categories, the opened conversation and the forms to reply, change the
 * status, record the category and aftercare), and page_desk_check, which
 * renders every desk page once at start-up.
 *
 * Message texts are escaped here, character by character, with line ends
 * turned into <br>: they are the only multi-line values.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

static const char *const kind_key[] = {
	"desk.kind.text", "desk.kind.question", "desk.kind.consent_ask",
	"desk.kind.consent_yes", "desk.kind.consent_no",
	"desk.kind.second_opinion", "desk.kind.note",
};
#define N_KINDS (sizeof(kind_key) / sizeof(kind_key[0]))

/* Escapes len bytes of text into out, line ends as <br>. */
static void
text_html(struct buf *out, const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (text[i]) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		case '\r': break;
		case '\n': buf_puts(out, "<br>\n"); break;
		default: buf_add(out, &text[i], 1); break;
		}
	}
}

static int
render_msg(struct buf *out, enum def_lang lang, const struct desk_msg *m)
{
	struct buf text = { 0 };
	int r;

	if (m->text != NULL)
		text_html(&text, m->text, m->text_len);
	else
		buf_html(&text, page_msg(lang, "desk.report.unreadable"));
	{
		struct tpl_var v[] = {
			{ "author_class", m->is_by_desk ? "desk" : "reporter", 0 },
			{ "author", page_msg(lang, m->is_by_desk ?
			    "desk.report.by_desk" : "desk.report.by_reporter"), 0 },
			{ "kind", m->kind >= 0 && (size_t)m->kind < N_KINDS ?
			    page_msg(lang, kind_key[m->kind]) : "?", 0 },
			{ "day", m->day, 0 },
			{ "text", text.data ? text.data : "", 1 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&text) ? GH_ERR_NOMEM :
		    tpl_render(out, "desk_msg.html", v);
	}
	/* It held a report's text: wipe before freeing. */
	if (text.data != NULL)
		sodium_memzero(text.data, text.cap);
	buf_free(&text);
	return r;
}

/* Appends <option>s of list which, the first one empty (label key). */
static int
options(struct buf *out, enum def_lang lang, enum desk_cat which,
    const char *selected, const char *empty_key)
{
	const char *const *id;
	int r = GH_OK;

	{
		struct tpl_var v[] = {
			{ "value", "", 0 },
			{ "selected", selected[0] == '\0' ? " selected" : "", 1 },
			{ "label", page_msg(lang, empty_key), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_option.html", v);
	}
	for (id = desk_cat_ids(which); *id != NULL && r == GH_OK; id++) {
		struct tpl_var v[] = {
			{ "value", *id, 0 },
			{ "selected", strcmp(*id, selected) == 0 ? " selected" :
			    "", 1 },
			{ "label", desk_cat_label(lang, which, *id), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_option.html", v);
	}
	return r;
}

static int
status_options(struct buf *out, enum def_lang lang, int status)
{
	static const char *const value[] = {
		"acknowledged", "in_progress", "closed"
	};
	size_t i;
	int r = GH_OK;

	for (i = 0; i < 3 && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "value", value[i], 0 },
			{ "selected", (int)i + 1 == status ||
			    (i == 0 && status == 0) ? " selected" : "", 1 },
			{ "label", page_desk_status(lang, (int)i + 1), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_option.html", v);
	}
	return r;
}

static int
render_forms(struct buf *out, const struct desk_page *p,
    const struct desk_item *it)
{
	enum def_lang l = p->lang;
	struct buf so = { 0 }, mo = { 0 }, fo = { 0 }, go = { 0 }, uo = { 0 };
	int r;

	if ((r = status_options(&so, l, it->status)) == GH_OK &&
	    (r = options(&mo, l, DESK_CAT_MEASURE, it->measure,
	    "desk.category.unset")) == GH_OK &&
	    (r = options(&fo, l, DESK_CAT_FORM, it->form,
	    "desk.category.unset")) == GH_OK &&
	    (r = options(&go, l, DESK_CAT_GROUND, it->ground,
	    "desk.category.unset")) == GH_OK)
		r = options(&uo, l, DESK_CAT_UNIT, it->unit,
		    "desk.category.unset");
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "id", it->id, 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "reply_heading", page_msg(l, "desk.reply.heading"), 0 },
			{ "kind_label", page_msg(l, "desk.reply.kind"), 0 },
			{ "kind_text", page_msg(l, "desk.kind.text"), 0 },
			{ "kind_question", page_msg(l, "desk.kind.question"), 0 },
			{ "kind_consent", page_msg(l, "desk.kind.consent_ask"), 0 },
			{ "text_label", page_msg(l, "desk.reply.text"), 0 },
			{ "text_hint", page_msg(l, "desk.reply.hint"), 0 },
			{ "reply_submit", page_msg(l, "desk.reply.submit"), 0 },
			{ "status_heading", page_msg(l, "desk.status.heading"), 0 },
			{ "status_new", page_msg(l, "desk.status.new"), 0 },
			{ "status_options", so.data, 1 },
			{ "measure_label", page_msg(l, "desk.report.measure"), 0 },
			{ "measure_options", mo.data, 1 },
			{ "status_submit", page_msg(l, "desk.status.submit"), 0 },
			{ "cat_heading", page_msg(l, "desk.category.heading"), 0 },
			{ "form_label", page_msg(l, "desk.category.form"), 0 },
			{ "form_options", fo.data, 1 },
			{ "ground_label", page_msg(l, "desk.category.ground"), 0 },
			{ "ground_options", go.data, 1 },
			{ "unit_label", page_msg(l, "desk.category.unit"), 0 },
			{ "unit_options", uo.data, 1 },
			{ "cat_submit", page_msg(l, "desk.category.submit"), 0 },
			{ "after_heading", page_msg(l, "desk.aftercare.heading"),
			    0 },
			{ "after_hint", page_msg(l, "desk.aftercare.hint"), 0 },
			{ "after_done1", page_msg(l, "desk.aftercare.done1"), 0 },
			{ "after_done3", page_msg(l, "desk.aftercare.done3"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_forms.html", v);
	}
	buf_free(&so);
	buf_free(&mo);
	buf_free(&fo);
	buf_free(&go);
	buf_free(&uo);
	return r;
}

static int
render_cats(struct buf *out, enum def_lang l, const struct desk_item *it)
{
	static const char *const label[] = {
		"desk.category.form", "desk.category.ground",
		"desk.category.unit", "desk.report.measure",
	};
	const char *value[] = { it->form, it->ground, it->unit, it->measure };
	int i, r = GH_OK;

	for (i = 0; i < 4 && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "label", page_msg(l, label[i]), 0 },
			{ "value", value[i][0] == '\0' ?
			    page_msg(l, "desk.report.none") :
			    desk_cat_label(l, (enum desk_cat)i, value[i]), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_cat.html", v);
	}
	return r;
}

int
page_desk_report(struct buf *out, const struct desk_page *p,
    const struct desk_item *it, const struct desk_msg *msgs, size_t n)
{
	struct buf nav = { 0 }, clock = { 0 }, cats = { 0 }, conv = { 0 };
	struct buf forms = { 0 }, title = { 0 }, body = { 0 };
	int is_tomb = it->status == 4;	/* REPORT_WITHDRAWN */
	size_t i;
	int r;

	page_desk_msg_d(&title, p->lang, "desk.report.title", "{id}", it->id);
	if ((r = page_desk_nav(&nav, p)) == GH_OK &&
	    (r = page_desk_clock(&clock, p->lang, it)) == GH_OK)
		r = render_cats(&cats, p->lang, it);
	if (is_tomb) {
		buf_puts(&conv, "<p>");
		buf_html(&conv, page_msg(p->lang, "desk.report.withdrawn"));
		buf_puts(&conv, "</p>");
	}
	for (i = 0; i < n && r == GH_OK; i++)
		r = render_msg(&conv, p->lang, &msgs[i]);
	if (r == GH_OK && !is_tomb)
		r = render_forms(&forms, p, it);
	if (r == GH_OK && buf_is_failed(&title))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nav.data, 1 },
			{ "lang", page_lang_code(p->lang), 0 },
			{ "back", page_msg(p->lang, "desk.report.back"), 0 },
			{ "notice", NULL, 1 },
			{ "title", title.data, 0 },
			{ "status_label", page_msg(p->lang, "desk.status.label"),
			    0 },
			{ "status", page_desk_status(p->lang, it->status), 0 },
			{ "received_label", page_msg(p->lang,
			    "desk.inbox.received"), 0 },
			{ "received", it->received, 0 },
			{ "clock_heading", page_msg(p->lang, "desk.report.clock"),
			    0 },
			{ "clock", clock.data, 1 },
			{ "cat_heading", page_msg(p->lang,
			    "desk.report.categories"), 0 },
			{ "cats", cats.data, 1 },
			{ "conv_heading", page_msg(p->lang,
			    "desk.report.conversation"), 0 },
			{ "messages", conv.data, 1 },
			{ "forms", forms.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "desk_report.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, p->lang, title.data, &body);
	if (conv.data != NULL)
		sodium_memzero(conv.data, conv.cap);
	if (body.data != NULL)
		sodium_memzero(body.data, body.cap);
	buf_free(&nav);
	buf_free(&clock);
	buf_free(&cats);
	buf_free(&conv);
	buf_free(&forms);
	buf_free(&title);
	buf_free(&body);
	return r;
}
