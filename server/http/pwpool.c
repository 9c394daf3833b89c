/*
 * pwpool.c: the password-hashing pool (pwpool.h).
 *
 * Entry points: pwpool_new, pwpool_reserve, pwpool_submit, pwpool_stop,
 * pwpool_free. Data path: a request thread reserves a place (refused at
 * once when the queue is full), suspends its connection, submits the
 * job -> a FIFO queue under one mutex -> the first idle worker pops it
 * and calls job->run outside the lock; run resumes the connection.
 * Reserving before submitting lets a caller learn of a refusal before it
 * has suspended anything, and lets pwpool_stop wait for a job that has a
 * place but is not queued yet.
 *
 * The workers lower their own priority (setpriority on their thread id)
 * as they start; pwpool_new waits for that, so it happens before the
 * server confines itself (confine.h allows neither call afterwards).
 */
#include <sys/resource.h>
#include <sys/syscall.h>

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "http/pwpool.h"

struct pwpool {
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* a job queued, or stopping */
	pthread_cond_t		 started;	/* a worker is up */
	pthread_t		*th;
	unsigned int		 n_th, n_started;
	unsigned int		 queue_max;
	unsigned int		 n_queued, n_reserved;
	struct pwpool_job	*head, *tail;
	int			 is_stopping, is_joined;
};

static void *
worker(void *arg)
{
	struct pwpool *p = arg;
	struct pwpool_job *job;

	/* Below the request threads; a failure only costs latency. */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
	    PWPOOL_NICE);
	pthread_mutex_lock(&p->lock);
	p->n_started++;
	pthread_cond_broadcast(&p->started);
	for (;;) {
		while (p->head == NULL &&
		    !(p->is_stopping && p->n_reserved == 0))
			pthread_cond_wait(&p->work, &p->lock);
		if ((job = p->head) == NULL)
			break;		/* stopping, and nothing left */
		if ((p->head = job->next) == NULL)
			p->tail = NULL;
		p->n_queued--;
		pthread_mutex_unlock(&p->lock);
		job->run(job);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
pwpool_new(unsigned int workers, unsigned int queue_max,
    struct pwpool **out)
{
	struct pwpool *p;
	unsigned int i;

	*out = NULL;
	if (workers == 0 || queue_max == 0)
		return GH_ERR_INVALID;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return GH_ERR_NOMEM;
	if ((p->th = calloc(workers, sizeof(*p->th))) == NULL) {
		free(p);
		return GH_ERR_NOMEM;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->started, NULL);
	p->queue_max = queue_max;
	for (i = 0; i < workers; i++) {
		if (pthread_create(&p->th[i], NULL, worker, p) != 0)
			break;
		p->n_th++;
	}
	pthread_mutex_lock(&p->lock);
	while (p->n_started < p->n_th)
		pthread_cond_wait(&p->started, &p->lock);
	pthread_mutex_unlock(&p->lock);
	if (p->n_th < workers) {
		pwpool_free(p);
		return GH_ERR_NOMEM;
	}
	*out = p;
	return GH_OK;
}

int
pwpool_reserve(struct pwpool *p)
{
	int r = GH_ERR_BUSY;

	pthread_mutex_lock(&p->lock);
	if (!p->is_stopping && p->n_queued + p->n_reserved < p->queue_max) {
		p->n_reserved++;
		r = GH_OK;
	}
	pthread_mutex_unlock(&p->lock);
	return r;
}

void
pwpool_submit(struct pwpool *p, struct pwpool_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->tail != NULL)
		p->tail->next = job;
	else
		p->head = job;
	p->tail = job;
	p->n_reserved--;
	p->n_queued++;
	/* Stopping: the last place filled lets every idle worker exit. */
	if (p->is_stopping)
		pthread_cond_broadcast(&p->work);
	else
		pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

void
pwpool_stop(struct pwpool *p)
{
	unsigned int i;

	pthread_mutex_lock(&p->lock);
	p->is_stopping = 1;
	pthread_cond_broadcast(&p->work);
	if (p->is_joined) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	p->is_joined = 1;
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->n_th; i++)
		pthread_join(p->th[i], NULL);
}

void
pwpool_free(struct pwpool *p)
{
	if (p == NULL)
		return;
	pwpool_stop(p);
	pthread_cond_destroy(&p->started);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->th);
	free(p);
}
