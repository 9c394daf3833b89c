/*
 * test_keyshare.c: a wave key split into shares (crypto/keyshare.h):
 * any T of N join to the same secret key, fewer are refused, and so are a
 * changed byte, a wrong passphrase, a share given twice, shares of two
 * sets and a joined key that does not give the wave's public key.
 *
 * Argon2id at the MODERATE limits takes about a second per file, so the
 * group setup writes one 2-of-3 set and the derivations are kept to the
 * cases that need one (each pair joined from its files, a wrong
 * passphrase, two altered files). Everything else must be refused before
 * any derivation, which is itself under test. The join alone
 * (keyshare_join) is also tested on shares libgfshare makes here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libgfshare.h>
#include <sodium.h>

#include "keyfile.h"
#include "keyshare.h"
#include "pwbox.h"
#include "tmpdir.h"

static char *PASS[3] = { "works council", "research bureau",
    "security officer" };

/* Offsets of the layout in keyshare.h. */
#define T_OFF_HEADER	64
#define T_OFF_INDEX	(T_OFF_HEADER + SEAL_PK_BYTES + KEYSHARE_SET_BYTES)
#define T_OFF_BOX	(T_OFF_HEADER + KEYSHARE_HEADER_LEN)

struct fixture {
	char dir[64];
	char prefix[PATH_MAX - 16];
	char path[3][PATH_MAX];
	struct wave_key *key;
	uint8_t file[3][KEYSHARE_FILE_SIZE];
};

static size_t PASS_LEN[3];

