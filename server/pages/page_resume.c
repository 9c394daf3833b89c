/*
 * page_resume.c: the pages of "save and continue later" (page_resume.h).
 *
 * Entry points: page_resume_ask (the phrase, twice), page_resume_saved,
 * page_welcome_resume (page_welcome with the continue form after it)
 * and page_resume_expired. Each fills a web/survey_resume*.html template
 * and wraps it in the layout; a problem with a phrase shows at its field
 * (q_error.html), marks the field invalid and puts "Error:" first in the
 * title. No phrase is ever written back into a page.
 */
#include <stdio.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/page_resume.h"
#include "pages/tpl.h"

/* The catalogue key of a problem's text, or NULL for none. */
static const char *
resume_problem_key(enum page_resume_problem p)
{
	switch (p) {
	case PAGE_RESUME_WEAK:
		return "resume.weak";
	case PAGE_RESUME_MISMATCH:
		return "resume.mismatch";
	case PAGE_RESUME_EMPTY:
		return "resume.empty";
	case PAGE_RESUME_TOO_LONG:
		return "resume.too_long";
	case PAGE_RESUME_WRONG:
		return "resume.wrong";
	case PAGE_RESUME_LIMITED:
		return "resume.limited";
	default:
		return NULL;
	}
}

/* Renders the error of problem p for the field whose error id is id. */
static int
resume_error(struct buf *out, enum def_lang lang, const char *id,
    enum page_resume_problem p)
{
	const char *key = resume_problem_key(p);
	struct tpl_var v[] = {
		{ "id", id, 0 },
		{ "prefix", page_msg(lang, "error.prefix"), 0 },
		{ "text", key != NULL ? page_msg(lang, key) : "", 0 },
		{ NULL, NULL, 0 },
	};

	if (key == NULL)
		return GH_OK;
	return tpl_render(out, "q_error.html", v);
}

/* Wraps content in the layout with title, "Error:" first if is_wrong. */
static int
resume_document(struct buf *out, enum def_lang lang, int is_wrong,
    const char *title, const struct def *d, const char *content)
{
	struct buf t = { 0 };
	int r;

	if (is_wrong)
		buf_printf(&t, "%s ", page_msg(lang, "error.prefix"));
	buf_puts(&t, title);
	if (d != NULL)
		buf_printf(&t, " \xe2\x80\x93 %s", d->title.s[lang]);
	buf_puts(&t, " \xe2\x80\x93 gehoord");
	r = buf_is_failed(&t) ? GH_ERR_NOMEM :
	    page_layout(out, lang, t.data, content);
	buf_free(&t);
	return r;
}

int
page_resume_ask(struct buf *out, const struct def *d, enum def_lang lang,
    const char *action, const char *state, size_t max,
    enum page_resume_problem p)
{
	struct buf err = { 0 }, content = { 0 };
	char maxs[32];
	int r, is_wrong = p != PAGE_RESUME_OK;

	lang = page_lang(lang);
	snprintf(maxs, sizeof(maxs), "%zu", max);
	struct tpl_var v[] = {
		{ "action", action, 0 },
		{ "lang", page_lang_code(lang), 0 },
		{ "state", state, 0 },
		{ "heading", page_msg(lang, "resume.ask_heading"), 0 },
		{ "text", page_msg(lang, "resume.ask_text"), 0 },
		{ "keep", page_msg(lang, "resume.ask_keep"), 0 },
		{ "class", is_wrong ? "question has-error" : "question", 0 },
		{ "label", page_msg(lang, "resume.phrase"), 0 },
		{ "hint", page_msg(lang, "resume.hint"), 0 },
		{ "error", NULL, 1 },
		{ "max", maxs, 0 },
		{ "error_id", is_wrong ? " phrase-error" : "", 0 },
		{ "attrs", is_wrong ? " aria-invalid=\"true\"" : "", 1 },
		{ "label2", page_msg(lang, "resume.phrase_again"), 0 },
		{ "save", page_msg(lang, "resume.save"), 0 },
		{ "back", page_msg(lang, "resume.back"), 0 },
		{ NULL, NULL, 0 },
	};
	if ((r = resume_error(&err, lang, "phrase-error", p)) != GH_OK)
		goto out;
	v[9].value = err.data != NULL ? err.data : "";
	if ((r = tpl_render(&content, "survey_resume_ask.html", v)) != GH_OK)
		goto out;
	r = resume_document(out, lang, is_wrong,
	    page_msg(lang, "resume.ask_heading"), d, content.data);
out:
	buf_free(&err);
	buf_free(&content);
	return r;
}

