/*
 * test_voprf.c: crypto/voprf against the VOPRF test vectors of RFC 9497
 * for ristretto255-SHA512 (tests/data/voprf/, the same file the browser
 * code is checked against), and the refusals: a tampered proof, a wrong
 * key, bad elements.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "voprf.h"

#define MAXB	128

struct vec {
	size_t	n;
	uint8_t	input[2][MAXB];
	size_t	input_len[2];
	uint8_t	blind[2][32];
	uint8_t	blinded[2 * 32];
	uint8_t	evaluated[2 * 32];
	uint8_t	proof[64];
	uint8_t	r[32];
	uint8_t	output[2][64];
};

struct fixture {
	uint8_t		seed[32];
	uint8_t		info[8];
	uint8_t		sk[32];
	uint8_t		pk[32];
	struct vec	v[3];
	size_t		nv;
};

/* Hex into exactly want bytes (or up to MAXB when want is 0). */
static size_t
hex(uint8_t *out, size_t want, const cJSON *s)
{
	size_t len = 0;

	assert_true(cJSON_IsString(s));
	assert_int_equal(sodium_hex2bin(out, want ? want : MAXB,
	    s->valuestring, strlen(s->valuestring), NULL, &len, NULL), 0);
	if (want)
		assert_int_equal(len, want);
	return len;
}

static const cJSON *
item(const cJSON *o, const char *k, int i)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_non_null(a);
	if (i < 0)
		return a;
	assert_true(cJSON_IsArray(a));
	return cJSON_GetArrayItem(a, i);
}

