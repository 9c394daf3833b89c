/*
 * test_writer.c: the writer thread against a real SQLite file: every job
 * is answered exactly once, only after its commit, and a token is never
 * spent twice even when both submissions arrive in the same batch.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tmpdir.h"
#include "store_key.h"
#include "store/writer.h"

#define N_TOKENS 400
#define N_THREADS 4

struct fx {
	char		 dir[64];
	char		 path[128];
	int64_t		 wave;
	uint8_t		 hashes[N_TOKENS][STORE_HASH_BYTES];
	struct writer	*w;
	pthread_mutex_t	 lock;
	int		 n_done, n_ok, n_spent;
};

struct job {
	struct writer_job	 wj;
	struct fx		*f;
	int			 calls;
};

static const uint8_t blob[64] = { 9 };

static void
on_done(struct writer_job *wj)
{
	struct job *j = wj->arg;

	pthread_mutex_lock(&j->f->lock);
	j->calls++;
	j->f->n_done++;
	j->f->n_ok += wj->sub.result == GH_OK;
	j->f->n_spent += wj->sub.result == GH_ERR_SPENT;
	pthread_mutex_unlock(&j->f->lock);
}

static void
job_init(struct job *j, struct fx *f, size_t token)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->wj.sub.key = *key_of(f->hashes[token]);
	j->wj.sub.wave_id = f->wave;
	j->wj.sub.sealed = blob;
	j->wj.sub.sealed_len = sizeof(blob);
	j->wj.done = on_done;
	j->wj.arg = j;
}

struct part {
	struct fx	*f;
	struct job	*jobs;
	size_t		 from, n;
};

static void *
submitter(void *arg)
{
	struct part *p = arg;
	size_t i;

	for (i = 0; i < p->n; i++) {
		job_init(&p->jobs[i], p->f, p->from + i);
		while (writer_submit(p->f->w, &p->jobs[i].wj) == GH_ERR_BUSY)
			;
	}
	return NULL;
}

static int64_t
count(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static int
setup(void **state)
{
	static const uint8_t pk[STORE_PK_BYTES] = { 1 };
	struct fx *f = calloc(1, sizeof(*f));
	struct store *s;
	int64_t batch;

	assert_non_null(f);
	assert_int_equal(sodium_init() >= 0, 1);
	pthread_mutex_init(&f->lock, NULL);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "writer"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	randombytes_buf(f->hashes, sizeof(f->hashes));
	assert_int_equal(store_open(f->path, STORE_CREATE, &s), GH_OK);
	assert_int_equal(store_wave_create(s, "w", "{}", pk, 10, &f->wave),
	    GH_OK);
	assert_int_equal(store_batch_create(s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, N_TOKENS, &batch),
	    GH_OK);
	store_close(s);
	assert_int_equal(writer_start(f->path, &f->w), GH_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	writer_free(f->w);
	assert_int_equal(tmpdir_remove(f->dir), 0);
	pthread_mutex_destroy(&f->lock);
	free(f);
	return 0;
}

static void
test_writer_answers_every_job_once(void **state)
{
	struct fx *f = *state;
	struct job *jobs = calloc(N_TOKENS, sizeof(*jobs));
	struct part parts[N_THREADS];
	pthread_t th[N_THREADS];
	size_t i, per = N_TOKENS / N_THREADS;

	assert_non_null(jobs);
	for (i = 0; i < N_THREADS; i++) {
		parts[i] = (struct part){ f, jobs + i * per, i * per, per };
		assert_int_equal(pthread_create(&th[i], NULL, submitter,
		    &parts[i]), 0);
	}
	for (i = 0; i < N_THREADS; i++)
		pthread_join(th[i], NULL);
	writer_stop(f->w);	/* drains the queue */
	assert_int_equal(f->n_done, N_TOKENS);
	assert_int_equal(f->n_ok, N_TOKENS);
	for (i = 0; i < N_TOKENS; i++)
		assert_int_equal(jobs[i].calls, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM answers"), N_TOKENS);
	assert_int_equal(count(f, "SELECT count(*) FROM spends"), N_TOKENS);
	free(jobs);
}

static void
test_writer_same_token_twice_spends_once(void **state)
{
	struct fx *f = *state;
	struct job a, b;

	job_init(&a, f, 7);
	job_init(&b, f, 7);
	assert_int_equal(writer_submit(f->w, &a.wj), GH_OK);
	assert_int_equal(writer_submit(f->w, &b.wj), GH_OK);
	writer_stop(f->w);
	assert_int_equal(f->n_ok, 1);
	assert_int_equal(f->n_spent, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM answers"), 1);
}

static void
test_writer_refuses_after_stop(void **state)
{
	struct fx *f = *state;
	struct job a;

	writer_stop(f->w);
	job_init(&a, f, 1);
	assert_int_equal(writer_submit(f->w, &a.wj), GH_ERR_BUSY);
	assert_int_equal(a.calls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_writer_answers_every_job_once),
		T(test_writer_same_token_twice_spends_once),
		T(test_writer_refuses_after_stop),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
