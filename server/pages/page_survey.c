/*
 * page_survey.c: the survey form (page_survey in page.h).
 *
 * Entry point: page_survey. Each question becomes a fragment: q_choice.html
 * (a fieldset with one q_option.html per option) or q_text.html (a label
 * and a textarea), with its help and its error as q_help.html and
 * q_error.html. Then the error summary (survey_summary*.html), then
 * survey.html around the fragments, then layout.html around the lot.
 * Fragments go on as raw variables; every text in them was escaped when
 * its own template was filled. The only HTML written here is the small
 * attribute lists of ps_attrs, whose values are escaped too.
 *
 * Names and ids: a field is named "q_ID" (ANSWER_FIELD_PREFIX) and an
 * option's value is its option id. The question's element is "q-ID" (the
 * fieldset or the textarea; the summary links to it), an option's input
 * "q-ID.OPTION", and the help, cap and error texts "q-ID:help",
 * "q-ID:cap" and "q-ID:error". Definition ids are [a-z0-9_-], so the "."
 * and ":" keep the ids of different questions apart.
 *
 * Without JavaScript, the language switch is a submit button
 * (switch_lang=nl|en) in the form, so the handler can show the form again
 * in the other language with the answers given so far. It is the first
 * submit button, so it is also what an Enter key in the form presses:
 * switching language keeps the answers, where an early submit would spend
 * the link.
 *
 * Kept answers are plaintext answers: the buffers here that held them
 * (options with "checked", the questions, the form) are wiped before they
 * are freed. The caller owns out and should wipe it after sending.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"
#include "survey/text.h"
#include "util/log.h"

#define PS_ID_MAX	(2 + DEF_MAX_ID + 1 + DEF_MAX_ID + 8)
#define PS_PREFIX_LEN	(sizeof(ANSWER_FIELD_PREFIX) - 1)

/* One question being rendered: its ids and its help and error fragments. */
struct ps_q {
	const struct def_question	*q;
	enum def_lang			 lang;
	enum answer_problem		 problem;
	char				 id[PS_ID_MAX];
	char				 name[PS_ID_MAX];
	char				 help_id[PS_ID_MAX];
	char				 cap_id[PS_ID_MAX];
	char				 err_id[PS_ID_MAX];
	struct buf			 help;
	struct buf			 error;
};

/* The kept values of one question (at most one per option count). */
struct ps_kept {
	const char	*v[DEF_MAX_OPTIONS];
	size_t		 n;
};

/* Wipes and frees a buffer that may hold a kept answer. */
static void
ps_buf_wipe(struct buf *b)
{
	if (b->data != NULL)
		sodium_memzero(b->data, b->cap);
	buf_free(b);
}

static void
ps_buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/*
 * Writes prefix, qid and suffix one after another into dst (PS_ID_MAX
 * bytes); returns GH_ERR_INVALID if they do not fit.
 */
