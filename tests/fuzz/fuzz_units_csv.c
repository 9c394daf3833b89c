/*
 * fuzz_units_csv.c: libFuzzer target for the units CSV a coordinator
 * pastes into the console (survey/units_csv.h).
 *
 * Any coordinator can send any text. The input is that text, raw.
 * Checked: a text is taken whole or not at all; taken units have names
 * of 1 to UNITS_CSV_NAME_MAX bytes with no NUL, unique, and head counts
 * in range; a refused text reports at least one problem, each on a line
 * that exists, and no units.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "survey/units_csv.h"
#include "fuzz.h"

#define ERRS 8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct units_csv_error errs[ERRS];
	struct units_csv_unit *u = NULL;
	size_t n = 0, n_errs = 0, lines = 1, i, j;
	int r;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	r = units_csv_parse((const char *)data, size, &u, &n, errs, ERRS,
	    &n_errs);
	if (r == GH_OK) {
		FUZZ_CHECK(n >= 1 && n <= UNITS_CSV_MAX && n_errs == 0);
		for (i = 0; i < n; i++) {
			size_t len = strlen(u[i].name);

			FUZZ_CHECK(len >= 1 && len <= UNITS_CSV_NAME_MAX);
			FUZZ_CHECK(u[i].head_count >= 0 &&
			    u[i].head_count <= UNITS_CSV_HEAD_MAX);
			for (j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(u[i].name, u[j].name) != 0);
		}
	} else {
		FUZZ_CHECK(r == GH_ERR_INVALID || r == GH_ERR_NOMEM);
		FUZZ_CHECK(u == NULL && n == 0);
		if (r == GH_ERR_INVALID) {
			FUZZ_CHECK(n_errs >= 1);
			for (i = 0; i < n_errs && i < ERRS; i++) {
				FUZZ_CHECK(errs[i].line >= 1 &&
				    errs[i].line <= lines);
				FUZZ_CHECK(errs[i].key != NULL);
			}
		}
	}
	free(u);
	return 0;
}
