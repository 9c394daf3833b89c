/*
 * fileio.h: how crypto/ reads its small secret files, internal to it.
 *
 * crypto/ reads only small secret files (the pepper, wave key files,
 * signing keys). Reads go straight into the caller's buffer with read(2),
 * so no stdio buffer keeps a copy of a secret. Writes are
 * util/file.h's file_write_new with mode 0600 (O_EXCL, made durable).
 * Not part of crypto's public API: no header outside crypto/ includes it.
 */
#ifndef GH_FILEIO_H
#define GH_FILEIO_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * Reads the regular file at path into buf (at most bufsz bytes), setting
 * *len to the bytes read and, if mode is not NULL, *mode to its st_mode.
 * Returns GH_OK, GH_ERR_NOT_FOUND (not logged: the caller decides),
 * GH_ERR_INVALID (not a regular file), GH_ERR_TOO_LARGE (longer than
 * bufsz) or GH_ERR_IO. buf is wiped on failure.
 */
int fileio_read(const char *path, uint8_t *buf, size_t bufsz, size_t *len,
    mode_t *mode) GH_WUR;

#endif
