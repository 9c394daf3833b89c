/*
 * page_console_test.c: the console's preview of an instrument and its
 * test link page (console_test.h).
 *
 * The preview renders the questions with the respondent's own
 * renderer (page_questions) with no answers, so every question shows,
 * in the instrument's language, in sections headed in the console's;
 * the lang attribute marks which is which for screen readers. It has
 * no form: nothing on it can be sent. A question or page shown only
 * after certain answers is listed under its page, so the coordinator
 * knows that respondents may not see it.
 */
#include <stdio.h>
#include <string.h>

#include "pages/console.h"
#include "pages/console_test.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

/* Appends s to out as one URL path segment (RFC 3986 unreserved kept). */
static void
url_segment(struct buf *out, const char *s)
{
	const unsigned char *u;

	for (u = (const unsigned char *)s; *u != '\0'; u++) {
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
		    (*u >= '0' && *u <= '9') || strchr("-._~", *u) != NULL)
			buf_add(out, (const char *)u, 1);
		else
			buf_printf(out, "%%%02X", *u);
	}
}

/* The links to the preview in each language, the one shown marked. */
static int
lang_links(struct buf *out, const struct desk_page *p, const char *name,
    enum def_lang in)
{
	int l, r = GH_OK;

	for (l = 0; l < DEF_LANGS && r == GH_OK; l++) {
		struct tpl_var v[] = {
			{ "name", name, 0 },
			{ "code", page_lang_code((enum def_lang)l), 0 },
			{ "lang", page_lang_code(p->lang), 0 },
			{ "current", (enum def_lang)l == in ?
			    " aria-current=\"page\"" : "", 1 },
			{ "label", page_msg((enum def_lang)l, "lang.name"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_instrument_lang.html", v);
	}
	return r;
}

/* The questions of [first, first + n) shown only after certain answers. */
static int
later_list(struct buf *out, const struct desk_page *p, const struct def *d,
    enum def_lang in, size_t first, size_t n)
{
	struct buf items = { 0 };
	size_t i;
	int r = GH_OK;

	for (i = first; i < first + n && i < d->n_questions && r == GH_OK;
	    i++) {
		struct tpl_var v[] = {
			{ "in", page_lang_code(in), 0 },
			{ "text", d->questions[i].label.s[in], 0 },
			{ NULL, NULL, 0 },
		};

		if (d->questions[i].show_if != NULL)
			r = tpl_render(&items, "console_instrument_item.html",
			    v);
	}
	if (r == GH_OK && items.len > 0) {
		struct tpl_var v[] = {
			{ "text", page_msg(p->lang,
			    "console.instrument.later"), 0 },
			{ "items", items.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_instrument_later.html", v);
	}
	buf_free(&items);
	return r;
}

/* Page pi of the n pages of d, every question shown. */
static int
preview_page(struct buf *out, const struct desk_page *p, const struct def *d,
    enum def_lang in, size_t pi, size_t n)
{
	const struct def_page *pg = d->n_pages > 0 ? &d->pages[pi] : NULL;
	struct page_qctx c = { .d = d, .lang = in };
	struct buf number = { 0 }, qs = { 0 }, intro = { 0 }, cond = { 0 },
	    later = { 0 };
	const char *title = pg != NULL ? pg->title.s[in] : "";
	char id[24];
	int r;

	c.first = pg != NULL ? pg->first : 0;
	c.n = pg != NULL ? pg->n : d->n_questions;
	snprintf(id, sizeof(id), "%zu", pi + 1);
	page_msg_nm(&number, p->lang, "form.progress", (long long)pi + 1,
	    (long long)n);
	if (title[0] != '\0')
		buf_puts(&number, ": ");
	struct tpl_var iv[] = {
		{ "intro", pg != NULL ? pg->intro.s[in] : "", 0 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var cv[] = {
		{ "text", page_msg(p->lang,
		    "console.instrument.page_cond"), 0 },
		{ NULL, NULL, 0 },
	};
	if ((pg != NULL && pg->intro.s[in][0] != '\0' &&
	    (r = tpl_render(&intro, "survey_intro.html", iv)) != GH_OK) ||
	    (pg != NULL && pg->show_if != NULL &&
	    (r = tpl_render(&cond, "console_p.html", cv)) != GH_OK) ||
	    (r = page_questions(&qs, &c)) != GH_OK ||
	    (r = later_list(&later, p, d, in, c.first, c.n)) != GH_OK)
		goto out;
	struct tpl_var v[] = {
		{ "n", id, 0 },
		{ "number", number.data, 0 },
		{ "in", page_lang_code(in), 0 },
		{ "page_title", title, 0 },
		{ "condition", cond.data, 1 },
		{ "intro", intro.data, 1 },
		{ "questions", qs.data, 1 },
		{ "later", later.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = buf_is_failed(&number) ? GH_ERR_NOMEM :
	    tpl_render(out, "console_instrument_page.html", v);
out:
	buf_free(&number);
	buf_free(&qs);
	buf_free(&intro);
	buf_free(&cond);
	buf_free(&later);
	return r;
}

int
page_console_instrument(struct buf *out, const struct desk_page *p,
    const char *name, const struct def *d, enum def_lang in)
{
	struct buf nv = { 0 }, enc = { 0 }, langs = { 0 }, welcome = { 0 },
	    pages = { 0 }, title = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	size_t pi, n = d->n_pages > 0 ? d->n_pages : 1;
	const char *text = d->welcome.s[in][0] != '\0' ? d->welcome.s[in] :
	    d->intro.s[in];
	int r;

	url_segment(&enc, name);
	buf_printf(&title, "%s: %s", page_msg(l, "console.instrument.title"),
	    name);
	struct tpl_var wv[] = {
		{ "intro", text, 0 },
		{ NULL, NULL, 0 },
	};
	if (buf_is_failed(&enc) || buf_is_failed(&title)) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	if ((r = page_console_nav(&nv, p)) != GH_OK ||
	    (r = lang_links(&langs, p, enc.data, in)) != GH_OK ||
	    (text[0] != '\0' &&
	    (r = tpl_render(&welcome, "survey_intro.html", wv)) != GH_OK))
		goto out;
	for (pi = 0; pi < n && r == GH_OK; pi++)
		r = preview_page(&pages, p, d, in, pi, n);
	if (r != GH_OK)
		goto out;
	struct tpl_var v[] = {
		{ "nav", nv.data, 1 },
		{ "title", title.data, 0 },
		{ "intro", page_msg(l, "console.instrument.intro"), 0 },
		{ "test_hint", page_msg(l, "console.instrument.test_hint"),
		    0 },
		{ "langs_label", page_msg(l, "console.instrument.langs"), 0 },
		{ "langs", langs.data, 1 },
		{ "welcome_heading", page_msg(l,
		    "console.instrument.welcome"), 0 },
		{ "in", page_lang_code(in), 0 },
		{ "survey_title", d->title.s[in], 0 },
		{ "welcome", welcome.data, 1 },
		{ "pages", pages.data, 1 },
		{ "lang", page_lang_code(l), 0 },
		{ "back", page_msg(l, "console.instrument.back"), 0 },
		{ NULL, NULL, 0 },
	};
	if ((r = tpl_render(&body, "console_instrument.html", v)) == GH_OK)
		r = page_desk_finish(out, l, title.data, &body);
out:
	buf_free(&nv);
	buf_free(&enc);
	buf_free(&langs);
	buf_free(&welcome);
	buf_free(&pages);
	buf_free(&title);
	buf_free(&body);
	return r;
}

int
page_console_test_link(struct buf *out, const struct desk_page *p,
    const struct console_test_view *tv)
{
	struct buf nv = { 0 }, title = { 0 }, count = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	char wave[24];
	int r;

	snprintf(wave, sizeof(wave), "%lld", (long long)tv->wave);
	buf_printf(&title, "%s: %s", page_msg(l, "console.test.title"),
	    tv->wave_name);
	page_msg_n(&count, l, "console.test.count",
	    tv->n_links > 0 ? (size_t)tv->n_links : 0);
	if (buf_is_failed(&title) || buf_is_failed(&count)) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	if ((r = page_console_nav(&nv, p)) != GH_OK)
		goto out;
	struct tpl_var v[] = {
		{ "nav", nv.data, 1 },
		{ "title", title.data, 0 },
		{ "made", page_msg(l, "console.test.made"), 0 },
		{ "link", tv->link, 0 },
		{ "discarded", page_msg(l, "console.test.discarded"), 0 },
		{ "works", page_msg(l, "console.test.works"), 0 },
		{ "share", page_msg(l, "console.test.share"), 0 },
		{ "remove_heading", page_msg(l, "console.test.remove_heading"),
		    0 },
		{ "count", count.data, 0 },
		{ "csrf", p->csrf, 0 },
		{ "lang", page_lang_code(l), 0 },
		{ "wave", wave, 0 },
		{ "remove", page_msg(l, "console.test.remove"), 0 },
		{ "back", page_msg(l, "console.test.back"), 0 },
		{ NULL, NULL, 0 },
	};
	if ((r = tpl_render(&body, "console_test.html", v)) == GH_OK)
		r = page_desk_finish(out, l, title.data, &body);
out:
	buf_free(&nv);
	buf_free(&title);
	buf_free(&count);
	buf_free(&body);
	return r;
}

/* The form that makes (or removes) a wave's test links. */
static int
test_form(struct buf *out, const struct desk_page *p,
    const struct console_view *cv)
{
	struct buf opts = { 0 }, label = { 0 };
	enum def_lang l = p->lang;
	char id[24];
	size_t i;
	int r = GH_OK;

	if (cv->n == 0)
		return GH_OK;
	for (i = 0; i < cv->n && r == GH_OK; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)cv->w[i].id);
		label.len = 0;
		buf_printf(&label, "%s (%s)", cv->w[i].name, id);
		struct tpl_var v[] = {
			{ "value", id, 0 },
			{ "label", label.data, 0 },
			{ NULL, NULL, 0 },
		};
		r = buf_is_failed(&label) ? GH_ERR_NOMEM :
		    tpl_render(&opts, "console_option.html", v);
	}
	struct tpl_var v[] = {
		{ "heading", page_msg(l, "console.test.heading"), 0 },
		{ "intro", page_msg(l, "console.test.intro"), 0 },
		{ "csrf", p->csrf, 0 },
		{ "lang", page_lang_code(l), 0 },
		{ "wave_label", page_msg(l, "console.test.wave"), 0 },
		{ "options", opts.data, 1 },
		{ "make", page_msg(l, "console.test.make"), 0 },
		{ "remove", page_msg(l, "console.test.remove"), 0 },
		{ NULL, NULL, 0 },
	};
	if (r == GH_OK)
		r = tpl_render(out, "console_test_form.html", v);
	buf_free(&opts);
	buf_free(&label);
	return r;
}

/* The links to each instrument's preview, in both languages. */
static int
preview_list(struct buf *out, const struct desk_page *p,
    const struct console_view *cv)
{
	struct buf items = { 0 }, enc = { 0 }, nl = { 0 }, en = { 0 };
	enum def_lang l = p->lang;
	size_t i;
	int r = GH_OK;

	if (cv->n_defs == 0)
		return GH_OK;
	for (i = 0; i < cv->n_defs && r == GH_OK; i++) {
		enc.len = nl.len = en.len = 0;
		url_segment(&enc, cv->defs[i]);
		buf_printf(&nl, "%s \xe2\x80\x93 %s", cv->defs[i],
		    page_msg(DEF_NL, "lang.name"));
		buf_printf(&en, "%s \xe2\x80\x93 %s", cv->defs[i],
		    page_msg(DEF_EN, "lang.name"));
		struct tpl_var v[] = {
			{ "enc", enc.data, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "name_nl", nl.data, 0 },
			{ "name_en", en.data, 0 },
			{ NULL, NULL, 0 },
		};
		r = buf_is_failed(&enc) || buf_is_failed(&nl) ||
		    buf_is_failed(&en) ? GH_ERR_NOMEM :
		    tpl_render(&items, "console_preview_item.html", v);
	}
	struct tpl_var v[] = {
		{ "heading", page_msg(l, "console.instrument.heading"), 0 },
		{ "intro", page_msg(l, "console.instrument.list_intro"),
		    0 },
		{ "items", items.data, 1 },
		{ NULL, NULL, 0 },
	};
	if (r == GH_OK)
		r = tpl_render(out, "console_preview_list.html", v);
	buf_free(&items);
	buf_free(&enc);
	buf_free(&nl);
	buf_free(&en);
	return r;
}

int
page_console_try(struct buf *out, const struct desk_page *p,
    const struct console_view *cv)
{
	int r;

	if ((r = test_form(out, p, cv)) != GH_OK)
		return r;
	return preview_list(out, p, cv);
}
