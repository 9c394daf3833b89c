/*
 * page_console.c: the pages of the coordinator's console (console.h).
 *
 * Entry points: page_console_waves, page_console_audit. Both open with
 * the console's own navigation (waves, audit log, language, logging
 * out) and the notice of the action just done, if any; a table follows,
 * or a sentence when there is nothing to list. Every value is escaped by
 * the templates; the rows are rendered first and placed raw.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages/console.h"
#include "pages/console_test.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

/* "<p>text</p>" for an empty list. */
static void
none(struct buf *out, enum def_lang l, const char *key)
{
	buf_puts(out, "<p>");
	buf_html(out, page_msg(l, key));
	buf_puts(out, "</p>");
}

/* "opens D; closes D", either part, or "none". */
static void
scheduled(struct buf *b, enum def_lang l, const struct console_wave *w)
{
	if (w->opens[0] != '\0')
		page_desk_msg_d(b, l, "console.schedule.opens", "{d}", w->opens);
	if (w->opens[0] != '\0' && w->closes[0] != '\0')
		buf_puts(b, "; ");
	if (w->closes[0] != '\0')
		page_desk_msg_d(b, l, "console.schedule.closes", "{d}",
		    w->closes);
	if (w->opens[0] == '\0' && w->closes[0] == '\0')
		buf_puts(b, page_msg(l, "console.schedule.none"));
}

static int
wave_row(struct buf *out, const struct desk_page *p,
    const struct console_wave *w)
{
	enum def_lang l = p->lang;
	char id[24], k[16], issued[24], answers[24];
	struct buf button = { 0 }, sched = { 0 };
	int r;

	snprintf(id, sizeof(id), "%" PRId64, w->id);
	snprintf(k, sizeof(k), "%d", w->k);
	snprintf(issued, sizeof(issued), "%" PRId64, w->issued);
	snprintf(answers, sizeof(answers), "%" PRId64, w->answers);
	scheduled(&sched, l, w);
	page_desk_msg_d(&button, l, w->is_open ? "console.wave.close" :
	    "console.wave.open", "{name}", w->name);
	{
		struct tpl_var v[] = {
			{ "name", w->name, 0 },
			{ "id", id, 0 },
			{ "k", k, 0 },
			{ "state", page_msg(l, w->is_open ?
			    "console.wave.is_open" : "console.wave.is_closed"),
			    0 },
			{ "issued", issued, 0 },
			{ "answers", answers, 0 },
			{ "scheduled", sched.data, 0 },
			{ "verb", w->is_open ? "close" : "open", 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "button", button.data, 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&button) || buf_is_failed(&sched) ?
		    GH_ERR_NOMEM : tpl_render(out, "console_wave_row.html", v);
	}
	buf_free(&button);
	buf_free(&sched);
	return r;
}

static int
waves_table(struct buf *out, const struct desk_page *p,
    const struct console_wave *w, size_t n)
{
	enum def_lang l = p->lang;
	struct buf rows = { 0 };
	size_t i;
	int r = GH_OK;

	if (n == 0) {
		none(out, l, "console.waves.none");
		return GH_OK;
	}
	for (i = 0; i < n && r == GH_OK; i++)
		r = wave_row(&rows, p, &w[i]);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "caption", page_msg(l, "console.waves.caption"), 0 },
			{ "name", page_msg(l, "console.waves.name"), 0 },
			{ "id", page_msg(l, "console.waves.id"), 0 },
			{ "k", page_msg(l, "console.waves.k"), 0 },
			{ "state", page_msg(l, "console.waves.state"), 0 },
			{ "issued", page_msg(l, "console.waves.issued"), 0 },
			{ "answers", page_msg(l, "console.waves.answers"), 0 },
			{ "scheduled", page_msg(l, "console.waves.scheduled"), 0 },
			{ "action", page_msg(l, "console.waves.action"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_waves_table.html", v);
	}
	buf_free(&rows);
	return r;
}

static int
options(struct buf *out, const char *const *values, const char *const *labels,
    size_t n)
{
	size_t i;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "value", values[i], 0 },
			{ "label", labels[i], 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_option.html", v);
	}
	return r;
}

