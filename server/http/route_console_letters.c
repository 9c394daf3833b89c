/*
 * route_console_letters.c: links and letters per unit in the
 * coordinator's console. GET /console/letters (the forms), POST
 * /console/letters/issue (form fields "wave", "unit", "count" (empty:
 * the unit's head count), "kind" ("links": survey links, or
 * "invitations": blind invitations, as gehoord invitations issue makes
 * them), "format" ("letters" or "csv")) and POST
 * /console/letters/replace ("wave", "unit": one replacement card). The
 * router has checked the coordinator's session and the CSRF token of a
 * POST.
 *
 * Entry points: route_console_letters, route_console_letters_issue,
 * route_console_letters_replace. Data path of an issue: the form checked
 * (any problem: 422, the page again with the values sent and the field
 * named, nothing stored) -> letters_make (tokens, keyed hashes, links)
 * -> letters_render (the letters or CSV, in memory) ->
 * store_batch_create (the hashes, one batch of at least the wave's k) ->
 * store_console_audit_add (who, how many, which unit; the day) ->
 * letters_send (the download, no-store). Invitations get their batch's
 * own VOPRF key pair, the secret key sealed under the pepper's subkey
 * and stored with store_invite_batch_create, as the CLI does; their
 * public key is published with `gehoord invitations keys`, which signs
 * with a key serve never holds. A replacement instead goes
 * through store_letter_replace: one hash joins the unit's latest batch,
 * whose size grows by one, so no batch is ever smaller than k. Never
 * logged: links, units, names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/voprf.h"
#include "http/desk.h"
#include "http/letters.h"
#include "pages/console.h"
#include "pages/console_letters.h"
#include "pages/page.h"
#include "store/store_console.h"
#include "store/store_invite.h"
#include "store/store_letter.h"

/* The open waves and the units, as the forms offer them. */
struct choices {
	struct console_letters_choice	*waves, *units;
	size_t				 n_waves, n_units, cap_w, cap_u;
};

static int
choice_add(struct console_letters_choice **c, size_t *n, size_t *cap,
    int64_t id, const char *name, int64_t head)
{
	struct console_letters_choice *nc;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if ((nc = realloc(*c, *cap * sizeof(*nc))) == NULL)
			return GH_ERR_NOMEM;
		*c = nc;
	}
	if (((*c)[*n].name = strdup(name)) == NULL)
		return GH_ERR_NOMEM;
	(*c)[*n].id = id;
	(*c)[*n].head = head;
	(*n)++;
	return GH_OK;
}

static int
wave_add(void *arg, const struct store_wave *w)
{
	struct choices *c = arg;

	if (!w->is_open)
		return GH_OK;
	return choice_add(&c->waves, &c->n_waves, &c->cap_w, w->id, w->name,
	    0);
}

static int
unit_add(void *arg, const char *name, int64_t head)
{
	struct choices *c = arg;

	return choice_add(&c->units, &c->n_units, &c->cap_u, 0, name, head);
}

static void
choices_free(struct choices *c)
{
	size_t i;

	for (i = 0; i < c->n_waves; i++)
		free((char *)c->waves[i].name);
	for (i = 0; i < c->n_units; i++)
		free((char *)c->units[i].name);
	free(c->waves);
	free(c->units);
}

/*
 * The page, answered with status: notice key (NULL: none), or a refusal
 * err_key naming field, with form's values given back.
 */
static enum MHD_Result
letters_page(struct req *rq, const struct http_auth *a, unsigned int status,
    const char *err_key, const char *field, const char *form)
{
	struct choices c;
	struct console_letters_view v;
	struct desk_page p;
	struct buf b = { 0 };
	struct store *s;
	int r;

	memset(&c, 0, sizeof(c));
	memset(&v, 0, sizeof(v));
	s = ctx_store_get(rq->ctx);
	if ((r = store_wave_foreach(s, wave_add, &c)) == GH_OK)
		r = store_console_units_foreach(s, unit_add, &c);
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/console/letters");
		v.waves = c.waves;
		v.n_waves = c.n_waves;
		v.units = c.units;
		v.n_units = c.n_units;
		v.has_base_url = rq->ctx->base_url != NULL;
		v.error_key = err_key;
		v.error_field = field;
		v.form = form;
		if (a->form != NULL && err_key != NULL) {
			v.wave = form_get(a->form, "wave");
			v.unit = form_get(a->form, "unit");
			v.count = form_get(a->form, "count");
			v.format = form_get(a->form, "format");
			v.kind = form_get(a->form, "kind");
		}
		r = page_console_letters(&b, &p, &v);
	}
	choices_free(&c);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

