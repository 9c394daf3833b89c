/*
 * fuzz_console_preview.c: libFuzzer target for the suppression pattern a
 * coordinator uploads to the console (http/console_preview.h).
 *
 * Any coordinator can upload any bytes. The input is the file, raw.
 * Checked: a taken pattern has 1 to PREVIEW_TABLES_MAX tables, each with
 * 1 to PREVIEW_COLS_MAX columns and 1 to PREVIEW_ROWS_MAX rows, names of
 * 1 to PREVIEW_TEXT_MAX bytes, marks of 0 or 1, at most
 * PREVIEW_CELLS_MAX cells in all; a refused one holds nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/console_preview.h"
#include "fuzz.h"

static void
check_name(const char *s)
{
	size_t n;

	FUZZ_CHECK(s != NULL);
	n = strlen(s);
	FUZZ_CHECK(n >= 1 && n <= PREVIEW_TEXT_MAX);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct console_preview pv;
	size_t i, j, cells = 0;
	int r;

	r = console_preview_parse(data, size, &pv);
	if (r == GH_OK) {
		check_name(pv.wave);
		FUZZ_CHECK(pv.n_tables >= 1 &&
		    pv.n_tables <= PREVIEW_TABLES_MAX);
		for (i = 0; i < pv.n_tables; i++) {
			const struct console_preview_table *t = &pv.tables[i];

			check_name(t->id);
			FUZZ_CHECK(t->n_cols >= 1 &&
			    t->n_cols <= PREVIEW_COLS_MAX);
			FUZZ_CHECK(t->n_rows >= 1 &&
			    t->n_rows <= PREVIEW_ROWS_MAX);
			for (j = 0; j < t->n_cols; j++)
				check_name(t->cols[j]);
			for (j = 0; j < t->n_rows; j++)
				check_name(t->rows[j]);
			for (j = 0; j < t->n_rows * t->n_cols; j++)
				FUZZ_CHECK(t->is_suppressed[j] <= 1);
			cells += t->n_rows * t->n_cols;
		}
		FUZZ_CHECK(cells <= PREVIEW_CELLS_MAX);
	} else
		FUZZ_CHECK(r == GH_ERR_INVALID || r == GH_ERR_NOMEM);
	console_preview_free(&pv);
	FUZZ_CHECK(pv.tables == NULL && pv.wave == NULL && pv.n_tables == 0);
	return 0;
}
