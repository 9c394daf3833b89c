/*
 * answer.h: turns a submitted form into the plaintext of one answer, and
 * reads that plaintext back (after the tally opened it) with full checks.
 *
 * Form fields are named "q_<question id>"; single, Likert and multiple
 * choice values are option ids, free text is the text itself. Validation
 * follows the definition exactly: unknown question, option out of range,
 * text over its cap or not valid UTF-8, a missing required answer.
 *
 * Plaintext encoding (JSON, compact, keys in definition order):
 *   {"v":1,"w":WAVE_ID,"a":{"q1":"opt","q2":["a","b"],"q3":"text"}}
 * Unanswered optional questions are left out. The encoded length never
 * exceeds def->bucket - 1, so seal_answer can always pad it.
 *
 * The plaintext is never stored: the caller seals it at once and frees it
 * with answer_plain_free, which wipes it.
 */
#ifndef GH_ANSWER_H
#define GH_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "http/form.h"
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
};

/* What was wrong with a form, per question, for showing it again. */
struct answer_check {
	enum answer_problem	*problem;	/* n_questions entries */
	size_t			 n_questions;
	size_t			 n_wrong;	/* questions with a problem */
	int			 has_unknown_field; /* q_ field not in def */
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

#endif
