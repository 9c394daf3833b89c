/*
 * page_resume.h: the pages of "save and continue later" in a multi-page
 * survey: the page asking for a resume phrase (twice), the page saying
 * the answers are saved, the welcome page with "Continue where you
 * stopped", and the expired page with a way to start again. Implemented
 * in page_resume.c, from the web/survey_resume*.html templates.
 */
#ifndef GH_PAGE_RESUME_H
#define GH_PAGE_RESUME_H

#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

/* What is wrong with a phrase typed, if anything. */
enum page_resume_problem {
	PAGE_RESUME_OK,
	PAGE_RESUME_WEAK,	/* fewer than 4 words and 16 characters */
	PAGE_RESUME_MISMATCH,	/* the two do not match */
	PAGE_RESUME_TOO_LONG,	/* over the maximum */
	PAGE_RESUME_EMPTY,	/* no phrase typed to continue */
	PAGE_RESUME_WRONG,	/* does not open the saved answers */
	PAGE_RESUME_LIMITED,	/* too many wrong tries: wait */
};

/*
 * Renders the page asking for a phrase to save the answers of survey d
 * under: posts to /s/ACTION (the link and its walk) with the sealed page
 * state; p says what was wrong with the phrase typed before. Max is the
 * longest phrase in bytes. GH_OK, GH_ERR_NOMEM or GH_ERR_INVALID.
 */
int page_resume_ask(struct buf *out, const struct def *d, enum def_lang lang,
    const char *action, const char *state, size_t max,
    enum page_resume_problem p) GH_WUR;

/* Renders the page saying the answers of d are saved. GH_OK or an
 * error. */
int page_resume_saved(struct buf *out, const struct def *d,
    enum def_lang lang) GH_WUR;

/*
 * Renders the welcome page of d (as page_welcome) with, after it, the
 * form "Continue where you stopped" for the link token_text: the phrase
 * (problem p shown with it) and "start again". GH_OK or an error.
 */
int page_welcome_resume(struct buf *out, const struct def *d,
    enum def_lang lang, const char *token_text, int k, const char *unit,
    size_t max, enum page_resume_problem p) GH_WUR;

/*
 * Renders the expired page (PAGE_STATE_EXPIRED's text) with a button
 * back to the link's welcome page. GH_OK or an error.
 */
int page_resume_expired(struct buf *out, enum def_lang lang,
    const char *token_text) GH_WUR;

#endif
