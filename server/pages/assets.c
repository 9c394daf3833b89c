/*
 * assets.c: lookup in the table of web/ files that the build generates
 * (server/deploy/embed.cmake writes web_assets[] into web_assets.c).
 *
 * Entry point: web_asset_find. The table holds about two hundred files
 * and every template a page renders is looked up by name (a survey page:
 * one per question and option), so the first call sorts pointers to the
 * table's entries by name (once, pthread_once) and every call searches
 * them by halves. The table itself is not sorted: files named by the
 * build's EXTRA list follow those of web/.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pages/assets.h"

static const struct web_asset	**asset_index;	/* by name, or NULL */
static size_t			  asset_n;
static pthread_once_t		  asset_once = PTHREAD_ONCE_INIT;

static int
asset_cmp(const void *a, const void *b)
{
	const struct web_asset *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* Makes the sorted index; without memory the lookup stays linear. */
static void
asset_index_make(void)
{
	const struct web_asset **ix;
	size_t i, n = 0;

	while (web_assets[n].name != NULL)
		n++;
	/* An array of pointers, sized by its element (not a struct). */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if ((ix = calloc(n > 0 ? n : 1, sizeof(*ix))) == NULL)
		return;
	for (i = 0; i < n; i++)
		ix[i] = &web_assets[i];
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	qsort(ix, n, sizeof(*ix), asset_cmp);
	asset_n = n;
	asset_index = ix;
}

const struct web_asset *
web_asset_find(const char *name)
{
	const struct web_asset *a;
	size_t lo = 0, hi, mid;
	int c;

	if (name == NULL)
		return NULL;
	(void)pthread_once(&asset_once, asset_index_make);
	if (asset_index == NULL) {
		for (a = web_assets; a->name != NULL; a++)
			if (strcmp(a->name, name) == 0)
				return a;
		return NULL;
	}
	for (hi = asset_n; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(name, asset_index[mid]->name)) == 0)
			return asset_index[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
