/*
 * cmd_serve.c: "gehoord serve": parses the listening address and options
 * and hands over to the web server (http/http.h), which renders every
 * page once before it listens (pages/page.h: page_selfcheck). The logo
 * (--org-logo) is read and checked here, so a bad one stops serve with
 * the file's name before anything else is opened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/linkbatch.h"
#include "cli/serve_settings.h"
#include "http/http.h"
#include "pages/page.h"
#include "store/store.h"

/* Options that need each other or something else; GH_OK or GH_ERR_USAGE. */
static int
serve_check_pairs(const struct arg_spec *specs)
{
	struct linkbatch lb;

	/* --base-url: as tokens issue checks it (the console's links). */
	linkbatch_init(&lb, "serve", "", "");
	if (args_get(specs, "base-url") != NULL &&
	    linkbatch_check_base_url(&lb, args_get(specs, "base-url")) != GH_OK)
		return GH_ERR_USAGE;
	if ((args_get(specs, "tls-cert") == NULL) !=
	    (args_get(specs, "tls-key") == NULL)) {
		fprintf(stderr, "gehoord serve: --tls-cert and --tls-key go "
		    "together\n");
		return GH_ERR_USAGE;
	}
	if (geteuid() == 0 && args_get(specs, "user") == NULL &&
	    args_get(specs, "no-sandbox") == NULL) {
		fprintf(stderr, "gehoord serve: refusing to serve as root: "
		    "give --user USER to switch to once the address is bound "
		    "(or --no-sandbox, for debugging only)\n");
		return GH_ERR_USAGE;
	}
	return GH_OK;
}

/*
 * Reads and checks --org-logo path into *out (free it) and *len; org is
 * --org-name, the logo's alt text, which it needs. Returns GH_OK, or an
 * error explained on stderr with the file and what is wrong.
 */
static int
serve_logo(const char *path, const char *org, unsigned char **out,
    size_t *len)
{
	unsigned char *data = NULL;
	const char *type, *why = NULL;
	FILE *f = NULL;
	size_t n = 0;
	int r = GH_ERR_USAGE;

	if (org == NULL) {
		fprintf(stderr, "gehoord serve: --org-logo needs --org-name: "
		    "the name is the logo's text for screen readers\n");
		goto out;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "gehoord serve: --org-logo: %s: cannot open: "
		    "%s\n", path, strerror(errno));
		goto out;
	}
	/* One byte more than allowed tells a file that is too large. */
	if ((data = malloc(PAGE_LOGO_MAX + 1)) == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	n = fread(data, 1, PAGE_LOGO_MAX + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "gehoord serve: --org-logo: %s: cannot read: "
		    "%s\n", path, strerror(errno));
		goto out;
	}
	if ((why = page_logo_check(data, n, &type)) != NULL) {
		fprintf(stderr, "gehoord serve: --org-logo: %s: %s (a PNG or "
		    "SVG file of at most 256 KiB, please)\n", path, why);
		goto out;
	}
	*out = data;
	*len = n;
	data = NULL;
	r = GH_OK;
out:
	free(data);
	if (f != NULL)
		(void)fclose(f);
	return r;
}

/*
 * Before serving: a database of an earlier version is upgraded in place,
 * while nothing else of this process has it open; then the
 * organisation's settings are settled (serve_settings.h: cfg points into
 * *held). Returns GH_OK or the error, explained on stderr.
 */
static int
serve_prepare(struct http_config *cfg, struct store_settings *held)
{
	const char *db_path = cfg->db_path;
	struct store *s = NULL;
	int r;

	memset(held, 0, sizeof(*held));
	if ((r = store_open(db_path, STORE_MIGRATE, &s)) != GH_OK) {
		fprintf(stderr, "gehoord serve: --db: %s: cannot open or "
		    "upgrade the database: %s\n", db_path, gh_err_str(r));
		return r;
	}
	store_close(s);
	return serve_settings_settle(db_path, cfg, held);
}

