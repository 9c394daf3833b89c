/*
 * keyshare.c: a wave's secret key split between its holders (keyshare.h).
 *
 * Entry points: keyshare_create (gehoord keygen --shares), keyshare_write
 * (also gehoord key reshare), keyset_load, keyset_open and keyset_join
 * (tally, release, reshare), keyshare_join (the join apart from files).
 * Data path when splitting: the secret key (sodium_malloc) -> libgfshare
 * (T - 1 random coefficients per byte from randombytes_buf) -> N shares
 * (sodium_malloc) -> each with the clear header in a pwbox under its
 * holder's passphrase -> N new 0600 files (file_write_new). When joining:
 * each file read and checked without a passphrase (keyset_load), then
 * opened (Argon2id, secretbox) with the sealed header compared to the
 * clear one (keyset_open), then combined by libgfshare into a wave_key
 * whose secret must give the public key (keyset_join).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libgfshare.h>
#include <sodium.h>

#include "fileio.h"
#include "keyfile.h"
#include "keyfile_int.h"
#include "keyshare.h"
#include "pwbox.h"
#include "util/file.h"

/* Offsets in the header. */
#define H_SET		SEAL_PK_BYTES
#define H_INDEX		(H_SET + KEYSHARE_SET_BYTES)
#define H_T		(H_INDEX + 1)
#define H_N		(H_INDEX + 2)
/* The boxed secret: the header again, then the share. */
#define SECRET_LEN	(KEYSHARE_HEADER_LEN + SEAL_SK_BYTES)

/* A key share file: the pwbox with the header in the clear. */
static const struct pwbox_kind share_kind = {
	.magic = "GHWAVES1",
	.clear_len = KEYSHARE_HEADER_LEN,
	.secret_len = SECRET_LEN,
	.ops_min = crypto_pwhash_OPSLIMIT_MODERATE,
	.ops_max = crypto_pwhash_OPSLIMIT_SENSITIVE,
	.mem_min = crypto_pwhash_MEMLIMIT_MODERATE,
	.mem_max = crypto_pwhash_MEMLIMIT_SENSITIVE,
};

_Static_assert(PWBOX_LEN(KEYSHARE_HEADER_LEN, SECRET_LEN) ==
    KEYSHARE_FILE_SIZE, "layout");
_Static_assert(KEYSHARE_FILE_SIZE > KEYFILE_SIZE, "read buffer");
_Static_assert(KEYSHARE_MAX <= 255, "GF(256) has 255 non-zero points");

/* One key file of a keyset. */
struct kfile {
	const char	*path;
	int		 is_share;
	uint8_t		 box[KEYSHARE_FILE_SIZE];	/* as read; sealed */
	size_t		 len;
	uint8_t		*secret;	/* opened share: SECRET_LEN, sodium_malloc */
	struct wave_key	*key;		/* opened wave key file */
};

struct keyset {
	size_t		 n;
	unsigned int	 threshold;
	uint8_t		 pk[SEAL_PK_BYTES];
	struct kfile	 f[];
};

/* libgfshare draws its coefficients through this; it starts out NULL. */
static void
fill_rand(unsigned char *buf, unsigned int len)
{
	randombytes_buf(buf, len);
}

static int
share_path(char *out, size_t outsz, const char *prefix, unsigned int i)
{
	int n = snprintf(out, outsz, "%s.%u.share", prefix, i);

	return n < 0 || (size_t)n >= outsz ? GH_ERR_TOO_LARGE : GH_OK;
}

int
keyshare_check_split(long long t, long long n, char *err, size_t errsz)
{
	if (n < 1 || n > KEYSHARE_MAX) {
		snprintf(err, errsz, "the number of shares must be from 1 to "
		    "%d, not %lld", KEYSHARE_MAX, n);
		return GH_ERR_USAGE;
	}
	if (t < 1 || t > n) {
		snprintf(err, errsz, "the threshold must be from 1 to the "
		    "number of shares (%lld), not %lld", n, t);
		return GH_ERR_USAGE;
	}
	if (n >= 2 && t < 2) {
		snprintf(err, errsz, "with %lld shares the threshold must be "
		    "at least 2: a share that opens the key alone is no split",
		    n);
		return GH_ERR_USAGE;
	}
	return GH_OK;
}

