/*
 * page_report_conv.c: the conversation page of a reporter logged in with
 * their receipt: status and its dates, every message (the desk's replies,
 * questions and proposed steps, the reporter's own), the forms to answer
 * a question or a proposal, and the forms to add information, ask for a
 * second opinion, replace the receipt or withdraw (report.h). The desk's
 * messages since the reporter's last visit are marked "new" in words,
 * with their count at the top.
 *
 * Entry point: page_report_conv. Every form carries the receipt in a
 * hidden field (page_report_hidden, page_report_common.c): reporters
 * have no cookie.
 */
#include <stdio.h>
#include <string.h>

#include "pages/attach_list.h"
#include "pages/page_int.h"
#include "pages/report.h"
#include "pages/tpl.h"

static int
render_msg_form(struct buf *out, const struct report_conv_view *v,
    const struct report_entry *e, const char *hidden)
{
	char seq[24], max[16];
	enum def_lang lang = v->lang;
	struct tpl_var answer[] = {
		{ "hidden", hidden, 1 }, { "seq", seq, 0 }, { "max", max, 0 },
		{ "label", page_report_msg(lang, "answer_label"), 0 },
		{ "submit", page_report_msg(lang, "answer_submit"), 0 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var consent[] = {
		{ "hidden", hidden, 1 }, { "seq", seq, 0 }, { "max", max, 0 },
		{ "label", page_report_msg(lang, "consent_label"), 0 },
		{ "yes", page_report_msg(lang, "consent_yes"), 0 },
		{ "no", page_report_msg(lang, "consent_no"), 0 },
		{ NULL, NULL, 0 },
	};

	snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
	snprintf(max, sizeof(max), "%d", REPORT_ANSWER_MAX);
	if (e->kind == 1)	/* REPORT_MSG_QUESTION */
		return tpl_render(out, "report_msg_answer.html", answer);
	return tpl_render(out, "report_msg_consent.html", consent);
}

static int
render_messages(struct buf *out, const struct report_conv_view *v,
    const char *hidden)
{
	struct buf form = { 0 };
	char by[16], kind[16];
	size_t i;
	int r = GH_OK;
	struct tpl_var vars[] = {
		{ "by_class", NULL, 0 }, { "by", NULL, 0 }, { "kind", NULL, 0 },
		{ "when", NULL, 0 }, { "text", NULL, 0 }, { "form", NULL, 1 },
		{ "new_mark", NULL, 1 }, { NULL, NULL, 0 },
	};
	struct buf mark = { 0 };
	struct tpl_var mv[] = {
		{ "text", page_report_msg(v->lang, "new_mark"), 0 },
		{ NULL, NULL, 0 },
	};

	if ((r = tpl_render(&mark, "report_msg_new.html", mv)) != GH_OK)
		return r;

	for (i = 0; i < v->n && r == GH_OK; i++) {
		const struct report_entry *e = &v->entries[i];

		buf_free(&form);
		if (e->is_open && e->text != NULL &&
		    (r = render_msg_form(&form, v, e, hidden)) != GH_OK)
			break;
		snprintf(by, sizeof(by), "by.%d", e->author == 1 ? 1 : 0);
		snprintf(kind, sizeof(kind), "kind.%d",
		    e->kind >= 0 && e->kind <= 7 ? e->kind : 0);
		vars[0].value = e->author == 1 ? "desk" : "reporter";
		vars[1].value = page_report_msg(v->lang, by);
		vars[2].value = page_report_msg(v->lang, kind);
		vars[3].value = e->when;
		vars[4].value = e->text != NULL ? e->text :
		    page_report_msg(v->lang, "unreadable");
		vars[5].value = form.data;
		vars[6].value = e->is_new ? mark.data : "";
		r = tpl_render(out, "report_msg.html", vars);
	}
	buf_free(&form);
	buf_free(&mark);
	return r;
}

static int
render_days(struct buf *out, const struct report_conv_view *v)
{
	struct tpl_var vars[] = {
		{ "label", NULL, 0 }, { "day", NULL, 0 }, { NULL, NULL, 0 },
	};
	int r = GH_OK;

	if (v->ack_day != NULL) {
		vars[0].value = page_report_msg(v->lang, "ack_on");
		vars[1].value = v->ack_day;
		r = tpl_render(out, "report_day.html", vars);
	}
	if (r == GH_OK && v->closed_day != NULL) {
		vars[0].value = page_report_msg(v->lang, "closed_on");
		vars[1].value = v->closed_day;
		r = tpl_render(out, "report_day.html", vars);
	}
	return r;
}

static int
render_actions(struct buf *out, const struct report_conv_view *v,
    const char *hidden)
{
	static const char *const keys[] = {
		"add_heading", "add_label", "add_submit", "add_files_label",
		"files_hint", "second_heading",
		"second_text", "second_label", "second_submit", "rekey_heading",
		"rekey_text", "rekey_submit", "withdraw_heading",
		"withdraw_text", "withdraw_submit", NULL
	};
	struct tpl_var vars[24], ev[] = {
		{ "id", "add-files-error", 0 },
		{ "prefix", page_report_msg(v->lang, "error_prefix"), 0 },
		{ "text", v->file_error, 0 }, { NULL, NULL, 0 },
	};
	struct buf err = { 0 }, files = { 0 };
	char max[16];
	size_t n;
	int r;

	if ((v->file_error != NULL &&
	    (r = tpl_render(&err, "q_error.html", ev)) != GH_OK) ||
	    (r = page_report_files_list(&files, v->lang, "add-files")) !=
	    GH_OK)
		goto out;
	for (n = 0; keys[n] != NULL; n++)
		vars[n] = (struct tpl_var){ keys[n],
		    page_report_msg(v->lang, keys[n]), 0 };
	snprintf(max, sizeof(max), "%d", REPORT_ANSWER_MAX);
	vars[n++] = (struct tpl_var){ "closed_note", v->status == 3 ?
	    page_report_msg(v->lang, "closed_note") : "", 0 };
	vars[n++] = (struct tpl_var){ "hidden", hidden, 1 };
	vars[n++] = (struct tpl_var){ "max", max, 0 };
	vars[n++] = (struct tpl_var){ "files_list", files.data, 1 };
	vars[n++] = (struct tpl_var){ "text_kept", v->text_kept != NULL ?
	    v->text_kept : "", 0 };
	vars[n++] = (struct tpl_var){ "file_error", err.data, 1 };
	vars[n++] = (struct tpl_var){ "error_ref", v->file_error != NULL ?
	    " add-files-error" : "", 0 };
	vars[n] = (struct tpl_var){ NULL, NULL, 0 };
	r = tpl_render(out, "report_actions.html", vars);
out:
	buf_free(&err);
	buf_free(&files);
	return r;
}

/* The error summary of a refused file: one link to the file field. */
static int
render_summary(struct buf *out, const struct report_conv_view *v)
{
	return page_file_error_summary(out, "add-files",
	    page_report_msg(v->lang, "add_files_label"), v->file_error,
	    page_report_msg(v->lang, "error_heading"),
	    page_report_msg(v->lang, "conv_not_added"));
}

/* "No new messages", "1 new message" or "N new messages" since the last
 * visit, in words: the marks are text, not only colour. */
static int
render_new_count(struct buf *out, const struct report_conv_view *v)
{
	struct buf text = { 0 };
	struct tpl_var vars[] = {
		{ "text", NULL, 0 }, { NULL, NULL, 0 },
	};
	int r;

	if (v->n_new == 0)
		buf_puts(&text, page_report_msg(v->lang, "new_none"));
	else if (v->n_new == 1)
		buf_puts(&text, page_report_msg(v->lang, "new_one"));
	else
		page_msg_n(&text, v->lang, "report.new_many", v->n_new);
	vars[0].value = text.data;
	r = buf_is_failed(&text) ? GH_ERR_NOMEM :
	    tpl_render(out, "report_new_count.html", vars);
	buf_free(&text);
	return r;
}

int
page_report_conv(struct buf *out, const struct report_conv_view *v)
{
	static const char *const keys[] = {
		"conv_title", "status_label", "status_since", "received_on",
		"no_reply_note", "messages_heading", NULL
	};
	struct buf hidden = { 0 }, msgs = { 0 }, days = { 0 }, acts = { 0 };
	struct buf notice = { 0 }, body = { 0 }, count = { 0 }, sum = { 0 };
	struct tpl_var vars[20], nv[] = {
		{ "text", NULL, 0 }, { NULL, NULL, 0 },
	};
	char status[16], nkey[64];
	size_t n;
	int r;

	if ((r = page_report_hidden(&hidden, v->lang, v->code)) != GH_OK ||
	    (r = render_messages(&msgs, v, hidden.data)) != GH_OK ||
	    (r = render_days(&days, v)) != GH_OK ||
	    (r = render_actions(&acts, v, hidden.data)) != GH_OK)
		goto out;
	if (v->notice != NULL) {
		snprintf(nkey, sizeof(nkey), "notice.%s", v->notice);
		nv[0].value = page_report_msg(v->lang, nkey);
		if ((r = tpl_render(&notice, "report_notice.html", nv)) !=
		    GH_OK)
			goto out;
	}
	if ((r = render_new_count(&count, v)) != GH_OK ||
	    (r = render_summary(&sum, v)) != GH_OK)
		goto out;
	for (n = 0; keys[n] != NULL; n++)
		vars[n] = (struct tpl_var){ keys[n],
		    page_report_msg(v->lang, keys[n]), 0 };
	snprintf(status, sizeof(status), "status.%d",
	    v->status >= 0 && v->status <= 5 ? v->status : 0);
	vars[n++] = (struct tpl_var){ "status", page_report_msg(v->lang, status),
	    0 };
	vars[n++] = (struct tpl_var){ "status_day", v->status_day, 0 };
	vars[n++] = (struct tpl_var){ "received_day", v->received_day, 0 };
	vars[n++] = (struct tpl_var){ "notice", notice.data, 1 };
	vars[n++] = (struct tpl_var){ "new_count", count.data, 1 };
	vars[n++] = (struct tpl_var){ "more_days", days.data, 1 };
	vars[n++] = (struct tpl_var){ "messages", msgs.data, 1 };
	vars[n++] = (struct tpl_var){ "files", v->files_html, 1 };
	vars[n++] = (struct tpl_var){ "actions", acts.data, 1 };
	vars[n++] = (struct tpl_var){ "summary", sum.data, 1 };
	vars[n] = (struct tpl_var){ NULL, NULL, 0 };
	if ((r = tpl_render(&body, "report_conv.html", vars)) == GH_OK)
		r = page_layout(out, v->lang, page_report_msg(v->lang,
		    "conv_title"), body.data);
out:
	buf_free(&hidden);
	buf_free(&msgs);
	buf_free(&days);
	buf_free(&acts);
	buf_free(&notice);
	buf_free(&body);
	buf_free(&count);
	buf_free(&sum);
	return r;
}
