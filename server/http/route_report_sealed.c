/*
 * route_report_sealed.c: the intake of a report sealed in the browser
 * (route_report_sealed.h). route_report.c hands over a POST that carries
 * sealed=...; the text itself never reaches the server.
 *
 * Entry point: route_report_sealed. Data path: no answer in the clear
 * but the unit's option (checked against its question) -> the sealed
 * fields (report_sealed_parse: each of its exact size; a wrong one is
 * named on a 422 page, nothing stored) -> the limits of new reports as
 * for a form (a refusal stores nothing and says to go back, where the
 * browser still has the answers) -> on the hashing pool
 * report_sealed_create (Argon2id checks the reply key; one durable
 * transaction) -> the receipt page (via the one-time key, marked as
 * sealed in the browser). Nothing is logged.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/ratelimit.h"
#include "http/report_once.h"
#include "http/reporter.h"
#include "http/report_files.h"
#include "http/route_report_sealed.h"
#include "http/upload.h"
#include "pages/page.h"
#include "pages/report.h"
#include "report/report_form.h"
#include "report/report_sealed.h"

/* A checked sealed report on its way to the hashing pool. */
struct sealed_report {
	struct report_sealed	 rs;
	char			 unit[REPORT_MAX_UNIT + 1];
	struct store_token_key	 link;		/* if has_link */
	int			 has_link;
	char			 once[ONCE_KEY_TEXT + 1];	/* "" if none */
	struct onces		*os;
	char			 action[64];
	struct upload		*up;		/* the files, or NULL */
	struct form		*f;		/* clear fields, for a refusal */
};

static void
sealed_report_free(void *state)
{
	struct sealed_report *sr = state;

	if (sr == NULL)
		return;
	if (sr->os != NULL && sr->once[0] != '\0')
		once_release(sr->os, sr->once);
	report_sealed_free(&sr->rs);
	upload_free(sr->up);
	form_free(sr->f);
	sodium_memzero(sr, sizeof(*sr));
	free(sr);
}

static const char *const why_names[] = {
	[REPORT_SEALED_OK] = "size",
	[REPORT_SEALED_MISSING] = "missing",
	[REPORT_SEALED_ENCODING] = "encoding",
	[REPORT_SEALED_SIZE] = "size",
	[REPORT_SEALED_VERSION_BAD] = "version",
	[REPORT_SEALED_MISMATCH] = "mismatch",
};

/* 422: field is wrong (why: a "report.sealed_bad." suffix). */
static enum MHD_Result
send_bad(struct req *rq, const char *action, const char *field,
    const char *why)
{
	struct buf b = { 0 };
	int rc;

	rc = page_report_sealed_bad(&b, rq->lang, field, why, action);
	return reporter_send(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, &b, rc);
}

/*
 * Checks that f answers no question in the clear but the unit's, and
 * that one with an option of its question; the unit (or "") into unit.
 * Returns NULL, or the bad field's name with *why.
 */
static const char *
check_clear(const struct form *f, char unit[REPORT_MAX_UNIT + 1],
    const char **why)
{
	const struct def *d = page_report_def();
	const struct def_question *q;
	enum report_cat c;
	const char *v;
	size_t k;
	int oi;

	unit[0] = '\0';
	for (k = 0; d != NULL && k < d->n_questions; k++) {
		q = &d->questions[k];
		if ((v = form_get(f, q->id)) == NULL)
			continue;
		if (d->unit_source != DEF_UNIT_QUESTION ||
		    k != d->unit_question || q->type != DEF_SINGLE) {
			*why = "clear";
			return q->id;
		}
		c = report_form_cat(q);
		if ((oi = def_option_index(q, v)) < 0 ||
		    (c != REPORT_CAT_N && !q->options[oi].is_prefer_not &&
		    !report_cat_is_valid(c, v)) ||
		    strlen(v) > REPORT_MAX_UNIT) {
			*why = "option";
			return q->id;
		}
		if (!q->options[oi].is_prefer_not)
			memcpy(unit, v, strlen(v) + 1);
	}
	return NULL;
}

