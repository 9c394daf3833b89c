/*
 * fuzz_voprf.c: libFuzzer target for what a browser can send the VOPRF
 * (crypto/voprf.h): the blinded element of POST /i/CODE, and, for the
 * client's half, an evaluation and proof a server could send back.
 *
 * Input: blinded element (32 bytes) || evaluated element (32) || proof
 * (64) || PRF input (the rest). Invariants: BlindEvaluate accepts exactly
 * the canonical non-identity elements, and its proof then holds for the
 * key (Finalize, with blind 1, succeeds); a made-up evaluation and proof
 * are accepted only if they are the real evaluation; Evaluate takes any
 * input up to 65535 bytes. The corpus starts from the RFC's vectors, the
 * identity and a non-canonical encoding.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "voprf.h"

#define FUZZ_SETUP setup
#include "fuzz.h"

static uint8_t sk[VOPRF_SCALAR_BYTES], pk[VOPRF_ELEMENT_BYTES];
static const uint8_t one[VOPRF_SCALAR_BYTES] = { 1 };

static void
setup(void)
{
	static const uint8_t seed[32] = { 0xa3 };

	FUZZ_CHECK(voprf_derive_key_pair(sk, pk, seed, sizeof(seed),
	    (const uint8_t *)"fuzz", 4) == GH_OK);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ev[VOPRF_ELEMENT_BYTES], proof[VOPRF_PROOF_BYTES];
	uint8_t out[VOPRF_OUTPUT_BYTES];
	const uint8_t *blinded = data, *fev = data + 32, *fproof = data + 64;
	const uint8_t *input = data + 128;
	size_t ilen;
	int valid, r;

	if (size < 128)
		return 0;
	ilen = size - 128;
	/* Canonical (top bit clear: libsodium 1.0.18 ignores it) and not
	 * the identity. */
	valid = (blinded[31] & 0x80) == 0 &&
	    crypto_core_ristretto255_is_valid_point(blinded) == 1 &&
	    !sodium_is_zero(blinded, 32);
	r = voprf_blind_evaluate(ev, proof, sk, pk, blinded, 1);
	FUZZ_CHECK(r == (valid ? GH_OK : GH_ERR_INVALID));
	if (r == GH_OK) {
		/* Blind 1: the proof holds for pk, whatever the input. */
		FUZZ_CHECK(voprf_finalize(out, input, ilen > 0xffff ? 0 : ilen,
		    one, ev, blinded, pk, proof) == GH_OK);
		/* A made-up answer passes only if it is the real one. */
		if (voprf_finalize(out, NULL, 0, one, fev, blinded, pk,
		    fproof) == GH_OK)
			FUZZ_CHECK(sodium_memcmp(fev, ev, 32) == 0);
	}
	r = voprf_evaluate(out, sk, input, ilen);
	FUZZ_CHECK(r == (ilen > 0xffff ? GH_ERR_INVALID : GH_OK));
	return 0;
}