static int
ps_id(char *dst, const char *prefix, const char *qid, const char *suffix)
{
	int n;

	n = snprintf(dst, PS_ID_MAX, "%s%s%s", prefix, qid, suffix);
	if (n < 0 || n >= PS_ID_MAX) {
		log_error("definition: an id in question %s is too long", qid);
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

static void
ps_kept_collect(struct ps_kept *k, const struct form *f, const char *qid)
{
	const char *name;
	size_t i;

	k->n = 0;
	if (f == NULL)
		return;
	for (i = 0; i < f->n && k->n < DEF_MAX_OPTIONS; i++) {
		name = f->fields[i].name;
		if (name == NULL || f->fields[i].value == NULL ||
		    strncmp(name, ANSWER_FIELD_PREFIX, PS_PREFIX_LEN) != 0 ||
		    strcmp(name + PS_PREFIX_LEN, qid) != 0)
			continue;
		k->v[k->n++] = f->fields[i].value;
	}
}

static int
ps_kept_has(const struct ps_kept *k, const char *value)
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
ps_attrs(struct buf *b, const char *const *ids, size_t n, int is_invalid,
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

/* Appends the message for a problem with question q. */
static void
ps_problem_text(struct buf *b, enum def_lang lang, enum answer_problem p,
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
	case ANSWER_OK:
	case ANSWER_BAD_OPTION:
	default:
		key = "error.bad_option";
		break;
	}
	buf_puts(b, page_msg(lang, key));
}

/* Fills in the ids and renders the help and error fragments of pq. */
static int
ps_q_init(struct ps_q *pq, const struct def_question *q, enum def_lang lang,
    enum answer_problem problem)
{
	struct buf msg = { 0 };
	int r;

	memset(pq, 0, sizeof(*pq));
	pq->q = q;
	pq->lang = lang;
	pq->problem = problem;
	if ((r = ps_id(pq->id, "q-", q->id, "")) != GH_OK ||
	    (r = ps_id(pq->name, ANSWER_FIELD_PREFIX, q->id, "")) != GH_OK ||
	    (r = ps_id(pq->help_id, "q-", q->id, ":help")) != GH_OK ||
	    (r = ps_id(pq->cap_id, "q-", q->id, ":cap")) != GH_OK ||
	    (r = ps_id(pq->err_id, "q-", q->id, ":error")) != GH_OK)
		goto out;
	if (q->help.s[lang] != NULL && q->help.s[lang][0] != '\0') {
		struct tpl_var hv[] = {
			{ "id", pq->help_id, 0 },
			{ "text", q->help.s[lang], 0 },
			{ NULL, NULL, 0 },
		};
		if ((r = tpl_render(&pq->help, "q_help.html", hv)) != GH_OK)
			goto out;
	}
	if (problem != ANSWER_OK) {
		ps_problem_text(&msg, lang, problem, q);
		struct tpl_var ev[] = {
			{ "id", pq->err_id, 0 },
			{ "prefix", page_msg(lang, "error.prefix"), 0 },
			{ "text", msg.data, 0 },
			{ NULL, NULL, 0 },
		};
		if ((r = tpl_render(&pq->error, "q_error.html", ev)) != GH_OK)
			goto out;
	}
	r = GH_OK;
out:
	buf_free(&msg);
	return r;
}

static void
ps_q_free(struct ps_q *pq)
{
	buf_free(&pq->help);
	buf_free(&pq->error);
}

/* Renders the options of a choice question, kept ones checked. */
static int
ps_options(struct buf *out, const struct ps_q *pq, const struct form *kept)
{
	const struct def_question *q = pq->q;
	struct ps_kept k;
	struct buf attrs = { 0 };
	char oid[PS_ID_MAX];
	size_t i;
	int n, r = GH_OK;

	ps_kept_collect(&k, kept, q->id);
	for (i = 0; i < q->n_options && r == GH_OK; i++) {
		const struct def_option *o = &q->options[i];

		n = snprintf(oid, sizeof(oid), "%s.%s", pq->id, o->id);
		if (n < 0 || (size_t)n >= sizeof(oid)) {
			log_error("definition: an option id in question %s "
			    "is too long", q->id);
			r = GH_ERR_INVALID;
			break;
		}
		ps_buf_reset(&attrs);
		if (ps_kept_has(&k, o->id))
			buf_puts(&attrs, " checked");
		ps_attrs(&attrs, NULL, 0, pq->problem != ANSWER_OK, 0);
		struct tpl_var v[] = {
			{ "type", q->type == DEF_MULTI ? "checkbox" : "radio",
			  0 },
			{ "id", oid, 0 },
			{ "name", pq->name, 0 },
			{ "value", o->id, 0 },
			{ "attrs", attrs.data, 1 },
			{ "label", o->label.s[pq->lang], 0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "q_option.html", v);
	}
	ps_buf_wipe(&attrs);
	return r;
}

/* Renders a single, Likert or multiple choice question as a fieldset. */
static int
ps_choice(struct buf *out, const struct ps_q *pq, const struct form *kept)
{
	const struct def_question *q = pq->q;
	const char *ids[2];
	struct buf opts = { 0 }, attrs = { 0 };
	int r, is_wrong = pq->problem != ANSWER_OK;

	if ((r = ps_options(&opts, pq, kept)) != GH_OK)
		goto out;
	ids[0] = pq->help.len > 0 ? pq->help_id : NULL;
	ids[1] = is_wrong ? pq->err_id : NULL;
	ps_attrs(&attrs, ids, 2, 0, is_wrong);
	struct tpl_var v[] = {
		{ "class", is_wrong ? "question has-error" : "question", 0 },
		{ "id", pq->id, 0 },
		{ "attrs", attrs.data, 1 },
		{ "label", q->label.s[pq->lang], 0 },
		{ "req", page_msg(pq->lang, q->is_required ? "form.required" :
		    "form.optional"), 0 },
		{ "help", pq->help.data, 1 },
		{ "error", pq->error.data, 1 },
		{ "options_class", q->type == DEF_LIKERT ? "options likert" :
		    "options", 0 },
		{ "options", opts.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "q_choice.html", v);
out:
	ps_buf_wipe(&opts);
	buf_free(&attrs);
	return r;
}

/* Renders a free-text question as a label and a textarea. */
static int
ps_text(struct buf *out, const struct ps_q *pq, const struct form *kept)
{
	const struct def_question *q = pq->q;
	const char *ids[3];
	struct ps_kept k;
	struct buf cap = { 0 }, attrs = { 0 };
	char max[32];
	const char *value = "";
	int r, is_wrong = pq->problem != ANSWER_OK;

	ps_kept_collect(&k, kept, q->id);
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
	ps_attrs(&attrs, ids, 3, is_wrong, 0);
	struct tpl_var v[] = {
		{ "class", is_wrong ? "question has-error" : "question", 0 },
		{ "id", pq->id, 0 },
		{ "name", pq->name, 0 },
		{ "label", q->label.s[pq->lang], 0 },
		{ "req", page_msg(pq->lang, q->is_required ? "form.required" :
		    "form.optional"), 0 },
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

static enum answer_problem
ps_problem(const struct answer_check *chk, size_t i)
{
	if (chk == NULL || chk->problem == NULL || i >= chk->n_questions)
		return ANSWER_OK;
	return chk->problem[i];
}

static int
ps_question(struct buf *out, const struct def_question *q,
    enum def_lang lang, const struct form *kept, enum answer_problem p)
{
	struct ps_q pq;
	int r;

	if ((r = ps_q_init(&pq, q, lang, p)) == GH_OK)
		r = q->type == DEF_TEXT ? ps_text(out, &pq, kept) :
		    ps_choice(out, &pq, kept);
	ps_q_free(&pq);
	return r;
}

/*
 * Renders the error summary into out if chk has anything to say; it
 * links to each wrong question. Sets *is_shown.
 */
static int
ps_summary(struct buf *out, const struct def *d, enum def_lang lang,
    const struct answer_check *chk, int *is_shown)
{
	struct buf items = { 0 }, msg = { 0 };
	char target[PS_ID_MAX];
	size_t i;
	int r = GH_OK;

	*is_shown = 0;
	if (chk == NULL)
		return GH_OK;
	if (chk->has_unknown_field) {
		struct tpl_var gv[] = {
			{ "text", page_msg(lang, "error.unknown_field"), 0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(&items, "survey_summary_general.html", gv);
	}
	for (i = 0; i < d->n_questions && r == GH_OK; i++) {
		const struct def_question *q = &d->questions[i];

		if (ps_problem(chk, i) == ANSWER_OK)
			continue;
		if ((r = ps_id(target, "q-", q->id, "")) != GH_OK)
			break;
		ps_buf_reset(&msg);
		ps_problem_text(&msg, lang, ps_problem(chk, i), q);
		struct tpl_var iv[] = {
			{ "target", target, 0 },
			{ "label", q->label.s[lang], 0 },
			{ "text", msg.data, 0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(&items, "survey_summary_item.html", iv);
	}
	if (r != GH_OK || items.len == 0)
		goto out;
	struct tpl_var v[] = {
		{ "heading", page_msg(lang, "error.summary"), 0 },
		{ "not_stored", page_msg(lang, "error.not_stored"), 0 },
		{ "items", items.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "survey_summary.html", v);
	*is_shown = 1;
out:
	buf_free(&items);
	buf_free(&msg);
	return r;
}

/* Renders the form (survey.html) with the given fragments into out. */
static int
ps_form(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, const char *summary, const char *questions)
{
	struct buf intro = { 0 };
	enum def_lang other = lang == DEF_NL ? DEF_EN : DEF_NL;
	int r = GH_OK;

	if (d->intro.s[lang] != NULL && d->intro.s[lang][0] != '\0') {
		struct tpl_var iv[] = {
			{ "intro", d->intro.s[lang], 0 },
			{ NULL, NULL, 0 },
		};
		if ((r = tpl_render(&intro, "survey_intro.html", iv)) != GH_OK)
			goto out;
	}
	struct tpl_var v[] = {
		{ "token", token_text, 0 },
		{ "lang", page_lang_code(lang), 0 },
		{ "other_lang", page_lang_code(other), 0 },
		{ "other_lang_name", page_msg(other, "lang.name"), 0 },
		{ "summary", summary, 1 },
		{ "title", d->title.s[lang], 0 },
		{ "intro", intro.data, 1 },
		{ "questions", questions, 1 },
		{ "anon_note", page_msg(lang, "form.anonymous"), 0 },
		{ "submit", page_msg(lang, "form.submit"), 0 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "survey.html", v);
out:
	buf_free(&intro);
	return r;
}

int
page_survey(struct buf *out, const struct def *d, enum def_lang lang,
    const char *token_text, const struct form *kept,
    const struct answer_check *chk)
{
	struct buf qs = { 0 }, summary = { 0 }, content = { 0 }, title = { 0 };
	size_t i;
	int r = GH_ERR_INVALID, has_summary;

	if (d == NULL || token_text == NULL) {
		log_error("no definition or token");
		goto out;
	}
	lang = page_lang(lang);
	for (i = 0; i < d->n_questions; i++) {
		if ((r = ps_question(&qs, &d->questions[i], lang, kept,
		    ps_problem(chk, i))) != GH_OK)
			goto out;
	}
	if ((r = ps_summary(&summary, d, lang, chk, &has_summary)) != GH_OK ||
	    (r = ps_form(&content, d, lang, token_text, summary.data,
	    qs.data)) != GH_OK)
		goto out;
	/* A form shown again with errors says so first in its title. */
	if (has_summary)
		buf_printf(&title, "%s ", page_msg(lang, "error.prefix"));
	buf_printf(&title, "%s \xe2\x80\x93 gehoord", d->title.s[lang]);
	if (buf_is_failed(&title)) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	r = page_layout(out, lang, title.data, content.data);
out:
	ps_buf_wipe(&qs);
	buf_free(&summary);
	ps_buf_wipe(&content);
	buf_free(&title);
	return r;
}

int
page_survey_selfcheck(void)
{
	struct def_option opts[] = {
		{ .id = "a", .label = { { "A", "A" } } },
		{ .id = "b", .label = { { "B", "B" } } },
	};
	struct def_question qs[] = {
		{ .id = "single", .type = DEF_SINGLE, .is_required = 1,
		  .label = { { "S", "S" } }, .help = { { "H", "H" } },
		  .options = opts, .n_options = 2 },
		{ .id = "multi", .type = DEF_MULTI, .label = { { "M", "M" } },
		  .help = { { "", "" } }, .options = opts, .n_options = 2 },
		{ .id = "likert", .type = DEF_LIKERT, .label = { { "L", "L" } },
		  .help = { { "", "" } }, .options = opts, .n_options = 2 },
		{ .id = "text", .type = DEF_TEXT, .label = { { "T", "T" } },
		  .help = { { "H", "H" } }, .max_length = 10 },
		{ .id = "text2", .type = DEF_TEXT, .label = { { "U", "U" } },
		  .help = { { "", "" } }, .max_length = 10 },
	};
	enum answer_problem probs[] = { ANSWER_MISSING, ANSWER_TOO_MANY,
	    ANSWER_BAD_OPTION, ANSWER_TOO_LONG, ANSWER_BAD_TEXT };
	struct answer_check chk = { .problem = probs, .n_questions = 5,
	    .n_wrong = 5, .has_unknown_field = 1 };
	struct def d = { .id = "selfcheck", .title = { { "T", "T" } },
	    .intro = { { "I", "I" } }, .questions = qs, .n_questions = 5,
	    .bucket = 1024 };
	struct buf b = { 0 };
	int l, r = GH_OK;

	for (l = 0; l < DEF_LANGS && r == GH_OK; l++) {
		ps_buf_reset(&b);
		r = page_survey(&b, &d, (enum def_lang)l, "CHECK", NULL, &chk);
	}
	buf_free(&b);
	return r;
}
