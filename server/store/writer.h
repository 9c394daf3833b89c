/*
 * writer.h: the single writer thread that makes submissions durable.
 *
 * Request threads seal an answer (the CPU cost) and hand the blob here.
 * The writer takes everything queued, shuffles it (so insertion order says
 * nothing about who submitted when), spends each token and inserts each
 * blob in one transaction with synchronous=FULL, and only then reports
 * each job's result through its callback. There is no batching window:
 * the next commit starts as soon as the previous one ends.
 * A second thread copies the WAL into the database every CHECKPOINT_MS
 * without holding the writer off; the writer starts the WAL over at
 * least every WAL_RESTART_MS, which cuts the -wal file to the commit
 * after, and the checkpointer truncates it should that not happen for
 * WAL_MAX_AGE_MS (writer.c), so that no frame of an earlier commit stays
 * in it; every 500 ms it sets the files' times to the start of the day
 * (store_times_blur). While
 * another process holds the database (gehoord relayout), batches wait
 * and are tried again; nothing is answered before it is durable.
 */
#ifndef GH_WRITER_H
#define GH_WRITER_H

#include "store/store.h"
#include "util/err.h"

#define WRITER_BATCH_MAX	256	/* jobs per transaction */
#define WRITER_QUEUE_MAX	4096	/* jobs waiting; more is GH_ERR_BUSY */

struct writer;

/* A submission waiting to be made durable; owned by the caller. */
struct writer_job {
	struct store_submission	 sub;
	/* Called on the writer thread once the job's batch is durable (or
	 * failed) with sub.result set; must not block. */
	void			(*done)(struct writer_job *job);
	void			*arg;
	struct writer_job	*next;	/* the writer's queue link */
};

/*
 * Opens the writer's and the checkpointer's connections to path and
 * starts both threads. Returns GH_OK, GH_ERR_DB or GH_ERR_NOMEM.
 */
int writer_start(const char *path, struct writer **out) GH_WUR;

/*
 * Queues job; its done callback will run exactly once, on the writer
 * thread. Returns GH_OK, or GH_ERR_BUSY (queue full or stopping; done will
 * not run).
 */
int writer_submit(struct writer *w, struct writer_job *job) GH_WUR;

/*
 * Refuses new jobs, finishes every queued one, stops both threads and
 * checkpoints. Later writer_submit calls get GH_ERR_BUSY; the struct stays
 * valid until writer_free, so late request threads can still call it.
 */
void writer_stop(struct writer *w);

/* Frees a writer after writer_stop; accepts NULL. */
void writer_free(struct writer *w);

#endif
