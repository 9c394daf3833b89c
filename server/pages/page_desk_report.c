/*
 * page_desk_report.c: one report as the desk sees it (its clock,
 * categories, the opened conversation and the forms to reply, change the
 * status, record the category and aftercare), and page_desk_check, which
 * renders every desk page once at start-up.
 *
 * Message texts are escaped here, character by character, with line ends
 * turned into <br>: they are the only multi-line values.
 */
#include <stdio.h>
#include <string.h>

#include "pages/attach_list.h"
#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/review.h"
#include "pages/tpl.h"

/* Appends <option>s of list which, the first one empty (label key). */
static int
options(struct buf *out, enum def_lang lang, enum desk_cat which,
    const char *selected, const char *empty_key)
{
	const char *const *id;
	int r = GH_OK;

	{
		struct tpl_var v[] = {
			{ "value", "", 0 },
			{ "selected", selected[0] == '\0' ? " selected" : "", 1 },
			{ "label", page_msg(lang, empty_key), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_option.html", v);
	}
	for (id = page_desk_cat_ids(which); *id != NULL && r == GH_OK; id++) {
		struct tpl_var v[] = {
			{ "value", *id, 0 },
			{ "selected", strcmp(*id, selected) == 0 ? " selected" :
			    "", 1 },
			{ "label", page_desk_cat_label(lang, which, *id), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_option.html", v);
	}
	return r;
}

static int
status_options(struct buf *out, enum def_lang lang, int status)
{
	static const char *const value[] = {
		"acknowledged", "in_progress", "closed"
	};
	size_t i;
	int r = GH_OK;

	for (i = 0; i < 3 && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "value", value[i], 0 },
			{ "selected", (int)i + 1 == status ||
			    (i == 0 && status == 0) ? " selected" : "", 1 },
			{ "label", page_desk_status(lang, (int)i + 1), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_option.html", v);
	}
	return r;
}

/* Options of the outcomes list, the first one empty. */
static int
outcome_options(struct buf *out, enum def_lang lang, const char *selected)
{
	return options(out, lang, DESK_CAT_OUTCOME, selected,
	    "desk.category.unset");
}

static int
render_forms(struct buf *out, const struct desk_page *p,
    const struct desk_item *it)
{
	static const struct desk_case none = { NULL, 0, NULL, 0, NULL, 0,
	    NULL, 0, -1, NULL, 0 };
	const struct desk_case *c = it->kase != NULL ? it->kase : &none;
	enum def_lang l = p->lang;
	struct buf so = { 0 }, mo = { 0 }, fo = { 0 }, go = { 0 }, uo = { 0 };
	struct buf oo = { 0 }, err = { 0 };
	struct tpl_var ev[] = {
		{ "id", "reply-files-error", 0 },
		{ "prefix", page_msg(l, "report.error_prefix"), 0 },
		{ "text", it->reply_error, 0 }, { NULL, NULL, 0 },
	};
	int r = GH_OK;

	if (it->reply_error != NULL)
		r = tpl_render(&err, "q_error.html", ev);
	if (r == GH_OK &&
	    (r = status_options(&so, l, it->status)) == GH_OK &&
	    (r = outcome_options(&oo, l, it->outcome)) == GH_OK &&
	    (r = page_desk_checks(&mo, l, DESK_CAT_MEASURE, "measure",
	    c->measures, c->n_measures)) == GH_OK &&
	    (r = page_desk_checks(&fo, l, DESK_CAT_FORM, "form", c->forms,
	    c->n_forms)) == GH_OK &&
	    (r = page_desk_checks(&go, l, DESK_CAT_GROUND, "ground",
	    c->grounds, c->n_grounds)) == GH_OK)
		r = options(&uo, l, DESK_CAT_UNIT, it->unit,
		    "desk.category.unset");
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "id", it->id, 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "reply_heading", page_msg(l, "desk.reply.heading"), 0 },
			{ "kind_label", page_msg(l, "desk.reply.kind"), 0 },
			{ "kind_text", page_msg(l, "desk.kind.text"), 0 },
			{ "kind_question", page_msg(l, "desk.kind.question"), 0 },
			{ "kind_consent", page_msg(l, "desk.kind.consent_ask"), 0 },
			{ "text_label", page_msg(l, "desk.reply.text"), 0 },
			{ "text_hint", page_msg(l, "desk.reply.hint"), 0 },
			{ "is_feedback", page_msg(l, "desk.reply.is_feedback"), 0 },
			{ "reply_submit", page_msg(l, "desk.reply.submit"), 0 },
			{ "reply_text", it->reply_text != NULL ?
			    it->reply_text : "", 0 },
			{ "reply_error", err.data, 1 },
			{ "error_ref", it->reply_error != NULL ?
			    " reply-files-error" : "", 0 },
			{ "files_label", page_msg(l, "desk.reply.files"), 0 },
			{ "files_hint", page_msg(l, "desk.reply.files_hint"),
			    0 },
			{ "status_heading", page_msg(l, "desk.status.heading"), 0 },
			{ "status_new", page_msg(l, "desk.status.new"), 0 },
			{ "status_options", so.data, 1 },
			{ "result_label", page_msg(l, "desk.status.result"), 0 },
			{ "result_options", oo.data, 1 },
			{ "measure_label", page_msg(l, "desk.status.measures"),
			    0 },
			{ "measure_options", mo.data, 1 },
			{ "outcome_label", page_msg(l, "desk.status.outcome"), 0 },
			{ "outcome_hint", page_msg(l, "desk.status.outcome_hint"),
			    0 },
			{ "status_submit", page_msg(l, "desk.status.submit"), 0 },
			{ "cat_heading", page_msg(l, "desk.category.heading"), 0 },
			{ "form_label", page_msg(l, "desk.category.form"), 0 },
			{ "form_options", fo.data, 1 },
			{ "ground_label", page_msg(l, "desk.category.ground"), 0 },
			{ "ground_options", go.data, 1 },
			{ "unit_label", page_msg(l, "desk.category.unit"), 0 },
			{ "unit_options", uo.data, 1 },
			{ "cat_submit", page_msg(l, "desk.category.submit"), 0 },
			{ "after_heading", page_msg(l, "desk.aftercare.heading"),
			    0 },
			{ "after_hint", page_msg(l, "desk.aftercare.hint"), 0 },
			{ "after_confirm", page_msg(l, "desk.aftercare.confirm"),
			    0 },
			{ "after_done1", page_msg(l, "desk.aftercare.done1"), 0 },
			{ "after_done3", page_msg(l, "desk.aftercare.done3"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_forms.html", v);
	}
	buf_free(&err);
	buf_free(&so);
	buf_free(&oo);
	buf_free(&mo);
	buf_free(&fo);
	buf_free(&go);
	buf_free(&uo);
	return r;
}

/* A list of ids as labels joined by ", " (or the first of the row). */
static void
cat_list(struct buf *out, enum def_lang l, enum desk_cat which,
    const char *const *ids, size_t n, const char *single)
{
	size_t i;

	if (n == 0 && single[0] != '\0') {
		buf_puts(out, page_desk_cat_label(l, which, single));
		return;
	}
	if (n == 0)
		buf_puts(out, page_msg(l, "desk.report.none"));
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(out, ", ");
		buf_puts(out, page_desk_cat_label(l, which, ids[i]));
	}
}

static int
render_cats(struct buf *out, enum def_lang l, const struct desk_item *it)
{
	static const char *const label[] = {
		"desk.category.form", "desk.category.ground",
		"desk.category.unit", "desk.report.measure",
		"desk.report.outcome",
	};
	static const struct desk_case none = { NULL, 0, NULL, 0, NULL, 0,
	    NULL, 0, -1, NULL, 0 };
	const struct desk_case *c = it->kase != NULL ? it->kase : &none;
	const char *single[] = { it->form, it->ground, it->unit, it->measure,
	    it->outcome };
	const char *const *ids[] = { c->forms, c->grounds, NULL, c->measures,
	    NULL };
	size_t n[] = { c->n_forms, c->n_grounds, 0, c->n_measures, 0 };
	struct buf val = { 0 };
	int i, r = GH_OK;

	for (i = 0; i < 5 && r == GH_OK; i++) {
		val.len = 0;
		cat_list(&val, l, (enum desk_cat)i, ids[i], n[i], single[i]);
		if (buf_is_failed(&val)) {
			r = GH_ERR_NOMEM;
			break;
		}
		{
			struct tpl_var v[] = {
				{ "label", page_msg(l, label[i]), 0 },
				{ "value", val.data, 0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(out, "desk_cat.html", v);
		}
	}
	buf_free(&val);
	return r;
}

/* The error summary of a refused file of the reply: a link to the file
 * field. */
static int
reply_summary(struct buf *out, enum def_lang l, const struct desk_item *it)
{
	return page_file_error_summary(out, "reply-files",
	    page_msg(l, "desk.reply.files"), it->reply_error,
	    page_msg(l, "report.error_heading"),
	    page_msg(l, "desk.reply.not_sent"));
}

int
page_desk_report(struct buf *out, const struct desk_page *p,
    const struct desk_item *it, const struct desk_msg *msgs, size_t n)
{
	struct buf nav = { 0 }, clock = { 0 }, cats = { 0 }, conv = { 0 };
	struct buf forms = { 0 }, title = { 0 }, body = { 0 }, kase = { 0 };
	/* Withdrawn (REPORT_WITHDRAWN), or destroyed by retention. */
	int is_tomb = it->status == 4 || it->is_expired;
	size_t i;
	int r;

	if (it->ref[0] != '\0')
		page_desk_msg_d(&title, p->lang, "desk.case.ref", "{ref}",
		    it->ref);
	else
		page_desk_msg_d(&title, p->lang, "desk.report.title", "{id}",
		    it->id);
	if ((r = page_desk_nav(&nav, p)) == GH_OK &&
	    (r = reply_summary(&nav, p->lang, it)) == GH_OK &&
	    (r = page_desk_clock(&clock, p->lang, it)) == GH_OK)
		r = render_cats(&cats, p->lang, it);
	if (is_tomb) {
		buf_puts(&conv, "<p>");
		buf_html(&conv, page_msg(p->lang, it->is_expired ?
		    "desk.report.expired" : "desk.report.withdrawn"));
		buf_puts(&conv, "</p>");
	}
	for (i = 0; i < n && r == GH_OK; i++)
		r = page_desk_msg(&conv, p->lang, &msgs[i]);
	if (r == GH_OK && !is_tomb && it->files_html != NULL)
		buf_puts(&conv, it->files_html);
	if (r == GH_OK && !is_tomb)
		r = render_forms(&forms, p, it);
	if (r == GH_OK && !is_tomb)
		r = page_desk_case(&kase, p, it);
	if (r == GH_OK && !is_tomb)
		r = page_review_send_link(&forms, p, it);
	if (r == GH_OK && !is_tomb && it->retain != NULL)
		r = page_desk_retain(&forms, p, it->id, it->retain);
	if (r == GH_OK && buf_is_failed(&title))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nav.data, 1 },
			{ "lang", page_lang_code(p->lang), 0 },
			{ "back", page_msg(p->lang, "desk.report.back"), 0 },
			{ "notice", NULL, 1 },
			{ "title", title.data, 0 },
			{ "status_label", page_msg(p->lang, "desk.status.label"),
			    0 },
			{ "status", page_desk_status(p->lang, it->status), 0 },
			{ "received_label", page_msg(p->lang,
			    "desk.inbox.received"), 0 },
			{ "received", it->received, 0 },
			{ "clock_heading", page_msg(p->lang, "desk.report.clock"),
			    0 },
			{ "clock", clock.data, 1 },
			{ "cat_heading", page_msg(p->lang,
			    "desk.report.categories"), 0 },
			{ "cats", cats.data, 1 },
			{ "conv_heading", page_msg(p->lang,
			    "desk.report.conversation"), 0 },
			{ "messages", conv.data, 1 },
			{ "forms", forms.data, 1 },
			{ "kase", kase.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "desk_report.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, p->lang, title.data, &body);
	buf_free(&nav);
	buf_free(&clock);
	buf_free(&cats);
	buf_free(&conv);
	buf_free(&forms);
	buf_free(&kase);
	buf_free(&title);
	buf_free(&body);
	return r;
}
