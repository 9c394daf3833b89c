/*
 * page_survey.c: the survey forms and the welcome page (page_survey,
 * page_survey_page and page_welcome in page.h).
 *
 * Entry points: page_survey renders a one-page (format 1) definition as
 * one form, as it always was. page_welcome renders the page before the
 * first question of a multi-page survey: the definition's welcome text
 * and the standard privacy text, which the QR card says too (sheet.c).
 * page_survey_page renders one page of a multi-page survey: progress,
 * the page's heading and intro, the questions (page_question.c), the
 * sealed state in a hidden field and the Next/Send and Back buttons.
 * All three fill survey.html or welcome.html and wrap the result in
 * layout.html.
 *
 * Without JavaScript, the language switch is a submit button
 * (switch_lang=nl|en) in the form, so the handler can show the same page
 * again in the other language with the answers given so far. It is the
 * first submit button, so it is also what an Enter key in the form
 * presses: switching language keeps the answers and moves nowhere, where
 * an early submit would spend the link.
 *
 * Kept answers are plaintext answers, and the state field is their
 * sealed form: the buffers that held either are wiped before they are
 * freed. The caller owns out and should wipe it after sending.
 */
#include <stdio.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"
#include "util/log.h"

/* What survey.html is filled with, apart from the common parts. */
struct survey_form_parts {
	const char	*banner;	/* fragments, raw */
	const char	*summary;
	const char	*intro;
	const char	*questions;
	const char	*hidden;
	const char	*buttons;
	const char	*anon_note;	/* text, escaped */
};

/* Renders text (if not empty) with the one-variable template name. */
static int
survey_fragment(struct buf *out, const char *name, const char *text)
{
	struct tpl_var v[] = {
		{ "text", text, 0 },
		{ NULL, NULL, 0 },
	};

	if (text == NULL || text[0] == '\0')
		return GH_OK;
	return tpl_render(out, name, v);
}

static int
survey_intro(struct buf *out, const char *text)
{
	struct tpl_var v[] = {
		{ "intro", text, 0 },
		{ NULL, NULL, 0 },
	};

	if (text == NULL || text[0] == '\0')
		return GH_OK;
	return tpl_render(out, "survey_intro.html", v);
}

