/*
 * page_research.c: the /research pages (research.h): the list of
 * releases and one release's page around its tables, and the page for a
 * signed-in user who is not a researcher.
 *
 * Entry points: page_research_list groups the releases by instrument,
 * then wave, newest first, each level from its own template
 * (research_instrument.html, research_wave.html, research_item.html);
 * page_research_release parses tables.json with cJSON and hands it to
 * research_tables (page_research_table.c), then lists the downloads, and
 * puts a table of contents of both at the top.
 * Every text goes through the templates' escaping; the fragments passed
 * raw were rendered from templates here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/research.h"
#include "pages/research_int.h"
#include "pages/tpl.h"

static enum def_lang
other_lang(enum def_lang lang)
{
	return page_lang(lang) == DEF_NL ? DEF_EN : DEF_NL;
}

/* Writes day (days since 1970-01-01) as YYYY-MM-DD. */
static void
day_text(char *out, size_t outsz, int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, outsz, "%Y-%m-%d", &tm) == 0)
		snprintf(out, outsz, "?");
}

static int
finish(struct buf *b)
{
	return buf_is_failed(b) ? GH_ERR_NOMEM : GH_OK;
}

/* The signed-in user with a Log out button (research_user.html). */
static int
render_user(struct buf *out, enum def_lang lang,
    const struct research_user *user)
{
	struct tpl_var vars[] = {
		{ "csrf", user->csrf, 0 },
		{ "lang", page_lang_code(lang), 0 },
		{ "signed_in", page_msg(lang, "research.signed_in"), 0 },
		{ "user", user->name, 0 },
		{ "logout", page_msg(lang, "research.logout"), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "research_user.html", vars);
}

/* Newest first within an instrument; instruments by id. */
static int
cmp_release(const void *a, const void *b)
{
	const struct research_release *x = a, *y = b;
	int c = strcmp(x->instrument_id, y->instrument_id);

	if (c != 0)
		return c;
	if (x->wave_id != y->wave_id)
		return x->wave_id > y->wave_id ? -1 : 1;
	if (x->id != y->id)
		return x->id > y->id ? -1 : 1;
	return 0;
}

static int
render_item(struct buf *out, enum def_lang lang,
    const struct research_release *r)
{
	char href[64], date[16];
	struct buf name = { 0 };
	int rc;

	snprintf(href, sizeof(href), "/research/r/%lld?lang=%s",
	    (long long)r->id, page_lang_code(lang));
	day_text(date, sizeof(date), r->created_day);
	page_msg_n(&name, lang, "research.release", (size_t)r->id);
	if ((rc = finish(&name)) == GH_OK) {
		struct tpl_var vars[] = {
			{ "href", href, 0 },
			{ "release", name.data, 0 },
			{ "published", page_msg(lang, "research.published"), 0 },
			{ "date", date, 0 },
			{ NULL, NULL, 0 },
		};
		rc = tpl_render(out, "research_item.html", vars);
	}
	buf_free(&name);
	return rc;
}

/* Renders the waves of rels[0..n-1] (one instrument) into out. */
static int
render_waves(struct buf *out, enum def_lang lang,
    const struct research_release *rels, size_t n)
{
	struct buf items = { 0 };
	size_t i, j;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i = j) {
		items.len = 0;
		for (j = i; j < n && rels[j].wave_id == rels[i].wave_id &&
		    r == GH_OK; j++)
			r = render_item(&items, lang, &rels[j]);
		if (r == GH_OK) {
			struct tpl_var vars[] = {
				{ "wave_label", page_msg(lang, "research.wave"),
				    0 },
				{ "wave", rels[i].wave_name, 0 },
				{ "items", items.len ? items.data : "", 1 },
				{ NULL, NULL, 0 },
			};
			r = tpl_render(out, "research_wave.html", vars);
		}
	}
	buf_free(&items);
	return r;
}

