/*
 * test_report_reply_faults.c: a follow-up's text and its files are one
 * transaction (report_conv_reporter_post_files,
 * store_report_add_message_files). For n = 1, 2, ... the n-th
 * allocation of gehoord's own code or of SQLite's (routed through the
 * same counter) fails during a post of a text with two files to a report
 * filed through report_create (report_fx.h). After every run the report
 * has either the message and both its files, or neither; a run that
 * returned GH_OK has both. The loop ends with the first run in which no
 * allocation failed, which must store them, the files naming their
 * message as the reporter's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "alloc_hook.h"
#include "report/report_conv.h"
#include "store/store_reply_file.h"

#include "report_fx.h"

#define N_FILES	2

static sqlite3_mem_methods sqlite_mem;	/* SQLite's own allocator */

static void *
sq_malloc(int n)
{
	return alloc_hook_take() ? NULL : sqlite_mem.xMalloc(n);
}

static void *
sq_realloc(void *p, int n)
{
	return alloc_hook_take() ? NULL : sqlite_mem.xRealloc(p, n);
}

static int
count_msg(void *arg, const struct report_msg *m)
{
	int64_t *n = arg;

	if (m->seq > n[1])
		n[1] = m->seq;
	n[0]++;
	return GH_OK;
}

/* The messages of the fixture's report and the highest seq. */
static void
messages(struct report_fx *f, int64_t *n, int64_t *last)
{
	int64_t c[2] = { 0, 0 };

	assert_int_equal(store_report_messages(f->s, f->l.row.id, count_msg,
	    c), GH_OK);
	*n = c[0];
	*last = c[1];
}

static int64_t
files(struct report_fx *f)
{
	int64_t n = 0;

	assert_int_equal(store_attach_count(f->s, f->l.row.id, &n), GH_OK);
	return n;
}

/* Two small cleaned files, malloc'd before the failures are armed. */
static void
make_files(struct attach_plain p[N_FILES])
{
	size_t i;

	memset(p, 0, N_FILES * sizeof(*p));
	for (i = 0; i < N_FILES; i++) {
		assert_non_null(p[i].name = strdup(i ? "b.png" : "a.pdf"));
		assert_non_null(p[i].data = malloc(1000));
		memset(p[i].data, (int)i + 1, 1000);
		p[i].len = 1000;
		p[i].type = i ? ATTACH_PNG : ATTACH_PDF;
	}
}

struct mine {
	int64_t	seq;
	int	n;
};

static int
of_seq(const struct store_attach *a, const struct store_attach_from *from,
    void *arg)
{
	struct mine *m = arg;

	(void)a;
	if (from->seq == m->seq && from->author == REPORT_BY_REPORTER)
		m->n++;
	return GH_OK;
}

static void
test_post_with_files_is_all_or_nothing(void **state)
{
	struct report_fx f;
	struct attach_plain p[N_FILES];
	const char *env = getenv("GEHOORD_FAULT_STRIDE");
	long n, stride = env != NULL ? atol(env) : 1;
	int64_t msgs, last, atts, msgs2, last2;
	struct mine mine;
	uint8_t id[REPORT_ID_BYTES];
	int rc, is_failed;
	size_t i;

	(void)state;
	if (stride < 1)
		stride = 1;
	memset(&f, 0, sizeof(f));
	report_fx_open(&f, "replyfaults");
	memcpy(id, f.l.row.id, sizeof(id));
	messages(&f, &msgs, &last);
	atts = files(&f);
	for (n = 1;; n += stride) {
		make_files(p);
		alloc_hook_fail_at(n);
		rc = report_conv_reporter_post_files(f.s, &f.l.row,
		    REPORT_POST_ADD, NULL, "More.", p, N_FILES);
		is_failed = alloc_hook_has_failed();
		alloc_hook_fail_at(0);
		for (i = 0; i < N_FILES; i++)
			attach_plain_clear(&p[i]);
		if (rc != GH_OK) {
			/* The row is read again after the commit: a failure
			 * there may have cleared it. */
			store_report_row_clear(&f.l.row);
			assert_int_equal(store_report_get(f.s, id, &f.l.row),
			    GH_OK);
		}
		messages(&f, &msgs2, &last2);
		if (msgs2 == msgs) {
			assert_int_not_equal(rc, GH_OK);
			assert_int_equal(files(&f), atts);
		} else {
			assert_int_equal(msgs2, msgs + 1);
			assert_int_equal(files(&f), atts + N_FILES);
			mine.seq = last2;
			mine.n = 0;
			assert_int_equal(store_attach_each_from(f.s, id, of_seq,
			    &mine), GH_OK);
			assert_int_equal(mine.n, N_FILES);
			msgs = msgs2;
			atts += N_FILES;
		}
		if (!is_failed) {
			assert_int_equal(rc, GH_OK);
			break;
		}
	}
	assert_true(n > 1);
	report_fx_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_with_files_is_all_or_nothing),
	};
	sqlite3_mem_methods m;

	/* SQLite takes a configuration only while shut down. */
	if (sodium_init() < 0 || sqlite3_initialize() != SQLITE_OK ||
	    sqlite3_shutdown() != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK ||
	    sqlite_mem.xMalloc == NULL)
		return 1;
	m = sqlite_mem;
	m.xMalloc = sq_malloc;
	m.xRealloc = sq_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