/* Renders the form (survey.html) with the given fragments into out. */
static int
survey_form_render(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, const struct survey_form_parts *f)
{
	enum def_lang other = lang == DEF_NL ? DEF_EN : DEF_NL;
	struct tpl_var v[] = {
		{ "token", token_text, 0 },
		{ "lang", page_lang_code(lang), 0 },
		{ "hidden", f->hidden, 1 },
		{ "banner", f->banner, 1 },
		{ "other_lang", page_lang_code(other), 0 },
		{ "other_lang_name", page_msg(other, "lang.name"), 0 },
		{ "summary", f->summary, 1 },
		{ "title", d->title.s[lang], 0 },
		{ "intro", f->intro, 1 },
		{ "questions", f->questions, 1 },
		{ "anon_note", f->anon_note, 0 },
		{ "buttons", f->buttons, 1 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "survey.html", v);
}

/* The note that heads every page a test link shows, if is_test. */
static int
survey_test_banner(struct buf *out, enum def_lang lang, int is_test)
{
	struct tpl_var v[] = {
		{ "heading", page_msg(lang, "test.banner_heading"), 0 },
		{ "text", page_msg(lang, "test.banner_text"), 0 },
		{ NULL, NULL, 0 },
	};

	return is_test ? tpl_render(out, "survey_test.html", v) : GH_OK;
}

/* Wraps content in the layout with title; says "Error:" first if wrong. */
static int
survey_document(struct buf *out, enum def_lang lang, int is_wrong,
    struct buf *title, const char *content)
{
	struct buf t = { 0 };
	int r;

	/* A form shown again with errors says so first in its title. */
	if (is_wrong)
		buf_printf(&t, "%s ", page_msg(lang, "error.prefix"));
	buf_printf(&t, "%s \xe2\x80\x93 gehoord", title->data != NULL ?
	    title->data : "");
	r = buf_is_failed(&t) || buf_is_failed(title) ? GH_ERR_NOMEM :
	    page_layout(out, lang, t.data, content);
	buf_free(&t);
	return r;
}

int
page_survey(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, const struct form *kept,
    const struct answer_check *chk)
{
	return page_survey_as(out, d, lang, token_text, kept, chk, 0);
}

int
page_survey_as(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, const struct form *kept,
    const struct answer_check *chk, int is_test)
{
	struct buf qs = { 0 }, summary = { 0 }, content = { 0 }, title = { 0 },
	    intro = { 0 }, buttons = { 0 }, banner = { 0 };
	struct page_qctx c = { .d = d, .kept = kept, .chk = chk };
	struct survey_form_parts f = { 0 };
	int r = GH_ERR_INVALID, has_summary = 0;

	if (d == NULL || token_text == NULL) {
		log_error("no definition or token");
		goto out;
	}
	c.lang = lang = page_lang(lang);
	c.n = d->n_questions;
	struct tpl_var bv[] = {
		{ "submit", page_msg(lang, "form.submit"), 0 },
		{ NULL, NULL, 0 },
	};
	if ((r = page_optional_note(&qs, &c)) != GH_OK ||
	    (r = page_questions(&qs, &c)) != GH_OK ||
	    (r = page_summary(&summary, &c, &has_summary)) != GH_OK ||
	    (r = survey_intro(&intro, d->intro.s[lang])) != GH_OK ||
	    (r = tpl_render(&buttons, "survey_submit.html", bv)) != GH_OK ||
	    (r = survey_test_banner(&banner, lang, is_test)) != GH_OK)
		goto out;
	f.banner = banner.data;
	f.summary = summary.data;
	f.intro = intro.data;
	f.questions = qs.data;
	f.buttons = buttons.data;
	f.anon_note = page_msg(lang, "form.anonymous");
	if ((r = survey_form_render(&content, d, lang, token_text,
	    &f)) != GH_OK)
		goto out;
	buf_puts(&title, d->title.s[lang]);
	r = survey_document(out, lang, has_summary, &title, content.data);
out:
	buf_free(&qs);
	buf_free(&summary);
	buf_free(&content);
	buf_free(&title);
	buf_free(&intro);
	buf_free(&buttons);
	buf_free(&banner);
	return r;
}

/* Sets *first and *n to the questions of page pi; GH_ERR_INVALID if none. */
static int
survey_page_range(const struct def *d, size_t pi, size_t *first, size_t *n)
{
	if (d->n_pages == 0 && pi == 0) {
		/* a definition without pages is one page */
		*first = 0;
		*n = d->n_questions;
		return GH_OK;
	}
	if (pi >= d->n_pages) {
		log_error("definition %s has no page %zu", d->id, pi);
		return GH_ERR_INVALID;
	}
	*first = d->pages[pi].first;
	*n = d->pages[pi].n;
	return GH_OK;
}

/* Renders progress, heading, intro and notice of page v->page. */
static int
survey_page_head(struct buf *out, const struct page_view *v,
    const struct buf *progress)
{
	static const char *const notice_key[] = {
		[PAGE_NOTICE_NONE] = NULL,
		[PAGE_NOTICE_MORE_QUESTIONS] = "form.more_questions",
		[PAGE_NOTICE_LAST_PAGE] = "form.last_page",
	};
	const struct def_page *pg = v->d->n_pages > 0 ?
	    &v->d->pages[v->page] : NULL;
	struct buf heading = { 0 }, intro = { 0 }, notice = { 0 };
	char number[24], total[24];
	int r;

	if ((r = survey_fragment(&heading, "survey_page_title.html",
	    pg != NULL ? pg->title.s[v->lang] : NULL)) != GH_OK ||
	    (r = survey_intro(&intro, pg != NULL ? pg->intro.s[v->lang] :
	    NULL)) != GH_OK)
		goto out;
	if ((size_t)v->notice < sizeof(notice_key) / sizeof(notice_key[0]) &&
	    notice_key[v->notice] != NULL &&
	    (r = survey_fragment(&notice, "survey_notice.html",
	    page_msg(v->lang, notice_key[v->notice]))) != GH_OK)
		goto out;
	/* The bar is the text drawn: hidden from screen readers, which
	 * read the text. */
	snprintf(number, sizeof(number), "%zu", v->number);
	snprintf(total, sizeof(total), "%zu", v->total);
	struct tpl_var hv[] = {
		{ "progress", progress->data, 0 },
		{ "number", number, 0 },
		{ "total", total, 0 },
		{ "heading", heading.data, 1 },
		{ "intro", intro.data, 1 },
		{ "notice", notice.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "survey_page_head.html", hv);
out:
	buf_free(&heading);
	buf_free(&intro);
	buf_free(&notice);
	return r;
}

/* Renders the hidden state and page fields and the navigation buttons. */
static int
survey_page_controls(struct buf *hidden, struct buf *buttons,
    const struct page_view *v)
{
	struct buf back = { 0 }, save = { 0 };
	char page[32];
	int r;

	snprintf(page, sizeof(page), "%zu", v->page);
	struct tpl_var hv[] = {
		{ "state", v->state, 0 },
		{ "page", page, 0 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var bk[] = {
		{ "label", page_msg(v->lang, "form.back"), 0 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var nv[] = {
		{ "forward", v->is_last ? "submit" : "next", 0 },
		{ "forward_label", page_msg(v->lang, v->is_last ?
		    "form.submit" : "form.next"), 0 },
		{ "back", NULL, 1 },
		{ "save", NULL, 1 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var sv[] = {
		{ "label", page_msg(v->lang, "resume.save_button"), 0 },
		{ NULL, NULL, 0 },
	};
	/* A test link saves nothing, so it offers no "continue later". */
	if ((r = tpl_render(hidden, "survey_hidden.html", hv)) != GH_OK ||
	    (v->has_back &&
	    (r = tpl_render(&back, "survey_back.html", bk)) != GH_OK) ||
	    (!v->is_test &&
	    (r = tpl_render(&save, "survey_resume_button.html", sv)) != GH_OK))
		goto out;
	nv[2].value = back.data;
	nv[3].value = save.data;
	r = tpl_render(buttons, "survey_nav.html", nv);
out:
	buf_free(&back);
	buf_free(&save);
	return r;
}

int
page_survey_page(struct buf *out, const struct page_view *v)
{
	struct buf qs = { 0 }, summary = { 0 }, content = { 0 }, title = { 0 },
	    head = { 0 }, hidden = { 0 }, buttons = { 0 }, progress = { 0 },
	    note = { 0 }, banner = { 0 };
	struct page_qctx c = { 0 };
	struct survey_form_parts f = { 0 };
	const char *pt;
	int r = GH_ERR_INVALID, has_summary = 0;

	if (v == NULL || v->d == NULL || v->token_text == NULL ||
	    v->state == NULL)
		goto out;
	c.d = v->d;
	c.lang = page_lang(v->lang);
	c.kept = v->kept;
	c.chk = v->chk;
	c.answers = v->answers;
	if ((r = survey_page_range(v->d, v->page, &c.first, &c.n)) != GH_OK)
		goto out;
	page_msg_nm(&progress, c.lang, "form.progress",
	    (long long)v->number, (long long)v->total);
	buf_printf(&note, "%s %s", page_msg(c.lang, "form.anonymous"),
	    page_msg(c.lang, "privacy.until_send"));
	if (buf_is_failed(&progress) || buf_is_failed(&note)) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	if ((r = page_optional_note(&qs, &c)) != GH_OK ||
	    (r = page_questions(&qs, &c)) != GH_OK ||
	    (r = page_summary(&summary, &c, &has_summary)) != GH_OK ||
	    (r = survey_page_head(&head, v, &progress)) != GH_OK ||
	    (r = survey_page_controls(&hidden, &buttons, v)) != GH_OK ||
	    (r = survey_test_banner(&banner, c.lang, v->is_test)) != GH_OK)
		goto out;
	f.banner = banner.data;
	f.summary = summary.data;
	f.intro = head.data;
	f.questions = qs.data;
	f.hidden = hidden.data;
	f.buttons = buttons.data;
	f.anon_note = note.data;
	if ((r = survey_form_render(&content, v->d, c.lang, v->token_text,
	    &f)) != GH_OK)
		goto out;
	/* "Page 2 of 5: Page title – Survey title" */
	buf_puts(&title, progress.data);
	pt = v->d->n_pages > 0 ? v->d->pages[v->page].title.s[c.lang] : NULL;
	if (pt != NULL && pt[0] != '\0')
		buf_printf(&title, ": %s", pt);
	buf_printf(&title, " \xe2\x80\x93 %s", v->d->title.s[c.lang]);
	r = survey_document(out, c.lang, has_summary, &title, content.data);
out:
	buf_free(&qs);
	buf_free(&summary);
	buf_free(&content);
	buf_free(&title);
	buf_free(&head);
	buf_free(&hidden);
	buf_free(&buttons);
	buf_free(&progress);
	buf_free(&note);
	buf_free(&banner);
	return r;
}

int
page_welcome(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, int k, const char *unit, int is_test,
    const char *welcome_state)
{
	return page_welcome_with(out, d, lang, token_text, k, unit, "",
	    is_test, welcome_state);
}

/* The wave's last day into out, when its definition says it. */
static int
welcome_until(struct buf *out, const struct def *d, enum def_lang lang)
{
	struct buf text = { 0 };
	int r;

	if (d->closes.y == 0)
		return GH_OK;
	page_msg_date(&text, lang, "privacy.open_until", &d->closes);
	struct tpl_var v[] = {
		{ "text", text.data, 0 },
		{ NULL, NULL, 0 },
	};
	r = buf_is_failed(&text) ? GH_ERR_NOMEM :
	    tpl_render(out, "welcome_open.html", v);
	buf_free(&text);
	return r;
}

/* The hidden field of a welcome state into out; nothing for NULL. */
static int
welcome_state_field(struct buf *out, const char *welcome_state)
{
	struct tpl_var v[] = {
		{ "state", welcome_state, 0 },
		{ NULL, NULL, 0 },
	};

	if (welcome_state == NULL)
		return GH_OK;
	return tpl_render(out, "welcome_state.html", v);
}

int
page_welcome_with(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, int k, const char *unit, const char *resume,
    int is_test, const char *welcome_state)
{
	struct buf text = { 0 }, who = { 0 }, content = { 0 }, title = { 0 },
	    unit_li = { 0 }, unit_after = { 0 }, until = { 0 },
	    banner = { 0 }, state = { 0 };
	enum def_lang other;
	const char *welcome;
	int r = GH_ERR_INVALID;

	if (d == NULL || token_text == NULL) {
		log_error("no definition or token");
		goto out;
	}
	lang = page_lang(lang);
	other = lang == DEF_NL ? DEF_EN : DEF_NL;
	welcome = d->welcome.s[lang];
	if (welcome == NULL || welcome[0] == '\0')
		welcome = d->intro.s[lang];
	page_msg_n(&who, lang, "privacy.who", k > 0 ? (size_t)k : 0);
	if ((r = survey_intro(&text, welcome)) != GH_OK ||
	    (r = survey_test_banner(&banner, lang, is_test)) != GH_OK)
		goto out;
	/* The link's unit goes with the answer: say so, and how small
	 * units are protected. */
	if (d->unit_source == DEF_UNIT_BATCH && unit != NULL &&
	    unit[0] != '\0') {
		page_msg_n(&unit_after, lang, "privacy.unit_after",
		    k > 0 ? (size_t)k : 0);
		struct tpl_var uv[] = {
			{ "before", page_msg(lang, "privacy.unit_before"), 0 },
			{ "unit", unit, 0 },
			{ "after", unit_after.data, 0 },
			{ NULL, NULL, 0 },
		};
		if (buf_is_failed(&unit_after)) {
			r = GH_ERR_NOMEM;
			goto out;
		}
		if ((r = tpl_render(&unit_li, "welcome_unit.html", uv)) !=
		    GH_OK)
			goto out;
	}
	if ((r = welcome_until(&until, d, lang)) != GH_OK ||
	    (r = welcome_state_field(&state, welcome_state)) != GH_OK)
		goto out;
	struct tpl_var v[] = {
		{ "token", token_text, 0 },
		{ "welcome_state", state.data, 1 },
		{ "lang", page_lang_code(lang), 0 },
		{ "other_lang", page_lang_code(other), 0 },
		{ "other_lang_name", page_msg(other, "lang.name"), 0 },
		{ "title", d->title.s[lang], 0 },
		{ "open_until", until.data, 1 },
		{ "welcome", text.data, 1 },
		{ "privacy_heading", page_msg(lang, "privacy.heading"), 0 },
		{ "stored", page_msg(lang, "privacy.stored"), 0 },
		{ "who", who.data, 0 },
		{ "unit", unit_li.data, 1 },
		{ "once", page_msg(lang, "privacy.once"), 0 },
		{ "until_send", page_msg(lang, "privacy.until_send"), 0 },
		{ "start", page_msg(lang, "form.start"), 0 },
		{ "resume", resume, 1 },
		{ "banner", banner.data, 1 },
		{ NULL, NULL, 0 },
	};
	if ((r = tpl_render(&content, "welcome.html", v)) != GH_OK)
		goto out;
	buf_puts(&title, d->title.s[lang]);
	r = survey_document(out, lang, 0, &title, content.data);
out:
	buf_free(&text);
	buf_free(&who);
	buf_free(&content);
	buf_free(&title);
	buf_free(&unit_li);
	buf_free(&unit_after);
	buf_free(&until);
	buf_free(&banner);
	buf_free(&state);
	return r;
}

/* The built-in definition of page_survey_selfcheck: every kind of
 * question on two pages, every option kind. */
static struct def_option sc_opts[] = {
	{ .id = "a", .label = { { "A", "A" } } },
	{ .id = "b", .label = { { "B", "B" } }, .is_exclusive = 1 },
	{ .id = DEF_PREFER_NOT, .label = { { "", "" } }, .is_exclusive = 1,
	  .is_prefer_not = 1 },
};
static struct def_question sc_qs[] = {
	{ .id = "single", .type = DEF_SINGLE, .is_required = 1,
	  .label = { { "S", "S" } }, .help = { { "H", "H" } },
	  .options = sc_opts, .n_options = 3, .has_prefer_not = 1,
	  .matrix = -1 },
	{ .id = "multi", .type = DEF_MULTI, .label = { { "M", "M" } },
	  .help = { { "", "" } }, .options = sc_opts, .n_options = 3,
	  .matrix = -1 },
	{ .id = "matrix", .type = DEF_MATRIX, .label = { { "X", "X" } },
	  .help = { { "H", "H" } }, .options = sc_opts, .n_options = 2,
	  .matrix = -1, .first_item = 3, .n_items = 2 },
	{ .id = "item1", .type = DEF_LIKERT, .label = { { "I", "I" } },
	  .help = { { "", "" } }, .options = sc_opts, .n_options = 2,
	  .matrix = 2 },
	{ .id = "item2", .type = DEF_LIKERT, .label = { { "J", "J" } },
	  .help = { { "", "" } }, .options = sc_opts, .n_options = 2,
	  .matrix = 2 },
	{ .id = "text", .type = DEF_TEXT, .label = { { "T", "T" } },
	  .help = { { "H", "H" } }, .max_length = 10, .matrix = -1,
	  .page = 1 },
	{ .id = "number", .type = DEF_NUMBER, .label = { { "N", "N" } },
	  .help = { { "H", "H" } }, .min = -5, .max = 10,
	  .has_prefer_not = 1, .matrix = -1, .page = 1 },
	{ .id = "text2", .type = DEF_TEXT, .label = { { "U", "U" } },
	  .help = { { "", "" } }, .max_length = 10, .matrix = -1,
	  .page = 1 },
};
static struct def_page sc_pages[] = {
	{ .id = "p1", .title = { { "P", "P" } }, .intro = { { "I", "I" } },
	  .first = 0, .n = 5 },
	{ .id = "p2", .title = { { "", "" } }, .intro = { { "", "" } },
	  .first = 5, .n = 3 },
};
static struct def sc_def = { .id = "selfcheck", .format = 2,
    .title = { { "T", "T" } }, .intro = { { "I", "I" } },
    .welcome = { { "W", "W" } }, .questions = sc_qs, .n_questions = 8,
    .pages = sc_pages, .n_pages = 2, .bucket = 1024 };

int
page_survey_selfcheck(void)
{
	enum answer_problem probs[] = { ANSWER_MISSING, ANSWER_EXCLUSIVE,
	    ANSWER_OK, ANSWER_BAD_OPTION, ANSWER_TOO_MANY, ANSWER_TOO_LONG,
	    ANSWER_OUT_OF_RANGE, ANSWER_HIDDEN };
	struct answer_check chk = { .problem = probs, .n_questions = 8,
	    .n_wrong = 7, .has_unknown_field = 1 };
	struct page_view v = { .d = &sc_def, .token_text = "CHECK",
	    .state = "STATE", .number = 1, .total = 2, .chk = &chk,
	    .has_back = 1, .notice = PAGE_NOTICE_MORE_QUESTIONS };
	struct buf b = { 0 };
	int l, r = GH_OK;

	for (l = 0; l < DEF_LANGS && r == GH_OK; l++) {
		v.lang = (enum def_lang)l;
		b.len = 0;
		r = page_survey(&b, &sc_def, v.lang, "CHECK", NULL, &chk);
		for (v.page = 0; v.page < sc_def.n_pages && r == GH_OK;
		    v.page++) {
			b.len = 0;
			v.is_last = v.page + 1 == sc_def.n_pages;
			r = page_survey_page(&b, &v);
		}
		b.len = 0;
		if (r == GH_OK)
			r = page_welcome(&b, &sc_def, v.lang, "CHECK", 10,
			    "Unit", 1, "STATE");
	}
	buf_free(&b);
	return r;
}
