/*
 * ctx.c: the reading-connection pool and the wave cache (see ctx.h).
 *
 * Waves are loaded on first use and never change afterwards (a wave's
 * definition and key are fixed at creation); whether a wave is open is
 * read from the database on every request, never cached. The state key
 * is made here, before the process is confined, and lives until ctx_fini:
 * a restart expires every page state (state.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/deskkey.h"
#include "http/ctx.h"
#include "http/ratelimit.h"
#include "http/session.h"
#include "http/walk.h"
#include "util/log.h"
#include "util/util.h"

/*
 * Logins: per address a burst of LOGIN_BURST failed attempts, then
 * LOGIN_PER_MIN a minute. Their Argon2id (64 MiB each) runs on the
 * hashing pool, which bounds how many run at once.
 */
#define LOGIN_BURST	10
#define LOGIN_PER_MIN	5

int
ctx_init(struct http_ctx *c, const char *path, size_t n)
{
	size_t i;
	int r;

	pthread_mutex_init(&c->pool_lock, NULL);
	pthread_cond_init(&c->pool_free, NULL);
	pthread_mutex_init(&c->waves_lock, NULL);
	/* An array of pointers, sized by its element (not a struct). */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	c->pool = calloc(n, sizeof(*c->pool));
	c->pool_is_used = calloc(n, sizeof(*c->pool_is_used));
	if (c->pool == NULL || c->pool_is_used == NULL)
		return GH_ERR_NOMEM;
	if ((r = state_key_new(&c->state_key)) != GH_OK ||
	    (r = walks_new(&c->walks, WALK_DONE_GRACE_MS)) != GH_OK)
		return r;
	c->pool_n = n;
	for (i = 0; i < n; i++)
		if ((r = store_open(path, 0, &c->pool[i])) != GH_OK)
			return r;
	return GH_OK;
}

void
ctx_fini(struct http_ctx *c)
{
	size_t i;

	for (i = 0; i < c->pool_n; i++)
		store_close(c->pool[i]);
	free(c->pool);
	free(c->pool_is_used);
	for (i = 0; i < c->n_waves; i++) {
		def_free(c->waves[i]->def);
		free(c->waves[i]);
	}
	free(c->waves);
	state_key_free(c->state_key);
	c->state_key = NULL;
	walks_free(c->walks);
	c->walks = NULL;
	if (c->sessions != NULL) {
		sessions_free(c->sessions);
		ratelimit_free(c->login_limit);
		c->sessions = NULL;
	}
	sodium_free(c->login_key);	/* wipes */
	c->login_key = NULL;
	pthread_mutex_destroy(&c->pool_lock);
	pthread_cond_destroy(&c->pool_free);
	pthread_mutex_destroy(&c->waves_lock);
}

int
ctx_login_init(struct http_ctx *c, unsigned int idle_s)
{
	/*
	 * The hash an unknown user name is checked against, so that it costs
	 * what a wrong password costs. Made once (of a random password that
	 * was then thrown away) with the limits of deskkey_pw_hash, so that
	 * start-up does not spend 64 MiB on it; if those limits change, it
	 * is made afresh here.
	 */
	static const char dummy[] = "$argon2id$v=19$m=65536,t=2,p=1$"
	    "QiJA5Kf0YGmdyZ881QhmVg$cRYIVp0+qmwIwSQRQqdssPJOH08p0JdZK6oSM/TdqCc";
	static const char pw[] = "not anyone's password";
	int r;

	_Static_assert(sizeof(dummy) <= sizeof(c->pw_dummy), "dummy hash");
	memcpy(c->pw_dummy, dummy, sizeof(dummy));
	if (crypto_pwhash_str_needs_rehash(c->pw_dummy, DESKKEY_OPSLIMIT,
	    DESKKEY_MEMLIMIT) != 0 &&
	    (r = deskkey_pw_hash(c->pw_dummy, pw, sizeof(pw) - 1)) != GH_OK)
		return r;
	if ((c->login_key = sodium_malloc(crypto_auth_KEYBYTES)) == NULL)
		return GH_ERR_NOMEM;
	crypto_auth_keygen(c->login_key);
	if ((r = sessions_new(&c->sessions)) != GH_OK)
		return r;
	sessions_set_idle(c->sessions, idle_s);
	if ((r = ratelimit_new(LOGIN_BURST, LOGIN_PER_MIN,
	    &c->login_limit)) != GH_OK) {
		sessions_free(c->sessions);
		c->sessions = NULL;
		return r;
	}
	return GH_OK;
}

