/*
 * page_report_form.c: the report form's page, and the text the report is
 * sealed as. The form is the report's definition,
 * survey-defs/melding.json (built in, loaded at page_init:
 * page_report_def.c): its questions, labels, help and options in Dutch
 * and English, every page's questions on one page, so a report needs no
 * page state: it is one POST. Their check is
 * report/report_form.c.
 *
 * Entry points: page_report_form_text, page_report_form,
 * page_report_form_seal (the same form, with what web/seal/seal.js needs
 * to seal the text in the browser).
 * Data path: posted form -> report_form_check (report/report_form.c)
 * -> either the form again (422, answers kept, problems linked from a
 * summary) or page_report_form_text (into a wiping sbuf): every answered
 * question with its label -> the plaintext the route has sealed
 * (report/report_create.c).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/page_invite.h"
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

/* Appends label and a newline, with a blank line before all but the first. */
static void
add_label(struct sbuf *out, const char *label, int *is_first)
{
	if (!*is_first)
		sbuf_puts(out, "\n");
	*is_first = 0;
	sbuf_puts(out, label);
	sbuf_puts(out, "\n");
}

/* Returns 1 if question q has an answer in f (a text not blank). */
static int
is_answered(const struct def_question *q, const struct form *f)
{
	const char *v = form_get(f, q->id);

	if (v == NULL)
		return 0;
	return q->type != DEF_TEXT || v[strspn(v, " \t\r\n")] != '\0';
}

void
page_report_form_text(struct sbuf *out, const struct form *f,
    enum def_lang lang)
{
	const struct def *d = page_report_def();
	const struct def_question *q;
	size_t k, i;
	int is_first = 1;

	lang = page_lang(lang);
	for (k = 0; d != NULL && k < d->n_questions; k++) {
		q = &d->questions[k];
		if (!is_answered(q, f))
			continue;
		add_label(out, q->label.s[lang], &is_first);
		if (q->type == DEF_TEXT) {
			sbuf_puts(out, form_get(f, q->id));
			sbuf_puts(out, "\n");
			continue;
		}
		for (i = 0; i < q->n_options; i++) {
			if (!is_chosen(f, q->id, q->options[i].id))
				continue;
			sbuf_puts(out, "- ");
			sbuf_puts(out, q->options[i].label.s[lang]);
			sbuf_puts(out, "\n");
		}
	}
}

/* Appends the text of problem p of question q to out. */
static void
problem_text(struct buf *out, enum def_lang lang,
    const struct def_question *q, enum report_problem p)
{
	switch (p) {
	case REPORT_P_MISSING:
		buf_puts(out, q->type == DEF_TEXT ?
		    page_report_msg(lang, "error.what_missing") :
		    page_msg(lang, "error.missing"));
		break;
	case REPORT_P_TOO_LONG:
		page_msg_n(out, lang, "report.error.too_long", q->max_length);
		break;
	case REPORT_P_BAD_TEXT:
		buf_puts(out, page_report_msg(lang, "error.bad_text"));
		break;
	case REPORT_P_EXCLUSIVE:
		buf_puts(out, page_msg(lang, "error.exclusive"));
		break;
	default:
		buf_puts(out, page_report_msg(lang, "error.bad_option"));
		break;
	}
}

