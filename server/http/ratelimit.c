/*
 * ratelimit.c: in-memory rate limiting without storing any address
 * (ratelimit.h).
 *
 * Entry points: ratelimit_new, ratelimit_new_global, ratelimit_free,
 * ratelimit_take, ratelimit_give_back (the _at variants for tests). Data
 * path: the peer address (IPv4, or the /64 prefix of IPv6, since one host
 * often holds a whole /64; an IPv4-mapped IPv6 address counts as its IPv4
 * address) -> BLAKE2b keyed with a random key that is replaced, together
 * with every count, every RATELIMIT_ROTATE_S seconds -> a set of the
 * table (from the hash's first bytes) and a 64-bit tag (the next ones)
 * -> the set's entry with that tag, or a new one with a full budget in
 * place of the set's stalest entry -> its token bucket. An entry holds
 * only the tag, a fill level and the time of its last refill; neither
 * the address nor the key is ever written to disk or logged.
 *
 * Why sets that evict rather than buckets that are shared: with shared
 * buckets, a flood of attempts from many addresses spends the budgets of
 * addresses it never used (a reporter could be locked out by strangers).
 * Evicting the stalest entry can only make the table forget an address,
 * which then starts with a full budget again; a guesser gains nothing
 * from that, as each of his addresses gets a full budget anyway.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/ratelimit.h"
#include "util/util.h"

#define N_ENTRIES	((size_t)RATELIMIT_SETS * RATELIMIT_WAYS)

struct entry {
	uint64_t	tag;		/* 0: free */
	int64_t		last_ms;
	double		tokens;
};

struct ratelimit {
	pthread_mutex_t	 lock;
	unsigned int	 burst, per_min;
	int		 is_global;
	int64_t		 key_born_ms;
	uint8_t		 key[crypto_generichash_KEYBYTES];
	struct entry	 global;	/* is_global: the one budget */
	struct entry	*e;		/* N_ENTRIES, set by set */
};

/* Draws a new key and forgets every count. */
static void
rotate(struct ratelimit *rl, int64_t now)
{
	randombytes_buf(rl->key, sizeof(rl->key));
	memset(rl->e, 0, N_ENTRIES * sizeof(*rl->e));
	rl->key_born_ms = now;
}

static int
make(unsigned int burst, unsigned int per_min, int is_global,
    struct ratelimit **out)
{
	struct ratelimit *rl;

	*out = NULL;
	if (burst == 0)
		return GH_ERR_INVALID;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return GH_ERR_NOMEM;
	if (!is_global &&
	    (rl->e = calloc(N_ENTRIES, sizeof(*rl->e))) == NULL) {
		free(rl);
		return GH_ERR_NOMEM;
	}
	pthread_mutex_init(&rl->lock, NULL);
	rl->burst = burst;
	rl->per_min = per_min;
	rl->is_global = is_global;
	rl->global.tag = 1;
	rl->global.last_ms = gh_now_ms();
	rl->global.tokens = burst;
	if (!is_global)
		rotate(rl, gh_now_ms());
	*out = rl;
	return GH_OK;
}

int
ratelimit_new(unsigned int burst, unsigned int per_min,
    struct ratelimit **out)
{
	return make(burst, per_min, 0, out);
}

int
ratelimit_new_global(unsigned int burst, unsigned int per_min,
    struct ratelimit **out)
{
	return make(burst, per_min, 1, out);
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	sodium_memzero(rl->key, sizeof(rl->key));
	if (rl->e != NULL) {
		sodium_memzero(rl->e, N_ENTRIES * sizeof(*rl->e));
		free(rl->e);
	}
	free(rl);
}

/* The bytes of sa that identify a client: *len of them at *p. */
static void
address_bytes(const struct sockaddr *sa, const uint8_t **p, size_t *len)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	const struct sockaddr_in6 *in6;

	*p = NULL;
	*len = 0;
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		*p = (const uint8_t *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr;
		*len = 4;
	} else if (sa->sa_family == AF_INET6) {
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		*p = in6->sin6_addr.s6_addr;
		if (memcmp(*p, mapped, sizeof(mapped)) == 0) {
			*p += 12;
			*len = 4;
		} else {
			*len = 8;	/* the /64 */
		}
	}
}

/*
 * The entry of sa at time now (the lock is held): found by its tag, or
 * (is_new) a new one with a full budget in place of its set's stalest.
 * NULL if not found and !is_new.
 */
static struct entry *
lookup(struct ratelimit *rl, const struct sockaddr *sa, int64_t now,
    int is_new)
{
	uint8_t h[12];
	const uint8_t *p;
	struct entry *set, *e = NULL, *stale;
	size_t len, i;
	uint64_t tag = 0;
	uint32_t idx;

	if (rl->is_global)
		return &rl->global;
	if (now - rl->key_born_ms >= (int64_t)RATELIMIT_ROTATE_S * 1000 ||
	    now < rl->key_born_ms)
		rotate(rl, now);
	address_bytes(sa, &p, &len);
	(void)crypto_generichash(h, sizeof(h), p, len, rl->key,
	    sizeof(rl->key));
	idx = ((uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
	    (uint32_t)h[3] << 24) % RATELIMIT_SETS;
	for (i = 0; i < 8; i++)
		tag |= (uint64_t)h[4 + i] << (8 * i);
	tag |= 1;	/* never 0, which marks a free entry */
	sodium_memzero(h, sizeof(h));
	set = &rl->e[(size_t)idx * RATELIMIT_WAYS];
	stale = &set[0];
	for (i = 0; i < RATELIMIT_WAYS && e == NULL; i++) {
		if (set[i].tag == tag)
			e = &set[i];
		else if (stale->tag != 0 && (set[i].tag == 0 ||
		    set[i].last_ms < stale->last_ms))
			stale = &set[i];
	}
	if (e == NULL && is_new) {
		e = stale;
		e->tag = tag;
		e->last_ms = now;
		e->tokens = rl->burst;
	}
	return e;
}

/* Refills e up to the burst for the time since its last refill. */
static void
refill(const struct ratelimit *rl, struct entry *e, int64_t now)
{
	if (now > e->last_ms) {
		e->tokens += (double)(now - e->last_ms) * rl->per_min /
		    60000.0;
		if (e->tokens > rl->burst)
			e->tokens = rl->burst;
		e->last_ms = now;
	}
}

int
ratelimit_take_at(struct ratelimit *rl, const struct sockaddr *sa,
    int64_t now)
{
	struct entry *e;
	int r = GH_ERR_BUSY;

	pthread_mutex_lock(&rl->lock);
	e = lookup(rl, sa, now, 1);
	refill(rl, e, now);
	if (e->tokens >= 1.0) {
		e->tokens -= 1.0;
		r = GH_OK;
	}
	pthread_mutex_unlock(&rl->lock);
	return r;
}

void
ratelimit_give_back_at(struct ratelimit *rl, const struct sockaddr *sa,
    int64_t now)
{
	struct entry *e;

	pthread_mutex_lock(&rl->lock);
	if ((e = lookup(rl, sa, now, 0)) != NULL) {
		refill(rl, e, now);
		e->tokens += 1.0;
		if (e->tokens > rl->burst)
			e->tokens = rl->burst;
	}
	pthread_mutex_unlock(&rl->lock);
}

int
ratelimit_take(struct ratelimit *rl, const struct sockaddr *sa)
{
	return ratelimit_take_at(rl, sa, gh_now_ms());
}

void
ratelimit_give_back(struct ratelimit *rl, const struct sockaddr *sa)
{
	ratelimit_give_back_at(rl, sa, gh_now_ms());
}
