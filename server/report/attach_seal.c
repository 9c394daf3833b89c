/*
 * attach_seal.c: an attachment padded to its size class and sealed to the
 * report key and the reply key (see attach_seal.h).
 *
 * Entry points: attach_seal_both (the upload path, after the confined
 * cleaner), attach_open (the desk's download, the reporter's view),
 * attach_plain_clear, attach_class, attach_name_is_valid. Data path:
 * head and name and file -> one plaintext buffer -> sodium_pad to the
 * class -> crypto_box_seal twice; back: crypto_box_seal_open ->
 * sodium_unpad -> every field checked -> copies. The plaintext is on the
 * heap (up to 16 MiB is more than locked memory may hold, as with
 * answers) and wiped before it is freed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "report/attach_seal.h"
#include "util/utf8.h"

#define ATTACH_VERSION	1

size_t
attach_class(size_t n)
{
	size_t c;

	for (c = ATTACH_CLASS_MIN; c <= ATTACH_CLASS_MAX; c *= 2)
		if (n < c)	/* sodium_pad needs at least one byte */
			return c;
	return 0;
}

int
attach_name_is_valid(const char *name, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	if (len == 0 || len > ATTACH_NAME_MAX)
		return 0;
	while (i < len) {
		if (utf8_next((const uint8_t *)name, len, &i, &cp) != 0 ||
		    utf8_is_control(cp) || cp == '/' || cp == '\\')
			return 0;
	}
	return 1;
}

static void
wipe_free(uint8_t *p, size_t n)
{
	if (p == NULL)
		return;
	sodium_memzero(p, n);
	free(p);
}

/* Builds the padded plaintext of p into a new buffer of *cls bytes. */
static int
plain_build(const struct attach_plain *p, uint8_t **out, size_t *cls)
{
	size_t nlen = strlen(p->name), n, padded, i;
	uint64_t t = (uint64_t)p->time;
	uint8_t *b;

	if (!attach_name_is_valid(p->name, nlen))
		return GH_ERR_INVALID;
	if (p->len == 0 || p->len > ATTACH_FILE_MAX)
		return GH_ERR_TOO_LARGE;
	n = ATTACH_HEAD + nlen + p->len;
	if ((*cls = attach_class(n)) == 0)
		return GH_ERR_TOO_LARGE;
	if ((b = malloc(*cls)) == NULL)
		return GH_ERR_NOMEM;
	b[0] = ATTACH_VERSION;
	for (i = 0; i < 8; i++)
		b[1 + i] = (uint8_t)(t >> (56 - 8 * i));
	b[9] = (uint8_t)p->type;
	b[10] = (uint8_t)nlen;
	memcpy(b + ATTACH_HEAD, p->name, nlen);
	memcpy(b + ATTACH_HEAD + nlen, p->data, p->len);
	if (sodium_pad(&padded, b, n, *cls, *cls) != 0 || padded != *cls) {
		wipe_free(b, *cls);
		return GH_ERR_INVALID;
	}
	*out = b;
	return GH_OK;
}

static int
seal_one(uint8_t **out, size_t *outlen, const uint8_t *plain, size_t n,
    const uint8_t pk[REPORT_PK_BYTES])
{
	if ((*out = malloc(n + crypto_box_SEALBYTES)) == NULL)
		return GH_ERR_NOMEM;
	if (crypto_box_seal(*out, plain, n, pk) != 0) {
		free(*out);
		*out = NULL;
		return GH_ERR_CRYPTO;
	}
	*outlen = n + crypto_box_SEALBYTES;
	return GH_OK;
}

int
attach_seal_both(struct store_attach *a, const struct attach_plain *p,
    const uint8_t report_pk[REPORT_PK_BYTES],
    const uint8_t reply_pk[REPORT_PK_BYTES])
{
	uint8_t *plain = NULL;
	size_t cls = 0;
	int r;

	memset(a, 0, sizeof(*a));
	if ((r = plain_build(p, &plain, &cls)) != GH_OK)
		return r;
	if ((r = seal_one(&a->for_desk, &a->for_desk_len, plain, cls,
	    report_pk)) != GH_OK || (r = seal_one(&a->for_reporter,
	    &a->for_reporter_len, plain, cls, reply_pk)) != GH_OK)
		goto out;
	randombytes_buf(a->id, sizeof(a->id));
	a->day = p->time / 86400;
	r = GH_OK;
out:
	wipe_free(plain, cls);
	if (r != GH_OK)
		store_attach_clear(a);
	return r;
}

/* Checks the opened plaintext b (n bytes, unpadded) and copies it. */
static int
plain_parse(struct attach_plain *p, const uint8_t *b, size_t n)
{
	size_t nlen, i;
	uint64_t t = 0;

	if (n < ATTACH_HEAD || b[0] != ATTACH_VERSION ||
	    b[9] < ATTACH_JPEG || b[9] > ATTACH_PDF)
		return GH_ERR_INVALID;
	nlen = b[10];
	if (n <= ATTACH_HEAD + nlen || n - ATTACH_HEAD - nlen > ATTACH_FILE_MAX ||
	    !attach_name_is_valid((const char *)b + ATTACH_HEAD, nlen))
		return GH_ERR_INVALID;
	for (i = 0; i < 8; i++)
		t = (t << 8) | b[1 + i];
	p->time = (int64_t)t;
	p->type = (enum attach_type)b[9];
	p->len = n - ATTACH_HEAD - nlen;
	if ((p->name = malloc(nlen + 1)) == NULL ||
	    (p->data = malloc(p->len)) == NULL)
		return GH_ERR_NOMEM;
	memcpy(p->name, b + ATTACH_HEAD, nlen);
	p->name[nlen] = '\0';
	memcpy(p->data, b + ATTACH_HEAD + nlen, p->len);
	return GH_OK;
}

int
attach_open(struct attach_plain *p, const uint8_t *blob, size_t len,
    const uint8_t pk[REPORT_PK_BYTES], const uint8_t *sk)
{
	uint8_t *plain = NULL;
	size_t cls, n = 0;
	int r = GH_ERR_INVALID;

	memset(p, 0, sizeof(*p));
	if (len <= crypto_box_SEALBYTES)
		return GH_ERR_INVALID;
	cls = len - crypto_box_SEALBYTES;
	/* Only the size classes exist: a power of two in the range. */
	if (cls < ATTACH_CLASS_MIN || cls > ATTACH_CLASS_MAX ||
	    (cls & (cls - 1)) != 0)
		return GH_ERR_INVALID;
	if ((plain = malloc(cls)) == NULL)
		return GH_ERR_NOMEM;
	if (crypto_box_seal_open(plain, blob, len, pk, sk) != 0) {
		r = GH_ERR_CRYPTO;
		goto out;
	}
	if (sodium_unpad(&n, plain, cls, cls) != 0)
		goto out;
	r = plain_parse(p, plain, n);
out:
	wipe_free(plain, cls);
	if (r != GH_OK)
		attach_plain_clear(p);
	return r;
}

void
attach_plain_clear(struct attach_plain *p)
{
	if (p == NULL)
		return;
	if (p->name != NULL)
		wipe_free((uint8_t *)p->name, strlen(p->name) + 1);
	wipe_free(p->data, p->len);
	memset(p, 0, sizeof(*p));
}
