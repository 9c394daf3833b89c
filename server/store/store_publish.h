/*
 * store_publish.h: releases uploaded in the coordinator's console. A
 * release made by the key holders on a copy of the database is uploaded
 * (its files checked against the instance's release key first, by the
 * caller), stored pending, and published by a second action; only a
 * published release is on /research (store_release_row.is_published).
 * Implemented in store_publish.c.
 */
#ifndef GH_STORE_PUBLISH_H
#define GH_STORE_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_release.h"

/* A release as the console lists it. */
struct publish_row {
	int64_t	 id;
	int64_t	 wave_id;
	int64_t	 created_day;
	int64_t	 published_day;	/* -1: pending */
};

/*
 * Stores a release of wave with its files, MANIFEST and signature in one
 * transaction, pending (not on /research); *id gets its id.
 * GH_ERR_NOT_FOUND: no such wave; GH_ERR_INVALID: a file given twice.
 */
int store_publish_add_pending(struct store *s, int64_t wave,
    const struct release_file *files, size_t n, const uint8_t *manifest,
    size_t manifest_len, const uint8_t *sig, size_t sig_len,
    int64_t *id) GH_WUR;

/*
 * Publishes pending release id today. GH_ERR_NOT_FOUND: no such
 * release; GH_ERR_EXISTS: published already. *wave gets its wave.
 */
int store_publish_set(struct store *s, int64_t id, int64_t *wave) GH_WUR;

/* Calls fn for every release, newest first (at most max). */
int store_publish_foreach(struct store *s, size_t max,
    int (*fn)(void *arg, const struct publish_row *r), void *arg) GH_WUR;

#endif
