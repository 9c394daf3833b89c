/*
 * bench_fill.c: realistic answers for the benchmark (tests/bench/run),
 * made with the project's own modules.
 *
 * Usage:
 *   bench_fill forms DEF.json COUNT OUT
 *     Writes COUNT form bodies to OUT, one a line, each what a browser
 *     posts for a complete, valid answer (application/x-www-form-
 *     urlencoded: lang=nl, q_<id>=option for every question, several
 *     options for a multiple-choice question, about 200 characters of free
 *     text with accented letters). Only questions that are shown given
 *     the answers before them (pages and show_if of a format 2
 *     definition) are answered; an exclusive option is chosen alone.
 *     Every body is checked with form_parse and answer_encode before it
 *     is written.
 *   bench_fill answers DEF.json DB KEY PASSFILE COUNT THREADS
 *     Creates DB (must not exist) and the key file KEY (keyfile_create,
 *     passphrase from the first line of PASSFILE), a wave "bench" with
 *     COUNT answers and a wave "bench-empty" with none, both of that key.
 *     Answers are made as above, encoded, sealed (seal_answer) on THREADS
 *     threads and stored with store_commit_batch, 256 per transaction,
 *     each spending one of COUNT tokens made with store_batch_create.
 *     A definition whose unit source is the token batch gets one batch
 *     per unit of units[] below (nested labels, some units smaller than
 *     k), each answer carrying its batch's label, as the server seals it.
 *     Prints "waves FILLED EMPTY" and the time taken.
 * Exits 0, 1 on failure (with a message), 2 on bad usage.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "cli/cli.h"
#include "crypto/keyfile.h"
#include "crypto/seal.h"
#include "survey/form.h"
#include "store/store.h"
#include "survey/answer.h"
#include "survey/def.h"

/* Bump when the answers made change: tests/bench/run then fills again
 * the database it keeps between runs. */
#define FILL_FORMAT	1
#define BODY_MAX	8192	/* bytes of one form body */
#define TEXT_CHARS	200	/* characters of free text, about */
#define CHUNK		256	/* answers per transaction */
#define TOKEN_BATCH	100000	/* tokens per store_batch_create */
#define THREADS_MAX	16
#define FILL_CACHE_KB	1048576	/* SQLite page cache of the fill, KiB */

/* Words for free text; some with letters outside ASCII, as people type. */
static const char *const words[] = {
	"ik", "vind", "dat", "het", "team", "goed", "samenwerkt", "maar",
	"soms", "voel", "ik", "me", "niet", "gehoord", "tijdens", "overleg",
	"de", "sfeer", "is", "prettig", "collega's", "ideeën", "één",
	"keer", "per", "week", "café", "geïnteresseerd", "reünie",
	"leidinggevende", "luistert", "meer", "zou", "fijn", "zijn", "als",
	"er", "ruimte", "komt", "voor", "verschillende", "meningen", "en",
	"ervaringen", "naïef", "misschien", "werkdruk", "is", "hoog,",
	"dank", "voor", "deze", "vragenlijst.",
};
#define N_WORDS (sizeof(words) / sizeof(words[0]))

/*
 * Units of a definition with unit source "batch", with their share of the
 * answers in millionths (the first takes what is left). A unit gets at
 * least one answer; at 100,000 answers the smallest have 4 to 6, below
 * any k, and a breakdown by unit and gender has many small cells.
 */
static const struct {
	const char	*label;
	unsigned int	 ppm;
} units[] = {
	{ "Directie A/Afdeling 1", 0 },
	{ "Directie A/Afdeling 2", 200000 },
	{ "Directie A/Afdeling 3", 2000 },
	{ "Directie B/Afdeling 1", 300000 },
	{ "Directie B/Afdeling 2", 150000 },
	{ "Directie B/Team Noord", 60 },
	{ "Directie C", 97000 },
	{ "Staf/Juridisch", 900 },
	{ "Staf/Griffie", 40 },
};
#define N_UNITS (sizeof(units) / sizeof(units[0]))

struct body {
	char	 s[BODY_MAX];
	size_t	 len;
	int	 is_full;
	uint64_t rng;		/* xorshift64* state; never 0 */
	struct def_answer *a;	/* the answers so far, for conditions */
};

/*
 * Returns a number below n. The answers are made-up test data, so a fast
 * generator seeded from randombytes will do; randombytes_uniform would
 * cost a getrandom(2) call each time in libsodium 1.0.18.
 */
