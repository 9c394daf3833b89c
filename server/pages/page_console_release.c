/*
 * page_console_release.c: the console's release pages
 * (console_release.h).
 *
 * Entry points: page_console_plan (the standard plan of a wave's
 * instrument as checkboxes, with k and c) and page_console_release (the
 * releases with their state and a publish button for a pending one, the
 * plan, upload and preview forms, the problems of an upload, and a
 * suppression pattern as one grid per table). Every value is escaped by
 * the templates; parts are rendered first and placed raw.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pages/console_release.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

/* A paragraph of the text of key. */
static int
para(struct buf *out, enum def_lang l, const char *key)
{
	struct tpl_var v[] = {
		{ "text", page_msg(l, key), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "console_p.html", v);
}

/* The error summary: problems, each a link to field (or plain). */
static int
errors(struct buf *out, enum def_lang l, const char *heading,
    const char *const *problems, size_t n, const char *field)
{
	struct buf items = { 0 };
	size_t i;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "text", problems[i], 0 },
			{ "target", field, 0 },
			{ NULL, NULL, 0 },
		};

		/* The first names the problem (a link to its field); the
		 * rest are lines of the check that failed. */
		r = tpl_render(&items, i > 0 ? "console_pre.html" :
		    field != NULL ? "console_error_link.html" :
		    "console_li.html", v);
	}
	if (r == GH_OK && n > 0) {
		struct tpl_var v[] = {
			{ "heading", page_msg(l, heading), 0 },
			{ "items", items.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_errors.html", v);
	}
	buf_free(&items);
	return r;
}

static int
plan_form(struct buf *out, const struct desk_page *p,
    const struct console_plan_view *pv, const char *wave)
{
	enum def_lang l = p->lang;
	struct buf rows = { 0 };
	char i_text[24];
	size_t i;
	int r = GH_OK;

	for (i = 0; i < pv->n && r == GH_OK; i++) {
		snprintf(i_text, sizeof(i_text), "%zu", i);
		{
			struct tpl_var v[] = {
				{ "i", i_text, 0 },
				{ "checked", pv->items[i].is_ticked ?
				    " checked" : "", 1 },
				{ "label", pv->items[i].label, 0 },
				{ "id", pv->items[i].id, 0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(&rows, "console_plan_row.html", v);
		}
	}
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "wave", wave, 0 },
			{ "invalid", pv->is_none_ticked ?
			    " aria-invalid=\"true\"" : "", 1 },
			{ "legend", page_msg(l, "console.plan.legend"), 0 },
			{ "rows", rows.data, 1 },
			{ "submit", page_msg(l, "console.plan.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_plan_form.html", v);
	}
	buf_free(&rows);
	return r;
}

int
page_console_plan(struct buf *out, const struct desk_page *p,
    const struct console_plan_view *pv)
{
	struct buf nv = { 0 }, err = { 0 }, form = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	const char *none = page_msg(l, "console.plan.none_ticked");
	char wave[24], k[16], c[16];
	int r;

	snprintf(wave, sizeof(wave), "%" PRId64, pv->wave);
	snprintf(k, sizeof(k), "%d", pv->k);
	snprintf(c, sizeof(c), "%d", pv->c);
	if ((r = page_console_nav(&nv, p)) == GH_OK && pv->is_none_ticked)
		r = errors(&err, l, "console.plan.problem", &none, 1,
		    "t0");
	if (r == GH_OK && pv->c > 0)
		r = plan_form(&form, p, pv, wave);
	else if (r == GH_OK)
		r = para(&form, l, "console.plan.no_plan");
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.plan.title"), 0 },
			{ "intro", page_msg(l, "console.plan.intro"), 0 },
			{ "errors", err.data, 1 },
			{ "wave_label", page_msg(l, "console.plan.wave"), 0 },
			{ "wave", pv->wave_name, 0 },
			{ "k_label", page_msg(l, "console.plan.k"), 0 },
			{ "k", k, 0 },
			{ "c_label", page_msg(l, "console.plan.c"), 0 },
			{ "c", pv->c > 0 ? c : "-", 0 },
			{ "form", form.data, 1 },
			{ "lang", page_lang_code(l), 0 },
			{ "back", page_msg(l, "console.plan.back"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&form) ? GH_ERR_NOMEM :
		    tpl_render(&body, "console_plan.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l, "console.plan.title"),
		    &body);
	buf_free(&nv);
	buf_free(&err);
	buf_free(&form);
	buf_free(&body);
	return r;
}

static int
release_rows(struct buf *out, const struct desk_page *p,
    const struct console_release_view *rv)
{
	enum def_lang l = p->lang;
	struct buf rows = { 0 }, action = { 0 }, state = { 0 };
	char id[24];
	size_t i;
	int r = GH_OK;

	for (i = 0; i < rv->n && r == GH_OK; i++) {
		const struct console_release_item *it = &rv->items[i];

		snprintf(id, sizeof(id), "%" PRId64, it->id);
		buf_free(&action);
		buf_free(&state);
		if (it->published[0] != '\0') {
			page_desk_msg_d(&state, l, "console.release.published",
			    "{d}", it->published);
		} else {
			struct buf label = { 0 };

			buf_puts(&state, page_msg(l, "console.release.pending"));
			page_desk_msg_d(&label, l, "console.release.publish",
			    "{id}", id);
			{
				struct tpl_var v[] = {
					{ "csrf", p->csrf, 0 },
					{ "lang", page_lang_code(l), 0 },
					{ "id", id, 0 },
					{ "label", label.data, 0 },
					{ NULL, NULL, 0 },
				};

				r = tpl_render(&action,
				    "console_release_publish.html", v);
			}
			buf_free(&label);
		}
		if (r == GH_OK) {
			struct tpl_var v[] = {
				{ "id", id, 0 },
				{ "wave", it->wave, 0 },
				{ "made", it->made, 0 },
				{ "state", state.data, 0 },
				{ "action", action.data, 1 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(&rows, "console_release_row.html", v);
		}
	}
	if (r == GH_OK && rv->n == 0)
		r = para(out, l, "console.release.none");
	else if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "caption", page_msg(l, "console.release.caption"), 0 },
			{ "id", page_msg(l, "console.release.id"), 0 },
			{ "wave", page_msg(l, "console.release.wave"), 0 },
			{ "made", page_msg(l, "console.release.made"), 0 },
			{ "state", page_msg(l, "console.release.state"), 0 },
			{ "action", page_msg(l, "console.release.action"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_release_table.html", v);
	}
	buf_free(&rows);
	buf_free(&action);
	buf_free(&state);
	return r;
}

/* One grid of a suppression pattern: groups by categories. */
static int
preview_table(struct buf *out, enum def_lang l, size_t n,
    const struct console_preview_table *t)
{
	struct buf heads = { 0 }, rows = { 0 }, cells = { 0 }, cap = { 0 };
	char num[24];
	size_t i, j;
	int r = GH_OK, is_s;

	for (j = 0; j < t->n_cols && r == GH_OK; j++) {
		struct tpl_var v[] = {
			{ "text", t->cols[j], 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&heads, "console_preview_head.html", v);
	}
	for (i = 0; i < t->n_rows && r == GH_OK; i++) {
		buf_free(&cells);
		for (j = 0; j < t->n_cols && r == GH_OK; j++) {
			is_s = t->is_suppressed[i * t->n_cols + j];
			{
				struct tpl_var v[] = {
					{ "class", is_s ? "suppressed" : "shown",
					    0 },
					{ "text", page_msg(l, is_s ?
					    "console.preview.suppressed" :
					    "console.preview.shown"), 0 },
					{ NULL, NULL, 0 },
				};

				r = tpl_render(&cells,
				    "console_preview_cell.html", v);
			}
		}
		if (r == GH_OK) {
			struct tpl_var v[] = {
				{ "group", t->rows[i], 0 },
				{ "cells", cells.data, 1 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(&rows, "console_preview_row.html", v);
		}
	}
	snprintf(num, sizeof(num), "%zu", n);
	page_desk_msg_d(&cap, l, "console.preview.caption", "{id}", t->id);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "n", num, 0 },
			{ "caption", cap.data, 0 },
			{ "group", page_msg(l, "console.preview.group"), 0 },
			{ "heads", heads.data, 1 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&cap) ? GH_ERR_NOMEM :
		    tpl_render(out, "console_preview_table.html", v);
	}
	buf_free(&heads);
	buf_free(&rows);
	buf_free(&cells);
	buf_free(&cap);
	return r;
}

static int
preview(struct buf *out, enum def_lang l,
    const struct console_release_view *rv)
{
	struct buf tables = { 0 }, heading = { 0 };
	size_t i;
	int r = GH_OK;

	if (rv->preview_wave == NULL)
		return GH_OK;
	for (i = 0; i < rv->n_tables && r == GH_OK; i++)
		r = preview_table(&tables, l, i, &rv->tables[i]);
	page_desk_msg_d(&heading, l, "console.preview.heading", "{wave}",
	    rv->preview_wave);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "heading", heading.data, 0 },
			{ "intro", page_msg(l, "console.preview.intro"), 0 },
			{ "tables", tables.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&heading) ? GH_ERR_NOMEM :
		    tpl_render(out, "console_preview.html", v);
	}
	buf_free(&tables);
	buf_free(&heading);
	return r;
}

static int
wave_options(struct buf *out, const struct console_release_view *rv)
{
	char id[24];
	size_t i;
	int r = GH_OK;

	for (i = 0; i < rv->n_waves && r == GH_OK; i++) {
		snprintf(id, sizeof(id), "%" PRId64, rv->waves[i].id);
		{
			struct tpl_var v[] = {
				{ "value", id, 0 },
				{ "label", rv->waves[i].name, 0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(out, "console_option.html", v);
		}
	}
	return r;
}

int
page_console_release(struct buf *out, const struct desk_page *p,
    const struct console_release_view *rv)
{
	struct buf nv = { 0 }, err = { 0 }, table = { 0 }, body = { 0 },
	    opts = { 0 }, pv = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = page_console_nav(&nv, p)) == GH_OK)
		r = errors(&err, l, "console.release.problem", rv->problems,
		    rv->n_problems, rv->problem_field);
	if (r == GH_OK)
		r = release_rows(&table, p, rv);
	if (r == GH_OK)
		r = wave_options(&opts, rv);
	if (r == GH_OK)
		r = preview(&pv, l, rv);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.release.title"), 0 },
			{ "intro", page_msg(l, "console.release.intro"), 0 },
			{ "errors", err.data, 1 },
			{ "preview", pv.data, 1 },
			{ "plan_heading", page_msg(l, "console.plan.heading"),
			    0 },
			{ "plan_intro", page_msg(l, "console.plan.lead"), 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "csrf", p->csrf, 0 },
			{ "wave_label", page_msg(l, "console.release.wave"), 0 },
			{ "options", opts.data, 1 },
			{ "plan_submit", page_msg(l, "console.plan.show"), 0 },
			{ "list_heading", page_msg(l, "console.release.list"),
			    0 },
			{ "table", table.data, 1 },
			{ "upload_heading", page_msg(l,
			    "console.release.upload"), 0 },
			{ "upload_intro", page_msg(l,
			    "console.release.upload_intro"), 0 },
			{ "files_label", page_msg(l, "console.release.files"),
			    0 },
			{ "files_hint", page_msg(l,
			    "console.release.files_hint"), 0 },
			{ "upload_submit", page_msg(l,
			    "console.release.upload_submit"), 0 },
			{ "preview_heading", page_msg(l,
			    "console.preview.form"), 0 },
			{ "preview_intro", page_msg(l,
			    "console.preview.form_intro"), 0 },
			{ "pattern_label", page_msg(l, "console.preview.file"),
			    0 },
			{ "pattern_hint", page_msg(l,
			    "console.preview.file_hint"), 0 },
			{ "preview_submit", page_msg(l,
			    "console.preview.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&table) || buf_is_failed(&opts) ?
		    GH_ERR_NOMEM : tpl_render(&body, "console_release.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l,
		    page_msg(l, "console.release.title"), &body);
	buf_free(&nv);
	buf_free(&err);
	buf_free(&table);
	buf_free(&opts);
	buf_free(&pv);
	buf_free(&body);
	return r;
}
