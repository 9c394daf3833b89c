/*
 * store_batch.c: a wave's token batches (store_batch.h), for the release
 * engine's unit labels and tokens issued per unit. Only the batches and
 * invitation_batches tables are read.
 * Statement: slot STORE_EXT_OTHER + 15 (store_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_batch.h"
#include "store/store_int.h"

#define ST_BATCHES	(STORE_EXT_OTHER + 15)

/* Invitation batches (store_invite.h) count as batches of their unit,
 * under the negative of their id so that the two kinds never share one. */
static const char sql_batches[] =
    "SELECT id, unit, size FROM batches WHERE wave_id = :wave "
    "UNION ALL SELECT -id, unit, size FROM invitation_batches "
    "WHERE wave_id = :wave ORDER BY 1";

struct row {
	int64_t	 id, issued;
	char	*unit;
};

static void
rows_free(struct row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].unit);
	free(rows);
}

int
store_batch_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const struct store_batch_row *b), void *arg)
{
	struct row *rows = NULL, *nr;
	struct store_batch_row b;
	sqlite3_stmt *st;
	const unsigned char *u;
	size_t n = 0, i;
	int rc, r = GH_ERR_NOMEM;

	if ((st = store_ext_stmt(s, ST_BATCHES, sql_batches)) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, store_param(st, ":wave"), wave);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nr = realloc(rows, (n + 1) * sizeof(*rows))) == NULL)
			goto out;
		rows = nr;
		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].id = sqlite3_column_int64(st, 0);
		rows[n].issued = sqlite3_column_int64(st, 2);
		u = sqlite3_column_text(st, 1);
		n++;
		if (u != NULL && (rows[n - 1].unit = strdup((const char *)u)) ==
		    NULL)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "reading the batches of a wave");
		goto out;
	}
	sqlite3_reset(st);
	st = NULL;
	r = GH_OK;
	for (i = 0; i < n && r == GH_OK; i++) {
		b.id = rows[i].id;
		b.unit = rows[i].unit;
		b.issued = rows[i].issued;
		r = fn(arg, &b);
	}
out:
	if (st != NULL)
		sqlite3_reset(st);
	rows_free(rows, n);
	return r;
}
