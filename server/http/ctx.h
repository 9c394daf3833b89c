/*
 * ctx.h: what the request threads share while serving: the pepper, the
 * writer, a pool of reading connections, the loaded wave definitions, and
 * the key that seals the page state of multi-page surveys.
 * Internal to server/http/.
 */
#ifndef GH_HTTP_CTX_H
#define GH_HTTP_CTX_H

#include <pthread.h>
#include <stdint.h>

#include <sodium.h>

#include "store/store.h"
#include "store/writer.h"
#include "survey/def.h"
#include "survey/state.h"

struct pwpool;
struct walks;
struct onces;
struct ratelimit;
struct retain_job;
struct attach_super;

/* A wave as the request threads need it: immutable once loaded. */
struct ctx_wave {
	int64_t		 id;
	struct def	*def;
	uint8_t		 pk[STORE_PK_BYTES];
	int		 k;	/* as loaded; the welcome page states it */
	/* Whether it takes answers, as last read (ctx_wave_is_open). */
	int		 is_open;
	int64_t		 open_read_ms;	/* monotonic; 0: never read */
};

/*
 * How long the steps of a walk trust a wave's "open" as read
 * (ctx_wave_is_open), in milliseconds. Another process may close it
 * (`gehoord wave close`): its walks then stop within this time; Send is
 * refused at once, by the writer.
 */
#define CTX_WAVE_OPEN_MS	1000

struct console_ctx;

struct http_ctx {
	uint8_t			*pepper;	/* sodium_malloc, read-only */
	struct writer		*writer;
	struct state_key	*state_key;	/* made by ctx_init, read-only */
	struct walks		*walks;		/* survey walks (walk.h) */

	pthread_mutex_t		 pool_lock;
	pthread_cond_t		 pool_free;
	struct store		**pool;
	int			*pool_is_used;
	size_t			 pool_n;

	pthread_mutex_t		 waves_lock;
	struct ctx_wave		**waves;	/* each allocated once, never moved */
	size_t			 n_waves;

	/* Argon2id runs here, never on a request thread (pwpool.h). */
	struct pwpool		*pwpool;
	/* Desk and researcher logins (route_login.c, route_desk*.c). */
	struct sessions		*sessions;
	struct ratelimit	*login_limit;	/* per address, none stored */
	char			 pw_dummy[crypto_pwhash_STRBYTES]; /* unknown
						   names cost the same */
	uint8_t			*login_key;	/* signs the login form's token;
						   sodium_malloc, never stored */
	int			 is_https;	/* HTTPS here or at a proxy: Secure
						   cookies, and HSTS */
	int			 signals_k;	/* desk signals: units >= k */
	/* Reports (route_report*.c; set up by reporter_ctx_init). */
	uint8_t			*ack_sk;	/* DB.ack.sign, sodium_malloc */
	uint8_t			 ack_pk[32];
	struct ratelimit	*report_rl;	/* receipt guesses */
	struct ratelimit	*report_addr_rl; /* new reports, per address */
	struct ratelimit	*report_all_rl;	/* new reports, all clients */
	struct onces		*report_once;	/* one-time form keys */
	int			 is_report_links_required;
	/* Saved survey answers (route_survey_resume.c). */
	struct ratelimit	*resume_rl;	/* wrong resume phrases */
	/* The daily retention run (retain_job.h). */
	struct retain_job	*retain_job;
	/* The coordinator's console (console_ctx.c). */
	struct console_ctx	*console;
	const char		*base_url;	/* links made in the console,
						   or NULL (http_config) */
	/* Cleans reporters' files in confined children (attach_super.h);
	 * forked before anything else is loaded. */
	struct attach_super	*attach_super;
};

/*
 * Sets up the login state: sessions (idle timeout idle_s seconds), the
 * login limiter, the dummy hash and the key of the login form's token.
 * GH_OK or an error.
 */
int ctx_login_init(struct http_ctx *c, unsigned int idle_s) GH_WUR;

/*
 * Opens n reading connections to path and makes the state key. Returns
 * GH_OK or an error.
 */
int ctx_init(struct http_ctx *c, const char *path, size_t n) GH_WUR;

/* Closes the pool, frees the waves and the state key (not the pepper or
 * writer). */
void ctx_fini(struct http_ctx *c);

/* Borrows a reading connection (waits for one); give it back with ctx_store_put. */
struct store *ctx_store_get(struct http_ctx *c);
void ctx_store_put(struct http_ctx *c, const struct store *s);

/*
 * Finds wave id, loading and checking its definition on first use.
 * Returns a pointer valid until ctx_fini, or NULL (logged).
 */
const struct ctx_wave *ctx_wave(struct http_ctx *c, int64_t id);

/*
 * Sets *is_open to whether wave w takes answers, as read from its row at
 * most CTX_WAVE_OPEN_MS ago (else read now). GH_OK or the store's error.
 */
int ctx_wave_is_open(struct http_ctx *c, const struct ctx_wave *w,
    int *is_open) GH_WUR;

/* Makes the next ctx_wave_is_open of wave id read its row (the console
 * opened or closed it). */
void ctx_wave_open_changed(struct http_ctx *c, int64_t id);

#endif
