/*
 * survey_resume.h: "save and continue later" on the respondent's path
 * (route_survey.c calls these; implemented in route_survey_resume.c).
 * Internal to server/http/.
 *
 * Saving asks for a phrase (twice), then on a hashing worker derives the
 * key from the token and the phrase (crypto/resume.h), seals the answers
 * so far and the page, and stores them durably (store_resume.h) before
 * the page says "saved". Both successes answer 303 to a step of the
 * respondent's walk (walk.h: WALK_VIEW_RESUME_ASK, _SAVED), whose GET
 * shows the phrase page or the "saved" page: a reload never posts the
 * phrase again. The phrase travels only in the POST's body; the step
 * holds no more than the sealed page state. Opening the link again shows the welcome page
 * with "Continue where you stopped": the right phrase makes a new walk
 * from the saved state, on any device; a wrong one is 422, and wrong
 * ones are rate limited per address as receipt guesses are.
 */
#ifndef GH_HTTP_SURVEY_RESUME_H
#define GH_HTTP_SURVEY_RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "http/http_int.h"
#include "survey/form.h"

/* Makes the phrase limiter (c->resume_rl). GH_OK or an error. */
int survey_resume_init(struct http_ctx *c) GH_WUR;

/* Frees what survey_resume_init made; accepts a context without it. */
void survey_resume_fini(struct http_ctx *c);

/*
 * The GET of a WALK_VIEW_RESUME_ASK step: the page asking for a phrase,
 * posting to action (the link and its walk) with the sealed page state.
 * 200.
 */
enum MHD_Result survey_resume_ask(struct req *rq, const struct ctx_wave *w,
    const char *action, const char *state);

/* The GET of a WALK_VIEW_RESUME_SAVED step: the "saved" page. 200. */
enum MHD_Result survey_resume_saved(struct req *rq,
    const struct ctx_wave *w);

/*
 * The phrase posted (f: phrase, phrase2) for the answers *kept of page
 * pi, whose state text is state: a weak or mismatched phrase shows the
 * page again (422); else *kept is taken over (set to NULL) and the rest
 * runs on the hashing pool, ending, once the row is durable, with a
 * WALK_VIEW_RESUME_SAVED step of the walk and 303 to it.
 */
enum MHD_Result survey_resume_save(struct req *rq, const struct ctx_wave *w,
    const char *token, const char *action, size_t pi,
    struct form **kept, const struct form *f, const char *state);

/*
 * The welcome page: with "Continue where you stopped" if the link has
 * saved answers, else the plain one. *is_sent is 0 if it has none (and
 * nothing was sent).
 */
enum MHD_Result survey_resume_welcome(struct req *rq,
    const struct ctx_wave *w, const char *token, const char *unit,
    int *is_sent);

/* "Continue" with the phrase in f: on the hashing pool, then 303 to the
 * saved page of a new walk, or the welcome page again (422, 429). */
enum MHD_Result survey_resume_continue(struct req *rq,
    const struct ctx_wave *w, const char *token, const char *unit,
    const struct form *f);

/* "Start again": deletes the saved answers and redirects to the welcome
 * page. */
enum MHD_Result survey_resume_discard(struct req *rq, const char *token);

/* The expired page with a button back to the link's welcome page (400). */
enum MHD_Result survey_resume_expired(struct req *rq, const char *token);

#endif
