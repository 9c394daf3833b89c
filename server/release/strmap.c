/*
 * strmap.c: a string -> index map for the release engine's cell keys and
 * relations (strmap.h): open addressing, FNV-1a, doubled at half full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "release/strmap.h"

struct slot {
	char	*key;
	size_t	 val;
};

struct strmap {
	struct slot	*slots;
	size_t		 n, cap;	/* cap: a power of two */
};

static size_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

struct strmap *
strmap_new(void)
{
	struct strmap *h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->cap = 1024;
	if ((h->slots = calloc(h->cap, sizeof(*h->slots))) == NULL) {
		free(h);
		return NULL;
	}
	return h;
}

void
strmap_free(struct strmap *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->cap; i++)
		free(h->slots[i].key);
	free(h->slots);
	free(h);
}

static struct slot *
find(const struct strmap *h, const char *key)
{
	size_t i = fnv(key) & (h->cap - 1);

	while (h->slots[i].key != NULL && strcmp(h->slots[i].key, key) != 0)
		i = (i + 1) & (h->cap - 1);
	return &h->slots[i];
}

int
strmap_get(const struct strmap *h, const char *key, size_t *val)
{
	const struct slot *s = find(h, key);

	if (s->key == NULL)
		return 0;
	*val = s->val;
	return 1;
}

static int
grow(struct strmap *h)
{
	struct strmap n = { NULL, 0, h->cap * 2 };
	size_t i;

	if ((n.slots = calloc(n.cap, sizeof(*n.slots))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < h->cap; i++)
		if (h->slots[i].key != NULL)
			*find(&n, h->slots[i].key) = h->slots[i];
	free(h->slots);
	h->slots = n.slots;
	h->cap = n.cap;
	return GH_OK;
}

int
strmap_put(struct strmap *h, const char *key, size_t val)
{
	struct slot *s;

	if (2 * (h->n + 1) > h->cap && grow(h) != GH_OK)
		return GH_ERR_NOMEM;
	s = find(h, key);
	if (s->key == NULL) {
		if ((s->key = strdup(key)) == NULL)
			return GH_ERR_NOMEM;
		h->n++;
	}
	s->val = val;
	return GH_OK;
}
