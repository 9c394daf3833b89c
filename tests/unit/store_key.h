/*
 * store_key.h: a token's two hashes for tests that make up lookup hashes
 * at random: the spend half is derived from the lookup half, so that one
 * test "token" always has the same pair (the server derives both from the
 * token itself, crypto/token.h). The result lives in a ring of four per
 * thread: good until the same thread's fourth next call, and never shared
 * with a test's other threads.
 */
#ifndef GH_TEST_STORE_KEY_H
#define GH_TEST_STORE_KEY_H

#include <string.h>

#include <sodium.h>

#include "store/store.h"

static inline const struct store_token_key *
key_of(const uint8_t h[STORE_HASH_BYTES])
{
	static _Thread_local struct store_token_key k[4];
	static _Thread_local unsigned int next;
	struct store_token_key *p = &k[next++ % 4];

	memcpy(p->lookup, h, STORE_HASH_BYTES);
	(void)crypto_generichash(p->spend, STORE_HASH_BYTES, h,
	    STORE_HASH_BYTES, (const unsigned char *)"test spend", 10);
	return p;
}

#endif
