/*
 * route_desk_attach.c: GET /desk/r/ID/file?a=AID: the desk downloads one
 * attachment of a report through its session (router.c has checked the
 * desk session).
 *
 * Entry point: route_desk_attach. Data path: store_report_get ->
 * session_with_desk_key: report_key_open into sodium_malloc memory ->
 * store_attach_get -> attach_open of the desk's copy (every field checked)
 * -> attach_send: the file with its type, Content-Disposition:
 * attachment and nosniff, from memory that is wiped once sent. A withdrawn report, an
 * unknown report or attachment is 404. Never logged: ids, names, content.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/attach_send.h"
#include "http/ctx.h"
#include "http/desk.h"
#include "http/http_int.h"
#include "http/router.h"
#include "http/session.h"
#include "pages/page.h"
#include "report/attach_seal.h"
#include "report/report_crypto.h"
#include "store/store_attach.h"
#include "util/log.h"

struct attach_key {
	const struct report_row	*row;
	uint8_t			*report_sk;
};

static int
open_key(void *arg, const uint8_t *desk_sk)
{
	struct attach_key *ak = arg;
	uint8_t desk_pk[REPORT_PK_BYTES];
	int r;

	if (crypto_scalarmult_base(desk_pk, desk_sk) != 0)
		return GH_ERR_CRYPTO;
	r = report_key_open(ak->report_sk, ak->row->sealed_key,
	    ak->row->sealed_key_len, desk_pk, desk_sk);
	sodium_memzero(desk_pk, sizeof(desk_pk));
	return r;
}

/* Opens attachment aid of report id for the desk into *p. */
static int
open_attachment(struct req *rq, const struct http_auth *a, struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const uint8_t aid[ATTACH_ID_BYTES],
    struct attach_plain *p)
{
	struct report_row row;
	struct store_attach sa;
	struct attach_key ak;
	int r;

	memset(&row, 0, sizeof(row));
	memset(&sa, 0, sizeof(sa));
	ak.row = &row;
	ak.report_sk = NULL;
	if ((r = store_report_get(s, id, &row)) != GH_OK)
		goto out;
	if (row.status == REPORT_WITHDRAWN || row.sealed_key == NULL) {
		r = GH_ERR_NOT_FOUND;
		goto out;
	}
	if ((r = store_attach_get(s, id, aid, &sa)) != GH_OK)
		goto out;
	if ((ak.report_sk = sodium_malloc(REPORT_SK_BYTES)) == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	if ((r = session_with_desk_key(rq->ctx->sessions, a->cookie, open_key,
	    &ak)) != GH_OK) {
		log_error("a report key does not open with the desk key: %s",
		    gh_err_str(r));
		goto out;
	}
	if ((r = attach_open(p, sa.for_desk, sa.for_desk_len, row.report_pk,
	    ak.report_sk)) != GH_OK)
		log_error("an attachment does not open: %s", gh_err_str(r));
out:
	if (ak.report_sk != NULL)
		sodium_free(ak.report_sk);
	store_attach_clear(&sa);
	store_report_row_clear(&row);
	return r;
}

enum MHD_Result
route_desk_attach(struct req *rq, const char *url, const struct http_auth *a)
{
	uint8_t id[REPORT_ID_BYTES], aid[ATTACH_ID_BYTES];
	char id_hex[DESK_ID_LEN + 1];
	const char *q;
	struct attach_plain *p;
	struct store *s;
	size_t len = 0;
	int r;

	q = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "a");
	if (desk_report_id(url, id, id_hex) != 0 || q == NULL ||
	    strlen(q) != (size_t)2 * ATTACH_ID_BYTES ||
	    sodium_hex2bin(aid, sizeof(aid), q, strlen(q), NULL, &len,
	    NULL) != 0 || len != ATTACH_ID_BYTES)
		return http_send_page(rq, PAGE_NOT_FOUND);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	s = ctx_store_get(rq->ctx);
	r = open_attachment(rq, a, s, id, aid, p);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK) {
		attach_send_free(p);
		return http_send_page(rq, r == GH_ERR_NOT_FOUND ?
		    PAGE_NOT_FOUND : PAGE_ERROR);
	}
	return attach_send(rq, p);
}
