/*
 * bench_ceilings.c: what this machine can do at most, measured in the same
 * run as gehoord's own figures (tests/bench/run prints both side by side).
 *
 * Usage: bench_ceilings DEF.json DIR SECONDS
 *
 * Figures, each run for SECONDS of wall time:
 *   seal_1t, seal_2t    crypto_box_seal of one padded answer (the bucket
 *                       size of DEF) on 1 and 2 threads, per second
 *   open_1t, open_2t    crypto_box_seal_open of the same, per second
 *   seal_answer_1t, seal_answer_2t
 *                       the project's seal_answer (pad + seal, padded copy
 *                       in sodium_malloc memory), 1 and 2 threads: what
 *                       the server pays per seal
 *   seal_open_1t, seal_open_2t
 *                       the project's seal_open (open + unpad), 1 and 2
 *                       threads: what the tally pays per answer for the
 *                       crypto
 *   sqlite_1, sqlite_64 the project's store on DIR/ceiling.db (the disk
 *                       of the server's database): token spend + answer
 *                       insert, 1 and 64 per durable transaction, with a
 *                       checkpointer connection as the server runs it;
 *                       submissions per second
 * Output: one line per figure, "ceiling NAME VALUE", plus "bucket BYTES".
 * Exits 0, or 1 with a message if anything fails.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/seal.h"
#include "store/store.h"
#include "survey/def.h"

#define CLOCK_CHECK_EVERY	32	/* operations between clock reads */
#define SQLITE_MAX_RATE		100000	/* tokens made per second allowed */
#define CHECKPOINT_MS		500	/* as the server's writer.c */

enum op { OP_SEAL, OP_OPEN, OP_SEAL_ANSWER, OP_SEAL_OPEN };

struct crypto_job {
	enum op		 op;
	size_t		 bucket;
	const uint8_t	*pk, *sk;
	double		 seconds;
	double		 rate;		/* out: operations per second */
	int		 r;		/* out: GH_OK or the first error */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs one operation once; returns GH_OK or GH_ERR_CRYPTO. */
static int
run_op(const struct crypto_job *j, uint8_t *padded, uint8_t *sealed,
    uint8_t *plain, size_t plain_len)
{
	size_t slen = seal_len(j->bucket), len;

	switch (j->op) {
	case OP_SEAL:
		return crypto_box_seal(sealed, padded, j->bucket, j->pk) == 0 ?
		    GH_OK : GH_ERR_CRYPTO;
	case OP_OPEN:
		return crypto_box_seal_open(plain, sealed, slen, j->pk,
		    j->sk) == 0 ? GH_OK : GH_ERR_CRYPTO;
	case OP_SEAL_ANSWER:
		return seal_answer(sealed, slen, padded, plain_len, j->bucket,
		    j->pk);
	case OP_SEAL_OPEN:
		return seal_open(plain, j->bucket, &len, sealed, slen, j->pk,
		    j->sk);
	}
	return GH_ERR_INVALID;
}

/* A thread: repeats j->op for j->seconds and sets j->rate. */
static void *
crypto_main(void *arg)
{
	struct crypto_job *j = arg;
	size_t plain_len = j->bucket / 2, padded_len, slen = seal_len(j->bucket);
	uint8_t *padded = malloc(j->bucket), *plain = malloc(j->bucket);
	uint8_t *sealed = malloc(slen);
	double start, end;
	long n = 0;

	j->r = GH_ERR_NOMEM;
	if (padded == NULL || plain == NULL || sealed == NULL)
		goto out;
	/* A padded answer of half the bucket, as the server seals it. */
	randombytes_buf(padded, plain_len);
	j->r = GH_ERR_CRYPTO;
	if (sodium_pad(&padded_len, padded, plain_len, j->bucket,
	    j->bucket) != 0 || crypto_box_seal(sealed, padded, j->bucket,
	    j->pk) != 0)
		goto out;
	j->r = GH_OK;
	start = end = now_s();
	while (end - start < j->seconds) {
		if ((j->r = run_op(j, padded, sealed, plain, plain_len)) !=
		    GH_OK)
			goto out;
		if (++n % CLOCK_CHECK_EVERY == 0)
			end = now_s();
	}
	end = now_s();
	j->rate = (double)n / (end - start);
out:
	free(padded);
	free(plain);
	free(sealed);
	return NULL;
}

/* Runs op on n_threads threads at once; returns the summed rate or < 0. */
static double
crypto_rate(enum op op, int n_threads, size_t bucket, const uint8_t *pk,
    const uint8_t *sk, double seconds)
{
	struct crypto_job jobs[2];
	pthread_t th[2];
	double sum = 0;
	int i, r = GH_OK;

	for (i = 0; i < n_threads; i++) {
		jobs[i] = (struct crypto_job){ op, bucket, pk, sk, seconds, 0,
		    GH_OK };
		if (pthread_create(&th[i], NULL, crypto_main, &jobs[i]) != 0)
			return -1;
	}
	for (i = 0; i < n_threads; i++) {
		pthread_join(th[i], NULL);
		if (jobs[i].r != GH_OK)
			r = jobs[i].r;
		sum += jobs[i].rate;
	}
	if (r != GH_OK) {
		fprintf(stderr, "bench_ceilings: crypto operation %d failed: "
		    "%s\n", (int)op, gh_err_str(r));
		return -1;
	}
	return sum;
}

struct ckpt {
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	struct store	*db;
	int		 is_stopping;
};

/* The server's checkpointer: a passive checkpoint every CHECKPOINT_MS. */
static void *
ckpt_main(void *arg)
{
	struct ckpt *c = arg;
	struct timespec until;

	pthread_mutex_lock(&c->lock);
	while (!c->is_stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += CHECKPOINT_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&c->wake, &c->lock, &until);
		if (c->is_stopping)
			break;
		pthread_mutex_unlock(&c->lock);
		if (store_checkpoint(c->db, 0) != GH_OK)
			fprintf(stderr, "bench_ceilings: checkpoint failed\n");
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

static int
cmp_hash(const void *a, const void *b)
{
	return memcmp(a, b, STORE_HASH_BYTES);
}

/*
 * Makes n token hashes for wave in s; *out gets them (sorted, as the
 * B-tree stores them; free with free). Returns GH_OK or an error.
 */
static int
make_tokens(struct store *s, int64_t wave, size_t n,
    uint8_t (**out)[STORE_HASH_BYTES])
{
	uint8_t (*h)[STORE_HASH_BYTES];
	int64_t batch;
	int r;

	if ((h = malloc(n * sizeof(*h))) == NULL)
		return GH_ERR_NOMEM;
	randombytes_buf(h, n * sizeof(*h));
	qsort(h, n, sizeof(*h), cmp_hash);
	if ((r = store_batch_create(s, wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])h, n, &batch)) != GH_OK) {
		free(h);
		return r;
	}
	*out = h;
	return GH_OK;
}