enum MHD_Result
route_console_letters(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return letters_page(rq, a, MHD_HTTP_OK, NULL, NULL, NULL);
}

/* A whole number 1..max of the form's field into *n: 0, or -1. */
static int
form_num(const struct http_auth *a, const char *field, long long max,
    long long *n)
{
	const char *v = form_get(a->form, field);
	char *end;

	if (v == NULL || v[0] < '1' || v[0] > '9' || strlen(v) > 18)
		return -1;
	*n = strtoll(v, &end, 10);
	return *end == '\0' && *n >= 1 && *n <= max ? 0 : -1;
}

/* What a checked form asks for. */
struct letters_req {
	struct store_wave	*w;
	const char		*unit;
	long long		 count;
	int			 is_csv;
	int			 is_invite;	/* blind invitations */
};

/*
 * Checks the form's wave (open) and unit (uploaded; its head count into
 * *head); prefix is "l-" or "r-" for the field ids. Returns NULL, or the
 * refusal's key with *field set.
 */
static const char *
check_wave_unit(struct store *s, const struct http_auth *a,
    struct letters_req *lr, int64_t *head, int is_replace,
    const char **field)
{
	long long id;

	*field = is_replace ? "r-wave" : "l-wave";
	if (form_num(a, "wave", INT64_MAX, &id) != 0 ||
	    store_wave_get(s, id, &lr->w) != GH_OK)
		return "console.letters.err.wave";
	if (!lr->w->is_open)
		return "console.letters.err.closed";
	*field = is_replace ? "r-unit" : "l-unit";
	lr->unit = form_get(a->form, "unit");
	if (lr->unit == NULL || lr->unit[0] == '\0' ||
	    store_letter_unit_head(s, lr->unit, head) != GH_OK)
		return "console.letters.err.unit";
	return NULL;
}

/* Checks the issue form; NULL or the refusal's key, *field set. */
static const char *
check_issue(struct store *s, const struct http_auth *a,
    struct letters_req *lr, const char **field)
{
	const char *key, *count = form_get(a->form, "count");
	const char *format = form_get(a->form, "format");
	const char *kind = form_get(a->form, "kind");
	int64_t head = 0;

	if ((key = check_wave_unit(s, a, lr, &head, 0, field)) != NULL)
		return key;
	*field = "l-count";
	if (count == NULL || count[0] == '\0')
		lr->count = head;
	else if (form_num(a, "count", LETTERS_MAX, &lr->count) != 0)
		return "console.letters.err.count";
	if (lr->count < 1 || lr->count > LETTERS_MAX)
		return "console.letters.err.count";
	if (lr->count < lr->w->k)
		return "console.letters.err.low_k";
	*field = "l-kind-links";
	if (kind == NULL || (strcmp(kind, "links") != 0 &&
	    strcmp(kind, "invitations") != 0))
		return "console.letters.err.kind";
	lr->is_invite = strcmp(kind, "invitations") == 0;
	*field = "l-format-letters";
	if (format == NULL || (strcmp(format, "letters") != 0 &&
	    strcmp(format, "csv") != 0))
		return "console.letters.err.format";
	lr->is_csv = strcmp(format, "csv") == 0;
	return NULL;
}

/* "wave N NAME, unit U: C" into object, for the audit log. */
static void
audit_object(char *object, size_t sz, const struct letters_req *lr,
    long long n)
{
	snprintf(object, sz, "wave %lld %s, unit %s: %lld",
	    (long long)lr->w->id, lr->w->name, lr->unit, n);
}

