/*
 * strmap.h: a string -> index map (strmap.c), used by the release engine
 * for its cell keys and relations (cells.c, compare.c).
 */
#ifndef GH_RELEASE_STRMAP_H
#define GH_RELEASE_STRMAP_H

#include <stddef.h>

#include "util/err.h"

struct strmap;

struct strmap *strmap_new(void);
void strmap_free(struct strmap *h);
/* Returns 1 and sets *val if key is there, else 0. */
int strmap_get(const struct strmap *h, const char *key, size_t *val);
/* Adds key (copied) -> val; GH_OK or GH_ERR_NOMEM. */
int strmap_put(struct strmap *h, const char *key, size_t val) GH_WUR;

#endif
