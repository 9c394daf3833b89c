/*
 * test_crypto_token.c: tokens, their text form and keyed hash, the pepper.
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
#include "token.h"

/* A canonical token text; its last symbol leaves two zero padding bits. */
#define CANON "0123456789ABCDEFGHJKMNPQR0"

struct fixture {
	char dir[64];
};

static int
group_setup(void **state)
{
	struct fixture *f;

	if (sodium_init() < 0 || (f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (tmpdir_make(f->dir, sizeof(f->dir), "test-token") != 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fixture *f = *state;
	int r;

	r = tmpdir_remove(f->dir);
	free(f);
	return r;
}

static void
fixture_path(char *path, size_t pathsz, void **state, const char *name)
{
	struct fixture *f = *state;

	snprintf(path, pathsz, "%s/%s", f->dir, name);
}

/* Writes len bytes to a new file at path with the given mode. */
static void
write_file(const char *path, const uint8_t *buf, size_t len, mode_t mode)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static void
test_token_text_round_trip(void **state)
{
	uint8_t tok[TOKEN_BYTES], back[TOKEN_BYTES];
	char text[TOKEN_TEXT_LEN + 1];
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		token_new(tok);
		token_to_text(text, tok);
		assert_int_equal(strlen(text), TOKEN_TEXT_LEN);
		assert_int_equal(token_from_text(back, text, strlen(text)),
		    GH_OK);
		assert_memory_equal(back, tok, TOKEN_BYTES);
	}
}

static void
test_token_new_is_fresh(void **state)
{
	uint8_t a[TOKEN_BYTES], b[TOKEN_BYTES];

	(void)state;
	token_new(a);
	token_new(b);
	assert_memory_not_equal(a, b, TOKEN_BYTES);
}

static void
test_token_from_text_forgives_typos(void **state)
{
	static const char *const typed[] = {
		"0123456789abcdefghjkmnpqr0",		/* lower case */
		"O123456789ABCDEFGHJKMNPQRo",		/* O for 0 */
		"0I23456789ABCDEFGHJKMNPQR0",		/* I for 1 */
		"0i23456789ABCDEFGHJKMNPQR0",
		"0L23456789ABCDEFGHJKMNPQR0",		/* L for 1 */
		"0l23456789ABCDEFGHJKMNPQR0",
		"01234-56789-ABCDE-FGHJK-MNPQR-0",	/* as printed */
		"01234 56789 ABCDE FGHJK MNPQR 0",
		" -0123456789ABCDEFGHJKMNPQR0- ",
		"o-i234 56789-abcdefghjk mnpqr O",	/* all at once */
	};
	uint8_t want[TOKEN_BYTES], tok[TOKEN_BYTES];
	char text[TOKEN_TEXT_LEN + 1];
	size_t i;

	(void)state;
	assert_int_equal(token_from_text(want, CANON, strlen(CANON)), GH_OK);
	token_to_text(text, want);
	assert_string_equal(text, CANON);
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		memset(tok, 0xaa, sizeof(tok));
		assert_int_equal(token_from_text(tok, typed[i],
		    strlen(typed[i])), GH_OK);
		assert_memory_equal(tok, want, TOKEN_BYTES);
	}
}

static void
test_token_from_text_rejects_wrong_length(void **state)
{
	const uint8_t zero[TOKEN_BYTES] = { 0 };
	uint8_t tok[TOKEN_BYTES];

	(void)state;
	memset(tok, 0xaa, sizeof(tok));
	assert_int_equal(token_from_text(tok, CANON, TOKEN_TEXT_LEN - 1),
	    GH_ERR_INVALID);
	assert_memory_equal(tok, zero, TOKEN_BYTES);
	assert_int_equal(token_from_text(tok, CANON "0",
	    TOKEN_TEXT_LEN + 1), GH_ERR_INVALID);
	assert_int_equal(token_from_text(tok, "", 0), GH_ERR_INVALID);
	assert_int_equal(token_from_text(tok, "-----", 5), GH_ERR_INVALID);
}

static void
test_token_from_text_rejects_bad_char(void **state)
{
	const uint8_t zero[TOKEN_BYTES] = { 0 };
	uint8_t tok[TOKEN_BYTES];
	char text[] = CANON;
	static const char bad[] = { 'U', 'u', '*', '/', '.', '?', '%', '\n' };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad); i++) {
		text[5] = bad[i];
		memset(tok, 0xaa, sizeof(tok));
		assert_int_equal(token_from_text(tok, text, strlen(text)),
		    GH_ERR_INVALID);
		assert_memory_equal(tok, zero, TOKEN_BYTES);
	}
}

