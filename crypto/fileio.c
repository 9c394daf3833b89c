/*
 * fileio.c: reading and creating the small secret files of crypto/.
 *
 * Entry points: fileio_read (pepper_load, keyfile_open) and
 * fileio_write_new (pepper_load when creating, keyfile_create).
 * Data path: file -> read(2) -> the caller's (normally sodium_malloc'd)
 * buffer, and back: caller's buffer -> write(2) -> fsync -> fsync of the
 * directory, so a crash right after success cannot lose a key. Syscall
 * failures are logged here, with the path and errno; the contents never.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
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

/* Writes all of buf; returns 0 or -1 with errno. */
static int
write_full(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n;
	size_t done = 0;

	while (done < len) {
		n = write(fd, buf + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Fsyncs the directory holding path, so a new entry survives a crash. */
static int
fsync_dir_of(const char *path)
{
	const char *slash;
	char *dir = NULL;
	int fd = -1, r = GH_ERR_IO;

	if ((slash = strrchr(path, '/')) == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_error("%s: %s", dir, strerror(errno));
		goto out;
	}
	/* Some file systems cannot sync a directory; that is no failure. */
	if (fsync(fd) == -1 && errno != EINVAL) {
		log_error("fsync %s: %s", dir, strerror(errno));
		goto out;
	}
	r = GH_OK;
out:
	if (fd != -1)
		close(fd);
	free(dir);
	return r;
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

int
fileio_write_new(const char *path, const uint8_t *buf, size_t len)
{
	int fd = -1, created = 0, rc, r = GH_ERR_IO;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		if (errno == EEXIST)
			r = GH_ERR_EXISTS;
		else
			log_error("%s: %s", path, strerror(errno));
		goto out;
	}
	created = 1;
	if (write_full(fd, buf, len) == -1) {
		log_error("write %s: %s", path, strerror(errno));
		goto out;
	}
	if (fsync(fd) == -1) {
		log_error("fsync %s: %s", path, strerror(errno));
		goto out;
	}
	rc = close(fd);
	fd = -1;
	if (rc == -1) {
		log_error("close %s: %s", path, strerror(errno));
		goto out;
	}
	if ((r = fsync_dir_of(path)) != GH_OK)
		goto out;
	r = GH_OK;
out:
	if (fd != -1)
		close(fd);
	if (r != GH_OK && created && unlink(path) == -1)
		log_error("%s: cannot remove the partial file: %s", path,
		    strerror(errno));
	return r;
}