/* The schedule form: a wave, its opening and closing times. */
static int
schedule_form(struct buf *out, const struct desk_page *p,
    const struct console_view *cv)
{
	enum def_lang l = p->lang;
	struct buf opts = { 0 }, lbl = { 0 };
	const char **vals = NULL, **lbls = NULL;
	char (*ids)[24] = NULL;
	size_t i, *at = NULL;
	int r = GH_ERR_NOMEM;

	if (cv->n == 0)
		return GH_OK;
	if ((vals = calloc(cv->n, sizeof(*vals))) == NULL ||
	    (lbls = calloc(cv->n, sizeof(*lbls))) == NULL ||
	    (ids = calloc(cv->n, sizeof(*ids))) == NULL ||
	    (at = calloc(cv->n, sizeof(*at))) == NULL)
		goto out;
	for (i = 0; i < cv->n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%" PRId64, cv->w[i].id);
		at[i] = lbl.len;
		buf_printf(&lbl, "%s (%s)", cv->w[i].name, ids[i]);
		buf_add(&lbl, "", 1);
	}
	if (buf_is_failed(&lbl))
		goto out;
	for (i = 0; i < cv->n; i++) {
		vals[i] = ids[i];
		lbls[i] = lbl.data + at[i];
	}
	if ((r = options(&opts, vals, lbls, cv->n)) == GH_OK) {
		struct tpl_var v[] = {
			{ "heading", page_msg(l, "console.schedule.heading"), 0 },
			{ "intro", page_msg(l, "console.schedule.intro"), 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "wave_label", page_msg(l, "console.schedule.wave"), 0 },
			{ "options", opts.data, 1 },
			{ "open_label", page_msg(l, "console.schedule.open"), 0 },
			{ "close_label", page_msg(l, "console.schedule.close"), 0 },
			{ "hint", page_msg(l, "console.schedule.hint"), 0 },
			{ "submit", page_msg(l, "console.schedule.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_schedule.html", v);
	}
out:
	buf_free(&opts);
	buf_free(&lbl);
	free(vals);
	free(lbls);
	free(ids);
	free(at);
	return r;
}

/* The create form, or a sentence when serve has no instruments. */
static int
create_form(struct buf *out, const struct desk_page *p,
    const struct console_view *cv)
{
	enum def_lang l = p->lang;
	struct buf opts = { 0 };
	int r;

	if (cv->n_defs == 0) {
		buf_puts(out, "<h2 id=\"create\">");
		buf_html(out, page_msg(l, "console.create.heading"));
		buf_puts(out, "</h2>");
		none(out, l, "console.create.no_defs");
		return GH_OK;
	}
	if ((r = options(&opts, cv->defs, cv->defs, cv->n_defs)) == GH_OK) {
		struct tpl_var v[] = {
			{ "heading", page_msg(l, "console.create.heading"), 0 },
			{ "intro", page_msg(l, "console.create.intro"), 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "name_label", page_msg(l, "console.create.name"), 0 },
			{ "name", cv->name, 0 },
			{ "instrument_label", page_msg(l,
			    "console.create.instrument"), 0 },
			{ "options", opts.data, 1 },
			{ "pk_label", page_msg(l, "console.create.pk"), 0 },
			{ "pk_hint", page_msg(l, "console.create.pk_hint"), 0 },
			{ "k_label", page_msg(l, "console.create.k"), 0 },
			{ "k_hint", page_msg(l, "console.create.k_hint"), 0 },
			{ "k", cv->k != NULL ? cv->k : "10", 0 },
			{ "submit", page_msg(l, "console.create.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_create.html", v);
	}
	buf_free(&opts);
	return r;
}

int
page_console_waves(struct buf *out, const struct desk_page *p,
    const struct console_view *cv)
{
	struct buf nv = { 0 }, table = { 0 }, sched = { 0 }, create = { 0 },
	    body = { 0 }, try = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = page_console_nav(&nv, p)) == GH_OK &&
	    (r = waves_table(&table, p, cv->w, cv->n)) == GH_OK &&
	    (r = schedule_form(&sched, p, cv)) == GH_OK &&
	    (r = page_console_try(&try, p, cv)) == GH_OK)
		r = create_form(&create, p, cv);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.waves.title"), 0 },
			{ "intro", page_msg(l, "console.waves.intro"), 0 },
			{ "table", table.data, 1 },
			{ "schedule", sched.data, 1 },
			{ "try", try.data, 1 },
			{ "create", create.data, 1 },
			{ "cli", page_msg(l, "console.waves.cli"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&table) || buf_is_failed(&create) ?
		    GH_ERR_NOMEM : tpl_render(&body, "console_waves.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l, "console.waves.title"),
		    &body);
	buf_free(&nv);
	buf_free(&table);
	buf_free(&sched);
	buf_free(&create);
	buf_free(&try);
	buf_free(&body);
	return r;
}

/* The action word in the page's language (the word itself if unknown). */
static const char *
action_label(enum def_lang l, const char *action, char *key, size_t keysz)
{
	snprintf(key, keysz, "console.action.%s", action);
	return page_msg(l, key);
}

static int
audit_rows(struct buf *out, enum def_lang l,
    const struct console_audit_item *items, size_t n)
{
	char key[64];
	size_t i;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "day", items[i].day, 0 },
			{ "user", items[i].user, 0 },
			{ "action", action_label(l, items[i].action, key,
			    sizeof(key)), 0 },
			{ "object", items[i].object, 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_audit_row.html", v);
	}
	return r;
}

int
page_console_audit(struct buf *out, const struct desk_page *p,
    const struct console_audit_item *items, size_t n)
{
	struct buf nv = { 0 }, rows = { 0 }, table = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = page_console_nav(&nv, p)) == GH_OK)
		r = audit_rows(&rows, l, items, n);
	if (r == GH_OK && n == 0) {
		none(&table, l, "console.audit.none");
	} else if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "caption", page_msg(l, "console.audit.caption"), 0 },
			{ "day", page_msg(l, "console.audit.day"), 0 },
			{ "user", page_msg(l, "console.audit.user"), 0 },
			{ "action", page_msg(l, "console.audit.action"), 0 },
			{ "object", page_msg(l, "console.audit.object"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&table, "console_audit_table.html", v);
	}
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.audit.title"), 0 },
			{ "intro", page_msg(l, "console.audit.intro"), 0 },
			{ "table", table.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&table) ? GH_ERR_NOMEM :
		    tpl_render(&body, "console_audit.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l, "console.audit.title"),
		    &body);
	buf_free(&nv);
	buf_free(&rows);
	buf_free(&table);
	buf_free(&body);
	return r;
}