static char *
slurp(void)
{
	const char *src = getenv("GEHOORD_SRC");
	char path[1024];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/voprf/"
	    "rfc9497_ristretto255_voprf.json", src ? src : ".");
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	if ((buf = calloc(1, (size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

static int
setup(void **state)
{
	struct fixture *f;
	const cJSON *vs, *v;
	cJSON *root;
	char *text;
	size_t i, k;

	if (sodium_init() < 0 || (text = slurp()) == NULL)
		return -1;
	root = cJSON_Parse(text);
	free(text);
	if (root == NULL || (f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	hex(f->seed, 32, item(root, "seed", -1));
	hex(f->info, 8, item(root, "keyInfo", -1));
	hex(f->sk, 32, item(root, "skSm", -1));
	hex(f->pk, 32, item(root, "pkSm", -1));
	vs = item(root, "vectors", -1);
	f->nv = (size_t)cJSON_GetArraySize(vs);
	assert_int_equal(f->nv, 3);
	for (i = 0; i < f->nv; i++) {
		struct vec *w = &f->v[i];

		v = cJSON_GetArrayItem(vs, (int)i);
		w->n = (size_t)cJSON_GetArraySize(item(v, "input", -1));
		assert_true(w->n >= 1 && w->n <= 2);
		for (k = 0; k < w->n; k++) {
			w->input_len[k] = hex(w->input[k], 0,
			    item(v, "input", (int)k));
			hex(w->blind[k], 32, item(v, "blind", (int)k));
			hex(w->blinded + 32 * k, 32,
			    item(v, "blindedElement", (int)k));
			hex(w->evaluated + 32 * k, 32,
			    item(v, "evaluationElement", (int)k));
			hex(w->output[k], 64, item(v, "output", (int)k));
		}
		hex(w->proof, 64, item(v, "proof", -1));
		hex(w->r, 32, item(v, "proofRandomScalar", -1));
	}
	cJSON_Delete(root);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

static void
test_voprf_derive_key_pair(void **state)
{
	struct fixture *f = *state;
	uint8_t sk[32], pk[32];

	assert_int_equal(voprf_derive_key_pair(sk, pk, f->seed,
	    sizeof(f->seed), f->info, sizeof(f->info)), GH_OK);
	assert_memory_equal(sk, f->sk, 32);
	assert_memory_equal(pk, f->pk, 32);
	/* Another info, another key. */
	assert_int_equal(voprf_derive_key_pair(sk, pk, f->seed,
	    sizeof(f->seed), f->info, 4), GH_OK);
	assert_memory_not_equal(sk, f->sk, 32);
}

static void
test_voprf_blind_vectors(void **state)
{
	struct fixture *f = *state;
	uint8_t blinded[32];
	size_t i, k;

	for (i = 0; i < f->nv; i++) {
		for (k = 0; k < f->v[i].n; k++) {
			assert_int_equal(voprf_blind_with(f->v[i].blind[k],
			    blinded, f->v[i].input[k], f->v[i].input_len[k]),
			    GH_OK);
			assert_memory_equal(blinded, f->v[i].blinded + 32 * k,
			    32);
		}
	}
}

static void
test_voprf_blind_evaluate_vectors(void **state)
{
	struct fixture *f = *state;
	uint8_t ev[2 * 32], proof[64];
	size_t i;

	for (i = 0; i < f->nv; i++) {
		const struct vec *w = &f->v[i];

		assert_int_equal(voprf_blind_evaluate_r(ev, proof, f->sk, f->pk,
		    w->blinded, w->n, w->r), GH_OK);
		assert_memory_equal(ev, w->evaluated, 32 * w->n);
		assert_memory_equal(proof, w->proof, 64);
	}
}

static void
test_voprf_finalize_vectors(void **state)
{
	struct fixture *f = *state;
	uint8_t out[64];
	size_t i;

	/* The batch-of-one vectors: verify the proof, then unblind. */
	for (i = 0; i < f->nv; i++) {
		const struct vec *w = &f->v[i];

		if (w->n != 1)
			continue;
		assert_int_equal(voprf_finalize(out, w->input[0],
		    w->input_len[0], w->blind[0], w->evaluated, w->blinded,
		    f->pk, w->proof), GH_OK);
		assert_memory_equal(out, w->output[0], 64);
	}
}

static void
test_voprf_evaluate_vectors(void **state)
{
	struct fixture *f = *state;
	uint8_t out[64];
	size_t i, k;

	for (i = 0; i < f->nv; i++) {
		for (k = 0; k < f->v[i].n; k++) {
			assert_int_equal(voprf_evaluate(out, f->sk,
			    f->v[i].input[k], f->v[i].input_len[k]), GH_OK);
			assert_memory_equal(out, f->v[i].output[k], 64);
		}
	}
}

static void
test_voprf_tampered_proof(void **state)
{
	struct fixture *f = *state;
	const struct vec *w = &f->v[0];
	uint8_t proof[64], out[64];
	size_t i;

	for (i = 0; i < 64; i += 9) {
		memcpy(proof, w->proof, 64);
		proof[i] ^= 0x01;
		assert_int_equal(voprf_finalize(out, w->input[0],
		    w->input_len[0], w->blind[0], w->evaluated, w->blinded,
		    f->pk, proof), GH_ERR_CRYPTO);
		assert_true(sodium_is_zero(out, 64));
	}
	/* A scalar of the proof at or above the group order. */
	memcpy(proof, w->proof, 64);
	memset(proof + 32, 0xff, 32);
	assert_int_equal(voprf_finalize(out, w->input[0], w->input_len[0],
	    w->blind[0], w->evaluated, w->blinded, f->pk, proof),
	    GH_ERR_CRYPTO);
}

static void
test_voprf_wrong_key(void **state)
{
	struct fixture *f = *state;
	const struct vec *w = &f->v[0];
	uint8_t sk[32], pk[32], ev[32], proof[64], out[64];

	voprf_key_pair_new(sk, pk);
	/* The vector's proof against another key. */
	assert_int_equal(voprf_finalize(out, w->input[0], w->input_len[0],
	    w->blind[0], w->evaluated, w->blinded, pk, w->proof),
	    GH_ERR_CRYPTO);
	/* An evaluation by another key, proven for that key, checked
	 * against the vector's key. */
	assert_int_equal(voprf_blind_evaluate(ev, proof, sk, pk, w->blinded,
	    1), GH_OK);
	assert_int_equal(voprf_finalize(out, w->input[0], w->input_len[0],
	    w->blind[0], ev, w->blinded, f->pk, proof), GH_ERR_CRYPTO);
	/* The same, checked against its own key, holds. */
	assert_int_equal(voprf_finalize(out, w->input[0], w->input_len[0],
	    w->blind[0], ev, w->blinded, pk, proof), GH_OK);
}

static void
test_voprf_round_trip(void **state)
{
	uint8_t sk[32], pk[32], blind[32], blinded[32], ev[32], proof[64];
	uint8_t out[64], again[64], input[16];

	(void)state;
	voprf_key_pair_new(sk, pk);
	randombytes_buf(input, sizeof(input));
	assert_int_equal(voprf_blind(blind, blinded, input, sizeof(input)),
	    GH_OK);
	assert_int_equal(voprf_blind_evaluate(ev, proof, sk, pk, blinded, 1),
	    GH_OK);
	assert_int_equal(voprf_finalize(out, input, sizeof(input), blind, ev,
	    blinded, pk, proof), GH_OK);
	assert_int_equal(voprf_evaluate(again, sk, input, sizeof(input)),
	    GH_OK);
	assert_memory_equal(out, again, 64);
	input[0] ^= 1;
	assert_int_equal(voprf_evaluate(again, sk, input, sizeof(input)),
	    GH_OK);
	assert_memory_not_equal(out, again, 64);
}

static void
test_voprf_bad_elements(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[32] = { 0 }, bad[32], ev[32], proof[64];

	/* The identity and a non-canonical encoding are refused; so is the
	 * identity with the top bit set, which libsodium 1.0.18 decodes. */
	memset(bad, 0, sizeof(bad));
	bad[31] = 0x80;
	assert_int_equal(voprf_blind_evaluate(ev, proof, f->sk, f->pk, bad,
	    1), GH_ERR_INVALID);
	memset(bad, 0xff, sizeof(bad));
	assert_int_equal(voprf_blind_evaluate(ev, proof, f->sk, f->pk, zero,
	    1), GH_ERR_INVALID);
	assert_int_equal(voprf_blind_evaluate(ev, proof, f->sk, f->pk, bad,
	    1), GH_ERR_INVALID);
	assert_int_equal(voprf_blind_evaluate(ev, proof, f->sk, f->pk,
	    f->v[0].blinded, 0), GH_ERR_INVALID);
	assert_int_equal(voprf_blind_evaluate(ev, proof, f->sk, f->pk,
	    f->v[0].blinded, VOPRF_BATCH_MAX + 1), GH_ERR_INVALID);
}

static void
test_voprf_key_seal(void **state)
{
	uint8_t sk[32], pk[32], pk2[32], sk2[32], got[32], pepper[32];
	uint8_t other[32], sealed[VOPRF_SEALED_KEY_BYTES];

	(void)state;
	randombytes_buf(pepper, sizeof(pepper));
	memcpy(other, pepper, sizeof(other));
	other[0] ^= 1;
	voprf_key_pair_new(sk, pk);
	voprf_key_pair_new(sk2, pk2);
	voprf_key_seal(sealed, sk, pk, pepper);
	assert_int_equal(voprf_key_open(got, sealed, pk, pepper), GH_OK);
	assert_memory_equal(got, sk, 32);
	/* Another pepper, another public key, a flipped byte: refused. */
	assert_int_equal(voprf_key_open(got, sealed, pk, other), GH_ERR_CRYPTO);
	assert_true(sodium_is_zero(got, 32));
	assert_int_equal(voprf_key_open(got, sealed, pk2, pepper),
	    GH_ERR_CRYPTO);
	sealed[40] ^= 1;
	assert_int_equal(voprf_key_open(got, sealed, pk, pepper),
	    GH_ERR_CRYPTO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_voprf_derive_key_pair),
		cmocka_unit_test(test_voprf_blind_vectors),
		cmocka_unit_test(test_voprf_blind_evaluate_vectors),
		cmocka_unit_test(test_voprf_finalize_vectors),
		cmocka_unit_test(test_voprf_evaluate_vectors),
		cmocka_unit_test(test_voprf_tampered_proof),
		cmocka_unit_test(test_voprf_wrong_key),
		cmocka_unit_test(test_voprf_round_trip),
		cmocka_unit_test(test_voprf_bad_elements),
		cmocka_unit_test(test_voprf_key_seal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
