/*
 * keyshare.h: a wave's secret key split between its holders, and the
 * joining of the key files a group of holders brings to tally, release
 * or reshare.
 *
 * Splitting is Shamir's secret sharing over GF(256), byte by byte, done by
 * libgfshare: with threshold T any T of the N shares give the secret key
 * back, fewer give nothing about it. Each share is wrapped with its
 * holder's own passphrase (pwbox.h: Argon2id, then crypto_secretbox) in a
 * file of its own, PREFIX.I.share, mode 0600, never overwritten.
 *
 * Share file layout (binary, fixed size KEYSHARE_FILE_SIZE), pwbox.h's
 * with a header in the clear:
 *   "GHWAVES1" | salt[16] | opslimit u64le | memlimit u64le | nonce[24]
 *   | header[51] | secretbox(header[51] | share[32])[16 + 83]
 *   header = public key[32] | set[16] | index u8 | threshold u8 | count u8
 * The header names the wave (its public key), the set (16 random bytes
 * drawn once per keygen or reshare: shares of two sets never mix), the
 * share's index (1 to count) and T and N, so the files can be checked
 * against each other and the wave before any passphrase is asked. The box
 * holds a copy of the header: after opening, the clear header must equal
 * it, so a changed byte anywhere in the file is refused.
 *
 * Joining: the opened shares are combined into a struct wave_key in
 * sodium_malloc memory; crypto_scalarmult_base of the joined secret must
 * give the public key of the header, or the key is refused and wiped. A
 * wave key file of keyfile.h (one file, one passphrase) is accepted as
 * the set of T = N = 1 it is.
 *
 * Memory: shares and the joined key live in sodium_malloc memory.
 * libgfshare's own context (plain heap memory, holding the secret while
 * it is split and the shares while they are joined) is overwritten with
 * random bytes by gfshare_ctx_free as soon as the split or join is done.
 */
#ifndef GH_KEYSHARE_H
#define GH_KEYSHARE_H

#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"
#include "util/err.h"

#define KEYSHARE_MAX		255	/* shares of one key */
#define KEYSHARE_SET_BYTES	16
#define KEYSHARE_HEADER_LEN	(SEAL_PK_BYTES + KEYSHARE_SET_BYTES + 3)
#define KEYSHARE_FILE_SIZE						\
	(8 + 16 + 8 + 8 + 24 + KEYSHARE_HEADER_LEN + 16 +		\
	KEYSHARE_HEADER_LEN + SEAL_SK_BYTES)

/* The key files one group of holders brings, checked and opened. */
struct keyset;

/*
 * Checks threshold t of count n: 1 <= t <= n <= KEYSHARE_MAX, and t >= 2
 * when n >= 2 (a share that opens alone is no split). Returns GH_OK or
 * GH_ERR_USAGE, with the reason in err.
 */
int keyshare_check_split(long long t, long long n, char *err, size_t errsz)
    GH_WUR;

/*
 * Splits key->sk into n shares any t of which join (keyshare_check_split),
 * under a fresh set, and writes share i (1 to n) wrapped with pass[i - 1]
 * to PREFIX.i.share. key->pk must follow from key->sk. Nothing is written
 * unless every file can be: existing files are refused before the key
 * derivations, and a write that fails removes the files written before
 * it. progress, if not NULL, is called before each key derivation with
 * the file's path. Returns GH_OK, GH_ERR_USAGE (bad t, n or prefix),
 * GH_ERR_EXISTS, GH_ERR_PASSPHRASE (an empty or too long passphrase),
 * GH_ERR_INVALID (key->pk does not follow from key->sk), GH_ERR_IO or
 * GH_ERR_NOMEM; err names the file or the reason.
 */
int keyshare_write(const char *prefix, const struct wave_key *key,
    unsigned int t, unsigned int n, char *const *pass,
    const size_t *pass_len, void (*progress)(const char *path),
    char *err, size_t errsz) GH_WUR;

/*
 * Makes a new X25519 key pair in sodium_malloc memory and writes its
 * shares as keyshare_write does; copies the public key to pk_out. The
 * secret key is wiped when done. Returns what keyshare_write does.
 */
int keyshare_create(const char *prefix, unsigned int t, unsigned int n,
    char *const *pass, const size_t *pass_len,
    void (*progress)(const char *path), uint8_t pk_out[SEAL_PK_BYTES],
    char *err, size_t errsz) GH_WUR;

/*
 * Reads the n key files at paths (share files or one wave key file) and
 * checks what can be checked without a passphrase: each file's size,
 * magic and Argon2id limits; that all name the same wave, which must be
 * pk when pk is not NULL; for shares, the same set, no index twice and at
 * least the threshold of them. A wave key file must come alone. Returns
 * GH_OK with *out (free with keyset_free), GH_ERR_IO, GH_ERR_INVALID or
 * GH_ERR_NOMEM; err names the file and says what is wrong.
 */
int keyset_load(const char *const *paths, size_t n,
    const uint8_t *pk, struct keyset **out, char *err, size_t errsz) GH_WUR;

/* The number of files, the threshold and the public key of a keyset. */
size_t keyset_count(const struct keyset *ks);
unsigned int keyset_threshold(const struct keyset *ks);
const uint8_t *keyset_pk(const struct keyset *ks);
/* The path of file i. */
const char *keyset_path(const struct keyset *ks, size_t i);

/*
 * Opens file i of ks with its holder's passphrase (an Argon2id key
 * derivation). Returns GH_OK, GH_ERR_IO, GH_ERR_INVALID (the file changed
 * since keyset_load, or its clear header was altered), GH_ERR_PASSPHRASE
 * (wrong passphrase, or the box was altered) or GH_ERR_NOMEM; err names
 * the file.
 */
int keyset_open(struct keyset *ks, size_t i, const char *pass,
    size_t pass_len, char *err, size_t errsz) GH_WUR;

/*
 * Joins the opened files of ks into a new wave_key (*out; free with
 * wave_key_free) and checks it against the public key. Every file must
 * have been opened. Returns GH_OK, GH_ERR_INVALID (a file not opened),
 * GH_ERR_CRYPTO (the joined key does not give the public key) or
 * GH_ERR_NOMEM; nothing of the key is left on failure.
 */
int keyset_join(struct keyset *ks, struct wave_key **out, char *err,
    size_t errsz) GH_WUR;

/* Wipes and frees a keyset and the shares it holds; accepts NULL. */
void keyset_free(struct keyset *ks);

/*
 * The join itself, apart from the files: combines the n shares (n *
 * SEAL_SK_BYTES bytes at shares, share i with index idx[i], distinct and
 * not 0) into a new wave_key and checks that it gives pk. Returns GH_OK,
 * GH_ERR_INVALID (n is 0, an index is 0 or twice), GH_ERR_CRYPTO (the key
 * does not give pk) or GH_ERR_NOMEM.
 */
int keyshare_join(const uint8_t *idx, const uint8_t *shares, size_t n,
    const uint8_t pk[SEAL_PK_BYTES], struct wave_key **out) GH_WUR;

#endif
