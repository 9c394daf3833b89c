/*
 * route_console_settings.c: the instance's settings in the
 * coordinator's console. GET /console/settings (the form with what is
 * stored), POST /console/settings (multipart/form-data: "org_name",
 * "org_contact", "privacy_url", "remove_logo" and the file "logo"; the
 * only console route that may carry a file, upload.h). The router has
 * checked the coordinator's session and the CSRF token, which the
 * multipart body carries as a field.
 *
 * Entry point: route_console_settings. Data path of a POST: each field
 * checked (a problem: 422, the form again with the field named and the
 * values kept, nothing stored) -> the logo: the new file checked as
 * serve's --org-logo is (page_logo_check), or the stored one kept, or
 * none -> store_settings_set -> store_console_audit_add (who,
 * "settings_change", which fields) -> page_org_set and page_logo_set, so
 * every page shows the change at once, without a restart. Never logged:
 * the values.
 */
#include <stdio.h>
#include <string.h>

#include "http/console_accounts.h"
#include "http/desk.h"
#include "http/upload.h"
#include "pages/console.h"
#include "pages/page.h"
#include "store/store_account.h"
#include "store/store_console.h"
#include "survey/text.h"

/* A settings form as sent: "" is NULL (not set). */
struct settings_form {
	const char		*name;
	const char		*contact;
	const char		*privacy;
	int			 is_logo_removed;
	const unsigned char	*logo;		/* the new file, or NULL */
	size_t			 logo_len;
};

