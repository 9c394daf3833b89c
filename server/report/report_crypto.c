/*
 * report_crypto.c: per-report keys, sealing and opening report messages,
 * and the bound on concurrent Argon2id derivations (report_crypto.h).
 *
 * Entry points: report_key_new, report_key_open, report_seal,
 * report_seal_both, report_open, report_plain_clear.
 * Data path when sealing: text -> sodium_malloc'd plaintext (version,
 * time, text) -> seal_answer pads it to the smallest of 1, 4 or 16 KiB
 * that fits and seals it -> malloc'd blob; the plaintext is wiped. When
 * opening: blob -> seal_open into sodium_malloc'd memory -> header checked
 * -> the text is handed out in that same memory.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/seal.h"
#include "report/report_crypto.h"

static const size_t buckets[] = { 1024, 4096, 16384 };
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

_Static_assert(REPORT_PLAIN_HEAD + REPORT_TEXT_MAX < 16384,
    "the largest text fits the largest bucket");

int
report_key_new(const uint8_t desk_pk[REPORT_PK_BYTES],
    uint8_t pk[REPORT_PK_BYTES], uint8_t sealed_key[REPORT_SEALED_KEY_BYTES])
{
	uint8_t *sk;
	int r = GH_ERR_NOMEM;

	if ((sk = sodium_malloc(REPORT_SK_BYTES)) == NULL)
		return r;
	if (crypto_box_keypair(pk, sk) != 0 ||
	    crypto_box_seal(sealed_key, sk, REPORT_SK_BYTES, desk_pk) != 0) {
		r = GH_ERR_CRYPTO;
		goto out;
	}
	r = GH_OK;
out:
	sodium_memzero(sk, REPORT_SK_BYTES);
	sodium_free(sk);
	return r;
}

int
report_key_open(uint8_t *report_sk, const uint8_t *sealed_key, size_t len,
    const uint8_t desk_pk[REPORT_PK_BYTES], const uint8_t *desk_sk)
{
	if (len != REPORT_SEALED_KEY_BYTES)
		return GH_ERR_INVALID;
	if (crypto_box_seal_open(report_sk, sealed_key, len, desk_pk,
	    desk_sk) != 0) {
		sodium_memzero(report_sk, REPORT_SK_BYTES);
		return GH_ERR_CRYPTO;
	}
	return GH_OK;
}

int
report_seal(uint8_t **out, size_t *outlen, const char *text, size_t len,
    int64_t time, const uint8_t pk[REPORT_PK_BYTES])
{
	uint8_t *plain = NULL, *blob = NULL;
	size_t i, n = REPORT_PLAIN_HEAD + len, bucket = 0;
	uint64_t t = (uint64_t)time;
	int r = GH_ERR_TOO_LARGE;

	*out = NULL;
	*outlen = 0;
	if (len > REPORT_TEXT_MAX)
		return r;
	for (i = 0; i < N_BUCKETS && bucket == 0; i++)
		if (n < buckets[i])
			bucket = buckets[i];
	r = GH_ERR_NOMEM;
	if ((plain = sodium_malloc(n)) == NULL ||
	    (blob = malloc(seal_len(bucket))) == NULL)
		goto out;
	plain[0] = 1;
	for (i = 0; i < 8; i++)
		plain[1 + i] = (uint8_t)(t >> (56 - 8 * i));
	if (len > 0)
		memcpy(plain + REPORT_PLAIN_HEAD, text, len);
	if ((r = seal_answer(blob, seal_len(bucket), plain, n, bucket, pk)) !=
	    GH_OK)
		goto out;
	*out = blob;
	*outlen = seal_len(bucket);
	blob = NULL;
out:
	if (plain != NULL) {
		sodium_memzero(plain, n);
		sodium_free(plain);
	}
	free(blob);
	return r;
}

int
report_seal_both(struct report_msg *m, const char *text, size_t len,
    int64_t time, const uint8_t report_pk[REPORT_PK_BYTES],
    const uint8_t reply_pk[REPORT_PK_BYTES])
{
	int r;

	if ((r = report_seal(&m->for_desk, &m->for_desk_len, text, len, time,
	    report_pk)) != GH_OK ||
	    (r = report_seal(&m->for_reporter, &m->for_reporter_len, text,
	    len, time, reply_pk)) != GH_OK)
		report_msg_free(m);
	return r;
}

int
report_open(struct report_plain *p, const uint8_t *blob, size_t len,
    const uint8_t pk[REPORT_PK_BYTES], const uint8_t *sk)
{
	uint8_t *plain = NULL;
	size_t plen = 0, sz, i;
	uint64_t t = 0;
	int r = GH_ERR_INVALID;

	memset(p, 0, sizeof(*p));
	if (len <= SEAL_OVERHEAD || len > seal_len(16384))
		return r;
	sz = len - SEAL_OVERHEAD;
	if ((plain = sodium_malloc(sz + 1)) == NULL)
		return GH_ERR_NOMEM;
	if ((r = seal_open(plain, sz, &plen, blob, len, pk, sk)) != GH_OK)
		goto out;
	if (plen < REPORT_PLAIN_HEAD || plain[0] != 1 ||
	    memchr(plain + REPORT_PLAIN_HEAD, '\0',
	    plen - REPORT_PLAIN_HEAD) != NULL) {
		r = GH_ERR_INVALID;
		goto out;
	}
	for (i = 0; i < 8; i++)
		t = (t << 8) | plain[1 + i];
	p->time = (int64_t)t;
	p->len = plen - REPORT_PLAIN_HEAD;
	memmove(plain, plain + REPORT_PLAIN_HEAD, p->len);
	plain[p->len] = '\0';
	p->text = (char *)plain;
	plain = NULL;
	r = GH_OK;
out:
	if (plain != NULL) {
		sodium_memzero(plain, sz + 1);
		sodium_free(plain);
	}
	return r;
}

void
report_plain_clear(struct report_plain *p)
{
	if (p == NULL || p->text == NULL)
		return;
	sodium_memzero(p->text, p->len + 1);
	sodium_free(p->text);
	p->text = NULL;
	p->len = 0;
}
