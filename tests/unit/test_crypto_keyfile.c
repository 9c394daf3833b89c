/*
 * test_crypto_keyfile.c: wave key files and public keys in base64.
 *
 * Argon2id at the MODERATE limits takes about a second, so the group
 * setup creates one key file and only three cases run a key derivation
 * (round trip, wrong passphrase, altered public key). Every other case
 * must be refused before the derivation, which is itself under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "tmpdir.h"
#include "keyfile.h"

#define PASS "correct horse battery staple"

/* Offsets of the layout in keyfile.h. */
#define T_OFF_OPS	24
#define T_OFF_MEM	32
#define T_OFF_PK	64

struct fixture {
	char dir[64];
	char path[PATH_MAX];
	uint8_t pk[SEAL_PK_BYTES];
	uint8_t file[KEYFILE_SIZE];
};

static int
group_setup(void **state)
{
	struct fixture *f;
	int fd;

	if (sodium_init() < 0 || (f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (tmpdir_make(f->dir, sizeof(f->dir), "test-keyfile") != 0)
		goto fail;
	snprintf(f->path, sizeof(f->path), "%s/wave.key", f->dir);
	if (keyfile_create(f->path, PASS, strlen(PASS), f->pk) != GH_OK)
		goto fail;
	if ((fd = open(f->path, O_RDONLY)) == -1)
		goto fail;
	if (read(fd, f->file, sizeof(f->file)) != (ssize_t)sizeof(f->file)) {
		close(fd);
		goto fail;
	}
	close(fd);
	*state = f;
	return 0;
fail:
	*state = f;
	return -1;
}

static int
group_teardown(void **state)
{
	struct fixture *f = *state;
	int r;

	if (f == NULL)
		return 0;
	r = tmpdir_remove(f->dir);
	free(f);
	return r;
}

/* Writes len bytes of buf to a new file name in the fixture directory. */
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

static void
put64_le(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
test_keyfile_layout(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, KEYFILE_SIZE);
	assert_memory_equal(f->file, "GHWAVEK1", 8);
	assert_memory_equal(f->file + T_OFF_PK, f->pk, SEAL_PK_BYTES);
	/* The limits are stored little-endian: MODERATE is 3 and 256 MiB. */
	assert_int_equal(f->file[T_OFF_OPS], crypto_pwhash_OPSLIMIT_MODERATE);
	assert_int_equal(f->file[T_OFF_MEM + 3],
	    crypto_pwhash_MEMLIMIT_MODERATE >> 24);
}

static void
test_keyfile_round_trip(void **state)
{
	struct fixture *f = *state;
	struct wave_key *k = NULL;
	uint8_t in[5] = "ja/nl", sealed[64 + SEAL_OVERHEAD], plain[64];
	size_t plain_len;

	assert_int_equal(keyfile_open(f->path, PASS, strlen(PASS), &k),
	    GH_OK);
	assert_non_null(k);
	assert_memory_equal(k->pk, f->pk, SEAL_PK_BYTES);
	assert_int_equal(seal_answer(sealed, sizeof(sealed), in, sizeof(in),
	    64, f->pk), GH_OK);
	assert_int_equal(seal_open(plain, sizeof(plain), &plain_len, sealed,
	    sizeof(sealed), k->pk, k->sk), GH_OK);
	assert_int_equal(plain_len, sizeof(in));
	assert_memory_equal(plain, in, sizeof(in));
	wave_key_free(k);
}

static void
test_keyfile_wrong_passphrase(void **state)
{
	struct fixture *f = *state;
	struct wave_key dummy, *k = &dummy;

	assert_int_equal(keyfile_open(f->path, PASS "!", strlen(PASS) + 1,
	    &k), GH_ERR_PASSPHRASE);
	assert_null(k);
	/* An empty passphrase is refused without a derivation. */
	k = &dummy;
	assert_int_equal(keyfile_open(f->path, "", 0, &k), GH_ERR_PASSPHRASE);
	assert_null(k);
}

static void
test_keyfile_altered_pk(void **state)
{
	struct fixture *f = *state;
	struct wave_key *k = NULL;
	uint8_t buf[KEYFILE_SIZE], other_sk[SEAL_SK_BYTES];
	char path[PATH_MAX];

	/* A valid public key of another pair: sealing to it would be lost. */
	memcpy(buf, f->file, sizeof(buf));
	assert_int_equal(crypto_box_keypair(buf + T_OFF_PK, other_sk), 0);
	write_variant(path, sizeof(path), f, "altered-pk.key", buf,
	    sizeof(buf));
	assert_int_equal(keyfile_open(path, PASS, strlen(PASS), &k),
	    GH_ERR_PASSPHRASE);
	assert_null(k);
}

static void
test_keyfile_refuses_existing(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SEAL_PK_BYTES] = { 0 }, after[KEYFILE_SIZE];
	int fd;

	assert_int_equal(keyfile_create(f->path, PASS, strlen(PASS), pk),
	    GH_ERR_EXISTS);
	fd = open(f->path, O_RDONLY);
	assert_true(fd != -1);
	assert_int_equal(read(fd, after, sizeof(after)), sizeof(after));
	close(fd);
	assert_memory_equal(after, f->file, KEYFILE_SIZE);
	/* A directory at the path counts as existing too. */
	assert_int_equal(keyfile_create(f->dir, PASS, strlen(PASS), pk),
	    GH_ERR_EXISTS);
}

static void
test_keyfile_refuses_empty_passphrase(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SEAL_PK_BYTES];
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/empty-pass.key", f->dir);
	assert_int_equal(keyfile_create(path, "", 0, pk), GH_ERR_PASSPHRASE);
	assert_int_equal(keyfile_create(path, NULL, 5, pk),
	    GH_ERR_PASSPHRASE);
	assert_int_equal(stat(path, &st), -1);
}