struct store *
ctx_store_get(struct http_ctx *c)
{
	struct store *s = NULL;
	size_t i;

	pthread_mutex_lock(&c->pool_lock);
	while (s == NULL) {
		for (i = 0; i < c->pool_n; i++) {
			if (!c->pool_is_used[i]) {
				c->pool_is_used[i] = 1;
				s = c->pool[i];
				break;
			}
		}
		if (s == NULL)
			pthread_cond_wait(&c->pool_free, &c->pool_lock);
	}
	pthread_mutex_unlock(&c->pool_lock);
	return s;
}

void
ctx_store_put(struct http_ctx *c, const struct store *s)
{
	size_t i;

	pthread_mutex_lock(&c->pool_lock);
	for (i = 0; i < c->pool_n; i++)
		if (c->pool[i] == s)
			c->pool_is_used[i] = 0;
	pthread_cond_signal(&c->pool_free);
	pthread_mutex_unlock(&c->pool_lock);
}

static const struct ctx_wave *
load_wave(struct http_ctx *c, int64_t id)
{
	struct store *s = ctx_store_get(c);
	struct store_wave *w = NULL;
	struct ctx_wave **nw, *found = NULL;
	struct def *d = NULL;
	char err[512], name[32];

	if (store_wave_get(s, id, &w) != GH_OK)
		goto out;
	snprintf(name, sizeof(name), "wave %lld", (long long)id);
	if (def_parse(w->def_json, strlen(w->def_json), name, &d, err,
	    sizeof(err)) != GH_OK) {
		log_error("%s", err);
		goto out;
	}
	/* An array of pointers, sized by its element (not a struct). */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if ((nw = realloc(c->waves, (c->n_waves + 1) * sizeof(*nw))) == NULL)
		goto out;
	c->waves = nw;
	if ((found = calloc(1, sizeof(*found))) == NULL)
		goto out;
	c->waves[c->n_waves++] = found;
	found->id = id;
	found->def = d;
	memcpy(found->pk, w->pk, sizeof(found->pk));
	found->k = w->k;
	d = NULL;
out:
	def_free(d);
	store_wave_free(w);
	ctx_store_put(c, s);
	return found;
}

/* The wave id as ctx holds it (locked), or NULL. */
static struct ctx_wave *
find_wave(struct http_ctx *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->n_waves; i++)
		if (c->waves[i]->id == id)
			return c->waves[i];
	return NULL;
}

int
ctx_wave_is_open(struct http_ctx *c, const struct ctx_wave *w, int *is_open)
{
	struct ctx_wave *cw;
	struct store *s;
	int64_t now = gh_now_ms();
	int r, is_fresh;

	pthread_mutex_lock(&c->waves_lock);
	cw = find_wave(c, w->id);
	is_fresh = cw != NULL && cw->open_read_ms != 0 &&
	    now - cw->open_read_ms < CTX_WAVE_OPEN_MS;
	*is_open = is_fresh && cw->is_open;
	pthread_mutex_unlock(&c->waves_lock);
	if (is_fresh)
		return GH_OK;
	s = ctx_store_get(c);
	r = store_wave_is_open(s, w->id, is_open);
	ctx_store_put(c, s);
	if (r != GH_OK)
		return r;
	pthread_mutex_lock(&c->waves_lock);
	if ((cw = find_wave(c, w->id)) != NULL) {
		cw->is_open = *is_open;
		cw->open_read_ms = now;
	}
	pthread_mutex_unlock(&c->waves_lock);
	return GH_OK;
}

void
ctx_wave_open_changed(struct http_ctx *c, int64_t id)
{
	struct ctx_wave *cw;

	pthread_mutex_lock(&c->waves_lock);
	if ((cw = find_wave(c, id)) != NULL)
		cw->open_read_ms = 0;
	pthread_mutex_unlock(&c->waves_lock);
}

const struct ctx_wave *
ctx_wave(struct http_ctx *c, int64_t id)
{
	const struct ctx_wave *found;

	pthread_mutex_lock(&c->waves_lock);
	if ((found = find_wave(c, id)) == NULL)
		found = load_wave(c, id);
	pthread_mutex_unlock(&c->waves_lock);
	return found;
}
