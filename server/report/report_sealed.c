/*
 * report_sealed.c: checking and storing a report sealed in the browser
 * (report_sealed.h).
 *
 * Entry points: report_sealed_parse, report_sealed_create,
 * report_sealed_free. Data path: posted fields -> each decoded (hex or
 * base64url without padding) into its exact size; both sealed messages
 * of one of the three padded sizes and equal -> on a hashing worker the
 * desk's key must exist, Argon2id of the receipt and salt must give the
 * posted reply_pk (else the reporter could never open the replies) ->
 * store_report_create (one durable transaction) -> the acknowledgement
 * signed over the SHA-256 the browser computed. The server cannot open
 * either message (it holds neither secret key), so their contents are
 * not checked: the desk's reader refuses a malformed one when opened.
 * Nothing is logged.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/seal.h"
#include "report/report_create.h"
#include "report/report_sealed.h"
#include "store/store_user.h"

/*
 * Decodes v (hex if is_hex, else base64url without padding) into out
 * (cap bytes, a few more than any right value needs), *len its length.
 * A value too long for cap is of the wrong size, not badly encoded.
 */
static enum report_sealed_problem
decode(uint8_t *out, size_t cap, size_t *len, const char *v, int is_hex)
{
	size_t vlen = strlen(v);
	int rc;

	if (vlen > (is_hex ? 2 * cap : cap / 3 * 4))
		return REPORT_SEALED_SIZE;
	if (is_hex)
		rc = sodium_hex2bin(out, cap, v, vlen, NULL, len, NULL);
	else
		rc = sodium_base642bin(out, cap, v, vlen, NULL, len, NULL,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return rc != 0 ? REPORT_SEALED_ENCODING : REPORT_SEALED_OK;
}

/* Decodes field name of f into exactly n (<= 96) bytes of out. */
static int
field_bytes(const struct form *f, const char *name, uint8_t *out, size_t n,
    int is_hex, const char **field, enum report_sealed_problem *why)
{
	const char *v = form_get(f, name);
	uint8_t tmp[99];
	size_t len = 0;

	*field = name;
	if (v == NULL || *v == '\0') {
		*why = REPORT_SEALED_MISSING;
		return GH_ERR_INVALID;
	}
	if ((*why = decode(tmp, sizeof(tmp), &len, v, is_hex)) ==
	    REPORT_SEALED_OK && len != n)
		*why = REPORT_SEALED_SIZE;
	if (*why == REPORT_SEALED_OK)
		memcpy(out, tmp, n);
	sodium_memzero(tmp, sizeof(tmp));
	return *why == REPORT_SEALED_OK ? GH_OK : GH_ERR_INVALID;
}

/* Decodes a sealed message: one of the three padded sizes. */
static int
field_msg(const struct form *f, const char *name, uint8_t **out,
    size_t *outlen, const char **field, enum report_sealed_problem *why)
{
	static const size_t sizes[] = { 1024, 4096, 16384 };
	const char *v = form_get(f, name);
	size_t i, len = 0, cap = seal_len(16384) + 3;

	*field = name;
	if (v == NULL || *v == '\0') {
		*why = REPORT_SEALED_MISSING;
		return GH_ERR_INVALID;
	}
	if ((*out = malloc(cap)) == NULL)
		return GH_ERR_NOMEM;
	if ((*why = decode(*out, cap, &len, v, 0)) != REPORT_SEALED_OK)
		return GH_ERR_INVALID;
	*why = REPORT_SEALED_SIZE;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (len == seal_len(sizes[i]))
			*why = REPORT_SEALED_OK;
	if (*why != REPORT_SEALED_OK)
		return GH_ERR_INVALID;
	*outlen = len;
	return GH_OK;
}

int
report_sealed_parse(struct report_sealed *rs, const struct form *f,
    const char **field, enum report_sealed_problem *why)
{
	const char *v = form_get(f, "sealed");
	size_t reporter_len = 0;
	int rc;

	memset(rs, 0, sizeof(*rs));
	*field = "sealed";
	*why = REPORT_SEALED_OK;
	if (v == NULL || strcmp(v, REPORT_SEALED_VERSION) != 0) {
		*why = v == NULL ? REPORT_SEALED_MISSING :
		    REPORT_SEALED_VERSION_BAD;
		return GH_ERR_INVALID;
	}
	if ((rc = field_bytes(f, "receipt", rs->receipt, sizeof(rs->receipt),
	    1, field, why)) != GH_OK ||
	    (rc = field_bytes(f, "reply_salt", rs->salt, sizeof(rs->salt), 0,
	    field, why)) != GH_OK ||
	    (rc = field_bytes(f, "reply_pk", rs->reply_pk,
	    sizeof(rs->reply_pk), 0, field, why)) != GH_OK ||
	    (rc = field_bytes(f, "report_pk", rs->report_pk,
	    sizeof(rs->report_pk), 0, field, why)) != GH_OK ||
	    (rc = field_bytes(f, "sealed_key", rs->sealed_key,
	    sizeof(rs->sealed_key), 0, field, why)) != GH_OK ||
	    (rc = field_bytes(f, "text_sha256", rs->sha256,
	    sizeof(rs->sha256), 1, field, why)) != GH_OK ||
	    (rc = field_msg(f, "for_desk", &rs->for_desk, &rs->msg_len,
	    field, why)) != GH_OK ||
	    (rc = field_msg(f, "for_reporter", &rs->for_reporter,
	    &reporter_len, field, why)) != GH_OK)
		return rc;
	/* One text, one padded size: two lengths would be a forgery. */
	if (reporter_len != rs->msg_len) {
		*field = "for_reporter";
		*why = REPORT_SEALED_SIZE;
		return GH_ERR_INVALID;
	}
	*field = NULL;
	return GH_OK;
}

int
report_sealed_create(struct store *s, const struct report_create_keys *k,
    const struct report_sealed *rs, const char *unit,
    const struct store_token_key *link, char *ack, size_t acksz)
{
	uint8_t desk_pk[32], hash[RECEIPT_HASH_BYTES], pk[32];
	uint8_t id[REPORT_ID_BYTES];
	uint8_t *sk = NULL;
	struct report_msg m = { 0 };
	struct report_new rn = { 0 };
	struct store_attach *att = NULL;
	struct report_create_sealed files = { NULL, 0 };
	int64_t day = store_today();
	int rc;

	if ((rc = store_key_get(s, "desk", desk_pk)) != GH_OK)
		return rc == GH_ERR_NOT_FOUND ? GH_ERR_CLOSED : rc;
	if ((sk = sodium_malloc(REPORT_SK_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	rc = receipt_reply_key(pk, sk, rs->receipt, rs->salt);
	sodium_free(sk);	/* wipes: only the public half is compared */
	if (rc != GH_OK)
		return rc;
	if (sodium_memcmp(pk, rs->reply_pk, sizeof(pk)) != 0)
		return GH_ERR_INVALID;
	receipt_hash(hash, rs->receipt, k->pepper);
	m.author = REPORT_BY_REPORTER;
	m.kind = REPORT_MSG_TEXT;
	m.for_desk = rs->for_desk;
	m.for_desk_len = rs->msg_len;
	m.for_reporter = rs->for_reporter;
	m.for_reporter_len = rs->msg_len;
	rn.receipt_hash = hash;
	rn.report_pk = rs->report_pk;
	rn.sealed_key = rs->sealed_key;
	rn.sealed_key_len = sizeof(rs->sealed_key);
	rn.reply_salt = rs->salt;
	rn.reply_pk = rs->reply_pk;
	rn.unit = unit;
	rn.link = link;
	rn.first = &m;
	if ((rc = report_create_seal_files(rs->files, rs->n_files,
	    rs->report_pk, rs->reply_pk, &att)) != GH_OK)
		goto out;
	files.a = att;
	files.n = rs->n_files;
	rn.in_tx = report_create_add_files;
	rn.in_tx_arg = &files;
	if ((rc = store_report_create(s, &rn, day, id)) == GH_OK)
		rc = report_ack(ack, acksz, day, rs->sha256, k->ack_sk,
		    k->ack_pk);
out:
	report_create_files_free(att, rs->n_files);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

void
report_sealed_free(struct report_sealed *rs)
{
	if (rs == NULL)
		return;
	free(rs->for_desk);
	free(rs->for_reporter);
	sodium_memzero(rs, sizeof(*rs));
}