/* Stores lt as a batch of invitations with a new key pair of its own. */
static int
store_invitations(struct store *s, const struct letters_req *lr,
    const struct letters *lt, const uint8_t *pepper, int64_t *batch)
{
	uint8_t pk[VOPRF_ELEMENT_BYTES], sealed[VOPRF_SEALED_KEY_BYTES];
	uint8_t *sk;

	if ((sk = sodium_malloc(VOPRF_SCALAR_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	voprf_key_pair_new(sk, pk);
	voprf_key_seal(sealed, sk, pk, pepper);
	sodium_free(sk);
	return store_invite_batch_create(s, lr->w->id, lr->unit, pk, sealed,
	    (const uint8_t (*)[STORE_HASH_BYTES])lt->hashes, lt->n, batch);
}

/* Makes and renders n links for lr; then stores them with is_replace. */
static int
issue(struct req *rq, const struct http_auth *a, struct letters_req *lr,
    int is_replace, struct buf *out)
{
	struct letters lt = { 0 };
	char object[CONSOLE_AUDIT_OBJECT_MAX + 1];
	struct store *s;
	int64_t batch;
	int r;

	if ((r = letters_make(&lt, (size_t)lr->count, rq->ctx->base_url,
	    lr->is_invite ? "/i/" : "/s/", rq->ctx->pepper)) != GH_OK ||
	    (r = letters_render(out, &lt, lr->is_csv, lr->w, lr->unit)) !=
	    GH_OK)
		goto out;
	s = ctx_store_get(rq->ctx);
	if (is_replace)
		r = store_letter_replace(s, lr->w->id, lr->unit, lt.hashes[0],
		    &batch);
	else if (lr->is_invite)
		r = store_invitations(s, lr, &lt, rq->ctx->pepper, &batch);
	else
		r = store_batch_create(s, lr->w->id, lr->unit,
		    (const uint8_t (*)[STORE_HASH_BYTES])lt.hashes, lt.n,
		    &batch);
	if (r == GH_OK) {
		audit_object(object, sizeof(object), lr, lr->count);
		r = store_console_audit_add(s, a->view.name, is_replace ?
		    "letter_replace" : lr->is_invite ? "invitations_issue" :
		    "letters_issue", object);
	}
	ctx_store_put(rq->ctx, s);
out:
	letters_free(&lt);
	if (r != GH_OK)
		buf_free(out);
	return r;
}

/* The POST of either form; is_replace: one link into the unit's batch. */
static enum MHD_Result
letters_post(struct req *rq, const struct http_auth *a, int is_replace)
{
	struct letters_req lr = { 0 };
	struct buf out = { 0 };
	const char *key, *field = NULL, *form = is_replace ? "replace" :
	    "issue";
	enum MHD_Result ret;
	struct store *s;
	int r;

	if (rq->ctx->base_url == NULL)
		return letters_page(rq, a, MHD_HTTP_CONFLICT,
		    "console.letters.no_base_url", "letters-error", form);
	s = ctx_store_get(rq->ctx);
	if (is_replace) {
		int64_t head;

		key = check_wave_unit(s, a, &lr, &head, 1, &field);
		lr.count = 1;
	} else
		key = check_issue(s, a, &lr, &field);
	ctx_store_put(rq->ctx, s);
	if (key != NULL) {
		store_wave_free(lr.w);
		return letters_page(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT, key,
		    field, form);
	}
	r = issue(rq, a, &lr, is_replace, &out);
	if (r == GH_ERR_NOT_FOUND || r == GH_ERR_CLOSED) {
		ret = letters_page(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT,
		    r == GH_ERR_CLOSED ? "console.letters.err.closed" :
		    "console.letters.err.no_batch", is_replace ? "r-unit" :
		    "l-wave", form);
	} else if (r != GH_OK)
		ret = http_send_page(rq, PAGE_ERROR);
	else
		ret = letters_send(rq, &out, lr.is_csv, lr.w->id);
	store_wave_free(lr.w);
	return ret;
}

enum MHD_Result
route_console_letters_issue(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return letters_post(rq, a, 0);
}

enum MHD_Result
route_console_letters_replace(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return letters_post(rq, a, 1);
}
