/*
 * voprf.h: the verifiable oblivious pseudorandom function of RFC 9497,
 * mode VOPRF (0x01), ciphersuite ristretto255-SHA512, on libsodium's
 * ristretto255 group.
 *
 * The server holds a secret scalar skS and publishes pkS = skS * G. A
 * client blinds its input, the server multiplies the blinded element by
 * skS and proves (a DLEQ proof) that it used the skS behind pkS, and the
 * client unblinds and hashes the result: the 64-byte output. The server
 * learns neither input nor output; with the input alone it can compute
 * the same output again (voprf_evaluate), which is how an output is
 * checked when it comes back.
 *
 * Sizes: scalars and elements are 32 bytes, a proof is c || s (64
 * bytes), an output is one SHA-512 (64 bytes). Every function that takes
 * an element rejects a non-canonical encoding and the identity.
 */
#ifndef GH_VOPRF_H
#define GH_VOPRF_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define VOPRF_SCALAR_BYTES	32
#define VOPRF_ELEMENT_BYTES	32
#define VOPRF_PROOF_BYTES	64
#define VOPRF_OUTPUT_BYTES	64
/* A batch of more evaluations than this is refused. */
#define VOPRF_BATCH_MAX		16

/*
 * DeriveKeyPair (RFC 9497, section 3.2.1) from seed and info. Returns
 * GH_OK, GH_ERR_INVALID (info longer than 65535 bytes) or GH_ERR_CRYPTO
 * (no non-zero scalar in 256 tries, which does not happen).
 */
int voprf_derive_key_pair(uint8_t sk[VOPRF_SCALAR_BYTES],
    uint8_t pk[VOPRF_ELEMENT_BYTES], const uint8_t *seed, size_t seed_len,
    const uint8_t *info, size_t info_len) GH_WUR;

/* A fresh random key pair (a random non-zero scalar and its multiple). */
void voprf_key_pair_new(uint8_t sk[VOPRF_SCALAR_BYTES],
    uint8_t pk[VOPRF_ELEMENT_BYTES]);

/*
 * Client: Blind with a fresh random blind (written to blind, keep it
 * secret) and the blinded element to send. Returns GH_OK, GH_ERR_INVALID
 * (input longer than 65535 bytes) or GH_ERR_CRYPTO (the input hashes to
 * the identity).
 */
int voprf_blind(uint8_t blind[VOPRF_SCALAR_BYTES],
    uint8_t blinded[VOPRF_ELEMENT_BYTES], const uint8_t *input,
    size_t len) GH_WUR;

/* voprf_blind with a given blind scalar (for test vectors). */
int voprf_blind_with(const uint8_t blind[VOPRF_SCALAR_BYTES],
    uint8_t blinded[VOPRF_ELEMENT_BYTES], const uint8_t *input,
    size_t len) GH_WUR;

/*
 * Server: BlindEvaluate of n blinded elements (1 <= n <= VOPRF_BATCH_MAX)
 * with one batched proof. evaluated holds n elements of 32 bytes each.
 * Returns GH_OK, GH_ERR_INVALID (a bad element or n out of range) or
 * GH_ERR_CRYPTO.
 */
int voprf_blind_evaluate(uint8_t *evaluated, uint8_t proof[VOPRF_PROOF_BYTES],
    const uint8_t sk[VOPRF_SCALAR_BYTES], const uint8_t pk[VOPRF_ELEMENT_BYTES],
    const uint8_t *blinded, size_t n) GH_WUR;

/* voprf_blind_evaluate with a given proof scalar r (for test vectors). */
int voprf_blind_evaluate_r(uint8_t *evaluated,
    uint8_t proof[VOPRF_PROOF_BYTES], const uint8_t sk[VOPRF_SCALAR_BYTES],
    const uint8_t pk[VOPRF_ELEMENT_BYTES], const uint8_t *blinded, size_t n,
    const uint8_t r[VOPRF_SCALAR_BYTES]) GH_WUR;

/*
 * Client: VerifyProof of the evaluation against pk, then Finalize.
 * Returns GH_OK with the output in out, GH_ERR_INVALID (a bad element or
 * length) or GH_ERR_CRYPTO (the proof does not hold: wrong key or
 * tampered); out is zeroed on failure.
 */
int voprf_finalize(uint8_t out[VOPRF_OUTPUT_BYTES], const uint8_t *input,
    size_t len, const uint8_t blind[VOPRF_SCALAR_BYTES],
    const uint8_t evaluated[VOPRF_ELEMENT_BYTES],
    const uint8_t blinded[VOPRF_ELEMENT_BYTES],
    const uint8_t pk[VOPRF_ELEMENT_BYTES],
    const uint8_t proof[VOPRF_PROOF_BYTES]) GH_WUR;

/*
 * Server: Evaluate (RFC 9497, section 3.3.2): the output for input under
 * sk, computed without a client. Returns GH_OK, GH_ERR_INVALID or
 * GH_ERR_CRYPTO as voprf_blind.
 */
int voprf_evaluate(uint8_t out[VOPRF_OUTPUT_BYTES],
    const uint8_t sk[VOPRF_SCALAR_BYTES], const uint8_t *input,
    size_t len) GH_WUR;

/*
 * A batch's secret key at rest: XChaCha20-Poly1305 (libsodium's
 * crypto_aead_xchacha20poly1305_ietf) under a subkey of the pepper
 * (crypto_kdf, context "gh-voprf", id 1), with the public key as the
 * associated data; nonce || ciphertext || tag. A database without the
 * pepper beside it cannot evaluate the PRF.
 */
#define VOPRF_SEALED_KEY_BYTES	(24 + VOPRF_SCALAR_BYTES + 16)

/* Seals sk (whose public key is pk) under pepper into sealed. */
void voprf_key_seal(uint8_t sealed[VOPRF_SEALED_KEY_BYTES],
    const uint8_t sk[VOPRF_SCALAR_BYTES], const uint8_t pk[VOPRF_ELEMENT_BYTES],
    const uint8_t pepper[32]);

/*
 * Opens a sealed key into sk (sodium_malloc it) and checks that it is
 * the secret key of pk. Returns GH_OK, or GH_ERR_CRYPTO (another pepper,
 * another public key, tampered); sk is zeroed on failure.
 */
int voprf_key_open(uint8_t sk[VOPRF_SCALAR_BYTES],
    const uint8_t sealed[VOPRF_SEALED_KEY_BYTES],
    const uint8_t pk[VOPRF_ELEMENT_BYTES], const uint8_t pepper[32]) GH_WUR;

#endif