static void
test_keyfile_refuses_dangling_symlink(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SEAL_PK_BYTES];
	char path[PATH_MAX], target[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/link.key", f->dir);
	snprintf(target, sizeof(target), "%s/target.key", f->dir);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(keyfile_create(path, PASS, strlen(PASS), pk),
	    GH_ERR_EXISTS);
	assert_int_equal(lstat(target, &st), -1);
}

static void
test_keyfile_truncated(void **state)
{
	struct fixture *f = *state;
	struct wave_key *k = NULL;
	uint8_t buf[KEYFILE_SIZE + 1];
	char path[PATH_MAX];
	static const size_t lens[] = { 0, 8, KEYFILE_SIZE - 1,
	    KEYFILE_SIZE + 1 };
	size_t i;

	memcpy(buf, f->file, KEYFILE_SIZE);
	buf[KEYFILE_SIZE] = 0;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		write_variant(path, sizeof(path), f, "truncated.key", buf,
		    lens[i]);
		assert_int_equal(keyfile_open(path, PASS, strlen(PASS), &k),
		    GH_ERR_INVALID);
		assert_null(k);
	}
}

static void
test_keyfile_bad_magic(void **state)
{
	struct fixture *f = *state;
	struct wave_key *k = NULL;
	uint8_t buf[KEYFILE_SIZE];
	char path[PATH_MAX];

	memcpy(buf, f->file, sizeof(buf));
	buf[7] = '2';
	write_variant(path, sizeof(path), f, "magic.key", buf, sizeof(buf));
	assert_int_equal(keyfile_open(path, PASS, strlen(PASS), &k),
	    GH_ERR_INVALID);
	assert_null(k);
}

static void
test_keyfile_limits_out_of_range(void **state)
{
	struct fixture *f = *state;
	struct wave_key *k = NULL;
	uint8_t buf[KEYFILE_SIZE];
	char path[PATH_MAX];
	static const struct {
		size_t off;
		uint64_t v;
	} bad[] = {
		{ T_OFF_OPS, crypto_pwhash_OPSLIMIT_SENSITIVE + 1 },
		{ T_OFF_OPS, crypto_pwhash_OPSLIMIT_MODERATE - 1 },
		{ T_OFF_OPS, UINT64_MAX },
		{ T_OFF_MEM, (uint64_t)crypto_pwhash_MEMLIMIT_SENSITIVE + 1 },
		{ T_OFF_MEM, crypto_pwhash_MEMLIMIT_MODERATE - 1 },
		{ T_OFF_MEM, UINT64_MAX },
		{ T_OFF_MEM, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(buf, f->file, sizeof(buf));
		put64_le(buf + bad[i].off, bad[i].v);
		write_variant(path, sizeof(path), f, "limits.key", buf,
		    sizeof(buf));
		assert_int_equal(keyfile_open(path, PASS, strlen(PASS), &k),
		    GH_ERR_INVALID);
		assert_null(k);
	}
}

static void
test_keyfile_missing(void **state)
{
	struct fixture *f = *state;
	struct wave_key *k = NULL;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/no-such.key", f->dir);
	assert_int_equal(keyfile_open(path, PASS, strlen(PASS), &k),
	    GH_ERR_IO);
	assert_null(k);
	assert_int_equal(keyfile_open(f->dir, PASS, strlen(PASS), &k),
	    GH_ERR_INVALID);
}

static void
test_keyfile_pk_b64_round_trip(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SEAL_PK_BYTES], back[SEAL_PK_BYTES];
	char b64[SEAL_PK_B64_LEN + 1];
	int i;

	pk_to_b64(b64, f->pk);
	assert_int_equal(strlen(b64), SEAL_PK_B64_LEN);
	assert_int_equal(b64[SEAL_PK_B64_LEN - 1], '=');
	assert_int_equal(pk_from_b64(back, b64), GH_OK);
	assert_memory_equal(back, f->pk, SEAL_PK_BYTES);
	for (i = 0; i < 50; i++) {
		randombytes_buf(pk, sizeof(pk));
		pk_to_b64(b64, pk);
		assert_int_equal(pk_from_b64(back, b64), GH_OK);
		assert_memory_equal(back, pk, SEAL_PK_BYTES);
	}
}