/*
 * Commits per_txn submissions per transaction, spending fresh tokens, for
 * seconds (or until the tokens run out); *rate gets submissions/s.
 */
static int
commit_rate(struct store *s, int64_t wave, size_t per_txn, size_t bucket,
    double seconds, double *rate)
{
	struct store_submission subs[64];
	uint8_t (*h)[STORE_HASH_BYTES] = NULL, *blob = NULL;
	size_t n_tok = (size_t)(SQLITE_MAX_RATE * seconds) + per_txn, done = 0;
	size_t i, slen = seal_len(bucket);
	double start, end;
	int r;

	if ((r = make_tokens(s, wave, n_tok, &h)) != GH_OK)
		goto out;
	r = GH_ERR_NOMEM;
	if ((blob = malloc(slen)) == NULL)
		goto out;
	randombytes_buf(blob, slen);	/* looks like a sealed answer */
	start = end = now_s();
	while (end - start < seconds && done + per_txn <= n_tok) {
		for (i = 0; i < per_txn; i++)
			subs[i] = (struct store_submission){ .wave_id = wave,
			    .sealed = blob, .sealed_len = slen };
		for (i = 0; i < per_txn; i++)
		{
			memcpy(subs[i].key.lookup, h[done + i],
			    STORE_HASH_BYTES);
			/* Any spend hash distinct per token will do. */
			(void)crypto_generichash(subs[i].key.spend,
			    STORE_HASH_BYTES, h[done + i], STORE_HASH_BYTES,
			    NULL, 0);
		}
		if ((r = store_commit_batch(s, subs, per_txn)) != GH_OK)
			goto out;
		for (i = 0; i < per_txn; i++)
			if (subs[i].result != GH_OK) {
				r = subs[i].result;
				goto out;
			}
		done += per_txn;
		end = now_s();
	}
	*rate = (double)done / (end - start);
	r = GH_OK;
out:
	free(h);
	free(blob);
	return r;
}