static int
render_groups(struct buf *out, enum def_lang lang,
    const struct research_release *rels, size_t n)
{
	struct buf waves = { 0 };
	char hid[32];
	size_t i, j, g = 0;
	int r = GH_OK;

	for (i = 0; i < n && r == GH_OK; i = j) {
		for (j = i; j < n && strcmp(rels[j].instrument_id,
		    rels[i].instrument_id) == 0; j++)
			;
		waves.len = 0;
		if ((r = render_waves(&waves, lang, rels + i, j - i)) != GH_OK)
			break;
		snprintf(hid, sizeof(hid), "instrument-%zu", ++g);
		{
			struct tpl_var vars[] = {
				{ "hid", hid, 0 },
				{ "title", rels[i].instrument_title, 0 },
				{ "id", rels[i].instrument_id, 0 },
				{ "waves", waves.len ? waves.data : "", 1 },
				{ NULL, NULL, 0 },
			};
			r = tpl_render(out, "research_instrument.html", vars);
		}
	}
	buf_free(&waves);
	return r;
}

int
page_research_list(struct buf *out, enum def_lang lang,
    const struct research_user *user, const struct research_release *rels,
    size_t n)
{
	struct research_release *sorted = NULL;
	struct buf groups = { 0 }, body = { 0 }, who = { 0 };
	char switch_href[32];
	int r = GH_ERR_NOMEM;

	if (n > 0) {
		if ((sorted = calloc(n, sizeof(*sorted))) == NULL)
			goto out;
		memcpy(sorted, rels, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), cmp_release);
		r = render_groups(&groups, lang, sorted, n);
	} else {
		struct tpl_var none[] = {
			{ "none", page_msg(lang, "research.none"), 0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(&groups, "research_none.html", none);
	}
	if (r != GH_OK || (r = render_user(&who, lang, user)) != GH_OK)
		goto out;
	snprintf(switch_href, sizeof(switch_href), "/research?lang=%s",
	    page_lang_code(other_lang(lang)));
	{
		struct tpl_var vars[] = {
			{ "switch_href", switch_href, 0 },
			{ "other_lang", page_lang_code(other_lang(lang)), 0 },
			{ "other_lang_name", page_msg(other_lang(lang),
			    "lang.name"), 0 },
			{ "title", page_msg(lang, "research.title"), 0 },
			{ "user_form", who.data, 1 },
			{ "intro", page_msg(lang, "research.intro"), 0 },
			{ "groups", groups.data, 1 },
			{ "scripts", page_msg(lang, "research.scripts"), 0 },
			{ NULL, NULL, 0 },
		};
		if ((r = tpl_render(&body, "research_list.html", vars)) != GH_OK)
			goto out;
	}
	r = page_layout(out, lang, page_msg(lang, "research.title"), body.data);
out:
	free(sorted);
	buf_free(&groups);
	buf_free(&body);
	buf_free(&who);
	return r;
}

char *
page_research_file_name(char *out, size_t outsz,
    const struct research_release *rel, const char *name)
{
	char slug[64];
	const char *p;
	size_t n = 0;

	for (p = rel->wave_name; p != NULL && *p != '\0' &&
	    n + 1 < sizeof(slug); p++) {
		if (*p >= 'A' && *p <= 'Z')
			slug[n++] = (char)(*p - 'A' + 'a');
		else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			slug[n++] = *p;
		else if (n > 0 && slug[n - 1] != '-')
			slug[n++] = '-';
	}
	while (n > 0 && slug[n - 1] == '-')
		n--;
	slug[n] = '\0';
	if (n == 0)	/* nothing of the name is left: the wave's number */
		snprintf(slug, sizeof(slug), "wave-%lld",
		    (long long)rel->wave_id);
	snprintf(out, outsz, "%s-release-%lld-%s", slug, (long long)rel->id,
	    name);
	return out;
}

/* ": what the file is", for the files a release has; else "". */
static void
file_desc(struct buf *b, enum def_lang lang, const char *name)
{
	char key[96];
	const char *s;

	snprintf(key, sizeof(key), "research.file.%s", name);
	if ((s = page_msg(lang, key)) != key)	/* page_msg: a known key */
		buf_printf(b, ": %s", s);
}

static int
render_downloads(struct buf *out, enum def_lang lang,
    const struct research_release *rel, const struct research_file *files,
    size_t nfiles)
{
	char href[320], size[32], name[RESEARCH_FILE_NAME_MAX];
	struct buf desc = { 0 };
	size_t i;
	int r = GH_OK;

	for (i = 0; i < nfiles && r == GH_OK; i++) {
		snprintf(href, sizeof(href), "/research/r/%lld/%s",
		    (long long)rel->id, files[i].name);
		snprintf(size, sizeof(size), "%zu", files[i].len);
		page_research_file_name(name, sizeof(name), rel, files[i].name);
		desc.len = 0;
		file_desc(&desc, lang, files[i].name);
		if ((r = finish(&desc)) != GH_OK)
			break;
		{
			struct tpl_var vars[] = {
				{ "href", href, 0 },
				{ "name", name, 0 },
				{ "desc", desc.len ? desc.data : "", 0 },
				{ "size", size, 0 },
				{ "bytes", page_msg(lang, "research.bytes"), 0 },
				{ NULL, NULL, 0 },
			};
			r = tpl_render(out, "research_download.html", vars);
		}
	}
	buf_free(&desc);
	return r;
}

/* The k of tables.json if it gives a sensible one, else the wave's. */
static int
release_k(const cJSON *root, int k)
{
	double v;

	if (root != NULL && research_jnum(root, "k", &v) && v >= 1 &&
	    v <= 1000000)
		return (int)v;
	return k;
}

/*
 * The table of contents (research_toc.html): a link to every table,
 * nested under the tables' own heading, to every other section and to
 * the downloads; before it a link past it.
 */
static int
render_toc(struct buf *out, enum def_lang lang,
    const struct research_toc *toc)
{
	struct buf list = { 0 };
	int r = GH_OK;

	if (toc->tables.len > 0) {
		struct tpl_var vars[] = {
			{ "items", toc->tables.data, 1 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(&list, "research_toc_list.html", vars);
	}
	if (r == GH_OK) {
		struct tpl_var vars[] = {
			{ "skip", page_msg(lang, "research.toc_skip"), 0 },
			{ "heading", page_msg(lang, "research.toc"), 0 },
			{ "tables_heading", page_msg(lang, "research.tables"),
			    0 },
			{ "tables", list.len ? list.data : "", 1 },
			{ "sections", toc->sections.len ? toc->sections.data :
			    "", 1 },
			{ "downloads", page_msg(lang, "research.downloads"),
			    0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "research_toc.html", vars);
	}
	buf_free(&list);
	return r;
}

/* Renders the body of the release page (research_release.html). */
static int
render_release(struct buf *out, enum def_lang lang,
    const struct research_user *user, const struct research_release *rel,
    const char *toc, const char *tables, const char *downloads, int k)
{
	struct buf heading = { 0 }, threshold = { 0 }, who = { 0 };
	struct buf hint = { 0 };
	char switch_href[64], back_href[32], date[16];
	char prefix[RESEARCH_FILE_NAME_MAX];
	const char *const hint_vars[] = { "prefix", prefix, NULL };
	int r;

	snprintf(switch_href, sizeof(switch_href), "/research/r/%lld?lang=%s",
	    (long long)rel->id, page_lang_code(other_lang(lang)));
	snprintf(back_href, sizeof(back_href), "/research?lang=%s",
	    page_lang_code(lang));
	day_text(date, sizeof(date), rel->created_day);
	page_msg_n(&heading, lang, "research.release_heading",
	    (size_t)rel->id);
	page_msg_n(&threshold, lang, "research.threshold", (size_t)k);
	page_research_file_name(prefix, sizeof(prefix), rel, "");
	research_msg_fill(&hint, lang, "research.downloads_hint", hint_vars);
	if ((r = finish(&heading)) != GH_OK ||
	    (r = finish(&threshold)) != GH_OK || (r = finish(&hint)) != GH_OK ||
	    (r = render_user(&who, lang, user)) != GH_OK)
		goto out;
	{
		struct tpl_var vars[] = {
			{ "switch_href", switch_href, 0 },
			{ "other_lang", page_lang_code(other_lang(lang)), 0 },
			{ "other_lang_name", page_msg(other_lang(lang),
			    "lang.name"), 0 },
			{ "user_form", who.data, 1 },
			{ "back_href", back_href, 0 },
			{ "back", page_msg(lang, "research.back"), 0 },
			{ "heading", heading.data, 0 },
			{ "instrument", rel->instrument_title, 0 },
			{ "instrument_id", rel->instrument_id, 0 },
			{ "wave_label", page_msg(lang, "research.wave"), 0 },
			{ "wave", rel->wave_name, 0 },
			{ "published", page_msg(lang, "research.published"), 0 },
			{ "date", date, 0 },
			{ "threshold", threshold.data, 0 },
			{ "toc", toc, 1 },
			{ "tables_heading", page_msg(lang, "research.tables"),
			    0 },
			{ "tables", tables, 1 },
			{ "downloads_heading", page_msg(lang,
			    "research.downloads"), 0 },
			{ "downloads", downloads, 1 },
			{ "downloads_hint", hint.data, 0 },
			{ "scripts", page_msg(lang, "research.scripts"), 0 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "research_release.html", vars);
	}
out:
	buf_free(&heading);
	buf_free(&threshold);
	buf_free(&who);
	buf_free(&hint);
	return r;
}

int
page_research_release(struct buf *out, enum def_lang lang,
    const struct research_user *user, const struct research_release *rel,
    const struct research_json *json, const struct research_file *files,
    size_t nfiles)
{
	struct buf tables = { 0 }, downloads = { 0 }, body = { 0 };
	struct buf contents = { 0 };
	struct research_toc toc = { { 0 }, { 0 } };
	cJSON *root = NULL, *codebook = NULL;
	int r, k;

	if (json->tables != NULL && json->tables_len > 0)
		root = cJSON_ParseWithLength(json->tables, json->tables_len);
	if (json->codebook != NULL && json->codebook_len > 0)
		codebook = cJSON_ParseWithLength(json->codebook,
		    json->codebook_len);
	k = release_k(root, rel->k);
	r = GH_OK;
	if (codebook != NULL && !cJSON_IsObject(codebook)) {
		cJSON_Delete(codebook);
		codebook = NULL;
	}
	if (root != NULL && cJSON_IsObject(root)) {
		r = research_labels(root, codebook, lang);
		if (r == GH_OK)
			r = research_tables(&tables, &toc, lang, root, k);
	}
	if (r == GH_OK && tables.len == 0) {
		struct tpl_var none[] = {
			{ "none", page_msg(lang, "research.no_tables"), 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&tables, "research_none.html", none);
	}
	if (r != GH_OK)
		goto out;
	if ((r = render_downloads(&downloads, lang, rel, files, nfiles)) !=
	    GH_OK || (r = finish(&downloads)) != GH_OK ||
	    (r = render_toc(&contents, lang, &toc)) != GH_OK)
		goto out;
	if ((r = render_release(&body, lang, user, rel, contents.data,
	    tables.data, downloads.len ? downloads.data : "", k)) != GH_OK)
		goto out;
	{
		struct buf title = { 0 };

		page_msg_n(&title, lang, "research.release_heading",
		    (size_t)rel->id);
		buf_printf(&title, " \xe2\x80\x93 %s", rel->instrument_title);
		if ((r = finish(&title)) == GH_OK)
			r = page_layout(out, lang, title.data, body.data);
		buf_free(&title);
	}
out:
	cJSON_Delete(root);
	cJSON_Delete(codebook);
	buf_free(&tables);
	buf_free(&downloads);
	buf_free(&body);
	buf_free(&contents);
	buf_free(&toc.tables);
	buf_free(&toc.sections);
	return r;
}

int
page_research_forbidden(struct buf *out, enum def_lang lang)
{
	struct tpl_var vars[] = {
		{ "heading", page_msg(lang, "research.forbidden.heading"), 0 },
		{ "text", page_msg(lang, "research.forbidden.text"), 0 },
		{ "hint", page_msg(lang, "research.forbidden.hint"), 0 },
		{ NULL, NULL, 0 },
	};
	struct buf body = { 0 };
	int r;

	if ((r = tpl_render(&body, "message.html", vars)) == GH_OK)
		r = page_layout(out, lang, vars[0].value, body.data);
	buf_free(&body);
	return r;
}
