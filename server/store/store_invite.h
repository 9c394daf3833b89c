/*
 * store_invite.h: blind invitations. A batch of personal, one-time
 * invitation links (BASE/i/CODE) for one wave and unit, with the batch's
 * VOPRF key pair (crypto/voprf.h): the public key in the clear, the
 * secret key sealed under a subkey of the pepper. An invitation is
 * stored as the keyed hash of its code (as tokens are), written once;
 * spending it inserts a new row under a second keyed hash, never
 * changing the issued row. The survey token a browser makes from an
 * invitation is stored nowhere: its spend is a row of spends, like any
 * token's, and its batch is named by the token itself
 * (store_token_key.invite_batch).
 */
#ifndef GH_STORE_INVITE_H
#define GH_STORE_INVITE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_INVITE_PK_BYTES		32
#define STORE_INVITE_SEALED_BYTES	72

/* An invitation batch as stored. */
struct store_invite_batch {
	int64_t	 id;
	int64_t	 wave_id;
	int	 is_open;	/* the wave takes answers */
	uint8_t	 public_key[STORE_INVITE_PK_BYTES];
	uint8_t	 sealed_key[STORE_INVITE_SEALED_BYTES];
};

/*
 * Stores a batch of n invitation hashes for wave (unit may be NULL) with
 * its public key and sealed secret key, in one transaction; sets
 * *batch_id. Returns GH_OK, GH_ERR_CLOSED (the wave is closed or
 * missing), GH_ERR_EXISTS (a hash is there already) or GH_ERR_DB.
 */
int store_invite_batch_create(struct store *s, int64_t wave,
    const char *unit, const uint8_t pk[STORE_INVITE_PK_BYTES],
    const uint8_t sealed[STORE_INVITE_SEALED_BYTES],
    const uint8_t (*hashes)[STORE_HASH_BYTES], size_t n, int64_t *batch_id)
    GH_WUR;

/*
 * Looks an invitation up by its two hashes: *state is UNKNOWN, SPENT,
 * CLOSED or FRESH, and unless UNKNOWN *b is its batch. Returns GH_OK or
 * GH_ERR_DB.
 */
int store_invite_lookup(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    const uint8_t spend[STORE_HASH_BYTES], enum store_token_state *state,
    struct store_invite_batch *b) GH_WUR;

/* Reads batch id into *b. Returns GH_OK, GH_ERR_NOT_FOUND or GH_ERR_DB. */
int store_invite_batch_get(struct store *s, int64_t id,
    struct store_invite_batch *b) GH_WUR;

/*
 * Spends an invitation: in one transaction, checks that it is issued,
 * unspent and of an open wave, calls eval(arg, batch) (the evaluation
 * the browser gets back; its failure rolls everything back) and inserts
 * the spend row. Returns GH_OK, GH_ERR_NOT_FOUND, GH_ERR_SPENT,
 * GH_ERR_CLOSED, GH_ERR_BUSY (the database is busy: try again), eval's
 * error or GH_ERR_DB.
 */
int store_invite_spend(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    const uint8_t spend[STORE_HASH_BYTES],
    int (*eval)(void *arg, const struct store_invite_batch *b), void *arg)
    GH_WUR;

/* A batch's public key as published (gehoord invitations keys). */
struct store_invite_key {
	int64_t		 id;
	const char	*unit;		/* NULL: no unit; valid during fn */
	int64_t		 size;		/* invitations issued */
	uint8_t		 public_key[STORE_INVITE_PK_BYTES];
};

/*
 * Calls fn for each invitation batch of wave, in the order of their ids;
 * a non-GH_OK return of fn stops and is returned. Returns GH_OK, fn's
 * error or GH_ERR_DB.
 */
int store_invite_keys_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const struct store_invite_key *k), void *arg)
    GH_WUR;

#endif
