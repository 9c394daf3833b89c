/*
 * page_desk_case.c: the desk's casework on its pages (see desk.h): the
 * checkbox lists of forms, grounds and measures, the assignment and the
 * internal notes of a case page, and the inbox's search and filter
 * forms (GET forms: they work without JavaScript and their state is the
 * address).
 *
 * Entry points: page_desk_text, page_desk_msg (one message of a
 * conversation, for the desk's and a reviewer's case pages),
 * page_desk_checks, page_desk_case, page_desk_filters (page_desk_check.c
 * renders them at start-up). Notes are desk-only: no reporter page calls
 * this file. Every value is escaped by the template renderer; a
 * message's or note's text by page_desk_text.
 */
#include <stdio.h>
#include <string.h>

#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

/* Character by character: message and note texts are the only
 * multi-line values. */
void
page_desk_text(struct buf *out, const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (text[i]) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		case '\r': break;
		case '\n': buf_puts(out, "<br>\n"); break;
		default: buf_add(out, &text[i], 1); break;
		}
	}
}

static const char *const kind_key[] = {
	"desk.kind.text", "desk.kind.question", "desk.kind.consent_ask",
	"desk.kind.consent_yes", "desk.kind.consent_no",
	"desk.kind.second_opinion", "desk.kind.note", "desk.kind.opinion",
};
#define N_KINDS (sizeof(kind_key) / sizeof(kind_key[0]))