static int
unit_rows(struct buf *out, enum def_lang l,
    const struct console_unit_item *items, size_t n)
{
	char issued[24], spent[24], head[24], share[16];
	size_t i;
	int64_t of;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i++) {
		/* Of the head count where one was uploaded, else of the
		 * links issued. */
		of = items[i].head > 0 ? items[i].head : items[i].issued;
		snprintf(issued, sizeof(issued), "%" PRId64, items[i].issued);
		snprintf(spent, sizeof(spent), "%" PRId64, items[i].spent);
		if (items[i].head >= 0)
			snprintf(head, sizeof(head), "%" PRId64, items[i].head);
		else
			snprintf(head, sizeof(head), "%s",
			    page_msg(l, "console.part.no_head"));
		snprintf(share, sizeof(share), "%" PRId64 " %%", of > 0 ?
		    (items[i].spent * 100 + of / 2) / of : 0);
		{
			struct tpl_var v[] = {
				{ "wave", items[i].wave, 0 },
				{ "head", head, 0 },
				{ "unit", items[i].unit, 0 },
				{ "issued", issued, 0 },
				{ "spent", spent, 0 },
				{ "share", share, 0 },
				{ "day", items[i].day, 0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(out, "console_participation_row.html", v);
		}
	}
	return r;
}

int
page_console_participation(struct buf *out, const struct desk_page *p,
    const struct console_unit_item *items, size_t n, size_t n_hidden)
{
	struct buf nv = { 0 }, rows = { 0 }, table = { 0 }, hidden = { 0 },
	    body = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = page_console_nav(&nv, p)) == GH_OK)
		r = unit_rows(&rows, l, items, n);
	if (r == GH_OK && n == 0) {
		none(&table, l, "console.part.none");
	} else if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "caption", page_msg(l, "console.part.caption"), 0 },
			{ "wave", page_msg(l, "console.part.wave"), 0 },
			{ "unit", page_msg(l, "console.part.unit"), 0 },
			{ "issued", page_msg(l, "console.part.issued"), 0 },
			{ "head", page_msg(l, "console.part.head"), 0 },
			{ "spent", page_msg(l, "console.part.spent"), 0 },
			{ "share", page_msg(l, "console.part.share"), 0 },
			{ "day", page_msg(l, "console.part.day"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&table, "console_participation_table.html", v);
	}
	page_msg_n(&hidden, l, "console.part.hidden", n_hidden);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.part.title"), 0 },
			{ "intro", page_msg(l, "console.part.intro"), 0 },
			{ "why", page_msg(l, "console.part.why"), 0 },
			{ "table", table.data, 1 },
			{ "hidden", hidden.data, 0 },
			{ "reminder_heading", page_msg(l,
			    "console.part.reminder_heading"), 0 },
			{ "reminder_intro", page_msg(l,
			    "console.part.reminder_intro"), 0 },
			{ "reminder", page_msg(l, "console.part.reminder"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&table) || buf_is_failed(&hidden) ?
		    GH_ERR_NOMEM :
		    tpl_render(&body, "console_participation.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l, "console.part.title"),
		    &body);
	buf_free(&nv);
	buf_free(&rows);
	buf_free(&table);
	buf_free(&hidden);
	buf_free(&body);
	return r;
}

