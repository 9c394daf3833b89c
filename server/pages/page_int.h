/*
 * page_int.h: what page.c (catalogues, layout, message pages),
 * page_question.c (the questions and the error summary) and page_survey.c
 * (the survey forms and the welcome page) share. Not an API outside
 * server/pages/.
 */
#ifndef GH_PAGE_INT_H
#define GH_PAGE_INT_H

#include <stddef.h>

#include "survey/form.h"
#include "survey/answer.h"
#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

/* Returns lang if it is a known language, else DEF_NL. */
enum def_lang page_lang(enum def_lang lang);

/* Returns "nl" or "en". */
const char *page_lang_code(enum def_lang lang);

/*
 * Appends the text for key in lang to out with its "{n}" replaced by n;
 * the catalogue check at page_init guarantees the "{n}" is there.
 */
void page_msg_n(struct buf *out, enum def_lang lang, const char *key,
    size_t n);

/*
 * Appends the text for key in lang to out with "{n}" replaced by n and
 * "{m}" by m (either may come first); page_init checks both are there.
 */
void page_msg_nm(struct buf *out, enum def_lang lang, const char *key,
    long long n, long long m);

/* The longest target of a link in a help text. */
#define PAGE_LINK_MAX	300

/*
 * Appends the definition text s to out as HTML: escaped, each
 * "[label](target)" with a site path ("/melden") or https:// target as a
 * link, anything else as text (page_link.c says what is safe).
 */
void page_text_links(struct buf *out, const char *s);

/* Appends day written out in lang: "15 maart 2027", "15 March 2027". */
void page_date(struct buf *out, enum def_lang lang,
    const struct def_date *day);

/*
 * Appends the text for key in lang to out with its "{date}" replaced by
 * day (page_date); page_init checks the "{date}" is there.
 */
void page_msg_date(struct buf *out, enum def_lang lang, const char *key,
    const struct def_date *day);

/*
 * Runs page_init if the catalogues are not loaded yet, for a command that
 * renders without serving (the QR sheet). Not thread-safe, as page_init.
 * Returns GH_OK or page_init's error.
 */
int page_ensure_init(void) GH_WUR;

/*
 * Appends a whole HTML document (layout.html) with title (escaped) and the
 * rendered content (raw) to out. Returns GH_OK, GH_ERR_NOMEM or
 * GH_ERR_INVALID for a template error.
 */
int page_layout(struct buf *out, enum def_lang lang, const char *title,
    const char *content) GH_WUR;

/* What the questions of one page are rendered with. */
struct page_qctx {
	const struct def		*d;
	enum def_lang			 lang;
	const struct form		*kept;		/* answers to show, or NULL */
	const struct answer_check	*chk;		/* problems, or NULL */
	const struct def_answer		*answers;	/* for show_if; NULL:
							   every question shown */
	size_t				 first, n;	/* the page: questions
							   [first, first + n) */
};

/*
 * Appends the questions of the page of c that are shown to out: a matrix
 * as its heading and one fieldset per item. Returns GH_OK, GH_ERR_NOMEM or
 * GH_ERR_INVALID (an id too long, a template error).
 */
int page_questions(struct buf *out, const struct page_qctx *c) GH_WUR;

/*
 * Opens the wrapper of live question qi of d (def_question_is_live): it
 * carries the condition for web/followup.js and, unless is_shown, the
 * hidden attribute. page_followup_close ends it. Both return GH_OK,
 * GH_ERR_NOMEM or GH_ERR_INVALID.
 */
int page_followup_open(struct buf *out, const struct def *d, size_t qi,
    int is_shown) GH_WUR;
int page_followup_close(struct buf *out) GH_WUR;

/*
 * Appends what a page with a live question needs once, after its
 * questions: the polite live region that says how many questions came
 * up, and the script. Returns GH_OK, GH_ERR_NOMEM or GH_ERR_INVALID.
 */
int page_followup_tail(struct buf *out, enum def_lang lang) GH_WUR;

/*
 * Appends, if the page of c shows an optional question, the one sentence
 * that says so (survey_optional.html): that every question may be
 * skipped, or every one not marked required. Returns GH_OK,
 * GH_ERR_NOMEM or GH_ERR_INVALID (a template error).
 */
int page_optional_note(struct buf *out, const struct page_qctx *c) GH_WUR;

/* Returns the problem of question i in chk (ANSWER_OK if chk is NULL). */
enum answer_problem page_problem(const struct answer_check *chk, size_t i);

/* Appends the message for problem p with question q in lang to b. */
void page_problem_text(struct buf *b, enum def_lang lang,
    enum answer_problem p, const struct def_question *q);

/* Returns 1 if questions[qi] is shown given c->answers (or they are NULL). */
int page_q_is_shown(const struct page_qctx *c, size_t qi);

/* Returns 1 if questions[qi] is on the page c renders. */
int page_q_is_on_page(const struct page_qctx *c, size_t qi);

/*
 * Appends the error summary to out if c->chk has anything to say about
 * the page of c, with a link to each wrong question on it; sets
 * *is_shown. Returns GH_OK or an error.
 */
int page_summary(struct buf *out, const struct page_qctx *c, int *is_shown)
    GH_WUR;


/*
 * Renders the survey form of a built-in definition with every question
 * type, every problem and the summary, and the welcome page, so
 * page_selfcheck finds a broken template at start-up rather than on a
 * respondent's request. Returns GH_OK or the first error.
 */
int page_survey_selfcheck(void) GH_WUR;

/*
 * page_welcome with resume (raw HTML, "" for none) after its form: the
 * "Continue where you stopped" form of page_resume.c.
 */
int page_welcome_with(struct buf *out, const struct def *d,
    enum def_lang lang, const char *token_text, int k, const char *unit,
    const char *resume, int is_test, const char *welcome_state) GH_WUR;

#endif