static int
group_setup(void **state)
{
	struct fixture *f;
	char err[256];
	int fd, i, n;

	if (sodium_init() < 0 || (f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	if (tmpdir_make(f->dir, sizeof(f->dir), "test-keyshare") != 0 ||
	    (f->key = sodium_malloc(sizeof(*f->key))) == NULL)
		return -1;
	(void)crypto_box_keypair(f->key->pk, f->key->sk);
	for (i = 0; i < 3; i++)
		PASS_LEN[i] = strlen(PASS[i]);
	snprintf(f->prefix, sizeof(f->prefix), "%s/wave", f->dir);
	if (keyshare_write(f->prefix, f->key, 2, 3, PASS, PASS_LEN, NULL,
	    err, sizeof(err)) != GH_OK) {
		fprintf(stderr, "keyshare_write: %s\n", err);
		return -1;
	}
	for (i = 0; i < 3; i++) {
		n = snprintf(f->path[i], sizeof(f->path[i]), "%s.%d.share",
		    f->prefix, i + 1);
		if (n < 0 || (size_t)n >= sizeof(f->path[i]) ||
		    (fd = open(f->path[i], O_RDONLY)) == -1)
			return -1;
		if (read(fd, f->file[i], KEYSHARE_FILE_SIZE) !=
		    KEYSHARE_FILE_SIZE) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static int
group_teardown(void **state)
{
	struct fixture *f = *state;
	int r = 0;

	if (f == NULL)
		return 0;
	if (f->dir[0] != '\0')
		r = tmpdir_remove(f->dir);
	wave_key_free(f->key);
	free(f);
	return r;
}

/* Writes buf to a new file name in the fixture directory. */
static void
write_variant(char *path, size_t pathsz, struct fixture *f,
    const char *name, const uint8_t *buf, size_t len)
{
	int fd;

	snprintf(path, pathsz, "%s/%s", f->dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* Loads, opens and joins the files at paths; returns the join's result. */
static int
join_files(const char **paths, const size_t *which, size_t n,
    const uint8_t *pk, struct wave_key **out, char *err, size_t errsz)
{
	struct keyset *ks = NULL;
	size_t i;
	int r;

	*out = NULL;
	if ((r = keyset_load(paths, n, pk, &ks, err, errsz)) != GH_OK)
		return r;
	for (i = 0; i < n; i++)
		if ((r = keyset_open(ks, i, PASS[which[i]],
		    PASS_LEN[which[i]], err, errsz)) != GH_OK)
			goto out;
	r = keyset_join(ks, out, err, errsz);
out:
	keyset_free(ks);
	return r;
}

static void
test_keyshare_files(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	int i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(stat(f->path[i], &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(st.st_size, KEYSHARE_FILE_SIZE);
		assert_int_equal(st.st_size, 214);
		assert_memory_equal(f->file[i], "GHWAVES1", 8);
		/* In the clear: the public key, the set, index, T and N. */
		assert_memory_equal(f->file[i] + T_OFF_HEADER, f->key->pk,
		    SEAL_PK_BYTES);
		assert_memory_equal(f->file[i] + T_OFF_HEADER + SEAL_PK_BYTES,
		    f->file[0] + T_OFF_HEADER + SEAL_PK_BYTES,
		    KEYSHARE_SET_BYTES);
		assert_int_equal(f->file[i][T_OFF_INDEX], i + 1);
		assert_int_equal(f->file[i][T_OFF_INDEX + 1], 2);
		assert_int_equal(f->file[i][T_OFF_INDEX + 2], 3);
	}
	/* The secret key is in no file in the clear. */
	for (i = 0; i < 3; i++) {
		size_t off;

		for (off = 0; off + SEAL_SK_BYTES <= KEYSHARE_FILE_SIZE; off++)
			assert_true(memcmp(f->file[i] + off, f->key->sk,
			    SEAL_SK_BYTES) != 0);
	}
}

static void
test_keyshare_any_two_of_three_join(void **state)
{
	struct fixture *f = *state;
	static const size_t pairs[3][2] = { { 0, 1 }, { 1, 2 }, { 0, 2 } };
	struct wave_key *k;
	const char *paths[2];
	char err[512];
	int p;

	for (p = 0; p < 3; p++) {
		paths[0] = f->path[pairs[p][0]];
		paths[1] = f->path[pairs[p][1]];
		assert_int_equal(join_files(paths, pairs[p], 2, f->key->pk, &k,
		    err, sizeof(err)), GH_OK);
		assert_non_null(k);
		assert_memory_equal(k->sk, f->key->sk, SEAL_SK_BYTES);
		assert_memory_equal(k->pk, f->key->pk, SEAL_PK_BYTES);
		wave_key_free(k);
	}
}

static void
test_keyshare_one_of_three_refused(void **state)
{
	struct fixture *f = *state;
	struct keyset *ks = NULL;
	const char *paths[1] = { f->path[1] };
	char err[512];

	assert_int_equal(keyset_load(paths, 1, f->key->pk, &ks, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_null(ks);
	assert_non_null(strstr(err, f->path[1]));
	assert_non_null(strstr(err, "any 2 of the 3"));
}

static void
test_keyshare_duplicate_index_refused(void **state)
{
	struct fixture *f = *state;
	struct keyset *ks = NULL;
	char path[PATH_MAX], err[512];
	const char *paths[3];

	/* A copy of share 2 under another name is still share 2. */
	write_variant(path, sizeof(path), f, "copy-of-2.share", f->file[1],
	    KEYSHARE_FILE_SIZE);
	paths[0] = f->path[1];
	paths[1] = path;
	assert_int_equal(keyset_load(paths, 2, f->key->pk, &ks, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_null(ks);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "both share 2"));
	/* Also with enough other shares around it. */
	paths[0] = f->path[0];
	paths[1] = f->path[1];
	paths[2] = path;
	assert_int_equal(keyset_load(paths, 3, f->key->pk, &ks, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_non_null(strstr(err, "both share 2"));
}

static void
test_keyshare_wrong_passphrase_refused(void **state)
{
	struct fixture *f = *state;
	struct keyset *ks = NULL;
	struct wave_key dummy, *k = &dummy;
	const char *paths[2] = { f->path[0], f->path[1] };
	char err[512];

	assert_int_equal(keyset_load(paths, 2, f->key->pk, &ks, err,
	    sizeof(err)), GH_OK);
	/* Holder 1's passphrase on holder 2's share. */
	assert_int_equal(keyset_open(ks, 1, PASS[0], PASS_LEN[0], err,
	    sizeof(err)), GH_ERR_PASSPHRASE);
	assert_non_null(strstr(err, f->path[1]));
	/* A share not opened cannot be joined. */
	assert_int_equal(keyset_join(ks, &k, err, sizeof(err)),
	    GH_ERR_INVALID);
	assert_null(k);
	keyset_free(ks);
}

static void
test_keyshare_flipped_byte_refused(void **state)
{
	struct fixture *f = *state;
	/* The altered file comes first: it fails on the first derivation. */
	static const size_t which[2] = { 1, 0 };
	struct wave_key *k;
	uint8_t buf[KEYSHARE_FILE_SIZE];
	char path[PATH_MAX], err[512];
	const char *paths[2];

	/* A byte of the sealed share: the box does not open. */
	memcpy(buf, f->file[1], sizeof(buf));
	buf[KEYSHARE_FILE_SIZE - 1] ^= 0x01;
	write_variant(path, sizeof(path), f, "flipped-box.share", buf,
	    sizeof(buf));
	paths[0] = path;
	paths[1] = f->path[0];
	assert_int_equal(join_files(paths, which, 2, f->key->pk, &k, err,
	    sizeof(err)), GH_ERR_PASSPHRASE);
	assert_null(k);
	assert_non_null(strstr(err, path));

	/* A byte of the clear header: it no longer equals the sealed one. */
	memcpy(buf, f->file[1], sizeof(buf));
	buf[T_OFF_HEADER + SEAL_PK_BYTES] ^= 0x80;	/* the set */
	write_variant(path, sizeof(path), f, "flipped-set.share", buf,
	    sizeof(buf));
	/* Its set now differs from share 1's: refused before any work. */
	assert_int_equal(join_files(paths, which, 2, f->key->pk, &k, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_non_null(strstr(err, "another set"));
	/* Alone with enough of its own kind it opens but does not match. */
	memcpy(buf, f->file[1], sizeof(buf));
	buf[T_OFF_INDEX] = 3;	/* claims to be share 3 */
	write_variant(path, sizeof(path), f, "flipped-index.share", buf,
	    sizeof(buf));
	assert_int_equal(join_files(paths, which, 2, f->key->pk, &k, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_null(k);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "altered"));

	/* A changed magic: not a key file at all, refused without Argon2id. */
	memcpy(buf, f->file[1], sizeof(buf));
	buf[0] ^= 0x20;
	write_variant(path, sizeof(path), f, "flipped-magic.share", buf,
	    sizeof(buf));
	assert_int_equal(join_files(paths, which, 2, f->key->pk, &k, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_non_null(strstr(err, "not a gehoord"));
	/* Cut short, too. */
	write_variant(path, sizeof(path), f, "short.share", f->file[1],
	    KEYSHARE_FILE_SIZE - 1);
	assert_int_equal(join_files(paths, which, 2, f->key->pk, &k, err,
	    sizeof(err)), GH_ERR_INVALID);
}

static void
test_keyshare_other_wave_refused(void **state)
{
	struct fixture *f = *state;
	struct keyset *ks = NULL;
	uint8_t other_pk[SEAL_PK_BYTES], other_sk[SEAL_SK_BYTES];
	const char *paths[2] = { f->path[0], f->path[2] };
	char err[512];

	(void)crypto_box_keypair(other_pk, other_sk);
	assert_int_equal(keyset_load(paths, 2, other_pk, &ks, err,
	    sizeof(err)), GH_ERR_INVALID);
	assert_null(ks);
	assert_non_null(strstr(err, f->path[0]));
	assert_non_null(strstr(err, "another wave"));
	/* Without a wave to check against, they load. */
	assert_int_equal(keyset_load(paths, 2, NULL, &ks, err, sizeof(err)),
	    GH_OK);
	assert_memory_equal(keyset_pk(ks), f->key->pk, SEAL_PK_BYTES);
	assert_int_equal(keyset_threshold(ks), 2);
	assert_int_equal(keyset_count(ks), 2);
	keyset_free(ks);
}

static void
fill_rand(unsigned char *buf, unsigned int len)
{
	randombytes_buf(buf, len);
}

/* Splits f->key's secret with libgfshare into 3 shares, any 2 of them. */
static void
split_raw(struct fixture *f, uint8_t shares[3][SEAL_SK_BYTES])
{
	uint8_t nrs[3] = { 1, 2, 3 }, sk[SEAL_SK_BYTES];
	gfshare_ctx *ctx;
	int i;

	gfshare_fill_rand = fill_rand;
	ctx = gfshare_ctx_init_enc(nrs, 3, 2, SEAL_SK_BYTES);
	assert_non_null(ctx);
	memcpy(sk, f->key->sk, sizeof(sk));
	gfshare_ctx_enc_setsecret(ctx, sk);
	for (i = 0; i < 3; i++)
		gfshare_ctx_enc_getshare(ctx, (unsigned char)i, shares[i]);
	gfshare_ctx_free(ctx);
}

static void
test_keyshare_join_checks_public_key(void **state)
{
	struct fixture *f = *state;
	uint8_t shares[3][SEAL_SK_BYTES], two[2 * SEAL_SK_BYTES];
	uint8_t idx[2] = { 1, 3 }, dup[2] = { 2, 2 }, zero[2] = { 0, 1 };
	uint8_t other_pk[SEAL_PK_BYTES], other_sk[SEAL_SK_BYTES];
	struct wave_key *k;

	split_raw(f, shares);
	memcpy(two, shares[0], SEAL_SK_BYTES);
	memcpy(two + SEAL_SK_BYTES, shares[2], SEAL_SK_BYTES);
	assert_int_equal(keyshare_join(idx, two, 2, f->key->pk, &k), GH_OK);
	assert_memory_equal(k->sk, f->key->sk, SEAL_SK_BYTES);
	wave_key_free(k);
	/* Right shares, another wave's public key: refused. */
	(void)crypto_box_keypair(other_pk, other_sk);
	assert_int_equal(keyshare_join(idx, two, 2, other_pk, &k),
	    GH_ERR_CRYPTO);
	assert_null(k);
	/* The right public key but a share of another split: refused. */
	split_raw(f, shares);
	memcpy(two + SEAL_SK_BYTES, shares[2], SEAL_SK_BYTES);
	assert_int_equal(keyshare_join(idx, two, 2, f->key->pk, &k),
	    GH_ERR_CRYPTO);
	assert_null(k);
	/* One share of a 2-of-3 split alone gives a wrong key: refused. */
	assert_int_equal(keyshare_join(idx, two, 1, f->key->pk, &k),
	    GH_ERR_CRYPTO);
	assert_int_equal(keyshare_join(dup, two, 2, f->key->pk, &k),
	    GH_ERR_INVALID);
	assert_int_equal(keyshare_join(zero, two, 2, f->key->pk, &k),
	    GH_ERR_INVALID);
	assert_int_equal(keyshare_join(idx, two, 0, f->key->pk, &k),
	    GH_ERR_INVALID);
}

static void
test_keyshare_split_limits(void **state)
{
	struct fixture *f = *state;
	char err[256], *pass[3] = { PASS[0], PASS[1], "" };
	size_t len[3] = { PASS_LEN[0], PASS_LEN[1], 0 };
	char prefix[PATH_MAX];
	struct stat st;

	assert_int_equal(keyshare_check_split(2, 3, err, sizeof(err)), GH_OK);
	assert_int_equal(keyshare_check_split(1, 1, err, sizeof(err)), GH_OK);
	assert_int_equal(keyshare_check_split(255, 255, err, sizeof(err)),
	    GH_OK);
	assert_int_equal(keyshare_check_split(1, 3, err, sizeof(err)),
	    GH_ERR_USAGE);
	assert_int_equal(keyshare_check_split(4, 3, err, sizeof(err)),
	    GH_ERR_USAGE);
	assert_int_equal(keyshare_check_split(0, 3, err, sizeof(err)),
	    GH_ERR_USAGE);
	assert_int_equal(keyshare_check_split(2, 256, err, sizeof(err)),
	    GH_ERR_USAGE);
	assert_int_equal(keyshare_check_split(1, 0, err, sizeof(err)),
	    GH_ERR_USAGE);
	/* Existing shares are never overwritten, checked before Argon2id. */
	assert_int_equal(keyshare_write(f->prefix, f->key, 2, 3, PASS,
	    PASS_LEN, NULL, err, sizeof(err)), GH_ERR_EXISTS);
	assert_non_null(strstr(err, f->path[0]));
	/* An empty passphrase is refused, and nothing is written. */
	snprintf(prefix, sizeof(prefix), "%s/empty", f->dir);
	assert_int_equal(keyshare_write(prefix, f->key, 2, 3, pass, len, NULL,
	    err, sizeof(err)), GH_ERR_PASSPHRASE);
	snprintf(prefix, sizeof(prefix), "%s/empty.1.share", f->dir);
	assert_int_equal(stat(prefix, &st), -1);
}

static void
test_keyshare_keyfile_alone(void **state)
{
	struct fixture *f = *state;
	struct keyset *ks = NULL;
	uint8_t pk[SEAL_PK_BYTES];
	char path[PATH_MAX], err[512];
	const char *paths[2];

	snprintf(path, sizeof(path), "%s/whole.key", f->dir);
	assert_int_equal(keyfile_create(path, PASS[0], PASS_LEN[0], pk),
	    GH_OK);
	/* A whole key file is a set of one, threshold 1. */
	paths[0] = path;
	assert_int_equal(keyset_load(paths, 1, pk, &ks, err, sizeof(err)),
	    GH_OK);
	assert_int_equal(keyset_threshold(ks), 1);
	keyset_free(ks);
	/* It does not mix with shares. */
	paths[1] = f->path[0];
	assert_int_equal(keyset_load(paths, 2, NULL, &ks, err, sizeof(err)),
	    GH_ERR_INVALID);
	assert_null(ks);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyshare_files),
		cmocka_unit_test(test_keyshare_any_two_of_three_join),
		cmocka_unit_test(test_keyshare_one_of_three_refused),
		cmocka_unit_test(test_keyshare_duplicate_index_refused),
		cmocka_unit_test(test_keyshare_wrong_passphrase_refused),
		cmocka_unit_test(test_keyshare_flipped_byte_refused),
		cmocka_unit_test(test_keyshare_other_wave_refused),
		cmocka_unit_test(test_keyshare_join_checks_public_key),
		cmocka_unit_test(test_keyshare_split_limits),
		cmocka_unit_test(test_keyshare_keyfile_alone),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
