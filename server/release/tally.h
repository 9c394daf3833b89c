/*
 * tally.h: opens every sealed answer of a wave and counts them.
 *
 * Runs only in the key custodian's command (gehoord tally), never in the
 * server. Answers are streamed from the database in chunks and opened on
 * all cores, each worker with its own plaintext buffer in locked memory
 * (sodium_malloc) that is wiped when it ends; memory stays flat however
 * many answers a wave has. Every opened answer is checked completely
 * against the definition before it is counted.
 */
#ifndef GH_TALLY_H
#define GH_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keyfile.h"
#include "store/store.h"
#include "survey/def.h"
#include "util/err.h"

/* Distinct unit labels a tally counts at most (unit source batch). */
#define TALLY_MAX_UNITS	1000

/* One unit label of a DEF_UNIT_BATCH definition and its answers. */
struct tally_unit {
	char	 label[DEF_MAX_UNIT + 1];
	int64_t	 count;
};

struct tally_counts {
	size_t	  n_questions;
	int64_t	  n_answers;	/* answers opened */
	int64_t	 *answered;	/* per question: how many answered it */
	int64_t	**option;	/* per question, per option: how many chose it */
	/* DEF_UNIT_BATCH only: answers per unit label, sorted by label
	 * (strcmp), and answers of batches without a label. */
	struct tally_unit *units;
	size_t	  n_units, units_cap;
	int64_t	  n_no_unit;
};

/* Called now and then with the number of answers opened so far. */
typedef void (*tally_progress_fn)(void *arg, int64_t done);

/*
 * Opens and counts every answer of wave wave_id (definition d, key pair
 * key) on threads workers into *out (free with tally_counts_free).
 * Returns GH_OK; GH_ERR_CRYPTO if an answer does not open with the key
 * (wrong key or a tampered database: nothing is counted); GH_ERR_INVALID if
 * an opened answer does not match the definition, or (unit source batch)
 * more than TALLY_MAX_UNITS distinct units answered; GH_ERR_DB;
 * GH_ERR_NOMEM.
 */
int tally_run(struct store *s, int64_t wave_id, const struct def *d,
    const struct wave_key *key, unsigned int threads,
    tally_progress_fn progress, void *progress_arg,
    struct tally_counts **out) GH_WUR;

/*
 * Called from the worker threads (several at once: the callee locks) for
 * every opened answer once it is checked: a (d->n_questions entries),
 * the unit label ("" if none) and the plaintext itself (len bytes, wiped
 * after the call; never to be kept). A non-GH_OK return stops the run.
 */
typedef int (*tally_answer_fn)(void *arg, const struct def_answer *a,
    const char *unit, const uint8_t *plain, size_t len);

/*
 * As tally_run, but hands every opened answer to each instead of
 * counting it; *n_opened gets the number of answers opened. The same
 * errors, and each's.
 */
int tally_run_each(struct store *s, int64_t wave_id, const struct def *d,
    const struct wave_key *key, unsigned int threads,
    tally_progress_fn progress, void *progress_arg, tally_answer_fn each,
    void *each_arg, int64_t *n_opened) GH_WUR;

/* Frees counts; accepts NULL. */
void tally_counts_free(struct tally_counts *c);

/*
 * Writes DIR/counts.csv and DIR/counts.json (DIR must exist) with every
 * count below k replaced by "suppressed"; if fewer than k answers exist at
 * all, every count is. A DEF_UNIT_BATCH definition also gets the answers
 * per unit: rows "_unit,unit,LABEL,N" (LABEL quoted as RFC 4180 wants; an
 * empty LABEL counts the batches without one) and "units" in the JSON.
 * Returns GH_OK, GH_ERR_NOMEM or GH_ERR_IO (logged with the path).
 */
int tally_write(const char *dir, const struct def *d,
    const struct tally_counts *c, int k) GH_WUR;

#endif
