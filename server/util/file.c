/*
 * file.c: creating files durably (see file.h).
 *
 * Entry points: file_write_new (key files, the pepper, release files,
 * report-stats), file_replace (tally's counts, the release MANIFEST),
 * file_open_new, file_close_new and file_rename (link batches, written
 * through a FILE as OUT.tmp and renamed after the store call).
 * Data path: open(O_CREAT | O_EXCL, mode) -> fchmod(mode) -> write(2)
 * until all is written -> fsync -> close -> fsync of the directory (after
 * the rename, for file_replace). Any failure unlinks what was created.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/file.h"
#include "util/log.h"

#define TMP_SUFFIX	".tmp"

/* Writes all of data; returns 0 or -1 with errno. */
static int
write_full(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, p + done, len - done);
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

/*
 * Creates path exclusively with exactly mode into *fd. Returns GH_OK,
 * GH_ERR_EXISTS (not logged) or GH_ERR_IO; on failure nothing is left.
 */
static int
create_excl(const char *path, mode_t mode, int *fd)
{
	*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC,
	    mode);
	if (*fd == -1) {
		if (errno == EEXIST)
			return GH_ERR_EXISTS;
		log_error("%s: %s", path, strerror(errno));
		return GH_ERR_IO;
	}
	/* The umask may have taken bits away that the caller wants. */
	if (fchmod(*fd, mode) == -1) {
		log_error("chmod %s: %s", path, strerror(errno));
		close(*fd);
		*fd = -1;
		(void)unlink(path);
		return GH_ERR_IO;
	}
	return GH_OK;
}

/*
 * Creates path with mode, writes data, fsyncs and closes it (without the
 * directory). Returns GH_OK, GH_ERR_EXISTS or GH_ERR_IO; on failure
 * nothing is left at path.
 */
static int
write_synced(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = -1, rc, r;

	if ((r = create_excl(path, mode, &fd)) != GH_OK)
		return r;
	r = GH_ERR_IO;
	if (write_full(fd, data, len) == -1) {
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
	r = GH_OK;
out:
	if (fd != -1)
		close(fd);
	if (r != GH_OK)
		(void)unlink(path);
	return r;
}

int
file_write_new(const char *path, const void *data, size_t len, mode_t mode)
{
	int r;

	if ((r = write_synced(path, data, len, mode)) != GH_OK)
		return r;
	if ((r = fsync_dir_of(path)) != GH_OK)
		(void)unlink(path);
	return r;
}

int
file_replace(const char *path, const void *data, size_t len, mode_t mode)
{
	char *tmp = NULL;
	size_t n = strlen(path);
	int is_made = 0, r = GH_ERR_NOMEM;

	if ((tmp = malloc(n + sizeof(TMP_SUFFIX))) == NULL)
		goto out;
	memcpy(tmp, path, n);
	memcpy(tmp + n, TMP_SUFFIX, sizeof(TMP_SUFFIX));
	if ((r = write_synced(tmp, data, len, mode)) != GH_OK) {
		if (r == GH_ERR_EXISTS)
			log_error("%s exists: another writer, or left by a "
			    "crash (remove it)", tmp);
		goto out;
	}
	is_made = 1;
	r = GH_ERR_IO;
	if (rename(tmp, path) == -1) {
		log_error("rename %s: %s", path, strerror(errno));
		goto out;
	}
	is_made = 0;
	if ((r = fsync_dir_of(path)) != GH_OK)
		goto out;
	r = GH_OK;
out:
	if (is_made)
		(void)unlink(tmp);
	free(tmp);
	return r;
}

int
file_open_new(const char *path, mode_t mode, FILE **f)
{
	int fd = -1, r;

	*f = NULL;
	if ((r = create_excl(path, mode, &fd)) != GH_OK)
		return r;
	if ((*f = fdopen(fd, "w")) == NULL) {
		log_error("%s: %s", path, strerror(errno));
		close(fd);
		(void)unlink(path);
		return GH_ERR_NOMEM;
	}
	return GH_OK;
}

int
file_close_new(FILE *f, const char *path)
{
	int is_failed, e, r = GH_ERR_IO;

	is_failed = fflush(f) != 0 || fsync(fileno(f)) != 0;
	e = errno;
	if (fclose(f) != 0 && !is_failed) {
		is_failed = 1;
		e = errno;
	}
	if (is_failed) {
		log_error("%s: %s", path, strerror(e));
		goto out;
	}
	if ((r = fsync_dir_of(path)) != GH_OK)
		goto out;
	r = GH_OK;
out:
	if (r != GH_OK)
		(void)unlink(path);
	return r;
}

int
file_rename(const char *from, const char *to)
{
	if (rename(from, to) == -1) {
		log_error("rename %s: %s", to, strerror(errno));
		return GH_ERR_IO;
	}
	return fsync_dir_of(to);
}
