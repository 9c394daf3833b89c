/*
 * assets.h: the files of web/, compiled into the binary by the build
 * (server/deploy/embed.cmake), so serve needs no files at run time.
 */
#ifndef GH_ASSETS_H
#define GH_ASSETS_H

#include <stddef.h>

struct web_asset {
	const char		*name;	/* file name in web/, e.g. "style.css" */
	const unsigned char	*data;	/* NUL-terminated after len bytes */
	size_t			 len;
};

/* The table, ended by an entry whose name is NULL. */
extern const struct web_asset web_assets[];

/* Returns the asset with this file name, or NULL. */
const struct web_asset *web_asset_find(const char *name);

#endif
