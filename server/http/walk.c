/*
 * walk.c: the in-memory table of survey walks (see walk.h).
 *
 * Entry points: walks_new and walks_free at server start and stop; per
 * survey request walks_put (a POST records the step it redirects to),
 * walks_get (the GET after it, a reload or Back), walks_set_done (the
 * writer thread, once the answer is durable), walks_is_done and
 * walks_status (whether a step may skip the store's token lookup).
 *
 * The table is WALK_SLOTS slots; a link's walks live in the WALK_PROBE
 * slots from the one its lookup hash picks. A new walk takes, in order,
 * the link's own oldest walk not done if it has WALK_PER_TOKEN already
 * (the done one, whose answer is stored, stays), a free slot, a walk idle
 * for WALK_IDLE_S, the least recently used walk of the window that was
 * finished more than the grace ago, and only then the least recently
 * used walk of the window, finished or not: losing a walk finished long
 * ago costs a reload its thank-you page ("already used" instead), losing
 * one under way costs a respondent their place, and losing one finished
 * a moment ago costs the respondent who has just sent the thank-you page
 * its Send redirects to. When a walk stores the link's answer, every
 * other walk of the link (all in the same window) is marked as of a
 * spent link, and so is a walk the link begins later while the done walk
 * is still there: walks_status then sends them to the lookup, which
 * refuses them as before. Times are monotonic
 * milliseconds, so that in a burst the order is the real one. Sealed states are wiped when dropped although they
 * are ciphertext: no reason to leave them behind.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/walk.h"
#include "util/util.h"

#define WALK_B64	sodium_base64_VARIANT_URLSAFE_NO_PADDING

struct walk {
	int			 is_used;
	int			 is_done;
	int			 is_link_spent;	/* another walk stored it */
	int			 is_test;	/* of a coordinator's test link */
	int			 has_unit;	/* walks_set_unit */
	char			 unit[DEF_MAX_UNIT + 1];
	uint8_t			 hash[TOKEN_HASH_BYTES];
	uint8_t			 id[WALK_ID_BYTES];
	int64_t			 wave_id;
	int64_t			 used;	/* monotonic milliseconds */
	char			*state;		/* sealed, or NULL */
	uint32_t		 seq;		/* the latest step's */
	struct walk_step	 steps[WALK_STEPS]; /* by seq % WALK_STEPS */
};

struct walks {
	int64_t		 done_grace_ms;
	pthread_mutex_t	 lock;
	struct walk	*slot;		/* WALK_SLOTS */
};