/* The second half, on a hashing worker. */
static enum MHD_Result
sealed_run(struct req *rq)
{
	struct sealed_report *sr = rq->pw_state;
	struct report_create_keys k = { rq->ctx->pepper, rq->ctx->ack_sk,
	    rq->ctx->ack_pk };
	struct store *s;
	char ack[REPORT_ACK_MAX];
	enum MHD_Result ret;
	struct buf b = { 0 };
	struct attach_plain files[UPLOAD_FILES_MAX];
	char notice[REPORT_FILES_NOTICE];
	size_t n = sr->up != NULL ? sr->up->n : 0;
	int rc;

	/* Files are cleaned here even so: their metadata cannot be taken
	 * out once sealed in the browser. */
	if (n > 0 && report_files_clean(rq->ctx->attach_super, sr->up,
	    rq->lang, files, notice, sizeof(notice)) != GH_OK) {
		ratelimit_give_back(rq->ctx->report_all_rl, NULL);
		ratelimit_give_back(rq->ctx->report_addr_rl, http_peer(rq));
		rc = page_report_form_seal_text(&b, rq->lang, sr->action,
		    sr->f, NULL, notice, NULL);
		return reporter_send(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, &b,
		    rc);
	}
	sr->rs.files = n > 0 ? files : NULL;
	sr->rs.n_files = n;
	s = ctx_store_get(rq->ctx);
	rc = report_sealed_create(s, &k, &sr->rs,
	    sr->unit[0] ? sr->unit : NULL, sr->has_link ? &sr->link : NULL,
	    ack, sizeof(ack));
	ctx_store_put(rq->ctx, s);
	sr->rs.files = NULL;
	if (n > 0)
		report_files_clear(files, n);
	if (rc == GH_ERR_INVALID)
		ret = send_bad(rq, sr->action, "reply_pk", "mismatch");
	else if (rc == GH_ERR_SPENT)
		ret = reporter_send_note(rq, 410, "link_spent", "/melden/volg",
		    "have_code");
	else if (rc == GH_ERR_NOT_FOUND)
		ret = reporter_send_note(rq, 404, "link_unknown", "/melden",
		    "new_report");
	else if (rc == GH_ERR_CLOSED)
		ret = reporter_send_note(rq, 503, "not_ready", "/", "new_report");
	else if (rc != GH_OK)
		ret = http_send_page(rq, PAGE_ERROR);
	else if (sr->once[0] != '\0') {
		once_set_browser(sr->os, sr->once);
		ret = reporter_keep_receipt(rq, sr->once, sr->rs.receipt, ack);
		sr->once[0] = '\0';	/* done: not given back */
	} else {
		char code[RECEIPT_TEXT_LEN + 1];

		receipt_to_text(code, sr->rs.receipt);
		rc = page_report_receipt_where(&b, rq->lang, code, ack, NULL,
		    0, 0, NULL, PAGE_SEALED_BROWSER);
		sodium_memzero(code, sizeof(code));
		ret = reporter_send(rq, MHD_HTTP_OK, &b, rc);
	}
	sodium_memzero(ack, sizeof(ack));
	return ret;
}

enum MHD_Result
route_report_sealed(struct req *rq, const char *action,
    const struct store_token_key *link, struct form *f, const char *once)
{
	struct http_ctx *c = rq->ctx;
	const struct sockaddr *sa = http_peer(rq);
	struct sealed_report *sr;
	enum report_sealed_problem why = REPORT_SEALED_OK;
	const char *field, *clear_why = NULL;
	unsigned int status = MHD_HTTP_SERVICE_UNAVAILABLE;

	if ((sr = calloc(1, sizeof(*sr))) == NULL) {
		if (once != NULL)
			once_release(c->report_once, once);
		form_free(f);
		return http_send_page(rq, PAGE_ERROR);
	}
	if (once != NULL) {
		snprintf(sr->once, sizeof(sr->once), "%s", once);
		sr->os = c->report_once;
	}
	snprintf(sr->action, sizeof(sr->action), "%s", action);
	if ((field = check_clear(f, sr->unit, &clear_why)) == NULL &&
	    report_sealed_parse(&sr->rs, f, &field, &why) == GH_OK)
		field = NULL;
	if (field != NULL) {
		/* Copied: the form (and its field names) goes first. */
		char name[FORM_MAX_NAME + 1];

		snprintf(name, sizeof(name), "%s", field);
		form_free(f);
		sealed_report_free(sr);
		return send_bad(rq, action, name, clear_why != NULL ?
		    clear_why : why_names[why]);
	}
	/* Kept for a refused file: the form again, with what is clear. */
	sr->f = f;
	sr->up = rq->up;
	rq->up = NULL;
	if (link != NULL) {
		sr->link = *link;
		sr->has_link = 1;
	}
	rq->pw_state = sr;
	rq->pw_state_free = sealed_report_free;
	if (ratelimit_take(c->report_addr_rl, sa) != GH_OK) {
		status = MHD_HTTP_TOO_MANY_REQUESTS;
		rq->retry_after_s = 60;
	} else if (ratelimit_take(c->report_all_rl, NULL) != GH_OK) {
		ratelimit_give_back(c->report_addr_rl, sa);
		rq->retry_after_s = HTTP_RETRY_BUSY_S;
	} else if (http_defer(rq, sealed_run, sr, sealed_report_free) ==
	    GH_OK) {
		return MHD_YES;
	} else {
		ratelimit_give_back(c->report_all_rl, NULL);
		ratelimit_give_back(c->report_addr_rl, sa);
	}
	return reporter_send_note(rq, status, "sealed_busy", action,
	    "new_report");
}
