/*
 * route_desk_report.c: one report for the desk: GET /desk/r/ID and the
 * POSTs /desk/r/ID/reply, /status, /category and /aftercare, one router
 * row each (router.c has checked the desk session and the CSRF token and
 * parsed the form), and every other path under /desk (404).
 *
 * Entry points: route_desk_report, desk_reply_text, route_desk_status,
 * route_desk_category, route_desk_aftercare, route_desk_assign,
 * desk_report_show (the page, also with a refused reply file),
 * route_desk_note, route_desk_retain, route_desk_other. Data path of reading:
 *   store_report_get -> session_with_desk_key: report_key_open(sealed_key,
 *   desk key) into sodium_malloc memory (under the session's lock, nothing
 *   else) -> report_read (report/report_read.c: each message's desk copy
 *   opened with the report key) -> page_desk_report -> every plaintext
 *   and the report key wiped. The case beside it (case_load:
 *   store_case_get, the tags, the desk users, the notes opened with the
 *   same key by report_case_notes_open) is shown on the desk's page only,
 *   and opening the page records the user's read mark.
 * Each POST calls one function of report/ (report_conv_desk_post: the
 * text sealed twice and stored, no key needed, "feedback" marks it as
 * the feedback; report_case_status: closing needs "outcome", one or
 * more "measure" and "text", sent to the reporter after the outcome's
 * label; report_case_file: "form" and "ground" lists and "unit";
 * report_desk_aftercare: "confirm" for a contact before its due day;
 * report_case_assign: "user"; report_case_note: "text", sealed;
 * report_retain_extend: "reason", an id of a fixed list); a POST
 * that changed something answers 303 back
 * to the report, a refused one shows the report with the reason, nothing
 * changed. Never logged: any text, id or name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/desk.h"
#include "http/report_attach_list.h"
#include "pages/page.h"
#include "report/report_case.h"
#include "report/report_conv.h"
#include "report/report_crypto.h"
#include "report/report_desk.h"
#include "report/report_expire.h"
#include "report/report_read.h"
#include "util/log.h"
#include "util/sbuf.h"

/* The report key, opened under the session's lock. */
struct key_open {
	const struct report_row	*row;
	uint8_t			*report_sk;	/* sodium_malloc */
};

static int
open_key(void *arg, const uint8_t *desk_sk)
{
	struct key_open *ko = arg;
	uint8_t desk_pk[REPORT_PK_BYTES];
	int r;

	if (crypto_scalarmult_base(desk_pk, desk_sk) != 0)
		return GH_ERR_CRYPTO;
	r = report_key_open(ko->report_sk, ko->row->sealed_key,
	    ko->row->sealed_key_len, desk_pk, desk_sk);
	sodium_memzero(desk_pk, sizeof(desk_pk));
	return r;
}

/* The opened conversation, and the page's view of it. */
struct conv {
	uint8_t			*report_sk;	/* sodium_malloc */
	struct report_read	 rd;
	struct desk_msg		*msgs;
	/* The case: its lists (kind form, ground, measure), users, notes. */
	char			 tag[3][STORE_CASE_MAX_TAGS][REPORT_MAX_CATEGORY + 1];
	const char		*tag_ptr[3][STORE_CASE_MAX_TAGS];
	size_t			 n_tag[3];
	struct desk_user	*users;
	struct report_case_notes notes;
	struct desk_note	*dnotes;
	struct desk_case	 dc;
	struct buf		 files;		/* the attachments' list */
};

static void
conv_clear(struct conv *cv)
{
	sodium_free(cv->report_sk);
	report_read_free(&cv->rd);
	free(cv->msgs);
	free(cv->users);
	report_case_notes_free(&cv->notes);
	free(cv->dnotes);
	buf_free(&cv->files);
}