static void
remove_db(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/* Measures sqlite_1 and sqlite_64 on DIR/ceiling.db and prints them. */
static int
sqlite_ceilings(const char *dir, const char *def_json, size_t bucket,
    double seconds)
{
	struct ckpt c = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	    NULL, 0 };
	struct store *s = NULL;
	uint8_t pk[STORE_PK_BYTES];
	char path[4096];
	pthread_t th;
	int64_t wave;
	double r1 = 0, r64 = 0;
	int r, is_started = 0;

	snprintf(path, sizeof(path), "%s/ceiling.db", dir);
	remove_db(path);
	randombytes_buf(pk, sizeof(pk));
	if ((r = store_open(path, STORE_CREATE | STORE_WRITER, &s)) != GH_OK ||
	    (r = store_open(path, 0, &c.db)) != GH_OK ||
	    (r = store_wave_create(s, "ceiling", def_json, pk,
	    STORE_K_DEFAULT, &wave)) != GH_OK)
		goto out;
	if (pthread_create(&th, NULL, ckpt_main, &c) != 0) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	is_started = 1;
	if ((r = commit_rate(s, wave, 1, bucket, seconds, &r1)) != GH_OK ||
	    (r = commit_rate(s, wave, 64, bucket, seconds, &r64)) != GH_OK)
		goto out;
	printf("ceiling sqlite_1 %.0f\n", r1);
	printf("ceiling sqlite_64 %.0f\n", r64);
	r = GH_OK;
out:
	if (is_started) {
		pthread_mutex_lock(&c.lock);
		c.is_stopping = 1;
		pthread_cond_signal(&c.wake);
		pthread_mutex_unlock(&c.lock);
		pthread_join(th, NULL);
	}
	if (r != GH_OK)
		fprintf(stderr, "bench_ceilings: %s: SQLite ceiling failed: "
		    "%s\n", path, gh_err_str(r));
	store_close(c.db);
	store_close(s);
	remove_db(path);
	return r;
}

static int
crypto_ceilings(size_t bucket, double seconds)
{
	static const struct {
		const char	*name;
		enum op		 op;
		int		 n_threads;
	} figs[] = {
		{ "seal_1t", OP_SEAL, 1 },
		{ "seal_2t", OP_SEAL, 2 },
		{ "open_1t", OP_OPEN, 1 },
		{ "open_2t", OP_OPEN, 2 },
		{ "seal_answer_1t", OP_SEAL_ANSWER, 1 },
		{ "seal_answer_2t", OP_SEAL_ANSWER, 2 },
		{ "seal_open_1t", OP_SEAL_OPEN, 1 },
		{ "seal_open_2t", OP_SEAL_OPEN, 2 },
	};
	uint8_t pk[SEAL_PK_BYTES], sk[SEAL_SK_BYTES];
	double rate;
	size_t i;

	crypto_box_keypair(pk, sk);
	for (i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		if ((rate = crypto_rate(figs[i].op, figs[i].n_threads, bucket,
		    pk, sk, seconds)) < 0)
			return GH_ERR_CRYPTO;
		printf("ceiling %s %.0f\n", figs[i].name, rate);
		(void)fflush(stdout);
	}
	sodium_memzero(sk, sizeof(sk));
	return GH_OK;
}

int
main(int argc, char **argv)
{
	struct def *d = NULL;
	char *json = NULL, err[1024];
	double seconds = 0;
	char *end = NULL;
	int r = GH_ERR_USAGE;

	if (argc == 4)
		seconds = strtod(argv[3], &end);
	if (argc != 4 || end == argv[3] || *end != '\0' || seconds <= 0) {
		fprintf(stderr, "usage: bench_ceilings DEF.json DIR SECONDS\n");
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "bench_ceilings: libsodium init failed\n");
		return 1;
	}
	if ((r = def_load_file(argv[1], &d, &json, err, sizeof(err))) !=
	    GH_OK) {
		fprintf(stderr, "bench_ceilings: %s\n", err);
		goto out;
	}
	printf("bucket %zu\n", d->bucket);
	(void)fflush(stdout);
	if ((r = crypto_ceilings(d->bucket, seconds)) != GH_OK ||
	    (r = sqlite_ceilings(argv[2], json, d->bucket, seconds)) != GH_OK)
		goto out;
	r = GH_OK;
out:
	def_free(d);
	free(json);
	return r == GH_OK ? 0 : 1;
}
