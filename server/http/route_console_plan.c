/*
 * route_console_plan.c: a wave's release plan in the coordinator's
 * console. GET /console/release/plan?wave=ID shows the tables of the
 * standard plan of the wave's instrument (plans/ NAME.json in the
 * --survey-defs folder, read at start: console_ctx.c) as checkboxes,
 * with the wave's k and the plan's c; POST /console/release/plan (form
 * fields "wave" and "t0".."tN", one per ticked table) answers the plan
 * JSON as a download, in the format gehoord release --plan reads: the
 * standard plan with only the ticked tables, checked with plan_parse
 * against the wave's definition before it is sent. The router has
 * checked the coordinator's session and the CSRF token of a POST.
 *
 * Entry point: route_console_plan. Data path of a POST: the wave ->
 * its definition -> the standard plan (none: the page says so) -> the
 * ticked tables (none: 422, the page again with what was ticked) ->
 * plan_parse -> store_console_audit_add (who, "plan_download", the
 * wave and how many tables) -> the JSON. Never logged: names, ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http/console_ctx.h"
#include "http/desk.h"
#include "pages/console_release.h"
#include "pages/page.h"
#include "release/plan.h"
#include "store/store_console.h"
#include "util/log.h"

#define PLAN_CSP	"default-src 'none'; frame-ancestors 'none'; sandbox"

/* What a plan page is made of. */
struct plan_state {
	struct store_wave		*w;
	struct def			*d;
	struct plan			*plan;	/* NULL: no standard plan */
	const char			*plan_json;
	struct console_plan_item	*items;
};

static void
plan_state_free(struct plan_state *ps)
{
	size_t i;

	if (ps->items != NULL && ps->plan != NULL)
		for (i = 0; i < ps->plan->n_tables; i++)
			free(ps->items[i].label);
	free(ps->items);
	plan_free(ps->plan);
	def_free(ps->d);
	store_wave_free(ps->w);
}

/* Reads a wave id (1..) from v into *id: 0, or -1 if it is none. */
static int
wave_id_parse(const char *v, int64_t *id)
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

/* The standard plan JSON of definition id, or NULL. */
static const char *
standard_plan(struct http_ctx *c, const char *def_id)
{
	const struct console_def *defs = NULL;
	const cJSON *dj;
	cJSON *root;
	size_t n = 0, i;
	int is_it;

	defs = console_defs(c, &n);
	for (i = 0; i < n; i++) {
		if (defs[i].plan == NULL ||
		    (root = cJSON_Parse(defs[i].plan)) == NULL)
			continue;
		dj = cJSON_GetObjectItemCaseSensitive(root, "definition");
		is_it = cJSON_IsString(dj) && strcmp(dj->valuestring,
		    def_id) == 0;
		cJSON_Delete(root);
		if (is_it)
			return defs[i].plan;
	}
	return NULL;
}

