/*
 * page_console_settings.c: the console's settings page
 * (console_accounts.h): the organisation's name, contact, privacy
 * statement link and logo, as a form that sends a file.
 *
 * Entry point: page_console_settings. It opens with the console's
 * navigation and notice, then the error summary of a refused form
 * (linking to the field, which is marked invalid), the form with the
 * values kept or stored, the logo now shown with a box to remove it,
 * and how serve's --org-* options relate to the stored settings.
 */
#include <stdio.h>
#include <string.h>

#include "pages/console.h"
#include "pages/console_accounts.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

static const char *
invalid(const struct console_settings_view *v, const char *id)
{
	return v->error_field != NULL && strcmp(v->error_field, id) == 0 ?
	    " aria-invalid=\"true\"" : "";
}

static int
parts(struct buf *errors, struct buf *logo, const struct desk_page *p,
    const struct console_settings_view *v)
{
	enum def_lang l = p->lang;
	int r = GH_OK;

	if (v->error_key != NULL) {
		struct tpl_var ev[] = {
			{ "heading", page_msg(l, "console.form.error"), 0 },
			{ "field", v->error_field != NULL ? v->error_field :
			    "s-name", 0 },
			{ "text", page_msg(l, v->error_key), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(errors, "console_form_error.html", ev);
	}
	if (r == GH_OK && v->has_logo) {
		struct tpl_var lv[] = {
			{ "now", page_msg(l, "console.settings.logo_now"), 0 },
			{ "alt", v->stored_name != NULL ? v->stored_name : "", 0 },
			{ "remove", page_msg(l, "console.settings.logo_remove"),
			    0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(logo, "console_settings_logo.html", lv);
	}
	return r;
}

int
page_console_settings(struct buf *out, const struct desk_page *p,
    const struct console_settings_view *v)
{
	struct buf nv = { 0 }, errors = { 0 }, logo = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	int r;

	if ((r = page_console_nav(&nv, p)) == GH_OK)
		r = parts(&errors, &logo, p, v);
	if (r == GH_OK) {
		struct tpl_var tv[] = {
			{ "nav", nv.data, 1 },
			{ "title", page_msg(l, "console.settings.title"), 0 },
			{ "intro", page_msg(l, "console.settings.intro"), 0 },
			{ "errors", errors.data, 1 },
			{ "csrf", p->csrf, 0 },
			{ "lang", page_lang_code(l), 0 },
			{ "name_label", page_msg(l, "console.settings.name"), 0 },
			{ "name_hint", page_msg(l, "console.settings.name_hint"),
			    0 },
			{ "name", v->org_name, 0 },
			{ "name_invalid", invalid(v, "s-name"), 1 },
			{ "contact_label", page_msg(l, "console.settings.contact"),
			    0 },
			{ "contact_hint", page_msg(l,
			    "console.settings.contact_hint"), 0 },
			{ "contact", v->org_contact, 0 },
			{ "contact_invalid", invalid(v, "s-contact"), 1 },
			{ "privacy_label", page_msg(l, "console.settings.privacy"),
			    0 },
			{ "privacy_hint", page_msg(l,
			    "console.settings.privacy_hint"), 0 },
			{ "privacy", v->privacy_url, 0 },
			{ "privacy_invalid", invalid(v, "s-privacy"), 1 },
			{ "logo_label", page_msg(l, "console.settings.logo"), 0 },
			{ "logo_hint", page_msg(l, "console.settings.logo_hint"),
			    0 },
			{ "logo_invalid", invalid(v, "s-logo"), 1 },
			{ "logo_now", logo.data, 1 },
			{ "submit", page_msg(l, "console.settings.submit"), 0 },
			{ "options", page_msg(l, "console.settings.options"), 0 },
			{ NULL, NULL, 0 },
		};

		r = buf_is_failed(&errors) || buf_is_failed(&logo) ?
		    GH_ERR_NOMEM : tpl_render(&body, "console_settings.html", tv);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l,
		    "console.settings.title"), &body);
	buf_free(&nv);
	buf_free(&errors);
	buf_free(&logo);
	buf_free(&body);
	return r;
}
