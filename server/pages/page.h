/*
 * page.h: the HTML pages a respondent sees, rendered from web/ templates.
 *
 * Every page is a complete, accessible HTML document in Dutch or English
 * (lang attribute set, one h1, real labels, fieldset and legend for each
 * group of options) that works without JavaScript. All text comes from the
 * message catalogues web/messages.nl.json and web/messages.en.json or from
 * the definition, and is HTML-escaped on output.
 */
#ifndef GH_PAGE_H
#define GH_PAGE_H

#include "survey/form.h"
#include "survey/answer.h"
#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

enum page_kind {
	PAGE_THANKS,		/* 200: answer stored durably */
	PAGE_SPENT,		/* 410: this link was used already */
	PAGE_UNKNOWN_TOKEN,	/* 404: no such link (or mistyped) */
	PAGE_CLOSED,		/* 410: the survey is closed */
	PAGE_NOT_FOUND,		/* 404: no such page */
	PAGE_TOO_LARGE,		/* 413: the form is too large */
	PAGE_BAD_REQUEST,	/* 400: the form could not be read */
	PAGE_BUSY,		/* 503: try again in a moment */
	PAGE_ERROR,		/* 500: something failed; nothing was stored */
	PAGE_HOME,		/* 200: what gehoord is, for / */
	PAGE_STATE_EXPIRED,	/* 400: the page state did not open (server
				   restarted, tampered): start again */
	PAGE_TEST_DONE,		/* 200: a test link's answers were checked
				   and discarded */
};

/* A short note above the questions of a page. */
enum page_notice {
	PAGE_NOTICE_NONE,
	PAGE_NOTICE_MORE_QUESTIONS,	/* an answer showed more questions here */
	PAGE_NOTICE_LAST_PAGE,		/* no page follows: check and send */
};

/* One page of a multi-page survey as the respondent sees it. */
struct page_view {
	const struct def		*d;
	enum def_lang			 lang;
	const char			*token_text;
	const char			*state;	/* sealed state (state.h) */
	size_t				 page;	/* index in d->pages */
	size_t				 number, total;	/* "page 2 of 5" */
	const struct def_answer		*answers; /* decide what is shown;
						     NULL: everything */
	const struct form		*kept;	/* answers to show, or NULL */
	const struct answer_check	*chk;	/* problems, or NULL */
	int				 has_back;	/* a Back button */
	int				 is_last;	/* Send, not Next */
	enum page_notice		 notice;
	int				 is_test;	/* a test link: says so,
							   no "continue later" */
};

/*
 * Loads and checks the message catalogues and templates. Returns GH_OK or
 * GH_ERR_INVALID (logged: which file, which key). Call once at start-up,
 * before any other page_ function; not thread-safe itself.
 */
int page_init(void) GH_WUR;

/*
 * Loads the catalogues if page_init has not, and renders the survey form
 * of a built-in definition with every question type, problem and notice,
 * in both languages. "gehoord serve" calls it before serving. Returns
 * GH_OK or the first error (logged).
 */
int page_selfcheck(void) GH_WUR;

/*
 * Renders the survey form of d for token_text in lang into out. If kept is
 * not NULL its values are shown as already answered; if chk is not NULL an
 * error summary at the top links to each wrong field and each wrong field
 * carries its message. Returns GH_OK or GH_ERR_NOMEM.
 */
int page_survey(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, const struct form *kept,
    const struct answer_check *chk) GH_WUR;

/* page_survey for a test link if is_test: a note heads the form saying
 * that what is sent is checked and then discarded. */
int page_survey_as(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, const struct form *kept,
    const struct answer_check *chk, int is_test) GH_WUR;

/*
 * Renders page v->page of a multi-page survey into out: progress ("Page 2
 * of 5", also in the title), the page's heading and intro, its shown
 * questions (kept answers checked, problems linked from an error summary
 * at the top), the state and page as hidden fields, and the Next or Send
 * button with Back (formnovalidate) if v->has_back. Returns GH_OK,
 * GH_ERR_NOMEM or GH_ERR_INVALID (no such page, a template error).
 */
