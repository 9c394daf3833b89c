/*
 * voprf.c: RFC 9497 VOPRF, ciphersuite ristretto255-SHA512, composed of
 * libsodium's ristretto255 group operations and SHA-512 exactly as the
 * RFC specifies them (no construction of our own).
 *
 * Entry points: voprf_derive_key_pair and voprf_key_pair_new when an
 * invitation batch is made; voprf_blind_evaluate when a browser sends a
 * blinded element; voprf_evaluate when an output comes back to be
 * checked; voprf_blind and voprf_finalize are the client's half, used by
 * the tests (the browser has its own, web/voprf/).
 * Data path: input -> expand_message_xmd(SHA-512, 64 bytes) ->
 * crypto_core_ristretto255_from_hash -> multiplied by the blind, by skS,
 * by the blind's inverse -> SHA-512 of the framed input and element.
 * Scalars that touch the secret key (r, c*skS) are wiped before return.
 */
#include <string.h>

#include <sodium.h>

#include "voprf.h"

_Static_assert(VOPRF_SCALAR_BYTES == crypto_core_ristretto255_SCALARBYTES,
    "scalar size");
_Static_assert(VOPRF_ELEMENT_BYTES == crypto_core_ristretto255_BYTES,
    "element size");
_Static_assert(VOPRF_OUTPUT_BYTES == crypto_hash_sha512_BYTES, "output");
_Static_assert(crypto_core_ristretto255_HASHBYTES == 64, "hash to group");

/* contextString = "OPRFV1-" || I2OSP(0x01, 1) || "-ristretto255-SHA512" */
static const char CTX[] = "OPRFV1-\001-ristretto255-SHA512";
#define CTX_LEN		(sizeof(CTX) - 1)
#define DST_MAX		64

/* One piece of a message hashed in parts. */
struct part {
	const uint8_t	*p;
	size_t		 n;
};

#define NE	VOPRF_ELEMENT_BYTES
#define NS	VOPRF_SCALAR_BYTES

/* prefix || contextString into dst (not a string); returns the length. */
static size_t
dst_make(uint8_t dst[DST_MAX], const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < n; i++)
		dst[i] = (uint8_t)prefix[i];
	memcpy(dst + n, CTX, CTX_LEN);
	return n + CTX_LEN;
}

static void
i2osp2(uint8_t out[2], size_t v)
{
	out[0] = (uint8_t)(v >> 8);
	out[1] = (uint8_t)v;
}

/*
 * expand_message_xmd (RFC 9380, section 5.3.1) with SHA-512 for
 * len_in_bytes = 64, so ell = 1: b_0 = H(Z_pad || msg || I2OSP(64, 2) ||
 * 0x00 || DST_prime), uniform = b_1 = H(b_0 || 0x01 || DST_prime).
 */
static void
expand_xmd64(uint8_t out[64], const struct part *msg, size_t nmsg,
    const uint8_t *dst, size_t dst_len)
{
	static const uint8_t zpad[128];
	crypto_hash_sha512_state st;
	uint8_t b0[64], lib[3] = { 0, 64, 0 }, one = 1, dl = (uint8_t)dst_len;
	size_t i;

	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, zpad, sizeof(zpad));
	for (i = 0; i < nmsg; i++)
		crypto_hash_sha512_update(&st, msg[i].p, msg[i].n);
	crypto_hash_sha512_update(&st, lib, sizeof(lib));
	crypto_hash_sha512_update(&st, dst, dst_len);
	crypto_hash_sha512_update(&st, &dl, 1);
	crypto_hash_sha512_final(&st, b0);

	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, b0, sizeof(b0));
	crypto_hash_sha512_update(&st, &one, 1);
	crypto_hash_sha512_update(&st, dst, dst_len);
	crypto_hash_sha512_update(&st, &dl, 1);
	crypto_hash_sha512_final(&st, out);
	sodium_memzero(b0, sizeof(b0));
	sodium_memzero(&st, sizeof(st));
}