static void
test_token_from_text_rejects_pad_bits(void **state)
{
	uint8_t tok[TOKEN_BYTES];
	char text[] = CANON;
	static const char last[] = { '1', '2', '3', 'Z' };
	size_t i;

	(void)state;
	/* 26 symbols carry 130 bits: the last two must be zero. */
	for (i = 0; i < sizeof(last); i++) {
		text[TOKEN_TEXT_LEN - 1] = last[i];
		assert_int_equal(token_from_text(tok, text, strlen(text)),
		    GH_ERR_INVALID);
	}
	text[TOKEN_TEXT_LEN - 1] = '4';
	assert_int_equal(token_from_text(tok, text, strlen(text)), GH_OK);
}

static void
test_token_hash_depends_on_pepper(void **state)
{
	uint8_t tok[TOKEN_BYTES], tok2[TOKEN_BYTES];
	uint8_t p1[PEPPER_BYTES], p2[PEPPER_BYTES];
	uint8_t h1[TOKEN_HASH_BYTES], h1b[TOKEN_HASH_BYTES];
	uint8_t h2[TOKEN_HASH_BYTES], h3[TOKEN_HASH_BYTES];
	uint8_t ref[TOKEN_HASH_BYTES];

	(void)state;
	token_new(tok);
	token_new(tok2);
	randombytes_buf(p1, sizeof(p1));
	randombytes_buf(p2, sizeof(p2));
	token_hash(h1, tok, p1);
	token_hash(h1b, tok, p1);
	token_hash(h2, tok, p2);
	token_hash(h3, tok2, p1);
	assert_memory_equal(h1, h1b, TOKEN_HASH_BYTES);
	assert_memory_not_equal(h1, h2, TOKEN_HASH_BYTES);
	assert_memory_not_equal(h1, h3, TOKEN_HASH_BYTES);
	/* It is keyed BLAKE2b-256, so other implementations can match it. */
	assert_int_equal(crypto_generichash(ref, sizeof(ref), tok, sizeof(tok),
	    p1, sizeof(p1)), 0);
	assert_memory_equal(h1, ref, TOKEN_HASH_BYTES);
}

/*
 * The spend hash is independent of the lookup hash and of the other
 * domain, and is keyed BLAKE2b under the crypto_kdf subkey of the pepper
 * (so that other implementations, and the tests, can compute it).
 */
static void
test_token_spend_hash_is_independent(void **state)
{
	uint8_t tok[TOKEN_BYTES], p[PEPPER_BYTES], key[crypto_kdf_KEYBYTES];
	uint8_t h1[TOKEN_HASH_BYTES], s1[TOKEN_HASH_BYTES];
	uint8_t s1b[TOKEN_HASH_BYTES], s2[TOKEN_HASH_BYTES];
	uint8_t ref[TOKEN_HASH_BYTES];

	(void)state;
	token_new(tok);
	randombytes_buf(p, sizeof(p));
	token_hash(h1, tok, p);
	token_spend_hash(s1, tok, p, TOKEN_SPEND_SURVEY);
	token_spend_hash(s1b, tok, p, TOKEN_SPEND_SURVEY);
	token_spend_hash(s2, tok, p, TOKEN_SPEND_REPORT_LINK);
	assert_memory_equal(s1, s1b, TOKEN_HASH_BYTES);
	assert_memory_not_equal(s1, h1, TOKEN_HASH_BYTES);
	assert_memory_not_equal(s1, s2, TOKEN_HASH_BYTES);
	assert_int_equal(crypto_kdf_derive_from_key(key, sizeof(key),
	    TOKEN_SPEND_SURVEY, "gh-spend", p), 0);
	assert_int_equal(crypto_generichash(ref, sizeof(ref), tok,
	    sizeof(tok), key, sizeof(key)), 0);
	assert_memory_equal(s1, ref, TOKEN_HASH_BYTES);
}

