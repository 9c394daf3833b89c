/*
 * ratelimit.c: in-memory rate limiting of guesses without storing any
 * address (ratelimit.h).
 *
 * Entry points: ratelimit_new, ratelimit_free, ratelimit_take
 * (ratelimit_take_at for tests). Data path: the peer address (IPv4, or
 * the /64 prefix of IPv6, since one host often holds a whole /64; an
 * IPv4-mapped IPv6 address counts as its IPv4 address) -> BLAKE2b keyed
 * with a random key that is replaced, together with every count, every
 * RATELIMIT_ROTATE_S seconds -> a slot of a fixed table of token
 * buckets. Neither the address nor its hash is kept: a slot holds only a
 * fill level and the time of its last refill, and nothing is written to
 * disk or logged.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/ratelimit.h"

struct bucket {
	int64_t		last_ms;	/* 0: never used under this key */
	double		tokens;
};

struct ratelimit {
	pthread_mutex_t	 lock;
	unsigned int	 burst, per_min;
	int64_t		 key_born_ms;
	uint8_t		 key[crypto_generichash_KEYBYTES];
	struct bucket	 slots[RATELIMIT_SLOTS];
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Draws a new key and forgets every count. */
static void
rotate(struct ratelimit *rl, int64_t now)
{
	randombytes_buf(rl->key, sizeof(rl->key));
	memset(rl->slots, 0, sizeof(rl->slots));
	rl->key_born_ms = now;
}

int
ratelimit_new(unsigned int burst, unsigned int per_min,
    struct ratelimit **out)
{
	struct ratelimit *rl;

	*out = NULL;
	if (burst == 0)
		return GH_ERR_INVALID;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return GH_ERR_NOMEM;
	pthread_mutex_init(&rl->lock, NULL);
	rl->burst = burst;
	rl->per_min = per_min;
	rotate(rl, now_ms());
	*out = rl;
	return GH_OK;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	sodium_memzero(rl->key, sizeof(rl->key));
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

int
ratelimit_take_at(struct ratelimit *rl, const struct sockaddr *sa,
    int64_t now)
{
	uint8_t h[16];
	const uint8_t *p;
	struct bucket *b;
	size_t len;
	uint32_t idx;
	int r = GH_ERR_BUSY;

	address_bytes(sa, &p, &len);
	pthread_mutex_lock(&rl->lock);
	if (now - rl->key_born_ms >= (int64_t)RATELIMIT_ROTATE_S * 1000 ||
	    now < rl->key_born_ms)
		rotate(rl, now);
	(void)crypto_generichash(h, sizeof(h), p, len, rl->key,
	    sizeof(rl->key));
	idx = ((uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
	    (uint32_t)h[3] << 24) % RATELIMIT_SLOTS;
	b = &rl->slots[idx];
	if (b->last_ms == 0) {
		b->tokens = rl->burst;
	} else if (now > b->last_ms) {
		b->tokens += (double)(now - b->last_ms) * rl->per_min / 60000.0;
		if (b->tokens > rl->burst)
			b->tokens = rl->burst;
	}
	b->last_ms = now > 0 ? now : 1;
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		r = GH_OK;
	}
	pthread_mutex_unlock(&rl->lock);
	sodium_memzero(h, sizeof(h));
	return r;
}

int
ratelimit_take(struct ratelimit *rl, const struct sockaddr *sa)
{
	return ratelimit_take_at(rl, sa, now_ms());
}