/* HashToScalar: expand to 64 bytes, read little-endian, reduce mod L. */
static void
hash_to_scalar(uint8_t s[NS], const struct part *msg, size_t nmsg,
    const char *prefix)
{
	uint8_t dst[DST_MAX], u[64];
	size_t dl = dst_make(dst, prefix);

	expand_xmd64(u, msg, nmsg, dst, dl);
	crypto_core_ristretto255_scalar_reduce(s, u);
	sodium_memzero(u, sizeof(u));
}

/* HashToGroup: hash_to_ristretto255 with DST "HashToGroup-" || ctx. */
static int
hash_to_group(uint8_t p[NE], const uint8_t *input, size_t len)
{
	struct part msg = { input, len };
	uint8_t dst[DST_MAX], u[64];
	size_t dl = dst_make(dst, "HashToGroup-");

	expand_xmd64(u, &msg, 1, dst, dl);
	crypto_core_ristretto255_from_hash(p, u);
	sodium_memzero(u, sizeof(u));
	return sodium_is_zero(p, NE) ? GH_ERR_CRYPTO : GH_OK;
}

/*
 * DeserializeElement: canonical and not the identity. The top bit is
 * checked here because libsodium 1.0.18 (Debian 12) ignores it in
 * is_valid_point, which then takes 0x00..0x80 for a second spelling of
 * the identity (found by fuzz_voprf).
 */
static int
element_ok(const uint8_t p[NE])
{
	return (p[NE - 1] & 0x80) == 0 &&
	    crypto_core_ristretto255_is_valid_point(p) == 1 &&
	    !sodium_is_zero(p, NE);
}

/* DeserializeScalar: the 32 bytes are already reduced modulo L. */
static int
scalar_ok(const uint8_t s[NS])
{
	uint8_t wide[64] = { 0 }, red[NS];

	memcpy(wide, s, NS);
	crypto_core_ristretto255_scalar_reduce(red, wide);
	return sodium_memcmp(red, s, NS) == 0;
}

/* out = a + b for elements; GH_ERR_CRYPTO if the sum is not usable. */
static int
add(uint8_t out[NE], const uint8_t a[NE], const uint8_t b[NE])
{
	if (crypto_core_ristretto255_add(out, a, b) != 0 ||
	    sodium_is_zero(out, NE))
		return GH_ERR_CRYPTO;
	return GH_OK;
}

/*
 * ComputeComposites (RFC 9497, section 2.2.1): M = sum d_i * C_i, and
 * Z = k * M when k is given (ComputeCompositesFast), otherwise Z = sum
 * d_i * D_i.
 */
static int
composites(uint8_t m[NE], uint8_t z[NE], const uint8_t *k,
    const uint8_t pk[NE], const uint8_t *c, const uint8_t *d, size_t n)
{
	static const uint8_t comp[] = "Composite";
	uint8_t dst[DST_MAX], seed[64], lseed[2], lpk[2], ldst[2], li[2];
	uint8_t le[2], di[NS], t[NE];
	crypto_hash_sha512_state st;
	size_t i, dl = dst_make(dst, "Seed-");
	int r = GH_ERR_CRYPTO;

	i2osp2(lpk, NE);
	i2osp2(ldst, dl);
	i2osp2(lseed, sizeof(seed));
	i2osp2(le, NE);
	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, lpk, 2);
	crypto_hash_sha512_update(&st, pk, NE);
	crypto_hash_sha512_update(&st, ldst, 2);
	crypto_hash_sha512_update(&st, dst, dl);
	crypto_hash_sha512_final(&st, seed);

	for (i = 0; i < n; i++) {
		const struct part tr[] = {
			{ lseed, 2 }, { seed, sizeof(seed) }, { li, 2 },
			{ le, 2 }, { c + i * NE, NE }, { le, 2 },
			{ d + i * NE, NE }, { comp, sizeof(comp) - 1 },
		};

		i2osp2(li, i);
		hash_to_scalar(di, tr, sizeof(tr) / sizeof(tr[0]),
		    "HashToScalar-");
		if (crypto_scalarmult_ristretto255(t, di, c + i * NE) != 0)
			goto out;
		if (i == 0)
			memcpy(m, t, NE);
		else if (add(m, m, t) != GH_OK)
			goto out;
		if (k != NULL)
			continue;
		if (crypto_scalarmult_ristretto255(t, di, d + i * NE) != 0)
			goto out;
		if (i == 0)
			memcpy(z, t, NE);
		else if (add(z, z, t) != GH_OK)
			goto out;
	}
	if (k != NULL && crypto_scalarmult_ristretto255(z, k, m) != 0)
		goto out;
	r = GH_OK;
