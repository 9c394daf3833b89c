/*
 * tally.c: the streaming, multi-core tally (see tally.h).
 *
 * Entry points: tally_run, tally_counts_free. Data path: the calling
 * thread reads sealed blobs (store_answers_foreach) into fixed chunks and
 * queues them; workers take a chunk, seal_open each blob into their
 * locked buffer, answer_decode_unit it, add it to their own counts (and,
 * with unit source batch, to their sorted table of unit labels), wipe the
 * buffer, and give the chunk back. At the end the workers' counts are
 * summed. At most 2 x threads chunks exist, whatever the wave's size.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/seal.h"
#include "release/tally.h"
#include "survey/answer.h"
#include "util/log.h"

#define CHUNK_BLOBS 256

struct chunk {
	uint8_t		*blobs;		/* n x blob_len bytes */
	size_t		 n;
	struct chunk	*next;
};

struct pipe {
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;
	struct chunk	*full, *empty;
	int		 is_done;	/* no more full chunks will come */
	int		 error;		/* first error of any worker */
	const struct def *d;
	const struct wave_key *key;
	int64_t		 wave_id;
	size_t		 blob_len;
	struct chunk	*filling;
	int64_t		 n_read;
	tally_progress_fn progress;
	void		*progress_arg;
	tally_answer_fn	 each;		/* NULL: count into the workers' */
	void		*each_arg;
};

struct worker {
	pthread_t		 thread;
	struct pipe		*p;
	struct tally_counts	*counts;
};

static struct tally_counts *
counts_new(const struct def *d)
{
	struct tally_counts *c;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->n_questions = d->n_questions;
	c->answered = calloc(d->n_questions, sizeof(*c->answered));
	c->option = calloc(d->n_questions, sizeof(*c->option));
	if (c->answered == NULL || c->option == NULL)
		goto fail;
	for (i = 0; i < d->n_questions; i++)
		if ((c->option[i] = calloc(d->questions[i].n_options + 1,
		    sizeof(**c->option))) == NULL)
			goto fail;
	return c;
fail:
	tally_counts_free(c);
	return NULL;
}

void
tally_counts_free(struct tally_counts *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; c->option != NULL && i < c->n_questions; i++)
		free(c->option[i]);
	free(c->option);
	free(c->answered);
	free(c->units);
	free(c);
}

/*
 * Adds n answers of unit label (NULL or "": none) to c, keeping units
 * sorted. GH_ERR_INVALID beyond TALLY_MAX_UNITS labels, or GH_ERR_NOMEM.
 */
