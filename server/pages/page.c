/*
 * page.c: message catalogues, the page layout and the short message pages
 * (see page.h). The survey form itself is in page_survey.c.
 *
 * Entry points: page_init loads web/messages.nl.json and messages.en.json
 * (embedded at build time) into one table sorted by key, checks that both
 * have the same keys, every key the code uses and the "{n}" of counted texts,
 * and then renders every message page once so a broken template stops the
 * server at start-up (page_selfcheck.c adds the survey form). page_msg looks
 * a key up (binary search); page_message fills message.html and wraps it in
 * layout.html.
 *
 * The table is written only by page_init, before any thread starts, and
 * read-only afterwards.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pages/assets.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/report.h"
#include "pages/tpl.h"
#include "survey/text.h"
#include "util/log.h"

struct page_entry {
	char	*key;
	char	*text[DEF_LANGS];
};

static struct page_entry	*page_cat;
/* Who runs this instance (page_org_set): set before serving and again
 * when a coordinator changes the settings, under page_org_lock. */
static char			*page_org_name, *page_org_contact,
				*page_org_privacy;
static pthread_rwlock_t		 page_org_lock = PTHREAD_RWLOCK_INITIALIZER;
static size_t			 page_ncat;

static const char *const page_cat_file[DEF_LANGS] = {
	"messages.nl.json", "messages.en.json"
};

/* Every key the code asks for; page_init fails if one is missing. */
static const char *const page_keys_used[] = {
	"lang.name", "site.skip", "site.contact", "site.privacy",
	"form.submit", "form.anonymous", "form.required",
	"form.some_optional", "form.all_optional", "form.cap",
	"error.prefix", "error.summary", "error.not_stored", "error.missing",
	"error.bad_option", "error.too_many", "error.too_long",
	"error.bad_text", "error.unknown_field", "error.hidden",
	"error.exclusive", "error.not_number", "error.out_of_range",
	"form.start", "form.next", "form.back", "form.progress",
	"form.more_questions", "form.last_page", "form.prefer_not",
	"form.exclusive", "form.number_range",
	"privacy.heading", "privacy.stored", "privacy.who", "privacy.once",
	"privacy.until_send", "privacy.unit_before", "privacy.unit_after",
	"sheet.how", "privacy.open_until", "home.report",
	"home.report_link", "form.followup_one", "form.followup_many",
	NULL
};

/* Texts with a day: "{date}" must be in them. */
static const char *const page_keys_dated[] = {
	"privacy.open_until", NULL
};

/* Texts with a count: "{n}" must be in them. */
static const char *const page_keys_counted[] = {
	"form.cap", "error.too_long", "privacy.who", "privacy.unit_after",
	"form.progress",
	"form.number_range", "error.out_of_range", "form.followup_many", NULL
};

/* Texts with two numbers: "{m}" must be in them too. */
static const char *const page_keys_counted2[] = {
	"form.progress", "form.number_range", "error.out_of_range", NULL
};

/* Key part of each page_kind, in enum order: "page.<name>.heading" etc. */
static const char *const page_kind_name[] = {
	[PAGE_THANKS] = "thanks",
	[PAGE_SPENT] = "spent",
	[PAGE_UNKNOWN_TOKEN] = "unknown_token",
	[PAGE_CLOSED] = "closed",
	[PAGE_NOT_FOUND] = "not_found",
	[PAGE_TOO_LARGE] = "too_large",
	[PAGE_BAD_REQUEST] = "bad_request",
	[PAGE_BUSY] = "busy",
	[PAGE_ERROR] = "error",
	[PAGE_HOME] = "home",
	[PAGE_STATE_EXPIRED] = "state_expired",
	[PAGE_TEST_DONE] = "test_done",
};
#define PAGE_NKINDS (sizeof(page_kind_name) / sizeof(page_kind_name[0]))

static const char *const page_kind_part[] = { "heading", "text", "hint" };
#define PAGE_NPARTS (sizeof(page_kind_part) / sizeof(page_kind_part[0]))

static void
page_cat_free(struct page_entry *cat, size_t n)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(cat[i].key);
		free(cat[i].text[DEF_NL]);
		free(cat[i].text[DEF_EN]);
	}
	free(cat);
}

static int
page_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct page_entry *)a)->key,
	    ((const struct page_entry *)b)->key);
}