static void
test_token_pepper_created_0600_and_reloaded(void **state)
{
	char path[PATH_MAX];
	uint8_t *p1 = NULL, *p2 = NULL;
	struct stat st;

	fixture_path(path, sizeof(path), state, "pepper-new");
	assert_int_equal(pepper_load(path, 1, &p1), GH_OK);
	assert_non_null(p1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, PEPPER_BYTES);
	assert_int_equal(pepper_load(path, 0, &p2), GH_OK);
	assert_non_null(p2);
	assert_memory_equal(p1, p2, PEPPER_BYTES);
	/* create != 0 on an existing file loads it, never replaces it. */
	pepper_free(p2);
	p2 = NULL;
	assert_int_equal(pepper_load(path, 1, &p2), GH_OK);
	assert_memory_equal(p1, p2, PEPPER_BYTES);
	pepper_free(p1);
	pepper_free(p2);
	unlink(path);
}

static void
test_token_pepper_missing_without_create(void **state)
{
	char path[PATH_MAX];
	uint8_t dummy = 0;
	uint8_t *p = &dummy;
	struct stat st;

	fixture_path(path, sizeof(path), state, "pepper-missing");
	assert_int_equal(pepper_load(path, 0, &p), GH_ERR_NOT_FOUND);
	assert_null(p);
	assert_int_equal(stat(path, &st), -1);
}

static void
test_token_pepper_refuses_open_mode(void **state)
{
	char path[PATH_MAX];
	uint8_t buf[PEPPER_BYTES];
	uint8_t *p = NULL;
	static const mode_t modes[] = { 0644, 0640, 0604, 0660, 0606 };
	size_t i;

	fixture_path(path, sizeof(path), state, "pepper-open");
	randombytes_buf(buf, sizeof(buf));
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		write_file(path, buf, sizeof(buf), modes[i]);
		assert_int_equal(pepper_load(path, 1, &p), GH_ERR_INVALID);
		assert_null(p);
		assert_int_equal(unlink(path), 0);
	}
	write_file(path, buf, sizeof(buf), 0400);
	assert_int_equal(pepper_load(path, 0, &p), GH_OK);
	assert_memory_equal(p, buf, PEPPER_BYTES);
	pepper_free(p);
	unlink(path);
}

static void
test_token_pepper_refuses_wrong_size(void **state)
{
	char path[PATH_MAX];
	uint8_t buf[PEPPER_BYTES + 1];
	uint8_t *p = NULL;
	static const size_t lens[] = { 0, 1, PEPPER_BYTES - 1,
	    PEPPER_BYTES + 1 };
	size_t i;

	fixture_path(path, sizeof(path), state, "pepper-size");
	randombytes_buf(buf, sizeof(buf));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		write_file(path, buf, lens[i], 0600);
		assert_int_equal(pepper_load(path, 1, &p), GH_ERR_INVALID);
		assert_null(p);
		assert_int_equal(unlink(path), 0);
	}
}

static void
test_token_pepper_refuses_directory(void **state)
{
	struct fixture *f = *state;
	uint8_t *p = NULL;

	assert_int_equal(pepper_load(f->dir, 1, &p), GH_ERR_INVALID);
	assert_null(p);
}

static void
test_token_pepper_create_in_missing_dir_fails(void **state)
{
	char path[PATH_MAX];
	uint8_t *p = NULL;

	fixture_path(path, sizeof(path), state, "no-such-dir/pepper");
	assert_int_equal(pepper_load(path, 1, &p), GH_ERR_IO);
	assert_null(p);
}

static void
test_token_pepper_free_accepts_null(void **state)
{
	(void)state;
	pepper_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_text_round_trip),
		cmocka_unit_test(test_token_new_is_fresh),
		cmocka_unit_test(test_token_from_text_forgives_typos),
		cmocka_unit_test(test_token_from_text_rejects_wrong_length),
		cmocka_unit_test(test_token_from_text_rejects_bad_char),
		cmocka_unit_test(test_token_from_text_rejects_pad_bits),
		cmocka_unit_test(test_token_hash_depends_on_pepper),
		cmocka_unit_test(test_token_spend_hash_is_independent),
		cmocka_unit_test(test_token_pepper_created_0600_and_reloaded),
		cmocka_unit_test(test_token_pepper_missing_without_create),
		cmocka_unit_test(test_token_pepper_refuses_open_mode),
		cmocka_unit_test(test_token_pepper_refuses_wrong_size),
		cmocka_unit_test(test_token_pepper_refuses_directory),
		cmocka_unit_test(test_token_pepper_create_in_missing_dir_fails),
		cmocka_unit_test(test_token_pepper_free_accepts_null),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