int
cmd_serve(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database (its pepper is FILE.pepper)", 0 },
		{ "listen", "ADDR:PORT", 1, "numeric address and port, e.g. "
		    "127.0.0.1:8080 or [::1]:8080", 0 },
		{ "threads", "N", 0, "request threads (default: one per core)", 0 },
		{ "user", "USER", 0, "once bound, switch to USER for good "
		    "(required when started as root)", 0 },
		{ "tls-cert", "FILE", 0, "serve HTTPS with this PEM certificate "
		    "(chain); needs --tls-key", 0 },
		{ "tls-key", "FILE", 0, "the PEM private key of --tls-cert", 0 },
		{ "behind-proxy", NULL, 0, "TLS ends at a reverse proxy in "
		    "front: send HSTS; the proxy limits connections per "
		    "client", 0 },
		{ "no-sandbox", NULL, 0, "DEBUGGING ONLY: no system-call "
		    "filter", 0 },
		{ "session-idle", "SECONDS", 0, "log desk and researcher users "
		    "out after SECONDS without a request (default 900)", 0 },
		{ "signals-k", "N", 0, "the desk's signals view shows a unit "
		    "only with at least N reports (default 10, at least 5)", 0 },
		{ "report-links-required", NULL, 0, "anonymous reports only "
		    "through one-time links (gehoord report-links issue); "
		    "/melden then says a link is needed", 0 },
		{ "reports-per-minute", "N", 0, "at most N new anonymous "
		    "reports a minute from all clients together (default "
		    "600); receipt logins are not counted", 0 },
		{ "org-name", "TEXT", 0, "the organisation that runs it, in "
		    "every page's header", 0 },
		{ "org-contact", "TEXT|URL", 0, "who respondents can ask, in "
		    "every page's footer (a link if http(s):// or mailto:)",
		    0 },
		{ "privacy-url", "URL", 0, "the organisation's privacy "
		    "statement (http:// or https://), linked in every "
		    "page's footer", 0 },
		{ "org-logo", "FILE", 0, "the organisation's logo (PNG or "
		    "SVG, at most 256 KiB; needs --org-name, its alt text), "
		    "in every page's header and at /logo", 0 },
		{ "survey-defs", "DIR", 0, "the survey definitions (*.json) a "
		    "coordinator can make a wave from in the console, read "
		    "once at start", 0 },
		{ "base-url", "URL", 0, "the server's address, e.g. "
		    "https://gehoord.example.org: the console issues links "
		    "and letters per unit only with it", 0 },
		{ 0 }
	};
	struct http_config cfg = { 0 };
	unsigned char *logo = NULL;
	struct store_settings held;
	char pepper[4096], host[64];
	const char *listen, *colon, *tv;
	long long port, threads = 0, idle = 0, sk = 0, rpm = 0;
	size_t hlen;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Serves the surveys: GET and POST "
	    "/s/TOKEN. Stops cleanly on SIGINT or SIGTERM after finishing "
	    "the submissions in flight. Once the files are open and the "
	    "address is bound, it switches to --user and allows itself only "
	    "the system calls serving needs.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (serve_check_pairs(specs) != GH_OK)
		return CLI_USAGE;
	listen = args_get(specs, "listen");
	if ((colon = strrchr(listen, ':')) == NULL ||
	    args_int("serve", "listen", colon + 1, 1, 65535, &port) != GH_OK) {
		fprintf(stderr, "gehoord serve: --listen: '%s' is not "
		    "ADDR:PORT\n", listen);
		return CLI_USAGE;
	}
	hlen = (size_t)(colon - listen);
	if (hlen >= 2 && listen[0] == '[' && listen[hlen - 1] == ']') {
		listen++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host)) {
		fprintf(stderr, "gehoord serve: --listen: no address in '%s'\n",
		    args_get(specs, "listen"));
		return CLI_USAGE;
	}
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	if ((tv = args_get(specs, "threads")) != NULL &&
	    args_int("serve", "threads", tv, 1, 256, &threads) != GH_OK)
		return CLI_USAGE;
	if ((tv = args_get(specs, "session-idle")) != NULL &&
	    args_int("serve", "session-idle", tv, 1, 86400, &idle) != GH_OK)
		return CLI_USAGE;
	if ((tv = args_get(specs, "reports-per-minute")) != NULL &&
	    args_int("serve", "reports-per-minute", tv, 1, 1000000, &rpm) !=
	    GH_OK)
		return CLI_USAGE;
	if ((tv = args_get(specs, "signals-k")) != NULL) {
		if (args_int("serve", "signals-k", tv, -1000000, 1000000,
		    &sk) != GH_OK)
			return CLI_USAGE;
		if (sk < STORE_K_MIN) {
			fprintf(stderr, "gehoord serve: --signals-k: %lld is "
			    "below the minimum group size %d; refused\n", sk,
			    STORE_K_MIN);
			return CLI_PRIVACY;
		}
	}
	if (cli_pepper_path(pepper, sizeof(pepper), args_get(specs, "db")) !=
	    GH_OK)
		return CLI_USAGE;
	cfg.db_path = args_get(specs, "db");
	cfg.pepper_path = pepper;
	cfg.listen_host = host;
	cfg.port = (uint16_t)port;
	cfg.threads = (unsigned int)threads;
	cfg.user = args_get(specs, "user");
	cfg.tls_cert_path = args_get(specs, "tls-cert");
	cfg.tls_key_path = args_get(specs, "tls-key");
	cfg.is_behind_proxy = args_get(specs, "behind-proxy") != NULL;
	cfg.is_sandbox_off = args_get(specs, "no-sandbox") != NULL;
	cfg.session_idle_s = (unsigned int)idle;
	cfg.signals_k = (int)sk;
	cfg.is_report_links_required =
	    args_get(specs, "report-links-required") != NULL;
	cfg.reports_per_min = (unsigned int)rpm;
	cfg.org_name = args_get(specs, "org-name");
	cfg.org_contact = args_get(specs, "org-contact");
	cfg.privacy_url = args_get(specs, "privacy-url");
	if ((tv = args_get(specs, "org-logo")) != NULL &&
	    (r = serve_logo(tv, cfg.org_name, &logo, &cfg.org_logo_len)) !=
	    GH_OK)
		return cli_exit_code(r);
	cfg.org_logo = logo;
	cfg.survey_defs_dir = args_get(specs, "survey-defs");
	cfg.base_url = args_get(specs, "base-url");
	if ((r = serve_prepare(&cfg, &held)) == GH_OK)
		r = http_serve(&cfg);
	store_settings_clear(&held);
	free(logo);
	return cli_exit_code(r);
}