static struct page_entry *
page_cat_find(struct page_entry *cat, size_t n, const char *key)
{
	struct page_entry probe;

	if (cat == NULL)
		return NULL;
	probe.key = (char *)key;
	return bsearch(&probe, cat, n, sizeof(*cat), page_entry_cmp);
}

/* Parses the catalogue of lang into a cJSON object; NULL if it is bad. */
static cJSON *
page_cat_parse(enum def_lang lang)
{
	const struct web_asset *a;
	cJSON *root;

	if ((a = web_asset_find(page_cat_file[lang])) == NULL) {
		log_error("web/%s: missing", page_cat_file[lang]);
		return NULL;
	}
	root = cJSON_ParseWithLength((const char *)a->data, a->len);
	if (root == NULL || !cJSON_IsObject(root)) {
		log_error("web/%s: not a JSON object", page_cat_file[lang]);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* Builds the sorted table from the Dutch catalogue: its keys are the set. */
static int
page_cat_build(const cJSON *nl, struct page_entry **out, size_t *nout)
{
	struct page_entry *cat = NULL;
	const cJSON *it;
	size_t i, n = 0;
	int r = GH_ERR_INVALID;

	cJSON_ArrayForEach(it, nl)
		n++;
	if (n == 0 || (cat = calloc(n, sizeof(*cat))) == NULL) {
		r = n == 0 ? GH_ERR_INVALID : GH_ERR_NOMEM;
		log_error("web/%s: %s", page_cat_file[DEF_NL],
		    n == 0 ? "empty" : "out of memory");
		goto out;
	}
	i = 0;
	cJSON_ArrayForEach(it, nl) {
		if (!cJSON_IsString(it)) {
			log_error("web/%s: $.%s: not a string",
			    page_cat_file[DEF_NL], it->string);
			goto out;
		}
		cat[i].key = strdup(it->string);
		cat[i].text[DEF_NL] = strdup(it->valuestring);
		if (cat[i].key == NULL || cat[i].text[DEF_NL] == NULL) {
			r = GH_ERR_NOMEM;
			goto out;
		}
		i++;
	}
	qsort(cat, n, sizeof(*cat), page_entry_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(cat[i - 1].key, cat[i].key) == 0) {
			log_error("web/%s: $.%s: duplicate key",
			    page_cat_file[DEF_NL], cat[i].key);
			goto out;
		}
	}
	*out = cat;
	*nout = n;
	cat = NULL;
	r = GH_OK;
out:
	page_cat_free(cat, n);
	return r;
}

/* Adds the English texts; every key must be one the Dutch file has. */
static int
page_cat_add_en(const cJSON *en, struct page_entry *cat, size_t n)
{
	struct page_entry *e;
	const cJSON *it;
	size_t i;

	cJSON_ArrayForEach(it, en) {
		e = page_cat_find(cat, n, it->string);
		if (e == NULL || e->text[DEF_EN] != NULL ||
		    !cJSON_IsString(it)) {
			log_error("web/%s: $.%s: %s", page_cat_file[DEF_EN],
			    it->string, e == NULL ?
			    "key not in messages.nl.json" :
			    e->text[DEF_EN] != NULL ? "duplicate key" :
			    "not a string");
			return GH_ERR_INVALID;
		}
		if ((e->text[DEF_EN] = strdup(it->valuestring)) == NULL)
			return GH_ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		if (cat[i].text[DEF_EN] == NULL) {
			log_error("web/%s: $.%s: missing (it is in "
			    "messages.nl.json)", page_cat_file[DEF_EN],
			    cat[i].key);
			return GH_ERR_INVALID;
		}
	}
	return GH_OK;
}

/* Checks that the texts of keys (all in cat) hold mark in every language. */
static int
page_cat_check_has(struct page_entry *cat, size_t n,
    const char *const *keys, const char *mark)
{
	const struct page_entry *e;
	size_t i, j;

	for (i = 0; keys[i] != NULL; i++) {
		e = page_cat_find(cat, n, keys[i]);
		for (j = 0; j < DEF_LANGS; j++) {
			if (strstr(e->text[j], mark) == NULL) {
				log_error("web/%s: $.%s: needs \"%s\"",
				    page_cat_file[j], e->key, mark);
				return GH_ERR_INVALID;
			}
		}
	}
	return GH_OK;
}

/* Checks that every key the code uses is there, with "{n}" where counted. */
static int
page_cat_check_used(struct page_entry *cat, size_t n)
{
	char key[64];
	size_t i, j;

	for (i = 0; page_keys_used[i] != NULL; i++) {
		if (page_cat_find(cat, n, page_keys_used[i]) == NULL) {
			log_error("web/messages.*.json: $.%s: missing",
			    page_keys_used[i]);
			return GH_ERR_INVALID;
		}
	}
	for (i = 0; i < PAGE_NKINDS; i++) {
		for (j = 0; j < PAGE_NPARTS; j++) {
			snprintf(key, sizeof(key), "page.%s.%s",
			    page_kind_name[i], page_kind_part[j]);
			if (page_cat_find(cat, n, key) == NULL) {
				log_error("web/messages.*.json: $.%s: missing",
				    key);
				return GH_ERR_INVALID;
			}
		}
	}
	if (page_cat_check_has(cat, n, page_keys_counted, "{n}") != GH_OK ||
	    page_cat_check_has(cat, n, page_keys_counted2, "{m}") != GH_OK ||
	    page_cat_check_has(cat, n, page_keys_dated, "{date}") != GH_OK)
		return GH_ERR_INVALID;
	return GH_OK;
}

/* Renders every message page in both languages to find template errors. */
static int
page_check_templates(void)
{
	struct buf b = { 0 };
	size_t k;
	int l, r = GH_OK;

	for (k = 0; k < PAGE_NKINDS && r == GH_OK; k++) {
		for (l = 0; l < DEF_LANGS && r == GH_OK; l++) {
			b.len = 0;
			r = page_message(&b, (enum page_kind)k,
			    (enum def_lang)l);
		}
	}
	buf_free(&b);
	return r;
}

int
page_init(void)
{
	cJSON *root[DEF_LANGS] = { NULL, NULL };
	struct page_entry *cat = NULL;
	size_t n = 0;
	int r = GH_ERR_INVALID;

	if ((root[DEF_NL] = page_cat_parse(DEF_NL)) == NULL ||
	    (root[DEF_EN] = page_cat_parse(DEF_EN)) == NULL)
		goto out;
	if ((r = page_cat_build(root[DEF_NL], &cat, &n)) != GH_OK)
		goto out;
	if ((r = page_cat_add_en(root[DEF_EN], cat, n)) != GH_OK ||
	    (r = page_cat_check_used(cat, n)) != GH_OK)
		goto out;
	page_cat_free(page_cat, page_ncat);
	page_cat = cat;
	page_ncat = n;
	cat = NULL;
	if ((r = page_report_def_load()) == GH_OK)
		r = page_check_templates();
out:
	page_cat_free(cat, n);
	cJSON_Delete(root[DEF_NL]);
	cJSON_Delete(root[DEF_EN]);
	return r;
}

enum def_lang
page_lang(enum def_lang lang)
{
	return lang == DEF_EN ? DEF_EN : DEF_NL;
}

const char *
page_lang_code(enum def_lang lang)
{
	return page_lang(lang) == DEF_EN ? "en" : "nl";
}

const char *
page_msg(enum def_lang lang, const char *key)
{
	const struct page_entry *e;

	if ((e = page_cat_find(page_cat, page_ncat, key)) == NULL)
		return key;
	return e->text[page_lang(lang)];
}

void
page_msg_n(struct buf *out, enum def_lang lang, const char *key, size_t n)
{
	const char *s, *at;

	s = page_msg(lang, key);
	if ((at = strstr(s, "{n}")) == NULL) {
		buf_puts(out, s);
		return;
	}
	buf_add(out, s, (size_t)(at - s));
	buf_printf(out, "%zu", n);
	buf_puts(out, at + 3);
}

void
page_msg_nm(struct buf *out, enum def_lang lang, const char *key,
    long long n, long long m)
{
	const char *s, *at_n, *at_m, *at;

	s = page_msg(lang, key);
	for (;;) {
		at_n = strstr(s, "{n}");
		at_m = strstr(s, "{m}");
		at = at_n == NULL ? at_m : at_m == NULL ? at_n :
		    at_n < at_m ? at_n : at_m;
		if (at == NULL)
			break;
		buf_add(out, s, (size_t)(at - s));
		buf_printf(out, "%lld", at == at_n ? n : m);
		s = at + 3;
	}
	buf_puts(out, s);
}

int
page_ensure_init(void)
{
	return page_ncat > 0 ? GH_OK : page_init();
}

unsigned int
page_status(enum page_kind kind)
{
	switch (kind) {
	case PAGE_THANKS:
	case PAGE_HOME:
	case PAGE_TEST_DONE:
		return 200;
	case PAGE_SPENT:
	case PAGE_CLOSED:
		return 410;
	case PAGE_UNKNOWN_TOKEN:
	case PAGE_NOT_FOUND:
		return 404;
	case PAGE_TOO_LARGE:
		return 413;
	case PAGE_BAD_REQUEST:
	case PAGE_STATE_EXPIRED:
		return 400;
	case PAGE_BUSY:
		return 503;
	case PAGE_ERROR:
		break;
	}
	return 500;
}

/* Returns 1 if s is a link gehoord may print as one (http, https, mailto). */
static int
page_is_link(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0 ||
	    strncmp(s, "mailto:", 7) == 0;
}

/* Checks one page_org_set value: NULL, or 1 to 300 bytes of UTF-8 text. */
static int
page_org_check(const char *what, const char *v)
{
	size_t i, len;

	if (v == NULL)
		return GH_OK;
	len = strlen(v);
	if (len == 0 || len > PAGE_ORG_MAX ||
	    survey_utf8_check(v, len, NULL) != 0) {
		log_error("%s: 1 to %d bytes of UTF-8 text, please", what,
		    PAGE_ORG_MAX);
		return GH_ERR_INVALID;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			log_error("%s: no control characters, please", what);
			return GH_ERR_INVALID;
		}
	}
	return GH_OK;
}

