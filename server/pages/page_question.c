/*
 * page_question.c: the questions of a survey page (page_questions in
 * page_int.h); the error summary is in page_summary.c.
 *
 * Each question becomes a fragment: q_choice.html (a fieldset with one
 * q_option.html per option), q_text.html (a label and a textarea) or
 * q_number.html (a label, a number box and, if allowed, a "rather not
 * say" check box), with its help and its error as q_help.html and
 * q_error.html. A matrix is q_matrix.html: its text as a heading (h3)
 * that names a table with the scale's options as column headers
 * (q_matrix_col.html) and a row per item (q_matrix_row.html): the item's
 * text as the row header, and its radio buttons as one radio group named
 * by that header, each with its own label. Wide screens show the grid;
 * on phones the style sheet stacks each row as a card with the labels
 * drawn. Fragments go on as raw
 * variables; every text in them was escaped when its own template was
 * filled. The only HTML written here is the small attribute lists of
 * question_attrs, whose values are escaped too.
 *
 * Names and ids: a field is named "q_ID" (ANSWER_FIELD_PREFIX; a matrix
 * item by its own id) and an option's value is its option id. The
 * question's element is "q-ID" (the fieldset, textarea or number box; the
 * summary links to it), an option's input "q-ID.OPTION", and the help,
 * cap and error texts "q-ID:help", "q-ID:cap" and "q-ID:error".
 * Definition ids are [a-z0-9_-] (and "_prefer_not"), so the "." and ":"
 * keep the ids of different questions apart.
 *
 * Kept answers are plaintext answers: the buffers here that held them
 * (options with "checked", the questions) are wiped before they are freed.
 */
#include <stdio.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"
#include "survey/text.h"
#include "util/log.h"

#define QUESTION_ID_MAX	(2 + DEF_MAX_ID + 1 + DEF_MAX_ID + 8)
#define QUESTION_PREFIX_LEN	(sizeof(ANSWER_FIELD_PREFIX) - 1)

/* One question being rendered: its ids and its help and error fragments. */
struct question_view {
	const struct def_question	*q;
	const struct page_qctx		*c;
	enum def_lang			 lang;
	enum answer_problem		 problem;
	char				 id[QUESTION_ID_MAX];
	char				 name[QUESTION_ID_MAX];
	char				 help_id[QUESTION_ID_MAX];
	char				 cap_id[QUESTION_ID_MAX];
	char				 err_id[QUESTION_ID_MAX];
	struct buf			 help;
	struct buf			 error;
};

/* The kept values of one question (at most one per option count). */
struct question_kept {
	const char	*v[DEF_MAX_OPTIONS];
	size_t		 n;
};

/*
 * Writes prefix, qid and suffix one after another into dst (QUESTION_ID_MAX
 * bytes); returns GH_ERR_INVALID if they do not fit.
 */
static int
question_make_id(char *dst, const char *prefix, const char *qid,
    const char *suffix)
{
	int n;

	n = snprintf(dst, QUESTION_ID_MAX, "%s%s%s", prefix, qid, suffix);
	if (n < 0 || n >= QUESTION_ID_MAX) {
		log_error("definition: an id in question %s is too long", qid);
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

static void
question_kept_collect(struct question_kept *k, const struct form *f,
    const char *qid)
{
	const char *name;
	size_t i;

	k->n = 0;
	if (f == NULL)
		return;
	for (i = 0; i < f->n && k->n < DEF_MAX_OPTIONS; i++) {
		name = f->fields[i].name;
		if (name == NULL || f->fields[i].value == NULL ||
		    strncmp(name, ANSWER_FIELD_PREFIX,
		    QUESTION_PREFIX_LEN) != 0 ||
		    strcmp(name + QUESTION_PREFIX_LEN, qid) != 0)
			continue;
		k->v[k->n++] = f->fields[i].value;
	}
}

static int
question_kept_has(const struct question_kept *k, const char *value)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->v[i], value) == 0)
			return 1;
	return 0;
}

/*
 * Appends the attribute list of a field: aria-describedby with the ids
 * that are not NULL, aria-invalid, and tabindex="-1" for a fieldset that
 * the error summary links to.
 */
