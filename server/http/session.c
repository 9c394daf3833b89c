/*
 * session.c: logged-in sessions in memory (see session.h).
 *
 * Entry points: sessions_new, sessions_set_idle, session_start,
 * session_find, session_csrf_ok, session_with_desk_key,
 * session_with_reviewer_key, session_end,
 * sessions_end_user, session_user_is_current, sessions_expire,
 * sessions_free.
 *
 * A session is one sodium_malloc block (guarded, locked pages): the
 * cookie's 32 random bytes, the CSRF token, the user and, for a desk
 * user, the desk's secret key (for a reviewer, their own secret key, in
 * the same place: the role says which it is). sodium_free wipes it when the session
 * ends, times out or the server stops. A cookie is compared with every
 * live session's by sodium_memcmp, without stopping at the first match,
 * so the time a lookup takes says nothing about which bytes matched.
 * Time is CLOCK_MONOTONIC: changing the wall clock neither ends nor
 * extends a session. A user has at most SESSION_PER_USER sessions, and a
 * full table gives up a session of the user holding the most (so a
 * script that logs in over and over ends only its own account's
 * sessions). One mutex guards the table; nothing slow runs under
 * it except the caller's function in session_with_desk_key. A sweeper
 * thread (started by sessions_new, before the server confines itself)
 * ends idle sessions every SWEEP_S seconds, so a desk key left behind
 * is wiped soon after its timeout even when no request comes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/session.h"

#define SESSION_ID_BYTES	32
#define NS_PER_S		1000000000LL
#define SWEEP_S			5

_Static_assert(sodium_base64_ENCODED_LEN(SESSION_ID_BYTES,
    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == SESSION_COOKIE_LEN + 1,
    "cookie length");

struct sess {
	uint8_t			id[SESSION_ID_BYTES];
	struct session_view	view;
	int64_t			last_ns;
	int			has_key;
	uint8_t			desk_sk[32];
};

struct sessions {
	pthread_mutex_t	 lock;
	pthread_cond_t	 stop_cv;	/* CLOCK_MONOTONIC */
	pthread_t	 sweeper;
	int		 is_stopping;
	int64_t		 idle_ns;
	struct sess	*s[SESSION_MAX];
};

static void expire_locked(struct sessions *ss, int64_t now);
static int64_t now_ns(void);

/* The sweeper: ends idle sessions until sessions_free stops it. */
static void *
sweep(void *arg)
{
	struct sessions *ss = arg;
	struct timespec until;

	pthread_mutex_lock(&ss->lock);
	while (!ss->is_stopping) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += SWEEP_S;
		(void)pthread_cond_timedwait(&ss->stop_cv, &ss->lock, &until);
		expire_locked(ss, now_ns());
	}
	pthread_mutex_unlock(&ss->lock);
	return NULL;
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

int
sessions_new(struct sessions **out)
{
	struct sessions *ss;

	pthread_condattr_t ca;

	if ((ss = calloc(1, sizeof(*ss))) == NULL)
		return GH_ERR_NOMEM;
	pthread_mutex_init(&ss->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ss->stop_cv, &ca);
	pthread_condattr_destroy(&ca);
	ss->idle_ns = (int64_t)SESSION_IDLE_S * NS_PER_S;
	if (pthread_create(&ss->sweeper, NULL, sweep, ss) != 0) {
		pthread_cond_destroy(&ss->stop_cv);
		pthread_mutex_destroy(&ss->lock);
		free(ss);
		return GH_ERR_NOMEM;
	}
	*out = ss;
	return GH_OK;
}

void
sessions_set_idle(struct sessions *ss, unsigned int seconds)
{
	pthread_mutex_lock(&ss->lock);
	ss->idle_ns = (int64_t)(seconds ? seconds : 1) * NS_PER_S;
	pthread_mutex_unlock(&ss->lock);
}

/* Ends slot i (the lock is held). sodium_free wipes the block. */
static void
end_slot(struct sessions *ss, size_t i)
{
	sodium_free(ss->s[i]);
	ss->s[i] = NULL;
}