int
page_org_set(const char *name, const char *contact, const char *privacy_url)
{
	char *n_name, *n_contact, *n_privacy, *o_name, *o_contact, *o_privacy;

	if (page_org_check("the organisation's name", name) != GH_OK ||
	    page_org_check("the contact", contact) != GH_OK ||
	    page_org_check("the privacy statement's address",
	    privacy_url) != GH_OK)
		return GH_ERR_INVALID;
	if (privacy_url != NULL && (!page_is_link(privacy_url) ||
	    strncmp(privacy_url, "mailto:", 7) == 0)) {
		log_error("the privacy statement's address: an http:// or "
		    "https:// URL, please");
		return GH_ERR_INVALID;
	}
	n_name = name != NULL ? strdup(name) : NULL;
	n_contact = contact != NULL ? strdup(contact) : NULL;
	n_privacy = privacy_url != NULL ? strdup(privacy_url) : NULL;
	if ((name != NULL && n_name == NULL) ||
	    (contact != NULL && n_contact == NULL) ||
	    (privacy_url != NULL && n_privacy == NULL)) {
		free(n_name);
		free(n_contact);
		free(n_privacy);
		return GH_ERR_NOMEM;
	}
	/* Swapped whole, so a page shows the old settings or the new. */
	pthread_rwlock_wrlock(&page_org_lock);
	o_name = page_org_name;
	o_contact = page_org_contact;
	o_privacy = page_org_privacy;
	page_org_name = n_name;
	page_org_contact = n_contact;
	page_org_privacy = n_privacy;
	pthread_rwlock_unlock(&page_org_lock);
	free(o_name);
	free(o_contact);
	free(o_privacy);
	return GH_OK;
}

