/*
 * test_release_manifest.c: the signed MANIFEST of a release directory
 * (release/manifest.h): written, checked, and refused after each kind of
 * tampering (one byte of a file, one byte of MANIFEST, an added file, a
 * missing file, another key, a malformed line that is signed); and the
 * same directory checked by plain tools: sha256sum -c and OpenBSD's
 * signify (the test command installs signify-openbsd).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "tmpdir.h"
#include "crypto/signkey.h"
#include "release/manifest.h"

static const char *const names[] = {
	"tables.csv", "tables.json", "codebook.json", "audit.json"
};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

struct fx {
	char	dir[64];
	uint8_t	pk[SIGNKEY_PK_BYTES];
	uint8_t	sk[SIGNKEY_SK_BYTES];
	char	*out;		/* what manifest_verify printed */
	size_t	 out_len;
};

static void
put_file(const struct fx *f, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

/* Flips one bit of byte at of file name. */
static void
flip_byte(const struct fx *f, const char *name, long at)
{
	char path[PATH_MAX];
	FILE *fp;
	int c;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	assert_non_null(fp = fopen(path, "r+b"));
	assert_int_equal(fseek(fp, at, SEEK_SET), 0);
	assert_int_not_equal(c = fgetc(fp), EOF);
	assert_int_equal(fseek(fp, at, SEEK_SET), 0);
	assert_int_not_equal(fputc(c ^ 0x01, fp), EOF);
	assert_int_equal(fclose(fp), 0);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	if (sodium_init() < 0 ||
	    tmpdir_make(f->dir, sizeof(f->dir), "manifest") != 0) {
		free(f);
		return -1;
	}
	crypto_sign_keypair(f->pk, f->sk);
	put_file(f, "tables.csv", "table,variable,category\r\nq1,q1,ja\r\n");
	put_file(f, "tables.json", "{\"rows\":[]}\n");
	put_file(f, "codebook.json", "{\"variables\":[]}\n");
	put_file(f, "audit.json", "{\"cells\":[]}\n");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (tmpdir_remove(f->dir) != 0)
		return -1;
	sodium_memzero(f->sk, sizeof(f->sk));
	free(f->out);
	free(f);
	return 0;
}

static void
sign_dir(struct fx *f)
{
	struct buf m = { 0 }, s = { 0 };

	assert_int_equal(manifest_write(f->dir, names, N_NAMES, f->sk, &m,
	    &s), GH_OK);
	/* Sorted by name, sha256sum's format, and the signature returned. */
	assert_non_null(m.data);
	assert_int_equal(strncmp(m.data + 64, "  audit.json\n", 13), 0);
	assert_non_null(strstr(m.data, "  codebook.json\n"));
	assert_true(strstr(m.data, "codebook.json") <
	    strstr(m.data, "tables.csv"));
	assert_int_equal(m.len, 4 * 64 + 4 * 3 + strlen("audit.json") +
	    strlen("codebook.json") + strlen("tables.csv") +
	    strlen("tables.json"));
	assert_non_null(s.data);
	assert_int_equal(strncmp(s.data, "untrusted comment: ", 19), 0);
	buf_free(&m);
	buf_free(&s);
}

/* Runs manifest_verify with pk (or the directory's key), keeping output. */
static int
verify(struct fx *f, const uint8_t *pk)
{
	FILE *mem;
	int r;

	free(f->out);
	f->out = NULL;
	assert_non_null(mem = open_memstream(&f->out, &f->out_len));
	r = manifest_verify(f->dir, pk, mem);
	assert_int_equal(fclose(mem), 0);
	return r;
}

/* Runs the shell command cmd in the release directory. */
static int
sh(const struct fx *f, const char *cmd)
{
	char line[512];

	snprintf(line, sizeof(line), "cd '%s' && %s", f->dir, cmd);
	return system(line);
}

/* Copies text into out with each "H" replaced by 64 hex digits. */
static void
fill_hex(char *out, size_t outsz, const char *text)
{
	size_t n = 0;

	for (; *text != '\0'; text++) {
		assert_true(n + 65 < outsz);
		if (*text == 'H') {
			memset(out + n, 'a', 64);
			n += 64;
		} else
			out[n++] = *text;
	}
	out[n] = '\0';
}

static void
test_manifest_good(void **state)
{
	struct fx *f = *state;

	sign_dir(f);
	assert_int_equal(verify(f, NULL), GH_OK);
	assert_non_null(strstr(f->out, "ok MANIFEST.sig"));
	assert_non_null(strstr(f->out, "ok tables.csv\n"));
	assert_non_null(strstr(f->out, "good: signature and 4 files"));
	/* The key's line is printed to compare with the published one. */
	assert_non_null(strstr(f->out, "key: RW"));
	assert_int_equal(verify(f, f->pk), GH_OK);
}

static void
test_manifest_tampered_file(void **state)
{
	struct fx *f = *state;

	sign_dir(f);
	flip_byte(f, "tables.csv", 20);
	assert_int_equal(verify(f, f->pk), GH_ERR_CRYPTO);
	assert_non_null(strstr(f->out, "FAILED tables.csv: its SHA-256"));
	assert_non_null(strstr(f->out, "ok tables.json\n"));
	assert_non_null(strstr(f->out, "NOT good"));
}

static void
test_manifest_tampered_manifest(void **state)
{
	struct fx *f = *state;

	sign_dir(f);
	flip_byte(f, "MANIFEST", 3);
	assert_int_equal(verify(f, f->pk), GH_ERR_CRYPTO);
	assert_non_null(strstr(f->out, "FAILED MANIFEST.sig: the signature "
	    "does not match"));
	/* Nothing from an unsigned MANIFEST is trusted, or even read. */
	assert_null(strstr(f->out, "ok tables.csv"));
}

static void
test_manifest_extra_and_missing(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX];

	sign_dir(f);
	put_file(f, "extra.csv", "x\n");
	assert_int_equal(verify(f, f->pk), GH_ERR_CRYPTO);
	assert_non_null(strstr(f->out, "FAILED extra.csv: in the directory "
	    "but not listed"));
	snprintf(path, sizeof(path), "%s/extra.csv", f->dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(verify(f, f->pk), GH_OK);
	snprintf(path, sizeof(path), "%s/audit.json", f->dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(verify(f, f->pk), GH_ERR_CRYPTO);
	assert_non_null(strstr(f->out, "FAILED audit.json: missing"));
}

static void
test_manifest_other_key(void **state)
{
	struct fx *f = *state;
	uint8_t pk[SIGNKEY_PK_BYTES], sk[SIGNKEY_SK_BYTES];

	sign_dir(f);
	crypto_sign_keypair(pk, sk);
	assert_int_equal(verify(f, pk), GH_ERR_CRYPTO);
	sodium_memzero(sk, sizeof(sk));
}

/* A malformed line is refused with its number, even when it is signed. */
static void
test_manifest_malformed_line(void **state)
{
	static const char *const bad[] = {
		"zz\n",					/* short */
		"H  tables.csv\nnot a line\n",		/* no hash */
		"H  tables.csv\nH  ../etc/passwd\n",	/* a path */
		"H  tables.csv\nH  tables.csv\n",	/* listed twice */
		"H  tables.csv\nH  MANIFEST\n",		/* a meta file */
		"H  tables.csv",			/* no newline */
		"H tables.csv\n",			/* one space */
	};
	static const char *const where[] = {
		"line 1: not", "line 2: not", "line 2: not", "line 2: names",
		"line 2: lists", "line 1: does not end", "line 1: not",
	};
	char text[512], sigtext[SIGNKEY_SIGNIFY_MAX], path[PATH_MAX];
	uint8_t sig[SIGNKEY_SIG_BYTES];
	struct fx *f = *state;
	size_t i;

	sign_dir(f);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fill_hex(text, sizeof(text), bad[i]);
		put_file(f, "MANIFEST", text);
		signkey_sign(sig, (const uint8_t *)text, strlen(text), f->sk);
		assert_int_equal(signkey_signify_sig(sigtext, sizeof(sigtext),
		    "t", sig, f->pk), GH_OK);
		put_file(f, "MANIFEST.sig", sigtext);
		assert_int_equal(verify(f, f->pk), GH_ERR_INVALID);
		snprintf(path, sizeof(path), "FAILED MANIFEST %s", where[i]);
		if (strstr(f->out, path) == NULL)
			fail_msg("case %zu: no \"%s\" in:\n%s", i, path, f->out);
	}
}

/* A signed, empty MANIFEST lists nothing: every file is unlisted. */
static void
test_manifest_empty_lists_nothing(void **state)
{
	char sigtext[SIGNKEY_SIGNIFY_MAX];
	uint8_t sig[SIGNKEY_SIG_BYTES];
	struct fx *f = *state;

	sign_dir(f);
	put_file(f, "MANIFEST", "");
	signkey_sign(sig, (const uint8_t *)"", 0, f->sk);
	assert_int_equal(signkey_signify_sig(sigtext, sizeof(sigtext), "t",
	    sig, f->pk), GH_OK);
	put_file(f, "MANIFEST.sig", sigtext);
	assert_int_equal(verify(f, f->pk), GH_ERR_CRYPTO);
	assert_non_null(strstr(f->out, "FAILED tables.csv: in the directory "
	    "but not listed"));
}

static void
test_manifest_refuses_bad_names(void **state)
{
	static const char *const bad1[] = { "tables.csv", "MANIFEST" };
	static const char *const bad2[] = { "../tables.csv" };
	static const char *const bad3[] = { "tables.csv", "tables.csv" };
	static const char *const bad4[] = { "nope.csv" };
	struct fx *f = *state;

	assert_int_equal(manifest_write(f->dir, bad1, 2, f->sk, NULL, NULL),
	    GH_ERR_INVALID);
	assert_int_equal(manifest_write(f->dir, bad2, 1, f->sk, NULL, NULL),
	    GH_ERR_INVALID);
	assert_int_equal(manifest_write(f->dir, bad3, 2, f->sk, NULL, NULL),
	    GH_ERR_INVALID);
	assert_int_equal(manifest_write(f->dir, bad4, 1, f->sk, NULL, NULL),
	    GH_ERR_IO);
}

/* The README's plain tools agree: sha256sum -c and OpenBSD's signify. */
static void
test_manifest_plain_tools(void **state)
{
	struct fx *f = *state;

	if (system("command -v signify-openbsd >/dev/null 2>&1") != 0)
		fail_msg("signify-openbsd is not installed "
		    "(server/deploy/install-deps.sh installs it)");
	sign_dir(f);
	assert_int_equal(sh(f, "sha256sum --quiet -c MANIFEST"), 0);
	assert_int_equal(sh(f, "signify-openbsd -V -q -p "
	    "release-key.pub -m MANIFEST"), 0);
	flip_byte(f, "tables.json", 2);
	assert_int_not_equal(sh(f, "sha256sum --quiet -c MANIFEST "
	    ">/dev/null 2>&1"), 0);
	flip_byte(f, "MANIFEST", 70);
	assert_int_not_equal(sh(f, "signify-openbsd -V -q -p "
	    "release-key.pub -m MANIFEST 2>/dev/null"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_manifest_good, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_manifest_empty_lists_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_tampered_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_manifest_tampered_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_manifest_extra_and_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_other_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_malformed_line,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_manifest_refuses_bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_plain_tools,
		    setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
