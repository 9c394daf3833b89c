/*
 * answer.h: turns a submitted form into the plaintext of one answer, and
 * reads that plaintext back (after the tally opened it) with full checks.
 *
 * Form fields are named "q_<question id>" (a matrix item's own id); single,
 * Likert and multiple choice values are option ids, a number is decimal
 * digits, prefer-not is DEF_PREFER_NOT, free text is the text itself.
 * Validation follows the definition exactly: unknown question, option out
 * of range, an exclusive option with others, a number out of bounds, text
 * over its cap or not valid UTF-8, a missing answer to a required question
 * that is shown, and any answer to a question that is not shown (its page
 * or its show_if condition is false given the other answers).
 *
 * Plaintext encoding (JSON, compact, keys in definition order):
 *   {"v":1,"w":WAVE_ID,"a":{"q1":"opt","q2":["a","b"],"q3":"text","q4":7}}
 * Unanswered optional and hidden questions are left out; a number is a
 * JSON integer or "_prefer_not". A definition with unit source "batch"
 * (DEF_UNIT_BATCH) also carries the token batch's unit label after "w",
 * as "u":"LABEL", or "u":null for a batch without one; no other
 * definition has "u". The encoded length never exceeds def->bucket - 1,
 * so seal_answer can always pad it.
 *
 * The plaintext is never stored: the caller seals it at once and frees it
 * with answer_plain_free, which wipes it.
 */
#ifndef GH_ANSWER_H
#define GH_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "survey/form.h"
#include "survey/def.h"
#include "util/err.h"

#define ANSWER_FIELD_PREFIX "q_"

enum answer_problem {
	ANSWER_OK = 0,
	ANSWER_MISSING,		/* required and not answered */
	ANSWER_BAD_OPTION,	/* not an option of this question */
	ANSWER_TOO_MANY,	/* more than one value for a one-value question */
	ANSWER_TOO_LONG,	/* text over max_length characters */
	ANSWER_BAD_TEXT,	/* not UTF-8, or a control character */
	ANSWER_HIDDEN,		/* answered, but the question is not shown */
	ANSWER_EXCLUSIVE,	/* an exclusive option with other options */
	ANSWER_NOT_NUMBER,	/* not an integer (or prefer-not if allowed) */
	ANSWER_OUT_OF_RANGE,	/* a number outside [min, max] */
};

/* What was wrong with a form, per question, for showing it again. */
struct answer_check {
	enum answer_problem	*problem;	/* n_questions entries */
	size_t			 n_questions;
	size_t			 n_wrong;	/* questions with a problem */
	int			 has_unknown_field; /* q_ field not in def,
						       or naming a matrix */
};

/*
 * Validates form f against d. On success returns GH_OK and sets *plain
 * (malloc'd; free with answer_plain_free) and *plain_len; *chk is NULL.
 * If the form is wrong returns GH_ERR_INVALID and sets *chk (free with
 * answer_check_free) and *plain to NULL. Fields not starting with
 * ANSWER_FIELD_PREFIX are ignored (they belong to the page: language,
 * CSRF). May return GH_ERR_NOMEM.
 */
int answer_encode(const struct def *d, int64_t wave_id, const struct form *f,
    struct answer_check **chk, uint8_t **plain, size_t *plain_len) GH_WUR;

/*
 * As answer_encode, with the unit label of the token's batch (NULL or ""
 * if it has none). Only a DEF_UNIT_BATCH definition puts it into the
 * plaintext ("u"); others ignore it. A label that answer_unit_is_valid
 * refuses is GH_ERR_INVALID with *chk NULL (logged: a bug or an altered
 * database, never the respondent's doing). answer_encode is this with
 * unit NULL.
 */
int answer_encode_unit(const struct def *d, int64_t wave_id, const char *unit,
    const struct form *f, struct answer_check **chk, uint8_t **plain,
    size_t *plain_len) GH_WUR;

/*
 * Returns 1 if s is a valid unit label: 1 to DEF_MAX_UNIT bytes of UTF-8
 * without control characters, else 0.
 */
int answer_unit_is_valid(const char *s);

/*
 * Validates only the questions of page pi in form f, which holds the
 * answers of all pages given so far (conditions are evaluated against all
 * of them). Returns GH_OK with *chk NULL, or GH_ERR_INVALID with *chk set
 * (problems of other pages' questions are ANSWER_OK; has_unknown_field as
 * in answer_encode), or GH_ERR_NOMEM.
 */
int answer_check_page(const struct def *d, size_t pi, const struct form *f,
    struct answer_check **chk) GH_WUR;

/*
 * Reads form f into *out, a new array of d->n_questions entries (free
 * with answer_view_free), as conditions see it: a value that does not
 * validate counts as not answered; conditions are not applied (an answer
 * to a hidden question is kept). Returns GH_OK or GH_ERR_NOMEM.
 */
int answer_view(const struct def *d, const struct form *f,
    struct def_answer **out) GH_WUR;

/* Wipes and frees an array from answer_view; accepts NULL. */
void answer_view_free(struct def_answer *a, size_t n_questions);

/*
 * Returns 1 if form field name answers a question of d that is not shown
 * given the answers a (from answer_view), else 0: the multi-page flow
 * drops such fields, kept from an earlier visit, when an answer changed.
 */
int answer_field_is_hidden(const struct def *d, const char *name,
    const struct def_answer *a);

/* Wipes and frees a plaintext from answer_encode; accepts NULL. */
void answer_plain_free(uint8_t *plain, size_t len);

/* Frees a check; accepts NULL. */
void answer_check_free(struct answer_check *chk);

/* Returns a short English text for a problem (for logs and tests). */
const char *answer_problem_str(enum answer_problem p);

/*
 * Checks an opened plaintext completely against d and wave_id before any
 * field is used, then fills chosen[i] (bit j set: option j chosen) and
 * answered[i] (1 if question i was answered) for every question; both
 * arrays have d->n_questions entries. Free text is reported as answered
 * with chosen == 0 and its content is not returned. Returns GH_OK or
 * GH_ERR_INVALID (wrong version or wave, unknown key, bad value).
 */
int answer_decode(const struct def *d, int64_t wave_id, const uint8_t *plain,
    size_t len, uint64_t *chosen, uint8_t *answered) GH_WUR;

/*
 * As answer_decode, and fills a[i] (d->n_questions entries) for every
 * question, numbers and prefer-not included, so that the tally can
 * compute scales and indicators. Also refuses an answer to a question the
 * other answers hide. Free text: answered, content not returned.
 */
int answer_decode_answers(const struct def *d, int64_t wave_id,
    const uint8_t *plain, size_t len, struct def_answer *a) GH_WUR;

/*
 * As answer_decode_answers, and checks "u": present exactly when d's unit
 * source is DEF_UNIT_BATCH, a valid label (answer_unit_is_valid) or null.
 * If unit is not NULL (unitsz >= DEF_MAX_UNIT + 1 bytes) it receives the
 * label, or "" for null or a definition without unit source batch.
 */
int answer_decode_unit(const struct def *d, int64_t wave_id,
    const uint8_t *plain, size_t len, struct def_answer *a, char *unit,
    size_t unitsz) GH_WUR;

#endif
