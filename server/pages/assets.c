/*
 * assets.c: lookup in the table of web/ files that the build generates
 * (server/deploy/embed.cmake writes web_assets[] into web_assets.c).
 *
 * Entry point: web_asset_find. The table holds a few dozen files, so a
 * linear search costs less than keeping an index.
 */
#include <string.h>

#include "pages/assets.h"

const struct web_asset *
web_asset_find(const char *name)
{
	const struct web_asset *a;

	if (name == NULL)
		return NULL;
	for (a = web_assets; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}
