/*
 * store_user.h: desk, researcher, reviewer and coordinator accounts
 * (a coordinator runs waves in the console and holds no key), and the
 * instance's public keys. Implemented in store_user.c.
 *
 * A password is kept only as its Argon2id string (crypto_pwhash_str). A
 * desk user also has the desk's secret key wrapped with a key derived from
 * their password (crypto/deskkey.h); researchers have none. A reviewer (an external adviser who gives
 * second opinions on the reports sent to them) has a box key pair of
 * their own: the public key in the clear, the secret key wrapped with
 * their password as a desk user's key is. A disabled
 * account cannot log in; its generation (random at creation, changed by
 * every disable and enable) lets a running server see that a session
 * began under an earlier state of the account.
 */
#ifndef GH_STORE_USER_H
#define GH_STORE_USER_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "store/store.h"

#define USER_MAX_NAME	64
#define USER_WRAPPED_MAX 256

enum user_role { USER_DESK = 0, USER_RESEARCHER = 1, USER_REVIEWER = 2,
	USER_COORDINATOR = 3 };

struct user_row {
	int64_t		id;
	char		name[USER_MAX_NAME + 1];
	enum user_role	role;
	char		pw_hash[crypto_pwhash_STRBYTES];
	uint8_t		wrapped_key[USER_WRAPPED_MAX];	/* desk, reviewer */
	size_t		wrapped_len;			/* 0 for researchers */
	int		is_disabled;
	int64_t		gen;
	uint8_t		public_key[32];		/* reviewers only */
	int		has_public_key;
};

/* Adds a user; GH_ERR_EXISTS if the name is taken. */
int store_user_add(struct store *s, const struct user_row *u) GH_WUR;

/* Reads a user by name. GH_ERR_NOT_FOUND. */
int store_user_get(struct store *s, const char *name,
    struct user_row *u) GH_WUR;

/* Counts the users of a role. */
int store_user_count(struct store *s, enum user_role role,
    int64_t *n) GH_WUR;

/* Replaces a user's password hash and wrapped key. */
int store_user_update(struct store *s, const struct user_row *u) GH_WUR;

/*
 * Disables (is_disabled 1) or enables (0) a user and changes their
 * generation, so that every session they hold ends. GH_ERR_NOT_FOUND.
 */
int store_user_set_disabled(struct store *s, const char *name,
    int is_disabled) GH_WUR;

/* Deletes a user and their wrapped key. GH_ERR_NOT_FOUND. */
int store_user_remove(struct store *s, const char *name) GH_WUR;

/*
 * Whether the account a session began under is still the same and
 * enabled: 1 if user id exists with that name and generation and is not
 * disabled, 0 if not, -1 if the database could not be read.
 */
int store_user_is_current(struct store *s, int64_t id, const char *name,
    int64_t gen);

/* Calls fn for every user in name order. */
int store_user_foreach(struct store *s,
    int (*fn)(void *arg, const struct user_row *u), void *arg) GH_WUR;

/*
 * The instance's public keys by purpose ("desk": X25519 key reports are
 * sealed to; "ack": Ed25519 key of receipts; "release": Ed25519 key of
 * releases). store_key_set refuses to replace one (GH_ERR_EXISTS).
 */
int store_key_set(struct store *s, const char *purpose,
    const uint8_t pk[32]) GH_WUR;
int store_key_get(struct store *s, const char *purpose,
    uint8_t pk[32]) GH_WUR;

#endif