int page_survey_page(struct buf *out, const struct page_view *v) GH_WUR;

/*
 * Renders the welcome page of d for token_text in lang into out: the
 * title, the definition's welcome text, the standard privacy text (what
 * is stored, who sees what, with groups of at least k, the link works
 * once; for a definition whose unit is the link's batch and a unit that
 * is not NULL or "", that the link carries that unit and that figures per
 * unit need at least k answers) and a Start button that posts nav=start;
 * for a test link (is_test) a note first that what is sent is discarded;
 * the form carries welcome_state (state.h; NULL for none) in the hidden
 * field "welcome". Returns GH_OK, GH_ERR_NOMEM or GH_ERR_INVALID.
 */
int page_welcome(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, int k, const char *unit, int is_test,
    const char *welcome_state) GH_WUR;

/* Bytes of each page_org_set text at most. */
#define PAGE_ORG_MAX	300

/*
 * Sets who runs this instance, shown on every page: the organisation's
 * name in the header (instead of the word gehoord alone), and in a
 * footer the contact (a link if it is an http(s):// or mailto: address,
 * else text) and a link to the privacy statement (an http(s):// URL).
 * Each may be NULL: without all three the pages look as they always
 * did. Thread-safe: a page being rendered shows the settings before or
 * after, never a mix. Returns GH_OK,
 * GH_ERR_INVALID (logged: which one is wrong) or GH_ERR_NOMEM.
 */
int page_org_set(const char *name, const char *contact,
    const char *privacy_url) GH_WUR;

/* Copies of page_org_set's name and contact (NULL: not set), for the
 * letters: a coordinator may change them meanwhile. GH_OK or
 * GH_ERR_NOMEM; free both. */
int page_org_copy(char **name, char **contact) GH_WUR;

/* The largest logo, and how far into an SVG its <svg tag must begin. */
#define PAGE_LOGO_MAX	((size_t)256 * 1024)
#define PAGE_LOGO_SNIFF	1024

/*
 * Checks len bytes as a logo: a PNG (by its signature) or an SVG (UTF-8
 * text with "<svg" in its first PAGE_LOGO_SNIFF bytes), 1 to PAGE_LOGO_MAX
 * bytes. Returns NULL and sets *type to "image/png" or "image/svg+xml",
 * or returns what is wrong, in words (static text).
 */
const char *page_logo_check(const unsigned char *data, size_t len,
    const char **type);

/*
 * Keeps a copy of the logo (data NULL: none, dropping any kept) for
 * every page's header and /logo; page_org_set's name is its alt text.
 * Thread-safe. Returns GH_OK, GH_ERR_INVALID (page_logo_check says no)
 * or GH_ERR_NOMEM.
 */
int page_logo_set(const unsigned char *data, size_t len) GH_WUR;

/* Whether a logo is kept now. Thread-safe. */
int page_logo_is_set(void);

/*
 * A copy of the logo kept now in new malloc memory *data (the caller
 * frees it), *len and *type (static text). Returns GH_OK,
 * GH_ERR_NOT_FOUND if there is none, or GH_ERR_NOMEM. Thread-safe.
 */
int page_logo_copy(unsigned char **data, size_t *len, const char **type)
    GH_WUR;

/* Renders a short page of the given kind in lang. Returns GH_OK or GH_ERR_NOMEM. */
int page_message(struct buf *out, enum page_kind kind, enum def_lang lang) GH_WUR;

/* Returns the HTTP status that goes with a page kind. */
unsigned int page_status(enum page_kind kind);

/* Returns the text for key in lang from the catalogue, or key itself if missing. */
const char *page_msg(enum def_lang lang, const char *key);

#endif