static void
walk_state_free(char *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

/* Empties a slot. */
static void
walk_clear(struct walk *w)
{
	size_t i;

	walk_state_free(w->state);
	for (i = 0; i < WALK_STEPS; i++)
		answer_check_free(w->steps[i].chk);
	memset(w, 0, sizeof(*w));
}

static struct answer_check *
walk_chk_dup(const struct answer_check *chk)
{
	struct answer_check *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	*c = *chk;
	c->problem = NULL;
	if (chk->n_questions > 0 && chk->problem != NULL) {
		c->problem = calloc(chk->n_questions, sizeof(*c->problem));
		if (c->problem == NULL) {
			free(c);
			return NULL;
		}
		memcpy(c->problem, chk->problem,
		    chk->n_questions * sizeof(*c->problem));
	}
	return c;
}

/* The first slot of hash's window. */
static size_t
walk_home(const uint8_t *hash)
{
	uint32_t h;

	memcpy(&h, hash, sizeof(h));
	return h % WALK_SLOTS;
}

static struct walk *
walk_find(struct walks *ws, const uint8_t *hash, const uint8_t *id)
{
	size_t i, home = walk_home(hash);
	struct walk *w;

	for (i = 0; i < WALK_PROBE; i++) {
		w = &ws->slot[(home + i) % WALK_SLOTS];
		if (w->is_used &&
		    sodium_memcmp(w->hash, hash, TOKEN_HASH_BYTES) == 0 &&
		    sodium_memcmp(w->id, id, WALK_ID_BYTES) == 0)
			return w;
	}
	return NULL;
}

/* The candidates of a window for a new walk (see the file's comment). */
struct walk_pick {
	struct walk	*own;	/* the link's oldest walk not done */
	struct walk	*empty, *idle;
	struct walk	*done;	/* the oldest walk done before the grace */
	struct walk	*lru;	/* the oldest walk */
	size_t		 n_own;
	int		 is_spent;	/* a walk of the link stored it */
};

/* The older of a and b (a if b is NULL). */
static struct walk *
walk_older(struct walk *a, struct walk *b)
{
	return b == NULL || a->used < b->used ? a : b;
}

/* Notes what the used slot w of a window offers a new walk of hash. */
static void
walk_weigh(struct walk_pick *pk, struct walk *w, const uint8_t *hash,
    int64_t now, int64_t grace_ms)
{
	if (sodium_memcmp(w->hash, hash, TOKEN_HASH_BYTES) == 0) {
		pk->n_own++;
		pk->is_spent |= w->is_done || w->is_link_spent;
		/* The walk that stored the link's answer stays: it is what
		 * shows its respondent the thank-you page. */
		if (!w->is_done)
			pk->own = walk_older(w, pk->own);
	}
	if (pk->idle == NULL && now - w->used > WALK_IDLE_S * 1000)
		pk->idle = w;
	if (w->is_done && now - w->used > grace_ms)
		pk->done = walk_older(w, pk->done);
	pk->lru = walk_older(w, pk->lru);
}

/*
 * Picks the slot for a new walk of hash (see the file's comment); sets
 * *is_spent if a walk of the link in its window has stored its answer.
 */
static struct walk *
walk_pick(struct walks *ws, const uint8_t *hash, int64_t now, int *is_spent)
{
	struct walk_pick pk = { 0 };
	struct walk *w;
	size_t i, home = walk_home(hash);

	for (i = 0; i < WALK_PROBE; i++) {
		w = &ws->slot[(home + i) % WALK_SLOTS];
		if (w->is_used)
			walk_weigh(&pk, w, hash, now, ws->done_grace_ms);
		else if (pk.empty == NULL)
			pk.empty = w;
	}
	*is_spent = pk.is_spent;
	if (pk.n_own >= WALK_PER_TOKEN && pk.own != NULL)
		return pk.own;
	if (pk.empty != NULL)
		return pk.empty;
	if (pk.idle != NULL)
		return pk.idle;
	return pk.done != NULL ? pk.done : pk.lru;
}

int
walks_new(struct walks **out, int64_t done_grace_ms)
{
	struct walks *ws;

	*out = NULL;
	if ((ws = calloc(1, sizeof(*ws))) == NULL)
		return GH_ERR_NOMEM;
	if ((ws->slot = calloc(WALK_SLOTS, sizeof(*ws->slot))) == NULL) {
		free(ws);
		return GH_ERR_NOMEM;
	}
	ws->done_grace_ms = done_grace_ms;
	pthread_mutex_init(&ws->lock, NULL);
	*out = ws;
	return GH_OK;
}

void
walks_free(struct walks *ws)
{
	size_t i;

	if (ws == NULL)
		return;
	for (i = 0; i < WALK_SLOTS; i++)
		walk_clear(&ws->slot[i]);
	free(ws->slot);
	pthread_mutex_destroy(&ws->lock);
	free(ws);
}

/* Records a step in w (locked); copies problems. */
static int
walk_add_step(struct walk *w, int view, size_t page, int notice,
    const struct answer_check *problems, uint32_t *seq)
{
	struct walk_step *s;
	struct answer_check *chk = NULL;

	if (problems != NULL && (chk = walk_chk_dup(problems)) == NULL)
		return GH_ERR_NOMEM;
	w->seq++;
	s = &w->steps[w->seq % WALK_STEPS];
	answer_check_free(s->chk);
	s->seq = w->seq;
	s->view = view;
	s->page = page;
	s->notice = notice;
	s->chk = chk;
	*seq = w->seq;
	return GH_OK;
}

int
walks_put(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    int64_t wave_id, uint8_t id[WALK_ID_BYTES], int *has_id,
    const char *state, int view, size_t page, int notice,
    const struct answer_check *chk, uint32_t *seq)
{
	struct walk *w = NULL;
	char *copy = NULL;
	int64_t now = gh_now_ms();
	int r = GH_ERR_NOMEM, is_spent;

	if (state != NULL && (copy = strdup(state)) == NULL)
		return GH_ERR_NOMEM;
	pthread_mutex_lock(&ws->lock);
	if (*has_id)
		w = walk_find(ws, hash, id);
	if (w == NULL || w->wave_id != wave_id || w->is_done) {
		w = walk_pick(ws, hash, now, &is_spent);
		walk_clear(w);
		w->is_used = 1;
		w->is_link_spent = is_spent;
		memcpy(w->hash, hash, TOKEN_HASH_BYTES);
		randombytes_buf(w->id, WALK_ID_BYTES);
		w->wave_id = wave_id;
		memcpy(id, w->id, WALK_ID_BYTES);
		*has_id = 1;
	}
	w->used = now;
	if (copy != NULL) {
		walk_state_free(w->state);
		w->state = copy;
		copy = NULL;
	}
	r = walk_add_step(w, view, page, notice, chk, seq);
	pthread_mutex_unlock(&ws->lock);
	walk_state_free(copy);
	return r;
}

int
walks_get(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES], uint32_t seq, char **state,
    struct walk_step *step, int *is_done)
{
	const struct walk_step *s;
	struct walk *w;
	int r = GH_ERR_NOT_FOUND;

