/*
 * report_expire.c: the retention of reports run against the store
 * (report_expire.h).
 *
 * Entry points: report_retain_in, report_expire_run,
 * report_retain_extend, report_retain_soon, report_retain_last_day.
 *
 * Data path of a run: store_retain_foreach (every live report's days and
 * forms) -> retain_is_expired (retain.c) -> the ids of the expired ones,
 * collected first so no write runs under the open read -> for each,
 * store_report_expire (the destruction withdrawal uses, keeping the
 * tombstone) -> store_checkpoint_wait, so no old page stays in the WAL.
 * Nothing here logs a report's id, reference or text.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_expire.h"
#include "util/log.h"

void
report_retain_in(const struct store_retain_row *r, struct retain_in *in)
{
	char buf[STORE_RETAIN_FORMS_MAX + 1], *save = NULL, *tok;
	const char *forms[16];
	size_t n = 0;

	memcpy(buf, r->forms, sizeof(buf));
	for (tok = strtok_r(buf, " ", &save); tok != NULL && n < 16;
	    tok = strtok_r(NULL, " ", &save))
		forms[n++] = tok;
	memset(in, 0, sizeof(*in));
	in->is_closed = r->status == REPORT_CLOSED;
	in->closed = r->closed;
	in->aftercare1 = r->aftercare1;
	in->aftercare3 = r->aftercare3;
	in->second_opinion = r->second_opinion;
	in->keep_until = r->keep_until;
	in->months = retain_months_of_forms(forms, n);
}

/* The ids of the expired reports, gathered by collect. */
struct expired {
	int64_t		 today;
	void		(*progress)(void *, const struct store_retain_row *,
			    int64_t);
	void		*arg;
	struct report_expire_stats *stats;
	uint8_t		(*ids)[REPORT_ID_BYTES];
	size_t		 n, cap;
};

static int
collect(void *arg, const struct store_retain_row *r)
{
	struct expired *e = arg;
	struct retain_in in;
	void *p;

	e->stats->checked++;
	report_retain_in(r, &in);
	if (!retain_is_expired(&in, e->today))
		return GH_OK;
	e->stats->expired++;
	if (e->progress != NULL)
		e->progress(e->arg, r, retain_last_day(&in));
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 16;
		if ((p = realloc(e->ids, e->cap * REPORT_ID_BYTES)) == NULL)
			return GH_ERR_NOMEM;
		e->ids = p;
	}
	memcpy(e->ids[e->n++], r->id, REPORT_ID_BYTES);
	return GH_OK;
}

int
report_expire_run(struct store *s, int64_t today, int is_dry_run,
    void (*progress)(void *arg, const struct store_retain_row *r,
    int64_t last_day), void *arg, struct report_expire_stats *stats)
{
	struct expired e;
	size_t i;
	int r, rc;

	memset(stats, 0, sizeof(*stats));
	memset(&e, 0, sizeof(e));
	e.today = today;
	e.progress = progress;
	e.arg = arg;
	e.stats = stats;
	if ((r = store_retain_foreach(s, collect, &e)) != GH_OK || is_dry_run)
		goto out;
	for (i = 0; i < e.n; i++) {
		rc = store_report_expire(s, e.ids[i], today);
		/* Withdrawn or expired meanwhile: nothing left to destroy. */
		if (rc == GH_ERR_CLOSED || rc == GH_ERR_NOT_FOUND)
			continue;
		if (rc != GH_OK) {
			log_error("destroying an expired report failed: %s",
			    gh_err_str(rc));
			stats->failed++;
			if (r == GH_OK)
				r = rc;
		}
	}
	if (e.n > 0 && store_checkpoint_wait(s) != GH_OK) {
		log_warn("checkpoint after expiry failed; the next one "
		    "removes the old pages");
		if (r == GH_OK)
			r = GH_ERR_BUSY;
	}
out:
	free(e.ids);
	return r;
}

int
report_retain_last_day(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t *last, struct store_retain_row *row)
{
	struct retain_in in;
	int r;

	*last = RETAIN_NEVER;
	if ((r = store_retain_get(s, id, row)) != GH_OK)
		return r;
	report_retain_in(row, &in);
	*last = retain_last_day(&in);
	return GH_OK;
}

int
report_retain_extend(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *reason, int64_t today, int64_t *until)
{
	struct store_retain_row row;
	struct retain_in in;
	int r;

	*until = RETAIN_NEVER;
	if (!retain_reason_is_valid(reason))
		return GH_ERR_INVALID;
	if ((r = store_retain_get(s, id, &row)) != GH_OK)
		return r;
	report_retain_in(&row, &in);
	*until = retain_extend(&in, today);
	return store_retain_extend(s, id, *until, reason);
}

/* The reports expiring soon, gathered to be sorted. */
struct soon_item {
	struct store_retain_row	row;
	int64_t			last;
};

struct soon {
	int64_t			 today;
	struct soon_item	*v;
	size_t			 n, cap;
};

static int
collect_soon(void *arg, const struct store_retain_row *r)
{
	struct soon *sn = arg;
	struct retain_in in;
	int64_t last;
	void *p;

	report_retain_in(r, &in);
	last = retain_last_day(&in);
	if (last == RETAIN_NEVER || last - sn->today >= RETAIN_SOON_DAYS)
		return GH_OK;
	if (sn->n == sn->cap) {
		sn->cap = sn->cap ? 2 * sn->cap : 16;
		if ((p = realloc(sn->v, sn->cap * sizeof(*sn->v))) == NULL)
			return GH_ERR_NOMEM;
		sn->v = p;
	}
	sn->v[sn->n].row = *r;
	sn->v[sn->n++].last = last;
	return GH_OK;
}

static int
by_last(const void *a, const void *b)
{
	const struct soon_item *x = a, *y = b;

	return x->last < y->last ? -1 : x->last > y->last;
}

int
report_retain_soon(struct store *s, int64_t today,
    int (*fn)(void *arg, const struct store_retain_row *r, int64_t last_day),
    void *arg)
{
	struct soon sn;
	size_t i;
	int r;

	memset(&sn, 0, sizeof(sn));
	sn.today = today;
	if ((r = store_retain_foreach(s, collect_soon, &sn)) == GH_OK) {
		if (sn.n > 1)
			qsort(sn.v, sn.n, sizeof(*sn.v), by_last);
		for (i = 0; i < sn.n && r == GH_OK; i++)
			r = fn(arg, &sn.v[i].row, sn.v[i].last);
	}
	free(sn.v);
	return r;
}