int
page_resume_saved(struct buf *out, const struct def *d, enum def_lang lang)
{
	struct buf content = { 0 };
	int r;

	lang = page_lang(lang);
	struct tpl_var v[] = {
		{ "heading", page_msg(lang, "resume.saved_heading"), 0 },
		{ "text", page_msg(lang, "resume.saved_text"), 0 },
		{ "how", page_msg(lang, "resume.saved_how"), 0 },
		{ "until", page_msg(lang, "resume.saved_until"), 0 },
		{ NULL, NULL, 0 },
	};
	if ((r = tpl_render(&content, "survey_resume_saved.html", v)) ==
	    GH_OK)
		r = resume_document(out, lang, 0,
		    page_msg(lang, "resume.saved_heading"), d, content.data);
	buf_free(&content);
	return r;
}

int
page_welcome_resume(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, int k, const char *unit, size_t max,
    enum page_resume_problem p)
{
	struct buf err = { 0 }, form = { 0 };
	char maxs[32];
	int r, is_wrong = p != PAGE_RESUME_OK;

	lang = page_lang(lang);
	snprintf(maxs, sizeof(maxs), "%zu", max);
	struct tpl_var v[] = {
		{ "token", token_text, 0 },
		{ "lang", page_lang_code(lang), 0 },
		{ "heading", page_msg(lang, "resume.continue_heading"), 0 },
		{ "text", page_msg(lang, "resume.continue_text"), 0 },
		{ "class", is_wrong ? "question has-error" : "question", 0 },
		{ "label", page_msg(lang, "resume.phrase"), 0 },
		{ "error", NULL, 1 },
		{ "max", maxs, 0 },
		{ "attrs", is_wrong ? " aria-invalid=\"true\" aria-describedby="
		  "\"resume-phrase-error\" autofocus" : "", 1 },
		{ "continue", page_msg(lang, "resume.continue"), 0 },
		{ "again_text", page_msg(lang, "resume.again_text"), 0 },
		{ "again", page_msg(lang, "resume.again"), 0 },
		{ NULL, NULL, 0 },
	};
	if ((r = resume_error(&err, lang, "resume-phrase-error", p)) != GH_OK)
		goto out;
	v[6].value = err.data != NULL ? err.data : "";
	if ((r = tpl_render(&form, "survey_resume_continue.html", v)) !=
	    GH_OK)
		goto out;
	r = page_welcome_with(out, d, lang, token_text, k, unit, form.data,
	    0, NULL);
out:
	buf_free(&err);
	buf_free(&form);
	return r;
}

int
page_resume_expired(struct buf *out, enum def_lang lang,
    const char *token_text)
{
	struct buf content = { 0 };
	int r;

	lang = page_lang(lang);
	struct tpl_var v[] = {
		{ "heading", page_msg(lang, "page.state_expired.heading"), 0 },
		{ "text", page_msg(lang, "page.state_expired.text"), 0 },
		{ "hint", page_msg(lang, "page.state_expired.hint"), 0 },
		{ "token", token_text, 0 },
		{ "lang", page_lang_code(lang), 0 },
		{ "again", page_msg(lang, "resume.expired_again"), 0 },
		{ NULL, NULL, 0 },
	};
	if ((r = tpl_render(&content, "survey_resume_expired.html", v)) ==
	    GH_OK)
		r = resume_document(out, lang, 0,
		    page_msg(lang, "page.state_expired.heading"), NULL,
		    content.data);
	buf_free(&content);
	return r;
}
