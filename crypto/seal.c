/*
 * seal.c: padding answers to one size and sealing them to a wave's key.
 *
 * Entry points: seal_len and seal_answer on the request threads of
 * serve, seal_open in tally (the only place that holds a secret key).
 * Data path when sealing: plaintext -> padded heap copy (wiped after use)
 * (ISO/IEC 7816-4 padding: 0x80 then zeros, up to exactly the bucket) ->
 * crypto_box_seal to the wave's public key -> the caller's blob; the
 * padded copy is wiped. When opening: blob -> crypto_box_seal_open into
 * the caller's buffer -> padding removed, or the buffer wiped on failure.
 * Nothing here logs: the blobs hold answers, and callers know the context.
 * Also pk_to_b64 and pk_from_b64: a wave's public key as text (gehoord
 * init prints it, gehoord wave reads it).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"
#include "util/util.h"

#define B64_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"abcdefghijklmnopqrstuvwxyz0123456789+/="

_Static_assert(sodium_base64_ENCODED_LEN(SEAL_PK_BYTES,
    sodium_base64_VARIANT_ORIGINAL) == SEAL_PK_B64_LEN + 1, "base64 size");

size_t
seal_len(size_t bucket)
{
	return bucket + SEAL_OVERHEAD;
}

int
seal_answer(uint8_t *out, size_t outsz, const uint8_t *plain,
    size_t plain_len, size_t bucket, const uint8_t pk[SEAL_PK_BYTES])
{
	uint8_t *padded = NULL;
	size_t padded_len = 0;
	int r = GH_ERR_INVALID;

	if (bucket == 0 || bucket > SEAL_BUCKET_MAX)
		goto out;
	if (plain_len >= bucket) {
		r = GH_ERR_TOO_LARGE;
		goto out;
	}
	if (out == NULL || outsz < seal_len(bucket) || pk == NULL ||
	    (plain == NULL && plain_len > 0))
		goto out;
	/*
	 * Ordinary heap memory, wiped below, like the rest of the request
	 * path's plaintext: sodium_malloc maps and unmaps guarded pages on
	 * every call, and the TLB shootdowns that causes kept sealing on two
	 * threads at half the speed of one (tests/bench/run).
	 */
	r = GH_ERR_NOMEM;
	if ((padded = malloc(bucket)) == NULL)
		goto out;
	if (plain_len > 0)
		memcpy(padded, plain, plain_len);
	/* One block of the bucket's size: every answer pads to exactly it. */
	r = GH_ERR_CRYPTO;
	if (sodium_pad(&padded_len, padded, plain_len, bucket, bucket) != 0 ||
	    padded_len != bucket)
		goto out;
	/* Fails for a public key of low order, which no key pair makes. */
	if (crypto_box_seal(out, padded, bucket, pk) != 0)
		goto out;
	r = GH_OK;
out:
	gh_freezero(padded, bucket);
	return r;
}

/*
 * Removes ISO/IEC 7816-4 padding (0x80, then zeros) from the len bytes of
 * buf, which must hold some. Unlike sodium_unpad this is not constant
 * time: it only runs in the custodian's offline tally, where nobody can
 * time it, and sodium_unpad's walk over the whole bucket cost a seventh of
 * the tally (tests/bench/run). Returns GH_OK or GH_ERR_INVALID.
 */
static int
unpad(const uint8_t *buf, size_t len, size_t *out_len)
{
	size_t i = len;

	while (i > 0 && buf[i - 1] == 0x00)
		i--;
	if (i == 0 || buf[i - 1] != 0x80)
		return GH_ERR_INVALID;
	*out_len = i - 1;
	return GH_OK;
}

int
seal_open(uint8_t *plain, size_t plainsz, size_t *plain_len,
    const uint8_t *sealed, size_t sealed_len,
    const uint8_t pk[SEAL_PK_BYTES], const uint8_t sk[SEAL_SK_BYTES])
{
	size_t padded_len = 0;
	int r = GH_ERR_INVALID;

	*plain_len = 0;
	/* Sizes first: at least a padding byte, at most the top bucket. */
	if (plain == NULL || sealed == NULL || pk == NULL || sk == NULL ||
	    sealed_len <= SEAL_OVERHEAD ||
	    sealed_len - SEAL_OVERHEAD > SEAL_BUCKET_MAX ||
	    plainsz < sealed_len - SEAL_OVERHEAD)
		goto out;
	padded_len = sealed_len - SEAL_OVERHEAD;
	r = GH_ERR_CRYPTO;
	if (crypto_box_seal_open(plain, sealed, sealed_len, pk, sk) != 0)
		goto out;
	r = unpad(plain, padded_len, plain_len);
out:
	if (r != GH_OK) {
		*plain_len = 0;
		if (plain != NULL && plainsz > 0)
			sodium_memzero(plain, plainsz);
	}
	return r;
}

void
pk_to_b64(char out[SEAL_PK_B64_LEN + 1], const uint8_t pk[SEAL_PK_BYTES])
{
	(void)sodium_bin2base64(out, SEAL_PK_B64_LEN + 1, pk, SEAL_PK_BYTES,
	    sodium_base64_VARIANT_ORIGINAL);
}

int
pk_from_b64(uint8_t pk[SEAL_PK_BYTES], const char *b64)
{
	const char *end = NULL;
	size_t len, bin_len = 0;
	int r = GH_ERR_INVALID;

	if (b64 == NULL || (len = strlen(b64)) != SEAL_PK_B64_LEN)
		goto out;
	/* libsodium 1.0.18 decodes any byte >= 0x80 as '/': refuse those. */
	if (strspn(b64, B64_CHARS) != len)
		goto out;
	/* No ignored characters, nothing after the padding, exactly 32. */
	if (sodium_base642bin(pk, SEAL_PK_BYTES, b64, len, NULL, &bin_len,
	    &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + len || bin_len != SEAL_PK_BYTES)
		goto out;
	r = GH_OK;
out:
	if (r != GH_OK)
		memset(pk, 0, SEAL_PK_BYTES);
	return r;
}
