/*
 * page_report_form.c: the built-in report form's page, and the text the
 * report is sealed as. Its questions and their check are
 * report/report_form.c.
 *
 * Entry points: report_form_text, page_report_form.
 * The questions are those of survey-defs/melding.json the desk needs
 * (labels and options copied into the "report.q.*" and "report.opt.*"
 * texts), on one page, so a report needs no page state: it is one POST.
 * Data path: posted form -> report_form_check (report/report_form.c)
 * -> either the form again (422, answers kept, problems linked from a summary) or
 * report_form_text -> the plaintext the route seals.
 */
#include <stdio.h>
#include <string.h>

#include "pages/page_int.h"
#include "pages/report.h"
#include "pages/tpl.h"
#include "report/category.h"
#include "report/report_form.h"
#include "survey/text.h"

static int
is_chosen(const struct form *f, const char *name, const char *opt)
{
	size_t i;

	for (i = 0; f != NULL && i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0 &&
		    strcmp(f->fields[i].value, opt) == 0)
			return 1;
	return 0;
}

/* The text of "report.q.<id>.<part>" or "report.opt.<id>.<opt>". */
static const char *
qmsg(enum def_lang lang, const char *kind, const char *id, const char *part)
{
	char key[96];

	snprintf(key, sizeof(key), "%s.%s.%s", kind, id, part);
	return report_msg(lang, key);
}

void
report_form_text(struct buf *out, const struct form *f, enum def_lang lang)
{
	const struct report_q *q;
	const char *const *opts;
	const char *v;
	size_t k, i;
	int is_first = 1;

	for (k = 0; k < REPORT_FORM_NQ; k++) {
		q = &report_form_q[k];
		v = form_get(f, q->id);
		if (v == NULL || report_q_check_text(q, v) == REPORT_P_MISSING ||
		    (q->type == REPORT_Q_TEXT && v[strspn(v, " \t\r\n")] == '\0'))
			continue;
		buf_printf(out, "%s%s\n", is_first ? "" : "\n",
		    qmsg(lang, "q", q->id, "label"));
		is_first = 0;
		if (q->type == REPORT_Q_TEXT) {
			buf_printf(out, "%s\n", v);
			continue;
		}
		opts = report_cat_ids(q->cat);
		for (i = 0; opts[i] != NULL; i++)
			if (is_chosen(f, q->id, opts[i]))
				buf_printf(out, "- %s\n", strcmp(opts[i],
				    REPORT_UNIT_NONE) == 0 ? report_msg(lang,
				    "q.unit.none") : qmsg(lang, "opt", q->id,
				    opts[i]));
	}
}

/* Appends the text of problem p of question k to out. */
static void
problem_text(struct buf *out, enum def_lang lang, size_t k,
    enum report_problem p)
{
	switch (p) {
	case REPORT_P_MISSING:
		buf_puts(out, report_msg(lang, "error.what_missing"));
		break;
	case REPORT_P_TOO_LONG:
		page_msg_n(out, lang, "report.error.too_long",
		    report_form_q[k].max);
		break;
	case REPORT_P_BAD_TEXT:
		buf_puts(out, report_msg(lang, "error.bad_text"));
		break;
	default:
		buf_puts(out, report_msg(lang, "error.bad_option"));
		break;
	}
}