static uint32_t
rnd(struct body *b, uint32_t n)
{
	b->rng ^= b->rng >> 12;
	b->rng ^= b->rng << 25;
	b->rng ^= b->rng >> 27;
	return (uint32_t)((b->rng * UINT64_C(2685821657736338717)) >> 32) % n;
}

/* A body for answers to d, seeded; NULL if out of memory. */
static struct body *
body_new(const struct def *d)
{
	struct body *b = malloc(sizeof(*b));

	if (b == NULL)
		return NULL;
	if ((b->a = calloc(d->n_questions, sizeof(*b->a))) == NULL) {
		free(b);
		return NULL;
	}
	do
		randombytes_buf(&b->rng, sizeof(b->rng));
	while (b->rng == 0);
	return b;
}

static void
body_free(struct body *b)
{
	if (b != NULL)
		free(b->a);
	free(b);
}

static void
put(struct body *b, const char *s, size_t n)
{
	if (b->is_full || n >= sizeof(b->s) - b->len) {
		b->is_full = 1;
		return;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
put_str(struct body *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Appends s url-encoded as a browser does: space as '+', others %XX. */
static void
put_encoded(struct body *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	char esc[3];

	for (; *u != '\0'; u++) {
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
		    (*u >= '0' && *u <= '9') || strchr("-._*", *u) != NULL)
			put(b, (const char *)u, 1);
		else if (*u == ' ')
			put(b, "+", 1);
		else {
			esc[0] = '%';
			esc[1] = hex[*u >> 4];
			esc[2] = hex[*u & 15];
			put(b, esc, 3);
		}
	}
}

static void
put_field(struct body *b, const char *qid, const char *value)
{
	put_str(b, "&" ANSWER_FIELD_PREFIX);
	put_str(b, qid);
	put_str(b, "=");
	put_encoded(b, value);
}

/* Counts UTF-8 code points. */
static size_t
n_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Writes about TEXT_CHARS characters of words into text (textsz bytes). */
static void
make_text(struct body *b, char *text, size_t textsz, size_t max_chars)
{
	size_t len = 0, chars = 0, wl;
	const char *w;

	text[0] = '\0';
	while (chars < TEXT_CHARS) {
		w = words[rnd(b, N_WORDS)];
		wl = strlen(w);
		if (len + wl + 2 > textsz || chars + n_chars(w) + 1 > max_chars)
			break;
		if (len > 0)
			text[len++] = ' ';
		memcpy(text + len, w, wl + 1);
		len += wl;
		chars += n_chars(w) + 1;
	}
}

/*
 * Adds 1 to 3 different options of q, as ticked checkboxes (an exclusive
 * one alone); returns the bits of the options chosen.
 */
static uint64_t
put_multi(struct body *b, const struct def_question *q)
{
	uint64_t chosen = 0;
	size_t i, n = 1 + rnd(b, 3);

	for (i = 0; i < n && i < q->n_options; i++)
		chosen |= (uint64_t)1 << rnd(b, (uint32_t)q->n_options);
	for (i = 0; i < q->n_options; i++)
		if ((chosen & ((uint64_t)1 << i)) && q->options[i].is_exclusive)
			chosen = (uint64_t)1 << i;
	for (i = 0; i < q->n_options; i++)
		if (chosen & ((uint64_t)1 << i))
			put_field(b, q->id, q->options[i].id);
	return chosen;
}

/* Makes the body a browser posts for a random complete answer to d. */
static int
make_body(const struct def *d, struct body *b)
{
	const struct def_question *q;
	char text[DEF_MAX_TEXT_CAP * 4 + 1];
	size_t i;
	uint32_t j;

	b->len = 0;
	b->is_full = 0;
	memset(b->a, 0, d->n_questions * sizeof(*b->a));
	put_str(b, "lang=nl");
	for (i = 0; i < d->n_questions; i++) {
		q = &d->questions[i];
		/* Conditions look only at earlier questions. */
		if (q->type == DEF_MATRIX || !def_question_is_shown(d, i, b->a))
			continue;
		b->a[i].is_answered = 1;
		switch (q->type) {
		case DEF_SINGLE:
		case DEF_LIKERT:
			j = rnd(b, (uint32_t)q->n_options);
			put_field(b, q->id, q->options[j].id);
			b->a[i].chosen = (uint64_t)1 << j;
			b->a[i].is_prefer_not = q->options[j].is_prefer_not;
			break;
		case DEF_MULTI:
			b->a[i].chosen = put_multi(b, q);
			break;
		case DEF_TEXT:
			make_text(b, text, sizeof(text), q->max_length);
			put_field(b, q->id, text);
			break;
		case DEF_NUMBER:
			snprintf(text, sizeof(text), "%lld", q->min);
			put_field(b, q->id, text);
			b->a[i].number = q->min;
			break;
		case DEF_MATRIX:	/* its items follow as DEF_LIKERT */
			break;
		}
	}
	return b->is_full ? GH_ERR_TOO_LARGE : GH_OK;
}

/*
 * Makes a random valid answer to d for wave_id: its body in b and its
 * plaintext in *plain (free with answer_plain_free). Returns GH_OK, or an
 * error if the project's parser or encoder refuses it (a bench bug).
 */
static int
make_answer(const struct def *d, int64_t wave_id, const char *unit,
    struct body *b, uint8_t **plain, size_t *plain_len)
{
	struct form *f = NULL;
	struct answer_check *chk = NULL;
	int r;

	*plain = NULL;
	if ((r = make_body(d, b)) != GH_OK ||
	    (r = form_parse(b->s, b->len, &f)) != GH_OK)
		goto out;
	r = answer_encode_unit(d, wave_id, unit, f, &chk, plain, plain_len);
out:
	if (r != GH_OK)
		fprintf(stderr, "bench_fill: a generated form was refused: "
		    "%s\n", gh_err_str(r));
	answer_check_free(chk);
	form_free(f);
	return r;
}

static int
cmd_forms(const struct def *d, long count, const char *path)
{
	struct body *b;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	FILE *f;
	long i;
	int r = GH_ERR_NOMEM;

	if ((b = body_new(d)) == NULL)
		return r;
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		body_free(b);
		return GH_ERR_IO;
	}
	for (i = 0; i < count; i++) {
		if ((r = make_answer(d, 1, NULL, b, &plain, &plain_len)) !=
		    GH_OK)
			goto out;
		answer_plain_free(plain, plain_len);
		fprintf(f, "%s\n", b->s);
	}
	r = GH_OK;
out:
	if (fclose(f) != 0 && r == GH_OK) {
		perror(path);
		r = GH_ERR_IO;
	}
	body_free(b);
	return r;
}

/* What the fill threads share; db and next are under lock. */
struct fill {
	pthread_mutex_t		 lock;
	struct store		*db;
	const struct def	*d;
	int64_t			 wave;
	uint8_t			 pk[SEAL_PK_BYTES];
	uint8_t			(*hashes)[STORE_HASH_BYTES];
	size_t			 unit_end[N_UNITS]; /* answer i < unit_end[u]:
						       units[u] (first match) */
	int			 has_units;
	size_t			 n, next;
	int			 error;
	double			 commit_s;	/* time spent committing */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The index in units[] of answer i (with fl->has_units). */
static size_t
unit_index(const struct fill *fl, size_t i)
{
	size_t u;

	for (u = 0; u < N_UNITS - 1 && i >= fl->unit_end[u]; u++)
		;
	return u;
}

/* The unit label of answer i, or NULL. */
static const char *
unit_of(const struct fill *fl, size_t i)
{
	return fl->has_units ? units[unit_index(fl, i)].label : NULL;
}

/* Seals the answers of one chunk into subs and blobs. */
static int
seal_chunk(struct fill *fl, struct store_submission *subs, uint8_t *blobs,
    size_t first, size_t n, struct body *b)
{
	size_t i, slen = seal_len(fl->d->bucket), plain_len = 0;
	uint8_t *plain = NULL;
	int r;

	for (i = 0; i < n; i++) {
		if ((r = make_answer(fl->d, fl->wave, unit_of(fl, first + i),
		    b, &plain, &plain_len)) != GH_OK)
			return r;
		r = seal_answer(blobs + i * slen, slen, plain, plain_len,
		    fl->d->bucket, fl->pk);
		answer_plain_free(plain, plain_len);
		if (r != GH_OK)
			return r;
		memcpy(subs[i].key.lookup, fl->hashes[first + i],
		    STORE_HASH_BYTES);
		/* Any spend hash distinct per token will do. */
		(void)crypto_generichash(subs[i].key.spend, STORE_HASH_BYTES,
		    fl->hashes[first + i], STORE_HASH_BYTES, NULL, 0);
		subs[i].wave_id = fl->wave;
		subs[i].sealed = blobs + i * slen;
		subs[i].sealed_len = slen;
	}
	return GH_OK;
}

/* Commits one sealed chunk; every submission must be stored. */
static int
commit_chunk(struct fill *fl, struct store_submission *subs, size_t n)
{
	size_t i;
	int r;

	if ((r = store_commit_batch(fl->db, subs, n)) != GH_OK)
		return r;
	for (i = 0; i < n; i++)
		if (subs[i].result != GH_OK)
			return subs[i].result;
	return GH_OK;
}

/* A thread: takes chunks, seals them, commits them under the lock. */
static void *
fill_main(void *arg)
{
	struct fill *fl = arg;
	struct store_submission *subs = calloc(CHUNK, sizeof(*subs));
	uint8_t *blobs = malloc(CHUNK * seal_len(fl->d->bucket));
	struct body *b = body_new(fl->d);
	size_t first, n;
	double t;
	int r = GH_ERR_NOMEM;

	if (subs == NULL || blobs == NULL || b == NULL)
		goto out;
	for (;;) {
		pthread_mutex_lock(&fl->lock);
		first = fl->next;
		n = fl->error != GH_OK || first >= fl->n ? 0 :
		    fl->n - first < CHUNK ? fl->n - first : CHUNK;
		fl->next += n;
		pthread_mutex_unlock(&fl->lock);
		if (n == 0)
			break;
		if ((r = seal_chunk(fl, subs, blobs, first, n, b)) != GH_OK)
			goto out;
		pthread_mutex_lock(&fl->lock);
		t = now_s();
		r = commit_chunk(fl, subs, n);
		fl->commit_s += now_s() - t;
		pthread_mutex_unlock(&fl->lock);
		if (r != GH_OK)
			goto out;
	}
	r = GH_OK;
out:
	if (r != GH_OK) {
		pthread_mutex_lock(&fl->lock);
		fl->error = r;
		pthread_mutex_unlock(&fl->lock);
	}
	free(subs);
	free(blobs);
	body_free(b);
	return NULL;
}

static int
cmp_hash(const void *a, const void *b)
{
	return memcmp(a, b, STORE_HASH_BYTES);
}

/*
 * Splits the n answers into units (fl->unit_end) if the definition takes
 * its unit from the batch: each unit its share, at least one answer.
 */
static void
split_units(struct fill *fl)
{
	size_t u, size, end = fl->n;

	fl->has_units = fl->d->unit_source == DEF_UNIT_BATCH;
	for (u = N_UNITS - 1; u > 0; u--) {
		size = (size_t)((double)fl->n * units[u].ppm / 1e6);
		size = size < 1 ? 1 : size;
		fl->unit_end[u] = end;
		end = end > size ? end - size : 0;
	}
	fl->unit_end[0] = end;
}

/*
 * Makes fl->n token hashes (sorted: the B-tree's order) and stores them,
 * in batches of at most TOKEN_BATCH that never span two units.
 */
static int
make_tokens(struct fill *fl)
{
	size_t i, n, end;
	int64_t batch;
	const char *unit;
	int r;

	if ((fl->hashes = malloc(fl->n * sizeof(*fl->hashes))) == NULL)
		return GH_ERR_NOMEM;
	randombytes_buf(fl->hashes, fl->n * sizeof(*fl->hashes));
	qsort(fl->hashes, fl->n, sizeof(*fl->hashes), cmp_hash);
	split_units(fl);
	for (i = 0; i < fl->n; i += n) {
		unit = unit_of(fl, i);
		end = fl->n;
		if (fl->has_units)
			end = fl->unit_end[unit_index(fl, i)];
		n = end - i < TOKEN_BATCH ? end - i : TOKEN_BATCH;
		if ((r = store_batch_create(fl->db, fl->wave, unit,
		    (const uint8_t (*)[STORE_HASH_BYTES])&fl->hashes[i], n,
		    &batch)) != GH_OK)
			return r;
	}
	return GH_OK;
}

/* Creates the key file and both waves; fl->wave is the one to fill. */
static int
make_waves(struct fill *fl, const char *json, const char *key,
    const char *passfile, int64_t *empty)
{
	char *pass = NULL;
	size_t pass_len = 0;
	int r;

	if ((r = cli_pass_read("bench_fill", passfile, 0, &pass,
	    &pass_len)) != GH_OK)
		return r;
	r = keyfile_create(key, pass, pass_len, fl->pk);
	cli_pass_free(pass);
	if (r != GH_OK) {
		fprintf(stderr, "bench_fill: %s: %s\n", key, gh_err_str(r));
		return r;
	}
	if ((r = store_wave_create(fl->db, "bench", json, fl->pk,
	    STORE_K_DEFAULT, &fl->wave)) != GH_OK ||
	    (r = store_wave_create(fl->db, "bench-empty", json, fl->pk,
	    STORE_K_DEFAULT, empty)) != GH_OK)
		return r;
	return GH_OK;
}

/*
 * Runs on every SQLite connection this process opens: a page cache big
 * enough for a wave of a million answers. With SQLite's default of 2 MB,
 * each random answer id costs page reads, and filling a million answers
 * took over ten minutes. Only the speed of making the test data changes;
 * the store writes the same rows the same way.
 */
static int
fill_cache(sqlite3 *db, const char **err,
    const struct sqlite3_api_routines *api)
{
	char sql[64];

	(void)err;
	(void)api;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", FILL_CACHE_KB);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int
cmd_answers(const struct def *d, const char *json, char **argv, long count,
    long n_threads)
{
	struct fill fl = { .lock = PTHREAD_MUTEX_INITIALIZER, .d = d,
	    .n = (size_t)count };
	pthread_t th[THREADS_MAX];
	double t0, t1;
	int64_t empty = 0;
	long i, n_started = 0;
	int r;

	t0 = now_s();
	if (sqlite3_auto_extension((void (*)(void))fill_cache) != SQLITE_OK) {
		r = GH_ERR_DB;
		goto out;
	}
	if ((r = store_open(argv[0], STORE_CREATE, &fl.db)) != GH_OK ||
	    (r = make_waves(&fl, json, argv[1], argv[2], &empty)) != GH_OK ||
	    (r = make_tokens(&fl)) != GH_OK)
		goto out;
	for (i = 0; i < n_threads; i++, n_started++)
		if (pthread_create(&th[i], NULL, fill_main, &fl) != 0) {
			r = GH_ERR_NOMEM;
			break;
		}
	for (i = 0; i < n_started; i++)
		pthread_join(th[i], NULL);
	if (r != GH_OK || (r = fl.error) != GH_OK)
		goto out;
	t1 = now_s();
	printf("waves %lld %lld\n", (long long)fl.wave, (long long)empty);
	printf("filled %ld answers in %.1f s (%.1f s of it committing)\n",
	    count, t1 - t0, fl.commit_s);
	r = GH_OK;
out:
	if (r != GH_OK)
		fprintf(stderr, "bench_fill: %s: filling failed: %s\n",
		    argv[0], gh_err_str(r));
	free(fl.hashes);
	store_close(fl.db);
	return r;
}

static int
usage(void)
{
	fprintf(stderr, "usage: bench_fill forms DEF.json COUNT OUT\n"
	    "       bench_fill answers DEF.json DB KEY PASSFILE COUNT "
	    "THREADS\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct def *d = NULL;
	char *json = NULL, err[1024];
	long count, threads;
	int r, is_forms;

	if (argc < 3)
		return usage();
	is_forms = strcmp(argv[1], "forms") == 0;
	if ((is_forms && argc != 5) || (!is_forms &&
	    (strcmp(argv[1], "answers") != 0 || argc != 8)))
		return usage();
	count = strtol(argv[is_forms ? 3 : 6], NULL, 10);
	threads = is_forms ? 1 : strtol(argv[7], NULL, 10);
	if (count < 1 || count > 100000000 || threads < 1 ||
	    threads > THREADS_MAX)
		return usage();
	if (sodium_init() < 0) {
		fprintf(stderr, "bench_fill: libsodium init failed\n");
		return 1;
	}
	if ((r = def_load_file(argv[2], &d, &json, err, sizeof(err))) !=
	    GH_OK) {
		fprintf(stderr, "bench_fill: %s\n", err);
		goto out;
	}
	if (is_forms)
		r = cmd_forms(d, count, argv[4]);
	else
		r = cmd_answers(d, json, argv + 3, count, threads);
out:
	def_free(d);
	free(json);
	return r == GH_OK ? 0 : 1;
}
