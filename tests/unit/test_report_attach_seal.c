/*
 * test_report_attach_seal.c: an attachment sealed to a report's keys
 * (report/attach_seal.h) and stored beside it (store/store_attach.h), on
 * a real SQLite file with a report filed through report_create
 * (report_fx.h). The desk opens its copy with the report key it unseals
 * with the desk key; a changed byte, a wrong key and a malformed name
 * must fail; a blob's length is its size class only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "report/attach_seal.h"
#include "report/report_crypto.h"
#include "store/store_attach.h"

#include "report_fx.h"

static int
setup(void **state)
{
	struct report_fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	report_fx_open(f, "attachseal");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct report_fx *f = *state;

	report_fx_close(f);
	free(f);
	return 0;
}

static void
plain_of(struct attach_plain *p, const char *name, size_t len)
{
	static uint8_t data[200 * 1024];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	p->time = (int64_t)time(NULL);
	p->type = ATTACH_PNG;
	p->name = (char *)name;
	p->data = data;
	p->len = len;
}

static void
test_attach_seal_desk_opens_stored_copy(void **state)
{
	struct report_fx *f = *state;
	const struct report_row *row = &f->l.row;
	struct attach_plain in, out;
	struct store_attach a, got;
	uint8_t *report_sk = sodium_malloc(REPORT_SK_BYTES);
	int64_t n = -1;

	assert_non_null(report_sk);
	plain_of(&in, "schermafdruk (1).png", 5000);
	assert_int_equal(attach_seal_both(&a, &in, row->report_pk,
	    row->reply_pk), GH_OK);
	assert_int_equal(store_attach_add(f->s, row->id, &a), GH_OK);
	assert_int_equal(store_attach_add(f->s, row->id, &a), GH_ERR_EXISTS);
	assert_int_equal(store_attach_count(f->s, row->id, &n), GH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_attach_get(f->s, row->id, a.id, &got), GH_OK);
	assert_int_equal(got.for_desk_len, a.for_desk_len);
	assert_int_equal(report_key_open(report_sk, row->sealed_key,
	    row->sealed_key_len, f->desk_pk, f->desk_sk), GH_OK);
	assert_int_equal(attach_open(&out, got.for_desk, got.for_desk_len,
	    row->report_pk, report_sk), GH_OK);
	assert_string_equal(out.name, in.name);
	assert_int_equal(out.type, ATTACH_PNG);
	assert_int_equal(out.len, in.len);
	assert_memory_equal(out.data, in.data, in.len);
	assert_int_equal(out.time, in.time);
	attach_plain_clear(&out);
	/* The reporter's copy is not for the report key. */
	assert_int_equal(attach_open(&out, got.for_reporter,
	    got.for_reporter_len, row->report_pk, report_sk), GH_ERR_CRYPTO);
	attach_plain_clear(&out);
	store_attach_clear(&a);
	store_attach_clear(&got);
	sodium_free(report_sk);
}

static void
test_attach_seal_unknown_report_or_id(void **state)
{
	struct report_fx *f = *state;
	uint8_t other[REPORT_ID_BYTES] = { 1 }, id[ATTACH_ID_BYTES] = { 2 };
	struct attach_plain in;
	struct store_attach a, got;

	plain_of(&in, "a.pdf", 10);
	assert_int_equal(attach_seal_both(&a, &in, f->l.row.report_pk,
	    f->l.row.reply_pk), GH_OK);
	assert_int_equal(store_attach_add(f->s, other, &a), GH_ERR_NOT_FOUND);
	assert_int_equal(store_attach_get(f->s, f->l.row.id, id, &got),
	    GH_ERR_NOT_FOUND);
	store_attach_clear(&a);
}

static void
test_attach_seal_pads_to_size_classes(void **state)
{
	uint8_t pk[32], sk[32];
	struct attach_plain in;
	struct store_attach a, b;

	(void)state;
	crypto_box_keypair(pk, sk);
	assert_int_equal(attach_class(1), 64 * 1024);
	assert_int_equal(attach_class((size_t)64 * 1024), (size_t)128 * 1024);
	assert_int_equal(attach_class(ATTACH_FILE_MAX + 300), (size_t)16 * 1024 * 1024);
	assert_int_equal(attach_class((size_t)16 * 1024 * 1024), 0);
	plain_of(&in, "a.png", 1);
	assert_int_equal(attach_seal_both(&a, &in, pk, pk), GH_OK);
	plain_of(&in, "a much longer name of a file.png", 60000);
	assert_int_equal(attach_seal_both(&b, &in, pk, pk), GH_OK);
	assert_int_equal(a.for_desk_len, b.for_desk_len);
	assert_int_equal(a.for_desk_len, (size_t)64 * 1024 + crypto_box_SEALBYTES);
	assert_memory_not_equal(a.id, b.id, ATTACH_ID_BYTES);
	store_attach_clear(&a);
	store_attach_clear(&b);
}

static void
test_attach_seal_flipped_byte_fails(void **state)
{
	uint8_t pk[32], sk[32], pk2[32], sk2[32];
	struct attach_plain in, out;
	struct store_attach a;

	(void)state;
	crypto_box_keypair(pk, sk);
	crypto_box_keypair(pk2, sk2);
	plain_of(&in, "brief.pdf", 3000);
	assert_int_equal(attach_seal_both(&a, &in, pk, pk2), GH_OK);
	assert_int_equal(attach_open(&out, a.for_reporter, a.for_reporter_len,
	    pk2, sk2), GH_OK);
	attach_plain_clear(&out);
	a.for_desk[a.for_desk_len / 2] ^= 1;
	assert_int_equal(attach_open(&out, a.for_desk, a.for_desk_len, pk,
	    sk), GH_ERR_CRYPTO);
	assert_null(out.data);
	assert_int_equal(attach_open(&out, a.for_desk, 100, pk, sk),
	    GH_ERR_INVALID);
	store_attach_clear(&a);
}

static void
test_attach_seal_refuses_bad_names(void **state)
{
	static const char *const bad[] = { "", "a/b.png", "..\\x.png",
	    "tab\there.png", "\xc3\x28.png" };
	uint8_t pk[32], sk[32];
	char longname[ATTACH_NAME_MAX + 2];
	struct attach_plain in;
	struct store_attach a;
	size_t i;

	(void)state;
	crypto_box_keypair(pk, sk);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		plain_of(&in, bad[i], 10);
		assert_int_equal(attach_seal_both(&a, &in, pk, pk),
		    GH_ERR_INVALID);
		assert_null(a.for_desk);
	}
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	plain_of(&in, longname, 10);
	assert_int_equal(attach_seal_both(&a, &in, pk, pk), GH_ERR_INVALID);
	plain_of(&in, "ok.png", 0);
	assert_int_equal(attach_seal_both(&a, &in, pk, pk), GH_ERR_TOO_LARGE);
	assert_true(attach_name_is_valid("Brief gemeente é.pdf", 21));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_seal_desk_opens_stored_copy),
		cmocka_unit_test(test_attach_seal_unknown_report_or_id),
		cmocka_unit_test(test_attach_seal_pads_to_size_classes),
		cmocka_unit_test(test_attach_seal_flipped_byte_fails),
		cmocka_unit_test(test_attach_seal_refuses_bad_names),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
