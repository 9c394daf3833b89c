/*
 * report_once.c: the table of one-time submission keys (report_once.h).
 *
 * Entry points: onces_new and onces_free at start and stop; once_claim,
 * once_release, once_done per reporter POST; once_receipt and
 * once_forget_receipt for the receipt page; once_view_new and once_view
 * for the follow-up page's views; once_set_browser and once_is_browser
 * (where the text was sealed). Data path: key text ->
 * base64url decode -> BLAKE2b under the table's random key -> a slot
 * (linear scan: the table is small and every call is short). A receipt
 * kept in a slot is wiped when shown for the last time, when its slot
 * makes way, or once ONCE_SHOW_S old (every call sweeps them).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/report_once.h"

struct once_slot {
	uint8_t		 hash[16];
	time_t		 at;		/* claimed, or done */
	int		 is_used;
	int		 is_done;
	int		 has_receipt;
	int		 is_view;	/* a view (once_view_new) */
	char		 receipt[ONCE_RECEIPT_MAX];
	char		 what[ONCE_WHAT_MAX];	/* a view's notice or note */
	char		 ack[ONCE_ACK_MAX];
	int		 is_browser;	/* the text was sealed in the browser */
};

struct onces {
	pthread_mutex_t	 mu;
	uint8_t		 key[crypto_generichash_KEYBYTES];
	struct once_slot *slot;		/* ONCE_SLOTS, sodium_malloc */
};

int
onces_new(struct onces **out)
{
	struct onces *os;

	*out = NULL;
	if ((os = calloc(1, sizeof(*os))) == NULL)
		return GH_ERR_NOMEM;
	os->slot = sodium_allocarray(ONCE_SLOTS, sizeof(*os->slot));
	if (os->slot == NULL || pthread_mutex_init(&os->mu, NULL) != 0) {
		sodium_free(os->slot);
		free(os);
		return GH_ERR_NOMEM;
	}
	memset(os->slot, 0, ONCE_SLOTS * sizeof(*os->slot));
	randombytes_buf(os->key, sizeof(os->key));
	*out = os;
	return GH_OK;
}

void
onces_free(struct onces *os)
{
	if (os == NULL)
		return;
	sodium_free(os->slot);	/* wipes */
	sodium_memzero(os->key, sizeof(os->key));
	pthread_mutex_destroy(&os->mu);
	free(os);
}

