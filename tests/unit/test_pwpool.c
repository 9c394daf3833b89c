/*
 * test_pwpool.c: the password-hashing pool (server/http/pwpool.h): every
 * job runs once, the queue's bound refuses at once and frees up again,
 * stopping runs what was placed and refuses the rest, and the workers
 * run at the lower priority.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/resource.h>
#include <sys/syscall.h>

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "http/pwpool.h"

/* What the jobs of a test share: a gate that holds them, and counts. */
struct shared {
	pthread_mutex_t	lock;
	pthread_cond_t	cv;
	int		is_open;	/* jobs may finish */
	int		running, done;
	int		nice_seen;	/* the niceness of the last worker */
};

struct tjob {
	struct pwpool_job	 job;
	struct shared		*sh;
	int			 runs;
};

static void
run(struct pwpool_job *job)
{
	struct tjob *t = job->arg;
	struct shared *sh = t->sh;
	int nice;

	errno = 0;
	nice = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
	pthread_mutex_lock(&sh->lock);
	if (errno == 0)
		sh->nice_seen = nice;
	sh->running++;
	pthread_cond_broadcast(&sh->cv);
	while (!sh->is_open)
		pthread_cond_wait(&sh->cv, &sh->lock);
	t->runs++;
	sh->running--;
	sh->done++;
	pthread_cond_broadcast(&sh->cv);
	pthread_mutex_unlock(&sh->lock);
}

static void
shared_init(struct shared *sh, int is_open)
{
	memset(sh, 0, sizeof(*sh));
	pthread_mutex_init(&sh->lock, NULL);
	pthread_cond_init(&sh->cv, NULL);
	sh->is_open = is_open;
	sh->nice_seen = -100;
}

static void
shared_fini(struct shared *sh)
{
	pthread_cond_destroy(&sh->cv);
	pthread_mutex_destroy(&sh->lock);
}

/* Waits until the jobs running, or done, reach n. */
static void
wait_for(struct shared *sh, const int *what, int n)
{
	pthread_mutex_lock(&sh->lock);
	while (*what < n)
		pthread_cond_wait(&sh->cv, &sh->lock);
	pthread_mutex_unlock(&sh->lock);
}

static void
open_gate(struct shared *sh)
{
	pthread_mutex_lock(&sh->lock);
	sh->is_open = 1;
	pthread_cond_broadcast(&sh->cv);
	pthread_mutex_unlock(&sh->lock);
}

static void
submit(struct pwpool *p, struct tjob *t, struct shared *sh)
{
	t->sh = sh;
	t->job.run = run;
	t->job.arg = t;
	pwpool_submit(p, &t->job);
}

static void
test_pwpool_runs_every_job_once_at_low_priority(void **state)
{
	struct pwpool *p = NULL;
	struct shared sh;
	struct tjob t[200];
	int i;

	(void)state;
	shared_init(&sh, 1);
	memset(t, 0, sizeof(t));
	assert_int_equal(pwpool_new(3, 16, &p), GH_OK);
	for (i = 0; i < 200; i++) {
		/* Back-pressure: wait for a place as a client would retry. */
		while (pwpool_reserve(p) != GH_OK)
			usleep(100);
		submit(p, &t[i], &sh);
	}
	wait_for(&sh, &sh.done, 200);
	for (i = 0; i < 200; i++)
		assert_int_equal(t[i].runs, 1);
	assert_int_equal(sh.nice_seen, PWPOOL_NICE);
	pwpool_free(p);
	shared_fini(&sh);
}

static void
test_pwpool_full_queue_refuses_at_once(void **state)
{
	struct pwpool *p = NULL;
	struct shared sh;
	struct tjob t[2 + 4];
	int i;

	(void)state;
	shared_init(&sh, 0);
	memset(t, 0, sizeof(t));
	assert_int_equal(pwpool_new(2, 4, &p), GH_OK);
	/* Two jobs hold both workers; four more fill the queue. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(pwpool_reserve(p), GH_OK);
		submit(p, &t[i], &sh);
	}
	wait_for(&sh, &sh.running, 2);
	for (i = 2; i < 6; i++) {
		assert_int_equal(pwpool_reserve(p), GH_OK);
		if (i < 5)
			submit(p, &t[i], &sh);
	}
	/* A reserved place counts as taken, before it is submitted. */
	assert_int_equal(pwpool_reserve(p), GH_ERR_BUSY);
	submit(p, &t[5], &sh);
	assert_int_equal(pwpool_reserve(p), GH_ERR_BUSY);
	open_gate(&sh);
	wait_for(&sh, &sh.done, 6);
	/* Drained: places again. */
	assert_int_equal(pwpool_reserve(p), GH_OK);
	submit(p, &t[0], &sh);
	wait_for(&sh, &sh.done, 7);
	assert_int_equal(t[0].runs, 2);
	pwpool_free(p);
	shared_fini(&sh);
}

struct stopper {
	struct pwpool	*p;
	pthread_t	 th;
};

static void *
stop_thread(void *arg)
{
	pwpool_stop(((struct stopper *)arg)->p);
	return NULL;
}

static void
test_pwpool_stop_runs_what_was_placed(void **state)
{
	struct pwpool *p = NULL;
	struct shared sh;
	struct stopper st;
	struct tjob t[16];
	int i, n = 4;

	(void)state;
	shared_init(&sh, 0);
	memset(t, 0, sizeof(t));
	assert_int_equal(pwpool_new(1, 8, &p), GH_OK);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pwpool_reserve(p), GH_OK);
		submit(p, &t[i], &sh);
	}
	/* One more has its place but is not submitted yet. */
	assert_int_equal(pwpool_reserve(p), GH_OK);
	wait_for(&sh, &sh.running, 1);
	st.p = p;
	assert_int_equal(pthread_create(&st.th, NULL, stop_thread, &st), 0);
	/* Until the stop takes effect places may still be given (each is
	 * then run); after it, none. */
	while (pwpool_reserve(p) == GH_OK) {
		assert_true(n < 16);
		submit(p, &t[n++], &sh);
	}
	submit(p, &t[3], &sh);
	open_gate(&sh);
	pthread_join(st.th, NULL);
	assert_int_equal(pwpool_reserve(p), GH_ERR_BUSY);
	for (i = 0; i < n; i++)
		assert_int_equal(t[i].runs, 1);
	assert_int_equal(sh.done, n);
	pwpool_free(p);
	shared_fini(&sh);
	assert_int_equal(pwpool_new(0, 4, &p), GH_ERR_INVALID);
	assert_null(p);
	assert_int_equal(pwpool_new(1, 0, &p), GH_ERR_INVALID);
	pwpool_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pwpool_runs_every_job_once_at_low_priority),
		cmocka_unit_test(test_pwpool_full_queue_refuses_at_once),
		cmocka_unit_test(test_pwpool_stop_runs_what_was_placed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