/* Checks every path and passphrase before any work. */
static int
write_precheck(const char *prefix, unsigned int n, char *const *pass,
    const size_t *pass_len, char *err, size_t errsz)
{
	char path[4096];
	struct stat st;
	unsigned int i;

	for (i = 1; i <= n; i++) {
		if (share_path(path, sizeof(path), prefix, i) != GH_OK) {
			snprintf(err, errsz, "%s: path too long", prefix);
			return GH_ERR_USAGE;
		}
		if (pass[i - 1] == NULL || pass_len[i - 1] == 0 ||
		    pass_len[i - 1] > crypto_pwhash_PASSWD_MAX) {
			snprintf(err, errsz, "%s: the passphrase of share %u "
			    "is empty or too long", path, i);
			return GH_ERR_PASSPHRASE;
		}
		/* Fails fast, before the key derivations; O_EXCL decides. */
		if (lstat(path, &st) == 0) {
			snprintf(err, errsz, "%s: exists already; refusing to "
			    "overwrite a key share", path);
			return GH_ERR_EXISTS;
		}
	}
	return GH_OK;
}

/* Removes the first n share files written under prefix. */
static void
unwrite(const char *prefix, unsigned int n)
{
	char path[4096];
	unsigned int i;

	for (i = 1; i <= n; i++)
		if (share_path(path, sizeof(path), prefix, i) == GH_OK)
			(void)unlink(path);
}

/*
 * Splits sk into n shares (n * SEAL_SK_BYTES bytes at shares), any t of
 * which join, at the points 1 to n. Returns GH_OK or GH_ERR_NOMEM.
 */