out:
	sodium_memzero(&st, sizeof(st));
	return r;
}

/* The challenge c = HashToScalar(framed B, M, Z, t2, t3 || "Challenge"). */
static void
challenge(uint8_t c[NS], const uint8_t pk[NE], const uint8_t m[NE],
    const uint8_t z[NE], const uint8_t t2[NE], const uint8_t t3[NE])
{
	static const uint8_t ch[] = "Challenge";
	uint8_t le[2];
	const struct part tr[] = {
		{ le, 2 }, { pk, NE }, { le, 2 }, { m, NE }, { le, 2 },
		{ z, NE }, { le, 2 }, { t2, NE }, { le, 2 }, { t3, NE },
		{ ch, sizeof(ch) - 1 },
	};

	i2osp2(le, NE);
	hash_to_scalar(c, tr, sizeof(tr) / sizeof(tr[0]), "HashToScalar-");
}

/* Hash(len(input) || input || len(element) || element || "Finalize"). */
static void
finalize_hash(uint8_t out[VOPRF_OUTPUT_BYTES], const uint8_t *input,
    size_t len, const uint8_t el[NE])
{
	static const uint8_t fin[] = "Finalize";
	crypto_hash_sha512_state st;
	uint8_t l[2];

	crypto_hash_sha512_init(&st);
	i2osp2(l, len);
	crypto_hash_sha512_update(&st, l, 2);
	crypto_hash_sha512_update(&st, input, len);
	i2osp2(l, NE);
	crypto_hash_sha512_update(&st, l, 2);
	crypto_hash_sha512_update(&st, el, NE);
	crypto_hash_sha512_update(&st, fin, sizeof(fin) - 1);
	crypto_hash_sha512_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

int
voprf_derive_key_pair(uint8_t sk[NS], uint8_t pk[NE], const uint8_t *seed,
    size_t seed_len, const uint8_t *info, size_t info_len)
{
	uint8_t linfo[2], ctr;
	unsigned int i;

	if (info_len > 0xffff)
		return GH_ERR_INVALID;
	i2osp2(linfo, info_len);
	for (i = 0; i < 256; i++) {
		const struct part in[] = {
			{ seed, seed_len }, { linfo, 2 }, { info, info_len },
			{ &ctr, 1 },
		};

		ctr = (uint8_t)i;
		hash_to_scalar(sk, in, sizeof(in) / sizeof(in[0]),
		    "DeriveKeyPair");
		if (!sodium_is_zero(sk, NS) &&
		    crypto_scalarmult_ristretto255_base(pk, sk) == 0)
			return GH_OK;
	}
	sodium_memzero(sk, NS);
	return GH_ERR_CRYPTO;
}

void
voprf_key_pair_new(uint8_t sk[NS], uint8_t pk[NE])
{
	/* scalar_random never returns zero, so the multiple is not the identity. */
	crypto_core_ristretto255_scalar_random(sk);
	(void)crypto_scalarmult_ristretto255_base(pk, sk);
}

int
voprf_blind_with(const uint8_t blind[NS], uint8_t blinded[NE],
    const uint8_t *input, size_t len)
{
	uint8_t p[NE];
	int r;

	if (len > 0xffff)
		return GH_ERR_INVALID;
	if ((r = hash_to_group(p, input, len)) != GH_OK)
		return r;
	if (crypto_scalarmult_ristretto255(blinded, blind, p) != 0)
		return GH_ERR_CRYPTO;
	return GH_OK;
}

int
voprf_blind(uint8_t blind[NS], uint8_t blinded[NE], const uint8_t *input,
    size_t len)
{
	int r;

	crypto_core_ristretto255_scalar_random(blind);
	if ((r = voprf_blind_with(blind, blinded, input, len)) != GH_OK)
		sodium_memzero(blind, NS);
	return r;
}

int
voprf_blind_evaluate_r(uint8_t *evaluated, uint8_t proof[VOPRF_PROOF_BYTES],
    const uint8_t sk[NS], const uint8_t pk[NE], const uint8_t *blinded,
    size_t n, const uint8_t rs[NS])
{
	uint8_t m[NE], z[NE], t2[NE], t3[NE], ck[NS];
	size_t i;
	int r = GH_ERR_INVALID;

	if (n < 1 || n > VOPRF_BATCH_MAX)
		goto out;
	for (i = 0; i < n; i++) {
		if (!element_ok(blinded + i * NE))
			goto out;
	}
	r = GH_ERR_CRYPTO;
	for (i = 0; i < n; i++) {
		if (crypto_scalarmult_ristretto255(evaluated + i * NE, sk,
		    blinded + i * NE) != 0)
			goto out;
	}
	/* GenerateProof(skS, G, pkS, blinded, evaluated) with scalar rs. */
	if (composites(m, z, sk, pk, blinded, evaluated, n) != GH_OK)
		goto out;
	if (crypto_scalarmult_ristretto255_base(t2, rs) != 0 ||
	    crypto_scalarmult_ristretto255(t3, rs, m) != 0)
		goto out;
	challenge(proof, pk, m, z, t2, t3);
	crypto_core_ristretto255_scalar_mul(ck, proof, sk);
	crypto_core_ristretto255_scalar_sub(proof + NS, rs, ck);
	r = GH_OK;
out:
	if (r != GH_OK) {
		sodium_memzero(proof, VOPRF_PROOF_BYTES);
		if (n <= VOPRF_BATCH_MAX)
			sodium_memzero(evaluated, n * NE);
	}
	sodium_memzero(ck, sizeof(ck));
	return r;
}

int
voprf_blind_evaluate(uint8_t *evaluated, uint8_t proof[VOPRF_PROOF_BYTES],
    const uint8_t sk[NS], const uint8_t pk[NE], const uint8_t *blinded,
    size_t n)
{
	uint8_t rs[NS];
	int r;

	crypto_core_ristretto255_scalar_random(rs);
	r = voprf_blind_evaluate_r(evaluated, proof, sk, pk, blinded, n, rs);
	sodium_memzero(rs, sizeof(rs));
	return r;
}

/* VerifyProof(G, pkS, [blinded], [evaluated], proof). */
static int
verify_proof(const uint8_t pk[NE], const uint8_t blinded[NE],
    const uint8_t evaluated[NE], const uint8_t proof[VOPRF_PROOF_BYTES])
{
	uint8_t m[NE], z[NE], t2[NE], t3[NE], a[NE], b[NE], c[NS];
	const uint8_t *pc = proof, *ps = proof + NS;

	if (!scalar_ok(pc) || !scalar_ok(ps))
		return GH_ERR_CRYPTO;
	if (composites(m, z, NULL, pk, blinded, evaluated, 1) != GH_OK)
		return GH_ERR_CRYPTO;
	/* t2 = s*G + c*pkS, t3 = s*M + c*Z */
	if (crypto_scalarmult_ristretto255_base(a, ps) != 0 ||
	    crypto_scalarmult_ristretto255(b, pc, pk) != 0 ||
	    add(t2, a, b) != GH_OK)
		return GH_ERR_CRYPTO;
	if (crypto_scalarmult_ristretto255(a, ps, m) != 0 ||
	    crypto_scalarmult_ristretto255(b, pc, z) != 0 ||
	    add(t3, a, b) != GH_OK)
		return GH_ERR_CRYPTO;
	challenge(c, pk, m, z, t2, t3);
	return sodium_memcmp(c, pc, NS) == 0 ? GH_OK : GH_ERR_CRYPTO;
}

int
voprf_finalize(uint8_t out[VOPRF_OUTPUT_BYTES], const uint8_t *input,
    size_t len, const uint8_t blind[NS], const uint8_t evaluated[NE],
    const uint8_t blinded[NE], const uint8_t pk[NE],
    const uint8_t proof[VOPRF_PROOF_BYTES])
{
	uint8_t inv[NS], n[NE];
	int r = GH_ERR_INVALID;

	memset(out, 0, VOPRF_OUTPUT_BYTES);
	if (len > 0xffff || !element_ok(evaluated) || !element_ok(blinded) ||
	    !element_ok(pk))
		goto out;
	if ((r = verify_proof(pk, blinded, evaluated, proof)) != GH_OK)
		goto out;
	r = GH_ERR_CRYPTO;
	if (crypto_core_ristretto255_scalar_invert(inv, blind) != 0 ||
	    crypto_scalarmult_ristretto255(n, inv, evaluated) != 0)
		goto out;
	finalize_hash(out, input, len, n);
	r = GH_OK;
out:
	sodium_memzero(inv, sizeof(inv));
	sodium_memzero(n, sizeof(n));
	return r;
}

int
voprf_evaluate(uint8_t out[VOPRF_OUTPUT_BYTES], const uint8_t sk[NS],
    const uint8_t *input, size_t len)
{
	uint8_t p[NE], e[NE];
	int r = GH_ERR_INVALID;

	memset(out, 0, VOPRF_OUTPUT_BYTES);
	if (len > 0xffff)
		goto out;
	if ((r = hash_to_group(p, input, len)) != GH_OK)
		goto out;
	r = GH_ERR_CRYPTO;
	if (crypto_scalarmult_ristretto255(e, sk, p) != 0)
		goto out;
	finalize_hash(out, input, len, e);
	r = GH_OK;
out:
	sodium_memzero(e, sizeof(e));
	return r;
}

/* The sealing key: subkey 1 of the pepper under context "gh-voprf". */
static void
seal_key(uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES],
    const uint8_t pepper[32])
{
	/* Cannot fail: the sizes are in range (see the asserts). */
	(void)crypto_kdf_derive_from_key(key,
	    crypto_aead_xchacha20poly1305_ietf_KEYBYTES, 1, "gh-voprf", pepper);
}