	*state = NULL;
	memset(step, 0, sizeof(*step));
	*is_done = 0;
	pthread_mutex_lock(&ws->lock);
	if ((w = walk_find(ws, hash, id)) == NULL)
		goto out;
	w->used = gh_now_ms();
	*is_done = w->is_done;
	r = GH_ERR_NOMEM;
	if (w->state != NULL && (*state = strdup(w->state)) == NULL)
		goto out;
	s = &w->steps[seq % WALK_STEPS];
	if (s->seq != seq || seq == 0)
		s = &w->steps[w->seq % WALK_STEPS];
	step->seq = s->seq;
	step->view = s->view;
	step->page = s->page;
	step->notice = s->notice;
	/* Problems and notices belong to the answers of their own step. */
	if (s->seq == w->seq && s->chk != NULL &&
	    (step->chk = walk_chk_dup(s->chk)) == NULL)
		goto out;
	if (s->seq != w->seq)
		step->notice = 0;
	r = GH_OK;
out:
	pthread_mutex_unlock(&ws->lock);
	if (r != GH_OK) {
		walk_state_free(*state);
		*state = NULL;
	}
	return r;
}

void
walks_set_done(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    int64_t wave_id, const uint8_t id[WALK_ID_BYTES])
{
	struct walk *w;
	int64_t now = gh_now_ms();
	size_t i, home = walk_home(hash);
	int is_spent;

	pthread_mutex_lock(&ws->lock);
	/* The link's other walks: its answer is stored. */
	for (i = 0; i < WALK_PROBE; i++) {
		w = &ws->slot[(home + i) % WALK_SLOTS];
		if (w->is_used &&
		    sodium_memcmp(w->hash, hash, TOKEN_HASH_BYTES) == 0)
			w->is_link_spent = 1;
	}
	if ((w = walk_find(ws, hash, id)) == NULL) {
		/* Other walks of the link pushed it out while its answer was
		 * being stored: it comes back, done, under the same id. */
		w = walk_pick(ws, hash, now, &is_spent);
		walk_clear(w);
		w->is_used = 1;
		memcpy(w->hash, hash, TOKEN_HASH_BYTES);
		memcpy(w->id, id, WALK_ID_BYTES);
		w->wave_id = wave_id;
	}
	w->used = now;
	w->is_done = 1;
	walk_state_free(w->state);
	w->state = NULL;
	pthread_mutex_unlock(&ws->lock);
}

int
walks_link_is_spent(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES])
{
	int is_spent;

	/* What a new walk of the link would be told (walk_pick). */
	pthread_mutex_lock(&ws->lock);
	(void)walk_pick(ws, hash, gh_now_ms(), &is_spent);
	pthread_mutex_unlock(&ws->lock);
	return is_spent;
}

int
walks_is_done(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES])
{
	struct walk *w;
	int is_done;

	pthread_mutex_lock(&ws->lock);
	w = walk_find(ws, hash, id);
	is_done = w != NULL && w->is_done;
	pthread_mutex_unlock(&ws->lock);
	return is_done;
}

void
walks_mark_test(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES])
{
	struct walk *w;

	pthread_mutex_lock(&ws->lock);
	if ((w = walk_find(ws, hash, id)) != NULL)
		w->is_test = 1;
	pthread_mutex_unlock(&ws->lock);
}

void
walks_set_unit(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES], const char *unit)
{
	struct walk *w;
	size_t n = strlen(unit);

	if (n >= sizeof(w->unit))
		return;
	pthread_mutex_lock(&ws->lock);
	if ((w = walk_find(ws, hash, id)) != NULL) {
		memcpy(w->unit, unit, n + 1);
		w->has_unit = 1;
	}
	pthread_mutex_unlock(&ws->lock);
}

enum walk_status
walks_status(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES], struct walk_info *info)
{
	enum walk_status st = WALK_UNKNOWN;
	struct walk *w;

	memset(info, 0, sizeof(*info));
	pthread_mutex_lock(&ws->lock);
	if ((w = walk_find(ws, hash, id)) != NULL) {
		info->wave_id = w->wave_id;
		info->is_test = w->is_test;
		if ((info->has_unit = w->has_unit))
			memcpy(info->unit, w->unit, sizeof(info->unit));
		if (w->is_done)
			st = WALK_DONE;
		else if (!w->is_link_spent && w->state != NULL)
			st = WALK_LIVE;
	}
	pthread_mutex_unlock(&ws->lock);
	return st;
}

void
walk_id_to_text(char text[WALK_ID_TEXT + 1], const uint8_t id[WALK_ID_BYTES])
{
	sodium_bin2base64(text, WALK_ID_TEXT + 1, id, WALK_ID_BYTES, WALK_B64);
}

int
walk_id_from_text(uint8_t id[WALK_ID_BYTES], const char *text)
{
	size_t len;

	if (text == NULL || strlen(text) != WALK_ID_TEXT ||
	    sodium_base642bin(id, WALK_ID_BYTES, text, WALK_ID_TEXT, NULL,
	    &len, NULL, WALK_B64) != 0 || len != WALK_ID_BYTES)
		return GH_ERR_INVALID;
	return GH_OK;
}