static int
split(const uint8_t sk[SEAL_SK_BYTES], unsigned int t, unsigned int n,
    uint8_t *shares)
{
	uint8_t sharenrs[KEYSHARE_MAX], copy[SEAL_SK_BYTES];
	gfshare_ctx *ctx;
	unsigned int i;

	for (i = 0; i < n; i++)
		sharenrs[i] = (uint8_t)(i + 1);
	gfshare_fill_rand = fill_rand;
	if ((ctx = gfshare_ctx_init_enc(sharenrs, n, (unsigned char)t,
	    SEAL_SK_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	/* libgfshare reads the secret through a non-const pointer. */
	memcpy(copy, sk, sizeof(copy));
	gfshare_ctx_enc_setsecret(ctx, copy);
	sodium_memzero(copy, sizeof(copy));
	for (i = 0; i < n; i++)
		gfshare_ctx_enc_getshare(ctx, (unsigned char)i,
		    shares + (size_t)i * SEAL_SK_BYTES);
	gfshare_ctx_free(ctx);
	return GH_OK;
}

/*
 * Wraps share i of shares with pass[i] into box i of files, each with the
 * header of pk, a fresh set, its index, t and n. Returns GH_OK,
 * GH_ERR_PASSPHRASE or GH_ERR_NOMEM, with err.
 */
static int
seal_shares(const char *prefix, const uint8_t pk[SEAL_PK_BYTES],
    unsigned int t, unsigned int n, const uint8_t *shares,
    char *const *pass, const size_t *pass_len,
    void (*progress)(const char *path), uint8_t *files, char *err,
    size_t errsz)
{
	uint8_t header[KEYSHARE_HEADER_LEN], *secret;
	char path[4096];
	unsigned int i;
	int r = GH_ERR_NOMEM;

	snprintf(err, errsz, "out of memory");
	if ((secret = sodium_malloc(SECRET_LEN)) == NULL)
		return r;
	memcpy(header, pk, SEAL_PK_BYTES);
	randombytes_buf(header + H_SET, KEYSHARE_SET_BYTES);
	header[H_T] = (uint8_t)t;
	header[H_N] = (uint8_t)n;
	for (i = 0, r = GH_OK; i < n && r == GH_OK; i++) {
		header[H_INDEX] = (uint8_t)(i + 1);
		memcpy(secret, header, KEYSHARE_HEADER_LEN);
		memcpy(secret + KEYSHARE_HEADER_LEN,
		    shares + (size_t)i * SEAL_SK_BYTES, SEAL_SK_BYTES);
		if (progress != NULL &&
		    share_path(path, sizeof(path), prefix, i + 1) == GH_OK)
			progress(path);
		if ((r = pwbox_seal(files + (size_t)i * KEYSHARE_FILE_SIZE,
		    &share_kind, header, secret, pass[i], pass_len[i])) !=
		    GH_OK)
			snprintf(err, errsz, "share %u: cannot wrap it: %s",
			    i + 1, gh_err_str(r));
	}
	sodium_free(secret);
	return r;
}

/*
 * Writes the n boxes of files to PREFIX.1.share ...; on failure removes
 * the ones written. Returns GH_OK, GH_ERR_EXISTS, GH_ERR_IO or
 * GH_ERR_NOMEM, with err.
 */
static int
write_shares(const char *prefix, unsigned int n, const uint8_t *files,
    char *err, size_t errsz)
{
	char path[4096];
	unsigned int i;
	int r;

	for (i = 0; i < n; i++) {
		if ((r = share_path(path, sizeof(path), prefix, i + 1)) !=
		    GH_OK ||
		    (r = file_write_new(path, files + (size_t)i *
		    KEYSHARE_FILE_SIZE, KEYSHARE_FILE_SIZE, 0600)) != GH_OK) {
			snprintf(err, errsz, "%s: %s; no share was kept", path,
			    r == GH_ERR_EXISTS ? "exists already; refusing to "
			    "overwrite a key share" : gh_err_str(r));
			unwrite(prefix, i);
			return r;
		}
	}
	return GH_OK;
}

int
keyshare_write(const char *prefix, const struct wave_key *key,
    unsigned int t, unsigned int n, char *const *pass,
    const size_t *pass_len, void (*progress)(const char *path),
    char *err, size_t errsz)
{
	uint8_t derived[SEAL_PK_BYTES];
	uint8_t *files = NULL, *shares = NULL;
	int r;

	snprintf(err, errsz, "no error");
	if ((r = keyshare_check_split(t, n, err, errsz)) != GH_OK ||
	    (r = write_precheck(prefix, n, pass, pass_len, err, errsz)) !=
	    GH_OK)
		goto out;
	r = GH_ERR_INVALID;
	if (crypto_scalarmult_base(derived, key->sk) != 0 ||
	    sodium_memcmp(derived, key->pk, SEAL_PK_BYTES) != 0) {
		snprintf(err, errsz, "the secret key does not give its public "
		    "key");
		goto out;
	}
	r = GH_ERR_NOMEM;
	snprintf(err, errsz, "out of memory");
	if ((files = calloc(n, KEYSHARE_FILE_SIZE)) == NULL ||
	    (shares = sodium_malloc((size_t)n * SEAL_SK_BYTES)) == NULL)
		goto out;
	if ((r = split(key->sk, t, n, shares)) != GH_OK ||
	    (r = seal_shares(prefix, key->pk, t, n, shares, pass, pass_len,
	    progress, files, err, errsz)) != GH_OK)
		goto out;
	r = write_shares(prefix, n, files, err, errsz);
out:
	if (files != NULL) {
		sodium_memzero(files, (size_t)n * KEYSHARE_FILE_SIZE);
		free(files);
	}
	sodium_free(shares);
	return r;
}

int
keyshare_create(const char *prefix, unsigned int t, unsigned int n,
    char *const *pass, const size_t *pass_len,
    void (*progress)(const char *path), uint8_t pk_out[SEAL_PK_BYTES],
    char *err, size_t errsz)
{
	struct wave_key *k;
	int r = GH_ERR_NOMEM;

	snprintf(err, errsz, "out of memory");
	if ((k = sodium_malloc(sizeof(*k))) == NULL)
		goto out;
	(void)crypto_box_keypair(k->pk, k->sk);
	if ((r = keyshare_write(prefix, k, t, n, pass, pass_len, progress,
	    err, errsz)) != GH_OK)
		goto out;
	memcpy(pk_out, k->pk, SEAL_PK_BYTES);
out:
	wave_key_free(k);
	return r;
}

int
keyshare_join(const uint8_t *idx, const uint8_t *shares, size_t n,
    const uint8_t pk[SEAL_PK_BYTES], struct wave_key **out)
{
	uint8_t sharenrs[KEYSHARE_MAX], derived[SEAL_PK_BYTES];
	uint8_t *share = NULL;
	struct wave_key *k = NULL;
	gfshare_ctx *ctx = NULL;
	size_t i, j;
	int r = GH_ERR_INVALID;

	*out = NULL;
	if (n == 0 || n > KEYSHARE_MAX)
		goto out;
	for (i = 0; i < n; i++) {
		if (idx[i] == 0)
			goto out;
		for (j = 0; j < i; j++)
			if (idx[j] == idx[i])
				goto out;
		sharenrs[i] = idx[i];
	}
	r = GH_ERR_NOMEM;
	if ((k = sodium_malloc(sizeof(*k))) == NULL ||
	    (share = sodium_malloc(SEAL_SK_BYTES)) == NULL)
		goto out;
	gfshare_fill_rand = fill_rand;
	if ((ctx = gfshare_ctx_init_dec(sharenrs, (unsigned int)n,
	    SEAL_SK_BYTES)) == NULL)
		goto out;
	/* libgfshare reads each share through a non-const pointer. */
	for (i = 0; i < n; i++) {
		memcpy(share, shares + i * SEAL_SK_BYTES, SEAL_SK_BYTES);
		gfshare_ctx_dec_giveshare(ctx, (unsigned char)i, share);
	}
	gfshare_ctx_dec_extract(ctx, k->sk);
	gfshare_ctx_free(ctx);
	ctx = NULL;
	r = GH_ERR_CRYPTO;
	if (crypto_scalarmult_base(derived, k->sk) != 0 ||
	    sodium_memcmp(derived, pk, SEAL_PK_BYTES) != 0)
		goto out;
	memcpy(k->pk, pk, SEAL_PK_BYTES);
	*out = k;
	k = NULL;
	r = GH_OK;
out:
	if (ctx != NULL)
		gfshare_ctx_free(ctx);
	sodium_free(share);
	wave_key_free(k);
	return r;
}

/*
 * Reads file f->path and works out what it is. Returns GH_OK,
 * GH_ERR_IO or GH_ERR_INVALID, with err.
 */
static int
kfile_read(struct kfile *f, char *err, size_t errsz)
{
	const uint8_t *h;
	int r;

	r = fileio_read(f->path, f->box, sizeof(f->box), &f->len, NULL);
	if (r == GH_ERR_NOT_FOUND || r == GH_ERR_IO) {
		snprintf(err, errsz, "%s: cannot read the key file",
		    f->path);
		return GH_ERR_IO;
	}
	if (r == GH_OK && keyfile_check_header(f->box, f->len) == GH_OK) {
		f->is_share = 0;
		return GH_OK;
	}
	if (r != GH_OK || pwbox_check(f->box, f->len, &share_kind) != GH_OK) {
		snprintf(err, errsz, "%s: not a gehoord wave key file or key "
		    "share", f->path);
		return GH_ERR_INVALID;
	}
	f->is_share = 1;
	h = f->box + PWBOX_OFF_CLEAR;
	if (keyshare_check_split(h[H_T], h[H_N], err, errsz) != GH_OK ||
	    h[H_INDEX] < 1 || h[H_INDEX] > h[H_N]) {
		snprintf(err, errsz, "%s: the share's header is damaged "
		    "(index %u, threshold %u, shares %u)", f->path, h[H_INDEX],
		    h[H_T], h[H_N]);
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

/* Checks that the files of ks belong together and are enough. */
static int
keyset_check(struct keyset *ks, char *err, size_t errsz)
{
	const struct kfile *a = &ks->f[0], *b;
	const uint8_t *ha = a->box + PWBOX_OFF_CLEAR, *hb;
	size_t i, j;

	for (i = 0; i < ks->n; i++) {
		b = &ks->f[i];
		hb = b->box + PWBOX_OFF_CLEAR;
		if (!b->is_share && ks->n > 1) {
			snprintf(err, errsz, "%s: a whole wave key file opens "
			    "alone; give it without other key files", b->path);
			return GH_ERR_INVALID;
		}
		if (i > 0 && memcmp(hb, ha, SEAL_PK_BYTES) != 0) {
			snprintf(err, errsz, "%s: a share of another wave "
			    "than %s (the public keys differ)", b->path,
			    a->path);
			return GH_ERR_INVALID;
		}
		if (i > 0 && memcmp(hb + H_SET, ha + H_SET,
		    KEYSHARE_SET_BYTES) != 0) {
			snprintf(err, errsz, "%s: a share of another set than "
			    "%s (made by another keygen or reshare); shares of "
			    "two sets do not join", b->path, a->path);
			return GH_ERR_INVALID;
		}
		for (j = 0; j < i; j++) {
			if (ks->f[j].box[PWBOX_OFF_CLEAR + H_INDEX] ==
			    hb[H_INDEX]) {
				snprintf(err, errsz, "%s and %s are both share "
				    "%u; give each share once", ks->f[j].path,
				    b->path, hb[H_INDEX]);
				return GH_ERR_INVALID;
			}
		}
	}
	ks->threshold = a->is_share ? ha[H_T] : 1;
	if (ks->n < ks->threshold) {
		snprintf(err, errsz, "%s: %zu share%s given, but any %u of the "
		    "%u shares are needed; nothing was opened", a->path, ks->n,
		    ks->n == 1 ? "" : "s", ks->threshold, ha[H_N]);
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

int
keyset_load(const char *const *paths, size_t n, const uint8_t *pk,
    struct keyset **out, char *err, size_t errsz)
{
	struct keyset *ks = NULL;
	size_t i;
	int r = GH_ERR_INVALID;

	*out = NULL;
	snprintf(err, errsz, "no key file given");
	if (n == 0 || n > KEYSHARE_MAX)
		goto out;
	r = GH_ERR_NOMEM;
	if ((ks = calloc(1, sizeof(*ks) + n * sizeof(ks->f[0]))) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	ks->n = n;
	for (i = 0; i < n; i++) {
		ks->f[i].path = paths[i];
		if ((r = kfile_read(&ks->f[i], err, errsz)) != GH_OK)
			goto out;
		r = GH_ERR_INVALID;
		if (pk != NULL && memcmp(ks->f[i].box + PWBOX_OFF_CLEAR, pk,
		    SEAL_PK_BYTES) != 0) {
			snprintf(err, errsz, "%s: a key of another wave (its "
			    "public key differs from the wave's)", paths[i]);
			goto out;
		}
	}
	if ((r = keyset_check(ks, err, errsz)) != GH_OK)
		goto out;
	memcpy(ks->pk, ks->f[0].box + PWBOX_OFF_CLEAR, SEAL_PK_BYTES);
	*out = ks;
	ks = NULL;
	r = GH_OK;
out:
	keyset_free(ks);
	return r;
}

size_t
keyset_count(const struct keyset *ks)
{
	return ks->n;
}

unsigned int
keyset_threshold(const struct keyset *ks)
{
	return ks->threshold;
}

const uint8_t *
keyset_pk(const struct keyset *ks)
{
	return ks->pk;
}

const char *
keyset_path(const struct keyset *ks, size_t i)
{
	return ks->f[i].path;
}

static int
open_keyfile(struct keyset *ks, struct kfile *f, const char *pass,
    size_t pass_len, char *err, size_t errsz)
{
	int r;

	if ((r = keyfile_open(f->path, pass, pass_len, &f->key)) != GH_OK) {
		snprintf(err, errsz, "%s: %s", f->path,
		    r == GH_ERR_PASSPHRASE ? "wrong passphrase (or the file "
		    "was altered)" : r == GH_ERR_INVALID ? "not a gehoord key "
		    "file" : gh_err_str(r));
		return r;
	}
	if (memcmp(f->key->pk, ks->pk, SEAL_PK_BYTES) != 0) {
		snprintf(err, errsz, "%s: the file changed while it was in "
		    "use", f->path);
		wave_key_free(f->key);
		f->key = NULL;
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

int
keyset_open(struct keyset *ks, size_t i, const char *pass, size_t pass_len,
    char *err, size_t errsz)
{
	struct kfile *f = &ks->f[i];
	int r;

	wave_key_free(f->key);
	f->key = NULL;
	sodium_free(f->secret);
	f->secret = NULL;
	if (!f->is_share)
		return open_keyfile(ks, f, pass, pass_len, err, errsz);
	r = GH_ERR_NOMEM;
	if ((f->secret = sodium_malloc(SECRET_LEN)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	if ((r = pwbox_open(f->secret, f->box, f->len, &share_kind, pass,
	    pass_len)) != GH_OK) {
		snprintf(err, errsz, "%s: %s", f->path,
		    r == GH_ERR_PASSPHRASE ? "wrong passphrase (or the file "
		    "was altered)" : r == GH_ERR_INVALID ? "not a gehoord key "
		    "share" : gh_err_str(r));
		goto out;
	}
	/* The box holds the header too: the clear copy must be the same. */
	r = GH_ERR_INVALID;
	if (sodium_memcmp(f->secret, f->box + PWBOX_OFF_CLEAR,
	    KEYSHARE_HEADER_LEN) != 0) {
		snprintf(err, errsz, "%s: the header in the clear differs from "
		    "the sealed one: the file was altered", f->path);
		goto out;
	}
	r = GH_OK;
out:
	if (r != GH_OK) {
		sodium_free(f->secret);
		f->secret = NULL;
	}
	return r;
}

int
keyset_join(struct keyset *ks, struct wave_key **out, char *err,
    size_t errsz)
{
	uint8_t idx[KEYSHARE_MAX];
	uint8_t *shares = NULL;
	size_t i;
	int r = GH_ERR_INVALID;

	*out = NULL;
	for (i = 0; i < ks->n; i++) {
		if (ks->f[i].key == NULL && ks->f[i].secret == NULL) {
			snprintf(err, errsz, "%s: not opened", ks->f[i].path);
			goto out;
		}
	}
	if (!ks->f[0].is_share) {
		*out = ks->f[0].key;
		ks->f[0].key = NULL;
		r = GH_OK;
		goto out;
	}
	r = GH_ERR_NOMEM;
	if ((shares = sodium_malloc(ks->n * SEAL_SK_BYTES)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	for (i = 0; i < ks->n; i++) {
		idx[i] = ks->f[i].secret[H_INDEX];
		memcpy(shares + i * SEAL_SK_BYTES,
		    ks->f[i].secret + KEYSHARE_HEADER_LEN, SEAL_SK_BYTES);
	}
	if ((r = keyshare_join(idx, shares, ks->n, ks->pk, out)) != GH_OK)
		snprintf(err, errsz, "%s: %s", ks->f[0].path,
		    r == GH_ERR_CRYPTO ? "the shares do not join to the "
		    "wave's key (the joined key does not give its public key)" :
		    r == GH_ERR_INVALID ? "a share index is given twice" :
		    gh_err_str(r));
out:
	sodium_free(shares);
	return r;
}

void
keyset_free(struct keyset *ks)
{
	size_t i;

	if (ks == NULL)
		return;
	for (i = 0; i < ks->n; i++) {
		wave_key_free(ks->f[i].key);
		sodium_free(ks->f[i].secret);
	}
	free(ks);
}