int
page_desk_msg(struct buf *out, enum def_lang lang, const struct desk_msg *m)
{
	struct buf text = { 0 };
	char seq[24];
	int r;

	snprintf(seq, sizeof(seq), "%lld", (long long)m->seq);
	if (m->text != NULL)
		page_desk_text(&text, m->text, m->text_len);
	else
		buf_html(&text, page_msg(lang, "desk.report.unreadable"));
	{
		struct tpl_var v[] = {
			{ "seq", seq, 0 },
			{ "author_class", m->is_by_desk ? "desk" : "reporter", 0 },
			{ "author", page_msg(lang, m->is_by_desk ?
			    "desk.report.by_desk" : "desk.report.by_reporter"), 0 },
			{ "kind", m->kind >= 0 && (size_t)m->kind < N_KINDS ?
			    page_msg(lang, kind_key[m->kind]) : "?", 0 },
			{ "day", m->day, 0 },
			{ "text", text.data ? text.data : "", 1 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&text) ? GH_ERR_NOMEM :
		    tpl_render(out, "desk_msg.html", v);
	}
	/* It held a report's text: wipe before freeing. */
	buf_free(&text);
	return r;
}

int
page_desk_checks(struct buf *out, enum def_lang lang, enum desk_cat which,
    const char *name, const char *const *on, size_t n)
{
	const char *const *id;
	char fid[DESK_CAT_MAX + 24];
	size_t i;
	int r = GH_OK, is_on;

	for (id = page_desk_cat_ids(which); *id != NULL && r == GH_OK; id++) {
		is_on = 0;
		for (i = 0; i < n; i++)
			is_on |= strcmp(on[i], *id) == 0;
		snprintf(fid, sizeof(fid), "%s-%s", name, *id);
		{
			struct tpl_var v[] = {
				{ "fid", fid, 0 },
				{ "name", name, 0 },
				{ "value", *id, 0 },
				{ "checked", is_on ? " checked" : "", 1 },
				{ "label", page_desk_cat_label(lang, which, *id),
				    0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(out, "desk_check.html", v);
		}
	}
	return r;
}

/* Appends one <option>. */
static int
option(struct buf *out, const char *value, const char *label,
    int is_selected)
{
	struct tpl_var v[] = {
		{ "value", value, 0 },
		{ "selected", is_selected ? " selected" : "", 1 },
		{ "label", label, 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "desk_option.html", v);
}

/* Appends desk.assign.disabled in l with name for its "{name}". */
static void
disabled_label(struct buf *b, enum def_lang l, const char *name)
{
	const char *s = page_msg(l, "desk.assign.disabled"),
	    *at = strstr(s, "{name}");

	if (at == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_add(b, s, (size_t)(at - s));
	buf_puts(b, name);
	buf_puts(b, at + strlen("{name}"));
}

/*
 * The assignment's options: nobody and the enabled desk users, and a
 * disabled user only if the case is theirs, marked so (else the select
 * would show "nobody" for a case someone holds).
 */
static int
user_options(struct buf *out, enum def_lang l, const struct desk_case *c)
{
	struct buf label = { 0 };
	char num[24];
	size_t i;
	int r;

	r = option(out, "", page_msg(l, "desk.case.nobody"),
	    c->assigned_to < 0);
	for (i = 0; i < c->n_users && r == GH_OK; i++) {
		const struct desk_user *u = &c->users[i];

		if (u->is_disabled && u->id != c->assigned_to)
			continue;
		snprintf(num, sizeof(num), "%lld", (long long)u->id);
		buf_free(&label);
		if (u->is_disabled)
			disabled_label(&label, l, u->name);
		else
			buf_puts(&label, u->name);
		if (buf_is_failed(&label))
			r = GH_ERR_NOMEM;
		else
			r = option(out, num, label.data, u->id ==
			    c->assigned_to);
	}
	buf_free(&label);
	return r;
}

static int
notes(struct buf *out, enum def_lang l, const struct desk_case *c)
{
	struct buf text = { 0 };
	size_t i;
	int r = GH_OK;

	if (c->n_notes == 0) {
		buf_puts(out, "<li>");
		buf_html(out, page_msg(l, "desk.note.none"));
		buf_puts(out, "</li>");
	}
	for (i = 0; i < c->n_notes && r == GH_OK; i++) {
		const struct desk_note *n = &c->notes[i];

		text.len = 0;
		if (n->text != NULL)
			page_desk_text(&text, n->text, n->text_len);
		else
			buf_html(&text, page_msg(l, "desk.report.unreadable"));
		{
			struct tpl_var v[] = {
				{ "day", n->day, 0 },
				{ "author", n->author, 0 },
				{ "text", text.data ? text.data : "", 1 },
				{ NULL, NULL, 0 },
			};

			r = buf_is_failed(&text) ? GH_ERR_NOMEM :
			    tpl_render(out, "desk_note.html", v);
		}
	}
	/* It held a note's text: wipe before freeing. */
	buf_free(&text);
	return r;
}

int
page_desk_case(struct buf *out, const struct desk_page *p,
    const struct desk_item *it)
{
	enum def_lang l = p->lang;
	struct buf uo = { 0 }, no = { 0 };
	int r;

	if (it->kase == NULL)
		return GH_OK;
	if ((r = user_options(&uo, l, it->kase)) == GH_OK)
		r = notes(&no, l, it->kase);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "id", it->id, 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "assign_heading", page_msg(l, "desk.assign.heading"),
			    0 },
			{ "assign_label", page_msg(l, "desk.assign.label"), 0 },
			{ "user_options", uo.data, 1 },
			{ "assign_submit", page_msg(l, "desk.assign.submit"), 0 },
			{ "notes_heading", page_msg(l, "desk.note.heading"), 0 },
			{ "notes_hint", page_msg(l, "desk.note.hint"), 0 },
			{ "notes", no.data, 1 },
			{ "note_label", page_msg(l, "desk.note.label"), 0 },
			{ "note_submit", page_msg(l, "desk.note.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_case.html", v);
	}
	buf_free(&uo);
	buf_free(&no);
	return r;
}

/* Options of a fixed list: values[i] labelled by keys[i]. */
static int
fixed_options(struct buf *out, enum def_lang l, const char *const *values,
    const char *const *keys, size_t n, const char *cur)
{
	size_t i;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i++)
		r = option(out, values[i], page_msg(l, keys[i]),
		    strcmp(values[i], cur != NULL ? cur : "") == 0);
	return r;
}

static int
cat_options(struct buf *out, enum def_lang l, enum desk_cat which,
    const char *cur)
{
	const char *const *id;
	int r;

	r = option(out, "", page_msg(l, "desk.filter.any"),
	    cur == NULL || cur[0] == '\0');
	for (id = page_desk_cat_ids(which); *id != NULL && r == GH_OK; id++)
		r = option(out, *id, page_desk_cat_label(l, which, *id),
		    cur != NULL && strcmp(cur, *id) == 0);
	return r;
}

int
page_desk_filters(struct buf *out, const struct desk_page *p)
{
	static const char *const st_v[] = { "", "open", "received",
	    "acknowledged", "in_progress", "closed", "second_opinion",
	    "withdrawn" };
	static const char *const st_k[] = { "desk.filter.any",
	    "desk.filter.open", "desk.status.received",
	    "desk.status.acknowledged", "desk.status.in_progress",
	    "desk.status.closed", "desk.status.second_opinion",
	    "desk.status.withdrawn" };
	static const char *const due_v[] = { "", "overdue", "week" };
	static const char *const due_k[] = { "desk.filter.any",
	    "desk.filter.overdue", "desk.filter.week" };
	static const char *const who_v[] = { "", "me", "nobody" };
	static const char *const who_k[] = { "desk.filter.any",
	    "desk.filter.me", "desk.filter.nobody" };
	static const struct desk_filter none = { 0 };
	const struct desk_filter *f = p->filter != NULL ? p->filter : &none;
	enum def_lang l = p->lang;
	struct buf so = { 0 }, fo = { 0 }, go = { 0 }, dueo = { 0 };
	struct buf who = { 0 };
	int r;

	if ((r = fixed_options(&so, l, st_v, st_k, 8, f->status)) == GH_OK &&
	    (r = cat_options(&fo, l, DESK_CAT_FORM, f->form)) == GH_OK &&
	    (r = cat_options(&go, l, DESK_CAT_GROUND, f->ground)) == GH_OK &&
	    (r = fixed_options(&dueo, l, due_v, due_k, 3, f->due)) == GH_OK)
		r = fixed_options(&who, l, who_v, who_k, 3, f->assigned);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "lang", page_lang_code(l), 0 },
			{ "find_label", page_msg(l, "desk.find.label"), 0 },
			{ "find_hint", page_msg(l, "desk.find.hint"), 0 },
			{ "ref", f->ref != NULL ? f->ref : "", 0 },
			{ "find_submit", page_msg(l, "desk.find.submit"), 0 },
			{ "filter_heading", page_msg(l, "desk.filter.heading"),
			    0 },
			{ "status_label", page_msg(l, "desk.filter.status"), 0 },
			{ "status_options", so.data, 1 },
			{ "form_label", page_msg(l, "desk.category.form"), 0 },
			{ "form_options", fo.data, 1 },
			{ "ground_label", page_msg(l, "desk.category.ground"),
			    0 },
			{ "ground_options", go.data, 1 },
			{ "due_label", page_msg(l, "desk.filter.due"), 0 },
			{ "due_options", dueo.data, 1 },
			{ "assigned_label", page_msg(l, "desk.filter.assigned"),
			    0 },
			{ "assigned_options", who.data, 1 },
			{ "filter_submit", page_msg(l, "desk.filter.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_filters.html", v);
	}
	buf_free(&so);
	buf_free(&fo);
	buf_free(&go);
	buf_free(&dueo);
	buf_free(&who);
	return r;
}
