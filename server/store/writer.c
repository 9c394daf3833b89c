/*
 * writer.c: the writer thread and the WAL checkpointer (see writer.h).
 *
 * Entry points: writer_start, writer_submit, writer_stop, writer_free.
 * Data path: writer_submit appends to the queue -> writer_main takes up to
 * WRITER_BATCH_MAX jobs -> shuffle -> store_commit_batch (one durable
 * transaction) -> each job's done(). checkpoint_main runs a passive
 * checkpoint on its own connection every CHECKPOINT_MS.
 *
 * No frame of a commit may stay in the -wal file longer than about
 * WAL_MAX_AGE_MS. A truncating checkpoint would do it, but it holds the
 * writer off until every reader has left the WAL, tens of milliseconds
 * on a busy server, and every Send waiting then waits as long. So the
 * writer starts the WAL over itself: SQLite does that at the first
 * commit after a checkpoint has copied all of the WAL (with no reader
 * still in it), and with journal_size_limit 0 cuts the file to that
 * commit's frames. Under load the checkpointer's passive passes never
 * catch up with the writer, so once WAL_RESTART_MS have passed since
 * the last start-over the writer asks the checkpointer for a pass at
 * once and goes on committing; when that pass has ended, the writer runs
 * a passive pass itself between two commits, which then has only the
 * frames committed during the checkpointer's pass left to copy, and its
 * next commit starts the WAL over (store_wal_restarts). Every Send
 * queued meanwhile waits for the writer's own pass, so it is kept short.
 * Should the start-over not happen (a reader in the WAL, or no commit:
 * an idle server) for WAL_MAX_AGE_MS, the checkpointer truncates.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store/writer.h"
#include "util/log.h"
#include "util/util.h"

#define CHECKPOINT_MS	100	/* the checkpointer's passive passes */
#define WAL_RESTART_MS	200	/* the writer then starts the WAL over */
#define WAL_MAX_AGE_MS	400	/* else the checkpointer truncates it */
#define TIMES_MS	500	/* store_times_blur */

struct writer {
	int			 time_fds[STORE_TIME_FILES];
	struct store		*db;
	struct store		*ckpt_db;
	pthread_t		 thread;
	pthread_t		 ckpt_thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;		/* jobs queued or stopping */
	pthread_cond_t		 ckpt_wake;	/* stopping */
	struct writer_job	*head, *tail;
	size_t			 queued;
	int			 is_stopping;
	/* When the -wal file last held nothing older (monotonic ms):
	 * the writer's start-over or the checkpointer's truncation. */
	int64_t			 wal_fresh_ms;
	/* The checkpointer's passes, counted; the writer's asking for one:
	 * it is wanted while is_asking and none has begun since asked_at. */
	unsigned int		 passes_begun, passes_done;
	int			 is_asking;
	unsigned int		 asked_at;	/* passes_begun then */
	/* The writer thread's own: */
	unsigned int		 restarts;	/* store_wal_restarts seen */
	int64_t			 passive_ms;	/* its last passive pass */
};

static size_t
take_batch(struct writer *w, struct writer_job **batch)
{
	size_t n = 0;

	while (w->head != NULL && n < WRITER_BATCH_MAX) {
		batch[n++] = w->head;
		w->head = w->head->next;
	}
	if (w->head == NULL)
		w->tail = NULL;
	w->queued -= n;
	return n;
}

/* Fisher-Yates with libsodium's unbiased randombytes_uniform. */
static void
shuffle(struct writer_job **batch, size_t n)
{
	size_t i, j;
	struct writer_job *t;

	for (i = n; i > 1; i--) {
		j = randombytes_uniform((uint32_t)i);
		t = batch[i - 1];
		batch[i - 1] = batch[j];
		batch[j] = t;
	}
}

static void
commit(struct writer *w, struct writer_job **batch, size_t n)
{
	struct store_submission subs[WRITER_BATCH_MAX];
	size_t i;
	int r;

	shuffle(batch, n);
	for (i = 0; i < n; i++)
		subs[i] = batch[i]->sub;
	/* Busy: another process rewrites the database; the batch waits. */
	while ((r = store_commit_batch(w->db, subs, n)) ==
	    GH_ERR_BUSY)
		log_warn("the database is busy; %zu answers wait", n);
	for (i = 0; i < n; i++) {
		batch[i]->sub.result = r == GH_OK ? subs[i].result : r;
		batch[i]->done(batch[i]);
	}
}

/*
 * After a commit (locked): notes a WAL started over, and prepares the
 * next start-over once WAL_RESTART_MS have passed (the file's comment):
 * asks the checkpointer for a pass, and once a pass begun after the
 * asking has ended, runs its own.
 */