void
sessions_free(struct sessions *ss)
{
	size_t i;

	if (ss == NULL)
		return;
	pthread_mutex_lock(&ss->lock);
	ss->is_stopping = 1;
	pthread_cond_signal(&ss->stop_cv);
	pthread_mutex_unlock(&ss->lock);
	pthread_join(ss->sweeper, NULL);
	for (i = 0; i < SESSION_MAX; i++)
		end_slot(ss, i);
	pthread_cond_destroy(&ss->stop_cv);
	pthread_mutex_destroy(&ss->lock);
	free(ss);
}

/*
 * The slot to give up for a new session of user_id (the lock is held),
 * or -1 if there is room: the user's least recently used session when it
 * holds SESSION_PER_USER, else, with every slot taken, the least recently
 * used session of the user that holds the most.
 */
static int
victim_locked(struct sessions *ss, int64_t user_id)
{
	size_t i, j, n, most = 0, n_mine = 0, n_used = 0;
	int v = -1, mine = -1;

	for (i = 0; i < SESSION_MAX; i++) {
		if (ss->s[i] == NULL)
			continue;
		n_used++;
		if (ss->s[i]->view.user_id != user_id)
			continue;
		n_mine++;
		if (mine < 0 || ss->s[i]->last_ns < ss->s[mine]->last_ns)
			mine = (int)i;
	}
	if (n_mine >= SESSION_PER_USER)
		return mine;
	if (n_used < SESSION_MAX)
		return -1;
	for (i = 0; i < SESSION_MAX; i++) {
		for (j = 0, n = 0; j < SESSION_MAX; j++)
			n += ss->s[j]->view.user_id == ss->s[i]->view.user_id;
		if (n > most || (n == most &&
		    ss->s[i]->last_ns < ss->s[v]->last_ns)) {
			most = n;
			v = (int)i;
		}
	}
	return v;
}

/* Ends idle sessions (the lock is held). */
static void
expire_locked(struct sessions *ss, int64_t now)
{
	size_t i;

	for (i = 0; i < SESSION_MAX; i++)
		if (ss->s[i] != NULL && now - ss->s[i]->last_ns > ss->idle_ns)
			end_slot(ss, i);
}

void
sessions_expire(struct sessions *ss)
{
	pthread_mutex_lock(&ss->lock);
	expire_locked(ss, now_ns());
	pthread_mutex_unlock(&ss->lock);
}

