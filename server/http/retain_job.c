/*
 * retain_job.c: the daily retention run of gehoord serve (retain_job.h).
 *
 * Entry points: retain_job_start (in start-up, before confinement: it
 * opens the connection), retain_job_stop (at shutdown).
 *
 * Data path: retain_main -> report_expire_run(today) on the job's own
 * connection -> a count in the log (never a report's id or reference)
 * -> waits 24 hours on a condition that retain_job_stop signals.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "http/retain_job.h"
#include "report/report_expire.h"
#include "store/store.h"
#include "util/log.h"

struct retain_job {
	struct store	*db;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	int		 is_stopping;
};

static void
run_once(struct retain_job *j)
{
	struct report_expire_stats st;

	if (report_expire_run(j->db, store_today(), 0, NULL, NULL, &st) !=
	    GH_OK)
		log_warn("retention: %zu of %zu expired reports could not be "
		    "destroyed; the next run tries again", st.failed,
		    st.expired);
	else if (st.expired > 0)
		log_info("retention: %zu expired reports destroyed",
		    st.expired);
}

static void *
retain_main(void *arg)
{
	struct retain_job *j = arg;
	struct timespec until;
	int is_stopping = 0;

	while (!is_stopping) {
		run_once(j);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += RETAIN_JOB_PERIOD_S;
		pthread_mutex_lock(&j->lock);
		while (!j->is_stopping &&
		    pthread_cond_timedwait(&j->wake, &j->lock, &until) !=
		    ETIMEDOUT)
			;
		is_stopping = j->is_stopping;
		pthread_mutex_unlock(&j->lock);
	}
	return NULL;
}

int
retain_job_start(const char *db_path, struct retain_job **out)
{
	struct retain_job *j;
	int r;

	*out = NULL;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return GH_ERR_NOMEM;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->wake, NULL);
	if ((r = store_open(db_path, 0, &j->db)) != GH_OK)
		goto out;
	if (pthread_create(&j->thread, NULL, retain_main, j) != 0) {
		log_error("cannot start the retention thread");
		r = GH_ERR_NOMEM;
		goto out;
	}
	*out = j;
	return GH_OK;
out:
	store_close(j->db);
	pthread_cond_destroy(&j->wake);
	pthread_mutex_destroy(&j->lock);
	free(j);
	return r;
}

void
retain_job_stop(struct retain_job *j)
{
	if (j == NULL)
		return;
	pthread_mutex_lock(&j->lock);
	j->is_stopping = 1;
	pthread_cond_signal(&j->wake);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->thread, NULL);
	store_close(j->db);
	pthread_cond_destroy(&j->wake);
	pthread_mutex_destroy(&j->lock);
	free(j);
}