/* "label (by: a, b)" of table t in lang, malloc'd. */
static char *
table_label(enum def_lang l, const struct def *d, const struct plan_table *t)
{
	struct buf b = { 0 };
	const char *var;
	size_t i;

	var = t->var == PLAN_QUESTION ? d->questions[t->index].label.s[l] :
	    t->var == PLAN_SCALE ? d->scales[t->index].label.s[l] :
	    d->indicators[t->index].label.s[l];
	buf_puts(&b, var != NULL && var[0] != '\0' ? var :
	    plan_var_id(d, t));
	for (i = 0; i < t->n_by; i++) {
		buf_puts(&b, i == 0 ? page_msg(l, "console.plan.by") : ", ");
		buf_puts(&b, t->by[i].is_unit ? page_msg(l,
		    "console.plan.unit") :
		    d->questions[t->by[i].question].label.s[l]);
	}
	buf_add(&b, "", 1);
	if (buf_is_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* Loads wave id, its definition and standard plan, and the items. */
static int
plan_load(struct req *rq, int64_t id, struct plan_state *ps)
{
	struct store *s = ctx_store_get(rq->ctx);
	char err[512];
	size_t i;
	int r;

	r = store_wave_get(s, id, &ps->w);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK)
		return r;
	if ((r = def_parse(ps->w->def_json, strlen(ps->w->def_json), "wave",
	    &ps->d, err, sizeof(err))) != GH_OK)
		return r;
	if ((ps->plan_json = standard_plan(rq->ctx, ps->d->id)) == NULL)
		return GH_OK;
	if (plan_parse(ps->plan_json, strlen(ps->plan_json), "plan", ps->d,
	    &ps->plan, err, sizeof(err)) != GH_OK) {
		log_info("console: a standard plan does not fit its "
		    "instrument");
		return GH_OK;
	}
	if ((ps->items = calloc(ps->plan->n_tables + 1,
	    sizeof(*ps->items))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < ps->plan->n_tables; i++) {
		ps->items[i].id = ps->plan->tables[i].id;
		ps->items[i].is_ticked = 1;
		if ((ps->items[i].label = table_label(rq->lang, ps->d,
		    &ps->plan->tables[i])) == NULL)
			return GH_ERR_NOMEM;
	}
	return GH_OK;
}

static enum MHD_Result
plan_page(struct req *rq, const struct http_auth *a,
    const struct plan_state *ps, unsigned int status, int is_none_ticked)
{
	struct console_plan_view v;
	struct desk_page p;
	struct buf b = { 0 };

	memset(&v, 0, sizeof(v));
	v.wave = ps->w->id;
	v.wave_name = ps->w->name;
	v.k = ps->w->k < STORE_K_MIN ? STORE_K_MIN : ps->w->k;
	v.c = ps->plan != NULL ? ps->plan->c : 0;
	v.items = ps->items;
	v.n = ps->plan != NULL ? ps->plan->n_tables : 0;
	v.is_none_ticked = is_none_ticked;
	desk_page_init(&p, rq, a, "/console/release/plan");
	if (page_console_plan(&b, &p, &v) != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

/* Sends text (malloc'd, taken over) as the download plan-wave-ID.json. */
static enum MHD_Result
send_plan(struct req *rq, char *text, int64_t wave)
{
	struct MHD_Response *resp;
	char disp[96];

	resp = MHD_create_response_from_buffer_with_free_callback_cls(
	    strlen(text), text, free, text);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"plan-wave-%lld"
	    ".json\"", (long long)wave);
	MHD_add_response_header(resp, "Content-Security-Policy", PLAN_CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Content-Disposition", disp);
	return http_queue(rq, MHD_HTTP_OK, resp);
}

/*
 * The standard plan with only the ticked tables, as JSON text (malloc'd)
 * checked against the definition; NULL if it cannot be made.
 */
static char *
plan_subset(const struct plan_state *ps)
{
	cJSON *root, *tables, *keep, *t;
	struct plan *check = NULL;
	char err[512], *text = NULL;
	size_t i = 0;

	if ((root = cJSON_Parse(ps->plan_json)) == NULL)
		return NULL;
	tables = cJSON_DetachItemFromObjectCaseSensitive(root, "tables");
	if ((keep = cJSON_AddArrayToObject(root, "tables")) == NULL)
		goto out;
	while (tables != NULL && (t = cJSON_DetachItemFromArray(tables, 0)) !=
	    NULL) {
		if (i < ps->plan->n_tables && ps->items[i].is_ticked)
			cJSON_AddItemToArray(keep, t);
		else
			cJSON_Delete(t);
		i++;
	}
	if ((text = cJSON_Print(root)) != NULL &&
	    plan_parse(text, strlen(text), "plan", ps->d, &check, err,
	    sizeof(err)) != GH_OK) {
		cJSON_free(text);
		text = NULL;
	}
out:
	plan_free(check);
	cJSON_Delete(tables);
	cJSON_Delete(root);
	return text;
}

static enum MHD_Result
plan_download(struct req *rq, const struct http_auth *a,
    struct plan_state *ps)
{
	char object[CONSOLE_TEXT_MAX + 1], name[24], *text;
	struct store *s;
	size_t i, n = 0;
	int r;

	for (i = 0; i < ps->plan->n_tables; i++) {
		snprintf(name, sizeof(name), "t%zu", i);
		ps->items[i].is_ticked = form_get(a->form, name) != NULL;
		n += (size_t)ps->items[i].is_ticked;
	}
	if (n == 0)
		return plan_page(rq, a, ps, MHD_HTTP_UNPROCESSABLE_CONTENT, 1);
	if ((text = plan_subset(ps)) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	snprintf(object, sizeof(object), "%lld %s: %zu/%zu",
	    (long long)ps->w->id, ps->w->name, n, ps->plan->n_tables);
	s = ctx_store_get(rq->ctx);
	r = store_console_audit_add(s, a->view.name, "plan_download", object);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK) {
		cJSON_free(text);
		return http_send_page(rq, PAGE_ERROR);
	}
	return send_plan(rq, text, ps->w->id);
}

enum MHD_Result
route_console_plan(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct plan_state ps;
	enum MHD_Result ret;
	const char *v;
	int64_t id;
	int r;

	(void)url;
	memset(&ps, 0, sizeof(ps));
	v = rq->is_post ? form_get(a->form, "wave") :
	    MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
	    "wave");
	if (wave_id_parse(v, &id) != 0)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	if ((r = plan_load(rq, id, &ps)) != GH_OK)
		ret = http_send_page(rq, r == GH_ERR_NOT_FOUND ?
		    PAGE_NOT_FOUND : PAGE_ERROR);
	else if (rq->is_post && ps.plan != NULL)
		ret = plan_download(rq, a, &ps);
	else
		ret = plan_page(rq, a, &ps, ps.plan == NULL && rq->is_post ?
		    MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK, 0);
	plan_state_free(&ps);
	return ret;
}