/* Appends the error message of problem p (question q) to out. */
static int
render_error(struct buf *out, enum def_lang lang,
    const struct def_question *q, enum report_problem p)
{
	struct buf text = { 0 }, id = { 0 };
	struct tpl_var vars[] = {
		{ "id", NULL, 0 }, { "prefix", NULL, 0 }, { "text", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	int r;

	problem_text(&text, lang, q, p);
	buf_printf(&id, "%s-error", q->id);
	vars[0].value = id.data;
	vars[1].value = page_report_msg(lang, "error_prefix");
	vars[2].value = text.data;
	r = buf_is_failed(&text) || buf_is_failed(&id) ? GH_ERR_NOMEM :
	    tpl_render(out, "q_error.html", vars);
	buf_free(&text);
	buf_free(&id);
	return r;
}

static int
render_options(struct buf *out, const struct def_question *q,
    enum def_lang lang, const struct form *kept)
{
	char id[96];
	struct tpl_var vars[] = {
		{ "type", q->type == DEF_MULTI ? "checkbox" : "radio", 0 },
		{ "id", id, 0 }, { "name", q->id, 0 }, { "value", NULL, 0 },
		{ "checked", NULL, 1 }, { "label", NULL, 0 }, { NULL, NULL, 0 },
	};
	size_t i;
	int r = GH_OK;

	for (i = 0; i < q->n_options && r == GH_OK; i++) {
		snprintf(id, sizeof(id), "%s-%s", q->id, q->options[i].id);
		vars[3].value = q->options[i].id;
		vars[4].value = is_chosen(kept, q->id, q->options[i].id) ?
		    " checked" : "";
		vars[5].value = q->options[i].label.s[lang];
		r = tpl_render(out, "report_q_option.html", vars);
	}
	return r;
}

static int
render_question(struct buf *out, const struct def_question *q, int is_first,
    enum def_lang lang, const struct form *kept, enum report_problem p)
{
	struct buf help = { 0 }, err = { 0 }, opts = { 0 }, cap = { 0 };
	char help_id[64], describedby[160], max[16], rows[4], attrs[96] = "";
	const char *v = kept != NULL ? form_get(kept, q->id) : NULL;
	int has_help = q->help.s[lang][0] != '\0', r;
	struct tpl_var hv[] = {
		{ "id", help_id, 0 }, { "text", q->help.s[lang], 0 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var vars[] = {
		{ "class", p != REPORT_P_OK ? "question has-error" : "question",
		  0 },
		{ "id", q->id, 0 },
		{ "label", q->label.s[lang], 0 },
		{ "req", page_report_msg(lang, q->is_required ? "required" :
		  "optional"), 0 },
		{ "help", NULL, 1 }, { "error", NULL, 1 },
		{ "cap", NULL, 0 }, { "max", max, 0 }, { "rows", rows, 0 },
		{ "describedby", describedby, 0 }, { "value", NULL, 0 },
		{ "options", NULL, 1 }, { "attrs", NULL, 1 },
		{ NULL, NULL, 0 },
	};

	snprintf(help_id, sizeof(help_id), "%s-help", q->id);
	if (has_help && (r = tpl_render(&help, "report_help.html", hv)) !=
	    GH_OK)
		goto out;
	if (p != REPORT_P_OK && (r = render_error(&err, lang, q, p)) != GH_OK)
		goto out;
	snprintf(describedby, sizeof(describedby), "%s%s%s-cap%s%s%s",
	    has_help ? help_id : "", has_help ? " " : "", q->id,
	    p != REPORT_P_OK ? " " : "", p != REPORT_P_OK ? q->id : "",
	    p != REPORT_P_OK ? "-error" : "");
	snprintf(max, sizeof(max), "%zu", q->max_length);
	snprintf(rows, sizeof(rows), "%d", is_first ? 8 : 3);
	vars[4].value = help.data;
	vars[5].value = err.data;
	if (q->type == DEF_TEXT) {
		page_msg_n(&cap, lang, "report.cap", q->max_length);
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
	/* The error tied to the group; ids are [a-z0-9_-] (def.h). */
	if (p != REPORT_P_OK)
		snprintf(attrs, sizeof(attrs), " aria-invalid=\"true\" "
		    "aria-describedby=\"%s-error\"", q->id);
	vars[12].value = attrs;
	r = tpl_render(out, "report_q_choice.html", vars);
out:
	buf_free(&help);
	buf_free(&err);
	buf_free(&opts);
	buf_free(&cap);
	return r;
}

/* Renders every page of the definition: its title, intro and questions. */
static int
render_questions(struct buf *out, enum def_lang lang,
    const struct form *kept, const struct report_check *chk)
{
	const struct def *d = page_report_def();
	const struct def_page *pg;
	size_t pi, k;
	int r = GH_OK;
	struct tpl_var pv[] = {
		{ "title", NULL, 0 }, { "intro", NULL, 0 }, { NULL, NULL, 0 },
	};

	for (pi = 0; pi < d->n_pages && r == GH_OK; pi++) {
		pg = &d->pages[pi];
		pv[0].value = pg->title.s[lang];
		pv[1].value = pg->intro.s[lang];
		r = tpl_render(out, "report_q_page.html", pv);
		for (k = pg->first; k < pg->first + pg->n && r == GH_OK; k++)
			r = render_question(out, &d->questions[k], k == 0,
			    lang, kept, chk != NULL && k < REPORT_FORM_MAXQ ?
			    chk->p[k] : REPORT_P_OK);
	}
	return r;
}

static int
render_summary(struct buf *out, enum def_lang lang,
    const struct report_check *chk)
{
	const struct def *d = page_report_def();
	struct buf items = { 0 }, text = { 0 };
	char target[96];
	struct tpl_var iv[] = {
		{ "target", NULL, 0 }, { "label", NULL, 0 }, { "text", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var sv[] = {
		{ "heading", page_report_msg(lang, "error_heading"), 0 },
		{ "not_stored", page_report_msg(lang, "error_not_stored"), 0 },
		{ "items", NULL, 1 }, { NULL, NULL, 0 },
	};
	size_t k;
	int r = GH_OK;

	for (k = 0; k < d->n_questions && k < REPORT_FORM_MAXQ &&
	    r == GH_OK; k++) {
		if (chk->p[k] == REPORT_P_OK)
			continue;
		/* The link moves focus to the field: a group's first option. */
		if (d->questions[k].type == DEF_TEXT)
			snprintf(target, sizeof(target), "%s",
			    d->questions[k].id);
		else
			snprintf(target, sizeof(target), "%s-%s",
			    d->questions[k].id, d->questions[k].options[0].id);
		iv[0].value = target;
		iv[1].value = d->questions[k].label.s[lang];
		text.len = 0;
		problem_text(&text, lang, &d->questions[k], chk->p[k]);
		iv[2].value = text.data;
		r = buf_is_failed(&text) ? GH_ERR_NOMEM :
		    tpl_render(&items, "survey_summary_item.html", iv);
	}
	sv[2].value = items.data;
	if (r == GH_OK)
		r = tpl_render(out, "survey_summary.html", sv);
	buf_free(&items);
	buf_free(&text);
	return r;
}

int
page_report_form(struct buf *out, enum def_lang lang, const char *action,
    const struct form *kept, const struct report_check *chk,
    const char *notice)
{
	return page_report_form_seal(out, lang, action, kept, chk, notice,
	    NULL);
}

/*
 * The form element's data attributes for seal.js (web/seal/seal.js): the
 * desk's key, the unit question, the required texts and the messages
 * the script shows (the required questions, text or choice, by id); and
 * the script element with its integrity. Nothing
 * without desk_pk or the script: the server seals.
 */
static int
render_seal(struct buf *attrs, struct buf *script, enum def_lang lang,
    const uint8_t *desk_pk)
{
	const struct def *d = page_report_def();
	char pk[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	char sri[128], req[256] = "";
	struct buf too_long = { 0 };
	size_t k;
	int r;

	if (desk_pk == NULL || page_asset_sri(sri, sizeof(sri), "seal.js") !=
	    GH_OK)
		return GH_OK;
	sodium_bin2base64(pk, sizeof(pk), desk_pk, 32,
	    sodium_base64_VARIANT_ORIGINAL);
	for (k = 0; k < d->n_questions; k++)
		if (d->questions[k].is_required &&
		    strlen(req) + strlen(d->questions[k].id) + 2 < sizeof(req))
			snprintf(req + strlen(req), sizeof(req) - strlen(req),
			    "%s%s", req[0] ? " " : "", d->questions[k].id);
	buf_puts(&too_long, page_msg(lang, "report.error.too_long"));
	{
		struct tpl_var av[] = {
			{ "pk", pk, 0 },
			{ "unit", d->unit_source == DEF_UNIT_QUESTION ?
			  d->questions[d->unit_question].id : "", 0 },
			{ "required", req, 0 },
			{ "missing", page_report_msg(lang,
			  "error.what_missing"), 0 },
			{ "missing_choice", page_msg(lang, "error.missing"), 0 },
			{ "too_long", too_long.data != NULL ? too_long.data :
			  "", 0 },
			{ "too_large", page_report_msg(lang, "seal.too_large"),
			  0 },
			{ "heading", page_report_msg(lang, "error_heading"), 0 },
			{ "sealing", page_report_msg(lang, "seal.sealing"), 0 },
			{ "will_seal", page_report_msg(lang, "seal.will_seal"),
			  0 },
			{ NULL, NULL, 0 },
		};
		struct tpl_var sv[] = { { "sri", sri, 0 }, { NULL, NULL, 0 } };

		r = buf_is_failed(&too_long) ? GH_ERR_NOMEM :
		    tpl_render(attrs, "report_seal_attrs.html", av);
		if (r == GH_OK)
			r = tpl_render(script, "report_seal_script.html", sv);
	}
	buf_free(&too_long);
	return r;
}

int
page_report_form_seal(struct buf *out, enum def_lang lang,
    const char *action, const struct form *kept,
    const struct report_check *chk, const char *notice,
    const uint8_t *desk_pk)
{
	return page_report_form_seal_text(out, lang, action, kept, chk,
	    notice != NULL ? page_report_msg(page_lang(lang), notice) : NULL,
	    desk_pk);
}

int
page_report_form_seal_text(struct buf *out, enum def_lang lang,
    const char *action, const struct form *kept,
    const struct report_check *chk, const char *notice,
    const uint8_t *desk_pk)
{
	static const char *const keys[] = {
		"title", "lang_other", "intro", "explain_heading",
		"explain_what", "explain_next", "explain_control",
		"explain_anon", "explain_no_mail", "form_heading", "submit",
		"have_code", "safety_heading", "safety_device",
		"safety_network", "safety_traces", "files_label",
		"files_hint", NULL
	};
	struct tpl_var vars[30];
	struct buf qs = { 0 }, summary = { 0 }, body = { 0 };
	struct buf seal_attrs = { 0 }, seal_script = { 0 }, files = { 0 };
	char once[PAGE_REPORT_ONCE_TEXT + 1];
	size_t k, n = 0;
	int r;

	if (page_report_def() == NULL)
		return GH_ERR_INVALID;
	lang = page_lang(lang);
	r = render_questions(&qs, lang, kept, chk);
	if (r == GH_OK && chk != NULL && chk->n_bad > 0)
		r = render_summary(&summary, lang, chk);
	if (r == GH_OK && notice != NULL) {
		struct tpl_var nv[] = {
			{ "text", notice, 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&summary, "report_notice.html", nv);
	}
	if (r == GH_OK)
		r = render_seal(&seal_attrs, &seal_script, lang, desk_pk);
	if (r == GH_OK)
		r = page_report_files_list(&files, lang, "report-files");
	if (r != GH_OK)
		goto out;
	for (k = 0; keys[k] != NULL; k++, n++) {
		vars[n].name = keys[k];
		vars[n].value = page_report_msg(lang, keys[k]);
		vars[n].is_raw = 0;
	}
	page_report_once(once, kept != NULL ? form_get(kept, "once") : NULL);
	vars[n++] = (struct tpl_var){ "action", action, 0 };
	vars[n++] = (struct tpl_var){ "once", once, 0 };
	vars[n++] = (struct tpl_var){ "lang", page_lang_code(lang), 0 };
	vars[n++] = (struct tpl_var){ "other_lang",
	    page_lang_code(lang == DEF_EN ? DEF_NL : DEF_EN), 0 };
	vars[n++] = (struct tpl_var){ "summary", summary.data, 1 };
	vars[n++] = (struct tpl_var){ "questions", qs.data, 1 };
	vars[n++] = (struct tpl_var){ "seal_attrs", seal_attrs.data, 1 };
	vars[n++] = (struct tpl_var){ "seal_script", seal_script.data, 1 };
	vars[n++] = (struct tpl_var){ "files_list", files.data, 1 };
	vars[n++] = (struct tpl_var){ "seal_note", page_report_msg(lang,
	    "seal.on_server"), 0 };
	vars[n] = (struct tpl_var){ NULL, NULL, 0 };
	if ((r = tpl_render(&body, "report_form.html", vars)) == GH_OK)
		r = page_layout(out, lang, page_report_msg(lang, "title"),
		    body.data);
out:
	buf_free(&qs);
	buf_free(&summary);
	buf_free(&body);
	buf_free(&seal_attrs);
	buf_free(&seal_script);
	buf_free(&files);
	return r;
}
