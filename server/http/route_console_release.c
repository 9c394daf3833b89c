/*
 * route_console_release.c: releases in the coordinator's console.
 * GET /console/release (the releases, pending or published, and the
 * plan, upload and preview forms); POST /console/release/upload
 * (multipart: "wave" and the files of the release folder that gehoord
 * release wrote); POST /console/release/publish ("release": its id);
 * POST /console/release/preview (multipart: "pattern", the file of
 * gehoord release --dry-run, shown as one grid per table: console_preview.c
 * reads it). The router has checked the coordinator's session and the
 * CSRF token of every POST, multipart ones included (upload.h).
 *
 * Entry points: route_console_release, route_console_release_upload,
 * route_console_release_publish, route_console_release_preview. Data
 * path of an upload: the form's wave (store_wave_get; none: 422) -> the
 * files held in memory (upload.c; none, too many, too large: 422) ->
 * manifest_verify_files with the instance's release key (what
 * gehoord verify checks; what it printed is listed on a 422 page) ->
 * tables.json's "wave" must be the wave's name (422) ->
 * store_publish_add_pending (one transaction) -> store_console_audit_add
 * ("release_upload") -> the page. A refused upload stores nothing.
 * Publishing: store_publish_set (pending only) -> the audit
 * ("release_publish"). Never logged: names, file names, bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "crypto/signkey.h"
#include "http/console_preview.h"
#include "http/desk.h"
#include "http/http_int.h"
#include "http/upload.h"
#include "pages/console_release.h"
#include "pages/page.h"
#include "release/manifest.h"
#include "report/report_crypto.h"
#include "store/store_console.h"
#include "store/store_publish.h"
#include "store/store_user.h"
#include "util/log.h"

#define RELEASES_SHOWN		200	/* newest first */
#define PROBLEMS_MAX		24	/* lines of a failed check shown */

/* The releases page's data. */
struct rel_list {
	struct store			*s;
	struct console_release_item	*items;
	size_t				 n;
	struct console_wave		*waves;
	size_t				 n_waves;
};

static int
wave_add(void *arg, const struct store_wave *sw)
{
	struct rel_list *l = arg;
	struct console_wave *nw;

	if ((nw = realloc(l->waves, (l->n_waves + 1) * sizeof(*nw))) == NULL)
		return GH_ERR_NOMEM;
	l->waves = nw;
	memset(&nw[l->n_waves], 0, sizeof(*nw));
	nw[l->n_waves].id = sw->id;
	snprintf(nw[l->n_waves].name, sizeof(nw->name), "%s", sw->name);
	l->n_waves++;
	return GH_OK;
}

static const char *
wave_name(const struct rel_list *l, int64_t id)
{
	size_t i;

	for (i = 0; i < l->n_waves; i++)
		if (l->waves[i].id == id)
			return l->waves[i].name;
	return "";
}

static int
release_add(void *arg, const struct publish_row *row)
{
	struct rel_list *l = arg;
	struct console_release_item *ni, *it;

	if ((ni = realloc(l->items, (l->n + 1) * sizeof(*ni))) == NULL)
		return GH_ERR_NOMEM;
	l->items = ni;
	it = &ni[l->n++];
	memset(it, 0, sizeof(*it));
	it->id = row->id;
	snprintf(it->wave, sizeof(it->wave), "%s", wave_name(l,
	    row->wave_id));
	report_day_text(it->made, row->created_day);
	if (row->published_day >= 0)
		report_day_text(it->published, row->published_day);
	return GH_OK;
}

/* What a releases page shows besides the list. */
struct rel_extra {
	const char *const			*problems;
	size_t					 n_problems;
	const char				*field;
	const char				*preview_wave;
	const struct console_preview_table	*tables;
	size_t					 n_tables;
};