static int
add_unit(struct tally_counts *c, const char *label, int64_t n)
{
	struct tally_unit *u;
	size_t lo = 0, hi = c->n_units, mid, cap, len;
	int cmp;

	if (label == NULL || label[0] == '\0') {
		c->n_no_unit += n;
		return GH_OK;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((cmp = strcmp(label, c->units[mid].label)) == 0) {
			c->units[mid].count += n;
			return GH_OK;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (c->n_units >= TALLY_MAX_UNITS) {
		log_error("the answers name more than %d distinct units: too "
		    "many to count per unit", TALLY_MAX_UNITS);
		return GH_ERR_INVALID;
	}
	if ((len = strlen(label)) > DEF_MAX_UNIT)
		return GH_ERR_INVALID;
	if (c->n_units == c->units_cap) {
		cap = c->units_cap == 0 ? 16 : 2 * c->units_cap;
		if (cap > TALLY_MAX_UNITS)
			cap = TALLY_MAX_UNITS;
		if ((u = realloc(c->units, cap * sizeof(*u))) == NULL)
			return GH_ERR_NOMEM;
		c->units = u;
		c->units_cap = cap;
	}
	memmove(&c->units[lo + 1], &c->units[lo],
	    (c->n_units - lo) * sizeof(*c->units));
	memset(&c->units[lo], 0, sizeof(c->units[lo]));
	memcpy(c->units[lo].label, label, len + 1);
	c->units[lo].count = n;
	c->n_units++;
	return GH_OK;
}

static int
add_answer(struct tally_counts *c, const struct def *d,
    const struct def_answer *a, const char *unit)
{
	size_t i, j;
	int r;

	if (d->unit_source == DEF_UNIT_BATCH &&
	    (r = add_unit(c, unit, 1)) != GH_OK)
		return r;
	c->n_answers++;
	for (i = 0; i < c->n_questions; i++) {
		if (!a[i].is_answered)
			continue;
		c->answered[i]++;
		/* Free text and numbers are answered with chosen == 0. */
		for (j = 0; j < 64; j++)
			if (a[i].chosen & ((uint64_t)1 << j))
				c->option[i][j]++;
	}
	return GH_OK;
}

static int
count_chunk(struct pipe *p, struct worker *wk, const struct chunk *ch,
    uint8_t *plain, struct def_answer *a)
{
	size_t i, plainsz = p->blob_len - SEAL_OVERHEAD, len;
	char unit[DEF_MAX_UNIT + 1];
	int r;

	for (i = 0; i < ch->n; i++) {
		r = seal_open(plain, plainsz, &len, ch->blobs + i * p->blob_len,
		    p->blob_len, p->key->pk, p->key->sk);
		if (r == GH_OK)
			r = answer_decode_unit(p->d, p->wave_id, plain, len, a,
			    unit, sizeof(unit));
		if (r == GH_OK && p->each != NULL) {
			r = p->each(p->each_arg, a, unit, plain, len);
			wk->counts->n_answers++;
		} else if (r == GH_OK)
			r = add_answer(wk->counts, p->d, a, unit);
		sodium_memzero(plain, plainsz);
		sodium_memzero(a, p->d->n_questions * sizeof(*a));
		if (r != GH_OK)
			return r;
	}
	return GH_OK;
}

static void *
worker_main(void *arg)
{
	struct worker *wk = arg;
	struct pipe *p = wk->p;
	struct chunk *ch;
	struct def_answer *a;
	uint8_t *plain;
	int r = GH_OK;

	plain = sodium_malloc(p->blob_len);
	a = calloc(p->d->n_questions, sizeof(*a));
	if (plain == NULL || a == NULL)
		r = GH_ERR_NOMEM;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->full == NULL && !p->is_done && p->error == GH_OK)
			pthread_cond_wait(&p->changed, &p->lock);
		if (r != GH_OK && p->error == GH_OK)
			p->error = r;
		if (p->full == NULL || p->error != GH_OK)
			break;
		ch = p->full;
		p->full = ch->next;
		pthread_mutex_unlock(&p->lock);
		r = count_chunk(p, wk, ch, plain, a);
		pthread_mutex_lock(&p->lock);
		ch->n = 0;
		ch->next = p->empty;
		p->empty = ch;
		pthread_cond_broadcast(&p->changed);
	}
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	sodium_free(plain);
	free(a);
	return NULL;
}

/* Hands the chunk being filled to the workers and waits for an empty one. */
static int
flush_chunk(struct pipe *p)
{
	struct chunk **tail;
	int r;

	pthread_mutex_lock(&p->lock);
	if (p->filling != NULL && p->filling->n > 0) {
		for (tail = &p->full; *tail != NULL; tail = &(*tail)->next)
			;
		p->filling->next = NULL;
		*tail = p->filling;
		p->filling = NULL;
		pthread_cond_broadcast(&p->changed);
	}
	while (p->filling == NULL && p->empty == NULL && p->error == GH_OK)
		pthread_cond_wait(&p->changed, &p->lock);
	if (p->filling == NULL && p->empty != NULL) {
		p->filling = p->empty;
		p->empty = p->empty->next;
	}
	r = p->error;
	pthread_mutex_unlock(&p->lock);
	return r;
}

static int
read_blob(void *arg, const uint8_t *blob, size_t len)
{
	struct pipe *p = arg;
	int r;

	if (len != p->blob_len) {
		log_error("an answer of wave %lld has %zu bytes, not %zu: the "
		    "database was altered", (long long)p->wave_id, len,
		    p->blob_len);
		return GH_ERR_INVALID;
	}
	if ((p->filling == NULL || p->filling->n == CHUNK_BLOBS) &&
	    (r = flush_chunk(p)) != GH_OK)
		return r;
	memcpy(p->filling->blobs + p->filling->n * len, blob, len);
	p->filling->n++;
	if (++p->n_read % 10000 == 0 && p->progress != NULL)
		p->progress(p->progress_arg, p->n_read);
	return GH_OK;
}

static void
free_chunks(struct chunk *ch)
{
	struct chunk *next;

	for (; ch != NULL; ch = next) {
		next = ch->next;
		free(ch->blobs);
		free(ch);
	}
}

