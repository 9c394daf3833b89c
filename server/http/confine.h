/*
 * confine.h: confinement of `gehoord serve`.
 *
 * Start-up may open files and bind the socket, as root if need be. Once
 * that is done the server gives root up for good (confine_drop_user) and
 * installs a seccomp filter (confine_seccomp) that allows only the system
 * calls serving needs; any other call kills the whole process with
 * SIGSYS. The allow-list lives in confine.c, grouped by why each call is
 * needed. The serving process never holds a wave secret key: there is
 * nothing to confine around one.
 *
 * Order: confine_prepare, then confine_drop_user, then confine_seccomp.
 * Each applies to every thread of the process, also those started before.
 */
#ifndef GH_HTTP_CONFINE_H
#define GH_HTTP_CONFINE_H

#include "util/err.h"

/*
 * Does now, while files can still be opened, what glibc and SQLite would
 * otherwise do lazily once the sandbox refuses to open files: loads the
 * time zone, seeds SQLite's random generator, and fsyncs the directory of
 * db_path so that the entries of the WAL and shared-memory files SQLite
 * created are durable. Returns GH_OK or GH_ERR_IO (logged).
 */
int confine_prepare(const char *db_path) GH_WUR;

/*
 * Switches the process, all threads, to user's uid and primary group with
 * no supplementary groups, checks that root cannot be regained, and sets
 * no_new_privs. Not running as root, it only accepts the user it already
 * is. Returns GH_OK; GH_ERR_USAGE for an unknown user, root, or a change
 * that needs root; GH_ERR_IO if the kernel refused (all logged).
 */
int confine_drop_user(const char *user, const char *db_path) GH_WUR;

/*
 * Installs the allow-list on every thread of the process (and sets
 * no_new_privs). Cannot be undone. Returns GH_OK or GH_ERR_IO (logged).
 */
int confine_seccomp(void) GH_WUR;

#endif