static enum MHD_Result
release_page(struct req *rq, const struct http_auth *a, unsigned int status,
    const char *key, int is_error, const struct rel_extra *x)
{
	struct rel_list l = { NULL, NULL, 0, NULL, 0 };
	struct console_release_view v;
	struct desk_page p;
	struct buf b = { 0 };
	int r;

	l.s = ctx_store_get(rq->ctx);
	if ((r = store_wave_foreach(l.s, wave_add, &l)) == GH_OK)
		r = store_publish_foreach(l.s, RELEASES_SHOWN, release_add, &l);
	ctx_store_put(rq->ctx, l.s);
	if (r == GH_OK) {
		memset(&v, 0, sizeof(v));
		desk_page_init(&p, rq, a, "/console/release");
		p.notice_key = key;
		p.is_notice_error = is_error;
		v.items = l.items;
		v.n = l.n;
		v.waves = l.waves;
		v.n_waves = l.n_waves;
		if (x != NULL) {
			v.problems = x->problems;
			v.n_problems = x->n_problems;
			v.problem_field = x->field;
			v.preview_wave = x->preview_wave;
			v.tables = x->tables;
			v.n_tables = x->n_tables;
		}
		r = page_console_release(&b, &p, &v);
	}
	free(l.items);
	free(l.waves);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

/* A 422 page naming one problem (key) of field. */
static enum MHD_Result
refuse(struct req *rq, const struct http_auth *a, const char *key,
    const char *field)
{
	const char *text = page_msg(rq->lang, key);
	struct rel_extra x = { &text, 1, field, NULL, NULL, 0 };

	return release_page(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT, NULL, 0,
	    &x);
}

enum MHD_Result
route_console_release(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return release_page(rq, a, MHD_HTTP_OK, NULL, 0, NULL);
}

/* Reads a positive id from v: 0, or -1. */
static int
id_parse(const char *v, int64_t *id)
{
	char *end;
	long long n;

	if (v == NULL || v[0] < '1' || v[0] > '9' || strlen(v) > 18)
		return -1;
	n = strtoll(v, &end, 10);
	if (*end != '\0' || n < 1)
		return -1;
	*id = (int64_t)n;
	return 0;
}

/* The upload's problem as a message key, or NULL if the files are fine. */
static const char *
files_problem(const struct upload *u)
{
	if (u == NULL || (u->problem == UPLOAD_FINE && u->n == 0))
		return "console.release.no_files";
	switch (u->problem) {
	case UPLOAD_FINE:
		return NULL;
	case UPLOAD_TOO_MANY:
	case UPLOAD_TOO_LARGE:
		return "console.release.too_many";
	case UPLOAD_BAD_NAME:
		return "console.release.bad_name";
	case UPLOAD_BROKEN:
	default:
		return "console.release.broken";
	}
}

/*
 * Checks the files against the instance's release key; on failure the
 * check's lines (NUL-separated in *lines) go to problems[1..].
 */
static int
files_verify(struct req *rq, const struct manifest_file *mf, size_t n,
    char **lines, size_t *len, const char **problems, size_t *n_problems)
{
	uint8_t pk[SIGNKEY_PK_BYTES];
	struct store *s;
	FILE *out;
	char *p, *end;
	int r;

	*lines = NULL;
	*len = 0;
	s = ctx_store_get(rq->ctx);
	r = store_key_get(s, "release", pk);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK) {
		log_error("the instance's release key: %s", gh_err_str(r));
		return r;
	}
	if ((out = open_memstream(lines, len)) == NULL) {
		log_error("checking an uploaded release: out of memory");
		return GH_ERR_NOMEM;
	}
	r = manifest_verify_files(mf, n, pk, out);
	if (fclose(out) != 0 || *lines == NULL) {
		log_error("checking an uploaded release: out of memory");
		return GH_ERR_NOMEM;
	}
	if (r == GH_OK)
		return GH_OK;
	*n_problems = 1;
	for (p = *lines; *p != '\0' && *n_problems < PROBLEMS_MAX; p = end) {
		end = p + strcspn(p, "\n");
		if (*end == '\n')
			*end++ = '\0';
		problems[(*n_problems)++] = p;
	}
	return GH_ERR_CRYPTO;
}

/* Whether tables.json among the files is of the wave named name. */
static int
tables_is_of(const struct upload *u, const char *name)
{
	const cJSON *w;
	cJSON *root;
	size_t i;
	int is = 0;

	for (i = 0; i < u->n; i++)
		if (strcmp(u->files[i].name, "tables.json") == 0)
			break;
	if (i == u->n)
		return -1;
	root = cJSON_ParseWithLength((const char *)u->files[i].data,
	    u->files[i].len);
	if (root == NULL)
		return -1;
	w = cJSON_GetObjectItemCaseSensitive(root, "wave");
	is = cJSON_IsString(w) && strcmp(w->valuestring, name) == 0;
	cJSON_Delete(root);
	return is;
}

/* Stores the checked files pending and writes the audit row. */
static int
upload_store(struct req *rq, const struct http_auth *a,
    const struct store_wave *w, const struct upload *u)
{
	struct release_file files[UPLOAD_FILES_CAP];
	const struct upload_file *m = NULL, *sig = NULL;
	char object[CONSOLE_TEXT_MAX + 1];
	struct store *s;
	size_t i, n = 0;
	int64_t id = 0;
	int r;

	for (i = 0; i < u->n; i++) {
		if (strcmp(u->files[i].name, "MANIFEST") == 0)
			m = &u->files[i];
		else if (strcmp(u->files[i].name, "MANIFEST.sig") == 0)
			sig = &u->files[i];
		else {
			files[n].name = u->files[i].name;
			files[n].data = u->files[i].data;
			files[n++].len = u->files[i].len;
		}
	}
	if (m == NULL || sig == NULL)
		return GH_ERR_INVALID;	/* the check has refused it already */
	s = ctx_store_get(rq->ctx);
	r = store_publish_add_pending(s, w->id, files, n, m->data, m->len,
	    sig->data, sig->len, &id);
	if (r == GH_OK) {
		snprintf(object, sizeof(object), "%lld %s: release %lld",
		    (long long)w->id, w->name, (long long)id);
		r = store_console_audit_add(s, a->view.name, "release_upload",
		    object);
	}
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK)
		log_error("storing an uploaded release: %s", gh_err_str(r));
	return r;
}