static void
test_keyfile_pk_b64_rejects_garbage(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SEAL_PK_BYTES];
	char good[SEAL_PK_B64_LEN + 1], buf[128];
	size_t i;
	static const char *const bad[] = {
		"",
		"=",
		"not base64 at all, not base64 at all, not!!",
		/* 31 and 33 bytes */
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
		/* URL-safe alphabet */
		"-_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
		/* non-zero padding bits (B = 000001) */
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=",
	};

	pk_to_b64(good, f->pk);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pk_from_b64(pk, bad[i]), GH_ERR_INVALID);
	assert_int_equal(pk_from_b64(pk, NULL), GH_ERR_INVALID);
	/* Trailing garbage, whitespace, a missing '=', a short key. */
	snprintf(buf, sizeof(buf), "%sx", good);
	assert_int_equal(pk_from_b64(pk, buf), GH_ERR_INVALID);
	snprintf(buf, sizeof(buf), "%s\n", good);
	assert_int_equal(pk_from_b64(pk, buf), GH_ERR_INVALID);
	snprintf(buf, sizeof(buf), "%s%s", good, good);
	assert_int_equal(pk_from_b64(pk, buf), GH_ERR_INVALID);
	snprintf(buf, sizeof(buf), "%.*s", SEAL_PK_B64_LEN - 1, good);
	assert_int_equal(pk_from_b64(pk, buf), GH_ERR_INVALID);
	snprintf(buf, sizeof(buf), " %.*s", SEAL_PK_B64_LEN - 1, good);
	assert_int_equal(pk_from_b64(pk, buf), GH_ERR_INVALID);
	memcpy(buf, good, sizeof(good));
	buf[10] = '*';
	assert_int_equal(pk_from_b64(pk, buf), GH_ERR_INVALID);
	/* The "good" one still parses: the failures above were the edits. */
	assert_int_equal(pk_from_b64(pk, good), GH_OK);
}

/* Found by fuzz_keyfile (tests/fuzz/crashes/keyfile/pk-b64-high-bytes). */
static void
test_keyfile_pk_b64_rejects_high_bytes(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SEAL_PK_BYTES];
	char buf[SEAL_PK_B64_LEN + 1];
	size_t i;

	/* libsodium 1.0.18 would read each of these bytes as '/'. */
	for (i = 0x80; i <= 0xff; i++) {
		pk_to_b64(buf, f->pk);
		buf[0] = (char)i;
		assert_int_equal(pk_from_b64(pk, buf), GH_ERR_INVALID);
	}
}

static void
test_keyfile_wave_key_free_accepts_null(void **state)
{
	(void)state;
	wave_key_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyfile_layout),
		cmocka_unit_test(test_keyfile_round_trip),
		cmocka_unit_test(test_keyfile_wrong_passphrase),
		cmocka_unit_test(test_keyfile_altered_pk),
		cmocka_unit_test(test_keyfile_refuses_existing),
		cmocka_unit_test(test_keyfile_refuses_empty_passphrase),
		cmocka_unit_test(test_keyfile_refuses_dangling_symlink),
		cmocka_unit_test(test_keyfile_truncated),
		cmocka_unit_test(test_keyfile_bad_magic),
		cmocka_unit_test(test_keyfile_limits_out_of_range),
		cmocka_unit_test(test_keyfile_missing),
		cmocka_unit_test(test_keyfile_pk_b64_round_trip),
		cmocka_unit_test(test_keyfile_pk_b64_rejects_garbage),
		cmocka_unit_test(test_keyfile_pk_b64_rejects_high_bytes),
		cmocka_unit_test(test_keyfile_wave_key_free_accepts_null),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
