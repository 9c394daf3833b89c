/*
 * page_login_carry.c: a desk form that arrives after its session ended
 * is carried through the login form and shown again after the login, so
 * the text being typed is not lost.
 *
 * Entry points: page_login_carry (the hidden fields of the login form),
 * page_login_resume (the page after the login). Data path: the desk
 * form's fields -> hidden "c.NAME" fields of the login form (in the
 * browser only) -> POST /login -> the same fields, in a form to "to"
 * with the new session's token. Nothing is stored or logged here; the
 * values are escaped by the templates.
 */
#include <string.h>

#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"
#include "survey/form.h"

#define PREFIX		"c."
#define PREFIX_LEN	2

static int
hidden(struct buf *out, const char *name, const char *value)
{
	struct tpl_var v[] = {
		{ "name", name, 0 },
		{ "value", value, 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "login_carry.html", v);
}

int
page_login_carry(struct buf *out, const char *to, const struct form *f,
    int is_carried)
{
	struct buf name = { 0 };
	const struct form_field *ff;
	size_t i;
	int r;

	if ((r = hidden(out, "carry_to", to)) != GH_OK || f == NULL)
		return r;
	for (i = 0; r == GH_OK && i < f->n; i++) {
		ff = &f->fields[i];
		if (is_carried) {
			if (strncmp(ff->name, PREFIX, PREFIX_LEN) == 0)
				r = hidden(out, ff->name, ff->value);
			continue;
		}
		if (strcmp(ff->name, "csrf") == 0 ||
		    strcmp(ff->name, "lang") == 0)
			continue;
		buf_free(&name);
		buf_printf(&name, PREFIX "%s", ff->name);
		r = buf_is_failed(&name) ? GH_ERR_NOMEM :
		    hidden(out, name.data, ff->value);
	}
	buf_free(&name);
	return r;
}

int
page_login_resume(struct buf *out, enum def_lang lang, const char *to,
    const char *csrf, const struct form *f)
{
	struct buf fields = { 0 }, body = { 0 };
	const struct form_field *ff;
	size_t i;
	int r = GH_OK;

	for (i = 0; r == GH_OK && f != NULL && i < f->n; i++) {
		ff = &f->fields[i];
		if (strncmp(ff->name, PREFIX, PREFIX_LEN) != 0)
			continue;
		if (strcmp(ff->name + PREFIX_LEN, "text") == 0) {
			struct tpl_var v[] = {
				{ "label", page_msg(lang,
				    "login.resume.label"), 0 },
				{ "value", ff->value, 0 },
				{ NULL, NULL, 0 },
			};

			r = tpl_render(&fields, "login_resume_text.html", v);
		} else
			r = hidden(&fields, ff->name + PREFIX_LEN, ff->value);
	}
	if (r == GH_OK) {
		struct tpl_var v[] = {
			{ "heading", page_msg(lang, "login.resume.heading"), 0 },
			{ "text", page_msg(lang, "login.resume.text"), 0 },
			{ "to", to, 0 },
			{ "lang", page_lang_code(lang), 0 },
			{ "csrf", csrf, 0 },
			{ "fields", fields.data ? fields.data : "", 1 },
			{ "submit", page_msg(lang, "login.resume.submit"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "login_resume.html", v);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, lang, page_msg(lang,
		    "login.resume.heading"), &body);
	buf_free(&fields);
	buf_free(&body);
	return r;
}