_Static_assert(crypto_kdf_KEYBYTES == 32, "pepper as kdf key");
_Static_assert(VOPRF_SEALED_KEY_BYTES ==
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + NS +
    crypto_aead_xchacha20poly1305_ietf_ABYTES, "sealed key size");

void
voprf_key_seal(uint8_t sealed[VOPRF_SEALED_KEY_BYTES], const uint8_t sk[NS],
    const uint8_t pk[NE], const uint8_t pepper[32])
{
	uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	const size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

	seal_key(key, pepper);
	randombytes_buf(sealed, nb);
	(void)crypto_aead_xchacha20poly1305_ietf_encrypt(sealed + nb, NULL, sk,
	    NS, pk, NE, NULL, sealed, key);
	sodium_memzero(key, sizeof(key));
}

int
voprf_key_open(uint8_t sk[NS], const uint8_t sealed[VOPRF_SEALED_KEY_BYTES],
    const uint8_t pk[NE], const uint8_t pepper[32])
{
	uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES], check[NE];
	const size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	int r = GH_ERR_CRYPTO;

	seal_key(key, pepper);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL,
	    sealed + nb, VOPRF_SEALED_KEY_BYTES - nb, pk, NE, sealed,
	    key) != 0)
		goto out;
	if (crypto_scalarmult_ristretto255_base(check, sk) != 0 ||
	    sodium_memcmp(check, pk, NE) != 0)
		goto out;
	r = GH_OK;
out:
	if (r != GH_OK)
		sodium_memzero(sk, NS);
	sodium_memzero(key, sizeof(key));
	return r;
}
