/*
 * retain_job.h: the daily retention run of gehoord serve: a thread with
 * its own database connection that runs report_expire_run
 * (report/report_expire.h) once at start-up and then every 24 hours,
 * until stopped. Implemented in retain_job.c.
 */
#ifndef GH_RETAIN_JOB_H
#define GH_RETAIN_JOB_H

#include "util/err.h"

#define RETAIN_JOB_PERIOD_S	86400L	/* 24 hours */

struct retain_job;

/* Opens a connection to db_path and starts the thread into *out.
 * GH_ERR_DB (logged) or GH_ERR_NOMEM. */
int retain_job_start(const char *db_path, struct retain_job **out) GH_WUR;

/* Stops the thread (waiting out a run in progress), closes its
 * connection and frees j; accepts NULL. */
void retain_job_stop(struct retain_job *j);

#endif
