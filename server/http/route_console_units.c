/*
 * route_units_csv.c: the organisation's units in the coordinator's
 * console. GET /console/units (the units and the upload form), POST
 * /console/units (form field "csv": the units as CSV text, parsed whole
 * by units_csv_parse). The router has checked the coordinator's
 * session and the CSRF token of a POST.
 *
 * Entry point: route_console_units. Data path of an upload: the text ->
 * units_csv_parse (any problem: 422, the first UNITS_PROBLEMS_SHOWN
 * problems listed as "Line N: what", the text given back, nothing
 * stored) -> store_console_units_replace (one transaction) ->
 * store_console_audit_add (who, "units_upload", how many) -> the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/units_csv.h"
#include "http/desk.h"
#include "pages/console.h"
#include "pages/page.h"
#include "store/store_console.h"

#define UNITS_PROBLEMS_SHOWN	20

/* The stored units, for the page. */
struct unit_rows {
	char		**names;
	int64_t		 *heads;
	size_t		  n, cap;
};

static int
unit_row_add(void *arg, const char *name, int64_t head)
{
	struct unit_rows *u = arg;
	char **nn;
	int64_t *nh;

	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 64;
		if ((nn = realloc(u->names, u->cap * sizeof(*nn))) == NULL)
			return GH_ERR_NOMEM;
		u->names = nn;
		if ((nh = realloc(u->heads, u->cap * sizeof(*nh))) == NULL)
			return GH_ERR_NOMEM;
		u->heads = nh;
	}
	if ((u->names[u->n] = strdup(name)) == NULL)
		return GH_ERR_NOMEM;
	u->heads[u->n++] = head;
	return GH_OK;
}

static void
unit_rows_free(struct unit_rows *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->names[i]);
	free(u->names);
	free(u->heads);
}

/* Each problem as "Line N: what", in the page's language. */
static int
problem_texts(enum def_lang l, const struct units_csv_error *errs,
    size_t n, size_t n_all, struct buf *texts, const char **out)
{
	char num[24], other[24];
	size_t i, at[UNITS_PROBLEMS_SHOWN + 1];
	struct buf one = { 0 };

	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%zu", errs[i].line);
		snprintf(other, sizeof(other), "%zu", errs[i].other_line);
		buf_free(&one);
		page_desk_msg_d(&one, l, errs[i].key, "{other}", other);
		at[i] = texts->len;
		page_desk_msg_d(texts, l, "console.units.line", "{line}", num);
		buf_puts(texts, one.data != NULL ? one.data : "");
		buf_add(texts, "", 1);
	}
	if (n_all > n) {
		snprintf(num, sizeof(num), "%zu", n_all - n);
		at[n] = texts->len;
		page_desk_msg_d(texts, l, "console.units.more", "{n}", num);
		buf_add(texts, "", 1);
		n++;
	}
	buf_free(&one);
	if (buf_is_failed(texts))
		return GH_ERR_NOMEM;
	for (i = 0; i < n; i++)
		out[i] = texts->data + at[i];
	return GH_OK;
}

static enum MHD_Result
units_page(struct req *rq, const struct http_auth *a, unsigned int status,
    const char *key, int is_error, const char *const *problems,
    size_t n_problems, const char *csv)
{
	struct unit_rows u = { NULL, NULL, 0, 0 };
	struct console_units_view cv;
	struct desk_page p;
	struct buf b = { 0 };
	struct store *s = ctx_store_get(rq->ctx);
	int r;

	r = store_console_units_foreach(s, unit_row_add, &u);
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/console/units");
		p.notice_key = key;
		p.is_notice_error = is_error;
		cv.names = (const char *const *)u.names;
		cv.heads = u.heads;
		cv.n = u.n;
		cv.problems = problems;
		cv.n_problems = n_problems;
		cv.csv = csv;
		r = page_console_units(&b, &p, &cv);
	}
	unit_rows_free(&u);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

/* POST: the CSV parsed whole; stored only if it has no problem. */
static enum MHD_Result
units_upload(struct req *rq, const struct http_auth *a)
{
	struct units_csv_error errs[UNITS_PROBLEMS_SHOWN];
	const char *problems[UNITS_PROBLEMS_SHOWN + 1];
	const char *csv = form_get(a->form, "csv"), **names = NULL;
	struct units_csv_unit *units = NULL;
	struct buf texts = { 0 };
	char object[64];
	struct store *s;
	int64_t *heads = NULL;
	size_t n = 0, n_errs = 0, i;
	enum MHD_Result ret;
	int r;

	if (csv == NULL)
		csv = "";
	r = units_csv_parse(csv, strlen(csv), &units, &n, errs,
	    UNITS_PROBLEMS_SHOWN, &n_errs);
	if (r == GH_ERR_INVALID) {
		if (problem_texts(rq->lang, errs, n_errs < UNITS_PROBLEMS_SHOWN ?
		    n_errs : UNITS_PROBLEMS_SHOWN, n_errs, &texts, problems) !=
		    GH_OK)
			ret = http_send_page(rq, PAGE_ERROR);
		else
			ret = units_page(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT,
			    NULL, 1, problems, n_errs <= UNITS_PROBLEMS_SHOWN ?
			    n_errs : UNITS_PROBLEMS_SHOWN + 1, csv);
		buf_free(&texts);
		return ret;
	}
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if ((names = calloc(n, sizeof(*names))) == NULL ||
	    (heads = calloc(n, sizeof(*heads))) == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		names[i] = units[i].name;
		heads[i] = units[i].head_count;
	}
	s = ctx_store_get(rq->ctx);
	if ((r = store_console_units_replace(s, names, heads, n)) == GH_OK) {
		snprintf(object, sizeof(object), "%zu", n);
		r = store_console_audit_add(s, a->view.name, "units_upload",
		    object);
	}
	ctx_store_put(rq->ctx, s);
out:
	free(names);
	free(heads);
	free(units);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return units_page(rq, a, MHD_HTTP_OK, "console.units.done", 0, NULL,
	    0, NULL);
}

enum MHD_Result
route_console_units(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	if (rq->is_post)
		return units_upload(rq, a);
	return units_page(rq, a, MHD_HTTP_OK, NULL, 0, NULL, 0, NULL);
}