static void
encode(char out[SESSION_COOKIE_LEN + 1], const uint8_t bytes[32])
{
	sodium_bin2base64(out, SESSION_COOKIE_LEN + 1, bytes, 32,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
session_start(struct sessions *ss, const struct user_row *u,
    const uint8_t *desk_sk, char cookie[SESSION_COOKIE_LEN + 1])
{
	uint8_t csrf[32];
	struct sess *n;
	size_t i;
	int r = GH_ERR_BUSY, v;

	if ((n = sodium_malloc(sizeof(*n))) == NULL)
		return GH_ERR_NOMEM;
	memset(n, 0, sizeof(*n));
	randombytes_buf(n->id, sizeof(n->id));
	randombytes_buf(csrf, sizeof(csrf));
	encode(n->view.csrf, csrf);
	sodium_memzero(csrf, sizeof(csrf));
	n->view.user_id = u->id;
	memcpy(n->view.name, u->name, sizeof(n->view.name));
	n->view.name[USER_MAX_NAME] = '\0';
	n->view.role = u->role;
	n->view.gen = u->gen;
	if (desk_sk != NULL) {
		memcpy(n->desk_sk, desk_sk, sizeof(n->desk_sk));
		n->has_key = 1;
	}
	pthread_mutex_lock(&ss->lock);
	n->last_ns = now_ns();
	expire_locked(ss, n->last_ns);
	if ((v = victim_locked(ss, u->id)) >= 0)
		end_slot(ss, (size_t)v);
	for (i = 0; i < SESSION_MAX; i++) {
		if (ss->s[i] == NULL) {
			ss->s[i] = n;
			encode(cookie, n->id);
			n = NULL;
			r = GH_OK;
			break;
		}
	}
	pthread_mutex_unlock(&ss->lock);
	sodium_free(n);
	return r;
}

/*
 * Returns the slot of cookie (the lock is held), or -1. Looks at every
 * slot whatever matched; an idle session is ended and not found.
 */
static int
find_locked(struct sessions *ss, const char *cookie, int64_t now)
{
	uint8_t id[SESSION_ID_BYTES];
	size_t len = 0, i;
	int found = -1;

	if (cookie == NULL || strlen(cookie) != SESSION_COOKIE_LEN ||
	    sodium_base642bin(id, sizeof(id), cookie, SESSION_COOKIE_LEN,
	    NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof(id))
		return -1;
	for (i = 0; i < SESSION_MAX; i++)
		if (ss->s[i] != NULL &&
		    sodium_memcmp(ss->s[i]->id, id, sizeof(id)) == 0)
			found = (int)i;
	sodium_memzero(id, sizeof(id));
	if (found >= 0 && now - ss->s[found]->last_ns > ss->idle_ns) {
		end_slot(ss, (size_t)found);
		found = -1;
	}
	return found;
}

int
session_find(struct sessions *ss, const char *cookie, struct session_view *v)
{
	int64_t now = now_ns();
	int i;

	pthread_mutex_lock(&ss->lock);
	if ((i = find_locked(ss, cookie, now)) >= 0) {
		ss->s[i]->last_ns = now;
		*v = ss->s[i]->view;
	}
	pthread_mutex_unlock(&ss->lock);
	return i >= 0 ? GH_OK : GH_ERR_NOT_FOUND;
}

int
session_csrf_ok(struct sessions *ss, const char *cookie, const char *csrf)
{
	int i, ok = 0;

	if (csrf == NULL || strlen(csrf) != SESSION_CSRF_LEN)
		return 0;
	pthread_mutex_lock(&ss->lock);
	if ((i = find_locked(ss, cookie, now_ns())) >= 0)
		ok = sodium_memcmp(ss->s[i]->view.csrf, csrf,
		    SESSION_CSRF_LEN) == 0;
	pthread_mutex_unlock(&ss->lock);
	return ok;
}

int
session_with_desk_key(struct sessions *ss, const char *cookie,
    int (*fn)(void *arg, const uint8_t *desk_sk), void *arg)
{
	int i, r = GH_ERR_NOT_FOUND;

	pthread_mutex_lock(&ss->lock);
	if ((i = find_locked(ss, cookie, now_ns())) >= 0 &&
	    ss->s[i]->has_key && ss->s[i]->view.role == USER_DESK)
		r = fn(arg, ss->s[i]->desk_sk);
	pthread_mutex_unlock(&ss->lock);
	return r;
}

int
session_with_reviewer_key(struct sessions *ss, const char *cookie,
    int (*fn)(void *arg, const uint8_t *reviewer_sk), void *arg)
{
	int i, r = GH_ERR_NOT_FOUND;

	pthread_mutex_lock(&ss->lock);
	if ((i = find_locked(ss, cookie, now_ns())) >= 0 &&
	    ss->s[i]->has_key && ss->s[i]->view.role == USER_REVIEWER)
		r = fn(arg, ss->s[i]->desk_sk);
	pthread_mutex_unlock(&ss->lock);
	return r;
}

void
session_end(struct sessions *ss, const char *cookie)
{
	int i;

	pthread_mutex_lock(&ss->lock);
	if ((i = find_locked(ss, cookie, now_ns())) >= 0)
		end_slot(ss, (size_t)i);
	pthread_mutex_unlock(&ss->lock);
}

void
sessions_end_user(struct sessions *ss, int64_t user_id)
{
	size_t i;

	pthread_mutex_lock(&ss->lock);
	for (i = 0; i < SESSION_MAX; i++)
		if (ss->s[i] != NULL && ss->s[i]->view.user_id == user_id)
			end_slot(ss, i);
	pthread_mutex_unlock(&ss->lock);
}

int
session_user_is_current(struct store *s, const struct session_view *v)
{
	return store_user_is_current(s, v->user_id, v->name, v->gen);
}
