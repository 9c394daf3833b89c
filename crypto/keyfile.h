/*
 * keyfile.h: a wave's key pair, its secret half wrapped with a passphrase.
 *
 * keygen makes an X25519 key pair (crypto_box_keypair) and writes the
 * secret key wrapped with the passphrase (pwbox.h: crypto_secretbox under
 * a key Argon2id derives, at least the MODERATE limits). The custodian
 * keeps the file offline; only tally and release open it.
 *
 * File layout (binary, fixed size KEYFILE_SIZE), pwbox.h's with the
 * public key in the clear:
 *   "GHWAVEK1" | salt[16] | opslimit u64le | memlimit u64le | nonce[24]
 *   | public key[32] | secretbox(secret key)[16 + 32]
 * The public key is not in the box; it is checked instead: after opening,
 * the secret key must produce it.
 */
#ifndef GH_KEYFILE_H
#define GH_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "seal.h"
#include "util/err.h"

#define KEYFILE_SIZE (8 + 16 + 8 + 8 + 24 + 32 + 32 + 16)

/* An unwrapped key pair, in sodium_malloc memory. */
struct wave_key {
	uint8_t pk[SEAL_PK_BYTES];
	uint8_t sk[SEAL_SK_BYTES];
};

/*
 * Makes a new key pair, writes it wrapped with pass to path (created with
 * O_EXCL, mode 0600: an existing file is never overwritten) and copies the
 * public key to pk_out. Returns GH_OK, GH_ERR_EXISTS, GH_ERR_PASSPHRASE
 * (empty passphrase), GH_ERR_IO or GH_ERR_NOMEM.
 */
int keyfile_create(const char *path, const char *pass, size_t pass_len,
    uint8_t pk_out[SEAL_PK_BYTES]) GH_WUR;

/*
 * Reads and unwraps the key file at path with pass into a new wave_key
 * (*out; free with wave_key_free). Every field is checked before use: the
 * size, the magic, and the Argon2id limits (between MODERATE and SENSITIVE,
 * so a crafted file cannot make us allocate without bound). Returns GH_OK,
 * GH_ERR_IO, GH_ERR_INVALID (not a gehoord key file), GH_ERR_PASSPHRASE
 * (wrong passphrase or tampered file) or GH_ERR_NOMEM.
 */
int keyfile_open(const char *path, const char *pass, size_t pass_len,
    struct wave_key **out) GH_WUR;

/* Wipes and frees a key from keyfile_open; accepts NULL. */
void wave_key_free(struct wave_key *key);

#endif