static int
make_chunks(struct pipe *p, size_t n)
{
	struct chunk *ch;

	while (n-- > 0) {
		if ((ch = calloc(1, sizeof(*ch))) == NULL ||
		    (ch->blobs = malloc(CHUNK_BLOBS * p->blob_len)) == NULL) {
			free(ch);
			return GH_ERR_NOMEM;
		}
		ch->next = p->empty;
		p->empty = ch;
	}
	return GH_OK;
}

static int
merge(struct worker *wk, unsigned int n, const struct def *d,
    struct tally_counts **out)
{
	struct tally_counts *c;
	unsigned int t;
	size_t i, j;
	int r;

	if ((c = counts_new(d)) == NULL)
		return GH_ERR_NOMEM;
	for (t = 0; t < n; t++) {
		c->n_answers += wk[t].counts->n_answers;
		c->n_no_unit += wk[t].counts->n_no_unit;
		for (i = 0; i < wk[t].counts->n_units; i++) {
			if ((r = add_unit(c, wk[t].counts->units[i].label,
			    wk[t].counts->units[i].count)) != GH_OK) {
				tally_counts_free(c);
				return r;
			}
		}
		for (i = 0; i < c->n_questions; i++) {
			c->answered[i] += wk[t].counts->answered[i];
			for (j = 0; j < d->questions[i].n_options; j++)
				c->option[i][j] += wk[t].counts->option[i][j];
		}
	}
	*out = c;
	return GH_OK;
}

static int
run(struct store *s, int64_t wave_id, const struct def *d,
    const struct wave_key *key, unsigned int threads,
    tally_progress_fn progress, void *progress_arg, tally_answer_fn each,
    void *each_arg, struct tally_counts **out)
{
	struct pipe p;
	struct worker *wk;
	unsigned int t, started = 0;
	int r;

	*out = NULL;
	if (threads < 1)
		threads = 1;
	memset(&p, 0, sizeof(p));
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.changed, NULL);
	p.d = d;
	p.key = key;
	p.wave_id = wave_id;
	p.blob_len = seal_len(d->bucket);
	p.progress = progress;
	p.progress_arg = progress_arg;
	p.each = each;
	p.each_arg = each_arg;
	if ((wk = calloc(threads, sizeof(*wk))) == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	if ((r = make_chunks(&p, 2 * (size_t)threads)) != GH_OK)
		goto out;
	for (t = 0; t < threads; t++) {
		wk[t].p = &p;
		if ((wk[t].counts = counts_new(d)) == NULL ||
		    pthread_create(&wk[t].thread, NULL, worker_main, &wk[t])) {
			r = GH_ERR_NOMEM;
			goto stop;
		}
		started++;
	}
	r = store_answers_foreach(s, wave_id, read_blob, &p);
	if (r == GH_OK)
		r = flush_chunk(&p);
stop:
	pthread_mutex_lock(&p.lock);
	p.is_done = 1;
	if (r != GH_OK && p.error == GH_OK)
		p.error = r;
	pthread_cond_broadcast(&p.changed);
	pthread_mutex_unlock(&p.lock);
	for (t = 0; t < started; t++)
		pthread_join(wk[t].thread, NULL);
	r = p.error;
	if (r == GH_OK)
		r = merge(wk, threads, d, out);
out:
	for (t = 0; wk != NULL && t < threads; t++)
		tally_counts_free(wk[t].counts);
	free(wk);
	if (p.filling != NULL)
		p.filling->next = NULL;
	free_chunks(p.filling);
	free_chunks(p.full);
	free_chunks(p.empty);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.changed);
	return r;
}

int
tally_run(struct store *s, int64_t wave_id, const struct def *d,
    const struct wave_key *key, unsigned int threads,
    tally_progress_fn progress, void *progress_arg, struct tally_counts **out)
{
	return run(s, wave_id, d, key, threads, progress, progress_arg, NULL,
	    NULL, out);
}

int
tally_run_each(struct store *s, int64_t wave_id, const struct def *d,
    const struct wave_key *key, unsigned int threads,
    tally_progress_fn progress, void *progress_arg, tally_answer_fn each,
    void *each_arg, int64_t *n_opened)
{
	struct tally_counts *c = NULL;
	int r;

	*n_opened = 0;
	r = run(s, wave_id, d, key, threads, progress, progress_arg, each,
	    each_arg, &c);
	if (r == GH_OK)
		*n_opened = c->n_answers;
	tally_counts_free(c);
	return r;
}
