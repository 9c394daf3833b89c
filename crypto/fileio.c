/*
 * fileio.c: reading the small secret files of crypto/.
 *
 * Entry point: fileio_read (pepper_load, keyfile_open, signkey_load).
 * Data path: file -> read(2) -> the caller's (normally sodium_malloc'd)
 * buffer; nothing else holds a copy. Syscall failures are logged here,
 * with the path and errno; the contents never. Writing is
 * util/file.h's file_write_new.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "fileio.h"
#include "util/log.h"

/* Reads until buf is full or end of file; returns 0 or -1 with errno. */
static int
read_full(int fd, uint8_t *buf, size_t bufsz, size_t *got)
{
	ssize_t n;

	*got = 0;
	while (*got < bufsz) {
		n = read(fd, buf + *got, bufsz - *got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/* Reads one more byte: 1 if there was one, 0 at end of file, -1 (errno). */
static int
has_more(int fd)
{
	uint8_t extra;
	ssize_t n;

	while ((n = read(fd, &extra, 1)) == -1 && errno == EINTR)
		;
	sodium_memzero(&extra, sizeof(extra));
	return n == -1 ? -1 : n == 1;
}

int
fileio_read(const char *path, uint8_t *buf, size_t bufsz, size_t *len,
    mode_t *mode)
{
	struct stat st;
	int fd = -1, more, r = GH_ERR_IO;

	*len = 0;
	/* O_NONBLOCK: a FIFO planted at path must not hang us in open. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			r = GH_ERR_NOT_FOUND;
		else
			log_error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1) {
		log_error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		log_error("%s: not a regular file", path);
		r = GH_ERR_INVALID;
		goto out;
	}
	if (read_full(fd, buf, bufsz, len) == -1) {
		log_error("%s: %s", path, strerror(errno));
		goto out;
	}
	/* One more byte tells exactly bufsz from a longer file. */
	if (*len == bufsz && (more = has_more(fd)) != 0) {
		if (more == -1)
			log_error("%s: %s", path, strerror(errno));
		else
			r = GH_ERR_TOO_LARGE;
		goto out;
	}
	if (mode != NULL)
		*mode = st.st_mode;
	r = GH_OK;
out:
	if (fd != -1)
		close(fd);
	if (r != GH_OK) {
		if (bufsz > 0)
			sodium_memzero(buf, bufsz);
		*len = 0;
	}
	return r;
}