static void
start_over(struct writer *w)
{
	unsigned int n = store_wal_restarts(w->db);
	int64_t now = gh_now_ms();

	if (n != w->restarts) {
		w->restarts = n;
		w->wal_fresh_ms = now;
	}
	if (now - w->wal_fresh_ms < WAL_RESTART_MS ||
	    now - w->passive_ms < WAL_RESTART_MS)
		return;
	if (!w->is_asking) {
		w->is_asking = 1;
		w->asked_at = w->passes_begun;
		pthread_cond_signal(&w->ckpt_wake);
		return;
	}
	/* Wrap-safe: has a pass begun after the asking ended? */
	if ((int)(w->passes_done - w->asked_at) <= 0)
		return;
	w->is_asking = 0;
	w->passive_ms = now;
	pthread_mutex_unlock(&w->lock);
	if (store_checkpoint(w->db, 0) != GH_OK)
		log_warn("checkpoint failed; will retry");
	pthread_mutex_lock(&w->lock);
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	struct writer_job *batch[WRITER_BATCH_MAX];
	size_t n;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == NULL && !w->is_stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->head == NULL && w->is_stopping)
			break;
		n = take_batch(w, batch);
		pthread_mutex_unlock(&w->lock);
		commit(w, batch, n);
		pthread_mutex_lock(&w->lock);
		start_over(w);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * One tick of the checkpointer (unlocked): a passive pass, and a
 * truncating one if the writer has not started the WAL over for
 * WAL_MAX_AGE_MS; every TIMES_MS, the files' times.
 */
static void
checkpoint_tick(struct writer *w, int64_t *times_ms, int *is_warned)
{
	int64_t now = gh_now_ms(), fresh;
	int e;

	pthread_mutex_lock(&w->lock);
	fresh = w->wal_fresh_ms;
	pthread_mutex_unlock(&w->lock);
	if (now - fresh >= WAL_MAX_AGE_MS) {
		if (store_checkpoint(w->ckpt_db, 1) != GH_OK)
			log_warn("checkpoint failed; will retry");
		else if (store_wal_is_empty(w->ckpt_db)) {
			pthread_mutex_lock(&w->lock);
			w->wal_fresh_ms = now;
			pthread_mutex_unlock(&w->lock);
		}
	} else if (store_checkpoint(w->ckpt_db, 0) != GH_OK)
		log_warn("checkpoint failed; will retry");
	if (now - *times_ms < TIMES_MS)
		return;
	*times_ms = now;
	if ((e = store_times_blur(w->time_fds)) != 0 && !*is_warned) {
		log_warn("cannot set the database files' times (is the "
		    "server's user their owner?): %s", strerror(e));
		*is_warned = 1;
	}
}

static void *
checkpoint_main(void *arg)
{
	struct writer *w = arg;
	struct timespec until;
	int64_t times_ms = 0;
	unsigned int pass;
	int is_warned = 0;

	pthread_mutex_lock(&w->lock);
	while (!w->is_stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += CHECKPOINT_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		/* Every CHECKPOINT_MS, or at once when the writer asks. */
		while (!w->is_stopping && !(w->is_asking &&
		    w->passes_begun == w->asked_at) &&
		    pthread_cond_timedwait(&w->ckpt_wake, &w->lock, &until) !=
		    ETIMEDOUT)
			;
		if (w->is_stopping)
			break;
		pass = ++w->passes_begun;
		pthread_mutex_unlock(&w->lock);
		checkpoint_tick(w, &times_ms, &is_warned);
		pthread_mutex_lock(&w->lock);
		w->passes_done = pass;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int
writer_start(const char *path, struct writer **out)
{
	struct writer *w;
	int r;

	*out = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return GH_ERR_NOMEM;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->ckpt_wake, NULL);
	for (r = 0; r < STORE_TIME_FILES; r++)
		w->time_fds[r] = -1;
	if ((r = store_open(path, STORE_WRITER, &w->db)) != GH_OK ||
	    (r = store_open(path, 0, &w->ckpt_db)) != GH_OK)
		goto fail;
	/* Now that connections are open, the -wal and -shm exist too. */
	store_times_open(path, w->time_fds);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		r = GH_ERR_NOMEM;
		goto fail;
	}
	if (pthread_create(&w->ckpt_thread, NULL, checkpoint_main, w) != 0) {
		pthread_mutex_lock(&w->lock);
		w->is_stopping = 1;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		r = GH_ERR_NOMEM;
		goto fail;
	}
	*out = w;
	return GH_OK;
fail:
	store_close(w->db);
	store_close(w->ckpt_db);
	store_times_close(w->time_fds);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->ckpt_wake);
	free(w);
	return r;
}

int
writer_submit(struct writer *w, struct writer_job *job)
{
	int r = GH_OK;

	job->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->is_stopping || w->queued >= WRITER_QUEUE_MAX) {
		r = GH_ERR_BUSY;
	} else {
		if (w->tail != NULL)
			w->tail->next = job;
		else
			w->head = job;
		w->tail = job;
		w->queued++;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return r;
}

void
writer_stop(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->is_stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_cond_signal(&w->ckpt_wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_join(w->ckpt_thread, NULL);
	if (store_checkpoint(w->ckpt_db, 1) != GH_OK)
		log_warn("final checkpoint failed; the WAL stays");
	(void)store_times_blur(w->time_fds);
	store_close(w->db);
	store_close(w->ckpt_db);
	w->db = w->ckpt_db = NULL;
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->ckpt_wake);
	/* Last: closing them drops this process's locks on the files. */
	store_times_close(w->time_fds);
	free(w);
}
