/*
 * report_fx.c: the report tests' fixture (report_fx.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "report/report_create.h"
#include "report/report_crypto.h"
#include "report_fx.h"
#include "store/store_user.h"
#include "tmpdir.h"

void
report_fx_open(struct report_fx *f, const char *name)
{
	struct report_create_keys k;
	char code[RECEIPT_TEXT_LEN + 1], ack[REPORT_ACK_MAX];
	const char *text = "What happened\nSomething.\n";

	assert_true(sodium_init() >= 0);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), name), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	crypto_box_keypair(f->desk_pk, f->desk_sk);
	assert_int_equal(store_key_set(f->s, "desk", f->desk_pk), GH_OK);
	randombytes_buf(f->pepper, sizeof(f->pepper));
	assert_non_null(f->ack_sk = sodium_malloc(crypto_sign_SECRETKEYBYTES));
	crypto_sign_keypair(f->ack_pk, f->ack_sk);
	k.pepper = f->pepper;
	k.ack_sk = f->ack_sk;
	k.ack_pk = f->ack_pk;
	assert_int_equal(report_create(f->s, &k, text, strlen(text), NULL,
	    NULL, f->r, ack, sizeof(ack)), GH_OK);
	receipt_to_text(code, f->r);
	assert_int_equal(report_login_find(f->s, f->pepper, code, &f->l),
	    GH_OK);
}

void
report_fx_close(struct report_fx *f)
{
	report_login_clear(&f->l);
	sodium_free(f->ack_sk);
	store_close(f->s);
	assert_int_equal(tmpdir_remove(f->dir), 0);
}
