/*
 * console_preview.h: reads a suppression pattern, the file that
 * gehoord release --dry-run writes (cli/release_pattern.c), uploaded in
 * the console to be shown as a grid per table. The bytes come from an
 * upload and are checked whole: the format, every size below, every
 * string (UTF-8, at most PREVIEW_TEXT_MAX bytes) and that each row has
 * one mark per column. The file holds no count: only which cells would
 * be suppressed.
 *
 *   {"format": 1, "kind": "suppression_pattern", "wave": NAME, "k": K,
 *    "tables": [{"id": TABLE, "columns": [CATEGORY, ...],
 *                "rows": [{"group": GROUP, "suppressed": [BOOL, ...]}]}]}
 */
#ifndef GH_HTTP_CONSOLE_PREVIEW_H
#define GH_HTTP_CONSOLE_PREVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "pages/console_release.h"

#define PREVIEW_TABLES_MAX	200	/* as a plan's tables */
#define PREVIEW_COLS_MAX	500
#define PREVIEW_ROWS_MAX	5000
#define PREVIEW_CELLS_MAX	((size_t)200000)	/* in all tables */
#define PREVIEW_TEXT_MAX	200	/* bytes of a name */

struct console_preview {
	char				*wave;
	int				 k;
	struct console_preview_table	*tables;
	size_t				 n_tables;
};

/*
 * Parses len bytes into *out (free with console_preview_free, also on
 * failure). GH_OK, GH_ERR_INVALID (not a pattern, or over a limit) or
 * GH_ERR_NOMEM.
 */
int console_preview_parse(const uint8_t *data, size_t len,
    struct console_preview *out) GH_WUR;

/* Frees what out holds; accepts a zeroed one. */
void console_preview_free(struct console_preview *out);

#endif
