/*
 * def_live.c: follow-up questions a browser can show or hide by itself
 * (def.h: def_question_is_live, def_question_live_json).
 *
 * A question is live when its show_if names only questions on its own
 * page: then the answers on that page alone decide it, and the page's
 * script (web/followup.js) can apply the condition as the respondent
 * answers, without a round trip. For it the condition is written as a
 * small JSON array that the script evaluates exactly as def_eval.c does:
 *
 *   ["any_of", "q_ID", ["opt", ...]]   ["none_of", "q_ID", ["opt", ...]]
 *   ["answered", "q_ID", true|false]   ["at_least"|"at_most", "q_ID", N]
 *   ["all", c, ...]   ["any", c, ...]   ["not", c]
 *
 * "q_ID" is the form field of the question (ANSWER_FIELD_PREFIX). Ids
 * and option ids are [a-z0-9_-], so nothing in the array needs escaping
 * in JSON (the page escapes it once more for the attribute).
 */
#include <string.h>

#include "survey/answer.h"
#include "survey/def.h"
#include "survey/def_cond.h"
#include "util/buf.h"

/* Returns 1 if every question c names is on page pi. */
static int	/* NOLINTNEXTLINE(misc-no-recursion) */
cond_is_on_page(const struct def *d, const struct def_cond *c, size_t pi)
{
	const struct def_cond *s;

	switch (c->kind) {
	case DC_ALL:
	case DC_ANY:
	case DC_NOT:
		for (s = c->sub; s != NULL; s = s->next)
			if (!cond_is_on_page(d, s, pi))
				return 0;
		return 1;
	default:
		return d->questions[c->question].page == pi &&
		    d->questions[c->question].type != DEF_MATRIX;
	}
}

int
def_question_is_live(const struct def *d, size_t qi)
{
	const struct def_question *q;

	if (qi >= d->n_questions)
		return 0;
	q = &d->questions[qi];
	/* A matrix item goes with its matrix (and has its condition). */
	if (q->matrix >= 0)
		q = &d->questions[q->matrix];
	if (q->show_if == NULL)
		return 0;
	return cond_is_on_page(d, q->show_if, q->page);
}

static void
add_options(struct buf *out, const struct def_question *q, uint64_t set)
{
	size_t j;
	int is_first = 1;

	buf_puts(out, "[");
	for (j = 0; j < q->n_options && j < 64; j++) {
		if ((set & ((uint64_t)1 << j)) == 0)
			continue;
		buf_printf(out, "%s\"%s\"", is_first ? "" : ",",
		    q->options[j].id);
		is_first = 0;
	}
	buf_puts(out, "]");
}

/* Appends c as the JSON array the script reads. */
static void	/* NOLINTNEXTLINE(misc-no-recursion) */
add_cond(struct buf *out, const struct def *d, const struct def_cond *c)
{
	static const char *const kind[] = {
		[DC_ANY_OF] = "any_of", [DC_NONE_OF] = "none_of",
		[DC_ANSWERED] = "answered", [DC_AT_LEAST] = "at_least",
		[DC_AT_MOST] = "at_most", [DC_ALL] = "all", [DC_ANY] = "any",
		[DC_NOT] = "not",
	};
	const struct def_question *q;
	const struct def_cond *s;

	buf_printf(out, "[\"%s\"", kind[c->kind]);
	switch (c->kind) {
	case DC_ALL:
	case DC_ANY:
	case DC_NOT:
		for (s = c->sub; s != NULL; s = s->next) {
			buf_puts(out, ",");
			add_cond(out, d, s);
		}
		buf_puts(out, "]");
		return;
	default:
		break;
	}
	q = &d->questions[c->question];
	buf_printf(out, ",\"%s%s\",", ANSWER_FIELD_PREFIX, q->id);
	switch (c->kind) {
	case DC_ANY_OF:
	case DC_NONE_OF:
		add_options(out, q, c->options);
		break;
	case DC_ANSWERED:
		buf_puts(out, c->is_answered ? "true" : "false");
		break;
	default:
		buf_printf(out, "%lld", c->number);
		break;
	}
	buf_puts(out, "]");
}

int
def_question_live_json(const struct def *d, size_t qi, struct buf *out)
{
	if (!def_question_is_live(d, qi))
		return GH_ERR_INVALID;
	add_cond(out, d, d->questions[qi].show_if);
	return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
}