enum MHD_Result
route_console_release_upload(struct req *rq, const char *url,
    const struct http_auth *a)
{
	const char *problems[PROBLEMS_MAX], *key;
	struct manifest_file mf[UPLOAD_FILES_CAP];
	struct rel_extra x;
	struct store_wave *w = NULL;
	struct store *s;
	enum MHD_Result ret;
	char *lines = NULL;
	size_t i, len, n_problems = 0;
	int64_t id;
	int r, is_of;

	(void)url;
	if (id_parse(form_get(a->form, "wave"), &id) != 0)
		return refuse(rq, a, "console.release.bad_wave", "u-wave");
	s = ctx_store_get(rq->ctx);
	r = store_wave_get(s, id, &w);
	ctx_store_put(rq->ctx, s);
	if (r == GH_ERR_NOT_FOUND)
		return refuse(rq, a, "console.release.bad_wave", "u-wave");
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if ((key = files_problem(rq->up)) != NULL) {
		ret = refuse(rq, a, key, "u-files");
		goto out;
	}
	for (i = 0; i < rq->up->n; i++) {
		mf[i].name = rq->up->files[i].name;
		mf[i].data = rq->up->files[i].data;
		mf[i].len = rq->up->files[i].len;
	}
	problems[0] = page_msg(rq->lang, "console.release.not_good");
	r = files_verify(rq, mf, rq->up->n, &lines, &len, problems,
	    &n_problems);
	if (r == GH_ERR_CRYPTO) {
		memset(&x, 0, sizeof(x));
		x.problems = problems;
		x.n_problems = n_problems;
		x.field = "u-files";
		ret = release_page(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT, NULL,
		    0, &x);
		goto out;
	}
	if (r != GH_OK) {
		ret = http_send_page(rq, PAGE_ERROR);
		goto out;
	}
	if ((is_of = tables_is_of(rq->up, w->name)) != 1) {
		ret = refuse(rq, a, is_of < 0 ? "console.release.no_tables" :
		    "console.release.wrong_wave", is_of < 0 ? "u-files" :
		    "u-wave");
		goto out;
	}
	if ((r = upload_store(rq, a, w, rq->up)) != GH_OK)
		ret = r == GH_ERR_INVALID ? refuse(rq, a,
		    "console.release.bad_name", "u-files") :
		    http_send_page(rq, PAGE_ERROR);
	else
		ret = release_page(rq, a, MHD_HTTP_OK,
		    "console.release.uploaded", 0, NULL);
out:
	free(lines);
	store_wave_free(w);
	return ret;
}

enum MHD_Result
route_console_release_publish(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct store_wave *w = NULL;
	char object[CONSOLE_TEXT_MAX + 1];
	struct store *s;
	int64_t id, wave = 0;
	int r;

	(void)url;
	if (id_parse(form_get(a->form, "release"), &id) != 0)
		return release_page(rq, a, MHD_HTTP_BAD_REQUEST,
		    "console.release.bad_id", 1, NULL);
	s = ctx_store_get(rq->ctx);
	if ((r = store_publish_set(s, id, &wave)) == GH_OK &&
	    (r = store_wave_get(s, wave, &w)) == GH_OK) {
		snprintf(object, sizeof(object), "%lld %s: release %lld",
		    (long long)wave, w->name, (long long)id);
		r = store_console_audit_add(s, a->view.name, "release_publish",
		    object);
	}
	ctx_store_put(rq->ctx, s);
	store_wave_free(w);
	if (r == GH_ERR_NOT_FOUND)
		return release_page(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.release.not_found", 1, NULL);
	if (r == GH_ERR_EXISTS)
		return release_page(rq, a, MHD_HTTP_CONFLICT,
		    "console.release.already", 1, NULL);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return release_page(rq, a, MHD_HTTP_OK, "console.release.done", 0,
	    NULL);
}

enum MHD_Result
route_console_release_preview(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct console_preview pv;
	struct rel_extra x;
	enum MHD_Result ret;

	(void)url;
	if (rq->up == NULL || rq->up->problem != UPLOAD_FINE ||
	    rq->up->n != 1 || console_preview_parse(rq->up->files[0].data,
	    rq->up->files[0].len, &pv) != GH_OK)
		return refuse(rq, a, "console.preview.bad", "s-file");
	memset(&x, 0, sizeof(x));
	x.preview_wave = pv.wave;
	x.tables = pv.tables;
	x.n_tables = pv.n_tables;
	ret = release_page(rq, a, MHD_HTTP_OK, NULL, 0, &x);
	console_preview_free(&pv);
	return ret;
}