static int
units_parts(struct buf *errors, struct buf *table, const struct desk_page *p,
    const struct console_units_view *cv)
{
	enum def_lang l = p->lang;
	struct buf items = { 0 }, rows = { 0 };
	char head[24];
	size_t i;
	int r = GH_OK;

	for (i = 0; i < cv->n_problems && r == GH_OK; i++) {
		struct tpl_var v[] = {
			{ "text", cv->problems[i], 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&items, "console_li.html", v);
	}
	if (r == GH_OK && cv->n_problems > 0) {
		struct tpl_var v[] = {
			{ "heading", page_msg(l, "console.units.problems"), 0 },
			{ "items", items.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(errors, "console_units_errors.html", v);
	}
	for (i = 0; i < cv->n && r == GH_OK; i++) {
		snprintf(head, sizeof(head), "%" PRId64, cv->heads[i]);
		{
			struct tpl_var v[] = {
				{ "name", cv->names[i], 0 },
				{ "head", head, 0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(&rows, "console_units_row.html", v);
		}
	}
	if (r == GH_OK && cv->n == 0) {
		none(table, l, "console.units.none");
	} else if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "caption", page_msg(l, "console.units.caption"), 0 },
			{ "name", page_msg(l, "console.units.name"), 0 },
			{ "head", page_msg(l, "console.units.head"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(table, "console_units_table.html", v);
	}
	buf_free(&items);
	buf_free(&rows);
	return r;
}

int
page_console_units(struct buf *out, const struct desk_page *p,
    const struct console_units_view *cv)
{
	struct buf nv = { 0 }, errors = { 0 }, table = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = page_console_nav(&nv, p)) == GH_OK)
		r = units_parts(&errors, &table, p, cv);
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.units.title"), 0 },
			{ "intro", page_msg(l, "console.units.intro"), 0 },
			{ "errors", errors.data, 1 },
			{ "table", table.data, 1 },
			{ "upload_heading", page_msg(l, "console.units.upload"), 0 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "csv_label", page_msg(l, "console.units.csv"), 0 },
			{ "csv_hint", page_msg(l, "console.units.csv_hint"), 0 },
			{ "csv", cv->csv, 0 },
			{ "submit", page_msg(l, "console.units.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&table) ? GH_ERR_NOMEM :
		    tpl_render(&body, "console_units.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l, "console.units.title"),
		    &body);
	buf_free(&nv);
	buf_free(&errors);
	buf_free(&table);
	buf_free(&body);
	return r;
}
