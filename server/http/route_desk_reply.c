/*
 * route_desk_reply.c: the desk's reply with files: POST /desk/r/ID/reply
 * as multipart/form-data (upload.h reads it only for a live desk
 * session; router.c has checked the desk role and the CSRF token of its
 * text fields).
 *
 * Entry point: route_desk_reply (without files: desk_reply_text,
 * route_desk_report.c). Data path with files: a
 * refusal of the upload itself (too many, too large, a bad name, a
 * broken body) -> the report page again, 422, the reply's text kept and
 * the file named (report_files_problem) by its field and in an error
 * summary, nothing stored. Otherwise, on the hashing pool (http_defer: the
 * cleaner's workers are waited for off the request threads; a full
 * queue is 503 with nothing stored) -> report_files_clean (the
 * reporter's cleaner and limits; a refused file: 422 as above) ->
 * report_conv_desk_post_files: the text and the files sealed to the
 * report key and the reply key and stored in one transaction, the files
 * the desk's (their message's author) -> 303 to the report. Never logged:
 * a name, a byte, a text.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/ctx.h"
#include "http/desk.h"
#include "http/report_files.h"
#include "http/upload.h"
#include "pages/page.h"
#include "report/report_conv.h"

/* A reply with files, finished on the hashing pool. */
struct desk_reply {
	struct http_auth	 a;	/* a copy; its form is f */
	struct form		*f;	/* the text fields, parsed again */
	struct upload		*up;
	uint8_t			 id[REPORT_ID_BYTES];
	char			 id_hex[DESK_ID_LEN + 1];
};

static void
desk_reply_free(void *state)
{
	struct desk_reply *dr = state;

	if (dr == NULL)
		return;
	form_free(dr->f);
	upload_free(dr->up);
	sodium_memzero(&dr->a.view, sizeof(dr->a.view));
	free(dr);
}

/* The page again: 422, the text kept, the refused file named. */
static enum MHD_Result
refused(struct req *rq, const struct http_auth *a,
    const struct desk_reply *dr, const char *words)
{
	return desk_report_show(rq, a, dr->id, dr->id_hex,
	    MHD_HTTP_UNPROCESSABLE_CONTENT, NULL, form_get(a->form, "text"),
	    words);
}

static enum MHD_Result
reply_run(struct req *rq)
{
	struct desk_reply *dr = rq->pw_state;
	struct attach_plain files[UPLOAD_FILES_MAX];
	char words[REPORT_FILES_NOTICE], loc[64];
	const char *problem = NULL;
	const char *v;
	struct store *s;
	size_t n = dr->up->n;
	int r;

	if (report_files_clean(rq->ctx->attach_super, dr->up, rq->lang,
	    files, words, sizeof(words)) != GH_OK)
		return refused(rq, &dr->a, dr, words);
	s = ctx_store_get(rq->ctx);
	v = form_get(dr->f, "feedback");
	r = report_conv_desk_post_files(s, dr->id, form_get(dr->f, "kind"),
	    form_get(dr->f, "text"), v != NULL && strcmp(v, "1") == 0, files,
	    n, &problem);
	ctx_store_put(rq->ctx, s);
	report_files_clear(files, n);
	switch (r) {
	case GH_OK:
		snprintf(loc, sizeof(loc), "/desk/r/%s?saved=1&lang=%s",
		    dr->id_hex, rq->lang == DEF_EN ? "en" : "nl");
		return http_send_redirect(rq, loc, NULL);
	case GH_ERR_NOT_FOUND:
		return http_send_page(rq, PAGE_NOT_FOUND);
	case GH_ERR_INVALID:
		return desk_report_show(rq, &dr->a, dr->id, dr->id_hex,
		    MHD_HTTP_UNPROCESSABLE_CONTENT, problem != NULL ? problem :
		    "desk.forbidden.text", form_get(dr->f, "text"), NULL);
	case GH_ERR_CLOSED:
		return desk_report_show(rq, &dr->a, dr->id, dr->id_hex,
		    MHD_HTTP_CONFLICT, "desk.report.withdrawn", NULL, NULL);
	default:
		return http_send_page(rq, PAGE_ERROR);
	}
}

/* A reply with files: refused at once, or finished on the pool. */
static enum MHD_Result
reply_files(struct req *rq, const char *url, const struct http_auth *a)
{
	char words[REPORT_FILES_NOTICE];
	struct desk_reply *dr;
	enum MHD_Result ret;

	if ((dr = calloc(1, sizeof(*dr))) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	if (desk_report_id(url, dr->id, dr->id_hex) != 0) {
		desk_reply_free(dr);
		return http_send_page(rq, PAGE_NOT_FOUND);
	}
	if (report_files_problem(rq->up, rq->lang, words, sizeof(words))) {
		ret = refused(rq, a, dr, words);
		desk_reply_free(dr);
		return ret;
	}
	/* The router frees its form when this returns: parse our own. */
	if (form_parse(rq->body, rq->body_len, &dr->f) != GH_OK) {
		desk_reply_free(dr);
		return http_send_page(rq, PAGE_ERROR);
	}
	dr->a = *a;
	dr->a.form = dr->f;
	dr->up = rq->up;
	rq->up = NULL;
	if (http_defer(rq, reply_run, dr, desk_reply_free) == GH_OK)
		return MHD_YES;
	desk_reply_free(dr);
	return http_send_page(rq, PAGE_BUSY);
}

/* POST /desk/r/ID/reply: with files here, without them as before. */
enum MHD_Result
route_desk_reply(struct req *rq, const char *url, const struct http_auth *a)
{
	if (rq->up != NULL && (rq->up->n > 0 ||
	    rq->up->problem != UPLOAD_FINE))
		return reply_files(rq, url, a);
	return desk_reply_text(rq, url, a);
}