int
page_org_copy(char **name, char **contact)
{
	int r = GH_OK;

	pthread_rwlock_rdlock(&page_org_lock);
	*name = page_org_name != NULL ? strdup(page_org_name) : NULL;
	*contact = page_org_contact != NULL ? strdup(page_org_contact) : NULL;
	if ((page_org_name != NULL && *name == NULL) ||
	    (page_org_contact != NULL && *contact == NULL))
		r = GH_ERR_NOMEM;
	pthread_rwlock_unlock(&page_org_lock);
	if (r != GH_OK) {
		free(*name);
		free(*contact);
		*name = *contact = NULL;
	}
	return r;
}

/* The footer: who to ask and the privacy statement, if given. */
static int
page_footer(struct buf *out, enum def_lang lang)
{
	struct buf contact = { 0 }, privacy = { 0 };
	int r = GH_OK;

	if (page_org_contact == NULL && page_org_privacy == NULL)
		return GH_OK;
	if (page_org_contact != NULL) {
		int is_link = page_is_link(page_org_contact);
		struct tpl_var cv[] = {
			{ "label", page_msg(lang, "site.contact"), 0 },
			{ "href", page_org_contact, 0 },
			/* An address is read without its scheme. */
			{ "text", strncmp(page_org_contact, "mailto:", 7) == 0 ?
			    page_org_contact + 7 : page_org_contact, 0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(&contact, is_link ? "site_contact_link.html" :
		    "site_contact.html", cv);
	}
	if (r == GH_OK && page_org_privacy != NULL) {
		struct tpl_var pv[] = {
			{ "href", page_org_privacy, 0 },
			{ "text", page_msg(lang, "site.privacy"), 0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(&privacy, "site_privacy.html", pv);
	}
	if (r == GH_OK) {
		struct tpl_var fv[] = {
			{ "contact", contact.data, 1 },
			{ "privacy", privacy.data, 1 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "site_footer.html", fv);
	}
	buf_free(&contact);
	buf_free(&privacy);
	return r;
}

int
page_layout(struct buf *out, enum def_lang lang, const char *title,
    const char *content)
{
	struct buf brand = { 0 }, footer = { 0 };
	int r;

	struct tpl_var bv[] = {
		{ "org", "", 0 },
		{ NULL, NULL, 0 },
	};
	const char *brand_tpl;

	/* A logo needs a name for its alt text (cmd_serve insists). */
	pthread_rwlock_rdlock(&page_org_lock);
	bv[0].value = page_org_name != NULL ? page_org_name : "";
	brand_tpl = page_org_name == NULL ? "site_brand.html" :
	    page_logo_is_set() ? "site_brand_logo.html" :
	    "site_brand_org.html";
	if ((r = tpl_render(&brand, brand_tpl, bv)) == GH_OK)
		r = page_footer(&footer, lang);
	pthread_rwlock_unlock(&page_org_lock);
	if (r != GH_OK)
		goto out;
	struct tpl_var vars[] = {
		{ "lang", page_lang_code(lang), 0 },
		{ "title", title, 0 },
		{ "skip", page_msg(lang, "site.skip"), 0 },
		{ "brand", brand.data, 1 },
		{ "content", content, 1 },
		{ "footer", footer.data, 1 },
		{ NULL, NULL, 0 },
	};
	r = tpl_render(out, "layout.html", vars);
out:
	buf_free(&brand);
	buf_free(&footer);
	return r;
}

/* The home page's pointer to anonymous reporting at /melden. */
static int
page_home_report(struct buf *out, enum def_lang lang)
{
	struct tpl_var v[] = {
		{ "text", page_msg(lang, "home.report"), 0 },
		{ "link", page_msg(lang, "home.report_link"), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "home_report.html", v);
}

int
page_message(struct buf *out, enum page_kind kind, enum def_lang lang)
{
	struct tpl_var vars[PAGE_NPARTS + 1];
	struct buf body = { 0 }, title = { 0 };
	char key[64];
	size_t j;
	int r;

	if ((size_t)kind >= PAGE_NKINDS)
		kind = PAGE_ERROR;
	/* The template's placeholders are named as the catalogue's parts. */
	for (j = 0; j < PAGE_NPARTS; j++) {
		snprintf(key, sizeof(key), "page.%s.%s", page_kind_name[kind],
		    page_kind_part[j]);
		vars[j].name = page_kind_part[j];
		vars[j].value = page_msg(lang, key);
		vars[j].is_raw = 0;
	}
	vars[PAGE_NPARTS].name = NULL;
	if ((r = tpl_render(&body, "message.html", vars)) != GH_OK ||
	    (kind == PAGE_HOME && (r = page_home_report(&body, lang)) !=
	    GH_OK))
		goto out;
	buf_printf(&title, "%s \xe2\x80\x93 gehoord", vars[0].value);
	if (buf_is_failed(&title)) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	r = page_layout(out, lang, title.data, body.data);
out:
	buf_free(&body);
	buf_free(&title);
	return r;
}
