/*
 * store_release.h: published releases: plaintext aggregates
 * only, as written by gehoord release, kept so that the server can
 * publish them and later releases of a wave are audited with earlier ones.
 * Implemented in store_release.c.
 */
#ifndef GH_STORE_RELEASE_H
#define GH_STORE_RELEASE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct release_file {
	const char	*name;		/* "tables.csv", ... */
	const uint8_t	*data;
	size_t		 len;
};

struct release_row {
	int64_t	 id;
	int64_t	 wave_id;
	int64_t	 created_day;
	int	 is_published;	/* on /research (store_publish.h) */
};

/*
 * Stores a release of wave with its files, MANIFEST and signature in one
 * transaction, published at once (gehoord release on the live
 * database); *id gets its id.
 */
int store_release_add(struct store *s, int64_t wave,
    const struct release_file *files, size_t n, const uint8_t *manifest,
    size_t manifest_len, const uint8_t *sig, size_t sig_len,
    int64_t *id) GH_WUR;

/* Calls fn for every release (of wave, or of all waves if wave is 0) in
 * id order. */
int store_release_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const struct release_row *r), void *arg) GH_WUR;

/*
 * Reads file name of release id into a new malloc'd buffer *data (NUL
 * added after len bytes). GH_ERR_NOT_FOUND.
 */
int store_release_file(struct store *s, int64_t id, const char *name,
    uint8_t **data, size_t *len) GH_WUR;

/*
 * Calls fn with the name and size of every file of release id in
 * release_files (not MANIFEST and MANIFEST.sig, which are in the
 * release's own row), in name order, without reading the files. Stops
 * early and returns fn's value if non-zero.
 */
int store_release_names(struct store *s, int64_t id,
    int (*fn)(void *arg, const char *name, size_t len), void *arg) GH_WUR;

#endif
