/*
 * report_create.c: a new report, from its checked text to the stored row
 * (report_create.h). No HTTP here: route_report.c parses the form, calls
 * report_create on a hashing worker, and renders the receipt.
 *
 * Entry points: report_create, report_create_files,
 * report_create_seal_files (also for reports sealed in the browser),
 * report_add_files (a follow-up's files),
 * report_create_files_free. Data path: the desk's public key
 * (store_key_get; none yet: GH_ERR_CLOSED) -> fresh receipt -> keyed hash
 * with the pepper; fresh salt -> Argon2id -> reply public key (the secret
 * half is wiped at once: creating needs only the public one); fresh
 * report key pair, its secret sealed to the desk's key -> the text sealed
 * to both public keys, padded -> store_report_create (one durable
 * transaction, spending the link if any) -> the Ed25519-signed
 * acknowledgement (day, SHA-256 of the text). report_create_files also
 * seals cleaned files to both keys (attach_seal.h) and stores them in
 * that same transaction. Nothing is logged.
 */
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "report/report_create.h"
#include "report/report_crypto.h"
#include "store/store_user.h"

int
report_create(struct store *s, const struct report_create_keys *k,
    const char *text, size_t len, const char *unit,
    const struct store_token_key *link, uint8_t r[RECEIPT_BYTES],
    char *ack, size_t acksz)
{
	return report_create_files(s, k, text, len, unit, link, NULL, 0, r,
	    ack, acksz);
}

int
report_create_seal_files(struct attach_plain *files, size_t n,
    const uint8_t report_pk[32], const uint8_t reply_pk[32],
    struct store_attach **out)
{
	int64_t now = (int64_t)time(NULL);
	struct store_attach *a;
	size_t i;
	int rc;

	*out = NULL;
	if (n == 0)
		return GH_OK;
	if ((a = calloc(n, sizeof(*a))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		files[i].time = now;
		if ((rc = attach_seal_both(&a[i], &files[i], report_pk,
		    reply_pk)) != GH_OK) {
			report_create_files_free(a, n);
			return rc;
		}
	}
	*out = a;
	return GH_OK;
}

void
report_create_files_free(struct store_attach *a, size_t n)
{
	size_t i;

	for (i = 0; i < n && a != NULL; i++)
		store_attach_clear(&a[i]);
	free(a);
}

int
report_add_files(struct store *s, const struct report_row *row,
    struct attach_plain *files, size_t n)
{
	static const uint8_t zero[32];
	struct store_attach *att = NULL;
	int rc;

	if (sodium_memcmp(row->report_pk, zero, sizeof(zero)) == 0)
		return GH_ERR_NOT_FOUND;	/* withdrawn: keys gone */
	if ((rc = report_create_seal_files(files, n, row->report_pk,
	    row->reply_pk, &att)) == GH_OK)
		rc = store_attach_add_all(s, row->id, att, n);
	report_create_files_free(att, n);
	return rc;
}

int
report_create_add_files(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    void *arg)
{
	const struct report_create_sealed *rs = arg;
	size_t i;
	int r;

	for (i = 0; i < rs->n; i++)
		if ((r = store_attach_add(s, id, &rs->a[i])) != GH_OK)
			return r;
	return GH_OK;
}

int
report_create_files(struct store *s, const struct report_create_keys *k,
    const char *text, size_t len, const char *unit,
    const struct store_token_key *link, struct attach_plain *files,
    size_t n, uint8_t r[RECEIPT_BYTES], char *ack, size_t acksz)
{
	struct store_attach *att = NULL;
	struct report_create_sealed sealed_files = { NULL, 0 };
	uint8_t desk_pk[32], hash[32], salt[RECEIPT_SALT_BYTES];
	uint8_t reply_pk[32], report_pk[32], sealed[REPORT_SEALED_KEY_BYTES];
	uint8_t id[REPORT_ID_BYTES], digest[crypto_hash_sha256_BYTES];
	uint8_t *sk = NULL;
	struct report_msg m = { 0 };
	struct report_new rn = { 0 };
	int64_t day = store_today();
	int rc;

	if ((rc = store_key_get(s, "desk", desk_pk)) != GH_OK)
		return rc == GH_ERR_NOT_FOUND ? GH_ERR_CLOSED : rc;
	if ((sk = sodium_malloc(REPORT_SK_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	receipt_new(r);
	receipt_hash(hash, r, k->pepper);
	randombytes_buf(salt, sizeof(salt));
	rc = receipt_reply_key(reply_pk, sk, r, salt);
	sodium_free(sk);	/* wipes: creating needs only the public key */
	if (rc != GH_OK ||
	    (rc = report_key_new(desk_pk, report_pk, sealed)) != GH_OK ||
	    (rc = report_seal_both(&m, text, len, (int64_t)time(NULL),
	    report_pk, reply_pk)) != GH_OK ||
	    (rc = report_create_seal_files(files, n, report_pk, reply_pk,
	    &att)) != GH_OK)
		goto out;
	m.author = REPORT_BY_REPORTER;
	m.kind = REPORT_MSG_TEXT;
	rn.receipt_hash = hash;
	rn.report_pk = report_pk;
	rn.sealed_key = sealed;
	rn.sealed_key_len = sizeof(sealed);
	rn.reply_salt = salt;
	rn.reply_pk = reply_pk;
	rn.unit = unit;
	rn.link = link;
	rn.first = &m;
	sealed_files.a = att;
	sealed_files.n = n;
	rn.in_tx = report_create_add_files;
	rn.in_tx_arg = &sealed_files;
	if ((rc = store_report_create(s, &rn, day, id)) != GH_OK)
		goto out;
	crypto_hash_sha256(digest, (const uint8_t *)text, len);
	rc = report_ack(ack, acksz, day, digest, k->ack_sk, k->ack_pk);
out:
	report_create_files_free(att, n);
	report_msg_free(&m);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}
