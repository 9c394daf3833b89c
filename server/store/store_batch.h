/*
 * store_batch.h: a wave's token batches as the release engine sees them:
 * each batch's unit label and tokens issued. No token and no answer is
 * read, and how many of a batch's tokens were spent is not known: a spent
 * token is not tied to its batch. A batch of invitations
 * (store_invite.h) is one of them, with its invitations as the tokens
 * issued and the negative of its id (an invitation makes one link).
 * Implemented in store_batch.c.
 */
#ifndef GH_STORE_BATCH_H
#define GH_STORE_BATCH_H

#include <stdint.h>

#include "store/store.h"

struct store_batch_row {
	int64_t		 id;
	const char	*unit;		/* NULL: issued without --unit */
	int64_t		 issued;
};

/*
 * Calls fn for every batch of wave in id order (rows are read first, so
 * fn may use the store). Stops early and returns fn's value if non-zero;
 * GH_ERR_DB, GH_ERR_NOMEM.
 */
int store_batch_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const struct store_batch_row *b), void *arg) GH_WUR;

#endif