static const char *
field(const struct http_auth *a, const char *name)
{
	const char *v = form_get(a->form, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* 1 if v is 1..PAGE_ORG_MAX bytes of UTF-8 without control characters. */
static int
is_text_ok(const char *v)
{
	size_t i, n = strlen(v);

	if (n > PAGE_ORG_MAX || survey_utf8_check(v, n, NULL) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return 0;
	return 1;
}

/* 1 if v is prefix and more, with no space (an address, not a text). */
static int
is_address(const char *v, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(v, prefix, n) == 0 && v[n] != '\0' &&
	    strpbrk(v, " \"<>") == NULL;
}

/*
 * The message key of the first bad field and its id in *at, or NULL.
 * has_stored_logo: a logo is stored and stays unless removed.
 */
static const char *
check(const struct settings_form *f, const struct upload *up,
    int has_stored_logo, const char **at)
{
	const char *type;

	*at = "s-name";
	if (f->name != NULL && !is_text_ok(f->name))
		return "console.settings.bad_name";
	*at = "s-contact";
	if (f->contact != NULL && (!is_text_ok(f->contact) ||
	    ((strstr(f->contact, "://") != NULL ||
	    strncmp(f->contact, "mailto:", 7) == 0) &&
	    !is_address(f->contact, "https://") &&
	    !is_address(f->contact, "mailto:"))))
		return "console.settings.bad_contact";
	*at = "s-privacy";
	if (f->privacy != NULL && (!is_text_ok(f->privacy) ||
	    !is_address(f->privacy, "https://")))
		return "console.settings.bad_privacy";
	*at = "s-logo";
	if (up != NULL && (up->problem != UPLOAD_FINE || up->n > 1))
		return "console.settings.bad_logo";
	if (f->logo != NULL && page_logo_check(f->logo, f->logo_len, &type) !=
	    NULL)
		return f->logo_len > PAGE_LOGO_MAX ?
		    "console.settings.large_logo" : "console.settings.bad_logo";
	*at = "s-name";
	if (f->name == NULL && (f->logo != NULL || (has_stored_logo &&
	    !f->is_logo_removed)))
		return "console.settings.logo_needs_name";
	return NULL;
}

static enum MHD_Result
settings_page(struct req *rq, const struct http_auth *a, unsigned int status,
    const char *notice, const struct console_settings_view *given)
{
	struct console_settings_view v;
	struct store_settings st;
	struct desk_page p;
	struct buf b = { 0 };
	struct store *s = ctx_store_get(rq->ctx);
	int r;

	r = store_settings_get(s, &st);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK && r != GH_ERR_NOT_FOUND)
		return http_send_page(rq, PAGE_ERROR);
	memset(&v, 0, sizeof(v));
	if (given != NULL)
		v = *given;
	else {
		v.org_name = st.org_name;
		v.org_contact = st.org_contact;
		v.privacy_url = st.privacy_url;
	}
	v.stored_name = st.org_name;
	v.has_logo = st.logo != NULL;
	desk_page_init(&p, rq, a, "/console/settings");
	p.notice_key = notice;
	r = page_console_settings(&b, &p, &v);
	store_settings_clear(&st);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

static int
is_same(const char *x, const char *y)
{
	return (x == NULL && y == NULL) ||
	    (x != NULL && y != NULL && strcmp(x, y) == 0);
}

/*
 * "name, contact, ..." of what differs between old and the form f (with
 * a logo afterwards if has_logo), or "none".
 */
static void
changed(char *out, size_t outsz, const struct store_settings *old,
    const struct settings_form *f, int has_logo)
{
	out[0] = '\0';
	if (!is_same(old->org_name, f->name))
		snprintf(out + strlen(out), outsz - strlen(out), "name, ");
	if (!is_same(old->org_contact, f->contact))
		snprintf(out + strlen(out), outsz - strlen(out), "contact, ");
	if (!is_same(old->privacy_url, f->privacy))
		snprintf(out + strlen(out), outsz - strlen(out),
		    "privacy link, ");
	if (f->logo != NULL || (old->logo != NULL) != has_logo)
		snprintf(out + strlen(out), outsz - strlen(out), "logo, ");
	if (out[0] == '\0')
		snprintf(out, outsz, "none");
	else
		out[strlen(out) - 2] = '\0';
}

/* Stores f (old: what is stored now), audits it and shows it at once. */
static int
save(struct req *rq, const struct http_auth *a,
    const struct settings_form *f, struct store_settings *old)
{
	const unsigned char *logo = NULL;
	size_t logo_len = 0;
	char what[64];
	struct store *s;
	int r;

	if (f->logo != NULL) {
		logo = f->logo;
		logo_len = f->logo_len;
	} else if (!f->is_logo_removed) {
		logo = old->logo;
		logo_len = old->logo_len;
	}
	changed(what, sizeof(what), old, f, logo != NULL);
	s = ctx_store_get(rq->ctx);
	if ((r = store_settings_set(s, f->name, f->contact, f->privacy, logo,
	    logo_len)) == GH_OK)
		r = store_console_audit_add(s, a->view.name, "settings_change",
		    what);
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK && (r = page_org_set(f->name, f->contact,
	    f->privacy)) == GH_OK)
		r = page_logo_set(logo, logo_len);
	return r;
}

static enum MHD_Result
settings_post(struct req *rq, const struct http_auth *a)
{
	struct console_settings_view v;
	struct settings_form f;
	struct store_settings old;
	const char *key, *at;
	struct store *s;
	int r;

	memset(&f, 0, sizeof(f));
	f.name = field(a, "org_name");
	f.contact = field(a, "org_contact");
	f.privacy = field(a, "privacy_url");
	f.is_logo_removed = field(a, "remove_logo") != NULL;
	if (rq->up != NULL && rq->up->problem == UPLOAD_FINE &&
	    rq->up->n == 1) {
		f.logo = rq->up->files[0].data;
		f.logo_len = rq->up->files[0].len;
	}
	s = ctx_store_get(rq->ctx);
	r = store_settings_get(s, &old);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK && r != GH_ERR_NOT_FOUND)
		return http_send_page(rq, PAGE_ERROR);
	if ((key = check(&f, rq->up, old.logo != NULL, &at)) != NULL) {
		store_settings_clear(&old);
		memset(&v, 0, sizeof(v));
		v.org_name = f.name;
		v.org_contact = f.contact;
		v.privacy_url = f.privacy;
		v.error_key = key;
		v.error_field = at;
		return settings_page(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT, NULL,
		    &v);
	}
	r = save(rq, a, &f, &old);
	store_settings_clear(&old);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return settings_page(rq, a, MHD_HTTP_OK, "console.settings.saved",
	    NULL);
}

enum MHD_Result
route_console_settings(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	if (rq->is_post)
		return settings_post(rq, a);
	return settings_page(rq, a, MHD_HTTP_OK, NULL, NULL);
}