static int
tag_add(void *arg, const char *kind, const char *value)
{
	struct conv *cv = arg;
	int k;

	k = strcmp(kind, "form") == 0 ? 0 : strcmp(kind, "ground") == 0 ?
	    1 : 2;
	if (cv->n_tag[k] == STORE_CASE_MAX_TAGS)
		return GH_OK;
	snprintf(cv->tag[k][cv->n_tag[k]], sizeof(cv->tag[k][0]), "%s",
	    value);
	cv->tag_ptr[k][cv->n_tag[k]] = cv->tag[k][cv->n_tag[k]];
	cv->n_tag[k]++;
	return GH_OK;
}

/* Reads the case of live report row for the page item it, opens its
 * notes and records that the user has read it up to now. */
static int
case_load(struct store *s, const struct http_auth *a,
    const struct report_row *row, struct conv *cv, struct desk_item *it)
{
	struct store_case c;
	struct desk_case *dc = &cv->dc;
	size_t i, n_users = 0;
	int r;

	if ((r = store_case_get(s, row->id, a->view.user_id, &c)) != GH_OK ||
	    (r = store_case_tags(s, row->id, tag_add, cv)) != GH_OK ||
	    (r = desk_users_load(s, &cv->users, &n_users)) != GH_OK ||
	    (r = report_case_notes_open(s, row->id, row->report_pk,
	    cv->report_sk, &cv->notes)) != GH_OK)
		return r;
	if (cv->notes.n > 0 &&
	    (cv->dnotes = calloc(cv->notes.n, sizeof(*cv->dnotes))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < cv->notes.n; i++) {
		report_day_text(cv->dnotes[i].day, cv->notes.v[i].day);
		cv->dnotes[i].author = desk_user_name(cv->users, n_users,
		    cv->notes.v[i].user_id);
		cv->dnotes[i].text = cv->notes.v[i].plain.text;
		cv->dnotes[i].text_len = cv->notes.v[i].plain.len;
	}
	dc->forms = cv->tag_ptr[0];
	dc->n_forms = cv->n_tag[0];
	dc->grounds = cv->tag_ptr[1];
	dc->n_grounds = cv->n_tag[1];
	dc->measures = cv->tag_ptr[2];
	dc->n_measures = cv->n_tag[2];
	dc->users = cv->users;
	dc->n_users = n_users;
	dc->assigned_to = c.assigned_to;
	dc->notes = cv->dnotes;
	dc->n_notes = cv->notes.n;
	snprintf(it->outcome, sizeof(it->outcome), "%s", c.outcome);
	desk_item_assign(it, cv->users, n_users, c.assigned_to);
	it->kase = dc;
	if (c.last_seq > c.read_seq)
		r = store_case_mark_read(s, row->id, a->view.user_id,
		    c.last_seq);
	return r;
}

/* Opens the report key and every message of row (live report). */
static int
open_conversation(struct req *rq, const struct http_auth *a,
    struct store *s, const struct report_row *row, struct conv *cv)
{
	struct key_open ko;
	struct desk_msg *m;
	size_t i;
	int r;

	if ((cv->report_sk = sodium_malloc(REPORT_SK_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	ko.row = row;
	ko.report_sk = cv->report_sk;
	r = session_with_desk_key(rq->ctx->sessions, a->cookie, open_key,
	    &ko);
	if (r != GH_OK) {
		log_error("a report key does not open with the desk key: %s",
		    gh_err_str(r));
		return r;
	}
	if ((r = report_read(s, row->id, REPORT_READER_DESK, row->report_pk,
	    cv->report_sk, &cv->rd)) != GH_OK)
		return r;
	if (cv->rd.n > 0 &&
	    (cv->msgs = calloc(cv->rd.n, sizeof(*cv->msgs))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < cv->rd.n; i++) {
		m = &cv->msgs[i];
		m->seq = cv->rd.msgs[i].seq;
		m->is_by_desk = cv->rd.msgs[i].author == REPORT_BY_DESK;
		m->kind = (int)cv->rd.msgs[i].kind;
		report_day_text(m->day, cv->rd.msgs[i].day);
		m->text = cv->rd.msgs[i].plain.text;
		m->text_len = cv->rd.msgs[i].plain.len;
	}
	return GH_OK;
}

/* Fills *rt with the retention of live report id (report_expire.h). */
static int
retain_load(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    struct desk_retain *rt)
{
	struct store_retain_row row;
	int64_t last;
	int r;

	memset(rt, 0, sizeof(*rt));
	rt->reasons = retain_reason_ids();
	if ((r = report_retain_last_day(s, id, &last, &row)) != GH_OK)
		return r;
	if (last != RETAIN_NEVER)
		report_day_text(rt->until, last);
	if (retain_reason_is_valid(row.keep_reason))
		snprintf(rt->reason, sizeof(rt->reason), "%s",
		    row.keep_reason);
	return GH_OK;
}

enum MHD_Result
desk_report_show(struct req *rq, const struct http_auth *a,
    const uint8_t id[REPORT_ID_BYTES], const char *id_hex,
    unsigned int status, const char *notice_key,
    const char *reply_text, const char *reply_error)
{
	struct store *s = ctx_store_get(rq->ctx);
	struct report_row row;
	struct conv cv;
	struct desk_item it;
	struct desk_retain rt;
	struct desk_page p;
	struct buf b = { 0 };
	char here[8 + DESK_ID_LEN + 1], files_href[16 + DESK_ID_LEN + 1];
	int r;

	memset(&row, 0, sizeof(row));
	memset(&cv, 0, sizeof(cv));
	snprintf(files_href, sizeof(files_href), "/desk/r/%s/file", id_hex);
	if ((r = store_report_get(s, id, &row)) != GH_OK)
		goto out;
	desk_item_fill(&it, &row, store_today(), NULL);
	if (row.status != REPORT_WITHDRAWN && !it.is_expired &&
	    ((r = open_conversation(rq, a, s, &row, &cv)) != GH_OK ||
	    (r = case_load(s, a, &row, &cv, &it)) != GH_OK ||
	    (r = retain_load(s, id, &rt)) != GH_OK ||
	    (r = report_attach_list(s, id, ATTACH_FOR_DESK, row.report_pk,
	    cv.report_sk, rq->lang, files_href, NULL, &cv.files)) != GH_OK))
		goto out;
	it.files_html = cv.files.data;
	it.reply_text = reply_text;
	it.reply_error = reply_error;
	if (row.status != REPORT_WITHDRAWN && !it.is_expired)
		it.retain = &rt;
	snprintf(here, sizeof(here), "/desk/r/%s", id_hex);
	desk_page_init(&p, rq, a, here);
	p.notice_key = notice_key;
	p.is_notice_error = status >= 400;
	r = page_desk_report(&b, &p, &it, cv.msgs, cv.rd.n);
out:
	ctx_store_put(rq->ctx, s);
	conv_clear(&cv);
	store_report_row_clear(&row);
	if (r == GH_ERR_NOT_FOUND)
		return http_send_page(rq, PAGE_NOT_FOUND);
	if (r != GH_OK) {
		gh_freezero(b.data, b.cap);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

/* Shows report id (status 200, or a problem's status with notice_key
 * shown as an error). */
static enum MHD_Result
show(struct req *rq, const struct http_auth *a,
    const uint8_t id[REPORT_ID_BYTES], const char *id_hex,
    unsigned int status, const char *notice_key)
{
	return desk_report_show(rq, a, id, id_hex, status, notice_key, NULL,
	    NULL);
}

enum MHD_Result
route_desk_report(struct req *rq, const char *url, const struct http_auth *a)
{
	uint8_t id[REPORT_ID_BYTES];
	char id_hex[DESK_ID_LEN + 1];

	if (desk_report_id(url, id, id_hex) != 0)
		return http_send_page(rq, PAGE_NOT_FOUND);
	return show(rq, a, id, id_hex, MHD_HTTP_OK, NULL);
}

/* One of the POSTs: what it is and what it gets. */
struct desk_post {
	const struct form	*f;
	uint8_t			 id[REPORT_ID_BYTES];
	char			 id_hex[DESK_ID_LEN + 1];
	const char		*problem;	/* a catalogue key, or NULL */
	enum def_lang		 lang;
	int64_t			 user_id;	/* the desk user posting */
};

/* The answer to a POST whose report function returned r. */
static enum MHD_Result
posted(struct req *rq, const struct http_auth *a, const struct desk_post *dp,
    int r)
{
	char loc[64];

	switch (r) {
	case GH_OK:
		snprintf(loc, sizeof(loc), "/desk/r/%s?saved=1&lang=%s",
		    dp->id_hex, rq->lang == DEF_EN ? "en" : "nl");
		return http_send_redirect(rq, loc, NULL);
	case GH_ERR_NOT_FOUND:
		return http_send_page(rq, PAGE_NOT_FOUND);
	case GH_ERR_INVALID:
		return show(rq, a, dp->id, dp->id_hex,
		    MHD_HTTP_UNPROCESSABLE_CONTENT, dp->problem != NULL ?
		    dp->problem : "desk.forbidden.text");
	case GH_ERR_CLOSED:
		return show(rq, a, dp->id, dp->id_hex, MHD_HTTP_CONFLICT,
		    dp->problem != NULL ? dp->problem :
		    "desk.report.withdrawn");
	default:
		return http_send_page(rq, PAGE_ERROR);
	}
}

/* Runs fn for the POST to url: each handler below is one call of it. */
static enum MHD_Result
post(struct req *rq, const char *url, const struct http_auth *a,
    int (*fn)(struct store *, struct desk_post *))
{
	struct desk_post dp;
	struct store *s;
	int r;

	memset(&dp, 0, sizeof(dp));
	dp.f = a->form;
	dp.lang = rq->lang;
	dp.user_id = a->view.user_id;
	if (desk_report_id(url, dp.id, dp.id_hex) != 0)
		return http_send_page(rq, PAGE_NOT_FOUND);
	s = ctx_store_get(rq->ctx);
	r = fn(s, &dp);
	ctx_store_put(rq->ctx, s);
	return posted(rq, a, &dp, r);
}

/* A checkbox: checked when the form carries it with value "1". */
static int
is_on(const struct form *f, const char *name)
{
	const char *v = form_get(f, name);

	return v != NULL && strcmp(v, "1") == 0;
}

static int
reply(struct store *s, struct desk_post *dp)
{
	return report_conv_desk_post(s, dp->id, form_get(dp->f, "kind"),
	    form_get(dp->f, "text"), is_on(dp->f, "feedback"), &dp->problem);
}

/* The values of every field name in f (empty ones skipped) into
 * v[0..max); returns how many there are, max + 1 if too many. */
static size_t
all_of(const struct form *f, const char *name, const char **v, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->fields[i].name, name) != 0 ||
		    f->fields[i].value[0] == '\0')
			continue;
		if (n == max)
			return max + 1;
		v[n++] = f->fields[i].value;
	}
	return n;
}

static int
status(struct store *s, struct desk_post *dp)
{
	const char *measures[STORE_CASE_MAX_TAGS];
	const char *outcome = form_get(dp->f, "outcome");
	struct report_close cl;
	struct buf line = { 0 };
	int r;

	memset(&cl, 0, sizeof(cl));
	cl.outcome = outcome;
	cl.measures = measures;
	cl.n_measures = all_of(dp->f, "measure", measures,
	    STORE_CASE_MAX_TAGS);
	cl.text = form_get(dp->f, "text");
	/* The reporter reads the outcome in the desk page's language. */
	if (page_desk_cat_is_valid(DESK_CAT_OUTCOME, outcome))
		page_desk_msg_d(&line, dp->lang, "desk.status.outcome_line",
		    "{o}", page_desk_cat_label(dp->lang, DESK_CAT_OUTCOME,
		    outcome));
	if (buf_is_failed(&line))
		return GH_ERR_NOMEM;
	cl.outcome_text = line.data;
	r = report_case_status(s, dp->id, form_get(dp->f, "status"), &cl,
	    &dp->problem);
	buf_free(&line);
	return r;
}

static int
category(struct store *s, struct desk_post *dp)
{
	const char *forms[STORE_CASE_MAX_TAGS], *grounds[STORE_CASE_MAX_TAGS];
	const char *field = NULL;
	size_t nf, ng;
	int r;

	nf = all_of(dp->f, "form", forms, STORE_CASE_MAX_TAGS);
	ng = all_of(dp->f, "ground", grounds, STORE_CASE_MAX_TAGS);
	r = report_case_file(s, dp->id, forms, nf, grounds, ng,
	    form_get(dp->f, "unit"), &field);
	if (r == GH_ERR_INVALID && field != NULL)
		dp->problem = strcmp(field, "form") == 0 ?
		    "desk.category.bad_form" : strcmp(field, "ground") == 0 ?
		    "desk.category.bad_ground" : "desk.category.bad_unit";
	return r;
}

static int
assign(struct store *s, struct desk_post *dp)
{
	int r = report_case_assign(s, dp->id, form_get(dp->f, "user"));

	if (r == GH_ERR_INVALID)
		dp->problem = "desk.assign.bad";
	return r;
}

static int
note(struct store *s, struct desk_post *dp)
{
	return report_case_note(s, dp->id, dp->user_id,
	    form_get(dp->f, "text"), &dp->problem);
}

static int
aftercare(struct store *s, struct desk_post *dp)
{
	return report_desk_aftercare(s, dp->id, form_get(dp->f, "which"),
	    is_on(dp->f, "confirm"), &dp->problem);
}

static int
retain(struct store *s, struct desk_post *dp)
{
	int64_t until;
	int r;

	r = report_retain_extend(s, dp->id, form_get(dp->f, "reason"),
	    store_today(), &until);
	if (r == GH_ERR_INVALID)
		dp->problem = "desk.retain.reason_invalid";
	else if (r == GH_ERR_CLOSED)
		dp->problem = "desk.retain.gone";
	return r;
}

static int
unknown(struct store *s, struct desk_post *dp)
{
	return report_desk_unknown(s, dp->id);
}

/* POST /desk/r/ID/reply without files: a reply, question or proposal
 * (field kind). route_desk_reply (route_desk_reply.c) calls it. */
enum MHD_Result
desk_reply_text(struct req *rq, const char *url, const struct http_auth *a)
{
	return post(rq, url, a, reply);
}

/* POST /desk/r/ID/status. */
enum MHD_Result
route_desk_status(struct req *rq, const char *url, const struct http_auth *a)
{
	return post(rq, url, a, status);
}

/* POST /desk/r/ID/category. */
enum MHD_Result
route_desk_category(struct req *rq, const char *url,
    const struct http_auth *a)
{
	return post(rq, url, a, category);
}

/* POST /desk/r/ID/aftercare. */
enum MHD_Result
route_desk_aftercare(struct req *rq, const char *url,
    const struct http_auth *a)
{
	return post(rq, url, a, aftercare);
}

/* POST /desk/r/ID/assign. */
enum MHD_Result
route_desk_assign(struct req *rq, const char *url, const struct http_auth *a)
{
	return post(rq, url, a, assign);
}

/* POST /desk/r/ID/note. */
enum MHD_Result
route_desk_note(struct req *rq, const char *url, const struct http_auth *a)
{
	return post(rq, url, a, note);
}

/* POST /desk/r/ID/retain: keep the report longer (field reason). */
enum MHD_Result
route_desk_retain(struct req *rq, const char *url, const struct http_auth *a)
{
	return post(rq, url, a, retain);
}

/*
 * Every other path under /desk: 404, except that a POST of an action the
 * desk does not have, to a withdrawn report, says it is withdrawn (409),
 * as the actions do.
 */
enum MHD_Result
route_desk_other(struct req *rq, const char *url, const struct http_auth *a)
{
	uint8_t id[REPORT_ID_BYTES];
	char id_hex[DESK_ID_LEN + 1];

	if (!rq->is_post || desk_report_id(url, id, id_hex) != 0 ||
	    url[8 + DESK_ID_LEN] != '/')
		return http_send_page(rq, PAGE_NOT_FOUND);
	return post(rq, url, a, unknown);
}
