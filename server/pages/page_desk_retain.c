/*
 * page_desk_retain.c: the desk's view of retention (desk.h): the report
 * page's section with the last day a report is kept and the form that
 * extends it for a reason from a fixed list, and the page of reports
 * whose retention ends soon.
 *
 * Entry points: page_desk_retain, page_desk_retention. The route
 * computes the days (report/report_expire.h); this file renders them
 * from web/desk_retain*.html, escaping every value.
 */
#include <stdio.h>
#include <string.h>

#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

/* The text of b, "" when empty (a reused buffer keeps old bytes). */
static const char *
buf_str(const struct buf *b)
{
	return b->len > 0 ? b->data : "";
}

/* The label of reason id ("desk.retain.reason.ID"). */
static const char *
reason_label(enum def_lang l, const char *id)
{
	char key[96];

	snprintf(key, sizeof(key), "desk.retain.reason.%s", id);
	return page_msg(l, key);
}

/* Appends before + the reason's label + after, if there is a reason. */
static void
reason_text(struct buf *out, enum def_lang l, const char *reason,
    const char *before, const char *after)
{
	if (reason[0] == '\0')
		return;
	buf_puts(out, before);
	page_desk_msg_d(out, l, "desk.retain.extended", "{reason}",
	    reason_label(l, reason));
	buf_puts(out, after);
}

static int
reason_options(struct buf *out, enum def_lang l, const char *const *ids)
{
	int r = GH_OK;

	for (; *ids != NULL && r == GH_OK; ids++) {
		struct tpl_var v[] = {
			{ "value", *ids, 0 },
			{ "selected", "", 1 },
			{ "label", reason_label(l, *ids), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_option.html", v);
	}
	return r;
}

int
page_desk_retain(struct buf *out, const struct desk_page *p, const char *id,
    const struct desk_retain *rt)
{
	struct buf until = { 0 }, reason = { 0 }, opts = { 0 };
	int r;

	if (rt->until[0] == '\0')
		buf_puts(&until, page_msg(p->lang, "desk.retain.open"));
	else
		page_desk_msg_d(&until, p->lang, "desk.retain.until", "{d}",
		    rt->until);
	reason_text(&reason, p->lang, rt->reason, "<p>", "</p>");
	r = reason_options(&opts, p->lang, rt->reasons);
	if (r == GH_OK && (buf_is_failed(&until) || buf_is_failed(&reason) ||
	    buf_is_failed(&opts)))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "heading", page_msg(p->lang, "desk.retain.heading"), 0 },
			{ "until", until.data, 0 },
			{ "reason", reason.data, 1 },
			{ "id", id, 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(p->lang), 0 },
			{ "reason_label", page_msg(p->lang, "desk.retain.reason"),
			    0 },
			{ "hint", page_msg(p->lang, "desk.retain.hint"), 0 },
			{ "choose", page_msg(p->lang, "desk.retain.choose"), 0 },
			{ "options", opts.data, 1 },
			{ "submit", page_msg(p->lang, "desk.retain.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_retain.html", v);
	}
	buf_free(&until);
	buf_free(&reason);
	buf_free(&opts);
	return r;
}

static int
retention_rows(struct buf *out, const struct desk_page *p,
    const struct desk_retain_item *v, size_t n)
{
	struct buf until = { 0 }, reason = { 0 }, head = { 0 };
	size_t i;
	int r = GH_OK;

	if (n == 0) {
		buf_puts(out, "<p>");
		buf_html(out, page_msg(p->lang, "desk.retention.none"));
		buf_puts(out, "</p>");
		return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
	}
	buf_puts(out, "<ul class=\"desk-retention\">");
	for (i = 0; i < n && r == GH_OK; i++) {
		until.len = reason.len = head.len = 0;
		page_desk_msg_d(&until, p->lang, "desk.retain.until", "{d}",
		    v[i].until);
		reason_text(&reason, p->lang, v[i].reason, " (", ")");
		if (v[i].ref[0] != '\0')
			page_desk_msg_d(&head, p->lang, "desk.case.ref", "{ref}",
			    v[i].ref);
		else
			buf_puts(&head, v[i].id);
		if (buf_is_failed(&until) || buf_is_failed(&reason) ||
		    buf_is_failed(&head)) {
			r = GH_ERR_NOMEM;
			break;
		}
		{
			struct tpl_var tv[] = {
				{ "id", v[i].id, 0 },
				{ "lang", page_lang_code(p->lang), 0 },
				{ "heading", buf_str(&head), 0 },
				{ "until", buf_str(&until), 0 },
				{ "reason", buf_str(&reason), 1 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(out, "desk_retention_row.html", tv);
		}
	}
	buf_puts(out, "</ul>");
	buf_free(&until);
	buf_free(&reason);
	buf_free(&head);
	return r == GH_OK && buf_is_failed(out) ? GH_ERR_NOMEM : r;
}

int
page_desk_retention(struct buf *out, const struct desk_page *p,
    const struct desk_retain_item *v, size_t n, int days)
{
	struct buf nav = { 0 }, list = { 0 }, intro = { 0 }, body = { 0 };
	char d[16];
	int r;

	snprintf(d, sizeof(d), "%d", days);
	page_desk_msg_d(&intro, p->lang, "desk.retention.intro", "{n}", d);
	if ((r = page_desk_nav(&nav, p)) == GH_OK)
		r = retention_rows(&list, p, v, n);
	if (r == GH_OK && buf_is_failed(&intro))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		struct tpl_var tv[] = {
			{ "nav", nav.data, 1 },
			{ "title", page_msg(p->lang, "desk.retention.title"), 0 },
			{ "intro", intro.data, 0 },
			{ "list", list.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "desk_retention.html", tv);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, p->lang,
		    page_msg(p->lang, "desk.retention.title"), &body);
	buf_free(&nav);
	buf_free(&list);
	buf_free(&intro);
	buf_free(&body);
	return r;
}