static void
question_attrs(struct buf *b, const char *const *ids, size_t n, int is_invalid,
    int is_link_target)
{
	size_t i, used = 0;

	for (i = 0; i < n; i++) {
		if (ids[i] == NULL)
			continue;
		buf_puts(b, used++ == 0 ? " aria-describedby=\"" : " ");
		buf_html(b, ids[i]);
	}
	if (used > 0)
		buf_puts(b, "\"");
	if (is_invalid)
		buf_puts(b, " aria-invalid=\"true\"");
	if (is_link_target)
		buf_puts(b, " tabindex=\"-1\"");
}

void
page_problem_text(struct buf *b, enum def_lang lang, enum answer_problem p,
    const struct def_question *q)
{
	const char *key;

	switch (p) {
	case ANSWER_MISSING:
		key = "error.missing";
		break;
	case ANSWER_TOO_MANY:
		key = "error.too_many";
		break;
	case ANSWER_TOO_LONG:
		page_msg_n(b, lang, "error.too_long", q->max_length);
		return;
	case ANSWER_BAD_TEXT:
		key = "error.bad_text";
		break;
	case ANSWER_HIDDEN:
		key = "error.hidden";
		break;
	case ANSWER_EXCLUSIVE:
		key = "error.exclusive";
		break;
	case ANSWER_NOT_NUMBER:
		key = "error.not_number";
		break;
	case ANSWER_OUT_OF_RANGE:
		page_msg_nm(b, lang, "error.out_of_range", q->min, q->max);
		return;
	case ANSWER_OK:
	case ANSWER_BAD_OPTION:
	default:
		key = "error.bad_option";
		break;
	}
	buf_puts(b, page_msg(lang, key));
}

enum answer_problem
page_problem(const struct answer_check *chk, size_t i)
{
	if (chk == NULL || chk->problem == NULL || i >= chk->n_questions)
		return ANSWER_OK;
	return chk->problem[i];
}

/* Returns 1 if questions[qi] is an item of a matrix of d. */
static int
question_is_matrix_item(const struct def *d, size_t qi)
{
	const struct def_question *q = &d->questions[qi];

	return q->type == DEF_LIKERT && q->matrix >= 0 &&
	    (size_t)q->matrix < d->n_questions &&
	    d->questions[q->matrix].type == DEF_MATRIX;
}

int
page_q_is_shown(const struct page_qctx *c, size_t qi)
{
	return c->answers == NULL || def_question_is_shown(c->d, qi,
	    c->answers);
}

/* Fills in the ids and renders the help and error fragments of pq. */
static int
question_view_init(struct question_view *pq, const struct page_qctx *c,
    size_t qi)
{
	const struct def_question *q = &c->d->questions[qi];
	struct buf msg = { 0 }, help = { 0 };
	int r;

	memset(pq, 0, sizeof(*pq));
	pq->q = q;
	pq->c = c;
	pq->lang = c->lang;
	pq->problem = page_problem(c->chk, qi);
	if ((r = question_make_id(pq->id, "q-", q->id, "")) != GH_OK ||
	    (r = question_make_id(pq->name, ANSWER_FIELD_PREFIX, q->id,
	    "")) != GH_OK ||
	    (r = question_make_id(pq->help_id, "q-", q->id,
	    ":help")) != GH_OK ||
	    (r = question_make_id(pq->cap_id, "q-", q->id, ":cap")) != GH_OK ||
	    (r = question_make_id(pq->err_id, "q-", q->id, ":error")) != GH_OK)
		goto out;
	if (q->help.s[c->lang] != NULL && q->help.s[c->lang][0] != '\0') {
		/* Escaped here, with its safe links (page_link.c). */
		page_text_links(&help, q->help.s[c->lang]);
		struct tpl_var hv[] = {
			{ "id", pq->help_id, 0 },
			{ "text", help.data, 1 },
			{ NULL, NULL, 0 },
		};
		if (buf_is_failed(&help)) {
			r = GH_ERR_NOMEM;
			goto out;
		}
		if ((r = tpl_render(&pq->help, "q_help.html", hv)) != GH_OK)
			goto out;
	}
	if (pq->problem != ANSWER_OK) {
		page_problem_text(&msg, c->lang, pq->problem, q);
		struct tpl_var ev[] = {
			{ "id", pq->err_id, 0 },
			{ "prefix", page_msg(c->lang, "error.prefix"), 0 },
			{ "text", msg.data, 0 },
			{ NULL, NULL, 0 },
		};
		if ((r = tpl_render(&pq->error, "q_error.html", ev)) != GH_OK)
			goto out;
	}
	r = GH_OK;
out:
	buf_free(&msg);
	buf_free(&help);
	return r;
}

