/*
 * file.h: the one way gehoord writes a file it must not lose: key files,
 * the pepper, release files, tallies, the council's statistics and
 * batches of one-time links.
 *
 * Every writer here creates with O_EXCL (an existing path, a symbolic
 * link included, is never followed or overwritten), gives the file exactly
 * the mode asked for (fchmod, whatever the umask), writes all of it, and
 * fsyncs the file and then its directory before reporting success, so a
 * crash right after success loses nothing. On failure the file it created
 * is removed again: no partial file is left behind. Failures of a system
 * call are logged once here, with the path and errno, never the contents;
 * GH_ERR_EXISTS is not logged, so the caller can say what it refuses to
 * overwrite. Data goes straight from the caller's buffer to write(2), so
 * no stdio buffer keeps a copy of a secret (file_open_new is the exception,
 * for callers that print through a FILE).
 */
#ifndef GH_FILE_H
#define GH_FILE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

/*
 * Creates path (it must not exist) with mode, writes the len bytes of
 * data and makes it durable. Returns GH_OK, GH_ERR_EXISTS, GH_ERR_IO or
 * GH_ERR_NOMEM.
 */
int file_write_new(const char *path, const void *data, size_t len,
    mode_t mode) GH_WUR;

/*
 * Replaces path (or creates it) in one step: writes path.tmp as
 * file_write_new does, renames it over path and fsyncs the directory, so
 * a reader sees the old contents or the new, never a part. Returns GH_OK,
 * GH_ERR_EXISTS (path.tmp exists: another writer or a crash left it),
 * GH_ERR_IO or GH_ERR_NOMEM; on failure path is unchanged and no path.tmp
 * of ours is left.
 */
int file_replace(const char *path, const void *data, size_t len,
    mode_t mode) GH_WUR;

/*
 * Creates path (it must not exist) with mode and opens it for writing
 * into *f; finish with file_close_new. Returns GH_OK, GH_ERR_EXISTS,
 * GH_ERR_IO or GH_ERR_NOMEM; *f is NULL on failure.
 */
int file_open_new(const char *path, mode_t mode, FILE **f) GH_WUR;

/*
 * Flushes, fsyncs and closes f (from file_open_new for path, closed even
 * if a step fails) and fsyncs the directory. Returns GH_OK or GH_ERR_IO,
 * in which case path is removed.
 */
int file_close_new(FILE *f, const char *path) GH_WUR;

/*
 * Renames from to to (replacing to if it exists) and fsyncs the
 * directory of to. Returns GH_OK, GH_ERR_IO or GH_ERR_NOMEM.
 */
int file_rename(const char *from, const char *to) GH_WUR;

#endif
