/*
 * release_files.c: writes a release's files, signs and stores them
 * (release.h, release_publish).
 *
 * Data path: every file is made in memory first (tables, codebook,
 * audit); then the directory is made (or an empty one taken), each file
 * written new (O_EXCL, mode 0644, fsync'd), the MANIFEST signed
 * (manifest_write: MANIFEST, MANIFEST.sig, release-key.pub) and all of it
 * stored in the database in one transaction (store_release_add). Any
 * failure removes every file written and the directory if made here, so
 * a failed release leaves nothing behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "release/manifest.h"
#include "release/release.h"
#include "store/store_release.h"
#include "util/file.h"

enum { F_CSV, F_JSON, F_CODEBOOK_JSON, F_CODEBOOK_CSV, F_AUDIT, F_N };

static const char *const names[F_N] = {
	"tables.csv", "tables.json", "codebook.json", "codebook.csv",
	"audit.json",
};
/* Written by manifest_write; removed on failure too. */
static const char *const signed_names[] = {
	"MANIFEST", "MANIFEST.sig", "release-key.pub",
};

/* Makes out, or takes it if it is an empty directory. */
static int
dir_take(const char *out, int *is_made)
{
	DIR *dir;
	struct dirent *e;
	int is_empty = 1;

	*is_made = 0;
	if (mkdir(out, 0755) == 0) {
		*is_made = 1;
		return GH_OK;
	}
	if (errno != EEXIST || (dir = opendir(out)) == NULL) {
		fprintf(stderr, "gehoord release: --out: %s: %s\n", out,
		    strerror(errno));
		return GH_ERR_IO;
	}
	while ((e = readdir(dir)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			is_empty = 0;
	closedir(dir);
	if (!is_empty) {
		fprintf(stderr, "gehoord release: --out: %s is not empty\n",
		    out);
		return GH_ERR_EXISTS;
	}
	return GH_OK;
}

/* Writes out/name new (never over a file), mode 0644, made durable. */
static int
file_write(const char *out, const char *name, const struct buf *b)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", out, name);
	if ((rc = file_write_new(path, b->data, b->len, 0644)) ==
	    GH_ERR_EXISTS)
		fprintf(stderr, "gehoord release: %s: exists already\n", path);
	return rc == GH_OK ? GH_OK : GH_ERR_IO;
}

static void
cleanup(const char *out, int is_made)
{
	char path[4096];
	size_t i;

	for (i = 0; i < F_N; i++) {
		snprintf(path, sizeof(path), "%s/%s", out, names[i]);
		(void)unlink(path);
	}
	for (i = 0; i < sizeof(signed_names) / sizeof(*signed_names); i++) {
		snprintf(path, sizeof(path), "%s/%s", out, signed_names[i]);
		(void)unlink(path);
	}
	if (is_made)
		(void)rmdir(out);
}

/* Reads release-key.pub back for the store. */
static int
pub_read(const char *out, struct buf *b)
{
	char path[4096], chunk[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/release-key.pub", out);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return GH_ERR_IO;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(b, chunk, (size_t)n);
	close(fd);
	return n < 0 ? GH_ERR_IO : buf_is_failed(b) ? GH_ERR_NOMEM : GH_OK;
}

static int
store(struct release *rl, const char *out, struct buf *bufs,
    const struct buf *manifest, const struct buf *sig, int64_t *id)
{
	struct release_file files[F_N + 1];
	size_t i;
	int rc;

	if ((rc = pub_read(out, &bufs[F_N])) != GH_OK)
		return rc;
	for (i = 0; i <= F_N; i++) {
		files[i].name = i < F_N ? names[i] : "release-key.pub";
		files[i].data = (const uint8_t *)bufs[i].data;
		files[i].len = bufs[i].len;
	}
	return store_release_add(rl->s, rl->w->id, files, F_N + 1,
	    (const uint8_t *)manifest->data, manifest->len,
	    (const uint8_t *)sig->data, sig->len, id);
}

int
release_publish(struct release *rl, const char *out, const uint8_t *sk,
    int64_t *id)
{
	struct buf bufs[F_N + 1], manifest, sig;
	size_t i;
	int rc, is_made = 0;

	memset(bufs, 0, sizeof(bufs));
	memset(&manifest, 0, sizeof(manifest));
	memset(&sig, 0, sizeof(sig));
	if ((rc = release_tables_write(rl, &bufs[F_CSV], &bufs[F_JSON])) !=
	    GH_OK ||
	    (rc = release_codebook_write(rl, &bufs[F_CODEBOOK_JSON],
	    &bufs[F_CODEBOOK_CSV])) != GH_OK ||
	    (rc = release_audit_write(rl, &bufs[F_AUDIT])) != GH_OK)
		goto out;
	if ((rc = dir_take(out, &is_made)) != GH_OK)
		goto out;
	for (i = 0; i < F_N && rc == GH_OK; i++)
		rc = file_write(out, names[i], &bufs[i]);
	if (rc == GH_OK)
		rc = manifest_write(out, names, F_N, sk, &manifest, &sig);
	if (rc == GH_OK)
		rc = store(rl, out, bufs, &manifest, &sig, id);
	if (rc != GH_OK)
		cleanup(out, is_made);
out:
	for (i = 0; i <= F_N; i++)
		buf_free(&bufs[i]);
	buf_free(&manifest);
	buf_free(&sig);
	return rc;
}
