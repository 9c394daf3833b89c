/*
 * route_research.c: GET /research and everything under it, for signed-in
 * researchers only.
 *
 * Entry point: route_research. Every request first needs a session
 * (cookie "gh_session", session.h) with the researcher role: without one
 * it is sent to /login (303), a desk session gets 403. Then:
 *   /research              the releases per instrument and wave
 *   /research/r/ID         one release: tables, charts, downloads
 *   /research/r/ID/FILE    a file of the release, as an attachment named
 *                          after the wave and the release
 *   /research/api/releases the list as JSON, for scripts
 *   /research/api/r/ID     the release's tables.json
 * Data path: a reading connection (ctx_store_get) -> store_release.h
 * (release rows, file names, file bytes) and the wave (name, k) -> the
 * connection is given back -> ctx_wave (the instrument's id and title)
 * -> pages/research.h or the bytes as they are stored. Releases hold
 * aggregates only, already suppressed and signed; these routes show what
 * was published and nothing else. Every response is no-store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "crypto/signkey.h"
#include "http/http_int.h"
#include "http/session.h"
#include "pages/page.h"
#include "pages/research.h"
#include "store/store_release.h"
#include "store/store_user.h"
#include "util/log.h"

#define COOKIE_NAME	"gh_session"
#define MAX_RELEASES	10000
#define MAX_FILES	32
#define FILE_NAME_MAX	64
/* Files that are not HTML: nothing in them runs, frames or is sniffed. */
#define DATA_CSP	"default-src 'none'; frame-ancestors 'none'; sandbox"
#define HSTS		"max-age=31536000"

/* One release with what the pages name it by (owned strings). */
struct release_entry {
	struct research_release	 r;
	char			*wave_name;
	char			*title[DEF_LANGS];
	char			*instrument_id;
};

struct release_list {
	struct release_entry	*v;
	size_t		 n;
};

static void
release_list_free(struct release_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].wave_name);
		free(l->v[i].title[DEF_NL]);
		free(l->v[i].title[DEF_EN]);
		free(l->v[i].instrument_id);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
collect(void *arg, const struct release_row *row)
{
	struct release_list *l = arg;
	struct release_entry *nv;

	/* A release uploaded in the console is shown once published. */
	if (l->n == MAX_RELEASES || !row->is_published)
		return GH_OK;
	if ((nv = realloc(l->v, (l->n + 1) * sizeof(*nv))) == NULL)
		return GH_ERR_NOMEM;
	l->v = nv;
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].r.id = row->id;
	l->v[l->n].r.wave_id = row->wave_id;
	l->v[l->n].r.created_day = row->created_day;
	l->n++;
	return GH_OK;
}

/*
 * Reads the releases (all, or only id if id > 0) with their waves' names
 * and k, then their instruments' ids and titles. GH_ERR_NOT_FOUND if id
 * is not a release.
 */
static int
load_releases(struct http_ctx *c, int64_t id, struct release_list *l)
{
	struct store *s = ctx_store_get(c);
	const struct ctx_wave *cw;
	struct store_wave *w;
	size_t i, j;
	int r;

	r = store_release_foreach(s, 0, collect, l);
	for (i = 0, j = 0; r == GH_OK && i < l->n; i++)
		if (id <= 0 || l->v[i].r.id == id)
			l->v[j++] = l->v[i];
	if (r == GH_OK)
		l->n = j;
	for (i = 0; r == GH_OK && i < l->n; i++) {
		if ((r = store_wave_get(s, l->v[i].r.wave_id, &w)) != GH_OK)
			break;
		l->v[i].r.k = w->k;
		l->v[i].wave_name = strdup(w->name);
		store_wave_free(w);
		if (l->v[i].wave_name == NULL)
			r = GH_ERR_NOMEM;
	}
	ctx_store_put(c, s);
	if (r == GH_OK && id > 0 && l->n == 0)
		r = GH_ERR_NOT_FOUND;
	/* The instrument of each wave; its definition was checked when the
	 * wave was made, and is loaded once per server. */
	for (i = 0; r == GH_OK && i < l->n; i++) {
		struct release_entry *e = &l->v[i];

		cw = ctx_wave(c, e->r.wave_id);
		e->instrument_id = strdup(cw != NULL ? cw->def->id : "");
		e->title[DEF_NL] = strdup(cw != NULL ?
		    cw->def->title.s[DEF_NL] : e->wave_name);
		e->title[DEF_EN] = strdup(cw != NULL ?
		    cw->def->title.s[DEF_EN] : e->wave_name);
		if (e->instrument_id == NULL || e->title[DEF_NL] == NULL ||
		    e->title[DEF_EN] == NULL)
			r = GH_ERR_NOMEM;
		e->r.wave_name = e->wave_name;
		e->r.instrument_id = e->instrument_id;
	}
	return r;
}

