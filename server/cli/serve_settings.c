/*
 * serve_settings.c: the organisation settings `gehoord serve` starts
 * with (serve_settings.h).
 *
 * Entry point: serve_settings_settle (cmd_serve.c, after the database
 * is upgraded and before http_serve). Data path: store_settings_get -> stored: cfg points at
 * them (the options are ignored, said once on stderr); not stored and
 * options given: checked as serve would (page_org_set,
 * page_logo_check) -> store_settings_set -> an audit row under "(shell)".
 */
#include <stdio.h>
#include <string.h>

#include "cli/serve_settings.h"
#include "pages/page.h"
#include "store/store_console.h"

static int
has_options(const struct http_config *cfg)
{
	return cfg->org_name != NULL || cfg->org_contact != NULL ||
	    cfg->privacy_url != NULL || cfg->org_logo != NULL;
}

/*
 * Checks the options as serve would show them (page_org_set logs which
 * one is wrong): a bad option stops serve even when it would not be
 * used, and is never stored.
 */
static int
options_check(const struct http_config *cfg)
{
	const char *type;

	if (page_org_set(cfg->org_name, cfg->org_contact, cfg->privacy_url) !=
	    GH_OK || (cfg->org_logo != NULL && page_logo_check(cfg->org_logo,
	    cfg->org_logo_len, &type) != NULL)) {
		fprintf(stderr, "gehoord serve: --org-name, --org-contact, "
		    "--privacy-url or --org-logo is not usable (see above); "
		    "nothing was stored\n");
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

/* Stores cfg's options as the first settings. */
static int
seed(struct store *s, const struct http_config *cfg)
{
	int r;

	if ((r = store_settings_set(s, cfg->org_name, cfg->org_contact,
	    cfg->privacy_url, cfg->org_logo, cfg->org_logo != NULL ?
	    cfg->org_logo_len : 0)) == GH_OK)
		r = store_console_audit_add(s, "(shell)", "settings_change",
		    "seeded from serve's options");
	if (r != GH_OK)
		fprintf(stderr, "gehoord serve: cannot store the settings: "
		    "%s\n", gh_err_str(r));
	return r;
}

int
serve_settings_settle(const char *db_path, struct http_config *cfg,
    struct store_settings *held)
{
	struct store *s = NULL;
	int r;

	memset(held, 0, sizeof(*held));
	if (has_options(cfg) && (r = options_check(cfg)) != GH_OK)
		return r;
	if ((r = store_open(db_path, 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord serve: --db: %s: cannot open the "
		    "database: %s\n", db_path, gh_err_str(r));
		return r;
	}
	r = store_settings_get(s, held);
	if (r == GH_ERR_NOT_FOUND) {
		r = has_options(cfg) ? seed(s, cfg) : GH_OK;
		goto out;
	}
	if (r != GH_OK) {
		fprintf(stderr, "gehoord serve: cannot read the settings: %s\n",
		    gh_err_str(r));
		goto out;
	}
	if (has_options(cfg))
		fprintf(stderr, "gehoord serve: the database has settings "
		    "(changed at /console/settings): those are shown, and "
		    "--org-name, --org-contact, --privacy-url and --org-logo "
		    "are ignored\n");
	cfg->org_name = held->org_name;
	cfg->org_contact = held->org_contact;
	cfg->privacy_url = held->privacy_url;
	cfg->org_logo = held->logo;
	cfg->org_logo_len = held->logo_len;
out:
	store_close(s);
	return r;
}