/* Appends the error message of problem p (question k) to out. */
static int
render_error(struct buf *out, enum def_lang lang, size_t k,
    enum report_problem p)
{
	struct buf text = { 0 }, id = { 0 };
	struct tpl_var vars[] = {
		{ "id", NULL, 0 }, { "prefix", NULL, 0 }, { "text", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	int r;

	problem_text(&text, lang, k, p);
	buf_printf(&id, "%s-error", report_form_q[k].id);
	vars[0].value = id.data;
	vars[1].value = report_msg(lang, "error_prefix");
	vars[2].value = text.data;
	r = buf_is_failed(&text) || buf_is_failed(&id) ? GH_ERR_NOMEM :
	    tpl_render(out, "q_error.html", vars);
	buf_free(&text);
	buf_free(&id);
	return r;
}

static int
render_options(struct buf *out, const struct report_q *q, enum def_lang lang,
    const struct form *kept)
{
	char id[96];
	struct tpl_var vars[] = {
		{ "type", q->type == REPORT_Q_MULTI ? "checkbox" : "radio", 0 },
		{ "id", id, 0 }, { "name", q->id, 0 }, { "value", NULL, 0 },
		{ "checked", NULL, 1 }, { "label", NULL, 0 }, { NULL, NULL, 0 },
	};
	const char *const *opts = report_cat_ids(q->cat);
	size_t i;
	int r = GH_OK;

	for (i = 0; opts[i] != NULL && r == GH_OK; i++) {
		snprintf(id, sizeof(id), "%s-%s", q->id, opts[i]);
		vars[3].value = opts[i];
		vars[4].value = is_chosen(kept, q->id, opts[i]) ?
		    " checked" : "";
		vars[5].value = strcmp(opts[i], REPORT_UNIT_NONE) == 0 ?
		    report_msg(lang, "q.unit.none") :
		    qmsg(lang, "opt", q->id, opts[i]);
		r = tpl_render(out, "report_q_option.html", vars);
	}
	return r;
}

static int
render_question(struct buf *out, size_t k, enum def_lang lang,
    const struct form *kept, enum report_problem p)
{
	const struct report_q *q = &report_form_q[k];
	struct buf help = { 0 }, err = { 0 }, opts = { 0 }, cap = { 0 };
	char help_id[64], describedby[160], max[16], rows[4];
	const char *v = kept != NULL ? form_get(kept, q->id) : NULL;
	int r;
	struct tpl_var hv[] = {
		{ "id", help_id, 0 }, { "text", NULL, 0 }, { NULL, NULL, 0 },
	};
	struct tpl_var vars[] = {
		{ "class", p != REPORT_P_OK ? "question has-error" : "question",
		  0 },
		{ "id", q->id, 0 },
		{ "label", qmsg(lang, "q", q->id, "label"), 0 },
		{ "req", report_msg(lang, q->is_required ? "required" :
		  "optional"), 0 },
		{ "help", NULL, 1 }, { "error", NULL, 1 },
		{ "cap", NULL, 0 }, { "max", max, 0 }, { "rows", rows, 0 },
		{ "describedby", describedby, 0 }, { "value", NULL, 0 },
		{ "options", NULL, 1 }, { "attrs", NULL, 1 },
		{ NULL, NULL, 0 },
	};

	snprintf(help_id, sizeof(help_id), "%s-help", q->id);
	hv[1].value = qmsg(lang, "q", q->id, "help");
	if (q->has_help && (r = tpl_render(&help, "report_help.html", hv)) !=
	    GH_OK)
		goto out;
	if (p != REPORT_P_OK && (r = render_error(&err, lang, k, p)) != GH_OK)
		goto out;
	snprintf(describedby, sizeof(describedby), "%s%s-cap%s%s",
	    q->has_help ? help_id : "", q->has_help ? " " : "", q->id,
	    p != REPORT_P_OK ? " " : "");
	if (p != REPORT_P_OK)
		snprintf(describedby + strlen(describedby),
		    sizeof(describedby) - strlen(describedby), "%s-error", q->id);
	snprintf(max, sizeof(max), "%zu", q->max);
	snprintf(rows, sizeof(rows), "%d", k == 0 ? 8 : 3);
	vars[4].value = help.data;
	vars[5].value = err.data;
	if (q->type == REPORT_Q_TEXT) {
		page_msg_n(&cap, lang, "report.cap", q->max);
		vars[6].value = cap.data;
		/* A kept text that is not UTF-8 is not echoed. */
		vars[10].value = v != NULL && survey_utf8_check(v, strlen(v),
		    NULL) == 0 ? v : "";
		r = buf_is_failed(&cap) ? GH_ERR_NOMEM :
		    tpl_render(out, "report_q_text.html", vars);
		goto out;
	}
	if ((r = render_options(&opts, q, lang, kept)) != GH_OK)
		goto out;
	vars[11].value = opts.data;
	vars[12].value = p != REPORT_P_OK ? " aria-invalid=\"true\"" : "";
	r = tpl_render(out, "report_q_choice.html", vars);
out:
	buf_free(&help);
	buf_free(&err);
	buf_free(&opts);
	buf_free(&cap);
	return r;
}

static int
render_summary(struct buf *out, enum def_lang lang,
    const struct report_check *chk)
{
	struct buf items = { 0 }, target = { 0 }, text = { 0 };
	struct tpl_var iv[] = {
		{ "target", NULL, 0 }, { "label", NULL, 0 }, { "text", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var sv[] = {
		{ "heading", report_msg(lang, "error_heading"), 0 },
		{ "not_stored", report_msg(lang, "error_not_stored"), 0 },
		{ "items", NULL, 1 }, { NULL, NULL, 0 },
	};
	size_t k;
	int r = GH_OK;

	for (k = 0; k < REPORT_FORM_NQ && r == GH_OK; k++) {
		if (chk->p[k] == REPORT_P_OK)
			continue;
		target.len = 0;
		buf_puts(&target, report_form_q[k].id);
		iv[0].value = target.data;
		iv[1].value = qmsg(lang, "q", report_form_q[k].id, "label");
		text.len = 0;
		problem_text(&text, lang, k, chk->p[k]);
		iv[2].value = text.data;
		r = buf_is_failed(&target) || buf_is_failed(&text) ?
		    GH_ERR_NOMEM :
		    tpl_render(&items, "survey_summary_item.html", iv);
	}
	sv[2].value = items.data;
	if (r == GH_OK)
		r = tpl_render(out, "survey_summary.html", sv);
	buf_free(&items);
	buf_free(&target);
	buf_free(&text);
	return r;
}

int
page_report_form(struct buf *out, enum def_lang lang, const char *action,
    const struct form *kept, const struct report_check *chk,
    const char *notice)
{
	static const char *const keys[] = {
		"title", "lang_other", "intro", "explain_heading",
		"explain_what", "explain_next", "explain_control",
		"explain_anon", "explain_no_mail", "form_heading", "submit",
		"have_code", NULL
	};
	struct tpl_var vars[20];
	struct buf qs = { 0 }, summary = { 0 }, body = { 0 };
	size_t k, n = 0;
	int r = GH_OK;

	for (k = 0; k < REPORT_FORM_NQ && r == GH_OK; k++)
		r = render_question(&qs, k, lang, kept, chk != NULL ?
		    chk->p[k] : REPORT_P_OK);
	if (r == GH_OK && chk != NULL && chk->n_bad > 0)
		r = render_summary(&summary, lang, chk);
	if (r == GH_OK && notice != NULL) {
		struct tpl_var nv[] = {
			{ "text", report_msg(lang, notice), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&summary, "report_notice.html", nv);
	}
	if (r != GH_OK)
		goto out;
	for (k = 0; keys[k] != NULL; k++, n++) {
		vars[n].name = keys[k];
		vars[n].value = report_msg(lang, keys[k]);
		vars[n].is_raw = 0;
	}
	vars[n++] = (struct tpl_var){ "action", action, 0 };
	vars[n++] = (struct tpl_var){ "lang", page_lang_code(lang), 0 };
	vars[n++] = (struct tpl_var){ "other_lang",
	    page_lang_code(lang == DEF_EN ? DEF_NL : DEF_EN), 0 };
	vars[n++] = (struct tpl_var){ "summary", summary.data, 1 };
	vars[n++] = (struct tpl_var){ "questions", qs.data, 1 };
	vars[n] = (struct tpl_var){ NULL, NULL, 0 };
	if ((r = tpl_render(&body, "report_form.html", vars)) == GH_OK)
		r = page_layout(out, lang, report_msg(lang, "title"),
		    body.data);
out:
	page_buf_wipe(&qs);
	page_buf_wipe(&summary);
	page_buf_wipe(&body);
	return r;
}