static void
question_view_free(struct question_view *pq)
{
	buf_free(&pq->help);
	buf_free(&pq->error);
}

/*
 * "(required)" on a required question. The page says once, above its
 * questions, that the others may be skipped (page_optional_note), so an
 * optional question carries no word of its own.
 */
static const char *
question_required_word(const struct question_view *pq)
{
	return pq->q->is_required ? page_msg(pq->lang, "form.required") : "";
}

/*
 * Renders one option input (q_option.html) of pq into out: type radio or
 * checkbox, checked if kept. A prefer-not option is set apart (class) and
 * an exclusive one says so in words, not only by its place.
 */
static int
question_option(struct buf *out, const struct question_view *pq,
    const struct def_option *o,
    const char *type, int is_checked)
{
	struct buf attrs = { 0 }, note = { 0 };
	const char *label = o->label.s[pq->lang], *cls = "option";
	char oid[QUESTION_ID_MAX];
	int n, r;

	n = snprintf(oid, sizeof(oid), "%s.%s", pq->id, o->id);
	if (n < 0 || (size_t)n >= sizeof(oid)) {
		log_error("definition: an option id in question %s is too "
		    "long", pq->q->id);
		return GH_ERR_INVALID;
	}
	if (o->is_prefer_not) {
		cls = "option prefer-not";
		if (label == NULL || label[0] == '\0')
			label = page_msg(pq->lang, "form.prefer_not");
	} else if (o->is_exclusive && pq->q->type == DEF_MULTI) {
		struct tpl_var nv[] = {
			{ "text", page_msg(pq->lang, "form.exclusive"), 0 },
			{ NULL, NULL, 0 },
		};
		cls = "option exclusive";
		if ((r = tpl_render(&note, "q_option_note.html", nv)) != GH_OK)
			goto out;
	}
	if (is_checked)
		buf_puts(&attrs, " checked");
	question_attrs(&attrs, NULL, 0, pq->problem != ANSWER_OK, 0);
	struct tpl_var v[] = {
		{ "class", cls, 0 },
		{ "type", type, 0 },
		{ "id", oid, 0 },
		{ "name", pq->name, 0 },
		{ "value", o->id, 0 },
		{ "attrs", attrs.data, 1 },
		{ "label", label, 0 },
		{ "note", note.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "q_option.html", v);
out:
	buf_free(&attrs);
	buf_free(&note);
	return r;
}

/* Renders the options of a choice question, kept ones checked. */
static int
question_options(struct buf *out, const struct question_view *pq)
{
	const struct def_question *q = pq->q;
	struct question_kept k;
	size_t i;
	int r = GH_OK;

	question_kept_collect(&k, pq->c->kept, q->id);
	for (i = 0; i < q->n_options && r == GH_OK; i++)
		r = question_option(out, pq, &q->options[i],
		    q->type == DEF_MULTI ? "checkbox" : "radio",
		    question_kept_has(&k, q->options[i].id));
	return r;
}

/* Renders a single, Likert, multiple choice or matrix item as a fieldset. */
static int
question_choice(struct buf *out, const struct question_view *pq, int is_item)
{
	static const char *const cls[2][2] = {
		{ "question", "question has-error" },
		{ "question matrix-item", "question matrix-item has-error" },
	};
	const struct def_question *q = pq->q;
	const char *ids[2];
	struct buf opts = { 0 }, attrs = { 0 };
	int r, is_wrong = pq->problem != ANSWER_OK;

	if ((r = question_options(&opts, pq)) != GH_OK)
		goto out;
	ids[0] = pq->help.len > 0 ? pq->help_id : NULL;
	ids[1] = is_wrong ? pq->err_id : NULL;
	question_attrs(&attrs, ids, 2, 0, is_wrong);
	struct tpl_var v[] = {
		{ "class", cls[is_item != 0][is_wrong], 0 },
		{ "id", pq->id, 0 },
		{ "attrs", attrs.data, 1 },
		{ "label", q->label.s[pq->lang], 0 },
		{ "req", question_required_word(pq), 0 },
		{ "help", pq->help.data, 1 },
		{ "error", pq->error.data, 1 },
		{ "options_class", q->type == DEF_LIKERT ? "options likert" :
		    "options", 0 },
		{ "options", opts.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "q_choice.html", v);
out:
	buf_free(&opts);
	buf_free(&attrs);
	return r;
}

/* Renders a free-text question as a label and a textarea. */
static int
question_text(struct buf *out, const struct question_view *pq)
{
	const struct def_question *q = pq->q;
	const char *ids[3];
	struct question_kept k;
	struct buf cap = { 0 }, attrs = { 0 };
	char max[32];
	const char *value = "";
	int r, is_wrong = pq->problem != ANSWER_OK;

	question_kept_collect(&k, pq->c->kept, q->id);
	/* A text that is not UTF-8 comes back refused (the answer codec
	 * checks it); show it as empty rather than put invalid UTF-8 in a
	 * page that says charset=utf-8. */
	if (k.n > 0 && survey_utf8_check(k.v[0], strlen(k.v[0]), NULL) == 0)
		value = k.v[0];
	page_msg_n(&cap, pq->lang, "form.cap", q->max_length);
	snprintf(max, sizeof(max), "%zu", q->max_length);
	ids[0] = pq->help.len > 0 ? pq->help_id : NULL;
	ids[1] = pq->cap_id;
	ids[2] = is_wrong ? pq->err_id : NULL;
	question_attrs(&attrs, ids, 3, is_wrong, 0);
	struct tpl_var v[] = {
		{ "class", is_wrong ? "question has-error" : "question", 0 },
		{ "id", pq->id, 0 },
		{ "name", pq->name, 0 },
		{ "label", q->label.s[pq->lang], 0 },
		{ "req", question_required_word(pq), 0 },
		{ "help", pq->help.data, 1 },
		{ "cap_id", pq->cap_id, 0 },
		{ "cap", cap.data, 0 },
		{ "error", pq->error.data, 1 },
		{ "max", max, 0 },
		{ "attrs", attrs.data, 1 },
		{ "value", value, 0 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "q_text.html", v);
	buf_free(&cap);
	buf_free(&attrs);
	return r;
}

/*
 * Renders a number question: a labelled number box with its range in
 * words (also as min and max, for browsers that check), and the
 * prefer-not check box when the question allows it.
 */
static int
question_number(struct buf *out, const struct question_view *pq)
{
	static const struct def_option prefer_not = { .id = DEF_PREFER_NOT,
	    .is_prefer_not = 1 };
	const struct def_question *q = pq->q;
	const char *ids[3], *value = "";
	struct question_kept k;
	struct buf range = { 0 }, attrs = { 0 }, pn = { 0 };
	char min[32], max[32], label_id[QUESTION_ID_MAX];
	char range_id[QUESTION_ID_MAX];
	int r, is_wrong = pq->problem != ANSWER_OK, is_pn;

	if ((r = question_make_id(label_id, "q-", q->id, ":label")) != GH_OK ||
	    (r = question_make_id(range_id, "q-", q->id, ":range")) != GH_OK)
		return r;
	question_kept_collect(&k, pq->c->kept, q->id);
	is_pn = question_kept_has(&k, DEF_PREFER_NOT);
	if (k.n > 0 && !is_pn &&
	    survey_utf8_check(k.v[0], strlen(k.v[0]), NULL) == 0)
		value = k.v[0];
	if (q->has_prefer_not &&
	    (r = question_option(&pn, pq, &prefer_not, "checkbox",
	    is_pn)) != GH_OK)
		goto out;
	page_msg_nm(&range, pq->lang, "form.number_range", q->min, q->max);
	snprintf(min, sizeof(min), "%lld", q->min);
	snprintf(max, sizeof(max), "%lld", q->max);
	ids[0] = pq->help.len > 0 ? pq->help_id : NULL;
	ids[1] = range_id;
	ids[2] = is_wrong ? pq->err_id : NULL;
	question_attrs(&attrs, ids, 3, is_wrong, 0);
	struct tpl_var v[] = {
		{ "class", is_wrong ? "question has-error" : "question", 0 },
		{ "label_id", label_id, 0 },
		{ "id", pq->id, 0 },
		{ "name", pq->name, 0 },
		{ "label", q->label.s[pq->lang], 0 },
		{ "req", question_required_word(pq), 0 },
		{ "help", pq->help.data, 1 },
		{ "range_id", range_id, 0 },
		{ "range", range.data, 0 },
		{ "error", pq->error.data, 1 },
		{ "min", min, 0 },
		{ "max", max, 0 },
		{ "value", value, 0 },
		{ "attrs", attrs.data, 1 },
		{ "prefer_not", pn.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "q_number.html", v);
out:
	buf_free(&range);
	buf_free(&attrs);
	buf_free(&pn);
	return r;
}

/*
 * Renders matrix item qi as a table row (q_matrix_row.html): its text as
 * the row header, and its radio buttons in one cell as one radio group
 * named by that header, each with its own label (drawn on phones; on
 * wide screens the column headers show the options).
 */
static int
question_matrix_row(struct buf *out, const struct page_qctx *c, size_t qi,
    const char *n_cols)
{
	struct question_view pq;
	struct buf opts = { 0 }, attrs = { 0 };
	const char *ids[2];
	char label_id[QUESTION_ID_MAX];
	int r, is_wrong;

	if ((r = question_view_init(&pq, c, qi)) != GH_OK ||
	    (r = question_make_id(label_id, "q-", pq.q->id, ":label")) !=
	    GH_OK || (r = question_options(&opts, &pq)) != GH_OK)
		goto out;
	is_wrong = pq.problem != ANSWER_OK;
	ids[0] = pq.help.len > 0 ? pq.help_id : NULL;
	ids[1] = is_wrong ? pq.err_id : NULL;
	question_attrs(&attrs, ids, 2, 0, is_wrong);
	struct tpl_var v[] = {
		{ "class", is_wrong ? "matrix-row has-error" : "matrix-row", 0 },
		{ "id", pq.id, 0 },
		{ "label_id", label_id, 0 },
		{ "label", pq.q->label.s[pq.lang], 0 },
		{ "req", question_required_word(&pq), 0 },
		{ "help", pq.help.data, 1 },
		{ "error", pq.error.data, 1 },
		{ "n", n_cols, 0 },
		{ "attrs", attrs.data, 1 },
		{ "options", opts.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "q_matrix_row.html", v);
out:
	buf_free(&opts);
	buf_free(&attrs);
	question_view_free(&pq);
	return r;
}

/* Renders the column headers of a matrix: its scale's options. */
static int
question_matrix_columns(struct buf *out, const struct question_view *pq)
{
	const struct def_question *q = pq->q;
	const char *label;
	size_t i;
	int r = GH_OK;

	for (i = 0; i < q->n_options && r == GH_OK; i++) {
		label = q->options[i].label.s[pq->lang];
		if (q->options[i].is_prefer_not &&
		    (label == NULL || label[0] == '\0'))
			label = page_msg(pq->lang, "form.prefer_not");
		struct tpl_var v[] = {
			{ "label", label, 0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "q_matrix_col.html", v);
	}
	return r;
}

/*
 * Renders a matrix as a table (q_matrix.html): its text as a heading
 * that names the table, the scale's options as column headers and each
 * shown item as a row (question_matrix_row). On phones the style sheet
 * stacks the rows as cards.
 */
static int
question_matrix(struct buf *out, const struct question_view *pq, size_t qi)
{
	const struct def *d = pq->c->d;
	const struct def_question *q = pq->q;
	struct buf rows = { 0 }, cols = { 0 };
	char n_cols[24], label_id[QUESTION_ID_MAX];
	size_t i;
	int r;

	snprintf(n_cols, sizeof(n_cols), "%zu", q->n_options);
	if ((r = question_make_id(label_id, "q-", q->id, ":label")) != GH_OK ||
	    (r = question_matrix_columns(&cols, pq)) != GH_OK)
		goto out;
	for (i = q->first_item; i < q->first_item + q->n_items &&
	    i < d->n_questions && r == GH_OK; i++)
		if (question_is_matrix_item(d, i) &&
		    (size_t)d->questions[i].matrix == qi &&
		    page_q_is_shown(pq->c, i))
			r = question_matrix_row(&rows, pq->c, i, n_cols);
	if (r != GH_OK)
		goto out;
	struct tpl_var v[] = {
		{ "id", pq->id, 0 },
		{ "label_id", label_id, 0 },
		{ "label", q->label.s[pq->lang], 0 },
		{ "help", pq->help.data, 1 },
		{ "n", n_cols, 0 },
		{ "columns", cols.data, 1 },
		{ "rows", rows.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "q_matrix.html", v);
out:
	buf_free(&rows);
	buf_free(&cols);
	return r;
}

static int
question_render(struct buf *out, const struct page_qctx *c, size_t qi)
{
	struct question_view pq;
	int r;

	if ((r = question_view_init(&pq, c, qi)) != GH_OK)
		goto out;
	switch (pq.q->type) {
	case DEF_TEXT:
		r = question_text(out, &pq);
		break;
	case DEF_NUMBER:
		r = question_number(out, &pq);
		break;
	case DEF_MATRIX:
		r = question_matrix(out, &pq, qi);
		break;
	case DEF_SINGLE:
	case DEF_MULTI:
	case DEF_LIKERT:
	default:
		r = question_choice(out, &pq,
		    question_is_matrix_item(c->d, qi));
		break;
	}
out:
	question_view_free(&pq);
	return r;
}

int
page_q_is_on_page(const struct page_qctx *c, size_t qi)
{
	return qi >= c->first && qi - c->first < c->n;
}

/*
 * Renders live question qi in its wrapper (page_followup.c): as shown, or
 * hidden and as if every question were shown, with no answer or problem.
 */
static int
question_followup(struct buf *out, const struct page_qctx *c, size_t qi)
{
	struct page_qctx empty;
	int r, is_shown = page_q_is_shown(c, qi);

	if ((r = page_followup_open(out, c->d, qi, is_shown)) != GH_OK)
		return r;
	if (is_shown)
		r = question_render(out, c, qi);
	else {
		empty = *c;
		empty.kept = NULL;
		empty.chk = NULL;
		empty.answers = NULL;
		r = question_render(out, &empty, qi);
	}
	return r != GH_OK ? r : page_followup_close(out);
}

int
page_questions(struct buf *out, const struct page_qctx *c)
{
	size_t i;
	int r = GH_OK;

	int has_live = 0;

	/* Matrix items are rendered by their matrix. A follow-up the page
	 * can show by itself is there, hidden if need be (page_followup.c). */
	for (i = c->first; page_q_is_on_page(c, i) && i < c->d->n_questions &&
	    r == GH_OK; i++) {
		if (question_is_matrix_item(c->d, i))
			continue;
		if (c->answers != NULL && def_question_is_live(c->d, i)) {
			r = question_followup(out, c, i);
			has_live = 1;
		} else if (page_q_is_shown(c, i))
			r = question_render(out, c, i);
	}
	if (r == GH_OK && has_live)
		r = page_followup_tail(out, c->lang);
	return r;
}


int
page_optional_note(struct buf *out, const struct page_qctx *c)
{
	const struct def_question *q;
	size_t i;
	int has_required = 0, has_optional = 0;

	for (i = c->first; i < c->first + c->n && i < c->d->n_questions;
	    i++) {
		q = &c->d->questions[i];
		/* A matrix is answered by its items. */
		if (q->type == DEF_MATRIX || (c->answers != NULL &&
		    !def_question_is_shown(c->d, i, c->answers)))
			continue;
		if (q->is_required)
			has_required = 1;
		else
			has_optional = 1;
	}
	if (!has_optional)
		return GH_OK;
	struct tpl_var v[] = {
		{ "text", page_msg(c->lang, has_required ?
		    "form.some_optional" : "form.all_optional"), 0 },
		{ NULL, NULL, 0 },
	};
	return tpl_render(out, "survey_optional.html", v);
}
