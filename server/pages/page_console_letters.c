/*
 * page_console_letters.c: the console's page of links and letters per
 * unit (console_letters.h).
 *
 * Entry point: page_console_letters. The console's navigation and the
 * notice first (page_console_nav), then a refusal's error summary, which
 * links to the field it names, then the two forms (issue a unit's links,
 * make a replacement card), the form that was sent showing its values
 * again. Without serve --base-url no form is shown, only why. Every value
 * is escaped by the templates; options are rendered first and placed raw.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pages/console.h"
#include "pages/console_letters.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

#define INVALID	" aria-invalid=\"true\""

/* Appends the options of choices, selecting the one whose value is sel. */
static int
options(struct buf *out, const struct console_letters_view *v, int is_wave,
    const char *sel)
{
	const struct console_letters_choice *c = is_wave ? v->waves : v->units;
	size_t i, n = is_wave ? v->n_waves : v->n_units;
	char value[24], label[160];
	const char *val;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i++) {
		if (is_wave) {
			snprintf(value, sizeof(value), "%" PRId64, c[i].id);
			snprintf(label, sizeof(label), "%" PRId64 ": %s",
			    c[i].id, c[i].name);
			val = value;
		} else {
			snprintf(label, sizeof(label), "%s (%" PRId64 ")",
			    c[i].name, c[i].head);
			val = c[i].name;
		}
		{
			struct tpl_var tv[] = {
				{ "value", val, 0 },
				{ "selected", sel != NULL && strcmp(sel, val) ==
				    0 ? " selected" : "", 1 },
				{ "label", label, 0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(out, "console_letters_option.html", tv);
		}
	}
	return r;
}

/* " aria-invalid" if the refusal names field id. */
static const char *
invalid(const struct console_letters_view *v, const char *id)
{
	return v->error_field != NULL && strcmp(v->error_field, id) == 0 ?
	    INVALID : "";
}

static int
forms(struct buf *out, const struct desk_page *p,
    const struct console_letters_view *v)
{
	enum def_lang l = p->lang;
	struct buf iw = { 0 }, iu = { 0 }, rw = { 0 }, ru = { 0 };
	int is_replace = v->form != NULL && strcmp(v->form, "replace") == 0;
	int is_csv = !is_replace && v->format != NULL &&
	    strcmp(v->format, "csv") == 0;
	int is_invite = !is_replace && v->kind != NULL &&
	    strcmp(v->kind, "invitations") == 0;
	int r;

	if ((r = options(&iw, v, 1, is_replace ? NULL : v->wave)) != GH_OK ||
	    (r = options(&iu, v, 0, is_replace ? NULL : v->unit)) != GH_OK ||
	    (r = options(&rw, v, 1, is_replace ? v->wave : NULL)) != GH_OK ||
	    (r = options(&ru, v, 0, is_replace ? v->unit : NULL)) != GH_OK)
		goto out;
	{
		struct tpl_var tv[] = {
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "issue_heading", page_msg(l,
			    "console.letters.issue_heading"), 0 },
			{ "wave_label", page_msg(l, "console.letters.wave"), 0 },
			{ "unit_label", page_msg(l, "console.letters.unit"), 0 },
			{ "issue_waves", iw.data, 1 },
			{ "issue_units", iu.data, 1 },
			{ "replace_waves", rw.data, 1 },
			{ "replace_units", ru.data, 1 },
			{ "wave_invalid", invalid(v, "l-wave"), 1 },
			{ "unit_invalid", invalid(v, "l-unit"), 1 },
			{ "count_invalid", invalid(v, "l-count"), 1 },
			{ "rwave_invalid", invalid(v, "r-wave"), 1 },
			{ "runit_invalid", invalid(v, "r-unit"), 1 },
			{ "count_label", page_msg(l, "console.letters.count"),
			    0 },
			{ "count_hint", page_msg(l,
			    "console.letters.count_hint"), 0 },
			{ "count", is_replace ? NULL : v->count, 0 },
			{ "format_label", page_msg(l, "console.letters.format"),
			    0 },
			{ "format_letters", page_msg(l,
			    "console.letters.format_letters"), 0 },
			{ "format_csv", page_msg(l, "console.letters.format_csv"),
			    0 },
			{ "kind_label", page_msg(l, "console.letters.kind"), 0 },
			{ "kind_links", page_msg(l, "console.letters.kind_links"),
			    0 },
			{ "kind_invitations", page_msg(l,
			    "console.letters.kind_invitations"), 0 },
			{ "kind_hint", page_msg(l, "console.letters.kind_hint"),
			    0 },
			{ "links_checked", is_invite ? "" : " checked", 1 },
			{ "invitations_checked", is_invite ? " checked" : "", 1 },
			{ "letters_checked", is_csv ? "" : " checked", 1 },
			{ "csv_checked", is_csv ? " checked" : "", 1 },
			{ "issue_submit", page_msg(l, "console.letters.submit"),
			    0 },
			{ "replace_heading", page_msg(l,
			    "console.letters.replace_heading"), 0 },
			{ "replace_intro", page_msg(l,
			    "console.letters.replace_intro"), 0 },
			{ "replace_submit", page_msg(l,
			    "console.letters.replace_submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "console_letters_forms.html", tv);
	}
out:
	buf_free(&iw);
	buf_free(&iu);
	buf_free(&rw);
	buf_free(&ru);
	return r;
}

/* The forms, or the sentence that says why there are none. */
static int
body_forms(struct buf *out, const struct desk_page *p,
    const struct console_letters_view *v)
{
	const char *key = NULL;

	if (!v->has_base_url)
		key = "console.letters.no_base_url";
	else if (v->n_waves == 0)
		key = "console.letters.no_wave";
	else if (v->n_units == 0)
		key = "console.letters.no_unit";
	if (key == NULL)
		return forms(out, p, v);
	buf_puts(out, "<p>");
	buf_html(out, page_msg(p->lang, key));
	buf_puts(out, "</p>");
	return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
}

int
page_console_letters(struct buf *out, const struct desk_page *p,
    const struct console_letters_view *v)
{
	struct buf nv = { 0 }, errors = { 0 }, fm = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = page_console_nav(&nv, p)) == GH_OK && v->error_key != NULL) {
		struct tpl_var tv[] = {
			{ "heading", page_msg(l, "console.letters.problem"), 0 },
			{ "field", v->error_field, 0 },
			{ "text", page_msg(l, v->error_key), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&errors, "console_letters_error.html", tv);
	}
	if (r == GH_OK)
		r = body_forms(&fm, p, v);
	if (r == GH_OK) {
		struct tpl_var tv[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.letters.title"), 0 },
			{ "errors", errors.data, 1 },
			{ "intro", page_msg(l, "console.letters.intro"), 0 },
			{ "once", page_msg(l, "console.letters.once"), 0 },
			{ "forms", fm.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "console_letters.html", tv);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l,
		    "console.letters.title"), &body);
	buf_free(&nv);
	buf_free(&errors);
	buf_free(&fm);
	buf_free(&body);
	return r;
}
