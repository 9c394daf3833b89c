/*
 * test_crypto_signkey.c: signing key files, detached signatures and the
 * signify formats, checked by OpenBSD's own signify when it is installed
 * (the test command installs signify-openbsd).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "tmpdir.h"
#include "signkey.h"

static const char msg[] = "a1b2  tables.csv\n";

struct fixture {
	char	dir[64];
	char	path[PATH_MAX];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	if (tmpdir_make(f->dir, sizeof(f->dir), "signkey") != 0) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/db.release.sign", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (tmpdir_remove(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void
test_create_load_sign(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SIGNKEY_PK_BYTES], pk2[SIGNKEY_PK_BYTES];
	uint8_t sig[SIGNKEY_SIG_BYTES], *sk = NULL;
	struct stat sb;

	assert_int_equal(signkey_create(f->path, pk), GH_OK);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, SIGNKEY_SK_BYTES);
	/* Never overwritten. */
	assert_int_equal(signkey_create(f->path, pk2), GH_ERR_EXISTS);
	assert_int_equal(signkey_load(f->path, &sk, pk2), GH_OK);
	assert_memory_equal(pk, pk2, sizeof(pk));
	signkey_sign(sig, (const uint8_t *)msg, strlen(msg), sk);
	assert_int_equal(signkey_verify(sig, (const uint8_t *)msg,
	    strlen(msg), pk), GH_OK);
	/* One changed byte of the message or the signature: refused. */
	sig[10] ^= 1;
	assert_int_equal(signkey_verify(sig, (const uint8_t *)msg,
	    strlen(msg), pk), GH_ERR_CRYPTO);
	sig[10] ^= 1;
	assert_int_equal(signkey_verify(sig, (const uint8_t *)"b1b2",
	    4, pk), GH_ERR_CRYPTO);
	signkey_free(sk);
}

static void
test_load_refuses(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SIGNKEY_PK_BYTES], *sk = NULL;
	char other[PATH_MAX + 8];

	assert_int_equal(signkey_load("/nonexistent/x.sign", &sk, pk),
	    GH_ERR_NOT_FOUND);
	assert_null(sk);
	assert_int_equal(signkey_create(f->path, pk), GH_OK);
	assert_int_equal(chmod(f->path, 0640), 0);
	assert_int_equal(signkey_load(f->path, &sk, pk), GH_ERR_INVALID);
	assert_null(sk);
	snprintf(other, sizeof(other), "%s.short", f->path);
	write_file(other, "short");
	assert_int_equal(chmod(other, 0600), 0);
	assert_int_equal(signkey_load(other, &sk, pk), GH_ERR_INVALID);
	assert_null(sk);
}

static void
test_signify_round_trip(void **state)
{
	uint8_t pk[SIGNKEY_PK_BYTES], sk[SIGNKEY_SK_BYTES];
	uint8_t sig[SIGNKEY_SIG_BYTES], back[SIGNKEY_SIG_BYTES];
	char text[SIGNKEY_SIGNIFY_MAX];

	(void)state;
	crypto_sign_keypair(pk, sk);
	signkey_sign(sig, (const uint8_t *)msg, strlen(msg), sk);
	assert_int_equal(signkey_signify_sig(text, sizeof(text), "gehoord",
	    sig, pk), GH_OK);
	assert_int_equal(strncmp(text, "untrusted comment: gehoord\nRW", 29),
	    0);	/* "Ed" in base64 */
	assert_int_equal(signkey_signify_parse_sig(text, strlen(text), back),
	    GH_OK);
	assert_memory_equal(sig, back, sizeof(sig));
	assert_int_equal(signkey_signify_pub(text, sizeof(text), "key", pk),
	    GH_OK);
	assert_int_equal(signkey_signify_parse_pub(text, strlen(text), back),
	    GH_OK);
	assert_memory_equal(pk, back, sizeof(pk));
	/* Malformed: no comment, a public key where a signature belongs,
	 * trailing lines, a comment with a newline. */
	assert_int_equal(signkey_signify_parse_sig("RWQ\n", 4, back),
	    GH_ERR_INVALID);
	assert_int_equal(signkey_signify_parse_sig(text, strlen(text), back),
	    GH_ERR_INVALID);
	assert_int_equal(signkey_signify_parse_pub("untrusted comment: x\n"
	    "AAAA\nmore\n", 31, back), GH_ERR_INVALID);
	assert_int_equal(signkey_signify_pub(text, sizeof(text), "a\nb", pk),
	    GH_ERR_INVALID);
	sodium_memzero(sk, sizeof(sk));
}

/* OpenBSD's signify checks what we wrote, if it is installed. */
static void
test_signify_tool(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[SIGNKEY_PK_BYTES], sk[SIGNKEY_SK_BYTES];
	uint8_t sig[SIGNKEY_SIG_BYTES];
	char text[SIGNKEY_SIGNIFY_MAX], p_msg[PATH_MAX], p_sig[PATH_MAX + 4];
	char p_pub[PATH_MAX], cmd[4 * PATH_MAX];

	if (system("command -v signify-openbsd >/dev/null 2>&1") != 0) {
		/* install-deps.sh installs it; say so instead of passing. */
		fail_msg("signify-openbsd is not installed "
		    "(server/deploy/install-deps.sh installs it)");
	}
	crypto_sign_keypair(pk, sk);
	snprintf(p_msg, sizeof(p_msg), "%s/MANIFEST", f->dir);
	snprintf(p_sig, sizeof(p_sig), "%s.sig", p_msg);
	snprintf(p_pub, sizeof(p_pub), "%s/key.pub", f->dir);
	write_file(p_msg, msg);
	signkey_sign(sig, (const uint8_t *)msg, strlen(msg), sk);
	assert_int_equal(signkey_signify_sig(text, sizeof(text),
	    "signature of a gehoord release", sig, pk), GH_OK);
	write_file(p_sig, text);
	assert_int_equal(signkey_signify_pub(text, sizeof(text),
	    "gehoord release key", pk), GH_OK);
	write_file(p_pub, text);
	snprintf(cmd, sizeof(cmd), "signify-openbsd -V -q -p '%s' -m '%s'",
	    p_pub, p_msg);
	assert_int_equal(system(cmd), 0);
	/* Tampered: signify refuses too. */
	write_file(p_msg, "a1b3  tables.csv\n");
	snprintf(cmd, sizeof(cmd), "signify-openbsd -V -q -p '%s' -m '%s' "
	    "2>/dev/null", p_pub, p_msg);
	assert_int_not_equal(system(cmd), 0);
	sodium_memzero(sk, sizeof(sk));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_load_sign, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses, setup,
		    teardown),
		cmocka_unit_test(test_signify_round_trip),
		cmocka_unit_test_setup_teardown(test_signify_tool, setup,
		    teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