static int
key_hash(const struct onces *os, const char *text, uint8_t h[16])
{
	uint8_t raw[ONCE_KEY_BYTES + 4];
	size_t len = 0;

	if (text == NULL || strlen(text) != ONCE_KEY_TEXT ||
	    sodium_base642bin(raw, sizeof(raw), text, ONCE_KEY_TEXT, NULL,
	    &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != ONCE_KEY_BYTES)
		return GH_ERR_INVALID;
	crypto_generichash(h, 16, raw, ONCE_KEY_BYTES, os->key,
	    sizeof(os->key));
	sodium_memzero(raw, sizeof(raw));
	return GH_OK;
}

static void
slot_clear(struct once_slot *s)
{
	sodium_memzero(s, sizeof(*s));
}

/* Drops what is too old; called with the mutex held. */
static void
sweep(struct onces *os, time_t now)
{
	size_t i;

	for (i = 0; i < ONCE_SLOTS; i++) {
		struct once_slot *s = &os->slot[i];

		if (!s->is_used)
			continue;
		if (now - s->at > ONCE_KEEP_S)
			slot_clear(s);
		else if (s->has_receipt && now - s->at > ONCE_SHOW_S) {
			sodium_memzero(s->receipt, sizeof(s->receipt));
			sodium_memzero(s->what, sizeof(s->what));
			sodium_memzero(s->ack, sizeof(s->ack));
			s->has_receipt = 0;
		}
	}
}

static struct once_slot *
find(struct onces *os, const uint8_t h[16])
{
	size_t i;

	for (i = 0; i < ONCE_SLOTS; i++)
		if (os->slot[i].is_used &&
		    sodium_memcmp(os->slot[i].hash, h, 16) == 0)
			return &os->slot[i];
	return NULL;
}

int
once_claim(struct onces *os, const char *text, time_t now,
    enum once_state *state)
{
	struct once_slot *s, *oldest = NULL;
	uint8_t h[16];
	size_t i;

	if (key_hash(os, text, h) != GH_OK)
		return GH_ERR_INVALID;
	pthread_mutex_lock(&os->mu);
	sweep(os, now);
	if ((s = find(os, h)) != NULL) {
		*state = s->is_done ? ONCE_DONE : ONCE_PENDING;
		pthread_mutex_unlock(&os->mu);
		return GH_OK;
	}
	for (i = 0; i < ONCE_SLOTS; i++) {
		s = &os->slot[i];
		if (!s->is_used)
			break;
		if (oldest == NULL || s->at < oldest->at)
			oldest = s;
	}
	if (i == ONCE_SLOTS)
		s = oldest;
	slot_clear(s);
	memcpy(s->hash, h, sizeof(h));
	s->at = now;
	s->is_used = 1;
	*state = ONCE_FRESH;
	pthread_mutex_unlock(&os->mu);
	return GH_OK;
}

void
once_release(struct onces *os, const char *text)
{
	struct once_slot *s;
	uint8_t h[16];

	if (key_hash(os, text, h) != GH_OK)
		return;
	pthread_mutex_lock(&os->mu);
	if ((s = find(os, h)) != NULL && !s->is_done)
		slot_clear(s);
	pthread_mutex_unlock(&os->mu);
}

void
once_done(struct onces *os, const char *text, time_t now,
    const char *receipt, const char *ack)
{
	struct once_slot *s;
	uint8_t h[16];

	if (key_hash(os, text, h) != GH_OK)
		return;
	pthread_mutex_lock(&os->mu);
	if ((s = find(os, h)) != NULL) {
		s->is_done = 1;
		s->at = now;
		if (receipt != NULL && strlen(receipt) < sizeof(s->receipt) &&
		    (ack == NULL || strlen(ack) < sizeof(s->ack))) {
			memcpy(s->receipt, receipt, strlen(receipt) + 1);
			if (ack != NULL)
				memcpy(s->ack, ack, strlen(ack) + 1);
			s->has_receipt = 1;
		}
	}
	pthread_mutex_unlock(&os->mu);
}

int
once_receipt(struct onces *os, const char *text, time_t now,
    char receipt[ONCE_RECEIPT_MAX], char ack[ONCE_ACK_MAX])
{
	struct once_slot *s;
	uint8_t h[16];
	int rc = GH_ERR_NOT_FOUND;

	if (key_hash(os, text, h) != GH_OK)
		return GH_ERR_NOT_FOUND;
	pthread_mutex_lock(&os->mu);
	sweep(os, now);
	if ((s = find(os, h)) != NULL && !s->is_done) {
		rc = GH_ERR_BUSY;
	} else if (s != NULL && s->has_receipt && !s->is_view) {
		memcpy(receipt, s->receipt, ONCE_RECEIPT_MAX);
		memcpy(ack, s->ack, ONCE_ACK_MAX);
		rc = GH_OK;
	}
	pthread_mutex_unlock(&os->mu);
	return rc;
}

void
once_forget_receipt(struct onces *os, const char *text)
{
	struct once_slot *s;
	uint8_t h[16];

	if (key_hash(os, text, h) != GH_OK)
		return;
	pthread_mutex_lock(&os->mu);
	if ((s = find(os, h)) != NULL && s->has_receipt) {
		sodium_memzero(s->receipt, sizeof(s->receipt));
		sodium_memzero(s->ack, sizeof(s->ack));
		s->has_receipt = 0;
	}
	pthread_mutex_unlock(&os->mu);
}

int
once_view_new(struct onces *os, time_t now, const char *receipt,
    const char *what, char key[ONCE_KEY_TEXT + 1])
{
	uint8_t raw[ONCE_KEY_BYTES];
	struct once_slot *s;
	enum once_state st;
	uint8_t h[16];

	if (strlen(receipt) >= ONCE_RECEIPT_MAX || strlen(what) >= ONCE_WHAT_MAX)
		return GH_ERR_INVALID;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(key, ONCE_KEY_TEXT + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	if (once_claim(os, key, now, &st) != GH_OK || st != ONCE_FRESH ||
	    key_hash(os, key, h) != GH_OK)
		return GH_ERR_INVALID;
	pthread_mutex_lock(&os->mu);
	if ((s = find(os, h)) != NULL) {
		s->is_done = 1;
		s->is_view = 1;
		s->has_receipt = 1;
		s->at = now;
		memcpy(s->receipt, receipt, strlen(receipt) + 1);
		memcpy(s->what, what, strlen(what) + 1);
	}
	pthread_mutex_unlock(&os->mu);
	return s != NULL ? GH_OK : GH_ERR_INVALID;
}

int
once_view(struct onces *os, const char *text, time_t now,
    char receipt[ONCE_RECEIPT_MAX], char what[ONCE_WHAT_MAX])
{
	struct once_slot *s;
	uint8_t h[16];
	int rc = GH_ERR_NOT_FOUND;

	if (key_hash(os, text, h) != GH_OK)
		return GH_ERR_NOT_FOUND;
	pthread_mutex_lock(&os->mu);
	sweep(os, now);
	if ((s = find(os, h)) != NULL && s->is_view && s->has_receipt) {
		memcpy(receipt, s->receipt, ONCE_RECEIPT_MAX);
		memcpy(what, s->what, ONCE_WHAT_MAX);
		rc = GH_OK;
	}
	pthread_mutex_unlock(&os->mu);
	return rc;
}

void
once_set_browser(struct onces *os, const char *text)
{
	struct once_slot *s;
	uint8_t h[16];

	if (key_hash(os, text, h) != GH_OK)
		return;
	pthread_mutex_lock(&os->mu);
	if ((s = find(os, h)) != NULL)
		s->is_browser = 1;
	pthread_mutex_unlock(&os->mu);
}

int
once_is_browser(struct onces *os, const char *text)
{
	struct once_slot *s;
	uint8_t h[16];
	int is = -1;

	if (key_hash(os, text, h) != GH_OK)
		return -1;
	pthread_mutex_lock(&os->mu);
	if ((s = find(os, h)) != NULL)
		is = s->is_browser;
	pthread_mutex_unlock(&os->mu);
	return is;
}