/* Points each release's title at the request's language. */
static void
set_lang(struct release_list *l, enum def_lang lang)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		l->v[i].r.instrument_title = l->v[i].title[lang == DEF_EN ?
		    DEF_EN : DEF_NL];
}

/* A file name as releases use them: [A-Za-z0-9._-], not starting "." */
static int
is_file_name(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len <= FILE_NAME_MAX && s[0] != '.' &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == len;
}

static const char *
content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot != NULL && strcmp(dot, ".csv") == 0)
		return "text/csv; charset=utf-8";
	if (dot != NULL && strcmp(dot, ".json") == 0)
		return "application/json";
	return "text/plain; charset=utf-8";
}

/*
 * Sends data (malloc'd, taken over) as a file: its type, no-store, no
 * sniffing, and as an attachment named name unless name is NULL.
 */
static enum MHD_Result
send_data(struct req *rq, char *data, size_t len, const char *type,
    const char *name)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char disp[RESEARCH_FILE_NAME_MAX + 40];

	resp = MHD_create_response_from_buffer_with_free_callback_cls(len,
	    data, free, data);
	if (resp == NULL) {
		free(data);
		return MHD_NO;
	}
	if (rq->ctx->is_https)	/* HTTPS here or at a proxy */
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    HSTS);
	MHD_add_response_header(resp, "Content-Security-Policy", DATA_CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Content-Type", type);
	if (name != NULL) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		    name);
		MHD_add_response_header(resp, "Content-Disposition", disp);
	}
	ret = MHD_queue_response(rq->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * Reads file name of release id: from the store, or for release-key.pub
 * that the release did not store, the instance's release key in
 * signify's format. GH_ERR_NOT_FOUND.
 */
static int
read_file(struct http_ctx *c, int64_t id, const char *name, uint8_t **data,
    size_t *len)
{
	struct store *s = ctx_store_get(c);
	uint8_t pk[SIGNKEY_PK_BYTES];
	char text[SIGNKEY_SIGNIFY_MAX];
	int r;

	r = store_release_file(s, id, name, data, len);
	if (r != GH_ERR_NOT_FOUND || strcmp(name, "release-key.pub") != 0)
		goto out;
	/* Only for a release that exists: its signature is there. */
	if ((r = store_release_file(s, id, "MANIFEST.sig", data, len)) !=
	    GH_OK)
		goto out;
	free(*data);
	*data = NULL;
	if ((r = store_key_get(s, "release", pk)) != GH_OK ||
	    (r = signkey_signify_pub(text, sizeof(text),
	    "gehoord release public key", pk)) != GH_OK)
		goto out;
	*len = strlen(text);
	r = (*data = (uint8_t *)strdup(text)) != NULL ? GH_OK : GH_ERR_NOMEM;
out:
	ctx_store_put(c, s);
	return r;
}

static enum MHD_Result
send_error(struct req *rq, int r)
{
	return http_send_page(rq, r == GH_ERR_NOT_FOUND ? PAGE_NOT_FOUND :
	    PAGE_ERROR);
}

struct file_list {
	struct research_file	 v[MAX_FILES];
	char			 names[MAX_FILES][FILE_NAME_MAX + 1];
	size_t			 n;
	int			 has_pub;
};

static void
file_add(struct file_list *fl, const char *name, size_t len)
{
	if (fl->n == MAX_FILES || !is_file_name(name))
		return;
	snprintf(fl->names[fl->n], sizeof(fl->names[fl->n]), "%s", name);
	fl->v[fl->n].name = fl->names[fl->n];
	fl->v[fl->n].len = len;
	fl->n++;
	if (strcmp(name, "release-key.pub") == 0)
		fl->has_pub = 1;
}

static int
file_collect(void *arg, const char *name, size_t len)
{
	file_add(arg, name, len);
	return GH_OK;
}

/* The downloads of release id: its stored files, MANIFEST, the key. */
static int
list_files(struct http_ctx *c, int64_t id, struct file_list *fl)
{
	static const char *const meta[] = { "MANIFEST", "MANIFEST.sig",
	    "release-key.pub" };
	struct store *s = ctx_store_get(c);
	uint8_t *data;
	size_t i, len;
	int r;

	r = store_release_names(s, id, file_collect, fl);
	ctx_store_put(c, s);
	for (i = 0; r == GH_OK && i < 3; i++) {
		data = NULL;
		if (i == 2 && fl->has_pub)
			break;
		if (read_file(c, id, meta[i], &data, &len) == GH_OK)
			file_add(fl, meta[i], len);
		free(data);
	}
	return r;
}

static enum MHD_Result
send_list(struct req *rq, const struct session_view *v)
{
	struct release_list l = { 0 };
	struct research_release *rs = NULL;
	struct buf b = { 0 };
	size_t i;
	int r;

	if ((r = load_releases(rq->ctx, 0, &l)) != GH_OK)
		goto out;
	set_lang(&l, rq->lang);
	if (l.n > 0 && (rs = calloc(l.n, sizeof(*rs))) == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < l.n; i++)
		rs[i] = l.v[i].r;
	{
		struct research_user u = { v->name, v->csrf };

		r = page_research_list(&b, rq->lang, &u, rs, l.n);
	}
out:
	free(rs);
	release_list_free(&l);
	if (r != GH_OK) {
		buf_free(&b);
		return send_error(rq, r);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

static enum MHD_Result
send_release(struct req *rq, const struct session_view *v, int64_t id)
{
	struct research_user u = { v->name, v->csrf };
	struct research_json j = { 0 };
	struct release_list l = { 0 };
	struct file_list *fl = NULL;
	struct buf b = { 0 };
	uint8_t *tables = NULL, *codebook = NULL;
	int r;

	if ((r = load_releases(rq->ctx, id, &l)) != GH_OK)
		goto out;
	set_lang(&l, rq->lang);
	if ((fl = calloc(1, sizeof(*fl))) == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	if ((r = list_files(rq->ctx, id, fl)) != GH_OK)
		goto out;
	/* Without a tables.json the page still offers the files. */
	if (read_file(rq->ctx, id, "tables.json", &tables, &j.tables_len) ==
	    GH_OK)
		j.tables = (const char *)tables;
	if (read_file(rq->ctx, id, "codebook.json", &codebook,
	    &j.codebook_len) == GH_OK)
		j.codebook = (const char *)codebook;
	r = page_research_release(&b, rq->lang, &u, &l.v[0].r, &j, fl->v,
	    fl->n);
out:
	free(tables);
	free(codebook);
	free(fl);
	release_list_free(&l);
	if (r != GH_OK) {
		buf_free(&b);
		return send_error(rq, r);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

/*
 * Sends file name of release id; as an attachment (is_attachment) it is
 * named after the wave and the release (page_research_file_name).
 */
static enum MHD_Result
send_file(struct req *rq, int64_t id, const char *name, int is_attachment)
{
	struct release_list l = { 0 };
	char saved[RESEARCH_FILE_NAME_MAX];
	uint8_t *data = NULL;
	size_t len;
	int r;

	if (!is_file_name(name))
		return http_send_page(rq, PAGE_NOT_FOUND);
	/* Only a published release's files (load_releases skips others). */
	r = load_releases(rq->ctx, id, &l);
	if (r == GH_OK && is_attachment)
		page_research_file_name(saved, sizeof(saved), &l.v[0].r, name);
	release_list_free(&l);
	if (r != GH_OK)
		return send_error(rq, r);
	if ((r = read_file(rq->ctx, id, name, &data, &len)) != GH_OK)
		return send_error(rq, r);
	return send_data(rq, (char *)data, len, content_type(name),
	    is_attachment ? saved : NULL);
}

/* {"releases":[...]}: what a script needs to find and fetch a release. */
static cJSON *
list_json(const struct release_list *l)
{
	cJSON *root, *arr, *o, *t;
	char url[64], day[16];
	size_t i;

	if ((root = cJSON_CreateObject()) == NULL ||
	    (arr = cJSON_AddArrayToObject(root, "releases")) == NULL)
		goto fail;
	for (i = l->n; i-- > 0;) {	/* newest first */
		const struct release_entry *e = &l->v[i];
		time_t tt = (time_t)(e->r.created_day * 86400);
		struct tm tm;

		if ((o = cJSON_CreateObject()) == NULL)
			goto fail;
		cJSON_AddItemToArray(arr, o);
		if (gmtime_r(&tt, &tm) == NULL ||
		    strftime(day, sizeof(day), "%Y-%m-%d", &tm) == 0)
			day[0] = '\0';
		cJSON_AddNumberToObject(o, "id", (double)e->r.id);
		cJSON_AddNumberToObject(o, "wave_id", (double)e->r.wave_id);
		cJSON_AddStringToObject(o, "wave", e->wave_name);
		cJSON_AddNumberToObject(o, "k", e->r.k);
		cJSON_AddStringToObject(o, "instrument", e->instrument_id);
		if ((t = cJSON_AddObjectToObject(o, "title")) == NULL)
			goto fail;
		cJSON_AddStringToObject(t, "nl", e->title[DEF_NL]);
		cJSON_AddStringToObject(t, "en", e->title[DEF_EN]);
		cJSON_AddStringToObject(o, "published", day);
		snprintf(url, sizeof(url), "/research/api/r/%lld",
		    (long long)e->r.id);
		cJSON_AddStringToObject(o, "tables_json", url);
		snprintf(url, sizeof(url), "/research/r/%lld/",
		    (long long)e->r.id);
		cJSON_AddStringToObject(o, "files", url);
	}
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

static enum MHD_Result
send_list_json(struct req *rq)
{
	struct release_list l = { 0 };
	cJSON *root = NULL;
	char *text = NULL;
	int r;

	if ((r = load_releases(rq->ctx, 0, &l)) == GH_OK &&
	    ((root = list_json(&l)) == NULL ||
	    (text = cJSON_PrintUnformatted(root)) == NULL))
		r = GH_ERR_NOMEM;
	cJSON_Delete(root);
	release_list_free(&l);
	if (r != GH_OK)
		return send_error(rq, r);
	/* cJSON allocates with malloc (its default hooks), freed by free. */
	return send_data(rq, text, strlen(text), "application/json", NULL);
}

/* Parses "ID" or "ID/rest" (ID: 1 to 18 digits); *rest gets "" or "/..." */
static int64_t
parse_id(const char *s, const char **rest)
{
	size_t n = strspn(s, "0123456789");
	int64_t id;

	if (n == 0 || n > 18 || s[0] == '0')
		return 0;
	id = strtoll(s, NULL, 10);
	*rest = s + n;
	return id;
}

/* The signed-in researcher, or a redirect to /login, or 403. */
static int
check_session(struct req *rq, struct session_view *v, enum MHD_Result *ret)
{
	const char *cookie;

	cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND,
	    COOKIE_NAME);
	if (cookie == NULL || rq->ctx->sessions == NULL ||
	    session_find(rq->ctx->sessions, cookie, v) != GH_OK) {
		*ret = http_send_redirect(rq, "/login", NULL);
		return 0;
	}
	if (v->role != USER_RESEARCHER) {
		struct buf b = { 0 };

		if (page_research_forbidden(&b, rq->lang) != GH_OK)
			buf_free(&b);
		*ret = http_send_html(rq, MHD_HTTP_FORBIDDEN, &b);
		return 0;
	}
	return 1;
}

enum MHD_Result
route_research(struct req *rq, const char *url)
{
	struct session_view v;
	enum MHD_Result ret;
	const char *p = url + strlen("/research"), *rest = "";
	int64_t id;

	if (!check_session(rq, &v, &ret))
		return ret;
	if (*p == '\0' || strcmp(p, "/") == 0)
		ret = send_list(rq, &v);
	else if (strcmp(p, "/api/releases") == 0)
		ret = send_list_json(rq);
	else if (strncmp(p, "/api/r/", 7) == 0 &&
	    (id = parse_id(p + 7, &rest)) > 0 && *rest == '\0')
		ret = send_file(rq, id, "tables.json", 0);
	else if (strncmp(p, "/r/", 3) == 0 &&
	    (id = parse_id(p + 3, &rest)) > 0 && *rest == '\0')
		ret = send_release(rq, &v, id);
	else if (strncmp(p, "/r/", 3) == 0 &&
	    (id = parse_id(p + 3, &rest)) > 0 && rest[0] == '/')
		ret = send_file(rq, id, rest + 1, 1);
	else
		ret = http_send_page(rq, PAGE_NOT_FOUND);
	sodium_memzero(&v, sizeof(v));	/* it holds the CSRF token */
	return ret;
}
