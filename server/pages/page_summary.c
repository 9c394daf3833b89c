/*
 * page_summary.c: the error summary at the top of a survey page
 * (page_summary in page_int.h).
 *
 * Entry point: page_summary. One line per wrong question of the page,
 * each a link to the question's element ("q-ID", the fieldset, textarea
 * or number box, which takes focus), with the question and the problem in
 * words; general lines (a field not in the survey, an answer to a hidden
 * question) have no link. The lines go into survey_summary.html, which
 * says first that nothing was stored.
 */
#include <stdio.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"
#include "util/log.h"

/* Renders one general (unlinked) line of the summary. */
static int
summary_general(struct buf *items, enum def_lang lang, const char *key)
{
	struct tpl_var gv[] = {
		{ "text", page_msg(lang, key), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(items, "survey_summary_general.html", gv);
}

/* Renders the summary line of a wrong question, linked to its element. */
static int
summary_item(struct buf *items, const struct page_qctx *c, size_t qi)
{
	const struct def_question *q = &c->d->questions[qi];
	struct buf msg = { 0 };
	char target[2 + DEF_MAX_ID + 1];
	int n, r;

	n = snprintf(target, sizeof(target), "q-%s", q->id);
	if (n < 0 || (size_t)n >= sizeof(target)) {
		log_error("definition: question id %s is too long", q->id);
		return GH_ERR_INVALID;
	}
	page_problem_text(&msg, c->lang, page_problem(c->chk, qi), q);
	struct tpl_var iv[] = {
		{ "target", target, 0 },
		{ "label", q->label.s[c->lang], 0 },
		{ "text", msg.data, 0 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(items, "survey_summary_item.html", iv);
	buf_free(&msg);
	return r;
}

int
page_summary(struct buf *out, const struct page_qctx *c, int *is_shown)
{
	struct buf items = { 0 };
	size_t i;
	int r = GH_OK, has_hidden = 0;

	*is_shown = 0;
	if (c->chk == NULL)
		return GH_OK;
	if (c->chk->has_unknown_field)
		r = summary_general(&items, c->lang, "error.unknown_field");
	/* Link only to what this page shows: an answer to a hidden
	 * question has no field to link to, and another page's problems
	 * are shown on that page. */
	for (i = 0; i < c->d->n_questions && r == GH_OK; i++) {
		enum answer_problem p = page_problem(c->chk, i);

		if (p == ANSWER_OK || !page_q_is_on_page(c, i))
			continue;
		if (p == ANSWER_HIDDEN || !page_q_is_shown(c, i))
			has_hidden = 1;
		else
			r = summary_item(&items, c, i);
	}
	if (r == GH_OK && has_hidden)
		r = summary_general(&items, c->lang, "error.hidden");
	if (r != GH_OK || items.len == 0)
		goto out;
	struct tpl_var v[] = {
		{ "heading", page_msg(c->lang, "error.summary"), 0 },
		{ "not_stored", page_msg(c->lang, "error.not_stored"), 0 },
		{ "items", items.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "survey_summary.html", v);
	*is_shown = 1;
out:
	buf_free(&items);
	return r;
}
