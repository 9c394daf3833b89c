/*
 * attach_confine.h: the confinement of a cleaning worker, a child that
 * decodes one untrusted file (attach_worker.c).
 *
 * Once confined, the worker can compute, allocate memory (up to a
 * limit), run its own threads and write to descriptors it already holds:
 * its result pipe and stderr. It cannot open a file, create a socket or
 * connect anywhere, start a program, fork a process, trace one, or change
 * its credentials; such a call either fails (opening a file: libraries
 * try that on their own and cope) or kills the worker with SIGSYS. The
 * allow-list lives in attach_confine.c, grouped by why each call is
 * needed.
 */
#ifndef GH_REPORT_ATTACH_CONFINE_H
#define GH_REPORT_ATTACH_CONFINE_H

#include "util/err.h"

#define ATTACH_WORKER_MEM	(1024ULL * 1024 * 1024)	/* RLIMIT_AS */
#define ATTACH_WORKER_CPU	10	/* seconds, RLIMIT_CPU */

/*
 * Sets the worker's resource limits: address space ATTACH_WORKER_MEM
 * (not in sanitizer builds, whose shadow memory needs terabytes of
 * address space), CPU time ATTACH_WORKER_CPU seconds, no core dump
 * (it would hold the file). Returns GH_OK or
 * GH_ERR_IO.
 */
int attach_confine_limits(void) GH_WUR;

/*
 * Sets no_new_privs and installs the worker's allow-list on every thread
 * of the calling process. Cannot be undone. Returns GH_OK or GH_ERR_IO.
 */
int attach_confine_seccomp(void) GH_WUR;

#endif
