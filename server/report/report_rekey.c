/*
 * report_rekey.c: replacing a reporter's receipt code (report_rekey.h).
 *
 * Entry point: report_rekey (route_report_follow.c, action=rekey, on the
 * hashing worker that runs the reporter's request). Data path: a new
 * code -> keyed hash; a new salt -> Argon2id -> new reply public key;
 * every message's for_reporter blob opened with the old reply key
 * (sodium_malloc memory, wiped) and sealed to the new one ->
 * store_report_rekey (one transaction: the old hash stops matching at
 * commit). A message that arrives in between makes the store refuse
 * (GH_ERR_BUSY): read again and retry, three times at most. Nothing is
 * logged.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "report/report_crypto.h"
#include "report/report_rekey.h"

/* The for_reporter blobs of a report, re-sealed to a new reply key. */
struct rekey {
	const struct report_login *l;
	uint8_t			 pk[32];
	struct report_msg	*msgs;
	size_t			 n, cap;
};

/* store_report_messages callback: opens one message, seals it anew. */
static int
rekey_one(void *arg, const struct report_msg *m)
{
	struct rekey *k = arg;
	struct report_plain p;
	struct report_msg *nm;
	void *grown;
	int rc;

	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 8;
		if ((grown = realloc(k->msgs, k->cap * sizeof(*k->msgs))) ==
		    NULL)
			return GH_ERR_NOMEM;
		k->msgs = grown;
	}
	nm = &k->msgs[k->n];
	memset(nm, 0, sizeof(*nm));
	nm->seq = m->seq;
	if ((rc = report_open(&p, m->for_reporter, m->for_reporter_len,
	    k->l->row.reply_pk, k->l->sk)) != GH_OK)
		return rc;
	rc = report_seal(&nm->for_reporter, &nm->for_reporter_len, p.text,
	    p.len, p.time, k->pk);
	report_plain_clear(&p);
	if (rc == GH_OK)
		k->n++;
	return rc;
}

static void
rekey_clear(struct rekey *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		report_msg_free(&k->msgs[i]);
	k->n = 0;
}

int
report_rekey(struct store *s, const uint8_t *pepper,
    const struct report_login *l, uint8_t r[RECEIPT_BYTES])
{
	struct rekey k = { 0 };
	uint8_t hash[32], salt[RECEIPT_SALT_BYTES], *sk;
	int rc = GH_ERR_NOMEM, tries;

	k.l = l;
	receipt_new(r);
	receipt_hash(hash, r, pepper);
	randombytes_buf(salt, sizeof(salt));
	if ((sk = sodium_malloc(REPORT_SK_BYTES)) != NULL) {
		rc = receipt_reply_key(k.pk, sk, r, salt);
		sodium_free(sk);
	}
	for (tries = 0; rc == GH_OK && tries < 3; tries++) {
		rekey_clear(&k);
		if ((rc = store_report_messages(s, l->row.id, rekey_one,
		    &k)) == GH_OK)
			rc = store_report_rekey(s, l->row.id, hash, salt,
			    k.pk, k.msgs, k.n);
		if (rc != GH_ERR_BUSY)
			break;
	}
	rekey_clear(&k);
	free(k.msgs);
	sodium_memzero(hash, sizeof(hash));
	if (rc != GH_OK)
		sodium_memzero(r, RECEIPT_BYTES);
	return rc;
}
